"""Personal numbers found on evidence pages and the redactions that remove them.

Boxes are PDF points in the stored page's own space (origin bottom-left, the
page's /Rotate not applied), like ``model.text.Word``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NumberKind(StrEnum):
    SSN = "ssn"
    ITIN = "itin"
    A_NUMBER = "a_number"  # someone else's: the client's own is never found
    MINOR_DOB = "minor_dob"
    BANK_ACCOUNT = "bank_account"
    CARD = "card"
    HAND = "hand"  # a box drawn by hand


# "2 social security numbers of other people": (one, several)
KIND_NAMES: dict[NumberKind, tuple[str, str]] = {
    NumberKind.SSN: ("social security number", "social security numbers"),
    NumberKind.ITIN: ("taxpayer identification number (ITIN)", "taxpayer identification numbers"),
    NumberKind.A_NUMBER: ("A-number", "A-numbers"),
    NumberKind.MINOR_DOB: ("date of birth of a minor", "dates of birth of minors"),
    NumberKind.BANK_ACCOUNT: ("bank account number", "bank account numbers"),
    NumberKind.CARD: ("payment card number", "payment card numbers"),
    NumberKind.HAND: ("area marked by hand", "areas marked by hand"),
}


def kind_phrase(kind: NumberKind, count: int) -> str:
    """ "2 social security numbers", "1 A-number"."""
    one, many = KIND_NAMES[kind]
    return f"{count} {one if count == 1 else many}"


class RedactionState(StrEnum):
    PROPOSED = "proposed"  # found (or drawn), waiting for the attorney's decision
    ACCEPTED = "accepted"  # will be removed by the next apply
    REJECTED = "rejected"  # stays on the page
    LISTED = "listed"  # found, the firm's setting lists this kind without proposing it
    APPLIED = "applied"  # removed from the stored page


class RedactionSource(StrEnum):
    AUTO = "auto"
    HAND = "hand"


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def normalised(self) -> Box:
        return Box(
            min(self.x0, self.x1),
            min(self.y0, self.y1),
            max(self.x0, self.x1),
            max(self.y0, self.y1),
        )

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def padded(self, pad: float) -> Box:
        return Box(self.x0 - pad, self.y0 - pad, self.x1 + pad, self.y1 + pad)

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(frozen=True)
class PageGeometry:
    """How a stored page is shown: its crop box (points, in the page's own space)
    and its /Rotate (0, 90, 180, 270: clockwise), to draw boxes on the upright page."""

    x0: float = 0.0
    y0: float = 0.0
    x1: float = 612.0
    y1: float = 792.0
    rotate: int = 0

    @property
    def shown_size(self) -> tuple[float, float]:
        w, h = self.x1 - self.x0, self.y1 - self.y0
        return (h, w) if self.rotate in (90, 270) else (w, h)

    def to_shown(self, x: float, y: float) -> tuple[float, float]:
        """A point of the page's own space -> the upright page, from its top-left."""
        r = self.rotate
        if r == 90:
            return y - self.y0, x - self.x0
        if r == 180:
            return self.x1 - x, y - self.y0
        if r == 270:
            return self.y1 - y, self.x1 - x
        return x - self.x0, self.y1 - y

    def from_shown(self, u: float, v: float) -> tuple[float, float]:
        r = self.rotate
        if r == 90:
            return v + self.x0, u + self.y0
        if r == 180:
            return self.x1 - u, v + self.y0
        if r == 270:
            return self.x1 - v, self.y1 - u
        return u + self.x0, self.y1 - v


@dataclass(frozen=True)
class FoundNumber:
    """One personal number on one page: its kind, where it is and how it is shown
    (masked except its last digits: the number itself is never stored)."""

    kind: NumberKind
    box: Box
    masked: str


@dataclass(frozen=True)
class Redaction:
    id: int
    case_id: int
    file_id: int
    exhibit_id: int
    page: int  # in the file, from 0
    exhibit_page: int  # in the exhibit as the packet shows it, from 0; -1: a deleted page
    box: Box
    kind: NumberKind
    state: RedactionState
    source: RedactionSource
    masked: str = ""

    @property
    def pending(self) -> bool:
        """Waiting for a decision (the review points at these)."""
        return self.state == RedactionState.PROPOSED


@dataclass(frozen=True)
class RedactionSettings:
    """The firm's choices: which kinds are proposed for redaction (the others are
    only listed) and whether the black box says "Redacted"."""

    proposed: frozenset[NumberKind]
    label: bool = False


@dataclass(frozen=True)
class ApplyResult:
    files: int  # files whose stored page changed
    boxes: int  # redactions applied
    glyphs: int  # characters of text removed
    pixels: int  # image pixels blacked out

"""The policy catalogue's records: frameworks and their factors, stages, PD forms,
courts and offices, document types.  Plain frozen data (the catalogue in
``pdpacket.policy`` reads them from the JSON in resources/), so the window can
name their types without reaching into the policy package.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from pdpacket.model import Polarity


@dataclass(frozen=True)
class Factor:
    id: str
    label: str
    help: str
    polarity: Polarity
    category: str = ""
    document_types: tuple[str, ...] = ()
    requires_disposition: bool = False


@dataclass(frozen=True)
class Framework:
    id: str
    name: str
    version: str
    in_force_from: str
    in_force_to: str | None
    verified_on: str
    default: bool
    description: str
    source: str
    priorities: tuple[dict[str, str], ...]
    factors: tuple[Factor, ...]

    def factor(self, factor_id: str) -> Factor | None:
        return next((f for f in self.factors if f.id == factor_id), None)

    @property
    def positive(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.polarity == Polarity.POSITIVE)

    @property
    def negative(self) -> tuple[Factor, ...]:
        return tuple(f for f in self.factors if f.polarity == Polarity.NEGATIVE)

    def in_force_on(self, day: dt.date) -> bool:
        """From ``in_force_from`` (inclusive) to ``in_force_to`` (exclusive: the day
        it was revoked; empty while still in force).  An unreadable date bounds
        nothing (the resource tests check that every date reads)."""
        start, end = _iso_day(self.in_force_from), _iso_day(self.in_force_to)
        return (start is None or start <= day) and (end is None or day < end)


def _iso_day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class PdForm:
    id: str
    label: str
    hook: str
    addressee: str
    consequences: str
    joint_motion: bool = False


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    forms: tuple[str, ...]
    court_filing: bool


@dataclass(frozen=True)
class Place:
    """A court or an OPLA field location."""

    id: str
    name: str
    city: str
    state: str
    address: str = ""
    email: str = ""
    extra: tuple[tuple[str, Any], ...] = ()
    source: str = ""  # where the address and mailbox come from ("": not verified)
    verified_on: str = ""
    edited: tuple[str, ...] = ()  # the fields the firm changed (shown "edited by the firm")

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.extra).get(key, default)


@dataclass(frozen=True)
class Destination:
    """Where a request goes (resources/destinations.json): it decides the
    packet's parts, caption, "via" line and service."""

    id: str
    label: str
    summary: str  # one line: what goes with it
    addressee: str  # "opla" | "court" | "ero"
    sent_by: str  # "email" | "eservice" | "ecas" | "paper" | "mail_or_hand"
    via: str  # the letter's "VIA ..." line ("" for none)
    caption: str  # "eoir" | "none"
    cover_title: str = ""
    cover_mark: str = ""  # "JOINT MOTION"
    appearance_form: str = ""  # "g28" | "eoir28"
    certificate_of_service: bool = False
    service_method: str = ""  # "ecas" | "mail" | "hand" when it carries one
    motion: bool = False
    proposed_order: bool = False
    dhs_signature_block: bool = False  # both parties sign (a joint motion)
    edition: str = "standard"
    source: str = ""
    verified_on: str = ""

    @property
    def court_caption(self) -> bool:
        """The EOIR caption goes on the cover only where the court is the addressee."""
        return self.caption == "eoir"

    @property
    def joint(self) -> bool:
        return self.dhs_signature_block


@dataclass(frozen=True)
class DocumentType:
    id: str
    label: str
    category: str
    keywords: tuple[str, ...]
    factor_ids: tuple[str, ...]


@dataclass(frozen=True)
class FilingDeadline:
    """The filing deadline before a hearing (``policy.deadlines``)."""

    hearing: dt.date
    days_before: int
    with_court: bool  # a filing with the court of a non-detained case: the deadline binds
    kind: str  # "a master calendar hearing", "an individual hearing" or "the hearing"

    @property
    def due(self) -> dt.date:
        return self.hearing - dt.timedelta(days=self.days_before)

    def passed(self, today: dt.date) -> bool:
        return today > self.due

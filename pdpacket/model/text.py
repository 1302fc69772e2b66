"""Text found on a stored evidence page (#15): words with their position.

Shared by OCR (``intake.ocr``), language detection, the personal-number finder
and redaction.  Coordinates are PDF points in the stored (cleaned) page's own
space: origin bottom-left, y upward, the page's /Rotate not applied.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TextSource(StrEnum):
    PDF = "pdf"  # the page's own text
    OCR = "ocr"  # recognised from the page's pixels


class OcrStatus(StrEnum):
    NOT_NEEDED = "not_needed"  # the page has text of its own
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"
    UNAVAILABLE = "unavailable"  # Tesseract is not installed


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float = 100.0  # 0-100 (OCR); 100 for the page's own text
    # the direction the text runs, degrees counter-clockwise in the page's own
    # space: 0 left to right; 90 up the page (a landscape scan turned to portrait)
    angle: int = 0


@dataclass(frozen=True)
class PageText:
    """The words of one page of one stored file (``file_id``, ``page`` from 0)."""

    file_id: int
    page: int
    source: TextSource
    words: tuple[Word, ...] = ()
    language: str = ""  # detected, e.g. "English", "Spanish"; "" when unknown
    status: OcrStatus = OcrStatus.NOT_NEEDED

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

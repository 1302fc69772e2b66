"""What an OCR run did, and a document's detected language, as the window and
the CLI show them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OcrSummary:
    done: int = 0  # pages recognised in this run
    failed: int = 0  # pages Tesseract could not read (``failures`` says which)
    pending: int = 0  # pages still waiting (cancelled, or Tesseract missing)
    unavailable: bool = False  # Tesseract is not installed: nothing was recognised
    cancelled: bool = False
    seconds: float = 0.0
    languages: tuple[str, ...] = ()  # the Tesseract languages used, e.g. ("eng", "spa")
    failures: tuple[str, ...] = ()  # "Exhibit C, page 2 (scan.pdf): why"
    message: str = ""  # one line for a status bar or stderr


@dataclass(frozen=True)
class LanguageProposal:
    """A document whose text reads as another language than its exhibit says."""

    exhibit_id: int
    file_id: int
    file_name: str
    language: str  # e.g. "Spanish"
    code: str  # e.g. "es"
    exhibit_language: str  # what the exhibit says now, e.g. "English"

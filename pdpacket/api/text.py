"""The façade's part for the text of evidence pages: OCR, words with their
place on the page, and each document's detected language."""

from __future__ import annotations

from collections.abc import Sequence

from pdpacket import undo
from pdpacket.errors import ValidationError
from pdpacket.intake import ocr as engine
from pdpacket.intake import textpages
from pdpacket.model import HistoryStep, packet_exhibits
from pdpacket.model.ocr import LanguageProposal, OcrSummary
from pdpacket.model.progress import CancelToken, Progress
from pdpacket.model.text import PageText
from pdpacket.review import text as text_review
from pdpacket.store import ocr as table
from pdpacket.store.database import Store


class TextMixin:
    """OCR and languages; mixed into ``Workspace``."""

    store: Store
    history: undo.History

    def page_text(self, file_id: int, page: int) -> PageText:
        """The words of page ``page`` (from 0) of evidence file ``file_id``, with
        boxes in PDF points of the stored page (origin bottom-left): what OCR read
        on a scan or photo, the page's own text otherwise.  ``status`` says whether
        OCR is still pending, failed or unavailable (then ``words`` is empty)."""
        return textpages.page_text(self.store, file_id, page)

    def ocr_pending(self, case_id: int) -> int:
        """How many scanned pages of the case still wait for OCR."""
        self.store.get_case(case_id)
        return len(textpages.pending_pages(self.store, case_id))

    def ocr_needs_run(self, case_id: int) -> bool:
        """Whether ``run_ocr`` has anything to do for the case, answered without
        reading any file (for the window, before it starts a background run)."""
        files = table.case_files(self.store, case_id)
        return table.needs_run(self.store, (f.pdf_sha256 for f in files))

    def run_ocr(
        self,
        case_id: int,
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        retry_failed: bool = False,
        again: bool = False,
    ) -> OcrSummary:
        """Read the text of every scanned page of the case still waiting, on every
        core (``retry_failed``: the pages that failed too; ``again``: every scanned
        page, e.g. after choosing other OCR languages).  Without Tesseract
        nothing is read and ``OcrSummary.unavailable`` says so, with how to install
        it.  Cancelling keeps the pages read so far."""
        self.store.get_case(case_id)
        letters = {e.id: letter for letter, e in packet_exhibits(self.store.list_exhibits(case_id))}
        return textpages.run(
            self.store,
            case_id,
            letters=letters,
            progress=progress,
            cancel=cancel,
            retry_failed=retry_failed,
            again=again,
        )

    def ocr_available(self) -> bool:
        return engine.tesseract_path() is not None

    def ocr_install_hint(self) -> str:
        return engine.INSTALL_HINT

    def ocr_languages(self) -> tuple[str, ...]:
        """The Tesseract languages OCR reads (a setting; English and Spanish by default)."""
        return textpages.ocr_languages(self.store)

    def installed_ocr_languages(self) -> tuple[str, ...]:
        exe = engine.tesseract_path()
        return engine.installed_languages(exe) if exe else ()

    def set_ocr_languages(self, languages: Sequence[str]) -> tuple[str, ...]:
        """Choose the Tesseract languages (codes such as "eng", "spa", "por", "fra")."""
        chosen = tuple(dict.fromkeys(lang.strip() for lang in languages if lang.strip()))
        if not chosen:
            raise ValidationError("ocr.languages", "Choose at least one OCR language.")
        installed = self.installed_ocr_languages()
        missing = [lang for lang in chosen if installed and lang not in installed]
        if missing:
            raise ValidationError(
                "ocr.languages",
                f"Tesseract has no {', '.join(missing)} language installed "
                f"(installed: {', '.join(installed)}).",
                hint="Install the language (Debian: apt install tesseract-ocr-LANG) "
                "or choose installed ones.",
            )
        self.store.set_setting(table.OCR_LANGUAGES_SETTING, list(chosen))
        return chosen

    def language_proposals(self, case_id: int) -> list[LanguageProposal]:
        """Documents whose text reads as another language than their exhibit says
        (and nobody said otherwise): propose that language."""
        return text_review.proposals(self.store, case_id)

    def use_detected_language(self, exhibit_id: int) -> HistoryStep:
        """Set the exhibit's language to the one detected in its document (undoable)."""
        ex = self.store.get_exhibit(exhibit_id)
        found = [p for p in text_review.proposals(self.store, ex.case_id) if p.exhibit_id == ex.id]
        if not found:
            raise ValidationError(
                "language", f'No other language was detected in exhibit "{ex.title}".'
            )
        step = undo.edit(self.store, [exhibit_id], "language", found[0].language)
        return self.history.record(self.store, step)

    def keep_exhibit_language(self, exhibit_id: int) -> None:
        """The attorney says the exhibit is in the language it says (the detection
        is wrong, e.g. an English letter full of Spanish names): stop proposing."""
        ex = self.store.get_exhibit(exhibit_id)
        for f in ex.files:
            table.set_language_choice(self.store, f.id, ex.language or "English")

"""OCR in the Evidence step: the background run after every import (progress and
Cancel in the step's status area), and the language detected in a document,
proposed with one click."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import CancelledError, Workspace
from pdpacket.model import Exhibit, FileRole
from pdpacket.model.ocr import LanguageProposal, OcrSummary
from pdpacket.model.progress import CancelToken

from ..context import CaseContext
from ..style import Banner
from ..workers import Job, SignalProgress

OcrOutcome = tuple[OcrSummary, list[LanguageProposal]]


def ocr_job(case_id: int, *, retry: bool = False) -> Callable[..., OcrOutcome]:
    def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> OcrOutcome:
        summary = ws.run_ocr(case_id, progress=progress, cancel=cancel, retry_failed=retry)
        return summary, ws.language_proposals(case_id)

    return work


class OcrBar(QWidget):
    """One line: what OCR is doing, its progress, Cancel, and Run OCR."""

    finished = Signal(object)  # the OcrOutcome

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.job: Job | None = None
        self.summary: OcrSummary | None = None
        self.proposals: list[LanguageProposal] = []
        self._again = False
        self._case_id = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel("")
        self.label.setObjectName("ocrStatus")
        self.label.setWordWrap(True)
        self.label.setAccessibleName("OCR status")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.bar = QProgressBar()
        self.bar.setAccessibleName("OCR progress")
        self.bar.setTextVisible(True)
        self.bar.setVisible(False)
        self.cancel = QPushButton("Cancel OCR")
        self.cancel.setAccessibleName("Cancel OCR")
        self.cancel.setVisible(False)
        self.cancel.clicked.connect(self.stop)
        self.run_button = QPushButton("Run &OCR")
        self.run_button.setAccessibleName("Run OCR on scanned pages")
        self.run_button.setToolTip("Read the text of scanned pages and photos again (Tesseract)")
        self.run_button.clicked.connect(lambda: self.start(retry=True))
        row.addWidget(self.label, 1)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel)
        row.addWidget(self.run_button)

    @property
    def running(self) -> bool:
        return self.job is not None

    def start(self, *, retry: bool = False, if_needed: bool = False) -> None:
        """Read the case's scanned pages in the background (again after the running
        job when one is running).  ``if_needed``: only when something waits (no
        background job, which would hold up a restore, for nothing)."""
        if not self.ctx.has_case:
            return
        if self.job is not None:
            self._again = True
            return
        if if_needed and not self.ctx.workspace.ocr_needs_run(self.ctx.case_id):
            self._show_ready()
            return
        self.bar.setRange(0, 0)
        self.bar.setFormat("Looking for scanned pages…")
        self.bar.setVisible(True)
        self.cancel.setVisible(True)
        self.cancel.setEnabled(True)
        self.run_button.setEnabled(False)
        self.label.setText("")
        self._case_id = self.ctx.case_id
        self.job = self.ctx.runner.submit(ocr_job(self.ctx.case_id, retry=retry), "OCR")
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)

    def _show_ready(self) -> None:
        """Nothing to read: the proposals are the case's as they stand."""
        try:
            self.proposals = self.ctx.workspace.language_proposals(self.ctx.case_id)
        except Exception as exc:  # the review shows the same; never stop the step
            self.proposals = []
            self.label.setText(f"Languages not checked: {exc}")
        self.finished.emit((OcrSummary(), self.proposals))

    def stop(self) -> None:
        if self.job is not None:
            self._again = False
            self.job.cancel()
            self.cancel.setEnabled(False)
            self.bar.setFormat("Cancelling OCR…")

    def _progress(self, done: int, total: int, message: str) -> None:
        self.bar.setRange(0, max(1, total))
        self.bar.setValue(done)
        self.bar.setFormat(f"OCR: {done} of {total} pages")
        self.bar.setToolTip(message)

    def _idle(self) -> None:
        self.job = None
        self.bar.setVisible(False)
        self.cancel.setVisible(False)
        self.run_button.setEnabled(True)

    def _done(self, outcome: OcrOutcome) -> None:
        self._idle()
        if not self.ctx.has_case or self.ctx.case_id != self._case_id:  # another case now
            self._again = False
            self.start()
            return
        summary, proposals = outcome
        self.summary, self.proposals = summary, proposals
        if summary.unavailable:
            text = (
                f"Tesseract (OCR) is not installed: {summary.pending} scanned page(s) get no "
                f"searchable text. Everything else works. {self.ctx.workspace.ocr_install_hint()}"
            )
        elif summary.cancelled:
            text = f"OCR cancelled: {summary.done} page(s) read, {summary.pending} still waiting."
        elif summary.done or summary.failed:
            text = summary.message
            if summary.failures:
                text += " Failed: " + "; ".join(summary.failures[:3])
        else:
            text = ""
        self.label.setText(text)
        self.label.setToolTip(text)
        self.finished.emit(outcome)
        if self._again:
            self._again = False
            self.start()

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        if isinstance(exc, CancelledError):
            self.label.setText("OCR cancelled.")
            return
        self.label.setText(f"OCR stopped: {exc}")
        self.ctx.fail(exc, action="reading scanned pages")


class LanguageBanner(Banner):
    """'Exhibit C reads as Spanish' with Use Spanish / Keep English."""

    changed = Signal(object)  # the proposal decided on

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__("warning", "", parent)
        self.setObjectName("languageProposal")
        self.ctx = ctx
        self.proposal: LanguageProposal | None = None
        self.use = QPushButton("Use it")
        self.use.setObjectName("useDetectedLanguage")
        self.use.clicked.connect(self.use_detected)
        self.keep = QPushButton("Keep")
        self.keep.setObjectName("keepExhibitLanguage")
        self.keep.clicked.connect(self.keep_language)
        lay = self.layout()
        assert lay is not None
        lay.addWidget(self.use)
        lay.addWidget(self.keep)

    def show_proposal(self, proposal: LanguageProposal | None, title: str = "") -> None:
        self.proposal = proposal
        if proposal is None:
            self.set_text("")
            return
        self.set_text(
            f'"{title or proposal.file_name}" reads as {proposal.language} (detected in '
            f"{proposal.file_name}); the exhibit says {proposal.exhibit_language}. "
            "A document in another language needs an English translation."
        )
        self.use.setText(f"Use {proposal.language}")
        self.use.setAccessibleName(f"Set the exhibit's language to {proposal.language}")
        self.keep.setText(f"Keep {proposal.exhibit_language}")
        self.keep.setAccessibleName(f"The exhibit is in {proposal.exhibit_language}")

    def use_detected(self) -> None:
        p = self.proposal
        if p is None:
            return
        ws = self.ctx.workspace
        if self.ctx.history.run(
            "setting the detected language", lambda: ws.use_detected_language(p.exhibit_id)
        ):
            self.ctx.say(f"The exhibit's language is now {p.language}.")
            self.show_proposal(None)
            self.changed.emit(p)

    def keep_language(self) -> None:
        p = self.proposal
        if p is None:
            return
        try:
            self.ctx.workspace.keep_exhibit_language(p.exhibit_id)
        except Exception as exc:
            self.ctx.fail(exc, action="keeping the exhibit's language")
            return
        self.ctx.say(f"Kept {p.exhibit_language}; the detected language is no longer proposed.")
        self.show_proposal(None)
        self.changed.emit(p)


class OcrPanel(QWidget):
    """The Evidence step's OCR line and language proposal, one under the other."""

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.bar = OcrBar(ctx)
        self.banner = LanguageBanner(ctx)
        self.banner.changed.connect(self._decided)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.bar)
        col.addWidget(self.banner)

    def detected(self) -> dict[int, str]:
        """The language detected in each exhibit that reads as another one."""
        return {p.exhibit_id: p.language for p in self.bar.proposals}

    def translation_flag(self, ex: Exhibit) -> str:
        """What an exhibit's row says about its translation ("" when nothing)."""
        if ex.files_with_role(FileRole.TRANSLATION):
            return ""
        if ex.needs_translation:
            return " · needs translation"
        language = self.detected().get(ex.id, "")
        if language and ex.language in ("", "English"):
            return f" · reads as {language}: needs translation"
        return ""

    def show_language(self, exhibits: list[Exhibit], selected_id: int) -> None:
        """The detected language still to decide on: the shown exhibit's first."""
        now = {e.id: e for e in exhibits}
        live = [
            p
            for p in self.bar.proposals
            if p.exhibit_id in now and now[p.exhibit_id].language == p.exhibit_language
        ]
        live.sort(key=lambda p: p.exhibit_id != selected_id)
        first = live[0] if live else None
        self.banner.show_proposal(first, now[first.exhibit_id].title if first else "")

    def focus_for(self, code: str) -> QWidget | None:
        """Where a review finding about OCR or a detected language is fixed."""
        if code.startswith("ocr."):
            return self.bar.run_button
        if code == "exhibit.untranslated_detected" and self.banner.proposal:
            return self.banner.use
        return None

    def _decided(self, proposal: object) -> None:
        self.bar.proposals = [p for p in self.bar.proposals if p is not proposal]
        self.ctx.exhibitsChanged.emit()

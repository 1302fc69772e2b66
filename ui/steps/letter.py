"""Step 6: the request letter.  Generate a draft from the case, edit it in a
small markup, cite exhibits as chips that always show the exhibits' current
letters, refresh the draft from changed answers without losing edits (parts
both sides changed are compared side by side), preview and export the PDF.

The editor is in ``letter_editor``, the citing and conflicts panels in
``letter_panels``; this module is the step that ties them to the case.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import (
    QStandardPaths,
    Qt,
    QTimer,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import LetterExport, LetterImport, Workspace, factor_heading
from pdpacket.errors import PdpacketError
from pdpacket.model import DocumentRole, Letter, LetterConflict, markup
from pdpacket.model.progress import CancelToken

from ..context import CaseContext
from ..flow import FlowLayout
from ..preview import load_pdf
from ..signatures import SignaturesPanel
from ..style import GREY, Banner, EmptyState, State, hint
from ..workers import Job, SignalProgress
from .base import Step, StepStatus
from .build import safe_filename
from .letter_editor import LetterEditor, chip_text, cite_infos, cite_token, document_markup
from .letter_panels import CitePanel, ConflictCard, ConflictsPanel, apply_draft

AUTOSAVE_MS = 800
PREVIEW_MS = 1000


def pick_letter_path(parent: QWidget | None, suggested: str) -> str:
    """Where to export the letter (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export the letter as", suggested, "PDF (*.pdf)")
    if path and not path.lower().endswith(".pdf"):
        path += ".pdf"
    return str(path)


def pick_word_path(parent: QWidget | None, suggested: str) -> str:
    """Where to write the letter as a Word file (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export the letter as Word", suggested, "Word document (*.docx)"
    )
    if path and not path.lower().endswith(".docx"):
        path += ".docx"
    return str(path)


def pick_own_letter(parent: QWidget | None) -> str:
    """The attorney's own letter to use (tests replace this function)."""
    path, _ = QFileDialog.getOpenFileName(
        parent,
        "Use my own letter",
        "",
        "Letters (*.docx *.pdf *.txt *.md);;Word document (*.docx);;PDF (*.pdf)",
    )
    return str(path)


def confirm_own_letter(parent: QWidget | None, name: str, pdf: bool) -> bool:
    """Ask before the letter is replaced (tests replace this function)."""
    from ..dialogs import confirm

    if pdf:
        text = (
            f"The packet will carry {name} as the letter, exactly as it is. Its citations are "
            "checked against the exhibits in the review, but they will not follow the exhibits "
            "if they are re-lettered. The letter you edit here is kept."
        )
    else:
        text = (
            f"{name} becomes the letter you edit here. Citations written in it that match an "
            "exhibit (\u201cExh. F at 22\u201d, \u201cExhibit F, p. 3\u201d) become citations. "
            "Your current letter is kept: \u201cPut previous letter back\u201d restores it."
        )
    return confirm(parent, "Use my own letter", text, "Use it")


# ---- the step -----------------------------------------------------------------------------
class LetterStep(Step):
    key = "letter"
    title = "Letter"
    intro = (
        "The request letter. Generate a draft from the case, then make it yours: replace "
        "each [[…]] with the client's story in your words. Citations are chips that "
        "follow the exhibit letters. Saved as you type."
    )
    scrolls = False

    # stays long: lays out the step (toolbar, editor, side panels) in reading order
    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.letter: Letter | None = None
        self._stored = ""
        self._loading = False
        self._decided: set[int] = set()
        self.preview_job: Job | None = None
        self.export_job: Job | None = None
        self._preview_again = False
        self.preview_pdf = b""
        self._preview_doc: tuple[QPdfDocument, object] | None = None
        col = QVBoxLayout(self.body)
        self.margins(col)

        # --- toolbar ---
        bar = FlowLayout()  # wraps in a narrow window
        self.refresh_button = QPushButton("&Generate draft")
        self.refresh_button.setObjectName("refreshLetter")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.refresh_button)
        self.format_buttons: dict[str, QToolButton] = {}
        for key, text, tip, slot in (
            ("bold", "B", "Bold (Ctrl+B in the letter): **text**", lambda: self._wrap("**")),
            ("italic", "I", "Italics (Ctrl+I in the letter): *text*", lambda: self._wrap("*")),
            ("heading", "H", "Heading: # or ## at the start of the line", "heading"),
            ("bullet", "•", "Bulleted list: - at the start of each line", "bullet"),
            ("number", "1.", "Numbered list: 1. at the start of each line", "number"),
        ):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setAccessibleName(tip.split(":")[0].split(" (")[0])
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the editor's cursor and selection
            if key == "bold":
                f = b.font()
                f.setBold(True)
                b.setFont(f)
            elif key == "italic":
                f = b.font()
                f.setItalic(True)
                b.setFont(f)
            if isinstance(slot, str):
                b.clicked.connect(lambda _=False, k=slot: self._prefix(k))
            else:
                b.clicked.connect(slot)
            self.format_buttons[key] = b
            bar.addWidget(b)
        bar.add_stretch()
        self.save_state = QLabel()
        self.save_state.setObjectName("letterSaveState")
        self.save_state.setStyleSheet(f"color: {GREY};")
        bar.addWidget(self.save_state)
        self.export_button = QPushButton("&Export PDF…")
        self.export_button.setToolTip("Save the letter alone as a PDF")
        self.export_button.clicked.connect(self.export_pdf)
        bar.addWidget(self.export_button)
        self.word_button = QPushButton("Export as &Word…")
        self.word_button.setObjectName("exportWord")
        self.word_button.setToolTip(
            "Save the letter as a Word document (.docx), citations written out as in the packet"
        )
        self.word_button.clicked.connect(self.export_word)
        bar.addWidget(self.word_button)
        self.own_button = QPushButton("&Use my own letter…")
        self.own_button.setObjectName("ownLetter")
        self.own_button.setToolTip(
            "Bring in a letter written in Word (.docx, its citations linked to the exhibits) "
            "or a finished PDF (carried as it is)"
        )
        self.own_button.clicked.connect(self.use_own_letter)
        bar.addWidget(self.own_button)
        self.previous_button = QPushButton("Put previous letter back")
        self.previous_button.setObjectName("previousLetter")
        self.previous_button.clicked.connect(self.restore_previous)
        self.previous_button.setVisible(False)
        bar.addWidget(self.previous_button)
        col.addLayout(bar)

        self.notice = Banner("info")
        self.notice.setObjectName("letterNotice")
        col.addWidget(self.notice)
        self.stale = Banner("warning")
        self.stale.setObjectName("letterStale")
        col.addWidget(self.stale)
        self.uploaded = Banner("info")
        self.uploaded.setObjectName("letterUploaded")
        col.addWidget(self.uploaded)

        # --- editor | cite & preview ---
        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "No letter yet",
            "Generate a draft from the case: addressee, Re: line, the form of discretion and "
            "its legal basis, the facts, one section per factor with its exhibits, the "
            "negative factors and the conclusion. Then make it yours.",
        )
        self.empty_button = QPushButton("&Generate draft")
        self.empty_button.clicked.connect(self.refresh)
        self.empty.add_button(self.empty_button)
        self.stack.addWidget(self.empty)

        self.split = QSplitter()
        self.split.setChildrenCollapsible(False)
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        self.left = left
        self.conflicts = ConflictsPanel()
        self.conflicts.chosen.connect(self._conflict_chosen)
        self.conflicts.keepAll.connect(self.keep_all_mine)
        self.conflicts.setVisible(False)
        self.editor = LetterEditor()
        self.editor.textChanged.connect(self._edited)
        left.addWidget(self.conflicts)
        left.addWidget(self.editor)
        left.setStretchFactor(1, 1)
        self.split.addWidget(left)

        self.side = QTabWidget()
        self.side.setObjectName("letterSide")
        self.side.setUsesScrollButtons(False)  # narrow: the tab names shorten, all in view
        self.side.setElideMode(Qt.TextElideMode.ElideRight)
        self.cite_panel = CitePanel()
        self.cite_panel.citeRequested.connect(self.insert_citation)
        self.side.addTab(self.cite_panel, "&Cite exhibits")
        preview = QWidget()
        pl = QVBoxLayout(preview)
        pl.setContentsMargins(0, 0, 0, 0)
        self.preview_state = hint("")
        self.preview_state.setContentsMargins(6, 4, 6, 0)
        pl.addWidget(self.preview_state)
        self._blank = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setObjectName("letterPreview")
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        pl.addWidget(self.pdf_view, 1)
        self.side.addTab(preview, "Pre&view")
        self.signatures = SignaturesPanel(ctx)
        self.side.addTab(self.signatures, "Signa&tures")
        self.side.currentChanged.connect(self._side_changed)
        self.split.addWidget(self.side)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        cw = self.fontMetrics().averageCharWidth()
        self.split.setSizes([cw * 70, cw * 40])
        self.stack.addWidget(self.split)
        col.addWidget(self.stack, 1)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(AUTOSAVE_MS)
        self._save_timer.timeout.connect(self.commit)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        ctx.exhibitsChanged.connect(self._exhibits_changed)
        ctx.caseChanged.connect(self._case_changed)
        ctx.settingsChanged.connect(self._case_changed)
        ctx.buildsChanged.connect(self._schedule_preview)

    # ---- loading ------------------------------------------------------------------------
    def load(self) -> None:
        self._save_timer.stop()
        self._decided = set()
        self.notice.set_text("")
        self.preview_pdf = b""
        self._preview_doc = None
        self.pdf_view.setDocument(self._blank)
        self.preview_state.setText("")
        try:
            self.letter = self.ctx.workspace.letter(self.ctx.case_id)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="reading the letter")
            self.letter = None
        self._show_exhibits()
        self._loading = True
        try:
            self.editor.set_markup(self.letter.text if self.letter else "")
        finally:
            self._loading = False
        self._stored = self.editor.markup()
        self.show_conflicts(self.letter.conflicts if self.letter else ())
        self._update_view()
        self._schedule_preview()

    def _show_exhibits(self) -> None:
        exhibits = self.ctx.exhibits()
        self.editor.refresh_chips(cite_infos(exhibits))
        self.cite_panel.set_exhibits(exhibits)

    def _update_view(self) -> None:
        has = self.letter is not None
        self.stack.setCurrentWidget(self.split if has else self.empty)
        self.refresh_button.setText("&Refresh from answers" if has else "&Generate draft")
        self.refresh_button.setToolTip(
            "Bring changes of the case (answers, exhibits, proceedings) into the letter; "
            "your edits are kept"
            if has
            else "Draft the letter from the case"
        )
        for w in (
            *self.format_buttons.values(),
            self.export_button,
            self.word_button,
            self.save_state,
        ):
            w.setVisible(has)
        previous = (
            self.ctx.workspace.previous_letter(self.ctx.case_id) if self.ctx.has_case else None
        )
        self.previous_button.setVisible(previous is not None)
        if previous is not None:
            self.previous_button.setToolTip(f"Undo the use of {previous} as the letter")
        self.refresh_button.setVisible(has)
        self._update_save_state()
        self._check_stale()
        self._check_uploaded()

    def _check_stale(self) -> None:
        letter = self.letter
        text = ""
        if letter is not None and letter.generated_from_hash:
            try:
                draft = self.ctx.workspace.draft_letter(self.ctx.case_id)
            except PdpacketError:
                draft = ""
            if draft and markup.text_hash(draft) != letter.generated_from_hash:
                text = (
                    "The case changed since this draft was generated. Refresh from answers "
                    "to bring the changes in; your edits are kept."
                )
        self.stale.set_text(text)

    def _check_uploaded(self) -> None:
        docs = self.ctx.workspace.case_documents(self.ctx.case_id) if self.ctx.has_case else []
        up = next((d for d in docs if d.role == DocumentRole.LETTER), None)
        self.uploaded.set_text(
            f"An uploaded letter ({up.original_name}) goes into the packet instead of this one."
            if up
            else ""
        )

    def _exhibits_changed(self) -> None:
        if not self.ctx.has_case:
            return
        self._follow_stored_letter()
        self._show_exhibits()
        self._case_changed()

    def _follow_stored_letter(self) -> None:
        """The page tools point citations at moved pages in the stored letter: show
        that text, so a later save does not put the old pages back (the editor
        holds nothing unsaved here: leaving this step saved it)."""
        if self.letter is None or self._save_timer.isActive():
            return
        stored = self.ctx.workspace.letter(self.ctx.case_id)
        if stored is None or stored.text == self._stored or self.editor.markup() != self._stored:
            return
        self.letter = stored
        self._loading = True
        try:
            self.editor.set_markup(stored.text)
        finally:
            self._loading = False
        self._stored = self.editor.markup()

    def _case_changed(self) -> None:
        if self.ctx.has_case and self.letter is not None:
            self._check_stale()
            self._schedule_preview()

    # ---- editing and saving ----------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading or self.letter is None:
            return
        self._save_timer.start()
        self._update_save_state()

    def _update_save_state(self) -> None:
        dirty = self._save_timer.isActive()
        self.save_state.setText("Saving…" if dirty else "All changes saved")

    def commit(self) -> bool:
        """Store the editor's text if it changed; True when nothing is pending."""
        self._save_timer.stop()
        if self.letter is None or not self.ctx.has_case:
            return True
        text = self.editor.markup()
        if text == self._stored:
            self._update_save_state()
            return True
        try:
            self.letter = self.ctx.workspace.save_letter(self.ctx.case_id, text)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="saving the letter")
            return False
        self._stored = text
        self._update_save_state()
        self.ctx.letterChanged.emit()
        self.statusChanged.emit()
        self._schedule_preview()
        return True

    def flush(self) -> bool:
        return self.commit() and super().flush()

    def _wrap(self, marker: str) -> None:
        self.editor.toggle_wrap(marker)
        self.editor.setFocus()

    def _prefix(self, kind: str) -> None:
        self.editor.toggle_prefix(kind)
        self.editor.setFocus()

    def insert_citation(self, token: str) -> None:
        if self.letter is None:
            return
        self.editor.insert_token(token)
        self.editor.setFocus()

    # ---- refreshing from the case ---------------------------------------------------------------
    def refresh(self) -> None:
        """Generate the draft, or merge the case's changes into the edited letter."""
        if not self.ctx.has_case:
            return
        if not self.commit():
            return
        window_flush = getattr(self.ctx.window, "flush_steps", None)
        if callable(window_flush):
            window_flush()  # answers still being typed on other steps
        try:
            update = self.ctx.workspace.refresh_letter(self.ctx.case_id)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="drafting the letter")
            return
        self.letter = update.letter
        self._loading = True
        try:
            if update.created:
                self.editor.set_markup(update.letter.text)
            elif update.letter.text != self.editor.markup():
                self.editor.set_markup(update.letter.text, undoable=True)
        finally:
            self._loading = False
        self._stored = self.editor.markup()
        self._decided = set()
        self.show_conflicts(update.letter.conflicts)
        n = len(update.conflicts)
        if update.created:
            text = (
                "Draft generated from the case. Now make it yours: replace each [[…]] "
                "(highlighted) with your own words, and check every sentence."
            )
        elif not update.draft_changed:
            text = "The letter is up to date with the case: nothing to bring in."
        elif n:
            text = ""  # the comparison above says it
        else:
            text = "The case's changes were merged into your letter; your edits were kept."
        self.notice.set_text(text, "info")
        self._update_view()
        self.ctx.letterChanged.emit()
        self.statusChanged.emit()
        self._schedule_preview()
        self.editor.setFocus()

    def show_conflicts(self, conflicts: Sequence[LetterConflict]) -> None:
        self.conflicts.show_conflicts(conflicts)
        if conflicts:  # room for the first comparison, buttons included
            total = max(1, sum(self.left.sizes()) or self.left.height())
            first = self.conflicts.cards[0]
            first.resize(self.left.width(), first.height())
            card = first.heightForWidth(max(1, self.left.width() - 24))
            card = card if card > 0 else first.sizeHint().height()
            want = card + self.conflicts.banner.sizeHint().height() + 24
            top = min(want, total * 3 // 5)
            self.left.setSizes([top, max(1, total - top)])

    def _conflict_chosen(self, card: ConflictCard, use_draft: bool) -> None:
        conflict = card.conflict
        if use_draft:
            new = apply_draft(self.editor.markup(), conflict)
            if new is None:
                self.notice.set_text(
                    "That part of your letter changed since the comparison, so the draft's "
                    "text could not be put in its place. Copy it from the right-hand box by "
                    "hand, then choose Keep mine.",
                    "warning",
                )
                return
            self.editor.set_markup(new, undoable=True)
        if not self.commit():
            return
        self.conflicts.remove(card)
        section = conflict.section
        if all(c.conflict.section != section for c in self.conflicts.cards):
            try:
                self.letter = self.ctx.workspace.resolve_letter_conflicts(
                    self.ctx.case_id, [section]
                )
            except PdpacketError as exc:
                self.ctx.fail(exc, action="resolving the letter's differences")
                return
            self.ctx.letterChanged.emit()
            self.statusChanged.emit()

    def keep_all_mine(self) -> None:
        if not self.commit():
            return
        try:
            self.letter = self.ctx.workspace.resolve_letter_conflicts(self.ctx.case_id)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="resolving the letter's differences")
            return
        self.conflicts.show_conflicts(())
        self.ctx.letterChanged.emit()
        self.statusChanged.emit()

    # ---- preview and export ----------------------------------------------------------------------
    def _side_changed(self, index: int) -> None:
        if index == 1:
            self._widen_preview()
            self._schedule_preview(now=True)

    def _widen_preview(self) -> None:
        """A page fitted to a narrow side panel is too small to read: the preview
        takes at least half of the room, and the editor gets it back with Cite."""
        sizes = self.split.sizes()
        total = sum(sizes)
        if len(sizes) == 2 and total > 0 and sizes[1] < total // 2:
            self.split.setSizes([total - total // 2, total // 2])

    def _schedule_preview(self, now: bool = False) -> None:
        if self.letter is None or not self.ctx.has_case or self.side.currentIndex() != 1:
            return
        if now and not self.preview_pdf:
            self.update_preview()
        else:
            self._preview_timer.start()

    def update_preview(self) -> None:
        """Render the saved letter to a PDF in a worker and show it."""
        self._preview_timer.stop()
        if self.letter is None or not self.ctx.has_case:
            return
        if self.preview_job is not None:
            self._preview_again = True
            return
        if not self.commit():
            return
        case_id = self.ctx.case_id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> bytes:
            with tempfile.TemporaryDirectory(prefix="pdpacket-letter-") as tmp:
                out = Path(tmp) / "letter.pdf"
                ws.export_letter(case_id, out)
                return out.read_bytes()

        self.preview_state.setText("Rendering the preview…")
        self.preview_job = self.ctx.runner.submit(work, "letter preview")
        self.preview_job.succeeded.connect(lambda data, c=case_id: self._previewed(c, data))
        self.preview_job.failed.connect(self._preview_failed)

    def _preview_done(self) -> None:
        self.preview_job = None
        if self._preview_again:
            self._preview_again = False
            self.update_preview()

    def _previewed(self, case_id: int, data: bytes) -> None:
        if case_id == self.ctx.case_id:
            self.preview_pdf = data
            doc, buf = load_pdf(data)
            self.pdf_view.setDocument(doc)
            self._preview_doc = (doc, buf)  # the buffer lives as long as the document
            n = doc.pageCount()
            self.preview_state.setText(
                f"{n} page{'s' if n != 1 else ''}, as printed. Citations show page numbers "
                "once the packet is built."
            )
        self._preview_done()

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview_state.setText(f"No preview: {exc}")
        self._preview_done()

    def default_export_path(self) -> str:
        case = self.ctx.case()
        folder = self.ctx.workspace.setting("packet_folder", "") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name = safe_filename(f"{case.client.name} PD request letter") + ".pdf"
        return str(Path(folder or Path.home()) / name)

    def export_pdf(self) -> None:
        if self.letter is None or self.export_job is not None:
            return
        if not self.commit():
            return
        path = pick_letter_path(self, self.default_export_path())
        if not path:
            return
        case_id = self.ctx.case_id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> object:
            return ws.export_letter(case_id, path)

        self.export_button.setEnabled(False)
        self.export_job = self.ctx.runner.submit(work, "export letter")
        self.export_job.succeeded.connect(self._exported)
        self.export_job.failed.connect(self._export_failed)

    def _exported(self, result: LetterExport) -> None:
        self.export_job = None
        self.export_button.setEnabled(True)
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        how = (
            "Citations carry the packet's page numbers."
            if result.with_pages
            else "Citations name the exhibits' letters; build the packet to add page numbers."
        )
        self.notice.set_text(f"Letter exported ({pages}): {result.path}\n{how}", "ok")
        self.ctx.say(f"Letter exported to {Path(result.path).name}.")

    def _export_failed(self, exc: BaseException) -> None:
        self.export_job = None
        self.export_button.setEnabled(True)
        self.ctx.fail(exc, action="exporting the letter")

    def export_word(self) -> None:
        if self.letter is None or self.export_job is not None:
            return
        if not self.commit():
            return
        path = pick_word_path(self, str(Path(self.default_export_path()).with_suffix(".docx")))
        if not path:
            return
        case_id = self.ctx.case_id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> object:
            return ws.export_letter_word(case_id, path)

        self.word_button.setEnabled(False)
        self.export_job = self.ctx.runner.submit(work, "export letter as Word")
        self.export_job.succeeded.connect(self._exported_word)
        self.export_job.failed.connect(self._export_failed)

    def _exported_word(self, result: LetterExport) -> None:
        self.export_job = None
        self.word_button.setEnabled(True)
        how = (
            "Citations carry the packet's page numbers."
            if result.with_pages
            else "Citations name the exhibits' letters; build the packet to add page numbers."
        )
        self.notice.set_text(f"Letter saved as a Word document: {result.path}\n{how}", "ok")
        self.ctx.say(f"Letter exported to {Path(result.path).name}.")

    def use_own_letter(self) -> None:
        """Make an attorney's own .docx (or .pdf) letter the case's letter."""
        if not self.ctx.has_case or self.export_job is not None or not self.commit():
            return
        path = pick_own_letter(self)
        if not path:
            return
        if not confirm_own_letter(self, Path(path).name, path.lower().endswith(".pdf")):
            return
        case_id = self.ctx.case_id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> object:
            return ws.import_letter(case_id, path)

        self.own_button.setEnabled(False)
        self.export_job = self.ctx.runner.submit(work, "use my own letter")
        self.export_job.succeeded.connect(lambda r, c=case_id: self._own_letter_used(c, r))
        self.export_job.failed.connect(self._own_letter_failed)

    def _own_letter_used(self, case_id: int, result: LetterImport) -> None:
        self.export_job = None
        self.own_button.setEnabled(True)
        if case_id == self.ctx.case_id:
            self.load()
        self.ctx.letterChanged.emit()
        self.statusChanged.emit()
        name = Path(result.path).name
        if result.kind == "pdf":
            text = f"{name} is the letter the packet carries, as it is."
            if not result.readable:
                text += " It has no text to read (a scan?): check its citations by hand."
        else:
            text = f"{name} is the letter now: {result.citations} citation(s) linked to exhibits."
        if result.replaced_upload:
            text += " The letter uploaded as a PDF was taken out of the packet."
        kind = "ok"
        if result.unmatched:
            kind = "warning"
            listed = "; ".join(f"\u201c{u.text}\u201d ({u.problem})" for u in result.unmatched[:5])
            more = len(result.unmatched) - 5
            text += f"\nNot matched to an exhibit: {listed}" + (
                f" and {more} more" if more > 0 else ""
            )
        self.notice.set_text(text, kind)
        self.ctx.say(f"{name} is the case's letter.")

    def _own_letter_failed(self, exc: BaseException) -> None:
        self.export_job = None
        self.own_button.setEnabled(True)
        self.ctx.fail(exc, action="reading your letter")

    def restore_previous(self) -> None:
        if not self.ctx.has_case:
            return
        try:
            done = self.ctx.workspace.restore_previous_letter(self.ctx.case_id)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="restoring the previous letter")
            return
        self.load()
        self.ctx.letterChanged.emit()
        self.statusChanged.emit()
        if done:
            self.notice.set_text("The previous letter is back.", "ok")

    # ---- the review's jumps ------------------------------------------------------------------------
    def select_object(self, object_id: str, code: str = "") -> bool:
        """Show what a review finding is about: a citation of an exhibit, a
        factor's section, or the first [[…]] still to write."""
        if self.letter is None:
            return False
        done = False
        if code == "letter.unmatched_cite" and object_id:
            done = self.editor.select_pattern(re.escape(object_id))
        elif object_id.isdigit():
            done = self.editor.select_citation(int(object_id))
        elif object_id:
            title = factor_heading(object_id)
            if title:
                done = self.editor.select_pattern(r"^#{1,3}\s+" + re.escape(title))
        if not done and code in ("letter.placeholder", "letter.untouched", ""):
            done = self.editor.select_pattern(r"\[\[.+?\]\]")
        if not done and code == "letter.unknown_token":
            done = self.editor.select_pattern(r"\{\{.*?\}\}")
        if done:
            self.center_selection()
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return done

    def center_selection(self) -> None:
        """Put the selected text a third of the way down the editor, where the eye
        lands, instead of on the last line the scroll happened to reach."""
        bar = self.editor.verticalScrollBar()
        y = self.editor.cursorRect().top() + bar.value()
        bar.setValue(max(0, min(bar.maximum(), y - self.editor.viewport().height() // 3)))

    # ---- status ------------------------------------------------------------------------------------
    def first_focus(self) -> QWidget | None:
        return self.editor if self.letter is not None else self.empty_button

    def status(self) -> StepStatus:
        if not self.ctx.has_case:
            return StepStatus(State.EMPTY, "")
        letter = (
            self.letter if self.letter is not None else self.ctx.workspace.letter(self.ctx.case_id)
        )
        if letter is None or not letter.text.strip():
            return StepStatus(State.EMPTY, "No letter yet", "Generate the draft from the case.")
        if letter.conflicts:
            n = len(letter.conflicts)
            return StepStatus(
                State.WARNING,
                f"{n} part{'s' if n != 1 else ''} to compare",
                "Parts you edited also changed in the refreshed draft: compare them.",
            )
        if letter.untouched:
            return StepStatus(
                State.PARTIAL,
                "Untouched draft",
                "Make the draft yours: write the client's story and check every sentence.",
            )
        todo = markup.placeholders(letter.text)
        if todo:
            return StepStatus(
                State.PARTIAL,
                f"{len(todo)} [[…]] to write",
                f"Still to write: {todo[0][:80]}",
            )
        n = len(markup.citations(letter.text))
        return StepStatus(State.DONE, f"Edited, {n} citation{'s' if n != 1 else ''}")


__all__ = ["LetterEditor", "LetterStep", "chip_text", "cite_token", "document_markup"]

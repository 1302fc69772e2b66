"""Step 4: evidence.  Drop files or folders anywhere on the step (or Add…);
each file becomes an exhibit with a title guessed from its name.  Edit what
each one is, see its pages, pair a translation with a foreign document."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import Workspace, catalogue
from pdpacket.errors import (
    CancelledError,
    PasswordRequiredError,
    ValidationError,
    WrongPasswordError,
)
from pdpacket.model import Exhibit, FileRole, ImportResult, Translator
from pdpacket.model.identifiers import parse_date
from pdpacket.model.progress import CancelToken

from .. import dialogs
from ..attachment_offer import AttachmentOffer
from ..case_list import TwoLineDelegate
from ..context import CaseContext
from ..fields import Check, TextField, message_label
from ..models import DETAIL_ROLE, packet_letters
from ..pages_view import PageEditor
from ..style import Banner, EmptyState, State, hint, state_icon
from ..workers import Job, JobFunction, SignalProgress
from .base import Step, StepStatus, field_box
from .client import LANGUAGES, check_date
from .file_confirm import ConfirmFilesBox, GuessBox, mark_guesses
from .ocr_panel import OcrPanel

ROLE_NAMES = {
    FileRole.DOCUMENT: "document",
    FileRole.TRANSLATION: "English translation",
    FileRole.CERTIFICATE: "translator's certificate",
}
SECTIONS = (
    "Identity",
    "Family ties",
    "Residence",
    "Employment and taxes",
    "Community ties",
    "Medical and humanitarian",
    "Pending petitions",
    "Criminal history",
    "Country conditions",
)


@dataclass(frozen=True)
class FileOutcome:
    """One file of an import, and whether it needs a password ("required"/"wrong")."""

    result: ImportResult
    password: str = ""


def probe_password(ws: Workspace, path: str, password: str | None) -> str:
    """Why a refused PDF was refused, when the reason is its password."""
    try:
        stored = ws.store_file(path, password=password)
    except PasswordRequiredError:
        return "required"
    except WrongPasswordError:
        return "wrong"
    except Exception:
        return ""
    ws.discard_blobs(stored.new_blobs)
    return ""


def import_files(case_id: int, paths: Sequence[str], passwords: dict[str, str]) -> JobFunction:
    """The worker function of an import (runs off the UI thread)."""

    def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> list[FileOutcome]:
        results = ws.add_evidence(
            case_id, list(paths), passwords=passwords, progress=progress, cancel=cancel
        )
        out = []
        for r in results:
            need = ""
            if r.status == "refused" and r.path.lower().endswith(".pdf") and not cancel.cancelled:
                need = probe_password(ws, r.path, passwords.get(r.path))
            out.append(FileOutcome(r, need))
        return out

    return work


def local_paths(mime: object) -> list[str]:
    from PySide6.QtCore import QMimeData

    if not isinstance(mime, QMimeData) or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class ExhibitEditor(QWidget):
    """What one exhibit is: title, date, description, type, factors, language,
    section; and, for a foreign document, its translation and translator."""

    # stays long: lays out the exhibit's fields in the order the user fills them in
    def __init__(self, step: EvidenceStep) -> None:
        super().__init__()
        self.step = step
        self.ctx = step.ctx
        self.exhibit: Exhibit | None = None
        self._loading = False
        layout = QVBoxLayout(self)
        m = self.fontMetrics().height() // 2
        layout.setContentsMargins(m, m, m, m)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)

        self.title = QLineEdit()
        self.title.setAccessibleName("Exhibit title")
        self.title_msg = message_label()
        self.title_field = step.track(
            TextField(
                self.title,
                save=lambda t: self._edit("title", t.strip()),
                validate=lambda t: (
                    Check("neutral") if t.strip() else Check("error", "An exhibit needs a title.")
                ),
                message=self.title_msg,
            )
        )
        form.addRow(self._label("&Title", self.title), field_box(self.title, self.title_msg))

        self.date = QLineEdit()
        self.date.setAccessibleName("Document date")
        self.date.setPlaceholderText("YYYY-MM-DD or MM/DD/YYYY")
        self.date_msg = message_label()
        self.date_field = step.track(
            TextField(
                self.date,
                save=lambda t: self._edit("doc_date", parse_date(t.strip(), "document date")),
                validate=lambda t: check_date(t, "document date", "past"),
                message=self.date_msg,
                debounce_ms=None,
            )
        )
        # a document that spans a period (bank statements 2016-2025): its last date
        self.date_end = QLineEdit()
        self.date_end.setAccessibleName("Document end date")
        self.date_end.setPlaceholderText("to (optional)")
        self.date_end.setToolTip(
            "For a document that covers a period (statements, school records): its last date. "
            "The index then shows the range, e.g. 2016–2025."
        )
        self.date_end_msg = message_label()
        self.date_end_field = step.track(
            TextField(
                self.date_end,
                save=lambda t: self._edit(
                    "doc_date_end", parse_date(t.strip(), "document end date")
                ),
                validate=self._check_end_date,
                message=self.date_end_msg,
                debounce_ms=None,
            )
        )
        dates = QWidget()
        dates_row = QHBoxLayout(dates)
        dates_row.setContentsMargins(0, 0, 0, 0)
        dates_row.addWidget(field_box(self.date, self.date_msg), 1)
        to = QLabel("t&o")
        to.setBuddy(self.date_end)
        dates_row.addWidget(to, 0, Qt.AlignmentFlag.AlignTop)
        dates_row.addWidget(field_box(self.date_end, self.date_end_msg), 1)
        form.addRow(self._label("&Date", self.date), dates)

        self.description = QPlainTextEdit()
        self.description.setTabChangesFocus(True)
        self.description.setAccessibleName("Description")
        self.description.setPlaceholderText("What it shows, for the index and the letter")
        self.description.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.description_field = step.track(
            TextField(self.description, save=lambda t: self._edit("description", t.strip()))
        )
        form.addRow(self._label("D&escription", self.description), self.description)

        self.doc_type = QComboBox()
        self.doc_type.setAccessibleName("Document type")
        self.doc_type.addItem("—", "")
        for d in sorted(catalogue.document_types(), key=lambda d: d.label):
            self.doc_type.addItem(d.label, d.id)
        self.doc_type.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.doc_type.setMinimumContentsLength(18)
        self.doc_type.currentIndexChanged.connect(self._doc_type_changed)
        form.addRow(self._label("Document t&ype", self.doc_type), self.doc_type)

        self.factors = QListWidget()
        self.factors.setAccessibleName("Factors this exhibit supports")
        self.factors.setFixedHeight(self.fontMetrics().lineSpacing() * 6 + 8)
        self.factors.itemChanged.connect(self._factor_ticked)
        form.addRow(self._label("&Supports", self.factors), self.factors)

        self.language = QComboBox()
        self.language.setEditable(True)
        self.language.setAccessibleName("Language of the document")
        self.language.addItems(list(LANGUAGES))
        self.language.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.language.activated.connect(lambda *_: self._language_changed())
        lang_line = self.language.lineEdit()
        assert lang_line is not None
        lang_line.editingFinished.connect(self._language_changed)
        form.addRow(self._label("&Language", self.language), self.language)

        self.section = QLineEdit()
        self.section.setAccessibleName("Section")
        self.section.setPlaceholderText("e.g. Identity, Residence, Country conditions")
        self.section.setCompleter(QCompleter(list(SECTIONS), self))
        self.section_field = step.track(
            TextField(self.section, save=lambda t: self._edit("section", t.strip()))
        )
        form.addRow(self._label("Sectio&n", self.section), self.section)

        self.files = QLabel()
        self.files.setWordWrap(True)
        self.files.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(QLabel("Files:"), self.files)
        self.confirm = ConfirmFilesBox(self.ctx)
        form.addRow(self.confirm)
        self.guesses = GuessBox(self.ctx)
        layout.insertWidget(0, self.guesses)

        # --- translation ---
        self.translation = QGroupBox("English translation")
        tl = QVBoxLayout(self.translation)
        self.translation_state = Banner("warning")
        tl.addWidget(self.translation_state)
        row = QHBoxLayout()
        self.add_translation = QPushButton("Add translation &file…")
        # a lambda: clicked(bool) would arrive as the password
        self.add_translation.clicked.connect(lambda: self.step.add_translation_file())
        row.addWidget(self.add_translation)
        row.addStretch(1)
        tl.addLayout(row)
        self.pair_box = QWidget()
        pair_row = QHBoxLayout(self.pair_box)
        pair_row.setContentsMargins(0, 0, 0, 0)
        pair_label = QLabel("or use the e&xhibit:")
        self.pair_with = QComboBox()
        self.pair_with.setAccessibleName("Exhibit that is the translation")
        pair_label.setBuddy(self.pair_with)
        self.pair_button = QPushButton("&Pair")
        self.pair_button.setAccessibleName("Pair the chosen exhibit as the translation")
        self.pair_button.clicked.connect(self.step.pair_translation)
        pair_row.addWidget(pair_label)
        pair_row.addWidget(self.pair_with, 1)
        pair_row.addWidget(self.pair_button)
        tl.addWidget(self.pair_box)
        tform = QFormLayout()
        tform.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.translator: dict[str, QLineEdit] = {}
        for key, label in (
            ("name", "Translator's na&me"),
            ("address", "Translator's addre&ss"),
            ("phone", "Translator's p&hone"),
            ("language", "Translated &from"),
        ):
            edit = QLineEdit()
            edit.setAccessibleName(label.replace("&", ""))
            self.translator[key] = edit
            step.track(TextField(edit, save=lambda _t: self._save_translator()))
            tform.addRow(self._label(label, edit), edit)
        tl.addLayout(tform)
        tl.addWidget(
            hint(
                "The packet gets a certificate signed by the translator stating competence "
                "and that the translation is true and accurate (8 CFR 1003.33)."
            )
        )
        layout.addWidget(self.translation)
        layout.addStretch(1)

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text + ":")
        label.setBuddy(buddy)
        return label

    # ---- showing -----------------------------------------------------------------
    def show_exhibit(self, ex: Exhibit | None, exhibits: Sequence[Exhibit]) -> None:
        self.exhibit = ex
        self.setEnabled(ex is not None)
        if ex is None:
            self._clear()
            return
        self._loading = True
        try:
            self.title_field.set_text(ex.title)
            self.date_field.set_text(ex.doc_date.isoformat() if ex.doc_date else "")
            self.date_end_field.set_text(ex.doc_date_end.isoformat() if ex.doc_date_end else "")
            self.description_field.set_text(ex.description)
            self.section_field.set_text(ex.section)
            self.doc_type.setCurrentIndex(max(0, self.doc_type.findData(ex.document_type)))
            if not self.language.hasFocus():
                self.language.setEditText(ex.language)
            self._show_factors(ex)
            lines = []
            for f in ex.files:
                pages = f"{f.pages} page{'s' if f.pages != 1 else ''}"
                lines.append(f"{f.original_name} — {ROLE_NAMES.get(f.role, f.role)}, {pages}")
                lines.extend(f"   ⚠ {w}" for w in f.warnings)
            self.files.setText("\n".join(lines) or "No files.")
            self.confirm.show_exhibit(ex)
            self.guesses.show_exhibit(ex)
            mark_guesses(self, ex.guessed)
            self._show_translation(ex, exhibits)
        finally:
            self._loading = False

    def _clear(self) -> None:
        """Nothing selected: show nothing (never the last case's exhibit)."""
        self._loading = True
        try:
            for field in (
                self.title_field,
                self.date_field,
                self.date_end_field,
                self.description_field,
                self.section_field,
            ):
                field.set_text("")
            self.doc_type.setCurrentIndex(0)
            self.language.setEditText("")
            self.factors.clear()
            self.files.setText("")
            self.confirm.show_exhibit(None)
            self.guesses.show_exhibit(None)
            mark_guesses(self, ())
            self.translation.setVisible(False)
        finally:
            self._loading = False

    def _show_factors(self, ex: Exhibit) -> None:
        fw = catalogue.framework(self.ctx.case().proceedings.framework_id)
        self.factors.blockSignals(True)
        self.factors.clear()
        known = {f.id for f in fw.factors}
        ids = [(f.id, f.label) for f in fw.factors] + [
            (fid, fid.replace("_", " ")) for fid in ex.factor_ids if fid not in known
        ]
        for fid, label in ids:
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, fid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if fid in ex.factor_ids else Qt.CheckState.Unchecked
            )
            self.factors.addItem(item)
        self.factors.blockSignals(False)

    def _show_translation(self, ex: Exhibit, exhibits: Sequence[Exhibit]) -> None:
        foreign = ex.needs_translation
        self.translation.setVisible(foreign)
        if not foreign:
            return
        has = bool(ex.files_with_role(FileRole.TRANSLATION))
        t = ex.translator
        for key, edit in self.translator.items():
            field = next(f for f in self.step.fields if f.widget is edit)
            field.set_text(getattr(t, key) or (ex.language if key == "language" else ""))
        problems = []
        if not has:
            problems.append(
                f"This {ex.language} document needs an English translation: add the "
                "translation's file, or pair an exhibit that is the translation."
            )
        if not t.complete:
            problems.append(
                "Fill in the translator's name, address, phone and language for the certificate."
            )
        if problems:
            self.translation_state.set_text(" ".join(problems), "warning")
        else:
            self.translation_state.set_text(f"Translation attached; certified by {t.name}.", "ok")
        self.pair_with.clear()
        letters = packet_letters(exhibits)
        for letter, other in zip(letters, exhibits, strict=True):
            if other.id != ex.id and other.files:
                self.pair_with.addItem(f"{letter}  {other.title}", other.id)
        self.pair_with.setEnabled(self.pair_with.count() > 0)
        self.pair_button.setEnabled(self.pair_with.count() > 0)
        self.pair_box.setVisible(not has)  # once paired, only "add file" stays

    # ---- storing (through the undo stack) -------------------------------------------
    def _edit(self, field: str, value: object) -> None:
        ex = self.exhibit
        if ex is None or self._loading:
            return
        if getattr(ex, field) == value:
            return
        ws = self.ctx.workspace
        ok = self.ctx.history.run(
            f"changing the {field.replace('_', ' ')}",
            lambda: ws.edit_exhibit(ex.id, field, value),
        )
        if not ok:
            raise ValidationError(field, f"The {field.replace('_', ' ')} was not saved.")

    def _check_end_date(self, text: str) -> Check:
        found = check_date(text, "document end date", "past")
        if found.state != "ok":
            return found
        start, end = self.exhibit.doc_date if self.exhibit else None, parse_date(text.strip())
        if start is None:
            return Check("error", "Enter the document's first date (Date) too.")
        if end is not None and end <= start:
            return Check("error", "The end date must come after the document's date.")
        return found

    def _doc_type_changed(self) -> None:
        if not self._loading:
            self._safe_edit("document_type", str(self.doc_type.currentData() or ""))

    def _factor_ticked(self, _item: QListWidgetItem) -> None:
        if self._loading or self.exhibit is None:
            return
        ids = [
            str(self.factors.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.factors.count())
            if self.factors.item(i).checkState() == Qt.CheckState.Checked
        ]
        self._safe_edit("factor_ids", tuple(ids))

    def _language_changed(self) -> None:
        if self._loading or self.exhibit is None:
            return
        text = self.language.currentText().strip() or "English"
        if text != self.exhibit.language:
            self._safe_edit("language", text)

    def _save_translator(self) -> None:
        if self._loading or self.exhibit is None:
            return
        values = {k: e.text().strip() for k, e in self.translator.items()}
        self._edit("translator", Translator(**values))

    def _safe_edit(self, field: str, value: object) -> None:
        with contextlib.suppress(ValidationError):  # already shown by the command
            self._edit(field, value)


class DropFilter(QObject):
    """Lets drops of files land on the step even over text fields and lists."""

    def __init__(self, step: EvidenceStep) -> None:
        super().__init__(step)
        self.step = step

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        t = event.type()
        if t in (QEvent.Type.DragEnter, QEvent.Type.DragMove) and isinstance(
            event, QDragEnterEvent | QDragMoveEvent
        ):
            if local_paths(event.mimeData()):
                event.acceptProposedAction()
                self.step.set_drop_highlight(True)
                return True
        elif t == QEvent.Type.Drop and isinstance(event, QDropEvent):
            paths = local_paths(event.mimeData())
            if paths:
                event.acceptProposedAction()
                self.step.set_drop_highlight(False)
                self.step.import_paths(paths)
                return True
        elif t == QEvent.Type.DragLeave:
            self.step.set_drop_highlight(False)
        return False


class EvidenceStep(Step):
    key = "evidence"
    title = "Evidence"
    intro = (
        "Drop files or whole folders anywhere here, or use Add. PDFs and photos "
        "(JPEG, PNG, TIFF, HEIC) each become an exhibit; check the guessed title."
    )
    scrolls = False

    # stays long: lays out the list, the editor and the import bar in reading order
    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.exhibits: list[Exhibit] = []
        self.job: Job | None = None
        self.translation_job: Job | None = None
        self._queue: list[tuple[list[str], dict[str, str]]] = []
        self._outcomes: list[FileOutcome] = []
        self._selected_id = 0
        col = QVBoxLayout(self.body)
        self.margins(col)

        bar = QHBoxLayout()
        self.add_files = QPushButton("&Add files…")
        self.add_files.setAccessibleName("Add evidence files")
        self.add_files.clicked.connect(self._pick_files)
        self.add_folder = QPushButton("Add f&older…")
        self.add_folder.setAccessibleName("Add a folder of evidence")
        self.add_folder.clicked.connect(self._pick_folder)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Import progress")
        self.progress.setVisible(False)
        self.progress.setTextVisible(True)
        self.cancel = QPushButton("Cancel")
        self.cancel.setAccessibleName("Cancel the import")
        self.cancel.setVisible(False)
        self.cancel.clicked.connect(self._cancel_import)
        bar.addWidget(self.add_files)
        bar.addWidget(self.add_folder)
        self.redact = QPushButton("Redact n&umbers…")  # personal numbers: find, decide, remove
        self.redact.setToolTip(
            "Find other people's SSNs, A-numbers and the like on this exhibit and remove them"
        )
        self.redact.clicked.connect(self.open_redaction)
        bar.addWidget(self.redact)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.cancel)
        bar.addStretch(0)
        col.addLayout(bar)
        self.summary = Banner("info")
        self.summary.setObjectName("importSummary")
        col.addWidget(self.summary)
        self.attachment_offer = AttachmentOffer(ctx)  # files the imported PDFs carried
        self.attachment_offer.added.connect(self._attachments_added)
        col.addWidget(self.attachment_offer)
        self.ocr_panel = OcrPanel(ctx)  # scans read in the background; languages proposed
        self.ocr = self.ocr_panel.bar
        self.ocr.finished.connect(lambda _outcome: self._ocr_finished())
        col.addWidget(self.ocr_panel)

        split = QSplitter()
        split.setChildrenCollapsible(False)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        self.list_stack = QStackedWidget()
        self.empty = EmptyState(
            "Drop evidence files here",
            "or use Add files… / Add folder…\nEach file becomes an exhibit; the title is "
            "guessed from the file name.",
        )
        self.empty.setObjectName("evidenceEmpty")
        self.list = QListWidget()
        self.list.setObjectName("evidenceList")
        self.list.setAccessibleName("Exhibits of the case")
        self.list.currentItemChanged.connect(self._selection_changed)
        remove = QAction("Remove exhibit", self.list)
        remove.setShortcut(QKeySequence.StandardKey.Delete)
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_current)
        self.list.addAction(remove)
        redact = QAction("Redact…", self.list)
        redact.triggered.connect(self.open_redaction)
        self.list.addAction(redact)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.list.setItemDelegate(TwoLineDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list_stack.addWidget(self.empty)
        self.list_stack.addWidget(self.list)
        ll.addWidget(self.list_stack, 3)
        self.results_label = QLabel("Last import:")
        self.results = QListWidget()
        self.results.setObjectName("importResults")
        self.results.setAccessibleName("Results of the last import")
        self.results.setWordWrap(True)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        ll.addWidget(self.results_label)
        ll.addWidget(self.results, 2)
        self.results_label.setVisible(False)
        self.results.setVisible(False)
        split.addWidget(left)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("exhibitTabs")
        self.editor = ExhibitEditor(self)
        editor_scroll = QScrollArea()
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setFrameShape(QFrame.Shape.NoFrame)
        editor_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        editor_scroll.setWidget(self.editor)
        self.pages = PageEditor(ctx)
        self.tabs.addTab(editor_scroll, "&Details")
        self.tabs.addTab(self.pages, "&Pages")
        split.addWidget(self.tabs)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        cw = self.fontMetrics().averageCharWidth()
        split.setSizes([cw * 36, cw * 60])
        col.addWidget(split, 1)
        self.editor.setEnabled(False)

        self.setAcceptDrops(True)
        self._drop_filter = DropFilter(self)
        self._install_drop_filter(self)
        ctx.exhibitsChanged.connect(self._exhibits_changed)

    def _install_drop_filter(self, root: QWidget) -> None:
        root.installEventFilter(self._drop_filter)
        for w in root.findChildren(QWidget):
            w.installEventFilter(self._drop_filter)
            if isinstance(w, QLineEdit | QPlainTextEdit | QAbstractItemView):
                w.setAcceptDrops(True)  # the filter takes file drops; text drops still work
        for view in root.findChildren(QAbstractItemView):
            vp = view.viewport()
            if vp is not None:
                vp.installEventFilter(self._drop_filter)

    def set_drop_highlight(self, on: bool) -> None:
        self.body.setStyleSheet(
            "QWidget#stepBody { border: 2px dashed #1d4f7c; background: #eef4fb; }" if on else ""
        )

    # ---- showing ----------------------------------------------------------------------
    def load(self) -> None:
        self.attachment_offer.clear()
        self.results.clear()
        self.results.setVisible(False)
        self.results_label.setVisible(False)
        self.summary.set_text("")
        self._selected_id = 0
        self._refresh()
        self.ocr.start(if_needed=True)

    def _exhibits_changed(self) -> None:
        if self.ctx.has_case:
            self._refresh()

    def _refresh(self) -> None:
        self.exhibits = self.ctx.exhibits()
        letters = packet_letters(self.exhibits)
        keep = self._selected_id
        self.list.blockSignals(True)
        self.list.clear()
        for letter, ex in zip(letters, self.exhibits, strict=True):
            item = QListWidgetItem()
            self._describe(item, letter, ex)
            self.list.addItem(item)
        self.list.blockSignals(False)
        self.list_stack.setCurrentWidget(self.list if self.exhibits else self.empty)
        self.tabs.setVisible(bool(self.exhibits))  # an empty case: the drop zone fills the step
        row = next((i for i, e in enumerate(self.exhibits) if e.id == keep), -1)
        if row < 0 and self.exhibits:
            row = 0
        if row >= 0:
            self.list.setCurrentRow(row)  # emits: shows the exhibit
        else:
            self._show(None)
        self.statusChanged.emit()

    def _describe(self, item: QListWidgetItem, letter: str, ex: Exhibit) -> None:
        """An exhibit's row: title, pages, and what it still needs."""
        pages = f"{ex.pages} page{'s' if ex.pages != 1 else ''}"
        flag = self.ocr_panel.translation_flag(ex) or (" · guessed: check" if ex.guessed else "")
        item.setText(f"{letter}   {ex.title}")
        item.setData(DETAIL_ROLE, f"{pages}{flag}")
        item.setToolTip(f"{ex.title}\n{pages}{flag}")
        item.setData(Qt.ItemDataRole.UserRole, ex.id)
        item.setData(
            Qt.ItemDataRole.AccessibleTextRole, f"Exhibit {letter}: {ex.title}, {pages}{flag}"
        )
        warn = any(f.warnings for f in ex.files) or "translation" in flag
        state = State.WARNING if warn else State.PARTIAL if ex.guessed else State.DONE
        item.setIcon(state_icon(state))

    def _ocr_finished(self) -> None:
        """OCR ran: each row says what it still needs, and a detected language is
        proposed (the exhibits and the selection stay as they are)."""
        for row, letter in enumerate(packet_letters(self.exhibits)):
            item = self.list.item(row)
            if item is not None:
                self._describe(item, letter, self.exhibits[row])
        self.ocr_panel.show_language(self.exhibits, self._selected_id)

    def _selection_changed(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        ex_id = int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else 0
        if ex_id != self._selected_id:
            self.flush()
        self._selected_id = ex_id
        self._show(next((e for e in self.exhibits if e.id == ex_id), None))

    def _show(self, ex: Exhibit | None) -> None:
        self.editor.show_exhibit(ex, self.exhibits)
        self.pages.show_exhibit(ex)
        n = ex.pages if ex else 0
        self.tabs.setTabText(1, f"&Pages ({n})" if ex else "&Pages")
        self.ocr_panel.show_language(self.exhibits, self._selected_id)

    def select_exhibit(self, exhibit_id: int) -> None:
        row = next((i for i, e in enumerate(self.exhibits) if e.id == exhibit_id), -1)
        if row >= 0:
            self.list.setCurrentRow(row)

    def select_object(self, obj: str, code: str) -> bool:
        """Where a review finding is fixed in this step (see the Review step)."""
        target: QWidget = self.add_files
        if obj.isdigit():
            self.select_exhibit(int(obj))
            target = self.list
        target = self.ocr_panel.focus_for(code) or target
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def current_exhibit(self) -> Exhibit | None:
        return self.editor.exhibit

    def open_redaction(self) -> None:
        from ..redaction_dialog import RedactionDialog

        ex = self.current_exhibit()
        if ex is None or not ex.files:
            self.ctx.say("Select an exhibit with pages to redact.")
            return
        RedactionDialog(self.ctx, ex, self).exec()

    def remove_current(self) -> None:
        """Delete on the list: remove the selected exhibit (Ctrl+Z brings it back)."""
        ex = self.current_exhibit()
        if ex is None:
            return
        row = self.list.currentRow()
        ws = self.ctx.workspace
        self.ctx.history.run("removing the exhibit", lambda: ws.remove_exhibits([ex.id]))
        self.ctx.say(f"Removed '{ex.title}'. Press Ctrl+Z to put it back.")
        if self.exhibits:
            self.list.setCurrentRow(min(row, len(self.exhibits) - 1))

    # ---- importing ----------------------------------------------------------------------
    def _pick_files(self) -> None:
        files = dialogs.pick_files(self)
        if files:
            self.import_paths(files)

    def _pick_folder(self) -> None:
        folder = dialogs.pick_folder(self)
        if folder:
            self.import_paths([folder])

    def import_paths(self, paths: Sequence[str], passwords: dict[str, str] | None = None) -> None:
        if not self.ctx.has_case or not paths:
            return
        self._queue.append((list(paths), dict(passwords or {})))
        if self.job is None:
            self._outcomes = []
            self._next_import()

    def _next_import(self) -> None:
        if not self._queue:
            return
        paths, passwords = self._queue.pop(0)
        self.progress.setRange(0, 0)
        self.progress.setFormat("Importing…")
        self.progress.setVisible(True)
        self.cancel.setVisible(True)
        self.cancel.setEnabled(True)
        self.job = self.ctx.runner.submit(
            import_files(self.ctx.case_id, paths, passwords),
            "import evidence",
        )
        self.job.progress.connect(self._import_progress)
        self.job.succeeded.connect(self._import_done)
        self.job.failed.connect(self._import_failed)

    def _import_progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(
            f"{message} ({min(done + 1, total)} of {total})" if done < total else message
        )

    def _cancel_import(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel.setEnabled(False)
            self.progress.setFormat("Cancelling after the current file…")
        self._queue.clear()

    def _import_failed(self, exc: BaseException) -> None:
        self.job = None
        self._finish_progress()
        if isinstance(exc, CancelledError):
            self.summary.set_text(
                "Import cancelled. Files imported before that were kept.", "warning"
            )
        else:
            self.ctx.fail(exc, action="importing evidence")
        self.ctx.exhibitsChanged.emit()

    def _import_done(self, outcomes: list[FileOutcome]) -> None:
        cancelled = self.job is not None and self.job.cancelled
        self.job = None
        retry: dict[str, str] = {}
        for o in outcomes:
            if o.password and not cancelled:
                # the bar must not say "Done" while the import waits for the user
                self.progress.setRange(0, 1)
                self.progress.setValue(0)
                self.progress.setFormat(f"Waiting for the password of {Path(o.result.path).name}…")
                pw = dialogs.PasswordDialog.ask(
                    self, Path(o.result.path).name, o.password == "wrong"
                )
                if pw:
                    retry[o.result.path] = pw
                    continue
                o = FileOutcome(
                    ImportResult(
                        o.result.path,
                        "refused",
                        f"{Path(o.result.path).name}: skipped; it is protected by a password. "
                        "Add it again when you have the password.",
                    )
                )
            self._outcomes.append(o)
        if retry:
            self._queue.insert(0, (list(retry), retry))
        self.ctx.exhibitsChanged.emit()
        if self._queue:
            self._next_import()
            return
        self._finish_progress()
        self._show_results(self._outcomes, cancelled)
        self.ocr.start()

    def _finish_progress(self) -> None:
        self.progress.setVisible(False)
        self.cancel.setVisible(False)

    def _show_results(self, outcomes: Sequence[FileOutcome], cancelled: bool) -> None:
        self.results.clear()
        letters = dict(
            zip([e.id for e in self.exhibits], packet_letters(self.exhibits), strict=True)
        )
        added: list[int] = []
        counts = {"imported": 0, "warning": 0, "duplicate": 0, "refused": 0}
        for o in outcomes:
            r = o.result
            name = Path(r.path).name
            counts[r.status] = counts.get(r.status, 0) + 1
            if r.status in ("imported", "warning"):
                added.append(r.exhibit_id)
                letter = letters.get(r.exhibit_id, "")
                pages = f"{r.pages} page{'s' if r.pages != 1 else ''}"
                text = f"{name} → exhibit {letter} ({pages})"
                if r.message:
                    text += f"\n{r.message}"
                icon = State.DONE if r.status == "imported" else State.PARTIAL
            elif r.status == "duplicate":
                text, icon = r.message or f"{name} is already in this case.", State.PARTIAL
            else:
                text, icon = r.message or f"{name} could not be imported.", State.WARNING
            item = QListWidgetItem(state_icon(icon), text)
            item.setToolTip(r.path)
            self.results.addItem(item)
        self.results.setVisible(bool(outcomes))
        self.results_label.setVisible(bool(outcomes))
        parts = []
        n_ok = counts["imported"] + counts["warning"]
        if n_ok:
            parts.append(f"Added {n_ok} exhibit{'s' if n_ok != 1 else ''}")
        if counts["warning"]:
            parts.append(f"{counts['warning']} with notes to check")
        if counts["duplicate"]:
            parts.append(f"{counts['duplicate']} already in the case")
        if counts["refused"]:
            parts.append(f"{counts['refused']} could not be imported (see below)")
        text = "; ".join(parts) + "." if parts else "Nothing was imported."
        if cancelled:
            text = "Import cancelled. " + text
        kind = (
            "error"
            if counts["refused"]
            else ("warning" if counts["warning"] or cancelled else "ok")
        )
        self.summary.set_text(text, kind)
        self.ctx.say(text)
        if added:
            self.select_exhibit(added[0])
        self.attachment_offer.offer([o.result for o in outcomes])

    def _attachments_added(self, results: list[ImportResult]) -> None:
        self.ctx.exhibitsChanged.emit()
        self._show_results([FileOutcome(r) for r in results], False)

    # ---- translations ------------------------------------------------------------------
    def add_translation_file(self, password: str | None = None, path: str = "") -> None:
        ex = self.current_exhibit()
        if ex is None:
            return
        path = path or dialogs.pick_file(self, f"English translation of {ex.title}")
        if not path:
            return
        ex_id = ex.id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> ImportResult:
            return ws.add_file_to_exhibit(ex_id, path, role=FileRole.TRANSLATION, password=password)

        self.translation_job = self.ctx.runner.submit(work, "add translation")
        self.translation_job.succeeded.connect(self._translation_added)
        self.translation_job.failed.connect(lambda exc: self._translation_failed(exc, path))

    def _translation_added(self, result: ImportResult) -> None:
        self.translation_job = None
        self.ocr.start()
        self.ctx.say(f"Added {Path(result.path).name} as the English translation.")
        self.ctx.exhibitsChanged.emit()

    def _translation_failed(self, exc: BaseException, path: str) -> None:
        self.translation_job = None
        if isinstance(exc, PasswordRequiredError | WrongPasswordError):
            pw = dialogs.PasswordDialog.ask(
                self, Path(path).name, isinstance(exc, WrongPasswordError)
            )
            if pw:
                self.add_translation_file(pw, path)
            return
        self.ctx.fail(exc, action="adding the translation")

    def pair_translation(self) -> None:
        ex = self.current_exhibit()
        other = self.editor.pair_with.currentData()
        if ex is None or other is None:
            return
        try:
            self.ctx.workspace.pair_translation(ex.id, int(other))
        except Exception as exc:
            self.ctx.fail(exc, action="pairing the translation")
            return
        self.ctx.history.clear()  # the paired exhibit is gone; older steps may name it
        self.ctx.say(f"Paired the translation with '{ex.title}'.")
        self.ctx.exhibitsChanged.emit()

    # ---- status -----------------------------------------------------------------------
    def first_focus(self) -> QWidget | None:
        return self.list if self.exhibits else self.add_files

    def status(self) -> StepStatus:
        if not self.ctx.has_case:
            return StepStatus(State.EMPTY, "")
        exhibits = self.ctx.exhibits()
        if not exhibits:
            return StepStatus(State.EMPTY, "No evidence yet")
        untranslated = [
            e.title
            for e in exhibits
            if e.included
            and e.needs_translation
            and (not e.files_with_role(FileRole.TRANSLATION) or not e.translator.complete)
        ]
        n = len(exhibits)
        summary = f"{n} exhibit{'s' if n != 1 else ''}"
        if untranslated:
            return StepStatus(
                State.PARTIAL,
                f"{summary}; translation needed",
                "Translation or translator details missing: " + ", ".join(untranslated) + ".",
            )
        return StepStatus(State.DONE, summary)

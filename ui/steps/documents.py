"""The case's own documents: the notice of appearance (G-28 or EOIR-28), the
client's declaration, a request letter written elsewhere and uploaded, and a
proposed order to use instead of the generated one.  Each has a row: add or
replace it, see it, remove it.  They are not exhibits: the packet puts each in
its place (the appearance form first, the declaration after the letter)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QPoint, QPointF, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import Workspace
from pdpacket.errors import PasswordRequiredError, PdpacketError, WrongPasswordError
from pdpacket.model import CaseDocument, DocumentRole
from pdpacket.model.progress import CancelToken

from .. import dialogs
from ..context import CaseContext
from ..models import local_time
from ..preview import load_pdf
from ..style import GREEN, GREY, EmptyState, State, hint
from ..workers import Job, SignalProgress
from .base import Step, StepStatus


@dataclass(frozen=True)
class RoleInfo:
    role: DocumentRole
    label: str  # with its mnemonic
    what: str  # one line: what it is and where it goes


ROLES = (
    RoleInfo(
        DocumentRole.G28,
        "Form &G-28",
        "Notice of appearance before DHS (OPLA, ICE): signed by the attorney and the client.",
    ),
    RoleInfo(
        DocumentRole.EOIR28,
        "Form &EOIR-28",
        "Notice of appearance before the immigration court.",
    ),
    RoleInfo(
        DocumentRole.DECLARATION,
        "Client's &declaration",
        "The client's own statement, signed; it follows the letter.",
    ),
    RoleInfo(
        DocumentRole.LETTER,
        "&Uploaded letter",
        "A request letter written elsewhere, as a PDF: the packet uses it instead of the "
        "drafted one.",
    ),
    RoleInfo(
        DocumentRole.PROPOSED_ORDER,
        "Proposed &order",
        "Replaces the proposed order pdpacket draws for a motion.",
    ),
)


class DocumentRow:
    """The widgets of one role's row (not a widget: they sit in the step's grid)."""

    def __init__(self, info: RoleInfo, step: DocumentsStep) -> None:
        self.info = info
        self.name = QLabel(info.label.replace("&", ""))
        font = self.name.font()
        font.setBold(True)
        self.name.setFont(font)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.state.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.add = QPushButton("Add…")
        self.add.setAccessibleName(f"Add or replace the {info.label.replace('&', '')}")
        self.add.clicked.connect(lambda: step.choose_file(info.role))
        self.see = QPushButton("See")
        self.see.setAccessibleName(f"See the {info.label.replace('&', '')}")
        self.see.clicked.connect(lambda: step.show_document(info.role))
        self.remove = QPushButton("Remove")
        self.remove.setAccessibleName(f"Remove the {info.label.replace('&', '')}")
        self.remove.clicked.connect(lambda: step.remove(info.role))
        for b in (self.add, self.see, self.remove):  # the words get the room, not the buttons
            b.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def show(self, doc: CaseDocument | None, needed: bool) -> None:
        label = self.info.label.replace("&", "")
        if doc is None:
            self.state.setText(("Needed for this destination. " if needed else "") + self.info.what)
            self.state.setStyleSheet(f"color: {GREY};" if not needed else "")
            self.add.setText("Add…")
        else:
            pages = f"{doc.pages} page{'s' if doc.pages != 1 else ''}"
            when = f", added {local_time(doc.added_at)}" if doc.added_at else ""
            self.state.setText(f"✓ {doc.original_name} ({pages}{when})")
            self.state.setStyleSheet(f"color: {GREEN};")
            self.add.setText("Replace…")
        self.add.setAccessibleName(f"{'Replace' if doc else 'Add'} the {label}")
        self.see.setEnabled(doc is not None)
        self.remove.setEnabled(doc is not None)


class DocumentsStep(Step):
    key = "documents"
    title = "Forms & documents"
    intro = (
        "The case's own documents, which are not exhibits: the notice of appearance, the "
        "client's declaration, a letter written elsewhere, a proposed order. Add a PDF or "
        "a photo for each; the packet puts it in its place."
    )

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.job: Job | None = None
        self.documents: dict[DocumentRole, CaseDocument] = {}
        self._doc: tuple[QPdfDocument, QBuffer] | None = None
        col = QVBoxLayout(self.body)
        self.margins(col)
        box = QGroupBox("Documents of the case")
        grid = QGridLayout(box)
        grid.setColumnStretch(1, 1)
        self.rows: dict[DocumentRole, DocumentRow] = {}
        for r, info in enumerate(ROLES):
            row = DocumentRow(info, self)
            self.rows[info.role] = row
            grid.addWidget(row.name, r, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.state, r, 1)
            grid.addWidget(row.add, r, 2, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.see, r, 3, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(row.remove, r, 4, Qt.AlignmentFlag.AlignTop)
        col.addWidget(box)
        self.message = hint()
        col.addWidget(self.message)
        self.preview_title = QLabel()
        col.addWidget(self.preview_title)
        self.view = QPdfView()
        self.view.setObjectName("documentPreview")
        self.view.setAccessibleName("Document preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._blank = QPdfDocument(self)
        self.view.setDocument(self._blank)
        self.view.setMinimumHeight(self.fontMetrics().lineSpacing() * 16)
        self.preview = QStackedWidget()
        self.placeholder = EmptyState("Nothing to show", "Press See on a document to look at it.")
        self.preview.addWidget(self.placeholder)
        self.preview.addWidget(self.view)
        col.addWidget(self.preview, 1)
        self.shown: DocumentRole | None = None

    # ---- showing -----------------------------------------------------------------------
    def load(self) -> None:
        self._close_preview()
        self.message.setText("")
        self.refresh()

    def refresh(self) -> None:
        if not self.ctx.has_case:
            return
        ws = self.ctx.workspace
        self.documents = {d.role: d for d in ws.case_documents(self.ctx.case_id)}
        wanted = self._wanted()
        for role, row in self.rows.items():
            row.show(self.documents.get(role), role in wanted)
        if self.shown is not None and self.shown not in self.documents:
            self._close_preview()
        self.statusChanged.emit()

    def _wanted(self) -> set[DocumentRole]:
        """The appearance form the case's destination asks for."""
        dest = self.ctx.workspace.destination(self.ctx.case_id)
        form = dest.appearance_form
        return {DocumentRole(form)} if form in {r.value for r in DocumentRole} else set()

    def show_document(self, role: DocumentRole) -> None:
        doc = self.documents.get(role)
        if doc is None:
            return
        try:
            data = self.ctx.workspace.pdf_bytes(doc)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="showing the document")
            return
        self._close_preview()
        self._doc = load_pdf(data)
        pdf, _ = self._doc
        self.view.setDocument(pdf)
        self.view.pageNavigator().jump(0, QPointF(), 0)
        self.preview.setCurrentWidget(self.view)
        self.preview_title.setText(f"{self.rows[role].name.text()}: {doc.original_name}")
        self.shown = role
        bar = self.scroll_area.verticalScrollBar()  # the page in view, under its name
        bar.setValue(min(bar.maximum(), self.preview_title.mapTo(self.body, QPoint(0, 0)).y()))

    def _close_preview(self) -> None:
        self.view.setDocument(self._blank)
        if self._doc is not None:
            pdf, buf = self._doc
            pdf.close()
            buf.close()
            self._doc = None
        self.preview.setCurrentWidget(self.placeholder)
        self.preview_title.setText("")
        self.shown = None

    # ---- changing ----------------------------------------------------------------------
    def choose_file(self, role: DocumentRole) -> None:
        label = self.rows[role].name.text()
        path = dialogs.pick_file(self, f"Choose the {label}")
        if path:
            self.set_file(role, path)

    def set_file(self, role: DocumentRole, path: str, password: str | None = None) -> None:
        """Store ``path`` as the case's document in ``role`` (in a worker)."""
        if self.job is not None:
            return
        case_id = self.ctx.case_id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> CaseDocument:
            return ws.set_case_document(case_id, role, path, password=password)

        self.message.setText(f"Adding {Path(path).name}…")
        self.job = self.ctx.runner.submit(work, "case document")
        self.job.succeeded.connect(lambda doc: self._stored(doc, role))
        self.job.failed.connect(lambda exc: self._failed(exc, role, path))

    def _stored(self, doc: CaseDocument, role: DocumentRole) -> None:
        self.job = None
        label = self.rows[role].name.text()
        self.message.setText(f"{label}: {doc.original_name} is in the packet now.")
        self.ctx.say(f"Added the {label}.")
        self.refresh()
        self.ctx.caseChanged.emit()  # the review and the letter read it
        self.show_document(role)

    def _failed(self, exc: BaseException, role: DocumentRole, path: str) -> None:
        self.job = None
        self.message.setText("")
        if isinstance(exc, PasswordRequiredError | WrongPasswordError):
            pw = dialogs.PasswordDialog.ask(
                self, Path(path).name, isinstance(exc, WrongPasswordError)
            )
            if pw:
                self.set_file(role, path, pw)
            return
        self.ctx.fail(exc, action=f"adding the {self.rows[role].name.text()}")

    def remove(self, role: DocumentRole) -> None:
        doc = self.documents.get(role)
        if doc is None:
            return
        label = self.rows[role].name.text()
        if not dialogs.confirm(
            self,
            f"Remove the {label}",
            f"Take {doc.original_name} out of the packet? You can add the file again later.",
            "Remove",
        ):
            return
        try:
            self.ctx.workspace.remove_case_document(self.ctx.case_id, role)
        except PdpacketError as exc:
            self.ctx.fail(exc, action=f"removing the {label}")
            return
        self.ctx.say(f"Removed the {label} ({doc.original_name}).")
        self.refresh()
        self.ctx.caseChanged.emit()

    # ---- status --------------------------------------------------------------------------
    def first_focus(self) -> QWidget | None:
        wanted = sorted(self._wanted()) if self.ctx.has_case else []
        return self.rows[wanted[0] if wanted else DocumentRole.G28].add

    def select_object(self, object_id: str, code: str) -> bool:
        """A review finding about the appearance form: its Add button, in view."""
        target = self.first_focus()
        if target is None:
            return False
        self.scroll_area.ensureWidgetVisible(target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def status(self) -> StepStatus:
        if not self.ctx.has_case:
            return StepStatus(State.EMPTY, "")
        docs = {d.role for d in self.ctx.workspace.case_documents(self.ctx.case_id)}
        # an appearance form added as an exhibit of that type counts too
        typed = {e.document_type for e in self.ctx.exhibits() if e.in_packet}
        missing = {r for r in self._wanted() - docs if r.value not in typed}
        if missing:
            names = ", ".join(self.rows[r].name.text() for r in missing)
            return StepStatus(State.PARTIAL, f"{names} missing", f"Add the {names}.")
        if not docs:
            return StepStatus(State.EMPTY, "None added")
        n = len(docs)
        return StepStatus(State.DONE, f"{n} document{'s' if n != 1 else ''}")

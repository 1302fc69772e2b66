"""Redact…: an exhibit's pages with each personal number found as a box to
accept, reject or move, and boxes drawn by hand; Apply removes what lies under
the accepted and proposed boxes (text and image pixels) for real."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import Workspace
from pdpacket.model import Exhibit, HistoryStep
from pdpacket.model.progress import CancelToken
from pdpacket.model.redaction import KIND_NAMES, Box, PageGeometry, Redaction, RedactionState

from . import dialogs
from .context import CaseContext
from .preview import load_pdf, on_white
from .workers import SignalProgress

STATE_COLOURS = {
    RedactionState.PROPOSED: QColor(230, 140, 0),
    RedactionState.ACCEPTED: QColor(200, 0, 0),
    RedactionState.REJECTED: QColor(130, 130, 130),
    RedactionState.LISTED: QColor(0, 110, 200),
    RedactionState.APPLIED: QColor(0, 0, 0),
}
STATE_WORDS = {
    RedactionState.PROPOSED: "proposed",
    RedactionState.ACCEPTED: "accepted",
    RedactionState.REJECTED: "kept (rejected)",
    RedactionState.LISTED: "listed only",
    RedactionState.APPLIED: "removed",
}


class PageCanvas(QWidget):
    """One page with its boxes: click a box to select it, drag it to move it,
    drag on the page to draw a new box."""

    boxSelected = Signal(int)  # redaction id
    boxMoved = Signal(int, object)  # redaction id, Box (points)
    boxDrawn = Signal(object)  # Box (points)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(QSize(420, 540))
        self.setMouseTracking(False)
        self.setAccessibleName("Page with the redaction boxes")
        self.image = QImage()
        self.geometry_ = PageGeometry()  # the page's crop box and rotation
        self.boxes: list[Redaction] = []
        self.selected = 0
        self._press: QPointF | None = None
        self._drag: QPointF | None = None

    # the page's own points <-> pixels of the upright page shown
    def _scale(self) -> float:
        if self.image.isNull():
            return 1.0
        return self.image.width() / max(self.geometry_.shown_size[0], 1)

    def to_widget(self, b: Box) -> QRectF:
        s = self._scale()
        u0, v0 = self.geometry_.to_shown(b.x0, b.y0)
        u1, v1 = self.geometry_.to_shown(b.x1, b.y1)
        return QRectF(QPointF(u0 * s, v0 * s), QPointF(u1 * s, v1 * s)).normalized()

    def to_points(self, r: QRectF) -> Box:
        s = self._scale()
        x0, y0 = self.geometry_.from_shown(r.left() / s, r.top() / s)
        x1, y1 = self.geometry_.from_shown(r.right() / s, r.bottom() / s)
        return Box(x0, y0, x1, y1).normalised()

    def set_page(self, image: QImage, geometry: PageGeometry, boxes: Sequence[Redaction]) -> None:
        self.image = image
        self.geometry_ = geometry
        self.boxes = list(boxes)
        self.setFixedSize(image.size() if not image.isNull() else QSize(420, 540))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("white"))
        if not self.image.isNull():
            p.drawImage(0, 0, self.image)
        for r in self.boxes:
            rect = self.to_widget(r.box)
            if r.id == self.selected and self._press is not None and self._drag is not None:
                rect = rect.translated(self._drag - self._press)
            colour = STATE_COLOURS[r.state]
            pen = QPen(colour, 3 if r.id == self.selected else 2)
            if r.state == RedactionState.REJECTED:
                pen.setStyle(Qt.PenStyle.DashLine)
            p.setPen(pen)
            fill = QColor(colour)
            fill.setAlpha(255 if r.state == RedactionState.APPLIED else 60)
            p.setBrush(fill)
            p.drawRect(rect)
        if self._press is not None and self._drag is not None and not self.selected:
            p.setPen(QPen(STATE_COLOURS[RedactionState.ACCEPTED], 2, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(QRectF(self._press, self._drag).normalized())
        p.end()

    def _hit(self, pos: QPointF) -> int:
        for r in reversed(self.boxes):
            if self.to_widget(r.box).contains(pos):
                return r.id
        return 0

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        self.selected = self._hit(pos)
        self._press = pos
        self._drag = pos
        if self.selected:
            self.boxSelected.emit(self.selected)
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None:
            self._drag = event.position()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, drag = self._press, event.position()
        self._press = self._drag = None
        if press is None:
            return
        delta = drag - press
        if self.selected:
            r = next((b for b in self.boxes if b.id == self.selected), None)
            moved = abs(delta.x()) > 2 or abs(delta.y()) > 2
            if r is not None and moved and r.state != RedactionState.APPLIED:
                self.boxMoved.emit(r.id, self.to_points(self.to_widget(r.box).translated(delta)))
        elif abs(delta.x()) > 4 and abs(delta.y()) > 4:
            self.boxDrawn.emit(self.to_points(QRectF(press, drag).normalized()))
        self.update()


class RedactionDialog(QDialog):
    """Redact an exhibit's pages."""

    def __init__(self, ctx: CaseContext, exhibit: Exhibit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ws: Workspace = ctx.workspace
        self.exhibit = exhibit
        self.setWindowTitle(f"Redact: {exhibit.title}")
        self._docs: dict[int, QPdfDocument] = {}
        self._buffers: list[object] = []
        # the exhibit's pages as the packet shows them (deleted ones last):
        # (file id, stored page) and the label of each
        self.pages: list[tuple[int, int]] = []
        self.labels: list[str] = []
        for f in exhibit.files:
            for slot in f.kept:
                self.pages.append((f.id, slot.source))
                self.labels.append(f"Page {len(self.pages)}")
        for f in exhibit.files:
            for slot in f.slots:
                if slot.deleted:
                    self.pages.append((f.id, slot.source))
                    self.labels.append("Deleted page (not in the packet)")
        self.page_box = QComboBox()
        self.page_box.setAccessibleName("Page")
        self.page_box.addItems(self.labels)
        self.page_box.currentIndexChanged.connect(self.show_page)
        self.canvas = PageCanvas()
        self.canvas.boxSelected.connect(self._select_in_list)
        self.canvas.boxMoved.connect(self._moved)
        self.canvas.boxDrawn.connect(self._drawn)
        self.list = QListWidget()
        self.list.setObjectName("redactionList")
        self.list.setAccessibleName("Personal numbers and boxes on this exhibit")
        self.list.currentItemChanged.connect(self._list_selected)
        self.accept_button = QPushButton("&Accept")
        self.accept_button.setShortcut(QKeySequence("A"))
        self.accept_button.clicked.connect(lambda: self._set(RedactionState.ACCEPTED))
        self.reject_button = QPushButton("&Reject (keep)")
        self.reject_button.setShortcut(QKeySequence("R"))
        self.reject_button.clicked.connect(lambda: self._set(RedactionState.REJECTED))
        self.accept_page = QPushButton("Accept all on this &page")
        self.accept_page.clicked.connect(self._accept_page)
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_button.clicked.connect(self._undo)
        self.apply_button = QPushButton("A&pply redactions…")
        self.apply_button.clicked.connect(self.apply)
        self.close_button = QPushButton("Close")
        self.close_button.clicked.connect(self.accept)
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.status = QLabel(
            "Drag on the page to draw a box by hand; drag a box to move it. Nothing is "
            "removed until you apply."
        )
        self.status.setWordWrap(True)
        self.legend = QLabel(
            '<span style="color:#e68c00">■</span> proposed &nbsp; '
            '<span style="color:#c80000">■</span> accepted &nbsp; '
            '<span style="color:#828282">□</span> kept &nbsp; '
            '<span style="color:#006ec8">■</span> listed only &nbsp; ■ removed'
        )
        self.legend.setWordWrap(True)
        self.changed = False

        side = QVBoxLayout()
        side.addWidget(self.page_box)
        side.addWidget(self.list, 1)
        row = QHBoxLayout()
        row.addWidget(self.accept_button)
        row.addWidget(self.reject_button)
        side.addLayout(row)
        side.addWidget(self.accept_page)
        side.addWidget(self.undo_button)
        side.addWidget(self.legend)
        self.list.setWordWrap(True)
        self.list.setMinimumWidth(self.fontMetrics().averageCharWidth() * 36)
        main = QHBoxLayout()
        main.addLayout(side, 1)
        main.addWidget(self.canvas, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress)
        bottom.addWidget(self.apply_button)
        bottom.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(main, 1)
        layout.addLayout(bottom)
        self.show_page(0)
        self.search()

    def search(self) -> None:
        """Look for personal numbers on pages not searched yet, in the background."""
        case_id = self.exhibit.case_id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> object:
            return ws.find_personal_numbers(case_id, progress=progress, cancel=cancel)

        self.status.setText("Looking for personal numbers…")
        self.search_job = self.ctx.runner.submit(work, "personal numbers")
        self.search_job.succeeded.connect(self._searched)
        self.search_job.failed.connect(self._search_failed)

    def _searched(self, found: object) -> None:
        self.status.setText(
            "Drag on the page to draw a box by hand; drag a box to move it. Nothing is "
            "removed until you apply."
        )
        self._refresh()

    def _search_failed(self, exc: BaseException) -> None:
        from pdpacket.errors import CancelledError

        if not isinstance(exc, CancelledError):
            self.ctx.fail(exc, action="looking for personal numbers")

    # ---- the page -------------------------------------------------------------------------
    def _doc(self, file_id: int) -> QPdfDocument:
        if file_id not in self._docs:
            f = next(f for f in self.exhibit.files if f.id == file_id)
            doc, buf = load_pdf(self.ws.pdf_bytes(f))
            self._docs[file_id] = doc
            self._buffers.append(buf)
        return self._docs[file_id]

    def current(self) -> tuple[int, int]:
        return self.pages[max(0, self.page_box.currentIndex())]

    def boxes(self) -> list[Redaction]:
        file_id, page = self.current()
        return self.ws.file_redactions(file_id, page)

    def show_page(self, index: int = -1) -> None:
        if not self.pages:
            return
        file_id, page = self.current()
        doc = self._doc(file_id)
        geometry = self.ws.page_geometry(file_id, page)
        shown_w, shown_h = geometry.shown_size
        width = 520
        height = round(width * shown_h / max(shown_w, 1))
        image = on_white(doc.render(page, QSize(width, height)))
        self.canvas.set_page(image, geometry, self.boxes())
        self._fill_list()

    def _fill_pages(self) -> None:
        counts: dict[tuple[int, int], int] = {}
        for r in self.ws.redactions(self.exhibit.case_id):
            if r.exhibit_id == self.exhibit.id and r.state == RedactionState.PROPOSED:
                counts[(r.file_id, r.page)] = counts.get((r.file_id, r.page), 0) + 1
        for n, key in enumerate(self.pages):
            more = f" ({counts[key]} proposed)" if counts.get(key) else ""
            self.page_box.setItemText(n, f"{self.labels[n]}{more}")

    def _fill_list(self) -> None:
        keep = self.canvas.selected
        self._fill_pages()
        self.list.blockSignals(True)
        self.list.clear()
        for r in self.canvas.boxes:
            what = KIND_NAMES[r.kind][0]
            detail = f"{r.masked} · {STATE_WORDS[r.state]}" if r.masked else STATE_WORDS[r.state]
            item = QListWidgetItem(f"{what[:1].upper()}{what[1:]}\n    {detail}")
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.list.addItem(item)
            if r.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self.undo_button.setEnabled(self.ws.can_undo())
        self.undo_button.setToolTip(self.ws.undo_text())

    def _refresh(self) -> None:
        self.canvas.boxes = self.boxes()
        self.canvas.update()
        self._fill_list()

    # ---- decisions ------------------------------------------------------------------------
    def _select_in_list(self, rid: int) -> None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(Qt.ItemDataRole.UserRole) == rid:
                self.list.setCurrentItem(item)

    def _list_selected(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        self.canvas.selected = int(item.data(Qt.ItemDataRole.UserRole)) if item else 0
        self.canvas.update()

    def _set(self, state: RedactionState) -> None:
        if not self.canvas.selected:
            self.status.setText("Select a box first (click it on the page or in the list).")
            return
        self._do(lambda: self.ws.set_redaction_state([self.canvas.selected], state))

    def _accept_page(self) -> None:
        ids = [r.id for r in self.canvas.boxes if r.state == RedactionState.PROPOSED]
        if not ids:
            self.status.setText("Nothing on this page is waiting for a decision.")
            return
        self._do(lambda: self.ws.set_redaction_state(ids, RedactionState.ACCEPTED))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self._set(RedactionState.REJECTED)
            return
        if event.key() == Qt.Key.Key_PageDown:
            self.page_box.setCurrentIndex(
                min(self.page_box.currentIndex() + 1, len(self.pages) - 1)
            )
            return
        if event.key() == Qt.Key.Key_PageUp:
            self.page_box.setCurrentIndex(max(self.page_box.currentIndex() - 1, 0))
            return
        super().keyPressEvent(event)

    def done(self, result: int) -> None:
        if getattr(self, "search_job", None) is not None and not self.search_job.done:
            self.search_job.cancel()
        super().done(result)

    def _moved(self, rid: int, box: Box) -> None:
        self._do(lambda: self.ws.move_redaction(rid, box))

    def _drawn(self, box: Box) -> None:
        file_id, page = self.current()
        self._do(lambda: self.ws.add_redaction(file_id, page, box))

    def _undo(self) -> None:
        if self.ctx.history.undo():
            self.status.setText("Undone.")
        self._refresh()

    def _do(self, fn: Callable[[], HistoryStep]) -> None:
        """An undoable change through the window's history (Edit > Undo knows it)."""
        if self.ctx.history.run("changing a redaction", fn):
            self.changed = True
            text = self.ws.undo_text()
            if text:
                self.status.setText(f"Done ({text[0].lower()}{text[1:]} with Ctrl+Z).")
        self._refresh()

    # ---- applying -----------------------------------------------------------------------
    def pending(self) -> int:
        todo = (RedactionState.PROPOSED, RedactionState.ACCEPTED)
        return sum(r.state in todo for r in self.ws.redactions(self.exhibit.case_id))

    def apply(self, *, confirmed: bool = False) -> None:
        n = self.pending()
        if not n:
            self.status.setText("Nothing to apply: no box is proposed or accepted.")
            return
        if not confirmed and not dialogs.confirm(
            self,
            "Apply redactions",
            f"Remove what lies under {n} box{'es' if n != 1 else ''} of this case's evidence "
            "(text and image pixels)? This cannot be undone, and what Ctrl+Z could undo so far "
            "is forgotten; the original files stay in the data folder.",
            "Apply",
        ):
            return
        case_id = self.exhibit.case_id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> object:
            return ws.apply_redactions(case_id, progress=progress, cancel=cancel)

        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        self.apply_button.setEnabled(False)
        job = self.ctx.runner.submit(work, "redaction")
        job.progress.connect(self._progress)
        job.succeeded.connect(self._applied)
        job.failed.connect(self._failed)
        self.job = job

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        if message:
            self.status.setText(message)

    def _applied(self, result: object) -> None:
        self.progress.setVisible(False)
        self.apply_button.setEnabled(True)
        boxes = getattr(result, "boxes", 0)
        if boxes:
            self.ctx.history.clear()  # no older step may bring the unredacted file back
        self.status.setText(f"{boxes} redactions applied: what lay under them is gone.")
        self.ctx.exhibitsChanged.emit()
        self.exhibit = next(
            (e for e in self.ws.exhibits(self.exhibit.case_id) if e.id == self.exhibit.id),
            self.exhibit,
        )
        for doc in self._docs.values():
            doc.close()
        self._docs.clear()
        self.show_page()

    def _failed(self, exc: BaseException) -> None:
        self.progress.setVisible(False)
        self.apply_button.setEnabled(True)
        self.ctx.fail(exc, action="applying the redactions")

"""Page thumbnails (rendered by a worker) and a page preview (QtPdf).

QtPdf renders with a transparent background: every image is painted onto
white, or viewers would show black pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import Workspace
from pdpacket.model import Exhibit, ExhibitFile, FileRole
from pdpacket.model.progress import CancelToken

from .context import CaseContext
from .style import EmptyState, hint
from .workers import Job, SignalProgress

MAX_THUMBNAILS = 300
ROLE_NAMES = {FileRole.TRANSLATION: "translation", FileRole.CERTIFICATE: "certificate"}


@dataclass(frozen=True)
class Thumbnail:
    file_index: int
    page_index: int
    image: QImage
    label: str


def load_pdf(data: bytes) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over bytes (keep the buffer alive as long as the document)."""
    doc = QPdfDocument()
    buf = QBuffer()
    buf.setData(QByteArray(data))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buf)
    return doc, buf


def on_white(image: QImage) -> QImage:
    out = QImage(image.size(), QImage.Format.Format_RGB32)
    out.fill(QColor("white"))
    p = QPainter(out)
    p.drawImage(0, 0, image)
    p.end()
    return out


def framed(image: QImage) -> QImage:
    """A thin grey edge, so a white page stands out from a white list."""
    p = QPainter(image)
    p.setPen(QColor("#a0a0a0"))
    p.drawRect(0, 0, image.width() - 1, image.height() - 1)
    p.end()
    return image


def render_page(doc: QPdfDocument, page: int, width: int) -> QImage:
    size = doc.pagePointSize(page)
    w = max(1, width)
    h = max(1, round(w * size.height() / size.width())) if size.width() > 0 else round(w * 1.294)
    return on_white(doc.render(page, QSize(w, h)))


def render_thumbnails(
    pdfs: Sequence[tuple[ExhibitFile, bytes]],
    width: int,
    cancel: CancelToken,
    progress: SignalProgress | None = None,
) -> list[Thumbnail]:
    """Runs in a worker: QPdfDocument and QImage are not widgets."""
    total = sum(f.pages for f, _ in pdfs)
    out: list[Thumbnail] = []
    for fi, (f, data) in enumerate(pdfs):
        doc, buf = load_pdf(data)
        if doc.status() != QPdfDocument.Status.Ready:
            continue
        for pi in range(doc.pageCount()):
            cancel.raise_if_cancelled()
            if len(out) >= MAX_THUMBNAILS:
                return out
            role = ROLE_NAMES.get(f.role)
            label = f"Page {len(out) + 1}" + (f" ({role})" if role else "")
            out.append(Thumbnail(fi, pi, framed(render_page(doc, pi, width)), label))
            if progress:
                progress.update(len(out), total, label)
        doc.close()
        buf.close()
    return out


class PagesPanel(QWidget):
    """Thumbnails of an exhibit's pages; click one to see it large."""

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exhibit: Exhibit | None = None
        self.job: Job | None = None
        self._docs: dict[int, tuple[QPdfDocument, QBuffer]] = {}
        fm = self.fontMetrics()
        self.thumb_width = fm.averageCharWidth() * 13
        self.thumbs = QListWidget()
        self.thumbs.setObjectName("thumbnails")
        self.thumbs.setAccessibleName("Page thumbnails")
        # a narrow column of pages with their number under each, like a PDF viewer's
        self.thumbs.setViewMode(QListView.ViewMode.IconMode)
        self.thumbs.setFlow(QListView.Flow.TopToBottom)
        self.thumbs.setWrapping(False)
        self.thumbs.setMovement(QListView.Movement.Static)
        self.thumbs.setResizeMode(QListView.ResizeMode.Adjust)
        icon_h = round(self.thumb_width * 1.3)
        self.thumbs.setIconSize(QSize(self.thumb_width, icon_h))
        pad = fm.averageCharWidth() * 2
        self.thumbs.setGridSize(
            QSize(self.thumb_width + pad, icon_h + fm.lineSpacing() * 2 + pad // 2)
        )
        self.thumbs.setUniformItemSizes(True)
        scroll = self.thumbs.verticalScrollBar().sizeHint().width()
        self.thumbs.setFixedWidth(self.thumb_width + pad * 2 + scroll)
        self.thumbs.currentRowChanged.connect(self._show_page)
        self.view = QPdfView()
        self.view.setObjectName("pagePreview")
        self.view.setAccessibleName("Page preview")
        self.view.setPageMode(QPdfView.PageMode.SinglePage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        self._blank = QPdfDocument(self)  # shown when there is no page (never None)
        self.view.setDocument(self._blank)
        self.view_stack = QStackedWidget()
        self.placeholder = EmptyState("No page to show", "Select an exhibit to see its pages.")
        self.view_stack.addWidget(self.placeholder)
        self.view_stack.addWidget(self.view)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.thumbs)
        row.addWidget(self.view_stack, 1)
        self.status = hint()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row, 1)
        layout.addWidget(self.status)
        self.thumbnails: list[Thumbnail] = []

    def show_exhibit(self, exhibit: Exhibit | None) -> None:
        if exhibit is not None and self.exhibit is not None and exhibit.files == self.exhibit.files:
            self.exhibit = exhibit
            return
        if self.job is not None:
            self.job.cancel()
            self.job = None
        # forget the old pages before the list can signal a row of them
        self.thumbnails = []
        self.exhibit = exhibit
        self.thumbs.clear()
        for doc, buf in self._docs.values():
            doc.close()
            buf.close()
        self._docs.clear()
        self.view.setDocument(self._blank)
        self.view_stack.setCurrentWidget(self.placeholder)
        if exhibit is None or not exhibit.files:
            self.status.setText("")
            return
        files = list(exhibit.files)
        width = round(self.thumb_width * max(1.0, self.devicePixelRatioF()))
        self.status.setText(f"Rendering {exhibit.pages} page{'s' if exhibit.pages != 1 else ''}…")

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> list[Thumbnail]:
            pdfs = [(f, ws.pdf_bytes(f)) for f in files]
            return render_thumbnails(pdfs, width, cancel, progress)

        self.job = self.ctx.runner.submit(work, f"thumbnails of {exhibit.title}")
        self.job.succeeded.connect(self._thumbnails_ready)
        self.job.failed.connect(self._thumbnails_failed)

    def _thumbnails_ready(self, thumbs: list[Thumbnail]) -> None:
        job = self.sender()
        if job is not self.job:
            return
        self.job = None
        self.thumbnails = thumbs
        dpr = max(1.0, self.devicePixelRatioF())
        for t in thumbs:
            pm = QPixmap.fromImage(t.image)
            pm.setDevicePixelRatio(dpr)
            icon = QIcon(pm)
            icon.addPixmap(pm, QIcon.Mode.Selected)  # a selected page keeps its colours
            item = QListWidgetItem(icon, t.label)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, t.label)
            self.thumbs.addItem(item)
        n = self.exhibit.pages if self.exhibit else len(thumbs)
        more = f" (first {len(thumbs)} shown)" if n > len(thumbs) else ""
        self.status.setText(f"{n} page{'s' if n != 1 else ''}{more}. Click a page to see it large.")
        if thumbs:
            self.thumbs.setCurrentRow(0)

    def _thumbnails_failed(self, exc: BaseException) -> None:
        if self.sender() is not self.job:
            return
        self.job = None
        from pdpacket.errors import CancelledError

        if not isinstance(exc, CancelledError):
            self.status.setText(f"The pages could not be shown: {exc}")

    def _show_page(self, row: int) -> None:
        if not 0 <= row < len(self.thumbnails) or self.exhibit is None:
            return
        t = self.thumbnails[row]
        if t.file_index >= len(self.exhibit.files):
            return  # a page of the exhibit shown before this one
        if t.file_index not in self._docs:
            f = self.exhibit.files[t.file_index]
            try:
                data = self.ctx.workspace.pdf_bytes(f)
            except Exception as exc:
                self.ctx.fail(exc, action="showing the page")
                return
            self._docs[t.file_index] = load_pdf(data)
        doc, _ = self._docs[t.file_index]
        if self.view.document() is not doc:
            self.view.setDocument(doc)
        self.view.pageNavigator().jump(t.page_index, QPointF(), 0)
        self.view_stack.setCurrentWidget(self.view)

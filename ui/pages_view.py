"""The exhibit's Pages view with its page tools: thumbnails and one page large
(zoom, fit, page through), rotate, delete and restore, move (drag a thumbnail,
or Alt+Up/Down), split the exhibit here, merge it with the next one.

Every tool is a call on the workspace through the window's undo history
(``ctx.history.run``), so Ctrl+Z and Ctrl+Shift+Z take it back; the view then
reads the exhibit again.  Thumbnails are rendered once per stored page by a
worker and turned here, so an edit redraws at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QBuffer, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QColor,
    QDropEvent,
    QIcon,
    QImage,
    QKeySequence,
    QPainter,
    QPixmap,
    QTransform,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import PageInfo, Workspace
from pdpacket.model import Exhibit, FileRole, HistoryStep
from pdpacket.model.progress import CancelToken

from .context import CaseContext
from .preview import framed, load_pdf, render_page
from .style import hint
from .workers import Job, SignalProgress

MAX_THUMBNAILS = 300
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)
ROLE_NAMES = {FileRole.TRANSLATION: "translation", FileRole.CERTIFICATE: "certificate"}
PageKey = tuple[str, int]  # (stored file's sha256, stored page)


def render_stored_pages(
    pdfs: Sequence[tuple[str, bytes]], width: int, cancel: CancelToken
) -> dict[PageKey, QImage]:
    """Runs in a worker: every page of each stored file, upright as stored."""
    out: dict[PageKey, QImage] = {}
    for sha, data in pdfs:
        doc, buf = load_pdf(data)
        try:
            if doc.status() != QPdfDocument.Status.Ready:
                continue
            for page in range(doc.pageCount()):
                cancel.raise_if_cancelled()
                if len(out) >= MAX_THUMBNAILS:
                    return out
                out[(sha, page)] = render_page(doc, page, width)
        finally:
            doc.close()
            buf.close()
    return out


def turned(image: QImage, turns: int) -> QImage:
    if not turns % 4:
        return image
    return image.transformed(QTransform().rotate(90 * (turns % 4)))


def greyed(image: QImage) -> QImage:
    """A deleted page: pale and grey, so it reads as 'not in the packet'."""
    out = image.convertToFormat(QImage.Format.Format_Grayscale8).convertToFormat(
        QImage.Format.Format_RGB32
    )
    p = QPainter(out)
    p.fillRect(out.rect(), QColor(255, 255, 255, 150))
    p.end()
    return out


def page_label(p: PageInfo) -> str:
    role = ROLE_NAMES.get(p.role)
    text = f"Page {p.number}" + (f" ({role})" if role else "")
    return f"{text}\ndeleted" if p.deleted else text


class ThumbnailList(QListWidget):
    """The thumbnails: drag them to move pages.  The drop only asks; the list is
    rebuilt from what the workspace stored."""

    moveRequested = Signal(list, int)  # rows being moved, the row dropped on

    def __init__(self) -> None:
        super().__init__()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)

    def dropEvent(self, event: QDropEvent) -> None:
        if event.source() is not self:
            event.ignore()
            return
        index = self.indexAt(event.position().toPoint())
        target = index.row() if index.isValid() else self.count() - 1
        rows = sorted({i.row() for i in self.selectedIndexes()})
        event.setDropAction(Qt.DropAction.IgnoreAction)
        event.accept()
        if rows and target >= 0:
            self.moveRequested.emit(rows, target)


class PageEditor(QWidget):
    """The Pages tab: thumbnails, one page large and the page tools."""

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exhibit: Exhibit | None = None
        self.pages: list[PageInfo] = []
        self.images: dict[PageKey, QImage] = {}
        self.job: Job | None = None
        self.zoom: float | None = None  # None: fit the page's width
        self._docs: dict[str, tuple[QPdfDocument, QBuffer]] = {}
        self._want_row: int | None = 0
        self._hidden_panes: list[QWidget] = []  # what Wide view hid

        fm = self.fontMetrics()
        self.thumb_width = fm.averageCharWidth() * 13
        self.thumbs = ThumbnailList()
        self.thumbs.setObjectName("thumbnails")
        self.thumbs.setAccessibleName("Page thumbnails")
        self.thumbs.setViewMode(QListView.ViewMode.IconMode)
        self.thumbs.setFlow(QListView.Flow.TopToBottom)
        self.thumbs.setWrapping(False)
        # items stay in the column; a drag shows where the pages will go and the
        # drop asks the workspace (``ThumbnailList.dropEvent``)
        self.thumbs.setMovement(QListView.Movement.Static)
        self.thumbs.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.thumbs.setDropIndicatorShown(True)
        self.thumbs.setResizeMode(QListView.ResizeMode.Adjust)
        icon_h = round(self.thumb_width * 1.3)
        self.thumbs.setIconSize(QSize(self.thumb_width, icon_h))
        pad = fm.averageCharWidth() * 2
        self.thumbs.setGridSize(
            QSize(self.thumb_width + pad, icon_h + fm.lineSpacing() * 2 + pad // 2)
        )
        scroll = self.thumbs.verticalScrollBar().sizeHint().width()
        self.thumbs.setFixedWidth(self.thumb_width + pad * 2 + scroll)
        self.thumbs.currentRowChanged.connect(self._show_page)
        self.thumbs.moveRequested.connect(self._drop_move)
        self.thumbs.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.thumbs.customContextMenuRequested.connect(
            lambda pos: self.context_menu().exec(self.thumbs.viewport().mapToGlobal(pos))
        )

        self.page_label = QLabel()
        self.page_label.setObjectName("largePage")
        self.page_label.setAccessibleName("Page, large")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area = QScrollArea()
        self.area.setObjectName("pageArea")
        self.area.setWidget(self.page_label)
        self.area.setWidgetResizable(False)
        self.area.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.area.customContextMenuRequested.connect(
            lambda pos: self.context_menu().exec(self.area.mapToGlobal(pos))
        )
        self.area.setStyleSheet("QScrollArea#pageArea { background: #8a8f96; }")

        self.deleted_bar = QWidget()
        bar = QHBoxLayout(self.deleted_bar)
        bar.setContentsMargins(6, 4, 6, 4)
        self.deleted_note = QLabel("Deleted: the packet leaves this page out.")
        self.deleted_note.setWordWrap(True)
        self.restore_button = QPushButton("&Restore")
        self.restore_button.setObjectName("restorePage")
        self.restore_button.clicked.connect(self.restore_selected)
        bar.addWidget(self.deleted_note, 1)
        bar.addWidget(self.restore_button)
        self.deleted_bar.setStyleSheet("background: #fff4d6;")
        self.deleted_bar.setVisible(False)

        self.toolbar = QToolBar()
        self.toolbar.setObjectName("pageTools")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions_by_name: dict[str, QAction] = {}
        add = self._add_action
        add("zoom_out", "Zoom out", "Ctrl+-", lambda: self.step_zoom(-1), short="\u2212")
        add("zoom_in", "Zoom in", "Ctrl+=", lambda: self.step_zoom(1), ("Ctrl++",), "+")
        add("fit", "Fit width", "Ctrl+0", self.fit, short="Fit")
        add("wide", "Wide view", "Ctrl+Shift+F", self.toggle_wide, short="Wide")
        self.actions_by_name["wide"].setCheckable(True)
        self.toolbar.addSeparator()
        add("previous", "Previous page", "PgUp", lambda: self.go(-1), short="\u25b2")
        add("next", "Next page", "PgDown", lambda: self.go(1), short="\u25bc")
        self.toolbar.addSeparator()
        add("rotate_left", "Rotate left", "Ctrl+Shift+R", lambda: self.rotate(-90), short="\u27f2")
        add("rotate_right", "Rotate right", "Ctrl+R", lambda: self.rotate(90), short="\u27f3")
        add("delete", "Delete page", "Del", self.delete_or_restore, short="Delete")
        add("move_up", "Move up", "Alt+Up", lambda: self.move_by(-1), short="\u2191")
        add("move_down", "Move down", "Alt+Down", lambda: self.move_by(1), short="\u2193")
        self.toolbar.addSeparator()
        add("split", "Split here", "", self.split_here, short="Split")
        add("merge", "Merge with next", "", self.merge_with_next, short="Merge")

        self.status = hint()
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.deleted_bar)
        right.addWidget(self.area, 1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.thumbs)
        row.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addLayout(row, 1)
        layout.addWidget(self.status)
        self._update_actions()

    def _add_action(
        self,
        name: str,
        text: str,
        key: str,
        slot: Callable[[], Any],
        extra: tuple[str, ...] = (),
        short: str = "",
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if short:  # the toolbar's label; menus and screen readers get ``text``
            action.setIconText(short)
        if key:
            action.setShortcuts([QKeySequence(k) for k in (key, *extra)])
            action.setToolTip(f"{text} ({QKeySequence(key).toString()})")
        else:
            action.setToolTip(text)
        # only while the Pages view has the focus: Delete elsewhere removes an exhibit
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        self.toolbar.addAction(action)
        self.actions_by_name[name] = action
        return action

    # ---- showing ----------------------------------------------------------------------
    def show_exhibit(self, exhibit: Exhibit | None) -> None:
        same = exhibit is not None and self.exhibit is not None and exhibit.id == self.exhibit.id
        if same and exhibit == self.exhibit and self.thumbs.count():
            return
        if same:  # edited: stay on the page (or where the tool said)
            if self._want_row is None:
                self._want_row = max(self.thumbs.currentRow(), 0)
        else:  # another exhibit
            self._want_row = 0
            self.images.clear()
            self._close_docs()
            if self.job is not None:
                self.job.cancel()
                self.job = None
        self.exhibit = exhibit
        self.pages = self.ctx.workspace.exhibit_pages(exhibit.id) if exhibit else []
        self._fill()
        self._want_row = None
        shas = {f.pdf_sha256 for f in exhibit.files} if exhibit else set()
        missing = shas - {sha for sha, _ in self.images}
        if exhibit is not None and missing and self.job is None:
            self._render(exhibit, missing)

    def _render(self, exhibit: Exhibit, shas: set[str]) -> None:
        files = [f for f in exhibit.files if f.pdf_sha256 in shas]
        width = round(self.thumb_width * max(1.0, self.devicePixelRatioF()))
        self.status.setText(f"Rendering {len(self.pages)} pages…")

        def work(
            ws: Workspace, progress: SignalProgress, cancel: CancelToken
        ) -> dict[PageKey, QImage]:
            seen: dict[str, bytes] = {}
            for f in files:
                if f.pdf_sha256 not in seen:
                    seen[f.pdf_sha256] = ws.pdf_bytes(f)
            return render_stored_pages(list(seen.items()), width, cancel)

        self.job = self.ctx.runner.submit(work, f"pages of {exhibit.title}")
        self.job.succeeded.connect(self._rendered)
        self.job.failed.connect(self._render_failed)

    def _rendered(self, images: dict[PageKey, QImage]) -> None:
        if self.sender() is not self.job:
            return
        self.job = None
        self.images.update(images)
        self._want_row = max(self.thumbs.currentRow(), 0)
        self._fill()
        self._want_row = None

    def _render_failed(self, exc: BaseException) -> None:
        if self.sender() is not self.job:
            return
        self.job = None
        from pdpacket.errors import CancelledError

        if not isinstance(exc, CancelledError):
            self.status.setText(f"The pages could not be shown: {exc}")

    def _icon(self, p: PageInfo) -> QIcon:
        image = self.images.get((self._sha(p), p.source))
        if image is None:
            blank = QPixmap(self.thumbs.iconSize())
            blank.fill(QColor("#f2f2f2"))
            return QIcon(blank)
        image = turned(image, p.turns)
        if p.deleted:
            image = greyed(image)
        pm = QPixmap.fromImage(framed(image.copy()))
        pm.setDevicePixelRatio(max(1.0, self.devicePixelRatioF()))
        icon = QIcon(pm)
        icon.addPixmap(pm, QIcon.Mode.Selected)
        return icon

    def _sha(self, p: PageInfo) -> str:
        assert self.exhibit is not None
        return next(f.pdf_sha256 for f in self.exhibit.files if f.id == p.file_id)

    def _fill(self) -> None:
        self.thumbs.blockSignals(True)
        self.thumbs.clear()
        for p in self.pages:
            item = QListWidgetItem(self._icon(p), page_label(p))
            item.setData(Qt.ItemDataRole.AccessibleTextRole, page_label(p))
            if p.deleted:
                item.setForeground(QColor("#8a8a8a"))
            self.thumbs.addItem(item)
        self.thumbs.blockSignals(False)
        if self.pages:
            row = min(self._want_row or 0, len(self.pages) - 1)
            self.thumbs.setCurrentRow(row)
            self._show_page(row)
        else:
            self.page_label.clear()
            self.deleted_bar.setVisible(False)
        self._update_status()
        self._update_actions()

    def _update_status(self) -> None:
        if self.exhibit is None:
            self.status.setText("")
            return
        kept = sum(1 for p in self.pages if not p.deleted)
        gone = len(self.pages) - kept
        text = f"{kept} page{'s' if kept != 1 else ''} in the packet"
        if gone:
            text += f", {gone} deleted (shown grey; Restore puts them back)"
        row = self.thumbs.currentRow()
        if 0 <= row < len(self.pages):
            p = self.pages[row]
            where = "deleted" if p.deleted else f"exhibit page {p.exhibit_page}"
            text = f"Page {p.number} of {len(self.pages)} ({where}). {text}."
        zoom = "fit" if self.zoom is None else f"{round(self.zoom * 100)}%"
        self.status.setText(f"{text} Zoom {zoom}.")

    def _doc(self, sha: str) -> QPdfDocument | None:
        if sha not in self._docs:
            assert self.exhibit is not None
            f = next(f for f in self.exhibit.files if f.pdf_sha256 == sha)
            try:
                self._docs[sha] = load_pdf(self.ctx.workspace.pdf_bytes(f))
            except Exception as exc:
                self.ctx.fail(exc, action="showing the page")
                return None
        return self._docs[sha][0]

    def _close_docs(self) -> None:
        for doc, buf in self._docs.values():
            doc.close()
            buf.close()
        self._docs.clear()

    def _show_page(self, row: int) -> None:
        if not 0 <= row < len(self.pages) or self.exhibit is None:
            return
        p = self.pages[row]
        doc = self._doc(self._sha(p))
        if doc is None or doc.status() != QPdfDocument.Status.Ready:
            return
        size = doc.pagePointSize(p.source)
        w_pt, h_pt = size.width() or 612.0, size.height() or 792.0
        if p.turns % 2:
            w_pt, h_pt = h_pt, w_pt
        dpr = max(1.0, self.devicePixelRatioF())
        if self.zoom is None:  # the width without a scroll bar's, which a long page shows
            bar = self.area.verticalScrollBar().sizeHint().width()
            avail = max(200, self.area.width() - bar - 20)
            scale = avail / w_pt
        else:
            scale = self.zoom * self.logicalDpiX() / 72
        width_px = round(w_pt * scale)
        source_w = round((h_pt if p.turns % 2 else w_pt) * scale * dpr)
        image = turned(render_page(doc, p.source, source_w), p.turns)
        if p.deleted:
            image = greyed(image)
        pm = QPixmap.fromImage(image)
        pm.setDevicePixelRatio(dpr)
        self.page_label.setPixmap(pm)
        self.page_label.resize(width_px + 16, round(h_pt * scale) + 16)
        self.deleted_bar.setVisible(p.deleted)
        self._update_status()
        self._update_actions()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.zoom is None:
            self._show_page(self.thumbs.currentRow())

    # ---- the tools -----------------------------------------------------------------------
    def selected_numbers(self) -> list[int]:
        rows = sorted({i.row() for i in self.thumbs.selectedIndexes()})
        if not rows and self.thumbs.currentRow() >= 0:
            rows = [self.thumbs.currentRow()]
        return [self.pages[r].number for r in rows if r < len(self.pages)]

    def _run(self, action: str, change: Callable[[], HistoryStep], row: int) -> bool:
        self._want_row = row
        ok = self.ctx.history.run(action, change)
        self._want_row = None
        if ok:
            done = self.ctx.workspace.undo_text().removeprefix("Undo ")
            self.ctx.say(f"Done: {done}. Press Ctrl+Z to undo it.")
        return ok

    def _exhibit_id(self) -> int:
        return self.exhibit.id if self.exhibit else 0

    def rotate(self, degrees: int) -> None:
        pages, ex = self.selected_numbers(), self._exhibit_id()
        if ex and pages:
            ws = self.ctx.workspace
            row = self.thumbs.currentRow()
            self._run("turning the page", lambda: ws.rotate_pages(ex, pages, degrees), row)

    def delete_or_restore(self) -> None:
        pages, ex = self.selected_numbers(), self._exhibit_id()
        if not (ex and pages):
            return
        ws = self.ctx.workspace
        row = self.thumbs.currentRow()
        if all(self.pages[n - 1].deleted for n in pages):
            self._run("restoring the page", lambda: ws.restore_pages(ex, pages), row)
        else:
            live = [n for n in pages if not self.pages[n - 1].deleted]
            self._run("deleting the page", lambda: ws.delete_pages(ex, live), row)

    def restore_selected(self) -> None:
        pages, ex = self.selected_numbers(), self._exhibit_id()
        gone = [n for n in pages if self.pages[n - 1].deleted]
        if ex and gone:
            ws = self.ctx.workspace
            row = self.thumbs.currentRow()
            self._run("restoring the page", lambda: ws.restore_pages(ex, gone), row)

    def _file_span(self, number: int) -> tuple[int, int]:
        """First and last page number of the file that holds page ``number``."""
        fid = self.pages[number - 1].file_id
        numbers = [p.number for p in self.pages if p.file_id == fid]
        return numbers[0], numbers[-1]

    def move_by(self, delta: int) -> None:
        pages, ex = self.selected_numbers(), self._exhibit_id()
        if not (ex and pages):
            return
        first, last = self._file_span(pages[0])
        to = pages[0] + delta
        if to < first or pages[-1] + delta > last:
            self.ctx.say("The page is already at the edge of its file.")
            return
        ws = self.ctx.workspace
        self._run("moving the page", lambda: ws.move_pages(ex, pages, to), to - 1)

    def _drop_move(self, rows: list[int], target: int) -> None:
        ex = self._exhibit_id()
        if not ex or not rows:
            return
        pages = [self.pages[r].number for r in rows]
        first, last = self._file_span(pages[0])
        if not first <= target + 1 <= last:
            self.ctx.say("Pages move within their own file: drop them among its pages.")
            return
        # where the first moved page lands: before the page dropped on when moving
        # up, after it when moving down (counted without the moved pages)
        if target in rows:
            return
        at = target - sum(1 for r in rows if r < target) + (1 if target > rows[-1] else 0)
        to = max(at + 1, first)
        ws = self.ctx.workspace
        self._run("moving the page", lambda: ws.move_pages(ex, pages, to), to - 1)

    def split_here(self) -> None:
        ex = self._exhibit_id()
        row = self.thumbs.currentRow()
        if not ex or row < 0:
            return
        ws = self.ctx.workspace
        number = self.pages[row].number
        self._run("splitting the exhibit", lambda: ws.split_exhibit(ex, number), 0)

    def merge_with_next(self) -> None:
        if self.exhibit is None:
            return
        exhibits = self.ctx.exhibits()
        ids = [e.id for e in exhibits]
        i = ids.index(self.exhibit.id) if self.exhibit.id in ids else -1
        if not 0 <= i < len(ids) - 1:
            self.ctx.say("This is the last exhibit: there is no next one to merge with.")
            return
        first, second = ids[i], ids[i + 1]
        ws = self.ctx.workspace
        row = self.thumbs.currentRow()
        self._run("merging the exhibits", lambda: ws.merge_exhibits(first, second), row)

    # ---- zoom and paging -------------------------------------------------------------------
    def step_zoom(self, direction: int) -> None:
        current = self.zoom if self.zoom is not None else self._fit_zoom()
        if direction > 0:
            bigger = [z for z in ZOOMS if z > current + 1e-3]
            self.zoom = bigger[0] if bigger else ZOOMS[-1]
        else:
            smaller = [z for z in ZOOMS if z < current - 1e-3]
            self.zoom = smaller[-1] if smaller else ZOOMS[0]
        self._show_page(self.thumbs.currentRow())

    def _fit_zoom(self) -> float:
        pm = self.page_label.pixmap()
        if pm is None or pm.isNull():
            return 1.0
        width = pm.width() / max(1.0, pm.devicePixelRatio())
        return width / (612 * self.logicalDpiX() / 72)

    def fit(self) -> None:
        self.zoom = None
        self._show_page(self.thumbs.currentRow())

    def toggle_wide(self) -> None:
        """Give the page the room of the panes beside it (the exhibit list), and back."""
        pane: QWidget = self
        splitter = pane.parentWidget()
        while splitter is not None and not isinstance(splitter, QSplitter):
            pane, splitter = splitter, splitter.parentWidget()
        if not isinstance(splitter, QSplitter):
            return
        if not self._hidden_panes:
            for i in range(splitter.count()):
                w = splitter.widget(i)
                if w is not None and w is not pane and w.isVisible():
                    w.hide()
                    self._hidden_panes.append(w)
        else:
            for w in self._hidden_panes:
                w.show()
            self._hidden_panes = []
        self.actions_by_name["wide"].setChecked(bool(self._hidden_panes))
        QApplication.processEvents()  # the new width, before fitting the page to it
        if self.zoom is None:
            self._show_page(self.thumbs.currentRow())

    def go(self, delta: int) -> None:
        row = self.thumbs.currentRow() + delta
        if 0 <= row < self.thumbs.count():
            self.thumbs.setCurrentRow(row)

    def _update_actions(self) -> None:
        ex = self.exhibit
        has = ex is not None and bool(self.pages)
        row = self.thumbs.currentRow()
        for action in self.actions_by_name.values():
            action.setEnabled(has)
        if ex is not None and 0 <= row < len(self.pages):
            p = self.pages[row]
            self.actions_by_name["delete"].setText("Restore page" if p.deleted else "Delete page")
            only_docs = all(f.role == FileRole.DOCUMENT for f in ex.files)
            self.actions_by_name["split"].setEnabled(only_docs and row > 0)

    def context_menu(self) -> QMenu:
        menu = QMenu(self)
        for name in ("rotate_right", "rotate_left", "delete", "move_up", "move_down"):
            menu.addAction(self.actions_by_name[name])
        menu.addSeparator()
        menu.addAction(self.actions_by_name["split"])
        menu.addAction(self.actions_by_name["merge"])
        return menu

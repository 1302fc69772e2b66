"""The case list: search by name or A-number, sort by next hearing, new /
duplicate / archive."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import Workspace

from .models import ARCHIVED_ROLE, DETAIL_ROLE, ID_ROLE, CaseListModel
from .style import GREY, scaled_font

SORTS = (("Next hearing", "hearing"), ("Name", "name"), ("Recently changed", "recent"))


class TwoLineDelegate(QStyledItemDelegate):
    """A bold first line (DisplayRole) and grey detail lines (DETAIL_ROLE, split
    on newlines), with the item's icon on the left.  Used by the case list, the
    step sidebar and the evidence list."""

    def __init__(self, parent: QWidget | None = None, detail_lines: int = 1) -> None:
        super().__init__(parent)
        self.detail_lines = detail_lines

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        fm = option.fontMetrics
        lines = 1 + self.detail_lines
        return QSize(fm.averageCharWidth() * 20, fm.lineSpacing() * lines + fm.height())

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        title = opt.text
        opt.text = ""
        icon = QIcon(opt.icon)  # a copy: the option's own icon is cleared next
        opt.icon = QIcon()
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        fm = opt.fontMetrics
        pad = fm.averageCharWidth()
        rect = opt.rect.adjusted(pad, fm.height() // 4, -pad, -fm.height() // 4)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = opt.palette.color(role)
        if not icon.isNull():
            size = fm.height()
            icon.paint(
                painter,
                QRect(rect.left(), rect.top() + (fm.lineSpacing() - size) // 2 + 1, size, size),
            )
            rect.setLeft(rect.left() + size + pad)
        left = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        painter.save()
        bold = scaled_font(widget, 1.0, bold=True) if widget is not None else opt.font
        painter.setFont(bold)
        painter.setPen(colour)
        line = QRect(rect.left(), rect.top(), rect.width(), fm.lineSpacing())
        elided = painter.fontMetrics().elidedText(title, Qt.TextElideMode.ElideRight, line.width())
        painter.drawText(line, left, elided)
        painter.setFont(opt.font)
        archived = bool(index.data(ARCHIVED_ROLE))
        grey = QColor("#9a9a9a") if archived else QColor(GREY)
        painter.setPen(colour if selected else grey)
        details = str(index.data(DETAIL_ROLE) or "").split("\n")[: self.detail_lines]
        for n, detail in enumerate(details, 1):
            line = QRect(
                rect.left(), rect.top() + fm.lineSpacing() * n, rect.width(), fm.lineSpacing()
            )
            painter.drawText(
                line, left, fm.elidedText(detail, Qt.TextElideMode.ElideRight, line.width())
            )
        painter.restore()


class CaseListPanel(QWidget):
    caseActivated = Signal(int)
    newRequested = Signal()
    duplicateRequested = Signal()
    archiveRequested = Signal()

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._quiet = False
        layout = QVBoxLayout(self)
        m = self.fontMetrics().height() // 2
        layout.setContentsMargins(m, m, m // 2, m)
        self.search = QLineEdit()
        self.search.setObjectName("caseSearch")
        self.search.setPlaceholderText("Search name or A-number")
        self.search.setAccessibleName("Search cases by name or A-number")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda *_: self.refresh())
        self.search.returnPressed.connect(self._open_first)
        layout.addWidget(self.search)
        row = QHBoxLayout()
        self.sort = QComboBox()
        self.sort.setAccessibleName("Sort cases by")
        for label, key in SORTS:
            self.sort.addItem(f"Sort: {label}", key)
        self.sort.currentIndexChanged.connect(lambda *_: self.refresh())
        self.sort.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.sort.setMinimumContentsLength(10)
        self.show_archived = QCheckBox("Archived")
        self.show_archived.setToolTip("Show archived cases too")
        self.show_archived.setAccessibleName("Show archived cases")
        self.show_archived.toggled.connect(lambda *_: self.refresh())
        row.addWidget(self.sort, 1)
        row.addWidget(self.show_archived)
        layout.addLayout(row)

        self.model = CaseListModel(self)
        self.view = QListView()
        self.view.setObjectName("caseList")
        self.view.setAccessibleName("Cases")
        self.view.setModel(self.model)
        self.view.setItemDelegate(TwoLineDelegate(self.view, detail_lines=2))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        layout.addWidget(self.view, 1)

        buttons = QHBoxLayout()
        self.new_button = QPushButton("&New")
        self.new_button.setToolTip("New case (Ctrl+N)")
        self.new_button.setAccessibleName("New case")
        self.new_button.clicked.connect(lambda: self.newRequested.emit())
        self.duplicate_button = QPushButton("Du&plicate")
        self.duplicate_button.setToolTip("Copy the open case to start a similar one (Ctrl+Shift+D)")
        self.duplicate_button.setAccessibleName("Duplicate case")
        self.duplicate_button.clicked.connect(lambda: self.duplicateRequested.emit())
        self.archive_button = QPushButton("Arc&hive")
        self.archive_button.setToolTip("Archive the open case (find it again with “Archived”)")
        self.archive_button.setAccessibleName("Archive case")
        self.archive_button.clicked.connect(lambda: self.archiveRequested.emit())
        for b in (self.new_button, self.duplicate_button, self.archive_button):
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.refresh()

    # ---- content --------------------------------------------------------------------
    def refresh(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else self.current_id()
        cases = self.workspace.search_cases(
            self.search.text(),
            include_archived=self.show_archived.isChecked(),
            sort=str(self.sort.currentData() or "hearing"),
        )
        self._quiet = True
        try:
            self.model.set_cases(cases, self.workspace.exhibit_counts())
            self.select(keep)
        finally:
            self._quiet = False
        self._update_buttons()

    def select(self, case_id: int) -> None:
        """Highlight ``case_id`` without opening it again."""
        row = self.model.row_of(case_id)
        was = self._quiet
        self._quiet = True
        try:
            if row >= 0:
                self.view.setCurrentIndex(self.model.index(row))
            else:
                self.view.selectionModel().clearSelection()
                self.view.selectionModel().setCurrentIndex(
                    QModelIndex(), self.view.selectionModel().SelectionFlag.Clear
                )
        finally:
            self._quiet = was
        self._selected = case_id
        self._update_buttons()

    _selected = 0

    def current_id(self) -> int:
        return self._selected

    def case_ids(self) -> list[int]:
        return [c.id for c in self.model.cases]

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet or not current.isValid():
            return
        case_id = int(current.data(ID_ROLE))
        self._selected = case_id
        self._update_buttons()
        self.caseActivated.emit(case_id)

    def _open_first(self) -> None:
        if self.model.cases:
            case_id = self.model.cases[0].id
            self.select(case_id)
            self.view.setFocus()
            self.caseActivated.emit(case_id)

    def _update_buttons(self) -> None:
        row = self.model.row_of(self._selected)
        has = row >= 0
        self.duplicate_button.setEnabled(has)
        self.archive_button.setEnabled(has)
        archived = has and self.model.cases[row].archived
        self.archive_button.setText("Unarc&hive" if archived else "Arc&hive")
        self.archive_button.setAccessibleName("Unarchive case" if archived else "Archive case")

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

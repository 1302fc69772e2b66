"""Step 5: the packet order.  Drag to reorder (letters follow live), tick to
include or leave out, name sections; Ctrl+Z undoes moves, removals and edits."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import catalogue
from pdpacket.model import packet_exhibits

from .. import dialogs
from ..context import CaseContext
from ..flow import FlowLayout
from ..models import ExhibitTableModel, reordered
from ..style import EmptyState, State, hint
from .base import Step, StepStatus


class ExhibitsStep(Step):
    key = "exhibits"
    title = "Exhibits"
    intro = (
        "The order of the packet. Drag rows (or Ctrl+Up / Ctrl+Down) to reorder; the "
        "letters follow. Untick an exhibit to leave it out. F2 renames, Delete removes, "
        "Ctrl+Z undoes."
    )
    scrolls = False

    # stays long: lays out the table, its buttons and their shortcuts in reading order
    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        col = QVBoxLayout(self.body)
        self.margins(col)
        self.model = ExhibitTableModel(self._factor_label, self)
        self.model.editRequested.connect(self._edit_requested)
        self.model.reorderRequested.connect(self._reorder_requested)

        bar = FlowLayout()  # wraps in a narrow window
        self.up = QPushButton("Move &up")
        self.up.setToolTip("Move the selected exhibits up (Ctrl+Up)")
        self.up.clicked.connect(lambda: self.move_selected(-1))
        self.down = QPushButton("Move do&wn")
        self.down.setToolTip("Move the selected exhibits down (Ctrl+Down)")
        self.down.clicked.connect(lambda: self.move_selected(1))
        self.rename = QPushButton("&Rename")
        self.rename.setToolTip("Rename the selected exhibit (F2)")
        self.rename.clicked.connect(self.rename_selected)
        self.section = QPushButton("&Section…")
        self.section.setToolTip("Put the selected exhibits in a section")
        self.section.clicked.connect(self.set_section)
        self.remove = QPushButton("Re&move")
        self.remove.setToolTip("Remove the selected exhibits from the case (Delete; Ctrl+Z undoes)")
        self.remove.clicked.connect(self.remove_selected)
        for b in (self.up, self.down, self.rename, self.section, self.remove):
            bar.addWidget(b)
        bar.add_stretch()
        self.totals = QLabel()
        self.totals.setObjectName("exhibitTotals")
        bar.addWidget(self.totals)
        col.addLayout(bar)

        self.table = QTableView()
        self.table.setObjectName("exhibitTable")
        self.table.setAccessibleName("Exhibits in packet order")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setDragEnabled(True)
        self.table.setAcceptDrops(True)
        self.table.setDropIndicatorShown(True)
        self.table.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.table.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.table.setDragDropOverwriteMode(False)
        # F2 is the window's "Rename exhibit" action (it calls rename_selected)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked)
        self.table.verticalHeader().setVisible(False)
        self.table.setTabKeyNavigation(False)  # one Tab stop; arrows move inside
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ExhibitTableModel.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)
        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "No exhibits yet",
            "Add evidence on the Evidence step; the exhibits appear here in packet order.",
        )
        go = QPushButton("Go to &Evidence")
        go.clicked.connect(lambda: self.ctx.stepRequested.emit("evidence"))
        self.empty.add_button(go)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        col.addWidget(self.stack, 1)
        col.addWidget(
            hint(
                "Letters go to included exhibits only, in this order. Sections group "
                "exhibits in the index (e.g. Identity, Residence, Country conditions)."
            )
        )

        # keyboard: Delete, F2 (the view's own), Ctrl+Up / Ctrl+Down
        for keys, slot, name in (
            (QKeySequence.StandardKey.Delete, self.remove_selected, "Remove exhibit"),
            (QKeySequence("Ctrl+Up"), lambda: self.move_selected(-1), "Move up"),
            (QKeySequence("Ctrl+Down"), lambda: self.move_selected(1), "Move down"),
        ):
            action = QAction(name, self.table)
            action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.table.addAction(action)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        ctx.exhibitsChanged.connect(self._exhibits_changed)
        self._update_buttons()

    # ---- data -----------------------------------------------------------------------
    def _factor_label(self, factor_id: str) -> str:
        if not self.ctx.has_case:
            return factor_id
        fw = catalogue.framework(self.ctx.case().proceedings.framework_id)
        f = fw.factor(factor_id)
        if f is None:
            f = next((x for w in catalogue.frameworks() if (x := w.factor(factor_id))), None)
        return f.label if f else factor_id.replace("_", " ")

    def load(self) -> None:
        self._refresh(keep=[])

    def _exhibits_changed(self) -> None:
        if self.ctx.has_case:
            self._refresh(keep=self.selected_ids())

    def _refresh(self, keep: Sequence[int]) -> None:
        exhibits = self.ctx.exhibits()
        self.model.set_exhibits(exhibits)
        self.stack.setCurrentWidget(self.table if exhibits else self.empty)
        for w in (self.up, self.down, self.rename, self.section, self.remove, self.totals):
            w.setVisible(bool(exhibits))
        fm = self.table.fontMetrics()
        widths = {
            ExhibitTableModel.LETTER: fm.horizontalAdvance("Exhibit") + fm.height() * 3,
            ExhibitTableModel.SECTION: fm.averageCharWidth() * 16,
            ExhibitTableModel.PAGES: fm.horizontalAdvance("Pages") + fm.height(),
            ExhibitTableModel.FACTORS: fm.averageCharWidth() * 22,
            ExhibitTableModel.DATE: fm.horizontalAdvance("2026-12-31") + fm.height(),
        }
        for column, width in widths.items():
            self.table.setColumnWidth(column, width)
        self.select_ids(keep)
        included = [e for e in exhibits if e.in_packet]
        pages = sum(e.pages for e in included)
        left_out = len(exhibits) - len(included)
        text = f"{len(included)} in the packet, {pages} pages"
        if left_out:
            text += f"; {left_out} left out"
        self.totals.setText(text)
        self._update_buttons()
        self.statusChanged.emit()

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.exhibits[r].id for r in rows if r < len(self.model.exhibits)]

    def select_ids(self, ids: Sequence[int]) -> None:
        sm = self.table.selectionModel()
        sm.clearSelection()
        first: QModelIndex | None = None
        for ex_id in ids:
            row = self.model.row_of(ex_id)
            if row < 0:
                continue
            idx = self.model.index(row, ExhibitTableModel.TITLE)
            sm.select(
                idx,
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
            first = first or idx
        if first is not None:
            sm.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)

    def _update_buttons(self) -> None:
        ids = self.selected_ids()
        for b in (self.up, self.down, self.section, self.remove):
            b.setEnabled(bool(ids))
        self.rename.setEnabled(len(ids) == 1)

    # ---- actions (all undoable) -----------------------------------------------------------
    def _reorder_requested(self, new_order: list[int], moved: list[int]) -> None:
        before = [e.id for e in self.model.exhibits]
        if new_order == before:
            return
        ws = self.ctx.workspace
        self.ctx.history.run(
            "moving the exhibits",
            lambda: ws.move_exhibits(self.ctx.case_id, new_order, moved=moved),
        )
        self.select_ids(moved)

    def move_selected(self, delta: int) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        order = [e.id for e in self.model.exhibits]
        rows = [order.index(i) for i in ids]
        target = max(0, min(rows) - 1) if delta < 0 else min(len(order), max(rows) + 2)
        new = reordered(order, ids, target)
        if new != order:
            self._reorder_requested(new, ids)

    def remove_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        exhibits = [e for e in self.model.exhibits if e.id in ids]
        next_row = min(self.model.row_of(i) for i in ids)
        ws = self.ctx.workspace
        self.ctx.history.run(
            "removing the exhibits", lambda: ws.remove_exhibits([e.id for e in exhibits])
        )
        n = len(exhibits)
        self.ctx.say(
            f"Removed {n} exhibit{'s' if n != 1 else ''}. Press Ctrl+Z to put "
            f"{'them' if n != 1 else 'it'} back."
        )
        if self.model.exhibits:
            row = min(next_row, len(self.model.exhibits) - 1)
            self.select_ids([self.model.exhibits[row].id])

    def rename_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        idx = self.model.index(self.model.row_of(ids[0]), ExhibitTableModel.TITLE)
        self.table.setCurrentIndex(idx)
        self.table.edit(idx)

    def set_section(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        current = next((e.section for e in self.model.exhibits if e.id == ids[0]), "")
        known = sorted({e.section for e in self.model.exhibits if e.section})
        text = dialogs.ask_text(
            self,
            "Section",
            f"Section for {len(ids)} exhibit{'s' if len(ids) != 1 else ''}"
            + (f" (used so far: {', '.join(known)})" if known else "")
            + ":",
            current,
        )
        if text is not None:
            self.apply_to_selected("section", text.strip())

    def apply_to_selected(self, field: str, value: object) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        ws = self.ctx.workspace
        self.ctx.history.run(
            f"changing the {field} of {len(ids)} exhibits",
            lambda: ws.edit_exhibits(ids, field, value),
        )
        self.select_ids(ids)

    def _edit_requested(self, exhibit_id: int, field: str, value: object) -> None:
        exhibits = self.model.exhibits
        if not any(e.id == exhibit_id for e in exhibits):
            return
        keep = self.selected_ids() or [exhibit_id]
        ws = self.ctx.workspace
        self.ctx.history.run(
            f"changing the {field.replace('_', ' ')}",
            lambda: ws.edit_exhibit(exhibit_id, field, value),
        )
        self.select_ids(keep)
        if self.isVisible():
            # the edit reset the table under its editor: the keyboard stays on the
            # row just edited (after the editor has closed), so F2 renames it again
            QTimer.singleShot(0, lambda: self._focus_row(exhibit_id))

    def _focus_row(self, exhibit_id: int) -> None:
        row = self.model.row_of(exhibit_id)
        if row < 0:
            return
        idx = self.model.index(row, ExhibitTableModel.TITLE)
        self.table.selectionModel().setCurrentIndex(
            idx,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def first_focus(self) -> QWidget | None:
        return self.table

    def status(self) -> StepStatus:
        if not self.ctx.has_case:
            return StepStatus(State.EMPTY, "")
        exhibits = self.ctx.exhibits()
        lettered = packet_exhibits(exhibits)
        if not lettered:
            return StepStatus(State.EMPTY, "Nothing to put in")
        last = lettered[-1][0]
        return StepStatus(State.DONE, f"A–{last}, {sum(e.pages for _, e in lettered)} pages")

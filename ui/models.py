"""Qt item models over the core's plain data (cases, exhibits, builds).

Models never write to the store: edits and drops are turned into requests
(signals) that the step turns into undoable commands.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from pdpacket.model import BuildRecord, Case, Exhibit, FileRole, packet_exhibits

from .style import GREY, human_size

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 2
ARCHIVED_ROLE = Qt.ItemDataRole.UserRole + 3
EXHIBIT_MIME = "application/x-pdpacket-exhibit-ids"


def friendly_date(d: dt.date | None, today: dt.date | None = None) -> str:
    if d is None:
        return ""
    today = today or dt.date.today()
    days = (d - today).days
    when = f"{d:%b} {d.day}, {d.year}"
    if days == 0:
        return f"{when} (today)"
    if days == 1:
        return f"{when} (tomorrow)"
    if 0 < days <= 60:
        return f"{when} (in {days} days)"
    if -30 <= days < 0:
        return f"{when} ({-days} days ago)"
    return when


def local_time(iso: str) -> str:
    try:
        t = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if t.tzinfo is not None:
        t = t.astimezone()
    return f"{t:%Y-%m-%d %H:%M}"


class CaseListModel(QAbstractListModel):
    """The cases of the workspace: name, A-number, next hearing, exhibit count."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.cases: list[Case] = []
        self.counts: dict[int, int] = {}

    def set_cases(self, cases: Sequence[Case], counts: dict[int, int]) -> None:
        self.beginResetModel()
        self.cases = list(cases)
        self.counts = dict(counts)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.cases)

    def row_of(self, case_id: int) -> int:
        return next((i for i, c in enumerate(self.cases) if c.id == case_id), -1)

    def detail(self, case: Case) -> str:
        """Two lines: the A-number and exhibit count; the next hearing."""
        n = self.counts.get(case.id, 0)
        first = [
            case.client.a_number_display or "No A-number",
            f"{n} exhibit{'s' if n != 1 else ''}",
        ]
        if case.archived:
            first.append("archived")
        hearing = case.proceedings.hearing_date
        second = f"Hearing {friendly_date(hearing)}" if hearing else "No hearing date"
        return " · ".join(first) + "\n" + second

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.cases):
            return None
        case = self.cases[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return case.client.name
        if role == DETAIL_ROLE:
            return self.detail(case)
        if role == ID_ROLE:
            return case.id
        if role == ARCHIVED_ROLE:
            return case.archived
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{case.client.name}\n{self.detail(case)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{case.client.name}, " + self.detail(case).replace("\n", ", ")
        return None


class ExhibitTableModel(QAbstractTableModel):
    """The packet order: letter (with include/exclude), title, section, pages,
    factors supported and date.  Drag rows to reorder."""

    LETTER, TITLE, SECTION, PAGES, FACTORS, DATE = range(6)
    HEADERS = ("Exhibit", "Title", "Section", "Pages", "Supports", "Date")

    editRequested = Signal(int, str, object)  # exhibit id, field, new value
    reorderRequested = Signal(list, list)  # new order of ids, ids that moved

    def __init__(self, factor_label: Callable[[str], str], parent: Any = None) -> None:
        super().__init__(parent)
        self.exhibits: list[Exhibit] = []
        self.letters: list[str] = []
        self.factor_label = factor_label

    # ---- content ----------------------------------------------------------
    def set_exhibits(self, exhibits: Sequence[Exhibit]) -> None:
        self.beginResetModel()
        self.exhibits = list(exhibits)
        self.letters = packet_letters(self.exhibits)
        self.endResetModel()

    def exhibit_at(self, row: int) -> Exhibit | None:
        return self.exhibits[row] if 0 <= row < len(self.exhibits) else None

    def row_of(self, exhibit_id: int) -> int:
        return next((i for i, e in enumerate(self.exhibits) if e.id == exhibit_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.exhibits)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        ex = self.exhibit_at(index.row()) if index.isValid() else None
        if ex is None:
            return None
        col = index.column()
        if role == ID_ROLE:
            return ex.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(ex, index.row(), col, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.CheckStateRole and col == self.LETTER:
            return Qt.CheckState.Checked if ex.included else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and not ex.included:
            return QBrush(QColor(GREY))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.PAGES,):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(ex)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(ex, index.row(), col, False) or "empty"
        return None

    def _text(self, ex: Exhibit, row: int, col: int, edit: bool) -> str:
        if col == self.LETTER:
            return self.letters[row] if row < len(self.letters) else ""
        if col == self.TITLE:
            return ex.title
        if col == self.SECTION:
            return ex.section
        if col == self.PAGES:
            return str(ex.pages)
        if col == self.FACTORS:
            return ", ".join(self.factor_label(f) for f in ex.factor_ids)
        if col == self.DATE:
            if not ex.doc_date:
                return ""
            if not edit and ex.dates and ex.dates[1] != ex.doc_date:
                return f"{ex.doc_date.isoformat()} \u2013 {ex.dates[1].isoformat()}"
            return ex.doc_date.isoformat()
        return ""

    def _tooltip(self, ex: Exhibit) -> str:
        lines = [ex.title]
        if not ex.included:
            lines.append("Left out of the packet (tick the box to include it).")
        for f in ex.files:
            role = {FileRole.TRANSLATION: "translation", FileRole.CERTIFICATE: "certificate"}
            extra = f" ({role[f.role]})" if f.role in role else ""
            n = f.packet_pages  # after page edits
            lines.append(f"{f.original_name}{extra}: {n} page{'s' if n != 1 else ''}")
            lines.extend(f"  ⚠ {w}" for w in f.warnings)
        return "\n".join(lines)

    # ---- editing ------------------------------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base
        flags = (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )
        col = index.column()
        if col == self.LETTER:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        if col in (self.TITLE, self.SECTION, self.DATE):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        ex = self.exhibit_at(index.row()) if index.isValid() else None
        if ex is None:
            return False
        col = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == self.LETTER:
            included = Qt.CheckState(value) == Qt.CheckState.Checked
            if included != ex.included:
                self.editRequested.emit(ex.id, "included", included)
            return True
        if role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value or "").strip()
        field = {self.TITLE: "title", self.SECTION: "section", self.DATE: "doc_date"}.get(col)
        if field is None:
            return False
        current = self._text(ex, index.row(), col, True)
        if text != current:
            self.editRequested.emit(ex.id, field, text)
        return True

    # ---- drag and drop --------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [EXHIBIT_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = [self.exhibits[r].id for r in rows if r < len(self.exhibits)]
        mime = QMimeData()
        mime.setData(EXHIBIT_MIME, QByteArray(json.dumps(ids).encode()))
        return mime

    def canDropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        return data.hasFormat(EXHIBIT_MIME)

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        if not data.hasFormat(EXHIBIT_MIME):
            return False
        try:
            moved = [int(i) for i in json.loads(bytes(data.data(EXHIBIT_MIME).data()).decode())]
        except (ValueError, TypeError):
            return False
        if row < 0:  # dropped on an item: before it; on empty space: at the end
            row = parent.row() if parent.isValid() else len(self.exhibits)
        new_order = reordered([e.id for e in self.exhibits], moved, row)
        if new_order != [e.id for e in self.exhibits]:
            self.reorderRequested.emit(new_order, moved)
        return True

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        # A finished internal move would remove the dragged rows: the reorder
        # request already took care of the order, so there is nothing to remove.
        return False


def reordered(order: Sequence[int], moved: Sequence[int], row: int) -> list[int]:
    """``order`` with the ids in ``moved`` taken out and put back before ``row``."""
    moving = [i for i in order if i in set(moved)]
    before = sum(1 for i in order[:row] if i in set(moved))
    rest = [i for i in order if i not in set(moved)]
    at = max(0, min(len(rest), row - before))
    return rest[:at] + moving + rest[at:]


def packet_letters(exhibits: Sequence[Exhibit]) -> list[str]:
    """The letter each exhibit gets in the packet ("—" when it is left out)."""
    lettered = {e.id: letter for letter, e in packet_exhibits(exhibits)}
    return [lettered.get(e.id, "—") for e in exhibits]


def _build_status_tip(b: BuildRecord) -> str:
    if b.final is None:
        return "Built before pdpacket marked drafts: nobody checked it against the review."
    if b.final:
        return "Final: the review had no errors; no page says DRAFT."
    return "Draft: every page says DRAFT. The review's errors then:\n" + "\n".join(
        f"• {r}" for r in b.draft_reasons
    )


def build_parts(b: BuildRecord) -> list[tuple[str, int]]:
    """Each file a build wrote, with its size: one, or the parts of a split edition
    (whose record names part 1 only)."""
    parts, sizes = b.options.get("parts"), b.options.get("part_sizes")
    if isinstance(parts, list) and isinstance(sizes, list) and len(parts) == len(sizes) > 0:
        return [(str(p), int(n)) for p, n in zip(parts, sizes, strict=True)]
    return [(b.path, b.size)]


class BuildHistoryModel(QAbstractTableModel):
    """Packets built for the case: when, final or draft, pages, size, hash and where."""

    HEADERS = ("Built", "Status", "Pages", "Size", "SHA-256", "File")
    FILE_COLUMN = 5

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.builds: list[BuildRecord] = []

    def set_builds(self, builds: Sequence[BuildRecord]) -> None:
        self.beginResetModel()
        self.builds = list(builds)
        self.endResetModel()

    def build_at(self, row: int) -> BuildRecord | None:
        return self.builds[row] if 0 <= row < len(self.builds) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.builds)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        b = self.build_at(index.row()) if index.isValid() else None
        if b is None:
            return None
        col = index.column()
        exists = Path(b.path).exists()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == 0:
                return local_time(b.created_at)
            if col == 1:
                return b.status
            parts = build_parts(b)
            if col == 2:
                return str(b.pages)
            if col == 3:
                return human_size(sum(size for _, size in parts))
            if col == 4:
                return b.sha256[:12] + "…"
            name = Path(b.path).name + (f" + {len(parts) - 1} more" if len(parts) > 1 else "")
            return name + ("" if exists else " (moved or deleted)")
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == 1:
                return _build_status_tip(b)
            files = "\n".join(f"{p} ({human_size(n)})" for p, n in build_parts(b))
            return f"{files}\nSHA-256 {b.sha256}" + ("" if exists else "\nThe file is gone.")
        if role == Qt.ItemDataRole.ForegroundRole and not exists:
            return QBrush(QColor(GREY))
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (2, 3):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ID_ROLE:
            return b.id
        return None

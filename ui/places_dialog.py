"""Settings → Offices and courts: the firm's addresses, PD mailboxes, size limits
and subject lines of the OPLA offices, and the courts' addresses, in two tables.

pdpacket ships what public sources give and leaves the rest blank (an address
or mailbox nobody checked is never guessed); the firm fills them in here.  What
the firm changed is kept apart from the shipped data and marked "edited by the
firm"; "Reset row" goes back to the shipped values.  Every change goes through
the workspace (``Workspace.edit_office``/``edit_court``), as the CLI's
``pdpacket settings office|court`` does.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import Workspace
from pdpacket.model.policy import Place

from .errors import show_exception
from .style import hint

# (field, heading, editable); "" fields are drawn from the place itself
OFFICE_COLUMNS = (
    ("name", "Office", False),
    ("address", "Postal address", True),
    ("email", "PD mailbox (e-mail)", True),
    ("max_mb", "Max MB", True),
    ("subject_format", "Subject line", True),
    ("source", "Source", False),
)
COURT_COLUMNS = (
    ("name", "Court", False),
    ("address", "Address", True),
    ("administrative_control_court", "Control court", False),
    ("source", "Source", False),
)


def _value(place: Place, key: str) -> str:
    if key == "source":
        if place.edited:
            return "edited by the firm (" + ", ".join(place.edited) + ")"
        if not place.source:
            return "not verified"
        return place.source + (f" (verified {place.verified_on})" if place.verified_on else "")
    if key in ("name", "address", "email"):
        return str(getattr(place, key)).replace("\n", "; ")
    value = place.get(key, "")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return "" if value is None else str(value)


class PlacesTable(QTableWidget):
    """One kind of place, one row each; editable cells are the firm's fields."""

    def __init__(
        self, kind: str, columns: tuple[tuple[str, str, bool], ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(0, len(columns), parent)
        self.kind = kind
        self.columns = columns
        self.setHorizontalHeaderLabels([c[1] for c in columns])
        self.setAccessibleName("Offices" if kind == "office" else "Courts")
        self.verticalHeader().setVisible(False)
        self.setTabKeyNavigation(False)  # one Tab stop; arrows move between cells
        self.horizontalHeader().setStretchLastSection(True)
        self.setWordWrap(False)
        self.places: list[Place] = []

    def show_places(self, places: tuple[Place, ...]) -> None:
        self.places = list(places)
        self.setRowCount(len(places))
        for row, place in enumerate(places):
            for col, (key, _, editable) in enumerate(self.columns):
                item = QTableWidgetItem(_value(place, key))
                flags = item.flags()
                if not editable:
                    item.setFlags(flags & ~Qt.ItemFlag.ItemIsEditable)
                if key in place.edited:
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                    item.setToolTip("Edited by the firm")
                self.setItem(row, col, item)
        self.resizeColumnsToContents()
        for col in range(self.columnCount()):
            self.setColumnWidth(col, min(self.columnWidth(col), 240))

    def changes(self) -> dict[str, dict[str, str]]:
        """place id -> {field: the new text} for the cells the user changed."""
        out: dict[str, dict[str, str]] = {}
        for row, place in enumerate(self.places):
            for col, (key, _, editable) in enumerate(self.columns):
                cell = self.item(row, col)
                if not editable or cell is None:
                    continue
                text = cell.text().strip()
                if text == _value(place, key).strip():
                    continue
                if key == "address":  # shown on one line, lines separated by "; "
                    text = "\n".join(x.strip() for x in text.split(";") if x.strip())
                out.setdefault(place.id, {})[key] = text
        return out


class PlacesDialog(QDialog):
    """The firm's offices and courts, saved through the workspace on OK."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Offices and courts")
        self.resize(980, 560)
        self.workspace = workspace
        col = QVBoxLayout(self)
        col.addWidget(
            hint(
                "Enter each address and PD mailbox from ICE's and EOIR's published lists or "
                "from the office itself; never a guessed one. Bold cells were edited by the firm. "
                "A blank address or mailbox for a case's office is a review warning."
            )
        )
        self.tabs = QTabWidget()
        self.offices = PlacesTable("office", OFFICE_COLUMNS)
        self.courts = PlacesTable("court", COURT_COLUMNS)
        self.tabs.addTab(self.offices, "OPLA offices")
        self.tabs.addTab(self.courts, "Immigration courts")
        col.addWidget(self.tabs)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.reset_button = QPushButton("&Reset row to shipped data")
        self.reset_button.clicked.connect(self._reset_row)
        buttons.addButton(self.reset_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        col.addWidget(buttons)
        self._load()

    def _load(self) -> None:
        self.offices.show_places(self.workspace.opla_offices())
        self.courts.show_places(self.workspace.courts())

    def _table(self) -> PlacesTable:
        return self.offices if self.tabs.currentIndex() == 0 else self.courts

    def _reset_row(self) -> None:
        table = self._table()
        row = table.currentRow()
        if row < 0 or row >= len(table.places):
            return
        place = table.places[row]
        try:
            if table.kind == "office":
                self.workspace.edit_office(place.id, reset=True)
            else:
                self.workspace.edit_court(place.id, reset=True)
        except Exception as exc:
            show_exception(exc, self, action=f"resetting {place.name}")
        self._load()
        table.setCurrentCell(row, 0)

    def save(self) -> bool:
        """Store every changed cell; False (and the error shown) if one is refused."""
        for table in (self.offices, self.courts):
            for place_id, changes in table.changes().items():
                try:
                    if table.kind == "office":
                        self.workspace.edit_office(place_id, changes)
                    else:
                        self.workspace.edit_court(place_id, changes)
                except Exception as exc:
                    show_exception(exc, self, action=f"saving {place_id}")
                    return False
        return True

    def _save(self) -> None:
        if self.save():
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, workspace: Workspace) -> bool:
        return cls(workspace, parent).exec() == QDialog.DialogCode.Accepted

"""The main window: the case list and, for an open case, its exhibits."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import Workspace
from pdpacket.identifiers import exhibit_letter

CASE_ID_ROLE = Qt.ItemDataRole.UserRole


class MainWindow(QMainWindow):
    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.current_case_id: int | None = None
        self.resize(1100, 700)

        self.case_list = QListWidget()
        self.case_list.setObjectName("caseList")
        self.case_list.setAccessibleName("Cases")
        self.case_list.currentItemChanged.connect(self._on_case_selected)

        self.case_header = QLabel("Open a case from the list on the left.")
        self.case_header.setObjectName("caseHeader")
        self.case_header.setWordWrap(True)
        self.exhibit_table = QTableWidget(0, 4)
        self.exhibit_table.setObjectName("exhibitTable")
        self.exhibit_table.setAccessibleName("Exhibits")
        self.exhibit_table.setHorizontalHeaderLabels(["Exhibit", "Title", "Pages", "Files"])
        self.exhibit_table.horizontalHeader().setStretchLastSection(False)
        self.exhibit_table.horizontalHeader().setSectionResizeMode(
            1, self.exhibit_table.horizontalHeader().ResizeMode.Stretch
        )
        self.exhibit_table.verticalHeader().setVisible(False)
        self.exhibit_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        right = QWidget()
        layout = QVBoxLayout(right)
        layout.addWidget(self.case_header)
        layout.addWidget(self.exhibit_table)

        splitter = QSplitter()
        splitter.addWidget(self.case_list)
        splitter.addWidget(right)
        splitter.setSizes([300, 800])
        self.setCentralWidget(splitter)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.case_list.setFocus)

        self.refresh_cases()
        self._update_title()

    def refresh_cases(self) -> None:
        self.case_list.clear()
        for case in self.workspace.list_cases():
            item = QListWidgetItem(case.title)
            item.setData(CASE_ID_ROLE, case.id)
            self.case_list.addItem(item)
        if self.case_list.count():
            self.case_list.setCurrentRow(0)

    def _on_case_selected(self, item: QListWidgetItem | None, _prev: object = None) -> None:
        if item is None:
            return
        self.open_case(int(item.data(CASE_ID_ROLE)))

    def open_case(self, case_id: int) -> None:
        case = self.workspace.get_case(case_id)
        self.current_case_id = case_id
        exhibits = [e for e in self.workspace.exhibits(case_id) if e.included]
        hearing = case.proceedings.hearing_date
        self.case_header.setText(
            f"<b>{case.client.name}</b> &nbsp; {case.client.a_number_display}"
            + (f" &nbsp; — next hearing {hearing:%B %d, %Y}" if hearing else "")
            + f"<br>{len(exhibits)} exhibits"
        )
        self.exhibit_table.setRowCount(len(exhibits))
        for row, ex in enumerate(exhibits):
            values = [exhibit_letter(row), ex.title, str(ex.pages), str(len(ex.files))]
            for col, value in enumerate(values):
                self.exhibit_table.setItem(row, col, QTableWidgetItem(value))
        self.exhibit_table.resizeColumnToContents(0)
        self._update_title()

    def _update_title(self) -> None:
        if self.current_case_id is None:
            self.setWindowTitle("pdpacket")
        else:
            case = self.workspace.get_case(self.current_case_id)
            self.setWindowTitle(f"{case.title} — pdpacket")

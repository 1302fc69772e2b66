"""The minimal window: lists cases, opens one, shows its exhibits."""

from PySide6.QtCore import Qt

from pdpacket.model import Client
from ui.main_window import MainWindow


def test_window_opens_on_the_demo_case(qtbot, workspace):
    case_id = workspace.ensure_demo_case()
    assert case_id is not None
    assert workspace.ensure_demo_case() is None  # only on first start
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    window.show()
    assert window.case_list.count() == 1
    assert window.current_case_id == case_id
    assert window.windowTitle() == "Lucía Fernanda Morales Rivas (A201-555-014) — pdpacket"
    table = window.exhibit_table
    assert table.rowCount() == 11
    assert table.item(0, 0).text() == "A"
    assert table.item(0, 1).text() == "Passport of Lucía F. Morales Rivas"
    assert table.item(10, 0).text() == "K"


def test_clicking_another_case_shows_its_exhibits(qtbot, workspace, pdf_factory):
    first = workspace.create_case(Client(name="First Client"))
    second = workspace.create_case(Client(name="Second Client", a_number="12345678"))
    workspace.add_evidence(second, [pdf_factory("lease.pdf", ["1", "2"])])
    window = MainWindow(workspace)
    qtbot.addWidget(window)
    assert window.current_case_id == first
    assert window.exhibit_table.rowCount() == 0
    item = window.case_list.item(1)
    rect = window.case_list.visualItemRect(item)
    qtbot.mouseClick(window.case_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.current_case_id == second
    assert window.exhibit_table.item(0, 1).text() == "Lease"
    assert window.exhibit_table.item(0, 2).text() == "2"
    assert "Second Client (A012-345-678)" in window.windowTitle()

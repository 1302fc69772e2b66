"""Exhibits step: keyboard reordering, removal and undo, renaming, sections."""

from __future__ import annotations

import pdpacket.ui.dialogs
import pytest
from pdpacket.ui.models import ExhibitTableModel
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from pdpacket.model import Client
from tests.pdftools import make_pdf

from .helpers import drop_files, wait_jobs


@pytest.fixture
def exhibits(qtbot, window, workspace, evidence_dir):  # type: ignore[no-untyped-def]
    case_id = workspace.create_case(Client(name="Order Client"))
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("evidence")
    files = [
        make_pdf(evidence_dir / f"{name}.pdf", [name]) for name in ("alpha", "bravo", "charlie")
    ]
    drop_files(window.step("evidence"), files)
    wait_jobs(qtbot, window)
    window.go_to_step("exhibits")
    step = window.step("exhibits")
    step.case_id = case_id
    return step


def titles(workspace, case_id):  # type: ignore[no-untyped-def]
    return [e.title for e in workspace.exhibits(case_id)]


def test_keyboard_moves_letters_follow_and_ctrl_z_undoes(qtbot, window, workspace, exhibits):
    exhibits.select_ids([workspace.exhibits(exhibits.case_id)[2].id])
    exhibits.table.setFocus()
    qtbot.keySequence(exhibits.table, QKeySequence("Ctrl+Up"))
    assert titles(workspace, exhibits.case_id) == ["Alpha", "Charlie", "Bravo"]
    m = exhibits.model
    assert m.data(m.index(1, ExhibitTableModel.TITLE)) == "Charlie"
    assert m.data(m.index(1, ExhibitTableModel.LETTER)) == "B"
    assert exhibits.selected_ids() == [workspace.exhibits(exhibits.case_id)[1].id]
    qtbot.keySequence(window, QKeySequence.StandardKey.Undo)
    assert titles(workspace, exhibits.case_id) == ["Alpha", "Bravo", "Charlie"]


def test_delete_removes_and_undo_brings_it_back_with_its_files(
    qtbot, window, workspace, exhibits, evidence_dir
):
    bravo = workspace.exhibits(exhibits.case_id)[1]
    exhibits.select_ids([bravo.id])
    exhibits.table.setFocus()
    qtbot.keyClick(exhibits.table, Qt.Key.Key_Delete)
    assert titles(workspace, exhibits.case_id) == ["Alpha", "Charlie"]
    assert "Ctrl+Z" in window.statusBar().currentMessage()
    # other work in between (a worker job opens its own connection)
    window.go_to_step("evidence")
    drop_files(window.step("evidence"), [make_pdf(evidence_dir / "delta.pdf", ["delta"])])
    wait_jobs(qtbot, window)
    window.undo_action.trigger()
    restored = workspace.exhibits(exhibits.case_id)
    assert [e.title for e in restored] == ["Alpha", "Bravo", "Charlie", "Delta"]
    assert restored[1] == bravo  # same id, files and fields
    assert workspace.store.blobs.read(bravo.files[0].pdf_sha256)


def test_rename_with_f2_and_undo(qtbot, window, workspace, exhibits):
    first = workspace.exhibits(exhibits.case_id)[0]
    exhibits.select_ids([first.id])
    exhibits.table.setFocus()
    qtbot.keyClick(exhibits.table, Qt.Key.Key_F2)
    editor = exhibits.table.focusWidget()
    assert editor is not exhibits.table and editor.text() == "Alpha"
    editor.selectAll()
    qtbot.keyClicks(editor, "Passport of the client")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next loop turn
    qtbot.waitUntil(lambda: titles(workspace, exhibits.case_id)[0] == "Passport of the client")
    window.undo_action.trigger()
    assert titles(workspace, exhibits.case_id)[0] == "Alpha"
    assert window.undo_action.text().startswith("Undo") or window.redo_action.isEnabled()


def test_sections_and_leaving_out(qtbot, window, workspace, exhibits, monkeypatch):
    ids = [e.id for e in workspace.exhibits(exhibits.case_id)]
    exhibits.select_ids(ids[:2])
    monkeypatch.setattr(pdpacket.ui.dialogs, "ask_text", lambda *a, **k: "Identity")
    exhibits.section.click()
    assert [e.section for e in workspace.exhibits(exhibits.case_id)] == ["Identity", "Identity", ""]
    window.undo_action.trigger()  # one step for the whole selection
    assert [e.section for e in workspace.exhibits(exhibits.case_id)] == ["", "", ""]
    m = exhibits.model
    m.setData(m.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert [m.data(m.index(r, 0)) for r in range(3)] == ["—", "A", "B"]
    assert "2 in the packet" in exhibits.totals.text() and "1 left out" in exhibits.totals.text()


def test_a_bad_date_typed_in_the_table_is_explained(qtbot, window, workspace, exhibits, errors):
    m = exhibits.model
    m.setData(m.index(0, ExhibitTableModel.DATE), "31/31/2020", Qt.ItemDataRole.EditRole)
    (report,) = errors.take()
    assert "31/31/2020" in report.text and "YYYY-MM-DD" in report.hint
    assert workspace.exhibits(exhibits.case_id)[0].doc_date is None
    m.setData(m.index(0, ExhibitTableModel.DATE), "03/14/2026", Qt.ItemDataRole.EditRole)
    assert str(workspace.exhibits(exhibits.case_id)[0].doc_date) == "2026-03-14"

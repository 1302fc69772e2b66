"""The window around the steps: case list, restoring, autosave, shortcuts."""

from __future__ import annotations

import datetime as dt

import pdpacket.ui.dialogs
from pdpacket.ui.dialogs import NewCase, SettingsValues
from pdpacket.ui.steps import STEP_CLASSES
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

from pdpacket.model import Client, Proceedings

from .helpers import wait_jobs


def test_window_opens_on_the_demo_case(qtbot, make_window, workspace):
    case_id = workspace.ensure_demo_case()
    assert workspace.ensure_demo_case() is None  # only on first start
    window = make_window()
    assert window.cases.case_ids() == [case_id]
    assert window.ctx.case_id == case_id
    assert window.windowTitle() == "Lucía Fernanda Morales Rivas (A201-555-014) — pdpacket"
    assert not window.windowIcon().isNull()
    window.go_to_step("exhibits")
    model = window.step("exhibits").model
    assert model.rowCount() == 15
    assert model.data(model.index(0, 0)) == "A"
    assert model.data(model.index(0, 1)) == "Passport of Lucía F. Morales Rivas"
    assert model.data(model.index(14, 0)) == "O"
    wait_jobs(qtbot, window)


def _cases(workspace):
    today = dt.date.today()
    a = workspace.create_case(
        Client(name="Zoe Later", a_number="111222333"),
        Proceedings(hearing_date=today + dt.timedelta(days=90)),
    )
    b = workspace.create_case(
        Client(name="Ana Soon", a_number="444555666"),
        Proceedings(hearing_date=today + dt.timedelta(days=5)),
    )
    c = workspace.create_case(Client(name="José No Date"))
    return a, b, c


def test_case_list_sorts_by_next_hearing_and_searches_name_or_a_number(qtbot, window, workspace):
    a, b, c = _cases(workspace)
    window.cases.refresh()
    assert window.cases.case_ids() == [b, a, c]
    assert "in 5 days" in window.cases.model.detail(window.cases.model.cases[0])
    qtbot.keyClicks(window.cases.search, "jose")
    assert window.cases.case_ids() == [c]
    window.cases.search.clear()
    qtbot.keyClicks(window.cases.search, "A444-555")
    assert window.cases.case_ids() == [b]
    qtbot.keyClick(window.cases.search, Qt.Key.Key_Return)  # Enter opens the match
    assert window.ctx.case_id == b
    window.cases.search.clear()
    window.cases.sort.setCurrentIndex(window.cases.sort.findData("name"))
    assert window.cases.case_ids() == [b, c, a]


def test_clicking_a_case_opens_it(qtbot, window, workspace):
    a, _b, _c = _cases(workspace)
    window.cases.refresh()
    view = window.cases.view
    rect = view.visualRect(window.cases.model.index(1))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.ctx.case_id == a
    assert "Zoe Later" in window.header.text()


def test_new_duplicate_and_archive(qtbot, window, workspace, monkeypatch):
    monkeypatch.setattr(pdpacket.ui.dialogs.NewCaseDialog, "ask", classmethod(lambda cls, p: None))
    window.new_action.trigger()  # cancelled: nothing happens
    assert workspace.list_cases() == []
    monkeypatch.setattr(
        pdpacket.ui.dialogs.NewCaseDialog,
        "ask",
        classmethod(lambda cls, p: NewCase("Rosa Díaz", "A012-345-678")),
    )
    qtbot.keySequence(window, QKeySequence.StandardKey.New)
    (case,) = workspace.list_cases()
    assert case.client.a_number == "012345678"
    assert window.ctx.case_id == case.id
    window.duplicate_action.trigger()
    copy_id = window.ctx.case_id
    assert copy_id != case.id
    assert workspace.get_case(copy_id).client.name == "Rosa Díaz (copy)"
    assert len(window.cases.case_ids()) == 2
    # archive the copy: it leaves the list, the other case opens
    window.cases.archive_button.click()
    assert workspace.get_case(copy_id).archived
    assert window.cases.case_ids() == [case.id]
    assert window.ctx.case_id == case.id
    window.cases.show_archived.setChecked(True)
    assert copy_id in window.cases.case_ids()
    window.cases.select(copy_id)
    assert window.cases.archive_button.text().replace("&", "") == "Unarchive"
    window.cases.archive_button.click()
    assert not workspace.get_case(copy_id).archived


def test_typing_is_saved_on_close_and_the_window_comes_back_as_it_was(
    qtbot, make_window, workspace
):
    first, second, _ = _cases(workspace)
    window = make_window()
    window.open_case(first)
    window.go_to_step("client")
    judge = window.step("client").judge
    judge.setFocus()
    qtbot.keyClicks(judge, "Hon. A. Reyes")  # no Enter, no pause: still being typed
    window.go_to_step("factors")
    window.resize(1100, 720)
    window.close()
    assert workspace.get_case(first).proceedings.judge == "Hon. A. Reyes"

    again = make_window(resize=False)
    # geometry comes back (the offscreen screen is 800 px wide, so Qt narrows the
    # restored width to fit it; the height shows the saved geometry was used)
    assert again.height() == 720
    assert again.ctx.case_id == first
    assert again.current_step().key == "factors"
    assert again.step("client").judge.text() == "Hon. A. Reyes"
    _ = second


def test_steps_follow_one_list_with_shortcuts(qtbot, window, workspace):
    case_id = workspace.create_case(Client(name="Keys"))
    window.cases.refresh()
    window.open_case(case_id)
    assert [s.key for s in window.steps] == [cls.key for cls in STEP_CLASSES]
    assert window.sidebar.count() == len(STEP_CLASSES)
    for n, step in enumerate(window.steps[:9], 1):  # the tenth (Build): Ctrl+B builds
        qtbot.keySequence(window, QKeySequence(f"Ctrl+{n}"))
        assert window.current_step() is step
        assert window.step_stack.currentWidget() is step
    qtbot.keySequence(window, QKeySequence.StandardKey.Open)
    assert window.cases.search.hasFocus()


def test_every_input_has_an_accessible_name(window, workspace):
    workspace.ensure_demo_case()
    window.cases.refresh()
    window.open_case(workspace.list_cases()[0].id)
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QHeaderView,
        QPlainTextEdit,
        QTabBar,
    )

    missing = []
    for w in window.findChildren(QWidget):
        if not isinstance(
            w, QLineEdit | QPlainTextEdit | QComboBox | QAbstractItemView | QAbstractButton
        ):
            continue
        if isinstance(w.parent(), QComboBox) or w.objectName().startswith("qt_"):
            continue
        if isinstance(w, QHeaderView) or w.window() is not window:  # headers, completer popups
            continue
        if isinstance(w.parent(), QLineEdit | QTabBar):  # a line edit's clear button, tab scrollers
            continue
        name = w.accessibleName() or (w.text() if isinstance(w, QAbstractButton) else "")
        if not name.replace("&", "").strip():
            missing.append(f"{type(w).__name__} {w.objectName()}")
    assert not missing, missing


def test_settings_fill_the_attorney_details(qtbot, window, workspace, monkeypatch):
    case_id = workspace.create_case(Client(name="Settings Case"))
    window.cases.refresh()
    window.open_case(case_id)
    client = window.step("client")
    assert "No attorney details" in client.attorney.text()

    def ask(cls, parent, values: SettingsValues):  # type: ignore[no-untyped-def]
        from dataclasses import replace

        return SettingsValues(
            replace(
                values.attorney, name="Maria Ortiz, Esq.", firm="Ortiz Law", eoir_id="ZZ123456"
            ),
            "/tmp/packets",
        )

    monkeypatch.setattr(pdpacket.ui.dialogs.SettingsDialog, "ask", classmethod(ask))
    from PySide6.QtWidgets import QPushButton

    edit = next(
        b for b in client.findChildren(QPushButton) if b.accessibleName() == "Edit attorney details"
    )
    edit.click()  # the step's own button opens Settings
    assert workspace.store.attorney().name == "Maria Ortiz, Esq."
    assert "Maria Ortiz" in client.attorney.text() and "EOIR ID ZZ123456" in client.attorney.text()
    assert workspace.store.get_setting("packet_folder") == "/tmp/packets"


def test_notes_are_saved_after_a_pause_in_typing_without_leaving_the_field(
    qtbot, window, workspace
):
    case_id = workspace.create_case(Client(name="Pause"))
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("factors")
    row = window.step("factors").rows["long_residence"]
    row.applies.click()
    row.notes.setFocus()
    qtbot.keyClicks(row.notes, "Arrived in 2009")
    assert row.notes.hasFocus()
    qtbot.waitUntil(
        lambda: workspace.store.factor_answers(case_id)["long_residence"].notes == "Arrived in 2009"
    )


def test_delete_on_the_evidence_list_removes_and_ctrl_z_restores(
    qtbot, window, workspace, evidence_dir
):
    from tests.pdftools import make_pdf

    from .helpers import drop_files

    case_id = workspace.create_case(Client(name="Evidence Delete"))
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("evidence")
    evidence = window.step("evidence")
    drop_files(evidence, [make_pdf(evidence_dir / n, [n]) for n in ("one.pdf", "two.pdf")])
    wait_jobs(qtbot, window)
    evidence.list.setFocus()
    evidence.list.setCurrentRow(0)
    qtbot.keyClick(evidence.list, Qt.Key.Key_Delete)
    assert [e.title for e in workspace.exhibits(case_id)] == ["Two"]
    qtbot.keySequence(window, QKeySequence.StandardKey.Undo)
    assert [e.title for e in workspace.exhibits(case_id)] == ["One", "Two"]
    wait_jobs(qtbot, window)


def test_the_edit_menu_names_the_change_ctrl_z_takes_back(qtbot, window, workspace, evidence_dir):
    from tests.pdftools import make_pdf

    from .helpers import drop_files

    case_id = workspace.create_case(Client(name="Menu Undo"))
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("evidence")
    evidence = window.step("evidence")
    drop_files(evidence, [make_pdf(evidence_dir / n, [n]) for n in ("one.pdf", "two.pdf")])
    wait_jobs(qtbot, window)
    assert not window.undo_action.isEnabled()
    evidence.list.setCurrentRow(1)
    evidence.remove_current()
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "&Undo removal of Exh. B"
    window.undo_action.trigger()
    assert window.redo_action.text() == "&Redo removal of Exh. B"
    assert [e.title for e in workspace.exhibits(case_id)] == ["One", "Two"]


def test_a_busy_database_is_explained_as_busy():
    import sqlite3

    from pdpacket.ui.errors import describe

    from pdpacket.errors import database_error

    report = describe(database_error(sqlite3.OperationalError("database is locked")))
    assert report.title == "The case database is busy"
    assert "Nothing was lost" in report.hint

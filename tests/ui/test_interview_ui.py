"""The Story step: the case interview typed in the window is stored as typed,
a date that is not one is refused where it is typed, arrests name their
exhibits, Ctrl+Z takes a change back, the sidebar shows how much is answered,
and the Stage step saves the client-advice note."""

from __future__ import annotations

import os

import pdpacket.ui.steps.stage as stage_module
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from pdpacket.model import Client, Proceedings
from pdpacket.model.interview import Pronouns
from tests.core.packet_fixtures import add_exhibit, text_pdf
from tests.pdftools import run_tool


def _open(make_window, workspace):
    case_id = workspace.create_case(
        Client(name="Rosa Test"), Proceedings(stage="proceedings_pending", pd_form="dismissal")
    )
    disposition = add_exhibit(workspace, case_id, "Certified disposition", text_pdf(["DISP"]))
    window = make_window()
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("story")
    return window, window.step("story"), case_id, disposition


def _type(qtbot, widget, text):
    widget.setFocus()
    qtbot.keyClicks(widget, text)
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_story_step_stores_the_interview_as_typed(qtbot, make_window, workspace):
    window, story, case_id, disposition = _open(make_window, workspace)
    assert story.status().summary == "Not started"
    assert window.focusWidget() is story.pronouns  # the keyboard lands in the step

    story.pronouns.setCurrentIndex(story.pronouns.findData("she"))
    _type(qtbot, story.surname, "Test")
    _type(qtbot, story.entry_date, "2005-03")
    story.manner.setCurrentIndex(story.manner.findData("ewi"))
    _type(qtbot, story.family, "She raises her daughter Ana alone.")
    iv = workspace.interview(case_id)
    assert iv.pronouns == Pronouns.SHE and iv.surname == "Test"
    assert iv.entry.date == "2005-03" and iv.entry.manner == "ewi"
    assert iv.family == "She raises her daughter Ana alone."

    # a date that is not one: the field says why and the stored date stays
    story.entry_date.selectAll()
    _type(qtbot, story.entry_date, "March 2005")
    assert workspace.interview(case_id).entry.date == "2005-03"
    message = story.entry_date.parentWidget().findChild(QLabel, "fieldMessage")
    assert message is not None and "2005-03-14" in message.text()

    # an arrest, with the exhibit that proves it
    add = next(b for b in story.findChildren(QPushButton) if b.text() == "Add arrest")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    [row] = story.arrest_rows
    assert window.focusWidget() is row.date
    _type(qtbot, row.charge, "Petty theft (Cal. Penal Code 484(a))")
    row.disposition.setCurrentText("dismissed")
    box = row.exhibits.item(0)
    assert "Certified disposition" in box.text()
    box.setCheckState(Qt.CheckState.Checked)
    [arrest] = workspace.interview(case_id).arrests
    assert arrest.charge == "Petty theft (Cal. Penal Code 484(a))"
    assert arrest.disposition == "dismissed" and arrest.exhibit_ids == (disposition,)
    assert "of" in story.status().summary and story.status().detail.startswith("Still to answer")
    item = window.sidebar.item([s.key for s in window.steps].index("story"))
    qtbot.waitUntil(lambda: "Still to answer" in item.toolTip())  # the sidebar says what is left
    assert "the 239.2(a) ground" in item.toolTip()

    # Ctrl+Z takes the last change back, and the step shows it
    window.ctx.history.undo()
    assert workspace.interview(case_id).arrests[0].exhibit_ids == ()
    assert story.arrest_rows[0].exhibits.item(0).checkState() == Qt.CheckState.Unchecked

    if os.environ.get("PDPACKET_SHOTS"):
        window.grab().save(os.path.join(os.environ["PDPACKET_SHOTS"], "story.png"))


def test_stage_step_saves_the_client_advice_note(
    qtbot, make_window, workspace, tmp_path, monkeypatch
):
    window, _story, _case_id, _ = _open(make_window, workspace)
    window.go_to_step("stage")
    stage = window.step("stage")
    out = tmp_path / "advice.pdf"
    monkeypatch.setattr(stage_module, "pick_advice_path", lambda parent, suggested: str(out))
    qtbot.mouseClick(stage.advice_button, Qt.MouseButton.LeftButton)
    text = " ".join(run_tool("pdftotext", str(out), "-").split())
    assert "Dismissal ends the court case but leaves you without status." in text
    assert "not part of the request packet" in text

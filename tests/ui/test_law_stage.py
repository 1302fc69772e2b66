"""The Stage step says which framework the case rests on and whether it is in
force today, and takes the date of the earlier decision a request concerns."""

from __future__ import annotations

import datetime as dt
import os

from PySide6.QtCore import Qt

from pdpacket.model import Client, Proceedings


def test_stage_step_takes_the_earlier_decision_date(qtbot, make_window, workspace):
    case_id = workspace.create_case(
        Client(name="Ana Test"),
        Proceedings(stage="proceedings_pending", framework_id="dhs-2021-opla-2022"),
    )
    window = make_window()
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("stage")
    stage = window.step("stage")
    assert "2021 DHS Enforcement Guidelines" in stage.framework_note.text()
    assert "in force 2021-11-29 to 2025-01-20" in stage.framework_note.text()
    assert stage.framework_warning.isVisible()
    assert "not in force today" in stage.framework_warning.label.text()
    if os.environ.get("PDPACKET_SHOTS"):
        stage.body.grab().save(os.path.join(os.environ["PDPACKET_SHOTS"], "stage_law_warn.png"))

    stage.decision_date.setFocus()
    qtbot.keyClicks(stage.decision_date, "2024-06-03")
    qtbot.keyClick(stage.decision_date, Qt.Key.Key_Return)
    p = workspace.store.get_case(case_id).proceedings
    assert p.decision_date == dt.date(2024, 6, 3)
    assert not stage.framework_warning.isVisible()
    if os.environ.get("PDPACKET_SHOTS"):
        stage.body.grab().save(os.path.join(os.environ["PDPACKET_SHOTS"], "stage_law.png"))

    # a decision after the framework was revoked: warned again
    stage.decision_date.selectAll()
    qtbot.keyClicks(stage.decision_date, "2025-03-01")
    qtbot.keyClick(stage.decision_date, Qt.Key.Key_Return)
    assert stage.framework_warning.isVisible()
    assert "decision date either" in stage.framework_warning.label.text()

    # a future date is refused where it is typed, and not stored
    stage.decision_date.selectAll()
    qtbot.keyClicks(stage.decision_date, "2099-01-01")
    qtbot.keyClick(stage.decision_date, Qt.Key.Key_Return)
    assert "in the future" in stage.decision_msg.text()
    assert workspace.store.get_case(case_id).proceedings.decision_date == dt.date(2025, 3, 1)

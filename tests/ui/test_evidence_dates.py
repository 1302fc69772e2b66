"""The evidence editor's end date (a document that spans years) and the Build
step's "Exhibits by factor" option."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox

from pdpacket.model import Client
from tests.pdftools import make_pdf


def test_the_end_date_is_typed_next_to_the_date_and_checked(qtbot, window, workspace, evidence_dir):
    case_id = workspace.create_case(Client(name="Dates Client"))
    [res] = workspace.add_evidence(case_id, [make_pdf(evidence_dir / "leases.pdf", ["Lease"])])
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("evidence")
    step = window.step("evidence")
    step.select_exhibit(res.exhibit_id)
    editor = step.editor
    editor.date_end.setFocus()
    qtbot.keyClicks(editor.date_end, "2025-10-01")
    qtbot.keyClick(editor.date_end, Qt.Key.Key_Return)
    # no start date yet: refused, with the reason, and nothing stored
    assert "first date" in editor.date_end_msg.text()
    assert workspace.store.get_exhibit(res.exhibit_id).doc_date_end is None
    editor.date.setFocus()
    qtbot.keyClicks(editor.date, "2016-03-01")
    qtbot.keyClick(editor.date, Qt.Key.Key_Return)
    editor.date_end.setFocus()
    editor.date_end.selectAll()
    qtbot.keyClicks(editor.date_end, "2025-10-01")
    qtbot.keyClick(editor.date_end, Qt.Key.Key_Return)
    ex = workspace.store.get_exhibit(res.exhibit_id)
    assert ex.dates == (dt.date(2016, 3, 1), dt.date(2025, 10, 1))
    editor.grab().save(str(evidence_dir.parent / "editor.png"))
    # undo takes the end date back
    workspace.undo()
    assert workspace.store.get_exhibit(res.exhibit_id).doc_date_end is None


def test_the_build_step_offers_the_factor_table(window, workspace):
    case_id = workspace.create_case(Client(name="Build Client"))
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("build")
    step = window.step("build")
    box = next(b for b in step.findChildren(QCheckBox) if "by factor" in b.text())
    assert not box.isChecked()
    box.setChecked(True)
    assert step.options().factor_table is True


def test_an_evidence_finding_jumps_to_its_exhibit(qtbot, window, workspace, evidence_dir):
    from .test_review_step import item_for, press_enter_on, review_of

    case_id = workspace.create_case(Client(name="Review Client"))
    [res] = workspace.add_evidence(
        case_id, [make_pdf(evidence_dir / "nta.pdf", ["NOTICE TO APPEAR", "Form I-862"])]
    )
    workspace.add_evidence(case_id, [make_pdf(evidence_dir / "passport.pdf", ["Passport"])])
    window.cases.refresh()
    window.open_case(case_id)
    step = review_of(qtbot, window)
    item = item_for(step, "evidence.record_of_proceeding")
    assert "record of proceeding" in item.data(Qt.ItemDataRole.DisplayRole) or item.toolTip()
    step.grab().save(str(evidence_dir.parent / "review.png"))
    press_enter_on(qtbot, step, "evidence.record_of_proceeding")
    assert window.current_step() is window.step("evidence")
    assert window.step("evidence").current_exhibit().id == res.exhibit_id

"""A whole case through the real widgets: create, fill, stage and relief,
factors, evidence by a drop, reorder, build, and the packet checked on disk
with qpdf (not only with the library that wrote it)."""

from __future__ import annotations

import pdpacket.ui.dialogs
from pdpacket.ui.models import ExhibitTableModel
from pdpacket.ui.style import State
from PySide6.QtCore import Qt

from pdpacket.model import FileRole
from tests.pdftools import make_pdf, outline_titles, pdfinfo, qpdf_check

from .helpers import drop_files, make_photo, wait_jobs


def type_into(qtbot, edit, text: str, *, enter: bool = True) -> None:  # type: ignore[no-untyped-def]
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClicks(edit, text)
    if enter:
        qtbot.keyClick(edit, Qt.Key.Key_Return)


def test_a_whole_case_from_new_to_packet(qtbot, window, workspace, evidence_dir, monkeypatch):
    # --- an empty workspace says what to do --------------------------------------
    assert window.right.currentWidget() is window.no_case
    assert "Ctrl+N" in window.no_case.body.text()

    # --- create -------------------------------------------------------------------
    monkeypatch.setattr(
        pdpacket.ui.dialogs.NewCaseDialog,
        "ask",
        classmethod(lambda cls, parent: pdpacket.ui.dialogs.NewCase("Ana María Ruiz López")),
    )
    window.new_action.trigger()
    case_id = window.ctx.case_id
    assert case_id and workspace.get_case(case_id).client.name == "Ana María Ruiz López"
    assert window.current_step().key == "client"
    assert window.windowTitle() == "Ana María Ruiz López — pdpacket"

    # --- 1 client & proceedings: checked as you type, stored when done ---------------
    client = window.step("client")
    type_into(qtbot, client.a_number, "A12-34", enter=False)
    assert "digits so far" in client.field(client.a_number).message.text()
    type_into(qtbot, client.a_number, "A12X", enter=True)
    msg = client.field(client.a_number).message.text()
    assert "not valid" in msg and "Not saved" in msg
    assert workspace.get_case(case_id).client.a_number == ""
    type_into(qtbot, client.a_number, "12345678")
    assert workspace.get_case(case_id).client.a_number == "012345678"
    assert client.a_number.text() == "A012-345-678"  # shown the standard way
    type_into(qtbot, client.dob, "04/12/1988")
    type_into(qtbot, client.hearing, "2099-03-15")
    assert "File by" in client.field(client.hearing).message.text()
    client.court.setCurrentIndex(client.court.findData("new-york-broadway"))
    client.office.setCurrentIndex(client.office.findData("new-york-city"))
    type_into(qtbot, client.receipts, "IOE5550123456, eac2190012345")
    case = workspace.get_case(case_id)
    assert str(case.client.dob) == "1988-04-12"
    assert str(case.proceedings.hearing_date) == "2099-03-15"
    assert case.proceedings.court_id == "new-york-broadway"
    assert case.proceedings.opla_office_id == "new-york-city"
    assert case.proceedings.receipts == ("IOE5550123456", "EAC2190012345")
    assert "next hearing" in window.header.text()
    window.refresh_status()
    assert client.status().state == State.PARTIAL  # the attorney is still missing

    # --- 2 stage & relief ---------------------------------------------------------------
    window.go_to_step("stage")
    stage = window.step("stage")
    stage.stage_buttons["final_order"].click()
    assert set(stage.form_buttons) == {"joint_motion_reopen", "stay_of_removal", "deferred_action"}
    stage.stage_buttons["proceedings_pending"].click()
    assert "dismissal" in stage.form_buttons and "stay_of_removal" not in stage.form_buttons
    stage.form_buttons["dismissal"].click()
    assert "work permit" in stage.consequences.label.text()
    assert stage.consequences.isVisible()
    stage.stage_buttons["final_order"].click()  # dismissal does not fit a final order
    assert stage.fit_warning.isVisible() and "does not fit" in stage.fit_warning.label.text()
    assert stage.status().state == State.WARNING
    stage.stage_buttons["proceedings_pending"].click()
    stage.form_buttons["administrative_closure"].click()
    assert not stage.fit_warning.isVisible()
    p = workspace.get_case(case_id).proceedings
    assert (p.stage, p.pd_form) == ("proceedings_pending", "administrative_closure")
    assert stage.status().state == State.DONE

    # --- 3 factors ---------------------------------------------------------------------------
    window.go_to_step("factors")
    factors = window.step("factors")
    residence = factors.rows["long_residence"]
    residence.applies.click()
    assert residence.detail.isVisible()
    assert "Lease" in residence.docs.text()
    assert "No exhibit supports this yet" in residence.support.text()
    qtbot.keyClicks(residence.notes, "In the U.S. since 2009.")
    crime = factors.rows["criminal_history"]
    crime.applies.click()
    assert crime.warning.isVisible() and "explanation" in crime.warning.label.text()
    window.refresh_status()
    assert factors.status().state == State.WARNING
    qtbot.keyClicks(crime.explanation, "One arrest in 2015, dismissed.")
    factors.flush()
    answers = workspace.store.factor_answers(case_id)
    assert (
        answers["long_residence"].applies
        and answers["long_residence"].notes == "In the U.S. since 2009."
    )
    assert answers["criminal_history"].explanation == "One arrest in 2015, dismissed."

    # --- 4 evidence: a drop of files (and a folder) ---------------------------------------------
    window.go_to_step("evidence")
    evidence = window.step("evidence")
    assert evidence.list_stack.currentWidget() is evidence.empty
    assert evidence.empty.title.text() == "Drop evidence files here"
    lease = make_pdf(evidence_dir / "lease_2016-2025.pdf", ["Lease page 1", "Lease page 2"])
    court_disposition = make_pdf(evidence_dir / "certified_disposition_2015.pdf", ["Dismissed"])
    sub = evidence_dir / "letters"
    sub.mkdir()
    make_pdf(sub / "letter_of_support_pastor.pdf", ["Pastor letter"])
    photo = make_photo(evidence_dir / "volunteer_certificate.png")
    drop_files(evidence.editor.title, [lease, court_disposition, sub, photo])  # over a child too
    assert evidence.progress.isVisible() and evidence.cancel.isVisible()
    wait_jobs(qtbot, window)
    assert not evidence.progress.isVisible()
    exhibits = workspace.exhibits(case_id)
    assert [e.title for e in exhibits] == [
        "Lease 2016 2025",
        "Certified disposition 2015",
        "Letter of support pastor",
        "Volunteer certificate",
    ]
    assert evidence.results.count() == 4
    assert "Added 4 exhibits" in evidence.summary.label.text()
    assert evidence.list.count() == 4
    # the first new exhibit is selected, with its pages rendered
    assert evidence.current_exhibit().title == "Lease 2016 2025"
    assert evidence.pages.thumbs.count() == 2

    # edit the exhibit: title, and the factor it supports
    type_into(qtbot, evidence.editor.title, "Lease 2016-2025")
    item = next(
        evidence.editor.factors.item(i)
        for i in range(evidence.editor.factors.count())
        if evidence.editor.factors.item(i).data(Qt.ItemDataRole.UserRole) == "long_residence"
    )
    item.setCheckState(Qt.CheckState.Checked)
    lease_ex = workspace.exhibits(case_id)[0]
    assert lease_ex.title == "Lease 2016-2025"
    assert "long_residence" in lease_ex.factor_ids
    assert "Supported by: A Lease 2016-2025" in residence.support.text()

    # --- 5 exhibits: drag to reorder, letters follow -----------------------------------------------
    window.go_to_step("exhibits")
    table = window.step("exhibits")
    model = table.model
    assert [model.data(model.index(r, 0)) for r in range(4)] == ["A", "B", "C", "D"]
    photo_row = 3
    mime = model.mimeData([model.index(photo_row, ExhibitTableModel.TITLE)])
    assert model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, model.index(-1, -1))
    titles = [model.data(model.index(r, ExhibitTableModel.TITLE)) for r in range(4)]
    assert titles[0] == "Volunteer certificate"
    assert model.data(model.index(0, ExhibitTableModel.LETTER)) == "A"
    assert next(e.title for e in workspace.exhibits(case_id)) == "Volunteer certificate"
    window.undo_action.trigger()
    assert next(e.title for e in workspace.exhibits(case_id)) == "Lease 2016-2025"
    window.redo_action.trigger()
    assert next(e.title for e in workspace.exhibits(case_id)) == "Volunteer certificate"

    # leave the pastor's letter out: letters skip it
    pastor_row = titles.index("Letter of support pastor")
    model.setData(
        model.index(pastor_row, ExhibitTableModel.LETTER),
        Qt.CheckState.Unchecked.value,
        Qt.ItemDataRole.CheckStateRole,
    )
    letters = [model.data(model.index(r, ExhibitTableModel.LETTER)) for r in range(4)]
    expected_letters = ["A", "B", "C"]
    expected_letters.insert(pastor_row, "—")
    assert letters == expected_letters

    # --- 6 build ----------------------------------------------------------------------------------------
    window.go_to_step("build")
    build = window.step("build")
    out = evidence_dir.parent / "out" / "Ruiz packet.pdf"
    build.output.setText(str(out))
    build.output.editingFinished.emit()
    qtbot.mouseClick(build.build_button, Qt.MouseButton.LeftButton)
    assert build.progress.isVisible() and build.cancel_button.isVisible()
    wait_jobs(qtbot, window)
    assert out.exists()
    qpdf_check(out)
    expected = [e for e in workspace.exhibits(case_id) if e.included]
    pages = int(pdfinfo(out)["Pages"])
    assert pages >= sum(e.pages for e in expected)
    outline = [title for title, _depth, _page in outline_titles(out)]
    found = [next(i for i, t in enumerate(outline) if e.title in t) for e in expected]
    assert found == sorted(found), f"bookmarks not in packet order: {outline}"
    assert not any("Letter of support pastor" in t for t in outline)
    assert "Packet built" in build.result.label.text() and str(out) in build.result.label.text()
    assert build.history.rowCount() == 1 and build.history.builds[0].pages == pages
    assert build.open_button.isEnabled()
    opened = []
    monkeypatch.setattr(pdpacket.ui.dialogs, "open_file", lambda path: opened.append(path) or True)
    build.open_button.click()
    assert opened == [str(out)]
    window.refresh_status()
    # the case still has review errors (its letter was never written): a draft
    assert build.history.builds[0].final is False
    assert build.result.label.text().startswith("DRAFT: ")
    assert build.status().state == State.PARTIAL and "Draft" in build.status().summary

    # the sidebar shows each step's completeness
    rows = range(window.sidebar.count())
    sidebar = [window.sidebar.item(i).data(Qt.ItemDataRole.UserRole) for i in rows]
    assert sidebar == [
        "client",
        "stage",
        "factors",
        "story",
        "evidence",
        "exhibits",
        "documents",
        "letter",
        "review",
        "build",
    ]
    assert "Draft" in window.sidebar.item(sidebar.index("build")).data(Qt.ItemDataRole.UserRole + 2)


def test_translation_paired_with_a_foreign_document(qtbot, window, workspace, evidence_dir):
    from pdpacket.model import Client

    case_id = workspace.create_case(Client(name="Pair Test"))
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("evidence")
    evidence = window.step("evidence")
    acta = make_pdf(evidence_dir / "acta_de_nacimiento.pdf", ["Acta"])
    english = make_pdf(evidence_dir / "birth_certificate_translation.pdf", ["Birth certificate"])
    drop_files(evidence, [acta, english])
    wait_jobs(qtbot, window)
    evidence.select_exhibit(workspace.exhibits(case_id)[0].id)
    editor = evidence.editor
    assert not editor.translation.isVisible()
    editor.language.setEditText("Spanish")
    editor.language.lineEdit().editingFinished.emit()
    assert editor.translation.isVisible()
    assert "needs an English translation" in editor.translation_state.label.text()
    assert evidence.status().state == State.PARTIAL
    editor.pair_with.setCurrentIndex(0)
    editor.pair_button.click()
    (ex,) = workspace.exhibits(case_id)
    assert [f.role for f in ex.files] == [FileRole.DOCUMENT, FileRole.TRANSLATION]
    for key, value in (
        ("name", "Rosa Campos"),
        ("address", "55 Court St, Brooklyn NY"),
        ("phone", "(718) 555-0160"),
    ):
        type_into(qtbot, editor.translator[key], value)
    ex = workspace.exhibits(case_id)[0]
    assert ex.translator.complete and ex.translator.language == "Spanish"
    assert "Translation attached" in editor.translation_state.label.text()
    assert evidence.status().state == State.DONE
    wait_jobs(qtbot, window)

"""The window's side of destinations: the Stage step's "Where the request goes"
choice (with a line saying what goes with it) and Settings → Offices and courts,
a table editor whose changes go through the workspace and show as edited by
the firm."""

from __future__ import annotations

import os
from pathlib import Path

from pdpacket.ui import places_dialog
from pdpacket.ui.places_dialog import PlacesDialog

from pdpacket.model import Client, Proceedings

SHOTS = os.environ.get("PDPACKET_SHOTS", "")


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_stage_step_chooses_the_destination(qtbot, window, workspace):
    case_id = workspace.create_case(
        Client(name="Rosa Prueba"),
        Proceedings(stage="proceedings_pending", pd_form="dismissal", opla_office_id="boston"),
    )
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("stage")
    step = window.step("stage")
    combo = step.destination
    assert combo.currentData() == ""  # follows the form: OPLA by e-mail
    assert "OPLA: PD request by e-mail" in combo.itemText(0)
    assert "no certificate of service" in step.destination_note.text()
    combo.setCurrentIndex(combo.findData("joint_motion"))
    assert workspace.get_case(case_id).proceedings.destination == "joint_motion"
    assert workspace.destination(case_id).id == "joint_motion"
    assert "JOINT MOTION cover" in step.destination_note.text()
    assert step.grounds.isVisibleTo(step)  # a joint motion asks for its grounds
    step.grounds_field.set_text("")
    step.grounds.setPlainText("Respondent's I-130 was approved on May 1, 2026.")
    assert step.flush()
    grounds = workspace.get_case(case_id).proceedings.motion_grounds
    assert grounds.startswith("Respondent's I-130 was approved")
    step.scroll_area.ensureWidgetVisible(step.destination_note)
    qtbot.wait(20)
    _shot(window, "stage_destination")
    combo.setCurrentIndex(combo.findData("court_motion"))  # the respondent's own motion
    assert step.grounds.isVisibleTo(step)
    assert step.grounds.accessibleName() == "Grounds of the motion"
    assert "DHS's position" in step.grounds.placeholderText()
    combo.setCurrentIndex(0)
    assert workspace.get_case(case_id).proceedings.destination == ""
    assert not step.grounds.isVisibleTo(step)


def test_offices_and_courts_dialog_saves_through_the_workspace(
    qtbot, window, workspace, monkeypatch
):
    dialog = PlacesDialog(workspace, window)
    qtbot.addWidget(dialog)
    table = dialog.offices
    row = next(i for i, p in enumerate(table.places) if p.id == "boston")
    columns = [c[0] for c in table.columns]
    table.item(row, columns.index("email")).setText("pd.boston@example.gov")
    table.item(row, columns.index("address")).setText("1 Main St; Boston, MA 02203")
    assert dialog.save()
    office = workspace.opla_office("boston")
    assert office is not None
    assert office.email == "pd.boston@example.gov"
    assert office.address == "1 Main St\nBoston, MA 02203"
    dialog._load()
    source = table.item(row, columns.index("source")).text()
    assert source.startswith("edited by the firm")
    assert table.item(row, columns.index("email")).font().bold()
    courts = dialog.courts
    crow = next(i for i, p in enumerate(courts.places) if p.id == "annandale")
    courts.item(crow, 1).setText("2 Court Way, Annandale, VA 22003")
    assert dialog.save()
    court = workspace.court("annandale")
    assert court is not None and court.address.startswith("2 Court Way")
    dialog.resize(1000, 520)
    dialog.show()
    table.scrollToItem(table.item(row, 0))
    table.selectRow(row)
    _shot(dialog, "offices_and_courts")
    # a bad mailbox is refused with the reason, nothing else changes
    table.item(row, columns.index("email")).setText("not an address")
    errors: list[str] = []
    monkeypatch.setattr(
        places_dialog, "show_exception", lambda exc, parent, action="": errors.append(str(exc))
    )
    assert not dialog.save()
    assert errors and "not an e-mail address" in errors[0]
    dialog.close()


def test_build_step_starts_from_the_destination(qtbot, window, workspace):
    case_id = workspace.create_case(
        Client(name="Rosa Prueba"),
        Proceedings(
            stage="proceedings_pending",
            pd_form="dismissal",
            opla_office_id="boston",
            court_id="boston",
            destination="court_motion",
        ),
    )
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("build")
    step = window.step("build")
    assert step.option_widgets["certificate_of_service"].currentData() == "auto"
    assert step.option_widgets["edition"].currentData() == "efile"  # ECAS: e-filing parts
    assert "certificate of service through ECAS" in step.service_hint.text()
    assert step.options().certificate_of_service is None  # left to the destination
    combo = step.option_widgets["certificate_of_service"]
    combo.setCurrentIndex(combo.findData("no"))
    assert step.options().certificate_of_service is False  # an explicit choice
    _shot(window, "build_destination")

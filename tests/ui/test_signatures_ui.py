"""The Letter step's Signatures list and the Settings dialog's electronic
signature per destination: each choice goes through the façade, the list says
what is still unsigned, and "Sign all electronically" signs what the firm allows."""

from __future__ import annotations

import os
from pathlib import Path

import pdpacket.ui.dialogs as dialogs
from PySide6.QtWidgets import QApplication, QCheckBox

from pdpacket.model import Attorney, Client, FileRole, Proceedings, Translator
from pdpacket.model.signing import SignatureMethod
from tests.core.packet_fixtures import add_exhibit, text_pdf

SHOTS = os.environ.get("PDPACKET_SCREENSHOTS", "")


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()  # rows added to a shown list appear on the next pass
        widget.grab().save(str(Path(SHOTS) / name))


def _case(ws) -> int:  # type: ignore[no-untyped-def]
    ws.set_attorney(Attorney(name="Jane Doe", firm="Doe Law", eoir_id="XX123456"))
    case_id = ws.create_case(
        Client(name="Rosa Test", a_number="201555014"),
        Proceedings(pd_form="dismissal", opla_office_id="new-york-city"),
    )
    add_exhibit(ws, case_id, "Passport", text_pdf(["PASSPORT"]))
    add_exhibit(
        ws,
        case_id,
        "Birth certificate of Rosa Test",
        [text_pdf(["ACTA"]), text_pdf(["BIRTH CERTIFICATE"])],
        roles=[FileRole.DOCUMENT, FileRole.TRANSLATION],
        language="Spanish",
        translator=Translator("Rosa Campos", "2 Elm St", "555-0111", "Spanish"),
    )
    ws.save_letter(case_id, "Dear Chief Counsel,\n\nRespectfully submitted,\n\n{{signature}}\n")
    return case_id


def test_signatures_list_sets_each_signature_through_the_facade(qtbot, window, workspace):
    case_id = _case(workspace)
    window.resize(1280, 800)
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("letter")
    step = window.step("letter")
    panel = step.signatures
    step.side.setCurrentWidget(panel)
    assert list(panel.combos) == [s.key for s in workspace.signatures(case_id)]
    assert "2 of 2 not signed yet" in panel.summary.text()
    _shot(step, "letter_signatures_unsigned.png")

    letter_combo = panel.combos["letter:attorney"]
    letter_combo.setCurrentIndex(letter_combo.findData("wet"))
    sig = next(s for s in workspace.signatures(case_id) if s.key == "letter:attorney")
    assert sig.method == SignatureMethod.WET
    assert "1 of 2 not signed yet" in panel.summary.text()

    panel.sign_all.click()
    sigs = workspace.signatures(case_id)
    assert all(s.electronic for s in sigs)
    assert [s.mark for s in sigs] == ["/s/ Jane Doe", "/s/ Rosa Campos"]
    assert "All 2 signed" in panel.summary.text()
    assert [c.currentData() for c in panel.combos.values()] == ["electronic", "electronic"]
    assert not [f for f in workspace.review(case_id) if f.code.startswith("signature.")]
    _shot(step, "letter_signatures_signed.png")


def test_electronic_is_not_offered_where_the_firm_signs_in_ink(qtbot, window, workspace, errors):
    case_id = _case(workspace)
    workspace.set_electronic_signature("opla_email", False)
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("letter")
    panel = window.step("letter").signatures
    combo = panel.combos["letter:attorney"]
    assert not combo.model().item(0).isEnabled()
    assert not panel.sign_all.isEnabled()


def test_settings_dialog_sets_electronic_signature_per_destination(
    qtbot, window, workspace, monkeypatch
):
    seen = {}

    def ask(cls, parent, values):  # type: ignore[no-untyped-def]
        dlg = dialogs.SettingsDialog(values, parent)
        qtbot.addWidget(dlg)
        boxes = {b.accessibleName(): b for b in dlg.findChildren(QCheckBox)}
        seen["labels"] = list(boxes)
        dlg.show()
        qtbot.waitExposed(dlg)
        _shot(dlg, "settings_esign.png")
        dlg.esign["ero"].setChecked(True)
        dlg.esign["opla_email"].setChecked(False)
        return dlg.value()

    monkeypatch.setattr(dialogs.SettingsDialog, "ask", classmethod(ask))
    window.open_settings()
    assert any("ECAS" in label for label in seen["labels"])
    allowed = {p.destination_id: p.electronic_allowed for p in workspace.signature_policies()}
    assert allowed["ero"] is True and allowed["opla_email"] is False
    assert allowed["court_motion"] is True

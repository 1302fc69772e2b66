"""The Redact… dialog: the numbers found are boxes on the page to accept,
reject, move or draw by hand; Apply (after confirming) removes them for real."""

from __future__ import annotations

from pathlib import Path

from pdpacket.ui.redaction_dialog import RedactionDialog
from PySide6.QtCore import QPoint, Qt

from pdpacket.model import Client
from pdpacket.model.redaction import NumberKind, RedactionState
from tests.core.packet_fixtures import add_exhibit
from tests.core.test_redact import CLIENT_A, SPOUSE_SSN, tax_return_pdf
from tests.pdftools import run_tool
from tests.ui.helpers import wait_jobs


def test_redaction_dialog_accepts_rejects_draws_and_applies(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ws = window.ctx.workspace
    case_id = ws.create_case(Client(name="Rosa Test", a_number=CLIENT_A))
    ws.add_evidence(case_id, [tax_return_pdf(tmp_path / "tax_return_2025.pdf")])
    window.open_case(case_id)
    [ex] = ws.exhibits(case_id)
    dlg = RedactionDialog(window.ctx, ex, window)
    qtbot.addWidget(dlg)
    dlg.show()
    wait_jobs(qtbot, window)  # the search runs in the background
    assert dlg.list.count() == 2
    assert dlg.page_box.itemText(0) == "Page 1 (2 proposed)"
    assert "Social security number" in dlg.list.item(0).text()
    assert "proposed" in dlg.list.item(0).text()

    # click the spouse's number on the page, keep it (reject), then undo that
    spouse = next(r for r in dlg.canvas.boxes if r.masked.endswith("6781"))
    centre = dlg.canvas.to_widget(spouse.box).center().toPoint()
    qtbot.mouseClick(dlg.canvas, Qt.MouseButton.LeftButton, pos=centre)
    assert dlg.canvas.selected == spouse.id
    qtbot.mouseClick(dlg.reject_button, Qt.MouseButton.LeftButton)
    assert {r.id: r.state for r in ws.redactions(case_id)}[spouse.id] == RedactionState.REJECTED
    assert "kept" in dlg.list.currentItem().text()
    qtbot.mouseClick(dlg.undo_button, Qt.MouseButton.LeftButton)
    assert {r.id: r.state for r in ws.redactions(case_id)}[spouse.id] == RedactionState.PROPOSED

    # draw a box by hand over the "Wages" line (y = 550 pt)
    top_left = dlg.canvas.to_widget(spouse.box).topLeft().toPoint()
    s = dlg.canvas._scale()
    start = QPoint(round(68 * s), round((792 - 566) * s))  # the page is upright, not cropped
    end = QPoint(round(125 * s), round((792 - 545) * s))
    assert top_left.y() < start.y()
    qtbot.mousePress(dlg.canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(dlg.canvas, end)
    qtbot.mouseRelease(dlg.canvas, Qt.MouseButton.LeftButton, pos=end)
    assert any(r.kind == NumberKind.HAND for r in ws.redactions(case_id))
    assert dlg.list.count() == 3
    dlg.grab().save(str(tmp_path / "redaction_dialog.png"))

    dlg.apply(confirmed=True)
    wait_jobs(qtbot, window)
    qtbot.waitUntil(lambda: "applied" in dlg.status.text())
    assert {r.state for r in ws.redactions(case_id)} == {RedactionState.APPLIED}
    stored = tmp_path / "stored.pdf"
    stored.write_bytes(ws.pdf_bytes(ws.exhibits(case_id)[0].files[0]))
    text = run_tool("pdftotext", str(stored), "-")
    assert SPOUSE_SSN not in text and "Wages" not in text and "Married filing jointly" in text
    assert "removed" in dlg.list.item(0).text()
    dlg.close()


def test_settings_dialog_chooses_the_kinds_proposed(qtbot, window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pdpacket.ui import dialogs

    def ask(cls, parent, values):  # type: ignore[no-untyped-def]
        dlg = dialogs.SettingsDialog(values, parent)
        qtbot.addWidget(dlg)
        assert dlg.redaction.kinds[NumberKind.SSN].isChecked()
        assert not dlg.redaction.kinds[NumberKind.CARD].isChecked()
        dlg.redaction.kinds[NumberKind.CARD].setChecked(True)
        dlg.redaction.kinds[NumberKind.SSN].setChecked(False)
        dlg.redaction.label.setChecked(True)
        return dlg.value()

    monkeypatch.setattr(dialogs.SettingsDialog, "ask", classmethod(ask))
    window.open_settings()
    settings = window.ctx.workspace.redaction_settings()
    assert NumberKind.CARD in settings.proposed and NumberKind.SSN not in settings.proposed
    assert settings.label


def test_boxes_sit_on_their_number_on_a_rotated_page(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import io

    from pypdf import PdfReader, PdfWriter

    plain = tax_return_pdf(tmp_path / "plain.pdf")
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.pages[0].rotate(90)
    buf = io.BytesIO()
    writer.write(buf)
    ws = window.ctx.workspace
    case_id = ws.create_case(Client(name="Rosa Test", a_number=CLIENT_A))
    # stored as it is (intake would turn the page upright in its content)
    add_exhibit(ws, case_id, "Rotated return", buf.getvalue())
    window.open_case(case_id)
    [ex] = ws.exhibits(case_id)
    dlg = RedactionDialog(window.ctx, ex, window)
    qtbot.addWidget(dlg)
    wait_jobs(qtbot, window)
    geometry = ws.page_geometry(ex.files[0].id, 0)
    assert geometry.rotate in (90, 270)
    assert len(dlg.canvas.boxes) == 2
    for r in dlg.canvas.boxes:
        rect = dlg.canvas.to_widget(r.box)
        assert rect.height() > rect.width()  # the number runs down the upright page
        dark = 0
        for y in range(int(rect.top()), int(rect.bottom())):
            for x in range(int(rect.left()), int(rect.right())):
                if dlg.canvas.image.pixelColor(x, y).lightness() < 128:
                    dark += 1
        assert dark > 20, "the box is not on the number's ink"
        back = dlg.canvas.to_points(rect)
        assert abs(back.x0 - r.box.x0) < 1 and abs(back.y1 - r.box.y1) < 1
    dlg.close()


def test_evidence_step_opens_redact_from_its_button_and_context_menu(
    qtbot, window, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    opened: list[str] = []
    monkeypatch.setattr(RedactionDialog, "exec", lambda self: opened.append(self.exhibit.title))
    ws = window.ctx.workspace
    case_id = ws.create_case(Client(name="Rosa Test", a_number=CLIENT_A))
    ws.add_evidence(case_id, [tax_return_pdf(tmp_path / "tax_return_2025.pdf")])
    window.open_case(case_id)
    window.go_to_step("evidence")
    step = window.step("evidence")
    step.select_exhibit(ws.exhibits(case_id)[0].id)
    qtbot.mouseClick(step.redact, Qt.MouseButton.LeftButton)
    assert opened == ["Tax return 2025"]
    [action] = [a for a in step.list.actions() if a.text() == "Redact…"]
    assert step.list.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    action.trigger()
    assert len(opened) == 2
    wait_jobs(qtbot, window)

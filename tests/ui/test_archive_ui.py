"""Case archives and backups from the File menu: export and import a case
(with and without a password; a wrong password asks again and says so; a
damaged archive is refused with a message), back up now, restore (the window
shows the restored data), and undo a restore."""

from __future__ import annotations

import pdpacket.ui.archive_dialogs as ad
import pdpacket.ui.dialogs
import pytest
from PySide6.QtWidgets import QDialog

from pdpacket.model import Client

from .helpers import wait_jobs
from .test_letter_step import letter_case


@pytest.fixture
def case(workspace, tmp_path):  # type: ignore[no-untyped-def]
    case_id, _ids = letter_case(workspace, tmp_path / "files")
    workspace.refresh_letter(case_id)
    return case_id


def open_case(window, case_id: int) -> None:  # type: ignore[no-untyped-def]
    window.cases.refresh()
    window.open_case(case_id)


def export(qtbot, window, monkeypatch, path, password):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ad, "pick_archive_save_path", lambda parent, suggested: str(path))
    monkeypatch.setattr(
        ad.ExportPasswordDialog, "ask", classmethod(lambda cls, p, name: ad.ExportChoice(password))
    )
    window.export_case_action.trigger()
    wait_jobs(qtbot, window)


def import_(qtbot, window, monkeypatch, path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(ad, "pick_archive_open_path", lambda parent: str(path))
    # the case exported from this window is here already: keep both
    monkeypatch.setattr(pdpacket.ui.dialogs, "choose", lambda *a: "keep_both")
    window.import_archive_action.trigger()
    wait_jobs(qtbot, window)


def same_case(ws, a: int, b: int) -> None:  # type: ignore[no-untyped-def]
    ea, eb = ws.exhibits(a), ws.exhibits(b)
    assert [(e.title, e.pages, e.language) for e in ea] == [
        (e.title, e.pages, e.language) for e in eb
    ]
    assert ws.get_case(a).client == ws.get_case(b).client
    la, lb = ws.letter(a).text, ws.letter(b).text
    # the letter's citations point at the new case's exhibits
    for x, y in zip(ea, eb, strict=True):
        la = la.replace(f":{x.id}}}}}", f":#{ea.index(x)}}}}}")
        lb = lb.replace(f":{y.id}}}}}", f":#{eb.index(y)}}}}}")
    assert la == lb


def test_export_and_import_without_a_password(
    qtbot, window, workspace, case, tmp_path, monkeypatch
):
    open_case(window, case)
    assert window.export_case_action.isEnabled()
    out = tmp_path / "out" / "rosa.pdpacket"
    export(qtbot, window, monkeypatch, out, None)
    assert out.is_file() and (out.stat().st_mode & 0o777) == 0o600
    assert "not encrypted" in window.statusBar().currentMessage()

    import_(qtbot, window, monkeypatch, out)
    new = window.ctx.case_id
    assert new != case and new in window.cases.case_ids()
    same_case(workspace, case, new)
    assert "Imported the case of Rosa Prueba" in window.statusBar().currentMessage()
    assert window.current_step().key == "client"


def test_export_and_import_with_a_password(qtbot, window, workspace, case, tmp_path, monkeypatch):
    open_case(window, case)
    out = tmp_path / "rosa-locked.pdpacket"
    export(qtbot, window, monkeypatch, out, "correct horse battery")
    assert b"Rosa" not in out.read_bytes()  # encrypted
    assert "encrypted" in window.statusBar().currentMessage()

    asked: list[tuple[str, bool]] = []
    answers = iter(["wrong horse battery", "correct horse battery"])

    def ask(cls, parent, filename, retry=False):  # type: ignore[no-untyped-def]
        asked.append((filename, retry))
        return next(answers)

    monkeypatch.setattr(ad.ArchivePasswordDialog, "ask", classmethod(ask))
    before = set(window.cases.case_ids())
    import_(qtbot, window, monkeypatch, out)
    wait_jobs(qtbot, window)  # the retries are jobs too
    assert asked == [("rosa-locked.pdpacket", False), ("rosa-locked.pdpacket", True)]
    [new] = set(window.cases.case_ids()) - before
    assert window.ctx.case_id == new
    same_case(workspace, case, new)

    # cancelling the password prompt imports nothing
    monkeypatch.setattr(ad.ArchivePasswordDialog, "ask", classmethod(lambda *a, **k: None))
    import_(qtbot, window, monkeypatch, out)
    assert len(workspace.list_cases()) == 2


def test_password_dialogs_check_what_is_typed(qtbot):
    dlg = ad.ExportPasswordDialog("Rosa Prueba")
    qtbot.addWidget(dlg)
    assert dlg.encrypt.isChecked()  # encrypted unless the user says otherwise
    dlg.password.setText("short")
    dlg.confirm.setText("short")
    dlg._accept()
    assert "at least 8" in dlg.error.text() and dlg.result() != QDialog.DialogCode.Accepted
    dlg.password.setText("long enough one")
    dlg.confirm.setText("long enough two")
    dlg._accept()
    assert "not the same" in dlg.error.text()
    dlg.confirm.setText("long enough one")
    dlg._accept()
    assert dlg.error.text() == "" and dlg.value().password == "long enough one"
    dlg.encrypt.setChecked(False)
    assert dlg.problem() == "" and dlg.value().password is None
    retry = ad.ArchivePasswordDialog("x.pdpacket", retry=True)
    qtbot.addWidget(retry)
    assert "did not open x.pdpacket" in retry.findChildren(ad.QLabel)[0].text()


def test_a_damaged_archive_is_refused_with_a_message(
    qtbot, window, workspace, case, tmp_path, monkeypatch, errors
):
    open_case(window, case)
    out = tmp_path / "rosa.pdpacket"
    export(qtbot, window, monkeypatch, out, None)
    data = out.read_bytes()
    broken = tmp_path / "broken.pdpacket"
    broken.write_bytes(data[: len(data) // 2])
    import_(qtbot, window, monkeypatch, broken)
    [report] = errors.take()
    assert "broken.pdpacket" in report.text
    assert len(workspace.list_cases()) == 1 and window.ctx.case_id == case


def test_back_up_now_restore_and_undo_the_restore(
    qtbot, window, workspace, case, tmp_path, monkeypatch
):
    ws = workspace
    open_case(window, case)
    window.go_to_step("exhibits")
    confirmed: list[str] = []
    monkeypatch.setattr(pdpacket.ui.dialogs, "confirm", lambda *a: confirmed.append(a[2]) or True)
    seen: list[tuple[str, int, int]] = []

    def look() -> None:
        """What the window shows: header, exhibits on the step, cases in the list."""
        rows = window.step("exhibits").model.rowCount()
        seen.append((window.header.text(), rows, len(window.cases.case_ids())))

    def drive(dlg) -> int:  # type: ignore[no-untyped-def]
        # 1. back up now: a new row, selected
        n = dlg.table.rowCount()
        dlg.backup_button.click()
        wait_jobs(qtbot, window)
        assert dlg.table.rowCount() == n + 1
        manual = dlg.selected()
        assert manual is not None and manual.reason == "manual"
        assert dlg.table.item(0, 1).text() == "made by hand"
        # 2. work goes on: the client is renamed, an exhibit removed, a case added
        ws.store.update_client(case, name="Rosa Renamed")
        ws.store.remove_exhibit(ws.exhibits(case)[0].id)
        ws.create_case(Client(name="Later Case"))
        window.ctx.caseChanged.emit()
        window.ctx.exhibitsChanged.emit()
        look()
        # 3. restore the manual backup (after a confirmation)
        dlg.restore_selected()
        wait_jobs(qtbot, window)
        look()
        assert "Restored" in dlg.result_banner.text()
        saved = dlg.selected()
        assert saved is not None and saved.reason == "restore"
        # 4. and undo it: restore the state saved before the restore
        dlg.restore_selected()
        wait_jobs(qtbot, window)
        look()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(ad.BackupsDialog, "exec", drive)
    window.backups_action.trigger()
    assert len(confirmed) == 2 and "Put every case back" in confirmed[0]
    before, restored, undone = seen
    assert "Rosa Renamed" in before[0] and before[1:] == (2, 2)
    assert "Rosa Prueba" in restored[0] and restored[1:] == (3, 1)
    assert "Rosa Renamed" in undone[0] and undone[1:] == (2, 2)
    assert ws.get_case(case).client.name == "Rosa Renamed"
    assert "Backup restored" in window.statusBar().currentMessage()
    reasons = [b.reason for b in ws.list_backups()]
    assert reasons.count("restore") == 2 and "manual" in reasons


def test_restore_waits_for_a_running_import(qtbot, window, workspace, case, monkeypatch):
    open_case(window, case)
    ws = workspace
    backup = ws.backup_now()

    class Busy:
        name = "add evidence"

    messages: list[str] = []
    window.ctx.statusMessage.connect(messages.append)
    with monkeypatch.context() as m:
        m.setattr(window.runner, "active_jobs", lambda: [Busy()])
        m.setattr(pdpacket.ui.dialogs, "confirm", lambda *a: pytest.fail("asked to confirm"))
        window.archives.restore(backup, window, lambda saved: None)
    assert messages and "Wait for the add evidence" in messages[0]
    assert ws.list_backups()[0].name == backup.name  # nothing restored, nothing saved

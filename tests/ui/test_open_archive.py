"""A .pdpacket opened from the desktop (`pdpacket open ARCHIVE`) is imported as
soon as the window is up (#16)."""

from __future__ import annotations

import pdpacket.ui.dialogs

from .helpers import wait_jobs
from .test_archive_ui import case, open_case, same_case  # noqa: F401 - the fixture


def test_an_opened_archive_is_imported(qtbot, window, workspace, case, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]  # noqa: F811
    # the archive holds a case already here: the window asks, as from the menu
    asked: list[str] = []

    def choose(parent, title, text, choices):  # type: ignore[no-untyped-def]
        asked.append(title)
        return "keep_both"

    monkeypatch.setattr(pdpacket.ui.dialogs, "choose", choose)
    out = tmp_path / "rosa.pdpacket"
    workspace.export_case(case, out)
    open_case(window, case)
    window.archives.import_archive_file(str(out))
    wait_jobs(qtbot, window)
    new = window.ctx.case_id
    assert new != case and new in window.cases.case_ids()
    same_case(workspace, case, new)
    assert asked == ["The case is already here"]
    assert "Imported the case of" in window.statusBar().currentMessage()

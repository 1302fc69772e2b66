"""A .pdpacket opened from the desktop (`pdpacket open ARCHIVE`) is imported as
soon as the window is up (#16)."""

from __future__ import annotations

from .helpers import wait_jobs
from .test_archive_ui import case, open_case, same_case  # noqa: F401 - the fixture


def test_an_opened_archive_is_imported(qtbot, window, workspace, case, tmp_path):  # type: ignore[no-untyped-def]  # noqa: F811
    out = tmp_path / "rosa.pdpacket"
    workspace.export_case(case, out)
    open_case(window, case)
    window.archives.import_archive_file(str(out))
    wait_jobs(qtbot, window)
    new = window.ctx.case_id
    assert new != case and new in window.cases.case_ids()
    same_case(workspace, case, new)
    assert "Imported the case of" in window.statusBar().currentMessage()

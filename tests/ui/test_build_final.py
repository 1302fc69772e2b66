"""The Build step's drafts and "Build final": a build while the review has errors
says DRAFT and why, Build final refuses naming each error (on the step, not in
an error box), and once fixed builds a final packet; history says Draft/Final."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtWidgets import QApplication

from tests.core.test_draft_final import PLACEHOLDER, fix, flaw, page_texts
from tests.core.test_review import good_case

from .helpers import wait_jobs

SHOTS = os.environ.get("PDPACKET_SCREENSHOTS", "")


def _shot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()
        widget.grab().save(str(Path(SHOTS) / name))


def test_draft_then_final_from_the_build_step(qtbot, window, workspace, tmp_path, errors):
    case_id, ids = good_case(workspace, tmp_path / "ev")
    # the window reviews as of today: keep the hearing ahead of it
    workspace.update_proceedings(case_id, hearing_date=dt.date.today() + dt.timedelta(days=90))
    flaw(workspace, case_id, ids)
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("build")
    build = window.step("build")
    out = tmp_path / "packets" / "packet.pdf"
    build.output.setText(str(out))

    build.build_button.click()
    wait_jobs(qtbot, window)
    text = build.result.label.text()
    assert text.startswith("DRAFT: ") and "review error" in text, text
    assert "letter.placeholder" in text and "exhibit.untranslated" in text
    assert build.result.kind == "warning"
    assert all("DRAFT" in page for page in page_texts(out))
    assert build.history.data(build.history.index(0, 1)) == "Draft"
    assert "Draft" in build.status().summary
    _shot(window, "build-draft.png")

    build.final_button.click()
    wait_jobs(qtbot, window)
    assert errors.take() == []  # said on the step, not in an error box
    text = build.result.label.text()
    assert build.result.kind == "error"
    assert "Not ready for a final packet" in text and "letter.placeholder" in text
    assert "Fix:" in text
    assert len(workspace.builds(case_id)) == 1  # nothing built
    _shot(window, "build-final-refused.png")

    fix(workspace, case_id, ids)
    build.final_button.click()
    wait_jobs(qtbot, window)
    text = build.result.label.text()
    assert text.startswith("Final: "), text
    assert build.history.data(build.history.index(0, 1)) == "Final"
    assert build.history.data(build.history.index(1, 1)) == "Draft"
    pages = page_texts(out)
    assert not any("DRAFT" in page or PLACEHOLDER in page for page in pages)
    _shot(window, "build-final.png")

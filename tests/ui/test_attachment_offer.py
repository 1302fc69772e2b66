"""After an import, the files a PDF carried are offered as exhibits (#14)."""

from __future__ import annotations

import pytest

from pdpacket.model import Client
from tests.core.test_intake_leftovers import attachment_pdf

from .helpers import drop_files, wait_jobs


@pytest.fixture
def evidence(window, workspace):  # type: ignore[no-untyped-def]
    case_id = workspace.create_case(Client(name="Attachment Client"))
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("evidence")
    step = window.step("evidence")
    step.case_id = case_id
    return step


def test_attached_files_are_offered_and_added_as_exhibits(
    qtbot, window, workspace, evidence, evidence_dir
):
    drop_files(evidence, [attachment_pdf(evidence_dir / "letter.pdf", with_note=False)])
    wait_jobs(qtbot, window)
    offer = evidence.attachment_offer
    assert offer.isVisible()
    assert offer.label.text() == (
        "letter.pdf carried 1 attached file: image.png — add it as an exhibit?"
    )
    assert offer.add_button.text().replace("&", "") == "Add as exhibit"
    offer.grab().save("/tmp/intk/offer.png")
    offer.add_button.click()
    wait_jobs(qtbot, window)
    titles = [e.title for e in workspace.exhibits(evidence.case_id)]
    assert titles == ["Letter", "Image"]
    assert not offer.isVisible()
    texts = [evidence.results.item(i).text() for i in range(evidence.results.count())]
    assert texts == ["image.png (attached to letter.pdf) → exhibit B (1 page)"]


def test_not_now_adds_nothing(qtbot, window, workspace, evidence, evidence_dir):
    drop_files(evidence, [attachment_pdf(evidence_dir / "letter.pdf")])
    wait_jobs(qtbot, window)
    offer = evidence.attachment_offer
    assert "carried 2 attached files: image.png, pay stub.png — add them" in offer.label.text()
    offer.dismiss.click()
    assert not offer.isVisible()
    assert len(workspace.exhibits(evidence.case_id)) == 1

"""Evidence step: what a user sees when files are good, bad, locked or many."""

from __future__ import annotations

import pdpacket.ui.dialogs
import pytest
from pdpacket.ui.workers import SignalProgress
from PySide6.QtGui import QColor

from pdpacket.model import Client
from tests.pdftools import make_pdf

from .helpers import drop_files, make_encrypted_pdf, wait_jobs


@pytest.fixture
def evidence(window, workspace):  # type: ignore[no-untyped-def]
    case_id = workspace.create_case(Client(name="Evidence Client"))
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("evidence")
    step = window.step("evidence")
    step.case_id = case_id
    return step


def test_a_bad_file_is_refused_with_its_name_and_what_to_do(
    qtbot, window, workspace, evidence, evidence_dir
):
    notes = evidence_dir / "notes.docx"
    notes.write_bytes(b"PK\x03\x04 this is a word file, not a PDF")
    empty = evidence_dir / "scan.pdf"
    empty.write_bytes(b"")
    good = make_pdf(evidence_dir / "passport.pdf", ["Passport"])
    drop_files(evidence, [notes, empty, good])
    wait_jobs(qtbot, window)
    assert [e.title for e in workspace.exhibits(evidence.case_id)] == ["Passport"]
    texts = [evidence.results.item(i).text() for i in range(evidence.results.count())]
    assert len(texts) == 3
    refused = [t for t in texts if "→ exhibit" not in t]
    assert len(refused) == 2
    # each refusal names its file and says what to do (the wording is intake's)
    assert any(t.startswith("notes.docx") and len(t) > 40 for t in refused)
    assert any(t.startswith("scan.pdf") and "empty" in t for t in refused)
    assert any("passport.pdf → exhibit A" in t for t in texts)
    assert evidence.summary.kind == "error"
    assert "2 could not be imported" in evidence.summary.label.text()


def test_a_password_is_asked_for_and_a_wrong_one_asked_again(
    qtbot, window, workspace, evidence, evidence_dir, monkeypatch
):
    locked = make_encrypted_pdf(evidence_dir / "bank_statements.pdf", "1234", ["Jan", "Feb"])
    asked: list[tuple[str, bool]] = []
    answers = iter(["0000", "1234"])

    def ask(cls, parent, filename, retry=False):  # type: ignore[no-untyped-def]
        asked.append((filename, retry))
        return next(answers)

    monkeypatch.setattr(pdpacket.ui.dialogs.PasswordDialog, "ask", classmethod(ask))
    drop_files(evidence, [locked])
    wait_jobs(qtbot, window)
    assert asked == [("bank_statements.pdf", False), ("bank_statements.pdf", True)]
    (ex,) = workspace.exhibits(evidence.case_id)
    assert ex.title == "Bank statements" and ex.pages == 2
    assert "Added 1 exhibit" in evidence.summary.label.text()


def test_skipping_the_password_leaves_the_file_out_and_says_so(
    qtbot, window, workspace, evidence, evidence_dir, monkeypatch
):
    locked = make_encrypted_pdf(evidence_dir / "medical.pdf", "x", ["Dr"])
    monkeypatch.setattr(
        pdpacket.ui.dialogs.PasswordDialog, "ask", classmethod(lambda cls, *a, **k: None)
    )
    drop_files(evidence, [locked])
    wait_jobs(qtbot, window)
    assert workspace.exhibits(evidence.case_id) == []
    assert "skipped" in evidence.results.item(0).text()


def test_cancel_stops_an_import_between_files_and_keeps_what_was_done(
    qtbot, window, workspace, evidence, evidence_dir, monkeypatch
):
    files = [make_pdf(evidence_dir / f"doc_{n}.pdf", [f"doc {n}"]) for n in range(6)]
    original = SignalProgress.update
    held: list[bool] = []

    def update(self, done, total, message):  # type: ignore[no-untyped-def]
        original(self, done, total, message)
        if not held:  # hold the import at its first file until the user cancels
            held.append(True)
            self._job.cancel_token._event.wait(20)

    monkeypatch.setattr(SignalProgress, "update", update)
    drop_files(evidence, files)
    evidence.job.progress.connect(lambda *_: evidence.cancel.click())
    wait_jobs(qtbot, window)
    imported = workspace.exhibits(evidence.case_id)
    assert len(imported) < len(files)
    assert evidence.summary.label.text().startswith("Import cancelled.")
    assert not evidence.progress.isVisible()


def test_pages_are_shown_as_thumbnails_on_white_and_previewed(
    qtbot, window, workspace, evidence, evidence_dir
):
    drop_files(evidence, [make_pdf(evidence_dir / "tax_returns.pdf", ["2021", "2022", "2023"])])
    wait_jobs(qtbot, window)
    panel = evidence.pages
    assert panel.thumbs.count() == 3
    assert [panel.thumbs.item(i).text() for i in range(3)] == ["Page 1", "Page 2", "Page 3"]
    thumb = panel.thumbs.item(0).icon().pixmap(panel.thumbs.iconSize()).toImage()
    corner = QColor(thumb.pixel(4, 4))  # inside the grey edge
    assert (corner.red(), corner.green(), corner.blue()) == (255, 255, 255)
    panel.thumbs.setCurrentRow(2)
    assert "Page 3 of 3" in panel.status.text()
    large = panel.page_label.pixmap().toImage()
    assert QColor(large.pixel(4, 4)).name() == "#ffffff"  # on white, not transparent black
    assert evidence.tabs.tabText(1).replace("&", "") == "Pages (3)"


def test_add_files_button_and_a_locked_translation_file(
    qtbot, window, workspace, evidence, evidence_dir, monkeypatch
):
    acta = make_pdf(evidence_dir / "acta_matrimonio.pdf", ["Acta"])
    monkeypatch.setattr(pdpacket.ui.dialogs, "pick_files", lambda parent, *a: [str(acta)])
    evidence.add_files.click()
    wait_jobs(qtbot, window)
    assert len(workspace.exhibits(evidence.case_id)) == 1
    editor = evidence.editor
    editor.language.setEditText("Spanish")
    editor.language.lineEdit().editingFinished.emit()
    locked = make_encrypted_pdf(evidence_dir / "marriage_translation.pdf", "tr", ["Marriage"])
    monkeypatch.setattr(pdpacket.ui.dialogs, "pick_file", lambda parent, title: str(locked))
    asked: list[str] = []
    monkeypatch.setattr(
        pdpacket.ui.dialogs.PasswordDialog,
        "ask",
        classmethod(lambda cls, parent, name, retry=False: asked.append(name) or "tr"),
    )
    editor.add_translation.click()
    wait_jobs(qtbot, window)
    assert asked == ["marriage_translation.pdf"]
    files = workspace.exhibits(evidence.case_id)[0].files
    assert [f.original_name for f in files] == ["acta_matrimonio.pdf", "marriage_translation.pdf"]

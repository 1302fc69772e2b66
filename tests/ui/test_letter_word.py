"""The Letter step's Word buttons: "Export as Word…" writes a .docx with the
citations written out; "Use my own letter…" brings an attorney's .docx in (its
typed citations become chips, the unmatched ones are named), and "Put
previous letter back" restores the letter it replaced."""

from __future__ import annotations

import docx
import pdpacket.ui.steps.letter as letter_ui

from pdpacket.letter.word import docx_text

from .helpers import wait_jobs
from .test_letter_step import letter_case, open_letter


def test_export_as_word_and_use_my_own_letter(qtbot, window, workspace, tmp_path, monkeypatch):
    case_id, ids = letter_case(workspace, tmp_path / "files")
    step = open_letter(window, case_id)
    assert not step.word_button.isVisibleTo(step)  # no letter yet
    assert step.own_button.isVisibleTo(step)
    step.empty_button.click()
    assert step.word_button.isVisibleTo(step)

    out = tmp_path / "letter.docx"
    monkeypatch.setattr(letter_ui, "pick_word_path", lambda parent, suggested: str(out))
    step.word_button.click()
    wait_jobs(qtbot, window)
    text = docx_text(out.read_bytes())
    assert "Exhibit A" in text and "{{" not in text
    assert "Word document" in step.notice.text()

    mine = tmp_path / "mine.docx"
    d = docx.Document()
    d.add_heading("Argument", level=1)
    d.add_paragraph("She has rented the same flat since 2015 (Exh. B, p. 2; Exh. Z at 4).")
    d.save(str(mine))
    drafted = workspace.letter(case_id).text
    monkeypatch.setattr(letter_ui, "pick_own_letter", lambda parent: str(mine))
    monkeypatch.setattr(letter_ui, "confirm_own_letter", lambda parent, name, pdf: True)
    step.own_button.click()
    wait_jobs(qtbot, window)
    markup = step.editor.markup()
    assert markup.startswith("# Argument")
    assert f"{{{{cite:{ids['lease']}:pages=2}}}}" in markup  # a chip now
    assert "Exh. Z at 4" in markup  # matched nothing: kept as written
    assert "\u201cExh. Z at 4\u201d (the packet has no Exhibit Z)" in step.notice.text()
    assert step.previous_button.isVisibleTo(step)

    step.previous_button.click()
    assert workspace.letter(case_id).text == drafted
    assert step.editor.markup() == drafted
    assert not step.previous_button.isVisibleTo(step)


def test_packet_menu_exports_every_document(qtbot, window, workspace, tmp_path, monkeypatch):
    import pdpacket.ui.documents_export as export_ui

    case_id, _ids = letter_case(workspace, tmp_path / "files")
    open_letter(window, case_id).empty_button.click()
    shown: list[list[str]] = []
    monkeypatch.setattr(export_ui, "pick_documents_format", lambda parent: "docx")
    monkeypatch.setattr(export_ui, "pick_documents_folder", lambda parent: str(tmp_path / "out"))
    monkeypatch.setattr(
        export_ui, "show_written", lambda parent, folder, lines: shown.append(lines)
    )
    assert window.documents_action.isEnabled()
    window.documents_action.trigger()
    wait_jobs(qtbot, window)
    assert shown == [
        [
            "Request letter: letter.docx",
            "Cover sheet: cover.docx",
            "Client's declaration: declaration.docx",
        ]
    ]
    assert "DECLARATION OF ROSA PRUEBA" in docx_text(
        (tmp_path / "out" / "declaration.docx").read_bytes()
    )

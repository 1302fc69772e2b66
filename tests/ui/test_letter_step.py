"""The Letter step: generate the draft, edit it with the toolbar and the keys,
cite exhibits as chips, see the letters follow a reorder in the exported PDF
(read back with pdftotext), refresh with conflicts shown side by side, and
nothing lost on close."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pdpacket.ui.steps.letter as letter_ui
import pytest
from pdpacket.ui.style import State
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from pdpacket.api import Workspace
from pdpacket.model import Attorney, Client, FactorAnswer, Proceedings
from tests.pdftools import make_pdf, run_tool

from .helpers import wait_jobs

NEGATIVES = (
    "criminal_history",
    "prior_removal_reentry",
    "immigration_fraud",
    "security_concerns",
    "recent_unlawful_entry",
)


def letter_case(ws: Workspace, folder: Path, today: dt.date | None = None) -> tuple[int, dict]:
    """A small case a draft can be made of: stage and form, a documented factor,
    the negatives answered, three exhibits (passport, lease, pay stubs)."""
    today = today or dt.date.today()
    ws.store.set_attorney(Attorney(name="Ana Ortiz", firm="Ortiz Law", phone="(212) 555-0100"))
    case_id = ws.create_case(
        Client(name="Rosa Prueba", a_number="201555014", dob=dt.date(1990, 1, 2), country="Peru"),
        Proceedings(
            court_id="new-york-broadway",
            opla_office_id="new-york-city",
            hearing_date=today + dt.timedelta(days=120),
            hearing_type="master",
            stage="proceedings_pending",
            pd_form="dismissal",
        ),
    )
    ws.store.set_factor_answer(
        case_id, FactorAnswer("long_residence", True, "She has lived in Queens since 2005.")
    )
    for f in NEGATIVES:
        ws.store.set_factor_answer(case_id, FactorAnswer(f, False))
    folder.mkdir(parents=True, exist_ok=True)
    ids = {}
    for name, attrs in (
        ("passport", {"document_type": "passport"}),
        ("lease", {"factor_ids": ["long_residence"]}),
        ("pay stubs", {}),
    ):
        path = make_pdf(folder / f"{name}.pdf", [f"{name} page 1", f"{name} page 2"])
        [res] = ws.add_evidence(case_id, [path])
        ws.store.update_exhibit(res.exhibit_id, title=name.capitalize(), **attrs)
        ids[name] = res.exhibit_id
    return case_id, ids


def open_letter(window, case_id: int):  # type: ignore[no-untyped-def]
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("letter")
    return window.step("letter")


def pdf_text(path: Path) -> str:
    return " ".join(run_tool("pdftotext", str(path), "-").split())


def export(qtbot, window, step, path: Path, monkeypatch) -> str:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(letter_ui, "pick_letter_path", lambda parent, suggested: str(path))
    step.export_button.click()
    wait_jobs(qtbot, window)
    return pdf_text(path)


def test_generate_cite_edit_and_the_letters_follow_a_reorder(
    qtbot, window, workspace, tmp_path, monkeypatch
):
    case_id, ids = letter_case(workspace, tmp_path / "files")
    step = open_letter(window, case_id)
    assert step.stack.currentWidget() is step.empty
    assert step.status().state == State.EMPTY

    # Generate the draft
    step.empty_button.click()
    letter = workspace.letter(case_id)
    assert letter is not None and letter.untouched
    editor = step.editor
    assert editor.markup() == letter.text  # chips stand for the tokens, nothing lost
    assert "[[" in editor.toPlainText()
    window.refresh_status()
    assert step.status().state == State.PARTIAL and "Untouched" in step.status().summary
    # the draft cites the passport in the facts: a chip showing its letter
    passport_chip = f"{{{{cite:{ids['passport']}}}}}"
    assert passport_chip in editor.markup()
    assert letter_ui.chip_text(passport_chip, editor.chips.infos)[0] == "Exhibit A"

    # Replace the story placeholder with the attorney's words and a citation
    assert step.select_object("", "letter.placeholder")
    qtbot.keyClicks(editor, "She raised her son here. See ")
    panel = step.cite_panel
    rows = {panel.list.item(i).text(): i for i in range(panel.list.count())}
    assert list(rows) == ["A  –  Passport", "B  –  Lease", "C  –  Pay stubs"]
    pay = panel.list.item(rows["C  –  Pay stubs"])
    panel.list.itemClicked.emit(pay)  # a click on the list cites it at the cursor
    qtbot.keyClicks(editor, ".")
    with qtbot.waitSignal(window.ctx.letterChanged, timeout=5000):
        pass  # autosave after a pause in typing
    stored = workspace.letter(case_id).text
    pay_token = f"{{{{cite:{ids['pay stubs']}}}}}"
    assert f"She raised her son here. See {pay_token}." in stored
    assert not workspace.letter(case_id).untouched
    assert step.save_state.text() == "All changes saved"

    # A page range from the panel
    editor.moveCursor(QTextCursor.MoveOperation.End)
    panel.kind.setCurrentIndex(panel.kind.findData("pages"))
    panel.pages.setText("9")
    assert "pages 1 to 2" in panel.message.text()  # the lease has two pages
    panel.cite(ids["lease"])
    assert f"{{{{cite:{ids['lease']}" not in editor.markup().split("See ")[-1]
    panel.pages.setText("2")
    panel.cite(ids["lease"])
    assert editor.markup().endswith(f"{{{{cite:{ids['lease']}:pages=2}}}}")
    assert letter_ui.chip_text(f"{{{{cite:{ids['lease']}:pages=2}}}}", editor.chips.infos)[0] == (
        "Exh. B, p. 2"
    )

    # The exported letter says Exhibit C; after moving the pay stubs first, Exhibit A
    text = export(qtbot, window, step, tmp_path / "letter1.pdf", monkeypatch)
    assert "She raised her son here. See Exhibit C." in text
    assert "Letter exported" in step.notice.text()

    window.go_to_step("exhibits")
    exhibits = window.step("exhibits")
    exhibits.select_ids([ids["pay stubs"]])
    exhibits.move_selected(-1)
    exhibits.move_selected(-1)
    assert next(e.id for e in workspace.exhibits(case_id)) == ids["pay stubs"]
    assert letter_ui.chip_text(pay_token, step.editor.chips.infos)[0] == "Exhibit A"
    assert letter_ui.chip_text(passport_chip, step.editor.chips.infos)[0] == "Exhibit B"
    window.go_to_step("letter")
    text = export(qtbot, window, step, tmp_path / "letter2.pdf", monkeypatch)
    assert "She raised her son here. See Exhibit A." in text
    assert "Peru. See Exhibit B." in text

    # The preview renders the same letter (in a worker)
    step.side.setCurrentIndex(1)
    wait_jobs(qtbot, window)
    assert step.preview_pdf.startswith(b"%PDF")
    preview = tmp_path / "preview.pdf"
    preview.write_bytes(step.preview_pdf)
    assert "See Exhibit A." in pdf_text(preview)
    assert step.pdf_view.document().pageCount() >= 1

    # Removing the cited exhibit turns its chip into a red "missing" one
    exhibits.select_ids([ids["pay stubs"]])
    exhibits.remove_selected()
    label, tip, broken = letter_ui.chip_text(pay_token, step.editor.chips.infos)
    assert broken and label == "Missing exhibit" and "removed" in tip
    window.ctx.history.undo()
    assert not letter_ui.chip_text(pay_token, step.editor.chips.infos)[2]
    window.refresh_status()
    keys = [
        window.sidebar.item(i).data(Qt.ItemDataRole.UserRole) for i in range(window.sidebar.count())
    ]
    assert "letter" in keys


def test_toolbar_keys_undo_and_clipboard(qtbot, window, workspace, tmp_path):
    case_id, ids = letter_case(workspace, tmp_path / "files")
    step = open_letter(window, case_id)
    step.refresh()
    editor = step.editor
    editor.set_markup("Dear Counsel:\n\nshe works hard\n\nfirst\nsecond\n", undoable=True)

    def select(word: str) -> None:
        at = editor.toPlainText().index(word)
        editor.select_range(at, at + len(word))

    select("works")
    step.format_buttons["bold"].click()
    assert "she **works** hard" in editor.markup()
    step.format_buttons["bold"].click()
    assert "she works hard" in editor.markup()
    select("hard")
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert "she works *hard*" in editor.markup()
    # Ctrl+B in the letter is bold, not the window's Build
    select("she")
    qtbot.keyClick(editor, Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier)
    assert "**she** works *hard*" in editor.markup()
    assert window.current_step().key == "letter" and window.step("build").job is None

    select("first\nsecond")
    step.format_buttons["bullet"].click()
    assert "- first\n- second" in editor.markup()
    step.format_buttons["number"].click()
    assert "1. first\n2. second" in editor.markup()
    step.format_buttons["number"].click()
    assert "\nfirst\nsecond" in editor.markup()
    editor.select_range(0, 0)
    step.format_buttons["heading"].click()
    assert editor.markup().startswith("# Dear Counsel:")
    step.format_buttons["heading"].click()
    assert editor.markup().startswith("## Dear Counsel:")
    step.format_buttons["heading"].click()
    assert editor.markup().startswith("Dear Counsel:")

    # Ctrl+Z is the editor's own undo (the window's exhibit undo is left alone)
    before = editor.markup()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(editor, "typed")
    assert editor.markup().endswith("typed")
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert editor.markup() == before
    assert not window.workspace.can_undo()

    # A chip copied and pasted keeps its token; typing next to it stays text
    token = f"{{{{cite:{ids['lease']}}}}}"
    editor.moveCursor(QTextCursor.MoveOperation.End)
    step.cite_panel.cite(ids["lease"])
    qtbot.keyClicks(editor, " ok")
    assert editor.markup().endswith(f"{token} ok")
    end = len(editor.toPlainText())
    editor.select_range(end - 4, end - 3)  # the chip
    editor.copy()
    assert QApplication.clipboard().text() == token
    editor.moveCursor(QTextCursor.MoveOperation.End)
    editor.paste()
    assert editor.markup().endswith(f"{token} ok{token}")
    assert len(editor.chip_tokens()) == editor.markup().count("{{cite:")
    # a citation typed or pasted as text becomes a chip too
    QApplication.clipboard().setText(f" and {{{{pages:{ids['passport']}}}}}")
    editor.paste()
    assert editor.chip_tokens()[-1][1] == f"{{{{pages:{ids['passport']}}}}}"
    # hovering a chip explains it
    c = QTextCursor(editor.document())
    c.setPosition(editor.chip_tokens()[-1][0])
    rect = editor.cursorRect(c)
    assert "Passport" in editor.chip_tooltip(rect.center())


def test_refresh_keeps_edits_and_conflicts_are_compared(qtbot, window, workspace, tmp_path):
    case_id, _ids = letter_case(workspace, tmp_path / "files")
    step = open_letter(window, case_id)
    step.refresh()
    editor = step.editor
    # The attorney rewrites the long-residence paragraph...
    text = editor.markup()
    old = next(p for p in text.split("\n\n") if "Queens since 2005" in p)
    editor.set_markup(
        text.replace(old, "Rosa has lived in Queens for twenty years."), undoable=True
    )
    assert step.flush()
    assert not step.stale.text()
    # ...and the notes behind it change on the Factors step
    workspace.store.set_factor_answer(
        case_id, FactorAnswer("long_residence", True, "She has lived in Astoria since 2004.")
    )
    window.ctx.caseChanged.emit()
    assert "changed since this draft" in step.stale.text()

    step.refresh_button.click()
    assert len(step.conflicts.cards) == 1
    card = step.conflicts.cards[0]
    assert step.conflicts.isVisible()
    assert "twenty years" in card.conflict.mine and "Astoria since 2004" in card.conflict.draft
    assert card.conflict.section == "Long residence in the United States"
    assert "twenty years" in editor.markup()  # kept until the attorney chooses
    window.refresh_status()
    assert step.status().state == State.WARNING
    assert not step.stale.text()

    card.use.click()
    assert "Astoria since 2004" in editor.markup()
    assert "twenty years" not in editor.markup()
    assert not step.conflicts.isVisible()
    stored = workspace.letter(case_id)
    assert not stored.conflicts and "Astoria since 2004" in stored.text
    # the choice is one step of the editor's undo
    editor.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "twenty years" in editor.markup()

    # Again, this time keeping the attorney's text
    assert step.flush()
    workspace.store.set_factor_answer(
        case_id, FactorAnswer("long_residence", True, "She has lived in Corona since 2003.")
    )
    step.refresh()
    assert len(step.conflicts.cards) == 1
    step.conflicts.keep_all.click()
    assert not workspace.letter(case_id).conflicts
    assert "twenty years" in workspace.letter(case_id).text
    assert "Corona" not in workspace.letter(case_id).text


def test_nothing_typed_is_lost_on_close(qtbot, make_window, workspace, tmp_path):
    case_id, _ids = letter_case(workspace, tmp_path / "files")
    window = make_window()
    step = open_letter(window, case_id)
    step.refresh()
    step.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(step.editor, "Last words")
    assert step.save_state.text() == "Saving…"
    window.close()  # before the autosave pause is over
    assert workspace.letter(case_id).text.rstrip().endswith("Last words")
    # and it comes back in the next window
    again = make_window()
    again.open_case(case_id)
    again.go_to_step("letter")
    assert again.step("letter").editor.markup().rstrip().endswith("Last words")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "plain\n",
        "# H\n\nSee {{cite:3}}; {{pages:4}} and {{cite:5:pages=2-3}}.\n\n- a\n- b\n",
        "{{cite:1}}{{cite:1}}{{cite:2}}\n{{today}} [[todo]] **b** *i*\n",
    ],
)
def test_markup_round_trips_through_the_editor(qtbot, text):
    editor = letter_ui.LetterEditor()
    qtbot.addWidget(editor)
    editor.set_markup(text)
    assert editor.markup() == text
    assert len(editor.chip_tokens()) == len(re.findall(r"\{\{(cite|pages):", text))

"""The Review step: findings of a flawed case grouped by severity, Enter /
double-click goes where each is fixed (the step, and the factor, exhibit or
citation selected), a fix makes the finding go away, and the demo case
reaches "Ready to file" after the steps a user takes in the window."""

from __future__ import annotations

import datetime as dt
import json
import re

from pdpacket.ui.steps.review import FINDING_ROLE
from pdpacket.ui.style import State
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pdpacket.demo import write_demo_evidence
from pdpacket.model import Attorney, FactorAnswer, Severity
from tests.pdftools import make_pdf

from .helpers import drop_files, wait_jobs
from .test_letter_step import letter_case


def review_of(qtbot, window):  # type: ignore[no-untyped-def]
    """Show the Review step and wait for its worker."""
    step = window.step("review")
    window.go_to_step("review")
    wait_jobs(qtbot, window)
    assert step.findings is not None
    return step


def item_for(step, code: str):  # type: ignore[no-untyped-def]
    return next(i for i in step.finding_items() if i.data(FINDING_ROLE).code == code)


def fixed(qtbot, window, step, action) -> set[str]:  # type: ignore[no-untyped-def]
    """Do ``action`` (a fix made in the window) and wait for the review that follows
    it by itself; the codes it found."""
    wait_jobs(qtbot, window)  # nothing older in flight
    with qtbot.waitSignal(step.statusChanged, timeout=10000):
        action()
    return {f.code for f in step.findings}


def press_enter_on(qtbot, step, code: str) -> None:  # type: ignore[no-untyped-def]
    step.list.setCurrentItem(item_for(step, code))
    step.list.setFocus()
    qtbot.keyClick(step.list, Qt.Key.Key_Return)


def test_findings_jump_to_their_place_and_go_away_when_fixed(qtbot, window, workspace, tmp_path):
    case_id, ids = letter_case(workspace, tmp_path / "files")
    ws = workspace
    # flaws: a claimed factor with no exhibit, a Spanish document without its
    # translation, a letter citing an exhibit that is then removed
    ws.store.set_factor_answer(
        case_id, FactorAnswer("family_us_citizen_lpr", True, "Her son is a U.S. citizen.")
    )
    ws.store.update_exhibit(ids["pay stubs"], language="Spanish")
    gone = make_pdf(tmp_path / "old.pdf", ["old"])
    [res] = ws.add_evidence(case_id, [gone])
    ws.refresh_letter(case_id)
    ws.save_letter(case_id, ws.letter(case_id).text + f"\nSee {{{{cite:{res.exhibit_id}}}}}.\n")
    ws.store.remove_exhibit(res.exhibit_id)

    window.cases.refresh()
    window.open_case(case_id)
    step = review_of(qtbot, window)
    codes = {f.code: f for f in step.findings}
    for code in ("factor.no_evidence", "exhibit.untranslated", "letter.missing_exhibit"):
        assert codes[code].severity == Severity.ERROR, code
    assert step.verdict.text().startswith("Not ready")
    window.refresh_status()
    assert step.status().state == State.WARNING
    # grouped: a header per severity, errors first, with counts
    headers = [
        step.list.item(i).text()
        for i in range(step.list.count())
        if not step.list.item(i).data(FINDING_ROLE)
    ]
    errors = sum(f.severity == Severity.ERROR for f in step.findings)
    assert headers[0].startswith(f"Errors ({errors})")
    item = item_for(step, "factor.no_evidence")
    assert item.data(FINDING_ROLE).fix and item.data(FINDING_ROLE).fix in item.toolTip()

    # Enter on the factor finding: the Factors step, that factor's row focused
    press_enter_on(qtbot, step, "factor.no_evidence")
    assert window.current_step().key == "factors"
    row = window.step("factors").rows["family_us_citizen_lpr"]
    assert row.isAncestorOf(QApplication.focusWidget())

    # the exhibit finding selects the exhibit on the Evidence step
    window.go_to_step("review")
    press_enter_on(qtbot, step, "exhibit.untranslated")
    assert window.current_step().key == "evidence"
    assert window.step("evidence").current_exhibit().id == ids["pay stubs"]

    # the letter finding selects the broken citation chip
    window.go_to_step("review")
    step.list.setCurrentItem(item_for(step, "letter.missing_exhibit"))
    step.list.itemActivated.emit(step.list.currentItem())  # a double-click
    assert window.current_step().key == "letter"
    editor = window.step("letter").editor
    cursor = editor.textCursor()
    assert cursor.hasSelection() and cursor.selectionEnd() - cursor.selectionStart() == 1
    assert dict(editor.chip_tokens())[cursor.selectionStart()] == f"{{{{cite:{res.exhibit_id}}}}}"

    # Fix them in the window; the review follows without being asked
    def drop_citation() -> None:
        editor.textCursor().removeSelectedText()
        assert window.step("letter").flush()

    assert "letter.missing_exhibit" not in fixed(qtbot, window, step, drop_citation)

    window.go_to_step("factors")
    untick = lambda: row.applies.setChecked(False)  # noqa: E731
    assert "factor.no_evidence" not in fixed(qtbot, window, step, untick)

    window.go_to_step("evidence")
    evidence = window.step("evidence")
    evidence.select_exhibit(ids["pay stubs"])
    lang = evidence.editor.language

    def english() -> None:
        lang.setCurrentIndex(lang.findData("English", Qt.ItemDataRole.DisplayRole))
        lang.activated.emit(lang.currentIndex())

    assert "exhibit.untranslated" not in fixed(qtbot, window, step, english)


def test_the_demo_case_reaches_ready_to_file(qtbot, window, workspace, evidence_dir):
    ws = workspace
    # the demo's data as the user brings it, before pdpacket finishes it: no G-28 yet
    manifest = write_demo_evidence(evidence_dir.parent / "demo")
    data = json.loads(manifest.read_text(encoding="utf-8"))
    del data["appearance"]
    manifest.write_text(json.dumps(data), encoding="utf-8")
    case_id = ws.import_manifest(manifest)
    # the demo's hearing is a fixed date: keep it ahead of today's filing deadline
    ws.store.update_proceedings(case_id, hearing_date=dt.date.today() + dt.timedelta(days=60))
    window.cases.refresh()
    window.open_case(case_id)
    step = review_of(qtbot, window)
    assert {f.code for f in step.findings if f.severity == Severity.ERROR} == {
        "appearance.missing",
        "letter.missing",
        "signature.missing",
    }
    assert not step.verdict.text().startswith("Ready")

    # Settings: the attorney's details
    ws.store.set_attorney(
        Attorney(name="Ana M. Ortiz", firm="Ortiz & Vega", phone="(212) 555-0188")
    )
    window.ctx.settingsChanged.emit()

    # The letter: generate, then edit it in the editor
    press_enter_on(qtbot, step, "letter.missing")
    assert window.current_step().key == "letter"
    letter = window.step("letter")
    letter.empty_button.click()
    editor = letter.editor
    exhibits = {e.title: e.id for e in ws.exhibits(case_id)}
    # the demo's interview told the story: the attorney adds a sentence of their own
    assert not letter.select_object("", "letter.placeholder")
    assert editor.select_pattern(r"Thank you for considering this request\.")
    qtbot.keyClicks(editor, "She has raised her son Mateo here. See ")
    letter.cite_panel.cite(exhibits["U.S. birth certificate of son Mateo J. Morales"])
    qtbot.keyClicks(editor, ".")
    while letter.select_object("", "letter.placeholder"):
        qtbot.keyClicks(editor, "pursue the pending I-130 petition before USCIS")
    assert letter.flush()
    assert "[[" not in ws.letter(case_id).text

    # The signed G-28, dropped on the Evidence step and typed as such
    window.go_to_step("evidence")
    evidence = window.step("evidence")
    g28 = make_pdf(evidence_dir / "G-28 signed.pdf", ["FORM G-28 (signed)"])
    drop_files(evidence, [g28])
    wait_jobs(qtbot, window)
    new = next(e for e in ws.exhibits(case_id) if e.title.startswith("G 28"))
    evidence.select_exhibit(new.id)
    types = evidence.editor.doc_type
    types.setCurrentIndex(types.findData("g28"))
    evidence.editor.guesses.button.click()  # the type was a guess from the name: confirm it

    # Signatures: every document signed "/s/ Name" from the Letter step's list
    window.go_to_step("letter")
    signatures = window.step("letter").signatures
    signatures.sign_all.click()
    assert "All 4 signed" in signatures.summary.text()

    step = review_of(qtbot, window)
    assert not [f for f in step.findings if f.severity == Severity.ERROR], [
        f.message for f in step.findings
    ]
    assert step.verdict.text() == "Ready to file"
    assert "No errors" in step.banner.text()
    window.refresh_status()
    review_row = [s.key for s in window.steps].index("review")
    assert window.sidebar.item(review_row).data(Qt.ItemDataRole.UserRole + 2) == "Ready to file"
    assert step.status().state == State.DONE
    assert re.search(r"\bRespectfully\b", ws.letter(case_id).text)

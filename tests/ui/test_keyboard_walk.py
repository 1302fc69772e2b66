"""A whole case with the keyboard alone: no mouse event is sent, every control is
reached with shortcuts, mnemonics, Tab and the arrow keys.  The file pickers and
the new-case dialog are answered by the test (they are the system's own)."""

from __future__ import annotations

import pdpacket.ui.dialogs
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from pdpacket.model import Attorney, FactorState
from tests.pdftools import make_pdf, pdfinfo

from .helpers import wait_jobs

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


def focused(window) -> QWidget:  # type: ignore[no-untyped-def]
    w = QApplication.focusWidget()
    assert w is not None, "nothing has the keyboard"
    assert w.window() is window, f"the keyboard went to {w.window()!r}"
    return w


def key(qtbot, window, k, mod=Qt.KeyboardModifier.NoModifier) -> QWidget:  # type: ignore[no-untyped-def]
    qtbot.keyClick(focused(window), k, mod)
    return focused(window)


def type_(qtbot, window, text: str) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(focused(window), text)


def tab_to(qtbot, window, target: QWidget, limit: int = 80) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until ``target`` has the keyboard (as a user does)."""
    for _ in range(limit):
        if focused(window) is target:
            return
        key(qtbot, window, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.accessibleName() or target!r}")


def test_a_whole_case_with_the_keyboard_alone(
    qtbot, window, workspace, tmp_path, evidence_dir, monkeypatch
):
    workspace.set_attorney(
        Attorney(name="Ana Ortiz", firm="Ortiz Law", address="1 Main St", phone="555-0100")
    )
    workspace.set_setting("packet_folder", str(tmp_path / "packets"))
    files = [
        make_pdf(evidence_dir / "passport.pdf", ["Passport"]),
        make_pdf(evidence_dir / "lease 2019.pdf", ["Lease", "page 2"]),
    ]
    monkeypatch.setattr(
        pdpacket.ui.dialogs.NewCaseDialog,
        "ask",
        classmethod(lambda cls, parent: pdpacket.ui.dialogs.NewCase("Keyboard Client", "")),
    )
    monkeypatch.setattr(pdpacket.ui.dialogs, "pick_files", lambda *a, **k: [str(f) for f in files])
    window.activateWindow()
    window.cases.search.setFocus()

    # a new case: Ctrl+N; the client's form has the keyboard
    key(qtbot, window, Qt.Key.Key_N, CTRL)
    case_id = window.ctx.case_id
    assert case_id and window.current_step().key == "client"
    client = window.step("client")
    # the A-number by its mnemonic (Alt+A), the hearing by Tab
    key(qtbot, window, Qt.Key.Key_A, ALT)
    assert focused(window) is client.a_number
    type_(qtbot, window, "201555099")
    tab_to(qtbot, window, client.hearing)
    type_(qtbot, window, "2030-03-04")
    key(qtbot, window, Qt.Key.Key_Tab)
    case = workspace.get_case(case_id)
    assert case.client.a_number == "201555099"
    assert case.proceedings.hearing_date is not None

    # the stage with the arrow keys
    key(qtbot, window, Qt.Key.Key_2, CTRL)
    stage = window.step("stage")
    assert isinstance(focused(window), type(next(iter(stage.stage_buttons.values()))))
    key(qtbot, window, Qt.Key.Key_Down)
    key(qtbot, window, Qt.Key.Key_Space)
    assert workspace.get_case(case_id).proceedings.stage

    # factors: Tab to a factor's answer, Space presses it
    key(qtbot, window, Qt.Key.Key_3, CTRL)
    factors = window.step("factors")
    tab_to(qtbot, window, factors.rows["long_residence"].applies)
    key(qtbot, window, Qt.Key.Key_Space)
    tab_to(qtbot, window, factors.rows["criminal_history"].not_applies, limit=120)
    key(qtbot, window, Qt.Key.Key_Space)
    answers = workspace.factor_answers(case_id)
    assert answers["long_residence"].state == FactorState.APPLIES
    assert answers["criminal_history"].state == FactorState.DOES_NOT_APPLY

    # evidence: Alt+A adds files (the system's picker answers)
    key(qtbot, window, Qt.Key.Key_5, CTRL)
    evidence = window.step("evidence")
    assert window.current_step() is evidence
    key(qtbot, window, Qt.Key.Key_A, ALT)  # a mnemonic clicks after a short flash
    qtbot.waitUntil(lambda: len(workspace.exhibits(case_id)) == 2)
    wait_jobs(qtbot, window)
    # confirm the guesses of the selected exhibit with its mnemonic
    tab_to(qtbot, window, evidence.list)
    key(qtbot, window, Qt.Key.Key_Down)  # the lease
    key(qtbot, window, Qt.Key.Key_R, ALT)  # "They are &right: confirm"

    def lease_confirmed() -> bool:
        lease = next(e for e in workspace.exhibits(case_id) if e.title.startswith("Lease"))
        return not lease.guessed

    qtbot.waitUntil(lease_confirmed)

    # exhibits: F2 renames, Enter stores, the keyboard stays on the row
    key(qtbot, window, Qt.Key.Key_6, CTRL)
    exhibits = window.step("exhibits")
    assert focused(window) is exhibits.table
    key(qtbot, window, Qt.Key.Key_Down)
    editor = key(qtbot, window, Qt.Key.Key_F2)
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_(qtbot, window, "Lease of the apartment, 2019")
    key(qtbot, window, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: exhibits.table.hasFocus())
    assert "Lease of the apartment, 2019" in [e.title for e in workspace.exhibits(case_id)]

    # the letter: generate the draft with its mnemonic
    key(qtbot, window, Qt.Key.Key_8, CTRL)
    letter = window.step("letter")
    assert focused(window) is letter.empty_button
    key(qtbot, window, Qt.Key.Key_Space)
    wait_jobs(qtbot, window)
    assert workspace.letter(case_id) is not None

    # the review, then Ctrl+B builds
    key(qtbot, window, Qt.Key.Key_9, CTRL)
    wait_jobs(qtbot, window)
    assert window.current_step().key == "review"
    key(qtbot, window, Qt.Key.Key_B, CTRL)
    wait_jobs(qtbot, window)
    [build] = workspace.builds(case_id)
    assert int(pdfinfo(build.path)["Pages"]) >= 3

"""A monkey on the real window: seeded random keys and clicks on a case with
evidence, a letter and answers, bounded in time.  It must end with no uncaught
error (pytest-qt fails the test on any exception a slot lets escape, and the
window's own error reports are checked) and no lost edit: every value typed is
either stored or still in its field, marked invalid.

CI runs a short run (500 events); ``PDPACKET_SLOW=1`` runs the long one (a few
thousand events, about a minute).  ``PDPACKET_MONKEY_SEED`` replays a run."""

from __future__ import annotations

import os
import random
import time

import pdpacket.ui.dialogs
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QFileDialog,
    QInputDialog,
    QMenu,
    QMenuBar,
    QMessageBox,
    QWidget,
)

from pdpacket.model import Attorney, FactorAnswer

from .helpers import wait_jobs

NONE = Qt.KeyboardModifier.NoModifier
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

# keys a person presses while working: moving, typing, answering, undoing
KEYS = [
    (Qt.Key.Key_Tab, NONE),
    (Qt.Key.Key_Tab, SHIFT),
    (Qt.Key.Key_Up, NONE),
    (Qt.Key.Key_Down, NONE),
    (Qt.Key.Key_Left, NONE),
    (Qt.Key.Key_Right, NONE),
    (Qt.Key.Key_Space, NONE),
    (Qt.Key.Key_Return, NONE),
    (Qt.Key.Key_Escape, NONE),
    (Qt.Key.Key_Backspace, NONE),
    (Qt.Key.Key_Delete, NONE),
    (Qt.Key.Key_F2, NONE),
    (Qt.Key.Key_PageDown, NONE),
    (Qt.Key.Key_Home, NONE),
    (Qt.Key.Key_Z, CTRL),
    (Qt.Key.Key_Z, CTRL | SHIFT),
    (Qt.Key.Key_Up, CTRL),
    (Qt.Key.Key_Down, CTRL),
    *[(getattr(Qt.Key, f"Key_{n}"), CTRL) for n in range(1, 10)],
]
TEXT = "abcdefghijklmnopqrstuvwxyz ABC 0123456789 -/.,"  # QTest types ASCII only


def answer_every_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every dialog the monkey opens is cancelled, as a person who changed their
    mind would (the conftest fails a test on any dialog; a monkey opens many)."""
    monkeypatch.setattr(QDialog, "exec", lambda self: int(QDialog.DialogCode.Rejected))
    monkeypatch.setattr(QMessageBox, "exec", lambda self: int(QMessageBox.StandardButton.Cancel))
    for name in ("information", "about", "warning", "question", "critical"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(lambda *a, **k: None))
    for name in ("getOpenFileName", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(lambda *a, **k: ("", "")))
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([], "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: ""))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("", False)))
    d = pdpacket.ui.dialogs
    monkeypatch.setattr(d, "open_file", lambda path: True)
    monkeypatch.setattr(d, "show_in_folder", lambda path: True)
    monkeypatch.setattr(d, "ask_printer", lambda *a, **k: None)
    monkeypatch.setattr(d, "choose", lambda *a, **k: None)
    monkeypatch.setattr(d, "confirm", lambda *a, **k: False)


def busy_case(workspace, tmp_path) -> int:  # type: ignore[no-untyped-def]
    from tests.pdftools import make_pdf

    workspace.set_attorney(Attorney(name="Ana Ortiz", address="1 Main St", phone="555"))
    case_id = workspace.create_demo_case()
    folder = tmp_path / "more"
    folder.mkdir()
    workspace.add_evidence(case_id, [make_pdf(folder / "lease 2019.pdf", ["Lease", "p2"])])
    workspace.set_factor_answer(case_id, FactorAnswer("education", True, "GED 2012"))
    workspace.set_setting("packet_folder", str(tmp_path / "packets"))
    return case_id


def safe_target(window: QWidget, widget: QWidget | None) -> bool:
    """Not the menu bar (a menu's Quit would end the run) and inside the window."""
    w = widget
    while w is not None:
        if isinstance(w, QMenuBar | QMenu):
            return False
        if w is window:
            return True
        w = w.parentWidget()
    return False


def run_monkey(qtbot, window, events: int, seconds: float, seed: int) -> tuple[int, set[str]]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    deadline = time.monotonic() + seconds
    done = 0
    visited: set[str] = set()
    while done < events and time.monotonic() < deadline:
        done += 1
        if window.ctx.has_case:
            visited.add(window.current_step().key)
        popup = QApplication.activePopupWidget()
        if popup is not None:  # an open combo list or menu: take it away
            popup.close()
            continue
        roll = rng.random()
        if roll < 0.35:
            pos = QPoint(rng.randrange(window.width()), rng.randrange(window.height()))
            target = window.childAt(pos)
            if target is None or not safe_target(window, target):
                continue
            local = target.mapFrom(window, pos)
            if isinstance(target, QAbstractButton) and target.text().replace("&", "") in (
                "Build packet",
                "Build final",
                "Print…",
                "Save print-ready PDF…",
            ):
                continue  # builds are tested elsewhere; here they would only slow the run
            qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=local)
        else:
            focus = QApplication.focusWidget() or window
            if not safe_target(window, focus):
                window.activateWindow()
                continue
            if roll < 0.75:
                key, mod = rng.choice(KEYS)
                qtbot.keyClick(focus, key, mod)
            else:
                text = "".join(rng.choice(TEXT) for _ in range(rng.randint(1, 6)))
                qtbot.keyClicks(focus, text)
        if done % 25 == 0:
            qtbot.wait(5)  # timers (autosave, the review) and finished jobs get their turn
    wait_jobs(qtbot, window)
    if os.environ.get("PDPACKET_MONKEY_LOG"):
        print(f"monkey: {done} events, seed {seed}, steps {sorted(visited)}")
    return done, visited


def nothing_lost(window) -> None:  # type: ignore[no-untyped-def]
    """Every field's text is stored (it reads back the same after a reload) or is
    still in the field, marked invalid."""
    window.flush_steps()
    if not window.ctx.has_case:
        return
    kept: dict[tuple[str, int], str] = {}
    for step in window.steps:
        for n, field in enumerate(step.fields):
            if field.dirty:  # not stored: it must say why, and keep the text
                assert field.widget.property("invalid"), (
                    f"{step.key}: {field.widget.accessibleName()} holds "
                    f"{field.text()!r}, neither stored nor marked invalid"
                )
            else:
                kept[(step.key, n)] = field.text()
    for step in window.steps:
        if step.key in ("client", "stage"):  # the case's own fields read back on load
            step.load()
            for n, field in enumerate(step.fields):
                if (step.key, n) in kept:  # spaces at the ends are trimmed when stored
                    assert field.text().strip() == kept[(step.key, n)].strip(), (
                        f"{step.key}: {field.widget.accessibleName()} showed "
                        f"{kept[(step.key, n)]!r} but stored {field.text()!r}"
                    )


def monkey(qtbot, window, workspace, tmp_path, monkeypatch, errors, events, seconds):  # type: ignore[no-untyped-def]
    answer_every_dialog(monkeypatch)
    case_id = busy_case(workspace, tmp_path)
    window.cases.refresh()
    window.open_case(case_id)
    seed = int(os.environ.get("PDPACKET_MONKEY_SEED", "20261206"))
    done, visited = run_monkey(qtbot, window, events, seconds, seed)
    assert done > min(events, 50), f"the monkey ran {done} events (seed {seed})"
    assert len(visited) >= 5, f"the monkey saw only {sorted(visited)} (seed {seed})"
    entries = workspace.store.audit_entries(case_id)
    assert len(entries) > 20  # it changed things, through the same doors as a person
    nothing_lost(window)
    unexpected = [r for r in errors.take() if r.title == "Unexpected problem"]
    assert not unexpected, f"seed {seed}: " + "\n".join(r.details for r in unexpected)


def test_a_short_monkey_run(qtbot, window, workspace, tmp_path, monkeypatch, errors):
    monkey(qtbot, window, workspace, tmp_path, monkeypatch, errors, 500, 30)


@pytest.mark.slow
def test_a_long_monkey_run(qtbot, window, workspace, tmp_path, monkeypatch, errors):
    monkey(qtbot, window, workspace, tmp_path, monkeypatch, errors, 50000, 60)

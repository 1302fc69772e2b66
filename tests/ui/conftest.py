"""UI fixtures: a real MainWindow offscreen at 1280x800, no real dialogs.

Every modal dialog, file picker and message box is replaced: a test that
needs one monkeypatches the ``pdpacket.ui.dialogs`` function it expects; any other
dialog fails the test.  Errors the window would show go to ``errors``; a test
that expects one takes it with ``errors.take()``, and any error left over
fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pdpacket.ui.dialogs
import pdpacket.ui.errors
import pdpacket.ui.refcount_guard
import pytest
from pdpacket.ui.errors import ErrorReport
from pdpacket.ui.main_window import MainWindow
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QMessageBox

from .helpers import wait_jobs


class ErrorLog:
    def __init__(self) -> None:
        self.reports: list[ErrorReport] = []

    def take(self) -> list[ErrorReport]:
        out, self.reports = self.reports, []
        return out


def _unexpected(*args: object, **kw: object) -> object:
    raise AssertionError(f"a dialog opened that the test did not expect: {args!r}")


@pytest.fixture(autouse=True, scope="session")
def _refcount_guard(qapp):  # type: ignore[no-untyped-def]
    """The app's guard against PySide6 6.12's refcount leak (ui/refcount_guard.py)."""
    pdpacket.ui.refcount_guard.install(qapp)


@pytest.fixture(autouse=True)
def errors(monkeypatch: pytest.MonkeyPatch) -> Iterator[ErrorLog]:
    log = ErrorLog()
    monkeypatch.setattr(
        pdpacket.ui.errors, "present", lambda parent, report: log.reports.append(report)
    )
    for cls in (QDialog, QMessageBox):
        monkeypatch.setattr(cls, "exec", _unexpected)
    for name in ("getOpenFileName", "getOpenFileNames", "getExistingDirectory", "getSaveFileName"):
        monkeypatch.setattr(QFileDialog, name, staticmethod(_unexpected))
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(_unexpected))
    monkeypatch.setattr(pdpacket.ui.dialogs, "open_file", _unexpected)
    monkeypatch.setattr(pdpacket.ui.dialogs, "show_in_folder", _unexpected)
    yield log
    left = [f"{r.title}: {r.text} {r.hint}" for r in log.reports]
    assert not left, f"the window showed errors the test did not expect: {left}"


@pytest.fixture
def make_window(qtbot, workspace):  # type: ignore[no-untyped-def]
    """Open a MainWindow on ``workspace`` (again, to test restoring)."""
    opened: list[MainWindow] = []

    def factory(*, resize: bool = True) -> MainWindow:
        w = MainWindow(workspace)
        # an invalid value a test leaves in a field is lost at teardown without the
        # prompt a user gets (a test of the prompt deletes this attribute)
        w._close_anyway = lambda: True
        qtbot.addWidget(w)
        if resize:  # else: the size the window restored from its settings
            w.resize(1280, 800)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()
        qtbot.waitUntil(w.isActiveWindow)  # shortcuts and focus need an active window
        opened.append(w)
        return w

    yield factory
    for w in opened:
        if w.isVisible():
            wait_jobs(qtbot, w)
            w.close()


@pytest.fixture
def window(make_window) -> MainWindow:  # type: ignore[no-untyped-def]
    return make_window()


@pytest.fixture
def evidence_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "client files"
    folder.mkdir()
    return folder

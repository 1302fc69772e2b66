"""Ctrl+Z and Ctrl+Shift+Z for exhibit changes: the window's side of the
workspace's history (``Workspace.undo``/``redo``).

The core writes and remembers each change; this only runs the calls, shows a
failure the way every other failure is shown, tells the steps to read the
exhibits again, and keeps the Edit menu's texts ("Undo move of Exh. C") current.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from pdpacket.api import Workspace
from pdpacket.model import HistoryStep


class UndoHistory(QObject):
    changed = Signal()  # what can be undone or redone changed
    said = Signal(str)  # what an undo or redo did, for the status bar

    def __init__(
        self,
        workspace: Workspace,
        exhibits_changed: Callable[[], None],
        fail: Callable[[BaseException, str], None],
        parent: QObject,
    ) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._exhibits_changed = exhibits_changed
        self._fail = fail

    def run(self, action: str, change: Callable[[], HistoryStep]) -> bool:
        """Make an undoable change (a ``Workspace`` call); False if it was refused
        (the user has been told why)."""
        return self._call(action, change)

    def undo(self) -> bool:
        return self._reported(self.workspace.undo_text, "undoing", self.workspace.undo)

    def redo(self) -> bool:
        return self._reported(self.workspace.redo_text, "redoing", self.workspace.redo)

    def _reported(
        self, text: Callable[[], str], action: str, fn: Callable[[], HistoryStep | None]
    ) -> bool:
        """Undo or redo, and say what was done: the status bar never keeps saying
        what the undo just took back ("Removed 1 exhibit")."""
        what = text()
        ok = self._call(action, fn)
        if ok and what:
            verb, _, rest = what.partition(" ")
            self.said.emit(f"{'Undone' if verb == 'Undo' else 'Redone'}: {rest}.")
        return ok

    def clear(self) -> None:
        self.workspace.clear_history()
        self.changed.emit()

    def _call(self, action: str, fn: Callable[[], HistoryStep | None]) -> bool:
        try:
            step = fn()
        except Exception as exc:
            self._fail(exc, action)
            self._exhibits_changed()  # read them again: the steps may show what failed
            self.changed.emit()
            return False
        if step is not None:  # None: there was nothing to undo or redo
            self._exhibits_changed()
        self.changed.emit()
        return True

    def actions(self, parent: QWidget) -> tuple[QAction, QAction]:
        """The Edit menu's Undo and Redo, kept in step with the history."""
        undo = QAction("&Undo", parent)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.triggered.connect(self.undo)
        redo = QAction("&Redo", parent)
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        redo.triggered.connect(self.redo)

        def update() -> None:
            ws = self.workspace
            undo.setEnabled(ws.can_undo())
            undo.setText("&" + ws.undo_text() if ws.can_undo() else "&Undo")
            redo.setEnabled(ws.can_redo())
            redo.setText("&" + ws.redo_text() if ws.can_redo() else "&Redo")

        self.changed.connect(update)
        update()
        return undo, redo

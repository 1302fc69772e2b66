"""What every step of an open case shares: the workspace, the job runner, the
open case, its undo stack, and the signals that keep the steps in sync.

No singletons: the main window makes one ``CaseContext`` and hands it to each
step.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from pdpacket.api import Workspace
from pdpacket.model import Case, Exhibit

from .errors import show_exception
from .undo import UndoHistory
from .workers import TaskRunner


class CaseContext(QObject):
    caseOpened = Signal(int)  # a different case is open (0: none)
    caseChanged = Signal()  # client, proceedings or factors were stored
    exhibitsChanged = Signal()  # exhibits added, removed, reordered or edited
    buildsChanged = Signal()
    letterChanged = Signal()  # the request letter was stored
    statusMessage = Signal(str)
    stepRequested = Signal(str)  # a step asks the window to show another step (by key)
    settingsRequested = Signal()  # a step asks for the Settings dialog
    settingsChanged = Signal()  # attorney details or folders changed

    def __init__(self, workspace: Workspace, runner: TaskRunner, window: QWidget) -> None:
        super().__init__(window)
        self.workspace = workspace
        self.runner = runner
        self.window = window
        self.case_id = 0
        self.history = UndoHistory(
            workspace, self.exhibitsChanged.emit, lambda exc, action: self.fail(exc, action), self
        )
        self.history.said.connect(self.statusMessage.emit)
        self._exhibits: list[Exhibit] | None = None
        # connected first, so every other listener reads fresh exhibits
        self.exhibitsChanged.connect(self._forget_exhibits)

    # ---- the open case ---------------------------------------------------
    def open(self, case_id: int) -> None:
        if case_id != self.case_id:
            self.history.clear()
        self.case_id = case_id
        self._exhibits = None
        self.caseOpened.emit(case_id)

    @property
    def has_case(self) -> bool:
        return self.case_id > 0

    def case(self) -> Case:
        return self.workspace.get_case(self.case_id)

    def exhibits(self) -> list[Exhibit]:
        """The open case's exhibits, read once per change (every write to exhibits
        is followed by ``exhibitsChanged``, which forgets them)."""
        if not self.case_id:
            return []
        if self._exhibits is None:
            self._exhibits = self.workspace.exhibits(self.case_id)
        return list(self._exhibits)

    def _forget_exhibits(self) -> None:
        self._exhibits = None

    # ---- writes ----------------------------------------------------------
    def update_client(self, **changes: object) -> None:
        self.workspace.update_client(self.case_id, **changes)
        self.caseChanged.emit()

    def update_proceedings(self, **changes: object) -> None:
        self.workspace.update_proceedings(self.case_id, **changes)
        self.caseChanged.emit()

    def fail(self, exc: BaseException, action: str = "") -> None:
        show_exception(exc, self.window, action=action)

    def say(self, message: str) -> None:
        self.statusMessage.emit(message)

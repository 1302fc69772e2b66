"""What a step of the walkthrough is: a page with a title, a completeness status
and autosaving fields.  ``ui.steps.STEP_CLASSES`` lists them in order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..context import CaseContext
from ..fields import TextField
from ..style import State, heading, hint


@dataclass(frozen=True)
class StepStatus:
    state: State
    summary: str  # short: "4 of 6 filled", "Not built yet"
    detail: str = ""  # longer, for the tooltip: what is missing


class Step(QWidget):
    """One step of an open case.  Subclasses set ``key``/``title`` and fill
    ``self.body``; they reload in ``load()`` and report in ``status()``."""

    key: ClassVar[str] = ""
    title: ClassVar[str] = ""
    intro: ClassVar[str] = ""
    scrolls: ClassVar[bool] = True  # wrap the body in a scroll area

    statusChanged = Signal()

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName(f"step_{self.key}")
        self.fields: list[TextField] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        header = QWidget()
        hl = QVBoxLayout(header)
        m = self.fontMetrics().height()
        hl.setContentsMargins(m, m * 3 // 4, m, m // 3)
        self.heading = heading(self.title)
        hl.addWidget(self.heading)
        if self.intro:
            self.intro_label = hint(self.intro)
            hl.addWidget(self.intro_label)
        outer.addWidget(header)
        self.body = QWidget()
        self.body.setObjectName("stepBody")
        if self.scrolls:
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            # a window narrower than the form scrolls sideways rather than cutting it off
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
            scroll.setWidget(self.body)
            self.scroll_area = scroll
            outer.addWidget(scroll, 1)
        else:
            outer.addWidget(self.body, 1)
        ctx.caseOpened.connect(self._on_case_opened)

    def _on_case_opened(self, case_id: int) -> None:
        if case_id:
            self.load()

    # ---- what subclasses provide -------------------------------------------
    def load(self) -> None:
        """Show the open case's data."""

    def status(self) -> StepStatus:
        return StepStatus(State.EMPTY, "")

    def first_focus(self) -> QWidget | None:
        """The control that gets the keyboard when the step is shown."""
        return None

    # ---- helpers --------------------------------------------------------------
    def flush(self) -> bool:
        """Store anything still being typed; False if a field holds an invalid value."""
        return all([f.flush() for f in self.fields])

    def track(self, field: TextField) -> TextField:
        self.fields.append(field)
        field.saved.connect(lambda *_: self.statusChanged.emit())
        return field

    def margins(self, layout: QVBoxLayout | QFormLayout) -> None:
        m = self.fontMetrics().height()
        layout.setContentsMargins(m, m // 2, m, m)


def field_box(editor: QWidget, message: QLabel, note: QLabel | None = None) -> QWidget:
    """An editor with its message (and an optional grey note) under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(editor)
    layout.addWidget(message)
    if note is not None:
        layout.addWidget(note)
    return box

"""Autosaving form fields: checked as you type, stored as soon as editing ends.

A ``TextField`` binds one QLineEdit or QPlainTextEdit to a ``save`` callback.
It stores the text when the user leaves the field (editingFinished / focus
out), after a short pause in typing, and on ``flush()`` (the window calls it
before closing), so nothing typed is lost.  An optional ``validate`` gives
feedback as you type; an invalid value is never stored and the field says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

from pdpacket.errors import PdpacketError, ValidationError

from .errors import show_exception
from .style import GREEN, GREY, RED


@dataclass(frozen=True)
class Check:
    # "ok" | "neutral" | "error" (not stored until fixed) | "alert" (stored, shown in
    # red: a valid value that something needs doing about, e.g. a passed deadline)
    state: str
    message: str = ""


OK = Check("ok")


class TextField(QObject):
    saved = Signal(str)

    def __init__(
        self,
        widget: QLineEdit | QPlainTextEdit,
        *,
        save: Callable[[str], None],
        validate: Callable[[str], Check] | None = None,
        message: QLabel | None = None,
        display: Callable[[str], str] | None = None,
        debounce_ms: int | None = 800,
        action: str = "saving",
    ) -> None:
        super().__init__(widget)
        self.widget = widget
        self._save = save
        self._validate = validate
        self._display = display
        self.message = message
        self.action = action
        self._stored = ""
        self._loading = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms or 0)
        self._timer.timeout.connect(self.commit)
        self._debounce = debounce_ms is not None
        if isinstance(widget, QLineEdit):
            widget.textEdited.connect(self._edited)
            widget.editingFinished.connect(self._finished)
        else:
            widget.textChanged.connect(self._edited)
            widget.installEventFilter(self)
        if message is not None:
            message.setWordWrap(True)

    # ---- reading / writing the widget -------------------------------------
    def text(self) -> str:
        w = self.widget
        return w.text() if isinstance(w, QLineEdit) else w.toPlainText()

    def set_text(self, text: str, *, check: bool = False) -> None:
        """Show the stored value (not a user edit: nothing is saved); with ``check``
        also show what the validator says about it (e.g. a filing deadline)."""
        self._set_text(text)
        if check and self._validate is not None:
            self._show(self._validate(self.text()))

    def _set_text(self, text: str) -> None:
        try:
            shown = self._display(text) if self._display and text else text
        except PdpacketError:
            shown = text
        if self.text() == shown:
            self._stored = shown  # nothing to change: keep the cursor where it is
            return
        if self.dirty and self.widget.hasFocus() and self._stored == shown:
            return  # the user is typing over this very value: keep their text
        self._timer.stop()
        self._loading = True
        try:
            w = self.widget
            if isinstance(w, QLineEdit):
                w.setText(shown)
                w.setCursorPosition(0)
            else:
                w.setPlainText(shown)
            self._stored = shown
        finally:
            self._loading = False
        self._show(Check("neutral"))

    @property
    def dirty(self) -> bool:
        return self.text() != self._stored

    # ---- events -----------------------------------------------------------
    def _edited(self, *_: object) -> None:
        if self._loading:
            return
        if self._validate is not None:
            self._show(self._validate(self.text()))
        if self._debounce:
            self._timer.start()

    def _finished(self) -> None:
        if self.commit() and self._display and self.text():
            w = self.widget
            if isinstance(w, QLineEdit):
                shown = self._display(self.text())
                if shown != w.text():
                    self._loading = True
                    w.setText(shown)
                    self._loading = False
                    self._stored = shown

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.widget and event.type() == QEvent.Type.FocusOut:
            self.commit()
        return False

    # ---- storing ----------------------------------------------------------
    def commit(self) -> bool:
        """Store the text if it changed and is valid; True when nothing is pending."""
        self._timer.stop()
        if not self.dirty:
            return True
        text = self.text()
        if self._validate is not None:
            check = self._validate(text)
            if check.state == "error":
                self._show(Check("error", f"{check.message} Not saved until it is fixed."))
                return False
        try:
            self._save(text)
        except ValidationError as exc:
            self._show(Check("error", f"{exc} Not saved until it is fixed."))
            return False
        except PdpacketError as exc:
            show_exception(exc, self.widget.window(), action=self.action)
            return False
        self._stored = text
        self.saved.emit(text)
        return True

    def flush(self) -> bool:
        return self.commit()

    def _show(self, check: Check) -> None:
        label = self.message
        if label is None:
            return
        colour = {"ok": GREEN, "error": RED, "alert": RED}.get(check.state, GREY)
        label.setStyleSheet(f"color: {colour};")
        label.setText(check.message)  # the line keeps its space: the form never jumps
        self.widget.setAccessibleDescription(check.message)
        self.widget.setProperty("invalid", check.state == "error")


def message_label(parent: QWidget | None = None) -> QLabel:
    """The line under a field for what its check says.  Its space is kept when
    empty, so a message appearing while someone types does not push the fields
    below it from under the mouse."""
    label = QLabel(parent)
    label.setObjectName("fieldMessage")
    label.setWordWrap(True)
    label.setMinimumHeight(label.fontMetrics().lineSpacing())
    return label

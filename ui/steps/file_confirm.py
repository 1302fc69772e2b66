"""What waits for a person on an exhibit: a repaired or doubtful file (they
compare its pages with the original and confirm them) and what intake guessed
from the file name (they check it and confirm it).  Until then the review holds
the file back and does not count the guesses as support."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from pdpacket.errors import PdpacketError
from pdpacket.model import Exhibit, ExhibitFile

from ..context import CaseContext
from ..style import AMBER, Banner


def unconfirmed_files(ex: Exhibit) -> list[ExhibitFile]:
    """The files the review holds back until someone compares and confirms them."""
    return [f for f in ex.files if (f.recovered or f.warnings) and not f.confirmed]


class ConfirmFilesBox(QWidget):
    """Shown under an exhibit's files while one of them is unconfirmed."""

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exhibit: Exhibit | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.state = Banner("warning")
        box.addWidget(self.state)
        self.button = QPushButton("I compared the pages: &confirm them")
        self.button.setAccessibleName("Confirm the pages of the repaired file")
        self.button.clicked.connect(self.confirm)
        box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.setVisible(False)

    def show_exhibit(self, ex: Exhibit | None) -> None:
        self.exhibit = ex
        doubtful = unconfirmed_files(ex) if ex is not None else []
        self.setVisible(bool(doubtful))
        if not doubtful:
            return
        names = ", ".join(f.original_name for f in doubtful)
        what = "was damaged and repaired" if any(f.recovered for f in doubtful) else "has a warning"
        self.state.set_text(
            f"{names} {what}: open the Pages tab and compare its pages with the original, "
            "then confirm them. Until then the review holds the case back.",
            "warning",
        )

    def confirm(self) -> None:
        ex = self.exhibit
        if ex is None:
            return
        ws = self.ctx.workspace
        try:
            for f in unconfirmed_files(ex):
                ws.confirm_file(f.id)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="confirming the pages")
            return
        self.ctx.exhibitsChanged.emit()
        self.ctx.say(f"Confirmed the pages of “{ex.title}”.")


GUESS_NAMES = {
    "title": "title",
    "document_type": "document type",
    "factor_ids": "factors",
    "language": "language",
}


class GuessBox(QWidget):
    """Shown while intake's guesses from the file name wait to be confirmed."""

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.exhibit: Exhibit | None = None
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        self.state = Banner("info")
        box.addWidget(self.state)
        self.button = QPushButton("They are &right: confirm")
        self.button.setAccessibleName("Confirm what was guessed from the file name")
        self.button.clicked.connect(self.confirm)
        box.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        self.setVisible(False)

    def show_exhibit(self, ex: Exhibit | None) -> None:
        self.exhibit = ex
        guessed = [GUESS_NAMES[g] for g in (ex.guessed if ex else ()) if g in GUESS_NAMES]
        self.setVisible(bool(guessed))
        if not guessed:
            return
        what = ", ".join(guessed[:-1]) + (" and " if len(guessed) > 1 else "") + guessed[-1]
        self.state.set_text(
            f"Guessed from the file name: the {what} (marked “guess”). Check them "
            "against the document: until confirmed, a guessed type or factor does not "
            "count as support in the review.",
            "info",
        )

    def confirm(self) -> None:
        ex = self.exhibit
        if ex is None or not ex.guessed:
            return
        ws = self.ctx.workspace
        if self.ctx.history.run(
            "confirming the guesses", lambda: ws.edit_exhibit(ex.id, "guessed", ())
        ):
            self.ctx.say(f"Confirmed the details of “{ex.title}”.")


def mark_guesses(editor: QWidget, guessed: tuple[str, ...]) -> None:
    """Say “guess” on the label of each field still as intake guessed it."""
    fields = {
        "title": "title",
        "document_type": "doc_type",
        "factor_ids": "factors",
        "language": "language",
    }
    for field, attr in fields.items():
        widget = getattr(editor, attr, None)
        label = _buddy_label(editor, widget)
        if label is None:
            continue
        base = label.property("baseText")
        if base is None:
            base = label.text()
            label.setProperty("baseText", base)
        guess = field in guessed
        label.setText(f"{str(base)[:-1]} (guess):" if guess else str(base))
        label.setStyleSheet(f"color: {AMBER}; font-style: italic;" if guess else "")
        if widget is not None:
            widget.setToolTip("Guessed from the file name: check it" if guess else "")


def _buddy_label(editor: QWidget, widget: object) -> QLabel | None:
    if widget is None:
        return None
    return next((lab for lab in editor.findChildren(QLabel) if lab.buddy() is widget), None)

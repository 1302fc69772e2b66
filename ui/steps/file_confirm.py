"""A repaired or doubtful evidence file waits for a person: they compare its
pages with the original and confirm them, and the review stops holding the
case back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from pdpacket.errors import PdpacketError
from pdpacket.model import Exhibit, ExhibitFile

from ..context import CaseContext
from ..style import Banner


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

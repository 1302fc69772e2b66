"""After an import: the files the imported PDFs carried (attachments), offered
as exhibits of their own ("letter.pdf carried 1 attached file: image.png — add
it as an exhibit?").  A packet carries only pages, so an attachment is never
in it by itself; sometimes it is the evidence (a photo attached to a letter).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

from pdpacket.api import Workspace
from pdpacket.model import ImportResult
from pdpacket.model.progress import CancelToken

from .context import CaseContext
from .style import Banner
from .workers import Job, SignalProgress


def offer_text(result: ImportResult) -> str:
    n = len(result.attachments)
    names = ", ".join(result.attachments)
    it = "it as an exhibit" if n == 1 else "them as exhibits"
    return f"{Path(result.path).name} carried {n} attached file{'s' if n != 1 else ''}: {names} — add {it}?"


class AttachmentOffer(Banner):
    """One line per imported PDF that carried files, with Add as exhibit / Not now."""

    added = Signal(list)  # the ImportResults of the attachments added

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__("info", "", parent)
        self.setObjectName("attachmentOffer")
        self.ctx = ctx
        self.pending: list[ImportResult] = []
        self.job: Job | None = None
        self.add_button = QPushButton("Add as e&xhibit")
        self.add_button.setAccessibleName("Add the attached files as exhibits")
        self.add_button.clicked.connect(self.add_all)
        self.dismiss = QPushButton("Not now")
        self.dismiss.setAccessibleName("Do not add the attached files")
        self.dismiss.clicked.connect(self.clear)
        box = self.layout()
        assert isinstance(box, QHBoxLayout)
        box.addWidget(self.add_button)
        box.addWidget(self.dismiss)
        self.setVisible(False)

    def offer(self, results: Sequence[ImportResult]) -> None:
        """Offer the attachments of ``results`` (imported PDFs that carried files)."""
        self.pending = [
            r for r in results if r.attachments and r.exhibit_id and r.status != "refused"
        ]
        if not self.pending:
            self.clear()
            return
        text = "\n".join(offer_text(r) for r in self.pending)
        self.set_text(text, "info")
        self.add_button.setText(
            "Add as e&xhibit"
            if sum(len(r.attachments) for r in self.pending) == 1
            else "Add as e&xhibits"
        )
        self.add_button.setEnabled(True)
        self.ctx.say(text)

    def clear(self) -> None:
        self.pending = []
        self.set_text("")

    def add_all(self) -> None:
        if not self.pending or self.job is not None:
            return
        picks = [(r.exhibit_id, r.file_id) for r in self.pending]

        def work(
            ws: Workspace, _progress: SignalProgress, cancel: CancelToken
        ) -> list[ImportResult]:
            out: list[ImportResult] = []
            for exhibit_id, file_id in picks:
                cancel.raise_if_cancelled()
                out.extend(ws.add_attachments(exhibit_id, file_id=file_id))
            return out

        self.add_button.setEnabled(False)
        self.job = self.ctx.runner.submit(work, "add attached files")
        self.job.succeeded.connect(self._done)
        self.job.failed.connect(self._failed)

    def _done(self, results: list[ImportResult]) -> None:
        self.job = None
        self.clear()
        self.added.emit(results)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.add_button.setEnabled(True)
        self.ctx.fail(exc, action="adding the attached files")


__all__ = ["AttachmentOffer", "offer_text"]

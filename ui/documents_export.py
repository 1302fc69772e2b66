"""Packet > Export documents…: every document pdpacket writes for the open case
(cover sheet, motion, proposed order, certificate of service, the client's
declaration, the letter), each in its own Word or PDF file, in a folder the
user picks; written by a worker, then listed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from pdpacket.api import Workspace, WrittenDocument
from pdpacket.model.progress import CancelToken

from .context import CaseContext
from .workers import Job, SignalProgress

FORMATS = {"Word documents (.docx), to edit": "docx", "PDF files, as in the packet": "pdf"}


def pick_documents_folder(parent: QWidget | None) -> str:
    """The folder to write into (tests replace this function)."""
    return str(QFileDialog.getExistingDirectory(parent, "Export the documents into"))


def pick_documents_format(parent: QWidget | None) -> str:
    """ "docx" or "pdf"; "" when cancelled (tests replace this function)."""
    choice, ok = QInputDialog.getItem(
        parent, "Export documents", "Write them as:", list(FORMATS), 0, False
    )
    return FORMATS.get(str(choice), "") if ok else ""


def show_written(parent: QWidget | None, folder: str, lines: list[str]) -> None:
    """List what was written (tests replace this function)."""
    QMessageBox.information(
        parent, "Documents exported", f"Written in {folder}:\n\n" + "\n".join(lines)
    )


class DocumentsExport:
    def __init__(self, ctx: CaseContext, parent: QWidget) -> None:
        self.ctx = ctx
        self.parent = parent
        self.job: Job | None = None

    def export(self) -> None:
        if not self.ctx.has_case or self.job is not None:
            return
        fmt = pick_documents_format(self.parent)
        if not fmt:
            return
        folder = pick_documents_folder(self.parent)
        if not folder:
            return
        case_id = self.ctx.case_id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> object:
            return ws.export_documents(case_id, folder, fmt=fmt)

        self.job = self.ctx.runner.submit(work, "export documents")
        self.job.succeeded.connect(lambda written: self._done(folder, written))
        self.job.failed.connect(self._failed)

    def _done(self, folder: str, written: list[WrittenDocument]) -> None:
        self.job = None
        lines = [f"{w.label}: {Path(w.path).name}" for w in written]
        self.ctx.say(f"{len(written)} documents exported to {folder}.")
        show_written(self.parent, folder, lines)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.ctx.fail(exc, action="exporting the documents")

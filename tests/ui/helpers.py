"""Helpers for driving the window: drops, waiting for jobs, generated inputs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from tests.pdftools import make_pdf


def drop_files(target: QWidget, paths: Sequence[Path | str]) -> None:
    """What the system does when files are dragged from a file manager onto ``target``."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    pos = target.rect().center()
    enter = QDragEnterEvent(
        QPointF(pos),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the step refused the dragged files"
    drop = QDropEvent(
        QPointF(pos),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, drop)
    assert drop.isAccepted(), "the drop was not taken"


def wait_jobs(qtbot, window, timeout: int = 60000) -> None:  # type: ignore[no-untyped-def]
    """Wait (on signals, not sleeps) until the window's worker jobs are done."""
    runner = window.runner
    while runner.busy:
        with qtbot.waitSignal(runner.jobFinished, timeout=timeout):
            pass


def make_photo(path: Path, size: tuple[int, int] = (600, 800)) -> Path:
    img = Image.new("RGB", size, (240, 236, 225))
    d = ImageDraw.Draw(img)
    d.rectangle((40, 40, size[0] - 40, 140), fill=(40, 60, 120))
    d.text((60, 200), "Certificate of volunteer service", fill=(0, 0, 0))
    img.save(path, "PNG")
    return path


def make_encrypted_pdf(path: Path, password: str, texts: list[str]) -> Path:
    plain = make_pdf(path.with_suffix(".plain.pdf"), texts)
    writer = PdfWriter(clone_from=PdfReader(plain))
    writer.encrypt(password, algorithm="AES-128")
    with path.open("wb") as fh:
        writer.write(fh)
    plain.unlink()
    return path

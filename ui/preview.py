"""Page thumbnails (rendered by a worker) and a page preview (QtPdf).

QtPdf renders with a transparent background: every image is painted onto
white, or viewers would show black pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument

from pdpacket.model import ExhibitFile, FileRole
from pdpacket.model.progress import CancelToken

from .workers import SignalProgress

MAX_THUMBNAILS = 300
ROLE_NAMES = {FileRole.TRANSLATION: "translation", FileRole.CERTIFICATE: "certificate"}


@dataclass(frozen=True)
class Thumbnail:
    file_index: int
    page_index: int
    image: QImage
    label: str


def load_pdf(data: bytes) -> tuple[QPdfDocument, QBuffer]:
    """A QPdfDocument over bytes (keep the buffer alive as long as the document)."""
    doc = QPdfDocument()
    buf = QBuffer()
    buf.setData(QByteArray(data))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    doc.load(buf)
    return doc, buf


def on_white(image: QImage) -> QImage:
    out = QImage(image.size(), QImage.Format.Format_RGB32)
    out.fill(QColor("white"))
    p = QPainter(out)
    p.drawImage(0, 0, image)
    p.end()
    return out


def framed(image: QImage) -> QImage:
    """A thin grey edge, so a white page stands out from a white list."""
    p = QPainter(image)
    p.setPen(QColor("#a0a0a0"))
    p.drawRect(0, 0, image.width() - 1, image.height() - 1)
    p.end()
    return image


def render_page(doc: QPdfDocument, page: int, width: int) -> QImage:
    size = doc.pagePointSize(page)
    w = max(1, width)
    h = max(1, round(w * size.height() / size.width())) if size.width() > 0 else round(w * 1.294)
    return on_white(doc.render(page, QSize(w, h)))


def render_thumbnails(
    pdfs: Sequence[tuple[ExhibitFile, bytes]],
    width: int,
    cancel: CancelToken,
    progress: SignalProgress | None = None,
) -> list[Thumbnail]:
    """Runs in a worker: QPdfDocument and QImage are not widgets."""
    total = sum(f.pages for f, _ in pdfs)
    out: list[Thumbnail] = []
    for fi, (f, data) in enumerate(pdfs):
        doc, buf = load_pdf(data)
        if doc.status() != QPdfDocument.Status.Ready:
            continue
        for pi in range(doc.pageCount()):
            cancel.raise_if_cancelled()
            if len(out) >= MAX_THUMBNAILS:
                return out
            role = ROLE_NAMES.get(f.role)
            label = f"Page {len(out) + 1}" + (f" ({role})" if role else "")
            out.append(Thumbnail(fi, pi, framed(render_page(doc, pi, width)), label))
            if progress:
                progress.update(len(out), total, label)
        doc.close()
        buf.close()
    return out

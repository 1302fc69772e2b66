"""Printing from the app: the print edition to a printer through Qt's print dialog.

QtPdf renders each page at 300 dpi onto white (QtPdf's images are transparent:
a printer would print nothing, a PDF printer black), and the image is drawn
over the whole sheet at 100 % -- never fitted to the printable area, so the
top inch stays clear and the page numbers stay where the index expects them.
The dialog's page range (printed page numbers of the file, 1 = its first
sheet) and copies are honoured; when the printer cannot make copies itself
(a PDF printer), each copy is sent in turn, collated.

``render_to_printer`` runs in a worker (QPainter on a QPrinter is allowed off
the UI thread); ``print_packet`` is the blocking version for a window without
one; ``save_print_ready`` builds the print edition where the user chooses.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from pdpacket.api import Workspace
from pdpacket.errors import CancelledError, PdpacketError
from pdpacket.model import BuildOptions, BuildResult
from pdpacket.model.progress import CancelToken, NullProgress, Progress

from . import dialogs

log = logging.getLogger("ui.print_support")

DPI = 300


def page_range(printer: QPrinter, pages: int) -> tuple[int, int]:
    """First and last page (1-based) the dialog asked for."""
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(pages, printer.toPage() or pages)
        if first > last:
            raise PdpacketError(
                f"The page range {printer.fromPage()}-{printer.toPage()} is not in the "
                f"packet, which has {pages} pages.",
                hint="Print again and choose pages within the packet.",
            )
        return first, last
    return 1, pages


def render_page(doc: QPdfDocument, index: int, dpi: int = DPI) -> QImage:
    """Page ``index`` at ``dpi``, on white."""
    size = doc.pagePointSize(index)
    w, h = round(size.width() / 72 * dpi), round(size.height() / 72 * dpi)
    image = doc.render(index, QSize(w, h))
    out = QImage(image.size(), QImage.Format.Format_RGB32)
    out.setDotsPerMeterX(round(dpi / 0.0254))
    out.setDotsPerMeterY(round(dpi / 0.0254))
    out.fill(QColor("white"))
    painter = QPainter(out)
    painter.drawImage(0, 0, image)
    painter.end()
    return out


def render_to_printer(
    pdf_path: str | Path,
    printer: QPrinter,
    *,
    cancel: CancelToken | None = None,
    progress: Progress | None = None,
    dpi: int = DPI,
) -> int:
    """Print the PDF on ``printer`` (page range and copies from it); returns the
    number of sheets sent.  Safe in a worker thread."""
    cancel = cancel or CancelToken()
    progress = progress or NullProgress()
    doc = QPdfDocument()
    doc.load(str(pdf_path))
    if doc.status() != QPdfDocument.Status.Ready:
        raise PdpacketError(
            f"{Path(pdf_path).name} could not be opened for printing.",
            hint="Build the packet again, then print.",
        )
    try:
        n = doc.pageCount()
        first, last = page_range(printer, n)
        copies = max(1, printer.copyCount())
        own_copies = 1 if printer.supportsMultipleCopies() else copies
        order = list(range(first - 1, last)) * own_copies
        painter = QPainter()
        if not painter.begin(printer):
            raise PdpacketError(
                "The printer could not be started.", hint="Check the printer and try again."
            )
        try:
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            for i, index in enumerate(order):
                if cancel.cancelled:
                    printer.abort()
                    raise CancelledError(
                        "Printing cancelled.", hint="Pages already sent may still print."
                    )
                if i:
                    printer.newPage()
                progress.update(i, len(order), f"Printing page {index + 1} of {last}")
                image = render_page(doc, index, dpi)
                size = doc.pagePointSize(index)
                # at 100 %: the page's own size in the printer's pixels, from the sheet's
                # top-left corner (centred if the paper is larger)
                tw = size.width() / 72 * printer.resolution()
                th = size.height() / 72 * printer.resolution()
                x = max(0.0, (paper.width() - tw) / 2)
                y = max(0.0, (paper.height() - th) / 2)
                painter.drawImage(QRectF(x, y, tw, th), image)
            progress.update(len(order), len(order), "Sent to the printer")
        finally:
            if painter.isActive():
                painter.end()
        log.info("printed %s: pages %d-%d, %d copies", pdf_path, first, last, copies)
        return len(order)
    finally:
        doc.close()


def print_packet(parent: QWidget | None, pdf_path: str | Path) -> int:
    """Ask for a printer (page range, copies) and print ``pdf_path`` now; returns the
    sheets sent (0 when the dialog was cancelled).  Blocks: prefer a worker running
    ``render_to_printer`` in a window that has one."""
    doc = QPdfDocument()
    doc.load(str(pdf_path))
    pages = doc.pageCount()
    doc.close()
    printer = dialogs.ask_printer(parent, pages)
    if printer is None:
        return 0
    return render_to_printer(pdf_path, printer)


def print_ready_options(options: BuildOptions) -> BuildOptions:
    """The build options of the print edition, keeping the packet's own choices."""
    from dataclasses import replace

    return replace(options, edition="print")


def print_ready_path(output: Path) -> Path:
    """Where the print edition goes beside a packet: ``<name>_Print.pdf``."""
    if output.stem.endswith("_Print"):
        return output
    return output.with_name(f"{output.stem}_Print.pdf")


def save_print_ready(
    parent: QWidget | None,
    workspace: Workspace,
    case_id: int,
    options: BuildOptions,
    suggested: Path,
) -> BuildResult | None:
    """Ask where to save, and build the print edition there (blocking); ``None``
    when the user cancelled.  The Build step does the same in a worker."""
    path = dialogs.pick_save_path(parent, str(print_ready_path(suggested)))
    if not path:
        return None
    return workspace.build_packet(case_id, path, print_ready_options(options))

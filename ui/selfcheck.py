"""The Qt half of ``pdpacket doctor`` (#16): the window, QtPdf previews and printing
work in this install (frozen or not)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from pdpacket.api import Workspace


def _non_blank(image_width: int, sample: list[QColor]) -> bool:
    return image_width > 0 and any(c.lightness() < 200 for c in sample)


def qt_checks(packet: str, scratch: str) -> list[tuple[str, bool, str]]:
    from .app import create_app
    from .main_window import MainWindow

    app = create_app()
    out: list[tuple[str, bool, str]] = []
    try:
        ws = Workspace.open(Path(scratch) / "window-data")
        try:
            window = MainWindow(ws)
            window.show()
            app.processEvents()
            out.append(("window", window.isVisible(), f"Qt {app.platformName()} platform"))
            window.close()
        finally:
            ws.close()
    except Exception as exc:
        out.append(("window", False, str(exc)))
    if packet:
        doc = QPdfDocument()
        status = doc.load(packet)
        if status == QPdfDocument.Error.None_ and doc.pageCount() > 0:
            img = doc.render(0, QSize(300, 388))
            sample = [
                img.pixelColor(x, y)
                for x in range(0, img.width(), 7)
                for y in range(0, img.height(), 7)
            ]
            out.append(
                (
                    "PDF previews (QtPdf)",
                    _non_blank(img.width(), sample),
                    f"{doc.pageCount()} pages read",
                )
            )
        else:
            out.append(("PDF previews (QtPdf)", False, f"could not load the demo packet: {status}"))
        doc.close()
    printed = Path(scratch) / "print-test.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(printed))
    printer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.Letter),
            QPageLayout.Orientation.Portrait,
            printer.pageLayout().margins(),
        )
    )
    painter = QPainter()
    if painter.begin(printer):
        painter.drawText(100, 100, "pdpacket print check")
        painter.end()
    ok = printed.exists() and printed.stat().st_size > 0
    out.append(("printing", ok, "print to PDF works" if ok else "the print system did not write"))
    return out

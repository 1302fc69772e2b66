"""The printer a packet is printed on, set up before the print dialog opens.

Apart from ``print_support`` (which renders and sends pages, and asks through
``dialogs``) so that ``dialogs`` can start its print dialog from it without
importing ``print_support`` back.
"""

from __future__ import annotations

from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter


def make_printer(pages: int) -> QPrinter:
    """A printer set up for a packet: US letter, portrait, single-sided (court copies),
    the whole sheet addressable (margins are in the pages themselves)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setDuplex(QPrinter.DuplexMode.DuplexNone)
    printer.setFullPage(True)
    printer.setFromTo(1, max(1, pages))
    return printer

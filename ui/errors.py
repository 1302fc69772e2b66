"""The one place the window shows an error: ``show_exception``.

Every message says what went wrong in plain words and what to do next.  The
dialog itself is ``present`` so tests can replace it (and see what a user would
have read) without a modal box.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

from PySide6.QtWidgets import QMessageBox, QWidget

from pdpacket.errors import (
    BadInputError,
    CancelledError,
    DatabaseError,
    IntegrityError,
    PdpacketError,
)

log = logging.getLogger("ui.errors")


@dataclass(frozen=True)
class ErrorReport:
    title: str
    text: str  # what went wrong
    hint: str  # what to do
    details: str = ""  # technical details, folded away
    severity: str = "error"  # "error" | "warning"


def describe(exc: BaseException, action: str = "") -> ErrorReport:
    """Turn any exception into words a paralegal can act on."""
    doing = f" while {action}" if action else ""
    if isinstance(exc, CancelledError):
        return ErrorReport(
            "Cancelled", exc.message, exc.hint or "Nothing was changed.", "", "warning"
        )
    if isinstance(exc, IntegrityError):
        return ErrorReport(
            "Stored evidence is damaged",
            exc.message,
            exc.hint
            or "Restore the data folder from a backup, or add the damaged file again. "
            "Nothing was filed.",
        )
    if isinstance(exc, BadInputError):
        return ErrorReport(
            "Please check this",
            exc.message,
            exc.hint or "Correct it and try again.",
            "",
            "warning",
        )
    if isinstance(exc, DatabaseError) and exc.locked:
        return ErrorReport(
            "The case database is busy",
            f"Another pdpacket job kept the case database busy{doing}.",
            "Wait a moment and try again. Nothing was lost.",
            _details(exc),
        )
    if isinstance(exc, PdpacketError):
        return ErrorReport(
            "Something went wrong",
            exc.message,
            exc.hint or "Try again. Your work so far is saved.",
        )
    if isinstance(exc, PermissionError):
        name = exc.filename or "the file"
        return ErrorReport(
            "No permission",
            f"pdpacket may not read or write {name}{doing}.",
            "Choose a folder you can write to (for example Documents), or close the file "
            "if another program has it open.",
            _details(exc),
        )
    if isinstance(exc, FileNotFoundError):
        name = exc.filename or "a file"
        return ErrorReport(
            "File not found",
            f"{name} was not found{doing}.",
            "Check that the file or folder still exists (a USB drive may have been removed).",
            _details(exc),
        )
    if isinstance(exc, OSError):
        name = f" {exc.filename}" if exc.filename else ""
        return ErrorReport(
            "Cannot use the file",
            f"The file{name} could not be used{doing}: {exc.strerror or exc}.",
            "Check that the disk is not full and the folder still exists, then try again.",
            _details(exc),
        )
    return ErrorReport(
        "Unexpected problem",
        f"Something unexpected went wrong{doing}.",
        "Your work so far is saved. Try again; if it happens again, copy the details "
        "below into an e-mail to whoever supports pdpacket at your office.",
        _details(exc),
    )


def _details(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))


def present(parent: QWidget | None, report: ErrorReport) -> None:
    """Show ``report`` in a message box (tests replace this function)."""
    box = QMessageBox(parent)
    box.setIcon(
        QMessageBox.Icon.Warning if report.severity == "warning" else QMessageBox.Icon.Critical
    )
    box.setWindowTitle(report.title)
    box.setText(report.text)
    box.setInformativeText(report.hint)
    if report.details:
        box.setDetailedText(report.details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def show_exception(exc: BaseException, parent: QWidget | None = None, *, action: str = "") -> None:
    """Log ``exc`` and tell the user what happened and what to do."""
    report = describe(exc, action)
    if isinstance(exc, PdpacketError):
        log.info("%s: %s", type(exc).__name__, exc)
    else:
        log.error("unexpected error%s", f" while {action}" if action else "", exc_info=exc)
    present(parent, report)

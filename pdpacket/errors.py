"""One error hierarchy with messages a paralegal can act on.

Every error carries a user-facing ``message`` (what is wrong, naming the file or
field, and what to do) and an ``exit_code`` for the CLI.  Library errors (pypdf,
Pillow, sqlite) are wrapped at the boundary of the module that calls them.
Errors are shown in exactly two places: the CLI's handler and the UI's
``show_exception``.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager


class PdpacketError(Exception):
    """Base of every error pdpacket raises on purpose."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class BadInputError(PdpacketError):
    """The user gave us something we cannot use; the message says how to fix it."""

    exit_code = 2


class ValidationError(BadInputError):
    """A field value is wrong (A-number, receipt number, date...)."""

    def __init__(self, field: str, message: str, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.field = field


class ManifestError(BadInputError):
    """A case manifest is malformed; nothing from it was stored."""


class IntakeError(BadInputError):
    """An evidence file cannot be imported; nothing was stored for it."""

    def __init__(self, filename: str, message: str, *, hint: str = "") -> None:
        super().__init__(f"{filename}: {message}", hint=hint)
        self.filename = filename


class PasswordRequiredError(IntakeError):
    """The PDF needs a password to open; ask the user and try again."""


class WrongPasswordError(IntakeError):
    """The password given for a PDF does not open it."""


class NotFoundError(BadInputError):
    """A case, exhibit or file named by the user does not exist."""


class NotReadyError(BadInputError):
    """A final packet was asked for while the readiness review has errors: nothing
    was built.  ``errors`` holds each error as (code, message, fix)."""

    def __init__(self, errors: tuple[tuple[str, str, str], ...]) -> None:
        n = len(errors)
        lines = [f"- {code}: {message} Fix: {fix}".strip() for code, message, fix in errors]
        super().__init__(
            f"Not ready for a final packet: the review has {n} error{'' if n == 1 else 's'}; "
            "nothing was built.",
            hint="\n".join(
                [
                    *lines,
                    "Fix each one (the Review step, or `pdpacket check CASE`), or build "
                    "a draft instead: it says DRAFT on every page.",
                ]
            ),
        )
        self.errors = errors


class IntegrityError(PdpacketError):
    """Stored data does not match its recorded hash: the store was damaged."""


class CancelledError(PdpacketError):
    """The user cancelled a long job; nothing was published."""


class DatabaseError(PdpacketError):
    """The case database could not be read or written (busy, damaged, unreadable)."""

    def __init__(self, message: str, *, hint: str = "", locked: bool = False) -> None:
        super().__init__(message, hint=hint)
        self.locked = locked


def database_error(exc: sqlite3.Error) -> DatabaseError:
    """``exc`` as an error the user can act on; the sqlite error stays its cause."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return DatabaseError(
            "Another pdpacket job kept the case database busy.",
            hint="Wait a moment and try again. Nothing was lost.",
            locked=True,
        )
    return DatabaseError(
        f"The case database could not be used ({text}).",
        hint="Close other copies of pdpacket and try again; if it happens again, "
        "restore the latest backup (Backups…).",
    )


class DiskFullError(PdpacketError):
    """The disk (or the user's quota) filled up; what was being written was not kept."""


def is_disk_full(exc: BaseException) -> bool:
    """True for "no space left on device", a full quota, or SQLite's SQLITE_FULL."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return True
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        return code == sqlite3.SQLITE_FULL or "database or disk is full" in str(exc)
    return False


@contextmanager
def disk_full_guard(what: str, where: str | os.PathLike[str]) -> Iterator[None]:
    """Turn a full disk while writing ``what`` into ``where`` into a ``DiskFullError``
    that says so and what to do.  The caller's own cleanup (temporary files,
    rollbacks) still runs: this only changes the error the user sees."""
    try:
        yield
    except PdpacketError:
        raise
    except (OSError, sqlite3.Error) as exc:
        if not is_disk_full(exc):
            raise
        raise DiskFullError(
            f"The disk is full: {what} could not be written to {os.fspath(where)}. "
            "Nothing was lost: what was there before is unchanged.",
            hint="Free some space on that disk (empty the trash, remove old packets or "
            "downloads), then try again.",
        ) from exc

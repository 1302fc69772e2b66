"""Write transactions that wait their turn, and where SQLite's errors become ours.

A deferred transaction (SQLite's ``BEGIN``) that has read cannot wait for the
write lock once another connection has written since: SQLite answers "database
is locked" at once, whatever the busy timeout.  With background jobs writing
(OCR results, an import) while the window saves an edit, that would refuse the
edit.  ``BEGIN IMMEDIATE`` takes the write lock when the transaction begins, so
it waits (the connection's busy timeout) and then sees the latest data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from sqlite_utils import Database

from pdpacket.errors import database_error, disk_full_guard


@contextmanager
def immediate(db: Database) -> Iterator[None]:
    """One write transaction (a savepoint inside one already open)."""
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # an error may have ended it already
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def as_ours(exc: sqlite3.Error, folder: Path) -> NoReturn:
    """The boundary where sqlite errors become pdpacket errors: a full disk is a
    ``DiskFullError``, anything else a ``DatabaseError`` (the sqlite error its cause)."""
    try:
        with disk_full_guard("the case database", folder):
            raise exc
    except sqlite3.Error:
        raise database_error(exc) from exc


@contextmanager
def sqlite_errors_as_ours(folder: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        as_ours(exc, folder)

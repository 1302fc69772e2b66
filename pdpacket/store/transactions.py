"""Write transactions that wait their turn.

A deferred transaction (SQLite's ``BEGIN``) that has read cannot wait for the
write lock once another connection has written since: SQLite answers "database
is locked" at once, whatever the busy timeout.  With background jobs writing
(OCR results, an import) while the window saves an edit, that would refuse the
edit.  ``BEGIN IMMEDIATE`` takes the write lock when the transaction begins, so
it waits (the connection's busy timeout) and then sees the latest data.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


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

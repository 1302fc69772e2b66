"""Which stored PDFs pdpacket's own cleaning produced (table ``blob_cleaning``,
migration m011).

Every door a PDF comes in by -- intake, case-archive import, a future sync --
records here the cleaning version that produced the bytes it stores; the
packet builder refuses a blob with no record.  A record is about bytes, not
about a case (blobs are named by their SHA-256), so it stays true whatever
case or backup names the blob.  The table is the workspace's own bookkeeping:
no case owns it, so an archive never carries (or forges) it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Iterable

# A cleaning, passed down by the façade (the store cannot import intake):
# (file name, PDF bytes) -> (cleaned PDF bytes, pages, cleaning version).
Cleaner = Callable[[str, bytes], tuple[bytes, int, str]]


def record(con: sqlite3.Connection, sha: str, version: str) -> None:
    """Record that cleaning ``version`` produced blob ``sha`` (inside a transaction)."""
    at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    con.execute(
        "INSERT INTO blob_cleaning (sha256, version, cleaned_at) VALUES (?, ?, ?) "
        "ON CONFLICT(sha256) DO NOTHING",
        (sha, version, at),
    )


def uncleaned(con: sqlite3.Connection, shas: Iterable[str]) -> set[str]:
    """The blobs of ``shas`` that no recorded cleaning produced."""
    wanted = set(shas)
    if not wanted:
        return set()
    marks = ",".join("?" * len(wanted))
    found = {
        r[0]
        for r in con.execute(
            f"SELECT sha256 FROM blob_cleaning WHERE sha256 IN ({marks})", sorted(wanted)
        )
    }
    return wanted - found


def records(con: sqlite3.Connection) -> dict[str, str]:
    """Every record: blob -> cleaning version."""
    return dict(con.execute("SELECT sha256, version FROM blob_cleaning").fetchall())


def replace_records(con: sqlite3.Connection, kept: dict[str, str]) -> None:
    """Make the records exactly ``kept`` (inside a transaction).  A restored
    backup's own records are not trusted (a backup can be any database file the
    user picks); the workspace's, taken before the restore, still hold: they are
    about bytes, and the bytes did not change."""
    con.execute("DELETE FROM blob_cleaning")
    at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    con.executemany(
        "INSERT INTO blob_cleaning (sha256, version, cleaned_at) VALUES (?, ?, ?)",
        [(sha, version, at) for sha, version in sorted(kept.items())],
    )

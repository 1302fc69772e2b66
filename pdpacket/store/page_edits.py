"""Page edits, stored: for an exhibit file, the pages the packet shows, in
order, each a page of the stored PDF turned by some quarter turns, or deleted
(kept in place so it can be restored).  The stored PDF is never changed; an
identity layout is stored as no row at all.

Also here: a snapshot of a case's exhibits and files, at the level of their
rows, that the page tools' undo puts back (a split or merge moves files between
exhibits and creates or removes one)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlite_utils import Database

from pdpacket.errors import PdpacketError
from pdpacket.model import ExhibitFile, PageSlot


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def decode(text: str | None) -> tuple[PageSlot, ...]:
    """A stored layout (``None``: no edits)."""
    if not text:
        return ()
    return tuple(PageSlot(int(s), int(t) % 4, bool(d)) for s, t, d in json.loads(text))


def encode(layout: Sequence[PageSlot]) -> str:
    return json.dumps([[s.source, s.turns % 4, int(s.deleted)] for s in layout])


def is_identity(layout: Sequence[PageSlot], stored_pages: int) -> bool:
    return len(layout) == stored_pages and all(
        s.source == i and not s.turns % 4 and not s.deleted for i, s in enumerate(layout)
    )


def check(layout: Sequence[PageSlot], stored_pages: int, what: str) -> None:
    """A layout names each stored page at most once, each one that exists."""
    seen: set[int] = set()
    for s in layout:
        if not 0 <= s.source < stored_pages or s.source in seen:
            raise ValueError(f"{what}: page slot {s.source} is not a page of the stored file")
        seen.add(s.source)


def write(db: Database, file_id: int, layout: Sequence[PageSlot], stored_pages: int) -> None:
    """Store ``layout`` as the file's pages (an identity layout removes the row)."""
    check(layout, stored_pages, f"file {file_id}")
    if is_identity(layout, stored_pages):
        db.execute("DELETE FROM page_edits WHERE file_id = ?", (file_id,))
        return
    db.execute(
        "INSERT INTO page_edits (file_id, layout, updated_at) VALUES (?, ?, ?) "
        "ON CONFLICT(file_id) DO UPDATE SET layout=excluded.layout, updated_at=excluded.updated_at",
        (file_id, encode(layout), _now()),
    )


def copy(db: Database, file: ExhibitFile, new_file_id: int) -> None:
    """Give a copied file row (a duplicated case, a paired translation) the same edits."""
    if file.layout:
        write(db, new_file_id, file.layout, file.pages)


def layouts(db: Database, file_ids: Iterable[int]) -> dict[int, tuple[PageSlot, ...]]:
    ids = list(file_ids)
    if not ids:
        return {}
    rows = db.execute(
        f"SELECT file_id, layout FROM page_edits WHERE file_id IN ({', '.join('?' * len(ids))})",
        ids,
    ).fetchall()
    return {int(fid): decode(text) for fid, text in rows}


# ---- snapshots for undo -------------------------------------------------------
@dataclass(frozen=True)
class Snapshot:
    """Rows of some exhibits of a case, their files and page edits, and the
    order of every exhibit of the case."""

    case_id: int
    exhibits: dict[int, dict[str, Any]]
    files: dict[int, dict[str, Any]]  # by file id; each row names its exhibit
    layouts: dict[int, str]  # file id -> stored layout JSON
    order: tuple[int, ...]  # every exhibit id of the case, in order


def _rows(db: Database, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    cur = db.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def snapshot(db: Database, case_id: int, exhibit_ids: Iterable[int]) -> Snapshot:
    ids = sorted(set(exhibit_ids))
    marks = ", ".join("?" * len(ids))
    exhibits = (
        {int(r["id"]): r for r in _rows(db, f"SELECT * FROM exhibits WHERE id IN ({marks})", ids)}
        if ids
        else {}
    )
    files = (
        {
            int(r["id"]): r
            for r in _rows(db, f"SELECT * FROM exhibit_files WHERE exhibit_id IN ({marks})", ids)
        }
        if ids
        else {}
    )
    fids = sorted(files)
    lays: dict[int, str] = {}
    if fids:
        fm = ", ".join("?" * len(fids))
        for r in _rows(db, f"SELECT file_id, layout FROM page_edits WHERE file_id IN ({fm})", fids):
            lays[int(r["file_id"])] = str(r["layout"])
    order = tuple(
        int(r["id"])
        for r in _rows(
            db, "SELECT id FROM exhibits WHERE case_id = ? ORDER BY position, id", (case_id,)
        )
    )
    return Snapshot(case_id, exhibits, files, lays, order)


def _upsert(db: Database, table: str, row: dict[str, Any]) -> None:
    cols = list(row)
    sets = ", ".join(f"{c}=excluded.{c}" for c in cols if c != "id")
    db.execute(
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))}) "
        f"ON CONFLICT(id) DO UPDATE SET {sets}",
        [row[c] for c in cols],
    )


def _check_put_back(db: Database, current: Snapshot, wanted: Snapshot) -> None:
    hint = "Undo and redo only go back through the steps in order; make the change again."
    for table, rows, ids in (
        ("exhibits", wanted.exhibits, set(wanted.exhibits) - set(current.exhibits)),
        ("exhibit_files", wanted.files, set(wanted.files) - set(current.files)),
    ):
        for row_id in sorted(ids):
            there = _rows(db, f"SELECT * FROM {table} WHERE id = ?", (row_id,))
            if there and there[0] != rows[row_id]:  # (as it is when first applied)
                raise PdpacketError(
                    "This page change cannot be taken back or redone: an exhibit or file "
                    "added since has taken its place.",
                    hint=hint,
                )
    known = set(current.files) | set(wanted.files)
    for eid in sorted(set(current.exhibits) - set(wanted.exhibits)):
        held = db.execute("SELECT id FROM exhibit_files WHERE exhibit_id = ?", (eid,)).fetchall()
        if any(int(r[0]) not in known for r in held):
            title = current.exhibits[eid].get("title", "")
            raise PdpacketError(
                f"This page change cannot be taken back: the exhibit '{title}' it made has "
                "files added since, which would be removed with it.",
                hint="Move or remove those files first, or leave the change as it is.",
            )


def put_back(db: Database, current: Snapshot, wanted: Snapshot) -> None:
    """Make the rows ``current`` holds look like ``wanted`` (one is the other's
    before or after): rows only in ``current`` are deleted, others written back in
    place (so what other tables keep about a file that stays is kept), and the
    case's exhibits put in ``wanted``'s order.  Call inside a transaction.

    Refused (``PdpacketError``, nothing changed) when that would overwrite a row
    made since under an id the step brings back, or remove an exhibit that has
    files added since."""
    _check_put_back(db, current, wanted)
    for row in wanted.exhibits.values():
        _upsert(db, "exhibits", row)
    for row in wanted.files.values():
        _upsert(db, "exhibit_files", row)
    for fid in set(current.files) - set(wanted.files):
        db.execute("DELETE FROM exhibit_files WHERE id = ?", (fid,))
    for eid in set(current.exhibits) - set(wanted.exhibits):
        db.execute("DELETE FROM exhibits WHERE id = ?", (eid,))
    for fid in wanted.files:
        text = wanted.layouts.get(fid)
        if text is None:
            db.execute("DELETE FROM page_edits WHERE file_id = ?", (fid,))
        else:
            db.execute(
                "INSERT INTO page_edits (file_id, layout, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT(file_id) DO UPDATE SET layout=excluded.layout, "
                "updated_at=excluded.updated_at",
                (fid, text, _now()),
            )
    present = {
        int(r["id"])
        for r in _rows(db, "SELECT id FROM exhibits WHERE case_id = ?", (wanted.case_id,))
    }
    order = [i for i in wanted.order if i in present]
    order += sorted(present - set(order))
    for pos, eid in enumerate(order):
        db.execute("UPDATE exhibits SET position = ? WHERE id = ?", (pos, eid))

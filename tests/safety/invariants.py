"""What must hold in a data folder after anything at all happened to it (a kill,
a full disk, a hostile file), checked from outside the app: raw sqlite3 and
hashlib, not the store's own code."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

from pdpacket.store import backup
from pdpacket.store.caserows import read_schema


def blob_path(data: Path, sha: str) -> Path:
    return data / "blobs" / sha[:2] / sha


def referenced_shas(con: sqlite3.Connection) -> set[str]:
    """Every blob a row names: the blobs table and every foreign key into it."""
    return {r[0] for r in con.execute("SELECT sha256 FROM blobs")} | named_by_rows(con)


def named_by_rows(con: sqlite3.Connection) -> set[str]:
    """Blobs that rows other than the blobs table itself name (must exist)."""
    shas: set[str] = set()
    for t in read_schema(con).values():
        for fk in t.fks:
            if fk.table == "blobs":
                shas.update(
                    r[0]
                    for r in con.execute(f'SELECT "{fk.column}" FROM "{t.name}"')
                    if r[0] is not None
                )
    return shas


def check_database(data: Path) -> list[str]:
    """Integrity, foreign keys, and every row's blob present with the right hash."""
    problems = []
    db = data / "pdpacket.db"
    if not db.exists():
        return problems
    con = sqlite3.connect(db)
    try:
        status = con.execute("PRAGMA integrity_check").fetchall()
        if status != [("ok",)]:
            problems.append(f"integrity_check: {status[:3]}")
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
        if fk:
            problems.append(f"foreign_key_check: {fk[:3]}")
        for sha in sorted(named_by_rows(con)):
            p = blob_path(data, sha)
            if not p.is_file():
                problems.append(f"blob {sha[:12]} named by a row is missing")
            elif hashlib.sha256(p.read_bytes()).hexdigest() != sha:
                problems.append(f"blob {sha[:12]} does not match its hash")
    finally:
        con.close()
    return problems


def check_swept(data: Path) -> list[str]:
    """After a Workspace.open: no blob file that no row and no kept backup names, and
    no temporary file left in the data folder."""
    problems = []
    con = sqlite3.connect(data / "pdpacket.db")
    try:
        keep = referenced_shas(con) | backup.referenced_blobs(data)
    finally:
        con.close()
    root = data / "blobs"
    for sub in root.iterdir() if root.exists() else []:
        if sub.is_dir():
            for f in sub.iterdir():
                if f.name.startswith(".tmp-"):
                    problems.append(f"stale temporary file {f.name}")
                elif f.name not in keep:
                    problems.append(f"orphan blob {f.name[:12]}")
    for folder in (data / "tmp", data / "backups"):
        if folder.exists():
            problems.extend(f"stale temporary file {f}" for f in folder.glob(".tmp-*"))
    return problems

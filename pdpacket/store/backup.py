"""Rolling backups of the database, made with SQLite's online backup API.

A backup is a complete, self-contained copy of ``pdpacket.db`` (rollback
journal mode, no ``-wal`` file needed) in ``<data folder>/backups/``, named
``pdpacket-<UTC time>-<reason>.db`` and private to the user (0600).  One is made
before migrations are applied to an existing database, once a day when the
workspace opens, before a restore, and on request; the newest ``keep`` are kept
(setting ``backups.keep``, default 10).

Backups hold the database, not the evidence files: the evidence store is
content-addressed and never rewrites a file, so the startup sweep keeps every
blob that a kept backup still names (``referenced_blobs``) and a restore checks
that all of them are there before it changes anything.

Every file is written to a temporary name in the backups folder and published
with ``os.replace``: a kill leaves a stale ``.tmp-*.part`` file (removed by the
next start's sweep), never a half-written backup under a real name.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path

from pdpacket.errors import BadInputError, DiskFullError, disk_full_guard
from pdpacket.model import BackupInfo
from pdpacket.store.atomic import atomic_path
from pdpacket.store.blobs import LOCK_NAME, TMP_PREFIX, flock, remove_temporaries
from pdpacket.store.paths import BLOBS_DIR, ensure_private_dir

log = logging.getLogger("pdpacket.backup")

BACKUPS_DIR = "backups"
KEEP_SETTING = "backups.keep"
DEFAULT_KEEP = 10
REASONS = ("daily", "migration", "restore", "manual")
_NAME = re.compile(
    r"^pdpacket-(?P<ts>\d{8}T\d{6}-\d{6})Z-(?P<reason>[a-z]+)\.db$",
)
MIGRATION_SET = "pdpacket"


class BackupError(BadInputError):
    """A backup cannot be used (missing, damaged, from a newer version...)."""


def backups_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUPS_DIR


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _info(path: Path) -> BackupInfo | None:
    m = _NAME.match(path.name)
    if not m:
        return None
    when = dt.datetime.strptime(m["ts"], "%Y%m%dT%H%M%S-%f").replace(tzinfo=dt.UTC)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    return BackupInfo(
        name=path.name,
        path=str(path),
        created_at=when.isoformat(),
        reason=m["reason"],
        size=size,
    )


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """The kept backups, newest first."""
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return []
    found = [i for p in folder.iterdir() if p.is_file() and (i := _info(p)) is not None]
    return sorted(found, key=lambda i: i.name[len("pdpacket-") :], reverse=True)


def create_backup(
    conn: sqlite3.Connection,
    data_dir: Path,
    reason: str,
    *,
    now: dt.datetime | None = None,
) -> BackupInfo:
    """Copy the live database (a consistent snapshot, even while others write)."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    folder = ensure_private_dir(backups_dir(data_dir))
    when = (now or _utcnow()).astimezone(dt.UTC)
    name = f"pdpacket-{when.strftime('%Y%m%dT%H%M%S-%f')}Z-{reason}.db"
    target = folder / name
    while target.exists():  # two backups in the same microsecond: step on
        when += dt.timedelta(microseconds=1)
        name = f"pdpacket-{when.strftime('%Y%m%dT%H%M%S-%f')}Z-{reason}.db"
        target = folder / name
    # a writer of the data folder: the startup sweep waits for it (see BlobStore.writing)
    lock = ensure_private_dir(Path(data_dir) / BLOBS_DIR) / LOCK_NAME
    with flock(lock, exclusive=False, blocking=True):
        return _create(conn, folder, target)


def _create(conn: sqlite3.Connection, folder: Path, target: Path) -> BackupInfo:
    with (
        disk_full_guard("the database backup", folder),
        atomic_path(target, private=True, prefix=TMP_PREFIX) as tmp,
    ):
        dest = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            conn.backup(dest)
            # self-contained: no -wal/-shm file next to the backup
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    info = _info(target)
    assert info is not None
    log.info("backup %s written (%d bytes)", target.name, info.size)
    return info


def prune(data_dir: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` backups; return the names deleted."""
    keep = max(1, int(keep))
    gone = []
    for info in list_backups(data_dir)[keep:]:
        Path(info.path).unlink(missing_ok=True)
        gone.append(info.name)
    if gone:
        log.info("pruned backups: %s", ", ".join(gone))
    return gone


def sweep_temporary(data_dir: Path) -> list[str]:
    """Remove temporary files a killed backup left behind (the copy and, if the
    kill came while SQLite was writing it, its ``-journal``)."""
    return remove_temporaries(backups_dir(data_dir))


def needs_daily(data_dir: Path, *, now: dt.datetime | None = None) -> bool:
    """True when no backup was made today (the user's local date)."""
    today = (now or _utcnow()).astimezone().date()
    for info in list_backups(data_dir):
        made = dt.datetime.fromisoformat(info.created_at).astimezone().date()
        if made == today:
            return False
    return True


def ensure_daily(
    conn: sqlite3.Connection, data_dir: Path, keep: int, *, now: dt.datetime | None = None
) -> BackupInfo | None:
    """Make today's backup if there is none yet.  Never stops the app from
    opening: a full disk is logged, not raised."""
    if not needs_daily(data_dir, now=now):
        return None
    try:
        info = create_backup(conn, data_dir, "daily", now=now)
    except DiskFullError as exc:
        log.warning("daily backup skipped: %s", exc)
        return None
    prune(data_dir, keep)
    return info


def has_user_tables(conn: sqlite3.Connection) -> bool:
    row = conn.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchone()
    return bool(row and row[0])


def read_keep(conn: sqlite3.Connection) -> int:
    """The ``backups.keep`` setting (readable before migrations ran, too)."""
    try:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (KEEP_SETTING,)).fetchone()
    except sqlite3.Error:
        return DEFAULT_KEEP
    if not row:
        return DEFAULT_KEEP
    try:
        return max(1, int(row[0]))
    except (TypeError, ValueError):
        return DEFAULT_KEEP


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def referenced_blobs(data_dir: Path) -> set[str]:
    """Every evidence blob that a kept backup names (so a restore finds them)."""
    shas: set[str] = set()
    for info in list_backups(data_dir):
        try:
            con = _connect_readonly(Path(info.path))
            try:
                shas.update(_blob_refs(con))
            finally:
                con.close()
        except sqlite3.Error as exc:
            log.warning("backup %s is unreadable (%s); its blobs are not protected", info.name, exc)
    return shas


def _blob_refs(con: sqlite3.Connection) -> set[str]:
    tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    out: set[str] = set()
    if "blobs" in tables:
        out.update(r[0] for r in con.execute("SELECT sha256 FROM blobs"))
    if "exhibit_files" in tables:
        for a, b in con.execute("SELECT original_sha256, pdf_sha256 FROM exhibit_files"):
            out.update((a, b))
    return out


def resolve(data_dir: Path, name_or_path: str) -> Path:
    """A backup named as `pdpacket backups` lists it, or the path of a backup file."""
    folder = backups_dir(data_dir)
    if _NAME.match(name_or_path) and (folder / name_or_path).is_file():
        return folder / name_or_path
    candidate = Path(name_or_path).expanduser()
    if candidate.is_file():
        return candidate
    raise BackupError(
        f"There is no backup {name_or_path!r}.",
        hint="Run `pdpacket backups` to see the backups you can restore.",
    )


def check_restorable(
    path: Path, known_migrations: Iterable[str], blob_exists: Callable[[str], bool]
) -> None:
    """Refuse (``BackupError``) a file that is not an intact pdpacket database of this
    version or older, or whose evidence files are no longer in the store."""
    known = set(known_migrations)
    try:
        con = _connect_readonly(path)
        try:
            status = con.execute("PRAGMA integrity_check").fetchone()
            if not status or status[0] != "ok":
                raise BackupError(
                    f"The backup {path.name} is damaged ({status[0] if status else 'unreadable'}).",
                    hint="Pick an older backup from `pdpacket backups`.",
                )
            try:
                applied = {
                    r[0]
                    for r in con.execute(
                        "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                        (MIGRATION_SET,),
                    )
                }
            except sqlite3.Error:
                applied = set()
            if not applied:
                raise BackupError(
                    f"{path.name} is not a pdpacket database.",
                    hint="Pick a backup listed by `pdpacket backups`.",
                )
            newer = sorted(applied - known)
            if newer:
                raise BackupError(
                    f"The backup {path.name} was made by a newer version of pdpacket "
                    f"(it has changes {', '.join(newer)} this version does not know).",
                    hint="Update pdpacket, then restore it.",
                )
            refs = _blob_refs(con)
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(
            f"The backup {path.name} cannot be read ({exc}).",
            hint="Pick another backup from `pdpacket backups`.",
        ) from exc
    missing = sorted(s for s in refs if not blob_exists(s))
    if missing:
        raise BackupError(
            f"The backup {path.name} names {len(missing)} evidence file(s) that are no longer "
            f"in the data folder (e.g. {missing[0][:12]}…); restoring it would break those "
            "exhibits. Nothing was changed.",
            hint="Pick a newer backup, or restore the whole data folder from a system backup.",
        )


def restore_into(conn: sqlite3.Connection, path: Path) -> None:
    """Replace the live database's content with the backup's, in one step."""
    src = _connect_readonly(path)
    try:
        with disk_full_guard("the restored database", path.parent):
            src.backup(conn)
    except sqlite3.Error as exc:
        raise BackupError(
            f"The backup {path.name} could not be restored ({exc}). Nothing was changed.",
            hint="Close other pdpacket windows and try again.",
        ) from exc
    finally:
        src.close()


__all__ = [
    "BACKUPS_DIR",
    "DEFAULT_KEEP",
    "KEEP_SETTING",
    "BackupError",
    "check_restorable",
    "create_backup",
    "ensure_daily",
    "list_backups",
    "prune",
    "referenced_blobs",
    "resolve",
    "restore_into",
]

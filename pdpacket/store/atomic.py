"""Atomic file writes, the one way pdpacket writes a file that matters.

The bytes go to a hidden temporary file in the target's folder; only when all
of them are written and synced is it renamed onto the target (``os.replace``,
atomic on every platform we support) and the folder synced, so a crash, a
kill or a power cut leaves the old file or the new one, never half of one.
Whatever fails on the way removes the temporary file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

TMP_SUFFIX = ".part"


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable (POSIX; Windows has no folder handle)."""
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_path(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


@contextmanager
def _temporary(target: Path, prefix: str | None) -> Iterator[tuple[int, Path]]:
    """A new hidden file beside ``target`` (its descriptor and path), removed
    again if the block fails."""
    fd, name = tempfile.mkstemp(
        dir=target.parent,
        prefix=prefix if prefix is not None else f".{target.name}.",
        suffix=TMP_SUFFIX,
    )
    tmp = Path(name)
    try:
        yield fd, tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _publish(tmp: Path, target: Path, private: bool) -> None:
    if private and os.name == "posix":
        os.chmod(tmp, 0o600)
    os.replace(tmp, target)
    fsync_dir(target.parent)


@contextmanager
def atomic_path(
    target: str | os.PathLike[str], *, private: bool = False, prefix: str | None = None
) -> Iterator[Path]:
    """A temporary path beside ``target`` for the caller to fill (by name, for
    writers that want a path, such as SQLite's backup); published onto
    ``target`` when the block ends without an exception.  ``private`` makes the
    file readable by the user only (evidence, backups, archives)."""
    target = Path(target)
    with _temporary(target, prefix) as (fd, tmp):
        os.close(fd)
        yield tmp
        fsync_path(tmp)
        _publish(tmp, target, private)


@contextmanager
def atomic_file(
    target: str | os.PathLike[str], *, private: bool = False, prefix: str | None = None
) -> Iterator[BinaryIO]:
    """An open binary file whose content replaces ``target`` atomically when
    the block ends without an exception."""
    target = Path(target)
    with _temporary(target, prefix) as (fd, tmp):
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, target, private)


def write_atomic(
    target: str | os.PathLike[str], data: bytes | str, *, private: bool = False
) -> None:
    """Replace ``target`` with ``data`` (text is written as UTF-8 with ``\\n``)."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_file(target, private=private) as fh:
        fh.write(payload)

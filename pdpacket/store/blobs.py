"""The content-addressed evidence store.

Every imported file (the original and its normalised PDF) is copied in once,
named by its SHA-256, written to a temporary file and published with
``os.replace`` so a crash never leaves a half-written blob under a real name.
Reads verify the hash, so a damaged store is noticed rather than filed.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from pdpacket.errors import IntegrityError, disk_full_guard
from pdpacket.store.atomic import TMP_SUFFIX, atomic_file
from pdpacket.store.paths import ensure_private_dir

# Every temporary file the store writes starts so; a kill mid-write leaves one.
TMP_PREFIX = ".tmp-"


def remove_temporaries(folder: Path, pattern: str = f"{TMP_PREFIX}*") -> list[str]:
    """Remove the temporary files a killed write left in ``folder``; their names."""
    removed = []
    if folder.is_dir():
        for tmp in folder.glob(pattern):
            tmp.unlink(missing_ok=True)
            removed.append(tmp.name)
    return removed


CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


LOCK_NAME = ".lock"


class Readable(Protocol):
    def read(self, n: int = -1, /) -> bytes: ...


@contextmanager
def flock(path: Path, *, exclusive: bool, blocking: bool) -> Iterator[bool]:
    """An advisory lock on ``path`` (POSIX ``flock``): yields whether it was taken.
    Elsewhere there is no shared lock: writers proceed and the sweep is skipped."""
    if fcntl is None:
        yield not exclusive
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        flags = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
        if not blocking:
            flags |= fcntl.LOCK_NB
        try:
            fcntl.flock(fd, flags)
        except BlockingIOError:
            yield False
            return
        yield True
    finally:
        os.close(fd)  # closing the descriptor releases the lock


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = ensure_private_dir(root)
        self.lock_path = self.root / LOCK_NAME
        self._sweeping = False

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold while writing blobs that are not registered yet (until the rows that
        name them are committed): the startup sweep leaves the store alone meanwhile,
        in this process or any other."""
        with flock(self.lock_path, exclusive=False, blocking=True):
            yield

    @contextmanager
    def sweeping(self) -> Iterator[bool]:
        """Yields True when no writer is active (and none can start until the end).
        Re-entrant on this object."""
        if self._sweeping:
            yield True
            return
        with flock(self.lock_path, exclusive=True, blocking=False) as got:
            self._sweeping = got
            try:
                yield got
            finally:
                self._sweeping = False

    def path(self, sha: str) -> Path:
        return self.root / sha[:2] / sha

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def put_bytes(self, data: bytes) -> str:
        sha = sha256_bytes(data)
        if self.exists(sha):
            return sha
        self._write(sha, data)
        return sha

    def _write(self, sha: str, data: bytes) -> None:
        self._publish(sha, lambda fh: fh.write(data))

    def put_stream(self, src: Readable, expected_sha: str) -> bool:
        """Copy ``src`` in, refusing it (``IntegrityError``, nothing kept) unless its
        SHA-256 is ``expected_sha``; True when the blob was new."""
        if self.exists(expected_sha):
            return False
        h = hashlib.sha256()

        def copy(fh: BinaryIO) -> None:
            for chunk in iter(lambda: src.read(CHUNK), b""):
                h.update(chunk)
                fh.write(chunk)
            if h.hexdigest() != expected_sha:
                raise IntegrityError(
                    f"Evidence file {expected_sha[:12]}… does not match its recorded hash.",
                    hint="The copy is damaged: get the file again.",
                )

        self._publish(expected_sha, copy)
        return True

    def _publish(self, sha: str, fill: Callable[[BinaryIO], object]) -> None:
        target = self.path(sha)
        ensure_private_dir(target.parent)
        with (
            disk_full_guard("an evidence file", self.root),
            atomic_file(target, private=True, prefix=TMP_PREFIX) as fh,
        ):
            fill(fh)

    def read(self, sha: str) -> bytes:
        """The blob's bytes, verified against its name."""
        try:
            data = self.path(sha).read_bytes()
        except FileNotFoundError as exc:
            raise IntegrityError(
                f"Stored evidence file {sha[:12]}… is missing from the data folder.",
                hint="Restore the data folder from a backup or re-add the evidence file.",
            ) from exc
        if sha256_bytes(data) != sha:
            raise IntegrityError(
                f"Stored evidence file {sha[:12]}… is damaged (its content changed).",
                hint="Restore the data folder from a backup or re-add the evidence file.",
            )
        return data

    def verify(self, sha: str) -> bool:
        p = self.path(sha)
        return p.is_file() and sha256_file(p) == sha

    def delete(self, sha: str) -> None:
        self.path(sha).unlink(missing_ok=True)

    def iter_shas(self) -> Iterator[str]:
        for sub in sorted(self.root.iterdir()) if self.root.exists() else []:
            if sub.is_dir() and len(sub.name) == 2:
                for f in sorted(sub.iterdir()):
                    if f.is_file() and len(f.name) == 64:
                        yield f.name

    def sweep(self, keep: Iterable[str]) -> list[str]:
        """Delete blobs not in ``keep`` and stale temporary files; return what went."""
        keep_set = set(keep)
        removed: list[str] = []
        for sha in list(self.iter_shas()):
            if sha not in keep_set:
                self.delete(sha)
                removed.append(sha)
        remove_temporaries(self.root, f"*/{TMP_PREFIX}*{TMP_SUFFIX}")
        return removed

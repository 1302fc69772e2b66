"""The content-addressed evidence store.

Every imported file (the original and its normalised PDF) is copied in once,
named by its SHA-256, written to a temporary file and published with
``os.replace`` so a crash never leaves a half-written blob under a real name.
Reads verify the hash, so a damaged store is noticed rather than filed.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import IntegrityError
from .paths import ensure_private_dir

CHUNK = 1 << 20


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: str | os.PathLike[str]) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class BlobStore:
    def __init__(self, root: Path) -> None:
        self.root = ensure_private_dir(root)

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
        target = self.path(sha)
        ensure_private_dir(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            if os.name == "posix":
                os.chmod(tmp, 0o600)
            os.replace(tmp, target)
            fsync_dir(target.parent)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

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
        for tmp in self.root.glob("*/.tmp-*.part"):
            tmp.unlink(missing_ok=True)
        return removed

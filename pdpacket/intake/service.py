"""Evidence intake: turning files into exhibits.

Files are read and normalised ahead on a small thread pool (the slow part, free
of the database), then stored one at a time on the caller's thread, each file
all or nothing: its blobs and rows are written together or not at all.  A file
already in the case (same original bytes) is reported as a duplicate.  The
façade (``pdpacket.api.Workspace``) holds the evidence writer lock around these
calls; this module knows nothing of manifests, letters or packets.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pdpacket.errors import (
    IntakeError,
    PasswordRequiredError,
    PdpacketError,
    WrongPasswordError,
    disk_full_guard,
)
from pdpacket.intake import evidence as intake
from pdpacket.intake.pdfclean import CLEANING_VERSION
from pdpacket.model import FileRole, ImportResult, NormalisedFile
from pdpacket.model.progress import CancelToken, NullProgress, Progress
from pdpacket.policy import catalog
from pdpacket.store import cleaning
from pdpacket.store.blobs import sha256_bytes, sha256_file
from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.intake")

INTAKE_AHEAD = 2  # files normalised at once in a batch import (memory: ~100 MB each)


@dataclass(frozen=True)
class StoredFile:
    original_sha256: str
    pdf_sha256: str
    pages: int
    kind: str
    warnings: tuple[str, ...]
    new_blobs: tuple[str, ...]  # blobs this call wrote (to remove if the import fails)
    recovered: bool = False  # read from a damaged original: the user must compare
    original_size: int = 0
    pdf_size: int = 0
    attachments: tuple[str, ...] = ()  # files the PDF carried (see ``intake.attachments``)


@dataclass(frozen=True)
class Prepared:
    """A file read and normalised ahead of storing (see ``EvidenceIntake.batch``)."""

    original_sha256: str
    normalised: NormalisedFile | None
    error: IntakeError | None


class EvidenceIntake:
    """Stores evidence files into one data folder's database and blob store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.data_dir = store.data_dir

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the evidence store's writer lock (so a startup sweep elsewhere leaves
        new blobs alone) and report a full disk as a ``DiskFullError``."""
        with self.store.blobs.writing(), disk_full_guard("the evidence", self.data_dir):
            yield

    def add_file_to_exhibit(
        self,
        exhibit_id: int,
        path: str | os.PathLike[str],
        *,
        role: FileRole = FileRole.TRANSLATION,
        password: str | None = None,
    ) -> ImportResult:
        """Attach one more file to an exhibit (e.g. the English translation of a
        foreign document).  Raises ``IntakeError`` (``PasswordRequiredError``...)
        when the file cannot be read; nothing is stored then."""
        p = Path(path)
        ex = self.store.get_exhibit(exhibit_id)
        sf = self.store_file(p, password=password)
        try:
            with self.store.transaction():
                self.register(sf, p.stat().st_size, len(self.store.blobs.read(sf.pdf_sha256)))
                file_id = self.store.add_exhibit_file(
                    exhibit_id,
                    role=role,
                    original_name=p.name,
                    original_sha256=sf.original_sha256,
                    pdf_sha256=sf.pdf_sha256,
                    pages=sf.pages,
                    warnings=sf.warnings,
                    recovered=sf.recovered,
                )
                self.store.audit(
                    ex.case_id, "exhibit.add_file", exhibit=exhibit_id, role=str(role), file=p.name
                )
        except BaseException:
            self.discard_blobs(sf.new_blobs)
            raise
        status = "warning" if sf.warnings else "imported"
        return ImportResult(
            str(p),
            status,
            " ".join(sf.warnings),
            exhibit_id,
            sf.pages,
            file_id=file_id,
            attachments=sf.attachments,
        )

    def store_file(
        self,
        path: str | os.PathLike[str],
        *,
        password: str | None = None,
        keep_original_size: bool = False,
    ) -> StoredFile:
        """Normalise ``path`` and write its original and PDF to the blob store.

        Blob rows are registered by the caller inside its transaction; if that
        fails, ``discard_blobs(result.new_blobs)`` removes what this wrote.
        """
        p = Path(path)
        norm = self.normalise(p, password=password, keep_original_size=keep_original_size)
        return self.store_normalised(p, norm)

    def normalise(
        self, path: Path, *, password: str | None = None, keep_original_size: bool = False
    ) -> NormalisedFile:
        """``intake.normalise_file``, with any unexpected error turned into an
        ``IntakeError`` naming the file.  Touches no database: safe on any thread."""
        try:
            return intake.normalise_file(
                path, password=password, keep_original_size=keep_original_size
            )
        except PdpacketError:
            raise
        except Exception as exc:  # a hostile or odd file must not crash a batch
            log.exception("intake failed unexpectedly on %s", path.name)
            raise IntakeError(
                path.name,
                f"the file could not be read ({type(exc).__name__}: it is damaged or unusual).",
                hint="Open it and save or print it again as PDF, then add that copy.",
            ) from exc

    def prepare(self, path: Path, password: str | None) -> Prepared:
        """The slow, database-free part of importing one file (runs ahead on a worker)."""
        try:
            sha = sha256_file(path) if path.is_file() else ""
        except OSError:
            sha = ""
        try:
            return Prepared(sha, self.normalise(path, password=password), None)
        except IntakeError as exc:
            return Prepared(sha, None, exc)

    def store_normalised(self, p: Path, norm: NormalisedFile) -> StoredFile:
        """Write the original and its PDF to the blob store (all or nothing)."""
        try:
            original = p.read_bytes()
        except OSError as exc:
            raise IntakeError(
                p.name,
                f"the file cannot be read any more ({exc.strerror or exc}).",
                hint="Check that it was not moved or deleted, and add it again.",
            ) from exc
        new: list[str] = []
        shas = []
        try:
            for data in (original, norm.pdf):
                sha = sha256_bytes(data)
                if not self.store.blobs.exists(sha):
                    new.append(sha)
                shas.append(self.store.blobs.put_bytes(data))
        except BaseException:
            self.discard_blobs(new)  # all or nothing: no orphan original
            raise
        return StoredFile(
            shas[0],
            shas[1],
            norm.pages,
            norm.kind,
            norm.warnings,
            tuple(new),
            recovered=norm.recovered,
            original_size=len(original),
            pdf_size=len(norm.pdf),
            attachments=norm.attachments,
        )

    def register(self, sf: StoredFile, original_size: int, pdf_size: int) -> None:
        self.store.register_blob(sf.original_sha256, original_size, sf.kind, sf.pages)
        self.store.register_blob(sf.pdf_sha256, pdf_size, "pdf", sf.pages)
        # intake made this PDF (pdfclean, images): the builder may read it
        cleaning.record(self.store.db.conn, sf.pdf_sha256, CLEANING_VERSION)

    def add_files_to_exhibit(
        self,
        exhibit_id: int,
        paths: Sequence[str | os.PathLike[str]],
        *,
        role: FileRole = FileRole.TRANSLATION,
        passwords: dict[str, str] | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> list[ImportResult]:
        """Attach files (folders expanded) to an existing exhibit, e.g. the English
        translation of a foreign document; per-file results like ``add_evidence``."""
        ex = self.store.get_exhibit(exhibit_id)

        def attach(path: Path, prepared: Prepared) -> ImportResult:
            return self.add_one(ex.case_id, path, prepared, (), exhibit_id=exhibit_id, role=role)

        return self.batch(paths, passwords, progress, cancel, attach)

    def batch(
        self,
        paths: Sequence[str | os.PathLike[str]],
        passwords: dict[str, str] | None,
        progress: Progress | None,
        cancel: CancelToken | None,
        one: Callable[[Path, Prepared], ImportResult],
    ) -> list[ImportResult]:
        """Files in order, each stored (or refused) on this thread; while one is being
        stored the next ones are already read and normalised on worker threads (both
        cores: Pillow works outside the GIL).  At most ``INTAKE_AHEAD`` at a time."""
        progress = progress or NullProgress()
        cancel = cancel or CancelToken()
        results: list[ImportResult] = []
        files = expand_paths(paths)
        pending: dict[int, Future[Prepared]] = {}
        pool = ThreadPoolExecutor(max_workers=INTAKE_AHEAD, thread_name_prefix="pdpacket-intake")
        try:
            for n, path in enumerate(files):
                if cancel.cancelled:
                    results.extend(
                        ImportResult(str(p), "refused", f"{p.name}: cancelled before import.")
                        for p in files[n:]
                    )
                    break
                progress.update(n, len(files), f"Importing {path.name}")
                for k in range(n, min(n + INTAKE_AHEAD, len(files))):
                    if k not in pending:
                        pending[k] = pool.submit(
                            self.prepare, files[k], password_for(passwords, files[k])
                        )
                results.append(one(path, pending.pop(n).result()))
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        progress.update(len(files), len(files), "Done")
        return results

    def discard_blobs(self, shas: Iterable[str]) -> None:
        referenced = self.store.referenced_blobs()
        for sha in shas:
            if sha not in referenced:
                self.store.blobs.delete(sha)

    def add_evidence(
        self,
        case_id: int,
        paths: Sequence[str | os.PathLike[str]],
        *,
        passwords: dict[str, str] | None = None,
        factor_ids: Sequence[str] = (),
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> list[ImportResult]:
        """Add each file (folders expanded) as a new exhibit.  Per-file results:
        imported, warning (imported; read the message), duplicate (already in the
        case: nothing added) or refused (nothing stored; the message names the file
        and the fix; ``needs_password`` asks for a password).  ``passwords`` maps a
        path (as given or expanded) or a file name to its password.  Cancelling
        stops between files; the files already imported stay."""
        self.store.get_case(case_id)

        def add(path: Path, prepared: Prepared) -> ImportResult:
            return self.add_one(case_id, path, prepared, factor_ids)

        return self.batch(paths, passwords, progress, cancel, add)

    def add_one(
        self,
        case_id: int,
        path: Path,
        prepared: Prepared,
        factor_ids: Sequence[str],
        *,
        exhibit_id: int = 0,
        role: FileRole = FileRole.DOCUMENT,
    ) -> ImportResult:
        """One file, all or nothing: its blobs and rows are written together or not at all."""
        sha = prepared.original_sha256
        dup = self.store.find_file_by_original(case_id, sha) if sha else None
        if dup is not None:
            return ImportResult(
                str(path),
                "duplicate",
                f"{path.name} is already in this case "
                f"(as {dup.original_name}); it was not added again.",
            )
        try:
            if prepared.error is not None:
                raise prepared.error
            assert prepared.normalised is not None
            sf = self.store_normalised(path, prepared.normalised)
        except IntakeError as exc:
            needs = isinstance(exc, (PasswordRequiredError, WrongPasswordError))
            return ImportResult(str(path), "refused", str(exc), needs_password=needs)
        try:
            with self.store.transaction():
                self.register(sf, sf.original_size, sf.pdf_size)
                if exhibit_id:
                    ex_id = exhibit_id
                else:
                    dtype = catalog.guess_document_type(path.name)
                    factors = list(factor_ids) or (list(dtype.factor_ids[:1]) if dtype else [])
                    # what a file name suggests is a guess until someone confirms it
                    guessed = ["title", "language"]
                    guessed += ["document_type"] if dtype else []
                    guessed += ["factor_ids"] if factors and not factor_ids else []
                    ex_id = self.store.add_exhibit(
                        case_id,
                        title_from_filename(path.name, dtype.label if dtype else ""),
                        factor_ids=factors,
                        document_type=dtype.id if dtype else "",
                        guessed=guessed,
                    )
                file_id = self.store.add_exhibit_file(
                    ex_id,
                    role=role,
                    original_name=path.name,
                    original_sha256=sf.original_sha256,
                    pdf_sha256=sf.pdf_sha256,
                    pages=sf.pages,
                    warnings=sf.warnings,
                    recovered=sf.recovered,
                )
                if exhibit_id:
                    self.store.audit(
                        case_id, "exhibit.add_file", exhibit=ex_id, role=str(role), file=path.name
                    )
        except BaseException:
            self.discard_blobs(sf.new_blobs)
            raise
        status = "warning" if sf.warnings else "imported"
        return ImportResult(
            str(path),
            status,
            " ".join(sf.warnings),
            ex_id,
            sf.pages,
            file_id=file_id,
            attachments=sf.attachments,
        )


SUPPORTED_SUFFIXES = {
    ".pdf",
    ".jpg",
    ".jpeg",
    ".png",
    ".tif",
    ".tiff",
    ".heic",
    ".heif",
    ".webp",
    ".bmp",
    ".gif",
}


def password_for(passwords: dict[str, str] | None, path: Path) -> str | None:
    """The password given for ``path``: by the path as given, resolved, or its name."""
    if not passwords:
        return None
    for key in (str(path), str(path.resolve()), path.name):
        if key in passwords:
            return passwords[key]
    return None


def expand_paths(paths: Sequence[str | os.PathLike[str]]) -> list[Path]:
    """Files as given, folders expanded (sorted, hidden files skipped)."""
    out: list[Path] = []
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            out.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        else:
            out.append(p)
    return out


# names cameras, phones and scanners give files: they say nothing of the document
_DEVICE_NAME = re.compile(
    r"(?:img|dsc|dscn|dscf|pxl|mvimg|scan|scanned|screenshot|whatsapp image|signal|p)?[\s_-]*\d[\d\s_.()-]*(?:wa\d+)?(?:[\s_-]*(?:\(\d+\)|copy))?",
    re.IGNORECASE,
)
_NAME_DATE = re.compile(r"(?<!\d)(20\d\d)[-_]?(0[1-9]|1[0-2])[-_]?(0[1-9]|[12]\d|3[01])(?!\d)")
_PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".heic", ".heif", ".webp", ".gif", ".bmp"}


def title_from_filename(name: str, type_label: str = "") -> str:
    """'birth_certificate-son (1).pdf' -> 'Birth certificate son'.  A name a camera
    or scanner made up ('IMG_4001.jpg', 'DSC_0001', '4001.pdf') gives the
    document type's label when one was recognised, else 'Photo' or 'Scan' with
    the date the name carries ('Photo of May 14, 2023')."""
    stem = Path(name).stem
    if _DEVICE_NAME.fullmatch(stem.strip()):
        if type_label:
            return type_label
        kind = "Photo" if Path(name).suffix.lower() in _PHOTO_SUFFIXES else "Scan"
        m = _NAME_DATE.search(stem)
        if m:
            try:
                day = dt.date(int(m[1]), int(m[2]), int(m[3]))
                return f"{kind} of {day:%B} {day.day}, {day.year}"
            except ValueError:
                pass
        return kind
    for ch in "_-.":
        stem = stem.replace(ch, " ")
    stem = re.sub(r"\(\d+\)|\b(scan|img|copy|final)\b", " ", stem, flags=re.I)
    words = stem.split()
    if not words:
        return "Untitled document"
    text = " ".join(words)
    return text[0].upper() + text[1:]

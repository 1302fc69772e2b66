"""The façade: the small public API the window and the CLI both call.

    ws = Workspace.open()                # or Workspace.open(tmp_path)
    case_id = ws.import_manifest("case.json")
    ws.build_packet(case_id, "packet.pdf")

Everything the window does can be scripted and tested without Qt.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from . import catalog, intake, packet
from .blobs import sha256_bytes
from .errors import CancelledError, IntakeError, PdpacketError
from .manifest import Manifest, load_manifest
from .model import (
    BuildOptions,
    BuildResult,
    Case,
    Client,
    Exhibit,
    FileRole,
    ImportResult,
    Proceedings,
)
from .paths import resolve_data_dir
from .progress import CancelToken, NullProgress, Progress
from .store import Store

log = logging.getLogger("pdpacket.api")


@dataclass(frozen=True)
class StoredFile:
    original_sha256: str
    pdf_sha256: str
    pages: int
    kind: str
    warnings: tuple[str, ...]
    new_blobs: tuple[str, ...]  # blobs this call wrote (to remove if the import fails)


class Workspace:
    """One data folder: the database and the evidence store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.data_dir = store.data_dir

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None) -> Workspace:
        return cls(Store(resolve_data_dir(data_dir)))

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- cases ----------------------------------------------------------
    def list_cases(self, *, include_archived: bool = False) -> list[Case]:
        return self.store.list_cases(include_archived=include_archived)

    def get_case(self, case_id: int) -> Case:
        return self.store.get_case(case_id)

    def create_case(self, client: Client, proceedings: Proceedings | None = None) -> int:
        return self.store.create_case(client, proceedings)

    def exhibits(self, case_id: int) -> list[Exhibit]:
        return self.store.list_exhibits(case_id)

    def search_cases(
        self,
        text: str = "",
        *,
        include_archived: bool = False,
        sort: str = "hearing",
        today: dt.date | None = None,
    ) -> list[Case]:
        """Cases whose client name, alias or A-number matches ``text`` (see
        ``case_matches``), sorted by ``sort``: "hearing" (upcoming hearings
        soonest first, then cases with no hearing date, then past hearings),
        "name" or "recent" (last changed first)."""
        found = [
            c
            for c in self.store.list_cases(include_archived=include_archived)
            if case_matches(c, text)
        ]
        return sort_cases(found, sort, today=today)

    def duplicate_case(self, case_id: int, *, name: str = "") -> int:
        """Copy a case (client, proceedings, factors, exhibits) to start a similar one."""
        return self.store.duplicate_case(case_id, name=name)

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
                self._register(sf, p.stat().st_size, len(self.store.blobs.read(sf.pdf_sha256)))
                self.store.add_exhibit_file(
                    exhibit_id,
                    role=role,
                    original_name=p.name,
                    original_sha256=sf.original_sha256,
                    pdf_sha256=sf.pdf_sha256,
                    pages=sf.pages,
                    warnings=sf.warnings,
                )
                self.store.audit(
                    ex.case_id, "exhibit.add_file", exhibit=exhibit_id, role=str(role), file=p.name
                )
        except BaseException:
            self.discard_blobs(sf.new_blobs)
            raise
        status = "warning" if sf.warnings else "imported"
        return ImportResult(str(p), status, " ".join(sf.warnings), exhibit_id, sf.pages)

    def pair_translation(self, exhibit_id: int, translation_exhibit_id: int) -> Exhibit:
        """Make exhibit ``translation_exhibit_id`` the translation of ``exhibit_id``."""
        return self.store.merge_as_translation(exhibit_id, translation_exhibit_id)

    # ---- evidence -------------------------------------------------------
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
        norm = intake.normalise_file(p, password=password, keep_original_size=keep_original_size)
        original = p.read_bytes()
        new: list[str] = []
        shas = []
        for data in (original, norm.pdf):
            sha = sha256_bytes(data)
            if not self.store.blobs.exists(sha):
                new.append(sha)
            shas.append(self.store.blobs.put_bytes(data))
        return StoredFile(shas[0], shas[1], norm.pages, norm.kind, norm.warnings, tuple(new))

    def _register(self, sf: StoredFile, original_size: int, pdf_size: int) -> None:
        self.store.register_blob(sf.original_sha256, original_size, sf.kind)
        self.store.register_blob(sf.pdf_sha256, pdf_size, "pdf", sf.pages)

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
        """Add each file as a new exhibit; a bad file is refused alone, with its reason."""
        progress = progress or NullProgress()
        cancel = cancel or CancelToken()
        passwords = passwords or {}
        self.store.get_case(case_id)
        results: list[ImportResult] = []
        files = expand_paths(paths)
        for n, path in enumerate(files):
            if cancel.cancelled:
                results.extend(
                    ImportResult(str(p), "refused", "Cancelled before import.") for p in files[n:]
                )
                break
            progress.update(n, len(files), f"Importing {path.name}")
            results.append(self._add_one(case_id, path, passwords.get(str(path)), factor_ids))
        progress.update(len(files), len(files), "Done")
        return results

    def _add_one(
        self, case_id: int, path: Path, password: str | None, factor_ids: Sequence[str]
    ) -> ImportResult:
        try:
            sf = self.store_file(path, password=password)
        except IntakeError as exc:
            return ImportResult(str(path), "refused", str(exc))
        dup = self.store.find_file_by_original(case_id, sf.original_sha256)
        if dup is not None:
            return ImportResult(
                str(path),
                "duplicate",
                f"{path.name} is already in this case "
                f"(as {dup.original_name}); it was not added again.",
            )
        try:
            with self.store.transaction():
                self._register(sf, path.stat().st_size, len(self.store.blobs.read(sf.pdf_sha256)))
                dtype = catalog.guess_document_type(path.name)
                ex_id = self.store.add_exhibit(
                    case_id,
                    title_from_filename(path.name),
                    factor_ids=list(factor_ids) or (list(dtype.factor_ids[:1]) if dtype else []),
                    document_type=dtype.id if dtype else "",
                )
                self.store.add_exhibit_file(
                    ex_id,
                    role=FileRole.DOCUMENT,
                    original_name=path.name,
                    original_sha256=sf.original_sha256,
                    pdf_sha256=sf.pdf_sha256,
                    pages=sf.pages,
                    warnings=sf.warnings,
                )
        except BaseException:
            self.discard_blobs(sf.new_blobs)
            raise
        status = "warning" if sf.warnings else "imported"
        return ImportResult(str(path), status, " ".join(sf.warnings), ex_id, sf.pages)

    # ---- manifests ------------------------------------------------------
    def import_manifest(
        self,
        path: str | os.PathLike[str],
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> int:
        """Create a case from a manifest; all or nothing."""
        manifest = load_manifest(path)
        return self._import(manifest, progress or NullProgress(), cancel or CancelToken())

    def _import(self, m: Manifest, progress: Progress, cancel: CancelToken) -> int:
        all_files = [f for e in m.exhibits for f in e.files]
        stored: dict[tuple[Path, FileRole], tuple[StoredFile, str, int, int]] = {}
        written: list[str] = []
        try:
            for n, mf in enumerate(all_files):
                cancel.raise_if_cancelled()
                progress.update(n, len(all_files), f"Importing {mf.path.name}")
                sf = self.store_file(mf.path, password=mf.password)
                written.extend(sf.new_blobs)
                stored[(mf.path, mf.role)] = (
                    sf,
                    mf.path.name,
                    mf.path.stat().st_size,
                    len(self.store.blobs.read(sf.pdf_sha256)),
                )
            with self.store.transaction():
                case_id = self.store.create_case(m.client, m.proceedings)
                for answer in m.factors:
                    self.store.set_factor_answer(case_id, answer)
                for e in m.exhibits:
                    ex_id = self.store.add_exhibit(
                        case_id,
                        e.title,
                        factor_ids=list(e.factor_ids),
                        description=e.description,
                        doc_date=e.doc_date,
                        document_type=e.document_type,
                        language=e.language,
                        section=e.section,
                        included=e.included,
                        translator=e.translator,
                        translation_order=e.translation_order,
                    )
                    for mf in e.files:
                        sf, name, osize, psize = stored[(mf.path, mf.role)]
                        self._register(sf, osize, psize)
                        self.store.add_exhibit_file(
                            ex_id,
                            role=mf.role,
                            original_name=name,
                            original_sha256=sf.original_sha256,
                            pdf_sha256=sf.pdf_sha256,
                            pages=sf.pages,
                            warnings=sf.warnings,
                        )
                self.store.audit(case_id, "case.import", manifest=str(m.source))
        except BaseException:
            self.discard_blobs(written)
            raise
        progress.update(len(all_files), len(all_files), "Done")
        return case_id

    # ---- packets --------------------------------------------------------
    def build_packet(
        self,
        case_id: int,
        out: str | os.PathLike[str],
        options: BuildOptions | None = None,
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> BuildResult:
        return packet.build_packet(
            self.store, case_id, out, options, progress=progress, cancel=cancel
        )

    # ---- demo -----------------------------------------------------------
    def ensure_demo_case(self) -> int | None:
        """Create the built-in demo case when the workspace has no case yet."""
        if self.store.list_cases(include_archived=True):
            return None
        return self.create_demo_case()

    def create_demo_case(self) -> int:
        from .demo import write_demo_evidence

        with tempfile.TemporaryDirectory(prefix="pdpacket-demo-") as tmp:
            manifest_path = write_demo_evidence(Path(tmp))
            return self.import_manifest(manifest_path)


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


def _fold(text: str) -> str:
    """Lower case without accents: 'Lucía' and 'lucia' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def case_matches(case: Case, text: str) -> bool:
    """Every word of ``text`` is in the client's name or aliases (accents and case
    ignored), or ``text`` is part of the A-number ("A201-555", "201555014")."""
    query = text.strip()
    if not query:
        return True
    digits = re.sub(r"\D", "", query)
    if digits and re.fullmatch(r"[Aa]?[\d\s\-]+", query) and digits in case.client.a_number:
        return True
    haystack = _fold(" ".join((case.client.name, *case.client.aliases)))
    return all(word in haystack for word in _fold(query).split())


def sort_cases(
    cases: Iterable[Case], sort: str = "hearing", *, today: dt.date | None = None
) -> list[Case]:
    today = today or dt.date.today()
    if sort == "name":
        return sorted(cases, key=lambda c: (_fold(c.client.name), c.id))
    if sort == "recent":
        return sorted(cases, key=lambda c: (c.updated_at, c.id), reverse=True)

    def by_hearing(c: Case) -> tuple[int, int, str]:
        h = c.proceedings.hearing_date
        if h is None:
            return (1, 0, _fold(c.client.name))
        if h >= today:
            return (0, h.toordinal(), _fold(c.client.name))
        return (2, -h.toordinal(), _fold(c.client.name))

    return sorted(cases, key=by_hearing)


def title_from_filename(name: str) -> str:
    """'birth_certificate-son (1).pdf' -> 'Birth certificate son'."""
    stem = Path(name).stem
    for ch in "_-.":
        stem = stem.replace(ch, " ")
    stem = re.sub(r"\(\d+\)|\b(scan|img|copy|final)\b", " ", stem, flags=re.I)
    words = stem.split()
    if not words:
        return "Untitled document"
    text = " ".join(words)
    return text[0].upper() + text[1:]


__all__ = ["CancelledError", "PdpacketError", "Workspace", "expand_paths", "title_from_filename"]

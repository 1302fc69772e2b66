"""Case archives: one file that moves a whole case to another machine.

An archive (``.pdpacket``) is a zip file holding

- ``pdpacket-archive.json``: format and version, the schema (migration names)
  it was written with, the SHA-256 and size of ``case.json`` and of every blob;
- ``case.json``: every row the case owns, table by table;
- ``blobs/<sha256>``: the evidence files (originals and normalised PDFs).

Which rows a case owns is found from the schema, not listed by hand, so tables
added later come along: ``cases`` (the case's row), every table with a
``case_id`` column, every table with a foreign key (or an ``exhibit_id``
column) pointing at an owned row, and the rows of shared tables (``blobs``)
that owned rows point at (see caserows.py).

Import checks everything before it stores anything: the zip's structure, the
exact member list, every hash and size, the schema; then it copies the blobs
in (each verified again on the way) and inserts the rows in one transaction,
with new ids.  Any failure (including a kill) leaves the workspace as it was;
blobs written before the failure are removed, or swept on the next start.

With a password the zip is encrypted whole with AES-256-GCM (``cryptography``),
with a key derived by scrypt; the header carries the scrypt parameters, the
salt, the nonce and a password check derived with the key, so a wrong
password is told apart from a damaged file.  The GCM tag covers the header
and all of the ciphertext: any change to an encrypted archive is refused.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import sqlite3
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from pdpacket._version import __version__
from pdpacket.errors import BadInputError, IntegrityError, PdpacketError, disk_full_guard
from pdpacket.model import ArchiveInfo
from pdpacket.model.markup import remap_citations, text_hash
from pdpacket.model.progress import CancelToken, NullProgress, Progress
from pdpacket.store import cleaning
from pdpacket.store import interview as interview_store
from pdpacket.store.atomic import atomic_file
from pdpacket.store.blobs import CHUNK, TMP_PREFIX, remove_temporaries, sha256_bytes
from pdpacket.store.caserows import (
    TableInfo,
    applied_migrations,
    blob_shas,
    collect_case_rows,
    from_json,
    owned_tables,
    quote_ident,
    read_schema,
)
from pdpacket.store.cleaning import Cleaner
from pdpacket.store.database import Store
from pdpacket.store.migrations import migrations
from pdpacket.store.paths import ensure_private_dir

log = logging.getLogger("pdpacket.archive")

FORMAT = "pdpacket-case-archive"
VERSION = 1
MANIFEST_NAME = "pdpacket-archive.json"
DATA_NAME = "case.json"
BLOB_PREFIX = "blobs/"
SUFFIX = ".pdpacket"
TMP_DIR = "tmp"  # the data folder's private temporary folder

ENC_MAGIC = b"PDPACKET-ENCRYPTED-ARCHIVE\x00\x01"
TAG_LEN = 16
# scrypt cost: 2**17 x 8 x 128 bytes = 128 MiB, about half a second (OWASP's
# recommendation for scrypt).  Archives with larger parameters are refused so a
# hostile file cannot make the import allocate gigabytes.
SCRYPT_N = 2**17
SCRYPT_R = 8
SCRYPT_P = 1
MAX_SCRYPT_N = 2**20
MAX_DATA_BYTES = 256 * 1024 * 1024
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# What zipfile (and zlib, struct) raise on a damaged or hostile zip: a changed byte in
# a header can give any of these (e.g. "zip file version 8.8" is NotImplementedError).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    EOFError,
    ValueError,
    KeyError,
    NotImplementedError,
    RuntimeError,
    OverflowError,
    OSError,
)


class ArchiveError(BadInputError):
    """A case archive cannot be imported (damaged, altered, wrong version...);
    nothing from it was stored."""

    def __init__(self, filename: str, message: str, *, hint: str = "") -> None:
        super().__init__(f"{filename}: {message}", hint=hint)
        self.filename = filename


class ArchivePasswordRequiredError(ArchiveError):
    """The archive is encrypted: ask for its password and try again."""


class ArchiveWrongPasswordError(ArchiveError):
    """The password given does not open the archive."""


class ArchiveCaseExistsError(ArchiveError):
    """The archive's case is already in this workspace (imported before, or the
    case it was exported from): update that case, keep both, or stop."""

    def __init__(self, filename: str, case_id: int, client_name: str) -> None:
        super().__init__(
            filename,
            f"the case of {client_name} is already here (case {case_id}).",
            hint="Import it again to update that case with the archive's contents "
            "(--update), or to keep both as separate cases (--keep-both).",
        )
        self.case_id = case_id
        self.client_name = client_name


IF_EXISTS = ("refuse", "keep_both", "update")


# ---- writing ------------------------------------------------------------------
class _Sink:
    """A write-only, unseekable file for zipfile: hashes what is written and, with a
    key, encrypts it on the way (zipfile then writes data descriptors)."""

    def __init__(self, fh: BinaryIO, encryptor: Any = None) -> None:
        self.fh = fh
        self.encryptor = encryptor
        self.sha = hashlib.sha256()

    def _out(self, data: bytes) -> None:
        self.sha.update(data)
        self.fh.write(data)

    def write(self, data: bytes) -> int:
        b = bytes(data)
        self._out(self.encryptor.update(b) if self.encryptor else b)
        return len(b)

    def flush(self) -> None:
        self.fh.flush()

    def close(self) -> None:
        """The caller closes the real file."""


@dataclass(frozen=True)
class _KdfParams:
    salt: bytes
    nonce: bytes
    n: int
    r: int
    p: int


def _derive(password: str, kp: _KdfParams) -> tuple[bytes, bytes]:
    """(AES-256 key, password check) from one scrypt derivation."""
    material = Scrypt(salt=kp.salt, length=64, n=kp.n, r=kp.r, p=kp.p).derive(
        password.encode("utf-8")
    )
    return material[:32], hashlib.sha256(b"pdpacket-password-check" + material[32:]).digest()


def _header(kp: _KdfParams, check: bytes) -> bytes:
    meta = json.dumps(
        {
            "cipher": "AES-256-GCM",
            "kdf": "scrypt",
            "n": kp.n,
            "r": kp.r,
            "p": kp.p,
            "salt": base64.b64encode(kp.salt).decode(),
            "nonce": base64.b64encode(kp.nonce).decode(),
            "check": base64.b64encode(check).decode(),
        },
        sort_keys=True,
    ).encode()
    return ENC_MAGIC + struct.pack(">I", len(meta)) + meta


def export_case(
    store: Store,
    case_id: int,
    out: str | os.PathLike[str],
    *,
    password: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> ArchiveInfo:
    """Write the case's archive to ``out`` (replaced atomically; private to the user)."""
    progress = progress or NullProgress()
    cancel = cancel or CancelToken()
    case = store.get_case(case_id)
    out_path = Path(out)
    con = store.db.conn
    with store.transaction():  # one consistent snapshot of every table
        tables, shas = collect_case_rows(con, case_id)
        schema = applied_migrations(con)
    sizes = {}
    for sha in sorted(shas):
        p = store.blobs.path(sha)
        if not p.is_file():
            raise IntegrityError(
                f"Stored evidence file {sha[:12]}… of case {case.title} is missing.",
                hint="Restore the data folder from a backup or re-add the evidence file.",
            )
        sizes[sha] = p.stat().st_size
    data = json.dumps({"tables": tables}, sort_keys=True, ensure_ascii=False).encode("utf-8")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "app_version": __version__,
        "created_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "case": {"id": case_id, "client_name": case.client.name},
        "schema": schema,
        "data": {"name": DATA_NAME, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)},
        "blobs": sizes,
    }
    folder = out_path.parent if str(out_path.parent) else Path(".")
    with disk_full_guard(f"the archive {out_path.name}", folder):
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_file(out_path, private=True) as fh:
            encryptor = None
            if password:
                kp = _KdfParams(os.urandom(16), os.urandom(12), SCRYPT_N, SCRYPT_R, SCRYPT_P)
                key, check = _derive(password, kp)
                header = _header(kp, check)
                fh.write(header)
                encryptor = Cipher(algorithms.AES(key), modes.GCM(kp.nonce)).encryptor()
                encryptor.authenticate_additional_data(header)
            sink = _Sink(fh, encryptor)
            _write_zip(sink, manifest, data, sizes, store, progress, cancel)
            if encryptor is not None:
                sink._out(encryptor.finalize())
                sink._out(encryptor.tag)
            cancel.raise_if_cancelled()
    size = out_path.stat().st_size
    digest = _sha256_path(out_path)
    store.audit(case_id, "case.export", file=out_path.name, encrypted=bool(password))
    log.info("exported case %d to %s (%d blobs, %d bytes)", case_id, out_path, len(sizes), size)
    return ArchiveInfo(
        path=str(out_path),
        case_id=case_id,
        client_name=case.client.name,
        blobs=len(sizes),
        size=size,
        sha256=digest,
        encrypted=bool(password),
    )


def _write_zip(
    sink: _Sink,
    manifest: dict[str, Any],
    data: bytes,
    sizes: dict[str, int],
    store: Store,
    progress: Progress,
    cancel: CancelToken,
) -> None:
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            _zinfo(MANIFEST_NAME, zipfile.ZIP_DEFLATED),
            json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False),
        )
        zf.writestr(_zinfo(DATA_NAME, zipfile.ZIP_DEFLATED), data)
        total = len(sizes)
        for n, (sha, size) in enumerate(sorted(sizes.items())):
            cancel.raise_if_cancelled()
            progress.update(n, total, f"Adding evidence file {n + 1} of {total}")
            h = hashlib.sha256()
            # evidence is mostly compressed already (PDF, JPEG): store, do not deflate
            with (
                open(store.blobs.path(sha), "rb") as src,
                zf.open(
                    _zinfo(BLOB_PREFIX + sha, zipfile.ZIP_STORED),
                    "w",
                    force_zip64=size >= 2**31,
                ) as dst,
            ):
                for chunk in iter(lambda: src.read(CHUNK), b""):
                    h.update(chunk)
                    dst.write(chunk)
            if h.hexdigest() != sha:
                raise IntegrityError(
                    f"Stored evidence file {sha[:12]}… is damaged (its content changed); "
                    "the archive was not written.",
                    hint="Restore the data folder from a backup or re-add the evidence file.",
                )
        progress.update(total, total, "Archive written")


def _zinfo(name: str, compression: int) -> zipfile.ZipInfo:
    zi = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    zi.compress_type = compression
    zi.external_attr = 0o600 << 16
    return zi


def _sha256_path(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


# ---- reading ------------------------------------------------------------------
def is_encrypted(path: str | os.PathLike[str]) -> bool:
    with open(path, "rb") as fh:
        return fh.read(len(ENC_MAGIC)) == ENC_MAGIC


@contextmanager
def _plain_zip(path: Path, password: str | None, tmp_dir: Path) -> Iterator[IO[bytes]]:
    """The archive's zip bytes: the file itself, or its decrypted copy in the data
    folder's private temporary folder (removed afterwards), verified whole by the GCM
    tag before anything reads it."""
    name = path.name
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed by the with below
    except OSError as exc:
        raise ArchiveError(
            name, f"cannot be opened ({exc.strerror}).", hint="Check the file's path."
        ) from exc
    with fh:
        head = fh.read(len(ENC_MAGIC))
        if head != ENC_MAGIC:
            if password:
                log.info("%s is not encrypted; the password is not needed", name)
            fh.seek(0)
            yield fh
            return
        if not password:
            raise ArchivePasswordRequiredError(
                name,
                "this case archive is protected by a password.",
                hint="Enter the password it was exported with "
                "(`pdpacket import-archive FILE --password`).",
            )
        kp, header = _read_header(fh, name)
        key, check = _derive(password, kp)
        if not hmac.compare_digest(check, kp_check(header)):
            raise ArchiveWrongPasswordError(
                name,
                "the password does not open this case archive.",
                hint="Check the password with whoever exported it (letters are case-sensitive).",
            )
        total = path.stat().st_size
        body = total - len(header) - TAG_LEN
        if body < 0:
            raise _damaged(name, "it is cut short")
        fh.seek(total - TAG_LEN)
        tag = fh.read(TAG_LEN)
        fh.seek(len(header))
        decryptor = Cipher(algorithms.AES(key), modes.GCM(kp.nonce, tag)).decryptor()
        decryptor.authenticate_additional_data(header)
        ensure_private_dir(tmp_dir)
        fd, tmp_name = tempfile.mkstemp(dir=tmp_dir, prefix=f"{TMP_PREFIX}archive-", suffix=".part")
        tmp = Path(tmp_name)
        try:
            with os.fdopen(fd, "w+b") as out:
                with disk_full_guard("the decrypted archive", tmp_dir):
                    left = body
                    while left:
                        chunk = fh.read(min(CHUNK, left))
                        if not chunk:
                            raise _damaged(name, "it is cut short")
                        left -= len(chunk)
                        out.write(decryptor.update(chunk))
                    try:
                        out.write(decryptor.finalize())
                    except InvalidTag as exc:
                        raise _damaged(name, "its content was changed or damaged") from exc
                out.seek(0)
                yield out
        finally:
            tmp.unlink(missing_ok=True)


def kp_check(header: bytes) -> bytes:
    meta = json.loads(header[len(ENC_MAGIC) + 4 :])
    return base64.b64decode(meta["check"])


def _read_header(fh: IO[bytes], name: str) -> tuple[_KdfParams, bytes]:
    raw_len = fh.read(4)
    if len(raw_len) != 4:
        raise _damaged(name, "it is cut short")
    (n,) = struct.unpack(">I", raw_len)
    if n > 4096:
        raise _damaged(name, "its header is not valid")
    meta_raw = fh.read(n)
    try:
        meta = json.loads(meta_raw)
        kp = _KdfParams(
            salt=base64.b64decode(meta["salt"]),
            nonce=base64.b64decode(meta["nonce"]),
            n=int(meta["n"]),
            r=int(meta["r"]),
            p=int(meta["p"]),
        )
        base64.b64decode(meta["check"])
        if meta.get("cipher") != "AES-256-GCM" or meta.get("kdf") != "scrypt":
            raise ValueError("unknown cipher")
    except (ValueError, KeyError, TypeError) as exc:
        raise _damaged(name, "its header is not valid") from exc
    if (
        not (2 <= kp.n <= MAX_SCRYPT_N and 1 <= kp.r <= 32 and 1 <= kp.p <= 4)
        or len(kp.nonce) != 12
    ):
        raise ArchiveError(
            name,
            "its encryption settings are not supported.",
            hint="Export the case again with this version of pdpacket.",
        )
    return kp, ENC_MAGIC + raw_len + meta_raw


def _damaged(name: str, why: str) -> ArchiveError:
    return ArchiveError(
        name,
        f"this case archive is damaged or was altered ({why}); nothing was imported.",
        hint="Copy the archive again from where it came from, or export the case again.",
    )


@dataclass
class _Checked:
    manifest: dict[str, Any]
    tables: dict[str, dict[str, Any]]
    blobs: dict[str, int]


def _check_zip(zf: zipfile.ZipFile, name: str) -> _Checked:
    names = zf.namelist()
    if len(names) != len(set(names)):
        raise _damaged(name, "a file is in it twice")
    if MANIFEST_NAME not in names:
        raise ArchiveError(
            name,
            "this is not a pdpacket case archive.",
            hint="Pick a .pdpacket file written by `pdpacket export`.",
        )
    try:
        minfo = zf.getinfo(MANIFEST_NAME)
        if minfo.file_size > 64 * 1024 * 1024:
            raise _damaged(name, "its manifest is too large")
        manifest = json.loads(zf.read(MANIFEST_NAME))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, zlib.error) as exc:
        raise _damaged(name, f"its manifest cannot be read: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(
            name,
            "this is not a pdpacket case archive.",
            hint="Pick a .pdpacket file written by `pdpacket export`.",
        )
    if not isinstance(manifest.get("version"), int) or manifest["version"] > VERSION:
        raise ArchiveError(
            name,
            f"it was written by a newer pdpacket ({manifest.get('app_version', '?')}).",
            hint="Update pdpacket, then import it.",
        )
    known = [m.name for m in migrations._migrations]
    schema = manifest.get("schema")
    if not isinstance(schema, list) or not all(isinstance(s, str) for s in schema):
        raise _damaged(name, "its manifest has no schema list")
    newer = [s for s in schema if s not in known]
    if newer:
        raise ArchiveError(
            name,
            f"it was written by a newer pdpacket ({manifest.get('app_version', '?')}; "
            f"changes {', '.join(newer)}).",
            hint="Update pdpacket, then import it.",
        )
    blobs = manifest.get("blobs")
    data_meta = manifest.get("data")
    if (
        not isinstance(blobs, dict)
        or not all(_is_sha(k) and isinstance(v, int) and v >= 0 for k, v in blobs.items())
        or not isinstance(data_meta, dict)
        or data_meta.get("name") != DATA_NAME
        or not _is_sha(data_meta.get("sha256"))
        or not isinstance(data_meta.get("size"), int)
    ):
        raise _damaged(name, "its manifest is not valid")
    expected = {MANIFEST_NAME, DATA_NAME} | {BLOB_PREFIX + s for s in blobs}
    if set(names) != expected:
        extra = sorted(set(names) - expected)
        missing = sorted(expected - set(names))
        what = f"unexpected file {extra[0]!r}" if extra else f"missing file {missing[0]!r}"
        raise _damaged(name, what)
    for sha, size in blobs.items():
        if zf.getinfo(BLOB_PREFIX + sha).file_size != size:
            raise _damaged(name, f"evidence file {sha[:12]}… has the wrong size")
    if data_meta["size"] > MAX_DATA_BYTES or zf.getinfo(DATA_NAME).file_size != data_meta["size"]:
        raise _damaged(name, "the case data has the wrong size")
    try:
        raw = zf.read(DATA_NAME)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
        raise _damaged(name, f"the case data cannot be read: {exc}") from exc
    if hashlib.sha256(raw).hexdigest() != data_meta["sha256"]:
        raise _damaged(name, "the case data does not match its hash")
    try:
        tables = json.loads(raw)["tables"]
    except (ValueError, KeyError, TypeError) as exc:
        raise _damaged(name, "the case data is not valid") from exc
    if not isinstance(tables, dict):
        raise _damaged(name, "the case data is not valid")
    return _Checked(manifest, tables, dict(blobs))


def _is_sha(v: object) -> bool:
    return isinstance(v, str) and len(v) == 64 and all(c in "0123456789abcdef" for c in v)


def _check_rows(
    checked: _Checked, schema: dict[str, TableInfo], name: str
) -> dict[str, list[dict[str, Any]]]:
    """The archive's rows as dicts, checked against this workspace's schema."""
    shared, owned = owned_tables(schema)
    out: dict[str, list[dict[str, Any]]] = {}
    for table, payload in checked.tables.items():
        if table not in schema or table not in (set(shared) | set(owned)):
            raise ArchiveError(
                name,
                f"it holds data this version does not know (table {table!r}).",
                hint="Update pdpacket, then import it.",
            )
        if (
            not isinstance(payload, dict)
            or not isinstance(payload.get("columns"), list)
            or not isinstance(payload.get("rows"), list)
        ):
            raise _damaged(name, f"table {table!r} is not valid")
        cols = payload["columns"]
        unknown = [c for c in cols if c not in schema[table].columns]
        if unknown:
            raise ArchiveError(
                name,
                f"it holds data this version does not know ({table}.{unknown[0]}).",
                hint="Update pdpacket, then import it.",
            )
        rows = []
        for r in payload["rows"]:
            if not isinstance(r, list) or len(r) != len(cols):
                raise _damaged(name, f"a row of {table!r} is not valid")
            rows.append({c: from_json(v) for c, v in zip(cols, r, strict=True)})
        out[table] = rows
    if len(out.get("cases", [])) != 1:
        raise _damaged(name, "it does not hold exactly one case")
    named = blob_shas(checked.tables, schema)
    missing = sorted(named - set(checked.blobs))
    if missing:
        raise _damaged(name, f"evidence file {missing[0][:12]}… is missing")
    unnamed = sorted(set(checked.blobs) - named)
    if unnamed:
        raise _damaged(name, f"evidence file {unnamed[0][:12]}… belongs to no exhibit")
    return out


def import_archive(
    store: Store,
    path: str | os.PathLike[str],
    *,
    password: str | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    clean: Cleaner | None = None,
    if_exists: str = "keep_both",
) -> ArchiveInfo:
    """Create a new case from an archive; all or nothing.

    The same case already here (same creation time, client and A-number):
    ``if_exists`` "refuse" raises ``ArchiveCaseExistsError``, "keep_both" adds a
    second case, "update" replaces the case here with the archive's, in the same
    transaction.

    The hashes prove the archive is whole, not that its PDFs are safe: every
    PDF a case's rows build from goes through ``clean`` (intake's cleaning,
    passed in by the façade) and the case points at the cleaned copy, or the
    import is refused naming the file.  Without ``clean`` the files are stored
    unrecorded and the builder refuses them."""
    progress = progress or NullProgress()
    cancel = cancel or CancelToken()
    src = Path(path)
    name = src.name
    tmp_dir = store.data_dir / TMP_DIR
    written: list[str] = []
    stale: list[str] = []
    with store.blobs.writing():
        try:
            with _plain_zip(src, password, tmp_dir) as fh:
                try:
                    zf = zipfile.ZipFile(fh)
                except ZIP_ERRORS as exc:
                    raise _damaged(name, "it is not a complete zip file") from exc
                with zf:
                    try:
                        checked = _check_zip(zf, name)
                    except ZIP_ERRORS as exc:
                        if isinstance(exc, PdpacketError):
                            raise
                        raise _damaged(name, f"its structure is not valid ({exc})") from exc
                    schema = read_schema(store.db.conn)
                    rows = _check_rows(checked, schema, name)
                    existing = _same_case(store, rows)
                    if existing and if_exists == "refuse":
                        raise ArchiveCaseExistsError(name, *existing)
                    total = len(checked.blobs)
                    _copy_blobs(zf, checked.blobs, store, name, written, progress, cancel)
                    cancel.raise_if_cancelled()
                    progress.update(total, total, "Storing the case")
                    with disk_full_guard("the case", store.db_path), store.transaction():
                        case_id = _insert(store.db.conn, schema, rows)
                        if clean is not None:
                            stale = _clean_case_files(
                                store, case_id, clean, name, written, progress, cancel
                            )
                        replaced = existing[0] if existing and if_exists == "update" else None
                        if replaced is not None:
                            store.delete_case(replaced)
                        store.audit(case_id, "case.import_archive", file=name, replaced=replaced)
        except BaseException:
            referenced = store.referenced_blobs()
            for sha in written:
                if sha not in referenced:
                    store.blobs.delete(sha)
            raise
    for sha in stale:  # the archive's own copies, replaced by the cleaned ones
        store.blobs.delete(sha)
    client = rows.get("clients", [{}])
    client_name = str(client[0].get("name", "")) if client else ""
    log.info("imported case %d from %s (%d blobs)", case_id, src, len(checked.blobs))
    return ArchiveInfo(
        path=str(src),
        case_id=case_id,
        client_name=client_name,
        blobs=len(checked.blobs),
        size=src.stat().st_size,
        sha256=_sha256_path(src),
        encrypted=is_encrypted(src),
    )


def _copy_blobs(
    zf: zipfile.ZipFile,
    blobs: dict[str, int],
    store: Store,
    name: str,
    written: list[str],
    progress: Progress,
    cancel: CancelToken,
) -> None:
    """Copy the archive's blobs into the store, each checked against its hash."""
    total = len(blobs)
    for n, (sha, size) in enumerate(sorted(blobs.items())):
        cancel.raise_if_cancelled()
        progress.update(n, total, f"Checking evidence file {n + 1} of {total}")
        try:
            with zf.open(BLOB_PREFIX + sha) as member:
                if store.blobs.put_stream(_Limited(member, size), sha):
                    written.append(sha)
        except IntegrityError as exc:
            raise _damaged(name, f"evidence file {sha[:12]}… does not match its hash") from exc
        except ZIP_ERRORS as exc:
            if isinstance(exc, PdpacketError):
                raise
            raise _damaged(name, f"evidence file {sha[:12]}… cannot be read ({exc})") from exc


_CASE_PDFS = """
    SELECT 'exhibit_files', f.rowid, f.original_name, f.pdf_sha256, f.pages
    FROM exhibit_files f JOIN exhibits e ON e.id = f.exhibit_id WHERE e.case_id = ?
    UNION ALL
    SELECT 'case_documents', d.rowid, d.original_name, d.pdf_sha256, d.pages
    FROM case_documents d WHERE d.case_id = ?
"""


def _clean_case_files(
    store: Store,
    case_id: int,
    clean: Cleaner,
    name: str,
    written: list[str],
    progress: Progress,
    cancel: CancelToken,
) -> list[str]:
    """Clean every PDF the new case builds from and point its rows at the
    cleaned copies (inside the import's transaction); returns the archive's
    copies that nothing names any more."""
    con = store.db.conn
    rows = con.execute(_CASE_PDFS, (case_id, case_id)).fetchall()
    done: dict[str, str] = {}
    for n, (table, rowid, original_name, sha, pages) in enumerate(rows):
        cancel.raise_if_cancelled()
        progress.update(n, len(rows), f"Cleaning evidence file {n + 1} of {len(rows)}")
        if sha not in done:
            done[sha] = _clean_one(store, clean, name, written, original_name, sha, pages)
        con.execute(
            f"UPDATE {quote_ident(table)} SET pdf_sha256 = ? WHERE rowid = ?",
            (done[sha], rowid),
        )
    stale = []
    for old, new in done.items():
        if old != new and not _named(con, old):
            con.execute("DELETE FROM blobs WHERE sha256 = ?", (old,))
            stale.append(old)
    return stale


def _clean_one(
    store: Store,
    clean: Cleaner,
    name: str,
    written: list[str],
    original_name: str,
    sha: str,
    pages: int,
) -> str:
    """The cleaned copy of archive blob ``sha`` (stored, registered, recorded)."""
    try:
        pdf, got, version = clean(original_name, store.blobs.read(sha))
    except PdpacketError as exc:
        raise ArchiveError(
            name,
            f"its file {original_name!r} cannot be cleaned as pdpacket cleans evidence "
            f"({exc.message})",
            hint="Ask for the original file and add it to the case instead.",
        ) from exc
    if got != pages:
        raise ArchiveError(
            name,
            f"its file {original_name!r} has {got} pages once cleaned, not the {pages} "
            "the archive records",
            hint="Ask for the original file and add it to the case instead.",
        )
    new = sha256_bytes(pdf)
    if not store.blobs.exists(new):
        store.blobs.put_bytes(pdf)
        written.append(new)
    store.register_blob(new, len(pdf), "pdf", got)
    cleaning.record(store.db.conn, new, version)
    return new


def _named(con: sqlite3.Connection, sha: str) -> bool:
    """Whether any row still names blob ``sha`` (as an original or a PDF)."""
    return (
        con.execute(
            "SELECT 1 FROM exhibit_files WHERE original_sha256 = ?1 OR pdf_sha256 = ?1 "
            "UNION ALL SELECT 1 FROM case_documents "
            "WHERE original_sha256 = ?1 OR pdf_sha256 = ?1 LIMIT 1",
            (sha,),
        ).fetchone()
        is not None
    )


class _Limited:
    """Reads at most ``limit`` bytes; more than that is a damaged (or hostile) member."""

    def __init__(self, inner: IO[bytes], limit: int) -> None:
        self.inner = inner
        self.left = limit

    def read(self, n: int = -1) -> bytes:
        want = CHUNK if n is None or n < 0 else n
        data = self.inner.read(min(want, self.left + 1))
        if len(data) > self.left:
            raise IntegrityError("an archive member is larger than its recorded size")
        self.left -= len(data)
        return data


def _insert(
    con: sqlite3.Connection, schema: dict[str, TableInfo], rows: dict[str, list[dict[str, Any]]]
) -> int:
    """Insert the archive's rows with new ids; returns the new case id."""
    shared, owned = owned_tables(schema)
    idmap: dict[str, dict[Any, Any]] = {}
    con.execute("PRAGMA defer_foreign_keys = ON")
    for table in [*shared, *owned]:
        t = schema[table]
        mapping = idmap.setdefault(table, {})
        self_refs: list[tuple[int, str, Any]] = []  # (new rowid, column, old value)
        for row in rows.get(table, []):
            values = dict(row)
            pending: list[tuple[str, Any]] = []
            for fk in t.fks:
                if values.get(fk.column) is None:
                    continue
                parent = schema.get(fk.table)
                if parent is None or parent.rowid_pk is None or fk.to != parent.rowid_pk:
                    continue  # a natural key (blobs.sha256): kept as it is
                old = values[fk.column]
                if fk.table == table:  # a row pointing at a row of its own table
                    pending.append((fk.column, old))
                    continue
                if old not in idmap.get(fk.table, {}):
                    raise ArchiveError(
                        "archive", f"a row of {table} points at a missing {fk.table} row."
                    )
                values[fk.column] = idmap[fk.table][old]
            if t.rowid_pk and any(fk.column == t.rowid_pk for fk in t.fks):
                # The key is itself a reference (letters.case_id): keep the mapped value,
                # or the row would get a fresh rowid and land on another case.
                old_id = row[t.rowid_pk]
            else:
                old_id = values.pop(t.rowid_pk) if t.rowid_pk else None
            cols = list(values)
            verb = "INSERT OR IGNORE" if table in shared and t.rowid_pk is None else "INSERT"
            cur = con.execute(
                f"{verb} INTO {quote_ident(table)} ({', '.join(quote_ident(c) for c in cols)}) "
                f"VALUES ({', '.join('?' * len(cols))})",
                [values[c] for c in cols],
            )
            if t.rowid_pk is not None:
                mapping[old_id] = cur.lastrowid
            self_refs.extend((int(cur.lastrowid or 0), c, o) for c, o in pending)
        for new_rowid, col, old in self_refs:
            con.execute(
                f"UPDATE {quote_ident(table)} SET {quote_ident(col)} = ? WHERE rowid = ?",
                (mapping.get(old), new_rowid),
            )
    _remap_letter_citations(con, idmap)
    _remap_interview_exhibits(con, idmap)
    cases = idmap.get("cases", {})
    if len(cases) != 1:
        raise ArchiveError("archive", "it does not hold exactly one case.")
    case_id = int(next(iter(cases.values())))
    _remap_audit(con, idmap, case_id)
    return case_id


def _same_case(store: Store, rows: dict[str, list[dict[str, Any]]]) -> tuple[int, str] | None:
    """The case here that the archive's case is (imported before, or exported from
    this workspace): created at the same moment, for the same client (the same
    name, or the same A-number when the name has been corrected since)."""
    cases, clients = rows.get("cases") or [{}], rows.get("clients") or [{}]
    found = store.db.execute(
        "SELECT c.id, cl.name FROM cases c JOIN clients cl ON cl.case_id = c.id "
        "WHERE c.created_at = ? AND (cl.name = ? OR (cl.a_number != '' AND cl.a_number = ?)) "
        "ORDER BY c.id DESC",
        (cases[0].get("created_at"), clients[0].get("name"), clients[0].get("a_number", "")),
    ).fetchone()
    return (int(found[0]), str(found[1])) if found else None


# audit details that name rows by id: the key, and the table whose ids they are
_AUDIT_IDS = {"exhibit": "exhibits", "order": "exhibits", "file": "exhibit_files"}


def _remap_audit(con: sqlite3.Connection, idmap: dict[str, dict[Any, Any]], case_id: int) -> None:
    """The case's audit log names exhibits and files by the ids they had where it
    was exported: point those at the ids the import gave them."""
    rows = con.execute("SELECT id, detail FROM audit_log WHERE case_id = ?", (case_id,)).fetchall()
    for row_id, text in rows:
        try:
            detail = json.loads(text or "{}")
        except ValueError:
            continue
        if not isinstance(detail, dict):
            continue
        changed = False
        for key, table in _AUDIT_IDS.items():
            ids, value = idmap.get(table, {}), detail.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and value in ids:
                detail[key], changed = ids[value], True
            elif isinstance(value, list) and all(isinstance(v, int) for v in value):
                detail[key], changed = [ids.get(v, v) for v in value], True
        if changed:
            con.execute(
                "UPDATE audit_log SET detail = ? WHERE id = ?",
                (json.dumps(detail, default=str, sort_keys=True), row_id),
            )


def _remap_letter_citations(con: sqlite3.Connection, idmap: dict[str, dict[Any, Any]]) -> None:
    """The request letter cites exhibits by id and the import gave the
    exhibits new ids: point every citation at its exhibit's new id."""
    exhibits = {int(k): int(v) for k, v in idmap.get("exhibits", {}).items()}
    for case_id in idmap.get("letters", {}).values():
        row = con.execute(
            "SELECT text, draft_text, conflicts FROM letters WHERE case_id = ?", (case_id,)
        ).fetchone()
        if row is None:
            continue
        text, draft = remap_citations(row[0], exhibits), remap_citations(row[1], exhibits)
        conflicts = [
            {k: remap_citations(v, exhibits) if k in ("mine", "draft") else v for k, v in c.items()}
            for c in json.loads(row[2] or "[]")
        ]
        con.execute(
            "UPDATE letters SET text = ?, draft_text = ?, generated_from_hash = ?, conflicts = ? "
            "WHERE case_id = ?",
            (text, draft, text_hash(draft), json.dumps(conflicts, ensure_ascii=False), case_id),
        )


def _remap_interview_exhibits(con: sqlite3.Connection, idmap: dict[str, dict[Any, Any]]) -> None:
    """The interview names the exhibits that prove each arrest by id: point
    them at the exhibits' new ids."""
    exhibits = {int(k): int(v) for k, v in idmap.get("exhibits", {}).items()}
    for case_id in idmap.get("cases", {}).values():
        row = con.execute("SELECT data FROM interviews WHERE case_id = ?", (case_id,)).fetchone()
        if row is not None:
            con.execute(
                "UPDATE interviews SET data = ? WHERE case_id = ?",
                (interview_store.remap_exhibits(row[0], exhibits), case_id),
            )


def sweep_temporary(data_dir: Path) -> list[str]:
    """Remove decrypted copies a killed import left in the private temporary folder."""
    return remove_temporaries(Path(data_dir) / TMP_DIR)


__all__ = [
    "ArchiveCaseExistsError",
    "ArchiveError",
    "ArchivePasswordRequiredError",
    "ArchiveWrongPasswordError",
    "export_case",
    "import_archive",
    "is_encrypted",
    "read_schema",
]

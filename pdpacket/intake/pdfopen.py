"""Opening a client's PDF: decrypting it, reading it leniently when it is
damaged, and rebuilding it from its objects when even that fails."""

from __future__ import annotations

import io
import logging
import re
import struct
import sys
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError
from pypdf.generic import (
    DictionaryObject,
)

from pdpacket.errors import IntakeError, PasswordRequiredError, WrongPasswordError

log = logging.getLogger("pdpacket.pdfclean")


_DAMAGE_HINTS = ("xref", "startxref", "trailer", "eof", "invalid", "rebuild", "ended")


@dataclass
class _Damage:
    """What lenient reading noticed."""

    recovered: bool = False
    messages: list[str] = field(default_factory=list)


class _Collect:
    """pypdf's warnings on this thread while a file is read (they say whether it
    had to be repaired); kept out of the user's terminal, logged at DEBUG here."""

    def __init__(self) -> None:
        self.messages: list[str] = []


_collecting = threading.local()


class _PypdfFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        sink: _Collect | None = getattr(_collecting, "sink", None)
        if sink is None:
            return True
        sink.messages.append(record.getMessage())
        log.debug("pypdf: %s", record.getMessage())
        return False


_FILTER = _PypdfFilter()


def _install_filter() -> None:
    # Logger filters are not inherited: put it on the logger of every pypdf module
    # (pypdf logs to ``logging.getLogger(__name__)``, created at the first warning).
    for name in ["pypdf", *list(sys.modules), *list(logging.root.manager.loggerDict)]:
        if name == "pypdf" or name.startswith("pypdf."):
            logger = logging.getLogger(name)
            if _FILTER not in logger.filters:
                logger.addFilter(_FILTER)


@contextmanager
def pypdf_warnings() -> Iterator[_Collect]:
    _install_filter()
    previous = getattr(_collecting, "sink", None)
    sink = _Collect()
    _collecting.sink = sink
    try:
        yield sink
    finally:
        _collecting.sink = previous


def damaged_error(name: str, exc: BaseException) -> IntakeError:
    return IntakeError(
        name,
        f"the PDF is damaged and cannot be read ({exc.__class__.__name__}: {exc}).",
        hint="Ask for a new copy of the document (download it again, or re-scan it).",
    )


_READ_ERRORS: tuple[type[BaseException], ...] = (
    PyPdfError,  # every pypdf error, e.g. LimitReachedError on recovery loops
    PdfReadError,
    struct.error,
    zlib.error,
    ZeroDivisionError,
    FileNotDecryptedError,
    ValueError,
    KeyError,
    TypeError,
    AttributeError,
    IndexError,
    AssertionError,
    RecursionError,
    OSError,
    NotImplementedError,
)


def open_pdf(name: str, data: bytes, password: str | None) -> tuple[PdfReader, _Damage]:
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        _unlock(name, reader, password)
        _touch_pages(reader)
        return reader, _Damage()
    except (PasswordRequiredError, WrongPasswordError, IntakeError):
        raise
    except _READ_ERRORS as exc:
        log.info("%s: strict reading failed (%s); trying lenient reading", name, exc)
    with pypdf_warnings() as seen:  # a fresh list: what lenient reading complains of
        try:
            reader = PdfReader(io.BytesIO(data), strict=False)
            _unlock(name, reader, password)
            _touch_pages(reader)
            structural = [m for m in seen.messages if any(h in m.lower() for h in _DAMAGE_HINTS)]
            return reader, _Damage(recovered=bool(structural), messages=structural)
        except (PasswordRequiredError, WrongPasswordError, IntakeError):
            raise
        except _READ_ERRORS as exc:
            log.info("%s: lenient reading failed (%s); rebuilding", name, exc)
            first_error: BaseException = exc
    rebuilt = rebuild_pdf(data)
    if rebuilt is not None:
        for candidate in rebuilt:
            try:
                reader = PdfReader(io.BytesIO(candidate), strict=False)
                _unlock(name, reader, password)
                if len(reader.pages) > 0:
                    return reader, _Damage(recovered=True, messages=["rebuilt"])
            except (PasswordRequiredError, WrongPasswordError, IntakeError):
                raise
            except _READ_ERRORS as exc:
                log.info("%s: rebuilt file unreadable (%s)", name, exc)
    raise damaged_error(name, first_error)


def _touch_pages(reader: PdfReader) -> None:
    for page in reader.pages:
        page.get("/Contents")


def _unlock(name: str, reader: PdfReader, password: str | None) -> None:
    if not reader.is_encrypted:
        return
    try:
        for attempt in (password, ""):
            if attempt is None:
                continue
            if reader.decrypt(attempt) != PasswordType.NOT_DECRYPTED:
                return
    except DependencyError as exc:  # pragma: no cover - cryptography is a dependency
        raise IntakeError(
            name,
            "this encrypted PDF needs the 'cryptography' package, which is missing.",
            hint="Reinstall pdpacket.",
        ) from exc
    except NotImplementedError as exc:
        raise IntakeError(
            name,
            f"this PDF uses an encryption pdpacket cannot open ({exc}).",
            hint="Open it with the password in a PDF viewer, print it to a new PDF, and add that.",
        ) from exc
    if password:
        raise WrongPasswordError(
            name,
            "the password does not open this PDF.",
            hint="Check the password with the client (it is case-sensitive) and try again.",
        )
    raise PasswordRequiredError(
        name,
        "this PDF is protected by a password.",
        hint="Enter the password to import it (CLI and manifest: give a password for the file).",
    )


def acroform_of(reader: PdfReader) -> DictionaryObject | None:
    try:
        root: Any = reader.trailer["/Root"].get_object()
        af = root.get("/AcroForm")
        found = af.get_object() if af is not None else None
        return found if isinstance(found, DictionaryObject) else None
    except Exception:
        return None


_OBJ_RE = re.compile(rb"(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj\b")
_PAGE_RE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")
_CATALOG_RE = re.compile(rb"/Type\s*/Catalog(?![A-Za-z])")


def rebuild_pdf(data: bytes) -> list[bytes] | None:
    """Files made from the complete objects found in ``data``: first with its own
    catalog (if one survived), then with a new page tree of every page object
    found, in file order.  For truncated downloads, whose xref and trailer are gone.
    """
    objs: dict[int, bytes] = {}
    for m in _OBJ_RE.finditer(data):
        end = data.find(b"endobj", m.end())
        nxt = _OBJ_RE.search(data, m.end())
        if end < 0 or (
            nxt is not None and nxt.start() < end and b"stream" not in data[m.end() : nxt.start()]
        ):
            continue  # cut off, or an object with no end
        objs[int(m.group(1))] = data[m.start() : end + 6]
    if not objs:
        return None
    pages: list[int] = []
    catalog: int | None = None
    for num, chunk in objs.items():
        head = chunk.split(b"stream", 1)[0]
        if _PAGE_RE.search(head):
            pages.append(num)
        elif _CATALOG_RE.search(head):
            catalog = num
    if not pages:
        return None
    top = max(objs)
    new_pages, new_catalog = top + 1, top + 2
    kids = b" ".join(b"%d 0 R" % n for n in pages)
    synthetic = {
        new_pages: b"%d 0 obj\n<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 612 792] >>\nendobj"
        % (new_pages, kids, len(pages)),
        new_catalog: b"%d 0 obj\n<< /Type /Catalog /Pages %d 0 R >>\nendobj"
        % (new_catalog, new_pages),
    }
    candidates = []
    roots = ([catalog] if catalog is not None else []) + [new_catalog]
    for root in roots:
        candidates.append(_assemble({**objs, **synthetic}, root))
    return candidates


def _assemble(objs: dict[int, bytes], root: int) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += objs[num] + b"\n"
    size = max(objs) + 1
    xref = len(out)
    out += b"xref\n0 %d\n" % size
    for num in range(size):
        if num in offsets:
            out += b"%010d 00000 n \n" % offsets[num]
        else:
            out += b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    return bytes(out)

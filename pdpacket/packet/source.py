"""A source PDF for the packet: a stored evidence file, the letter, the pages
pdpacket draws.

pypdf parses each file's cross-reference table and trailer; the objects the
packet needs are then read by ``pdf.reader``'s tokenizer straight from the
file's bytes (pypdf's object parser costs more than the rest of the build
together).  Any object the tokenizer is not sure about -- in an object stream,
encrypted, at a wrong offset, a stream whose /Length is off -- is read by pypdf
instead.  pypdf objects stay in this module: everything leaves it as the plain
values of ``pdf.syntax``.
"""

from __future__ import annotations

import base64
import io
import logging
import re
import zlib
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PdfStreamError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
)

from pdpacket.errors import IntegrityError, PdpacketError
from pdpacket.pdf.reader import Entry, Unusual, read_indirect, rotation, walk_pages
from pdpacket.pdf.syntax import NULL, Name, Raw, Ref

log = logging.getLogger("pdpacket.packet")
_NAME_CACHE: dict[str, bytes] = {}
# what pypdf raises on a damaged file (PyPdfError: e.g. a page tree that loops)
_READ_ERRORS = (PyPdfError, ValueError, KeyError, TypeError)


def _name(n: str) -> bytes:
    b = _NAME_CACHE.get(n)
    if b is None:
        b = NameObject(n).renumber()
        if len(_NAME_CACHE) < 50_000:
            _NAME_CACHE[n] = b
    return b


def from_pypdf(o: Any) -> Any:
    """A pypdf object as the plain values of ``pdf.syntax``."""
    t = type(o)
    if t is IndirectObject:
        return Ref(o.idnum, o.generation)
    if t is NameObject:
        return Name(_name(o))
    if isinstance(o, DictionaryObject):
        return {_name(k).decode("latin-1"): from_pypdf(v) for k, v in dict.items(o)}
    if isinstance(o, ArrayObject):
        return [from_pypdf(x) for x in o]
    if t is NumberObject:
        return Raw(b"%d" % o)
    if t is FloatObject:
        return Raw(o.myrepr().encode("ascii"))
    if t is BooleanObject:
        return Raw(b"true" if o else b"false")
    if isinstance(o, PdfObject) and not isinstance(o, NullObject):
        buf = io.BytesIO()
        o.write_to_stream(buf)
        return Raw(buf.getvalue())
    return NULL


def count_pages(pdf: bytes, what: str) -> int:
    """How many pages the PDF ``pdf`` has (``what`` names it in the error)."""
    try:
        return len(PdfReader(io.BytesIO(pdf), strict=False).pages)
    except (PdfReadError, PdfStreamError, ValueError, KeyError) as exc:
        raise PdpacketError(f"{what} is not a readable PDF ({exc}).") from exc


def _damaged(what: str, exc: Exception) -> IntegrityError:
    return IntegrityError(
        f"{what} cannot be read as a PDF any more ({exc}): the stored copy is damaged.",
        hint="Remove the file from the exhibit and add it again.",
    )


class Source:
    """One source PDF, its objects looked up by reference (``pdf.reader.ObjectSource``)."""

    def __init__(self, data: bytes, what: str) -> None:
        self.data = data
        self.what = what
        try:
            self.reader = PdfReader(io.BytesIO(data), strict=False)
            self.fast = not self.reader.is_encrypted
        except _READ_ERRORS as exc:
            raise _damaged(what, exc) from exc
        self._view = memoryview(data)
        self._cache: dict[Ref, Entry] = {}
        self._pages: list[dict[str, Any]] | None = None

    def get(self, ref: Ref) -> Entry:
        """The object ``ref`` names, and its stream data if it is a stream."""
        hit = self._cache.get(ref)
        if hit is None:
            if self.fast:
                try:
                    hit = self._read(ref)
                except (Unusual, ValueError, IndexError, RecursionError):
                    hit = None
            if hit is None:
                hit = self._read_with_pypdf(ref)
            self._cache[ref] = hit
        return hit

    def resolve(self, v: Any) -> Any:
        return self.get(v)[0] if type(v) is Ref else v

    def _read(self, ref: Ref) -> Entry:
        reader = self.reader
        if ref.idnum in reader.xref_objStm:
            raise Unusual
        offset = reader.xref.get(ref.gen, {}).get(ref.idnum)
        if offset is None:
            raise Unusual
        return read_indirect(self.data, self._view, offset, ref, lambda r: self.get(r)[0])

    def _read_with_pypdf(self, ref: Ref) -> Entry:
        try:
            obj = self.reader.get_object(IndirectObject(ref.idnum, ref.gen, self.reader))
        except (*_READ_ERRORS, AttributeError) as exc:
            log.warning("%s: object %d unreadable (%s); written as null", self.what, ref.idnum, exc)
            return NULL, None
        if isinstance(obj, StreamObject):
            return from_pypdf(obj), obj._data
        return from_pypdf(obj), None

    def pages(self, expected: int) -> list[dict[str, Any]]:
        """Every page dictionary, with the attributes it inherits filled in."""
        if self._pages is None:
            self._pages = self._find_pages(expected)
        return self._pages

    def _find_pages(self, expected: int) -> list[dict[str, Any]]:
        if self.fast:
            try:
                root = self.resolve(from_pypdf(dict.get(self.reader.trailer, "/Root")))
                found = walk_pages(self, root["/Pages"])
                if len(found) == expected:
                    return found
            except (Unusual, KeyError, TypeError, ValueError, RecursionError):
                pass
        try:
            return [from_pypdf(p) for p in self.reader.pages]
        except _READ_ERRORS as exc:
            raise _damaged(self.what, exc) from exc


def laid_out(
    src: Source, pages: list[dict[str, Any]], slots: tuple[tuple[int, int], ...]
) -> list[dict[str, Any]]:
    """A file's pages after page edits: ``slots`` are (stored page, quarter turns
    clockwise), the turn added to the page's own /Rotate."""
    out = []
    for index, turns in slots:
        page = pages[index]
        if turns % 4:
            page = dict(page)
            page["/Rotate"] = Raw(b"%d" % ((rotation(src, page) + 90 * turns) % 360))
        out.append(page)
    return out


def page_texts(data: bytes) -> list[str]:
    """The text of each page of a PDF pdpacket wrote itself (the drawn pages, the
    rendered letter), for checks on what it says; "" for a page pypdf cannot read."""
    out: list[str] = []
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        for page in reader.pages:
            try:
                out.append(page.extract_text() or "")
            except (PyPdfError, ValueError, KeyError) as exc:
                log.warning("cannot read the text of a page: %s", exc)
                out.append("")
    except (PdfReadError, PdfStreamError, PyPdfError, ValueError) as exc:
        log.warning("cannot read the text of a drawn document: %s", exc)
    return out


_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


def may_show(data: bytes, needle: bytes) -> bool:
    """Whether a PDF pdpacket wrote itself may print ``needle`` (ASCII, which its
    embedded fonts print unencoded): a quick look for it inside a string shown
    by a content stream, inflated, before the slow ``page_texts``.  False means
    it does not; True, that it may."""
    literal = rb"(?:[^()\\]|\\.)*"  # inside a PDF string
    shown = re.compile(
        rb"\(" + literal + re.escape(needle) + literal + rb"\)\s*(?:Tj|'|\"|[^\]]*\]\s*TJ)",
        re.S,
    )
    for m in _STREAM.finditer(data):
        content = _inflated(m.group(1))
        if needle in content and shown.search(content):
            return True
    return False


def _inflated(raw: bytes) -> bytes:
    """A stream as reportlab writes it (Flate, or ASCII85 over Flate), decoded
    as far as it goes; the raw bytes when it is neither."""
    text = raw.rstrip()
    if text.endswith(b"~>"):
        try:
            raw = base64.a85decode(text[:-2], adobe=False)
        except ValueError:
            return raw
    try:
        return zlib.decompressobj().decompress(raw)
    except zlib.error:
        return raw

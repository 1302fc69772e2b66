"""PDFs a client brings, made safe and uniform for a packet.

- Encryption (RC4, AES-128, AES-256): owner-password-only files open without
  asking; a user password is asked for (``PasswordRequiredError``) and a wrong
  one says so (``WrongPasswordError``).  The output is never encrypted.
- Damage: a file pypdf cannot read strictly is read leniently; if that fails too,
  the objects are scanned and a new page tree and trailer are written around
  them.  Pages whose content was lost are dropped and counted; the warning asks
  the user to compare with the original.  Nothing readable: refused.
- Forms and annotations are flattened: each visible widget's appearance (one is
  generated from the field value when the file only has values, i.e.
  NeedAppearances) is painted into the page, so viewers that ignore form
  appearances (QtPdf is one) and printers still show the values.
- JavaScript, OpenAction, Launch/URI actions, page and field /AA, embedded files
  and XMP/Info metadata are left behind: only page content is carried over.
- /Rotate and /UserUnit are baked into the content, so every page has /Rotate 0
  and shows what the viewer showed; pages that are not 8.5x11 are fitted onto a
  letter page without cropping (``keep_original_size`` keeps their own size).
"""

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

from pypdf import PasswordType, PdfReader, PdfWriter
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    RectangleObject,
    StreamObject,
)
from reportlab.pdfbase.pdfmetrics import stringWidth

from pdpacket.errors import IntakeError, PasswordRequiredError, WrongPasswordError
from pdpacket.model import NormalisedFile

log = logging.getLogger("pdpacket.pdfclean")

LETTER = (612.0, 792.0)
SIZE_TOLERANCE = 2.0  # points: a page this close to 8.5x11 is letter

# Page keys that are carried over; everything else (actions, thumbnails,
# metadata, structure references, transitions...) is dropped.
KEEP_PAGE_KEYS = {
    "/Type",
    "/Parent",
    "/Resources",
    "/Contents",
    "/MediaBox",
    "/CropBox",
    "/Rotate",
    "/UserUnit",
    "/Group",
}

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
def _pypdf_warnings() -> Iterator[_Collect]:
    _install_filter()
    previous = getattr(_collecting, "sink", None)
    sink = _Collect()
    _collecting.sink = sink
    try:
        yield sink
    finally:
        _collecting.sink = previous


# ---------------------------------------------------------------- entry point
def normalise_pdf(
    name: str, data: bytes, *, password: str | None = None, keep_original_size: bool = False
) -> NormalisedFile:
    with _pypdf_warnings():
        return _normalise(name, data, password, keep_original_size)


def _normalise(
    name: str, data: bytes, password: str | None, keep_original_size: bool
) -> NormalisedFile:
    reader, damage = _open(name, data, password)
    try:
        total = len(reader.pages)
    except Exception as exc:
        raise _damaged(name, exc) from exc
    if total == 0:
        raise IntakeError(name, "the PDF has no pages.", hint="Ask for a new copy of the document.")
    notes: list[str] = []
    acroform = _acroform(reader)
    if acroform is not None and "/XFA" in acroform:
        notes.append(
            f"{name} is an XFA form (Adobe LiveCycle): check that the pages show the "
            "filled-in form, not a 'please wait' message; if not, print it to PDF from "
            "Adobe Reader and add that file instead."
        )
    need_appearances = bool(acroform is not None and acroform.get("/NeedAppearances", False))
    hidden = hidden_layers(reader)
    dropped_layers = 0
    default_da = str(acroform.get("/DA", "")) if acroform is not None else ""
    writer = PdfWriter()
    lost: list[int] = []
    resized = 0
    for index in range(total):
        try:
            page = reader.pages[index]
            content = _content_bytes(page)
        except Exception as exc:
            log.info("%s: page %d unreadable: %s", name, index + 1, exc)
            lost.append(index + 1)
            continue
        if damage.recovered and not content.strip():
            lost.append(index + 1)
            continue
        content_changed = False
        if hidden:
            try:
                content, cut = drop_hidden_content(page, content, hidden)
            except Exception as exc:  # an odd content stream keeps its layers
                log.info("%s: page %d: hidden layers not removed: %s", name, index + 1, exc)
                cut = 0
            content_changed = cut > 0
            dropped_layers += cut
        try:
            changed = _copy_page(
                writer,
                page,
                content,
                index,
                need_appearances,
                default_da,
                keep_original_size,
                content_changed=content_changed,
                hidden=hidden,
            )
        except Exception as exc:
            if not damage.recovered:
                raise _damaged(name, exc) from exc
            log.info("%s: page %d could not be copied: %s", name, index + 1, exc)
            lost.append(index + 1)
            continue
        resized += changed
    kept = len(writer.pages)
    if kept == 0:
        raise IntakeError(
            name,
            f"the PDF is damaged: none of its {total} pages could be read.",
            hint="Ask for a new copy of the document (download it again, or re-scan it).",
        )
    if damage.recovered or lost:
        detail = f"recovered {kept} of {total} pages"
        if lost:
            detail += f" (lost: page{'s' if len(lost) > 1 else ''} {_ranges(lost)})"
        notes.insert(
            0,
            f"{name} is damaged; {detail}. Compare the pages with the original, "
            "and ask for a new copy if anything is missing.",
        )
    scrub(writer)
    writer.metadata = None  # no /Info: nothing of the source's Author/Producer/Title
    if dropped_layers:
        notes.append(
            f"{name} has content on hidden layers ({dropped_layers} "
            f"part{'s' if dropped_layers > 1 else ''}); it was left out, as viewers do not "
            "show it. If it matters, ask for a copy with the layers shown."
        )
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    log.info("%s: %d pages (%d resized or turned)", name, kept, resized)
    return NormalisedFile(
        pdf=out.getvalue(),
        pages=kept,
        kind="pdf",
        warnings=tuple(notes),
        recovered=damage.recovered or bool(lost),
    )


def _ranges(nums: list[int]) -> str:
    parts: list[str] = []
    start = prev = nums[0]
    for n in [*nums[1:], -1]:
        if n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(parts)


def _damaged(name: str, exc: BaseException) -> IntakeError:
    return IntakeError(
        name,
        f"the PDF is damaged and cannot be read ({exc.__class__.__name__}: {exc}).",
        hint="Ask for a new copy of the document (download it again, or re-scan it).",
    )


# ---------------------------------------------------------------- opening
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


def _open(name: str, data: bytes, password: str | None) -> tuple[PdfReader, _Damage]:
    try:
        reader = PdfReader(io.BytesIO(data), strict=True)
        _unlock(name, reader, password)
        _touch_pages(reader)
        return reader, _Damage()
    except (PasswordRequiredError, WrongPasswordError, IntakeError):
        raise
    except _READ_ERRORS as exc:
        log.info("%s: strict reading failed (%s); trying lenient reading", name, exc)
    with _pypdf_warnings() as seen:  # a fresh list: what lenient reading complains of
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
    raise _damaged(name, first_error)


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


def _acroform(reader: PdfReader) -> DictionaryObject | None:
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


# ---------------------------------------------------------------- pages
def _content_bytes(page: Any) -> bytes:
    contents = page.get_contents()
    return b"" if contents is None else bytes(contents.get_data())


def _num(v: float) -> bytes:
    if abs(v - round(v)) < 1e-6:
        return b"%d" % round(v)
    return (b"%.5f" % v).rstrip(b"0").rstrip(b".")


def _box(page: Any) -> tuple[float, float, float, float]:
    """The visible area (CropBox within MediaBox), normalised."""
    mb = [float(v) for v in page.mediabox]
    try:
        cb = [float(v) for v in page.cropbox]
    except Exception:
        cb = mb
    mx0, my0, mx1, my1 = min(mb[0], mb[2]), min(mb[1], mb[3]), max(mb[0], mb[2]), max(mb[1], mb[3])
    cx0, cy0, cx1, cy1 = min(cb[0], cb[2]), min(cb[1], cb[3]), max(cb[0], cb[2]), max(cb[1], cb[3])
    x0, y0, x1, y1 = max(mx0, cx0), max(my0, cy0), min(mx1, cx1), min(my1, cy1)
    if x1 - x0 < 1 or y1 - y0 < 1:
        x0, y0, x1, y1 = mx0, my0, mx1, my1
    if x1 - x0 < 1 or y1 - y0 < 1:
        x0, y0, x1, y1 = 0.0, 0.0, *LETTER
    return x0, y0, x1, y1


def page_transform(
    box: tuple[float, float, float, float],
    rotate: int,
    user_unit: float,
    keep_original_size: bool,
) -> tuple[tuple[float, float, float, float, float, float], tuple[float, float]]:
    """The matrix that draws the page as displayed (rotation baked in) on the new
    page, and that page's size."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    rotate %= 360
    # user space -> upright display space (origin at the displayed bottom-left)
    r: tuple[float, float, float, float, float, float]
    if rotate == 90:
        r, dw, dh = (0, -1, 1, 0, -y0, w + x0), h, w
    elif rotate == 180:
        r, dw, dh = (-1, 0, 0, -1, w + x0, h + y0), w, h
    elif rotate == 270:
        r, dw, dh = (0, 1, -1, 0, h + y0, -x0), h, w
    else:
        r, dw, dh = (1, 0, 0, 1, -x0, -y0), w, h
    u = user_unit if user_unit > 0 else 1.0
    dw, dh = dw * u, dh * u
    if keep_original_size:
        s, page, tx, ty = u, (dw, dh), 0.0, 0.0
    else:
        fit = min(LETTER[0] / dw, LETTER[1] / dh)
        near_letter = (
            abs(dw - LETTER[0]) <= SIZE_TOLERANCE and abs(dh - LETTER[1]) <= SIZE_TOLERANCE
        )
        k = 1.0 if near_letter else min(fit, 1.0) if (dw <= LETTER[0] and dh <= LETTER[1]) else fit
        s = u * k
        page = LETTER
        tx, ty = (LETTER[0] - dw * k) / 2, (LETTER[1] - dh * k) / 2
        if near_letter:
            tx = ty = 0.0
    a, b, c, d, e, f = r
    return (a * s, b * s, c * s, d * s, e * s + tx, f * s + ty), page


def _copy_page(
    writer: PdfWriter,
    page: Any,
    content: bytes,
    index: int,
    need_appearances: bool,
    default_da: str,
    keep_original_size: bool,
    *,
    content_changed: bool = False,
    hidden: frozenset[tuple[int, int]] = frozenset(),
) -> int:
    annots = []
    raw_annots = page.get("/Annots")
    if raw_annots is not None:
        try:
            annots = [a.get_object() for a in raw_annots.get_object()]
        except Exception:
            annots = []
    if hidden:  # annotations on a hidden layer stay hidden
        annots = [a for a in annots if not _oc_hidden(a.get("/OC"), hidden)]
    box = _box(page)
    rotate = int(page.get("/Rotate", 0) or 0) if "/Rotate" in page else int(page.rotation or 0)
    user_unit = float(page.get("/UserUnit", 1) or 1)
    for key in list(page.keys()):
        if key not in KEEP_PAGE_KEYS:
            del page[key]
    wpage = writer.add_page(page)
    flat_ops = _flatten(writer, wpage, annots, index, need_appearances, default_da)
    _strip_resource_metadata(wpage)
    matrix, size = page_transform(box, rotate, user_unit, keep_original_size)
    x0, y0, x1, y1 = box
    identity = matrix == (1, 0, 0, 1, 0, 0) and size == (x1 - x0, y1 - y0) and (x0, y0) == (0, 0)
    if identity and not flat_ops and not content_changed:
        new_content = None
    elif identity and not flat_ops:
        new_content = content
    else:
        cm = b" ".join(_num(v) for v in matrix)
        clip = b" ".join(_num(v) for v in (x0, y0, x1 - x0, y1 - y0))
        new_content = (
            b"q " + cm + b" cm " + clip + b" re W n\nq\n" + content + b"\nQ\n" + flat_ops + b"Q\n"
        )
    if new_content is not None:
        stream = ContentStream(None, writer)
        stream.set_data(new_content)
        wpage.replace_contents(stream)
    wpage[NameObject("/MediaBox")] = RectangleObject([0, 0, size[0], size[1]])
    for key in ("/CropBox", "/Rotate", "/UserUnit"):
        if key in wpage:
            del wpage[key]
    wpage.compress_content_streams()
    return 0 if identity else 1


# Keys that carry actions, scripts, attachments, metadata or document structure.
# Pages never need them; a damaged or hostile file can make page resources point at
# objects that have them (e.g. a reference bent to the catalog).
SCRUB_KEYS = {
    "/OpenAction", "/AA", "/JS", "/JavaScript", "/Names", "/EmbeddedFiles", "/EF",
    "/EmbeddedFile", "/Metadata", "/AcroForm", "/URI", "/Launch", "/Outlines", "/Threads",
    "/PieceInfo", "/Annots", "/StructTreeRoot", "/Dests", "/Collection", "/Perms",
    "/Author", "/Title", "/Subject", "/Keywords", "/Creator", "/Producer", "/Info",
}  # fmt: skip
# Objects no page content needs: a reference to one is replaced by null.
SCRUB_TYPES = {
    "/Catalog", "/Pages", "/Page", "/Annot", "/Filespec", "/EmbeddedFile", "/Metadata",
    "/Action", "/Outlines", "/Sig", "/Names",
}  # fmt: skip
SCRUB_ACTIONS = {
    "/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
    "/Rendition", "/ResetForm", "/Sound", "/Movie", "/Hide", "/Named", "/GoTo", "/Thread",
}  # fmt: skip


def scrub(writer: PdfWriter) -> int:
    """Walk everything the output pages reach and cut what a page must not carry
    (see ``SCRUB_KEYS``/``SCRUB_TYPES``/``SCRUB_ACTIONS``).  Returns how many cuts."""
    own_pages = {id(p.get_object()) for p in writer.pages}
    seen: set[int] = set()
    cuts = 0

    def unwanted(value: Any) -> bool:
        if not isinstance(value, DictionaryObject) or id(value) in own_pages:
            return False
        return value.get("/Type") in SCRUB_TYPES or value.get("/S") in SCRUB_ACTIONS

    stack: list[Any] = [p.get_object() for p in writer.pages]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, DictionaryObject):
            for key in list(obj.keys()):
                if key in SCRUB_KEYS:
                    del obj[key]
                    cuts += 1
                    continue
                if key == "/Parent" and id(obj) in own_pages:
                    continue
                child = obj[key].get_object() if obj[key] is not None else None
                if unwanted(child):
                    obj[NameObject(key)] = NullObject()
                    cuts += 1
                elif isinstance(child, (DictionaryObject, ArrayObject)):
                    stack.append(child)
        elif isinstance(obj, ArrayObject):
            for i, item in enumerate(obj):
                child = item.get_object() if item is not None else None
                if unwanted(child):
                    obj[i] = NullObject()
                    cuts += 1
                elif isinstance(child, (DictionaryObject, ArrayObject)):
                    stack.append(child)
    if cuts:
        log.info("scrubbed %d references to actions, scripts, attachments or metadata", cuts)
    return cuts


def _strip_resource_metadata(page: Any) -> None:
    try:
        res = page.get("/Resources")
        xobjs = res.get_object().get("/XObject") if res is not None else None
        if xobjs is None:
            return
        for ref in xobjs.get_object().values():
            obj = ref.get_object()
            for key in ("/Metadata", "/PieceInfo"):
                if key in obj:
                    del obj[key]
    except Exception as exc:  # metadata removal must never lose a page
        log.debug("resource metadata not stripped: %s", exc)


# ---------------------------------------------------------------- hidden layers
def hidden_layers(reader: PdfReader) -> frozenset[tuple[int, int]]:
    """The optional-content groups (layers) the file shows as OFF: their content is
    dropped, because the packet does not carry the layer settings that hid it."""
    try:
        root: Any = reader.trailer["/Root"].get_object()
        props = root.get("/OCProperties")
        if props is None:
            return frozenset()
        props = props.get_object()
        config = props.get("/D")
        config = config.get_object() if config is not None else DictionaryObject()

        def refs(key: Any, where: Any) -> set[tuple[int, int]]:
            out: set[tuple[int, int]] = set()
            arr = where.get(key)
            for item in arr.get_object() if arr is not None else []:
                if isinstance(item, IndirectObject):
                    out.add((item.idnum, item.generation))
            return out

        every = refs("/OCGs", props)
        on, off = refs("/ON", config), refs("/OFF", config)
        if config.get("/BaseState") == "/OFF":
            return frozenset((every - on) | off)
        return frozenset(off)
    except Exception as exc:  # damaged layer settings: keep everything visible
        log.info("optional content settings unreadable: %s", exc)
        return frozenset()


def _oc_hidden(oc: Any, hidden: frozenset[tuple[int, int]]) -> bool:
    """Is this /OC value (an OCG or an OCMD) hidden with the default settings?"""
    if oc is None:
        return False
    if isinstance(oc, IndirectObject):
        if (oc.idnum, oc.generation) in hidden:
            return True
        oc = oc.get_object()
    if not isinstance(oc, DictionaryObject) or oc.get("/Type") != "/OCMD":
        return False
    groups = oc.get("/OCGs")
    groups = groups.get_object() if groups is not None else None
    members = list(groups) if isinstance(groups, ArrayObject) else [groups] if groups else []
    states = [
        not (isinstance(g, IndirectObject) and (g.idnum, g.generation) in hidden) for g in members
    ]
    if not states:
        return False
    policy = oc.get("/P", "/AnyOn")
    if policy == "/AllOn":
        return not all(states)
    if policy == "/AnyOff":
        return all(states)
    if policy == "/AllOff":
        return any(states)
    return not any(states)  # /AnyOn


def drop_hidden_content(
    page: Any, content: bytes, hidden: frozenset[tuple[int, int]]
) -> tuple[bytes, int]:
    """``content`` without its marked-content sections and XObjects on hidden layers.
    Returns the new content and how many pieces were dropped."""
    res = page.get("/Resources")
    res = res.get_object() if res is not None else DictionaryObject()
    props = res.get("/Properties")
    props = props.get_object() if props is not None else DictionaryObject()
    xobjects = res.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else DictionaryObject()
    stream = DecodedStreamObject()
    stream.set_data(content)
    ops = ContentStream(stream, None).operations
    kept: list[Any] = []
    depth_hidden = 0  # >0: inside a hidden section (counting nested sections)
    dropped = 0
    for operands, operator in ops:
        if depth_hidden:
            if operator in (b"BDC", b"BMC"):
                depth_hidden += 1
            elif operator == b"EMC":
                depth_hidden -= 1
            continue
        if operator == b"BDC" and len(operands) == 2 and operands[0] == "/OC":
            oc = operands[1]
            if not isinstance(oc, DictionaryObject):
                oc = props.raw_get(oc) if oc in props else None
            if _oc_hidden(oc, hidden):
                depth_hidden = 1
                dropped += 1
                continue
        if operator == b"Do" and operands and operands[0] in xobjects:
            xo = xobjects[operands[0]].get_object()
            if isinstance(xo, DictionaryObject) and _oc_hidden(
                xo.raw_get("/OC") if "/OC" in xo else None, hidden
            ):
                dropped += 1
                continue
        kept.append((operands, operator))
    if not dropped:
        return content, 0
    out = ContentStream(None, None)
    out.operations = kept
    return bytes(out.get_data()), dropped


# ---------------------------------------------------------------- flattening
FLAG_HIDDEN = 2
FLAG_PRINT = 4
FLAG_NOVIEW = 32
FF_MULTILINE = 1 << 12
FF_PASSWORD = 1 << 13


def _inherited(annot: Any, key: str) -> Any:
    node = annot
    for _ in range(32):
        if node is None:
            return None
        if key in node:
            return node[key].get_object() if hasattr(node[key], "get_object") else node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def _flatten(
    writer: PdfWriter,
    wpage: Any,
    annots: list[Any],
    index: int,
    need_appearances: bool,
    default_da: str,
) -> bytes:
    """Paint each visible annotation's appearance into the page; return the operators."""
    ops = bytearray()
    xobjects: dict[str, IndirectObject] = {}
    for n, annot in enumerate(annots):
        try:
            ref = _appearance(writer, annot, need_appearances, default_da)
            if ref is None:
                continue
            draw = _placement(ref.get_object(), annot)
            if draw is None:
                continue
            key = f"/PdpFlat{index}_{n}"
            xobjects[key] = ref
            ops += b"q " + b" ".join(_num(v) for v in draw) + b" cm " + key.encode() + b" Do Q\n"
        except Exception as exc:  # one odd annotation must not lose the page
            log.info("page %d: annotation %d not flattened: %s", index + 1, n, exc)
    if xobjects:
        res = wpage.get("/Resources")
        if res is None:
            res = DictionaryObject()
            wpage[NameObject("/Resources")] = res
        res = res.get_object()
        xo = res.get("/XObject")
        if xo is None:
            xo = DictionaryObject()
            res[NameObject("/XObject")] = xo
        xo = xo.get_object()
        for key, ref in xobjects.items():
            xo[NameObject(key)] = ref
    return bytes(ops)


def _appearance(
    writer: PdfWriter, annot: Any, need_appearances: bool, default_da: str
) -> IndirectObject | None:
    flags = int(annot.get("/F", 0) or 0)
    subtype = annot.get("/Subtype")
    if flags & (FLAG_HIDDEN | FLAG_NOVIEW) or subtype in ("/Popup", "/Link"):
        return None
    is_widget = subtype == "/Widget"
    if not is_widget and not flags & FLAG_PRINT:
        return None  # comments that would not print either
    normal = None
    ap = annot.get("/AP")
    if ap is not None:
        normal = ap.get_object().get("/N")
        normal = normal.get_object() if normal is not None else None
        if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
            state = annot.get("/AS")
            chosen = normal.get(state) if state is not None else None
            normal = chosen.get_object() if chosen is not None else None
    if is_widget:
        ft = _inherited(annot, "/FT")
        if ft in ("/Tx", "/Ch") and (normal is None or need_appearances):
            generated = _text_appearance(annot, default_da)
            if generated is not None:
                return writer._add_object(generated)
            if need_appearances:
                return None
        if ft == "/Btn" and normal is None:
            generated = _check_appearance(annot)
            return writer._add_object(generated) if generated is not None else None
    if not isinstance(normal, StreamObject):
        return None
    clone = normal.clone(writer)
    if "/Subtype" not in clone:
        clone[NameObject("/Subtype")] = NameObject("/Form")
    if "/BBox" not in clone:
        return None
    ref = clone.indirect_reference
    return ref if isinstance(ref, IndirectObject) else writer._add_object(clone)


def _placement(form: Any, annot: Any) -> tuple[float, ...] | None:
    """The matrix that puts the form's transformed BBox onto the annotation's Rect."""
    rect = [float(v) for v in annot["/Rect"]]
    rx0, ry0, rx1, ry1 = (
        min(rect[0], rect[2]),
        min(rect[1], rect[3]),
        max(rect[0], rect[2]),
        max(rect[1], rect[3]),
    )
    bbox = [float(v) for v in form["/BBox"]]
    m = [float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0])]
    xs, ys = [], []
    for x, y in ((bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])):
        xs.append(m[0] * x + m[2] * y + m[4])
        ys.append(m[1] * x + m[3] * y + m[5])
    bw, bh = max(xs) - min(xs), max(ys) - min(ys)
    if bw < 1e-6 or bh < 1e-6 or rx1 - rx0 < 1e-6 or ry1 - ry0 < 1e-6:
        return None
    sx, sy = (rx1 - rx0) / bw, (ry1 - ry0) / bh
    return (sx, 0.0, 0.0, sy, rx0 - min(xs) * sx, ry0 - min(ys) * sy)


_DA_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s+Tf")
_DA_COLOR = re.compile(r"((?:-?\d*\.?\d+\s+){0,3}-?\d*\.?\d+)\s+(g|rg|k)\b")


def _field_value(annot: Any) -> str:
    value = _inherited(annot, "/V")
    if value is None:
        return ""
    items = [str(v.get_object()) for v in value] if isinstance(value, ArrayObject) else [str(value)]
    opts = _inherited(annot, "/Opt")
    if isinstance(opts, ArrayObject):  # export value -> the text shown
        shown = {}
        for opt in opts:
            opt = opt.get_object()
            if isinstance(opt, ArrayObject) and len(opt) >= 2:
                shown[str(opt[0].get_object())] = str(opt[1].get_object())
        items = [shown.get(i, i) for i in items]
    text = ", ".join(i for i in items if i)
    return "" if text.startswith("/") else text  # a name (/Off) is not text


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _text_appearance(annot: Any, default_da: str) -> StreamObject | None:
    flags = int(_inherited(annot, "/Ff") or 0)
    text = (
        "" if flags & FF_PASSWORD else _field_value(annot).replace("\r\n", "\n").replace("\r", "\n")
    )
    if not text.strip():
        return None
    rect = [float(v) for v in annot["/Rect"]]
    w, h = abs(rect[2] - rect[0]), abs(rect[3] - rect[1])
    da = str(_inherited(annot, "/DA") or default_da or "")
    m = _DA_SIZE.search(da)
    size = float(m.group(1)) if m else 0.0
    colors = _DA_COLOR.findall(da)
    color = (colors[-1][0] + " " + colors[-1][1]) if colors else "0 g"
    multiline = bool(flags & FF_MULTILINE) or "\n" in text
    font = "Helvetica"
    pad = 2.0
    if multiline:
        size = size or 10.0
        lines = _wrap(text, font, size, w - 2 * pad)
    else:
        lines = [text]
        if not size:
            size = min(12.0, max(4.0, (h - 2 * pad) * 0.75))
        width = stringWidth(text, font, size)
        if width > w - 2 * pad and width > 0:
            size = max(4.0, size * (w - 2 * pad) / width)
    quad = int(_inherited(annot, "/Q") or 0)
    leading = size * 1.15
    out = [
        b"/Tx BMC q",
        b"%s %s %s %s re W n" % (_num(1), _num(1), _num(max(w - 2, 0)), _num(max(h - 2, 0))),
    ]
    out.append(b"BT /Helv " + _num(size) + b" Tf " + color.encode("ascii", "ignore"))
    y = (h - size) / 2 + size * 0.22 if not multiline else h - pad - size * 0.9
    for line in lines:
        lw = stringWidth(line, font, size)
        x = pad if quad == 0 else (w - lw) / 2 if quad == 1 else w - pad - lw
        out.append(b"1 0 0 1 %s %s Tm (%s) Tj" % (_num(x), _num(y), _escape(line)))
        y -= leading
    out.append(b"ET Q EMC")
    stream = DecodedStreamObject()
    stream.set_data(b"\n".join(out))
    font_dict = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), FloatObject(w), FloatObject(h)]
            ),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/Font"): DictionaryObject({NameObject("/Helv"): font_dict})}
            ),
        }
    )
    return stream


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}" if line else word
            if line and stringWidth(trial, font, size) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _check_appearance(annot: Any) -> StreamObject | None:
    """A tick for a checked box that has no appearance of its own."""
    state = annot.get("/AS") or _inherited(annot, "/V")
    if state is None or str(state) in ("/Off", "Off", ""):
        return None
    rect = [float(v) for v in annot["/Rect"]]
    w, h = abs(rect[2] - rect[0]), abs(rect[3] - rect[1])
    size = min(w, h) * 0.8
    stream = DecodedStreamObject()
    stream.set_data(
        b"q BT /ZaDb %s Tf 0 g 1 0 0 1 %s %s Tm (4) Tj ET Q"
        % (_num(size), _num((w - size * 0.85) / 2), _num((h - size * 0.7) / 2))
    )
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), FloatObject(w), FloatObject(h)]
            ),
            NameObject("/Resources"): DictionaryObject(
                {
                    NameObject("/Font"): DictionaryObject(
                        {
                            NameObject("/ZaDb"): DictionaryObject(
                                {
                                    NameObject("/Type"): NameObject("/Font"),
                                    NameObject("/Subtype"): NameObject("/Type1"),
                                    NameObject("/BaseFont"): NameObject("/ZapfDingbats"),
                                }
                            )
                        }
                    )
                }
            ),
        }
    )
    return stream


__all__ = ["normalise_pdf", "page_transform", "rebuild_pdf"]

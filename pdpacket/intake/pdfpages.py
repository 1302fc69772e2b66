"""Normalising a page: /Rotate and /UserUnit baked into the content, fitted
onto a letter page, and copied with only the keys a page needs."""

from __future__ import annotations

from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    IndirectObject,
    NameObject,
    NullObject,
    RectangleObject,
)

from pdpacket.intake.pdfforms import flatten
from pdpacket.intake.pdfscrub import oc_hidden, strip_resource_metadata
from pdpacket.pdf.syntax import number

LETTER = (612.0, 792.0)
SIZE_TOLERANCE = 2.0  # points: a page this close to 8.5x11 is letter
LANDSCAPE_RATIO = 1.02  # wider than tall by more than this: turned (as ``pdf.stamps``)

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


def content_bytes(page: Any) -> bytes:
    contents = page.get_contents()
    return b"" if contents is None else bytes(contents.get_data())


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
    if not keep_original_size and dw > dh * LANDSCAPE_RATIO:
        # a landscape page (a pay stub): turned a quarter counter-clockwise, its top
        # to the left, as the packet turns one (``pdf.stamps.place``), so it fills
        # the letter page instead of shrinking to ~77 % across it
        a, b, c, d, e, f = r
        r = (-b, a, -d, c, -f + dh / u, e)
        dw, dh = dh, dw
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


def copy_page(
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
    shared: frozenset[int] = frozenset(),
    lost_annots: set[str] | None = None,
) -> int:
    annots = []
    raw_annots = page.get("/Annots")
    if raw_annots is not None:
        try:
            annots = [a.get_object() for a in raw_annots.get_object()]
        except Exception:
            annots = []
    if hidden:  # annotations on a hidden layer stay hidden
        annots = [a for a in annots if not oc_hidden(a.get("/OC"), hidden)]
    box = _box(page)
    rotate = int(page.get("/Rotate", 0) or 0) if "/Rotate" in page else int(page.rotation or 0)
    user_unit = float(page.get("/UserUnit", 1) or 1)
    for key in list(page.keys()):
        if key not in KEEP_PAGE_KEYS:
            del page[key]
    wpage = writer.add_page(page)
    flat_ops = flatten(writer, wpage, annots, index, need_appearances, default_da, lost_annots)
    strip_resource_metadata(wpage)
    matrix, size = page_transform(box, rotate, user_unit, keep_original_size)
    x0, y0, x1, y1 = box
    identity = matrix == (1, 0, 0, 1, 0, 0) and size == (x1 - x0, y1 - y0) and (x0, y0) == (0, 0)
    new_content: bytes | None = None
    if not identity or flat_ops:
        cm = b" ".join(number(v, 5) for v in matrix)
        clip = b" ".join(number(v, 5) for v in (x0, y0, x1 - x0, y1 - y0))
        new_content = (
            b"q " + cm + b" cm " + clip + b" re W n\nq\n" + content + b"\nQ\n" + flat_ops + b"Q\n"
        )
    own = bool(_refs(page.raw_get("/Contents") if "/Contents" in page else None) & shared)
    if new_content is None and content_changed:
        new_content = content
    if own:
        _own_contents(writer, wpage, content if new_content is None else new_content)
    else:
        if new_content is not None:
            stream = ContentStream(None, writer)
            stream.set_data(new_content)
            wpage.replace_contents(stream)
        wpage.compress_content_streams()
    wpage[NameObject("/MediaBox")] = RectangleObject([0, 0, size[0], size[1]])
    for key in ("/CropBox", "/Rotate", "/UserUnit"):
        if key in wpage:
            del wpage[key]
    return 0 if identity else 1


def _refs(contents: Any) -> set[int]:
    """The object numbers a page's /Contents is made of (the array and its parts)."""
    refs = {contents.idnum} if isinstance(contents, IndirectObject) else set()
    parts = contents.get_object() if contents is not None else None
    if isinstance(parts, ArrayObject):
        refs |= {r.idnum for r in parts if isinstance(r, IndirectObject)}
    return refs


def shared_contents(reader: Any) -> frozenset[int]:
    """Content objects that more than one page of ``reader`` draws with."""
    seen: set[int] = set()
    shared: set[int] = set()
    for n in range(len(reader.pages)):
        try:
            refs = _refs(reader.pages[n].raw_get("/Contents"))
        except Exception:  # an unreadable page is dealt with when it is copied
            continue
        shared |= refs & seen
        seen |= refs
    return frozenset(shared)


def _own_contents(writer: PdfWriter, wpage: Any, data: bytes) -> None:
    """Give the page a content stream of its own.  Pages of a source PDF may share
    one stream (or the streams of one array), each with its own /Rotate: editing
    the shared object in place (as pypdf's replace_contents does) would give every
    page the last page's orientation, or null the others' parts."""
    stream = ContentStream(None, writer)
    stream.set_data(data)
    if "/Contents" in wpage:
        # the copied stream(s) are left to no page: every page gets its own
        old = wpage.raw_get("/Contents")
        refs = [old] if isinstance(old, IndirectObject) else []
        parts = old.get_object()
        if isinstance(parts, ArrayObject):
            refs += [r for r in parts if isinstance(r, IndirectObject)]
        for ref in refs:
            writer._replace_object(ref, NullObject())
        del wpage[NameObject("/Contents")]
    wpage[NameObject("/Contents")] = writer._add_object(stream.flate_encode())


# Keys that carry actions, scripts, attachments, metadata or document structure.
# Pages never need them; a damaged or hostile file can make page resources point at
# objects that have them (e.g. a reference bent to the catalog).

"""Sizes, for splitting a packet into parts.

Estimates in bytes of what each piece adds to a file, made before writing so
the parts can be planned; ``pdpacket.packet.editions`` then measures the files
as written and plans again when one came out over its limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pdpacket.packet import draw as layout
from pdpacket.packet.context import BuildContext, Segment
from pdpacket.packet.source import Source, laid_out
from pdpacket.pdf.images import ImageHook, recode_image
from pdpacket.pdf.syntax import Ref
from pdpacket.pdf.writer import DROP_KEYS, NOT_COPIED_TYPES

PAGE_OVERHEAD = 420  # what the writer adds per page: page dict, placement, stamp, xref
DRAWN_PAGE = 3_500  # a page pdpacket draws (text; its fonts are counted once per file)
_OBJECT_OVERHEAD = 90  # an object's number, dictionary and xref entry
_NOT_FOLLOWED = frozenset({"/Parent", "/Annots", "/B", "/Thumb", *DROP_KEYS})


FILE_OVERHEAD = 116_000  # ``measure_file_overhead()`` was 112,079 (reportlab 4, Liberation 2)


def file_overhead() -> int:
    """What every file of a split packet carries besides its pages: the fonts of
    the drawn pages and the stamps, the catalog, page tree and trailer.  A
    constant (drawing sample pages to measure it costs 5 % of a build); a test
    keeps it within 10 % of ``measure_file_overhead``, and the files are measured
    as written anyway."""
    return FILE_OVERHEAD


def measure_file_overhead() -> int:
    """Draw sample pages with every font and measure them."""
    caption = layout.Caption("Áéíóú Ñandú Çedilla Sample Name", "A000-000-000", ("Court",), True)
    d = layout.Drawing("Sample")
    d.add_cover(layout.CoverInfo(caption, "REQUEST", "Form", True, ("Attorney",), "Judge"))
    row = layout.IndexRow("A", "Title", "Description", "01/01/2026", "1-2", part="1")
    d.add_index(layout.IndexInfo(caption, (row,), note="Note", part_column=True))
    d.add_tab(layout.TabInfo("A", "Title", "Description", "Date", "Section", ("F",)))
    d.add_translator_certificate(
        layout.TranslatorCertificateInfo("A", "Name", "Address", "Phone", "Spanish", ("Doc",))
    )
    d.add_blank()
    d.add_font_carrier()
    return len(d.finish().pdf) + 4_096


def _blob_size(ctx: BuildContext, sha: str) -> int:
    try:
        return ctx.store.blobs.path(sha).stat().st_size
    except OSError:
        return len(ctx.store.blobs.read(sha))


def segment_size(ctx: BuildContext, s: Segment) -> int:
    """Estimated bytes of segment ``s`` (whole files: their stored size)."""
    if s.drawn:
        return (DRAWN_PAGE + PAGE_OVERHEAD) * s.pages
    if s.letter_pdf:
        return len(ctx.letter_pdf) + PAGE_OVERHEAD * s.pages
    size = _blob_size(ctx, s.blob)
    if s.stored and s.slots:  # page edits: the pages it keeps, in proportion
        size = size * len(s.slots) // s.stored
    return size + PAGE_OVERHEAD * s.pages


@dataclass(frozen=True)
class PageSizes:
    """Estimated bytes of each page of a file: ``own`` what it adds where it
    first appears, ``again`` what it needs again when a part starts at it
    (objects it shares with earlier pages: fonts, a repeated logo...)."""

    own: tuple[int, ...]
    again: tuple[int, ...]


def page_sizes(ctx: BuildContext, s: Segment, cache: dict[str, PageSizes]) -> PageSizes:
    """Per-page estimates for the pages of segment ``s`` (the file is parsed; with
    an image hook, images count at their re-encoded size)."""
    if not s.blob:
        per = segment_size(ctx, s) // max(1, s.pages)
        return PageSizes((per,) * s.pages, (0,) * s.pages)
    key = f"{s.blob}|{s.slots}"
    whole = cache.get(key)
    if whole is None:
        whole = cache[key] = _file_page_sizes(ctx, s)
    end = s.skip + s.pages
    return PageSizes(whole.own[s.skip : end], whole.again[s.skip : end])


def _file_page_sizes(ctx: BuildContext, s: Segment) -> PageSizes:
    total = s.stored or s.of or s.pages
    src = Source(ctx.store.blobs.read(s.blob), s.title or "A stored file")
    pages = src.pages(total)
    if s.slots:
        pages = laid_out(src, pages, s.slots)
    sizes: dict[Ref, int] = {}
    seen: set[Ref] = set()
    own: list[int] = []
    again: list[int] = []
    for page in pages:
        reach: set[Ref] = set()
        _reachable(src, page, reach, ctx.image_hook, sizes)
        own.append(PAGE_OVERHEAD + sum(sizes[r] for r in reach - seen))
        again.append(sum(sizes[r] for r in reach & seen))
        seen |= reach
        ctx.cancel.raise_if_cancelled()
    return PageSizes(tuple(own), tuple(again))


def _reachable(
    src: Source, value: Any, reach: set[Ref], hook: ImageHook | None, sizes: dict[Ref, int]
) -> None:
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is Ref:
            if v in reach:
                continue
            reach.add(v)
            obj, stream = src.get(v)
            if v not in sizes:
                n = _OBJECT_OVERHEAD
                if stream is not None:
                    n += len(stream)
                    if hook is not None and type(obj) is dict and obj.get("/Subtype") == b"/Image":
                        _obj, recoded = recode_image(src, obj, stream, hook)
                        n += len(recoded) - len(stream)
                sizes[v] = n
            if type(obj) is dict and obj.get("/Type") in NOT_COPIED_TYPES:
                continue
            stack.append(obj)
        elif t is dict:
            stack.extend(x for k, x in v.items() if k not in _NOT_FOLLOWED)
        elif t is list:
            stack.extend(v)

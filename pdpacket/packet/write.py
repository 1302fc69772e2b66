"""Step 4, write: every page copied once into a temporary file next to the
target, placed, wrapped in q/Q and stamped, with bookmarks, index links and
page labels.

The writer streams: each source PDF is read, its pages' objects are written
straight to the output and it is dropped, so memory stays flat however long
the packet.  Stamping appends one small content stream per page that uses one
shared, embedded font; page content is never parsed (see ``pdf.stamps`` for
why pages are fitted above the stamp band).  Output is byte-for-byte
reproducible for the same case and options: fixed dates from the options,
object numbers in reading order, and a document /ID that is a hash of the inputs.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pdpacket._version import __version__
from pdpacket.errors import IntegrityError
from pdpacket.model import BuildOptions, NumberingStyle
from pdpacket.model.text import OcrStatus, Word
from pdpacket.packet import draw as layout
from pdpacket.packet.context import BuildContext, Output, PlannedExhibit, Segment
from pdpacket.packet.pages import document_title
from pdpacket.packet.source import Source, laid_out
from pdpacket.pdf import allowlist, stamps, syntax, textlayer
from pdpacket.pdf.images import ImageHook
from pdpacket.pdf.reader import content_refs, rotation, visible_box
from pdpacket.pdf.syntax import Ref, text_string
from pdpacket.pdf.writer import HEADER, Copier, Out, OutlineNode, write_outline
from pdpacket.store import cleaning
from pdpacket.store import ocr as ocr_table
from pdpacket.store.database import Store

FORMAT_VERSION = "5"  # bump when the same inputs should give different bytes


_RESOURCE_KINDS = allowlist.KEYS[allowlist.PAGE_RESOURCES]


@dataclass
class _OutPage:
    num: int
    annots: list[int] = field(default_factory=list)


class PageWriter:
    """Packet pages, bookmarks and labels, written through ``Out``."""

    def __init__(self, out: Out) -> None:
        self.out = out
        self.catalog = out.alloc()
        self.pages_root = out.alloc()
        self.pages: list[_OutPage] = []
        self.memos: dict[str, dict[Ref, int]] = {}
        self._prefixes: dict[bytes, int] = {}
        self._resources: dict[tuple[str, Ref], tuple[int, bytes]] = {}
        self.stamp_font = 0
        self.ocr_font = 0  # the text layer's font, when any page has one
        self.draft = False  # every page carries the draft mark (``stamps.draft_header``)
        self.annotations_dropped = 0
        self._page_parts: dict[int, list[bytes]] = {}
        self.links: list[tuple[int, layout.Rect, int]] = []  # (annotation, rect, target page)
        self.image_hook: ImageHook | None = None
        # what the allowlist kept out of the packet, by key (``pdf.allowlist``)
        self.dropped: Counter[str] = Counter()

    def copier(self, key: str, src: Source) -> Copier:
        cp = Copier(self.out, src, self.memos.setdefault(key, {}), self.dropped)
        if key != "drawn":
            cp.image_hook = self.image_hook
        return cp

    def _prefix(self, data: bytes) -> int:
        num = self._prefixes.get(data)
        if num is None:
            num = self.out.alloc()
            self.out.stream(num, b"", data)
            self._prefixes[data] = num
        return num

    def _resources_bytes(self, cp: Copier, key: str, page: dict[str, Any]) -> tuple[bytes, bytes]:
        """The page's resources with the stamp font added, and the font's name there.
        Resources shared between pages stay shared (one copy per source object)."""
        raw = page.get("/Resources")
        if type(raw) is Ref:
            cached = self._resources.get((key, raw))
            if cached is not None:
                return b" %d 0 R" % cached[0], cached[1]
            body, font_name = self._resources_dict(cp, cp.src.resolve(raw))
            num = self.out.alloc()
            self.out.obj(num, body)
            self._resources[(key, raw)] = (num, font_name)
            return b" %d 0 R" % num, font_name
        return self._resources_dict(cp, raw)

    def _resources_dict(self, cp: Copier, res: Any) -> tuple[bytes, bytes]:
        if type(res) is not dict:
            res = {}
        fonts = cp.src.resolve(res.get("/Font"))
        if type(fonts) is not dict:
            fonts = {}
        font_name = stamps.FONT_RESOURCE
        n = 1
        while font_name in fonts:
            n += 1
            font_name = f"{stamps.FONT_RESOURCE}{n}"
        parts: list[bytes] = [b"<<"]
        for k, v in res.items():
            if k == "/Font":
                continue
            kind = _RESOURCE_KINDS.get(k)
            if kind is None:
                self.dropped[k] += 1
                continue
            parts.append(syntax.key(k))
            cp.ser(v, parts, kind)
        parts.append(b"/Font<<")
        for k, v in fonts.items():
            parts.append(syntax.key(k))
            cp.ser(v, parts, "font")
        font_key = syntax.key(font_name)
        parts.append(font_key + b" %d 0 R" % self.stamp_font)
        if self.ocr_font and textlayer.FONT_RESOURCE not in fonts:
            parts.append(syntax.key(textlayer.FONT_RESOURCE) + b" %d 0 R" % self.ocr_font)
        parts.append(b">>>>")
        return b"".join(parts), font_key

    def add_ocr_font(self) -> None:
        """Write the text layer's font once in this file (see ``pdf.textlayer``)."""
        font, proc, cmap = self.out.alloc(), self.out.alloc(), self.out.alloc()
        body, glyph, tounicode = textlayer.font_objects(proc, cmap)
        self.out.obj(font, body)
        self.out.stream(proc, b"", glyph)
        self.out.stream(cmap, b"/Filter/FlateDecode", zlib.compress(tounicode, 9))
        self.ocr_font = font

    def add_page(
        self,
        cp: Copier,
        key: str,
        page: dict[str, Any],
        *,
        fit: bool,
        number: str,
        label: str,
        top: float = 0.0,
        words: tuple[Word, ...] = (),
    ) -> _OutPage:
        src = cp.src
        placement = stamps.place(visible_box(src, page), rotation(src, page), fit=fit, top=top)
        prefix = self._prefix(placement.prefix)
        contents = content_refs(src, page)
        resources, font_name = self._resources_bytes(cp, key, page)
        stamp_num = self.out.alloc()
        self.out.stream(
            stamp_num,
            b"",
            stamps.stamp_stream(number, label, font_name.decode("latin-1"), draft=self.draft),
        )
        num = self.out.alloc()
        parts = [
            b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 612 792]/Resources" % self.pages_root,
            resources,
            b"/Contents[%d 0 R" % prefix,
        ]
        if words and self.ocr_font:  # in the source page's own space, under its content
            layer = self.out.alloc()
            self.out.stream(
                layer, b"/Filter/FlateDecode", zlib.compress(textlayer.text_stream(words), 6)
            )
            parts.append(b" %d 0 R" % layer)
        for c in contents:
            parts.append(b" %d 0 R" % cp.ref(c, allowlist.PAGE_CONTENT))
        parts.append(b" %d 0 R" % stamp_num)
        if self.draft:
            parts.append(b" %d 0 R" % self._prefix(stamps.draft_diagonal()))
        parts.append(b"]")
        group = page.get("/Group")
        if group is not None:
            parts.append(b"/Group")
            cp.ser(group, parts, allowlist.PAGE_GROUP)
        annots = src.resolve(page.get("/Annots"))
        if type(annots) is list:
            self.annotations_dropped += len(annots)
        out_page = _OutPage(num)
        self.pages.append(out_page)
        self._page_parts[num] = parts
        cp.drain()
        return out_page

    def finish_page(self, page: _OutPage) -> None:
        parts = self._page_parts.pop(page.num)
        if page.annots:
            parts.append(b"/Annots[" + b"".join(b" %d 0 R" % a for a in page.annots) + b"]")
        parts.append(b">>")
        self.out.obj(page.num, b"".join(parts))


class _Prefetch:
    """Reads and verifies the stored files a helper thread ahead of the writer
    (file reads and SHA-256 release the GIL), in the order the packet uses them."""

    AHEAD = 2

    def __init__(self, store: Store, shas: list[str]) -> None:
        self._store = store
        self._order = shas
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="pdpacket-read")
        self._futures: dict[int, Future[bytes]] = {}
        self._next = 0
        for i in range(min(self.AHEAD, len(shas))):
            self._submit(i)

    def _submit(self, i: int) -> None:
        self._futures[i] = self._pool.submit(self._store.blobs.read, self._order[i])

    def read(self, sha: str) -> bytes:
        i = self._next
        if i >= len(self._order) or self._order[i] != sha:  # out of order: read it now
            return self._store.blobs.read(sha)
        self._next += 1
        if i + self.AHEAD < len(self._order):
            self._submit(i + self.AHEAD)
        return self._futures.pop(i).result()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _segment_pages(
    ctx: BuildContext, s: Segment, drawn: Source, files: _Prefetch
) -> Iterator[tuple[str, Source, dict[str, Any]]]:
    """(memo key, source, page dictionary) of each page of segment ``s``."""
    if s.drawn:
        start = ctx.drawn_at[s.drawn]
        pages = drawn.pages(ctx.drawn.pages if ctx.drawn else 0)
        for i in range(start, start + s.pages):
            yield "drawn", drawn, pages[i]
        return
    if s.letter_pdf:
        src = Source(ctx.letter_pdf, "The request letter")
        key = "letter:" + hashlib.sha256(ctx.letter_pdf).hexdigest()
    else:
        what = s.title or (f"Exhibit {s.exhibit.letter}" if s.exhibit else "A document")
        src = Source(files.read(s.blob), what)
        key = s.blob
    total = s.stored or s.of or s.pages
    pages = src.pages(total)
    if len(pages) != total:
        raise IntegrityError(
            f"A stored file of {s.title or 'the packet'} has {len(pages)} pages, "
            f"not the {total} recorded.",
            hint="Remove the file from the exhibit and add it again.",
        )
    if s.slots:
        pages = laid_out(src, pages, s.slots)
    for page in pages[s.skip : s.skip + s.pages]:
        yield key, src, page


def _refuse_uncleaned(ctx: BuildContext) -> None:
    """Only PDFs pdpacket's cleaning produced are built from (``store.cleaning``):
    a stored file that came in by a door that did not clean it is refused."""
    segments = [s for o in ctx.outputs for s in o.segments if s.blob]
    bad = cleaning.uncleaned(ctx.store.db.conn, {s.blob for s in segments})
    if not bad:
        return
    s = next(s for s in segments if s.blob in bad)
    what = f"Exhibit {s.exhibit.letter}" if s.exhibit else (s.title or "A document")
    raise IntegrityError(
        f"{what} uses a stored file that pdpacket's cleaning did not produce "
        f"({len(bad)} such file{'s' if len(bad) > 1 else ''} in this case), so it is not "
        "built from: it may carry scripts or attachments.",
        hint="Remove the file from the exhibit and add the original again (it is "
        "cleaned as it is added).",
    )


OCR_WARNING = "No text layer on "


def stored_page(s: Segment, n: int) -> int:
    """The page of the stored file that the segment's ``n``-th page shows (page
    edits may reorder, leave out or turn the stored pages)."""
    return s.slots[s.skip + n][0] if s.slots else s.skip + n


def _load_text_layers(ctx: BuildContext) -> None:
    """The words OCR read on the packet's scanned pages; the build says how many
    scanned pages it carries without them (OCR pending, failed or unavailable)."""
    wanted = {
        (s.blob, stored_page(s, n))
        for o in ctx.outputs
        for s in o.segments
        if s.blob
        for n in range(s.pages)
    }
    rows = ocr_table.pages_of(ctx.store, {sha for sha, _ in wanted})
    ctx.text_layers = {k: r.words for k, r in rows.items() if k in wanted and r.words}
    missing = sum(1 for k, r in rows.items() if k in wanted and r.status != OcrStatus.DONE)
    ctx.warnings[:] = [w for w in ctx.warnings if not w.startswith(OCR_WARNING)]
    if missing:
        ctx.warnings.append(
            f"{OCR_WARNING}{missing} scanned page(s): OCR has not read them (pending, "
            "failed or Tesseract missing), so they cannot be searched. Run OCR and build again."
        )


def _trusted_letter_size(src: Source, page: dict[str, Any]) -> bool:
    return stamps.is_letter(visible_box(src, page), rotation(src, page))


def write(ctx: BuildContext) -> None:
    """Write every output (one file, or one per part) to a temporary file beside it.
    A file's last bytes, its fsync and hash finish on a helper thread while the
    next part is being written."""
    assert ctx.drawn is not None
    if not ctx.outputs:
        ctx.outputs = [Output(ctx.out_path, ctx.segments)]
    _refuse_uncleaned(ctx)
    _load_text_layers(ctx)
    pool = ThreadPoolExecutor(1, thread_name_prefix="pdpacket-finish")
    pending: list[Future[None]] = []
    dropped: Counter[str] = Counter()
    try:
        for output in ctx.outputs:
            pending.append(_write_output(ctx, output, pool, dropped))
        for done in pending:
            done.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        discard(ctx)
        raise
    pool.shutdown(wait=True)
    # a packet written again (a part over its size limit) replaces its count
    ctx.warnings[:] = [w for w in ctx.warnings if not w.startswith(DROPPED_WARNING)]
    if dropped:
        ctx.warnings.append(dropped_warning(dropped))
    first = ctx.outputs[0]
    ctx.tmp_path, ctx.sha256, ctx.size = first.tmp_path, first.sha256, first.size


DROPPED_WARNING = "Dropped "


def dropped_warning(dropped: Counter[str]) -> str:
    """The build's warning for what the allowlist kept out, e.g. "Dropped 3 objects
    the packet must not carry: /AA (2), /EmbeddedFiles (1) ..."."""
    kinds = ", ".join(f"{k} ({n})" for k, n in sorted(dropped.items(), key=lambda kv: -kv[1]))
    return (
        f"{DROPPED_WARNING}{sum(dropped.values())} objects the packet must not carry: {kinds}. "
        "Only what the pages print was copied from the evidence files."
    )


def _write_output(
    ctx: BuildContext, output: Output, pool: ThreadPoolExecutor, dropped: Counter[str]
) -> Future[None]:
    out_dir = output.path.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{output.path.name}.", suffix=".part")
    output.tmp_path = Path(tmp)
    fh = os.fdopen(fd, "wb")
    try:
        out = Out(fh)
        files = _Prefetch(ctx.store, [s.blob for s in output.segments if s.blob])
        try:
            dropped.update(_write_body(ctx, out, files, output))
        except BaseException:
            out.abort()
            raise
        finally:
            files.close()
    except BaseException:
        fh.close()
        Path(tmp).unlink(missing_ok=True)
        output.tmp_path = None
        raise

    def finish() -> None:
        try:
            out.close()
            fh.flush()
            os.fsync(fh.fileno())
        finally:
            fh.close()
        output.sha256 = out.sha.hexdigest()
        output.size = out.pos

    return pool.submit(finish)


def discard(ctx: BuildContext) -> None:
    """Remove the temporary files written so far (a failed, cancelled or redone build)."""
    for output in ctx.outputs:
        if output.tmp_path is not None:
            output.tmp_path.unlink(missing_ok=True)
            output.tmp_path = None


def _label_starts(ctx: BuildContext) -> dict[int, int]:
    """For each exhibit segment (by id()), how many labelled exhibit pages come before
    it, so that "Exh. C, p. 7" runs on across the parts of a split packet."""
    starts: dict[int, int] = {}
    for pe in ctx.exhibits:
        n = 0
        for s in pe.segments:
            starts[id(s)] = n
            if s.kind not in ("tab", "continued"):
                n += s.pages
    return starts


def _write_body(ctx: BuildContext, out: Out, files: _Prefetch, output: Output) -> Counter[str]:
    """Write ``output``'s pages; returns what the allowlist kept out, by key."""
    assert ctx.drawn is not None
    o = ctx.options
    out.w(HEADER)
    wr = PageWriter(out)
    wr.image_hook = ctx.image_hook
    wr.draft = bool(o.draft_reasons)
    drawn = ctx.drawn_source
    if drawn is None or drawn.data is not ctx.drawn.pdf:  # parsed once for every part
        drawn = ctx.drawn_source = Source(ctx.drawn.pdf, "the pages pdpacket draws")
    drawn_cp = wr.copier("drawn", drawn)
    carrier = drawn.pages(ctx.drawn.pages)[ctx.drawn.stamp_font_page]
    fonts = drawn.resolve(drawn.resolve(carrier["/Resources"])["/Font"])
    wr.stamp_font = drawn_cp.ref(fonts[ctx.drawn.stamp_font_name], "font")
    drawn_cp.drain()
    if ctx.text_layers:
        wr.add_ocr_font()
    segments = output.segments
    base = segments[0].first  # packet page index of the file's first page
    count = output.pages
    total = ctx.total_numbered
    prefix = o.bates_prefix
    copiers: dict[str, Copier] = {"drawn": drawn_cp}
    linked_pages: list[_OutPage] = []
    label_starts = _label_starts(ctx)
    current: PlannedExhibit | None = None
    for s in segments:
        if s.exhibit is not None and s.exhibit is not current:
            current = s.exhibit
            if current.exhibit.id not in ctx.announced:
                ctx.announced.add(current.exhibit.id)
                ctx.step(f"Exhibit {current.letter}: {current.exhibit.title}")
        ctx.cancel.raise_if_cancelled()
        in_exhibit = label_starts.get(id(s), 0)
        for n, (key, src, page) in enumerate(_segment_pages(ctx, s, drawn, files)):
            if n % 64 == 63:  # a long file: stay cancellable within it
                ctx.cancel.raise_if_cancelled()
            cp = copiers.get(key)
            if cp is None or cp.src is not src:
                copiers.clear()
                copiers["drawn"] = drawn_cp
                cp = copiers[key] = wr.copier(key, src)
            label = ""
            if s.exhibit is not None and s.kind not in ("tab", "continued"):
                in_exhibit += 1
                label = stamps.label_text(s.exhibit.letter, in_exhibit)
            fit = s.fit and not (s.letter_pdf and _trusted_letter_size(src, page))
            number = (
                stamps.number_text(o.numbering, s.number + n + 1, total, prefix)
                if s.numbered
                else ""
            )
            words = ctx.text_layers.get((s.blob, stored_page(s, n)), ()) if s.blob else ()
            op = wr.add_page(
                cp,
                key,
                page,
                fit=fit,
                number=number,
                label=label,
                top=ctx.top_clear,
                words=words,
            )
            links = ctx.drawn.links.get(ctx.drawn_at[s.drawn] + n, []) if s.drawn else []
            for rect, target in links:
                if 0 <= target - base < count:  # a link into another part is left out
                    annot = out.alloc()
                    wr.links.append((annot, rect, target - base))
                    op.annots.append(annot)
            if links:
                linked_pages.append(op)
            else:
                wr.finish_page(op)
    if len(wr.pages) != count:
        raise RuntimeError(f"planned {count} pages, wrote {len(wr.pages)}")
    for op in linked_pages:  # their links point forward: written once every page exists
        wr.finish_page(op)
    ctx.step("Writing bookmarks and page labels")
    ctx.annotations_dropped += wr.annotations_dropped
    _finish(ctx, out, wr, output)
    return wr.dropped


def _write_links(out: Out, wr: PageWriter) -> None:
    for num, rect, target in wr.links:
        r = b" ".join(syntax.number(v) for v in (rect.x0, rect.y0, rect.x1, rect.y1))
        out.obj(
            num,
            b"<</Type/Annot/Subtype/Link/Rect[%s]/Border[0 0 0]/F 4/Dest[%d 0 R/Fit]>>"
            % (r, wr.pages[target].num),
        )


def _outline(ctx: BuildContext, segments: list[Segment] | None = None) -> list[OutlineNode]:
    """The bookmarks of ``segments`` (default: the whole packet); pages are
    counted from the first of them."""
    segments = ctx.segments if segments is None else segments
    base = segments[0].first if segments else 0
    top: list[OutlineNode] = []
    section: OutlineNode | None = None
    section_name = None
    for s in segments:
        if s.exhibit is None:
            section, section_name = None, None
            if s.title:  # blank backs have no bookmark
                top.append(OutlineNode(s.title, s.first - base))
            continue
        pe = s.exhibit
        if s.kind in ("tab", "continued"):
            name = ctx.section_of(pe.exhibit)
            if name and name != section_name:
                section = OutlineNode(name, s.first - base, open=True)
                top.append(section)
            elif not name:
                section = None
            section_name = name
            node = OutlineNode(s.title, s.first - base)
            (section.kids if section else top).append(node)
            current_exhibit = node
        elif pe.translated and s.title:
            current_exhibit.kids.append(OutlineNode(s.title, s.first - base))
    return top


def _document_id(ctx: BuildContext, output: Output | None = None) -> bytes:
    """A hash of everything the packet is made from: same inputs, same /ID."""
    assert ctx.drawn is not None
    h = hashlib.sha256()
    h.update(FORMAT_VERSION.encode())
    h.update(repr(sorted((k, str(v)) for k, v in asdict(ctx.options).items())).encode())
    h.update(hashlib.sha256(ctx.drawn.pdf).digest())
    h.update(hashlib.sha256(ctx.letter_pdf).digest())
    if ctx.text_layers:  # a scan read since the last build gives a different file
        h.update(hashlib.sha256(repr(sorted(ctx.text_layers.items())).encode()).digest())
    for s in ctx.segments if output is None else output.segments:
        h.update(f"{s.kind}|{s.blob}|{s.drawn}|{s.pages}|{s.fit}\n".encode())
        if s.slots:
            h.update(f"{s.slots}|{s.stored}\n".encode())
        if s.skip or s.of or not s.numbered or s.part > 1:
            h.update(f"{s.skip}|{s.of}|{s.numbered}|{s.part}\n".encode())
    if output is not None and output.part:
        h.update(f"part {output.part} of {ctx.part_count}".encode())
    return h.hexdigest()[:32].upper().encode("ascii")


def _label_prefix(o: BuildOptions, n: int) -> str:
    if o.numbering != NumberingStyle.BATES:
        return ""
    return o.bates_prefix + "0" * max(stamps.BATES_DIGITS - len(str(n)), 0)


def _page_labels(ctx: BuildContext, segments: list[Segment]) -> list[bytes]:
    """/PageLabels entries whose labels equal the printed numbers: plain decimal,
    or Bates with its zeros; a page without a number (a blank back, the copies
    sheet) is labelled by what it is."""
    o = ctx.options
    nums: list[bytes] = []
    page = 0
    expect: tuple[int, str] | None = None  # the next number and prefix the open range gives
    last = ""
    for s in segments:
        for k in range(s.pages):
            if s.numbered:
                n = s.number + k + 1
                label_prefix = _label_prefix(o, n)
                if expect != (n, label_prefix):
                    entry = b"<</S/D"
                    if label_prefix:
                        entry += b"/P" + text_string(label_prefix)
                    if n != 1:
                        entry += b"/St %d" % n
                    nums.append(b"%d %s>>" % (page, entry))
                expect = (n + 1, label_prefix)
                last = f"{label_prefix}{n}"
            else:  # the copies sheet; a blank back is named after the page before it
                what = "Copies" if s.kind == "copies" else f"{last or 'Copies'} (blank)"
                nums.append(b"%d <</P%s>>" % (page, text_string(what)))
                expect = None
            page += 1
    return nums


def _finish(ctx: BuildContext, out: Out, wr: PageWriter, output: Output) -> None:
    _write_links(out, wr)
    kids = b"".join(b" %d 0 R" % p.num for p in wr.pages)
    out.obj(wr.pages_root, b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(wr.pages), kids))
    page_objects = [p.num for p in wr.pages]
    outlines = write_outline(out, _outline(ctx, output.segments), page_objects)
    nums = _page_labels(ctx, output.segments)
    out.obj(
        wr.catalog,
        b"<</Type/Catalog/Pages %d 0 R/Outlines %d 0 R/PageMode/UseOutlines"
        b"/PageLabels<</Nums[%s]>>/ViewerPreferences<</DisplayDocTitle true>>/Lang(en-US)>>"
        % (wr.pages_root, outlines, b" ".join(nums)),
    )
    info = out.alloc()
    title = f"{document_title(ctx)} - {ctx.case.title}"
    if output.part:
        title += f" - Part {output.part} of {ctx.part_count}"
    date = syntax.date(ctx.build_date)
    out.obj(
        info,
        b"<</Title%s/Creator(pdpacket %s)/Producer(pdpacket %s)/CreationDate%s/ModDate%s>>"
        % (text_string(title), __version__.encode(), __version__.encode(), date, date),
    )
    doc_id = _document_id(ctx, output if output.part else None)
    out.xref_and_trailer(wr.catalog, info, doc_id)
    # closed (and hashed, and synced) by ``_write_output``'s finish

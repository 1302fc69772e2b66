"""Step 2, the plan: every page's place in the packet.

Cover, letter, forms, index, tabbed exhibits with their translations and
certificates, order or certificate of service -- each a ``Segment`` with its
physical page index, its printed number and (in a split packet) its part.  The
plan is made twice (the index's length depends on its rows) and again while
the letter's length changes as its citations are filled in.  Also here: the
index's rows, which the index page and each part's contents page draw.
"""

from __future__ import annotations

from typing import Any

from pdpacket.errors import PdpacketError
from pdpacket.model import ExhibitFile, FileRole, TranslationOrder
from pdpacket.packet import draw as layout
from pdpacket.packet import motion
from pdpacket.packet.context import BuildContext, CiteTarget, PlannedExhibit, Segment
from pdpacket.packet.dates import index_date
from pdpacket.packet.factors import FACTOR_NOTE, FACTOR_TABLE_TITLE, factor_rows
from pdpacket.packet.source import count_pages
from pdpacket.store import signatures as signing


def _exhibit_segments(ctx: BuildContext, pe: PlannedExhibit) -> list[Segment]:
    ex = pe.exhibit
    tab = Segment("tab", f"Exhibit {pe.letter} - {ex.title}", 1, drawn=f"tab:{ex.id}", fit=False)
    translations = ex.files_with_role(FileRole.TRANSLATION)
    originals = ex.files_with_role(FileRole.DOCUMENT)
    uploaded_certs = ex.files_with_role(FileRole.CERTIFICATE)

    def files(kind: str, title: str, fs: tuple[ExhibitFile, ...]) -> list[Segment]:
        return [
            Segment(
                kind,
                title if n == 0 else "",
                f.packet_pages,
                blob=f.pdf_sha256,
                slots=tuple((p.source, p.turns) for p in f.kept) if f.layout else (),
                stored=f.pages,
            )
            for n, f in enumerate(fs)
        ]

    if not translations:
        if ex.needs_translation:
            ctx.warnings.append(
                f"Exhibit {pe.letter} ({ex.title}) is in {ex.language} but has no English "
                f"translation (8 CFR 1003.33)."
            )
        return [tab, *files("document", "", (*originals, *uploaded_certs))]
    language = ex.language if ex.needs_translation else ex.translator.language
    translation = files("translation", "English translation", translations)
    if uploaded_certs:
        certificate = files("certificate", "Translator's certificate", uploaded_certs)
    else:
        certificate = [
            Segment("certificate", "Translator's certificate", 1, drawn=f"cert:{ex.id}", fit=False)
        ]
        if not ex.translator.complete:
            missing = [
                k for k in ("name", "address", "phone", "language") if not getattr(ex.translator, k)
            ]
            ctx.warnings.append(
                f"Exhibit {pe.letter}: the translator's {', '.join(missing)} "
                f"{'is' if len(missing) == 1 else 'are'} missing; the certificate has "
                f"blanks to fill in by hand."
            )
    original = files("original", f"Original ({language})" if language else "Original", originals)
    if ex.translation_order == TranslationOrder.ORIGINAL_FIRST:
        return [tab, *original, *translation, *certificate]
    return [tab, *translation, *certificate, *original]


def _document_segment(ctx: BuildContext, role: str, kind: str, title: str) -> Segment | None:
    doc = ctx.info.documents.get(role)
    if doc is None:
        return None
    return Segment(kind, title, doc.pages, blob=doc.pdf_sha256)


def _compose(ctx: BuildContext, letter_pages: int, index_pages: int) -> list[Segment]:
    """Every segment in packet order, with page numbers assigned."""
    o, info = ctx.options, ctx.info
    segs: list[Segment] = []
    if ctx.copies is not None:
        segs.append(
            Segment("copies", "Printing and copies", 1, drawn="copies", fit=False, numbered=False)
        )
    if o.include_cover:
        segs.append(Segment("cover", "Cover", 1, drawn="cover", fit=False))
    dest = info.destination
    if dest is not None and dest.motion:
        title = motion.document_title(ctx)
        segs.append(Segment("motion", title, motion.page_count(ctx), drawn="motion", fit=False))
    if info.letter_source is not None and letter_pages:
        segs.append(Segment("letter", "Request letter", letter_pages, letter_pdf=True))
    elif info.letter_blob:
        segs.append(Segment("letter", "Request letter", letter_pages, blob=info.letter_blob))
    for role, title in (
        ("g28", "Form G-28, Notice of Entry of Appearance"),
        ("eoir28", "Form EOIR-28, Notice of Entry of Appearance"),
        ("declaration", f"Declaration of {ctx.case.client.name}"),
    ):
        seg = _document_segment(ctx, role, role if role == "declaration" else "appearance", title)
        if seg:
            segs.append(seg)
        if seg and role == "declaration" and signing.needs_interpretation(ctx.case):
            # read to the client in their language: the interpreter certifies it
            title = "Certificate of interpretation"
            segs.append(Segment("interpretation", title, 1, drawn="interpretation", fit=False))
    if o.include_index:
        segs.append(Segment("index", "Index of Exhibits", index_pages, drawn="index", fit=False))
    if o.factor_table:
        n = layout.index_page_count(factor_rows(ctx), note=FACTOR_NOTE)
        segs.append(Segment("factors", FACTOR_TABLE_TITLE, n, drawn="factors", fit=False))
    for i, pe in enumerate(ctx.exhibits):
        pe.segments = _exhibit_segments(ctx, pe)
        for s in pe.segments:
            s.exhibit = pe
        segs.extend(_split_exhibit(ctx, i, pe))
    if info.joint_motion or (dest is not None and dest.proposed_order):
        seg = _document_segment(ctx, "proposed_order", "order", "Proposed order")
        segs.append(seg or Segment("order", "Proposed order", 1, drawn="order", fit=False))
    if o.certificate_of_service:  # as the destination says, or as the caller chose
        segs.append(Segment("service", "Certificate of service", 1, drawn="service", fit=False))
    if ctx.duplex:
        segs = _with_blank_versos(segs)
    _paginate(ctx, segs)
    if ctx.breaks:  # a part's contents page(s): as long as its rows need
        grown = False
        for s in segs:
            if s.kind == "part":
                rows = index_rows(ctx, part_segments(segs, s.part))
                n = layout.index_page_count(rows, note=part_note(ctx, s.part))
                grown |= n != s.pages
                s.pages = n
        if grown:
            _paginate(ctx, segs)
    return segs


# kinds of segment that start a document (in duplex, on a right-hand page)
_STARTS = frozenset(
    {
        "cover",
        "motion",
        "letter",
        "appearance",
        "declaration",
        "index",
        "factors",
        "tab",
        "order",
        "service",
        "part",
    }
)


def _with_blank_versos(segs: list[Segment]) -> list[Segment]:
    """Duplex printing: a blank, unnumbered back before any document that
    would otherwise start on a left-hand (even) page."""
    out: list[Segment] = []
    page = 0
    for s in segs:
        if s.kind in _STARTS and page % 2 == 1:
            out.append(Segment("blank", "", 1, drawn="blank", fit=False, numbered=False))
            page += 1
        out.append(s)
        page += s.pages
    return out


def _paginate(ctx: BuildContext, segs: list[Segment]) -> None:
    """Physical page indexes, printed numbers and parts, in packet order."""
    page = number = 0
    part = 1
    for s in segs:
        if s.kind == "part":
            part += 1
            s.drawn = f"part:{part}"
            s.title = f"Part {part} of {ctx.part_count}: contents"
        s.part = part
        s.first = page
        s.number = number
        page += s.pages
        if s.numbered:
            number += s.pages
    for pe in ctx.exhibits:
        pe.first_page = pe.segments[0].number + 1
        pe.last_page = pe.segments[-1].number + pe.segments[-1].pages
    ctx.total_pages = page
    ctx.total_numbered = number


def _split_exhibit(ctx: BuildContext, index: int, pe: PlannedExhibit) -> list[Segment]:
    """The exhibit's segments with a split packet's part pages put in: before
    its tab, or inside it (at a page boundary, a file cut in two) followed by a
    "(continued)" tab page."""
    cuts = sorted({b.page for b in ctx.breaks if b.exhibit == index})
    if not cuts:
        return pe.segments
    ex = pe.exhibit
    out: list[Segment] = []
    kept: list[Segment] = []  # the exhibit's own segments, continued tabs included
    done = 0  # exhibit pages placed so far (the tab is page 0)
    for s in pe.segments:
        rest = s
        while True:
            cut = next((c for c in cuts if done <= c < done + rest.pages), None)
            if cut is None:
                break
            if cut > done:  # the first (cut - done) pages stay before the break
                n = cut - done
                head = _slice(rest, 0, n)
                out.append(head)
                kept.append(head)
                rest = _slice(rest, n, rest.pages - n, title="")
                done += n
            out.append(Segment("part", "", 1, drawn="part", fit=False))
            if cut > 0:
                cont = Segment(
                    "continued",
                    f"Exhibit {pe.letter} - {ex.title} (continued)",
                    1,
                    drawn=f"cont:{ex.id}:{cut}",
                    fit=False,
                    exhibit=pe,
                )
                out.append(cont)
                kept.append(cont)
            cuts.remove(cut)
        out.append(rest)
        kept.append(rest)
        done += rest.pages
    if cuts:
        raise ValueError(f"Exhibit {pe.letter} has no page {cuts[0]} to start a part at")
    pe.segments = kept
    return out


def _slice(s: Segment, start: int, n: int, **changes: Any) -> Segment:
    """Pages ``start`` to ``start + n`` of segment ``s``."""
    if s.drawn and s.pages > 1 and (start or n != s.pages):
        raise ValueError("a drawn piece cannot be split")
    values = {**s.__dict__, **changes}
    values.update(skip=s.skip + start, of=s.of or s.pages, pages=n)
    return Segment(**values)


def part_segments(segs: list[Segment], part: int) -> list[Segment]:
    return [s for s in segs if s.part == part]


def index_layout(ctx: BuildContext) -> dict[str, Any]:
    """The full index of a split packet has a Part column and says so."""
    if not ctx.breaks:
        return {}
    return {
        "part_column": True,
        "note": f"This filing is in {ctx.part_count} parts (files). The Part column says which "
        "part holds each document; the page numbers run on from one part to the next.",
    }


def _cites(ctx: BuildContext) -> dict[int, CiteTarget]:
    return {
        pe.exhibit.id: CiteTarget(pe.letter, pe.first_page, pe.last_page, pe.exhibit.title)
        for pe in ctx.exhibits
    }


def plan(ctx: BuildContext) -> None:
    ctx.step("Planning the packet")
    info = ctx.info
    letter_pages = info.letter_blob_pages
    segs = _compose(ctx, letter_pages, 1)
    index_pages = (
        layout.index_page_count(index_rows(ctx, segs), **index_layout(ctx))
        if ctx.options.include_index
        else 0
    )
    segs = _compose(ctx, letter_pages, index_pages)
    if info.letter_source is not None:
        ctx.step("Writing the request letter")
        for _attempt in range(3):
            ctx.cancel.raise_if_cancelled()
            pdf = info.letter_source.render(_cites(ctx))
            n = count_pages(pdf, "the request letter")
            ctx.letter_pdf = pdf
            if n == letter_pages:
                break
            letter_pages = n
            segs = _compose(ctx, letter_pages, index_pages)
        else:
            raise PdpacketError(
                "The request letter's length changed every time the exhibits' page numbers "
                "were filled in, so its citations could not be made to agree.",
                hint="Shorten the letter by a few lines and build again.",
            )
    else:
        ctx.steps_done += 1
    ctx.segments = segs


def page_range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _seg_range(s: Segment) -> str:
    return page_range(s.number + 1, s.number + s.pages)


def index_rows(ctx: BuildContext, segs: list[Segment]) -> list[layout.IndexRow]:
    """The index's rows for ``segs`` (every segment, or one part's): each
    exhibit's pages among them, and with a split packet the part(s) it is in."""
    rows: list[layout.IndexRow] = []
    section = None
    spans: dict[int, tuple[int, int]] = {}
    for s in segs:
        if s.exhibit is not None:
            key = s.exhibit.exhibit.id
            lo, hi = spans.get(key, (s.number + 1, 0))
            spans[key] = (lo, s.number + s.pages)
    split = bool(ctx.breaks)
    for s in segs:
        if s.kind in (
            "motion",
            "letter",
            "appearance",
            "declaration",
            "interpretation",
            "order",
            "service",
        ):
            rows.append(
                layout.IndexRow(
                    title=s.title,
                    pages=_seg_range(s),
                    target=s.first,
                    part=str(s.part) if split else "",
                )
            )
        elif s.kind in ("tab", "continued") and s.exhibit is not None:
            pe = s.exhibit
            ex = pe.exhibit
            heading = ctx.section_of(ex)
            if heading and heading != section:
                rows.append(layout.IndexRow(title=heading, heading=True))
            section = heading
            if s.kind == "continued":  # a part's contents: the exhibit began in an earlier part
                if any(x.kind == "tab" and x.exhibit is pe for x in segs):
                    continue  # the full index: one row per exhibit
                lo, hi = spans[ex.id]
                rows.append(
                    layout.IndexRow(
                        letter=pe.letter,
                        title=f"{ex.title} (continued)",
                        pages=page_range(lo, hi),
                        target=s.first,
                        part=str(s.part),
                    )
                )
                continue
            parts = pe.parts
            desc = ex.description
            if pe.translated:
                language = pe.exhibit.language if pe.exhibit.needs_translation else ""
                language = language or pe.exhibit.translator.language
                extra = "English translation, translator's certificate"
                extra += f" and the original in {language}" if language else " and the original"
                desc = f"{desc} ({extra})" if desc else extra
            rows.append(
                layout.IndexRow(
                    letter=pe.letter,
                    title=ex.title,
                    description=desc,
                    date=index_date(ex),
                    pages=page_range(*spans[ex.id]),
                    target=s.first,
                    part=page_range(parts[0], parts[-1]) if split else "",
                )
            )
    return rows


def part_note(ctx: BuildContext, part: int) -> str:
    name = ctx.part_names[part - 1] if part <= len(ctx.part_names) else ""
    note = f"File {name}. " if name else ""
    return note + (
        "Part 1 holds the cover, the request letter and the full index of exhibits; the "
        "page numbers run on from one part to the next."
    )

"""The packet builder: one PDF a court or OPLA can read, navigate and print.

The build reads like a recipe -- small named steps over a ``BuildContext``::

    _gather   the case, its exhibits and documents, the letter, the options
    _plan     every page's place: cover, letter, forms, index, tabbed exhibits,
              translations and certificates, order, certificate of service;
              re-planned until the letter's and the index's lengths are stable
    _draw     the pages pdpacket draws itself (one reportlab document)
    _write    every page copied once into a temporary file next to the target,
              placed, wrapped in q/Q and stamped, with bookmarks, index links
              and page labels
    _publish  ``os.replace`` -- the very last step, so a failure, a cancel or a
              kill never leaves a half-written packet or touches the old one

The writer streams: each source PDF is read, its pages' objects are written
straight to the output and it is dropped, so memory stays flat however long
the packet.  Stamping appends one small content stream per page that uses one
shared, embedded font; page content is never parsed (see ``stamps`` for why
pages are fitted above the stamp band).  Output is byte-for-byte reproducible
for the same case and options: fixed dates from the options, object numbers
in reading order, and a document /ID that is a hash of the inputs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import os
import queue
import re
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any, NamedTuple, Protocol

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PdfStreamError
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

from pdpacket._version import __version__
from pdpacket.errors import BadInputError, IntegrityError, PdpacketError
from pdpacket.model import (
    BuildOptions,
    BuildResult,
    Case,
    CaseDocument,
    Exhibit,
    ExhibitFile,
    FileRole,
    NumberingStyle,
    Polarity,
    TranslationOrder,
)
from pdpacket.model.identifiers import exhibit_letter
from pdpacket.model.progress import CancelToken, NullProgress, Progress
from pdpacket.packet import draw as layout
from pdpacket.pdf import stamps
from pdpacket.policy import catalog
from pdpacket.store.atomic import fsync_dir
from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.packet")
PAGE_W, PAGE_H = stamps.PAGE_W, stamps.PAGE_H
FORMAT_VERSION = "4"  # bump when the same inputs should give different bytes


# ---- the letter's contract ----------------------------------------------------
@dataclass(frozen=True)
class CiteTarget:
    """Where an exhibit ended up: its letter and printed packet page numbers
    (``first_page`` is its tab page)."""

    letter: str
    first_page: int
    last_page: int
    title: str


class LetterSource(Protocol):
    """Something that renders the request letter once it knows where the
    exhibits are.  ``cites`` is keyed by exhibit id.  It returns a PDF of
    letter-size (612 x 792) pages whose bottom 0.75 inch is left free for the
    page stamp: such pages are stamped as they are, any other page is fitted
    like evidence.  Its length may depend on the cites: the builder calls it
    again until the page count is stable (at most three times)."""

    def render(self, cites: Mapping[int, CiteTarget]) -> bytes: ...


class LetterHook(Protocol):
    """Finds the case's drafted letter; the caller (the façade) passes the letter
    feature's own function, so the packet never imports the letter package.
    ``today`` is the build date, so the letter's date follows it and builds stay
    reproducible."""

    def __call__(self, store: Store, case_id: int, *, today: dt.date) -> LetterSource | None: ...


# ---- the plan ---------------------------------------------------------------------
@dataclass
class Segment:
    """A run of consecutive packet pages from one source."""

    kind: str  # cover letter appearance declaration index tab document translation
    #            certificate original order service
    title: str  # its bookmark / index title
    pages: int
    blob: str = ""  # sha256 of a stored PDF, or
    drawn: str = ""  # key of a piece of the drawn document, or
    letter_pdf: bool = False  # the rendered letter
    fit: bool = True  # fit its pages above the stamp band
    exhibit: PlannedExhibit | None = None
    first: int = 0  # 0-based packet page index of its first page
    # editions
    skip: int = 0  # pages of its file before the first one it holds (a file split in parts)
    of: int = 0  # pages its file has (0: ``pages``)
    numbered: bool = True  # False: a blank back or the copies sheet, which carry no number
    number: int = 0  # 0-based printed number of its first page (``first`` counts every page)
    part: int = 1  # the file (part) of a split packet it is in


@dataclass
class PlannedExhibit:
    letter: str
    exhibit: Exhibit
    segments: list[Segment] = field(default_factory=list)
    first_page: int = 0  # 1-based packet page of its tab page
    last_page: int = 0

    @property
    def translated(self) -> bool:
        return any(s.kind == "translation" for s in self.segments)

    @property
    def parts(self) -> list[int]:
        return sorted({s.part for s in self.segments})


@dataclass(frozen=True)
class PartBreak:
    """Where a part of a split packet starts: before exhibit ``exhibit`` (an
    index into the planned exhibits) or, when ``page`` > 0, inside it, after its
    first ``page`` pages (the tab page is its page 0)."""

    exhibit: int
    page: int = 0


@dataclass(frozen=True)
class ImageStream:
    """An image the writer is about to copy (for ``ImageHook``): plain values."""

    width: int
    height: int
    filters: tuple[str, ...]  # e.g. ("/DCTDecode",)
    colorspace: str  # "/DeviceRGB", "/DeviceGray", "/ICCBased"... ("" when unusual)
    bits: int
    decode: bool  # has a /Decode array
    data: bytes | memoryview


# Re-encodes an image: new (data, width, height), or None to keep it as it is.
ImageHook = Callable[[ImageStream], "tuple[bytes, int, int] | None"]


@dataclass
class Gathered:
    """What the case says, looked up once."""

    joint_motion: bool = False
    form: catalog.PdForm | None = None
    court: catalog.Place | None = None
    office: catalog.Place | None = None
    framework: catalog.Framework | None = None
    documents: dict[str, CaseDocument] = field(default_factory=dict)  # by role
    letter_source: LetterSource | None = None
    letter_blob: str = ""
    letter_blob_pages: int = 0


@dataclass
class BuildContext:
    store: Store
    case: Case
    options: BuildOptions
    out_path: Path
    progress: Progress
    cancel: CancelToken
    letter: LetterSource | None = None
    letter_hook: LetterHook | None = None
    build_date: dt.date = field(default_factory=dt.date.today)
    info: Gathered = field(default_factory=Gathered)
    exhibits: list[PlannedExhibit] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    total_pages: int = 0
    letter_pdf: bytes = b""
    drawn: layout.Drawn | None = None
    drawn_at: dict[str, int] = field(default_factory=dict)  # piece key -> drawn page
    tmp_path: Path | None = None
    sha256: str = ""
    size: int = 0
    warnings: list[str] = field(default_factory=list)
    steps_done: int = 0
    steps_total: int = 0
    # editions: set by pdpacket.editions before planning
    breaks: tuple[PartBreak, ...] = ()  # a split packet's parts
    part_names: tuple[str, ...] = ()  # their file names, for the contents pages
    copies: layout.CopiesInfo | None = None  # the print edition's copies sheet
    duplex: bool = False  # blank versos so that every document starts on a right-hand page
    top_clear: float = 0.0  # points kept free at the top of fitted pages
    image_hook: ImageHook | None = None
    total_numbered: int = 0  # pages that carry a number
    outputs: list[Output] = field(default_factory=list)
    announced: set[int] = field(default_factory=set)  # exhibits whose progress step was sent
    annotations_dropped: int = 0
    drawn_source: _Source | None = None

    @property
    def part_count(self) -> int:
        return len(self.breaks) + 1

    def step(self, message: str) -> None:
        self.cancel.raise_if_cancelled()
        self.progress.update(self.steps_done, self.steps_total, message)
        self.steps_done += 1


def build_packet(
    store: Store,
    case_id: int,
    out_path: str | os.PathLike[str],
    options: BuildOptions | None = None,
    *,
    letter: LetterSource | None = None,
    letter_hook: LetterHook | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> BuildResult:
    """Build the case's packet at ``out_path`` (atomically) and record the build."""
    ctx = start(
        store,
        case_id,
        out_path,
        options,
        letter=letter,
        letter_hook=letter_hook,
        progress=progress,
        cancel=cancel,
    )
    for step in (_plan, _draw, _write, _publish):
        step(ctx)
    result = _record(ctx)
    ctx.progress.update(ctx.steps_total, ctx.steps_total, "Done")
    return result


# ---- the steps, for the editions -------------------------------------------------
# ``pdpacket.editions`` runs the same steps with a split, blank backs, a copies
# sheet or a top margin set on the context between them.
def start(
    store: Store,
    case_id: int,
    out_path: str | os.PathLike[str],
    options: BuildOptions | None = None,
    *,
    letter: LetterSource | None = None,
    letter_hook: LetterHook | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> BuildContext:
    """A build context with the case gathered (step 1)."""
    options = options or BuildOptions()
    ctx = BuildContext(
        store=store,
        case=store.get_case(case_id),
        options=options,
        out_path=Path(out_path),
        progress=progress or NullProgress(),
        cancel=cancel or CancelToken(),
        letter=letter,
        letter_hook=letter_hook,
        build_date=options.build_date or dt.date.today(),
    )
    ctx.cancel.raise_if_cancelled()
    _gather(ctx)
    return ctx


def plan(ctx: BuildContext) -> None:
    """Step 2 (again after the context's split or options changed)."""
    _plan(ctx)


def draw(ctx: BuildContext) -> None:
    """Step 3: the pages pdpacket draws, for the current plan."""
    _draw(ctx)


def write(ctx: BuildContext) -> None:
    """Step 4: every output to a temporary file (``discard`` removes them)."""
    _write(ctx)


def publish(ctx: BuildContext) -> None:
    """Step 5: every output to its name."""
    _publish(ctx)


def record(ctx: BuildContext, extra: Mapping[str, object] | None = None) -> BuildResult:
    return _record(ctx, extra)


# ---- step 1: gather -------------------------------------------------------------
def _gather(ctx: BuildContext) -> None:
    o = ctx.options
    if o.numbering == NumberingStyle.BATES:
        problem = stamps.bates_prefix_problem(o.bates_prefix)
        if problem:
            raise BadInputError(
                problem,
                hint="Give a prefix of letters, digits and dashes, e.g. --bates MORALES- "
                "(pages then read MORALES-000001).",
            )
    exhibits = [e for e in ctx.store.list_exhibits(ctx.case.id) if e.in_packet]
    if not exhibits:
        raise BadInputError(
            f"Case {ctx.case.title} has no exhibits with files to put in a packet.",
            hint="Add evidence files to the case first.",
        )
    p = ctx.case.proceedings
    info = ctx.info
    info.form = catalog.pd_form(p.pd_form) if p.pd_form else None
    info.joint_motion = bool(p.joint_motion or (info.form and info.form.joint_motion))
    info.court = catalog.court(p.court_id) if p.court_id else None
    info.office = catalog.opla_office(p.opla_office_id) if p.opla_office_id else None
    info.framework = catalog.framework(p.framework_id)
    info.documents = {str(d.role): d for d in ctx.store.case_documents(ctx.case.id)}
    if ctx.letter is not None:
        info.letter_source = ctx.letter
    elif "letter" in info.documents:
        doc = info.documents["letter"]
        info.letter_blob, info.letter_blob_pages = doc.pdf_sha256, doc.pages
    elif ctx.letter_hook is not None:
        info.letter_source = ctx.letter_hook(ctx.store, ctx.case.id, today=ctx.build_date)
    if o.certificate_of_service and info.joint_motion:
        ctx.warnings.append(
            "No certificate of service: a joint motion does not carry one (8 CFR 1003.32(c))."
        )
    served_at_address = o.certificate_of_service and o.service_method != "ecas"
    address = o.service_address.strip() or (info.office.address if info.office else "")
    if served_at_address and not info.joint_motion and not address:
        raise BadInputError(
            "The certificate of service needs the address the packet is served at.",
            hint='Give the Chief Counsel\'s address (--service-address "..."), or serve '
            "through ECAS (--certificate-of-service ecas).",
        )
    if not p.pd_form:
        ctx.warnings.append(
            "No form of discretion chosen: the cover does not name the relief requested."
        )
    if not ctx.store.attorney().name:
        ctx.warnings.append("No attorney details: the cover has no attorney block.")
    ctx.exhibits = [PlannedExhibit(exhibit_letter(i), e) for i, e in enumerate(exhibits)]
    ctx.steps_total = 4 + len(ctx.exhibits)


# ---- step 2: plan ---------------------------------------------------------------
def _exhibit_segments(ctx: BuildContext, pe: PlannedExhibit) -> list[Segment]:
    ex = pe.exhibit
    tab = Segment("tab", f"Exhibit {pe.letter} - {ex.title}", 1, drawn=f"tab:{ex.id}", fit=False)
    translations = ex.files_with_role(FileRole.TRANSLATION)
    originals = ex.files_with_role(FileRole.DOCUMENT)
    uploaded_certs = ex.files_with_role(FileRole.CERTIFICATE)

    def files(kind: str, title: str, fs: tuple[ExhibitFile, ...]) -> list[Segment]:
        return [
            Segment(kind, title if n == 0 else "", f.pages, blob=f.pdf_sha256)
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
    if o.include_index:
        segs.append(Segment("index", "Index of Exhibits", index_pages, drawn="index", fit=False))
    for i, pe in enumerate(ctx.exhibits):
        pe.segments = _exhibit_segments(ctx, pe)
        for s in pe.segments:
            s.exhibit = pe
        segs.extend(_split_exhibit(ctx, i, pe))
    if info.joint_motion:
        seg = _document_segment(ctx, "proposed_order", "order", "Proposed order")
        segs.append(seg or Segment("order", "Proposed order", 1, drawn="order", fit=False))
    elif o.certificate_of_service:
        segs.append(Segment("service", "Certificate of service", 1, drawn="service", fit=False))
    if ctx.duplex:
        segs = _with_blank_versos(segs)
    _paginate(ctx, segs)
    if ctx.breaks:  # a part's contents page(s): as long as its rows need
        grown = False
        for s in segs:
            if s.kind == "part":
                rows = _index_rows(ctx, _part_segments(segs, s.part))
                n = layout.index_page_count(rows, note=_part_note(ctx, s.part))
                grown |= n != s.pages
                s.pages = n
        if grown:
            _paginate(ctx, segs)
    return segs


# kinds of segment that start a document (in duplex, on a right-hand page)
_STARTS = frozenset(
    {"cover", "letter", "appearance", "declaration", "index", "tab", "order", "service", "part"}
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


def _part_segments(segs: list[Segment], part: int) -> list[Segment]:
    return [s for s in segs if s.part == part]


def _index_layout(ctx: BuildContext) -> dict[str, Any]:
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


def _plan(ctx: BuildContext) -> None:
    ctx.step("Planning the packet")
    info = ctx.info
    letter_pages = info.letter_blob_pages
    segs = _compose(ctx, letter_pages, 1)
    index_pages = (
        layout.index_page_count(_index_rows(ctx, segs), **_index_layout(ctx))
        if ctx.options.include_index
        else 0
    )
    segs = _compose(ctx, letter_pages, index_pages)
    if info.letter_source is not None:
        ctx.step("Writing the request letter")
        for _attempt in range(3):
            ctx.cancel.raise_if_cancelled()
            pdf = info.letter_source.render(_cites(ctx))
            n = _count_pages(pdf, "the request letter")
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


def _count_pages(pdf: bytes, what: str) -> int:
    try:
        return len(PdfReader(io.BytesIO(pdf), strict=False).pages)
    except (PdfReadError, PdfStreamError, ValueError, KeyError) as exc:
        raise PdpacketError(f"{what} is not a readable PDF ({exc}).") from exc


# ---- step 3: draw ---------------------------------------------------------------
def _date_long(d: dt.date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def _date_short(d: dt.date | None) -> str:
    return f"{d:%m/%d/%Y}" if d else ""


def _range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}-{last}"


def _seg_range(s: Segment) -> str:
    return _range(s.number + 1, s.number + s.pages)


def _caption(ctx: BuildContext) -> layout.Caption:
    court = ctx.info.court
    lines: tuple[str, ...] = ()
    if court:
        lines = tuple(x for x in (court.name, court.address) if x)
    return layout.Caption(
        client_name=ctx.case.client.name,
        a_number=ctx.case.client.a_number_display,
        court_lines=lines,
        detained=ctx.case.proceedings.detained,
        facility=ctx.case.proceedings.facility,
    )


def _index_rows(ctx: BuildContext, segs: list[Segment]) -> list[layout.IndexRow]:
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
        if s.kind in ("letter", "appearance", "declaration", "order", "service"):
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
            if ex.section and ex.section != section:
                rows.append(layout.IndexRow(title=ex.section, heading=True))
            section = ex.section
            if s.kind == "continued":  # a part's contents: the exhibit began in an earlier part
                if any(x.kind == "tab" and x.exhibit is pe for x in segs):
                    continue  # the full index: one row per exhibit
                lo, hi = spans[ex.id]
                rows.append(
                    layout.IndexRow(
                        letter=pe.letter,
                        title=f"{ex.title} (continued)",
                        pages=_range(lo, hi),
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
                    date=_date_short(ex.doc_date),
                    pages=_range(*spans[ex.id]),
                    target=s.first,
                    part=_range(parts[0], parts[-1]) if split else "",
                )
            )
    return rows


def _attorney_lines(ctx: BuildContext) -> tuple[str, ...]:
    a = ctx.store.attorney()
    if not a.name:
        return ()
    lines = [a.name]
    if a.firm:
        lines.append(a.firm)
    lines += [x.strip() for x in a.address.replace(";", "\n").split("\n") if x.strip()]
    if a.phone:
        lines.append(f"Tel. {a.phone}")
    if a.email:
        lines.append(a.email)
    ids = []
    if a.bar_number:
        ids.append(f"Bar No. {a.bar_number}")
    if a.eoir_id:
        ids.append(f"EOIR ID {a.eoir_id}")
    if ids:
        lines.append("  ·  ".join(ids))
    return tuple(lines)


def _addressee(ctx: BuildContext) -> tuple[str, ...]:
    form, office = ctx.info.form, ctx.info.office
    if form is not None and form.addressee == "ero":
        return (
            "Field Office Director, Enforcement and Removal Operations",
            "U.S. Immigration and Customs Enforcement",
        )
    title = str(office.get("chief_counsel_title", "Chief Counsel")) if office else "Chief Counsel"
    lines = [f"{title}, Office of the Principal Legal Advisor"]
    lines.append("U.S. Immigration and Customs Enforcement")
    if office:
        lines.append(office.name)
        if office.address:
            lines.append(office.address)
    return tuple(lines)


def _document_title(ctx: BuildContext) -> str:
    form = ctx.info.form
    if not ctx.info.joint_motion:
        return "Request for Prosecutorial Discretion"
    if form is not None and form.joint_motion:
        return form.label
    motion = _JOINT_MOTIONS.get(form.id if form else "", ("joint motion", ""))[0]
    return motion[0].upper() + motion[1:]


_JOINT_MOTIONS = {
    "dismissal": (
        "joint motion to dismiss the proceedings without prejudice",
        "the proceedings are dismissed without prejudice",
    ),
    "termination": ("joint motion to terminate the proceedings", "the proceedings are terminated"),
    "administrative_closure": (
        "joint motion to administratively close the proceedings",
        "the proceedings are administratively closed",
    ),
    "continuance": (
        "joint motion to continue",
        "the hearing is continued to a date the court will set",
    ),
    "joint_motion_reopen": ("joint motion to reopen", "the proceedings are reopened"),
    "stipulated_bond": (
        "joint motion for a stipulated bond",
        "the respondent is released on a bond of $__________",
    ),
}


def _part_contents(ctx: BuildContext, part: int, caption: layout.Caption) -> layout.IndexInfo:
    """The first page(s) of part ``part`` of a split packet: what it holds."""
    segs = _part_segments(ctx.segments, part)
    numbered = [s for s in segs if s.numbered]
    first = numbered[0].number + 1
    last = numbered[-1].number + numbered[-1].pages
    return layout.IndexInfo(
        caption,
        tuple(_index_rows(ctx, segs)),
        title=f"PART {part} OF {ctx.part_count}",
        subtitle=f"pages {_range(first, last)}",
        note=_part_note(ctx, part),
    )


def _part_note(ctx: BuildContext, part: int) -> str:
    name = ctx.part_names[part - 1] if part <= len(ctx.part_names) else ""
    note = f"File {name}. " if name else ""
    return note + (
        "Part 1 holds the cover, the request letter and the full index of exhibits; the "
        "page numbers run on from one part to the next."
    )


def _draw(ctx: BuildContext) -> None:
    ctx.step("Laying out the cover, index and tab pages")
    o, info, case = ctx.options, ctx.info, ctx.case
    d = layout.Drawing(f"{_document_title(ctx)} - {case.title}")
    ctx.drawn_at = {}  # drawn again when an edition re-plans its parts
    at = ctx.drawn_at
    caption = _caption(ctx)
    fw = info.framework
    for s in ctx.segments:
        if not s.drawn or s.drawn in at:
            continue
        if s.drawn == "cover":
            p = case.proceedings
            form = info.form
            form_line = ""
            if form is not None:
                form_line = f"Form of discretion requested: {form.label}"
                form_line += f" ({form.hook})" if form.hook else ""
            hearing = ""
            if p.hearing_date:
                hearing = _date_long(p.hearing_date)
                if p.hearing_type:
                    hearing += f" ({p.hearing_type} hearing)"
            title = "REQUEST FOR PROSECUTORIAL DISCRETION"
            if info.joint_motion:
                title = _document_title(ctx).upper()
            at[s.drawn] = d.add_cover(
                layout.CoverInfo(
                    caption=caption,
                    title=title,
                    form_line=form_line,
                    joint_motion=info.joint_motion,
                    attorney_lines=_attorney_lines(ctx),
                    judge=p.judge,
                    hearing=hearing,
                    addressee_lines=_addressee(ctx),
                    receipts=p.receipts,
                    date_text=_date_long(ctx.build_date),
                )
            )
        elif s.drawn == "index":
            at[s.drawn] = d.add_index(
                layout.IndexInfo(
                    caption, tuple(_index_rows(ctx, ctx.segments)), **_index_layout(ctx)
                )
            )
        elif s.kind == "part":
            at[s.drawn] = d.add_index(_part_contents(ctx, s.part, caption))
        elif s.kind == "continued" and s.exhibit is not None:
            pe = s.exhibit
            ex = pe.exhibit
            before = [x.part for x in pe.segments if x.first < s.first]
            at[s.drawn] = d.add_tab(
                layout.TabInfo(
                    letter=pe.letter,
                    title=ex.title,
                    section=ex.section,
                    pages=_range(pe.first_page, pe.last_page),
                    continued=f"(continued from Part {before[-1] if before else s.part - 1})",
                )
            )
        elif s.drawn == "blank":
            at[s.drawn] = d.add_blank()
        elif s.drawn == "copies" and ctx.copies is not None:
            at[s.drawn] = d.add_copies_sheet(ctx.copies)
        elif s.drawn.startswith("tab:") and s.exhibit is not None:
            pe = s.exhibit
            ex = pe.exhibit
            factors: list[str] = []
            addresses: list[str] = []
            for fid in ex.factor_ids:
                f = fw.factor(fid) if fw else None
                label = f.label if f else fid.replace("_", " ")
                negative = f is not None and f.polarity == Polarity.NEGATIVE
                (addresses if negative else factors).append(label)
            contents = tuple(x.title for x in pe.segments[1:] if x.title) if pe.translated else ()
            at[s.drawn] = d.add_tab(
                layout.TabInfo(
                    letter=pe.letter,
                    title=ex.title,
                    description=ex.description,
                    date=_date_long(ex.doc_date) if ex.doc_date else "",
                    section=ex.section,
                    factors=tuple(factors),
                    addresses=tuple(addresses),
                    contents=contents,
                    pages=_range(pe.first_page, pe.last_page),
                )
            )
        elif s.drawn.startswith("cert:") and s.exhibit is not None:
            pe = s.exhibit
            ex = pe.exhibit
            t = ex.translator
            originals = ex.files_with_role(FileRole.DOCUMENT)
            names = ", ".join(f.original_name for f in originals)
            docs = (f"Exhibit {pe.letter}: {ex.title}" + (f" ({names})" if names else ""),)
            language = t.language or (ex.language if ex.needs_translation else "")
            at[s.drawn] = d.add_translator_certificate(
                layout.TranslatorCertificateInfo(
                    pe.letter, t.name, t.address, t.phone, language, docs
                )
            )
        elif s.drawn == "order":
            form = info.form
            motion, relief = _JOINT_MOTIONS.get(
                form.id if form else "",
                ("joint motion", "the relief requested in the joint motion is granted"),
            )
            at[s.drawn] = d.add_proposed_order(layout.OrderInfo(caption, motion, relief))
        elif s.drawn == "service":
            a = ctx.store.attorney()
            office = info.office
            served = ["Office of the Principal Legal Advisor"]
            if office:
                served.append(office.name)
            if o.service_method != "ecas":
                address = o.service_address.strip() or (office.address if office else "")
                served += [x.strip() for x in address.replace(";", "\n").split("\n") if x.strip()]
            at[s.drawn] = d.add_certificate_of_service(
                layout.ServiceInfo(
                    caption=caption,
                    document_title=_document_title(ctx)
                    .lower()
                    .replace(
                        "request for prosecutorial discretion",
                        "Request for Prosecutorial Discretion",
                    ),
                    date_text=_date_long(ctx.build_date),
                    attorney_name=a.name,
                    attorney_ids=f"EOIR ID {a.eoir_id}" if a.eoir_id else "",
                    method=o.service_method,
                    served_on=tuple(served),
                )
            )
    d.add_font_carrier()
    ctx.drawn = d.finish()


# ---- the streaming PDF writer --------------------------------------------------
_DROP_KEYS = frozenset(
    {"/Metadata", "/PieceInfo", "/LastModified", "/StructParent", "/StructParents"}
)
_NOT_COPIED_TYPES = frozenset({b"/Page", b"/Pages", b"/Catalog", b"/Annot"})
_CHUNK = 1 << 20


class _Out:
    """A PDF written object by object to a file.

    Chunks go to a background thread that writes and hashes them (both release
    the GIL), so disk and SHA-256 run beside the parsing on the other core.
    """

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.pos = 0
        self.offsets: list[int] = [0]
        self._buf: list[bytes | memoryview] = []
        self._buflen = 0
        self.sha = hashlib.sha256()
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="pdpacket-writer", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while True:
            data = self._queue.get()
            if data is None:
                return
            if self._error is not None:
                continue
            try:
                self.fh.write(data)
                self.sha.update(data)
            except BaseException as exc:  # e.g. disk full: raised in the builder
                self._error = exc

    def w(self, data: bytes | memoryview) -> None:
        self._buf.append(data)
        self._buflen += len(data)
        self.pos += len(data)
        if self._buflen >= _CHUNK:
            self._send()

    def _send(self) -> None:
        if self._error is not None:
            raise self._error
        if self._buf:
            self._queue.put(b"".join(self._buf))
            self._buf.clear()
            self._buflen = 0

    def close(self) -> None:
        """Write what is left and wait for the writer thread."""
        try:
            self._send()
        finally:
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        self._error = self._error or RuntimeError("aborted")
        self._buf.clear()
        self._queue.put(None)
        self._thread.join()

    def alloc(self) -> int:
        self.offsets.append(-1)
        return len(self.offsets) - 1

    def obj(self, num: int, body: bytes) -> None:
        self.offsets[num] = self.pos
        self.w(b"%d 0 obj\n" % num)
        self.w(body)
        self.w(b"\nendobj\n")

    def stream(self, num: int, dict_body: bytes, data: bytes | memoryview) -> None:
        self.offsets[num] = self.pos
        self.w(b"%d 0 obj\n<<%s/Length %d>>\nstream\n" % (num, dict_body, len(data)))
        self.w(data)
        self.w(b"\nendstream\nendobj\n")


_NAME_CACHE: dict[str, bytes] = {}


def _name(n: str) -> bytes:
    b = _NAME_CACHE.get(n)
    if b is None:
        b = NameObject(n).renumber()
        if len(_NAME_CACHE) < 50_000:
            _NAME_CACHE[n] = b
    return b


def _pdf_string(text: str) -> bytes:
    """A PDF text string: literal when ASCII, else UTF-16BE with a byte-order mark."""
    if text.isascii():
        esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        esc = esc.replace("\r", "\\r").replace("\n", "\\n")
        return b"(" + esc.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


# ---- reading source PDFs --------------------------------------------------------
# pypdf parses each file's cross-reference table and trailer; the objects the
# packet needs are then read by a small tokenizer straight from the file's bytes
# (pypdf's object parser costs more than the rest of the build together).  Any
# object the tokenizer is not sure about -- in an object stream, encrypted, at a
# wrong offset, a stream whose /Length is off -- is read by pypdf instead.
# Values are plain Python: dict (keys are names as written, e.g. "/Font"), list,
# and the three token types below, each kept exactly as written.
class _Name(bytes):
    """A PDF name as written, e.g. ``/F1``."""


class _Raw(bytes):
    """Any other direct token as written: a number, string, true, false, null."""


class _Ref(NamedTuple):
    idnum: int
    gen: int


_NULL = _Raw(b"null")
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_SKIP = rb"(?:[\x00\t\n\x0c\r ]+|%[^\r\n]*)*"
_TOKEN = re.compile(
    _SKIP + rb"(?:"
    rb"(?P<ref>(?P<n1>\d+)[\x00\t\n\x0c\r ]+(?P<n2>\d+)[\x00\t\n\x0c\r ]+R(?!" + _REGULAR + rb"))"
    rb"|(?P<dopen><<)|(?P<dclose>>>)|(?P<aopen>\[)|(?P<aclose>\])|(?P<str>\()"
    rb"|(?P<name>/" + _REGULAR + rb"*)"
    rb"|(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)"
    rb"|(?P<word>" + _REGULAR + rb"+)"
    rb")"
)
_NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)\Z")
_OBJ_HEADER = re.compile(
    rb"[\x00\t\n\x0c\r ]*(\d+)[\x00\t\n\x0c\r ]+(\d+)[\x00\t\n\x0c\r ]+obj(?!" + _REGULAR + rb")"
)
_STREAM = re.compile(_SKIP + rb"stream(?:\r\n|\n)")
_ENDSTREAM = re.compile(rb"[\x00\t\n\x0c\r ]*endstream")
_STRING_STOP = re.compile(rb"[()\\]")
_KEYWORDS = frozenset({b"true", b"false", b"null"})
_INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")


class _Unusual(Exception):
    """The tokenizer is not sure about this object: pypdf reads it."""


def _literal(data: bytes, start: int) -> tuple[_Raw, int]:
    depth, pos = 0, start
    while True:
        m = _STRING_STOP.search(data, pos)
        if m is None:
            raise _Unusual
        c = data[m.start()]
        if c == 0x5C:  # backslash: skip the escaped character
            pos = m.start() + 2
            continue
        depth += 1 if c == 0x28 else -1
        pos = m.end()
        if depth == 0:
            return _Raw(data[start:pos]), pos


def _parse(data: bytes, pos: int, depth: int = 0) -> tuple[Any, int]:
    """The direct object at ``pos`` and the position after it."""
    m = _TOKEN.match(data, pos)
    if m is None or depth > 64:
        raise _Unusual
    kind, end = m.lastgroup, m.end()
    if kind == "name":
        return _Name(m["name"]), end
    if kind == "ref":
        return _Ref(int(m["n1"]), int(m["n2"])), end
    if kind == "word":
        word = m["word"]
        if word in _KEYWORDS or _NUMBER.match(word):
            return _Raw(word), end
        raise _Unusual
    if kind == "dopen":
        d: dict[str, Any] = {}
        while True:
            k = _TOKEN.match(data, end)
            if k is None:
                raise _Unusual
            if k.lastgroup == "dclose":
                return d, k.end()
            if k.lastgroup != "name":
                raise _Unusual
            d[k["name"].decode("latin-1")], end = _parse(data, k.end(), depth + 1)
    if kind == "aopen":
        items: list[Any] = []
        while True:
            k = _TOKEN.match(data, end)
            if k is None:
                raise _Unusual
            if k.lastgroup == "aclose":
                return items, k.end()
            value, end = _parse(data, end, depth + 1)
            items.append(value)
    if kind == "str":
        return _literal(data, m.start("str"))
    if kind == "hex":
        return _Raw(m["hex"]), end
    raise _Unusual


def _from_pypdf(o: Any) -> Any:
    """A pypdf object as the plain values above."""
    t = type(o)
    if t is IndirectObject:
        return _Ref(o.idnum, o.generation)
    if t is NameObject:
        return _Name(_name(o))
    if isinstance(o, DictionaryObject):
        return {_name(k).decode("latin-1"): _from_pypdf(v) for k, v in dict.items(o)}
    if isinstance(o, ArrayObject):
        return [_from_pypdf(x) for x in o]
    if t is NumberObject:
        return _Raw(b"%d" % o)
    if t is FloatObject:
        return _Raw(o.myrepr().encode("ascii"))
    if t is BooleanObject:
        return _Raw(b"true" if o else b"false")
    if isinstance(o, PdfObject) and not isinstance(o, NullObject):
        buf = io.BytesIO()
        o.write_to_stream(buf)
        return _Raw(buf.getvalue())
    return _NULL


class _Source:
    """One source PDF (a stored file, the letter, the drawn pages)."""

    def __init__(self, data: bytes, what: str) -> None:
        self.data = data
        self.what = what
        try:
            self.reader = PdfReader(io.BytesIO(data), strict=False)
            self.fast = not self.reader.is_encrypted
        except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError) as exc:
            raise IntegrityError(
                f"{what} cannot be read as a PDF any more ({exc}): the stored copy is damaged.",
                hint="Remove the file from the exhibit and add it again.",
            ) from exc
        self._view = memoryview(data)
        self._cache: dict[_Ref, tuple[Any, bytes | memoryview | None]] = {}
        self._pages: list[dict[str, Any]] | None = None

    def get(self, ref: _Ref) -> tuple[Any, bytes | memoryview | None]:
        """The object ``ref`` names, and its stream data if it is a stream."""
        hit = self._cache.get(ref)
        if hit is None:
            if self.fast:
                try:
                    hit = self._read(ref)
                except (_Unusual, ValueError, IndexError, RecursionError):
                    hit = None
            if hit is None:
                hit = self._read_with_pypdf(ref)
            self._cache[ref] = hit
        return hit

    def resolve(self, v: Any) -> Any:
        return self.get(v)[0] if type(v) is _Ref else v

    def _read(self, ref: _Ref) -> tuple[Any, memoryview | None]:
        reader = self.reader
        if ref.idnum in reader.xref_objStm:
            raise _Unusual
        offset = reader.xref.get(ref.gen, {}).get(ref.idnum)
        if offset is None:
            raise _Unusual
        data = self.data
        m = _OBJ_HEADER.match(data, offset)
        if m is None or int(m[1]) != ref.idnum or int(m[2]) != ref.gen:
            raise _Unusual
        value, pos = _parse(data, m.end())
        if type(value) is dict:
            s = _STREAM.match(data, pos)
            if s is not None:
                length = value.get("/Length")
                if type(length) is _Ref:
                    length = self.get(length)[0]
                if type(length) is not _Raw or not length.isdigit():
                    raise _Unusual
                start = s.end()
                end = start + int(length)
                if _ENDSTREAM.match(data, end) is None:
                    raise _Unusual
                return value, self._view[start:end]
        return value, None

    def _read_with_pypdf(self, ref: _Ref) -> tuple[Any, bytes | None]:
        try:
            obj = self.reader.get_object(IndirectObject(ref.idnum, ref.gen, self.reader))
        except (
            PdfReadError,
            PdfStreamError,
            ValueError,
            KeyError,
            AttributeError,
            TypeError,
        ) as exc:
            log.warning("%s: object %d unreadable (%s); written as null", self.what, ref.idnum, exc)
            return _NULL, None
        if isinstance(obj, StreamObject):
            return _from_pypdf(obj), obj._data
        return _from_pypdf(obj), None

    def pages(self, expected: int) -> list[dict[str, Any]]:
        """Every page dictionary, with the attributes it inherits filled in."""
        if self._pages is None:
            self._pages = self._find_pages(expected)
        return self._pages

    def _find_pages(self, expected: int) -> list[dict[str, Any]]:
        if self.fast:
            try:
                found = self._walk_pages()
                if len(found) == expected:
                    return found
            except (_Unusual, KeyError, TypeError, ValueError, RecursionError):
                pass
        try:
            return [_from_pypdf(p) for p in self.reader.pages]
        except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError) as exc:
            raise IntegrityError(
                f"{self.what} cannot be read as a PDF any more ({exc}): the stored copy is "
                f"damaged.",
                hint="Remove the file from the exhibit and add it again.",
            ) from exc

    def _walk_pages(self) -> list[dict[str, Any]]:
        root = self.resolve(_from_pypdf(dict.get(self.reader.trailer, "/Root")))
        out: list[dict[str, Any]] = []
        seen: set[_Ref] = set()

        def walk(node: Any, inherited: dict[str, Any], depth: int) -> None:
            if type(node) is not dict or depth > 32:
                raise _Unusual
            if node.get("/Type") == b"/Page":
                page = dict(inherited)
                page.update(node)
                out.append(page)
                return
            kids = self.resolve(node.get("/Kids"))
            if type(kids) is not list:
                raise _Unusual
            here = dict(inherited)
            here.update((k, node[k]) for k in _INHERITED if k in node)
            for kid in kids:
                if type(kid) is not _Ref or kid in seen:
                    raise _Unusual
                seen.add(kid)
                walk(self.resolve(kid), here, depth + 1)

        walk(self.resolve(root["/Pages"]), {}, 0)
        return out


_KEY_CACHE: dict[str, bytes] = {}


def _key(k: str) -> bytes:
    b = _KEY_CACHE.get(k)
    if b is None:
        b = k.encode("latin-1")
        if len(_KEY_CACHE) < 50_000:
            _KEY_CACHE[k] = b
    return b


class _Copier:
    """Copies objects from one source into ``_Out``, renumbering references.

    ``memo`` maps the source's (object, generation) to output numbers; it is
    kept per source file (by hash) so a file used twice is written once.
    """

    def __init__(self, out: _Out, src: _Source, memo: dict[_Ref, int]) -> None:
        self.out = out
        self.src = src
        self.memo = memo
        self.pending: list[tuple[_Ref, int]] = []
        self.image_hook: ImageHook | None = None

    def ref(self, r: _Ref) -> int:
        num = self.memo.get(r)
        if num is None:
            num = self.out.alloc()
            self.memo[r] = num
            self.pending.append((r, num))
        return num

    def ser(self, v: Any, parts: list[bytes]) -> None:
        t = type(v)
        if t is _Name:
            parts.append(v)
        elif t is _Raw:
            parts.append(b" ")
            parts.append(v)
        elif t is _Ref:
            parts.append(b" %d 0 R" % self.ref(v))
        elif t is dict:
            parts.append(b"<<")
            for k, x in v.items():
                if k in _DROP_KEYS:
                    continue
                parts.append(_key(k))
                self.ser(x, parts)
            parts.append(b">>")
        elif t is list:
            parts.append(b"[")
            for x in v:
                self.ser(x, parts)
            parts.append(b"]")
        else:
            parts.append(b" null")

    def drain(self) -> None:
        """Write every object referenced so far (and what they reference)."""
        while self.pending:
            r, num = self.pending.pop()
            value, stream = self.src.get(r)
            parts: list[bytes] = []
            if stream is not None and type(value) is dict:
                if self.image_hook is not None and value.get("/Subtype") == b"/Image":
                    value, stream = _recode_image(self.src, value, stream, self.image_hook)
                for k, x in value.items():
                    if k == "/Length" or k in _DROP_KEYS:
                        continue
                    parts.append(_key(k))
                    self.ser(x, parts)
                self.out.stream(num, b"".join(parts), stream)
            elif type(value) is dict and value.get("/Type") in _NOT_COPIED_TYPES:
                self.out.obj(num, b"null")
            else:
                self.ser(value, parts)
                self.out.obj(num, b"".join(parts).lstrip())


@dataclass
class _OutPage:
    num: int
    annots: list[int] = field(default_factory=list)


class _Writer:
    """Packet pages, bookmarks and labels, written through ``_Out``."""

    def __init__(self, out: _Out) -> None:
        self.out = out
        self.catalog = out.alloc()
        self.pages_root = out.alloc()
        self.pages: list[_OutPage] = []
        self.memos: dict[str, dict[_Ref, int]] = {}
        self._prefixes: dict[bytes, int] = {}
        self._resources: dict[tuple[str, _Ref], tuple[int, bytes]] = {}
        self.stamp_font = 0
        self.annotations_dropped = 0
        self._page_parts: dict[int, list[bytes]] = {}
        self.links: list[tuple[int, layout.Rect, int]] = []  # (annotation, rect, target page)
        self.image_hook: ImageHook | None = None

    def copier(self, key: str, src: _Source) -> _Copier:
        cp = _Copier(self.out, src, self.memos.setdefault(key, {}))
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

    def _resources_bytes(self, cp: _Copier, key: str, page: dict[str, Any]) -> tuple[bytes, bytes]:
        """The page's resources with the stamp font added, and the font's name there.
        Resources shared between pages stay shared (one copy per source object)."""
        raw = page.get("/Resources")
        if type(raw) is _Ref:
            cached = self._resources.get((key, raw))
            if cached is not None:
                return b" %d 0 R" % cached[0], cached[1]
            body, font_name = self._resources_dict(cp, cp.src.resolve(raw))
            num = self.out.alloc()
            self.out.obj(num, body)
            self._resources[(key, raw)] = (num, font_name)
            return b" %d 0 R" % num, font_name
        return self._resources_dict(cp, raw)

    def _resources_dict(self, cp: _Copier, res: Any) -> tuple[bytes, bytes]:
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
            parts.append(_key(k))
            cp.ser(v, parts)
        parts.append(b"/Font<<")
        for k, v in fonts.items():
            parts.append(_key(k))
            cp.ser(v, parts)
        font_key = _key(font_name)
        parts.append(font_key + b" %d 0 R>>>>" % self.stamp_font)
        return b"".join(parts), font_key

    def add_page(
        self,
        cp: _Copier,
        key: str,
        page: dict[str, Any],
        *,
        fit: bool,
        number: str,
        label: str,
        top: float = 0.0,
    ) -> _OutPage:
        src = cp.src
        placement = stamps.place(_visible_box(src, page), _rotation(src, page), fit=fit, top=top)
        prefix = self._prefix(placement.prefix)
        contents = _content_refs(src, page)
        resources, font_name = self._resources_bytes(cp, key, page)
        stamp_num = self.out.alloc()
        self.out.stream(
            stamp_num, b"", stamps.stamp_stream(number, label, font_name.decode("latin-1"))
        )
        num = self.out.alloc()
        parts = [
            b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 612 792]/Resources" % self.pages_root,
            resources,
            b"/Contents[%d 0 R" % prefix,
        ]
        for c in contents:
            parts.append(b" %d 0 R" % cp.ref(c))
        parts.append(b" %d 0 R]" % stamp_num)
        group = page.get("/Group")
        if group is not None:
            parts.append(b"/Group")
            cp.ser(group, parts)
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


def _number(src: _Source, v: Any) -> float:
    v = src.resolve(v)
    if type(v) is not _Raw:
        raise ValueError("not a number")
    return float(v)


def _rect(src: _Source, v: Any) -> tuple[float, float, float, float] | None:
    try:
        arr = src.resolve(v)
        x0, y0, x1, y1 = (_number(src, x) for x in arr)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _visible_box(src: _Source, page: dict[str, Any]) -> tuple[float, float, float, float]:
    media = _rect(src, page.get("/MediaBox")) or (0.0, 0.0, PAGE_W, PAGE_H)
    crop = _rect(src, page.get("/CropBox"))
    if crop is None:
        return media
    box = (
        max(media[0], crop[0]),
        max(media[1], crop[1]),
        min(media[2], crop[2]),
        min(media[3], crop[3]),
    )
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        return media
    return box


def _rotation(src: _Source, page: dict[str, Any]) -> int:
    try:
        value = int(_number(src, page.get("/Rotate", _Raw(b"0"))))
    except (TypeError, ValueError, OverflowError):
        return 0
    return value % 360 if value % 90 == 0 else 0


def _content_refs(src: _Source, page: dict[str, Any]) -> list[_Ref]:
    raw = page.get("/Contents")
    if type(raw) is _Ref:
        value, stream = src.get(raw)
        if stream is not None:
            return [raw]
        raw = value
    if type(raw) is list:
        return [c for c in raw if type(c) is _Ref]
    return []


# ---- step 4: write --------------------------------------------------------------
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
    ctx: BuildContext, s: Segment, drawn: _Source, files: _Prefetch
) -> Iterator[tuple[str, _Source, dict[str, Any]]]:
    """(memo key, source, page dictionary) of each page of segment ``s``."""
    if s.drawn:
        start = ctx.drawn_at[s.drawn]
        pages = drawn.pages(ctx.drawn.pages if ctx.drawn else 0)
        for i in range(start, start + s.pages):
            yield "drawn", drawn, pages[i]
        return
    if s.letter_pdf:
        src = _Source(ctx.letter_pdf, "The request letter")
        key = "letter:" + hashlib.sha256(ctx.letter_pdf).hexdigest()
    else:
        what = s.title or (f"Exhibit {s.exhibit.letter}" if s.exhibit else "A document")
        src = _Source(files.read(s.blob), what)
        key = s.blob
    total = s.of or s.pages
    pages = src.pages(total)
    if len(pages) != total:
        raise IntegrityError(
            f"A stored file of {s.title or 'the packet'} has {len(pages)} pages, "
            f"not the {total} recorded.",
            hint="Remove the file from the exhibit and add it again.",
        )
    for page in pages[s.skip : s.skip + s.pages]:
        yield key, src, page


def _trusted_letter_size(src: _Source, page: dict[str, Any]) -> bool:
    return stamps.is_letter(_visible_box(src, page), _rotation(src, page))


@dataclass
class Output:
    """One file the build writes: the whole packet, or one part of a split one."""

    path: Path
    segments: list[Segment]
    part: int = 0  # 0: the whole packet; else its part number
    tmp_path: Path | None = None
    sha256: str = ""
    size: int = 0

    @property
    def pages(self) -> int:
        return sum(s.pages for s in self.segments)


def _write(ctx: BuildContext) -> None:
    """Write every output (one file, or one per part) to a temporary file beside it.
    A file's last bytes, its fsync and hash finish on a helper thread while the
    next part is being written."""
    assert ctx.drawn is not None
    if not ctx.outputs:
        ctx.outputs = [Output(ctx.out_path, ctx.segments)]
    pool = ThreadPoolExecutor(1, thread_name_prefix="pdpacket-finish")
    pending: list[Future[None]] = []
    try:
        for output in ctx.outputs:
            pending.append(_write_output(ctx, output, pool))
        for done in pending:
            done.result()
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        discard(ctx)
        raise
    pool.shutdown(wait=True)
    first = ctx.outputs[0]
    ctx.tmp_path, ctx.sha256, ctx.size = first.tmp_path, first.sha256, first.size


def _write_output(ctx: BuildContext, output: Output, pool: ThreadPoolExecutor) -> Future[None]:
    out_dir = output.path.parent
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{output.path.name}.", suffix=".part")
    output.tmp_path = Path(tmp)
    fh = os.fdopen(fd, "wb")
    try:
        out = _Out(fh)
        files = _Prefetch(ctx.store, [s.blob for s in output.segments if s.blob])
        try:
            _write_body(ctx, out, files, output)
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


def _write_body(ctx: BuildContext, out: _Out, files: _Prefetch, output: Output) -> None:
    assert ctx.drawn is not None
    o = ctx.options
    out.w(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    wr = _Writer(out)
    wr.image_hook = ctx.image_hook
    drawn = ctx.drawn_source
    if drawn is None or drawn.data is not ctx.drawn.pdf:  # parsed once for every part
        drawn = ctx.drawn_source = _Source(ctx.drawn.pdf, "the pages pdpacket draws")
    drawn_cp = wr.copier("drawn", drawn)
    carrier = drawn.pages(ctx.drawn.pages)[ctx.drawn.stamp_font_page]
    fonts = drawn.resolve(drawn.resolve(carrier["/Resources"])["/Font"])
    wr.stamp_font = drawn_cp.ref(fonts[ctx.drawn.stamp_font_name])
    drawn_cp.drain()
    segments = output.segments
    base = segments[0].first  # packet page index of the file's first page
    count = output.pages
    total = ctx.total_numbered
    prefix = o.bates_prefix
    copiers: dict[str, _Copier] = {"drawn": drawn_cp}
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
            op = wr.add_page(cp, key, page, fit=fit, number=number, label=label, top=ctx.top_clear)
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


def _write_links(out: _Out, wr: _Writer) -> None:
    for num, rect, target in wr.links:
        r = " ".join(stamps._num(v) for v in (rect.x0, rect.y0, rect.x1, rect.y1))
        out.obj(
            num,
            b"<</Type/Annot/Subtype/Link/Rect[%s]/Border[0 0 0]/F 4/Dest[%d 0 R/Fit]>>"
            % (r.encode("ascii"), wr.pages[target].num),
        )


@dataclass
class _Node:
    title: str
    page: int  # 0-based packet page index
    kids: list[_Node] = field(default_factory=list)
    open: bool = False


def _outline(ctx: BuildContext, segments: list[Segment] | None = None) -> list[_Node]:
    """The bookmarks of ``segments`` (default: the whole packet); pages are
    counted from the first of them."""
    segments = ctx.segments if segments is None else segments
    base = segments[0].first if segments else 0
    top: list[_Node] = []
    section: _Node | None = None
    section_name = None
    for s in segments:
        if s.exhibit is None:
            section, section_name = None, None
            if s.title:  # blank backs have no bookmark
                top.append(_Node(s.title, s.first - base))
            continue
        pe = s.exhibit
        if s.kind in ("tab", "continued"):
            name = pe.exhibit.section
            if name and name != section_name:
                section = _Node(name, s.first - base, open=True)
                top.append(section)
            elif not name:
                section = None
            section_name = name
            node = _Node(s.title, s.first - base)
            (section.kids if section else top).append(node)
            current_exhibit = node
        elif pe.translated and s.title:
            current_exhibit.kids.append(_Node(s.title, s.first - base))
    return top


def _write_outline(out: _Out, wr: _Writer, nodes: list[_Node]) -> int:
    root = out.alloc()

    def visible(ns: list[_Node]) -> int:
        return sum(1 + (visible(n.kids) if n.open else 0) for n in ns)

    def write(ns: list[_Node], parent: int) -> tuple[int, int]:
        nums = [out.alloc() for _ in ns]
        for i, (node, num) in enumerate(zip(ns, nums, strict=True)):
            body = [b"<</Title", _pdf_string(node.title), b"/Parent %d 0 R" % parent]
            if i > 0:
                body.append(b"/Prev %d 0 R" % nums[i - 1])
            if i + 1 < len(nums):
                body.append(b"/Next %d 0 R" % nums[i + 1])
            if node.kids:
                first, last = write(node.kids, num)
                count = visible(node.kids)
                body.append(
                    b"/First %d 0 R/Last %d 0 R/Count %d"
                    % (first, last, count if node.open else -count)
                )
            body.append(b"/Dest[%d 0 R/XYZ null null null]>>" % wr.pages[node.page].num)
            out.obj(num, b"".join(body))
        return nums[0], nums[-1]

    if nodes:
        first, last = write(nodes, root)
        out.obj(
            root,
            b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>" % (first, last, visible(nodes)),
        )
    else:
        out.obj(root, b"<</Type/Outlines/Count 0>>")
    return root


def _pdf_date(d: dt.date) -> bytes:
    return b"(D:%04d%02d%02d000000Z)" % (d.year, d.month, d.day)


def _document_id(ctx: BuildContext, output: Output | None = None) -> bytes:
    """A hash of everything the packet is made from: same inputs, same /ID."""
    assert ctx.drawn is not None
    h = hashlib.sha256()
    h.update(FORMAT_VERSION.encode())
    h.update(repr(sorted((k, str(v)) for k, v in asdict(ctx.options).items())).encode())
    h.update(hashlib.sha256(ctx.drawn.pdf).digest())
    h.update(hashlib.sha256(ctx.letter_pdf).digest())
    for s in ctx.segments if output is None else output.segments:
        h.update(f"{s.kind}|{s.blob}|{s.drawn}|{s.pages}|{s.fit}\n".encode())
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
                        entry += b"/P" + _pdf_string(label_prefix)
                    if n != 1:
                        entry += b"/St %d" % n
                    nums.append(b"%d %s>>" % (page, entry))
                expect = (n + 1, label_prefix)
                last = f"{label_prefix}{n}"
            else:  # the copies sheet; a blank back is named after the page before it
                what = "Copies" if s.kind == "copies" else f"{last or 'Copies'} (blank)"
                nums.append(b"%d <</P%s>>" % (page, _pdf_string(what)))
                expect = None
            page += 1
    return nums


def _finish(ctx: BuildContext, out: _Out, wr: _Writer, output: Output) -> None:
    _write_links(out, wr)
    kids = b"".join(b" %d 0 R" % p.num for p in wr.pages)
    out.obj(wr.pages_root, b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(wr.pages), kids))
    outlines = _write_outline(out, wr, _outline(ctx, output.segments))
    nums = _page_labels(ctx, output.segments)
    out.obj(
        wr.catalog,
        b"<</Type/Catalog/Pages %d 0 R/Outlines %d 0 R/PageMode/UseOutlines"
        b"/PageLabels<</Nums[%s]>>/ViewerPreferences<</DisplayDocTitle true>>/Lang(en-US)>>"
        % (wr.pages_root, outlines, b" ".join(nums)),
    )
    info = out.alloc()
    title = f"{_document_title(ctx)} - {ctx.case.title}"
    if output.part:
        title += f" - Part {output.part} of {ctx.part_count}"
    date = _pdf_date(ctx.build_date)
    out.obj(
        info,
        b"<</Title%s/Creator(pdpacket %s)/Producer(pdpacket %s)/CreationDate%s/ModDate%s>>"
        % (_pdf_string(title), __version__.encode(), __version__.encode(), date, date),
    )
    xref = out.pos
    size = len(out.offsets)
    out.w(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    missing = [n for n, off in enumerate(out.offsets) if off < 0]
    if missing:
        raise RuntimeError(f"objects allocated but never written: {missing[:5]}")
    out.w(b"".join(b"%010d 00000 n \n" % off for off in out.offsets[1:]))
    doc_id = _document_id(ctx, output if output.part else None)
    out.w(
        b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
        % (size, wr.catalog, info, doc_id, doc_id, xref)
    )  # closed (and hashed, and synced) by ``_write_output``'s finish


# ---- step 5: publish ------------------------------------------------------------
def _publish(ctx: BuildContext) -> None:
    """``os.replace`` each temporary file onto its name: the very last step."""
    try:
        ctx.cancel.raise_if_cancelled()
        for output in ctx.outputs:
            assert output.tmp_path is not None
            os.replace(output.tmp_path, output.path)
            output.tmp_path = None
    except BaseException:
        discard(ctx)
        raise
    for folder in {o.path.parent for o in ctx.outputs}:
        fsync_dir(folder)


def _record(ctx: BuildContext, extra: Mapping[str, object] | None = None) -> BuildResult:
    """Record the build.  The record's path, size and SHA-256 are those of the
    first file (part 1 of a split packet); ``extra`` adds to its options (the
    editions record their parts there)."""
    files: list[str] = []
    for s in ctx.segments:
        if s.blob and s.blob not in files:
            files.append(s.blob)
    if ctx.annotations_dropped:
        ctx.warnings.append(
            f"{ctx.annotations_dropped} comments, links or form fields inside evidence files "
            f"were left out of the packet (only the printed page content is kept)."
        )
    options: dict[str, object] = {k: str(v) for k, v in asdict(ctx.options).items()}
    options["build_date"] = ctx.build_date.isoformat()
    parts = [o for o in ctx.outputs if o.part]
    if parts:
        options["parts"] = [str(o.path.resolve()) for o in parts]
        options["part_sizes"] = [o.size for o in parts]
        options["part_sha256"] = [o.sha256 for o in parts]
    options.update(extra or {})
    first = ctx.outputs[0] if ctx.outputs else Output(ctx.out_path, ctx.segments)
    build_id = ctx.store.record_build(
        ctx.case.id,
        path=str(first.path.resolve()),
        pages=ctx.total_pages,
        size=first.size,
        sha256=first.sha256,
        options=options,
        files=files,
    )
    total = sum(o.size for o in ctx.outputs)
    log.info("built %s: %d pages, %d bytes", first.path, ctx.total_pages, total)
    return BuildResult(
        path=str(first.path),
        pages=ctx.total_pages,
        size=total,
        sha256=first.sha256,
        build_id=build_id,
        parts=tuple(str(o.path) for o in parts),
        part_sizes=tuple(o.size for o in parts),
        warnings=tuple(ctx.warnings),
        edition=ctx.options.edition,
    )


# ---- sizes, for splitting a packet into parts -------------------------------------
# Estimates in bytes of what each piece adds to a file, made before writing so
# the parts can be planned; ``pdpacket.editions`` then measures the files as
# written and plans again when one came out over its limit.
PAGE_OVERHEAD = 420  # what the writer adds per page: page dict, placement, stamp, xref
DRAWN_PAGE = 3_500  # a page pdpacket draws (text; its fonts are counted once per file)
_OBJECT_OVERHEAD = 90  # an object's number, dictionary and xref entry
_NOT_FOLLOWED = frozenset({"/Parent", "/Annots", "/B", "/Thumb", *_DROP_KEYS})


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
    return _blob_size(ctx, s.blob) + PAGE_OVERHEAD * s.pages


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
    whole = cache.get(s.blob)
    if whole is None:
        whole = cache[s.blob] = _file_page_sizes(ctx, s)
    end = s.skip + s.pages
    return PageSizes(whole.own[s.skip : end], whole.again[s.skip : end])


def _file_page_sizes(ctx: BuildContext, s: Segment) -> PageSizes:
    total = s.of or s.pages
    src = _Source(ctx.store.blobs.read(s.blob), s.title or "A stored file")
    pages = src.pages(total)
    sizes: dict[_Ref, int] = {}
    seen: set[_Ref] = set()
    own: list[int] = []
    again: list[int] = []
    for page in pages:
        reach: set[_Ref] = set()
        _reachable(src, page, reach, ctx.image_hook, sizes)
        own.append(PAGE_OVERHEAD + sum(sizes[r] for r in reach - seen))
        again.append(sum(sizes[r] for r in reach & seen))
        seen |= reach
        ctx.cancel.raise_if_cancelled()
    return PageSizes(tuple(own), tuple(again))


def _reachable(
    src: _Source, value: Any, reach: set[_Ref], hook: ImageHook | None, sizes: dict[_Ref, int]
) -> None:
    stack = [value]
    while stack:
        v = stack.pop()
        t = type(v)
        if t is _Ref:
            if v in reach:
                continue
            reach.add(v)
            obj, stream = src.get(v)
            if v not in sizes:
                n = _OBJECT_OVERHEAD
                if stream is not None:
                    n += len(stream)
                    if hook is not None and type(obj) is dict and obj.get("/Subtype") == b"/Image":
                        _obj, recoded = _recode_image(src, obj, stream, hook)
                        n += len(recoded) - len(stream)
                sizes[v] = n
            if type(obj) is dict and obj.get("/Type") in _NOT_COPIED_TYPES:
                continue
            stack.append(obj)
        elif t is dict:
            stack.extend(x for k, x in v.items() if k not in _NOT_FOLLOWED)
        elif t is list:
            stack.extend(v)


def _image_stream(src: _Source, value: dict[str, Any], data: bytes | memoryview) -> ImageStream:
    def number(key: str) -> int:
        v = src.resolve(value.get(key))
        return int(float(v)) if type(v) is _Raw and _NUMBER.match(v) else 0

    filters = src.resolve(value.get("/Filter"))
    if type(filters) is _Name:
        names: tuple[str, ...] = (filters.decode("latin-1"),)
    elif type(filters) is list:
        names = tuple(src.resolve(f).decode("latin-1") for f in filters if type(f) is _Name)
    else:
        names = ()
    cs = src.resolve(value.get("/ColorSpace"))
    if type(cs) is list and cs and type(cs[0]) is _Name:
        colorspace = cs[0].decode("latin-1")
        if colorspace == "/ICCBased" and len(cs) > 1:
            stream_dict = src.resolve(cs[1])
            n = src.resolve(stream_dict.get("/N")) if type(stream_dict) is dict else None
            colorspace = {b"1": "/DeviceGray", b"3": "/DeviceRGB"}.get(bytes(n or b""), "")
    elif type(cs) is _Name:
        colorspace = cs.decode("latin-1")
    else:
        colorspace = ""
    return ImageStream(
        width=number("/Width"),
        height=number("/Height"),
        filters=names,
        colorspace=colorspace,
        bits=number("/BitsPerComponent"),
        decode="/Decode" in value,
        data=data,
    )


def _recode_image(
    src: _Source, value: dict[str, Any], stream: bytes | memoryview, hook: ImageHook
) -> tuple[dict[str, Any], bytes | memoryview]:
    """The image as ``hook`` re-encodes it (JPEG), or unchanged."""
    try:
        info = _image_stream(src, value, stream)
    except (TypeError, ValueError, AttributeError):
        return value, stream
    result = hook(info)
    if result is None:
        return value, stream
    data, width, height = result
    new = {k: v for k, v in value.items() if k not in ("/DecodeParms", "/Filter", "/Length")}
    new["/Width"] = _Raw(b"%d" % width)
    new["/Height"] = _Raw(b"%d" % height)
    new["/Filter"] = _Name(b"/DCTDecode")
    new["/BitsPerComponent"] = _Raw(b"8")
    return new, data

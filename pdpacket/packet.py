"""The packet builder: one PDF a court or OPLA can read, navigate and print.

The build reads like a recipe: small named steps over a ``BuildContext``, in a
temporary folder, published with ``os.replace`` as the very last step, so a
failure or a kill never leaves a half-written packet.

Walking-skeleton version: index with page ranges, exhibits, one bookmark per
exhibit.  Issue #4 deepens it (cover, tabs, stamps, labels, links...).
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from .errors import BadInputError
from .identifiers import exhibit_letter
from .model import BuildOptions, BuildResult, Case, Exhibit
from .progress import CancelToken, NullProgress, Progress
from .store import Store

log = logging.getLogger("pdpacket.packet")
PAGE_W, PAGE_H = letter


@dataclass
class PlannedExhibit:
    letter: str
    exhibit: Exhibit
    first_page: int = 0  # 1-based packet page of the exhibit's first page
    last_page: int = 0


@dataclass
class BuildContext:
    store: Store
    case: Case
    options: BuildOptions
    out_path: Path
    progress: Progress
    cancel: CancelToken
    exhibits: list[PlannedExhibit] = field(default_factory=list)
    index_pdf: bytes = b""
    index_pages: int = 0
    writer: PdfWriter | None = None
    tmp_path: Path | None = None


def build_packet(
    store: Store,
    case_id: int,
    out_path: str | os.PathLike[str],
    options: BuildOptions | None = None,
    *,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> BuildResult:
    ctx = BuildContext(
        store=store,
        case=store.get_case(case_id),
        options=options or BuildOptions(),
        out_path=Path(out_path),
        progress=progress or NullProgress(),
        cancel=cancel or CancelToken(),
    )
    for step in (_plan, _render_index, _assemble, _publish):
        ctx.cancel.raise_if_cancelled()
        step(ctx)
    return _record(ctx)


def _plan(ctx: BuildContext) -> None:
    exhibits = [e for e in ctx.store.list_exhibits(ctx.case.id) if e.included and e.files]
    if not exhibits:
        raise BadInputError(
            f"Case {ctx.case.title} has no exhibits with files to put in a packet.",
            hint="Add evidence files to the case first.",
        )
    ctx.exhibits = [PlannedExhibit(exhibit_letter(i), e) for i, e in enumerate(exhibits)]
    # The index comes first; its length depends only on the number of rows.
    ctx.index_pages = _index_page_count(len(ctx.exhibits))
    page = ctx.index_pages + 1
    for pe in ctx.exhibits:
        pe.first_page = page
        page += pe.exhibit.pages
        pe.last_page = page - 1


ROWS_FIRST_PAGE = 28
ROWS_PER_PAGE = 34


def _index_page_count(rows: int) -> int:
    if rows <= ROWS_FIRST_PAGE:
        return 1
    return 1 + -(-(rows - ROWS_FIRST_PAGE) // ROWS_PER_PAGE)


def _render_index(ctx: BuildContext) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True, pageCompression=1)
    c.setTitle(f"Exhibits - {ctx.case.title}")
    y = PAGE_H - 72 - 36
    c.setFont("Helvetica-Bold", 14)
    c.drawCentredString(PAGE_W / 2, y, "INDEX OF EXHIBITS")
    y -= 20
    c.setFont("Helvetica", 12)
    c.drawCentredString(PAGE_W / 2, y, ctx.case.title)
    y -= 30
    rows_left = ROWS_FIRST_PAGE
    for pe in ctx.exhibits:
        if rows_left == 0:
            c.showPage()
            y = PAGE_H - 72 - 36
            rows_left = ROWS_PER_PAGE
        c.setFont("Helvetica-Bold", 12)
        c.drawString(72, y, pe.letter)
        c.setFont("Helvetica", 12)
        c.drawString(108, y, pe.exhibit.title[:60])
        rng = (
            str(pe.first_page)
            if pe.first_page == pe.last_page
            else (f"{pe.first_page}-{pe.last_page}")
        )
        c.drawRightString(PAGE_W - 72, y, rng)
        y -= 18
        rows_left -= 1
    c.showPage()
    c.save()
    ctx.index_pdf = buf.getvalue()


def _assemble(ctx: BuildContext) -> None:
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(ctx.index_pdf)))
    if len(writer.pages) != ctx.index_pages:
        raise RuntimeError("index page count changed between planning and rendering")
    writer.add_outline_item(title="Index of Exhibits", page_number=0)
    total = len(ctx.exhibits)
    for n, pe in enumerate(ctx.exhibits, 1):
        ctx.cancel.raise_if_cancelled()
        ctx.progress.update(n - 1, total, f"Exhibit {pe.letter}: {pe.exhibit.title}")
        start = len(writer.pages)
        for f in pe.exhibit.files:
            data = ctx.store.blobs.read(f.pdf_sha256)
            writer.append(PdfReader(io.BytesIO(data)))
        writer.add_outline_item(
            title=f"Exhibit {pe.letter} - {pe.exhibit.title}", page_number=start
        )
    ctx.progress.update(total, total, "Writing the packet")
    writer.add_metadata({"/Title": f"Exhibits - {ctx.case.title}", "/Producer": "pdpacket"})
    writer.page_mode = "/UseOutlines"
    ctx.writer = writer


def _publish(ctx: BuildContext) -> None:
    assert ctx.writer is not None
    out = ctx.out_path
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    ctx.tmp_path = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            ctx.writer.write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        ctx.cancel.raise_if_cancelled()
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _record(ctx: BuildContext) -> BuildResult:
    data = ctx.out_path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    pages = len(PdfReader(io.BytesIO(data)).pages)
    files = [f.pdf_sha256 for pe in ctx.exhibits for f in pe.exhibit.files]
    build_id = ctx.store.record_build(
        ctx.case.id,
        path=str(ctx.out_path.resolve()),
        pages=pages,
        size=len(data),
        sha256=sha,
        options={k: str(v) for k, v in asdict(ctx.options).items()},
        files=files,
    )
    log.info("built %s: %d pages, %d bytes", ctx.out_path, pages, len(data))
    return BuildResult(
        path=str(ctx.out_path), pages=pages, size=len(data), sha256=sha, build_id=build_id
    )

"""The packet builder: one PDF a court or OPLA can read, navigate and print.

The build reads like a recipe -- small named steps over a ``BuildContext``::

    _gather   the case, its exhibits and documents, the letter, the options
    plan      every page's place: cover, letter, forms, index, tabbed exhibits,
              translations and certificates, order, certificate of service;
              re-planned until the letter's and the index's lengths are stable
              (``packet.plan``)
    draw      the pages pdpacket draws itself, one reportlab document
              (``packet.pages`` fills them in, ``packet.draw`` lays them out)
    write     every page copied once into a temporary file next to the target,
              placed, wrapped in q/Q and stamped, with bookmarks, index links
              and page labels (``packet.write`` over ``pdf.reader``/``pdf.writer``)
    _publish  ``os.replace`` -- the very last step, so a failure, a cancel or a
              kill never leaves a half-written packet or touches the old one

Output is byte-for-byte reproducible for the same case and options.  This
module also names, for the callers, everything they use of the packet: the
letter's contract, the context the editions steer, and the size estimates
(``packet.sizes``) they split by.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import asdict, replace
from pathlib import Path

from pdpacket.errors import BadInputError, NotReadyError
from pdpacket.model import BuildOptions, BuildResult, NumberingStyle
from pdpacket.model.identifiers import exhibit_letter
from pdpacket.model.progress import CancelToken, NullProgress, Progress
from pdpacket.packet import pages as _pages
from pdpacket.packet import plan as _planning
from pdpacket.packet import write as _writing
from pdpacket.packet.context import (
    BuildContext,
    CiteTarget,
    Gathered,
    LetterHook,
    LetterSource,
    Output,
    PartBreak,
    PlannedExhibit,
    Segment,
)
from pdpacket.packet.sizes import (
    DRAWN_PAGE,
    FILE_OVERHEAD,
    PAGE_OVERHEAD,
    PageSizes,
    file_overhead,
    measure_file_overhead,
    page_sizes,
    segment_size,
)
from pdpacket.packet.source import may_show, page_texts
from pdpacket.packet.write import FORMAT_VERSION, discard
from pdpacket.pdf import stamps
from pdpacket.pdf.images import ImageHook, ImageStream
from pdpacket.policy import catalog, destinations
from pdpacket.store import places
from pdpacket.store.atomic import fsync_dir
from pdpacket.store.database import Store

__all__ = [
    "DRAWN_PAGE",
    "FILE_OVERHEAD",
    "FORMAT_VERSION",
    "PAGE_H",
    "PAGE_OVERHEAD",
    "PAGE_W",
    "BuildContext",
    "CiteTarget",
    "Gathered",
    "ImageHook",
    "ImageStream",
    "LetterHook",
    "LetterSource",
    "Output",
    "PageSizes",
    "PartBreak",
    "PlannedExhibit",
    "Segment",
    "build_packet",
    "discard",
    "draw",
    "file_overhead",
    "measure_file_overhead",
    "page_sizes",
    "plan",
    "publish",
    "record",
    "segment_size",
    "start",
    "write",
]

log = logging.getLogger("pdpacket.packet")
PAGE_W, PAGE_H = stamps.PAGE_W, stamps.PAGE_H


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
    for step in (_planning.plan, draw, _writing.write, _publish):
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
    require_exhibits: bool = True,
) -> BuildContext:
    """A build context with the case gathered (step 1).  ``require_exhibits``
    False: for the documents written alone (``packet.documents``), which need
    no evidence."""
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
    _gather(ctx, require_exhibits=require_exhibits)
    return ctx


def plan(ctx: BuildContext) -> None:
    """Step 2 (again after the context's split or options changed)."""
    _planning.plan(ctx)


def draw(ctx: BuildContext) -> None:
    """Step 3: the pages pdpacket draws, for the current plan; a packet about to
    go out unmarked is checked for placeholders first (``_unmarked_placeholders``)."""
    _pages.draw(ctx)
    if not ctx.options.draft_reasons:
        _unmarked_placeholders(ctx)


PLACEHOLDER = re.compile(r"\[\[(.{0,80}?)\]\]", re.S)


def _unmarked_placeholders(ctx: BuildContext) -> None:
    """A safety net under the review: the pages pdpacket writes (cover, letter,
    motion, certificates...) must hold no ``[[...]]`` in a packet without the
    draft mark.  One found makes the packet a draft that says why, or refuses a
    final packet; the review should have named it first."""
    assert ctx.drawn is not None
    found: dict[str, None] = {}
    for what, data in (("the pages pdpacket draws", ctx.drawn.pdf), ("the letter", ctx.letter_pdf)):
        if not data or not may_show(data, b"[["):
            continue
        for m in PLACEHOLDER.finditer("\n".join(_texts(data))):
            found[f"{what} still say [[{' '.join(m.group(1).split())}]]"] = None
    if not found:
        return
    if ctx.options.final:
        raise NotReadyError(
            tuple(
                ("build.placeholder", f"{text}.", "Write it, then build again.") for text in found
            )
        )
    log.warning("a packet without the draft mark held placeholders: %s", list(found))
    reasons = tuple(f"build.placeholder: {text}." for text in found)
    ctx.options = replace(ctx.options, draft_reasons=reasons)


@functools.lru_cache(maxsize=8)
def _texts(data: bytes) -> tuple[str, ...]:
    return tuple(page_texts(data))


def write(ctx: BuildContext) -> None:
    """Step 4: every output to a temporary file (``discard`` removes them)."""
    _writing.write(ctx)


def publish(ctx: BuildContext) -> None:
    """Step 5: every output to its name."""
    _publish(ctx)


def record(ctx: BuildContext, extra: Mapping[str, object] | None = None) -> BuildResult:
    return _record(ctx, extra)


# ---- step 1: gather -------------------------------------------------------------
def _gather(ctx: BuildContext, *, require_exhibits: bool = True) -> None:
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
    if not exhibits and require_exhibits:
        raise BadInputError(
            f"Case {ctx.case.title} has no exhibits with files to put in a packet.",
            hint="Add evidence files to the case first.",
        )
    p = ctx.case.proceedings
    info = ctx.info
    info.form = catalog.pd_form(p.pd_form) if p.pd_form else None
    dest = info.destination = destinations.for_proceedings(p)
    info.joint_motion = dest.joint
    info.court = places.court(ctx.store, p.court_id)
    info.office = places.office(ctx.store, p.opla_office_id)
    # the certificate of service as the destination says, unless the caller chose
    for conflict in destinations.conflicts(dest, o.certificate_of_service, o.service_method):
        ctx.warnings.append(f"As asked: {conflict} (the review lists it as an error).")
    o = ctx.options = destinations.resolve_options(o, dest)
    info.framework = catalog.framework(p.framework_id)
    info.documents = {str(d.role): d for d in ctx.store.case_documents(ctx.case.id)}
    if ctx.letter is not None:
        info.letter_source = ctx.letter
    elif "letter" in info.documents:
        doc = info.documents["letter"]
        info.letter_blob, info.letter_blob_pages = doc.pdf_sha256, doc.pages
    elif ctx.letter_hook is not None:
        info.letter_source = ctx.letter_hook(ctx.store, ctx.case.id, today=ctx.build_date)
    served_at_address = o.certificate_of_service and o.service_method != "ecas"
    address = o.service_address.strip() or (info.office.address if info.office else "")
    if served_at_address and not address:
        raise BadInputError(
            "The certificate of service needs the address the packet is served at.",
            hint='Give the Chief Counsel\'s address (--service-address "..."), or serve '
            "through ECAS (--certificate-of-service ecas).",
        )
    if dest.motion and ctx.letter is None and info.letter_source is not None:
        # the drafted letter asks OPLA for discretion; the court gets the motion itself
        # (an uploaded letter is the attorney's choice and stays)
        info.letter_source = None
        what = "joint motion" if dest.joint else "motion"
        ctx.warnings.append(
            f"The request letter is not in the {what}'s packet: it was the request to "
            f"OPLA; the court gets the {what} itself."
        )
    if not p.pd_form:
        ctx.warnings.append(
            "No form of discretion chosen: the cover does not name the relief requested."
        )
    if not ctx.store.attorney().name:
        ctx.warnings.append("No attorney details: the cover has no attorney block.")
    ctx.exhibits = [PlannedExhibit(exhibit_letter(i), e) for i, e in enumerate(exhibits)]
    ctx.steps_total = 4 + len(ctx.exhibits)


# ---- step 5: publish, and the record ---------------------------------------------
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
    reasons = ctx.options.draft_reasons
    options: dict[str, object] = {
        k: str(v) for k, v in asdict(ctx.options).items() if k != "draft_reasons"
    }
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
        final=not reasons,  # the façade reviewed the case: no reason, no draft mark
        draft_reasons=reasons,
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
        draft_reasons=reasons,
    )

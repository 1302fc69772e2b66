"""Editions of a packet: one case, three destinations, each with its rules.

- **efile** (the court's ECAS): every file at most 25 MB (``max_mb``).  A larger
  packet is split into parts ``<Client>_<Document>_Part1.pdf``, ``_Part2``...
  at exhibit boundaries; inside an exhibit only when that exhibit alone is over
  the limit, then at a page boundary, and the next part goes on with a
  "(continued)" tab page.  Page numbers run on across the parts; each part has
  its own bookmarks, parts 2 and up open with a contents page of what they
  hold, and part 1's index has a Part column.  JPEG images can be re-encoded
  at a lower quality first (``jpeg_quality``; pixels are only ever reduced to
  3300 on the long side, 300 dpi across a letter page).
- **email** (to an OPLA office): one PDF under the office's limit (``max_mb`` in
  resources/opla_offices.json, else 20 MB), else parts as above; every page
  upright letter size; a ready-to-paste subject and body (client, A-number,
  form of discretion, next hearing) written beside the PDF as ``.txt``.
- **print**: tab sheets, the top inch clear for two-hole fasteners (evidence
  is fitted below it, ``clear_top``), single-sided; ``duplex`` starts every
  document on a right-hand page with unnumbered "This page intentionally left
  blank" backs, so the printed numbers still match the index; a first sheet
  says how many copies to make and for whom.

Splitting reads like the build it extends (``pdpacket.packet``'s steps): plan
the packet as one, estimate what each exhibit and page adds to a file, choose
the parts, plan again with them (the numbers, index and letter follow), draw,
write every part to a temporary file, and measure the files *as written*: a
part over the limit is planned smaller and everything is written again.  Only
then are the parts published (``os.replace``) and the build recorded.  A
megabyte here is 1,000,000 bytes, so a part is under the limit however the
receiving system counts.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from pdpacket.errors import BadInputError, PdpacketError
from pdpacket.model import BuildOptions, BuildResult, Case
from pdpacket.model.progress import CancelToken, Progress
from pdpacket.packet import builder as packet
from pdpacket.packet import draw as layout
from pdpacket.packet import pages as filled
from pdpacket.packet.builder import BuildContext, Output, PartBreak
from pdpacket.packet.recode import JpegRecoder
from pdpacket.pdf import stamps
from pdpacket.policy import catalog, destinations, rules
from pdpacket.policy.templates import fill
from pdpacket.store import places
from pdpacket.store.blobs import sha256_file
from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.editions")

EDITIONS = ("standard", "efile", "email", "print")
MB = 1_000_000
MIN_MB = 0.5  # below this a part holds little more than its fonts
MAX_ROUNDS = 6  # plan, write and measure at most this many times
MARGIN = 0.015  # of the limit, kept free when planning the parts
ROW_SIZE = 160  # what one more row adds to a contents page


class SizeLimitError(BadInputError):
    """One page alone is over the size limit of a file: no split can help."""


# ---- what an edition is ----------------------------------------------------------------
def check_options(options: BuildOptions) -> None:
    if options.edition not in EDITIONS:
        raise BadInputError(
            f"There is no {options.edition!r} edition.",
            hint="Choose one of: " + ", ".join(EDITIONS) + ".",
        )
    if options.max_mb and options.max_mb < MIN_MB:
        raise BadInputError(
            f"A size limit of {options.max_mb:g} MB is too small: each file carries about "
            f"0.15 MB of fonts and page structure.",
            hint=f"Give a largest file size of at least {MIN_MB:g} MB.",
        )
    if options.jpeg_quality and not 20 <= options.jpeg_quality <= 95:
        raise BadInputError(
            f"JPEG quality {options.jpeg_quality} is out of range.",
            hint="Give a quality from 20 (smallest) to 95 (best), or 0 to keep the images.",
        )
    for name in ("copies_court", "copies_opla", "copies_client"):
        if getattr(options, name) < 0:
            raise BadInputError(f"The number of copies ({name}) cannot be negative.")


def size_limit_mb(case: Case, options: BuildOptions, store: Store | None = None) -> float:
    """The most one file of this edition may hold, in MB (0: no limit); by
    e-mail, the office's limit as the firm set it (``store``)."""
    if options.max_mb:
        return float(options.max_mb)
    office_id = case.proceedings.opla_office_id
    if store is not None:
        return places.size_limit_mb(store, options.edition, office_id) or 0.0
    return rules.size_limit_mb(options.edition, office_id) or 0.0


def _ascii_words(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "_".join(re.findall(r"[A-Za-z0-9]+", folded))


def document_stem(case: Case, edition: str) -> str:
    """``<Client>_<Document>``: the name a folder output gets, e.g.
    ``Lucia_Fernanda_Morales_Rivas_PD_Request``."""
    dest = destinations.for_proceedings(case.proceedings)
    document = "Joint_Motion" if dest.joint else "Motion" if dest.motion else "PD_Request"
    client = _ascii_words(case.client.name)[:60].strip("_") or "Client"
    stem = f"{client}_{document}"
    return stem + {"email": "_OPLA", "print": "_Print"}.get(edition, "")


def output_stem(case: Case, edition: str, out: str | os.PathLike[str]) -> Path:
    """``out`` is a folder (no ``.pdf`` at its end) or a file; the stem of the
    files (``<stem>.pdf`` or ``<stem>_Part1.pdf``...) without the suffix."""
    path = Path(out).expanduser()
    if path.suffix.lower() == ".pdf" and not path.is_dir():
        return path.with_suffix("")
    return path / document_stem(case, edition)


def part_path(stem: Path, part: int) -> Path:
    return stem.with_name(f"{stem.name}_Part{part}.pdf")


def single_path(stem: Path) -> Path:
    return stem.with_name(f"{stem.name}.pdf")


# ---- the build ---------------------------------------------------------------------------
def build_edition(
    store: Store,
    case_id: int,
    out: str | os.PathLike[str],
    options: BuildOptions | None = None,
    *,
    letter: packet.LetterSource | None = None,
    letter_hook: packet.LetterHook | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> BuildResult:
    """Build the case's packet as ``options.edition`` into ``out`` (a folder, or
    the file name of a one-file edition / the stem of the parts), atomically,
    and record the build."""
    options = options or BuildOptions()
    check_options(options)
    case = store.get_case(case_id)
    stem = output_stem(case, options.edition, out)
    if options.edition == "standard":
        return packet.build_packet(
            store,
            case_id,
            single_path(stem),
            options,
            letter=letter,
            letter_hook=letter_hook,
            progress=progress,
            cancel=cancel,
        )
    earlier = store.list_builds(case_id)
    ctx = packet.start(
        store,
        case_id,
        single_path(stem),
        options,
        letter=letter,
        letter_hook=letter_hook,
        progress=progress,
        cancel=cancel,
    )
    ctx.steps_total += 2
    if options.edition == "print":
        _print_setup(ctx)
        result = _single_file(ctx)
    else:
        limit = size_limit_mb(case, options, store)
        if options.jpeg_quality:
            ctx.image_hook = JpegRecoder(options.jpeg_quality)
        result = _within_limit(ctx, stem, int(limit * MB))
        if options.edition == "email":
            result = _write_email(ctx, stem, result)
    removed = _remove_stale(earlier, ctx, stem)
    if removed:
        result = dataclasses.replace(result, warnings=(*result.warnings, *removed))
    ctx.progress.update(ctx.steps_total, ctx.steps_total, "Done")
    return result


def _single_file(ctx: BuildContext) -> BuildResult:
    packet.plan(ctx)
    _update_copies(ctx)
    packet.draw(ctx)
    packet.write(ctx)
    packet.publish(ctx)
    return packet.record(ctx)


# ---- under the size limit: one file or parts ----------------------------------------
def _within_limit(ctx: BuildContext, stem: Path, cap: int) -> BuildResult:
    packet.plan(ctx)  # as one file: the estimates' first numbers
    sizes = _Sizes(ctx)
    shrink: dict[int, int] = {}  # part -> bytes its budget is lowered by (after measuring)
    breaks = _choose_parts(ctx, sizes, cap, shrink)
    seen: set[tuple[PartBreak, ...]] = set()
    try:
        for attempt in range(1, MAX_ROUNDS + 1):
            seen.add(breaks)
            _set_parts(ctx, stem, breaks)
            packet.plan(ctx)
            _assign_outputs(ctx, stem)
            packet.draw(ctx)
            ctx.progress.update(ctx.steps_done, ctx.steps_total, "Writing the files")
            packet.write(ctx)
            written = [_size_on_disk(o) for o in ctx.outputs]
            over = [(k, n) for k, n in enumerate(written, 1) if n > cap]
            log.info("attempt %d: files of %s bytes (limit %d)", attempt, written, cap)
            if not over:
                break
            packet.discard(ctx)  # over the limit as written: plan that part smaller
            for k, n in over:
                shrink[k] = shrink.get(k, 0) + (n - cap) + int(cap * 0.01)
            breaks = _choose_parts(ctx, sizes, cap, shrink)
            if breaks in seen:  # the same parts again: smaller still
                for k, _n in over:
                    shrink[k] += int(cap * 0.03)
                breaks = _choose_parts(ctx, sizes, cap, shrink)
            ctx.announced.clear()
        else:
            raise PdpacketError(
                f"The packet could not be split into files of at most {cap / MB:g} MB: a "
                f"part still came out at {max(written) / MB:.2f} MB after {MAX_ROUNDS} tries.",
                hint="Re-encode the images (a lower JPEG quality), or give a larger limit.",
            )
        packet.publish(ctx)
    except BaseException:
        packet.discard(ctx)
        raise
    hook = ctx.image_hook if isinstance(ctx.image_hook, JpegRecoder) else None
    extra: dict[str, object] = {"size_limit_bytes": cap}
    if hook is not None:
        extra["images_reencoded"] = hook.recoded
    result = packet.record(ctx, extra)
    if hook is not None and hook.recoded:
        note = (
            f"{hook.recoded} JPEG images were re-encoded at quality {hook.quality} "
            f"({hook.saved / MB:.1f} MB smaller)"
        )
        if hook.downsampled:
            note += f"; {hook.downsampled} of them reduced to 300 dpi"
        result = dataclasses.replace(result, warnings=(*result.warnings, note + "."))
    return result


def _size_on_disk(output: Output) -> int:
    assert output.tmp_path is not None
    return os.path.getsize(output.tmp_path)


def _set_parts(ctx: BuildContext, stem: Path, breaks: tuple[PartBreak, ...]) -> None:
    ctx.breaks = breaks
    ctx.part_names = tuple(part_path(stem, k).name for k in range(1, len(breaks) + 2))
    if not breaks:
        ctx.part_names = ()
    ctx.outputs = []


class _Sizes:
    """Estimates for the plan made as one file (see ``packet.segment_size``)."""

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.detail: dict[str, packet.PageSizes] = {}
        first = next((s for s in ctx.segments if s.exhibit is not None), None)
        last = max((i for i, s in enumerate(ctx.segments) if s.exhibit is not None), default=-1)
        front = ctx.segments[: ctx.segments.index(first)] if first else ctx.segments
        self.front = sum(packet.segment_size(ctx, s) for s in front)
        self.tail = sum(packet.segment_size(ctx, s) for s in ctx.segments[last + 1 :])
        # each exhibit's segments as planned whole (later plans cut them)
        self.segments = [list(pe.segments) for pe in ctx.exhibits]
        self.exhibit: list[int] = []
        for i, pe in enumerate(ctx.exhibits):
            if ctx.image_hook is not None:  # images count at their re-encoded size
                ctx.progress.update(
                    i, len(ctx.exhibits), f"Re-encoding images: Exhibit {pe.letter}"
                )
                self.exhibit.append(sum(sum(p) for p in self.pages(i)[0]))
            else:
                self.exhibit.append(sum(packet.segment_size(ctx, s) for s in pe.segments))
            ctx.cancel.raise_if_cancelled()

    def pages(self, exhibit: int) -> tuple[list[tuple[int, ...]], list[int]]:
        """Per segment of the exhibit, its pages' sizes; and per page what it needs
        again when a part starts at it."""
        own: list[tuple[int, ...]] = []
        again: list[int] = []
        for s in self.segments[exhibit]:
            ps = packet.page_sizes(self.ctx, s, self.detail)
            own.append(ps.own)
            again.extend(ps.again)
        return own, again


def _choose_parts(
    ctx: BuildContext, sizes: _Sizes, cap: int, shrink: dict[int, int]
) -> tuple[PartBreak, ...]:
    """Where the parts start: exhibits go whole into a part while it has room; a
    part starts before an exhibit that does not fit, and inside one only when it
    would not fit in a part of its own."""
    overhead = packet.file_overhead()
    start_cost = packet.DRAWN_PAGE + packet.PAGE_OVERHEAD  # a part's contents page

    def budget(part: int) -> int:
        return cap - overhead - int(cap * MARGIN) - shrink.get(part, 0)

    breaks: list[PartBreak] = []
    part = 1
    used = sizes.front
    holds = False  # the part holds an exhibit (or some of one)
    if used > budget(1):
        raise SizeLimitError(
            f"The cover, the request letter, the forms and the index alone come to about "
            f"{(used + overhead) / MB:.1f} MB, over the {cap / MB:g} MB limit of a file.",
            hint="Give a larger largest-file size, or upload smaller appearance forms or "
            "declaration (scanned at 300 dpi, grayscale).",
        )
    n = len(ctx.exhibits)
    for i, pe in enumerate(ctx.exhibits):
        cost = sizes.exhibit[i] + (sizes.tail if i == n - 1 else 0)
        if part > 1:
            cost += ROW_SIZE
        if used + cost <= budget(part) or (not holds and part > 1 and cost <= budget(part)):
            used += cost
            holds = True
            continue
        fresh = start_cost + cost + ROW_SIZE
        if fresh <= budget(part + 1):  # it fits in a part of its own: start one
            breaks.append(PartBreak(i))
            part += 1
            used = fresh
            holds = True
            continue
        # too large for any one part: page by page, after what the part already holds
        own, again = sizes.pages(i)
        flat = [p for seg in own for p in seg]
        if i == n - 1:
            flat[-1] += sizes.tail
        if holds and budget(part) - used < budget(part) // 4:
            breaks.append(PartBreak(i))  # little room left here: start it in a new part
            part += 1
            used = start_cost + ROW_SIZE
        for j, size in enumerate(flat):
            if used + size <= budget(part):
                used += size
                continue
            if j == 0:
                breaks.append(PartBreak(i))
                part += 1
                used = start_cost + ROW_SIZE + size
            else:
                breaks.append(PartBreak(i, j))
                part += 1
                used = start_cost + ROW_SIZE + 2 * packet.DRAWN_PAGE + again[j] + size
            if used > budget(part):
                raise SizeLimitError(
                    f"Page {j} of Exhibit {pe.letter} ({pe.exhibit.title}) comes to about "
                    f"{size / MB:.1f} MB by itself, more than fits in a file of "
                    f"{cap / MB:g} MB.",
                    hint="Re-encode the images at a lower JPEG quality (--jpeg-quality 50), "
                    "or replace that page with a smaller scan (300 dpi, grayscale).",
                )
        holds = True
        ctx.cancel.raise_if_cancelled()
    return tuple(breaks)


# ---- outputs: which file each segment goes to ---------------------------------------------
def _assign_outputs(ctx: BuildContext, stem: Path) -> None:
    """After planning: one output, or one per part with its segments."""
    if not ctx.breaks:
        ctx.outputs = [Output(single_path(stem), ctx.segments)]
        return
    ctx.outputs = [
        Output(part_path(stem, k), [s for s in ctx.segments if s.part == k], part=k)
        for k in range(1, ctx.part_count + 1)
    ]


# ---- the print edition -----------------------------------------------------------------------
def _print_setup(ctx: BuildContext) -> None:
    o = ctx.options
    ctx.duplex = o.duplex
    ctx.top_clear = stamps.TOP_CLEAR if o.clear_top else 0.0
    ctx.copies = _copies(ctx, "")


def _update_copies(ctx: BuildContext) -> None:
    if ctx.copies is None:
        return
    blanks = sum(s.pages for s in ctx.segments if s.kind == "blank")
    pages = f"1-{ctx.total_numbered} ({ctx.total_numbered} numbered pages"
    pages += f", {blanks} blank backs)" if blanks else ")"
    ctx.copies = _copies(ctx, pages)


def _copies(ctx: BuildContext, pages: str) -> layout.CopiesInfo:
    o = ctx.options
    sides = "double-sided" if o.duplex else "single-sided"
    court_how = (
        "single-sided: print them from the single-sided edition (this one has blank backs)"
        if o.duplex
        else "single-sided"
    )
    copies = (
        ("Immigration court (filing)", o.copies_court, court_how),
        ("OPLA / DHS (service copy)", o.copies_opla, sides),
        ("Client file", o.copies_client, sides),
    )
    lines = [
        "US letter paper, 8.5 x 11 inches; print at 100 % (no fit-to-page).",
        "Each exhibit starts with a tab sheet; the tab letter is on the right edge.",
    ]
    if o.clear_top:
        lines.append(
            "The top inch of every page is clear for two-hole fasteners: evidence pages are "
            "reduced to fit below it."
        )
    if o.duplex:
        lines.append(
            "Double-sided: every document starts on a right-hand page; the blank backs say "
            "'This page intentionally left blank' and carry no number, so the printed numbers "
            "match the index."
        )
    else:
        lines.append("Court copies are printed single-sided.")
    lines.append("Do not include this sheet in the copies.")
    title = filled.document_title(ctx)
    return layout.CopiesInfo(
        caption=filled.case_caption(ctx),
        title=title,
        copies=copies,
        lines=tuple(lines),
        pages=pages,
    )


# ---- the e-mail edition ------------------------------------------------------------------------
def email_messages(
    ctx: BuildContext, files: Sequence[tuple[str, int, str]]
) -> list[tuple[str, str]]:
    """(subject, body) of each message: one per file (``files``: name, size, pages)."""
    case = ctx.case
    p = case.proceedings
    office = places.office(ctx.store, p.opla_office_id)  # as the firm keeps it
    form = catalog.pd_form(p.pd_form) if p.pd_form else None
    court = places.court(ctx.store, p.court_id)
    subject_format = str(office.get("subject_format") or "") if office else ""
    subject_format = subject_format or "PD Request - {client_name} - {a_number}"
    hearing = ""
    if p.hearing_date:
        hearing = f"{p.hearing_date:%B} {p.hearing_date.day}, {p.hearing_date.year}"
    values = dict(
        client_name=case.client.name,
        a_number=case.client.a_number_display or "no A-number",
        pd_form=form.label if form else "",
        hearing_date=p.hearing_date.isoformat() if p.hearing_date else "",
        court=court.name if court else "",
        office=office.name if office else "",
    )
    n = len(files)
    messages = []
    for k, (name, size, pages) in enumerate(files, 1):
        values["part"] = f"Part {k} of {n}" if n > 1 else ""
        # the firm's own format: a stray brace or an unknown name stays as typed
        subject = " ".join(fill(subject_format, values).split())
        if n > 1 and "{part}" not in subject_format:
            subject += f" (Part {k} of {n})"
        body = _email_body(ctx, office, form, court, hearing, k, n, name, size, pages)
        messages.append((subject, body))
    return messages


def _email_body(
    ctx: BuildContext,
    office: catalog.Place | None,
    form: catalog.PdForm | None,
    court: catalog.Place | None,
    hearing: str,
    k: int,
    n: int,
    name: str,
    size: int,
    pages: str,
) -> str:
    case = ctx.case
    p = case.proceedings
    title = str(office.get("chief_counsel_title", "Chief Counsel")) if office else "Chief Counsel"
    document = filled.document_title(ctx)
    lines = [f"Dear {title},", ""]
    if k == 1:
        lines.append(
            f"Please find attached a {document[0].lower() + document[1:]} on behalf of "
            f"{case.client.name}."
        )
    else:
        lines.append(
            f"This is message {k} of {n} of the {document[0].lower() + document[1:]} on behalf "
            f"of {case.client.name}."
        )
    lines.append("")
    facts = [
        ("Client", case.client.name),
        ("A-number", case.client.a_number_display or "none"),
        (
            "Form of discretion requested",
            (form.label + (f" ({form.hook})" if form.hook else "")) if form else "",
        ),
    ]
    if hearing:
        where = ", ".join(x for x in (court.name if court else "", p.judge) if x)
        kind = f" ({p.hearing_type} hearing)" if p.hearing_type else ""
        facts.append(("Next hearing", hearing + kind + (f", {where}" if where else "")))
    else:
        facts.append(("Next hearing", "none scheduled"))
    if p.detained:
        facts.append(("Detained", "yes" + (f", {p.facility}" if p.facility else "")))
    if p.receipts:
        facts.append(("USCIS receipts", ", ".join(p.receipts)))
    for label, value in facts:
        if value:
            lines.append(f"  {label}: {value}")
    lines.append("")
    mb = f"{size / MB:.1f} MB"
    if n == 1:
        lines.append(f"Attached: {name} ({pages}, {mb}).")
    else:
        lines.append(
            f"The request is in {n} PDF files, each under the office's size limit, sent in "
            f"{n} messages. Attached to this one: {name} (part {k} of {n}, {pages}, {mb})."
        )
        if k == 1:
            lines.append(
                "Part 1 holds the request and the index of exhibits; the page numbers run on "
                "across the parts."
            )
    lines += ["", "Respectfully,", ""]
    a = ctx.store.attorney()
    signature = [a.name, a.firm]
    signature += [x.strip() for x in a.address.replace(";", "\n").split("\n") if x.strip()]
    signature += [a.phone, a.email, f"EOIR ID {a.eoir_id}" if a.eoir_id else ""]
    lines += [x for x in signature if x] or ["[attorney name and contact details]"]
    return "\n".join(lines) + "\n"


def _write_email(ctx: BuildContext, stem: Path, result: BuildResult) -> BuildResult:
    paths = [Path(x) for x in result.parts] or [Path(result.path)]
    sizes = list(result.part_sizes) or [result.size]
    files = []
    for output, path, size in zip(ctx.outputs, paths, sizes, strict=True):
        numbered = [s for s in output.segments if s.numbered]
        first = numbered[0].number + 1
        last = numbered[-1].number + numbered[-1].pages
        files.append((path.name, size, f"pages {first}-{last}" if first != last else "1 page"))
    messages = email_messages(ctx, files)
    office = places.office(ctx.store, ctx.case.proceedings.opla_office_id)
    # the office's PD mailbox; never guessed: a blank one says where to enter it
    to = (office.email if office and office.email else "") or (
        f"[[the PD mailbox of {office.name if office else 'the OPLA office'}: enter it in "
        "Settings > Offices and courts or with pdpacket settings office]]"
    )
    blocks = []
    for k, ((subject, body), (name, _size, _pages)) in enumerate(
        zip(messages, files, strict=True), 1
    ):
        head = f"===== Message {k} of {len(messages)} =====\n" if len(messages) > 1 else ""
        blocks.append(f"{head}To: {to}\nSubject: {subject}\nAttach: {name}\n\n{body}")
    text = "\n".join(blocks)
    target = stem.with_name(f"{stem.name}_email.txt")
    tmp = target.with_name(f".{target.name}.part")
    try:
        tmp.write_text(text, encoding="utf-8", newline="\n")
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dataclasses.replace(
        result, email_subject=messages[0][0], email_text=text, email_path=str(target)
    )


# ---- tidying up ----------------------------------------------------------------------------------
def _remove_stale(earlier: Sequence[object], ctx: BuildContext, stem: Path) -> list[str]:
    """Files of an earlier build of this case's same edition with the same name that
    this build no longer writes (``_Part4`` when there are now three parts, the
    one-file PDF when it is now split): removed, so nobody files an old part."""
    now = {str(o.path.resolve()) for o in ctx.outputs}
    folder = stem.parent.resolve()
    pattern = re.compile(re.escape(stem.name) + r"(_Part\d+)?\.pdf")
    removed = []
    edition = ctx.options.edition
    for build in earlier:
        options = getattr(build, "options", {})
        if options.get("edition", "standard") != edition:
            continue  # another edition's packet may have been served: never removed
        paths = [getattr(build, "path", "")]
        parts = options.get("parts")
        if isinstance(parts, list):
            paths += [str(x) for x in parts]
        for raw in paths:  # recorded resolved: compare as text first
            path = Path(raw)
            if (
                pattern.fullmatch(path.name)
                and raw not in now
                and path.parent == folder
                and path.is_file()
            ):
                try:
                    path.unlink()
                except OSError as exc:
                    log.warning("could not remove %s: %s", path, exc)
                    continue
                removed.append(f"Removed {path.name}, left from an earlier build of this case.")
    return removed


def part_hashes(result: BuildResult) -> list[tuple[str, str]]:
    """(file name, SHA-256) of every file of a build, read back from disk."""
    paths = result.parts or (result.path,)
    return [(Path(p).name, sha256_file(p)) for p in paths]

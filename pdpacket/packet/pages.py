"""Step 3, the pages pdpacket draws itself: what the cover, index, tab pages,
certificates, proposed order and contents pages say, filled in from the case
and the plan (``draw`` lays them out)."""

from __future__ import annotations

from pdpacket.model import Polarity
from pdpacket.model.signing import Signature
from pdpacket.packet import draw as layout
from pdpacket.packet import motion, wording
from pdpacket.packet.context import BuildContext, Segment
from pdpacket.packet.dates import date_long, tab_date
from pdpacket.packet.factors import FACTOR_NOTE, FACTOR_TABLE_TITLE, factor_rows
from pdpacket.packet.motion import case_caption as case_caption
from pdpacket.packet.motion import document_title as document_title
from pdpacket.packet.plan import (
    index_layout,
    index_rows,
    page_range,
    part_note,
    part_segments,
)
from pdpacket.store import signatures as signing


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
    """Whom the cover names as the recipient: the Chief Counsel of the OPLA office,
    or ERO; none for a court filing (its caption names the court)."""
    office = ctx.info.office
    dest = ctx.info.destination
    if dest is not None and dest.addressee == "court":
        return ()
    if dest is not None and dest.addressee == "ero":
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


def _part_contents(ctx: BuildContext, part: int, caption: layout.Caption) -> layout.IndexInfo:
    """The first page(s) of part ``part`` of a split packet: what it holds."""
    segs = part_segments(ctx.segments, part)
    numbered = [s for s in segs if s.numbered]
    first = numbered[0].number + 1
    last = numbered[-1].number + numbered[-1].pages
    return layout.IndexInfo(
        caption,
        tuple(index_rows(ctx, segs)),
        title=f"PART {part} OF {ctx.part_count}",
        subtitle=f"pages {page_range(first, last)}",
        note=part_note(ctx, part),
    )


def _cover(ctx: BuildContext, caption: layout.Caption) -> layout.CoverInfo:
    info = ctx.info
    p = ctx.case.proceedings
    form = info.form
    form_line = ""
    if form is not None:
        form_line = f"Form of discretion requested: {form.label}"
        form_line += f" ({form.hook})" if form.hook else ""
    hearing = ""
    if p.hearing_date:
        hearing = date_long(p.hearing_date)
        if p.hearing_type:
            hearing += f" ({p.hearing_type} hearing)"
    dest = info.destination
    vals = wording.values(ctx)
    vals["title"] = document_title(ctx).upper()
    t = wording.template(ctx.store, "cover", dest.id if dest is not None else "")
    title = t.filled_title(vals) or vals["title"]
    via = dest.via if dest is not None and "[[" not in dest.via else ""
    if via and dest is not None and dest.sent_by == "email" and info.office and info.office.email:
        via += f" to {info.office.email}"
    return layout.CoverInfo(
        court_caption=dest.court_caption if dest is not None else True,
        via=via,
        court_line=_court_line(ctx) if dest is not None and not dest.court_caption else "",
        caption=caption,
        title=title,
        form_line=form_line,
        joint_motion=info.joint_motion,
        attorney_lines=_attorney_lines(ctx),
        judge=p.judge,
        hearing=hearing,
        addressee_lines=_addressee(ctx),
        receipts=p.receipts,
        date_text=date_long(ctx.build_date),
        statement=" ".join(wording.drawn_paragraphs(t, vals)),
    )


def _continued_tab(ctx: BuildContext, s: Segment) -> layout.TabInfo:
    """The tab page that opens the rest of an exhibit in a later part."""
    assert s.exhibit is not None
    pe = s.exhibit
    ex = pe.exhibit
    before = [x.part for x in pe.segments if x.first < s.first]
    return layout.TabInfo(
        letter=pe.letter,
        title=ex.title,
        section=ctx.section_of(ex),
        pages=page_range(pe.first_page, pe.last_page),
        continued=f"(continued from Part {before[-1] if before else s.part - 1})",
    )


def _tab(ctx: BuildContext, s: Segment) -> layout.TabInfo:
    assert s.exhibit is not None
    pe = s.exhibit
    ex = pe.exhibit
    fw = ctx.info.framework
    factors: list[str] = []
    addresses: list[str] = []
    for fid in ex.factor_ids:
        f = fw.factor(fid) if fw else None
        label = f.label if f else fid.replace("_", " ")
        negative = f is not None and f.polarity == Polarity.NEGATIVE
        (addresses if negative else factors).append(label)
    contents = tuple(x.title for x in pe.segments[1:] if x.title) if pe.translated else ()
    return layout.TabInfo(
        letter=pe.letter,
        title=ex.title,
        description=ex.description,
        date=tab_date(ex),
        section=ctx.section_of(ex),
        factors=tuple(factors),
        addresses=tuple(addresses),
        contents=contents,
        pages=page_range(pe.first_page, pe.last_page),
    )


def _signed(sig: Signature | None) -> layout.SignedLine:
    """A signature as its line prints it (an electronic one with its date)."""
    if sig is None:
        return layout.SignedLine()
    if sig.electronic:
        return layout.SignedLine(sig.mark, date_long(sig.signed_on) if sig.signed_on else "")
    return layout.SignedLine(ink=sig.wet)


def _translator_certificate(s: Segment, sigs: list[Signature]) -> layout.TranslatorCertificateInfo:
    assert s.exhibit is not None
    pe = s.exhibit
    ex = pe.exhibit
    t = ex.translator
    # the documents by their exhibit letter and title, as the index lists them:
    # the file names they were imported from mean nothing to the reader
    docs = (f"Exhibit {pe.letter}: {ex.title}",)
    language = t.language or (ex.language if ex.needs_translation else "")
    sig = signing.find(sigs, "translation", "translator", ex.id)
    name = (sig.name if sig else "") or t.name
    return layout.TranslatorCertificateInfo(
        pe.letter, name, t.address, t.phone, language, docs, _signed(sig)
    )


def _court_line(ctx: BuildContext) -> str:
    """The court a case is before, named as a fact on a cover with no caption."""
    court = ctx.info.court
    return f"Immigration court: {court.name}" if court else ""


def _order(ctx: BuildContext, caption: layout.Caption) -> layout.OrderInfo:
    form_id = ctx.info.form.id if ctx.info.form else ""
    name = motion.motion_name(form_id, ctx.info.joint_motion)
    vals = wording.values(ctx)
    vals.update(motion=name, relief=motion.relief(form_id))
    t = wording.template(ctx.store, "proposed_order", form_id)
    return layout.OrderInfo(
        caption,
        name,
        motion.relief(form_id),
        title=t.filled_title(vals) or "ORDER OF THE IMMIGRATION JUDGE",
        paragraphs=wording.drawn_paragraphs(t, vals),
    )


def _interpretation(ctx: BuildContext, sigs: list[Signature]) -> layout.InterpretationInfo:
    sig = signing.find(sigs, "interpretation", "interpreter")
    name = sig.name if sig else ""
    client = ctx.case.client
    vals = wording.values(ctx)
    vals.update(interpreter=name or "_" * 30, language=client.language or "_" * 14)
    t = wording.template(ctx.store, "certificate_of_interpretation")
    return layout.InterpretationInfo(
        " ".join(wording.drawn_paragraphs(t, vals)),
        name,
        _signed(sig),
        title=t.filled_title(vals) or "CERTIFICATE OF INTERPRETATION",
    )


def _service(
    ctx: BuildContext, caption: layout.Caption, sigs: list[Signature]
) -> layout.ServiceInfo:
    o = ctx.options
    a = ctx.store.attorney()
    # whoever served signs it: the attorney unless the case names someone else
    sig = signing.find(sigs, "service", "server")
    who = (sig.name if sig else "") or a.name
    office = ctx.info.office
    served = ["Office of the Principal Legal Advisor"]
    if office:
        served.append(office.name)
    if o.service_method != "ecas":
        address = o.service_address.strip() or (office.address if office else "")
        served += [x.strip() for x in address.replace(";", "\n").split("\n") if x.strip()]
    title = (
        document_title(ctx)
        .lower()
        .replace("request for prosecutorial discretion", "Request for Prosecutorial Discretion")
    )
    vals = wording.values(ctx)
    vals.update(server=who or "_" * 30, document=title, served_on="; ".join(served))
    t = wording.template(ctx.store, "certificate_of_service", o.service_method)
    return layout.ServiceInfo(
        caption=caption,
        document_title=title,
        text=" ".join(wording.drawn_paragraphs(t, vals)),
        title=t.filled_title(vals) or "CERTIFICATE OF SERVICE",
        date_text=date_long(ctx.build_date),
        attorney_name=who,
        attorney_ids=f"EOIR ID {a.eoir_id}" if a.eoir_id and who == a.name else "",
        method=o.service_method,
        served_on=tuple(served),
        signed=_signed(sig),
    )


def _add_piece(
    ctx: BuildContext,
    d: layout.Drawing,
    s: Segment,
    caption: layout.Caption,
    sigs: list[Signature],
) -> None:
    """Draw the piece segment ``s`` names and note its first drawn page."""
    at = ctx.drawn_at
    if s.drawn == "cover":
        at[s.drawn] = d.add_cover(_cover(ctx, caption))
    elif s.drawn == "index":
        rows = tuple(index_rows(ctx, ctx.segments))
        at[s.drawn] = d.add_index(layout.IndexInfo(caption, rows, **index_layout(ctx)))
    elif s.drawn == "factors":
        rows = tuple(factor_rows(ctx))
        at[s.drawn] = d.add_index(
            layout.IndexInfo(caption, rows, title=FACTOR_TABLE_TITLE.upper(), note=FACTOR_NOTE)
        )
    elif s.kind == "part":
        at[s.drawn] = d.add_index(_part_contents(ctx, s.part, caption))
    elif s.kind == "continued" and s.exhibit is not None:
        at[s.drawn] = d.add_tab(_continued_tab(ctx, s))
    elif s.drawn == "blank":
        at[s.drawn] = d.add_blank()
    elif s.drawn == "copies" and ctx.copies is not None:
        at[s.drawn] = d.add_copies_sheet(ctx.copies)
    elif s.drawn.startswith("tab:") and s.exhibit is not None:
        at[s.drawn] = d.add_tab(_tab(ctx, s))
    elif s.drawn.startswith("cert:") and s.exhibit is not None:
        at[s.drawn] = d.add_translator_certificate(_translator_certificate(s, sigs))
    elif s.drawn == "order":
        at[s.drawn] = d.add_proposed_order(_order(ctx, caption))
    elif s.drawn == "motion":
        at[s.drawn] = motion.add_motion(d, motion.motion_info(ctx, caption))
    elif s.drawn == "interpretation":
        at[s.drawn] = d.add_interpretation_certificate(_interpretation(ctx, sigs))
    elif s.drawn == "service":
        at[s.drawn] = d.add_certificate_of_service(_service(ctx, caption, sigs))


def draw(ctx: BuildContext) -> None:
    """Every piece the plan names, drawn once, in packet order (one document)."""
    ctx.step("Laying out the cover, index and tab pages")
    d = layout.Drawing(f"{document_title(ctx)} - {ctx.case.title}")
    ctx.drawn_at = {}  # drawn again when an edition re-plans its parts
    caption = case_caption(ctx)
    # how each certificate is signed (the service one too: it is drawn only when
    # the packet carries one)
    sigs = signing.signatures(ctx.store, ctx.case.id, service=True)
    for s in ctx.segments:
        if s.drawn and s.drawn not in ctx.drawn_at:
            _add_piece(ctx, d, s, caption, sigs)
    d.add_font_carrier()
    ctx.drawn = d.finish()

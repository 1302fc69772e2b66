"""The motion a court destination files, drawn by pdpacket: a joint motion (both
parties sign: the respondent's counsel and, for DHS, an Assistant Chief
Counsel of OPLA) or the respondent's own motion (counsel signs; DHS's position
stated), with its caption, title, legal basis, the grounds in the
attorney's words (a ``[[...]]`` the review flags until they are written) and
the relief asked -- its words from the firm-editable templates
(resources/templates/motion*.md, joint_motion*.md; ``packet.wording``); and the
names of motions and their relief, which the cover,
the proposed order and the certificate of service share.

Plain data in, pages drawn on the packet's one reportlab document.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from pdpacket.packet import draw as layout
from pdpacket.packet import wording
from pdpacket.packet.context import BuildContext
from pdpacket.pdf.text import SERIF, SERIF_BOLD, SERIF_ITALIC
from pdpacket.policy import catalog
from pdpacket.store import signatures as signing

# form id -> (the motion, in a sentence; what the order grants)
MOTIONS = {
    "dismissal": (
        "motion to dismiss the proceedings without prejudice",
        "the proceedings are dismissed without prejudice",
    ),
    "termination": ("motion to terminate the proceedings", "the proceedings are terminated"),
    "administrative_closure": (
        "motion to administratively close the proceedings",
        "the proceedings are administratively closed",
    ),
    "continuance": (
        "motion to continue",
        "the hearing is continued to a date the court will set",
    ),
    "joint_motion_reopen": ("motion to reopen", "the proceedings are reopened"),
    "stipulated_bond": (
        "motion for a stipulated bond",
        "the respondent is released on a bond of $__________",
    ),
}
GENERIC = ("motion", "the relief requested in the motion is granted")
GROUNDS_PLACEHOLDER = (
    "[[State the grounds the parties agreed on: the facts and the legal basis, e.g. a ground "
    "of 8 CFR 239.2(a)]]"
)


def motion_name(form_id: str, joint: bool) -> str:
    """ "joint motion to reopen", "motion to dismiss the proceedings without prejudice"."""
    name = MOTIONS.get(form_id, GENERIC)[0]
    return f"joint {name}" if joint else name


def relief(form_id: str) -> str:
    return MOTIONS.get(form_id, GENERIC)[1]


@dataclass(frozen=True)
class Party:
    """One signature block of the motion."""

    heading: str  # "For the Respondent" / "For the Department of Homeland Security"
    lines: tuple[str, ...]  # name, title, office, address... ("" for a blank line)
    signed: layout.SignedLine = field(default_factory=layout.SignedLine)  # "/s/ Name"


@dataclass(frozen=True)
class MotionInfo:
    caption: layout.Caption
    title: str  # "JOINT MOTION TO REOPEN"
    hook: str  # "8 CFR 1003.23(b)(4)(iv)"
    relief: str  # "the proceedings are reopened"
    grounds: str  # the attorney's words, or GROUNDS_PLACEHOLDER
    client_name: str
    parties: tuple[Party, ...]
    date_text: str = ""
    # the body from its template, in the letter's markup (paragraphs may hold
    # several, blank-line separated)
    paragraphs: tuple[str, ...] = ()


@functools.cache
def unilateral_wording() -> dict[str, str]:
    """The wording of a motion the respondent files alone (resources/motions.json)."""
    wording: dict[str, str] = catalog.load_json("motions.json")["unilateral"]
    return wording


def _body(ctx: BuildContext, name: str, grounds: str, dhs_position: str = "") -> tuple[str, str]:
    """The motion's title and body from its template (``name``, or the PD form's
    own ``name-FORM.md``), filled in: ``(title, body)``."""
    form = ctx.info.form
    hook = form.hook if form else ""
    vals = wording.values(ctx)
    vals.update(
        title=document_title(ctx).upper(),
        motion=motion_name(form.id if form else "", ctx.info.joint_motion),
        relief=relief(form.id if form else ""),
        under_hook=unilateral_wording()["hook"].replace("{hook}", hook) if hook else "",
        grounds=grounds,
        dhs_position=dhs_position,
    )
    t = wording.template(ctx.store, name, form.id if form else "")
    return t.filled_title(vals), t.filled(vals)


def _signature_block(d: layout.Drawing, x: float, y: float, width: float, party: Party) -> float:
    d._text(x, y, party.heading, SERIF_ITALIC, 11)
    y -= 30
    d.c.setLineWidth(0.6)
    d.c.line(x, y, x + width, y)
    if party.signed.mark:  # typed on the line, as an e-filed signature is
        d._text(x + 4, y + 4, party.signed.mark, SERIF, 11)
    label = "Signature (to be signed in ink)" if party.signed.ink else "Signature"
    d._text(x, y - 12, label, SERIF_ITALIC, 9)
    y -= 27
    for line in party.lines:
        if line:
            y = d._para(x, y, line, width, SERIF, 10.5, 13)
        else:
            y -= 6
    y -= 14
    d.c.line(x, y, x + width * 0.6, y)
    if party.signed.date:
        d._text(x + 4, y + 4, party.signed.date, SERIF, 11)
    d._text(x, y - 12, "Date", SERIF_ITALIC, 9)
    return y - 24


def add_motion(d: layout.Drawing, info: MotionInfo) -> int:
    """The motion: caption, title, body, the parties' signature blocks side by
    side (both sign a joint motion); a long body runs on to a second page."""
    first = d._new_page()
    y = d._caption(info.caption, layout.TOP)
    y = d._para(layout.LEFT, y - 4, info.title, layout.RIGHT - layout.LEFT, SERIF_BOLD, 14, 17, "c")
    y -= 12
    width = layout.RIGHT - layout.LEFT
    paragraphs: Sequence[str] = info.paragraphs
    for chunk in paragraphs:
        for para in wording.paragraphs(chunk):
            if y < layout.BOTTOM + 40:
                d._end_page()
                y = layout.TOP
            text = wording.plain(para.strip())
            if text:
                y = d._para(layout.LEFT, y, text, width, SERIF, layout.BODY, 17) - 8
    block_height = 40 + 14 * max(len(p.lines) for p in info.parties) + 60
    if y - block_height < layout.BOTTOM:
        d._end_page()
        y = layout.TOP
    y -= 8
    if info.date_text:
        d._text(layout.LEFT, y, f"Respectfully submitted, {info.date_text}", SERIF, 11)
        y -= 26
    col = (width - 24) / 2  # one block (the respondent's alone) takes the left column
    most = max(len(p.lines) for p in info.parties[:2])
    for n, party in enumerate(info.parties[:2]):
        # the same number of lines in each block, so both date lines align
        lines = (*party.lines, *(" ",) * (most - len(party.lines)))
        block = Party(party.heading, lines, party.signed)
        _signature_block(d, layout.LEFT + n * (col + 24), y, col, block)
    d._end_page()
    return first


# ---- filled in from the build ------------------------------------------------------------
def _date_long(d: dt.date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def case_caption(ctx: BuildContext) -> layout.Caption:
    """The case caption every court paper carries (the court as the firm edited it)."""
    court = ctx.info.court
    lines: tuple[str, ...] = ()
    if court:
        address = ", ".join(x.strip() for x in court.address.splitlines() if x.strip())
        lines = tuple(x for x in (court.name, address) if x)
    return layout.Caption(
        client_name=ctx.case.client.name,
        a_number=ctx.case.client.a_number_display,
        court_lines=lines,
        detained=ctx.case.proceedings.detained,
        facility=ctx.case.proceedings.facility,
    )


def document_title(ctx: BuildContext) -> str:
    """What the packet is, from its destination: "Joint motion to reopen",
    "Motion to dismiss the proceedings without prejudice", "Request for
    Prosecutorial Discretion"."""
    form, dest = ctx.info.form, ctx.info.destination
    if dest is not None and dest.motion:
        if ctx.info.joint_motion and form is not None and form.joint_motion:
            return form.label
        name = motion_name(form.id if form else "", ctx.info.joint_motion)
        return name[0].upper() + name[1:]
    return (dest.cover_title if dest else "") or "Request for Prosecutorial Discretion"


def _counsel_lines(ctx: BuildContext) -> tuple[str, ...]:
    a = ctx.store.attorney()
    ours = [a.name or "______________________________", "Counsel for Respondent", a.firm]
    ours += [x.strip() for x in a.address.replace(";", "\n").split("\n")]
    ours += [a.phone, f"EOIR ID {a.eoir_id}" if a.eoir_id else ""]
    return tuple(x for x in ours if x.strip())


def motion_info(ctx: BuildContext, caption: layout.Caption) -> MotionInfo:
    """The motion: its legal basis from the PD form, the grounds in the
    attorney's words, and a signature block for each party that signs (a joint
    motion: DHS too, an Assistant Chief Counsel, name and date left blank for
    them; a motion the respondent files alone: counsel's block only)."""
    if not ctx.info.joint_motion:
        return _unilateral_info(ctx, caption)
    form = ctx.info.form
    office = ctx.info.office
    dhs = ["Name: ______________________________", "Assistant Chief Counsel"]
    dhs += ["U.S. Department of Homeland Security", "Office of the Principal Legal Advisor"]
    dhs += [office.name if office else ""]
    grounds = ctx.case.proceedings.motion_grounds.strip() or GROUNDS_PLACEHOLDER
    title, body = _body(ctx, "joint_motion", grounds)
    return MotionInfo(
        caption=caption,
        title=title,
        hook=form.hook if form else "",
        relief=relief(form.id if form else ""),
        grounds=grounds,
        client_name=ctx.case.client.name,
        parties=(
            Party("For the Respondent", _counsel_lines(ctx), _counsel_signed(ctx)),
            Party("For the Department of Homeland Security", tuple(x for x in dhs if x)),
        ),
        date_text=_date_long(ctx.build_date),
        paragraphs=(body,),
    )


def _unilateral_info(ctx: BuildContext, caption: layout.Caption) -> MotionInfo:
    """A motion the respondent files alone (court_motion, court_motion_paper):
    its wording from templates/motion*.md and resources/motions.json; DHS's position and the grounds are
    the attorney's to write (``[[...]]`` until then, which keeps it a draft)."""
    w = unilateral_wording()
    form = ctx.info.form
    hook = form.hook if form else ""
    rel = relief(form.id if form else "")
    written = ctx.case.proceedings.motion_grounds.strip()
    # the grounds the attorney writes state DHS's position too (motions.json says why)
    title, body = _body(
        ctx,
        "motion",
        written or w["grounds_placeholder"],
        "" if written else w["dhs_position"],
    )
    return MotionInfo(
        caption=caption,
        title=title,
        hook=hook,
        relief=rel,
        grounds=written or w["grounds_placeholder"],
        client_name=ctx.case.client.name,
        parties=(Party(w["signer_heading"], _counsel_lines(ctx), _counsel_signed(ctx)),),
        date_text=_date_long(ctx.build_date),
        paragraphs=(body,),
    )


def page_count(ctx: BuildContext) -> int:
    """How many pages the motion takes (its grounds are the attorney's, of any
    length): drawn once on a scratch document to count them."""
    d = layout.Drawing("motion")
    add_motion(d, motion_info(ctx, case_caption(ctx)))
    return d.finish().pages


def _counsel_signed(ctx: BuildContext) -> layout.SignedLine:
    """How the respondent's counsel signs the motion (the case's "letter or
    motion" signature): "/s/ Name" and its date, or a line to sign in ink."""
    sig = signing.find(signing.signatures(ctx.store, ctx.case.id), "letter", "attorney")
    if sig is not None and sig.electronic:
        when = _date_long(sig.signed_on) if sig.signed_on else ""
        return layout.SignedLine(sig.mark, when)
    return layout.SignedLine(ink=sig is not None and sig.wet)

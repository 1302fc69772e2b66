"""The request letter: drafted from the case, kept per case, edited by the
attorney, refreshed with a 3-way merge, and printed with live citations.

The letter is plain text in a small markup (see resources/templates/letter.md):
``#``/``##`` headings, ``**bold**``, ``*italics*``, ``-`` and ``1.`` lists,
blank lines between paragraphs, ``[[...]]`` for something the attorney must
still write.  Citations are tokens that name exhibits by their id, never by
letter, so reordering exhibits can never leave a wrong citation:

    {{cite:ID}}               -> "Exhibit C"
    {{pages:ID}}              -> "Exh. C at 14–16"  (the exhibit's packet pages)
    {{cite:ID:pages=2-3}}     -> "Exh. C at 15–16"  (pages 2-3 of the exhibit)
    {{today}}                 -> the date the letter is printed

A token whose exhibit is gone (removed, excluded) renders as "[MISSING
EXHIBIT]" and the review (``pdpacket.review``) blocks the packet.

The packet builder asks ``letter_source_for(store, case_id)`` for the letter
and calls ``render(cites)`` with the final letters and page numbers.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import io
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter as LETTER_PAGE
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
)

from pdpacket.errors import BadInputError
from pdpacket.model import Attorney, Case, Exhibit, FactorAnswer, Letter, LetterConflict, Polarity
from pdpacket.model.identifiers import exhibit_letter
from pdpacket.model.markup import (
    BOLD,
    ITALIC,
    PLACEHOLDER,
    TODAY,
    TOKEN,
    Citation,
    citations,
    heading_text,
    parse_blocks,
    placeholders,
    split_blocks,
    text_hash,
)
from pdpacket.packet.builder import CiteTarget, LetterSource
from pdpacket.policy import catalog
from pdpacket.store.database import Store, now_iso

log = logging.getLogger("pdpacket.letter")

MISSING_EXHIBIT = "[MISSING EXHIBIT]"
PAGES_NOT_IN_EXHIBIT = "[PAGES NOT IN EXHIBIT]"
EN_DASH = "\u2013"


# ---- citations -------------------------------------------------------------
class CiteLike(Protocol):
    """What a citation needs to know about an exhibit (``packet.CiteTarget``)."""

    @property
    def letter(self) -> str: ...

    @property
    def first_page(self) -> int: ...

    @property
    def last_page(self) -> int: ...

    @property
    def title(self) -> str: ...


# The builder's contract (pdpacket/packet.py): ``CiteTarget(letter, first_page,
# last_page, title)`` per exhibit id, with ``first_page`` the exhibit's tab page;
# ``first_page == 0`` here means the pages are not known (a letter exported
# without a packet), and citations then name the exhibit only.


def page_range(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}{EN_DASH}{last}"


def render_citation(c: Citation, cites: Mapping[int, CiteLike]) -> str:
    t = cites.get(c.exhibit_id)
    if t is None:
        return MISSING_EXHIBIT
    if c.kind == "cite" and not c.first:
        return f"Exhibit {t.letter}"
    if not t.first_page:
        return f"Exh. {t.letter}"
    # The exhibit's own pages start after its tab page.
    start = t.first_page + 1 if t.last_page > t.first_page else t.first_page
    if c.first:
        lo = start + c.first - 1
        hi = start + max(c.last, c.first) - 1
        if c.last < c.first or hi > t.last_page:
            return f"Exh. {t.letter} {PAGES_NOT_IN_EXHIBIT}"
    else:
        lo, hi = start, t.last_page
    return f"Exh. {t.letter} at {page_range(lo, hi)}"


def long_date(d: dt.date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def render_tokens(
    text: str, cites: Mapping[int, CiteLike], today: dt.date, *, mark: bool = False
) -> str:
    """The text with every token replaced; with ``mark`` a missing exhibit is
    wrapped in private-use markers the PDF renderer shows in red."""

    def cite(m: re.Match[str]) -> str:
        [c] = citations(m.group(0))
        out = render_citation(c, cites)
        if mark and (MISSING_EXHIBIT in out or PAGES_NOT_IN_EXHIBIT in out):
            return f"\ue000{out}\ue001"
        return out

    return TODAY.sub(long_date(today), TOKEN.sub(cite, text))


def _xml_escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def inline_markup(text: str) -> str:
    """Letter markup (tokens already rendered) -> reportlab paragraph XML."""
    s = _xml_escape(text)
    s = BOLD.sub(r"<b>\1</b>", s)
    s = ITALIC.sub(r"<i>\1</i>", s)
    s = PLACEHOLDER.sub(r'<font backColor="#FFF176">[[\1]]</font>', s)
    s = s.replace("\ue000", '<font color="#C62828"><b>').replace("\ue001", "</b></font>")
    return s.replace("\n", "<br/>")


# ---- fonts -------------------------------------------------------------------
FONT_FILES = {
    "normal": "LiberationSerif-Regular.ttf",
    "bold": "LiberationSerif-Bold.ttf",
    "italic": "LiberationSerif-Italic.ttf",
    "boldItalic": "LiberationSerif-BoldItalic.ttf",
}


@dataclass(frozen=True)
class Fonts:
    normal: str
    bold: str
    italic: str
    embedded: bool


@functools.cache
def letter_fonts() -> Fonts:
    """Liberation Serif from resources/fonts (embedded in the PDF), or the
    standard Times fonts when the files are not there."""
    folder = catalog.resource_root().joinpath("fonts")
    names: dict[str, str] = {}
    try:
        for style, filename in FONT_FILES.items():
            entry = folder.joinpath(filename)
            if not entry.is_file():
                continue
            name = f"PdpLetterSerif-{style}"
            pdfmetrics.registerFont(TTFont(name, io.BytesIO(entry.read_bytes())))
            names[style] = name
    except (OSError, TTFError) as exc:
        log.warning("letter fonts not usable (%s); using Times", exc)
        names = {}
    if "normal" not in names or "bold" not in names:
        log.warning("Liberation Serif not found in resources/fonts; the letter uses Times")
        return Fonts("Times-Roman", "Times-Bold", "Times-Italic", embedded=False)
    italic = names.get("italic", names["normal"])
    pdfmetrics.registerFontFamily(
        "PdpLetterSerif",
        normal=names["normal"],
        bold=names["bold"],
        italic=italic,
        boldItalic=names.get("boldItalic", names["bold"]),
    )
    return Fonts(names["normal"], names["bold"], italic, embedded=True)


# ---- rendering -----------------------------------------------------------------
MARGIN = 72.0  # one inch all round: the top inch stays clear for fasteners


def _styles(fonts: Fonts) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body", fontName=fonts.normal, fontSize=12, leading=15, spaceAfter=9, allowWidows=0
    )
    return {
        "para": body,
        "h1": ParagraphStyle(
            "h1", parent=body, fontName=fonts.bold, spaceBefore=6, spaceAfter=6, keepWithNext=1
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=body,
            fontName=fonts.bold,
            leftIndent=18,
            spaceBefore=2,
            spaceAfter=6,
            keepWithNext=1,
        ),
        "h3": ParagraphStyle(
            "h3", parent=body, fontName=fonts.italic, leftIndent=18, keepWithNext=1
        ),
        "item": ParagraphStyle("item", parent=body, spaceAfter=3),
    }


def _paragraph(xml: str, style: ParagraphStyle) -> Paragraph:
    try:
        return Paragraph(xml, style)
    except ValueError:  # markup reportlab cannot parse: print it plainly
        plain = re.sub(r"<[^>]+>", "", xml)
        return Paragraph(plain, style)


_CLOSINGS = ("respectfully submitted", "sincerely", "respectfully", "very truly yours")


def letter_story(text: str, cites: Mapping[int, CiteLike], today: dt.date) -> list[Flowable]:
    fonts = letter_fonts()
    st = _styles(fonts)
    story: list[Flowable] = []
    closing: list[Flowable] | None = None
    for block in parse_blocks(render_tokens(text, cites, today, mark=True)):
        flow: Flowable
        if block.kind in ("ul", "ol"):
            flow = ListFlowable(
                [
                    ListItem(_paragraph(inline_markup(i), st["item"]), leftIndent=24)
                    for i in block.items
                ],
                bulletType="bullet" if block.kind == "ul" else "1",
                start="\u2022" if block.kind == "ul" else "1",
                bulletFontName=fonts.normal,
                bulletFontSize=12,
                leftIndent=24,
                spaceAfter=9,
            )
        else:
            flow = _paragraph(inline_markup(block.items[0]), st[block.kind])
        if closing is None and block.kind == "para":
            first = block.items[0].strip().lower()
            if first.startswith(_CLOSINGS):
                closing = []
        (closing if closing is not None else story).append(flow)
    if closing:
        story.append(KeepTogether(closing))
    if not story:
        story.append(_paragraph(inline_markup("[[The letter is empty.]]"), st["para"]))
    return story


def render_letter_pdf(
    text: str,
    cites: Mapping[int, CiteLike],
    *,
    title: str,
    author: str = "",
    today: dt.date | None = None,
    page_numbers: bool = False,
) -> bytes:
    """Letter-size PDF, 12-point type, one-inch margins.  Inside a packet the
    builder stamps the page numbers; ``page_numbers`` adds them for a letter
    printed alone."""
    return _render(text, cites, title=title, author=author, today=today, page_numbers=page_numbers)[
        0
    ]


def _render(
    text: str,
    cites: Mapping[int, CiteLike],
    *,
    title: str,
    author: str,
    today: dt.date | None,
    page_numbers: bool,
) -> tuple[bytes, int]:
    fonts = letter_fonts()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=LETTER_PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        author=author,
        creator="pdpacket",
        producer="pdpacket",
        subject="Request for prosecutorial discretion",
        invariant=1,
        pageCompression=1,
        initialFontName=fonts.normal,
        initialFontSize=12,
    )

    def number(canvas: Canvas, document: Any) -> None:
        if page_numbers:
            canvas.saveState()
            canvas.setFont(fonts.normal, 10)
            canvas.setFillColor(colors.black)
            canvas.drawCentredString(LETTER_PAGE[0] / 2, 36, str(document.page))
            canvas.restoreState()

    doc.build(
        letter_story(text, cites, today or dt.date.today()),
        onFirstPage=number,
        onLaterPages=number,
    )
    return buf.getvalue(), int(doc.page)


class CaseLetter:
    """The ``LetterSource`` of a case: what the packet builder renders.

    Each render remembers the citations it was given (``record``), so that the
    letter exported alone can cite the same packet pages while the last build
    still matches the case."""

    def __init__(
        self,
        text: str,
        *,
        title: str,
        author: str = "",
        today: dt.date | None = None,
        record: Callable[[Mapping[int, CiteLike]], None] | None = None,
    ) -> None:
        self.text = text
        self.title = title
        self.author = author
        self.today = today
        self.record = record

    def render(self, cites: Mapping[int, CiteLike]) -> bytes:
        pdf = render_letter_pdf(
            self.text, cites, title=self.title, author=self.author, today=self.today
        )
        if self.record is not None:
            self.record(cites)
        return pdf


def letter_source_for(
    store: Store, case_id: int, *, today: dt.date | None = None
) -> CaseLetter | None:
    """The case's letter for the builder, or ``None`` when it has none.
    ``today`` fixes the date printed for ``{{today}}`` (reproducible builds)."""
    letter = store.get_letter(case_id)
    if letter is None or not letter.text.strip():
        return None
    case = store.get_case(case_id)
    text = letter.text

    def record(cites: Mapping[int, CiteLike]) -> None:
        store.set_setting(
            _cites_key(case_id),
            {
                "at": now_iso(),
                "builds": len(store.list_builds(case_id)),  # this build is the next one
                "text": text_hash(text),
                "exhibits": _fingerprint(store, case_id),
                "cites": {
                    str(k): [t.letter, t.first_page, t.last_page, t.title] for k, t in cites.items()
                },
            },
        )

    return CaseLetter(
        text, title=letter_title(case), author=store.attorney().name, today=today, record=record
    )


def _cites_key(case_id: int) -> str:
    return f"letter.build_cites.{case_id}"


def _fingerprint(store: Store, case_id: int) -> list[list[int]]:
    return [[e.id, e.pages] for e in store.list_exhibits(case_id) if e.in_packet]


def build_cites(store: Store, case_id: int) -> dict[int, CiteTarget] | None:
    """The citations of the last build, if it rendered this letter and the case
    has not changed since (else ``None``: its page numbers may be wrong now)."""
    saved = store.get_setting(_cites_key(case_id))
    letter = store.get_letter(case_id)
    builds = store.list_builds(case_id)
    if not saved or letter is None or not builds:
        return None
    try:
        at = str(saved["at"])
        fresh = (
            len(builds) == int(saved["builds"]) + 1  # no build since without this letter
            and builds[0].created_at >= at
            and store.get_case(case_id).updated_at <= at
            and saved["text"] == text_hash(letter.text)
            and saved["exhibits"] == _fingerprint(store, case_id)
        )
        if not fresh:
            return None
        return {
            int(k): CiteTarget(str(v[0]), int(v[1]), int(v[2]), str(v[3]))
            for k, v in saved["cites"].items()
        }
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def letter_title(case: Case) -> str:
    return f"Request for prosecutorial discretion - {case.title}"


# ---- the draft -------------------------------------------------------------------
@functools.cache
def _parts() -> dict[str, Any]:
    data: dict[str, Any] = catalog.load_json("templates/letter_parts.json")
    return data


@functools.cache
def _template() -> str:
    raw = catalog.resource_root().joinpath("templates/letter.md").read_text(encoding="utf-8")
    return re.sub(r"<!--.*?-->\s*", "", raw, flags=re.S)


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fmt(template: str, **values: str) -> str:
    return template.format_map(_Keep(values))


def _sentence(s: str) -> str:
    s = " ".join(s.split())
    if s and s[-1] not in ".!?\"')”]":
        s += "."
    return s


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def _join_and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + f", and {items[-1]}"


def exhibits_for_factor(factor: catalog.Factor, exhibits: Sequence[Exhibit]) -> list[Exhibit]:
    """Included exhibits that support ``factor``: tagged with it, or (for a
    negative factor) of one of its document types, e.g. a certified disposition."""
    return [
        e
        for e in exhibits
        if e.included
        and (
            factor.id in e.factor_ids
            or (factor.polarity == Polarity.NEGATIVE and e.document_type in factor.document_types)
        )
    ]


def factor_heading(factor_id: str) -> str:
    """The heading the draft gives a factor's section ("" when none is set)."""
    return str(_parts()["factors"].get(factor_id, {}).get("heading", ""))


def identity_exhibits(exhibits: Sequence[Exhibit]) -> list[Exhibit]:
    """Included identity documents of the client: a document type of the
    identity category, not tagged as evidence of a relative (a son's birth
    certificate proves family ties, not the client's identity)."""
    identity = {d.id for d in catalog.document_types() if d.category == "identity"}
    own = {"age", "long_residence"}
    return [
        e
        for e in exhibits
        if e.included and e.document_type in identity and set(e.factor_ids) <= own
    ]


def _see(exhibits: Sequence[Exhibit], token: str = "pages") -> str:
    refs = [f"{e.title}, {{{{{token}:{e.id}}}}}" for e in exhibits]
    return f"{_parts()['evidence_lead']} " + "; ".join(refs) + "."


def client_reference(case: Case) -> str:
    if case.proceedings.stage in _parts().get("respondent_stages", ()):
        return "Respondent"
    return case.client.name


def compose_draft(
    case: Case,
    answers: Mapping[str, FactorAnswer],
    exhibits: Sequence[Exhibit],
    attorney: Attorney,
) -> str:
    """The first draft of the letter, from the case data and the templates."""
    parts = _parts()
    p = case.proceedings
    name = case.client.name
    ref = client_reference(case)
    form = catalog.pd_form(p.pd_form)
    kind = form.addressee if form else "opla"
    addr = parts["addressees"].get(kind) or parts["addressees"]["opla"]
    office = catalog.opla_office(p.opla_office_id)
    court = catalog.court(p.court_id)
    title = (office.get("chief_counsel_title") if office else None) or addr["title"]
    fw = catalog.framework(p.framework_id)
    included = [e for e in exhibits if e.included]
    form_parts = parts["forms"].get(p.pd_form) if form else None
    form_parts = form_parts or parts["form_missing"]
    hook = form.hook if form else ""
    request = _fmt(form_parts["request"], ref=ref, hook=hook or "[[legal basis]]")
    org = addr["org"]

    # addressee
    block_values = {
        "title": title,
        "office_name": office.name if office else "",
        "office_short": office.name.removeprefix("OPLA ").strip() if office else "",
        "office_address": (office.address or f"{office.city}, {office.state}") if office else "",
        "judge": p.judge or "Immigration Judge",
        "court_name": court.name if court else "",
        "court_address": court.address if court else "",
    }
    missing_place = (kind == "opla" and not office) or (kind == "court" and not court)
    if missing_place and addr.get("missing"):
        addressee = addr["missing"]
    else:
        lines = [_fmt(line, **block_values).strip() for line in addr["block"]]
        addressee = "\n".join(line for line in lines if line)

    # Re: lines
    a_num = case.client.a_number_display
    re_lines = [f"**Re: {name}" + (f", {a_num}**" if a_num else "**")]
    if form:
        re_lines.append(
            f"**Request for prosecutorial discretion: {form.label}"
            + (f" ({form.hook})**" if form.hook else "**")
        )
    else:
        re_lines.append("**Request for prosecutorial discretion: [[form of discretion]]**")
    if p.detained:
        re_lines.append("**DETAINED**" + (f" at {p.facility}" if p.facility else ""))
    if p.hearing_date:
        kind_of = {"master": "master calendar hearing", "individual": "individual hearing"}
        what = kind_of.get(p.hearing_type, "hearing")
        re_lines.append(f"Next {what}: {long_date(p.hearing_date)}")

    # opening and facts
    name_intro = f"{name} (\u201cRespondent\u201d)" if ref == "Respondent" else name
    opening = _fmt(
        parts["opening"],
        name=name_intro,
        a_number_phrase=f"{a_num}, " if a_num else "",
        org=org,
        request=request,
    )
    facts: list[str] = []
    dob, country = case.client.dob, case.client.country
    born = ""
    if dob and country:
        born = f"was born on {long_date(dob)}, in {country} and is a citizen of {country}"
    elif dob:
        born = f"was born on {long_date(dob)}"
    elif country:
        born = f"is a native and citizen of {country}"
    if born:
        sentence = f"{name} {born}."
        ids = identity_exhibits(included)
        if ids:
            sentence += " See " + "; ".join(f"{{{{cite:{e.id}}}}}" for e in ids) + "."
        facts.append(sentence)
    else:
        facts.append("[[State the client's date and country of birth, and cite the passport.]]")
    stage_text = parts["stages"].get(p.stage, "")
    if stage_text:
        where = _fmt(
            stage_text,
            ref=ref,
            court=f" before the {court.name}" if court else "",
            judge=f" (Hon. {p.judge.removeprefix('Hon. ')})" if p.judge else "",
            facility=f" at {p.facility}" if p.facility else "",
        )
        if p.hearing_date:
            what = {"master": "master calendar hearing", "individual": "individual hearing"}.get(
                p.hearing_type, "hearing"
            )
            where += f" The next {what} is set for {long_date(p.hearing_date)}."
        if p.receipts:
            label = "receipt number" if len(p.receipts) == 1 else "receipt numbers"
            where += f" USCIS {label}: {', '.join(p.receipts)}."
        facts.append(where)
    facts.append(parts["facts_story"])

    # positive factors
    positive: list[str] = []
    for factor in fw.positive:
        answer = answers.get(factor.id)
        if not answer or not answer.applies:
            continue
        fp = parts["factors"].get(factor.id, {})
        positive.append(f"## {fp.get('heading', factor.label)}")
        argument = _fmt(fp.get("argument", ""), ref=ref)
        notes = _sentence(answer.notes) if answer.notes.strip() else parts["notes_missing"]
        positive.append(f"{argument} {notes}".strip())
        support = exhibits_for_factor(factor, included)
        positive.append(_see(support) if support else parts["evidence_missing"])
    if not positive:
        positive.append(parts["no_positive"])

    # negative factors
    negative: list[str] = []
    applying = [f for f in fw.negative if (a := answers.get(f.id)) and a.applies]
    absent = [f for f in fw.negative if (a := answers.get(f.id)) and not a.applies]
    absent_phrases = [
        parts["factors"].get(f.id, {}).get("absent", "") for f in absent if f.id in answers
    ]
    absent_phrases = [a for a in absent_phrases if a]
    if applying:
        negative.append(f"# {parts['negative_heading']}")
        for factor in applying:
            answer = answers[factor.id]
            fp = parts["factors"].get(factor.id, {})
            negative.append(f"## {fp.get('heading', factor.label)}")
            lead = _fmt(fp.get("lead", parts["negative_lead"]), ref=ref)
            notes = _sentence(answer.notes) if answer.notes.strip() else ""
            negative.append(f"{lead} {notes}".strip())
            negative.append(
                _sentence(answer.explanation)
                if answer.explanation.strip()
                else parts["explanation_missing"]
            )
            docs = exhibits_for_factor(factor, included)
            if docs:
                negative.append(_see(docs))
            elif factor.requires_disposition or factor.document_types:
                negative.append(parts["disposition_missing"])
        if absent_phrases:
            negative.append(f"In addition, {ref} {_join_and(absent_phrases)}.")
        if parts.get("balance"):
            negative.append(_fmt(parts["balance"], ref=ref))
    elif absent_phrases:
        negative.append(f"# {parts['no_negative_heading']}")
        negative.append(f"{ref} {_join_and(absent_phrases)}.")
    else:
        negative.append(f"# {parts['negative_heading']}")
        negative.append(parts["negatives_unanswered"])

    # conclusion and signature
    reach = [x for x in (attorney.phone, attorney.email) if x]
    contact = " at " + " or ".join(reach) if reach else ""
    conclusion = _fmt(parts["conclusion"], ref=ref, org=org, request=request, contact=contact)
    if attorney.name:
        sig = [parts["signature_line"], attorney.name]
        sig += [x for x in (attorney.firm, *attorney.address.splitlines()) if x.strip()]
        sig += [" \u00b7 ".join(reach)] if reach else []
        numbers = []
        if attorney.bar_number:
            numbers.append(f"Bar No. {attorney.bar_number}")
        if attorney.eoir_id:
            numbers.append(f"EOIR ID {attorney.eoir_id}")
        if numbers:
            sig.append(" \u00b7 ".join(numbers))
    else:
        sig = [parts["signature_line"], parts["attorney_missing"]]
    sig.append(_fmt(parts["counsel_for"], name=name))

    values: dict[str, str] = {
        "client_name": name,
        "a_number": a_num,
        "client_reference": ref,
        "delivery": addr["delivery"],
        "addressee_block": addressee,
        "salutation": _fmt(addr["salutation"], title=title),
        "re_lines": "\n".join(re_lines),
        "opening": opening,
        "framework": _capital(_fmt(parts.get("frameworks", {}).get(fw.id, ""), ref=ref, org=org)),
        "facts": "\n\n".join(facts),
        "positive_heading": parts["positive_heading"],
        "positive_factors": "\n\n".join(positive),
        "negative_factors": "\n\n".join(negative),
        "consequences": _fmt(form_parts["consequences"], ref=ref),
        "conclusion": conclusion,
        "signature": "\n".join(sig),
    }

    def fill(m: re.Match[str]) -> str:
        return values.get(m.group(1), m.group(0))

    text = re.sub(r"\{\{\s*([a-z_]+)\s*\}\}", fill, _template())
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text


def generate_draft(store: Store, case_id: int) -> str:
    case = store.get_case(case_id)
    return compose_draft(
        case, store.factor_answers(case_id), store.list_exhibits(case_id), store.attorney()
    )


# ---- the 3-way merge -------------------------------------------------------------------
def _matches(a: Sequence[str], b: Sequence[str]) -> dict[int, int]:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: dict[int, int] = {}
    for blk in sm.get_matching_blocks():
        for k in range(blk.size):
            out[blk.a + k] = blk.b + k
    return out


def _diff3(
    base: Sequence[str], mine: Sequence[str], theirs: Sequence[str]
) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """Chunks (base, mine, theirs) between blocks all three share (diff3)."""
    mm, mt = _matches(base, mine), _matches(base, theirs)
    ib = im = it = 0
    while ib < len(base) or im < len(mine) or it < len(theirs):
        if ib < len(base) and mm.get(ib) == im and mt.get(ib) == it:
            yield [base[ib]], [mine[im]], [theirs[it]]
            ib, im, it = ib + 1, im + 1, it + 1
            continue
        k = ib
        while k < len(base) and not (k in mm and k in mt):
            k += 1
        em, et = (mm[k], mt[k]) if k < len(base) else (len(mine), len(theirs))
        yield list(base[ib:k]), list(mine[im:em]), list(theirs[it:et])
        ib, im, it = k, em, et


def _resolve(b: list[str], m: list[str], t: list[str]) -> list[str] | None:
    if m == b:
        return t
    if t == b or m == t:
        return m
    n = len(b)
    if t[:n] == b:  # the draft only added after this part: keep the edit, add the rest
        return m + t[n:]
    if n and t[len(t) - n :] == b:
        return t[: len(t) - n] + m
    if m[:n] == b:  # the attorney only added after it: take the draft's change, keep the rest
        return t + m[n:]
    if n and m[len(m) - n :] == b:
        return m[: len(m) - n] + t
    return None


def merge_letter(base: str, mine: str, theirs: str) -> tuple[str, tuple[LetterConflict, ...]]:
    """3-way merge at paragraph level: ``base`` is the last generated draft,
    ``mine`` the attorney's text, ``theirs`` the new draft.  Where both changed
    the same paragraphs the attorney's text is kept and a conflict names the
    section, with the draft's version, so it can be shown."""
    b, m, t = split_blocks(base), split_blocks(mine), split_blocks(theirs)
    out: list[str] = []
    conflicts: list[LetterConflict] = []
    for bc, mc, tc in _diff3(b, m, t):
        merged = _resolve(bc, mc, tc)
        if merged is not None:
            out.extend(merged)
            continue
        section = next((h for blk in (*mc, *tc) if (h := heading_text(blk))), None)
        if section is None:
            section = next((h for blk in reversed(out) if (h := heading_text(blk))), "")
        conflicts.append(
            LetterConflict(section=section, mine="\n\n".join(mc), draft="\n\n".join(tc))
        )
        out.extend(mc)
    return "\n\n".join(out) + "\n", tuple(conflicts)


# ---- the stored letter --------------------------------------------------------------
@dataclass(frozen=True)
class LetterUpdate:
    """What ``refresh_letter`` did."""

    letter: Letter
    created: bool  # there was no letter: the draft became the letter
    draft_changed: bool  # the new draft differs from the last generated one
    conflicts: tuple[LetterConflict, ...]  # parts both edited and changed by this refresh


def refresh_letter(store: Store, case_id: int) -> LetterUpdate:
    """Generate the draft from the case; create the letter with it, or merge
    the changes into the attorney's text (their edits are kept)."""
    draft = generate_draft(store, case_id)
    digest = text_hash(draft)
    old = store.get_letter(case_id)
    if old is None:
        letter = store.save_letter(
            case_id,
            draft,
            draft_text=draft,
            generated_from_hash=digest,
            conflicts=(),
            action="letter.generate",
        )
        return LetterUpdate(letter, created=True, draft_changed=True, conflicts=())
    changed = text_hash(old.draft_text) != digest
    merged, conflicts = merge_letter(old.draft_text, old.text, draft)
    if not changed:
        merged = old.text
    renewed = {c.section for c in conflicts}
    kept = tuple(c for c in old.conflicts if c.section not in renewed) + conflicts
    letter = store.save_letter(
        case_id,
        merged,
        draft_text=draft,
        generated_from_hash=digest,
        conflicts=kept,
        action="letter.refresh",
    )
    log.info("letter of case %d refreshed: %d conflicts", case_id, len(conflicts))
    return LetterUpdate(letter, created=False, draft_changed=changed, conflicts=conflicts)


def save_letter_text(
    store: Store, case_id: int, text: str, *, resolve_conflicts: bool = False
) -> Letter:
    """Store the attorney's text.  A case without a letter gets one whose
    generated draft is the current draft (the base of a later refresh)."""
    if store.get_letter(case_id) is None:
        draft = generate_draft(store, case_id)
        return store.save_letter(
            case_id, text, draft_text=draft, generated_from_hash=text_hash(draft), conflicts=()
        )
    return store.save_letter(case_id, text, conflicts=() if resolve_conflicts else None)


def resolve_conflicts(store: Store, case_id: int, sections: Sequence[str] | None = None) -> Letter:
    """Mark conflicts as seen (the attorney's text stays): all, or those of ``sections``."""
    letter = store.get_letter(case_id)
    if letter is None:
        raise BadInputError(
            f"Case {case_id} has no letter yet.",
            hint=f"Generate the draft first: pdpacket letter {case_id} --refresh",
        )
    keep = (
        () if sections is None else tuple(c for c in letter.conflicts if c.section not in sections)
    )
    return store.save_letter(case_id, letter.text, conflicts=keep, action="letter.resolve")


# ---- exporting the letter alone -----------------------------------------------------
def current_cites(store: Store, case_id: int) -> dict[int, CiteTarget]:
    """The letters the exhibits get in the next packet (included exhibits with
    files, in order), without page numbers."""
    exhibits = [e for e in store.list_exhibits(case_id) if e.in_packet]
    return {e.id: CiteTarget(exhibit_letter(i), 0, 0, e.title) for i, e in enumerate(exhibits)}


@dataclass(frozen=True)
class LetterExport:
    path: str
    pages: int
    size: int
    with_pages: bool  # citations carry packet page numbers (from the last build)


def export_letter(
    store: Store,
    case_id: int,
    out_path: str | os.PathLike[str],
    *,
    cites: Mapping[int, CiteLike] | None = None,
    today: dt.date | None = None,
) -> LetterExport:
    """Write the letter alone as a PDF (atomically).  Citations carry the
    packet pages of the last build while it still matches the case, else the
    exhibits' letters only (or ``cites`` when given)."""
    letter = store.get_letter(case_id)
    if letter is None or not letter.text.strip():
        raise BadInputError(
            f"Case {case_id} has no request letter yet.",
            hint=f"Generate the draft first: pdpacket letter {case_id} --refresh",
        )
    case = store.get_case(case_id)
    if cites is None:
        cites = build_cites(store, case_id) or current_cites(store, case_id)
    targets: Mapping[int, CiteLike] = cites
    data, pages = _render(
        letter.text,
        targets,
        title=letter_title(case),
        author=store.attorney().name,
        today=today,
        page_numbers=True,
    )
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    with_pages = any(t.first_page for t in targets.values())
    store.audit(case_id, "letter.export", path=str(out))
    return LetterExport(str(out), pages, len(data), with_pages)


def letter_summary(letter: Letter | None) -> dict[str, Any]:
    """A small JSON-friendly summary (for logs and the CLI)."""
    if letter is None:
        return {"exists": False}
    return {
        "exists": True,
        "untouched": letter.untouched,
        "conflicts": [c.section for c in letter.conflicts],
        "citations": len(citations(letter.text)),
        "placeholders": len(placeholders(letter.text)),
    }


__all__ = [
    "CaseLetter",
    "CiteTarget",
    "LetterExport",
    "LetterSource",
    "LetterUpdate",
    "citations",
    "compose_draft",
    "export_letter",
    "generate_draft",
    "letter_source_for",
    "merge_letter",
    "refresh_letter",
    "render_letter_pdf",
]

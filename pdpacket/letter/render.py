"""The letter printed: fonts, paragraph styles, the story of flowables, and
the letter-size PDF (12-point type, one-inch margins)."""

from __future__ import annotations

import datetime as dt
import functools
import io
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

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

from pdpacket.letter.citations import CiteLike, render_tokens
from pdpacket.letter.signature import sign
from pdpacket.model.markup import BOLD, ITALIC, PLACEHOLDER, parse_blocks
from pdpacket.model.signing import Signature
from pdpacket.policy import catalog

log = logging.getLogger("pdpacket.letter")


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


def letter_story(
    text: str,
    cites: Mapping[int, CiteLike],
    today: dt.date,
    signature: Signature | None = None,
) -> list[Flowable]:
    fonts = letter_fonts()
    st = _styles(fonts)
    story: list[Flowable] = []
    closing: list[Flowable] | None = None
    signed = sign(text, signature, today)
    for block in parse_blocks(render_tokens(signed, cites, today, mark=True)):
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
    signature: Signature | None = None,
) -> bytes:
    """Letter-size PDF, 12-point type, one-inch margins.  Inside a packet the
    builder stamps the page numbers; ``page_numbers`` adds them for a letter
    printed alone.  ``signature`` is how the attorney signs it."""
    return render_pdf(
        text,
        cites,
        title=title,
        author=author,
        today=today,
        page_numbers=page_numbers,
        signature=signature,
    )[0]


def render_pdf(
    text: str,
    cites: Mapping[int, CiteLike],
    *,
    title: str,
    author: str,
    today: dt.date | None,
    page_numbers: bool,
    signature: Signature | None = None,
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
        letter_story(text, cites, today or dt.date.today(), signature),
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
        signature: Signature | None = None,
    ) -> None:
        self.text = text
        self.title = title
        self.author = author
        self.today = today
        self.record = record
        self.signature = signature

    def render(self, cites: Mapping[int, CiteLike]) -> bytes:
        pdf = render_letter_pdf(
            self.text,
            cites,
            title=self.title,
            author=self.author,
            today=self.today,
            signature=self.signature,
        )
        if self.record is not None:
            self.record(cites)
        return pdf

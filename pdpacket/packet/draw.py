"""The pages pdpacket draws itself: cover, index of exhibits, tab pages,
translator's certificates, certificate of service and proposed order.

All of them are drawn with reportlab into ONE document (so each font is
embedded once, however many tab pages there are), with the embedded
Liberation fonts from resources/fonts, 12-point body type, the top inch clear
(two-hole fasteners) and the bottom band free for the page stamps.  The
builder picks the pages it needs out of that document.

Plain data in (the ``*Info`` dataclasses), PDF bytes out; no pypdf here.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass, field

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from pdpacket.pdf.stamps import BAND, PAGE_H, PAGE_W, PRINT_MARGIN, TOP_CLEAR
from pdpacket.pdf.text import (
    SANS,
    SANS_BOLD,
    SERIF,
    SERIF_BOLD,
    SERIF_ITALIC,
    register_fonts,
    text_width,
)

LEFT = 72.0
RIGHT = PAGE_W - 72.0
TOP = PAGE_H - TOP_CLEAR - 12.0  # first baseline: capitals stay below the top inch
BOTTOM = BAND + 24.0  # last baseline of body text (78: over an inch above the paper edge)
BODY = 12.0


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of ``text`` no wider than ``width`` (explicit newlines kept)."""
    register_fonts()
    lines: list[str] = []
    for para in text.split("\n"):
        if not para.strip():
            lines.append("")
            continue
        for line in simpleSplit(para, font, size, width):
            while text_width(line, font, size) > width and len(line) > 1:
                # a single word longer than the line: cut it
                cut = len(line)
                while cut > 1 and text_width(line[:cut], font, size) > width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
            lines.append(line)
    return lines


# ---- what the pages say --------------------------------------------------------
@dataclass(frozen=True)
class Caption:
    """The case caption every court paper carries."""

    client_name: str
    a_number: str = ""  # "A201-555-014"
    court_lines: tuple[str, ...] = ()  # "New York - Broadway Immigration Court", address
    detained: bool = False
    facility: str = ""


@dataclass(frozen=True)
class CoverInfo:
    caption: Caption
    title: str  # "REQUEST FOR PROSECUTORIAL DISCRETION"
    form_line: str = ""  # "Dismissal without prejudice (8 CFR 1239.2(c))"
    joint_motion: bool = False
    attorney_lines: tuple[str, ...] = ()
    judge: str = ""
    hearing: str = ""  # "March 15, 2027 (master calendar)"
    addressee_lines: tuple[str, ...] = ()
    receipts: tuple[str, ...] = ()
    date_text: str = ""
    # the EOIR caption only where the court is the addressee; else the client named
    # in a "Re:" block, the court (if any) as a fact, and how the packet is sent
    court_caption: bool = True
    court_line: str = ""  # "Immigration court: Boston Immigration Court"
    via: str = ""  # "VIA ELECTRONIC MAIL to pd@example.gov"
    statement: str = ""  # the cover template's text, printed under the title


@dataclass(frozen=True)
class IndexRow:
    letter: str = ""  # "" for rows that are not exhibits (letter, forms, order...)
    title: str = ""
    description: str = ""
    date: str = ""
    pages: str = ""  # "12-15" in printed packet numbers
    heading: bool = False  # a section heading: no pages, no link
    target: int = -1  # packet page index (0-based) the row links to; -1: no link
    part: str = ""  # a split packet: the part(s) that hold it, "2" or "2-3"


@dataclass(frozen=True)
class IndexInfo:
    caption: Caption
    rows: tuple[IndexRow, ...]
    # a split packet: its parts' own contents pages reuse the index layout
    title: str = "INDEX OF EXHIBITS"
    subtitle: str = ""  # added to the client line, e.g. "pages 57-120"
    note: str = ""  # under the heading of the first page; its length must not depend on
    #                 page numbers (it is measured before they are known)
    part_column: bool = False  # a "Part" column before the pages


@dataclass(frozen=True)
class TabInfo:
    letter: str
    title: str
    description: str = ""
    date: str = ""
    section: str = ""
    factors: tuple[str, ...] = ()  # labels of the positive factors it supports
    addresses: tuple[str, ...] = ()  # labels of the negative factors it answers
    contents: tuple[str, ...] = ()  # "English translation", "Translator's certificate", ...
    pages: str = ""  # "13-15"
    continued: str = ""  # a split packet: "(continued from Part 1)" on a part's first tab


@dataclass(frozen=True)
class CopiesInfo:
    """The print edition's first sheet: how many copies, for whom, how printed."""

    caption: Caption
    title: str  # the document, e.g. "Request for Prosecutorial Discretion"
    copies: tuple[tuple[str, int, str], ...]  # (for whom, how many, how: "single-sided")
    lines: tuple[str, ...] = ()  # what the print edition does (top inch clear, duplex...)
    pages: str = ""  # "1-182 (182 numbered pages; 14 blank backs)"


@dataclass(frozen=True)
class SignedLine:
    """What goes on a certificate's signature line: "/s/ Name" and the date when
    signed electronically, a line to sign in ink otherwise."""

    mark: str = ""  # "/s/ Jane Doe"; "" prints an empty line
    date: str = ""  # the electronic signature's date, "December 1, 2026"
    ink: bool = False  # marked to be signed in ink: the line says so


@dataclass(frozen=True)
class TranslatorCertificateInfo:
    letter: str
    name: str
    address: str
    phone: str
    language: str
    documents: tuple[str, ...]  # "Exhibit D: Birth certificate of ..." (never file names)
    signed: SignedLine = SignedLine()


@dataclass(frozen=True)
class InterpretationInfo:
    """The certificate of interpretation of the client's declaration."""

    text: str  # the certification, filled in (templates/certificate_of_interpretation.md)
    name: str  # the interpreter; "" prints a blank to fill in by hand
    signed: SignedLine = SignedLine()
    title: str = "CERTIFICATE OF INTERPRETATION"


@dataclass(frozen=True)
class ServiceInfo:
    caption: Caption
    document_title: str
    date_text: str
    attorney_name: str
    attorney_ids: str  # "EOIR ID: XX123456"
    method: str  # "ecas" | "mail" | "hand"
    served_on: tuple[str, ...]  # "Office of the Principal Legal Advisor", office, address
    signed: SignedLine = SignedLine()
    text: str = ""  # the certification from its template ("" : the built-in wording)
    title: str = "CERTIFICATE OF SERVICE"


@dataclass(frozen=True)
class OrderInfo:
    caption: Caption
    motion: str  # "joint motion to reopen"
    relief: str  # "the proceedings are reopened"
    title: str = "ORDER OF THE IMMIGRATION JUDGE"
    paragraphs: tuple[str, ...] = ()  # from its template ("" : the built-in wording)


@dataclass(frozen=True)
class Rect:
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Drawn:
    """The rendered document and where each piece is in it."""

    pdf: bytes = b""
    pages: int = 0
    stamp_font_page: int = -1  # a page whose resources hold the stamp font
    stamp_font_name: str = ""  # its resource name there, e.g. "/F4+0"
    links: dict[int, list[tuple[Rect, int]]] = field(default_factory=dict)  # page -> (rect, target)


# ---- the drawing ---------------------------------------------------------------
class Drawing:
    """One reportlab document; each ``add_*`` returns the first page it drew."""

    def __init__(self, title: str) -> None:
        register_fonts()
        self._buf = io.BytesIO()
        self.c = canvas.Canvas(
            self._buf,
            pagesize=(PAGE_W, PAGE_H),
            invariant=True,
            pageCompression=1,
            initialFontName=SERIF,
            initialFontSize=BODY,
        )
        self.c.setTitle(title)
        self.page = 0  # the page being drawn
        self.result = Drawn()

    # -- helpers
    def _new_page(self) -> int:
        return self.page

    def _end_page(self) -> None:
        self.c.showPage()
        self.page += 1

    def _text(
        self, x: float, y: float, text: str, font: str = SERIF, size: float = BODY, align: str = "l"
    ) -> None:
        self.c.setFont(font, size)
        if align == "c":
            self.c.drawCentredString(x, y, text)
        elif align == "r":
            self.c.drawRightString(x, y, text)
        else:
            self.c.drawString(x, y, text)

    def _para(
        self,
        x: float,
        y: float,
        text: str,
        width: float,
        font: str = SERIF,
        size: float = BODY,
        leading: float | None = None,
        align: str = "l",
    ) -> float:
        """Draw wrapped text from baseline ``y``; return the next free baseline."""
        leading = leading or size * 1.3
        for line in wrap(text, font, size, width):
            cx = x + width / 2 if align == "c" else x
            self._text(cx, y, line, font, size, align)
            y -= leading
        return y

    def _caption(self, cap: Caption, y: float) -> float:
        """Court heading and the "In the Matter of" box; return the next baseline."""
        if cap.court_lines:
            for line in (
                "UNITED STATES DEPARTMENT OF JUSTICE",
                "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW",
                "IMMIGRATION COURT",
            ):
                self._text(PAGE_W / 2, y, line, SERIF_BOLD, BODY, "c")
                y -= 15
            for line in cap.court_lines:
                self._text(PAGE_W / 2, y, line, SERIF, 11, "c")
                y -= 14
            y -= 8
        top = y + 15
        mid = LEFT + (RIGHT - LEFT) * 0.62
        self._text(LEFT + 6, y, "In the Matter of:", SERIF, 11)
        y -= 16
        for line in wrap(cap.client_name.upper(), SERIF_BOLD, BODY, mid - LEFT - 16):
            self._text(LEFT + 18, y, line, SERIF_BOLD, BODY)
            y -= 15
        y -= 2
        self._text(LEFT + 6, y, "In removal proceedings", SERIF_ITALIC, 11)
        self._text(mid + 10, top - 22, "File No.:", SERIF, 11)
        self._text(mid + 10, top - 38, cap.a_number or "(none)", SERIF_BOLD, BODY)
        right_bottom = top - 46
        if cap.detained:
            self._text(mid + 10, top - 56, "Detained", SERIF_ITALIC, 11)
            right_bottom = top - 64
        bottom = min(y - 8, right_bottom)
        self.c.setLineWidth(0.8)
        self.c.line(LEFT, top, RIGHT, top)
        self.c.line(LEFT, bottom, RIGHT, bottom)
        self.c.line(mid, top, mid, bottom)
        return bottom - 24

    def _detained(self, cap: Caption) -> None:
        if not cap.detained:
            return
        w = text_width("DETAINED", SANS_BOLD, 16) + 16
        y = TOP - 10
        self.c.setLineWidth(1.5)
        self.c.rect(RIGHT - w, y - 6, w, 24)
        self._text(RIGHT - w / 2, y, "DETAINED", SANS_BOLD, 16, "c")
        if cap.facility:
            self._para(RIGHT - 170, y - 22, cap.facility, 170, SERIF, 9, align="c")

    def _signature(
        self, y: float, name: str, extra: Sequence[str] = (), signed: SignedLine | None = None
    ) -> float:
        signed = signed or SignedLine()
        self.c.setLineWidth(0.6)
        self.c.line(LEFT, y, LEFT + 250, y)
        self.c.line(LEFT + 300, y, RIGHT, y)
        if signed.mark:  # typed on the line, as an e-filed signature is
            self._text(LEFT + 4, y + 4, signed.mark, SERIF, BODY)
            self._text(LEFT + 304, y + 4, signed.date, SERIF, BODY)
        label = "Signature (to be signed in ink)" if signed.ink else "Signature"
        self._text(LEFT, y - 13, label, SERIF_ITALIC, 10)
        self._text(LEFT + 300, y - 13, "Date", SERIF_ITALIC, 10)
        y -= 34
        if name:
            self._text(LEFT, y, name, SERIF, BODY)
            y -= 15
        for line in extra:
            self._text(LEFT, y, line, SERIF, 11)
            y -= 14
        return y

    # -- the pages
    def add_cover(self, info: CoverInfo) -> int:
        first = self._new_page()
        y = TOP
        for n, line in enumerate(info.attorney_lines):
            self._text(LEFT, y, line, SERIF_BOLD if n == 0 else SERIF, 11)
            y -= 13.5
        self._detained(info.caption)
        y = min(y, TOP - 40) - 22
        if info.joint_motion:
            w = text_width("JOINT MOTION", SANS_BOLD, 22) + 28
            self.c.setLineWidth(2)
            self.c.rect((PAGE_W - w) / 2, y - 9, w, 32)
            self._text(PAGE_W / 2, y, "JOINT MOTION", SANS_BOLD, 22, "c")
            y -= 40
        y = self._caption(info.caption, y) if info.court_caption else self._re_block(info, y)
        if info.judge or info.hearing:
            if info.judge:
                self._text(LEFT, y, "Immigration Judge:", SERIF, 11)
                self._text(LEFT + 118, y, info.judge, SERIF, 11)
                y -= 15
            if info.hearing:
                self._text(LEFT, y, "Next hearing:", SERIF, 11)
                self._text(LEFT + 118, y, info.hearing, SERIF, 11)
                y -= 15
        y = min(y - 36, PAGE_H * 0.5)
        y = self._para(LEFT, y, info.title, RIGHT - LEFT, SERIF_BOLD, 18, 22, "c")
        if info.form_line:
            y = self._para(LEFT, y - 2, info.form_line, RIGHT - LEFT, SERIF, BODY, 15, "c")
        if info.statement:
            y = self._para(LEFT + 36, y - 10, info.statement, RIGHT - LEFT - 72, SERIF, 11, 14, "c")
        y -= 36
        if info.addressee_lines:
            self._text(LEFT, y, "Submitted to:", SERIF_ITALIC, 11)
            y -= 15
            for line in info.addressee_lines:
                y = self._para(LEFT + 18, y, line, RIGHT - LEFT - 18, SERIF, 11, 14)
            y -= 8
        if info.receipts:
            label = "USCIS receipt: " if len(info.receipts) == 1 else "USCIS receipts: "
            y = self._para(LEFT, y, label + ", ".join(info.receipts), RIGHT - LEFT, SERIF, 11)
            y -= 4
        if info.via:
            y = self._para(LEFT, y, info.via, RIGHT - LEFT, SERIF_ITALIC, 11) - 4
        if info.date_text:
            self._text(LEFT, max(y, BOTTOM + 14), f"Date: {info.date_text}", SERIF, 11)
        self._end_page()
        return first

    def _re_block(self, info: CoverInfo, y: float) -> float:
        """A cover sheet's "Re:" lines (no court caption): the client, the
        A-number, the court the case is before."""
        cap = info.caption
        self._text(LEFT, y, "Re:", SERIF_BOLD, BODY)
        y = self._para(LEFT + 36, y, cap.client_name.upper(), RIGHT - LEFT - 36, SERIF_BOLD, BODY)
        if cap.a_number:
            self._text(LEFT + 36, y, f"A-number: {cap.a_number}", SERIF, 11)
            y -= 15
        if info.court_line:
            y = self._para(LEFT + 36, y, info.court_line, RIGHT - LEFT - 36, SERIF, 11, 14)
        return y - 12

    def add_index(self, info: IndexInfo) -> int:
        first = self._new_page()
        col_date, _width = index_columns(info.part_column)
        pages = layout_index(info.rows, part_column=info.part_column, note=info.note)
        for n, page in enumerate(pages):
            y = TOP
            title = info.title if n == 0 else f"{info.title} (continued)"
            self._text(PAGE_W / 2, y, title, SERIF_BOLD, 15, "c")
            y -= 18
            sub = info.caption.client_name
            if info.caption.a_number:
                sub += f"  ·  {info.caption.a_number}"
            if info.subtitle:
                sub += f"  ·  {info.subtitle}"
            self._text(PAGE_W / 2, y, sub, SERIF, 11, "c")
            y -= 24
            if n == 0 and info.note:  # rows move down as far as layout_index measured
                lines = note_lines(info.note)
                for k, line in enumerate(lines):
                    yy = y + 2 - k * NOTE_LEADING
                    self._text(PAGE_W / 2, yy, line, SERIF_ITALIC, NOTE_SIZE, "c")
                y -= len(lines) * NOTE_LEADING + NOTE_GAP
            self._text(LEFT, y, "Exh.", SANS_BOLD, 9)
            self._text(COL_DOC, y, "Document", SANS_BOLD, 9)
            self._text(col_date, y, "Date", SANS_BOLD, 9)
            if info.part_column:
                self._text(PART_X, y, "Part", SANS_BOLD, 9, "c")
            self._text(RIGHT, y, "Pages", SANS_BOLD, 9, "r")
            self.c.setLineWidth(0.8)
            self.c.line(LEFT, y - 5, RIGHT, y - 5)
            links = self.result.links.setdefault(self.page, [])
            for placed in page:
                row = placed.row
                yy = placed.top
                if row.heading:
                    self._text(LEFT, yy, row.title, SANS_BOLD, 10.5)
                    continue
                if row.letter:
                    self._text(LEFT + 2, yy, row.letter, SERIF_BOLD, BODY)
                for line in placed.title_lines:
                    self._text(COL_DOC, yy, line, SERIF, BODY)
                    yy -= TITLE_LEADING
                for line in placed.desc_lines:
                    self._text(COL_DOC, yy, line, SERIF_ITALIC, DESC_SIZE)
                    yy -= DESC_LEADING
                if row.date:
                    self._text(col_date, placed.top, row.date, SERIF, 11)
                if info.part_column and row.part:
                    self._text(PART_X, placed.top, row.part, SERIF, 11, "c")
                self._text(RIGHT, placed.top, row.pages, SERIF, BODY, "r")
                self.c.setLineWidth(0.3)
                self.c.setStrokeGray(0.6)
                self.c.line(LEFT, placed.bottom, RIGHT, placed.bottom)
                self.c.setStrokeGray(0)
                if row.target >= 0:
                    rect = Rect(LEFT - 2, placed.bottom, RIGHT + 2, placed.top + BODY)
                    links.append((rect, row.target))
            self._end_page()
        return first

    def add_tab(self, info: TabInfo) -> int:
        first = self._new_page()
        if info.section:
            self._text(PAGE_W / 2, TOP - 10, info.section.upper(), SANS, 11, "c")
        y = PAGE_H * 0.6
        self._text(PAGE_W / 2, y, f"EXHIBIT {info.letter}", SANS_BOLD, 44, "c")
        y -= 44
        y = self._para(LEFT + 18, y, info.title, RIGHT - LEFT - 36, SERIF_BOLD, 16, 20, "c")
        if info.description:
            y = self._para(
                LEFT + 36, y - 4, info.description, RIGHT - LEFT - 72, SERIF_ITALIC, BODY, 15, "c"
            )
        if info.date:
            y = self._para(LEFT, y - 4, f"Dated {info.date}", RIGHT - LEFT, SERIF, BODY, 15, "c")
        if info.factors or info.addresses:
            y -= 14
        for prefix, labels in (("Supports: ", info.factors), ("Addresses: ", info.addresses)):
            if labels:
                label = prefix + "; ".join(labels)
                y = self._para(LEFT + 36, y, label, RIGHT - LEFT - 72, SERIF, BODY, 15, "c")
        if info.contents:
            y -= 10
            y = self._para(
                LEFT + 36,
                y,
                "Contains: " + "; ".join(info.contents),
                RIGHT - LEFT - 72,
                SERIF,
                11,
                14,
                "c",
            )
        if info.continued:
            y = self._para(LEFT, y - 10, info.continued, RIGHT - LEFT, SERIF_ITALIC, BODY, 15, "c")
        if info.pages:
            self._text(PAGE_W / 2, max(y - 14, BOTTOM + 10), f"Pages {info.pages}", SERIF, 11, "c")
        # the tab itself, on the right as court filings want it, its outer edge
        # (line width included) half an inch in from the paper's edge
        tw = text_width(info.letter, SANS_BOLD, 16) + 14
        tab_right = PAGE_W - PRINT_MARGIN - 2
        self.c.setLineWidth(1.2)
        self.c.rect(tab_right - tw, PAGE_H * 0.6 - 10, tw, 30)
        self._text(tab_right - tw / 2, PAGE_H * 0.6, info.letter, SANS_BOLD, 16, "c")
        self._end_page()
        return first

    def add_translator_certificate(self, info: TranslatorCertificateInfo) -> int:
        first = self._new_page()
        y = TOP - 10
        self._text(PAGE_W / 2, y, "CERTIFICATE OF TRANSLATION", SERIF_BOLD, 15, "c")
        y -= 16
        self._text(PAGE_W / 2, y, f"Exhibit {info.letter}  ·  8 CFR 1003.33", SERIF, 10, "c")
        y -= 34
        name = info.name or "_" * 34
        language = info.language or "_" * 14
        text = (
            f"I, {name}, certify that I am competent to translate from {language} into "
            f"English, and that the English translation of the document"
            f"{'s' if len(info.documents) != 1 else ''} listed below is true and accurate "
            f"to the best of my knowledge and ability."
        )
        y = self._para(LEFT, y, text, RIGHT - LEFT, SERIF, BODY, 17)
        y -= 10
        self._text(LEFT, y, "Documents translated:", SERIF_ITALIC, BODY)
        y -= 17
        for n, doc in enumerate(info.documents[:12], 1):
            y = self._para(LEFT + 18, y, f"{n}. {doc}", RIGHT - LEFT - 18, SERIF, BODY, 15)
        if len(info.documents) > 12:
            y = self._para(
                LEFT + 18, y, f"and {len(info.documents) - 12} more", RIGHT - LEFT, SERIF, BODY
            )
        y -= 40
        extra = [
            f"Address: {info.address or '_' * 50}",
            f"Telephone: {info.phone or '_' * 24}",
        ]
        self._signature(y, f"Name: {info.name or '_' * 40}", extra, info.signed)
        self._end_page()
        return first

    def add_interpretation_certificate(self, info: InterpretationInfo) -> int:
        first = self._new_page()
        y = TOP - 10
        self._text(PAGE_W / 2, y, info.title, SERIF_BOLD, 15, "c")
        y -= 44
        y = self._para(LEFT, y, info.text, RIGHT - LEFT, SERIF, BODY, 17)
        self._signature(y - 50, f"Name: {info.name or '_' * 40}", (), info.signed)
        self._end_page()
        return first

    def add_certificate_of_service(self, info: ServiceInfo) -> int:
        first = self._new_page()
        y = self._caption(info.caption, TOP)
        y -= 6
        self._text(PAGE_W / 2, y, info.title, SERIF_BOLD, 15, "c")
        y -= 30
        who = info.attorney_name or "_" * 30
        if info.method == "ecas":
            how = (
                "electronically, through the EOIR Courts & Appeals System (ECAS), on the "
                "Department of Homeland Security"
            )
        elif info.method == "hand":
            how = "by hand delivery on the Department of Homeland Security"
        else:
            how = "by first-class mail, postage prepaid, on the Department of Homeland Security"
        text = info.text or (
            f"On {info.date_text}, I, {who}, served a copy of this {info.document_title} "
            f"and all attached pages {how}, "
            f"U.S. Immigration and Customs Enforcement, at the following address:"
            if info.method != "ecas"
            else f"On {info.date_text}, I, {who}, served a copy of this {info.document_title} "
            f"and all attached pages {how}, U.S. Immigration and Customs Enforcement:"
        )
        y = self._para(LEFT, y, text, RIGHT - LEFT, SERIF, BODY, 17)
        y -= 6
        for line in info.served_on:
            y = self._para(LEFT + 36, y, line, RIGHT - LEFT - 36, SERIF, BODY, 15)
        y -= 48
        self._signature(
            y, info.attorney_name, [info.attorney_ids] if info.attorney_ids else [], info.signed
        )
        self._end_page()
        return first

    def add_proposed_order(self, info: OrderInfo) -> int:
        first = self._new_page()
        y = self._caption(info.caption, TOP)
        y -= 4
        self._text(PAGE_W / 2, y, info.title, SERIF_BOLD, 15, "c")
        y -= 30
        paragraphs = info.paragraphs or (
            f"Upon consideration of the {info.motion}, it is HEREBY ORDERED that the motion be "
            f"[  ] GRANTED   [  ] DENIED.",
            f"If granted, {info.relief}.",
        )
        for text in paragraphs:
            y = self._para(LEFT, y, text, RIGHT - LEFT, SERIF, BODY, 17)
            y -= 8
        self._text(LEFT, y, "[  ] Other:", SERIF, BODY)
        self.c.setLineWidth(0.5)
        self.c.line(LEFT + 60, y - 2, RIGHT, y - 2)
        self.c.line(LEFT, y - 24, RIGHT, y - 24)
        y -= 80
        self.c.setLineWidth(0.6)
        self.c.line(LEFT, y, LEFT + 150, y)
        self.c.line(LEFT + 260, y, RIGHT, y)
        self._text(LEFT, y - 13, "Date", SERIF_ITALIC, 10)
        self._text(LEFT + 260, y - 13, "Immigration Judge", SERIF_ITALIC, 10)
        y -= 52
        self.c.setLineWidth(0.8)
        self.c.line(LEFT, y + 14, RIGHT, y + 14)
        self._text(PAGE_W / 2, y, "CERTIFICATE OF SERVICE", SERIF_BOLD, 11, "c")
        y -= 17
        for line in COURT_SERVICE_LINES:
            y = self._para(LEFT, y, line, RIGHT - LEFT, SERIF, 10.5, 15)
        self._end_page()
        return first

    def add_blank(self) -> int:
        """A blank back of a double-sided sheet: unnumbered, so it says why it is there."""
        first = self._new_page()
        self._text(
            PAGE_W / 2, PAGE_H / 2, "This page intentionally left blank", SERIF_ITALIC, 11, "c"
        )
        self._end_page()
        return first

    def add_copies_sheet(self, info: CopiesInfo) -> int:
        """The print edition's first sheet: the copies to make and for whom."""
        first = self._new_page()
        y = TOP - 10
        self._text(PAGE_W / 2, y, "PRINTING AND COPIES", SANS_BOLD, 18, "c")
        y -= 22
        self._text(PAGE_W / 2, y, "This sheet is not part of the filing.", SERIF_ITALIC, 11, "c")
        y -= 34
        y = self._para(LEFT, y, info.title, RIGHT - LEFT, SERIF_BOLD, 14, 18, "c")
        sub = info.caption.client_name
        if info.caption.a_number:
            sub += f"  ·  {info.caption.a_number}"
        y = self._para(LEFT, y - 2, sub, RIGHT - LEFT, SERIF, BODY, 15, "c")
        if info.pages:
            y = self._para(LEFT, y, f"Pages {info.pages}", RIGHT - LEFT, SERIF, 11, 14, "c")
        y -= 26
        self._text(LEFT, y, "Copy for", SANS_BOLD, 10)
        self._text(LEFT + 250, y, "Copies", SANS_BOLD, 10, "r")
        self._text(LEFT + 280, y, "Printed", SANS_BOLD, 10)
        self.c.setLineWidth(0.8)
        self.c.line(LEFT, y - 5, RIGHT, y - 5)
        y -= 24
        total = 0
        for who, count, how in info.copies:
            self.c.setLineWidth(0.8)
            self.c.rect(LEFT, y - 2, 11, 11)  # a box to tick when the copy is made
            self._text(LEFT + 20, y, who, SERIF, BODY)
            self._text(LEFT + 250, y, str(count), SERIF_BOLD, BODY, "r")
            after = self._para(LEFT + 280, y, how, RIGHT - LEFT - 280, SERIF, 11, 13)
            total += count
            y = min(y - 22, after - 9)
        self.c.setLineWidth(0.3)
        self.c.line(LEFT, y + 12, RIGHT, y + 12)
        self._text(LEFT + 20, y - 2, "Total", SERIF_ITALIC, BODY)
        self._text(LEFT + 250, y - 2, str(total), SERIF_BOLD, BODY, "r")
        y -= 36
        for line in info.lines:
            y = self._para(LEFT + 14, y, "\u2022  " + line, RIGHT - LEFT - 14, SERIF, 11, 14)
            y -= 4
        self._end_page()
        return first

    def add_font_carrier(self) -> None:
        """A last page, never put in the packet, that holds the stamp font."""
        self.c.setFont(SANS, NUMBER_SIZE_FOR_CARRIER)
        self.c.drawString(LEFT, TOP, "0123456789 Page of Exh. p. ABCDEFGHIJKLMNOPQRSTUVWXYZ-_./#")
        font = pdfmetrics.getFont(SANS)
        self.result.stamp_font_name = font.getSubsetInternalName(0, self.c._doc)
        self.result.stamp_font_page = self.page
        self._end_page()

    def finish(self) -> Drawn:
        self.c.save()
        self.result.pdf = self._buf.getvalue()
        self.result.pages = self.page
        return self.result


NUMBER_SIZE_FOR_CARRIER = 10
# the court's own certificate of service, under the judge's order, for court staff
COURT_SERVICE_LINES = (
    "This document was served by:  [  ] Mail   [  ] Personal Service   [  ] Electronic Service",
    "To:  [  ] Noncitizen   [  ] Noncitizen c/o custodial officer   "
    "[  ] Noncitizen's atty/rep   [  ] DHS",
    "Date: ______________________      By: Court Staff ______________________",
)

# ---- the index's row layout (shared by measuring and drawing) -------------------
COL_DOC = LEFT + 40
COL_DATE = RIGHT - 122
DOC_WIDTH = COL_DATE - COL_DOC - 10
TITLE_LEADING = 14.5
DESC_SIZE = 10.5
DESC_LEADING = 13.0
ROW_GAP = 7.0
INDEX_FIRST_Y = TOP - 18 - 24 - 5 - 18  # first row's baseline under the header


@dataclass(frozen=True)
class PlacedRow:
    row: IndexRow
    top: float  # baseline of its first line
    bottom: float  # y of the rule under it
    title_lines: tuple[str, ...]
    desc_lines: tuple[str, ...]


# a split packet's index: a "Part" column between the date and the pages
PART_W = 40.0
PART_X = RIGHT - 78  # centre of the part column
NOTE_SIZE = 10.5
NOTE_LEADING = 13.0
NOTE_GAP = 6.0


def index_columns(part_column: bool) -> tuple[float, float]:
    """(x of the date column, width of the document column)."""
    if part_column:
        return COL_DATE - PART_W, DOC_WIDTH - PART_W
    return COL_DATE, DOC_WIDTH


def note_lines(note: str) -> list[str]:
    return wrap(note, SERIF_ITALIC, NOTE_SIZE, RIGHT - LEFT) if note else []


def _row_lines(row: IndexRow, width: float = DOC_WIDTH) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if row.heading:
        return (row.title,), ()
    return _wrapped_row(row.title, row.description, width)


@functools.lru_cache(maxsize=8192)
def _wrapped_row(
    title: str, description: str, width: float
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A row's lines: the index is laid out again at each plan (and by each part's
    contents page), its text only once."""
    lines = tuple(wrap(title, SERIF, BODY, width))
    desc = tuple(wrap(description, SERIF_ITALIC, DESC_SIZE, width)) if description else ()
    return lines, desc[:6]


def layout_index(
    rows: Sequence[IndexRow], *, part_column: bool = False, note: str = ""
) -> list[list[PlacedRow]]:
    """Rows placed on pages; page count depends on the rows' text, not on numbers."""
    _col_date, width = index_columns(part_column)
    pages: list[list[PlacedRow]] = [[]]
    lines = note_lines(note)
    y = INDEX_FIRST_Y - (len(lines) * NOTE_LEADING + NOTE_GAP if lines else 0)
    for i, row in enumerate(rows):
        title, desc = _row_lines(row, width)
        if row.heading:
            height = 22.0
            # keep a heading with at least the first row after it
            nxt = rows[i + 1] if i + 1 < len(rows) else None
            need = height + (_row_height(nxt, width) if nxt is not None else 0)
        else:
            height = _row_height(row, width)
            need = height
        if y - need < BOTTOM and pages[-1]:
            pages.append([])
            y = INDEX_FIRST_Y
        if row.heading:
            top = y - 6
            pages[-1].append(PlacedRow(row, top, top - 8, title, desc))
        else:
            bottom = y - height + BODY + 1.5
            pages[-1].append(PlacedRow(row, y, bottom, title, desc))
        y -= height
    return pages


def _row_height(row: IndexRow, width: float = DOC_WIDTH) -> float:
    title, desc = _row_lines(row, width)
    return len(title) * TITLE_LEADING + len(desc) * DESC_LEADING + ROW_GAP


def index_page_count(rows: Sequence[IndexRow], *, part_column: bool = False, note: str = "") -> int:
    return len(layout_index(rows, part_column=part_column, note=note))

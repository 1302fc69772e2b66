"""The letter and the other documents pdpacket writes, as Word files (.docx),
and an attorney's own .docx letter read back as the letter's markup.

Out: headings, paragraphs, lists, bold and italics, the citations resolved as
the packet prints them ("Exh. F at 22–24"; with no build matching the case,
"Exh. F" and the exhibit's own pages, "Exh. F, pp. 2–3"), what is still to be
written highlighted, the signature block, page numbers.  In: the same
markup back (headings by their Word style, lists, bold, italics), and each
citation written as text that matches an exhibit of the case becomes a
citation token again (``letter.textcites``).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.shared import Inches, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from pdpacket.errors import BadInputError
from pdpacket.letter.citations import (
    MISSING_EXHIBIT,
    PAGES_NOT_IN_EXHIBIT,
    CiteLike,
    long_date,
    page_range,
    render_citation,
)
from pdpacket.letter.export import (
    LetterExport,
    attorney_signature,
    build_cites,
    current_cites,
    letter_title,
)
from pdpacket.letter.signature import sign
from pdpacket.letter.textcites import ExhibitRef, Match, convert, exhibit_refs
from pdpacket.model.markup import (
    TODAY,
    TOKEN,
    Citation,
    citations,
    parse_blocks,
)
from pdpacket.model.signing import Signature
from pdpacket.packet.documents import DocumentText, SignatureBlock
from pdpacket.store.atomic import write_atomic
from pdpacket.store.database import Store

FONT = "Times New Roman"  # Liberation Serif, the packet's face, is metric-compatible


# ---- out: markup to Word ------------------------------------------------------------
def _render_cite(c: Citation, cites: Mapping[int, CiteLike]) -> str:
    """As the packet prints it; without packet pages, the exhibit's own pages
    (", p. 2") so that nothing the attorney wrote is dropped."""
    t = cites.get(c.exhibit_id)
    if t is not None and not t.first_page and c.first:
        word = "p." if c.last == c.first else "pp."
        return f"Exh. {t.letter}, {word} {page_range(c.first, max(c.last, c.first))}"
    return render_citation(c, cites)


def resolve(text: str, cites: Mapping[int, CiteLike], today: dt.date) -> str:
    """The letter's tokens printed: citations, the date."""

    def cite(m: re.Match[str]) -> str:
        [c] = citations(m.group(0))
        return _render_cite(c, cites)

    return TODAY.sub(long_date(today), TOKEN.sub(cite, text))


_INLINE = re.compile(
    r"(?P<bold>\*\*(?=\S)(?P<b>.+?)(?<=\S)\*\*)"
    r"|(?P<italic>(?<![*\w])\*(?=[^\s*])(?P<i>.+?)(?<=[^\s*])\*(?![*\w]))"
    r"|(?P<todo>\[\[.+?\]\])",
    re.S,
)


def _runs(p: Paragraph, text: str, *, bold: bool = False, italic: bool = False) -> None:
    """``text`` (letter markup) as runs of ``p``: bold, italics, and what is
    still to be written or cites a missing exhibit highlighted."""
    at = 0
    for m in _INLINE.finditer(text):
        if m.start() > at:
            _plain(p, text[at : m.start()], bold, italic)
        if m["bold"]:
            _runs(p, m["b"], bold=True, italic=italic)
        elif m["italic"]:
            _runs(p, m["i"], bold=bold, italic=True)
        else:
            run = p.add_run(m["todo"])
            run.bold, run.italic = bold or None, italic or None
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        at = m.end()
    if at < len(text):
        _plain(p, text[at:], bold, italic)


def _plain(p: Paragraph, text: str, bold: bool, italic: bool) -> None:
    for n, line in enumerate(text.split("\n")):
        if n:
            p.add_run().add_break(WD_BREAK.LINE)
        for piece in re.split(
            f"({re.escape(MISSING_EXHIBIT)}|{re.escape(PAGES_NOT_IN_EXHIBIT)})", line
        ):
            if not piece:
                continue
            run = p.add_run(piece)
            run.bold, run.italic = bold or None, italic or None
            if piece in (MISSING_EXHIBIT, PAGES_NOT_IN_EXHIBIT):
                run.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)
                run.bold = True


def new_document(title: str, author: str = "") -> Any:
    """A letter-size Word document: one-inch margins, 12-point serif, black
    headings, page numbers at the foot."""
    d = docx.Document()
    section = d.sections[0]
    section.page_width, section.page_height = Inches(8.5), Inches(11)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Inches(1))
    normal = d.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(12)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(9)
    for level in (1, 2, 3):
        h = d.styles[f"Heading {level}"]
        h.font.name = FONT
        h.font.size = Pt(12)
        h.font.bold = level < 3
        h.font.italic = level == 3
        h.font.color.rgb = RGBColor(0, 0, 0)
        fonts = h.element.rPr.rFonts
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attr), None)  # the theme's font would win over ours
        h.paragraph_format.space_before = Pt(6)
        h.paragraph_format.space_after = Pt(6)
        if level > 1:
            h.paragraph_format.left_indent = Inches(0.25)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)
    d.core_properties.title = title
    d.core_properties.author = author
    d.core_properties.comments = "Written by pdpacket"
    return d


def _page_field(p: Paragraph) -> None:
    run = p.add_run()
    for kind, text in (("begin", ""), ("instr", " PAGE "), ("end", "")):
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        run._r.append(el)
    run.font.size = Pt(10)


def add_markup(d: Any, text: str) -> None:
    """Letter markup (tokens already printed) as Word paragraphs."""
    for block in parse_blocks(text):
        if block.kind in ("h1", "h2", "h3"):
            _runs(d.add_heading(level=int(block.kind[1])), block.items[0])
        elif block.kind in ("ul", "ol"):
            style = "List Bullet" if block.kind == "ul" else "List Number"
            for item in block.items:
                _runs(d.add_paragraph(style=style), item)
        else:
            _runs(d.add_paragraph(), block.items[0])


def to_bytes(d: Any) -> bytes:
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def letter_docx(
    text: str,
    cites: Mapping[int, CiteLike],
    *,
    title: str,
    author: str = "",
    today: dt.date,
    signature: Signature | None = None,
    case_id: int = 0,
) -> bytes:
    """The letter as a .docx: citations resolved, signed as the PDF is.  With
    ``case_id``, the file also records which exhibit each letter stood for (and
    its packet pages), so that reading it back links its citations to the same
    exhibits even after they were re-lettered."""
    d = new_document(title, author)
    add_markup(d, resolve(sign(text, signature, today), cites, today))
    if case_id:
        d.core_properties.keywords = CITES_MARK + json.dumps(
            {
                "case": case_id,
                "exhibits": {
                    t.letter: [exhibit_id, t.first_page, t.last_page]
                    for exhibit_id, t in cites.items()
                },
            },
            separators=(",", ":"),
        )
    return to_bytes(d)


# the letters the exported file printed, in its keywords (Word keeps them)
CITES_MARK = "pdpacket-cites:"


def exported_refs(
    d: Any, case_id: int, current: Mapping[str, ExhibitRef]
) -> dict[str, ExhibitRef] | None:
    """The exhibits the letters of a file pdpacket exported for ``case_id``
    stood for, as they are now (``None``: not such a file).  An exhibit that is
    no longer in the packet is left out, so its citations are reported."""
    keywords = d.core_properties.keywords or ""
    if not keywords.startswith(CITES_MARK):
        return None
    try:
        saved = json.loads(keywords[len(CITES_MARK) :])
        if int(saved["case"]) != case_id:
            return None
        by_id = {r.exhibit_id: r for r in current.values()}
        out = {}
        for letter, (exhibit_id, first, last) in saved["exhibits"].items():
            now = by_id.get(int(exhibit_id))
            if now is not None:
                out[str(letter)] = ExhibitRef(
                    now.exhibit_id, str(letter), now.pages, int(first), int(last)
                )
        printed = set(saved["exhibits"])
    except (ValueError, KeyError, TypeError):
        return None
    # a letter the file did not print is an exhibit added since: as it is now
    mapped = {r.exhibit_id for r in out.values()}
    for letter, ref in current.items():
        if letter not in printed and ref.exhibit_id not in mapped:
            out[letter] = ref
    return out


# ---- the other documents ---------------------------------------------------------------
def _centered(d: Any, text: str, *, bold: bool = False, size: float = 12) -> None:
    p = d.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run(text)
    run.bold = bold or None
    run.font.size = Pt(size)
    p.paragraph_format.space_after = Pt(2)


def _caption(d: Any, doc: DocumentText) -> None:
    if doc.court_lines:
        for line in (
            "UNITED STATES DEPARTMENT OF JUSTICE",
            "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW",
            "IMMIGRATION COURT",
        ):
            _centered(d, line, bold=True)
        for line in doc.court_lines:
            _centered(d, line, size=11)
    table = d.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    left, right = table.rows[0].cells
    left.paragraphs[0].add_run("In the Matter of:")
    name = left.add_paragraph()
    name.add_run(doc.client_name.upper()).bold = True
    left.add_paragraph().add_run("In removal proceedings").italic = True
    right.paragraphs[0].add_run("File No.:")
    right.add_paragraph().add_run(doc.a_number or "(none)").bold = True
    if doc.detained:
        right.add_paragraph().add_run("Detained").italic = True
    left.width, right.width = Inches(4.0), Inches(2.5)
    _tight(left, right)
    d.add_paragraph()


def _tight(*cells: Any) -> None:
    """No space after the paragraphs of table cells (the body's 9 points)."""
    for cell in cells:
        for p in cell.paragraphs:
            p.paragraph_format.space_after = Pt(0)


def _signature_cell(cell: Any, block: SignatureBlock) -> None:
    p = cell.paragraphs[0]
    if block.heading:
        p.add_run(block.heading).italic = True
        p = cell.add_paragraph()
    p.add_run(block.mark or "_" * 28)
    label = "Signature (to be signed in ink)" if block.ink else "Signature"
    small = cell.add_paragraph().add_run(label)
    small.italic, small.font.size = True, Pt(9)
    for line in block.lines:
        cell.add_paragraph(line)
    cell.add_paragraph()
    cell.add_paragraph(block.date or "_" * 18)
    small = cell.add_paragraph().add_run("Date")
    small.italic, small.font.size = True, Pt(9)
    _tight(cell)


def document_docx(doc: DocumentText, *, author: str = "") -> bytes:
    """A generated document (motion, proposed order, cover sheet, declaration,
    certificate) as a .docx."""
    d = new_document(doc.title.title(), author)
    for line in doc.top_lines:
        d.add_paragraph(line).paragraph_format.space_after = Pt(0)
    if doc.top_lines:
        d.add_paragraph()
    for mark in doc.marks:
        p = d.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if mark == "DETAINED" else WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(mark)
        run.bold, run.font.size = True, Pt(16)
    if doc.client_name:
        _caption(d, doc)
    if doc.before:
        add_markup(d, doc.before)
    if doc.title:
        _centered(d, doc.title, bold=True, size=14)
        d.add_paragraph()
    add_markup(d, doc.body)
    if doc.date_line:
        d.add_paragraph(doc.date_line)
    if doc.signatures:
        table = d.add_table(rows=1, cols=max(2, len(doc.signatures)))
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, block in zip(table.rows[0].cells, doc.signatures, strict=False):
            _signature_cell(cell, block)
    if doc.after:
        d.add_paragraph()
        add_markup(d, doc.after)
    for page in doc.more_pages:
        d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        add_markup(d, page)
    return to_bytes(d)


# ---- in: Word to markup ------------------------------------------------------------------
@dataclass(frozen=True)
class ImportedLetter:
    text: str  # the letter's markup, citations as tokens where they matched
    unmatched: tuple[Match, ...]  # citations written as text that matched no exhibit
    matched: int  # citations turned into tokens


def read_docx(path: Path) -> Any:
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise BadInputError(
            f"{path}: cannot read it as a Word document ({exc}).",
            hint="Save the letter from Word as a .docx (Word Document) file and try again "
            "(a password-protected document: save a copy without the password first).",
        ) from exc


def _escape(text: str) -> str:
    """Text that would read as markup kept as text (a literal ``*`` or ``{{``)."""
    return text.replace("{{", "{ {").replace("}}", "} }")


# what Word shows once its tracked changes are accepted: deleted and moved-away
# text is left out; hyperlinks, insertions and fields' results are text like any
_HIDDEN = frozenset({qn("w:del"), qn("w:moveFrom")})


class _Reader:
    """Reads one Word document's paragraphs as markup, and its footnotes as
    numbered notes at the end (the letter's markup has no footnotes)."""

    def __init__(self, d: Any) -> None:
        self.d = d
        self.notes: list[str] = []
        self._footnotes = _footnotes(d)
        try:
            self._numbering = d.part.numbering_part.element
        except (KeyError, NotImplementedError):
            self._numbering = None

    def runs(self, p: Paragraph) -> Iterator[tuple[str, bool, bool]]:
        for r in p._p.iter(qn("w:r")):
            if any(a.tag in _HIDDEN for a in r.iterancestors()):
                continue
            run = Run(r, p)
            text = _escape(run.text)
            b, i = bool(run.bold), bool(run.italic)
            if text:
                yield text, b, i
            for ref in r.iterchildren(qn("w:footnoteReference")):
                note = self._footnotes.get(ref.get(qn("w:id"), ""))
                if note is not None:
                    self.notes.append(note)
                    yield f"[{len(self.notes)}]", False, False

    def markup(self, p: Paragraph) -> str:
        """A paragraph's runs as markup, bold and italic runs merged."""
        pieces: list[tuple[str, bool, bool]] = []
        for text, b, i in self.runs(p):
            if pieces and pieces[-1][1:] == (b, i):
                pieces[-1] = (pieces[-1][0] + text, b, i)
            else:
                pieces.append((text, b, i))
        out = []
        for text, b, i in pieces:
            core = text.strip()
            if not core or not (b or i):
                out.append(text)
                continue
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            mark = "**" if b else "*"  # bold and italic: bold (the markup nests neither)
            out.append(f"{lead}{mark}{core}{mark}{trail}")
        return "".join(out)

    def list_mark(self, p: Paragraph) -> str:
        """ "-" or "1." for a list item (by its style or its own numbering), else ""."""
        name = (p.style.name if p.style is not None else "").lower()
        if name.startswith("list") and name != "list paragraph":
            return "1." if "number" in name else "-"
        ppr = p._p.pPr
        num: Any = ppr.numPr if ppr is not None else None
        if num is None or num.numId is None or num.numId.val == 0:
            return "-" if name == "list paragraph" else ""
        try:
            level = num.ilvl.val if num.ilvl is not None else 0
            abstract = self._numbering.num_having_numId(num.numId.val).abstractNumId.val
            fmt = self._numbering.xpath(
                f'w:abstractNum[@w:abstractNumId="{abstract}"]/w:lvl[@w:ilvl="{level}"]'
                "/w:numFmt/@w:val"
            )
        except (AttributeError, KeyError, IndexError):
            return "-"
        return "-" if not fmt or fmt[0] in ("bullet", "none") else "1."

    def blocks(self) -> Iterator[tuple[str, str, str]]:
        """(style name, list mark, markup) of each paragraph, tables' cells included."""
        for child in self.d.element.body.iterchildren():
            if child.tag == qn("w:p"):
                p = Paragraph(child, self.d)
                style = p.style.name if p.style is not None else ""
                yield style, self.list_mark(p), self.markup(p)
            elif child.tag == qn("w:tbl"):
                for tc in child.iter(qn("w:tc")):
                    for pe in tc.iterchildren(qn("w:p")):
                        yield "", "", self.markup(Paragraph(pe, self.d))


def _footnotes(d: Any) -> dict[str, str]:
    """The document's footnotes by id, as plain text."""
    for rel in d.part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            root = parse_xml(rel.target_part.blob)
            out = {}
            for note in root.iterchildren(qn("w:footnote")):
                paras = [Paragraph(pe, d) for pe in note.iter(qn("w:p"))]
                text = " ".join(" ".join(x.text.split()) for x in paras).strip()
                out[note.get(qn("w:id"), "")] = text
            return out
    return {}


_LONG_DATE = re.compile(
    r"^(January|February|March|April|May|June|July|August|September|October|November|December)"
    r" \d{1,2}, \d{4}$"
)
_SIGNED = re.compile(r"^(/s/ .+|_{10,})$")


def docx_markup(d: Any) -> str:
    """The document's paragraphs as letter markup: headings, lists, emphasis;
    the date on its own near the top becomes ``{{today}}`` and the printed
    signature block ``{{signature}}`` again."""
    out: list[str] = []
    list_run: list[str] = []

    def flush() -> None:
        if list_run:
            out.append("\n".join(list_run))
            list_run.clear()

    reader = _Reader(d)
    for style, mark, text in reader.blocks():
        if not text.strip():
            flush()
            continue
        lowered = style.lower()
        if lowered.startswith("heading") or lowered == "title":
            flush()
            level = re.search(r"(\d)", style)
            n = min(int(level.group(1)) if level else 1, 3)
            out.append("#" * n + " " + " ".join(text.replace("*", "").split()))
        elif mark:
            if list_run and not list_run[-1].startswith(mark):
                flush()  # a bulleted list right after a numbered one: two lists
            list_run.append(f"{mark} {' '.join(text.split())}")
        else:
            flush()
            out.append(text.strip())
    flush()
    for n, block in enumerate(out[:4]):
        if _LONG_DATE.match(block):
            out[n] = "{{today}}"
            break
    for n in range(len(out) - 1, -1, -1):
        lines = out[n].split("\n")
        if _SIGNED.match(lines[0].strip()):
            rest = lines[1:]
            if rest and (rest[0].startswith(("Date:", "*", "[[not signed"))):
                rest = rest[1:]
            out[n] = "\n".join(["{{signature}}", *rest])
            break
    if reader.notes:
        out.append("# Notes")
        out.append("\n".join(f"[{n}] {note}" for n, note in enumerate(reader.notes, 1)))
    return "\n\n".join(out) + "\n"


def import_docx(path: Path, refs: Mapping[str, ExhibitRef], *, case_id: int = 0) -> ImportedLetter:
    """An attorney's .docx letter as the letter's markup; citations written as
    text become tokens where they match an exhibit of ``refs`` -- or, in a file
    pdpacket exported for ``case_id``, the exhibit each letter stood for then."""
    d = read_docx(path)
    text = docx_markup(d)
    return imported(text, exported_refs(d, case_id, refs) or refs)


def imported(text: str, refs: Mapping[str, ExhibitRef]) -> ImportedLetter:
    before = len(citations(text))
    converted, unmatched = convert(text, refs)
    return ImportedLetter(converted, tuple(unmatched), len(citations(converted)) - before)


def docx_text(data: bytes) -> str:
    """All the text of a .docx (paragraphs and table cells, in order)."""
    d = docx.Document(io.BytesIO(data))
    out = []
    for child in d.element.body.iter(qn("w:p")):
        out.append(Paragraph(child, d).text)
    return "\n".join(out)


# ---- the case's letter -------------------------------------------------------------------
def export_letter_docx(
    store: Store,
    case_id: int,
    out_path: str | os.PathLike[str],
    *,
    today: dt.date | None = None,
) -> LetterExport:
    """Write the case's letter as a .docx (atomically): citations as the last
    build printed them while it still matches the case, else with the exhibits'
    letters (and their own pages)."""
    letter = store.get_letter(case_id)
    if letter is None or not letter.text.strip():
        raise BadInputError(
            f"Case {case_id} has no request letter yet.",
            hint=f"Generate the draft first: pdpacket letter {case_id} --refresh",
        )
    case = store.get_case(case_id)
    cites: Mapping[int, CiteLike] = build_cites(store, case_id) or current_cites(store, case_id)
    data = letter_docx(
        letter.text,
        cites,
        title=letter_title(case),
        author=store.attorney().name,
        today=today or dt.date.today(),
        signature=attorney_signature(store, case_id),
        case_id=case_id,
    )
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, data)
    store.audit(case_id, "letter.export", path=str(out), format="docx")
    return LetterExport(str(out), 0, len(data), any(t.first_page for t in cites.values()))


def import_letter_docx(store: Store, case_id: int, path: Path) -> ImportedLetter:
    """An attorney's .docx letter read as the case's letter markup (not stored)."""
    return import_docx(path, exhibit_refs(store, case_id), case_id=case_id)

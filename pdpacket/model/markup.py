"""The syntax of a letter's text, in one place: what the letter feature drafts,
renders and merges, what the store rewrites when exhibit ids change, and what
the window's editor colours all read it from here.

Plain text with a little markup: ``# heading`` (up to three levels), ``- item``
and ``1. item`` lists, ``**bold**``, ``*italic*``, ``[[note still to write]]``,
``{{today}}``, ``{{signature}}``, and citations ``{{cite:ID}}`` /
``{{pages:ID:pages=3-5}}`` that name an exhibit by its id, so they follow the
exhibit when it is re-lettered.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass

TOKEN = re.compile(
    r"\{\{\s*(?P<kind>cite|pages)\s*:\s*(?P<id>\d+)"
    r"(?:\s*:\s*pages?\s*=\s*(?P<first>\d+)(?:\s*[-\u2013]\s*(?P<last>\d+))?)?\s*\}\}"
)
TODAY = re.compile(r"\{\{\s*today\s*\}\}")
# where the signature goes: "/s/ Name" and the date when signed electronically,
# a line to sign in ink otherwise (``pdpacket.letter`` fills it in when printing)
SIGNATURE = re.compile(r"\{\{\s*signature\s*\}\}")
# a line of underscores alone: the signature line of letters drafted before
# ``{{signature}}`` existed, printed the same way
SIGNATURE_LINE = re.compile(r"^[ \t]*_{10,}[ \t]*$", re.M)
ANY_TOKEN = re.compile(r"\{\{.*?\}\}", re.S)
PLACEHOLDER = re.compile(r"\[\[(.+?)\]\]", re.S)


@dataclass(frozen=True)
class Citation:
    kind: str  # "cite" | "pages"
    exhibit_id: int
    first: int = 0  # pages inside the exhibit (1-based); 0 = the whole exhibit
    last: int = 0
    raw: str = ""


def citations(text: str) -> list[Citation]:
    """Every citation token in ``text``, in order."""
    out = []
    for m in TOKEN.finditer(text):
        first = int(m["first"] or 0)
        out.append(
            Citation(
                kind=m["kind"],
                exhibit_id=int(m["id"]),
                first=first,
                last=int(m["last"] or first),
                raw=m.group(0),
            )
        )
    return out


def unknown_tokens(text: str) -> list[str]:
    """``{{...}}`` tokens that are not a citation, ``{{today}}`` or
    ``{{signature}}`` (typos)."""
    known = (TOKEN, TODAY, SIGNATURE)
    return [
        m.group(0)
        for m in ANY_TOKEN.finditer(text)
        if not any(k.fullmatch(m.group(0)) for k in known)
    ]


def placeholders(text: str) -> list[str]:
    """The ``[[...]]`` notes still to be written."""
    return [" ".join(m.group(1).split()) for m in PLACEHOLDER.finditer(text)]


def remap_citations(text: str, exhibit_ids: Mapping[int, int]) -> str:
    """Citations pointed at new exhibit ids (a case copied or imported from an
    archive gets new ids).  A token whose exhibit is not in the map is pointed
    at id 0, which no exhibit has, so it shows as missing instead of citing
    whatever exhibit now has the old id."""

    def sub(m: re.Match[str]) -> str:
        new = exhibit_ids.get(int(m["id"]), 0)
        start, end = m.span("id")
        token = m.group(0)
        return token[: start - m.start()] + str(new) + token[end - m.start() :]

    return TOKEN.sub(sub, text)


# ---- blocks -------------------------------------------------------------------
_BULLET_MARK = r"[-*\u2022]"
_NUMBER_MARK = r"\d+[.)]"
HEADING = re.compile(r"^(#{1,3})\s+(.*\S)\s*$")
BULLET = re.compile(rf"^\s*{_BULLET_MARK}\s+(.*)$")
NUMBERED = re.compile(rf"^\s*{_NUMBER_MARK}\s+(.*)$")
# for an editor working line by line: a list item's marker ("-", "1."), and the
# prefix that makes a line a heading or a list item ("## ", "- ", "1. ")
LIST_MARKER = re.compile(rf"^\s*({_BULLET_MARK}|{_NUMBER_MARK})\s+")
LINE_PREFIX = re.compile(rf"^(#{{1,3}}\s+|\s*{_BULLET_MARK}\s+|\s*{_NUMBER_MARK}\s+)")
# the pages of a citation inside its exhibit, as a user types them ("2", "2-3")
PAGE_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-\u2013]\s*(\d+))?\s*$")


def split_blocks(text: str) -> list[str]:
    """Paragraph-level blocks: separated by blank lines; a heading line is a
    block of its own.  Trailing spaces are dropped, so they never cause a
    merge conflict."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: list[str] = []
    for chunk in re.split(r"\n[ \t]*\n", text):
        current: list[str] = []
        for line in chunk.split("\n"):
            line = line.rstrip()
            if HEADING.match(line):
                if current:
                    out.append("\n".join(current))
                    current = []
                out.append(line.strip())
            elif line or current:
                current.append(line)
        while current and not current[-1]:
            current.pop()
        if current:
            out.append("\n".join(current))
    return [b for b in out if b.strip()]


def heading_text(block: str) -> str | None:
    m = HEADING.match(block)
    return m.group(2).strip() if m else None


@dataclass(frozen=True)
class Block:
    kind: str  # "h1" | "h2" | "h3" | "para" | "ul" | "ol"
    items: tuple[str, ...]  # the text (one item, or a list's items)


def parse_blocks(text: str) -> list[Block]:
    blocks = []
    for raw in split_blocks(text):
        m = HEADING.match(raw)
        if m:
            blocks.append(Block(f"h{len(m.group(1))}", (m.group(2),)))
            continue
        lines = raw.split("\n")
        for pattern, kind in ((BULLET, "ul"), (NUMBERED, "ol")):
            if pattern.match(lines[0]):
                items: list[str] = []
                for line in lines:
                    im = pattern.match(line)
                    if im:
                        items.append(im.group(1).strip())
                    else:
                        items[-1] += " " + line.strip()
                blocks.append(Block(kind, tuple(items)))
                break
        else:
            blocks.append(Block("para", (raw,)))
    return blocks


BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)
ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])", re.S)


def text_hash(text: str) -> str:
    return hashlib.sha256("\n\n".join(split_blocks(text)).encode("utf-8")).hexdigest()

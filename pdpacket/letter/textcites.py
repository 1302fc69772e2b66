"""Citations written as text ("Exh. F at 22", "Exhibit F, p. 3", "(Exh. C)"),
as an attorney types them in their own letter, matched to the case's exhibits.

A letter brought back from Word turns each one that matches an exhibit of the
case (its letter, and pages inside it) into a citation token, which then
follows the exhibit when it is re-lettered; the review lists those it could
not match.  "at N" names packet pages when the last build still matches the
case (that is how pdpacket prints them), else the exhibit's own pages;
", p. N" / ", pp. N-M" always names the exhibit's own pages.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pdpacket.letter.citations import page_range
from pdpacket.letter.export import build_cites, current_cites
from pdpacket.packet.source import page_texts
from pdpacket.store.database import Store

_DASH = r"\s*[-\u2013\u2014]\s*"
TEXT_CITE = re.compile(
    r"(?<![\w{])(?P<prefix>(?i:exhibit|exh\.?)|Ex\.)\s+(?P<letter>[A-Z]{1,3})(?![\w-])"
    rf"(?:(?P<at>\s+at\s+(?:pp?\.\s*)?)(?P<a1>\d+)(?:{_DASH}(?P<a2>\d+))?"
    rf"|(?P<comma>,\s*pp?\.\s*)(?P<p1>\d+)(?:{_DASH}(?P<p2>\d+))?)?"
)


@dataclass(frozen=True)
class TextCite:
    """One citation written as text."""

    text: str  # as written: "Exh. F at 22–24"
    start: int
    end: int
    letter: str
    first: int = 0  # 0: the whole exhibit
    last: int = 0
    packet_pages: bool = False  # "at N" (packet pages when known), not ", p. N"
    long_form: bool = False  # "Exhibit F", not "Exh. F"


@dataclass(frozen=True)
class ExhibitRef:
    """What matching needs to know of an exhibit in the next packet."""

    exhibit_id: int
    letter: str
    pages: int  # the exhibit's own pages
    first_page: int = 0  # its tab page in the last build (0: no build matches the case)
    last_page: int = 0


@dataclass(frozen=True)
class Match:
    cite: TextCite
    token: str = ""  # "{{cite:12:pages=2-3}}"; "" when it matched nothing
    problem: str = ""  # why it matched nothing


def find_text_cites(text: str) -> list[TextCite]:
    out = []
    for m in TEXT_CITE.finditer(text):
        first = int(m["a1"] or m["p1"] or 0)
        last = int(m["a2"] or m["p2"] or first)
        out.append(
            TextCite(
                text=m.group(0),
                start=m.start(),
                end=m.end(),
                letter=m["letter"],
                first=first,
                last=last,
                packet_pages=bool(m["at"]),
                long_form=m["prefix"].lower() == "exhibit",
            )
        )
    return out


def exhibit_refs(store: Store, case_id: int) -> dict[str, ExhibitRef]:
    """The exhibits of the next packet by letter, with their packet pages when
    the last build still matches the case."""
    pages = {e.id: e.pages for e in store.list_exhibits(case_id)}
    built = build_cites(store, case_id) or {}
    refs = {}
    for exhibit_id, target in current_cites(store, case_id).items():
        b = built.get(exhibit_id)
        refs[target.letter] = ExhibitRef(
            exhibit_id,
            target.letter,
            pages.get(exhibit_id, 0),
            b.first_page if b else 0,
            b.last_page if b else 0,
        )
    return refs


def _token(kind: str, exhibit_id: int, first: int = 0, last: int = 0) -> str:
    if not first:
        return f"{{{{{kind}:{exhibit_id}}}}}"
    pages = str(first) if last == first else f"{first}-{last}"
    return f"{{{{{kind}:{exhibit_id}:pages={pages}}}}}"


def match(cite: TextCite, refs: Mapping[str, ExhibitRef]) -> Match:
    """The token ``cite`` stands for, or why it matches no exhibit."""
    ref = refs.get(cite.letter)
    if ref is None:
        return Match(cite, problem=f"the packet has no Exhibit {cite.letter}")
    if not cite.first:
        return Match(cite, _token("cite" if cite.long_form else "pages", ref.exhibit_id))
    lo, hi = cite.first, cite.last
    if cite.packet_pages and ref.first_page:
        # the pages the build printed: the exhibit's own start after its tab page
        start = ref.first_page + 1 if ref.last_page > ref.first_page else ref.first_page
        if start <= lo <= hi <= ref.last_page:
            if (lo, hi) == (start, ref.last_page):
                return Match(cite, _token("pages", ref.exhibit_id))
            return Match(cite, _token("cite", ref.exhibit_id, lo - start + 1, hi - start + 1))
    if 1 <= lo <= hi <= ref.pages:
        return Match(cite, _token("cite", ref.exhibit_id, lo, hi))
    where = f"pages {page_range(lo, hi)}" if hi != lo else f"page {lo}"
    span = f"{ref.pages} page{'s' if ref.pages != 1 else ''}"
    if ref.first_page:
        span += f", packet pages {page_range(ref.first_page, ref.last_page)}"
    return Match(
        cite, problem=f"{where} {'are' if hi != lo else 'is'} not in Exhibit {cite.letter} ({span})"
    )


def convert(text: str, refs: Mapping[str, ExhibitRef]) -> tuple[str, list[Match]]:
    """``text`` with every citation written as text that matches an exhibit
    turned into a token; and the ones that matched nothing (left as written)."""
    out: list[str] = []
    unmatched: list[Match] = []
    at = 0
    for cite in find_text_cites(text):
        m = match(cite, refs)
        out.append(text[at : cite.start])
        if m.token:
            out.append(m.token)
        else:
            out.append(cite.text)
            unmatched.append(m)
        at = cite.end
    out.append(text[at:])
    return "".join(out), unmatched


def unmatched(text: str, refs: Mapping[str, ExhibitRef]) -> list[Match]:
    """The citations written as text in ``text`` that match no exhibit."""
    return [m for c in find_text_cites(text) if (m := match(c, refs)).problem]


def uploaded_letter_text(store: Store, case_id: int) -> str | None:
    """The text of the letter uploaded as a PDF (``None``: the case has none)."""
    doc = next((d for d in store.case_documents(case_id) if str(d.role) == "letter"), None)
    if doc is None:
        return None
    try:
        data = store.blobs.path(doc.pdf_sha256).read_bytes()
    except OSError:
        return ""
    return "\n".join(page_texts(data))

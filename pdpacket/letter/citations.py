"""Citations in the letter: tokens that name exhibits by id, rendered with
the letters and packet pages the builder assigns.

The token syntax (``{{cite:ID}}``, ``{{pages:ID}}``, ``{{cite:ID:pages=2-3}}``,
``{{today}}``) lives in ``pdpacket.model.markup``; this module turns parsed
tokens into text.  A token whose exhibit is gone (removed, excluded) renders as
"[MISSING EXHIBIT]" and the review blocks the packet.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Protocol

from pdpacket.model.markup import TODAY, TOKEN, Citation, citations

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

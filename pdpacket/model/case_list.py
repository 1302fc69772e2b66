"""How the case list is searched and sorted: the same for the window and scripts."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable

from pdpacket.model import Case


def _fold(text: str) -> str:
    """Lower case without accents: 'Lucía' and 'lucia' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def case_matches(case: Case, text: str) -> bool:
    """Every word of ``text`` is in the client's name or aliases (accents and case
    ignored), or ``text`` is part of the A-number ("A201-555", "201555014")."""
    query = text.strip()
    if not query:
        return True
    digits = re.sub(r"\D", "", query)
    if digits and re.fullmatch(r"[Aa]?[\d\s\-]+", query) and digits in case.client.a_number:
        return True
    haystack = _fold(" ".join((case.client.name, *case.client.aliases)))
    return all(word in haystack for word in _fold(query).split())


def sort_cases(
    cases: Iterable[Case], sort: str = "hearing", *, today: dt.date | None = None
) -> list[Case]:
    today = today or dt.date.today()
    if sort == "name":
        return sorted(cases, key=lambda c: (_fold(c.client.name), c.id))
    if sort == "recent":
        return sorted(cases, key=lambda c: (c.updated_at, c.id), reverse=True)

    def by_hearing(c: Case) -> tuple[int, int, str]:
        h = c.proceedings.hearing_date
        if h is None:
            return (1, 0, _fold(c.client.name))
        if h >= today:
            return (0, h.toordinal(), _fold(c.client.name))
        return (2, -h.toordinal(), _fold(c.client.name))

    return sorted(cases, key=by_hearing)

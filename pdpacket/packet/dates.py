"""How the index and the tab pages print an exhibit's date: one date, or the
period a document spans (``Exhibit.doc_date`` to ``Exhibit.doc_date_end``)."""

from __future__ import annotations

import datetime as dt

from pdpacket.model import Exhibit


def date_short(d: dt.date | None) -> str:
    return f"{d:%m/%d/%Y}" if d else ""


def date_long(d: dt.date) -> str:
    return f"{d:%B} {d.day}, {d.year}"


def index_date(ex: Exhibit) -> str:
    """The index's date column: "03/14/2026"; a document that spans years,
    "2016\u20132025"; one that spans months of one year, "03\u201310/2016"."""
    dates = ex.dates
    if dates is None:
        return ""
    first, last = dates
    if first == last:
        return date_short(first)
    if first.year != last.year:
        return f"{first.year}\u2013{last.year}"
    if first.month != last.month:
        return f"{first:%m}\u2013{last:%m/%Y}"
    return date_short(first)


def tab_date(ex: Exhibit) -> str:
    """A tab page's date: "March 1, 2016", or "March 1, 2016 \u2013 October 1, 2025"."""
    dates = ex.dates
    if dates is None:
        return ""
    first, last = dates
    return date_long(first) if first == last else f"{date_long(first)} \u2013 {date_long(last)}"

"""The optional table after the index: which exhibits prove which factor.

One heading per factor the case claims (the positive factors first, in the
framework's order, then the negative factors the packet answers), and under it
the exhibits that support or address it, each linked to its tab page like an
index row.  Drawn with the index's own layout.
"""

from __future__ import annotations

from pdpacket.model import Polarity
from pdpacket.packet import draw as layout
from pdpacket.packet.context import BuildContext, PlannedExhibit
from pdpacket.packet.dates import index_date
from pdpacket.policy import catalog

FACTOR_TABLE_TITLE = "Exhibits by factor"
FACTOR_NOTE = "The factors this request relies on, each with the exhibits that prove or address it."


def _supports(factor: catalog.Factor, pe: PlannedExhibit) -> bool:
    ex = pe.exhibit
    if factor.id in ex.factor_ids:
        return True
    return factor.polarity == Polarity.NEGATIVE and ex.document_type in factor.document_types


def factor_rows(ctx: BuildContext) -> list[layout.IndexRow]:
    """The table's rows: a heading per claimed factor, then its exhibits."""
    fw = ctx.info.framework or catalog.framework(ctx.case.proceedings.framework_id)
    answers = ctx.store.factor_answers(ctx.case.id)
    claimed = [f for f in fw.factors if (a := answers.get(f.id)) is not None and a.applies]
    claimed.sort(key=lambda f: f.polarity != Polarity.POSITIVE)  # stable: framework order
    rows: list[layout.IndexRow] = []
    for factor in claimed:
        exhibits = [pe for pe in ctx.exhibits if _supports(factor, pe)]
        if not exhibits:
            continue  # the review flags a claimed factor with no exhibit
        label = factor.label
        if factor.polarity == Polarity.NEGATIVE:
            label += " (addressed)"
        rows.append(layout.IndexRow(title=label, heading=True))
        for pe in exhibits:
            first = pe.segments[0].first if pe.segments else -1
            pages = f"{pe.first_page}-{pe.last_page}" if pe.last_page > pe.first_page else ""
            rows.append(
                layout.IndexRow(
                    letter=pe.letter,
                    title=pe.exhibit.title,
                    date=index_date(pe.exhibit),
                    pages=pages or str(pe.first_page),
                    target=first,
                )
            )
    return rows

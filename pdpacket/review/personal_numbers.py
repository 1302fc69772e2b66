"""The review's check for personal numbers left on evidence pages: per exhibit
and page, what is proposed (or accepted) and not applied yet, and what the
firm's settings only list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from pdpacket.model import Finding, packet_exhibits
from pdpacket.model.redaction import RedactionState, kind_phrase
from pdpacket.review.context import ReviewContext
from pdpacket.store import redactions

PENDING = (RedactionState.PROPOSED, RedactionState.ACCEPTED)


def check_personal_numbers(ctx: ReviewContext) -> Iterator[Finding | None]:
    letters = {e.id: lt for lt, e in packet_exhibits(ctx.exhibits)}
    pages: dict[tuple[int, int, bool], Counter[str]] = {}
    kinds = {}
    for r in redactions.list_case(ctx.store, ctx.case.id):
        if r.exhibit_id not in letters or r.exhibit_page < 0:
            continue  # not in the packet
        if r.state in PENDING:
            listed = False
        elif r.state == RedactionState.LISTED:
            listed = True
        else:
            continue
        key = (r.exhibit_id, r.exhibit_page, listed)
        pages.setdefault(key, Counter())[str(r.kind)] += 1
        kinds[str(r.kind)] = r.kind
    for (exhibit_id, page, listed), counts in pages.items():
        numbers = ", ".join(kind_phrase(kinds[k], n) for k, n in sorted(counts.items()))
        where = f"Exh. {letters[exhibit_id]}, p. {page + 1}"
        code = "exhibit.personal_numbers_listed" if listed else "exhibit.personal_numbers"
        yield ctx.finding(code, exhibit_id, numbers=numbers[:1].upper() + numbers[1:], where=where)

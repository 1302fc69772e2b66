"""Citations written as text in the letter ("Exh. F at 22", "Exhibit F, p. 3"):
those that match no exhibit of the next packet (no such letter, or pages it
does not have) are listed with the text quoted; those that match are noted,
since they do not follow an exhibit that is re-lettered.  An uploaded PDF
letter is read the same way (its text layer): its citations are fixed text."""

from __future__ import annotations

from collections.abc import Iterator

from pdpacket.letter import textcites
from pdpacket.model import Finding
from pdpacket.policy import destinations
from pdpacket.review.context import ReviewContext


def check_text_cites(ctx: ReviewContext) -> Iterator[Finding | None]:
    uploaded = textcites.uploaded_letter_text(ctx.store, ctx.case.id)
    if uploaded is not None:
        text, where = uploaded, "uploaded letter"
    elif destinations.for_proceedings(ctx.case.proceedings).motion:
        return  # the drafted letter is not in a motion's packet
    elif ctx.letter is None or not ctx.letter.text.strip():
        return
    else:
        text, where = ctx.letter.text, "letter"
    refs = textcites.exhibit_refs(ctx.store, ctx.case.id)
    written: list[textcites.TextCite] = []
    for cite in textcites.find_text_cites(text):
        m = textcites.match(cite, refs)
        if m.problem:
            yield ctx.finding(
                "letter.unmatched_cite",
                cite.letter,
                quote=cite.text,
                problem=m.problem,
                where=where,
            )
        else:
            written.append(cite)
    if written and uploaded is None:
        yield ctx.finding("letter.text_cites", count=len(written), example=written[0].text)

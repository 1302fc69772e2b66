"""The words of the documents pdpacket writes around the evidence, from the
firm-editable templates (``policy.templates``): the client's declaration and
its certificate of interpretation, the motions, the proposed orders, the cover
sheets and the certificates of service.

The packet draws them; ``packet.documents`` writes them alone (PDF) and the
letter feature as Word files.  Both fill the same template with the same
values, found here.
"""

from __future__ import annotations

import datetime as dt
import re

from pdpacket.model import Case
from pdpacket.model.interview import Interview
from pdpacket.model.markup import BOLD, ITALIC
from pdpacket.packet.context import BuildContext
from pdpacket.packet.dates import date_long
from pdpacket.policy.templates import Template, load_template
from pdpacket.store import signatures as signing
from pdpacket.store.database import Store

BLANK = "_" * 30


def template(store: Store, name: str, *variants: str) -> Template:
    """The template ``name`` (the firm's copy in the data folder first)."""
    return load_template(name, store.data_dir, variants=variants)


def case_values(store: Store, case: Case, today: dt.date) -> dict[str, str]:
    """The fields every template may use, from the case alone."""
    c = case.client
    return {
        "client": c.name,
        "client_upper": c.name.upper(),
        "a_number": c.a_number_display or "[[A-number]]",
        "dob": date_long(c.dob) if c.dob else "[[date of birth]]",
        "country": c.country or "[[country of birth]]",
        "language": c.language or "_" * 14,
        "date": date_long(today),
        "attorney": store.attorney().name or BLANK,
    }


def values(ctx: BuildContext) -> dict[str, str]:
    """The fields of a build: the case's, and the form, court and office chosen."""
    info = ctx.info
    form = info.form
    out = case_values(ctx.store, ctx.case, ctx.build_date)
    out.update(
        court=info.court.name if info.court else "",
        office=info.office.name if info.office else "",
        form=form.label if form else "",
        hook=form.hook if form else "",
    )
    return out


def paragraphs(text: str) -> tuple[str, ...]:
    """A filled template's paragraphs (blank-line separated; empty ones left out)."""
    return tuple(p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip())


def plain(text: str) -> str:
    """The text without the markup of emphasis (pages drawn in one face)."""
    return ITALIC.sub(r"\1", BOLD.sub(r"\1", text))


def drawn_paragraphs(t: Template, vals: dict[str, str]) -> tuple[str, ...]:
    return tuple(plain(p) for p in paragraphs(t.filled(vals)))


def needs_interpretation(case: Case, interview: Interview | None = None) -> bool:
    """Whether the client's declaration, written in English, was read to the
    client in their language (and so carries a certificate of interpretation):
    the interview's answer when it has one, else the client's language."""
    if interview is not None and interview.reads_english is not None:
        return not interview.reads_english
    return signing.needs_interpretation(case)

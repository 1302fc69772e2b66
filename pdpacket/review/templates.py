"""The document templates the case's packet uses: a note a template carries
for the attorney (``attorney_note`` in its header) is shown; and the firm's own
templates must say where their legal statements come from and when they were
checked (``source`` and ``verified_on``), as the built-in ones do."""

from __future__ import annotations

from collections.abc import Iterator

from pdpacket.model import Finding
from pdpacket.policy import destinations
from pdpacket.policy.templates import Template, load_template
from pdpacket.review.context import ReviewContext
from pdpacket.store import signatures as signing


def _used(ctx: ReviewContext) -> Iterator[Template]:
    """The templates the case's packet is drawn from."""
    p = ctx.case.proceedings
    dest = destinations.for_proceedings(p)
    data = ctx.store.data_dir
    yield load_template("cover", data, variants=(dest.id,))
    if dest.motion:
        yield load_template("joint_motion" if dest.joint else "motion", data, variants=(p.pd_form,))
    if dest.joint or dest.proposed_order:
        yield load_template("proposed_order", data, variants=(p.pd_form,))
    if dest.certificate_of_service:
        yield load_template("certificate_of_service", data, variants=(dest.service_method,))
    if any(str(d.role) == "declaration" for d in ctx.documents) and signing.needs_interpretation(
        ctx.case
    ):
        yield load_template("certificate_of_interpretation", data)


def check_templates(ctx: ReviewContext) -> Iterator[Finding | None]:
    for t in _used(ctx):
        if t.attorney_note:
            yield ctx.finding("templates.attorney_note", t.name, name=t.name, note=t.attorney_note)
        if not t.firm:
            continue
        missing = [k for k in ("source", "verified_on") if not getattr(t, k).strip()]
        if missing:
            yield ctx.finding(
                "templates.unsourced",
                t.name,
                name=t.name,
                path=t.path,
                missing=" and ".join(missing),
            )

"""The review's checks that the packet agrees with where the request goes: a
court or office to send it to with an address (and, by e-mail, a mailbox), a
certificate of service only where the destination has one, and a letter whose
"VIA ..." line names the way it is really sent."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from pdpacket.model import BuildOptions, Finding
from pdpacket.model.policy import Destination, Place
from pdpacket.policy import destinations
from pdpacket.store import places

if TYPE_CHECKING:
    from pdpacket.review.context import ReviewContext

# a letter line that says how it is sent: "**VIA ELECTRONIC MAIL**"
_VIA_LINE = re.compile(r"^\W*(VIA\b.*?)\W*$", re.IGNORECASE)


def _destination(ctx: ReviewContext) -> Destination:
    return destinations.for_proceedings(ctx.case.proceedings)


def check_destination(ctx: ReviewContext) -> Iterator[Finding | None]:
    dest = _destination(ctx)
    p = ctx.case.proceedings
    if dest.addressee == "court":
        court = places.court(ctx.store, p.court_id)
        if court is None:
            yield ctx.finding("destination.no_court", dest.id, destination=dest.label)
        elif not court.address.strip():
            yield ctx.finding(
                "destination.court_address_missing", court.id, court=court.name, where=_edit(court)
            )
    office = places.office(ctx.store, p.opla_office_id)
    if office is not None and _office_matters(dest):
        missing = []
        if not office.address.strip() and dest.sent_by != "ecas":
            missing.append("postal address")
        if not office.email.strip() and dest.sent_by == "email":
            missing.append("PD mailbox (e-mail address)")
        if missing:
            yield ctx.finding(
                "destination.office_incomplete",
                office.id,
                office=office.name,
                missing=" and ".join(missing),
                destination=dest.label,
                where=_edit(office),
            )
    yield from _check_appearance(ctx, dest)
    if dest.motion and not p.motion_grounds.strip():
        code = (
            "destination.motion_grounds" if dest.joint else "destination.respondent_motion_grounds"
        )
        yield ctx.finding(code, dest.id)
    yield from _check_service(ctx, dest)
    yield from _check_via(ctx, dest)


FORMS = {"g28": "Form G-28 (appearance before DHS)", "eoir28": "Form EOIR-28 (before the court)"}


def _check_appearance(ctx: ReviewContext, dest: Destination) -> Iterator[Finding | None]:
    """An appearance form for the wrong forum: a G-28 on a court filing, or only an
    EOIR-28 on a request to OPLA or ERO."""
    wanted = dest.appearance_form
    have = {e.document_type for e in ctx.included} | {str(d.role) for d in ctx.documents}
    have &= set(FORMS)
    if wanted in FORMS and have and wanted not in have:
        (other,) = sorted(have)[:1]
        yield ctx.finding(
            "destination.appearance_form",
            dest.id,
            have=FORMS[other],
            wanted=FORMS[wanted],
            destination=dest.label,
        )


def _office_matters(dest: Destination) -> bool:
    """OPLA is the recipient, or is served on paper at its address."""
    return dest.addressee == "opla" or (dest.certificate_of_service and dest.sent_by != "ecas")


def _edit(place: Place) -> str:
    return " (edited by the firm)" if place.edited else ""


def _options(ctx: ReviewContext) -> BuildOptions | None:
    """The build options to judge: those of the build about to run, else the
    ones the last build recorded (an explicit choice only)."""
    if ctx.options is not None:
        return ctx.options
    if not ctx.builds:
        return None
    recorded = ctx.builds[0].options
    raw = str(recorded.get("certificate_of_service", "None"))
    certificate = {"True": True, "False": False}.get(raw)
    return BuildOptions(
        certificate_of_service=certificate,
        service_method=str(recorded.get("service_method", "ecas")),
    )


def _check_service(ctx: ReviewContext, dest: Destination) -> Iterator[Finding | None]:
    options = _options(ctx)
    if options is None:
        return
    for conflict in destinations.conflicts(
        dest, options.certificate_of_service, options.service_method
    ):
        fix = (
            "Leave the certificate of service to the destination (build without "
            "--certificate-of-service, or untick it in the Build step)"
            if options.certificate_of_service
            else "Add the certificate of service (--certificate-of-service), or leave it to "
            "the destination"
        )
        yield ctx.finding("destination.service_conflict", dest.id, conflict=conflict, fix=fix)


def _check_via(ctx: ReviewContext, dest: Destination) -> Iterator[Finding | None]:
    letter = ctx.letter
    # a motion's packet does not carry the drafted letter, so its via line is moot
    if letter is None or dest.motion or "[[" in dest.via:
        return
    for line in letter.text.splitlines()[:40]:
        m = _VIA_LINE.match(line.strip())
        if m is None:
            continue
        said = " ".join(m.group(1).split())
        if said.upper() != dest.via.upper():
            yield ctx.finding(
                "destination.letter_via",
                "via",
                said=said,
                via=dest.via or "no VIA line",
                destination=dest.label,
            )
        return

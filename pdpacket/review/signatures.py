"""The review's checks that every document needing a signature is signed: each
signature the packet needs is electronic ("/s/ Name", where the firm allows it
for the case's destination) or marked to be signed in ink, and every
certificate names who signs it (never "I, ______")."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from pdpacket.model import FileRole, Finding
from pdpacket.model.signing import Signature, SignatureMethod, SignedDocument
from pdpacket.policy import signing as policy
from pdpacket.store import signatures as signing

if TYPE_CHECKING:
    from pdpacket.review.context import ReviewContext

# Certificates that begin "I, NAME, certify ...": a blank name prints "I, ______".
CERTIFICATES = (SignedDocument.SERVICE, SignedDocument.TRANSLATION, SignedDocument.INTERPRETATION)


def check_signatures(ctx: ReviewContext) -> Iterator[Finding | None]:
    # the build about to run, when there is one, says whether it has a certificate
    # of service; otherwise the destination (or the last build) does
    options = getattr(ctx, "options", None)
    service = options.certificate_of_service if options is not None else None
    found = signing.signatures(ctx.store, ctx.case.id, service=service)
    destination = signing.destination_of(ctx.case)
    labels = dict(policy.destinations())
    for sig in found:
        values = {
            "document": sig.label,
            "signer": policy.signer_label(sig.signer),
            "name": sig.name or policy.signer_label(sig.signer),
            "destination": labels.get(destination, destination),
        }
        if not sig.name and _names_signer(ctx, sig):
            yield ctx.finding("signature.no_name", sig.key, fix_name=_fix(sig), **values)
        if sig.method == SignatureMethod.MISSING:
            yield ctx.finding("signature.missing", sig.key, **values)
        elif sig.method == SignatureMethod.WET:
            yield ctx.finding("signature.wet", sig.key, **values)
        elif not sig.electronic_allowed:
            yield ctx.finding("signature.electronic_not_allowed", sig.key, **values)


def _names_signer(ctx: ReviewContext, sig: Signature) -> bool:
    """Whether a blank name is a defect this check reports: on a certificate, or on
    an electronic signature (which types the name).  A drawn translator's
    certificate with no translator's name is already reported, with the other
    details it lacks, by ``exhibit.translator_incomplete``."""
    if sig.document == SignedDocument.TRANSLATION:
        exhibit = next((e for e in ctx.exhibits if e.id == sig.exhibit_id), None)
        if exhibit is not None and not exhibit.files_with_role(FileRole.CERTIFICATE):
            return False
    return sig.document in CERTIFICATES or sig.method == SignatureMethod.ELECTRONIC


def _fix(sig: Signature) -> str:
    if sig.document == SignedDocument.TRANSLATION:
        return "Enter the translator's name for this exhibit in the Evidence step"
    if sig.document == SignedDocument.INTERPRETATION:
        return "Enter the interpreter's name in the Signatures list of the Letter step"
    if sig.document == SignedDocument.SERVICE:
        return (
            "Enter the attorney's name in Settings, or the name of whoever served it in "
            "the Signatures list of the Letter step"
        )
    return "Enter the signer's name"

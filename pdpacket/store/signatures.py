"""The signatures a case's packet needs, and how each is signed.

What needs a signature follows from the case (its letter, appearance form,
declaration, translated exhibits and destination), so it is worked out here
each time, never stored; the ``signatures`` table only records how each one
is signed.  A signature nobody has recorded is ``missing``.  The firm's choice
of electronic signature per destination is the setting ``signatures.electronic``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pdpacket.errors import ValidationError
from pdpacket.model import Case, Exhibit, FileRole, packet_exhibits
from pdpacket.model.signing import (
    Signature,
    SignatureMethod,
    SignaturePolicy,
    SignedDocument,
    Signer,
    signature_key,
)
from pdpacket.policy import destinations as destination_table
from pdpacket.policy import signing as policy
from pdpacket.store.database import Store, now_iso

ELECTRONIC_SETTING = "signatures.electronic"  # {destination id: bool}, the firm's choices
APPEARANCE_TYPES = {"g28": "Form G-28", "eoir28": "Form EOIR-28"}
ENGLISH = ("", "english", "en")


# ---- the firm's choice per destination ---------------------------------------------
def policies(store: Store) -> list[SignaturePolicy]:
    """Every destination, with whether the firm signs electronically for it."""
    chosen = store.get_setting(ELECTRONIC_SETTING, {}) or {}
    out = []
    for dest_id, label in policy.destinations():
        default = policy.electronic_default(dest_id)
        allowed = bool(chosen.get(dest_id, default))
        out.append(SignaturePolicy(dest_id, label, allowed, default))
    return out


def electronic_allowed(store: Store, destination_id: str) -> bool:
    chosen = store.get_setting(ELECTRONIC_SETTING, {}) or {}
    if destination_id in chosen:
        return bool(chosen[destination_id])
    return policy.electronic_default(destination_id)


def set_electronic_allowed(store: Store, destination_id: str, allowed: bool) -> None:
    known = [d for d, _ in policy.destinations()]
    if destination_id not in known:
        raise ValidationError(
            "destination",
            f"{destination_id!r} is not a destination.",
            hint="Use one of: " + ", ".join(known) + ".",
        )
    chosen = dict(store.get_setting(ELECTRONIC_SETTING, {}) or {})
    chosen[destination_id] = bool(allowed)
    with store.transaction():
        store.set_setting(ELECTRONIC_SETTING, chosen)
        store.audit(None, "signatures.policy", destination=destination_id, allowed=bool(allowed))


def destination_of(case: Case) -> str:
    """The case's destination id: the one chosen, else what its PD form implies."""
    return destination_table.for_proceedings(case.proceedings).id


def needs_interpretation(case: Case) -> bool:
    """A declaration in English by a client whose language is another one: it
    was read to them in their language, and a certificate of interpretation says
    so (the packet draws it after the declaration)."""
    return case.client.language.strip().lower() not in ENGLISH


# ---- what the case needs -------------------------------------------------------------
@dataclass(frozen=True)
class _Need:
    document: SignedDocument
    signer: Signer
    label: str
    default_name: str
    title: str
    exhibit_id: int = 0


def _needs(
    store: Store, case: Case, exhibits: list[Exhibit], service: bool | None
) -> Iterator[_Need]:
    attorney = store.attorney().name
    client = case.client.name
    counsel = policy.attorney_title().replace("{ref}", client).replace("{name}", client)
    documents = {str(d.role): d for d in store.case_documents(case.id)}
    destination = destination_table.for_proceedings(case.proceedings)
    letter = store.get_letter(case.id)
    has_letter = "letter" in documents or bool(letter and letter.text.strip())
    if has_letter or destination.motion:
        label = policy.document_label("letter", motion=destination.motion)
        yield _Need(SignedDocument.LETTER, Signer.ATTORNEY, label, attorney, counsel)
    in_packet = packet_exhibits(exhibits)
    form = next((APPEARANCE_TYPES[r] for r in APPEARANCE_TYPES if r in documents), "")
    form = form or next(
        (
            APPEARANCE_TYPES[e.document_type]
            for _, e in in_packet
            if e.document_type in APPEARANCE_TYPES
        ),
        "",
    )
    if form:
        yield _Need(
            SignedDocument.APPEARANCE, Signer.ATTORNEY, f"{form} (attorney)", attorney, counsel
        )
        yield _Need(SignedDocument.APPEARANCE, Signer.CLIENT, f"{form} (client)", client, "")
    declaration = "declaration" in documents or any(
        e.document_type == "declaration" for _, e in in_packet
    )
    if declaration:
        label = policy.document_label("declaration")
        yield _Need(SignedDocument.DECLARATION, Signer.CLIENT, label, client, "Declarant")
        if "declaration" in documents and needs_interpretation(case):
            label = policy.document_label("interpretation")
            yield _Need(SignedDocument.INTERPRETATION, Signer.INTERPRETER, label, "", "Interpreter")
    for letter_, e in in_packet:
        if e.files_with_role(FileRole.TRANSLATION):
            label = f"{policy.document_label('translation')}, Exhibit {letter_}: {e.title}"
            yield _Need(
                SignedDocument.TRANSLATION,
                Signer.TRANSLATOR,
                label,
                e.translator.name.strip(),
                "Translator",
                e.id,
            )
    if destination.certificate_of_service if service is None else service:
        label = policy.document_label("service")
        yield _Need(SignedDocument.SERVICE, Signer.SERVER, label, attorney, counsel)


def _rows(store: Store, case_id: int) -> dict[str, dict[str, Any]]:
    cur = store.db.execute(
        "SELECT document, signer, exhibit_id, method, name, signed_on FROM signatures "
        "WHERE case_id = ?",
        (case_id,),
    )
    out: dict[str, dict[str, Any]] = {}
    for document, signer, exhibit_id, method, name, signed_on in cur.fetchall():
        key = signature_key(document, signer, int(exhibit_id or 0))
        out[key] = {"method": method, "name": name, "signed_on": signed_on}
    return out


def signatures(store: Store, case_id: int, *, service: bool | None = None) -> list[Signature]:
    """Every signature the case's packet needs, in packet order, with how it is signed.
    ``service``: whether the packet about to be built has a certificate of service
    (``None``: as the case's destination says)."""
    case = store.get_case(case_id)
    exhibits = store.list_exhibits(case_id)
    rows = _rows(store, case_id)
    allowed = electronic_allowed(store, destination_of(case))
    out = []
    for need in _needs(store, case, exhibits, service):
        key = signature_key(need.document, need.signer, need.exhibit_id)
        row = rows.get(key, {})
        try:
            method = SignatureMethod(row.get("method") or SignatureMethod.MISSING)
        except ValueError:
            method = SignatureMethod.MISSING
        signed_on = row.get("signed_on")
        out.append(
            Signature(
                document=need.document,
                signer=need.signer,
                label=need.label,
                exhibit_id=need.exhibit_id,
                method=method,
                name=(row.get("name") or need.default_name).strip(),
                signed_on=dt.date.fromisoformat(signed_on) if signed_on else None,
                electronic_allowed=allowed,
                title=need.title,
            )
        )
    return out


def find(
    found: list[Signature], document: str, signer: str = "", exhibit_id: int = 0
) -> Signature | None:
    """The signature of ``document`` (by ``signer``, of exhibit ``exhibit_id``) in ``found``."""
    for s in found:
        same_signer = not signer or s.signer == signer
        if s.document == document and same_signer and s.exhibit_id == exhibit_id:
            return s
    return None


# ---- recording -----------------------------------------------------------------------
def record(
    store: Store,
    case_id: int,
    document: str,
    signer: str,
    method: SignatureMethod | str,
    *,
    exhibit_id: int = 0,
    name: str | None = None,
    signed_on: dt.date | None = None,
) -> Signature:
    """Record how one signature of the case is signed and return it as the packet
    will print it.  Refused (``ValidationError``): a signature the case does not
    need, an electronic one where the firm does not sign electronically for the
    case's destination, or one with no name to type after "/s/"."""
    method = _method(method)
    current = signatures(store, case_id)
    sig = find(current, str(document), str(signer), exhibit_id)
    if sig is None:
        needed = "; ".join(f"{s.key} ({s.label})" for s in current) or "none"
        raise ValidationError(
            "signature",
            f"Case {case_id} has no signature {signature_key(str(document), str(signer), exhibit_id)}.",
            hint=f"The signatures it needs: {needed}.",
        )
    given = " ".join(name.split()) if name is not None else None
    effective = given if given else sig.name
    if method == SignatureMethod.ELECTRONIC:
        if not sig.electronic_allowed:
            raise ValidationError(
                "signature",
                f"{sig.label}: the firm does not sign electronically for this case's "
                f"destination ({destination_of(store.get_case(case_id))}).",
                hint="Mark it to be signed in ink, or allow electronic signatures for the "
                "destination in Settings (pdpacket settings esign DESTINATION --allow).",
            )
        if not effective:
            raise ValidationError(
                "signature",
                f"{sig.label}: there is no name to sign with.",
                hint=_name_hint(sig),
            )
    when = (signed_on or dt.date.today()) if method == SignatureMethod.ELECTRONIC else None
    with store.transaction():
        store.db.execute(
            "DELETE FROM signatures WHERE case_id = ? AND document = ? AND signer = ? "
            "AND COALESCE(exhibit_id, 0) = ?",
            (case_id, str(sig.document), str(sig.signer), exhibit_id),
        )
        store.db.execute(
            "INSERT INTO signatures (case_id, document, signer, exhibit_id, method, name, "
            "signed_on, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                case_id,
                str(sig.document),
                str(sig.signer),
                exhibit_id or None,
                str(method),
                given or "",
                when.isoformat() if when else None,
                now_iso(),
            ),
        )
        # what the packet prints changed: a packet built before is stale
        store.db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (now_iso(), case_id))
        store.audit(case_id, "signature.set", key=sig.key, method=str(method))
    result = find(signatures(store, case_id), str(sig.document), str(sig.signer), exhibit_id)
    assert result is not None
    return result


def sign_all_electronically(
    store: Store, case_id: int, *, on: dt.date | None = None
) -> list[Signature]:
    """Sign electronically every signature not yet signed that way, where the firm
    allows it and the signer's name is known; the others are left as they are.
    Returns every signature of the case afterwards."""
    for sig in signatures(store, case_id):
        if sig.method != SignatureMethod.ELECTRONIC and sig.electronic_allowed and sig.name:
            record(
                store,
                case_id,
                sig.document,
                sig.signer,
                SignatureMethod.ELECTRONIC,
                exhibit_id=sig.exhibit_id,
                signed_on=on,
            )
    return signatures(store, case_id)


def _method(method: SignatureMethod | str) -> SignatureMethod:
    try:
        return SignatureMethod(method)
    except ValueError:
        raise ValidationError(
            "signature",
            f"{method!r} is not a way to sign.",
            hint="Use one of: " + ", ".join(m.value for m in SignatureMethod) + ".",
        ) from None


def _name_hint(sig: Signature) -> str:
    if sig.signer == Signer.TRANSLATOR:
        return "Enter the translator's name for the exhibit in the Evidence step."
    if sig.signer in (Signer.ATTORNEY, Signer.SERVER):
        return "Enter the attorney's name in Settings (or pdpacket settings attorney --name ...)."
    return "Give the name of whoever signs it."


__all__ = [
    "ELECTRONIC_SETTING",
    "destination_of",
    "electronic_allowed",
    "find",
    "policies",
    "record",
    "set_electronic_allowed",
    "sign_all_electronically",
    "signatures",
]

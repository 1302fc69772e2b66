"""Signatures: which documents of a packet someone must sign, who, and how.

A packet is filed under the attorney's signature, and each certificate in it
under its maker's: the letter or motion (the attorney), the certificate of
service (whoever served), each translator's certificate (that exhibit's
translator), the certificate of interpretation of a declaration read to a
client in their language (the interpreter), the declaration (the client) and
the appearance form (the attorney and the client).  Each is signed
electronically (a typed "/s/ Name" and the date, where the firm allows it for
the case's destination), marked for a wet signature (printed with a line to
sign in ink), or still missing, which the review reports as an error.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class SignedDocument(StrEnum):
    LETTER = "letter"  # the request letter or the motion
    SERVICE = "service"  # the certificate of service
    TRANSLATION = "translation"  # the translator's certificate of one exhibit
    INTERPRETATION = "interpretation"  # the certificate of interpretation of the declaration
    DECLARATION = "declaration"  # the client's declaration
    APPEARANCE = "appearance"  # Form G-28 or EOIR-28


class Signer(StrEnum):
    ATTORNEY = "attorney"
    SERVER = "server"  # whoever served the filing: the attorney unless named
    TRANSLATOR = "translator"
    INTERPRETER = "interpreter"
    CLIENT = "client"  # the declarant, and the client's part of the appearance form


class SignatureMethod(StrEnum):
    ELECTRONIC = "electronic"  # "/s/ Name" and the date, typed
    WET = "wet"  # printed with a signature line, to be signed in ink before filing
    MISSING = "missing"  # nobody has said how it is signed: not ready to file


@dataclass(frozen=True)
class Signature:
    """One signature the case's packet needs, and how it is signed.

    ``name`` is who signs as it is printed: what was recorded, else who signs
    that kind of document today (the attorney in Settings, the exhibit's
    translator, the client), so a name corrected there reaches the packet."""

    document: SignedDocument
    signer: Signer
    label: str  # "Translator's certificate, Exhibit D: Birth certificate of Ana Ruiz"
    exhibit_id: int = 0  # the exhibit of a translator's certificate; 0 for the others
    method: SignatureMethod = SignatureMethod.MISSING
    name: str = ""
    signed_on: dt.date | None = None  # the date of an electronic signature
    electronic_allowed: bool = True  # the firm allows e-signature for the case's destination
    title: str = ""  # printed under the name, e.g. "Attorney for Respondent"

    @property
    def key(self) -> str:
        """Stable identity within a case: ``document:signer[:exhibit id]``."""
        base = f"{self.document}:{self.signer}"
        return f"{base}:{self.exhibit_id}" if self.exhibit_id else base

    @property
    def electronic(self) -> bool:
        """Signed electronically, with a name, where the firm allows it: what prints "/s/"."""
        return (
            self.method == SignatureMethod.ELECTRONIC
            and bool(self.name.strip())
            and self.electronic_allowed
        )

    @property
    def wet(self) -> bool:
        return self.method == SignatureMethod.WET

    @property
    def mark(self) -> str:
        """What an electronic signature prints ("/s/ Jane Doe"); "" otherwise."""
        return f"/s/ {self.name.strip()}" if self.electronic else ""


@dataclass(frozen=True)
class SignaturePolicy:
    """Whether the firm signs electronically for one destination."""

    destination_id: str
    label: str
    electronic_allowed: bool
    default: bool  # what pdpacket ships with (resources/signatures.json)


def signature_key(document: str, signer: str, exhibit_id: int = 0) -> str:
    base = f"{document}:{signer}"
    return f"{base}:{exhibit_id}" if exhibit_id else base


__all__ = [
    "Signature",
    "SignatureMethod",
    "SignaturePolicy",
    "SignedDocument",
    "Signer",
    "signature_key",
]

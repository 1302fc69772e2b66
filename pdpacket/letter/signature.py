"""The letter's signature, printed where ``{{signature}}`` stands: "/s/ Name" and
the date when the attorney signed electronically, a line to sign in ink
otherwise.  Letters drafted before the token existed carry a line of
underscores there instead; the last such line is printed the same way."""

from __future__ import annotations

import datetime as dt

from pdpacket.letter.citations import long_date
from pdpacket.model.markup import SIGNATURE, SIGNATURE_LINE
from pdpacket.model.signing import Signature, SignatureMethod
from pdpacket.policy import signing as policy

LINE = "_" * 30


def signature_block(sig: Signature | None, today: dt.date) -> str:
    """What ``{{signature}}`` prints (letter markup; the name and title lines
    that follow it in the letter are the attorney's own text)."""
    if sig is not None and sig.electronic:
        return f"{sig.mark}\nDate: {long_date(sig.signed_on or today)}"
    if sig is not None and sig.method == SignatureMethod.WET:
        return f"{LINE}\n*{policy.wet_note()}*"
    # not signed yet: the packet is a draft, and the line says what is missing
    return f"{LINE}\n[[not signed yet: sign in the Signatures list of the Letter step]]"


def sign(text: str, sig: Signature | None, today: dt.date) -> str:
    """``text`` with its signature token (or its old signature line) printed."""
    if not SIGNATURE.search(text):
        lines = list(SIGNATURE_LINE.finditer(text))
        if not lines:
            return text
        last = lines[-1]
        text = text[: last.start()] + "{{signature}}" + text[last.end() :]
    block = signature_block(sig, today)
    return SIGNATURE.sub(lambda _m: block, text)

"""PDF syntax in one place: the plain values the reader returns and the writer
takes, and how numbers, strings, names and dates are spelled in a PDF.

Values are plain Python: ``dict`` (keys are names as written, e.g. ``"/Font"``),
``list``, and the three token types below, each kept exactly as written so that
a copied object comes out with the bytes it went in with.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple


class Name(bytes):
    """A PDF name as written, e.g. ``/F1``."""


class Raw(bytes):
    """Any other direct token as written: a number, string, true, false, null."""


class Ref(NamedTuple):
    """An indirect reference ``idnum gen R``."""

    idnum: int
    gen: int


NULL = Raw(b"null")


def number(v: float, places: int = 4) -> bytes:
    """A number as content streams and arrays spell it: an integer when it is
    one (to a millionth), else at most ``places`` decimals with no trailing zeros."""
    if abs(v - round(v)) < 1e-6:
        return b"%d" % round(v)
    return (b"%.*f" % (places, v)).rstrip(b"0").rstrip(b".")


def escape(text: str, encoding: str = "latin-1") -> bytes:
    """The inside of a literal string ``( )`` in a content stream: the text in a
    single-byte encoding (characters it lacks become ``?``), with ``\\ ( )`` escaped."""
    raw = text.encode(encoding, "replace")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def text_string(text: str) -> bytes:
    """A PDF text string (titles, labels): literal when ASCII, else UTF-16BE with
    a byte-order mark, so any language reads back as written."""
    if text.isascii():
        esc = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        esc = esc.replace("\r", "\\r").replace("\n", "\\n")
        return b"(" + esc.encode("ascii") + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii") + b">"


def date(d: dt.date) -> bytes:
    """A date string at midnight UTC: builds of the same day are byte-identical."""
    return b"(D:%04d%02d%02d000000Z)" % (d.year, d.month, d.day)


_KEY_CACHE: dict[str, bytes] = {}


def key(k: str) -> bytes:
    """A dictionary key (a name as written) as bytes; cached, since the same few
    hundred keys are written millions of times in a long packet."""
    b = _KEY_CACHE.get(k)
    if b is None:
        b = k.encode("latin-1")
        if len(_KEY_CACHE) < 50_000:
            _KEY_CACHE[k] = b
    return b

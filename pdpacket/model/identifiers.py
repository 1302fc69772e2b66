"""Parsing and formatting of the identifiers immigration filings use."""

from __future__ import annotations

import datetime as dt
import re

from pdpacket.errors import ValidationError

_A_NUMBER_CHARS = re.compile(r"^[Aa]?[\s\-#]*([\d\s\-]+)$")
_RECEIPT = re.compile(r"^[A-Z]{3}\d{10}$")


def parse_a_number(raw: str) -> str:
    """Return the 9-digit A-number for ``raw`` or raise ``ValidationError``.

    Accepts 7 to 9 digits with or without a leading "A", dashes and spaces
    ("A012-345-678", "12345678", "a 012 345 678").  Shorter numbers get leading
    zeros.  There is no check digit.
    """
    text = (raw or "").strip()
    match = _A_NUMBER_CHARS.match(text)
    digits = re.sub(r"\D", "", match.group(1)) if match else ""
    if not match or not 7 <= len(digits) <= 9:
        raise ValidationError(
            "a_number",
            f"A-number {raw!r} is not valid.",
            hint="Enter 7 to 9 digits, e.g. A012-345-678 (the A and dashes are optional).",
        )
    return digits.zfill(9)


def format_a_number(digits: str) -> str:
    """``"012345678"`` -> ``"A012-345-678"``; empty stays empty."""
    if not digits:
        return ""
    d = parse_a_number(digits)
    return f"A{d[0:3]}-{d[3:6]}-{d[6:9]}"


def parse_receipt_number(raw: str) -> str:
    """A USCIS receipt number: three letters and ten digits (e.g. IOE0912345678)."""
    text = re.sub(r"[\s\-]", "", (raw or "")).upper()
    if not _RECEIPT.match(text):
        raise ValidationError(
            "receipts",
            f"Receipt number {raw!r} is not valid.",
            hint="A USCIS receipt number is 3 letters and 10 digits, e.g. IOE0912345678.",
        )
    return text


def parse_date(raw: str | dt.date | None, field: str = "date") -> dt.date | None:
    """ISO dates (YYYY-MM-DD) or US style (MM/DD/YYYY); empty gives ``None``."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.date):
        return raw
    text = raw.strip()
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValidationError(
        field,
        f"Date {raw!r} for {field.replace('_', ' ')} is not a date pdpacket can read.",
        hint="Write it as YYYY-MM-DD or MM/DD/YYYY, e.g. 2026-03-14.",
    )


def exhibit_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA, 27 -> AB ... (spreadsheet-style lettering)."""
    if index < 0:
        raise ValueError("index must be >= 0")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters

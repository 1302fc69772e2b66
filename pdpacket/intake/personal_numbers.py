"""Personal numbers on a page: social security numbers and ITINs, other people's
A-numbers, minors' dates of birth, bank account and payment card numbers.

Patterns with checks, never bare digit runs: a social security number must
follow the SSA's rules (area not 000, 666 or 9xx; group not 00; serial not
0000) and be written 3-2-4 or sit next to its label; an ITIN is 9xx with a
group the IRS issues; a card number passes the Luhn check; an account number,
an A-number written without its "A" and a date of birth need their label.
Numbers split over several words ("123 45 6789", as OCR often reads them) are
found across the words of a line.  The client's own A-number and date of birth
are never found.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pdpacket.model.redaction import Box, FoundNumber, NumberKind
from pdpacket.model.text import Word

SEP = r"(?:\s*[-\u2013]\s*|\s)?"
SSN_RE = re.compile(rf"(?<![\dA-Za-z])(\d{{3}})({SEP})(\d{{2}})({SEP})(\d{{4}})(?!\d)")
A_PREFIXED_RE = re.compile(
    r"(?<![A-Za-z\d])A\s*[#\-:]?\s*(\d{3}\s*-?\s*\d{3}\s*-?\s*\d{3}|\d{8,9})(?!\d)"
)
# not a house number or a street ("88-21 37th Ave"): no letter right after
LABELLED_DIGITS_RE = re.compile(r"(?<![\dA-Za-z])(\d(?:[\d\s-]{4,24}\d))(?![\dA-Za-z])")
CARD_RE = re.compile(r"(?<![\d])(\d(?:[ -]?\d){12,18})(?!\d)")
DATE_RES = (
    re.compile(r"(?<!\d)(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?!\d)"),  # m/d/yyyy (d/m/yyyy)
    re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)"),  # ISO
)
MONTHS = {
    **{
        m: i + 1
        for i, m in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ]
        )
    },
    **{
        m: i + 1
        for i, m in enumerate(
            [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ]
        )
    },
}
NAMED_DATE_RE = re.compile(
    r"(?i)(?:(\d{1,2})\s+(?:de\s+)?([a-z\u00e1\u00e9\u00ed\u00f3\u00fa]+)\.?,?\s+(?:de\s+)?(\d{4})"
    r"|([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}))"
)

SSN_LABEL = re.compile(r"(?i)\b(ssn|ss\s*#|soc\.?\s*sec|social\s+security|seguro\s+social|s\.s\.)")
ITIN_LABEL = re.compile(r"(?i)\b(itin|taxpayer\s+id|tax\s*id|tin\b|identification\s+number)")
A_LABEL = re.compile(
    r"(?i)(\ba\s*#|\ba-?\s*number|alien\s+(registration\s+)?(number|no)|uscis\s*#|n[u\u00fa]mero\s+a\b)"
)
DOB_LABEL = re.compile(
    r"(?i)(\bdob\b|d\.o\.b|date\s+of\s+birth|birth\s*date|born\s+(?:on\b|:)|born\s*$"
    r"|fecha\s+de\s+nacimiento"
    r"|f\.\s*de\s+nac|nacid[oa])"
)
ACCOUNT_LABEL = re.compile(
    r"(?i)(\baccount\b|\bacct\b|\bacc(?:oun)?t\s*(?:no|#|number)|\bcuenta\b|routing)"
)
DAY_FIRST_LABEL = re.compile(r"(?i)(fecha|nacimiento|nacid)")


@dataclass(frozen=True)
class _Line:
    words: tuple[Word, ...]
    text: str
    spans: tuple[tuple[int, int], ...]  # each word's [start, end) in text

    @property
    def top(self) -> float:
        return max(w.y1 for w in self.words)

    @property
    def bottom(self) -> float:
        return min(w.y0 for w in self.words)

    @property
    def height(self) -> float:
        return max(w.y1 - w.y0 for w in self.words)

    def box(self, start: int, end: int) -> Box:
        """The part of the line that characters [start, end) cover."""
        parts: list[Box] = []
        for w, (s, e) in zip(self.words, self.spans, strict=True):
            lo, hi = max(s, start), min(e, end)
            if lo >= hi:
                continue
            n = max(e - s, 1)
            width = w.x1 - w.x0
            parts.append(Box(w.x0 + width * (lo - s) / n, w.y0, w.x0 + width * (hi - s) / n, w.y1))
        return Box(
            min(b.x0 for b in parts),
            min(b.y0 for b in parts),
            max(b.x1 for b in parts),
            max(b.y1 for b in parts),
        )


def lines_of(words: Sequence[Word]) -> list[_Line]:
    """Words grouped into lines (top to bottom), each line left to right."""
    rows: list[list[Word]] = []
    for w in sorted(words, key=lambda w: (-(w.y0 + w.y1) / 2, w.x0)):
        if not w.text.strip():
            continue
        mid = (w.y0 + w.y1) / 2
        for row in rows:
            ref = row[0]
            if ref.y0 <= mid <= ref.y1 and w.y0 <= (ref.y0 + ref.y1) / 2 <= w.y1:
                row.append(w)
                break
        else:
            rows.append([w])
    out = []
    for row in rows:
        row.sort(key=lambda w: w.x0)
        text = ""
        spans = []
        for w in row:
            if text:
                text += " "
            spans.append((len(text), len(text) + len(w.text)))
            text += w.text
        out.append(_Line(tuple(row), text, tuple(spans)))
    return out


def mask(text: str, keep: int = 4) -> str:
    """Every digit but the last ``keep`` replaced by '*'."""
    digits = sum(c.isdigit() for c in text)
    out = []
    seen = 0
    for c in text:
        if c.isdigit():
            seen += 1
            out.append(c if seen > digits - keep else "*")
        else:
            out.append(c)
    return "".join(out)


def ssn_valid(area: int, group: int, serial: int) -> bool:
    return area not in (0, 666) and area < 900 and group != 0 and serial != 0


def itin_valid(area: int, group: int) -> bool:
    return 900 <= area <= 999 and (
        50 <= group <= 65 or 70 <= group <= 88 or 90 <= group <= 92 or 94 <= group <= 99
    )


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _label_near(label: re.Pattern[str], lines: Sequence[_Line], i: int, start: int) -> bool:
    """The label before the number on its line, or on the line just above it
    (forms print the label over the box)."""
    line = lines[i]
    if label.search(line.text[max(0, start - 48) : start]):
        return True
    if i > 0:
        above = lines[i - 1]
        gap = above.bottom - line.top
        found = label.search(above.text) if gap < 2.5 * max(line.height, 1.0) else None
        # a label printed over the box has no value of its own on its line:
        # "Account number:" labels the line below, "Account holder: Lucia
        # Morales" or "Date of birth: 1988-04-12" does not
        rest = above.text[found.end() :] if found else ""
        if found and not re.search(r"\d|:\s*\S", rest):
            return True
    return False


def _age(born: dt.date, today: dt.date) -> int:
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _dates(text: str, day_first: bool) -> Iterator[tuple[int, int, dt.date]]:
    for rx in DATE_RES:
        for m in rx.finditer(text):
            a, b, c = (int(g) for g in m.groups())
            if rx is DATE_RES[1]:
                y, mo, d = a, b, c
            elif day_first or a > 12:
                d, mo, y = a, b, c
            else:
                mo, d, y = a, b, c
            try:
                yield m.start(), m.end(), dt.date(y, mo, d)
            except ValueError:
                continue
    for m in NAMED_DATE_RE.finditer(text):
        if m.group(1):
            day, month, year = m.group(1), m.group(2), m.group(3)
        else:
            month, day, year = m.group(4), m.group(5), m.group(6)
        mo = MONTHS.get(month.lower().rstrip("."), 0)
        if not mo:
            continue
        try:
            yield m.start(), m.end(), dt.date(int(year), mo, int(day))
        except ValueError:
            continue


def find_numbers(
    words: Sequence[Word],
    *,
    client_a_number: str = "",
    client_dob: dt.date | None = None,
    today: dt.date | None = None,
) -> list[FoundNumber]:
    """Every personal number on a page whose words are ``words``."""
    today = today or dt.date.today()
    client_a = client_a_number.strip().zfill(9) if client_a_number.strip() else ""
    lines = lines_of(words)
    found: list[FoundNumber] = []
    for i, line in enumerate(lines):
        taken: list[tuple[int, int]] = []

        def add(
            kind: NumberKind,
            start: int,
            end: int,
            shown: str,
            line: _Line = line,
            taken: list[tuple[int, int]] = taken,
        ) -> None:
            if any(s < end and start < e for s, e in taken):
                return
            taken.append((start, end))
            found.append(FoundNumber(kind, line.box(start, end), mask(shown)))

        text = line.text
        # A-numbers first: "A 123 456 789" would otherwise read as digits alone
        for m in A_PREFIXED_RE.finditer(text):
            digits = re.sub(r"\D", "", m.group(1)).zfill(9)
            if digits == client_a:
                taken.append((m.start(), m.end()))
                continue
            add(NumberKind.A_NUMBER, m.start(), m.end(), m.group(0))
        for m in SSN_RE.finditer(text):
            area, group, serial = int(m.group(1)), int(m.group(3)), int(m.group(5))
            separated = bool(m.group(2)) and bool(m.group(4))
            labelled = _label_near(SSN_LABEL, lines, i, m.start()) or _label_near(
                ITIN_LABEL, lines, i, m.start()
            )
            if not (separated or labelled):
                continue
            digits = f"{m.group(1)}{m.group(3)}{m.group(5)}"
            if _label_near(A_LABEL, lines, i, m.start()) and not labelled:
                if digits != client_a:
                    add(NumberKind.A_NUMBER, m.start(), m.end(), m.group(0))
                else:
                    taken.append((m.start(), m.end()))
                continue
            if itin_valid(area, group):
                add(NumberKind.ITIN, m.start(), m.end(), m.group(0))
            elif ssn_valid(area, group, serial):
                add(NumberKind.SSN, m.start(), m.end(), m.group(0))
            else:
                taken.append((m.start(), m.end()))  # not a valid number: not another kind either
        for m in LABELLED_DIGITS_RE.finditer(text):
            digits = re.sub(r"\D", "", m.group(1))
            if _label_near(A_LABEL, lines, i, m.start()) and len(digits) in (8, 9):
                if digits.zfill(9) == client_a:
                    taken.append((m.start(), m.end()))
                    continue
                add(NumberKind.A_NUMBER, m.start(), m.end(), m.group(1))
        for m in CARD_RE.finditer(text):
            digits = re.sub(r"\D", "", m.group(1))
            if 13 <= len(digits) <= 19 and len(set(digits)) > 1 and luhn_valid(digits):
                add(NumberKind.CARD, m.start(), m.end(), m.group(1))
        for m in LABELLED_DIGITS_RE.finditer(text):
            digits = re.sub(r"\D", "", m.group(1))
            if 6 <= len(digits) <= 17 and _label_near(ACCOUNT_LABEL, lines, i, m.start()):
                add(NumberKind.BANK_ACCOUNT, m.start(), m.end(), m.group(1))
        day_first = bool(DAY_FIRST_LABEL.search(text)) or (
            i > 0 and bool(DAY_FIRST_LABEL.search(lines[i - 1].text))
        )
        for start, end, born in _dates(text, day_first):
            if not _label_near(DOB_LABEL, lines, i, start):
                continue
            if client_dob is not None and born == client_dob:
                taken.append((start, end))
                continue
            if born <= today and _age(born, today) < 18:
                add(NumberKind.MINOR_DOB, start, end, text[start:end])
    return found

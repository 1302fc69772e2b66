import datetime as dt

import pytest

from pdpacket.errors import ValidationError
from pdpacket.model.identifiers import (
    exhibit_letter,
    format_a_number,
    parse_a_number,
    parse_date,
    parse_receipt_number,
)


@pytest.mark.parametrize(
    "raw, digits",
    [
        ("A012-345-678", "012345678"),
        ("a 012 345 678", "012345678"),
        ("12345678", "012345678"),  # 8 digits get a leading zero
        ("1234567", "001234567"),
        ("A#201555014", "201555014"),
        ("201-555-014", "201555014"),
    ],
)
def test_a_numbers_people_type_are_accepted(raw, digits):
    assert parse_a_number(raw) == digits
    assert format_a_number(digits) == f"A{digits[:3]}-{digits[3:6]}-{digits[6:]}"


@pytest.mark.parametrize("raw", ["", "A12345", "A1234567890", "B012345678", "A01234567x", "abc"])
def test_bad_a_numbers_are_refused_with_the_fix(raw):
    with pytest.raises(ValidationError) as err:
        parse_a_number(raw)
    assert err.value.field == "a_number"
    assert "7 to 9 digits" in err.value.hint


def test_receipt_numbers():
    assert parse_receipt_number("ioe 0912345678") == "IOE0912345678"
    with pytest.raises(ValidationError):
        parse_receipt_number("IOE091234567")  # 9 digits


def test_dates_in_iso_and_us_style():
    assert parse_date("2026-03-14") == dt.date(2026, 3, 14)
    assert parse_date("03/14/2026") == dt.date(2026, 3, 14)
    assert parse_date("") is None
    with pytest.raises(ValidationError) as err:
        parse_date("14.03.2026", "next_hearing")
    assert "YYYY-MM-DD" in err.value.hint


def test_exhibit_letters_go_past_z():
    assert [exhibit_letter(i) for i in (0, 1, 25, 26, 27, 51, 52)] == [
        "A",
        "B",
        "Z",
        "AA",
        "AB",
        "AZ",
        "BA",
    ]

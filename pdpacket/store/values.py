"""Values checked and put in the form the database stores: an exhibit's fields,
the client's and the proceedings' (split from ``store.database``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, replace
from typing import Any

from pdpacket.model import Client, Proceedings, TranslationOrder, Translator
from pdpacket.model.identifiers import parse_a_number, parse_date, parse_receipt_number


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def exhibit_values(attrs: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in attrs.items():
        if key in ("factor_ids", "guessed"):
            out[key] = json.dumps(list(value or ()))
        elif key in ("doc_date", "doc_date_end"):
            what = "document date" if key == "doc_date" else "document end date"
            out[key] = _iso(parse_date(value, what))
        elif key == "translator":
            t = value if isinstance(value, Translator) else Translator(**(value or {}))
            out[key] = json.dumps(asdict(t), sort_keys=True)
        elif key == "translation_order":
            out[key] = str(TranslationOrder(value))
        elif key == "included":
            out[key] = int(bool(value))
        else:
            out[key] = "" if value is None else str(value)
    if "title" in out and not out["title"].strip():
        from pdpacket.errors import ValidationError

        raise ValidationError(
            "title",
            "An exhibit needs a title.",
            hint="Type a short title, e.g. 'Birth certificate of the son'.",
        )
    return out


def normalise_client(c: Client) -> Client:
    from pdpacket.errors import ValidationError

    name = " ".join((c.name or "").split())
    if not name:
        raise ValidationError(
            "name", "The client's name is empty.", hint="Type the client's full legal name."
        )
    a_number = parse_a_number(c.a_number) if c.a_number else ""
    dob = parse_date(c.dob, "date of birth") if not isinstance(c.dob, dt.date) else c.dob
    return replace(
        c,
        name=name,
        a_number=a_number,
        dob=dob,
        aliases=tuple(a.strip() for a in c.aliases if a.strip()),
    )


def normalise_proceedings(p: Proceedings) -> Proceedings:
    hearing = (
        parse_date(p.hearing_date, "next hearing")
        if not isinstance(p.hearing_date, dt.date)
        else p.hearing_date
    )
    receipts = tuple(parse_receipt_number(r) for r in p.receipts if str(r).strip())
    decided = parse_date(p.decision_date, "decision date")
    return replace(p, hearing_date=hearing, receipts=receipts, decision_date=decided)

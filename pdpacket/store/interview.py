"""The case interview, stored as one versioned JSON document per case.

The document is ``model.interview.Interview`` as plain JSON.  ``VERSION`` is
the format written; a reader of a later version adds a step to ``_upgrade``.
Keys this version does not know are refused by ``interview_from_dict`` with a
message naming them (an interview from a newer pdpacket is never half read);
keys missing take their defaults (an interview is filled in over time).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import asdict, fields
from typing import Any

from pdpacket.errors import ValidationError
from pdpacket.model.interview import (
    Arrest,
    Charge,
    Entry,
    Interview,
    Pronouns,
    Relative,
    StatusPath,
)
from pdpacket.store.database import Store, now_iso

VERSION = 1
PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
DATE_FIELDS = {
    "entry.date": "date of entry",
    "residence_since": "residence since",
    "work_since": "work since",
}


def interview_to_dict(iv: Interview) -> dict[str, Any]:
    data = asdict(iv)
    data["pronouns"] = iv.pronouns.value
    return data


def _build(cls: type[Any], raw: Any, where: str) -> Any:
    if not isinstance(raw, Mapping):
        raise ValidationError(where, f"The interview's {where} is not an object.")
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise ValidationError(
            where,
            f"The interview's {where} has keys this version does not know: "
            + ", ".join(unknown)
            + ".",
            hint="Update pdpacket, or remove those keys.",
        )
    return cls(**{k: ("" if v is None else v) for k, v in raw.items()})


def interview_from_dict(raw: Mapping[str, Any]) -> Interview:
    """An ``Interview`` from its JSON form (stored, archived or in a manifest)."""
    data = dict(raw)
    names = {f.name for f in fields(Interview)}
    unknown = sorted(set(data) - names)
    if unknown:
        raise ValidationError(
            "interview",
            "The interview has keys this version does not know: " + ", ".join(unknown) + ".",
            hint="Update pdpacket, or remove those keys.",
        )
    try:
        pronouns = Pronouns(data.pop("pronouns", "") or "")
    except ValueError:
        raise ValidationError(
            "interview.pronouns",
            f"{raw.get('pronouns')!r} is not a choice of pronouns.",
            hint="Use he, she, they or leave it empty.",
        ) from None
    out: dict[str, Any] = {k: ("" if v is None else v) for k, v in data.items()}
    if "entry" in data:
        out["entry"] = _build(Entry, data["entry"] or {}, "entry")
    if "status_path" in data:
        out["status_path"] = _build(StatusPath, data["status_path"] or {}, "status_path")
    out["charges"] = tuple(
        _build(Charge, c, f"charges[{i}]") for i, c in enumerate(data.get("charges") or ())
    )
    out["relatives"] = tuple(
        _build(Relative, r, f"relatives[{i}]") for i, r in enumerate(data.get("relatives") or ())
    )
    arrests = []
    for i, a in enumerate(data.get("arrests") or ()):
        arrest = _build(Arrest, a, f"arrests[{i}]")
        ids = a.get("exhibit_ids") or ()
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in ids):
            raise ValidationError(
                f"arrests[{i}].exhibit_ids", "Exhibits of an arrest are named by number."
            )
        arrests.append(Arrest(**{**asdict(arrest), "exhibit_ids": tuple(ids)}))
    out["arrests"] = tuple(arrests)
    reads = data.get("reads_english")
    out["reads_english"] = reads if isinstance(reads, bool) else None
    return check_interview(Interview(pronouns=pronouns, **out))


def check_interview(iv: Interview) -> Interview:
    """Refuse dates that are not partial ISO dates, naming the field."""
    dates = {
        "entry.date": iv.entry.date,
        "residence_since": iv.residence_since,
        "work_since": iv.work_since,
    }
    for i, a in enumerate(iv.arrests, 1):
        dates[f"arrest {i} date"] = a.date
        dates[f"arrest {i} disposition date"] = a.disposition_date
    for i, r in enumerate(iv.relatives, 1):
        dates[f"relative {i} date of birth"] = r.born
    for where, value in dates.items():
        if value and not PARTIAL_DATE.match(value.strip()):
            raise ValidationError(
                where,
                f"{DATE_FIELDS.get(where, where).capitalize()} {value!r} is not a date.",
                hint="Write a year (2005), a month (2005-03) or a day (2005-03-14).",
            )
    return iv


def _upgrade(version: int, data: dict[str, Any]) -> dict[str, Any]:
    """The stored document in the current format (no older format exists yet)."""
    return data


def get_interview(store: Store, case_id: int) -> Interview:
    """The case's interview; an empty one when nothing was answered yet."""
    rows = list(
        store.db.execute(
            "SELECT version, data FROM interviews WHERE case_id = ?", (case_id,)
        ).fetchall()
    )
    if not rows:
        return Interview()
    version, data = int(rows[0][0]), json.loads(rows[0][1])
    return interview_from_dict(_upgrade(version, data))


def set_interview(store: Store, case_id: int, iv: Interview) -> Interview:
    check_interview(iv)
    data = json.dumps(interview_to_dict(iv), ensure_ascii=False, sort_keys=True)
    with store.transaction():
        store.db.execute(
            "INSERT INTO interviews (case_id, version, data, updated_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(case_id) DO UPDATE SET version = excluded.version, "
            "data = excluded.data, updated_at = excluded.updated_at",
            (case_id, VERSION, data, now_iso()),
        )
        store.db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (now_iso(), case_id))
        store.audit(case_id, "interview.update")
    return iv


def remap_exhibits(data_json: str, exhibits: Mapping[int, int]) -> str:
    """A stored document with each arrest's exhibit ids mapped to new ones (a
    case copied or imported from an archive gets new exhibit ids); an id with
    no new one is dropped rather than left pointing at another case's exhibit."""
    data = json.loads(data_json)
    for arrest in data.get("arrests") or ():
        arrest["exhibit_ids"] = [
            exhibits[int(i)] for i in arrest.get("exhibit_ids") or () if int(i) in exhibits
        ]
    return json.dumps(data, ensure_ascii=False, sort_keys=True)

"""The firm's corrections to the shipped OPLA offices and courts.

resources/opla_offices.json and courts.json ship what public sources give (often
nothing: an address or mailbox that could not be checked is left blank).  The
firm fills in or corrects an office's address, PD mailbox, size limit and
subject line, or a court's address; those values live in the database table
``place_overrides`` (one row per place and field), apart from the shipped data,
and every reader of an office or a court goes through ``office``/``court`` here
so the packet, the letter, the e-mail and the review all see the same values.
A place shows which of its fields the firm edited (``Place.edited``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from pdpacket.errors import ValidationError
from pdpacket.model.policy import Place
from pdpacket.policy import catalog, rules
from pdpacket.store.database import Store, now_iso

# the fields a firm may edit, per kind of place
OFFICE_FIELDS = ("address", "email", "max_mb", "subject_format")
COURT_FIELDS = ("address",)
KINDS = {"office": OFFICE_FIELDS, "court": COURT_FIELDS}


def _overrides(store: Store, kind: str) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in store.db.execute(
        "SELECT place_id, field, value FROM place_overrides WHERE kind = ? ORDER BY place_id",
        (kind,),
    ).fetchall():
        out.setdefault(r[0], {})[r[1]] = r[2]
    return out


def _apply(place: Place, values: Mapping[str, str]) -> Place:
    if not values:
        return place
    direct = {k: v for k, v in values.items() if k in ("address", "email")}
    extra = dict(place.extra)
    for k, v in values.items():
        if k == "max_mb":
            extra[k] = float(v) if v.strip() else 0.0
        elif k not in direct:
            extra[k] = v
    return dataclasses.replace(
        place,
        **direct,
        extra=tuple(extra.items()),
        edited=tuple(sorted(values)),
    )


def offices(store: Store) -> tuple[Place, ...]:
    """Every OPLA office, with the firm's edits."""
    edits = _overrides(store, "office")
    return tuple(_apply(o, edits.get(o.id, {})) for o in catalog.opla_offices())


def courts(store: Store) -> tuple[Place, ...]:
    """Every immigration court, with the firm's edits."""
    edits = _overrides(store, "court")
    return tuple(_apply(c, edits.get(c.id, {})) for c in catalog.courts())


def office(store: Store, office_id: str) -> Place | None:
    found = catalog.opla_office(office_id) if office_id else None
    if found is None:
        return None
    return _apply(found, _overrides(store, "office").get(found.id, {}))


def court(store: Store, court_id: str) -> Place | None:
    found = catalog.court(court_id) if court_id else None
    if found is None:
        return None
    return _apply(found, _overrides(store, "court").get(found.id, {}))


def _check(kind: str, place_id: str, changes: Mapping[str, object]) -> dict[str, str]:
    known = catalog.opla_office(place_id) if kind == "office" else catalog.court(place_id)
    what = "OPLA office" if kind == "office" else "court"
    if known is None:
        listing = "opla_offices.json" if kind == "office" else "courts.json"
        raise ValidationError(
            kind,
            f"There is no {what} {place_id!r}.",
            hint=f"Use an id from resources/{listing} (`pdpacket settings {kind}s` lists them).",
        )
    allowed = KINDS[kind]
    out: dict[str, str] = {}
    for key, value in changes.items():
        if key not in allowed:
            raise ValidationError(
                key,
                f"A {what}'s {key} cannot be edited.",
                hint="Editable: " + ", ".join(allowed) + ".",
            )
        text = "" if value is None else str(value).strip()
        if key == "email" and text and ("@" not in text or " " in text):
            raise ValidationError(
                key, f"{text!r} is not an e-mail address.", hint="Write it like name@example.gov."
            )
        if key == "max_mb" and text:
            try:
                if float(text) <= 0:
                    raise ValueError
            except ValueError:
                raise ValidationError(
                    key, f"{text!r} is not a size in MB.", hint="Give a number such as 20."
                ) from None
        if key == "subject_format" and text and "{" in text:
            try:
                text.format_map(_Probe())
            except (ValueError, IndexError) as exc:
                raise ValidationError(
                    key,
                    f"The subject line {text!r} has a brace that does not close ({exc}).",
                    hint="Use {client_name}, {a_number}, {pd_form}, {court}, {office}, {part}.",
                ) from None
        out[key] = text
    return out


class _Probe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def edit(
    store: Store, kind: str, place_id: str, changes: Mapping[str, object], *, reset: bool = False
) -> Place:
    """Store the firm's values for a place (only the fields given); ``reset``
    first forgets every edit of it, so the shipped data shows again.  An empty
    value is stored too (the firm says there is none) -- reset removes edits."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of place {kind!r}")
    values = _check(kind, place_id, changes)
    with store.transaction():
        if reset:
            store.db.execute(
                "DELETE FROM place_overrides WHERE kind = ? AND place_id = ?", (kind, place_id)
            )
        for key, value in values.items():
            store.db.execute(
                "INSERT INTO place_overrides (kind, place_id, field, value, edited_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(kind, place_id, field) DO UPDATE SET "
                "value = excluded.value, edited_at = excluded.edited_at",
                (kind, place_id, key, value, now_iso()),
            )
        store.audit(None, f"{kind}.edit", place=place_id, fields=",".join(sorted(values)))
    found = office(store, place_id) if kind == "office" else court(store, place_id)
    assert found is not None
    return found


def size_limit_mb(store: Store, edition: str, office_id: str) -> float | None:
    """The most one file of ``edition`` may hold, in MB: by e-mail, the office's
    own limit as the firm set it, else the shipped rules (``policy.rules``)."""
    if edition == "email":
        found = office(store, office_id)
        if found is not None and "max_mb" in found.edited and found.get("max_mb"):
            return float(found.get("max_mb"))
    return rules.size_limit_mb(edition, office_id)

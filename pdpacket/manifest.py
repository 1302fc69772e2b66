"""The case manifest: a JSON file that describes a case and its evidence.

A contract: scripts outside the project write these.  The original keys
(``client.name``, ``client.a_number``, ``exhibits[].title``, ``exhibits[].files``,
``exhibits[].factor``) are never renamed or dropped; everything else is an
optional extension; a key the schema does not name is refused, never ignored.

resources/manifest.schema.json is the one statement of the structure (keys,
types, required fields) and is what validates a manifest; the code then checks
what a schema cannot (factor and catalog ids, A-number, dates, that every file
exists inside the manifest's folder), all before anything is stored.
"""

from __future__ import annotations

import difflib
import functools
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pdpacket.errors import BadInputError, ManifestError, ValidationError
from pdpacket.model import (
    Client,
    DocumentRole,
    FactorAnswer,
    FileRole,
    PageSlot,
    Proceedings,
    TranslationOrder,
    Translator,
)
from pdpacket.model.identifiers import parse_a_number, parse_date, parse_receipt_number
from pdpacket.model.interview import Arrest, Charge, Entry, Interview, Relative, StatusPath
from pdpacket.policy import catalog, destinations
from pdpacket.store.interview import interview_from_dict

if TYPE_CHECKING:
    import jsonschema


@dataclass(frozen=True)
class ManifestFile:
    path: Path
    role: FileRole = FileRole.DOCUMENT
    password: str | None = None
    pages: tuple[PageSlot, ...] = ()  # page edits over the file; () for none


@dataclass(frozen=True)
class ManifestExhibit:
    title: str
    files: tuple[ManifestFile, ...]
    factor_ids: tuple[str, ...] = ()
    description: str = ""
    doc_date: str | None = None
    doc_date_end: str | None = None
    document_type: str = ""
    language: str = "English"
    section: str = ""
    included: bool = True
    translator: Translator = field(default_factory=Translator)
    translation_order: TranslationOrder = TranslationOrder.TRANSLATION_FIRST


@dataclass(frozen=True)
class Manifest:
    source: Path
    client: Client
    proceedings: Proceedings
    factors: tuple[FactorAnswer, ...]
    exhibits: tuple[ManifestExhibit, ...]
    documents: tuple[tuple[DocumentRole, ManifestFile], ...] = ()  # letter, G-28...
    # arrests[].exhibit_ids are places in ``exhibits`` (1 = the first) until imported
    interview: Interview | None = None


def _err(source: Path, where: str, message: str, hint: str = "") -> ManifestError:
    return ManifestError(f"{source.name}: {where}: {message}", hint=hint)


# What a person should do about a structural error the schema finds, by path.
_HINTS = {
    "client": 'Add "client": {"name": "...", "a_number": "..."}.',
    "client.name": "Add the client's full name.",
    "exhibits": 'Add "exhibits": [{"title": "...", "files": ["file.pdf"]}].',
    "exhibits[].title": "Give every exhibit a title.",
    "exhibits[].files[].role": "Use document, translation or certificate.",
    "exhibits[].translation_order": "Use translation_first or original_first.",
    "appearance.form": "Use g28 (before DHS) or eoir28 (before the court).",
}
_KINDS = {
    "string": "text",
    "object": "an object",
    "array": "a list",
    "boolean": "true or false",
    "null": "null",
}


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    # imported on first use: it costs the app's start about 50 ms, and only an
    # import of a manifest needs it
    import jsonschema.validators

    schema = catalog.load_json("manifest.schema.json")
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _where(path: Iterable[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def _generic(where: str) -> str:
    """``exhibits[2].files[0]`` -> ``exhibits[].files[]``: the key of ``_HINTS``."""
    return re.sub(r"\[\d+\]", "[]", where)


def check_structure(raw: Any, source: Path) -> None:
    """Refuse ``raw`` unless it has the shape resources/manifest.schema.json publishes.

    The schema is the only statement of the manifest's structure (keys, types,
    required fields, unknown keys refused); the code checks only what a schema
    cannot: ids against the catalog, identifiers, dates and files.
    """
    errors = list(_validator().iter_errors(raw))
    if errors:
        first = min(errors, key=lambda e: [(str(type(p)), p) for p in e.absolute_path])
        raise _explain(first, source)


def _explain(error: jsonschema.ValidationError, source: Path) -> ManifestError:
    where = _where(error.absolute_path) or "top level"
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "oneOf":
        # A path or an object: explain what is wrong with the object.
        if isinstance(instance, dict):
            # An unknown key says more than the "path" it may stand in for.
            inner = sorted(
                (e for e in error.context or () if e.validator != "type"),
                key=lambda e: e.validator != "additionalProperties",
            )
            if inner:
                return _explain(inner[0], source)
        return _err(source, where, 'must be a path or {"path": ..., "password": ...}.')
    if kind == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        key = next(k for k in instance if k not in known)
        close = difflib.get_close_matches(key, known, n=1)
        guess = f"; did you mean {close[0]!r}?".replace("'", '"') if close else "."
        at = f"{where}.{key}" if error.absolute_path else key
        return _err(
            source, at, f"unknown key{guess}", "Check its spelling against the manifest schema."
        )
    if kind == "required":
        key = next(k for k in value if k not in instance)
        at = f"{where}.{key}" if error.absolute_path else key
        missing = "is missing (it must be a list, possibly empty)." if at == "exhibits" else ""
        return _err(source, at, missing or "is missing.", _HINTS.get(_generic(at), ""))
    hint = _HINTS.get(_generic(where), "")
    if kind == "type":
        kinds = [value] if isinstance(value, str) else value
        wanted = " or ".join(_KINDS.get(k, k) for k in kinds if k != "null")
        return _err(source, where, f"must be {wanted}, not {type(instance).__name__}.", hint)
    if kind == "minLength":
        return _err(source, where, "is missing or empty.", hint)
    if kind == "minItems":
        return _err(source, where, "must be a non-empty list of file paths.", hint)
    if kind == "enum":
        choices = ", ".join(repr(v) for v in value if v is not None)
        return _err(source, where, f"unknown value {instance!r}.", hint or f"Use one of {choices}.")
    return _err(source, where, error.message, "Check it against resources/manifest.schema.json.")


def _str(obj: dict[str, Any], key: str, default: str = "") -> str:
    """A text value the schema already checked; ``null`` reads as the default."""
    value = obj.get(key)
    return default if value is None else str(value)


def load_manifest(path: str | os.PathLike[str]) -> Manifest:
    source = Path(path)
    try:
        raw = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(
            f"{source}: the manifest file does not exist.", hint="Check the path."
        ) from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(
            f"{source.name}: not valid JSON ({exc}).",
            hint="Check the manifest against resources/manifest.schema.json.",
        ) from exc
    if not isinstance(raw, dict):
        raise _err(source, "top level", "must be a JSON object with 'client' and 'exhibits'.")
    return parse_manifest(raw, source)


def parse_manifest(raw: dict[str, Any], source: Path) -> Manifest:
    """Check ``raw`` against the published schema, then read it and check its meaning."""
    check_structure(raw, source)
    return _read_manifest(raw, source)


def _read_manifest(raw: dict[str, Any], source: Path) -> Manifest:
    base = source.resolve().parent
    client_raw = raw["client"]
    name = _str(client_raw, "name").strip()
    if not name:
        raise _err(source, "client.name", "is missing or empty.", "Add the client's full name.")
    try:
        a_number = (
            parse_a_number(_str(client_raw, "a_number")) if client_raw.get("a_number") else ""
        )
        dob = parse_date(_str(client_raw, "dob") or None, "date of birth")
    except ValidationError as exc:
        raise _err(source, f"client.{exc.field}", exc.message, exc.hint) from exc
    client = Client(
        name=name,
        a_number=a_number,
        aliases=tuple(client_raw.get("aliases", [])),
        dob=dob,
        country=_str(client_raw, "country"),
        language=_str(client_raw, "language"),
    )
    proceedings = _parse_proceedings(raw.get("proceedings") or {}, source)
    # Factor ids are checked against the case's own framework: an id from another
    # framework would be stored, then left out of the review and the letter.
    fw = catalog.framework(proceedings.framework_id)
    factors = _parse_factors(raw.get("factors") or [], source, fw)
    exhibits = tuple(_parse_exhibit(e, i, source, base, fw) for i, e in enumerate(raw["exhibits"]))
    return Manifest(
        source=source,
        client=client,
        proceedings=proceedings,
        factors=factors,
        exhibits=exhibits,
        documents=_parse_documents(raw, source, base),
        interview=_parse_interview(raw, source, len(exhibits)),
    )


def _named(obj: Any, names: Iterable[str]) -> dict[str, Any]:
    """The keys ``names`` of a manifest object, read one by one (absent: left out)."""
    out = {}
    for name in names:
        value = obj.get(name)
        if value is not None:
            out[name] = value
    return out


def _parse_interview(raw: dict[str, Any], source: Path, n_exhibits: int) -> Interview | None:
    """The optional case interview; an arrest's ``exhibits`` are places in the
    manifest's exhibit list, counted from 1."""
    obj = raw.get("interview")
    if obj is None:
        return None
    keys = [f.name for f in fields(Interview)]
    data = _named(obj, keys)
    names: dict[str, list[str]] = {
        key: [f.name for f in fields(cls)]
        for key, cls in (
            ("entry", Entry),
            ("status_path", StatusPath),
            ("charges", Charge),
            ("relatives", Relative),
        )
    }
    for key in ("entry", "status_path"):
        if key in data:
            data[key] = _named(data[key], names[key])
    for key in ("charges", "relatives"):
        data[key] = [_named(x, names[key]) for x in data.get(key) or []]
    arrest_keys = [f.name for f in fields(Arrest) if f.name != "exhibit_ids"]
    arrests = []
    for i, a in enumerate(data.get("arrests") or []):
        places = a.get("exhibits") or []
        for n in places:
            if not 1 <= n <= n_exhibits:
                raise _err(
                    source,
                    f"interview.arrests[{i}].exhibits",
                    f"{n} is not the place of an exhibit of this manifest.",
                    f"Use 1 to {n_exhibits}: the exhibit's place in the exhibits list.",
                )
        arrests.append({**_named(a, arrest_keys), "exhibit_ids": list(places)})
    data["arrests"] = arrests
    try:
        return interview_from_dict(data)
    except ValidationError as exc:
        raise _err(source, f"interview.{exc.field}", exc.message, exc.hint) from exc


# Case-level documents: manifest key -> role.  "appearance" is a G-28 unless
# it says {"path": ..., "form": "eoir28"}.
DOCUMENT_KEYS = {
    "letter": DocumentRole.LETTER,
    "appearance": DocumentRole.G28,
    "declaration": DocumentRole.DECLARATION,
    "proposed_order": DocumentRole.PROPOSED_ORDER,
}


def _parse_documents(
    raw: dict[str, Any], source: Path, base: Path
) -> tuple[tuple[DocumentRole, ManifestFile], ...]:
    out: list[tuple[DocumentRole, ManifestFile]] = []
    for key, role in DOCUMENT_KEYS.items():
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, str):
            out.append((role, ManifestFile(_resolve_inside(base, value, source, key))))
            continue
        if key == "appearance":
            role = DocumentRole(value.get("form", "g28"))
        path = _resolve_inside(base, value["path"], source, key)
        out.append((role, ManifestFile(path, FileRole.DOCUMENT, value.get("password"))))
    return tuple(out)


def _known(source: Path, where: str, value: str, exists: bool, what: str, hint: str) -> str:
    if value and not exists:
        raise _err(source, where, f"unknown {what} {value!r}.", hint)
    return value


def _parse_proceedings(p: dict[str, Any], source: Path) -> Proceedings:
    where = "proceedings"
    try:
        hearing = parse_date(_str(p, "hearing_date") or None, "next hearing")
        decided = parse_date(_str(p, "decision_date") or None, "decision_date")
        receipts = tuple(parse_receipt_number(r) for r in p.get("receipts") or [])
    except ValidationError as exc:
        raise _err(source, f"{where}.{exc.field}", exc.message, exc.hint) from exc
    court_id, office = _str(p, "court"), _str(p, "opla_office")
    stage, form, framework = _str(p, "stage"), _str(p, "pd_form"), _str(p, "framework")
    return Proceedings(
        court_id=_known(
            source,
            f"{where}.court",
            court_id,
            bool(catalog.court(court_id)),
            "court id",
            "Use an id from resources/courts.json.",
        ),
        judge=_str(p, "judge"),
        hearing_date=hearing,
        hearing_type=_str(p, "hearing_type"),
        detained=bool(p.get("detained", False)),
        facility=_str(p, "facility"),
        opla_office_id=_known(
            source,
            f"{where}.opla_office",
            office,
            bool(catalog.opla_office(office)),
            "OPLA office id",
            "Use an id from resources/opla_offices.json.",
        ),
        receipts=receipts,
        stage=_known(
            source,
            f"{where}.stage",
            stage,
            bool(catalog.stage(stage)),
            "stage",
            "Use a stage id from resources/stages.json.",
        ),
        pd_form=_known(
            source,
            f"{where}.pd_form",
            form,
            bool(catalog.pd_form(form)),
            "PD form",
            "Use a form id from resources/stages.json.",
        ),
        framework_id=_known(
            source,
            f"{where}.framework",
            framework,
            framework in {f.id for f in catalog.frameworks()},
            "framework",
            "",
        ),
        joint_motion=bool(p.get("joint_motion", False)),
        decision_date=decided,
        destination=_destination(p, source),
        motion_grounds=_str(p, "motion_grounds"),
    )


def _destination(p: dict[str, Any], source: Path) -> str:
    """``proceedings.destination``: an id of resources/destinations.json, or absent
    (the case follows its PD form's addressee)."""
    value = _str(p, "destination")
    if value and destinations.destination(value) is None:
        message, hint = destinations.unknown_message(value)
        raise _err(source, "proceedings.destination", message, hint)
    return value


def _check_factor(source: Path, where: str, factor_id: str, fw: catalog.Framework) -> None:
    """Refuse ``factor_id`` unless the case's framework ``fw`` has it, naming the
    framework and the ids it has."""
    if fw.factor(factor_id) is not None:
        return
    framework = f"the framework {fw.id!r} ({fw.name})"
    elsewhere = [other.id for other in catalog.frameworks() if other.factor(factor_id)]
    if elsewhere:
        message = f"factor {factor_id!r} is not in {framework}; it belongs to {elsewhere[0]!r}."
    else:
        message = f"unknown factor {factor_id!r}: {framework} has no such factor."
    raise _err(
        source,
        where,
        message,
        f"The factors of {fw.id!r} are: {', '.join(f.id for f in fw.factors)}. Use one of "
        'them, or set "proceedings.framework" to the framework the case is judged under.',
    )


def _parse_factors(
    items: list[dict[str, Any]], source: Path, fw: catalog.Framework
) -> tuple[FactorAnswer, ...]:
    out = []
    for i, f in enumerate(items):
        _check_factor(source, f"factors[{i}].id", f["id"], fw)
        answer = FactorAnswer(
            factor_id=f["id"],
            applies=bool(f.get("applies", True)),
            notes=_str(f, "notes"),
            explanation=_str(f, "explanation"),
        )
        out.append(answer.with_state(f["state"]) if f.get("state") else answer)
    return tuple(out)


def _resolve_inside(base: Path, rel: str, source: Path, where: str) -> Path:
    candidate = Path(rel)
    if candidate.is_absolute() or rel.startswith(("/", "\\")) or (len(rel) > 1 and rel[1] == ":"):
        raise _err(
            source,
            where,
            f"path {rel!r} is absolute.",
            "Write paths relative to the manifest's folder.",
        )
    resolved = (base / candidate).resolve()
    if not resolved.is_relative_to(base):
        raise _err(
            source,
            where,
            f"path {rel!r} leaves the manifest's folder.",
            "Put the evidence files in the manifest's folder (or below it).",
        )
    if not resolved.is_file():
        raise _err(
            source,
            where,
            f"file {rel!r} does not exist.",
            "Check the file name, or remove it from the manifest.",
        )
    return resolved


def _parse_file(fr: str | dict[str, Any], where: str, source: Path, base: Path) -> ManifestFile:
    if isinstance(fr, str):
        return ManifestFile(_resolve_inside(base, fr, source, where))
    path = _resolve_inside(base, fr["path"], source, where)
    pages = tuple(
        PageSlot(int(p["page"]) - 1, int(p.get("rotate", 0)) // 90, bool(p.get("deleted")))
        for p in fr.get("pages") or ()
    )
    if len({p.source for p in pages}) != len(pages):
        raise _err(source, f"{where}.pages", "names a page twice.", "List each page once.")
    return ManifestFile(path, FileRole(fr.get("role", "document")), fr.get("password"), pages)


TRANSLATOR_KEYS = ("name", "address", "phone", "language")


def _parse_exhibit(
    e: dict[str, Any], i: int, source: Path, base: Path, fw: catalog.Framework
) -> ManifestExhibit:
    where = f"exhibits[{i}]"
    title = _str(e, "title").strip()
    if not title:
        raise _err(source, f"{where}.title", "is missing or empty.", "Give every exhibit a title.")
    files = [
        _parse_file(fr, f"{where}.files[{j}]", source, base) for j, fr in enumerate(e["files"])
    ]
    factor_ids: list[str] = []
    if e.get("factor") is not None:
        factor_ids.append(_str(e, "factor"))
    factor_ids.extend(x for x in e.get("factors", []) if x not in factor_ids)
    for fid in factor_ids:
        _check_factor(source, f"{where}.factor", fid, fw)
    date = _str(e, "date") or None
    date_end = _str(e, "date_end") or None
    for key, value in (("date", date), ("date_end", date_end)):
        try:
            parse_date(value, key)
        except ValidationError as exc:
            raise _err(source, f"{where}.{key}", exc.message, exc.hint) from exc
    if date_end and not date:
        raise _err(
            source,
            f"{where}.date_end",
            "is set but the exhibit has no date.",
            'Give the document\'s first date as "date" and its last as "date_end".',
        )
    first, last = parse_date(date, "date"), parse_date(date_end, "date_end")
    if first and last and last < first:
        raise _err(
            source,
            f"{where}.date_end",
            f"{last.isoformat()} comes before the exhibit's date, {first.isoformat()}.",
            '"date" is the document\'s first date and "date_end" its last.',
        )
    tr = e.get("translator") or {}
    return ManifestExhibit(
        title=title,
        files=tuple(files),
        factor_ids=tuple(factor_ids),
        description=_str(e, "description"),
        doc_date=date,
        doc_date_end=date_end,
        document_type=_str(e, "document_type"),
        language=_str(e, "language") or "English",
        section=_str(e, "section"),
        included=bool(e.get("included", True)),
        translator=Translator(**{k: tr[k] for k in TRANSLATOR_KEYS if tr.get(k) is not None}),
        translation_order=TranslationOrder(e.get("translation_order", "translation_first")),
    )


__all__ = ["BadInputError", "Manifest", "ManifestExhibit", "ManifestFile", "load_manifest"]

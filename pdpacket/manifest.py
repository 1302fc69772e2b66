"""The case manifest: a JSON file that describes a case and its evidence.

A contract: scripts outside the project write these.  The original keys
(``client.name``, ``client.a_number``, ``exhibits[].title``, ``exhibits[].files``,
``exhibits[].factor``) are never renamed or dropped; everything else is an
optional extension.  The JSON Schema lives in resources/manifest.schema.json.

Parsing checks everything (keys, factor ids, A-number, dates, that every file
exists inside the manifest's folder) before anything is stored.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pdpacket.errors import BadInputError, ManifestError, ValidationError
from pdpacket.model import (
    Client,
    DocumentRole,
    FactorAnswer,
    FileRole,
    Proceedings,
    TranslationOrder,
    Translator,
)
from pdpacket.model.identifiers import parse_a_number, parse_date, parse_receipt_number
from pdpacket.policy import catalog


@dataclass(frozen=True)
class ManifestFile:
    path: Path
    role: FileRole = FileRole.DOCUMENT
    password: str | None = None


@dataclass(frozen=True)
class ManifestExhibit:
    title: str
    files: tuple[ManifestFile, ...]
    factor_ids: tuple[str, ...] = ()
    description: str = ""
    doc_date: str | None = None
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


def _err(source: Path, where: str, message: str, hint: str = "") -> ManifestError:
    return ManifestError(f"{source.name}: {where}: {message}", hint=hint)


def _str(obj: dict[str, Any], key: str, source: Path, where: str, default: str = "") -> str:
    value = obj.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise _err(source, f"{where}.{key}", f"must be text, not {type(value).__name__}.")
    return value


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
    base = source.resolve().parent
    client_raw = raw.get("client")
    if not isinstance(client_raw, dict):
        raise _err(
            source, "client", "is missing.", 'Add "client": {"name": "...", "a_number": "..."}.'
        )
    name = _str(client_raw, "name", source, "client").strip()
    if not name:
        raise _err(source, "client.name", "is missing or empty.", "Add the client's full name.")
    try:
        a_number = (
            parse_a_number(_str(client_raw, "a_number", source, "client"))
            if (client_raw.get("a_number"))
            else ""
        )
        dob = parse_date(_str(client_raw, "dob", source, "client") or None, "date of birth")
    except ValidationError as exc:
        raise _err(source, f"client.{exc.field}", exc.message, exc.hint) from exc
    aliases = client_raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        raise _err(source, "client.aliases", "must be a list of names.")
    client = Client(
        name=name,
        a_number=a_number,
        aliases=tuple(aliases),
        dob=dob,
        country=_str(client_raw, "country", source, "client"),
        language=_str(client_raw, "language", source, "client"),
    )
    proceedings = _parse_proceedings(raw.get("proceedings") or {}, source)
    known_factors = catalog.all_factor_ids()
    factors = _parse_factors(raw.get("factors") or [], source, known_factors)

    exhibits_raw = raw.get("exhibits")
    if not isinstance(exhibits_raw, list):
        raise _err(
            source,
            "exhibits",
            "is missing (it must be a list, possibly empty).",
            'Add "exhibits": [{"title": "...", "files": ["file.pdf"]}].',
        )
    exhibits = tuple(
        _parse_exhibit(e, i, source, base, known_factors) for i, e in enumerate(exhibits_raw)
    )
    return Manifest(
        source=source,
        client=client,
        proceedings=proceedings,
        factors=factors,
        exhibits=exhibits,
        documents=_parse_documents(raw, source, base),
    )


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
        if not isinstance(value, dict) or not isinstance(value.get("path"), str):
            raise _err(source, key, 'must be a path or {"path": ..., "password": ...}.')
        if key == "appearance":
            form = value.get("form", "g28")
            if form not in ("g28", "eoir28"):
                raise _err(
                    source,
                    f"{key}.form",
                    f"unknown form {form!r}.",
                    "Use g28 (before DHS) or eoir28 (before the court).",
                )
            role = DocumentRole(form)
        pw = value.get("password")
        out.append(
            (
                role,
                ManifestFile(
                    _resolve_inside(base, value["path"], source, key),
                    FileRole.DOCUMENT,
                    pw if isinstance(pw, str) else None,
                ),
            )
        )
    return tuple(out)


def _parse_proceedings(p: Any, source: Path) -> Proceedings:
    if not isinstance(p, dict):
        raise _err(source, "proceedings", "must be an object.")
    where = "proceedings"
    try:
        hearing = parse_date(_str(p, "hearing_date", source, where) or None, "next hearing")
        receipts = tuple(parse_receipt_number(r) for r in p.get("receipts", []) or [])
    except ValidationError as exc:
        raise _err(source, f"{where}.{exc.field}", exc.message, exc.hint) from exc
    court_id = _str(p, "court", source, where)
    if court_id and not catalog.court(court_id):
        raise _err(
            source,
            f"{where}.court",
            f"unknown court id {court_id!r}.",
            "Use an id from resources/courts.json.",
        )
    office = _str(p, "opla_office", source, where)
    if office and not catalog.opla_office(office):
        raise _err(
            source,
            f"{where}.opla_office",
            f"unknown OPLA office id {office!r}.",
            "Use an id from resources/opla_offices.json.",
        )
    stage = _str(p, "stage", source, where)
    if stage and not catalog.stage(stage):
        raise _err(
            source,
            f"{where}.stage",
            f"unknown stage {stage!r}.",
            "Use a stage id from resources/stages.json.",
        )
    form = _str(p, "pd_form", source, where)
    if form and not catalog.pd_form(form):
        raise _err(
            source,
            f"{where}.pd_form",
            f"unknown PD form {form!r}.",
            "Use a form id from resources/stages.json.",
        )
    framework = _str(p, "framework", source, where)
    if framework and framework not in {f.id for f in catalog.frameworks()}:
        raise _err(source, f"{where}.framework", f"unknown framework {framework!r}.")
    return Proceedings(
        court_id=court_id,
        judge=_str(p, "judge", source, where),
        hearing_date=hearing,
        hearing_type=_str(p, "hearing_type", source, where),
        detained=bool(p.get("detained", False)),
        facility=_str(p, "facility", source, where),
        opla_office_id=office,
        receipts=receipts,
        stage=stage,
        pd_form=form,
        framework_id=framework,
        joint_motion=bool(p.get("joint_motion", False)),
    )


def _parse_factors(items: Any, source: Path, known: frozenset[str]) -> tuple[FactorAnswer, ...]:
    if not isinstance(items, list):
        raise _err(source, "factors", "must be a list.")
    out = []
    for i, f in enumerate(items):
        where = f"factors[{i}]"
        if not isinstance(f, dict) or not isinstance(f.get("id"), str):
            raise _err(source, where, 'must be an object with an "id".')
        if f["id"] not in known:
            raise _err(
                source,
                f"{where}.id",
                f"unknown factor {f['id']!r}.",
                "Use a factor id from resources/frameworks/.",
            )
        out.append(
            FactorAnswer(
                factor_id=f["id"],
                applies=bool(f.get("applies", True)),
                notes=_str(f, "notes", source, where),
                explanation=_str(f, "explanation", source, where),
            )
        )
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


def _parse_exhibit(
    e: Any, i: int, source: Path, base: Path, known: frozenset[str]
) -> ManifestExhibit:
    where = f"exhibits[{i}]"
    if not isinstance(e, dict):
        raise _err(source, where, "must be an object.")
    title = _str(e, "title", source, where).strip()
    if not title:
        raise _err(source, f"{where}.title", "is missing or empty.", "Give every exhibit a title.")
    files_raw = e.get("files")
    if not isinstance(files_raw, list) or not files_raw:
        raise _err(source, f"{where}.files", "must be a non-empty list of file paths.")
    files = []
    for j, fr in enumerate(files_raw):
        fwhere = f"{where}.files[{j}]"
        if isinstance(fr, str):
            files.append(ManifestFile(_resolve_inside(base, fr, source, fwhere)))
        elif isinstance(fr, dict) and isinstance(fr.get("path"), str):
            role = fr.get("role", "document")
            if role not in {r.value for r in FileRole}:
                raise _err(
                    source,
                    f"{fwhere}.role",
                    f"unknown role {role!r}.",
                    "Use document, translation or certificate.",
                )
            pw = fr.get("password")
            files.append(
                ManifestFile(
                    _resolve_inside(base, fr["path"], source, fwhere),
                    FileRole(role),
                    pw if isinstance(pw, str) else None,
                )
            )
        else:
            raise _err(source, fwhere, 'must be a path or {"path": ..., "password": ...}.')
    factor_ids: list[str] = []
    if e.get("factor") is not None:
        factor_ids.append(_str(e, "factor", source, where))
    extra = e.get("factors", [])
    if not isinstance(extra, list):
        raise _err(source, f"{where}.factors", "must be a list of factor ids.")
    factor_ids.extend(x for x in extra if x not in factor_ids)
    for fid in factor_ids:
        if fid not in known:
            raise _err(
                source,
                f"{where}.factor",
                f"unknown factor {fid!r}.",
                "Use a factor id from resources/frameworks/ (e.g. long_residence).",
            )
    date = _str(e, "date", source, where) or None
    try:
        parse_date(date, "date")
    except ValidationError as exc:
        raise _err(source, f"{where}.date", exc.message, exc.hint) from exc
    tr = e.get("translator") or {}
    if not isinstance(tr, dict):
        raise _err(source, f"{where}.translator", "must be an object.")
    try:
        order = TranslationOrder(e.get("translation_order", "translation_first"))
    except ValueError as exc:
        raise _err(
            source,
            f"{where}.translation_order",
            "unknown order.",
            "Use translation_first or original_first.",
        ) from exc
    return ManifestExhibit(
        title=title,
        files=tuple(files),
        factor_ids=tuple(factor_ids),
        description=_str(e, "description", source, where),
        doc_date=date,
        document_type=_str(e, "document_type", source, where),
        language=_str(e, "language", source, where, "English") or "English",
        section=_str(e, "section", source, where),
        included=bool(e.get("included", True)),
        translator=Translator(
            **{k: str(v) for k, v in tr.items() if k in ("name", "address", "phone", "language")}
        ),
        translation_order=order,
    )


__all__ = ["BadInputError", "Manifest", "ManifestExhibit", "ManifestFile", "load_manifest"]

"""The policy data in resources/: frameworks, factors, stages, PD forms,
document types, courts and OPLA offices.

Data, not code: a firm edits the JSON files; this module only reads them
(through importlib.resources, so installed wheels find them too).
"""

from __future__ import annotations

import functools
import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from pdpacket.model import Polarity

# the records are model types (the window names them); callers of the catalogue
# find them here as well
from pdpacket.model.policy import DocumentType as DocumentType
from pdpacket.model.policy import Factor as Factor
from pdpacket.model.policy import Framework as Framework
from pdpacket.model.policy import PdForm as PdForm
from pdpacket.model.policy import Place as Place
from pdpacket.model.policy import Stage as Stage

RESOURCE_PACKAGE = "pdpacket.resources"


def resource_root() -> Traversable:
    return resources.files(RESOURCE_PACKAGE)


def load_json(name: str) -> Any:
    return json.loads(resource_root().joinpath(name).read_text(encoding="utf-8"))


def _framework(data: dict[str, Any]) -> Framework:
    factors = tuple(
        Factor(
            id=f["id"],
            label=f["label"],
            help=f.get("help", ""),
            polarity=Polarity(f["polarity"]),
            category=f.get("category", ""),
            document_types=tuple(f.get("document_types", ())),
            requires_disposition=bool(f.get("requires_disposition", False)),
        )
        for f in data["factors"]
    )
    return Framework(
        id=data["id"],
        name=data["name"],
        version=str(data.get("version", "")),
        in_force_from=data.get("in_force_from", ""),
        in_force_to=data.get("in_force_to"),
        verified_on=data.get("verified_on", ""),
        default=bool(data.get("default", False)),
        description=data.get("description", ""),
        source=data.get("source", ""),
        priorities=tuple(data.get("priorities", ())),
        factors=factors,
    )


@functools.cache
def frameworks() -> tuple[Framework, ...]:
    folder = resource_root().joinpath("frameworks")
    found = [
        _framework(json.loads(entry.read_text(encoding="utf-8")))
        for entry in sorted(folder.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".json")
    ]
    found.sort(key=lambda f: (not f.default, f.name))
    return tuple(found)


def framework(framework_id: str = "") -> Framework:
    """The framework with ``framework_id``; the default one when empty or unknown."""
    all_ = frameworks()
    for f in all_:
        if f.id == framework_id:
            return f
    return next((f for f in all_ if f.default), all_[0])


def all_factor_ids() -> frozenset[str]:
    return frozenset(f.id for fw in frameworks() for f in fw.factors)


@functools.cache
def _stages_data() -> dict[str, Any]:
    data: dict[str, Any] = load_json("stages.json")
    return data


@functools.cache
def pd_forms() -> tuple[PdForm, ...]:
    return tuple(
        PdForm(
            id=f["id"],
            label=f["label"],
            hook=f.get("hook", ""),
            addressee=f.get("addressee", "opla"),
            consequences=f.get("consequences", ""),
            joint_motion=bool(f.get("joint_motion", False)),
        )
        for f in _stages_data()["forms"]
    )


@functools.cache
def stages() -> tuple[Stage, ...]:
    return tuple(
        Stage(
            id=s["id"],
            label=s["label"],
            forms=tuple(s["forms"]),
            court_filing=bool(s.get("court_filing", False)),
        )
        for s in _stages_data()["stages"]
    )


def pd_form(form_id: str) -> PdForm | None:
    return next((f for f in pd_forms() if f.id == form_id), None)


def stage(stage_id: str) -> Stage | None:
    return next((s for s in stages() if s.id == stage_id), None)


def form_fits_stage(form_id: str, stage_id: str) -> bool:
    s = stage(stage_id)
    return bool(s and form_id in s.forms)


def _places(name: str, key: str) -> tuple[Place, ...]:
    data = load_json(name)
    known = {"id", "name", "city", "state", "address", "email", "source", "verified_on"}
    return tuple(
        Place(
            id=p["id"],
            name=p["name"],
            city=p.get("city", ""),
            state=p.get("state", ""),
            address=p.get("address", ""),
            email=p.get("email", ""),
            extra=tuple((k, v) for k, v in p.items() if k not in known),
            source=p.get("source", ""),
            verified_on=p.get("verified_on", ""),
        )
        for p in data[key]
    )


@functools.cache
def courts() -> tuple[Place, ...]:
    return _places("courts.json", "courts")


@functools.cache
def opla_offices() -> tuple[Place, ...]:
    return _places("opla_offices.json", "offices")


def court(court_id: str) -> Place | None:
    return next((c for c in courts() if c.id == court_id), None)


def opla_office(office_id: str) -> Place | None:
    return next((o for o in opla_offices() if o.id == office_id), None)


@functools.cache
def document_types() -> tuple[DocumentType, ...]:
    data = load_json("document_types.json")
    return tuple(
        DocumentType(
            id=d["id"],
            label=d["label"],
            category=d.get("category", ""),
            keywords=tuple(k.lower() for k in d.get("keywords", ())),
            factor_ids=tuple(d.get("factor_ids", ())),
        )
        for d in data["document_types"]
    )


def guess_document_type(filename: str) -> DocumentType | None:
    """The document type whose longest keyword appears in ``filename``."""
    name = filename.lower().replace("_", " ").replace("-", " ")
    best: tuple[int, DocumentType] | None = None
    for dtype in document_types():
        for kw in dtype.keywords:
            k = kw.replace("_", " ").replace("-", " ")
            if k and k in name and (best is None or len(k) > best[0]):
                best = (len(k), dtype)
    return best[1] if best else None

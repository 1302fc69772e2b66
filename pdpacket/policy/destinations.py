"""Where a request goes (resources/destinations.json): an OPLA request by e-mail
or eService, a court motion (ECAS, or paper for a paper record), a joint
motion, or a request to ERO.  One choice decides the packet's parts, caption,
"via" line and service; everything that builds or checks a packet asks here.
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from pdpacket.model import BuildOptions, Proceedings
from pdpacket.model.policy import Destination
from pdpacket.policy import catalog

__all__ = [
    "Destination",
    "conflicts",
    "default_id",
    "destination",
    "destinations",
    "for_proceedings",
    "ids",
    "resolve_options",
    "service_method",
    "unknown_message",
    "wants_certificate",
]


@functools.cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = catalog.load_json("destinations.json")
    return data


def _destination(d: dict[str, Any]) -> Destination:
    return Destination(
        id=d["id"],
        label=d["label"],
        summary=d.get("summary", ""),
        addressee=d.get("addressee", "opla"),
        sent_by=d.get("sent_by", ""),
        via=d.get("via", ""),
        caption=d.get("caption", "none"),
        cover_title=d.get("cover_title", ""),
        cover_mark=d.get("cover_mark", ""),
        appearance_form=d.get("appearance_form", ""),
        certificate_of_service=bool(d.get("certificate_of_service", False)),
        service_method=d.get("service_method", ""),
        motion=bool(d.get("motion", False)),
        proposed_order=bool(d.get("proposed_order", False)),
        dhs_signature_block=bool(d.get("dhs_signature_block", False)),
        edition=d.get("edition", "standard"),
        source=d.get("source", ""),
        verified_on=d.get("verified_on", ""),
    )


@functools.cache
def destinations() -> tuple[Destination, ...]:
    return tuple(_destination(d) for d in _data()["destinations"])


def ids() -> tuple[str, ...]:
    return tuple(d.id for d in destinations())


def destination(destination_id: str) -> Destination | None:
    return next((d for d in destinations() if d.id == destination_id), None)


def unknown_message(destination_id: str) -> tuple[str, str]:
    """(message, hint) for an id that is not a destination."""
    return (
        f"unknown destination {destination_id!r}.",
        "Use one of: " + ", ".join(ids()) + " (resources/destinations.json).",
    )


def default_id(pd_form: str = "", joint_motion: bool = False) -> str:
    """The destination a case gets when none is chosen: from its PD form's
    addressee in stages.json (a joint-motion form: the joint motion)."""
    defaults: dict[str, str] = _data().get("default_by_addressee", {})
    form = catalog.pd_form(pd_form) if pd_form else None
    if joint_motion or (form is not None and form.joint_motion):
        key = "joint_motion"
    else:
        key = form.addressee if form is not None else "opla"
    return defaults.get(key) or defaults.get("opla") or destinations()[0].id


def for_proceedings(p: Proceedings) -> Destination:
    """The case's destination: the one chosen, else the default for its form."""
    chosen = destination(p.destination) if p.destination else None
    if chosen is not None:
        return chosen
    found = destination(default_id(p.pd_form, p.joint_motion))
    return found or destinations()[0]


def wants_certificate(dest: Destination, options: BuildOptions) -> bool:
    """Whether the packet carries a certificate of service: the explicit option, else
    the destination's rule."""
    if options.certificate_of_service is None:
        return dest.certificate_of_service
    return bool(options.certificate_of_service)


def service_method(dest: Destination, options: BuildOptions) -> str:
    if options.certificate_of_service is None:
        return dest.service_method or "ecas"
    return options.service_method or "ecas"


def resolve_options(options: BuildOptions, dest: Destination) -> BuildOptions:
    """``options`` with the destination's certificate of service filled in where
    the caller left it to the destination (``None``)."""
    return dataclasses.replace(
        options,
        certificate_of_service=wants_certificate(dest, options),
        service_method=service_method(dest, options),
    )


def conflicts(dest: Destination, certificate: bool | None, method: str) -> list[str]:
    """What an explicit service choice says against the destination (empty: none)."""
    if certificate is None:
        return []
    out = []
    if certificate and not dest.certificate_of_service:
        why = (
            "both parties sign a joint motion"
            if dest.joint
            else "the request goes to its recipient, who is not served"
        )
        out.append(f"a certificate of service on \u201c{dest.label}\u201d ({why})")
    elif not certificate and dest.certificate_of_service:
        out.append(f"no certificate of service on \u201c{dest.label}\u201d, a court filing")
    elif certificate and dest.sent_by == "ecas" and method != "ecas":
        out.append(
            f"service by {method} on \u201c{dest.label}\u201d, which is e-filed through ECAS"
        )
    return out

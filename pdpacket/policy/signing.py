"""resources/signatures.json: who signs which document, and where the firm may
sign electronically by default (per destination of resources/destinations.json).
"""

from __future__ import annotations

import functools
from typing import Any

from pdpacket.policy import catalog
from pdpacket.policy import destinations as destination_table


@functools.cache
def data() -> dict[str, Any]:
    found: dict[str, Any] = catalog.load_json("signatures.json")
    return found


def destinations() -> tuple[tuple[str, str], ...]:
    """(id, label) of every destination, in the order resources/destinations.json lists them."""
    return tuple((d.id, d.label) for d in destination_table.destinations())


def electronic_default(destination_id: str) -> bool:
    """Whether pdpacket lets the firm sign electronically for ``destination_id``
    until the firm says otherwise (an unknown destination: no)."""
    entry = data().get("electronic_signature_defaults", {}).get(destination_id) or {}
    return bool(entry.get("allowed", False))


def document_label(document: str, *, motion: bool = False) -> str:
    entry = data().get("documents", {}).get(document) or {}
    if motion and entry.get("motion_label"):
        return str(entry["motion_label"])
    return str(entry.get("label") or document.replace("_", " ").capitalize())


def signer_label(signer: str) -> str:
    return str(data().get("signer_labels", {}).get(signer) or signer)


def wet_note() -> str:
    return str(data().get("wet_note") or "To be signed in ink")


def attorney_title() -> str:
    return str(data().get("attorney_title") or "Attorney for {ref}")

"""The review's rules file (resources/review_rules.json) read once for every
feature that needs a threshold from it: the filing deadline, the size limits
and the rules a firm sets per OPLA office.  The packet's editions and the
readiness review ask the same functions, so a limit is written in one place."""

from __future__ import annotations

import functools
from typing import Any

from pdpacket.policy import catalog

# What the e-filing system and a typical OPLA mailbox accept when the rules
# file says nothing (it ships with both set).
EFILE_MB = 25.0
EMAIL_MB = 20.0


@functools.cache
def review_rules() -> dict[str, Any]:
    """Read once per process: the rules file ships with the app."""
    data: dict[str, Any] = catalog.load_json("review_rules.json")
    return data


def office_rules(office_id: str | None) -> dict[str, Any]:
    """The firm's own settings for one OPLA office ({} when it has none)."""
    if not office_id:
        return {}
    found: dict[str, Any] = review_rules().get("offices", {}).get(office_id, {}) or {}
    return found


def size_limit_mb(edition: str, office_id: str | None = None) -> float | None:
    """The most one file of ``edition`` may hold, in MB; ``None`` when that
    edition has no limit (standard, print).  The e-mail limit is the office's
    own when the firm or the office data sets one."""
    limits = review_rules().get("size_limits_mb", {})
    if edition == "efile":
        return float(limits.get("efile") or EFILE_MB)
    if edition == "email":
        office = catalog.opla_office(office_id) if office_id else None
        mb = office_rules(office_id).get("max_mb") or (office.get("max_mb") if office else None)
        return float(mb or limits.get("email") or EMAIL_MB)
    mb = limits.get(edition)
    return float(mb) if mb else None

"""The filing deadline before the next hearing: one rule, read by the review and
by the window's hearing field.

Filings with the court are due a number of days before the hearing
(``filing_deadline_days`` in review_rules.json; a firm may set its own per OPLA
office).  Where it binds (``filing_deadline_scope``, with its source: a filing
with the court of a non-detained case) a passed deadline is an error; elsewhere
(a detained case, whose deadlines the court sets; a request to OPLA or ERO) the
hearing close by is a warning.
"""

from __future__ import annotations

from pdpacket.model import Proceedings
from pdpacket.model.policy import FilingDeadline
from pdpacket.policy import destinations
from pdpacket.policy.rules import office_rules, review_rules

HEARING_KINDS = {"master": "a master calendar hearing", "individual": "an individual hearing"}


def deadline_days(office_id: str = "") -> int:
    """The firm's deadline for the office, else the rules' own (15)."""
    found = office_rules(office_id).get("filing_deadline_days")
    return int(found or review_rules().get("filing_deadline_days", 15))


def filing_deadline(p: Proceedings) -> FilingDeadline | None:
    """The deadline before the case's next hearing (None: no hearing entered)."""
    if p.hearing_date is None:
        return None
    dest = destinations.for_proceedings(p)
    # where the deadline binds, as data with its source (review_rules.json)
    scope = review_rules().get("filing_deadline_scope") or {}
    binds = dest.addressee in scope.get("addressees", ["court"]) and (
        scope.get("detained", False) or not p.detained
    )
    return FilingDeadline(
        hearing=p.hearing_date,
        days_before=deadline_days(p.opla_office_id),
        with_court=binds,
        kind=HEARING_KINDS.get(p.hearing_type, "the hearing"),
    )

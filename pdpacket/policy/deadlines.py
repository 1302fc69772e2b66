"""The filing deadline before the next hearing: one rule, read by the review and
by the window's hearing field.

Filings with the court are due a number of days before the hearing
(``filing_deadline_days`` in review_rules.json, 15 for master calendar hearings,
a firm may set its own per OPLA office).  It binds a filing *with the court* of a
non-detained case; in a detained case the judge sets the deadlines, and a request
addressed to OPLA or ERO has no filing deadline, only the hearing to beat.
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
    return FilingDeadline(
        hearing=p.hearing_date,
        days_before=deadline_days(p.opla_office_id),
        with_court=dest.addressee == "court" and not p.detained,
        kind=HEARING_KINDS.get(p.hearing_type, "the hearing"),
    )

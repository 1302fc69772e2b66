"""Which law a case is judged under: a framework's in-force dates, the date a
request is judged on, and the factor answers a case's framework does not have.

A framework (resources/frameworks/*.json) is in force from ``in_force_from``
(inclusive) to ``in_force_to`` (exclusive: the day it was revoked; empty means
still in force).  A request is judged on the letter's date, or on the date of
the earlier decision it concerns when the case records one
(``Proceedings.decision_date``).  The review and the letter both ask here, so
they cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from pdpacket.model import FactorAnswer, Polarity, Proceedings
from pdpacket.model.policy import Factor, Framework
from pdpacket.policy import catalog


def in_force_on(fw: Framework, day: dt.date) -> bool:
    """Whether ``fw`` was in force on ``day`` (``Framework.in_force_on``)."""
    return fw.in_force_on(day)


def judged_on(p: Proceedings, today: dt.date) -> dt.date:
    """The date the case's framework must be in force on: the earlier decision's
    date when the request concerns one, else the request's (the letter's) date."""
    return p.decision_date or today


def framework_applies(fw: Framework, p: Proceedings, today: dt.date) -> bool:
    return in_force_on(fw, judged_on(p, today))


def in_force_label(fw: Framework) -> str:
    """``in force 2021-11-29 to 2025-01-20`` / ``in force since 2025-01-20``."""
    if fw.in_force_to:
        return f"in force {fw.in_force_from or '?'} to {fw.in_force_to}"
    return f"in force since {fw.in_force_from}" if fw.in_force_from else "in force"


def frameworks_in_force(day: dt.date) -> tuple[Framework, ...]:
    return tuple(f for f in catalog.frameworks() if in_force_on(f, day))


def factor_anywhere(factor_id: str) -> Factor:
    """The factor ``factor_id`` as the first framework that has it defines it; a
    factor no framework knows (an old case) gets its id as label, so it can still
    be named and printed rather than dropped."""
    for fw in catalog.frameworks():
        found = fw.factor(factor_id)
        if found is not None:
            return found
    label = factor_id.replace("_", " ").strip().capitalize() or "Unnamed factor"
    return Factor(id=factor_id, label=label, help="", polarity=Polarity.POSITIVE)


def carries_an_answer(answer: FactorAnswer, factor: Factor) -> bool:
    """Whether an answer says something the letter prints: it applies, or it is a
    negative factor answered "no" ("has never been arrested")."""
    return answer.applies or factor.polarity == Polarity.NEGATIVE


def stray_factors(fw: Framework, answers: Mapping[str, FactorAnswer]) -> tuple[Factor, ...]:
    """The factors of stored answers that ``fw`` lacks (the framework was changed
    after answering), in answer order, only those whose answer says something."""
    out = []
    for fid, answer in answers.items():
        if fw.factor(fid) is not None:
            continue
        factor = factor_anywhere(fid)
        if carries_an_answer(answer, factor):
            out.append(factor)
    return tuple(out)


def case_factors(fw: Framework, answers: Mapping[str, FactorAnswer]) -> tuple[Factor, ...]:
    """The framework's factors, then those of the case's answers it lacks: what
    the letter and the review go through, so that no answer is dropped."""
    return (*fw.factors, *stray_factors(fw, answers))


def missing_factor_ids(fw: Framework, ids: Iterable[str]) -> list[str]:
    """The ids of ``ids`` that ``fw`` does not have, in order, once each."""
    return [i for i in dict.fromkeys(ids) if fw.factor(i) is None]


__all__ = [
    "carries_an_answer",
    "case_factors",
    "factor_anywhere",
    "framework_applies",
    "frameworks_in_force",
    "in_force_label",
    "in_force_on",
    "judged_on",
    "missing_factor_ids",
    "stray_factors",
]

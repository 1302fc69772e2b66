"""What every check of the readiness review reads: the case, its exhibits,
answers, letter and builds, gathered once; and how a check turns a rule of
resources/review_rules.json into a finding."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pdpacket.model import (
    BuildOptions,
    BuildRecord,
    Case,
    CaseDocument,
    Exhibit,
    FactorAnswer,
    Finding,
    Letter,
    Location,
    Severity,
)
from pdpacket.model.interview import Interview
from pdpacket.policy import catalog
from pdpacket.policy import rules as policy_rules
from pdpacket.policy.templates import fill
from pdpacket.store.database import Store


def rules() -> dict[str, Any]:
    return policy_rules.review_rules()


@dataclass
class ReviewContext:
    """One case as the checks see it, read once per review."""

    store: Store
    case: Case
    today: dt.date
    edition: str | None
    exhibits: list[Exhibit]
    answers: dict[str, FactorAnswer]
    framework: catalog.Framework
    letter: Letter | None
    builds: list[BuildRecord]
    documents: list[CaseDocument] = field(default_factory=list)
    office_rules: dict[str, Any] = field(default_factory=dict)
    options: BuildOptions | None = None  # the build about to run, if any
    interview: Interview = field(default_factory=Interview)  # the case interview

    @property
    def included(self) -> list[Exhibit]:
        # Left in by the user, with a file or not (not ``Exhibit.in_packet``): the
        # review must see an included exhibit still missing its file to flag it.
        return [e for e in self.exhibits if e.included]

    def finding(self, code: str, object_id: object = "", **values: object) -> Finding | None:
        rule = dict(rules()["rules"].get(code) or {})
        if not rule:
            raise KeyError(f"review rule {code!r} is not in review_rules.json")
        rule.update(self.office_rules.get("rules", {}).get(code, {}))
        severity = str(rule.get("severity", "error"))
        if severity == "off":
            return None
        values = {"case": self.case.id, **values}
        return Finding(
            code=code,
            severity=Severity(severity),
            message=fill(rule.get("message", code), values),
            fix=fill(rule.get("fix", ""), values),
            location=Location(rule.get("step", "client"), str(object_id) if object_id else ""),
        )

"""Current law by construction, and nothing entered is dropped.

A framework not in force on the request's date is a review error unless the
case records the earlier decision the request concerns; the letter speaks of a
rescinded framework only in the past tense.  A manifest's factor ids must be
factors of the case's framework, and a stored answer the framework lacks is
an error in the review and still printed in the letter.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from pdpacket.cli import main
from pdpacket.letter.draft import compose_draft
from pdpacket.model import Attorney, Client, FactorAnswer, Proceedings, Severity
from pdpacket.policy import catalog, law
from tests.core.test_review import TODAY, good_case

HISTORICAL = "dhs-2021-opla-2022"


def _findings(ws, case_id, today=TODAY):
    return {f.code: f for f in ws.review(case_id, today=today)}


def _draft(ws, case_id, today=TODAY):
    case = ws.store.get_case(case_id)
    return compose_draft(
        case,
        ws.store.factor_answers(case_id),
        ws.store.list_exhibits(case_id),
        ws.store.attorney(),
        today=today,
    )


# ---- in-force dates ---------------------------------------------------------------
def test_frameworks_carry_their_in_force_dates():
    hist, general = catalog.framework(HISTORICAL), catalog.framework("general")
    assert law.in_force_on(hist, dt.date(2024, 6, 3))
    assert not law.in_force_on(hist, dt.date(2025, 1, 20))  # revoked that day
    assert not law.in_force_on(hist, dt.date(2021, 11, 28))
    assert law.in_force_on(general, dt.date(2025, 1, 20))
    assert law.in_force_on(general, TODAY)
    assert law.frameworks_in_force(TODAY) == (general,)
    assert law.in_force_label(hist) == "in force 2021-11-29 to 2025-01-20"


def test_every_framework_date_reads_and_the_default_is_in_force_today():
    for fw in catalog.frameworks():
        assert dt.date.fromisoformat(fw.in_force_from), fw.id
        if fw.in_force_to:
            assert dt.date.fromisoformat(fw.in_force_to) > dt.date.fromisoformat(fw.in_force_from)
    assert catalog.framework().in_force_on(dt.date.today())


def test_a_framework_out_of_force_is_a_review_error(workspace, tmp_path):
    case_id, _ = good_case(workspace, tmp_path / "ev")
    assert "framework.not_in_force" not in _findings(workspace, case_id)
    workspace.store.update_proceedings(case_id, framework_id=HISTORICAL)
    found = _findings(workspace, case_id)["framework.not_in_force"]
    assert found.severity == Severity.ERROR and found.location.step == "stage"
    assert "2021 DHS Enforcement Guidelines" in found.message
    assert "in force 2021-11-29 to 2025-01-20" in found.message
    assert "General case-by-case discretion" in found.fix and "decision" in found.fix
    # the letter prompts the attorney instead of stating the rescinded guidance
    draft = _draft(workspace, case_id)
    assert "falls outside the enforcement priorities" not in draft
    assert "is not in force on the date of this letter" in draft


def test_an_earlier_decision_makes_the_framework_apply_in_the_past_tense(workspace, tmp_path):
    case_id, _ = good_case(workspace, tmp_path / "ev")
    workspace.store.update_proceedings(
        case_id, framework_id=HISTORICAL, decision_date=dt.date(2024, 6, 3)
    )
    found = _findings(workspace, case_id)
    assert "framework.not_in_force" not in found
    assert "framework.not_in_force_at_decision" not in found
    draft = _draft(workspace, case_id)
    assert "At the time of the decision of June 3, 2024" in draft
    assert "were in force" in draft and "not as current policy" in draft
    assert "falls outside" not in draft and "weigh decisively" not in draft
    # the same case with a decision after the revocation is an error again
    workspace.store.update_proceedings(case_id, decision_date="2025-03-01")
    bad = _findings(workspace, case_id)["framework.not_in_force_at_decision"]
    assert bad.severity == Severity.ERROR and "March 1, 2025" in bad.message


def test_the_decision_date_is_stored_and_read_back(workspace):
    case_id = workspace.create_case(
        Client(name="Ana"), Proceedings(framework_id=HISTORICAL, decision_date=dt.date(2023, 1, 9))
    )
    assert workspace.store.get_case(case_id).proceedings.decision_date == dt.date(2023, 1, 9)
    workspace.store.update_proceedings(case_id, decision_date=None)
    assert workspace.store.get_case(case_id).proceedings.decision_date is None


def test_the_current_framework_sentence_is_present_tense_only_while_in_force(workspace):
    case_id = workspace.create_case(Client(name="Ana"), Proceedings(framework_id=HISTORICAL))
    case = workspace.store.get_case(case_id)
    while_in_force = compose_draft(case, {}, [], Attorney(), today=dt.date(2023, 5, 1))
    assert "falls outside the enforcement priorities" in while_in_force
    assert "falls outside" not in compose_draft(case, {}, [], Attorney(), today=TODAY)


def test_every_framework_sentence_is_data_with_its_source():
    parts = catalog.load_json("templates/letter_parts.json")
    for fw in catalog.frameworks():
        entry = parts["frameworks"][fw.id]
        assert entry["source"] and entry["verified_on"], fw.id
        if fw.in_force_to:  # a rescinded framework needs its past-tense sentence
            assert "{decision_date}" in entry["historical"]
            assert re.search(r"\b(were|was) in force\b", entry["historical"])
    # the consequences a form has are advice for the client, not text for OPLA
    text = json.dumps(parts)
    assert "Counsel has advised" not in text and "realistic path" not in text


# ---- nothing entered is dropped -------------------------------------------------------
def _manifest(manifest_factory, **proceedings):
    data = {
        "client": {"name": "Ana Test"},
        "proceedings": proceedings,
        "factors": [{"id": "long_residence", "notes": "since 2005"}],
        "exhibits": [{"title": "Lease", "files": ["lease.pdf"], "factor": "long_residence"}],
    }
    return data, lambda d: manifest_factory(d)


@pytest.mark.parametrize("where", ["factors", "exhibit"])
def test_a_manifest_factor_from_another_framework_exits_2_naming_it(
    manifest_factory, tmp_path, capsys, where
):
    data, write = _manifest(manifest_factory, framework=HISTORICAL)
    if where == "factors":
        data["factors"].append({"id": "criminal_history", "notes": "DWI arrest, 2019"})
    else:
        data["exhibits"][0]["factors"] = ["criminal_history"]
    code = main(["--data-dir", str(tmp_path / "d"), "import", str(write(data))])
    err = capsys.readouterr().err
    assert code == 2
    assert "'criminal_history' is not in the framework 'dhs-2021-opla-2022'" in err
    assert "it belongs to 'general'" in err
    assert "time_since_offense_rehabilitation" in err  # the ids the framework has


def test_a_manifest_without_a_framework_is_checked_against_the_default(
    manifest_factory, tmp_path, capsys
):
    data, write = _manifest(manifest_factory)
    data["factors"].append({"id": "offense_harm"})  # only the historical framework has it
    code = main(["--data-dir", str(tmp_path / "d"), "import", str(write(data))])
    err = capsys.readouterr().err
    assert code == 2 and "'offense_harm' is not in the framework 'general'" in err
    assert "criminal_history" in err  # the default framework's ids are listed
    data["factors"][-1] = {"id": "criminal_history", "applies": False}
    assert main(["--data-dir", str(tmp_path / "d"), "import", str(write(data))]) == 0


def test_a_manifest_decision_date_is_imported(manifest_factory, workspace):
    data, write = _manifest(manifest_factory, framework=HISTORICAL, decision_date="2024-06-03")
    case_id = workspace.import_manifest(write(data))
    p = workspace.store.get_case(case_id).proceedings
    assert p.framework_id == HISTORICAL and p.decision_date == dt.date(2024, 6, 3)


def test_a_stored_answer_the_framework_lacks_is_an_error_and_stays_in_the_letter(
    workspace, tmp_path
):
    case_id, _ = good_case(workspace, tmp_path / "ev")
    workspace.store.set_factor_answer(
        case_id,
        FactorAnswer(
            "criminal_history",
            True,
            "Arrested for DWI in Queens in 2019.",
            "Pleaded to DWAI, a traffic infraction; completed the program.",
        ),
    )
    # the framework is changed in the window after answering
    workspace.store.update_proceedings(
        case_id, framework_id=HISTORICAL, decision_date=dt.date(2024, 6, 3)
    )
    stray = [
        f for f in workspace.review(case_id, today=TODAY) if f.code == "factor.not_in_framework"
    ]
    by_id = {f.location.object_id: f for f in stray}
    dwi = by_id["criminal_history"]
    assert dwi.severity == Severity.ERROR and dwi.location.step == "factors"
    assert '"Criminal history"' in dwi.message and "Arrested for DWI" in dwi.message
    assert "2021 DHS Enforcement Guidelines" in dwi.message
    # the other general-only answers the case holds are named too
    assert {"criminal_history", "prior_removal_reentry", "immigration_fraud"} <= set(by_id)
    draft = _draft(workspace, case_id)
    assert "## Criminal history" in draft
    assert "Arrested for DWI in Queens in 2019." in draft
    assert "completed the program" in draft
    assert "has no prior removal order" in draft  # a general-only "no" is kept too
    # the drafted letter discusses it, so only the framework finding remains for it
    workspace.refresh_letter(case_id)
    assert "letter.negative_not_addressed" not in _findings(workspace, case_id)


def test_an_answer_no_framework_knows_is_printed_under_its_id(workspace):
    case_id = workspace.create_case(Client(name="Ana"), Proceedings())
    workspace.store.set_factor_answer(case_id, FactorAnswer("old_factor", True, "Kept."))
    draft = _draft(workspace, case_id)
    assert "## Old factor" in draft and "Kept." in draft
    assert "factor.not_in_framework" in _findings(workspace, case_id)

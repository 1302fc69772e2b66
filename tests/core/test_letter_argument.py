"""The drafted letter argues from the interview: the precise legal hook, the
story in prose, each arrest named as the documents name it with its
disposition, sentence, completion and exhibits, the client's pronouns, the
path; and the client-advice note holds the consequences the packet never does."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys

from pdpacket.model import Client, FactorAnswer, Proceedings, Severity, markup
from pdpacket.model.interview import (
    Arrest,
    Charge,
    Entry,
    Interview,
    Pronouns,
    Relative,
    StatusPath,
)
from tests.core.packet_fixtures import add_exhibit, text_pdf
from tests.pdftools import run_tool

TODAY = dt.date(2026, 12, 6)
DUI = "DUI (A.R.S. 28-1381(A)(1))"


def _case(ws, stage="proceedings_pending", form="dismissal", **proceedings):
    return ws.create_case(
        Client(name="María Elena Reyes López", a_number="201555014", country="Mexico"),
        Proceedings(stage=stage, pd_form=form, **proceedings),
    )


def _story(**changes) -> Interview:
    base = Interview(
        pronouns=Pronouns.SHE,
        surname="Reyes López",
        entry=Entry(date="2005-03", place="near Nogales, Arizona", manner="ewi"),
        charges=(Charge("INA 212(a)(6)(A)(i)", "present without admission or parole"),),
        relatives=(Relative("daughter", "Ana", "usc", "2012-05-01"),),
        occupation="a line cook",
        employer="Casa Sol Restaurant",
        work_since="2011",
        status_path=StatusPath("cancellation_42b", "INA 240A(b)(1)"),
        ground="a7",
    )
    return Interview(**{**base.__dict__, **changes})


def _draft(ws, case_id):
    return ws.draft_letter(case_id)


def test_a_dismissal_rests_on_a_239_2a_ground_and_1239_2c(workspace):
    case_id = _case(workspace)
    changed = "Her daughter Ana was diagnosed with leukemia in 2025, after the NTA was issued."
    workspace.set_interview(
        case_id,
        _story(
            changed_since_nta=changed,
            status_path=StatusPath("u_visa", "INA 101(a)(15)(U)"),
        ),
    )
    draft = _draft(workspace, case_id)
    basis = draft.split("# The legal basis for the request", 1)[1].split("# Statement of facts")[0]
    assert "8 CFR 1239.2(c)" in basis
    assert "8 CFR 239.2(a)(7)" in basis
    assert "continuation is no longer in the best interest of the government" in basis
    # the (a)(7) argument states what changed, as the attorney wrote it
    assert f"That is the case here. {changed}" in basis
    # without it, the draft asks
    workspace.set_interview(case_id, _story())
    draft = _draft(workspace, case_id)
    assert any("changed since the Notice to Appear" in p for p in markup.placeholders(draft))


def test_a_path_decided_in_proceedings_is_questioned_when_the_form_ends_them(workspace):
    case_id = _case(workspace)  # a dismissal, and cancellation of removal as the path
    workspace.set_interview(case_id, _story())
    draft = _draft(workspace, case_id)
    [todo] = [p for p in markup.placeholders(draft) if p.startswith("check the path")]
    assert "cancellation of removal" in todo and "dismissal without prejudice" in todo
    closure = _case(workspace, form="administrative_closure")
    workspace.set_interview(closure, _story())
    assert "to apply for cancellation of removal under INA 240A(b)(1)" in _draft(workspace, closure)


def test_without_a_chosen_ground_the_draft_asks_and_the_review_flags_it(workspace):
    ws = workspace
    case_id = _case(ws)
    ws.set_interview(case_id, _story(ground=""))
    draft = _draft(ws, case_id)
    assert "8 CFR 1239.2(c)" in draft and "239.2(a)(7)" not in draft
    assert any("ground of 8 CFR 239.2(a)" in p for p in markup.placeholders(draft))
    ws.refresh_letter(case_id)
    ws.save_letter(case_id, ws.letter(case_id).text + "\nAn edit of the attorney's own.\n")
    codes = {f.code for f in ws.review(case_id, today=TODAY) if f.severity == Severity.ERROR}
    assert "letter.placeholder" in codes


def test_the_story_is_told_from_structured_facts_not_pasted_notes(workspace):
    ws = workspace
    case_id = _case(ws)
    ws.set_interview(case_id, _story(work="Works nights."))
    ws.set_factor_answer(
        case_id, FactorAnswer("community_ties", True, "He drove after drinking; he regrets it.")
    )
    ws.set_factor_answer(case_id, FactorAnswer("long_residence", True, "In the U.S. since 2005."))
    draft = _draft(ws, case_id)
    assert (
        "Respondent entered the United States without inspection, near Nogales, Arizona, "
        "in March 2005." in draft
    )
    assert "with removability under INA 212(a)(6)(A)(i) (“present without admission" in draft
    assert "Respondent has lived in the United States since March 2005, for 21 years." in draft
    assert "Respondent has worked as a line cook for Casa Sol Restaurant since 2011." in draft
    # a fragment of notes never becomes a sentence: the draft quotes it to be rewritten
    outside = markup.PLACEHOLDER.sub("", draft)
    assert "Works nights." not in outside and "In the U.S. since 2005." not in outside
    assert any("Works nights." in p for p in markup.placeholders(draft))
    assert "He drove after drinking; he regrets it." in outside  # a sentence is used as written


def test_pronouns_come_from_the_interview_never_from_the_name(workspace):
    ws = workspace
    case_id = _case(ws, stage="pre_nta", form="cancel_nta")
    u_visa = StatusPath("u_visa", "INA 101(a)(15)(U)")
    ws.set_interview(case_id, _story(status_path=u_visa))
    draft = _draft(ws, case_id)
    assert "Ms. Reyes López entered the United States" in draft
    assert (
        "Her family in the United States includes her daughter Ana, age 14, a United States "
        "citizen." in draft
    )
    ws.set_interview(case_id, _story(pronouns=Pronouns.THEY, status_path=u_visa))
    draft = _draft(ws, case_id)
    assert "Mx. Reyes López entered" in draft and "includes their daughter Ana" in draft
    ws.set_interview(case_id, _story(pronouns=Pronouns.UNSET, status_path=u_visa))
    draft = _draft(ws, case_id)
    assert "María Elena Reyes López entered the United States" in draft
    assert "María Elena Reyes López’s family in the United States includes a daughter Ana" in draft
    facts = draft.split("# Statement of facts", 1)[1]
    assert not re.search(r"\b(her|his|she|he|Ms\.|Mr\.)\b", facts.split("# ")[0])


def test_a_conviction_is_named_as_the_interview_names_it_argued_and_cited(workspace, tmp_path):
    ws = workspace
    case_id = _case(ws, stage="detained", form="stipulated_bond", detained=True)
    disposition = add_exhibit(
        ws,
        case_id,
        "Certified disposition, Maricopa County",
        text_pdf(["CERTIFIED DISPOSITION", "Second page: sentence"]),
        document_type="certified_disposition",
    )
    probation = add_exhibit(
        ws, case_id, "Probation discharge order", text_pdf(["PROBATION DISCHARGED"])
    )
    arrest = Arrest(
        date="2017-03-04",
        place="Phoenix, Arizona",
        charge=DUI,
        level="misdemeanor",
        disposition="convicted",
        disposition_date="2017-06-01",
        sentence="10 days in jail, suspended, and 12 months of probation",
        completed="completed probation in June 2018",
        since="She has been sober since 2017 and attends AA meetings every week.",
        exhibit_ids=(disposition, probation),
    )
    ws.set_interview(case_id, _story(arrests=(arrest,)))
    draft = _draft(ws, case_id)
    section = draft.split("## Criminal history", 1)[1]
    assert (
        f"On March 4, 2017, Respondent was arrested in Phoenix, Arizona, and charged with {DUI}, a misdemeanor."
        in section
    )
    assert "Respondent was convicted of that offense on June 1, 2017." in section
    assert "The court imposed 10 days in jail, suspended, and 12 months of probation." in section
    assert "Respondent completed probation in June 2018." in section
    assert "She has been sober since 2017 and attends AA meetings every week." in section
    assert f"{{{{pages:{disposition}}}}}" in section and f"{{{{pages:{probation}}}}}" in section
    assert "felony" not in draft  # never upgraded

    # in the packet the citation is a pinpoint: the exhibit's letter and its pages
    ws.refresh_letter(case_id)
    out = tmp_path / "packet.pdf"
    ws.build_packet(case_id, out)
    text = " ".join(run_tool("pdftotext", str(out), "-").split())
    assert f"charged with {DUI}, a misdemeanor" in text
    assert re.search(r"Certified disposition, Maricopa County, Exh\. A at \d+–\d+", text), text
    assert re.search(r"Probation discharge order, Exh\. B at \d+", text)


def test_a_path_a_young_citizen_child_cannot_open_is_questioned(workspace):
    case_id = _case(workspace)
    workspace.set_interview(
        case_id, _story(status_path=StatusPath("i130_child_usc", "INA 201(b)(2)(A)(i)"))
    )
    draft = _draft(workspace, case_id)
    assert any("must be 21 to petition for a parent" in p for p in markup.placeholders(draft))


def test_advice_note_holds_the_consequences_and_the_packet_does_not(workspace, tmp_path):
    ws = workspace
    case_id = ws.create_demo_case()
    advice = tmp_path / "advice.pdf"
    ws.close()
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "pdpacket",
            "--data-dir",
            str(tmp_path / "data"),
            "advice",
            str(case_id),
            "--out",
            str(advice),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    note = " ".join(run_tool("pdftotext", str(advice), "-").split())
    consequences = "Either side can ask the court to put it back on the calendar at any time."
    warning = "ICE has then arrested people at or after their hearings"
    assert consequences in note and warning in note
    assert "not part of the request packet" in note

    from pdpacket.api import Workspace

    with Workspace.open(tmp_path / "data") as ws2:
        out = tmp_path / "packet.pdf"
        ws2.build_packet(case_id, out)
    packet = " ".join(run_tool("pdftotext", str(out), "-").split())
    assert "Respectfully submitted" in packet  # the letter is in it
    for advice_text in (consequences, warning, "Advice to the client", "expedited removal"):
        assert advice_text not in packet


def test_a_partly_answered_interview_still_asks_for_the_entry(workspace):
    case_id = _case(workspace)
    workspace.set_interview(case_id, Interview(pronouns=Pronouns.HE))
    draft = _draft(workspace, case_id)
    todo = markup.placeholders(draft)
    assert any(p.startswith("State when, where and how the client entered") for p in todo)
    assert any(p.startswith("State the charges of removability") for p in todo)


def test_the_record_comes_first_then_the_circumstances_then_rehabilitation(workspace):
    """An attorney's order: what the record says, how it happened, what changed."""
    ws = workspace
    case_id = _case(ws)
    arrest = Arrest(
        date="2017-03-04",
        place="Phoenix, Arizona",
        charge=DUI,
        disposition="convicted",
        disposition_date="2017-06-01",
        since="She has been sober since 2017 and attends AA meetings every week.",
    )
    ws.set_interview(case_id, _story(arrests=(arrest,)))
    explanation = "She drove after drinking at a family party; no one was hurt."
    ws.set_factor_answer(
        case_id, FactorAnswer("criminal_history", applies=True, explanation=explanation)
    )
    section = _draft(ws, case_id).split("## Criminal history", 1)[1]
    record = section.index("was convicted of that offense")
    why = section.index(explanation)
    since = section.index("She has been sober since 2017")
    assert record < why < since

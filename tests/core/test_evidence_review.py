"""The review's evidence analysis: each mistake a supervising attorney finds by
reading the exhibits is planted in an otherwise ready case, its finding appears
(with its fix and the exhibit to jump to) and goes away once it is fixed."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from pdpacket.api import Workspace
from pdpacket.model import FactorAnswer, Finding, Location, Severity
from pdpacket.model.interview import Arrest, Entry, Interview
from pdpacket.review import readiness
from pdpacket.review.context import ReviewContext
from pdpacket.review.evidence import check_evidence, not_final
from tests.core.packet_fixtures import add_exhibit
from tests.core.test_review import TODAY, good_case


def letter_pdf(*pages: str) -> bytes:
    """One page per string, each line of it a line of text (as a typed letter)."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    for text in pages:
        c.setFont("Helvetica", 12)
        y = 700.0
        for line in text.splitlines():
            c.drawString(72, y, line)
            y -= 16
        c.showPage()
    c.save()
    return buf.getvalue()


def context(ws: Workspace, case_id: int, interview: Interview | None = None) -> ReviewContext:
    """The review's context for the case, as the review gathers it (with an interview)."""
    seen: list[ReviewContext] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(readiness, "CHECKS", (lambda ctx: seen.append(ctx) or (),))
        ws.review(case_id, today=TODAY)
    return replace(seen[0], interview=interview or Interview())


def found(ws: Workspace, case_id: int, interview: Interview | None = None) -> dict[str, Finding]:
    return {f.code: f for f in check_evidence(context(ws, case_id, interview)) if f is not None}


@pytest.fixture
def case(workspace: Workspace, tmp_path: Path) -> int:
    case_id, _ = good_case(workspace, tmp_path / "ev")
    assert found(workspace, case_id) == {}, "the good case has no evidence finding"
    return case_id


# ---- documents already in the record, memos, originals --------------------------------
def test_nta_filed_as_exhibit_is_flagged_by_title_and_text(workspace, case):
    nta = add_exhibit(workspace, case, "Notice to Appear", letter_pdf("Some page"))
    f = found(workspace, case)["evidence.record_of_proceeding"]
    assert f.severity == Severity.WARNING
    assert '"Notice to Appear"' in f.message and "record of proceeding" in f.message
    assert f.location.step == "evidence" and f.location.object_id == str(nta)
    assert "Exclude it" in f.fix
    workspace.store.update_exhibit(nta, included=False)
    assert "evidence.record_of_proceeding" not in found(workspace, case)
    # the same form under an innocent title: read from its first page
    add_exhibit(
        workspace,
        case,
        "Immigration papers",
        letter_pdf("DEPARTMENT OF HOMELAND SECURITY\nNOTICE TO APPEAR\nForm I-862"),
    )
    f = found(workspace, case)["evidence.record_of_proceeding"]
    assert 'its text says "NOTICE TO APPEAR"' in f.message


def test_ij_order_and_hearing_notice_are_in_the_record(workspace, case):
    order = add_exhibit(
        workspace, case, "Court paper", letter_pdf("ORDER OF THE IMMIGRATION JUDGE\nIt is HEREBY")
    )
    assert found(workspace, case)["evidence.record_of_proceeding"].location.object_id == str(order)
    workspace.store.update_exhibit(order, included=False)
    add_exhibit(workspace, case, "Hearing notice March 2026", letter_pdf("x"))
    assert "evidence.record_of_proceeding" in found(workspace, case)


def test_an_ice_memo_is_cited_not_filed(workspace, case):
    memo = add_exhibit(
        workspace,
        case,
        "Guidance",
        letter_pdf(
            "U.S. Immigration and Customs Enforcement\n"
            "MEMORANDUM FOR: All OPLA Attorneys\nSUBJECT: Prosecutorial discretion"
        ),
    )
    f = found(workspace, case)["evidence.agency_memo"]
    assert "cited, not filed" in f.message and f.location.object_id == str(memo)
    assert "MEMORANDUM FOR" in f.message
    workspace.store.update_exhibit(memo, included=False)
    assert "evidence.agency_memo" not in found(workspace, case)
    add_exhibit(workspace, case, "Doyle memo (OPLA, 2022)", letter_pdf("x"))
    assert "evidence.agency_memo" in found(workspace, case)


def test_an_original_passport_instead_of_a_copy(workspace, case):
    ex = add_exhibit(
        workspace, case, "Original passport", letter_pdf("PASAPORTE"), document_type="passport"
    )
    f = found(workspace, case)["evidence.original_document"]
    assert '"Original passport"' in f.message and "copies" in f.message
    workspace.store.update_exhibit(ex, title="Passport (copy)")
    assert "evidence.original_document" not in found(workspace, case)
    # the language of a translated document's original is not an "original" document
    workspace.store.update_exhibit(ex, title="Birth certificate (original in Spanish)")
    assert "evidence.original_document" not in found(workspace, case)
    workspace.store.update_exhibit(ex, title="Birth certificate", description="the original")
    assert "evidence.original_document" not in found(workspace, case)
    workspace.store.update_exhibit(ex, title="Birth certificate (original)")
    assert "evidence.original_document" in found(workspace, case)
    workspace.store.update_exhibit(ex, title="Copy of the original passport")
    assert "evidence.original_document" not in found(workspace, case)


# ---- letters of support ---------------------------------------------------------------------
UNSIGNED = (
    "To whom it may concern,\n"
    "I have known Rosa for ten years as her neighbor.\n"
    "She helps everyone on our street and cares for her children."
)
SIGNED = (
    "March 3, 2026\n"
    "To the Chief Counsel,\n"
    "I am Rosa's pastor at St. Mary's church and have known her since 2012.\n"
    "She volunteers every Sunday.\n"
    "Sincerely,\n/s/ Maria Lopez\n12 Oak Street, Queens NY 11101\n(718) 555-0199"
)


def test_an_unsigned_undated_support_letter_without_contact(workspace, case):
    bad = add_exhibit(
        workspace,
        case,
        "Letter from Maria",
        letter_pdf(UNSIGNED),
        document_type="letter_of_support",
    )
    f = found(workspace, case)["support_letter.incomplete"]
    assert f.severity == Severity.WARNING and f.location.object_id == str(bad)
    assert "no signature, no date and no contact details" in f.message
    assert "how the writer knows" not in f.message  # "I have known Rosa ... as her neighbor"
    workspace.store.update_exhibit(bad, included=False)
    add_exhibit(workspace, case, "Letter of support", letter_pdf(SIGNED))  # found by title
    assert "support_letter.incomplete" not in found(workspace, case)


def test_a_scanned_support_letter_is_not_read_and_the_review_says_so(workspace, case):
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.rect(72, 300, 400, 300, fill=1)  # a page of pixels or paths, no text
    c.showPage()
    c.save()
    ex = add_exhibit(workspace, case, "Scan", buf.getvalue(), document_type="letter_of_support")
    f = found(workspace, case)
    assert "support_letter.incomplete" not in f
    assert f["support_letter.unread"].severity == Severity.NOTE
    assert f["support_letter.unread"].location.object_id == str(ex)


def test_a_support_letter_that_never_says_who_wrote_it(workspace, case):
    text = "June 1, 2026\nRosa is a good person.\nSincerely,\n/s/ John Doe\njohn@example.org"
    add_exhibit(workspace, case, "Support letter (Doe)", letter_pdf(text))
    f = found(workspace, case)["support_letter.incomplete"]
    assert f.message.endswith("shows nothing on how the writer knows the client.")


# ---- the residence timeline -------------------------------------------------------------------
def residence_case(ws: Workspace, case_id: int, notes: str) -> None:
    ws.store.set_factor_answer(case_id, FactorAnswer("long_residence", True, notes))
    lease = next(e for e in ws.store.list_exhibits(case_id) if e.document_type == "lease")
    ws.store.update_exhibit(lease.id, doc_date="2016-05-01", doc_date_end="2025-04-30")


def test_residence_claimed_since_2009_but_first_document_2016(workspace, case):
    residence_case(workspace, case, "In the U.S. since 2009.")
    f = found(workspace, case)["residence.start_undocumented"]
    assert "claimed since 2009" in f.message and "is from 2016" in f.message
    assert "2009\u20132015: no document shows the client in the United States" in f.message
    assert f.location.object_id == "long_residence"
    # an undated passport or a foreign document does not fill the years; a dated school record does
    add_exhibit(
        workspace,
        case,
        "School records",
        letter_pdf("PS 12"),
        document_type="school_record",
        doc_date="2009-09-01",
        doc_date_end="2015-06-30",
    )
    assert "residence.start_undocumented" not in found(workspace, case)


def test_the_interview_claim_comes_first_and_gaps_are_years(workspace, case):
    residence_case(workspace, case, "Since 2009.")
    add_exhibit(
        workspace,
        case,
        "Pay stubs",
        letter_pdf("x"),
        document_type="pay_stub",
        doc_date="2012-01-06",
    )
    interview = Interview(residence_since="2012-01")
    f = found(workspace, case, interview)["residence.gap"]
    assert f.message.startswith("2013\u20132015: no document") and "since 2012" in f.message
    # the entry date counts only without a residence date
    f = found(workspace, case, Interview(entry=Entry(date="2010")))["residence.start_undocumented"]
    assert "since 2010 (the interview's entry date)" in f.message


def test_a_residence_claim_with_no_year_says_it_was_not_checked(workspace, case):
    residence_case(workspace, case, "She has lived here for many years.")
    f = found(workspace, case)
    assert f["residence.no_start"].severity == Severity.NOTE
    assert f["residence.no_start"].location == Location("factors", "long_residence")
    assert "residence.no_start" not in found(workspace, case, Interview(residence_since="2016"))


def test_identity_documents_do_not_show_presence(workspace, case):
    residence_case(workspace, case, "since 2015")
    add_exhibit(
        workspace,
        case,
        "Cedula",
        letter_pdf("x"),
        document_type="national_id",
        doc_date="2015-02-01",
    )
    assert "2015: no document" in found(workspace, case)["residence.start_undocumented"].message


# ---- criminal history ------------------------------------------------------------------------------
def test_conviction_without_fbi_summary_or_rehabilitation(workspace, case):
    disp = add_exhibit(
        workspace,
        case,
        "Certified disposition",
        letter_pdf("SUPERIOR COURT\nDisposition: Convicted 2018-03-02, 3 years probation"),
        document_type="certified_disposition",
    )
    arrest = Arrest(date="2017-11", charge="DUI (Cal. Veh. Code 23152(a))", exhibit_ids=(disp,))
    interview = Interview(arrests=(replace(arrest, disposition="convicted"),))
    f = found(workspace, case, interview)
    assert "criminal.no_fbi_summary" in f and "1 arrest in the interview" in (
        f["criminal.no_fbi_summary"].message
    )
    assert "criminal.no_rehabilitation" in f
    assert "criminal.arrest_not_final" not in f
    add_exhibit(
        workspace, case, "FBI record", letter_pdf("x"), document_type="fbi_identity_history"
    )
    add_exhibit(
        workspace,
        case,
        "Probation completed",
        letter_pdf("x"),
        document_type="sentence_completion",
    )
    f = found(workspace, case, interview)
    assert not {"criminal.no_fbi_summary", "criminal.no_rehabilitation"} & set(f)
    # no criminal history at all: nothing to ask for
    workspace.store.update_exhibit(disp, included=False)
    assert not [c for c in found(workspace, case) if c.startswith("criminal.")]


def test_a_police_report_saying_disposition_pending_is_not_a_disposition(workspace, case):
    workspace.store.set_factor_answer(
        case, FactorAnswer("criminal_history", True, "Arrested 2019.", "It was a misunderstanding.")
    )
    report = add_exhibit(
        workspace,
        case,
        "Police report",
        letter_pdf("INCIDENT REPORT\nCharge: Petty theft\nDisposition: pending"),
        document_type="arrest_report",
    )
    f = found(workspace, case)["criminal.record_pending"]
    assert 'says "Disposition: pending"' in f.message and f.location.object_id == str(report)
    # offered as the disposition, it is an error
    workspace.store.update_exhibit(report, document_type="certified_disposition")
    f = found(workspace, case)["criminal.disposition_pending"]
    assert f.severity == Severity.ERROR and "not a final disposition" in f.message
    arrest = Arrest(date="2019", charge="Petty theft", disposition="pending", exhibit_ids=(report,))
    f = found(workspace, case, Interview(arrests=(arrest,)))["criminal.arrest_not_final"]
    assert 'Petty theft (2019) has no final disposition: the interview says "pending"' in f.message
    # the clerk's certified disposition fixes it
    workspace.store.update_exhibit(report, document_type="arrest_report")
    final = add_exhibit(
        workspace,
        case,
        "Certified disposition",
        letter_pdf("Disposition: Dismissed in the interest of justice, 2020-01-15"),
        document_type="certified_disposition",
    )
    done = replace(arrest, disposition="dismissed", exhibit_ids=(report, final))
    f = found(workspace, case, Interview(arrests=(done,)))
    assert not {"criminal.record_pending", "criminal.disposition_pending"} & set(f)
    assert "criminal.arrest_not_final" not in f


@pytest.mark.parametrize(
    ("text", "pending"),
    [
        ("Disposition: pending", True),
        ("DISPOSITION - OPEN", True),
        ("Case status: active", True),
        ("No disposition reported", True),
        ("Disposition: Convicted", False),
        ("Disposition: dismissed", False),
        ("The charge is pending review by nobody", False),
    ],
)
def test_what_counts_as_a_disposition_that_is_not_final(text, pending):
    assert bool(not_final(text)) is pending


# ---- through the review itself -----------------------------------------------------------------------
def test_the_review_reports_the_evidence_findings(workspace, case):
    add_exhibit(workspace, case, "NTA", letter_pdf("x"))
    found_ = workspace.review(case, today=TODAY)
    [f] = [f for f in found_ if f.code == "evidence.record_of_proceeding"]
    assert f.fix and f.location.step in readiness.STEPS
    assert readiness.is_ready(found_)  # a warning: the attorney decides


def test_a_dismissed_charge_needs_no_rehabilitation_evidence(workspace, case):
    workspace.store.set_factor_answer(
        case, FactorAnswer("criminal_history", True, "Arrested 2015.", "Dismissed and sealed.")
    )
    disp = add_exhibit(
        workspace,
        case,
        "Certificate of disposition",
        letter_pdf("Disposition: 01/22/2016 - DISMISSED, sealed under CPL 160.50"),
        document_type="certified_disposition",
    )
    f = found(workspace, case)
    assert "criminal.no_rehabilitation" not in f and "criminal.no_fbi_summary" in f
    workspace.store.update_exhibit(disp, included=False)
    add_exhibit(
        workspace,
        case,
        "Certificate of disposition (conviction)",
        letter_pdf("Disposition: 03/02/2018 - CONVICTED, VTL 1192.3"),
        document_type="certified_disposition",
    )
    assert "criminal.no_rehabilitation" in found(workspace, case)


def test_a_page_is_read_once_per_data_folder_not_once_per_process(
    workspace, case, tmp_path, monkeypatch
):
    """A CLI build is a new process: the evidence review must not extract the text
    of every page again (2,000 pages took seconds), yet it still sees what the
    pages say (the memo is still found after the restart)."""
    from pypdf import PageObject

    from pdpacket.review import evidence

    # what earlier tests read of the same files (same bytes, same hash) is not
    # in this data folder: start this process's memory empty too
    monkeypatch.setattr(evidence, "_TEXT_CACHE", {})
    monkeypatch.setattr(evidence, "_FOUND", {})
    add_exhibit(
        workspace,
        case,
        "Guidance",
        letter_pdf("U.S. Immigration and Customs Enforcement\nMEMORANDUM FOR: All OPLA Attorneys"),
    )
    assert "evidence.agency_memo" in found(workspace, case)
    calls: list[int] = []
    real = PageObject.extract_text

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(PageObject, "extract_text", counting)
    # a new process: nothing remembered in memory, a new connection to the folder
    monkeypatch.setattr(evidence, "_TEXT_CACHE", {})
    monkeypatch.setattr(evidence, "_FOUND", {})
    again = Workspace.open(workspace.data_dir)
    try:
        assert "evidence.agency_memo" in found(again, case)
    finally:
        again.close()
    assert calls == []

"""One destination decides the packet's parts, caption, "via" line and service.

Each destination of resources/destinations.json is built into a small packet
and read back with pdftotext (poppler), not only pypdf: which parts it holds
(certificate of service, joint motion, proposed order), whether the cover
carries the court's caption, the letter's VIA line and the ECAS wording.  Also:
the review's error for a certificate of service that contradicts the
destination, the firm's office and court edits through the CLI and the
workspace, and the e-mail edition's "To:" line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pdpacket.api import Workspace
from pdpacket.cli import main
from pdpacket.errors import ManifestError, ValidationError
from pdpacket.model import BuildOptions, Proceedings, Severity
from pdpacket.policy import destinations
from tests.pdftools import run_tool

DAY = dt.date(2026, 12, 2)
IDS = ("opla_email", "opla_eservice", "court_motion", "court_motion_paper", "joint_motion", "ero")


def _manifest(destination: str | None = None, **proceedings: object) -> dict[str, object]:
    p: dict[str, object] = {
        "court": "boston",
        "judge": "Hon. R. Alvarez",
        "opla_office": "boston",
        "stage": "proceedings_pending",
        "pd_form": "dismissal",
        **proceedings,
    }
    if destination is not None:
        p["destination"] = destination
    return {
        "client": {"name": "Rosa Quintero", "a_number": "A201-555-014"},
        "proceedings": p,
        "exhibits": [
            {"title": "Passport of Rosa Quintero", "files": ["passport.pdf"]},
            {"title": "Lease, 2015", "files": ["lease.pdf"]},
        ],
    }


@pytest.fixture
def case_for(workspace, manifest_factory, tmp_path):
    """A case whose request goes to ``destination`` (None: as its form says)."""
    n = [0]

    def make(destination: str | None = None, **proceedings: object) -> int:
        n[0] += 1
        path = manifest_factory(
            _manifest(destination, **proceedings), folder=tmp_path / f"case{n[0]}"
        )
        return workspace.import_manifest(path)

    return make


def pdftext(path: Path | str) -> str:
    return run_tool("pdftotext", "-layout", str(path), "-")


def page_texts(path: Path | str) -> list[str]:
    return pdftext(path).split("\f")


# ---- the data and the default ---------------------------------------------------------
def test_every_destination_has_its_parts_source_and_summary():
    found = destinations.destinations()
    assert tuple(d.id for d in found) == IDS
    for d in found:
        assert d.source and d.verified_on and d.summary, d.id
        assert d.addressee in ("opla", "court", "ero")
        # the court's caption only where the court is the addressee
        assert d.court_caption == (d.addressee == "court"), d.id
    by_id = {d.id: d for d in found}
    assert [i for i in IDS if by_id[i].certificate_of_service] == [
        "court_motion",
        "court_motion_paper",
    ]
    assert by_id["court_motion"].service_method == "ecas"
    assert by_id["joint_motion"].joint and by_id["joint_motion"].proposed_order


@pytest.mark.parametrize(
    ("form", "joint", "expected"),
    [
        ("dismissal", False, "opla_email"),
        ("stay_of_removal", False, "ero"),
        ("joint_motion_reopen", False, "joint_motion"),
        ("continuance", True, "joint_motion"),
        ("", False, "opla_email"),
    ],
)
def test_default_destination_follows_the_pd_forms_addressee(form, joint, expected):
    p = Proceedings(pd_form=form, joint_motion=joint)
    assert destinations.for_proceedings(p).id == expected


# ---- manifest, workspace, CLI -----------------------------------------------------------
def test_manifest_stores_the_destination_and_refuses_an_unknown_one(
    workspace, case_for, manifest_factory, tmp_path
):
    case_id = case_for("court_motion")
    assert workspace.get_case(case_id).proceedings.destination == "court_motion"
    assert workspace.destination(case_id).id == "court_motion"
    bad = manifest_factory(_manifest("court"), folder=tmp_path / "bad")
    with pytest.raises(ManifestError) as err:
        workspace.import_manifest(bad)
    assert "proceedings.destination" in err.value.message
    assert "'court'" in err.value.message
    for valid in IDS:
        assert valid in err.value.hint


def test_cli_sets_and_shows_the_destination(workspace, case_for, capsys):
    case_id = case_for()
    data = str(workspace.data_dir)
    workspace.close()
    assert main(["--data-dir", data, "destination", str(case_id)]) == 0
    assert capsys.readouterr().out.startswith("opla_email\t")
    assert main(["--data-dir", data, "destination", str(case_id), "joint_motion"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("joint_motion\t") and "no certificate of service" in out
    assert main(["--data-dir", data, "destination", str(case_id), "nowhere"]) == 2
    assert "opla_eservice" in capsys.readouterr().err


def test_set_destination_refuses_an_unknown_id(workspace, case_for):
    case_id = case_for()
    with pytest.raises(ValidationError, match="nowhere"):
        workspace.set_destination(case_id, "nowhere")
    workspace.set_destination(case_id, "ero")
    assert workspace.destination(case_id).id == "ero"
    workspace.set_destination(case_id, "")  # back to the form's
    assert workspace.destination(case_id).id == "opla_email"


def test_office_override_round_trip_cli(tmp_path, capsys):
    data = str(tmp_path / "cli")
    rc = main(
        [
            "--data-dir",
            data,
            "settings",
            "office",
            "boston",
            "--email",
            "pd.boston@example.gov",
            "--address",
            "15 New Sudbury Street; Boston, MA 02203",
            "--max-mb",
            "15",
        ]
    )
    assert rc == 0
    out = capsys.readouterr().out
    assert "edited by the firm" in out and "pd.boston@example.gov" in out
    with Workspace.open(data) as ws:
        office = ws.opla_office("boston")
        assert office is not None
        assert office.email == "pd.boston@example.gov"
        assert office.address == "15 New Sudbury Street\nBoston, MA 02203"
        assert office.get("max_mb") == 15.0
        assert set(office.edited) == {"address", "email", "max_mb"}
    assert main(["--data-dir", data, "settings", "court", "boston", "--address", "1 Court St"]) == 0
    assert "1 Court St" in capsys.readouterr().out
    assert main(["--data-dir", data, "settings", "office", "boston", "--reset"]) == 0
    assert "edited by the firm" not in capsys.readouterr().out
    assert main(["--data-dir", data, "settings", "office", "boston", "--email", "x"]) == 2
    assert "not an e-mail address" in capsys.readouterr().err
    assert main(["--data-dir", data, "settings", "office", "atlantis"]) == 2


def test_office_override_round_trip_workspace(workspace):
    shipped = workspace.opla_office("atlanta")
    assert shipped is not None and not shipped.edited
    edited = workspace.edit_office(
        "atlanta", email="pd@example.gov", subject_format="PD {a_number}"
    )
    assert edited.email == "pd@example.gov" and edited.get("subject_format") == "PD {a_number}"
    listed = {o.id: o for o in workspace.opla_offices()}
    assert listed["atlanta"].edited == ("email", "subject_format")
    assert not listed["boston"].edited
    court = workspace.edit_court("annandale", address="2 Court Way, Annandale, VA")
    assert court.address.startswith("2 Court Way") and court.edited == ("address",)
    assert workspace.edit_office("atlanta", reset=True).email == ""


# ---- the review -------------------------------------------------------------------------
def _codes(findings, prefix="destination."):
    return {(f.code, f.severity) for f in findings if f.code.startswith(prefix)}


def test_review_warns_of_a_blank_office_naming_it_and_stops_once_entered(workspace, case_for):
    case_id = case_for()
    found = [f for f in workspace.review(case_id) if f.code == "destination.office_incomplete"]
    assert len(found) == 1 and found[0].severity == Severity.WARNING
    assert "OPLA Boston" in found[0].message and "PD mailbox" in found[0].message
    workspace.edit_office("boston", email="pd@example.gov", address="1 X St, Boston, MA")
    assert not _codes(workspace.review(case_id))


def test_review_warns_of_a_court_without_address(workspace, case_for):
    case_id = case_for("court_motion", court="annandale")
    found = [f for f in workspace.review(case_id) if f.code.startswith("destination.court")]
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "Annandale Immigration Court" in found[0].message


def test_a_certificate_of_service_on_a_joint_motion_is_a_review_error(workspace, case_for):
    from pdpacket.review import readiness

    case_id = case_for("joint_motion")
    explicit = BuildOptions(certificate_of_service=True)
    found = readiness.review_case(workspace.store, case_id, options=explicit)
    errors = [f for f in found if f.code == "destination.service_conflict"]
    assert len(errors) == 1 and errors[0].severity == Severity.ERROR
    assert "joint motion" in errors[0].message and "certificate of service" in errors[0].fix
    # left to the destination: no finding
    found = readiness.review_case(workspace.store, case_id, options=BuildOptions())
    assert not [f for f in found if f.code == "destination.service_conflict"]


def test_the_letter_says_how_it_is_sent_and_the_review_catches_a_stale_via(workspace, case_for):
    case_id = case_for("opla_email")
    workspace.refresh_letter(case_id)
    letter = workspace.letter(case_id)
    assert letter is not None and "**VIA ELECTRONIC MAIL**" in letter.text
    workspace.set_destination(case_id, "opla_eservice")
    via = [f for f in workspace.review(case_id) if f.code == "destination.letter_via"]
    assert len(via) == 1 and "VIA ICE eSERVICE" in via[0].message
    workspace.refresh_letter(case_id)
    letter = workspace.letter(case_id)
    assert letter is not None and "**VIA ICE eSERVICE**" in letter.text
    assert "VIA ELECTRONIC MAIL" not in letter.text
    assert not [f for f in workspace.review(case_id) if f.code == "destination.letter_via"]


# ---- the packet agrees with its destination -------------------------------------------------
ATTORNEY = dict(
    name="Ana Ortiz",
    firm="Ortiz Immigration Law",
    address="1 Main St\nBoston, MA 02108",
    phone="(617) 555-0100",
    eoir_id="AB123456",
)


@pytest.fixture
def built(workspace, case_for, tmp_path):
    """Build the packet of a case going to ``destination``; its pages' text."""
    from pdpacket.model import Attorney

    workspace.set_attorney(Attorney(**ATTORNEY))
    workspace.edit_office("boston", address="1 Example Plaza\nBoston, MA 02203")

    def build(destination: str, options: BuildOptions | None = None, **proceedings: object):
        case_id = case_for(destination, **proceedings)
        workspace.refresh_letter(case_id)
        out = tmp_path / f"{destination}.pdf"
        result = workspace.build_packet(case_id, out, options or BuildOptions(build_date=DAY))
        return case_id, result, out, page_texts(out)

    return build


def _outline(path: Path) -> list[str]:
    from tests.pdftools import outline_titles

    return [t for t, _, _ in outline_titles(path)]


def test_opla_email_request_has_no_caption_no_service_and_says_via_email(built):
    _case, _result, out, pages = built("opla_email")
    cover = pages[0]
    assert "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW" not in cover  # no court caption
    assert "In the Matter of" not in cover
    assert "REQUEST FOR PROSECUTORIAL DISCRETION" in cover
    assert "Chief Counsel, Office of the Principal Legal Advisor" in cover
    assert "OPLA Boston Field Location" in cover and "ROSA QUINTERO" in cover
    assert "Immigration court: Boston Immigration Court" in cover  # a fact, not a caption
    assert "VIA ELECTRONIC MAIL" in cover
    text = "\f".join(pages)
    assert "VIA ELECTRONIC MAIL" in pages[1]  # the letter's via line
    assert "ECAS" not in text
    assert "CERTIFICATE OF SERVICE" not in text and "ORDER OF THE IMMIGRATION JUDGE" not in text
    assert "Certificate of service" not in _outline(out)


def test_opla_eservice_request_says_via_eservice(built):
    _case, _result, _out, pages = built("opla_eservice")
    assert "VIA ICE eSERVICE" in pages[0] and "VIA ICE eSERVICE" in pages[1]
    assert "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW" not in pages[0]
    assert "CERTIFICATE OF SERVICE" not in "\f".join(pages)


def test_court_motion_has_the_caption_the_order_and_service_through_ecas(built):
    _case, _result, out, pages = built("court_motion")
    cover = " ".join(pages[0].split())
    assert "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW" in cover
    assert "Boston Immigration Court" in cover and "In the Matter of" in cover
    assert "MOTION TO DISMISS THE PROCEEDINGS WITHOUT PREJUDICE" in cover
    assert "Submitted to" not in cover  # the caption names the court
    assert "RESPONDENT'S MOTION TO DISMISS" in pages[1]  # the motion, not the letter
    titles = _outline(out)
    assert titles[-2:] == ["Proposed order", "Certificate of service"]
    service = " ".join(pages[-2].split())  # pdftotext ends with a form feed
    assert "CERTIFICATE OF SERVICE" in service
    assert "through the EOIR Courts & Appeals System (ECAS)" in service
    assert "Office of the Principal Legal Advisor" in service


def test_paper_court_motion_is_served_by_mail_at_the_offices_address(built):
    _case, _result, _out, pages = built("court_motion_paper")
    assert "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW" in pages[0]
    service = " ".join(pages[-2].split())
    assert "first-class mail" in service and "1 Example Plaza" in service
    assert "ECAS" not in service


def test_joint_motion_packet_contains_the_motion_signed_by_both_parties(built):
    grounds = "Respondent's I-130, filed by her U.S.-citizen husband, was approved."
    _case, result, out, pages = built("joint_motion", motion_grounds=grounds)
    titles = _outline(out)
    assert titles[:2] == ["Cover", "Joint motion to dismiss the proceedings without prejudice"]
    assert titles[-1] == "Proposed order" and "Certificate of service" not in titles
    assert "Request letter" not in titles  # the letter was the request to OPLA
    assert any("request letter is not in the joint motion" in w for w in result.warnings)
    cover = pages[0]
    assert "JOINT MOTION" in cover and "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW" in cover
    motion = " ".join(pages[1].split())
    assert "JOINT MOTION TO DISMISS THE PROCEEDINGS WITHOUT PREJUDICE" in motion
    assert "8 CFR 1239.2(c)" in motion and grounds in motion
    assert "jointly move" in motion
    assert "Assistant Chief Counsel" in motion
    assert "U.S. Department of Homeland Security" in motion
    assert "Ana Ortiz" in motion and "Counsel for Respondent" in motion
    order = " ".join(pages[-2].split())
    assert "ORDER OF THE IMMIGRATION JUDGE" in order and "joint motion to dismiss" in order
    assert "CERTIFICATE OF SERVICE" not in "\f".join(pages[:-2])


def test_joint_motion_without_grounds_asks_for_them(built, workspace):
    case_id, _result, _out, pages = built("joint_motion")
    assert "[[State the grounds" in " ".join(pages[1].split())
    assert "destination.motion_grounds" in {f.code for f in workspace.review(case_id)}


def test_court_motion_packet_contains_the_respondents_motion_not_the_letter(built):
    _case, result, out, pages = built("court_motion")
    titles = _outline(out)
    assert titles[:2] == ["Cover", "Motion to dismiss the proceedings without prejudice"]
    assert titles[-2:] == ["Proposed order", "Certificate of service"]
    assert "Request letter" not in titles  # the letter asked OPLA, not the court
    assert any("request letter is not in the motion's packet" in w for w in result.warnings)
    text = pdftext(out)
    assert "Dear" not in text  # no letter's salutation anywhere
    motion = " ".join(pages[1].split())
    assert "RESPONDENT'S MOTION TO DISMISS THE PROCEEDINGS WITHOUT PREJUDICE" in motion
    assert "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW" in motion and "In the Matter of" in motion
    assert "ROSA QUINTERO" in motion.upper() and "Boston Immigration Court" in motion
    assert "under 8 CFR 1239.2(c)" in motion  # the PD form's hook
    assert "[[state DHS's position" in motion and "[[State the grounds" in motion
    assert "For the Respondent" in motion and "Counsel for Respondent" in motion
    assert "Ana Ortiz" in motion and "Assistant Chief Counsel" not in motion  # one block
    assert "jointly" not in motion
    service = " ".join(pages[-2].split())
    assert "CERTIFICATE OF SERVICE" in service and "ECAS" in service
    order = " ".join(pages[-3].split())
    assert "ORDER OF THE IMMIGRATION JUDGE" in order and "motion to dismiss" in order
    assert result.draft_reasons  # the grounds are the attorney's to write


def test_court_motion_grounds_keep_it_a_draft_until_written(built, workspace, tmp_path):
    case_id, result, _out, _pages = built("court_motion_paper", pd_form="administrative_closure")
    assert "destination.respondent_motion_grounds" in {f.code for f in workspace.review(case_id)}
    assert any("respondent_motion_grounds" in r for r in result.draft_reasons)
    data = str(workspace.data_dir)
    args = ["--data-dir", data, "build", str(case_id), "--date", "2026-12-02", "--final"]
    assert main([*args, "--out", str(tmp_path / "f1.pdf")]) == 2
    grounds = "DHS does not oppose this motion. Respondent's I-130 was approved."
    workspace.update_proceedings(case_id, motion_grounds=grounds)
    assert "destination.respondent_motion_grounds" not in {
        f.code for f in workspace.review(case_id)
    }
    out = tmp_path / "paper.pdf"
    result = workspace.build_packet(case_id, out, BuildOptions(build_date=DAY))
    motion = " ".join(page_texts(out)[1].split())
    assert "RESPONDENT'S MOTION TO ADMINISTRATIVELY CLOSE THE PROCEEDINGS" in motion
    assert grounds in motion and "[[" not in motion and "8 CFR 1003.18(c)" in motion
    assert not any("grounds" in r or "placeholder" in r for r in result.draft_reasons)
    # the drafted request letter is not filed with a motion, so it cannot hold it back
    assert not any(
        f.code.startswith("letter.") or f.code == "destination.letter_via"
        for f in workspace.review(case_id)
    )
    assert not any(r.startswith("letter.") for r in result.draft_reasons)


def test_ero_request_has_no_caption_and_no_service(built):
    _case, _result, _out, pages = built("ero", pd_form="stay_of_removal", stage="final_order")
    cover = pages[0]
    assert "EXECUTIVE OFFICE FOR IMMIGRATION REVIEW" not in cover
    assert "Field Office Director" in cover
    text = "\f".join(pages)
    assert "CERTIFICATE OF SERVICE" not in text and "ORDER OF THE IMMIGRATION JUDGE" not in text


def test_a_certificate_against_the_destination_is_kept_but_makes_a_draft(built, workspace):
    asked = BuildOptions(build_date=DAY, certificate_of_service=True)
    case_id, result, out, _pages = built("joint_motion", asked, motion_grounds="Agreed.")
    assert _outline(out)[-1] == "Certificate of service"  # the explicit choice still works
    assert any("As asked" in w and "joint motion" in w for w in result.warnings)
    assert any(r.startswith("destination.service_conflict") for r in result.draft_reasons)
    found = [f for f in workspace.review(case_id) if f.code == "destination.service_conflict"]
    assert found and found[0].severity == Severity.ERROR


def test_email_edition_is_addressed_to_the_offices_mailbox(built, workspace, tmp_path):
    case_id, *_ = built("opla_email")
    email = BuildOptions(build_date=DAY, edition="email")
    result = workspace.build_edition(case_id, tmp_path / "mail", email)
    assert result.email_text.startswith("To: [[the PD mailbox of OPLA Boston Field Location")
    workspace.edit_office("boston", email="pd.boston@example.gov", subject_format="PD {a_number}")
    result = workspace.build_edition(case_id, tmp_path / "mail", email)
    assert result.email_text.startswith("To: pd.boston@example.gov\nSubject: PD A201-555-014")
    assert "VIA ELECTRONIC MAIL to pd.boston@example.gov" in pdftext(result.path)


def test_cli_builds_the_destinations_edition(built, workspace, tmp_path, capsys):
    case_id, *_ = built("court_motion")
    data = str(workspace.data_dir)
    rc = main(
        ["--data-dir", data, "build", str(case_id), "--out", str(tmp_path / "auto"),
         "--edition", "auto", "--date", "2026-12-02"]
    )  # fmt: skip
    assert rc == 0
    out = capsys.readouterr().out
    assert "Rosa_Quintero_Motion.pdf" in out  # the e-filing edition of a court motion


def test_a_g28_on_a_court_motion_is_a_warning(workspace, case_for, pdf_factory):
    case_id = case_for("court_motion")
    workspace.set_case_document(case_id, "g28", pdf_factory("g28.pdf"))
    found = [f for f in workspace.review(case_id) if f.code == "destination.appearance_form"]
    assert [f.severity for f in found] == [Severity.WARNING]
    assert "G-28" in found[0].message and "EOIR-28" in found[0].message
    workspace.set_destination(case_id, "opla_email")
    assert not [f for f in workspace.review(case_id) if f.code == "destination.appearance_form"]


def test_an_uploaded_letter_stays_in_a_court_motions_packet(workspace, case_for, pdf_factory):
    case_id = case_for("court_motion")
    letter = pdf_factory("letter.pdf", ["Our own cover letter to the court"])
    workspace.set_case_document(case_id, "letter", letter)
    out = workspace.data_dir / "uploaded.pdf"
    result = workspace.build_packet(case_id, out, BuildOptions(build_date=DAY))
    titles = _outline(out)
    assert titles[1:3] == ["Motion to dismiss the proceedings without prejudice", "Request letter"]
    assert "Our own cover letter to the court" in pdftext(out)
    assert not any("request letter is not in" in w for w in result.warnings)

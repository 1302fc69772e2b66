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
    workspace.set_destination(case_id, "court_motion")
    via = [f for f in workspace.review(case_id) if f.code == "destination.letter_via"]
    assert len(via) == 1 and "VIA ECAS" in via[0].message
    workspace.refresh_letter(case_id)
    letter = workspace.letter(case_id)
    assert letter is not None and "**VIA ECAS**" in letter.text
    assert "VIA ELECTRONIC MAIL" not in letter.text
    assert not [f for f in workspace.review(case_id) if f.code == "destination.letter_via"]

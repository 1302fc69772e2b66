"""The core side of what a paralegal hit in the window: factor answers in three
states, guesses from file names, camera titles, the filing deadline, editions
that never replace each other, and an archive imported twice."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from pdpacket import cli
from pdpacket.api import ArchiveCaseExistsError, Workspace
from pdpacket.api import title_from_filename as title
from pdpacket.model import Client, FactorAnswer, FactorState, Proceedings
from tests.pdftools import make_pdf


def test_a_factor_answer_has_three_states_and_applies_keeps_working(workspace):
    case_id = workspace.create_case(Client(name="A"))
    for state in FactorState:
        workspace.set_factor_answer(
            case_id, FactorAnswer("criminal_history", notes="kept").with_state(state)
        )
        got = workspace.factor_answers(case_id)["criminal_history"]
        assert got.state == state and got.notes == "kept"
        assert got.applies == (state == FactorState.APPLIES)
    # an old-style answer: applies False is "does not apply"
    assert FactorAnswer("x", False).state == FactorState.DOES_NOT_APPLY
    workspace.set_factor_answer(case_id, FactorAnswer("criminal_history").with_state("unanswered"))
    review = workspace.review(case_id)
    [unanswered] = [f for f in review if f.code == "factor.negatives_unanswered"]
    assert "Criminal history" in unanswered.message


def test_the_manifest_takes_the_state(workspace, manifest_factory):
    data = {
        "client": {"name": "Manifest Three"},
        "exhibits": [],
        "factors": [
            {"id": "criminal_history", "state": "does_not_apply"},
            {"id": "prior_removal_reentry", "state": "unanswered", "notes": "ask the client"},
            {"id": "long_residence", "notes": "since 2005"},
        ],
    }
    case_id = workspace.import_manifest(manifest_factory(data))
    answers = workspace.factor_answers(case_id)
    assert answers["criminal_history"].state == FactorState.DOES_NOT_APPLY
    assert answers["prior_removal_reentry"].state == FactorState.UNANSWERED
    assert answers["prior_removal_reentry"].notes == "ask the client"
    assert answers["long_residence"].state == FactorState.APPLIES  # applies defaults to true


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("IMG_4001.jpg", "Photo"),
        ("DSC_0001.JPG", "Photo"),
        ("4001.pdf", "Scan"),
        ("PXL_20230514_123456789.jpg", "Photo of May 14, 2023"),
        ("IMG-20230514-WA0003.jpg", "Photo of May 14, 2023"),
        ("birth_certificate-son (1).pdf", "Birth certificate son"),
        ("lease 2019.pdf", "Lease 2019"),
    ],
)
def test_titles_from_camera_names_are_not_numbers(name, expected):
    assert title(name) == expected


def test_a_camera_name_with_a_known_type_takes_the_type():
    assert title("IMG_4001.jpg", "Passport") == "Passport"


def test_guessed_support_counts_once_confirmed_and_the_archive_keeps_guesses(workspace, tmp_path):
    case_id = workspace.create_case(Client(name="Guess", a_number="123456789"))
    workspace.set_factor_answer(case_id, FactorAnswer("long_residence", True, "Since 2005."))
    [res] = workspace.add_evidence(case_id, [make_pdf(tmp_path / "lease.pdf", ["Lease"])])
    ex = workspace.get_exhibit(res.exhibit_id)
    assert set(ex.guessed) == {"title", "language", "document_type", "factor_ids"}
    assert ex.factor_ids == ("long_residence",)
    codes = {f.code for f in workspace.review(case_id)}
    assert {"factor.no_evidence", "exhibit.guessed"} <= codes
    # editing a guessed field states it; the others stay guesses
    workspace.edit_exhibit(ex.id, "title", "Lease of 2019")
    assert "title" not in workspace.get_exhibit(ex.id).guessed
    workspace.set_factor_answer(
        case_id, FactorAnswer("criminal_history", notes="ask").with_state("unanswered")
    )
    out = tmp_path / "guess.pdpacket"
    workspace.export_case(case_id, out)
    with Workspace.open(tmp_path / "other") as other:  # the archive carries both
        new = other.import_archive(out).case_id
        assert other.exhibits(new)[0].guessed == workspace.get_exhibit(ex.id).guessed
        assert other.factor_answers(new)["criminal_history"].state == FactorState.UNANSWERED
    workspace.edit_exhibit(ex.id, "guessed", ())
    codes = {f.code for f in workspace.review(case_id)}
    assert not {"factor.no_evidence", "exhibit.guessed"} & codes
    workspace.undo()
    assert "factor_ids" in workspace.get_exhibit(ex.id).guessed


def test_the_deadline_is_an_error_for_a_court_filing_only(workspace):
    today = dt.date(2026, 11, 17)
    hearing = today + dt.timedelta(days=8)
    case_id = workspace.create_case(
        Client(name="Late", a_number="123456789"),
        Proceedings(
            court_id="new-york-broadway",
            hearing_date=hearing,
            stage="proceedings_pending",
            pd_form="dismissal",
            destination="court_motion",
        ),
    )

    def code(**changes: object) -> str:
        workspace.update_proceedings(case_id, **changes)
        found = [f for f in workspace.review(case_id, today=today) if f.code.startswith("hearing")]
        return ",".join(f"{f.code}:{f.severity}" for f in found)

    assert code() == "hearing.deadline_passed:error"
    assert code(detained=True) == "hearing.within_deadline:warning"  # the judge sets deadlines
    assert code(detained=False, destination="opla_email") == "hearing.within_deadline:warning"
    assert code(destination="court_motion", hearing_date=today + dt.timedelta(days=15)) == (
        "hearing.within_deadline:warning"  # due today: not passed
    )
    assert code(hearing_date=today + dt.timedelta(days=40)) == ""
    assert code(hearing_date=None) == "hearing.missing:error"


def test_an_edition_never_removes_another_editions_packet(workspace, tmp_path):
    from PIL import Image

    from pdpacket.model import BuildOptions

    case_id = workspace.create_case(Client(name="Two", a_number="123456789"))
    noise = Image.effect_noise((900, 1200), 60).convert("RGB")
    photos = []
    for n in range(4):
        photos.append(tmp_path / f"family_{n}.jpg")
        noise.rotate(90 * (n % 2)).save(photos[-1], "JPEG", quality=95)
    workspace.add_evidence(case_id, photos)
    out = tmp_path / "p" / "packet.pdf"
    workspace.build_packet(case_id, out)
    standard = out.read_bytes()
    # the e-filing edition to the very same name, in parts: the standard packet stays
    result = workspace.build_packet(case_id, out, BuildOptions(edition="efile", max_mb=0.6))
    assert len(result.parts) >= 2
    assert not any("Removed" in w for w in result.warnings)
    assert out.read_bytes() == standard
    # a later e-filing build in one part removes that edition's own old parts only
    again = workspace.build_packet(case_id, out, BuildOptions(edition="efile"))
    assert again.parts == () and sum("Removed" in w for w in again.warnings) == len(result.parts)


def archive_case(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "data"
    with Workspace.open(data) as ws:
        case_id = ws.create_case(Client(name="Twice", a_number="123456789"))
        ws.add_evidence(case_id, [make_pdf(tmp_path / "passport.pdf", ["Passport"])])
        ws.export_case(case_id, tmp_path / "twice.pdpacket")
    return data, tmp_path / "twice.pdpacket"


def test_the_cli_says_the_case_is_already_there_and_takes_an_option(tmp_path, capsys):
    data, out = archive_case(tmp_path)
    args = ["--data-dir", str(data), "import-archive", str(out)]
    assert cli.main(args) == 2
    err = capsys.readouterr().err
    assert "already here" in err and "--update" in err and "--keep-both" in err
    assert cli.main([*args, "--keep-both"]) == 0
    capsys.readouterr()
    assert cli.main([*args, "--update"]) == 0
    capsys.readouterr()
    with Workspace.open(data) as ws:
        cases = ws.list_cases()
        assert len(cases) == 2
        with pytest.raises(ArchiveCaseExistsError):
            ws.import_archive(out, if_exists="refuse")
        newest = max(c.id for c in cases)
        [ex] = ws.exhibits(newest)
        audit = ws.store.audit_entries(newest)
        assert [a["detail"]["exhibit"] for a in audit if a["action"] == "exhibit.add"] == [ex.id]
        assert audit[-1]["action"] == "case.import_archive" and audit[-1]["detail"]["replaced"]


def test_the_startup_sweep_removes_what_a_killed_build_left(tmp_path):
    data = tmp_path / "data"
    folder = tmp_path / "packets"
    with Workspace.open(data) as ws:
        case_id = ws.create_case(Client(name="Killed"))
        ws.add_evidence(case_id, [make_pdf(tmp_path / "lease.pdf", ["Lease"])])
        ws.build_packet(case_id, folder / "Killed.pdf")
    old = folder / ".Killed.pdf.x1y2z3.part"  # what a kill half-way leaves
    recent = folder / ".Killed.pdf.a1b2c3.part"  # a build still running elsewhere
    mine = folder / ".notes.part"  # not a packet's: not ours to touch
    for p in (old, recent, mine):
        p.write_bytes(b"%PDF-1.7 half")
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    os.utime(mine, (hour_ago, hour_ago))
    with Workspace.open(data):  # the startup sweep
        pass
    assert not old.exists() and recent.exists() and mine.exists()
    assert (folder / "Killed.pdf").exists()

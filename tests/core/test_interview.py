"""The case interview: stored per case (versioned), undoable, read from a
manifest, carried by case archives and copies, seen by the review, and
scriptable with `pdpacket interview`."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from pdpacket.errors import ManifestError, ValidationError
from pdpacket.model import Client, Proceedings
from pdpacket.model.interview import Arrest, Charge, Entry, Interview, Pronouns, Relative
from pdpacket.review import readiness
from tests.core.packet_fixtures import add_exhibit, text_pdf


def _case(ws, name="Rosa Test"):
    case_id = ws.create_case(
        Client(name=name, a_number="201555014"),
        Proceedings(stage="proceedings_pending", pd_form="dismissal"),
    )
    disposition = add_exhibit(ws, case_id, "Disposition", text_pdf(["DISPOSITION: convicted"]))
    proof = add_exhibit(ws, case_id, "Probation discharge", text_pdf(["PROBATION COMPLETED"]))
    return case_id, disposition, proof


def _interview(*exhibit_ids: int) -> Interview:
    return Interview(
        pronouns=Pronouns.SHE,
        surname="Test",
        entry=Entry(date="2005-03", place="near Nogales, Arizona", manner="ewi"),
        charges=(Charge("INA 212(a)(6)(A)(i)", "present without admission or parole"),),
        relatives=(Relative("daughter", "Ana", "usc", "2012-05-01"),),
        arrests=(
            Arrest(
                date="2017-03-04",
                place="Phoenix, Arizona",
                charge="DUI (A.R.S. 28-1381(A)(1))",
                level="misdemeanor",
                disposition="convicted",
                disposition_date="2017-06-01",
                sentence="10 days in jail, suspended, and 12 months of probation",
                completed="completed probation in June 2018",
                since="She has been sober since 2017 and attends AA meetings every week.",
                exhibit_ids=exhibit_ids,
            ),
        ),
        reads_english=False,
        ground="a7",
    )


def test_interview_is_stored_per_case_and_read_back_whole(workspace):
    ws = workspace
    case_id, disp, proof = _case(ws)
    other, *_ = _case(ws, "Other Client")
    assert ws.interview(case_id) == Interview()  # nothing answered yet
    iv = _interview(disp, proof)
    ws.set_interview(case_id, iv)
    assert ws.interview(case_id) == iv
    assert ws.interview(other) == Interview()
    version, data = ws.store.db.execute(
        "SELECT version, data FROM interviews WHERE case_id = ?", (case_id,)
    ).fetchone()
    assert version == 1 and json.loads(data)["arrests"][0]["charge"] == iv.arrests[0].charge


def test_a_date_that_is_not_one_is_refused_naming_the_field(workspace):
    case_id, *_ = _case(workspace)
    with pytest.raises(ValidationError) as exc:
        workspace.set_interview(case_id, Interview(entry=Entry(date="March 2005")))
    assert "March 2005" in exc.value.message and "2005-03" in exc.value.hint
    assert workspace.interview(case_id) == Interview()  # nothing half stored


def test_an_arrest_keeps_only_exhibits_of_its_own_case(workspace):
    case_id, disp, _ = _case(workspace)
    _other, other_disp, _ = _case(workspace, "Other Client")
    workspace.set_interview(case_id, _interview(disp, other_disp))
    assert workspace.interview(case_id).arrests[0].exhibit_ids == (disp,)


def test_interview_changes_undo_and_redo(workspace):
    ws = workspace
    case_id, disp, _proof = _case(ws)
    first = _interview(disp)
    ws.set_interview(case_id, first)
    second = replace(first, family="Her daughter Ana depends on her every day.")
    ws.set_interview(case_id, second)
    assert ws.undo_text() == "Undo change of the case interview"
    ws.undo()
    assert ws.interview(case_id) == first
    ws.undo()
    assert ws.interview(case_id) == Interview()
    ws.redo()
    assert ws.interview(case_id) == first
    assert ws.set_interview(case_id, first) is None  # no change: no step


def test_manifest_interview_names_exhibits_by_their_place(workspace, manifest_factory):
    data = {
        "client": {"name": "Rosa Test"},
        "exhibits": [
            {"title": "Passport", "files": ["passport.pdf"]},
            {"title": "Certified disposition", "files": ["disposition.pdf"]},
        ],
        "interview": {
            "pronouns": "he",
            "entry": {"date": "2004", "manner": "visa_overstay"},
            "arrests": [{"charge": "Petty theft (Cal. Penal Code 484(a))", "exhibits": [2]}],
        },
    }
    path = manifest_factory(data)
    case_id = workspace.import_manifest(path)
    iv = workspace.interview(case_id)
    by_title = {e.title: e.id for e in workspace.exhibits(case_id)}
    assert iv.pronouns == Pronouns.HE and iv.entry.manner == "visa_overstay"
    assert iv.arrests[0].exhibit_ids == (by_title["Certified disposition"],)

    data["interview"]["arrests"][0]["exhibits"] = [3]
    path.write_text(json.dumps(data))
    with pytest.raises(ManifestError) as exc:
        workspace.import_manifest(path)
    assert "interview.arrests[0].exhibits" in exc.value.message
    assert "1 to 2" in exc.value.hint


def test_archive_and_duplicate_carry_the_interview_with_their_own_exhibits(workspace, tmp_path):
    ws = workspace
    case_id, disp, proof = _case(ws)
    iv = _interview(disp, proof)
    ws.set_interview(case_id, iv)

    copy = ws.duplicate_case(case_id)
    copied = ws.interview(copy)
    new_ids = [e.id for e in ws.exhibits(copy)]
    assert copied.arrests[0].exhibit_ids == tuple(new_ids) != (disp, proof)
    assert replace(copied, arrests=()) == replace(iv, arrests=())

    out = tmp_path / "case.pdpacket"
    ws.export_case(case_id, out)
    imported = ws.import_archive(out).case_id
    back = ws.interview(imported)
    assert back.arrests[0].exhibit_ids == tuple(e.id for e in ws.exhibits(imported))
    assert back.arrests[0].charge == "DUI (A.R.S. 28-1381(A)(1))"
    assert replace(back, arrests=()) == replace(iv, arrests=())


def test_the_review_context_reads_the_interview(workspace, monkeypatch):
    ws = workspace
    case_id, disp, _ = _case(ws)
    ws.set_interview(case_id, _interview(disp))
    seen = []
    monkeypatch.setattr(readiness, "CHECKS", [lambda ctx: seen.append(ctx.interview) or []])
    ws.review(case_id)
    assert seen == [ws.interview(case_id)]


def test_cli_prints_and_stores_the_interview_as_json(workspace, tmp_path):
    case_id, disp, _ = _case(workspace)
    workspace.set_interview(case_id, _interview(disp))
    workspace.close()

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pdpacket", "--data-dir", str(tmp_path / "data"), *args],
            capture_output=True,
            text=True,
            input=stdin,
            timeout=60,
        )

    shown = cli("interview", str(case_id))
    assert shown.returncode == 0, shown.stderr
    data = json.loads(shown.stdout)
    assert data["arrests"][0]["exhibit_ids"] == [disp] and data["pronouns"] == "she"
    data["work"] = "She has worked as a cook since 2010."
    stored = cli("interview", str(case_id), "--set", "-", stdin=json.dumps(data))
    assert stored.returncode == 0, stored.stderr
    assert json.loads(cli("interview", str(case_id)).stdout)["work"] == data["work"]
    data["entry"]["date"] = "yesterday"
    bad = cli("interview", str(case_id), "--set", "-", stdin=json.dumps(data))
    assert bad.returncode == 2 and "yesterday" in bad.stderr

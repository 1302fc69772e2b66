"""The firm-editable document templates (resources/templates/*.md): each
carries its source and verified_on; a file of the same name in the data
folder's templates/ folder is used instead (in the built packet too, read
with pdftotext); the PD form and the destination pick their own template; the
client's declaration carries a certificate of interpretation exactly when the
client does not read English; a joint motion's packet holds the motion with
both parties' signature blocks and the proposed order.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from pdpacket.model import Attorney, BuildOptions
from pdpacket.model.interview import Interview
from pdpacket.packet import documents
from pdpacket.policy import templates
from tests.pdftools import run_tool

DAY = dt.date(2026, 12, 6)


def _manifest(**proceedings: object) -> dict[str, object]:
    client = {"name": "Rosa Quintero", "a_number": "A201-555-014"}
    if "language" in proceedings:
        client["language"] = str(proceedings.pop("language"))
    return {
        "client": client,
        "proceedings": {"court": "boston", "opla_office": "boston", **proceedings},
        "exhibits": [{"title": "Passport of Rosa Quintero", "files": ["passport.pdf"]}],
    }


@pytest.fixture
def case_for(workspace, manifest_factory, tmp_path):
    workspace.set_attorney(Attorney(name="Ana Ortiz", firm="Ortiz Law", eoir_id="AB123456"))
    n = [0]

    def make(**proceedings: object) -> int:
        n[0] += 1
        path = manifest_factory(_manifest(**proceedings), folder=tmp_path / f"c{n[0]}")
        return workspace.import_manifest(path)

    return make


def _pages(workspace, case_id, tmp_path) -> list[str]:
    out = tmp_path / f"packet{case_id}.pdf"
    workspace.build_packet(case_id, out, BuildOptions(build_date=DAY))
    return [" ".join(p.split()) for p in run_tool("pdftotext", str(out), "-").split("\f")]


def test_every_packaged_template_names_its_source_and_date():
    names = templates.template_names()
    assert {"declaration.md", "joint_motion.md", "proposed_order.md", "motion.md"} <= set(names)
    for form in ("dismissal", "administrative_closure", "continuance"):
        assert f"motion-{form}.md" in names and f"proposed_order-{form}.md" in names
    assert "joint_motion-joint_motion_reopen.md" in names
    for dest in (
        "opla_email",
        "opla_eservice",
        "court_motion",
        "court_motion_paper",
        "joint_motion",
        "ero",
    ):
        assert f"cover-{dest}.md" in names
    for name in names:
        base, _, variant = name.removesuffix(".md").partition("-")
        t = templates.load_template(base, variants=(variant,))
        assert t.name == name and t.title, name
        assert t.source, f"{name} has no source"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", t.verified_on), name


def test_a_firms_template_in_the_data_folder_is_used_in_the_packet(workspace, case_for, tmp_path):
    case_id = case_for(stage="proceedings_pending", pd_form="dismissal", destination="court_motion")
    folder = workspace.data_dir / "templates"
    folder.mkdir()
    (folder / "proposed_order.md").write_text(
        "<!--\ntitle: PROPOSED ORDER ON {motion_upper}\nsource: our firm\nverified_on: 2026-12-06\n-->\n"
        "Having read the {motion} of {client}, the Court ORDERS: [  ] GRANTED [  ] DENIED.\n",
        encoding="utf-8",
    )
    pages = _pages(workspace, case_id, tmp_path)
    order = next(p for p in pages if "Having read" in p)
    assert (
        "Having read the motion to dismiss the proceedings without prejudice of Rosa Quintero"
        in order
    )
    # an unknown field stays as written: a firm's edit never breaks a build
    assert "PROPOSED ORDER ON {motion_upper}" in order
    assert not any("Upon consideration of the" in p for p in pages)
    listed = {t.name: t for t in workspace.templates()}
    assert listed["proposed_order.md"].firm and not listed["motion.md"].firm
    # the firm's files win over the built-in ones, per-form files included
    assert listed["proposed_order-dismissal.md"].firm


def test_the_pd_form_picks_its_motion_template(workspace, case_for, tmp_path):
    case_id = case_for(
        stage="proceedings_pending", pd_form="continuance", destination="court_motion"
    )
    pages = _pages(workspace, case_id, tmp_path)
    assert any(
        "RESPONDENT'S MOTION TO CONTINUE" in p and "for good cause shown" in p for p in pages
    )
    order = next(p for p in pages if "ORDER OF THE IMMIGRATION JUDGE" in p)
    assert "the hearing is continued to ____" in order


def test_the_cover_sheet_follows_the_destination(workspace, case_for, tmp_path):
    opla = case_for(stage="proceedings_pending", pd_form="dismissal", destination="opla_email")
    workspace.refresh_letter(opla)
    cover = _pages(workspace, opla, tmp_path)[0]
    assert "Submitted by counsel for Rosa Quintero, with the supporting documents" in cover
    court = case_for(stage="proceedings_pending", pd_form="dismissal", destination="court_motion")
    assert "Submitted by counsel" not in _pages(workspace, court, tmp_path)[0]


def test_joint_motion_packet_holds_both_signature_blocks_and_the_proposed_order(
    workspace, case_for, tmp_path
):
    grounds = "The parties agree the Respondent's I-130 was approved on June 1, 2026."
    case_id = case_for(
        stage="final_order", pd_form="joint_motion_reopen", destination="joint_motion"
    )
    workspace.update_proceedings(case_id, motion_grounds=grounds)
    pages = _pages(workspace, case_id, tmp_path)
    assert "JOINT MOTION" in pages[0]
    motion = next(p for p in pages if "JOINT MOTION TO REOPEN" in p and "jointly move" in p)
    assert "not subject to the time and number limits" in motion  # its own template
    assert grounds in motion
    assert "For the Respondent" in motion and "For the Department of Homeland Security" in motion
    assert "Ana Ortiz" in motion and "Counsel for Respondent" in motion
    assert "Name: ____" in motion and "Assistant Chief Counsel" in motion  # blank for DHS
    assert motion.count("Date") >= 2  # a date line in each block
    order = next(p for p in pages if "ORDER OF THE IMMIGRATION JUDGE" in p)
    assert "Upon consideration of the joint motion to reopen" in order
    assert "the proceedings are reopened" in order
    assert not any("CERTIFICATE OF SERVICE" in p and "I, " in p for p in pages)  # joint: none


@pytest.mark.parametrize(
    ("language", "interview", "expected"),
    [
        ("Spanish", None, True),
        ("English", None, False),
        ("", None, False),
        ("Spanish", Interview(reads_english=True), False),
        ("English", Interview(reads_english=False), True),
    ],
)
def test_declaration_has_the_interpretation_certificate_exactly_when_needed(
    workspace, case_for, language, interview, expected
):
    case_id = case_for(stage="proceedings_pending", pd_form="dismissal", language=language)
    doc = documents.declaration(workspace.store, case_id, today=DAY, interview=interview)
    pdf_text = " ".join(_pdf_text(doc.pdf).split())
    assert "DECLARATION OF ROSA QUINTERO" in pdf_text
    assert "I declare under penalty of perjury" in pdf_text
    assert ("CERTIFICATE OF INTERPRETATION" in pdf_text) is expected
    assert bool(doc.text.more_pages) is expected
    if expected and language:
        assert f"interpret between {language} and English" in pdf_text


def _pdf_text(data: bytes) -> str:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "d.pdf"
        path.write_bytes(data)
        return run_tool("pdftotext", str(path), "-")


def test_a_firms_unreadable_template_falls_back_to_the_built_in_one(workspace, tmp_path):
    folder = workspace.data_dir / "templates"
    folder.mkdir()
    (folder / "declaration.md").write_bytes(b"\xff\xfe\x00broken")
    t = templates.load_template("declaration", workspace.data_dir)
    assert not t.firm and "penalty of perjury" in t.body


def test_the_review_asks_for_the_source_of_a_firms_template(workspace, case_for):
    case_id = case_for(stage="proceedings_pending", pd_form="dismissal", destination="court_motion")
    folder = workspace.data_dir / "templates"
    folder.mkdir()
    own = folder / "motion-dismissal.md"
    own.write_text("Respondent {client} moves to dismiss.\n", encoding="utf-8")
    found = [f for f in workspace.review(case_id) if f.code == "templates.unsourced"]
    assert len(found) == 1 and "motion-dismissal.md" in found[0].message
    assert "source and verified_on" in found[0].message
    own.write_text(
        "<!--\nsource: our practice\nverified_on: 2026-12-06\n-->\nRespondent {client} moves.\n",
        encoding="utf-8",
    )
    assert not [f for f in workspace.review(case_id) if f.code == "templates.unsourced"]


def test_a_templates_note_for_the_attorney_is_shown_by_the_review(workspace, case_for):
    alone = case_for(stage="proceedings_pending", pd_form="dismissal", destination="court_motion")
    notes = [f for f in workspace.review(alone) if f.code == "templates.attorney_note"]
    assert len(notes) == 1 and "8 CFR 1239.2(c) is a motion DHS counsel makes" in notes[0].message
    joint = case_for(stage="proceedings_pending", pd_form="dismissal", destination="joint_motion")
    assert not [f for f in workspace.review(joint) if f.code == "templates.attorney_note"]

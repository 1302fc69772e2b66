"""The demo is a finished filing: a legally coherent fictional case whose final
packet an attorney could sign, built by `pdpacket demo --out FILE`, and the
same case the window creates on first start.

Checked with pdftotext (an independent reader), not only with our own code.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest

from pdpacket.demo import CLIENT, DEMO_ATTORNEY, HUSBAND, demo_manifest
from pdpacket.model import Severity, markup
from tests.pdftools import outline_titles, qpdf_check, run_tool


def _cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pdpacket", *args],
        capture_output=True,
        text=True,
        env={"PDPACKET_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )


@pytest.fixture(scope="module")
def demo_pdf(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("demo")
    out = folder / "demo.pdf"
    res = _cli("demo", "--out", str(out), home=folder / "home")
    assert res.returncode == 0, res.stderr
    return out, run_tool("pdftotext", "-layout", str(out), "-")


def test_demo_out_is_a_final_packet_with_no_placeholder_or_draft_mark(demo_pdf):
    out, text = demo_pdf
    qpdf_check(out)
    assert "[[" not in text and "]]" not in text
    assert "DRAFT" not in text
    assert "[MISSING EXHIBIT]" not in text
    assert "______" not in text  # no blank signature line or "I, ______"


def test_demo_packet_is_signed_and_carries_the_g28(demo_pdf):
    out, text = demo_pdf
    flat = " ".join(text.split())
    assert f"/s/ {DEMO_ATTORNEY.name}" in flat  # the letter, signed electronically
    assert "Form G-28" in flat and "Notice of Entry of Appearance" in flat
    titles = [t for t, _, _ in outline_titles(out)]
    assert any("G-28" in t for t in titles), titles
    assert sum(t.startswith("Exhibit ") for t in titles) == len(demo_manifest()["exhibits"])


def test_demo_goes_to_opla_by_email_without_service_or_court_caption(demo_pdf):
    _out, text = demo_pdf
    flat = " ".join(text.split())
    assert "VIA ELECTRONIC MAIL" in flat and "Chief Counsel" in flat
    assert "CERTIFICATE OF SERVICE" not in flat.upper()
    assert "VIA ECAS" not in flat


def test_demo_story_is_legally_coherent(demo_pdf):
    """The petition is the U.S.-citizen husband's (a child must be 21 to petition
    for a parent), she was admitted (so she can adjust as an immediate relative),
    and the letter claims no path it does not show."""
    _out, text = demo_pdf
    flat = " ".join(text.split())
    assert "Petitioner: REYES, DANIEL A (U.S. citizen)" in flat
    assert "Husband or wife of U.S. citizen" in flat
    assert "Class of admission: B2" in flat
    assert f"married {HUSBAND}, a United States citizen" in flat
    assert "adjust status under INA 245(a)" in flat
    assert "Administrative closure (8 CFR 1003.18(c))" in flat
    assert "Petitioner: MORALES, MATEO" not in flat
    assert "realistic path" not in flat and "Counsel has advised" not in flat
    born = dt.date.fromisoformat(CLIENT["dob"])
    assert dt.date(2009, 6, 12).year - born.year == 21  # "at twenty-one" in the story


def test_window_demo_case_is_the_same_finished_case(workspace, tmp_path):
    case_id = workspace.ensure_demo_case()
    assert case_id is not None
    found = workspace.review(case_id)
    errors = [(f.code, f.message) for f in found if f.severity == Severity.ERROR]
    assert errors == []
    letter = workspace.letter(case_id)
    assert letter is not None and not markup.placeholders(letter.text)
    assert all(s.electronic for s in workspace.signatures(case_id))
    assert workspace.destination(case_id).id == "opla_email"
    # every exhibit is cited in the letter
    cited = {c.exhibit_id for c in markup.citations(letter.text)}
    assert cited == {e.id for e in workspace.exhibits(case_id)}
    # and `pdpacket check` agrees (exit 0)
    workspace.close()
    res = _cli("--data-dir", str(tmp_path / "data"), "check", str(case_id), home=tmp_path / "h")
    assert res.returncode == 0, res.stdout + res.stderr


def test_the_demo_never_signs_a_real_case_with_its_fictional_attorney(workspace, tmp_path):
    """The window's demo fills the fictional attorney only into an empty Settings;
    a real case filed under it is an error until the user enters their own."""
    from tests.core.test_review import good_case

    demo = workspace.ensure_demo_case()
    assert workspace.attorney() == DEMO_ATTORNEY
    case_id, _ = good_case(workspace, tmp_path / "ev")
    workspace.set_attorney(DEMO_ATTORNEY)  # good_case set its own: put the demo's back
    codes = {f.code for f in workspace.review(case_id) if f.severity == Severity.ERROR}
    assert "settings.demo_attorney" in codes
    assert "settings.demo_attorney" not in {f.code for f in workspace.review(demo)}


def test_the_demo_letter_is_written_in_full(workspace):
    case_id = workspace.create_demo_case()
    text = workspace.letter(case_id).text
    assert not re.search(r"\[\[", text)
    # the path that discretion opens, from the demo's interview
    assert "through the petition filed by her United States citizen spouse" in text


def test_the_demo_hearing_stays_ahead_of_the_filing_deadline():
    from pdpacket.demo import _next_hearing

    for today in (dt.date(2026, 12, 2), dt.date(2031, 2, 28)):
        hearing = _next_hearing(today)
        assert hearing.weekday() == 0 and 120 <= (hearing - today).days < 127
    assert demo_manifest()["proceedings"]["hearing_date"] == _next_hearing().isoformat()

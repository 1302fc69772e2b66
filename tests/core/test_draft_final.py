"""Drafts stay drafts: a packet built while the readiness review has errors says
DRAFT on every page (read back with poppler, not the library that wrote it),
says why, and is recorded as a draft; ``--final`` refuses it with exit 2,
naming each error; the same case fixed builds a final packet with no mark and
no placeholder.  Stamps, labels and tab boxes stay half an inch from every edge.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pdpacket.api import Workspace
from pdpacket.cli import main
from pdpacket.errors import NotReadyError
from pdpacket.model import BuildOptions, Finding, Location, NumberingStyle, Severity
from pdpacket.pdf import stamps
from pdpacket.review import readiness
from tests.core.packet_fixtures import add_exhibit, dark_fraction, page_count, render
from tests.core.test_editions import scanned_pdf
from tests.core.test_review import TODAY, good_case
from tests.pdftools import qpdf_check, run_tool

OPTS = BuildOptions(build_date=TODAY)
PLACEHOLDER = "[[say how long she has worked for the same employer]]"
MARGIN = 36.0  # half an inch: what printers and two-hole fasteners leave alone


def page_texts(path: Path) -> list[str]:
    """Each page's text, as poppler extracts it (form feeds between pages)."""
    text = run_tool("pdftotext", "-layout", str(path), "-")
    pages = text.split("\f")
    n = page_count(path)
    assert len(pages) >= n
    return pages[:n]


def flaw(ws: Workspace, case_id: int, ids: dict[str, int]) -> None:
    """Two mistakes a tired paralegal makes: a placeholder left in the letter and
    a Spanish document with no translation."""
    letter = ws.letter(case_id)
    assert letter is not None
    ws.save_letter(case_id, letter.text + f"\n{PLACEHOLDER}\n")
    ws.store.update_exhibit(ids["passport"], language="Spanish")


def fix(ws: Workspace, case_id: int, ids: dict[str, int]) -> None:
    letter = ws.letter(case_id)
    assert letter is not None
    ws.save_letter(case_id, letter.text.replace(PLACEHOLDER, "She has worked there since 2011."))
    ws.store.update_exhibit(ids["passport"], language="English")


@pytest.fixture
def flawed(workspace, tmp_path):  # type: ignore[no-untyped-def]
    case_id, ids = good_case(workspace, tmp_path / "ev")
    flaw(workspace, case_id, ids)
    return case_id, ids


def cli(workspace: Workspace, *args: str) -> int:
    return main(["--data-dir", str(workspace.store.data_dir), *args])


# ---- a draft -------------------------------------------------------------------------
def test_a_flawed_case_builds_a_draft_that_says_so_on_every_page(workspace, flawed, tmp_path):
    case_id, _ = flawed
    out = tmp_path / "draft.pdf"
    result = workspace.build_packet(case_id, out, OPTS)
    qpdf_check(out)
    codes = {r.split(":")[0] for r in result.draft_reasons}
    assert {"letter.placeholder", "exhibit.untranslated"} <= codes, result.draft_reasons
    assert not result.final
    texts = page_texts(out)
    assert len(texts) == result.pages
    for n, text in enumerate(texts, 1):
        assert "DRAFT" in text, f"page {n} does not say DRAFT:\n{text}"
        assert "NOT FOR FILING" in text, n
    [record] = workspace.builds(case_id)
    assert record.final is False and record.status == "Draft"
    assert record.draft_reasons == result.draft_reasons


def test_every_edition_of_a_draft_says_draft_on_every_page(workspace, flawed, tmp_path):
    case_id, _ = flawed
    # a scan too large for one 0.6 MB file: the e-filing edition comes in parts
    add_exhibit(workspace, case_id, "Scanned tax returns", scanned_pdf(5, "TAX"))
    for edition, extra in (
        ("efile", {"max_mb": 0.6}),  # each part is marked
        ("email", {}),
        ("print", {"duplex": True}),  # the copies sheet and the blank backs too
    ):
        options = dataclasses.replace(OPTS, edition=edition, **extra)  # type: ignore[arg-type]
        result = workspace.build_edition(case_id, tmp_path / edition, options)
        files = [Path(p) for p in result.parts] or [Path(result.path)]
        assert result.draft_reasons
        assert edition != "efile" or len(files) >= 2, result.parts
        for f in files:
            for n, text in enumerate(page_texts(f), 1):
                assert "DRAFT" in text, f"{edition}: {f.name} page {n}"


def test_final_refuses_a_flawed_case_naming_each_error(workspace, flawed, tmp_path):
    case_id, _ = flawed
    out = tmp_path / "final.pdf"
    with pytest.raises(NotReadyError) as info:
        workspace.build_packet(case_id, out, dataclasses.replace(OPTS, final=True))
    assert info.value.exit_code == 2
    codes = {code for code, _message, _fix in info.value.errors}
    assert {"letter.placeholder", "exhibit.untranslated"} <= codes
    for code, message, fix_text in info.value.errors:
        assert message and fix_text
        assert code in info.value.hint and fix_text in info.value.hint
    assert not out.exists()
    assert workspace.builds(case_id) == []


def test_the_cli_builds_a_draft_with_exit_0_and_refuses_final_with_exit_2(
    workspace, flawed, tmp_path, capsys
):
    case_id, _ = flawed
    out = tmp_path / "p.pdf"
    base = ["build", str(case_id), "--out", str(out), "--date", TODAY.isoformat()]
    assert cli(workspace, *base, "--final") == 2
    err = capsys.readouterr().err
    assert "Not ready for a final packet" in err
    assert "letter.placeholder" in err and "exhibit.untranslated" in err
    assert "Fix:" in err and not out.exists()

    assert cli(workspace, *base) == 0
    captured = capsys.readouterr()
    assert re.search(r"^DRAFT: \d+ review errors?: ", captured.err, re.M), captured.err
    assert "letter.placeholder" in captured.err
    assert str(out) in captured.out and out.exists()

    assert cli(workspace, "history", str(case_id)) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split("\t")[2] == "Draft"
    assert any("letter.placeholder" in line for line in lines[1:])


# ---- the same case, fixed ------------------------------------------------------------
def test_the_fixed_case_builds_final_with_no_mark_and_no_placeholder(
    workspace, flawed, tmp_path, capsys
):
    case_id, ids = flawed
    workspace.build_packet(case_id, tmp_path / "draft.pdf", OPTS)
    fix(workspace, case_id, ids)
    out = tmp_path / "final.pdf"
    args = ["build", str(case_id), "--out", str(out), "--date", TODAY.isoformat(), "--final"]
    assert cli(workspace, *args) == 0
    assert "DRAFT" not in capsys.readouterr().err
    qpdf_check(out)
    for n, text in enumerate(page_texts(out), 1):
        assert "DRAFT" not in text, f"page {n} of a final packet says DRAFT"
        assert "[[" not in text and "]]" not in text, f"page {n} holds a placeholder"
    final, draft = workspace.builds(case_id)
    assert (final.status, final.final, final.draft_reasons) == ("Final", True, ())
    assert draft.status == "Draft"
    assert cli(workspace, "history", str(case_id)) == 0
    statuses = [
        line.split("\t")[2] for line in capsys.readouterr().out.splitlines() if line[:1].isdigit()
    ]
    assert statuses == ["Final", "Draft"]


def test_findings_about_the_last_built_file_do_not_make_a_draft(
    workspace, flawed, tmp_path, monkeypatch
):
    """The build replaces that file: its size or orientation is no reason to mark
    the new one (the review after the build judges the new file)."""
    case_id, ids = flawed
    fix(workspace, case_id, ids)
    first = workspace.build_packet(case_id, tmp_path / "a.pdf", OPTS)
    assert first.final
    about_the_file = Finding(
        "packet.too_large",
        Severity.ERROR,
        "a.pdf is 31.0 MB; the limit is 25 MB.",
        "Build the e-filing edition.",
        Location("build", str(first.build_id)),
    )
    real = readiness.review_case
    monkeypatch.setattr(
        readiness, "review_case", lambda *a, **kw: [about_the_file, *real(*a, **kw)]
    )
    assert "packet.too_large" in {f.code for f in workspace.review(case_id, today=TODAY)}
    assert workspace.build_blockers(case_id, OPTS) == []
    assert workspace.build_packet(case_id, tmp_path / "b.pdf", OPTS).final


# ---- print-safe margins --------------------------------------------------------------
def words(path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Every word of every page with its box (x0, top, x1, bottom) in points from
    the top-left corner, as ``pdftotext -bbox`` reads them."""
    html = run_tool("pdftotext", "-bbox", str(path), "-")
    html = re.sub(r"<!DOCTYPE[^>]*>", "", html).replace("&nbsp;", " ")
    root = ET.fromstring(re.sub(r'xmlns="[^"]*"', "", html, count=1))
    out = []
    for page in root.iter("page"):
        out.append(
            [
                (
                    (w.text or "").strip(),
                    float(w.get("xMin", 0)),
                    float(w.get("yMin", 0)),
                    float(w.get("xMax", 0)),
                    float(w.get("yMax", 0)),
                )
                for w in page.iter("word")
            ]
        )
    return out


def assert_clear_of_edges(what: str, box: tuple[str, float, float, float, float]) -> None:
    text, x0, top, x1, bottom = box
    gaps = (x0, top, stamps.PAGE_W - x1, stamps.PAGE_H - bottom)
    assert min(gaps) >= MARGIN, f"{what} {text!r} is {min(gaps):.1f} pt from an edge: {box}"


def test_stamps_labels_and_tab_boxes_stay_half_an_inch_from_every_edge(workspace, flawed, tmp_path):
    """Every word on every page of a draft (numbers, exhibit labels, the draft
    mark; the test's evidence keeps its own text well inside), and every tab
    page's ink, stays at least half an inch from each edge."""
    case_id, _ = flawed
    out = tmp_path / "p.pdf"
    options = dataclasses.replace(OPTS, numbering=NumberingStyle.BATES, bates_prefix="ROSA-")
    result = workspace.build_packet(case_id, out, options)
    pages = words(out)
    assert len(pages) == result.pages
    seen = {"number": 0, "label": 0, "draft": 0}
    for n, page in enumerate(pages, 1):
        for box in page:
            assert_clear_of_edges(f"page {n}:", box)
        texts = [w[0] for w in page]
        seen["number"] += any(t.startswith("ROSA-") for t in texts)
        seen["label"] += "Exh." in texts
        seen["draft"] += "NOT" in texts and "FILING" in texts
    assert seen["number"] == seen["draft"] == result.pages, seen  # Bates: every page
    assert seen["label"] >= 5, seen  # passport 1, lease 3, G-28 1
    # tab pages: no ink at all within half an inch of an edge (the box is a drawing)
    tabs = [n for n, page in enumerate(pages, 1) if any(w[0] == "EXHIBIT" for w in page)]
    assert len(tabs) == 3
    for n in tabs:
        png = render(out, n, tmp_path, dpi=72)
        for band in (
            (0, 0, MARGIN - 1, 792),  # left
            (612 - MARGIN + 1, 0, 612, 792),  # right
            (0, 0, 612, MARGIN - 1),  # bottom
            (0, 792 - MARGIN + 1, 612, 792),  # top
        ):
            assert dark_fraction(png, band) == 0.0, f"tab page {n}: ink in {band}"


def test_a_placeholder_the_review_missed_still_keeps_the_packet_a_draft(
    workspace, flawed, tmp_path, monkeypatch
):
    """The safety net under the review: text pdpacket writes with a [[...]] left
    in it never goes out unmarked, and a final packet with one is refused."""
    case_id, ids = flawed
    workspace.store.update_exhibit(ids["passport"], language="English")
    monkeypatch.setattr(readiness, "review_case", lambda *a, **kw: [])  # a review that misses it
    with pytest.raises(NotReadyError) as info:
        workspace.build_packet(case_id, tmp_path / "f.pdf", dataclasses.replace(OPTS, final=True))
    [(code, message, _fix)] = info.value.errors
    assert code == "build.placeholder" and PLACEHOLDER in message
    assert not (tmp_path / "f.pdf").exists()
    result = workspace.build_packet(case_id, tmp_path / "d.pdf", OPTS)
    assert [r.split(":")[0] for r in result.draft_reasons] == ["build.placeholder"]
    assert all("DRAFT" in text for text in page_texts(tmp_path / "d.pdf"))
    assert workspace.builds(case_id)[0].status == "Draft"


def test_builds_recorded_before_drafts_were_marked_say_unchecked(workspace, flawed, capsys):
    case_id, _ = flawed
    workspace.store.record_build(
        case_id, path="/old/packet.pdf", pages=9, size=1, sha256="0" * 64, options={}, files=()
    )
    [old] = workspace.builds(case_id)
    assert (old.final, old.status) == (None, "Unchecked")
    assert cli(workspace, "history", str(case_id)) == 0
    assert capsys.readouterr().out.split("\t")[2] == "Unchecked"

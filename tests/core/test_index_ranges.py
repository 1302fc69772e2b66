"""The index of exhibits: a document that spans years shows its date as a range,
an exhibit with no section gets a heading of its own (in the index and the
bookmarks), and the optional table of which exhibits prove which factor.
Packets are read with pdftotext and qpdf as well as pypdf."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from pdpacket.api import Workspace
from pdpacket.cli import main
from pdpacket.model import BuildOptions, FactorAnswer
from pdpacket.packet.dates import index_date, tab_date
from tests.core.packet_fixtures import add_exhibit, index_links, new_case, text_pdf
from tests.pdftools import make_pdf, outline_titles, qpdf_check, run_tool

DAY = dt.date(2026, 12, 6)


def pages_text(path: Path) -> list[str]:
    return run_tool("pdftotext", "-layout", str(path), "-").split("\f")


def page_with(path: Path, needle: str) -> tuple[int, str]:
    """(1-based page number, text) of the first page that shows ``needle``."""
    for n, text in enumerate(pages_text(path), 1):
        if needle in text:
            return n, text
    raise AssertionError(f"{needle!r} is on no page")


@pytest.fixture
def case(workspace: Workspace) -> int:
    case_id = new_case(workspace)
    workspace.store.set_factor_answer(case_id, FactorAnswer("long_residence", True, "since 2016"))
    workspace.store.set_factor_answer(case_id, FactorAnswer("community_ties", True, "church"))
    add_exhibit(
        workspace,
        case_id,
        "Passport",
        text_pdf(["PASSPORT"]),
        section="Identity",
        doc_date="2019-02-02",
    )
    add_exhibit(
        workspace,
        case_id,
        "Lease and utility bills",
        text_pdf(["LEASE 1", "LEASE 2"]),
        section="Residence",
        doc_date="2016-03-01",
        doc_date_end="2025-10-01",
        factor_ids=["long_residence"],
    )
    add_exhibit(
        workspace,
        case_id,
        "Pay stubs",
        text_pdf(["PAY"]),
        section="Residence",
        doc_date="2024-01-05",
        doc_date_end="2024-06-20",
        factor_ids=["long_residence"],
    )
    add_exhibit(
        workspace,
        case_id,
        "Letter from the pastor",
        text_pdf(["PASTOR"]),
        doc_date="2026-03-03",
        factor_ids=["community_ties"],
    )
    return case_id


def test_a_document_spanning_years_shows_a_range(workspace, case, tmp_path):
    out = tmp_path / "p.pdf"
    workspace.build_packet(case, out, BuildOptions(build_date=DAY))
    qpdf_check(out)
    _, index = page_with(out, "INDEX OF EXHIBITS")
    lease = next(line for line in index.splitlines() if "Lease and utility bills" in line)
    assert "2016\u20132025" in lease and "10/01/2025" not in lease
    pay = next(line for line in index.splitlines() if "Pay stubs" in line)
    assert "01\u201306/2024" in pay
    passport = next(line for line in index.splitlines() if "Passport" in line)
    assert "02/02/2019" in passport
    # the tab page says the whole period
    n, tab = page_with(out, "March 1, 2016")
    assert "March 1, 2016 \u2013 October 1, 2025" in " ".join(tab.split())
    assert "LEASE 1" in pages_text(out)[n]  # the page after it is the lease itself


def test_an_exhibit_without_section_gets_its_own_heading(workspace, case, tmp_path):
    out = tmp_path / "p.pdf"
    workspace.build_packet(case, out, BuildOptions(build_date=DAY))
    _, index = page_with(out, "INDEX OF EXHIBITS")
    lines = [" ".join(line.split()) for line in index.splitlines() if line.strip()]
    at = {
        name: next(i for i, ln in enumerate(lines) if name in ln)
        for name in ("Residence", "Pay stubs", "Other exhibits", "Letter from the pastor")
    }
    # the pastor's letter (no section) is not under "Residence" but under its own heading
    assert at["Residence"] < at["Pay stubs"] < at["Other exhibits"] < at["Letter from the pastor"]
    # the bookmarks say the same (qpdf): a top-level heading with the exhibit under it
    titles = outline_titles(out)
    heading = next(i for i, t in enumerate(titles) if t[0] == "Other exhibits")
    assert titles[heading][1] == 0
    assert titles[heading + 1][0].startswith("Exhibit D - Letter from the pastor")
    assert titles[heading + 1][1] == 1
    # and pypdf reads the same tree
    outline = PdfReader(out).outline
    names = [o.title for o in outline if not isinstance(o, list)]
    assert "Other exhibits" in names and "Residence" in names


def test_no_section_anywhere_means_no_headings(workspace, tmp_path):
    case_id = new_case(workspace)
    add_exhibit(workspace, case_id, "Passport", text_pdf(["PASSPORT"]))
    add_exhibit(workspace, case_id, "Lease", text_pdf(["LEASE"]))
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, BuildOptions(build_date=DAY))
    _, index = page_with(out, "INDEX OF EXHIBITS")
    assert "Other exhibits" not in index
    assert "Other exhibits" not in [t for t, _, _ in outline_titles(out)]


def test_the_factor_table_lists_each_factors_exhibits_with_links(workspace, case, tmp_path):
    out = tmp_path / "p.pdf"
    workspace.build_packet(case, out, BuildOptions(build_date=DAY, factor_table=True))
    qpdf_check(out)
    index_page, _ = page_with(out, "INDEX OF EXHIBITS")
    n, table = page_with(out, "EXHIBITS BY FACTOR")
    assert n == index_page + 1  # right after the index
    flat = [" ".join(line.split()) for line in table.splitlines() if line.strip()]
    residence = next(i for i, ln in enumerate(flat) if ln.startswith("Long residence"))
    community = next(i for i, ln in enumerate(flat) if ln.startswith("Community"))
    assert any("B Lease and utility bills 2016\u20132025" in ln for ln in flat[residence:community])
    assert any("C Pay stubs" in ln for ln in flat[residence:community])
    assert any("D Letter from the pastor" in ln for ln in flat[community:])
    assert not any("Passport" in ln for ln in flat)  # it supports no claimed factor
    # each row links to its exhibit's tab page
    tab_b, _ = page_with(out, "LEASE 1")
    targets = [t for _, t in index_links(out, n)]
    assert tab_b - 1 in targets
    assert ("Exhibits by factor", 0, n) in outline_titles(out)
    # without the option there is no table
    plain = tmp_path / "plain.pdf"
    workspace.build_packet(case, plain, BuildOptions(build_date=DAY))
    assert not any("EXHIBITS BY FACTOR" in t for t in pages_text(plain))


def test_dates_as_printed():
    from pdpacket.model import Exhibit

    ex = Exhibit(1, 1, 0, "x", doc_date=dt.date(2016, 3, 1), doc_date_end=dt.date(2025, 10, 1))
    assert index_date(ex) == "2016\u20132025"
    assert tab_date(ex) == "March 1, 2016 \u2013 October 1, 2025"
    same = Exhibit(1, 1, 0, "x", doc_date=dt.date(2016, 3, 1), doc_date_end=dt.date(2016, 3, 1))
    assert index_date(same) == "03/01/2016" and tab_date(same) == "March 1, 2016"
    backwards = Exhibit(
        1, 1, 0, "x", doc_date=dt.date(2016, 3, 1), doc_date_end=dt.date(2015, 1, 1)
    )
    assert index_date(backwards) == "03/01/2016"
    assert index_date(Exhibit(1, 1, 0, "x", doc_date_end=dt.date(2015, 1, 1))) == ""


def test_end_date_through_the_manifest_the_cli_and_an_archive(workspace, tmp_path, capsys):
    folder = tmp_path / "ev"
    folder.mkdir()
    make_pdf(folder / "lease.pdf", ["LEASE"])
    make_pdf(folder / "id.pdf", ["ID"])
    manifest = {
        "client": {"name": "Rosa Test"},
        "factors": [{"id": "long_residence", "notes": "since 2016"}],
        "exhibits": [
            {"title": "Passport", "files": ["id.pdf"], "section": "Identity"},
            {
                "title": "Leases",
                "files": ["lease.pdf"],
                "factor": "long_residence",
                "date": "2016-01-01",
                "date_end": "2025-12-31",
            },
        ],
    }
    path = folder / "case.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["import", str(path)]) == 0
    case_id = int(capsys.readouterr().out.strip())
    out = tmp_path / "cli.pdf"
    assert main(["build", str(case_id), "--out", str(out), "--factor-table"]) == 0
    _, table = page_with(out, "EXHIBITS BY FACTOR")
    assert "2016\u20132025" in table
    _, index = page_with(out, "INDEX OF EXHIBITS")
    assert "Other exhibits" in index  # the leases have no section; the passport has one

    # the end date goes with the case into an archive and back
    ws = Workspace.open(tmp_path / "w")
    try:
        src = ws.import_manifest(path)
        ex = next(e for e in ws.store.list_exhibits(src) if e.title == "Leases")
        assert ex.doc_date_end == dt.date(2025, 12, 31)
        archive = tmp_path / "case.pdpacket"
        ws.export_case(src, archive)
        info = ws.import_archive(archive)
        back = next(e for e in ws.store.list_exhibits(info.case_id) if e.title == "Leases")
        assert back.dates == (dt.date(2016, 1, 1), dt.date(2025, 12, 31))
    finally:
        ws.close()


def test_a_bad_end_date_in_a_manifest_names_the_key(workspace, tmp_path):
    from pdpacket.errors import ManifestError

    make_pdf(tmp_path / "a.pdf", ["A"])
    data = {
        "client": {"name": "R"},
        "exhibits": [{"title": "A", "files": ["a.pdf"], "date_end": "2020-01-01"}],
    }
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(
        ManifestError, match=r"exhibits\[0\]\.date_end: is set but the exhibit has no date"
    ):
        workspace.import_manifest(path)
    data["exhibits"][0].update({"date": "2021-01-01", "date_end": "2020-01-01"})
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ManifestError, match=r"date_end: 2020-01-01 comes before"):
        workspace.import_manifest(path)

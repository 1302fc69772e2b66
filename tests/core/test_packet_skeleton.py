"""The first packet: index with page ranges, exhibits in order, one bookmark each.
Checked with qpdf and poppler, not only with the library that wrote it."""

import re

from pypdf import PdfReader

from pdpacket.model import Client
from tests.pdftools import outline_titles, page_text, pdfinfo, qpdf_check


def _case_with_exhibits(workspace, pdf_factory, sizes):
    case_id = workspace.create_case(Client(name="Rosa Test", a_number="201555014"))
    files = [
        pdf_factory(f"doc{i}.pdf", [f"DOC{i} PAGE{p}" for p in range(1, n + 1)])
        for i, n in enumerate(sizes)
    ]
    workspace.add_evidence(case_id, files)
    return case_id


def test_packet_has_index_exhibits_and_a_bookmark_per_exhibit(workspace, pdf_factory, tmp_path):
    case_id = _case_with_exhibits(workspace, pdf_factory, [1, 3, 2])
    out = tmp_path / "out" / "packet.pdf"
    result = workspace.build_packet(case_id, out)
    qpdf_check(out)
    assert pdfinfo(out)["Pages"] == "7" == str(result.pages)
    titles = outline_titles(out)
    assert [t for t, _, _ in titles] == [
        "Index of Exhibits",
        "Exhibit A - Doc0",
        "Exhibit B - Doc1",
        "Exhibit C - Doc2",
    ]
    assert [p for _, _, p in titles] == [1, 2, 3, 6]
    index = page_text(out, 1)
    # Each index row's page range points at the exhibit's real pages.
    for letter, first, last, doc in (("A", 2, 2, 0), ("B", 3, 5, 1), ("C", 6, 7, 2)):
        rng = str(first) if first == last else f"{first}-{last}"
        assert re.search(rf"^\s*{letter}\s+Doc{doc}\s+{rng}\s*$", index, re.M), index
        assert f"DOC{doc} PAGE1" in page_text(out, first)
        assert f"DOC{doc} PAGE{last - first + 1}" in page_text(out, last)


def test_packet_survives_deleted_sources_and_is_recorded(workspace, pdf_factory, tmp_path):
    case_id = _case_with_exhibits(workspace, pdf_factory, [2])
    for f in (tmp_path / "evidence").iterdir():
        f.unlink()
    result = workspace.build_packet(case_id, tmp_path / "p.pdf")
    [record] = workspace.store.list_builds(case_id)
    assert record.sha256 == result.sha256 and record.pages == 3


def test_failed_build_leaves_the_previous_packet_intact(workspace, pdf_factory, tmp_path):
    case_id = _case_with_exhibits(workspace, pdf_factory, [1])
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out)
    before = out.read_bytes()
    sha = workspace.exhibits(case_id)[0].files[0].pdf_sha256
    workspace.store.blobs.path(sha).write_bytes(b"%PDF-1.4 damaged")
    try:
        workspace.build_packet(case_id, out)
    except Exception as exc:
        assert "damaged" in str(exc)
    else:
        raise AssertionError("a damaged blob must stop the build")
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    assert len(PdfReader(out).pages) == 2

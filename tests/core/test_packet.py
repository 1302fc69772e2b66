"""The packet (#4): cover, index, tabbed exhibits, bookmarks, links, labels,
reproducible bytes, a clean document, atomic publish, the build record.

Every property is read back with qpdf, poppler or mupdf, not with the library
that wrote it (pypdf only where it is the second opinion)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from pypdf import PdfReader

from pdpacket.errors import BadInputError, CancelledError
from pdpacket.model import BuildOptions
from tests.core.packet_fixtures import (
    add_exhibit,
    bottom_text,
    case_with_sizes,
    drawing_pdf,
    index_links,
    mutool_outline,
    new_case,
    page_count,
    page_labels,
    page_sizes,
    pdf_with_baggage,
    qpdf_objects,
    text_of,
    text_pdf,
)
from tests.pdftools import outline_titles, pdfinfo, qpdf_check, run_tool

DATE = dt.date(2026, 3, 20)
OPTS = BuildOptions(build_date=DATE)


def test_packet_in_order_with_index_tabs_bookmarks_and_numbers(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [1, 3, 2])
    out = tmp_path / "out" / "packet.pdf"
    result = workspace.build_packet(case_id, out, OPTS)
    qpdf_check(out)
    # cover 1, index 2, A: tab 3 + 4, B: tab 5 + 6-8, C: tab 9 + 10-11
    assert page_count(out) == 11 == result.pages
    assert outline_titles(out) == [
        ("Cover", 0, 1),
        ("Index of Exhibits", 0, 2),
        ("Exhibit A - Doc0", 0, 3),
        ("Exhibit B - Doc1", 0, 5),
        ("Exhibit C - Doc2", 0, 9),
    ]
    index = text_of(out, 2)
    for letter, first, last, doc in (("A", 3, 4, 0), ("B", 5, 8, 1), ("C", 9, 11, 2)):
        # each index row's range is where the exhibit really is
        assert re.search(rf"^\s*{letter}\s+Doc{doc}\s+{first}-{last}\s*$", index, re.M), index
        assert f"EXHIBIT {letter}" in text_of(out, first)
        assert f"DOC{doc} PAGE1" in text_of(out, first + 1)
        assert f"DOC{doc} PAGE{last - first}" in text_of(out, last)
    # every page prints its number at the bottom, and exhibit pages their label
    for n in range(1, 12):
        assert bottom_text(out, n).split()[0] == str(n)
    assert "Exh. B, p. 3" in bottom_text(out, 8)
    assert "Exh." not in bottom_text(out, 5)  # the tab page itself carries no label
    # the viewer's page box says what the paper says
    assert page_labels(out) == [str(n) for n in range(1, 12)]
    assert all(s == (612.0, 792.0, 0) for s in page_sizes(out))


def test_index_entries_link_to_their_tab_pages(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [2, 1, 4])
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    links = index_links(out, 2)
    assert [target for _, target in links] == [3, 6, 8]
    # each link covers its own row (rows run down the page)
    tops = [rect[3] for rect, _ in links]
    assert tops == sorted(tops, reverse=True)


def test_a_long_index_spans_pages_and_stays_right(workspace, tmp_path):
    case_id = new_case(workspace)
    for i in range(45):
        add_exhibit(
            workspace,
            case_id,
            f"Letter of support number {i} from a member of the parish community",
            text_pdf([f"SUPPORT{i}"] * (1 + i % 3)),
            description="Signed and dated, with the writer's address, telephone and status; "
            "describes the client's volunteer work every Saturday since 2019.",
            section="Community ties" if i >= 20 else "Identity",
        )
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    qpdf_check(out)
    titles = outline_titles(out)
    index_pages = [p for t, _, p in titles if t == "Index of Exhibits"]
    first_tab = next(p for t, _, p in titles if t.startswith("Exhibit A "))
    assert index_pages == [2] and first_tab > 3  # the index took several pages
    assert "INDEX OF EXHIBITS (continued)" in text_of(out, 3)
    # every row on every index page links to the tab page of the exhibit it names
    seen = []
    for page in range(2, first_tab):
        for _, target in index_links(out, page):
            seen.append(target)
            assert re.search(r"EXHIBIT [A-Z]+", text_of(out, target))
    tabs = [p for t, _, p in titles if t.startswith("Exhibit ")]
    assert seen == tabs
    # sections are their own bookmark level, and the ranges in the index are right
    assert ("Identity", 0, first_tab) in titles and ("Community ties", 0, tabs[20]) in titles
    assert [d for t, d, _ in titles if t.startswith("Exhibit ")] == [1] * 45
    index_text = "".join(text_of(out, p) for p in range(2, first_tab))
    for i, tab in enumerate(tabs):
        end = (tabs[i + 1] - 1) if i + 1 < len(tabs) else page_count(out)
        assert f"{tab}-{end}" in index_text
        assert f"SUPPORT{i}" in text_of(out, end)


def test_same_case_and_options_give_identical_bytes(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [2, 1])
    a = workspace.build_packet(case_id, tmp_path / "a.pdf", OPTS)
    b = workspace.build_packet(case_id, tmp_path / "sub" / "b.pdf", OPTS)
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "sub" / "b.pdf").read_bytes()
    assert a.sha256 == b.sha256
    c = workspace.build_packet(
        case_id, tmp_path / "c.pdf", BuildOptions(build_date=DATE.replace(day=21))
    )
    assert c.sha256 != a.sha256
    # the document id is fixed too (derived from the inputs, not a clock or a random)
    ids = re.findall(rb"/ID\s*\[\s*<([0-9A-F]+)>", (tmp_path / "a.pdf").read_bytes())
    assert len(ids) == 1 and ids[0] in (tmp_path / "sub" / "b.pdf").read_bytes()


def test_nothing_is_inherited_from_evidence_files(workspace, tmp_path):
    case_id = new_case(workspace)
    add_exhibit(workspace, case_id, "Baggage", pdf_with_baggage())
    out = tmp_path / "p.pdf"
    result = workspace.build_packet(case_id, out, OPTS)
    qpdf_check(out)
    info = pdfinfo(out)
    assert info["Title"].startswith("Request for Prosecutorial Discretion - Rosa Test")
    assert "Author" not in info and "Evil" not in info.get("Producer", "")
    assert info["JavaScript"] == "no" and info["Metadata Stream"] == "no"
    assert info["Form"] == "none"
    raw = out.read_bytes()
    for bad in (
        b"Evil",
        b"/JavaScript",
        b"/OpenAction",
        b"/EmbeddedFiles",
        b"/AcroForm",
        b"/URI",
        b"payload",
        b"xmpmeta",
    ):
        assert bad not in raw, bad
    objects = qpdf_objects(out)

    def keys(v):
        if isinstance(v, dict):
            for k, x in v.items():
                yield k
                yield from keys(x)
        elif isinstance(v, list):
            for x in v:
                yield from keys(x)

    found = set(keys([o.get("value", o.get("stream", {}).get("dict")) for o in objects.values()]))
    assert not found & {"/AA", "/JS", "/OpenAction", "/Metadata", "/AcroForm", "/Names"}
    catalog = next(
        v["value"] for v in objects.values() if v.get("value", {}).get("/Type") == "/Catalog"
    )
    assert catalog["/PageMode"] == "/UseOutlines"
    assert "BAGGAGE PAGE" in text_of(out, 4)
    assert any("left out" in w for w in result.warnings)


def test_every_font_pdpacket_draws_is_embedded(workspace, tmp_path):
    case_id = new_case(workspace, detained=True, pd_form="dismissal", court_id="new-york-broadway")
    # evidence without fonts (a drawing), so every font in the packet is ours
    add_exhibit(workspace, case_id, "Drawing", drawing_pdf())
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    fonts = run_tool("pdffonts", str(out)).splitlines()[2:]
    assert len(fonts) >= 3
    for line in fonts:
        name, emb = line.split()[0], line.split()[-5]
        assert "Liberation" in name and emb == "yes", line


def test_each_build_is_recorded(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [2, 1])
    files = [f.pdf_sha256 for e in workspace.exhibits(case_id) for f in e.files]
    result = workspace.build_packet(case_id, tmp_path / "p.pdf", OPTS)
    [record] = workspace.store.list_builds(case_id)
    assert (record.sha256, record.pages, record.size) == (result.sha256, 7, result.size)
    assert (
        record.sha256 == __import__("hashlib").sha256((tmp_path / "p.pdf").read_bytes()).hexdigest()
    )
    assert list(record.files) == files
    assert record.options["build_date"] == "2026-03-20" and record.options["numbering"] == "plain"


def test_packet_survives_deleted_sources(workspace, pdf_factory, tmp_path):
    case_id = new_case(workspace)
    workspace.add_evidence(case_id, [pdf_factory("doc.pdf", ["A", "B"])])
    for f in (tmp_path / "evidence").iterdir():
        f.unlink()
    result = workspace.build_packet(case_id, tmp_path / "p.pdf", OPTS)
    assert result.pages == 5  # cover, index, tab, 2 pages


def test_failed_build_leaves_the_previous_packet_intact(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [1, 1])
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    before = out.read_bytes()
    sha = workspace.exhibits(case_id)[1].files[0].pdf_sha256
    workspace.store.blobs.path(sha).write_bytes(b"%PDF-1.4 damaged")
    with pytest.raises(Exception, match="damaged"):
        workspace.build_packet(case_id, out, BuildOptions(build_date=DATE.replace(day=1)))
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []
    assert len(PdfReader(out).pages) == 6
    assert len(workspace.store.list_builds(case_id)) == 1


class _CancelAt:
    """A progress sink that cancels the build when it reaches a message."""

    def __init__(self, token, when):
        self.token, self.when, self.messages = token, when, []

    def update(self, done, total, message):
        self.messages.append((done, total, message))
        if self.when in message:
            self.token.cancel()


def test_progress_per_exhibit_and_cancel_leaves_nothing(workspace, tmp_path):
    from pdpacket.model.progress import CancelToken

    case_id = case_with_sizes(workspace, [1, 2, 1])
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    before = out.read_bytes()
    token = CancelToken()
    sink = _CancelAt(token, "Exhibit B")
    with pytest.raises(CancelledError):
        workspace.build_packet(case_id, out, OPTS, progress=sink, cancel=token)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "p.pdf"]
    # an uncancelled build reports every step and every exhibit, in order, to the end
    sink = _CancelAt(CancelToken(), "never")
    workspace.build_packet(case_id, out, OPTS, progress=sink)
    messages = [m for _, _, m in sink.messages]
    assert [m for m in messages if m.startswith("Exhibit")] == [
        "Exhibit A: Doc0",
        "Exhibit B: Doc1",
        "Exhibit C: Doc2",
    ]
    dones = [d for d, _, _ in sink.messages]
    assert dones == sorted(dones) and sink.messages[-1][0] == sink.messages[-1][1]


def test_a_case_without_exhibits_is_refused_with_the_fix(workspace, tmp_path):
    case_id = new_case(workspace)
    with pytest.raises(BadInputError, match="no exhibits"):
        workspace.build_packet(case_id, tmp_path / "p.pdf", OPTS)
    assert not (tmp_path / "p.pdf").exists()


def test_outline_read_by_mupdf_too(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [1])
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    outline = mutool_outline(out)
    assert "Cover" in outline and "Index of Exhibits" in outline and "Exhibit A - Doc0" in outline


def _qpdf_rewrite(pdf: bytes, tmp_path, *args: str) -> bytes:
    import subprocess

    from tests.pdftools import tool

    src, dst = tmp_path / "src.pdf", tmp_path / "dst.pdf"
    src.write_bytes(pdf)
    subprocess.run([tool("qpdf"), *args, str(src), str(dst)], check=True)
    return dst.read_bytes()


def test_unusual_but_valid_sources_are_copied_whole(workspace, tmp_path):
    """Object streams, a stream whose /Length is wrong, offsets that are all off:
    the fast object reader declines them and pypdf reads them instead."""
    streams = _qpdf_rewrite(
        text_pdf(["OBJECT STREAMS P1", "OBJECT STREAMS P2"]),
        tmp_path,
        "--object-streams=generate",
    )
    assert b"/ObjStm" in streams
    plain = _qpdf_rewrite(text_pdf(["WRONG LENGTH"]), tmp_path, "--stream-data=uncompress")
    wrong_length = re.sub(
        rb"/Length (\d+)", lambda m: b"/Length %d" % (int(m[1]) + 7), plain, count=1
    )
    shifted = b"%PDF-1.4\n% junk that moves every offset\n" + text_pdf(["SHIFTED OFFSETS"])
    case_id = new_case(workspace)
    for title, pdf in (("Streams", streams), ("Length", wrong_length), ("Shifted", shifted)):
        add_exhibit(workspace, case_id, title, pdf)
    out = tmp_path / "p.pdf"
    result = workspace.build_packet(case_id, out, OPTS)
    qpdf_check(out)
    assert result.pages == 9  # cover, index, and tab + pages: 1 + 2, 1 + 1, 1 + 1
    assert "OBJECT STREAMS P2" in text_of(out, 5)
    assert "WRONG LENGTH" in text_of(out, 7)
    assert "SHIFTED OFFSETS" in text_of(out, 9)
    for n in range(1, result.pages + 1):
        assert bottom_text(out, n).split()[0] == str(n)

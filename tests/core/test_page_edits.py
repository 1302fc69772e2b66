"""Page tools: rotate, delete, restore, move pages, split and merge exhibits.

Each edit is checked in the built packet with poppler and qpdf (page count,
page order by the words on the pages, index ranges, bookmarks, the page's
drawing), undone and redone, and the stored file is checked to be unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest

from pdpacket.errors import BadInputError
from pdpacket.model import BuildOptions, FileRole, PageSlot
from tests.core.packet_fixtures import (
    add_exhibit,
    bottom_text,
    case_with_sizes,
    dark_fraction,
    new_case,
    page_count,
    render,
    text_of,
    text_pdf,
)
from tests.pdftools import make_pdf, outline_titles, qpdf_check, run_tool

DATE = dt.date(2026, 3, 20)
OPTS = BuildOptions(build_date=DATE)
WORD = re.compile(r"DOC(\d) PAGE(\d+)")


def build(ws, case_id, tmp_path, name="p.pdf"):
    out = tmp_path / name
    ws.build_packet(case_id, out, OPTS)
    qpdf_check(out)
    return out


def page_words(path) -> list[str]:
    """The evidence pages' words in packet order, read by poppler."""
    return [f"{d}.{p}" for d, p in WORD.findall(run_tool("pdftotext", str(path), "-"))]


def index_rows(path) -> dict[str, str]:
    """Exhibit letter -> its page range, as the index (page 2) prints it."""
    return dict(re.findall(r"^\s*([A-Z])\s+\S+.*?\s(\d+(?:-\d+)?)\s*$", text_of(path, 2), re.M))


def blob_hashes(ws, case_id) -> dict[str, str]:
    return {
        f.pdf_sha256: hashlib.sha256(ws.store.blobs.path(f.pdf_sha256).read_bytes()).hexdigest()
        for ex in ws.exhibits(case_id)
        for f in ex.files
    }


@pytest.fixture
def case3(workspace):
    """A: 1 page, B: 4 pages, C: 2 pages."""
    return case_with_sizes(workspace, [1, 4, 2])


def ids(ws, case_id):
    return [e.id for e in ws.exhibits(case_id)]


def test_delete_and_restore_follow_into_packet_index_and_labels(workspace, case3, tmp_path):
    _a, b, _c = ids(workspace, case3)
    hashes = blob_hashes(workspace, case3)
    step = workspace.delete_pages(b, [2, 3])
    assert step.text == "deletion of pages 2-3 of Exh. B"
    assert workspace.get_exhibit(b).pages == 2
    out = build(workspace, case3, tmp_path)
    # cover, index, A: tab + 1, B: tab + 2, C: tab + 2
    assert page_count(out) == 10
    assert page_words(out) == ["0.1", "1.1", "1.4", "2.1", "2.2"]
    assert index_rows(out) == {"A": "3-4", "B": "5-7", "C": "8-10"}
    assert "Exh. B, p. 2" in bottom_text(out, 7) and "DOC1 PAGE4" in text_of(out, 7)
    # deleted pages stay listed (greyed in the window) and come back in place
    listed = workspace.exhibit_pages(b)
    assert [(p.number, p.deleted, p.exhibit_page) for p in listed] == [
        (1, False, 1),
        (2, True, 0),
        (3, True, 0),
        (4, False, 2),
    ]
    workspace.restore_pages(b, [3])
    assert page_words(build(workspace, case3, tmp_path, "r.pdf")) == [
        "0.1", "1.1", "1.3", "1.4", "2.1", "2.2"
    ]  # fmt: skip
    assert blob_hashes(workspace, case3) == hashes  # the stored files never change


def test_move_pages_reorders_the_packet_and_undo_redo(workspace, case3, tmp_path):
    _, b, _ = ids(workspace, case3)
    workspace.move_pages(b, [4], 1)
    assert page_words(build(workspace, case3, tmp_path)) == [
        "0.1", "1.4", "1.1", "1.2", "1.3", "2.1", "2.2"
    ]  # fmt: skip
    workspace.move_pages(b, [1, 2], 4)  # pages 4 and 1, now first, go last
    order = [p.source + 1 for p in workspace.exhibit_pages(b)]
    assert order == [2, 3, 4, 1]
    assert workspace.undo_text() == "Undo move of pages 1-2 of Exh. B"
    workspace.undo()
    workspace.undo()
    assert workspace.get_exhibit(b).files[0].layout == ()  # back to no edits at all
    assert workspace.store.db.execute("SELECT COUNT(*) FROM page_edits").fetchone()[0] == 0
    workspace.redo()
    assert [p.source + 1 for p in workspace.exhibit_pages(b)] == [4, 1, 2, 3]


def test_moving_into_another_file_is_refused(workspace, tmp_path):
    case_id = new_case(workspace)
    ex = add_exhibit(
        workspace, case_id, "Two", [text_pdf(["DOC0 PAGE1"]), text_pdf(["DOC0 PAGE2", "X"])]
    )
    with pytest.raises(BadInputError, match="within one file"):
        workspace.move_pages(ex, [1], 3)
    with pytest.raises(BadInputError, match="has no page 9"):
        workspace.delete_pages(ex, [9])


def _marker_pdf(rotate=0, pagesize=None):
    from reportlab.lib.pagesizes import letter

    return text_pdf(["DOC0 PAGE1"], pagesize or letter, rotate=rotate, marker=True)


TOP_LEFT = (42, 683, 130, 771)  # an upright letter page's top-left marker in the packet
BOTTOM_RIGHT = (482, 75, 570, 163)
BOTTOM_LEFT = (42, 75, 130, 163)  # a landscape page turned to portrait, top to the left


def test_rotation_turns_the_page_and_composes_with_its_own_rotate(workspace, tmp_path):
    case_id = new_case(workspace)
    upright = add_exhibit(workspace, case_id, "Upright", _marker_pdf())
    turned = add_exhibit(workspace, case_id, "Turned", _marker_pdf(rotate=90))
    out = build(workspace, case_id, tmp_path)
    assert dark_fraction(render(out, 4, tmp_path), TOP_LEFT) > 0.85
    # the stored page says /Rotate 90 (shown landscape): it comes out top to the left
    assert dark_fraction(render(out, 6, tmp_path), BOTTOM_LEFT) > 0.85
    workspace.rotate_pages(upright, [1], 180)
    workspace.rotate_pages(turned, [1], -90)  # 90 + 270: shown as a portrait page again
    out = build(workspace, case_id, tmp_path, "r.pdf")
    sizes = run_tool("pdfinfo", "-f", "1", "-l", "6", str(out))
    assert set(re.findall(r"rot:\s+(\d+)", sizes)) == {"0"}  # every page upright in the packet
    assert dark_fraction(render(out, 4, tmp_path), BOTTOM_RIGHT) > 0.85
    assert dark_fraction(render(out, 4, tmp_path), TOP_LEFT) < 0.1
    # its marker was top left of the landscape view; turned back anticlockwise: bottom left
    png = render(out, 6, tmp_path)
    assert dark_fraction(png, BOTTOM_LEFT) > 0.85
    assert "DOC0 PAGE1" in text_of(out, 6)
    assert workspace.exhibit_pages(turned)[0].turns == 3
    workspace.undo()
    workspace.undo()
    assert workspace.exhibit_pages(upright)[0].turns == 0


def test_split_and_merge_follow_into_index_and_bookmarks(workspace, case3, tmp_path):
    a, b, c = ids(workspace, case3)
    hashes = blob_hashes(workspace, case3)
    workspace.rotate_pages(b, [3], 90)
    step = workspace.split_exhibit(b, 3)
    assert step.text == "split of Exh. B at page 3"
    new = step.exhibit_ids[-1]
    assert ids(workspace, case3) == [a, b, new, c]
    part2 = workspace.get_exhibit(new)
    assert part2.title == "Doc1 (part 2)" and part2.pages == 2
    assert part2.files[0].layout == (PageSlot(2, 1), PageSlot(3))  # the turn goes along
    out = build(workspace, case3, tmp_path)
    assert page_words(out) == ["0.1", "1.1", "1.2", "1.3", "1.4", "2.1", "2.2"]
    assert index_rows(out) == {"A": "3-4", "B": "5-7", "C": "8-10", "D": "11-13"}
    assert [t for t, _, _ in outline_titles(out)][2:] == [
        "Exhibit A - Doc0",
        "Exhibit B - Doc1",
        "Exhibit C - Doc1 (part 2)",
        "Exhibit D - Doc2",
    ]
    # merged back: one exhibit with one file, as before the split
    step = workspace.merge_exhibits(b, new)
    assert step.text == "merge of Exh. C into Exh. B"
    assert ids(workspace, case3) == [a, b, c]
    merged = workspace.get_exhibit(b)
    assert len(merged.files) == 1 and merged.pages == 4
    out = build(workspace, case3, tmp_path, "m.pdf")
    assert index_rows(out) == {"A": "3-4", "B": "5-9", "C": "10-12"}
    # undo the merge, the split and the turn; redo them
    workspace.undo()
    assert ids(workspace, case3) == [a, b, new, c]
    workspace.undo()
    workspace.undo()
    assert ids(workspace, case3) == [a, b, c]
    assert workspace.get_exhibit(b).files[0].layout == ()
    for _ in range(3):
        workspace.redo()
    assert ids(workspace, case3) == [a, b, c] and workspace.get_exhibit(b).pages == 4
    assert blob_hashes(workspace, case3) == hashes


def test_merge_of_two_documents_and_split_refusals(workspace, case3, tmp_path):
    a, b, c = ids(workspace, case3)
    workspace.merge_exhibits(a, c)
    assert ids(workspace, case3) == [a, b]
    assert [f.pages for f in workspace.get_exhibit(a).files] == [1, 2]
    out = build(workspace, case3, tmp_path)
    assert page_words(out) == ["0.1", "2.1", "2.2", "1.1", "1.2", "1.3", "1.4"]
    with pytest.raises(BadInputError, match="pages 2 to 4"):
        workspace.split_exhibit(b, 1)
    tr = add_exhibit(
        workspace,
        case3,
        "Acta",
        [text_pdf(["ORIGINAL"]), text_pdf(["TRANSLATION", "MORE"])],
        roles=[FileRole.DOCUMENT, FileRole.TRANSLATION],
        language="Spanish",
    )
    with pytest.raises(BadInputError, match="translation"):
        workspace.split_exhibit(tr, 2)
    with pytest.raises(BadInputError, match="translation"):
        workspace.merge_exhibits(a, tr)


def test_a_letter_cite_follows_moved_split_and_deleted_pages(workspace, case3, tmp_path):
    _a, b, c = ids(workspace, case3)
    text = f"See {{{{cite:{b}:pages=4}}}} and {{{{cite:{b}:pages=2-3}}}}, {{{{cite:{c}}}}}."
    workspace.save_letter(case3, text)
    workspace.move_pages(b, [4], 1)  # page 4 is now page 1; pages 2-3 are now 3-4
    assert workspace.letter(case3).text == (
        f"See {{{{cite:{b}:pages=1}}}} and {{{{cite:{b}:pages=3-4}}}}, {{{{cite:{c}}}}}."
    )
    step = workspace.split_exhibit(b, 3)  # pages 3-4 go to the new exhibit as 1-2
    new = step.exhibit_ids[-1]
    assert f"{{{{cite:{new}:pages=1-2}}}}" in workspace.letter(case3).text
    workspace.delete_pages(b, [1])  # the cited page is gone: the review must say so
    letter = workspace.letter(case3).text
    assert f"{{{{cite:{b}}}}} [[cited page 1 of this exhibit was deleted" in letter
    codes = {f.code for f in workspace.review(case3)}
    assert "letter.placeholder" in codes
    # undo puts every citation back as it was, step by step
    workspace.undo()
    workspace.undo()
    workspace.undo()
    assert workspace.letter(case3).text == text


def test_archive_round_trip_and_duplicate_keep_page_edits(workspace, case3, tmp_path):
    _a, b, _c = ids(workspace, case3)
    workspace.rotate_pages(b, [1], 90)
    workspace.delete_pages(b, [2])
    workspace.move_pages(b, [4], 1)
    layout = workspace.get_exhibit(b).files[0].layout
    out = build(workspace, case3, tmp_path, "orig.pdf")
    info = workspace.export_case(case3, tmp_path / "case.pdpacket")
    imported = workspace.import_archive(info.path).case_id
    copy = workspace.duplicate_case(case3)
    for other in (imported, copy):
        ex = workspace.exhibits(other)[1]
        assert ex.files[0].layout == layout
        again = build(workspace, other, tmp_path, f"{other}.pdf")
        assert page_words(again) == page_words(out) == ["0.1", "1.4", "1.1", "1.3", "2.1", "2.2"]
    # removing the exhibit and undoing it keeps its page edits
    workspace.remove_exhibits([b])
    workspace.undo()
    assert workspace.get_exhibit(b).files[0].layout == layout


def test_cli_lists_edits_splits_and_merges(workspace, case3, tmp_path, capsys):
    from pdpacket.cli import main

    _a, b, _c = ids(workspace, case3)
    data = ["--data-dir", str(tmp_path / "data")]
    assert main([*data, "pages", f"{case3}:B", "--rotate", "2:90", "--delete", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"Exhibit B, id {b}: Doc1. 3 of 4 pages in the packet."
    assert out[2] == "2\tp. 2\tdoc1_0.pdf page 2\tturned 90"
    assert out[3] == "3\tdeleted\tdoc1_0.pdf page 3"
    assert main([*data, "pages", str(b), "--restore", "3", "--move", "4:1"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "1\tp. 1\tdoc1_0.pdf page 4"
    assert main([*data, "split", f"{case3}:b", "--at", "3"]) == 0
    assert capsys.readouterr().out.startswith("Done: split of Exh. B at page 3.")
    assert main([*data, "merge", f"{case3}:B", f"{case3}:C"]) == 0
    assert "4 of 4 pages in the packet" in capsys.readouterr().out
    # mistakes exit 2 with the fix
    assert main([*data, "pages", f"{case3}:Q"]) == 2
    assert "has no Exhibit Q (its exhibits: A, B, C)" in capsys.readouterr().err
    assert main([*data, "pages", f"{case3}:B", "--delete", "9"]) == 2
    assert "has no page 9" in capsys.readouterr().err
    assert workspace.get_exhibit(b).pages == 4


def _bulky_pdf(texts: list[str]) -> bytes:
    """Pages that each carry ~200 KB of incompressible pixels and their text."""
    import io
    import random

    from PIL import Image
    from reportlab.lib.pagesizes import letter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    rnd = random.Random(7)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    for text in texts:
        noise = Image.frombytes("RGB", (260, 260), rnd.randbytes(260 * 260 * 3))
        c.drawImage(ImageReader(noise), 72, 300, 260, 260)
        c.setFont("Helvetica", 14)
        c.drawString(72, 700, text)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_an_efile_split_inside_an_edited_exhibit_keeps_the_edited_order(workspace, tmp_path):
    case_id = new_case(workspace)
    ex = add_exhibit(
        workspace, case_id, "Scans", _bulky_pdf([f"DOC0 PAGE{n}" for n in range(1, 7)])
    )
    workspace.move_pages(ex, [6], 1)
    workspace.delete_pages(ex, [3])  # stored page 2
    workspace.rotate_pages(ex, [4], 180)
    result = workspace.build_edition(
        case_id, tmp_path / "efile", BuildOptions(build_date=DATE, edition="efile", max_mb=0.5)
    )
    assert len(result.parts) >= 2
    words: list[str] = []
    for part in result.parts:
        qpdf_check(part)
        words += page_words(part)
    assert words == ["0.6", "0.1", "0.3", "0.4", "0.5"]


def test_a_manifest_can_say_the_page_edits(workspace, manifest_factory, tmp_path):
    from pdpacket.errors import ManifestError
    from tests.pdftools import make_pdf

    folder = tmp_path / "case"
    folder.mkdir()
    make_pdf(folder / "lease.pdf", [f"DOC0 PAGE{n}" for n in range(1, 5)])
    pages = [{"page": 4}, {"page": 1, "rotate": 90}, {"page": 2, "deleted": True}, {"page": 3}]
    data = {
        "client": {"name": "Manifest Client"},
        "exhibits": [{"title": "Lease", "files": [{"path": "lease.pdf", "pages": pages}]}],
    }
    case_id = workspace.import_manifest(manifest_factory(data, folder=folder))
    (ex,) = workspace.exhibits(case_id)
    assert ex.files[0].layout == (PageSlot(3), PageSlot(0, 1), PageSlot(1, 0, True), PageSlot(2))
    assert page_words(build(workspace, case_id, tmp_path)) == ["0.4", "0.1", "0.3"]
    data["exhibits"][0]["files"][0]["pages"] = [{"page": 9}]
    with pytest.raises(ManifestError, match=r"lease\.pdf has 4 pages"):
        workspace.import_manifest(manifest_factory(data, folder=folder))
    assert len(workspace.list_cases()) == 1  # nothing of the refused manifest was stored


def test_a_page_named_twice_turns_once_and_a_second_split_is_part_3(workspace, case3):
    _a, b, _c = ids(workspace, case3)
    workspace.rotate_pages(b, [2, 2], 90)
    assert [p.turns for p in workspace.exhibit_pages(b)] == [0, 1, 0, 0]
    part2 = workspace.split_exhibit(b, 2).exhibit_ids[-1]
    part3 = workspace.split_exhibit(part2, 2).exhibit_ids[-1]
    assert workspace.get_exhibit(part3).title == "Doc1 (part 3)"
    assert [e.pages for e in workspace.exhibits(case3)] == [1, 1, 1, 2, 2]
    with pytest.raises(BadInputError, match="quarter turns"):
        workspace.rotate_pages(b, [1], 45)


def test_undo_of_a_split_never_removes_files_added_since(workspace, case3, tmp_path):
    from pdpacket.errors import PdpacketError

    _a, b, _c = ids(workspace, case3)
    new = workspace.split_exhibit(b, 3).exhibit_ids[-1]
    workspace.add_files_to_exhibit(new, [make_pdf(tmp_path / "extra.pdf", ["EXTRA"])])
    with pytest.raises(PdpacketError, match="files added since"):
        workspace.undo()
    assert len(workspace.get_exhibit(new).files) == 2  # nothing was removed
    assert ids(workspace, case3)[2] == new


def test_redo_of_a_split_never_overwrites_an_exhibit_added_since(workspace, case3, tmp_path):
    from pdpacket.errors import PdpacketError

    _a, b, _c = ids(workspace, case3)
    new = workspace.split_exhibit(b, 3).exhibit_ids[-1]
    workspace.undo()
    (added,) = workspace.add_evidence(case3, [make_pdf(tmp_path / "new.pdf", ["NEW"])])
    assert added.exhibit_id == new  # SQLite gave the freed id to the new exhibit
    with pytest.raises(PdpacketError, match="taken its place"):
        workspace.redo()
    assert workspace.get_exhibit(new).title == "New" and workspace.get_exhibit(b).pages == 4


def test_an_exhibit_whose_pages_are_all_deleted_is_a_review_error(workspace, case3):
    a, _b, _c = ids(workspace, case3)
    workspace.delete_pages(a, [1])
    found = [f for f in workspace.review(case3) if f.code == "exhibit.no_files"]
    assert found and "restore its deleted pages" in found[0].fix
    workspace.undo()
    assert not [f for f in workspace.review(case3) if f.code == "exhibit.no_files"]

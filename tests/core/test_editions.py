"""Editions (#7): e-filing parts under the size cap, the e-mail edition, the print edition.

One generated, image-heavy case (phone photos through intake, a scanned exhibit
larger than the cap, a landscape page, a translated exhibit, a full-bleed page)
is built as each edition; every file is checked with qpdf and poppler, and
sizes on disk with ``os.path.getsize``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pdpacket.api import Workspace
from pdpacket.errors import BadInputError
from pdpacket.model import (
    Attorney,
    BuildOptions,
    Client,
    FileRole,
    Proceedings,
    Translator,
)
from pdpacket.packet import builder as packet
from pdpacket.packet import editions
from pdpacket.packet.recode import JpegRecoder
from tests.core.packet_fixtures import (
    add_exhibit,
    dark_fraction,
    page_count,
    page_labels,
    page_sizes,
    render,
    text_of,
    text_pdf,
)
from tests.evidence_gen import marked_picture
from tests.pdftools import outline_titles, qpdf_check, run_tool

DATE = dt.date(2026, 5, 4)
ONE_MB = 1_000_000
PHOTOS = 24
SCAN_PAGES = 8


# ---- the case ----------------------------------------------------------------------------
def photos(folder: Path, count: int) -> list[Path]:
    """Phone photos as the phone stores them (12-MP-like, EXIF orientation 6 on every
    fourth, so intake turns it): one noise image shared by all, for speed."""
    size = (2016, 1512)
    noise = Image.effect_noise(size, 20).convert("RGB")
    noise_turned = noise.transpose(Image.Transpose.ROTATE_90)
    paths = []
    for n in range(count):
        turned = n % 4 == 0
        upright = marked_picture(size[::-1] if turned else size, text=f"PHOTO {n:02d}\nFamily")
        im = Image.blend(upright, noise_turned if turned else noise, 0.08)
        exif = Image.Exif()
        exif[0x0112] = 1
        if turned:  # stored turned, shown upright by its EXIF orientation
            im = im.transpose(Image.Transpose.ROTATE_90)
            exif[0x0112] = 6
        path = folder / f"photo_{n:02d}.jpg"
        im.save(path, "JPEG", quality=90, exif=exif.tobytes())
        paths.append(path)
    return paths


def scanned_pdf(pages: int, tag: str) -> bytes:
    """A multi-page scan, ~200 KB a page: more than 1 MB in all, so it cannot go whole
    into a 1 MB part."""
    noise = Image.effect_noise((1275, 1650), 20).convert("RGB")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    for n in range(pages):
        im = Image.blend(marked_picture((1275, 1650), text=f"{tag} {n + 1}"), noise, 0.15)
        jpeg = io.BytesIO()
        im.save(jpeg, "JPEG", quality=85)
        c.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 36, 36, 540, 699)
        c.setFont("Helvetica", 12)
        c.drawString(72, 750, f"{tag} PAGE {n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture(scope="module")
def photo_case(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("photo-case")
    ws = Workspace.open(root / "data")
    ws.store.set_attorney(
        Attorney(
            name="Ana Abogada",
            firm="Abogada & Partners",
            address="55 Court St; Brooklyn NY 11201",
            phone="(718) 555-0100",
            email="ana@example.org",
            eoir_id="AB123456",
        )
    )
    case_id = ws.create_case(
        Client(name="Lucía Fernanda Morales Rivas", a_number="201555014"),
        Proceedings(
            court_id="new-york-broadway",
            judge="Hon. M. Delgado",
            hearing_date=dt.date(2027, 3, 15),
            hearing_type="master",
            opla_office_id="new-york-city",
            stage="proceedings_pending",
            pd_form="dismissal",
        ),
    )
    folder = root / "photos"
    folder.mkdir()
    paths = photos(folder, PHOTOS)
    scan = root / "school_records.pdf"
    scan.write_bytes(scanned_pdf(SCAN_PAGES, "SCAN"))
    results = ws.add_evidence(case_id, [*paths[:12], scan, *paths[12:]])
    assert all(r.status in ("imported", "warning") for r in results), results
    add_exhibit(
        ws,
        case_id,
        "Lease (landscape)",
        text_pdf(["LANDSCAPE LEASE"], landscape(letter), marker=True),
    )
    add_exhibit(
        ws,
        case_id,
        "Birth certificate",
        [text_pdf(["ENGLISH TRANSLATION"]), text_pdf(["ACTA DE NACIMIENTO"])],
        roles=[FileRole.TRANSLATION, FileRole.DOCUMENT],
        language="Spanish",
        translator=Translator("R. Campos", "55 Court St", "(718) 555-0160", "Spanish"),
    )
    add_exhibit(ws, case_id, "Pay stubs", text_pdf(["PAY STUB EDGE TO EDGE"], full_bleed=True))
    yield ws, case_id
    ws.close()


def build(ws: Workspace, case_id: int, out: Path, **options: Any) -> Any:
    return ws.build_edition(case_id, out, BuildOptions(build_date=DATE, **options))


# ---- reading the files with other tools ---------------------------------------------------------
def _bottom(path: Path, x: int, width: int) -> list[str]:
    """What every page prints in a box at its bottom (poppler, one call per file)."""
    n = page_count(path)
    text = run_tool(
        "pdftotext",
        *("-f", "1", "-l", str(n), "-x", str(x), "-y", str(792 - 60)),
        *("-W", str(width), "-H", "60", "-r", "72", str(path), "-"),
    )
    return [t.strip() for t in text.split("\f")[:n]]


def numbers(path: Path) -> list[str]:
    """The page number printed at the bottom centre of every page ("" for none)."""
    return _bottom(path, 206, 200)


def labels(path: Path) -> list[str]:
    """The exhibit label printed at the bottom right of every page ("Exh. C, p. 3")."""
    return _bottom(path, 420, 192)


def outline(path: Path) -> list[tuple[str, int, int]]:
    return outline_titles(path)


# ---- e-filing: parts under the cap -----------------------------------------------------------------
@pytest.fixture(scope="module")
def efile_1mb(photo_case: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    ws, case_id = photo_case
    out = tmp_path_factory.mktemp("efile")
    result = build(ws, case_id, out, edition="efile", max_mb=1)
    return ws, case_id, out, result


def test_efile_parts_are_each_under_the_cap_on_disk(efile_1mb: Any) -> None:
    _ws, _case_id, out, result = efile_1mb
    parts = [Path(p) for p in result.parts]
    assert len(parts) >= 3
    assert [p.name for p in parts] == [
        f"Lucia_Fernanda_Morales_Rivas_PD_Request_Part{k}.pdf" for k in range(1, len(parts) + 1)
    ]
    assert sorted(out.iterdir()) == sorted(parts)  # nothing else left behind
    for path, recorded in zip(parts, result.part_sizes, strict=True):
        assert os.path.getsize(path) == recorded
        assert os.path.getsize(path) <= ONE_MB, path.name
    for path in (parts[0], parts[-1]):  # qpdf takes a second a megabyte of photos
        qpdf_check(path)
    assert result.size == sum(os.path.getsize(p) for p in parts)
    assert result.pages == sum(page_count(p) for p in parts)


def test_efile_numbering_runs_on_across_the_parts(efile_1mb: Any) -> None:
    *_, result = efile_1mb
    parts = [Path(p) for p in result.parts]
    expected = 1
    for path in parts:
        n = page_count(path)
        printed = numbers(path)
        assert printed[0] == str(expected), path.name  # the last of one part + 1
        assert printed == [str(expected + i) for i in range(n)], path.name
        assert page_labels(path) == printed
        expected += n


def test_efile_every_part_has_bookmarks_and_says_what_it_holds(efile_1mb: Any) -> None:
    *_, result = efile_1mb
    parts = [Path(p) for p in result.parts]
    n = len(parts)
    first = outline(parts[0])
    assert [t for t, depth, _ in first[:3]] == [
        "Cover",
        "Index of Exhibits",
        "Exhibit A - Photo 00",
    ]
    index = "\n".join(text_of(parts[0], p) for p in (2, 3))
    assert f"This filing is in {n} parts" in index
    assert re.search(r"Part\s+Pages", index)
    for k, path in enumerate(parts[1:], 2):
        marks = outline(path)
        assert marks[0][0] == f"Part {k} of {n}: contents"
        assert all(1 <= page <= page_count(path) for _t, _d, page in marks)
        contents = text_of(path, 1)
        assert f"PART {k} OF {n}" in contents
        assert path.name in contents.replace("\n", "")
        # every exhibit bookmarked in this part is on its contents page
        for title, _depth, _page in marks[1:]:
            m = re.match(r"Exhibit ([A-Z]+) - ", title)
            if m:
                assert re.search(rf"^\s*{m[1]}\s", contents, re.M), (title, contents)


def test_efile_index_says_which_part_holds_each_exhibit(efile_1mb: Any) -> None:
    *_, result = efile_1mb
    parts = [Path(p) for p in result.parts]
    index = "\n".join(text_of(parts[0], p) for p in (2, 3))
    rows = dict(re.findall(r"^\s*([A-Z]{1,2})\s+\S.*?\s(\d(?:-\d)?)\s+\d+-\d+\s*$", index, re.M))
    assert rows, index
    for k, path in enumerate(parts, 1):
        for title, _depth, _page in outline(path):
            m = re.match(r"Exhibit ([A-Z]+) - ", title)
            if m:
                lo, _, hi = rows[m[1]].partition("-")
                assert int(lo) <= k <= int(hi or lo), (m[1], rows[m[1]], k)


def test_efile_splits_inside_only_the_exhibit_larger_than_the_cap(efile_1mb: Any) -> None:
    *_, result = efile_1mb
    parts = [Path(p) for p in result.parts]
    continued = [
        (k, title)
        for k, path in enumerate(parts, 1)
        for title, _d, _p in outline(path)
        if title.endswith("(continued)")
    ]
    # the scan (8 pages of ~200 KB) is the only exhibit over 1 MB
    assert continued and all("School records" in t for _k, t in continued), continued
    k, _title = continued[0]
    before, after = parts[k - 2], parts[k - 1]
    tab = text_of(after, 2)
    assert "EXHIBIT M" in tab and "continued from Part" in tab
    # the exhibit's own page labels run on across the cut
    last_label = labels(before)[-1]
    first_label = labels(after)[2]
    m1 = re.fullmatch(r"Exh\. M, p\. (\d+)", last_label)
    m2 = re.fullmatch(r"Exh\. M, p\. (\d+)", first_label)
    assert m1 and m2 and int(m2[1]) == int(m1[1]) + 1
    # every other exhibit is whole in one part
    seen: dict[str, int] = {}
    for k, path in enumerate(parts, 1):
        for title, _d, _p in outline(path):
            m = re.match(r"Exhibit ([A-Z]+) - ", title)
            if m and m[1] != "M":
                assert m[1] not in seen, f"Exhibit {m[1]} is in parts {seen[m[1]]} and {k}"
                seen[m[1]] = k


def test_efile_build_is_recorded_with_its_parts_and_the_review_passes(efile_1mb: Any) -> None:
    ws, case_id, _out, result = efile_1mb
    record = next(b for b in ws.store.list_builds(case_id) if b.id == result.build_id)
    assert record.options["edition"] == "efile"
    assert record.options["parts"] == [str(Path(p).resolve()) for p in result.parts]
    assert record.path == str(Path(result.parts[0]).resolve())
    assert record.size == os.path.getsize(result.parts[0])
    findings = ws.review(case_id, edition="efile")
    assert not [f for f in findings if f.code == "packet.too_large"]


def test_the_integrity_sidecar_lists_every_part(photo_case: Any, tmp_path: Path) -> None:
    ws, case_id = photo_case
    result = build(ws, case_id, tmp_path, edition="efile", max_mb=1.5, integrity_sidecar=True)
    assert len(result.parts) >= 2 and result.sidecar
    check = subprocess.run(
        ["sha256sum", "-c", "--quiet", Path(result.sidecar).name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    listed = Path(result.sidecar).read_text(encoding="utf-8")
    assert all(f"  {Path(p).name}\n" in listed for p in result.parts)


def test_efile_under_the_default_cap_is_one_file(photo_case: Any, tmp_path: Path) -> None:
    ws, case_id = photo_case
    result = build(ws, case_id, tmp_path, edition="efile")
    assert result.parts == ()
    assert Path(result.path).name == "Lucia_Fernanda_Morales_Rivas_PD_Request.pdf"
    assert os.path.getsize(result.path) <= 25 * ONE_MB
    assert "Part" not in text_of(Path(result.path), 2).split("Pages")[0]


def test_efile_to_a_file_name_and_reproducible(photo_case: Any, tmp_path: Path) -> None:
    ws, case_id = photo_case
    a = build(ws, case_id, tmp_path / "a" / "filing.pdf", edition="efile", max_mb=1.2)
    b = build(ws, case_id, tmp_path / "b" / "filing.pdf", edition="efile", max_mb=1.2)
    assert [Path(p).name for p in a.parts][:2] == ["filing_Part1.pdf", "filing_Part2.pdf"]
    assert [Path(p).read_bytes() for p in a.parts] == [Path(p).read_bytes() for p in b.parts]


def test_a_part_over_the_cap_as_written_is_planned_again(
    photo_case: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Sizes are checked on the files as written: with estimates far too low, the
    first parts come out over the cap and the build plans them smaller."""
    ws, case_id = photo_case
    monkeypatch.setattr(packet, "file_overhead", lambda: 0)
    monkeypatch.setattr(editions, "MARGIN", -0.25)  # plan parts 25 % over the cap
    writes: list[list[int]] = []
    original = packet.write

    def write(ctx: packet.BuildContext) -> None:
        original(ctx)
        writes.append([os.path.getsize(o.tmp_path) for o in ctx.outputs if o.tmp_path])

    monkeypatch.setattr(packet, "write", write)
    result = build(ws, case_id, tmp_path, edition="efile", max_mb=1)
    assert len(writes) >= 2 and max(writes[0]) > ONE_MB  # the first plan was wrong
    assert all(os.path.getsize(p) <= ONE_MB for p in result.parts)
    assert not list(tmp_path.glob(".*.part"))  # the rejected files were removed


def test_a_page_larger_than_the_cap_is_refused_with_what_to_do(
    workspace: Workspace, tmp_path: Path
) -> None:
    case_id = workspace.create_case(Client(name="Heavy Page", a_number="201555015"))
    add_exhibit(workspace, case_id, "Small", text_pdf(["SMALL"]))
    noise = Image.effect_noise((1100, 1400), 60).convert("RGB")  # ~0.8 MB as JPEG
    jpeg = io.BytesIO()
    noise.save(jpeg, "JPEG", quality=80)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.drawImage(ImageReader(io.BytesIO(jpeg.getvalue())), 36, 36, 540, 700)
    c.showPage()
    c.save()
    add_exhibit(workspace, case_id, "Noisy photo", buf.getvalue())
    out = tmp_path / "out"
    with pytest.raises(BadInputError) as err:
        workspace.build_edition(case_id, out, BuildOptions(edition="efile", max_mb=0.6))
    assert err.value.exit_code == 2
    assert "Exhibit B (Noisy photo)" in err.value.message and "0.6 MB" in err.value.message
    assert "JPEG quality" in err.value.hint
    assert not out.exists() or list(out.iterdir()) == []
    # re-encoding, as the hint says, makes it fit
    result = workspace.build_edition(
        case_id, out, BuildOptions(edition="efile", max_mb=0.6, jpeg_quality=30)
    )
    assert os.path.getsize(result.path) <= 600_000


def test_reencoding_images_makes_the_parts_fewer_and_keeps_their_pixels(
    photo_case: Any, tmp_path: Path
) -> None:
    ws, case_id = photo_case
    plain = build(ws, case_id, tmp_path / "plain", edition="efile", max_mb=1)
    small = build(ws, case_id, tmp_path / "small", edition="efile", max_mb=1, jpeg_quality=35)
    assert small.size < plain.size * 0.8
    assert len(small.parts) < len(plain.parts)
    assert any("re-encoded at quality 35" in w for w in small.warnings)
    assert all(os.path.getsize(p) <= ONE_MB for p in small.parts)

    def images(paths: tuple[str, ...]) -> list[tuple[int, int]]:
        out = []
        for p in paths:
            for line in run_tool("pdfimages", "-list", p).splitlines()[2:]:
                cols = line.split()
                out.append((int(cols[3]), int(cols[4])))
        return out

    assert sorted(images(small.parts)) == sorted(images(plain.parts))  # no pixel lost


def test_a_large_jpeg_is_reduced_to_300_dpi_and_no_further(tmp_path: Path) -> None:
    im = marked_picture((4000, 3000), text="BIG")
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=95)
    data = buf.getvalue()
    hook = JpegRecoder(50)
    image = packet.ImageStream(4000, 3000, ("/DCTDecode",), "/DeviceRGB", 8, False, data)
    result = hook(image)
    assert result is not None
    jpeg, w, h = result
    assert (w, h) == (3300, 2475)  # 11 inches at 300 dpi on the long side
    assert Image.open(io.BytesIO(jpeg)).size == (3300, 2475)
    assert hook(image) is result  # cached: re-encoded once
    # what it does not touch
    assert hook(packet.ImageStream(10, 10, ("/FlateDecode",), "/DeviceRGB", 8, False, b"x")) is None
    cmyk = packet.ImageStream(4000, 3000, ("/DCTDecode",), "/DeviceCMYK", 8, False, data)
    assert hook(cmyk) is None


def test_stale_parts_of_an_earlier_build_are_removed(photo_case: Any, tmp_path: Path) -> None:
    ws, case_id = photo_case
    split = build(ws, case_id, tmp_path, edition="efile", max_mb=1)
    assert len(split.parts) >= 3
    keep = tmp_path / "Lucia_Fernanda_Morales_Rivas_PD_Request_Part9.pdf"  # not ours
    keep.write_bytes(b"%PDF-1.4 someone else's file")
    whole = build(ws, case_id, tmp_path, edition="efile")
    assert whole.parts == ()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([Path(whole.path).name, keep.name])
    assert sum("left from an earlier build" in w for w in whole.warnings) == len(split.parts)


# ---- the e-mail edition ------------------------------------------------------------------------------
def test_email_edition_pages_all_upright_letter_and_the_message(
    photo_case: Any, tmp_path: Path
) -> None:
    ws, case_id = photo_case
    result = build(ws, case_id, tmp_path, edition="email", max_mb=1)
    parts = [Path(p) for p in result.parts]
    assert len(parts) >= 3 and all(os.path.getsize(p) <= ONE_MB for p in parts)
    for path in parts:
        sizes = page_sizes(path)  # pdfinfo -f 1 -l N: every page's size and rotation
        assert sizes and set(sizes) == {(612.0, 792.0, 0)}, path.name
    text = Path(result.email_path).read_text(encoding="utf-8")
    assert Path(result.email_path).name == "Lucia_Fernanda_Morales_Rivas_PD_Request_OPLA_email.txt"
    assert result.email_text == text
    assert result.email_subject == (
        f"PD Request - Lucía Fernanda Morales Rivas - A201-555-014 (Part 1 of {len(parts)})"
    )
    assert text.count("Subject: PD Request") == len(parts)
    for k, path in enumerate(parts, 1):
        assert f"Attach: {path.name}" in text
        assert f"(Part {k} of {len(parts)})" in text
    for fact in (
        "Client: Lucía Fernanda Morales Rivas",
        "A-number: A201-555-014",
        "Form of discretion requested: Dismissal",
        "Next hearing: March 15, 2027 (master hearing)",
        "Ana Abogada",
    ):
        assert fact in text, fact


def test_email_under_the_office_limit_is_one_file(photo_case: Any, tmp_path: Path) -> None:
    ws, case_id = photo_case
    result = build(ws, case_id, tmp_path, edition="email")  # the office's 20 MB
    assert result.parts == ()
    assert os.path.getsize(result.path) <= 20 * ONE_MB
    assert result.email_subject == "PD Request - Lucía Fernanda Morales Rivas - A201-555-014"
    text = Path(result.email_path).read_text(encoding="utf-8")
    assert f"Attached: {Path(result.path).name} (pages 1-" in text
    # the landscape lease is turned to portrait like every other page
    assert set(page_sizes(Path(result.path))) == {(612.0, 792.0, 0)}


# ---- the print edition ---------------------------------------------------------------------------------
def tab_pages(path: Path) -> dict[str, int]:
    """Exhibit letter -> the physical page of its tab (from the bookmarks, by qpdf)."""
    out = {}
    for title, _depth, page in outline(path):
        m = re.match(r"Exhibit ([A-Z]+) - ", title)
        if m:
            out[m[1]] = page
    return out


def blank_pages(path: Path) -> list[int]:
    n = page_count(path)
    text = run_tool("pdftotext", "-layout", str(path), "-").split("\f")[:n]
    return [i + 1 for i, t in enumerate(text) if "This page intentionally left blank" in t]


@pytest.fixture(scope="module")
def prints(photo_case: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The print edition, single-sided and duplex."""
    ws, case_id = photo_case
    out = tmp_path_factory.mktemp("print")
    single = build(ws, case_id, out / "single", edition="print")
    duplex = build(ws, case_id, out / "duplex", edition="print", duplex=True)
    return Path(single.path), Path(duplex.path)


def test_print_edition_single_sided(prints: tuple[Path, Path]) -> None:
    path, _duplex = prints
    assert path.name == "Lucia_Fernanda_Morales_Rivas_PD_Request_Print.pdf"
    sheet = text_of(path, 1)
    assert "PRINTING AND COPIES" in sheet and "not part of the filing" in sheet
    for who in ("Immigration court (filing)", "OPLA / DHS (service copy)", "Client file"):
        assert who in sheet
    printed = numbers(path)
    assert printed[0] == ""  # the copies sheet carries no number
    assert printed[1:] == [str(n) for n in range(1, page_count(path))]  # the cover is 1
    assert blank_pages(path) == []  # no blank backs single-sided
    assert page_labels_raw(path) == ["Copies", *printed[1:]]


def page_labels_raw(path: Path) -> list[str]:
    """Every page's label from qpdf, unnumbered ones included."""
    import json

    ranges = json.loads(run_tool("qpdf", "--json", "--json-key=pagelabels", str(path)))[
        "pagelabels"
    ]
    labels = []
    for i in range(page_count(path)):
        r = max((r for r in ranges if r["index"] <= i), key=lambda r: r["index"])
        lab = r["label"]
        prefix = lab.get("/P", "")
        prefix = prefix[2:] if prefix.startswith("u:") else prefix
        if "/S" in lab:
            labels.append(f"{prefix}{lab.get('/St', 1) + i - r['index']}")
        else:
            labels.append(prefix)
    return labels


def test_print_edition_keeps_the_top_inch_clear(photo_case: Any, tmp_path: Path) -> None:
    ws, case_id = photo_case
    standard = Path(ws.build_packet(case_id, tmp_path / "std.pdf", BuildOptions()).path)
    printed = Path(build(ws, case_id, tmp_path / "print", edition="print").path)
    kept = Path(build(ws, case_id, tmp_path / "kept", edition="print", clear_top=False).path)
    top_inch = (36, 792 - 72, 576, 792)
    for path, dark in ((standard, True), (printed, False), (kept, True)):
        page = tab_pages(path)["AB"] + 1  # the full-bleed pay stub
        png = render(path, page, tmp_path, dpi=36)
        assert (dark_fraction(png, top_inch) > 0.5) is dark, path.name
        below = dark_fraction(png, (36, 36 + 40, 576, 792 - 80))
        assert below > 0.5, path.name  # the evidence is there, only smaller


def test_print_duplex_starts_each_exhibit_on_a_right_hand_page(
    prints: tuple[Path, Path],
) -> None:
    single, duplex = prints
    qpdf_check(duplex)
    tabs = tab_pages(duplex)
    assert len(tabs) == PHOTOS + 4
    assert all(page % 2 == 1 for page in tabs.values()), tabs
    blanks = blank_pages(duplex)
    assert blanks and all(page % 2 == 0 for page in blanks)
    assert blanks[0] == 2  # the copies sheet's back: the cover is a right-hand page
    printed, stamped = numbers(duplex), labels(duplex)
    for page in blanks:
        assert printed[page - 1] == "" and stamped[page - 1] == ""
    # the printed numbers still match the single-sided edition (and so its index)
    assert page_count(duplex) == page_count(single) + len(blanks)
    assert [n for n in printed if n] == [n for n in numbers(single) if n]
    single_printed = numbers(single)
    for exh, page in tabs.items():
        assert printed[page - 1] == single_printed[tab_pages(single)[exh] - 1]
    raw = page_labels_raw(duplex)
    assert raw[blanks[1] - 1] == f"{printed[blanks[1] - 2]} (blank)"
    assert "Double-sided" in text_of(duplex, 1)
    assert blank_pages(single) == []


# ---- options and the command line --------------------------------------------------------------------
def test_bad_edition_options_are_refused() -> None:
    for options in (
        BuildOptions(edition="fax"),
        BuildOptions(edition="efile", max_mb=0.1),
        BuildOptions(edition="efile", jpeg_quality=5),
        BuildOptions(edition="print", copies_court=-1),
    ):
        with pytest.raises(BadInputError):
            editions.check_options(options)


def test_the_per_file_estimate_matches_what_the_fonts_weigh() -> None:
    measured = packet.measure_file_overhead()
    assert abs(packet.FILE_OVERHEAD - measured) <= measured * 0.1, measured


def test_size_limit_comes_from_the_office_for_email(photo_case: Any) -> None:
    ws, case_id = photo_case
    case = ws.get_case(case_id)
    assert editions.size_limit_mb(case, BuildOptions(edition="efile")) == 25
    assert editions.size_limit_mb(case, BuildOptions(edition="email")) == 20
    assert editions.size_limit_mb(case, BuildOptions(edition="email", max_mb=7)) == 7


def test_cli_builds_each_edition(photo_case: Any, tmp_path: Path) -> None:
    ws, case_id = photo_case
    data_dir = str(ws.store.data_dir)
    base = [sys.executable, "-m", "pdpacket", "--data-dir", data_dir, "build", str(case_id)]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*base, *args], capture_output=True, text=True, env=env)

    r = run(
        "--edition", "efile", "--max-mb", "1", "--out", str(tmp_path / "e"), "--date", "2026-05-04"
    )
    assert r.returncode == 0, r.stderr
    assert re.match(r"\d+ parts, \d+ pages", r.stdout)
    assert "_Part1.pdf" in r.stdout
    r = run("--edition", "email", "--out", str(tmp_path / "m"))
    assert r.returncode == 0 and "subject: PD Request" in r.stdout, r.stderr
    r = run(
        "--edition",
        "print",
        "--duplex",
        "--copies",
        "court=0,opla=2,client=1",
        "--out",
        str(tmp_path / "p.pdf"),
    )
    assert r.returncode == 0, r.stderr
    assert "OPLA / DHS (service copy) 2" in " ".join(text_of(tmp_path / "p.pdf", 1).split())
    r = run("--edition", "efile", "--max-mb", "0.2", "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "too small" in r.stderr
    r = run("--edition", "print", "--copies", "judge=1", "--out", str(tmp_path / "q"))
    assert r.returncode == 2 and "WHO=NUMBER" in r.stderr

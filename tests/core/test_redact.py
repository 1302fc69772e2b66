"""Personal numbers found on evidence and redacted for real: the finder's checks,
the proposals and decisions, and a packet whose numbers are gone from its text
(pdftotext, pypdf) and its pixels (rendered, read back with Tesseract) while the
rest of the page is intact."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from pdpacket.api import Workspace
from pdpacket.cli import main
from pdpacket.errors import BadInputError
from pdpacket.intake.personal_numbers import find_numbers, luhn_valid
from pdpacket.model import Client
from pdpacket.model.redaction import Box, NumberKind, RedactionState
from pdpacket.model.text import Word
from tests.evidence_gen import _font
from tests.pdftools import run_tool

TODAY = dt.date(2026, 12, 6)
CLIENT_A = "201555014"
SPOUSE_SSN = "523-45-6781"
CHILD_SSN = "534 56 7812"
SECRETS = ("523456781", "534567812")
LINES = [
    "Form 1040 U.S. Individual Income Tax Return 2025",
    "Filing status: Married filing jointly",
    "Your name: Rosa Test   A# 201-555-014",
    f"Spouse's social security number {SPOUSE_SSN}",
    f"Dependent: Maria Test   SSN {CHILD_SSN}",
    "Wages, salaries, tips 48,250",
]
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")


def words(*texts: str) -> list[Word]:
    out, x = [], 72.0
    for t in texts:
        out.append(Word(t, x, 700, x + 6 * len(t), 710))
        x += 6 * len(t) + 4
    return out


def kinds(*texts: str, **kw: object) -> list[str]:
    return [str(f.kind) for f in find_numbers(words(*texts), today=TODAY, **kw)]  # type: ignore[arg-type]


# ---- the finder ------------------------------------------------------------------------
def test_invalid_ssns_and_itins_are_not_found() -> None:
    for bad in ("000-12-3456", "666-12-3456", "912-40-1234", "123-00-4567", "123-45-0000"):
        assert kinds("SSN:", bad) == [], bad
    assert kinds("SSN:", "512-34-6789") == ["ssn"]
    assert kinds("ITIN", "912-70-1234") == ["itin"]
    assert kinds("912-93-1234") == []  # 93 is not an ITIN group


def test_bare_digit_runs_need_a_label_or_a_check() -> None:
    assert kinds("Invoice", "512346789") == []  # nine digits, no label
    assert kinds("SSN", "512346789") == ["ssn"]
    assert kinds("Phone", "555-123-4567") == []
    assert kinds("Ref", "12345678901234") == []  # fails Luhn
    assert kinds("Card", "4111", "1111", "1111", "1111") == ["card"]
    assert not luhn_valid("4111111111111112")
    assert kinds("Total", "000123456789") == []
    assert kinds("Account", "No.", "000123456789") == ["bank_account"]


def test_number_split_over_ocr_words_is_one_finding() -> None:
    [f] = find_numbers(words("SSN", "512", "34", "6789"), today=TODAY)
    assert f.kind == NumberKind.SSN and f.masked == "*** ** 6789"
    assert f.box.x0 > 72 + 6 * 3  # the label stays outside the box
    [g] = find_numbers(words("SSN:", "512-34-", "6789"), today=TODAY)
    assert g.kind == NumberKind.SSN


def test_client_own_identifiers_are_never_found() -> None:
    assert kinds("A#", "201555014", client_a_number=CLIENT_A) == []
    assert kinds("A-201-555-014", client_a_number=CLIENT_A) == []
    assert kinds("Alien", "Number:", "20155501", client_a_number="020155501") == []
    assert kinds("A#", "087654321", client_a_number=CLIENT_A) == ["a_number"]
    born = dt.date(2012, 5, 1)
    assert kinds("DOB:", "05/01/2012", client_dob=born) == []
    assert kinds("DOB:", "03/14/2015") == ["minor_dob"]
    assert kinds("DOB:", "03/14/1990") == []  # an adult
    assert kinds("Fecha", "de", "nacimiento:", "14/03/2015") == ["minor_dob"]


# ---- a joint tax return -----------------------------------------------------------------
def tax_return_pdf(path: Path) -> Path:
    c = canvas.Canvas(str(path), pagesize=letter)
    y = 700
    for line in LINES:
        c.setFont("Helvetica", 13)
        c.drawString(72, y, line)
        y -= 30
    c.showPage()
    c.save()
    return path


def tax_return_scan(path: Path) -> Path:
    """The same return as a 200-dpi grayscale scan."""
    dpi = 200
    im = Image.new("L", (int(8.5 * dpi), 11 * dpi), 255)
    d = ImageDraw.Draw(im)
    font = _font(40)
    y = 200
    for line in LINES:
        d.text((200, y), line, fill=0, font=font)
        y += 90
    im.save(path, dpi=(dpi, dpi))
    return path


def case_with(ws: Workspace, path: Path) -> tuple[int, int]:
    case_id = ws.create_case(Client(name="Rosa Test", a_number=CLIENT_A))
    ws.add_evidence(case_id, [path])
    [ex] = ws.exhibits(case_id)
    return case_id, ex.files[0].id


def ocr(png: Path) -> str:
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    res = subprocess.run(
        ["tesseract", str(png), "-", "--psm", "6"], capture_output=True, text=True, env=env
    )
    return res.stdout


def packet_page(pdf: Path, needle: str) -> int:
    n = len(PdfReader(pdf).pages)
    for p in range(1, n + 1):
        if needle in run_tool("pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"):
            return p
    raise AssertionError(f"{needle!r} is on no page")


def assert_gone_but_page_intact(pdf: Path, tmp_path: Path, *, rest_in_text: bool) -> None:
    text = run_tool("pdftotext", str(pdf), "-")
    pypdf_text = "".join(p.extract_text() or "" for p in PdfReader(pdf).pages)
    for t in (text, pypdf_text):
        digits = re.sub(r"[\s\-]", "", t)
        for secret in SECRETS:
            assert secret not in digits
    if rest_in_text:
        assert "Married filing jointly" in text and "Dependent: Maria Test" in text
        page = packet_page(pdf, "Married filing")
    else:
        page = len(PdfReader(pdf).pages)  # the scan is the last page
    run_tool(
        "pdftoppm",
        "-r",
        "150",
        "-png",
        "-f",
        str(page),
        "-l",
        str(page),
        str(pdf),
        str(tmp_path / "pg"),
    )
    [png] = sorted(tmp_path.glob("pg*.png"))
    read = ocr(png)
    assert "jointly" in read and "Wages" in read  # the rest of the page is intact
    digits = re.sub(r"[\s\-]", "", read)
    for secret in SECRETS:
        assert secret not in digits
        assert secret[-4:] not in digits


@needs_tesseract
def test_tax_return_numbers_are_removed_from_text_and_pixels(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = workspace
    case_id, file_id = case_with(ws, tax_return_pdf(tmp_path / "tax_return_2025.pdf"))
    assert ws.find_personal_numbers(case_id, today=TODAY) == 2
    reds = ws.redactions(case_id)
    assert sorted(r.masked for r in reds) == ["*** ** 7812", "***-**-6781"]
    assert {r.kind for r in reds} == {NumberKind.SSN}
    assert all(r.state == RedactionState.PROPOSED for r in reds)  # the client's A# is not there
    messages = [f.message for f in ws.review(case_id, today=TODAY)]
    assert "2 social security numbers on Exh. A, p. 1, not redacted yet." in messages

    data = str(ws.data_dir)
    ws.close()
    assert main(["--data-dir", data, "redact", str(case_id)]) == 0
    listing = capsys.readouterr().out
    assert "Exh. A\tp. 1\tsocial security number\t***-**-6781\tproposed" in listing
    assert "6781" in listing and "523" not in listing
    assert main(["--data-dir", data, "settings", "redaction", "--label"]) == 0
    assert main(["--data-dir", data, "redact", str(case_id), "--apply"]) == 0
    capsys.readouterr()
    kept = tmp_path / "original.pdf"
    assert (
        main(["--data-dir", data, "redact", str(case_id), "--original", "A", "--out", str(kept)])
        == 0
    )
    assert SPOUSE_SSN in run_tool("pdftotext", str(kept), "-")  # for the attorney
    assert kept.stat().st_mode & 0o077 == 0
    capsys.readouterr()

    with Workspace.open(data) as ws2:
        assert {r.state for r in ws2.redactions(case_id)} == {RedactionState.APPLIED}
        assert ws2.redacted_boxes(file_id, 0)
        ws2.sweep()
        original = ws2.unredacted_pdf(file_id)  # kept for the attorney, and survives a sweep
        assert original is not None and SPOUSE_SSN in PdfReader(io.BytesIO(original)).pages[
            0
        ].extract_text().replace("  ", " ")
        audit = [e["action"] for e in ws2.store.audit_entries(case_id)]
        assert "redaction.apply" in audit and "redaction.found" in audit
        assert ws2.find_personal_numbers(case_id, today=TODAY) == 0
        assert not [f for f in ws2.review(case_id, today=TODAY) if "redacted" in f.message]
        out = tmp_path / "packet.pdf"
        ws2.build_packet(case_id, out)
    assert_gone_but_page_intact(out, tmp_path, rest_in_text=True)
    page = packet_page(out, "Married filing")
    shown = run_tool("pdftotext", "-f", str(page), "-l", str(page), str(out), "-")
    assert shown.count("Redacted") == 2  # the firm's label on each black box


def tesseract_box(png: Path, dpi: int, needle: str) -> Box:
    """Where Tesseract reads ``needle`` (words joined) on a page rendered at ``dpi``."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    tsv = subprocess.run(
        ["tesseract", str(png), "-", "--psm", "6", "tsv"], capture_output=True, text=True, env=env
    ).stdout
    height = Image.open(png).size[1]
    hits = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) == 12 and cols[11].strip() and cols[11].strip() in needle:
            x, y, w, h = (int(v) for v in cols[6:10])
            if re.search(r"\d", cols[11]):
                hits.append((x, y, x + w, y + h))
    assert hits, tsv
    k = 72 / dpi
    return Box(
        min(h[0] for h in hits) * k - 2,
        (height - max(h[3] for h in hits)) * k - 2,
        max(h[2] for h in hits) * k + 2,
        (height - min(h[1] for h in hits)) * k + 2,
    )


@needs_tesseract
def test_scanned_page_pixels_are_removed_under_boxes_drawn_by_hand(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    case_id, file_id = case_with(ws, tax_return_scan(tmp_path / "tax_return_scan.png"))
    [ex] = ws.exhibits(case_id)
    stored = tmp_path / "stored.pdf"
    stored.write_bytes(ws.pdf_bytes(ex.files[0]))
    run_tool("pdftoppm", "-r", "100", "-png", str(stored), str(tmp_path / "st"))
    png = next(tmp_path.glob("st*.png"))
    for needle in (SPOUSE_SSN, CHILD_SSN):
        ws.add_redaction(file_id, 0, tesseract_box(png, 100, needle))
    result = ws.apply_redactions(case_id)
    assert result.boxes == 2 and result.pixels > 0
    out = tmp_path / "packet.pdf"
    ws.build_packet(case_id, out)
    assert_gone_but_page_intact(out, tmp_path, rest_in_text=False)


@needs_tesseract
def test_scanned_tax_return_numbers_are_found_and_removed(
    workspace: Workspace, tmp_path: Path
) -> None:
    if getattr(workspace, "page_text", None) is None:
        pytest.skip("needs OCR (#15 part 1)")
    ws = workspace
    case_id, _ = case_with(ws, tax_return_scan(tmp_path / "tax_return_scan.png"))
    ws.run_ocr(case_id)  # the window and the CLI run it after every import
    ws.find_personal_numbers(case_id, today=TODAY)
    found = ws.redactions(case_id)
    assert {r.kind for r in found} == {NumberKind.SSN} and len(found) == 2
    ws.apply_redactions(case_id)
    out = tmp_path / "packet.pdf"
    ws.build_packet(case_id, out)
    assert_gone_but_page_intact(out, tmp_path, rest_in_text=False)


def tesseract_words(png: Path, dpi: int) -> list[Word]:
    """Tesseract's words on a page rendered at ``dpi``, in PDF points (as OCR gives them)."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    tsv = subprocess.run(
        ["tesseract", str(png), "-", "--psm", "6", "tsv"], capture_output=True, text=True, env=env
    ).stdout
    height = Image.open(png).size[1]
    k = 72 / dpi
    out = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) == 12 and cols[11].strip():
            x, y, w, h = (int(v) for v in cols[6:10])
            out.append(Word(cols[11], x * k, (height - y - h) * k, (x + w) * k, (height - y) * k))
    return out


@needs_tesseract
def test_ocr_words_are_preferred_and_a_pending_ocr_is_searched_again(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The finder reads ``Workspace.page_text`` where the build has it (OCR of
    image pages); here it is stood in for by Tesseract's own words."""
    from pdpacket.model.text import OcrStatus, PageText, TextSource

    ws = workspace
    case_id, file_id = case_with(ws, tax_return_scan(tmp_path / "tax_return_scan.png"))
    [ex] = ws.exhibits(case_id)
    stored = tmp_path / "stored.pdf"
    stored.write_bytes(ws.pdf_bytes(ex.files[0]))
    run_tool("pdftoppm", "-r", "100", "-png", str(stored), str(tmp_path / "st"))
    ocr_words = tesseract_words(next(tmp_path.glob("st*.png")), 100)
    status = {"now": OcrStatus.PENDING}

    def page_text(fid: int, page: int) -> PageText:
        words = tuple(ocr_words) if status["now"] == OcrStatus.DONE else ()
        return PageText(fid, page, TextSource.OCR, words, status=status["now"])

    monkeypatch.setattr(ws, "page_text", page_text, raising=False)
    assert ws.find_personal_numbers(case_id, today=TODAY) == 0  # OCR still running
    status["now"] = OcrStatus.DONE
    assert ws.find_personal_numbers(case_id, today=TODAY) == 2
    assert {r.kind for r in ws.redactions(case_id)} == {NumberKind.SSN}
    ws.apply_redactions(case_id)
    out = tmp_path / "packet.pdf"
    ws.build_packet(case_id, out)
    assert_gone_but_page_intact(out, tmp_path, rest_in_text=False)
    assert ws.redacted_boxes(file_id, 0)


# ---- decisions, undo, settings, archive ------------------------------------------------------
def test_decisions_are_undoable_and_rejected_numbers_stay(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    case_id, file_id = case_with(ws, tax_return_pdf(tmp_path / "tax_return_2025.pdf"))
    ws.find_personal_numbers(case_id, today=TODAY)
    _child, spouse = sorted(ws.redactions(case_id), key=lambda r: r.masked)
    step = ws.set_redaction_state([spouse.id], RedactionState.REJECTED)
    assert "rejection of the redaction on Exh. A, p. 1" in ws.undo_text() and step
    ws.undo()
    assert {r.state for r in ws.redactions(case_id)} == {RedactionState.PROPOSED}
    ws.redo()
    ws.add_redaction(file_id, 0, Box(70, 545, 130, 565))  # "Wages ..." line by hand
    assert ws.undo_text() == "Undo redaction drawn by hand"
    ws.apply_redactions(case_id)
    pdf = tmp_path / "stored.pdf"
    pdf.write_bytes(ws.pdf_bytes(ws.exhibits(case_id)[0].files[0]))
    text = run_tool("pdftotext", "-layout", str(pdf), "-")
    assert SPOUSE_SSN in text  # rejected: stays
    assert "7812" not in text and "Wages" not in text
    assert "Married filing jointly" in text
    states = {r.masked: r.state for r in ws.redactions(case_id)}
    assert states["***-**-6781"] == RedactionState.REJECTED
    assert ws.undo() is None  # applying is not undone, and forgets the steps before it
    assert len(ws.redactions(case_id)) == 3


def test_kinds_the_firm_only_lists_are_not_applied(workspace: Workspace, tmp_path: Path) -> None:
    ws = workspace
    settings = ws.redaction_settings()
    assert NumberKind.SSN in settings.proposed and NumberKind.CARD not in settings.proposed
    assert (
        main(["--data-dir", str(ws.data_dir), "settings", "redaction", "--list-only", "ssn"]) == 0
    )
    case_id, _ = case_with(ws, tax_return_pdf(tmp_path / "tax_return_2025.pdf"))
    ws.find_personal_numbers(case_id, today=TODAY)
    assert {r.state for r in ws.redactions(case_id)} == {RedactionState.LISTED}
    notes = [
        f for f in ws.review(case_id, today=TODAY) if f.code == "exhibit.personal_numbers_listed"
    ]
    assert notes and notes[0].location.step == "evidence"
    assert ws.apply_redactions(case_id).boxes == 0


def test_archive_carries_redactions_and_the_unredacted_original(
    workspace: Workspace, tmp_path: Path
) -> None:
    ws = workspace
    case_id, _ = case_with(ws, tax_return_pdf(tmp_path / "tax_return_2025.pdf"))
    ws.find_personal_numbers(case_id, today=TODAY)
    ws.apply_redactions(case_id)
    archive = tmp_path / "case.pdpacket"
    ws.export_case(case_id, archive)
    with Workspace.open(tmp_path / "other") as other:
        new_id = other.import_archive(archive).case_id
        reds = other.redactions(new_id)
        assert len(reds) == 2 and {r.state for r in reds} == {RedactionState.APPLIED}
        original = other.unredacted_pdf(reds[0].file_id)
        assert original is not None
        assert SPOUSE_SSN in "".join(
            p.extract_text() or "" for p in PdfReader(io.BytesIO(original)).pages
        )
        assert other.redacted_boxes(reds[0].file_id, 0)


# ---- the removal itself: text positions, images, forms ----------------------------------------
def bbox_words(pdf: Path) -> dict[str, tuple[float, float]]:
    """Each word's (xMin, yMin) as poppler reads it."""
    html = run_tool("pdftotext", "-bbox", str(pdf), "-")
    return {
        m.group(3): (float(m.group(1)), float(m.group(2)))
        for m in re.finditer(r'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]+)</word>', html)
    }


def test_the_rest_of_the_line_stays_in_place(tmp_path: Path) -> None:
    from pdpacket.intake.pdfglyphs import page_words
    from pdpacket.intake.redact import redact_pdf

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.setFont("Helvetica", 12)
    c.drawString(72, 700, "Spouse SSN 523-45-6781 Occupation: welder")
    t = c.beginText(72, 670)
    t.setFont("Times-Roman", 12)
    t.setCharSpace(0.5)
    t.setWordSpace(2)
    t.textLine("Child SSN 534-56-7812 Grade: fifth")
    c.drawText(t)
    c.showPage()
    c.save()
    before = tmp_path / "before.pdf"
    before.write_bytes(buf.getvalue())
    found = find_numbers(page_words(buf.getvalue(), 0), today=TODAY)
    assert len(found) == 2
    out, stats = redact_pdf(buf.getvalue(), {0: [f.box.padded(1) for f in found]}, name="x.pdf")
    after = tmp_path / "after.pdf"
    after.write_bytes(out)
    assert stats.glyphs == 22
    old, new = bbox_words(before), bbox_words(after)
    for word in ("Spouse", "SSN", "Occupation:", "welder", "Child", "Grade:", "fifth"):
        assert abs(old[word][0] - new[word][0]) < 0.05, word
        assert abs(old[word][1] - new[word][1]) < 0.05, word
    assert "523-45-6781" not in new and "534-56-7812" not in new


def image_page(tmp_path: Path, im: Image.Image, name: str) -> bytes:
    path = tmp_path / name
    im.save(path, quality=75) if name.endswith(".jpg") else im.save(path)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.drawImage(str(path), 72, 392, width=400, height=300)
    c.showPage()
    c.save()
    return buf.getvalue()


def only_image(pdf: bytes) -> tuple[dict[str, object], Image.Image]:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    [name] = list(xobjects)
    x = xobjects[name].get_object()
    return dict(x), x.decode_as_image()


def test_jpeg_pixels_are_blacked_out_at_the_same_quality(tmp_path: Path) -> None:
    from pdpacket.intake.redact import redact_pdf

    photo = Image.new("RGB", (800, 600), (230, 220, 200))
    ImageDraw.Draw(photo).rectangle((100, 100, 700, 500), fill=(40, 120, 200))
    pdf = image_page(tmp_path, photo, "photo.jpg")
    old_dict, _ = only_image(pdf)
    assert "/DCTDecode" in old_dict["/Filter"]  # type: ignore[operator]
    # the left half of the image: x 72..272 pt, y 392..692 pt
    out, stats = redact_pdf(pdf, {0: [Box(72, 392, 272, 692)]}, name="photo.pdf")
    new_dict, im = only_image(out)
    assert new_dict["/Filter"] == "/DCTDecode" and stats.pixels == 400 * 600
    assert max(im.getpixel((150, 300))) < 20  # under the box: black
    assert im.getpixel((600, 300))[2] > 150  # outside: still blue
    old_jpeg = PdfReader(io.BytesIO(pdf)).pages[0]["/Resources"]["/XObject"]
    new_jpeg = PdfReader(io.BytesIO(out)).pages[0]["/Resources"]["/XObject"]
    q_old = Image.open(io.BytesIO(next(iter(old_jpeg.values())).get_object().get_data()))
    q_new = Image.open(io.BytesIO(next(iter(new_jpeg.values())).get_object().get_data()))
    assert q_old.quantization == q_new.quantization  # type: ignore[attr-defined]


def test_black_and_white_scan_stays_g4_with_the_pixels_gone(
    workspace: Workspace, tmp_path: Path
) -> None:
    scan = Image.new("1", (850, 1100), 1)
    d = ImageDraw.Draw(scan)
    d.rectangle((100, 100, 750, 300), fill=0)  # a black band across the top
    path = tmp_path / "bw_scan.png"
    scan.save(path, dpi=(100, 100))
    case_id, file_id = case_with(workspace, path)
    [ex] = workspace.exhibits(case_id)
    before = workspace.pdf_bytes(ex.files[0])
    assert only_image(before)[0]["/Filter"] == "/CCITTFaxDecode"
    # a box over the white middle of the page: painted black in the image itself
    workspace.add_redaction(file_id, 0, Box(200, 300, 400, 400))
    workspace.apply_redactions(case_id)
    after = workspace.pdf_bytes(workspace.exhibits(case_id)[0].files[0])
    new_dict, im = only_image(after)
    assert new_dict["/Filter"] == "/CCITTFaxDecode"
    w, h = im.size
    k = w / 612
    assert im.convert("L").getpixel((round(300 * k), round(h - 350 * k))) == 0
    assert im.convert("L").getpixel((round(500 * k), round(h - 350 * k))) == 255


def test_text_inside_a_form_xobject_is_removed(tmp_path: Path) -> None:
    from pdpacket.intake.pdfglyphs import page_words
    from pdpacket.intake.redact import redact_pdf

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.beginForm("stub")
    c.setFont("Helvetica", 12)
    c.drawString(72, 500, "Routing 021000021 Account number 123456789012 Branch Main")
    c.endForm()
    c.doForm("stub")
    c.showPage()
    c.save()
    words = page_words(buf.getvalue(), 0)
    assert [w.text for w in words][:3] == ["Routing", "021000021", "Account"]
    found = find_numbers(words, today=TODAY)
    assert {f.kind for f in found} == {NumberKind.BANK_ACCOUNT}
    out, _ = redact_pdf(buf.getvalue(), {0: [f.box.padded(1) for f in found]}, name="stub.pdf")
    path = tmp_path / "stub.pdf"
    path.write_bytes(out)
    text = run_tool("pdftotext", str(path), "-")
    assert "123456789012" not in text and "021000021" not in text
    assert "Branch Main" in text


def test_cli_accepts_rejects_and_adds_boxes_by_hand(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    case_id, _ = case_with(workspace, tax_return_pdf(tmp_path / "tax_return_2025.pdf"))
    data = str(workspace.data_dir)
    workspace.close()
    assert main(["--data-dir", data, "redact", str(case_id), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    spouse = next(r for r in rows if r["text"].endswith("6781"))
    child = next(r for r in rows if r["text"].endswith("7812"))
    assert (spouse["exhibit"], spouse["page"], spouse["kind"]) == ("A", 1, "ssn")
    args = ["--data-dir", data, "redact", str(case_id)]
    assert main([*args, "--reject", str(spouse["id"]), "--accept", str(child["id"])]) == 0
    capsys.readouterr()
    assert main([*args, "--add", "A:1:70,545,130,565", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    states = {r["id"]: r["state"] for r in rows}
    assert states[spouse["id"]] == "rejected" and states[child["id"]] == "accepted"
    assert [r["source"] for r in rows].count("hand") == 1
    assert main([*args, "--add", "Z:1:0,0,10,10"]) == 2
    assert "no exhibit 'Z'" in capsys.readouterr().err
    assert main([*args, "--add", "A:4:0,0,10,10"]) == 2
    assert "has 1 pages, not 4" in capsys.readouterr().err
    assert main([*args, "--add", "A:1:nonsense"]) == 2
    assert main([*args, "--accept", "999"]) == 2
    assert "no redaction 999" in capsys.readouterr().err
    with Workspace.open(data) as ws:
        audit = [e["action"] for e in ws.store.audit_entries(case_id)]
    assert {"redaction.rejected", "redaction.accepted", "redaction.add"} <= set(audit)


def test_numbers_in_turned_text_are_found_and_removed(tmp_path: Path) -> None:
    from pdpacket.intake.pdfglyphs import page_words
    from pdpacket.intake.redact import redact_pdf

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.setFont("Helvetica", 12)
    c.drawString(72, 720, "Header stays")
    c.saveState()
    c.translate(300, 200)
    c.rotate(90)  # a margin note running up the page
    c.drawString(0, 0, "SSN 512-34-6789 margin note")
    c.restoreState()
    c.showPage()
    c.save()
    [found] = find_numbers(page_words(buf.getvalue(), 0), today=TODAY)
    assert found.box.height > found.box.width  # runs up the page
    out, stats = redact_pdf(buf.getvalue(), {0: [found.box.padded(1)]}, name="turned.pdf")
    path = tmp_path / "turned.pdf"
    path.write_bytes(out)
    text = run_tool("pdftotext", str(path), "-")
    assert "6789" not in text and "margin note" in text and "Header stays" in text
    assert stats.glyphs == 11


def test_inline_image_pixels_are_removed(tmp_path: Path) -> None:
    from pdpacket.intake.redact import redact_pdf

    im = Image.new("L", (200, 100), 255)
    ImageDraw.Draw(im).rectangle((0, 0, 199, 99), fill=90)  # all mid-gray
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.drawInlineImage(im, 100, 500, width=200, height=100)
    c.showPage()
    c.save()
    assert b"BI" in PdfReader(io.BytesIO(buf.getvalue())).pages[0].get_contents().get_data()
    # the left half of the picture
    out, stats = redact_pdf(buf.getvalue(), {0: [Box(100, 500, 200, 600)]}, name="inline.pdf")
    assert stats.pixels == 100 * 100
    page = PdfReader(io.BytesIO(out)).pages[0]
    [x] = [v.get_object() for v in page["/Resources"]["/XObject"].values()]
    pixels = x.decode_as_image().convert("L")
    assert pixels.getpixel((50, 50)) == 0 and pixels.getpixel((150, 50)) == 90
    path = tmp_path / "inline.pdf"
    path.write_bytes(out)
    run_tool("qpdf", "--check", str(path))


def test_page_edits_number_the_pages_and_no_undo_brings_the_numbers_back(
    workspace: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from pdpacket.model.redaction import Box as B

    ws = workspace
    case_id = ws.create_case(Client(name="Rosa Test", a_number=CLIENT_A))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    for text in ("Cover page of the return", f"Spouse SSN {SPOUSE_SSN}", "Child SSN 534-56-7812"):
        c.setFont("Helvetica", 12)
        c.drawString(72, 700, text)
        c.showPage()
    c.save()
    path = tmp_path / "three_pages.pdf"
    path.write_bytes(buf.getvalue())
    ws.add_evidence(case_id, [path])
    [ex] = ws.exhibits(case_id)
    ws.find_personal_numbers(case_id, today=TODAY)
    assert [r.exhibit_page for r in ws.redactions(case_id)] == [1, 2]
    ws.delete_pages(ex.id, [1])  # the cover page leaves the packet
    ws.rotate_pages(ex.id, [2], 90)
    pages = {r.masked: r.exhibit_page for r in ws.redactions(case_id)}
    assert pages == {"***-**-6781": 0, "***-**-7812": 1}
    messages = [f.message for f in ws.review(case_id, today=TODAY)]
    assert "1 social security number on Exh. A, p. 1, not redacted yet." in messages
    ws.delete_pages(ex.id, [3])  # the child's page too: not in the packet, not in the review
    messages = [f.message for f in ws.review(case_id, today=TODAY)]
    assert not any("p. 2, not redacted" in m for m in messages)
    assert ws.can_undo()
    ws.apply_redactions(case_id)
    assert not ws.can_undo()  # an undo of a page edit would write back the unredacted file
    stored = tmp_path / "stored.pdf"
    stored.write_bytes(ws.pdf_bytes(ws.exhibits(case_id)[0].files[0]))
    text = run_tool("pdftotext", str(stored), "-")
    assert "6781" not in text and "7812" not in text and "Cover page" in text
    with pytest.raises(BadInputError):
        ws.move_redaction(ws.redactions(case_id)[0].id, B(0, 0, 10, 10))


def page(*lines: str) -> list[Word]:
    """Words of a page: one line of ``lines`` under the other, 14 pt apart."""
    out = []
    for n, line in enumerate(lines):
        x, y = 72.0, 700.0 - 14 * n
        for t in line.split():
            out.append(Word(t, x, y, x + 6 * len(t), y + 10))
            x += 6 * len(t) + 4
    return out


def test_what_the_demo_case_wrongly_proposed_is_not_a_personal_number():
    """Three false positives a reader of the demo saw: a wedding date under a line
    saying where a spouse was born; a report date over the client's date of birth;
    a street address under "Account holder: <name>"."""
    marriage = page(
        "and Lucia Fernanda Morales Rivas",
        "residing at 88-21 37th Ave, Jackson Heights, NY, born in Honduras",
        "were married on August 14, 2021, in Queens, New York.",
    )
    assert find_numbers(marriage, today=TODAY) == []
    bill = page("Account holder: Lucia Morales", "Service address: 88-21 37th Ave Apt 4B")
    assert find_numbers(bill, today=TODAY) == []
    fbi = page("Response date: 2025-10-20", "Date of birth: 1988-04-12")
    assert find_numbers(fbi, today=TODAY) == []
    # while a label over its box, or beside the date, still counts
    form = page("Child's date of birth:", "03/04/2015")
    assert [str(f.kind) for f in find_numbers(form, today=TODAY)] == ["minor_dob"]
    assert [str(f.kind) for f in find_numbers(page("Mateo, born on May 2, 2019"), today=TODAY)] == [
        "minor_dob"
    ]
    acct = page("Account number:", "4417 1234 5678")
    assert [str(f.kind) for f in find_numbers(acct, today=TODAY)] == ["bank_account"]


def test_a_newer_finder_drops_what_an_older_one_wrongly_proposed(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data folder searched by an earlier finder keeps its wrong proposals only
    until the page is searched again: an undecided proposal the new finder does
    not find goes; what the attorney decided stays."""
    from pdpacket.api import redaction as api_redaction

    ws = workspace
    case_id, file_id = case_with(ws, tax_return_pdf(tmp_path / "tax_return_2025.pdf"))
    monkeypatch.setattr(api_redaction, "FINDER_VERSION", "0")
    ws.find_personal_numbers(case_id, today=TODAY)
    from pdpacket.model.redaction import RedactionSource
    from pdpacket.store import redactions as rows

    with ws.store.transaction():  # what the old finder wrongly proposed
        rows._insert(
            ws.store,
            case_id,
            file_id,
            0,
            Box(300, 100, 360, 112),
            NumberKind.MINOR_DOB,
            RedactionState.PROPOSED,
            RedactionSource.AUTO,
            "**/**/2021",
        )
    [stale] = [r for r in ws.redactions(case_id) if r.masked == "**/**/2021"]
    child, spouse = sorted(
        (r for r in ws.redactions(case_id) if r.id != stale.id), key=lambda r: r.masked
    )
    ws.set_redaction_state([spouse.id], RedactionState.REJECTED)
    monkeypatch.setattr(api_redaction, "FINDER_VERSION", "9")
    ws.find_personal_numbers(case_id, today=TODAY)
    left = {r.id: r.state for r in ws.redactions(case_id)}
    assert stale.id not in left  # proposed, undecided, not found again: dropped
    assert left[spouse.id] == RedactionState.REJECTED and child.id in left

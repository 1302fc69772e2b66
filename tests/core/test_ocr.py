"""OCR of scanned evidence (Tesseract), the packet's invisible text layer, and the
language each document is detected in.

Scans are generated: text rendered into an image with Pillow, added as evidence
the way a user adds a file.  Packets are read back with poppler (pdftotext,
pdftoppm) as well as pypdf.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from pdpacket.api import Workspace
from pdpacket.cli import main
from pdpacket.model import Client
from pdpacket.model.progress import CancelToken
from pdpacket.model.text import OcrStatus, TextSource
from tests.core.packet_fixtures import add_exhibit, dark_fraction, render, text_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("tesseract") is None or shutil.which("pdftotext") is None,
    reason="needs tesseract and poppler-utils",
)

FONT = Path(__file__).parents[2] / "resources" / "fonts" / "LiberationSerif-Regular.ttf"
LETTER = [
    "Dear Officer Whitfield,",
    "I have known Maria Lopez for eleven years.",
    "She volunteers every Saturday at our parish",
    "food pantry and raises three children.",
]
ACTA = [
    "REPUBLICA DE GUATEMALA",
    "REGISTRO NACIONAL DE LAS PERSONAS",
    "Certificado de nacimiento",
    "El registrador civil certifica que en el libro",
    "de nacimientos consta la inscripcion del menor,",
    "hijo de la senora Maria Lopez, nacido en la ciudad.",
]


def scanned(path: Path, lines: list[str], *, size: tuple[int, int] = (2550, 3300)) -> Path:
    """A page of typed text scanned at 300 dpi (grey PNG)."""
    im = Image.new("L", size, 255)
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(FONT), 50)
    for i, line in enumerate(lines):
        d.text((260, 320 + i * 86), line, font=font, fill=0)
    im.save(path, dpi=(300, 300))
    return path


def new_case(ws: Workspace) -> int:
    return ws.create_case(Client(name="Maria Lopez", a_number="201555014"))


def add(ws: Workspace, case_id: int, *paths: Path) -> list[int]:
    results = ws.add_evidence(case_id, list(paths))
    assert all(r.status == "imported" for r in results), results
    return [r.file_id for r in results]


def codes(ws: Workspace, case_id: int) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in ws.review(case_id):
        out.setdefault(f.code, []).append(f"{f.severity}: {f.message} | {f.fix}")
    return out


def test_scanned_letter_comes_out_searchable_with_words_in_place(workspace, tmp_path):
    ws = workspace
    case_id = new_case(ws)
    (file_id,) = add(ws, case_id, scanned(tmp_path / "letter_scan.png", LETTER))
    assert ws.ocr_pending(case_id) == 1
    before = ws.page_text(file_id, 0)
    assert before.status == OcrStatus.PENDING and before.words == ()

    summary = ws.run_ocr(case_id)
    assert (summary.done, summary.failed, summary.pending) == (1, 0, 0)
    assert ws.ocr_pending(case_id) == 0
    pt = ws.page_text(file_id, 0)
    assert pt.source == TextSource.OCR and pt.status == OcrStatus.DONE
    assert "Whitfield" in pt.text and "pantry" in pt.text
    assert pt.language == "English"
    # boxes in the stored page's points: the scan is placed at its real size, so
    # pixel 260 at 300 dpi is 62.4 pt from the left, the first line near the top
    dear = next(w for w in pt.words if w.text == "Dear")
    assert 58 < dear.x0 < 67 and 700 < dear.y1 < 720

    out = tmp_path / "packet.pdf"
    result = ws.build_packet(case_id, out)
    assert not any("No text layer" in w for w in result.warnings)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    for word in ("Whitfield", "eleven", "Saturday", "pantry", "children."):
        assert word in text
    # the words sit where the scan shows them: pdftotext's box of each word
    # covers dark pixels of the rendered packet page
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True
    ).stdout
    pages = bbox.split("<page ")[1:]
    n, page_xml = next((i, p) for i, p in enumerate(pages, 1) if "Whitfield" in p)
    png = render(out, n, tmp_path, dpi=100)
    for word in ("Whitfield", "Saturday", "pantry"):
        m = re.search(
            rf'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">{word}', page_xml
        )
        assert m, word
        x0, y0, x1, y1 = (float(v) for v in m.groups())
        box = (x0, 792 - y1, x1, 792 - y0)  # pdftotext's y runs down
        assert dark_fraction(png, box) > 0.08, (word, box)
        away = (x0, 792 - y1 - 300, x1, 792 - y0 - 300)  # the same box far below: blank
        assert dark_fraction(png, away) < 0.01
    # invisible: the page looks as the scan does (no text drawn over it), and pypdf
    # reads the words too
    reader = PdfReader(out)
    assert "Whitfield" in reader.pages[n - 1].extract_text()
    assert b"3 Tr" in reader.pages[n - 1].get_contents().get_data()


def test_original_evidence_is_untouched_and_text_pages_are_left_alone(workspace, tmp_path):
    ws = workspace
    case_id = new_case(ws)
    add_exhibit(ws, case_id, "Pay stub", text_pdf(["Pay stub Acme Corp net pay 1,234.00"]))
    add(ws, case_id, scanned(tmp_path / "scan.png", LETTER))
    ex = ws.exhibits(case_id)
    stored = {f.pdf_sha256: ws.store.blobs.read(f.pdf_sha256) for e in ex for f in e.files}
    assert ws.ocr_pending(case_id) == 1  # the text PDF needs none
    ws.run_ocr(case_id)
    for sha, data in stored.items():
        assert ws.store.blobs.read(sha) == data
    text_file = ex[0].files[0]
    pt = ws.page_text(text_file.id, 0)
    assert pt.source == TextSource.PDF and pt.status == OcrStatus.NOT_NEEDED
    stub = next(w for w in pt.words if w.text == "Acme")
    assert 0 < stub.x0 < stub.x1 < 612 and 0 < stub.y0 < stub.y1 < 792


def test_spanish_certificate_without_a_language_needs_a_translation(workspace, tmp_path):
    ws = workspace
    case_id = new_case(ws)
    (file_id,) = add(ws, case_id, scanned(tmp_path / "acta_nacimiento.png", ACTA))
    ex = ws.exhibits(case_id)[0]
    assert ex.language == "English"  # nobody set it
    ws.run_ocr(case_id)
    assert ws.page_text(file_id, 0).language == "Spanish"
    found = codes(ws, case_id)
    (line,) = found["exhibit.untranslated_detected"]
    assert line.startswith("error:") and "Spanish" in line and "acta_nacimiento.png" in line
    (proposal,) = ws.language_proposals(case_id)
    assert (proposal.exhibit_id, proposal.language) == (ex.id, "Spanish")

    ws.use_detected_language(ex.id)  # one click in the window
    assert ws.get_exhibit(ex.id).language == "Spanish"
    found = codes(ws, case_id)
    assert "exhibit.untranslated_detected" not in found
    assert "exhibit.untranslated" in found  # the usual finding, now with the language set
    ws.undo()
    assert ws.get_exhibit(ex.id).language == "English"
    assert "exhibit.untranslated_detected" in codes(ws, case_id)

    # the attorney says the detection is wrong: the review stops asking
    ws.keep_exhibit_language(ex.id)
    assert "exhibit.untranslated_detected" not in codes(ws, case_id)
    assert ws.language_proposals(case_id) == []


def test_a_translated_foreign_document_is_not_flagged(workspace, tmp_path):
    ws = workspace
    case_id = new_case(ws)
    add(ws, case_id, scanned(tmp_path / "acta.png", ACTA))
    ex = ws.exhibits(case_id)[0]
    ws.add_file_to_exhibit(ex.id, scanned(tmp_path / "translation.png", LETTER))
    ws.run_ocr(case_id)
    assert "exhibit.untranslated_detected" not in codes(ws, case_id)


def test_without_tesseract_a_clear_note_and_the_build_still_works(workspace, tmp_path, monkeypatch):
    ws = workspace
    case_id = new_case(ws)
    empty = tmp_path / "no-tesseract"
    empty.mkdir()
    real_path = os.environ["PATH"]
    monkeypatch.setenv("PATH", str(empty))
    (file_id,) = add(ws, case_id, scanned(tmp_path / "scan.png", LETTER))
    assert not ws.ocr_available()
    summary = ws.run_ocr(case_id)
    assert summary.unavailable and summary.pending == 1 and summary.done == 0
    assert "apt install tesseract-ocr tesseract-ocr-spa" in summary.message
    assert ws.page_text(file_id, 0).status == OcrStatus.UNAVAILABLE
    (line,) = codes(ws, case_id)["ocr.unavailable"]
    assert line.startswith("note:")
    assert "brew install tesseract tesseract-lang" in line and "UB-Mannheim" in line
    result = ws.build_packet(case_id, tmp_path / "p.pdf")
    assert result.pages > 0 and (tmp_path / "p.pdf").exists()
    assert any("No text layer on 1 scanned page" in w for w in result.warnings)

    monkeypatch.setenv("PATH", real_path)  # installed later: the pages are read
    assert ws.ocr_pending(case_id) == 1
    assert ws.run_ocr(case_id).done == 1
    assert "ocr.unavailable" not in codes(ws, case_id)


def test_cancel_keeps_pages_read_and_leaves_the_rest_pending(workspace, tmp_path):
    ws = workspace
    case_id = new_case(ws)
    paths = [
        scanned(tmp_path / f"scan{i}.png", [f"Page number {i} of the lease"]) for i in range(6)
    ]
    add(ws, case_id, *paths)
    token = CancelToken()

    class CancelAfterFirst:
        def update(self, done: int, total: int, message: str) -> None:
            if done >= 1:
                token.cancel()

    summary = ws.run_ocr(case_id, progress=CancelAfterFirst(), cancel=token)
    assert summary.cancelled
    assert 1 <= summary.done < 6 and summary.done + summary.pending == 6
    assert ws.ocr_pending(case_id) == summary.pending
    assert any("have no text yet" in line for line in codes(ws, case_id)["ocr.pending"])
    again = ws.run_ocr(case_id)
    assert again.done == summary.pending and ws.ocr_pending(case_id) == 0


def test_a_page_tesseract_cannot_read_is_a_finding_naming_the_page(
    workspace, tmp_path, monkeypatch
):
    ws = workspace
    case_id = new_case(ws)
    add(ws, case_id, scanned(tmp_path / "scan.png", LETTER))
    broken = tmp_path / "bin" / "tesseract"
    broken.parent.mkdir()
    broken.write_text("#!/bin/sh\necho 'Error: image file not readable' >&2\nexit 1\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PDPACKET_TESSERACT", str(broken))
    summary = ws.run_ocr(case_id)
    assert summary.failed == 1 and "Exhibit A, page 1 (scan.png)" in summary.failures[0]
    (line,) = codes(ws, case_id)["ocr.failed"]
    assert line.startswith("warning:") and "Exhibit A, page 1 of scan.png" in line
    monkeypatch.delenv("PDPACKET_TESSERACT")
    assert ws.run_ocr(case_id, retry_failed=True).done == 1
    assert "ocr.failed" not in codes(ws, case_id)


def test_cli_ocr_and_build_wait_with_progress_on_stderr(workspace, tmp_path, capsys):
    ws = workspace
    case_id = new_case(ws)
    data = str(ws.data_dir)
    scan = scanned(tmp_path / "scan.png", LETTER)
    assert main(["--data-dir", data, "add", str(case_id), str(scan), "--no-ocr"]) == 0
    err = capsys.readouterr().err
    assert "1 scanned page(s) still wait for OCR" in err
    assert main(["--data-dir", data, "ocr", str(case_id)]) == 0
    err = capsys.readouterr().err
    assert "OCR read 1 page in" in err
    out = tmp_path / "p.pdf"
    assert main(["--data-dir", data, "build", str(case_id), "--out", str(out)]) == 0
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Whitfield" in text


def test_photo_turned_by_exif_gets_words_the_right_way_up(workspace, tmp_path):
    """A phone photo stored sideways (EXIF orientation 6) is read upright, and its
    words land on the page where the upright picture shows them."""
    ws = workspace
    case_id = new_case(ws)
    upright = Image.new("L", (1500, 2000), 255)
    d = ImageDraw.Draw(upright)
    font = ImageFont.truetype(str(FONT), 44)
    d.text((120, 150), "Certificate of Baptism", font=font, fill=0)
    d.text((120, 1700), "Parish of Saint Anne", font=font, fill=0)
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # what the phone stores
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "photo.jpg"
    stored.convert("RGB").save(path, "JPEG", quality=92, exif=exif.tobytes())
    (file_id,) = add(ws, case_id, path)
    ws.run_ocr(case_id)
    words = {w.text: w for w in ws.page_text(file_id, 0).words}
    assert "Baptism" in words and "Anne" in words
    assert words["Baptism"].y0 > words["Anne"].y1  # top of the picture is higher up
    data = ws.store.blobs.read(ws.exhibits(case_id)[0].files[0].pdf_sha256)
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_ocr_languages_are_a_setting_checked_against_tesseract(workspace):
    ws = workspace
    assert ws.ocr_languages() == ("eng", "spa")
    assert ws.set_ocr_languages(["spa", "eng"]) == ("spa", "eng")
    assert ws.ocr_languages() == ("spa", "eng")
    with pytest.raises(Exception, match="no xyz language"):
        ws.set_ocr_languages(["eng", "xyz"])


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q"]))


def test_archive_carries_language_decisions_and_ocr_is_recomputed(workspace, tmp_path):
    """OCR results are derived from the stored files: an archive does not carry
    them and the importing data folder reads the scans again; what the attorney
    decided about a detected language is case data and travels with the case."""
    ws = workspace
    case_id = new_case(ws)
    add(ws, case_id, scanned(tmp_path / "acta.png", ACTA))
    ws.run_ocr(case_id)
    ex = ws.exhibits(case_id)[0]
    ws.keep_exhibit_language(ex.id)
    archive = tmp_path / "case.pdpacket"
    ws.export_case(case_id, archive)

    other = Workspace.open(tmp_path / "other")
    try:
        info = other.import_archive(archive)
        new_id = info.case_id
        assert other.ocr_pending(new_id) == 1  # read again here
        assert other.run_ocr(new_id).done == 1
        (file_id,) = [f.id for e in other.exhibits(new_id) for f in e.files]
        assert "nacimiento" in other.page_text(file_id, 0).text
        assert other.language_proposals(new_id) == []  # the decision came along
        assert "exhibit.untranslated_detected" not in codes(other, new_id)
    finally:
        other.close()


def test_black_and_white_colour_and_grey_scans_are_all_read(workspace, tmp_path):
    """Intake stores these three ways (CCITT G4, JPEG, Flate with PNG predictors);
    each is handed to Tesseract and read."""
    from tests.evidence_gen import scan

    ws = workspace
    case_id = new_case(ws)
    paths = [
        scan(tmp_path / "bw.tif", "1", fmt="TIFF"),
        scan(tmp_path / "colour.jpg", "RGB", fmt="JPEG"),
        scan(tmp_path / "grey.png", "L"),
    ]
    ids = add(ws, case_id, *paths)
    assert ws.run_ocr(case_id).done == 3
    for file_id in ids:
        assert "Rent: $1,200 per month" in ws.page_text(file_id, 0).text


def test_a_sideways_scan_in_a_turned_pdf_page_is_read_and_placed(workspace, tmp_path):
    """A scanner's PDF: the image stored sideways on a landscape page that
    /Rotate turns upright.  The words come out where the reader sees them."""
    from pypdf import PdfWriter
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    upright = Image.open(scanned(tmp_path / "page.png", LETTER))
    c = canvas.Canvas(str(tmp_path / "raw.pdf"), pagesize=(792, 612))
    c.drawImage(ImageReader(upright.rotate(90, expand=True)), 0, 0, 792, 612)
    c.save()
    w = PdfWriter(clone_from=str(tmp_path / "raw.pdf"))
    w.pages[0].rotate(90)
    w.write(str(tmp_path / "turned.pdf"))
    ws = workspace
    case_id = new_case(ws)
    (file_id,) = add(ws, case_id, tmp_path / "turned.pdf")
    ws.run_ocr(case_id)
    assert "Whitfield" in ws.page_text(file_id, 0).text
    out = tmp_path / "p.pdf"
    ws.build_packet(case_id, out)
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True
    ).stdout
    n, page_xml = next(
        (i, p) for i, p in enumerate(bbox.split("<page ")[1:], 1) if "Whitfield" in p
    )
    png = render(out, n, tmp_path, dpi=100)
    m = re.search(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">eleven', page_xml
    )
    assert m
    x0, y0, x1, y1 = (float(v) for v in m.groups())
    assert x1 - x0 > y1 - y0  # a horizontal word, the right way up
    assert dark_fraction(png, (x0, 792 - y1, x1, 792 - y0)) > 0.08


def test_cli_other_languages_read_every_scan_again(workspace, tmp_path, capsys):
    ws = workspace
    case_id = new_case(ws)
    add(ws, case_id, scanned(tmp_path / "acta.png", ACTA))
    ws.run_ocr(case_id)
    data = str(ws.data_dir)
    assert main(["--data-dir", data, "ocr", str(case_id), "--languages", "spa"]) == 0
    assert "OCR read 1 page" in capsys.readouterr().err
    assert ws.ocr_languages() == ("spa",)
    assert main(["--data-dir", data, "ocr", str(case_id), "--languages", "eng,klingon"]) == 2
    assert "no klingon language" in capsys.readouterr().err


def test_a_scan_with_a_scanning_apps_stamp_is_still_read(workspace, tmp_path):
    """A phone scanner's PDF: the page image plus a line of its own text
    ("Scanned with ..."); a page of real text over a background is left alone."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    page = ImageReader(Image.open(scanned(tmp_path / "page.png", LETTER)))
    c = canvas.Canvas(str(tmp_path / "app_scan.pdf"), pagesize=(612, 792))
    c.drawImage(page, 0, 0, 612, 792)
    c.drawString(20, 10, "Scanned with PocketScan")
    c.showPage()
    c.drawImage(page, 0, 0, 612, 792)
    for i in range(10):
        c.drawString(72, 600 - 14 * i, f"Line {i} of a typed page printed over a letterhead image")
    c.save()
    ws = workspace
    case_id = new_case(ws)
    (file_id,) = add(ws, case_id, tmp_path / "app_scan.pdf")
    assert ws.ocr_pending(case_id) == 1
    ws.run_ocr(case_id)
    assert "Whitfield" in ws.page_text(file_id, 0).text
    own = ws.page_text(file_id, 1)
    assert own.source == TextSource.PDF and "letterhead" in own.text


def test_tesseract_is_found_where_the_windows_installer_puts_it(tmp_path, monkeypatch):
    """The UB-Mannheim installer does not put Tesseract on PATH."""
    from pdpacket.intake import ocr as engine

    program_files = tmp_path / "Program Files"
    exe = program_files / "Tesseract-OCR" / "tesseract.exe"
    exe.parent.mkdir(parents=True)
    exe.write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setenv("ProgramFiles", str(program_files))
    assert engine.tesseract_path() is None  # this machine is not Windows
    monkeypatch.setattr(engine.sys, "platform", "win32")
    assert engine.tesseract_path() == str(exe)


def test_the_text_layer_follows_page_edits(workspace, tmp_path):
    """Pages moved, turned and deleted in the Evidence step: each packet page
    carries the words of the stored page it shows, the right way round."""
    first = Image.open(scanned(tmp_path / "p1.png", ["Alpha page of the lease", *LETTER]))
    second = Image.open(scanned(tmp_path / "p2.png", ["Bravo page of the lease", *ACTA]))
    path = tmp_path / "two_pages.pdf"
    first.save(path, "PDF", save_all=True, append_images=[second], resolution=300)
    ws = workspace
    case_id = new_case(ws)
    add(ws, case_id, path)
    ex = ws.exhibits(case_id)[0]
    ws.run_ocr(case_id)
    ws.move_pages(ex.id, [2], 1)
    ws.rotate_pages(ex.id, [1], 90)
    ws.delete_pages(ex.id, [2])
    out = tmp_path / "p.pdf"
    ws.build_packet(case_id, out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    assert "Bravo" in text and "Alpha" not in text
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True
    ).stdout
    n, page_xml = next((i, p) for i, p in enumerate(bbox.split("<page ")[1:], 1) if "Bravo" in p)
    png = render(out, n, tmp_path, dpi=100)
    m = re.search(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Bravo', page_xml
    )
    assert m
    x0, y0, x1, y1 = (float(v) for v in m.groups())
    assert dark_fraction(png, (x0, 792 - y1, x1, 792 - y0)) > 0.08


def test_the_evidence_review_reads_a_scanned_letter_of_support(workspace, tmp_path):
    """The review's reading of exhibits (dates, signatures, contact details)
    reads a scanned letter through its OCR words."""
    from pdpacket.review.evidence import support_letter_gaps

    lines = [
        "March 3, 2026",
        "Dear Officer Whitfield,",
        "I have known Maria Lopez for eleven years.",
        "You can reach me at 718-555-0142.",
        "Signature: Thomas Whitfield",
    ]
    ws = workspace
    case_id = new_case(ws)
    add(ws, case_id, scanned(tmp_path / "support_letter.png", lines))
    ex = ws.exhibits(case_id)[0]
    assert support_letter_gaps(ws.store, ex) is None  # no text yet: nothing to judge
    ws.run_ocr(case_id)
    assert support_letter_gaps(ws.store, ex) == []  # signed, dated, a phone, how they know her


def test_an_edit_waits_for_a_background_write_instead_of_failing(tmp_path):
    """OCR writes its results from a background job while the window saves an
    edit: the edit's transaction waits its turn rather than failing with
    "database is locked" (which a deferred transaction that has read does)."""
    import threading
    import time

    from pdpacket.store.database import Store

    window = Store(tmp_path)
    errors: list[BaseException] = []

    def job() -> None:  # a background job has its own connection
        store = Store(tmp_path)
        try:
            store.set_setting("ocr.languages", ["spa"])
        except BaseException as exc:
            errors.append(exc)
        finally:
            store.close()

    try:
        writer = threading.Thread(target=job)
        with window.transaction():
            window.get_setting("ocr.languages")  # the edit reads first
            writer.start()
            time.sleep(0.5)  # the job's write comes in between
            window.set_setting("packet_folder", "/tmp")
        writer.join(timeout=30)
        assert errors == []
        assert window.get_setting("packet_folder") == "/tmp"
        assert window.get_setting("ocr.languages") == ["spa"]
    finally:
        window.close()


def test_a_landscape_scan_turned_for_the_packet_is_read_upright(workspace, tmp_path):
    """Intake turns a landscape scan (a pay stub, a certificate scanned sideways)
    to portrait, top to the left; Tesseract then sees its lines running up the
    page and reads them as upside-down nonsense with confident scores. The page
    is read again the way Tesseract's orientation detection says it is turned,
    and the words land on the turned lines in the packet."""
    ws = workspace
    case_id = new_case(ws)
    scan = scanned(tmp_path / "scan_0042.png", ACTA, size=(3300, 2550))  # landscape
    (file_id,) = add(ws, case_id, scan)
    ws.run_ocr(case_id)
    pt = ws.page_text(file_id, 0)
    assert "NACIONAL DE LAS PERSONAS" in pt.text and "inscripcion" in pt.text
    assert pt.language == "Spanish"
    word = next(w for w in pt.words if w.text == "REPUBLICA")
    assert (word.y1 - word.y0) > 3 * (word.x1 - word.x0)  # a word running up the page
    assert "exhibit.untranslated_detected" in codes(ws, case_id)

    out = tmp_path / "packet.pdf"
    ws.build_packet(case_id, out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout
    words = set(text.split())  # pdftotext orders words running up the page its own way
    assert {"REPUBLICA", "GUATEMALA", "REGISTRO", "NACIONAL", "inscripcion"} <= words
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(out), "-"], capture_output=True, text=True
    ).stdout
    pages = bbox.split("<page ")[1:]
    n, page_xml = next((i, p) for i, p in enumerate(pages, 1) if "NACIONAL" in p)
    png = render(out, n, tmp_path, dpi=100)
    m = re.search(
        r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">NACIONAL', page_xml
    )
    assert m
    x0, y0, x1, y1 = (float(v) for v in m.groups())
    assert dark_fraction(png, (x0, 792 - y1, x1, 792 - y0)) > 0.08

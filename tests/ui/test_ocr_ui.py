"""OCR in the Evidence step: it runs by itself after an import, in the background
with progress and Cancel; a detected language is proposed with one click; a
missing Tesseract is said once, with how to install it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pdpacket.ui.models import DETAIL_ROLE
from PIL import Image, ImageDraw, ImageFont

from pdpacket.model import Client
from pdpacket.model.text import OcrStatus

from .helpers import drop_files, wait_jobs

pytestmark = pytest.mark.skipif(shutil.which("tesseract") is None, reason="needs tesseract")

FONT = Path(__file__).parents[2] / "resources" / "fonts" / "LiberationSerif-Regular.ttf"
ACTA = [
    "REPUBLICA DE GUATEMALA",
    "Certificado de nacimiento",
    "El registrador civil certifica que en el libro",
    "de nacimientos consta la inscripcion del menor,",
    "hijo de la senora Maria Lopez, nacido en la ciudad.",
]


def scanned(path: Path, lines: list[str]) -> Path:
    im = Image.new("L", (2550, 3300), 255)
    d = ImageDraw.Draw(im)
    font = ImageFont.truetype(str(FONT), 50)
    for i, line in enumerate(lines):
        d.text((260, 320 + i * 86), line, font=font, fill=0)
    im.save(path, dpi=(300, 300))
    return path


@pytest.fixture
def evidence(window, workspace):  # type: ignore[no-untyped-def]
    case_id = workspace.create_case(Client(name="Scan Client"))
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("evidence")
    step = window.step("evidence")
    step.case_id = case_id
    return step


def test_a_dropped_scan_is_read_in_the_background_and_its_language_proposed(
    qtbot, window, workspace, evidence, tmp_path
):
    drop_files(evidence, [scanned(tmp_path / "acta.png", ACTA)])
    wait_jobs(qtbot, window)  # the import, then OCR on its own
    (ex,) = workspace.exhibits(evidence.case_id)
    pt = workspace.page_text(ex.files[0].id, 0)
    assert pt.status == OcrStatus.DONE and "nacimiento" in pt.text
    assert "OCR read 1 page in" in evidence.ocr.label.text()
    assert not evidence.ocr.bar.isVisible()
    assert "reads as Spanish: needs translation" in evidence.list.item(0).data(DETAIL_ROLE)
    banner = evidence.ocr_panel.banner
    assert banner.isVisibleTo(evidence)
    assert "reads as Spanish" in banner.label.text()
    assert banner.use.text() == "Use Spanish"
    banner.use.click()
    assert workspace.get_exhibit(ex.id).language == "Spanish"
    assert not banner.isVisibleTo(evidence)
    workspace.undo()  # one undoable step
    assert workspace.get_exhibit(ex.id).language == "English"


def test_cancel_stops_ocr_and_keeps_the_window_responsive(
    qtbot, window, workspace, evidence, tmp_path
):
    wait_jobs(qtbot, window)  # opening the step looked for pages to read: none yet
    paths = [scanned(tmp_path / f"page{i}.png", [f"Lease page {i}"] * 12) for i in range(8)]
    workspace.add_evidence(evidence.case_id, paths)
    bar = evidence.ocr
    bar.start()
    assert bar.running and bar.cancel.isVisibleTo(evidence)
    with qtbot.waitSignal(bar.job.progress, timeout=60000):
        pass
    bar.cancel.click()
    with qtbot.waitSignal(bar.finished, timeout=60000) as blocker:
        pass
    summary, _ = blocker.args[0]
    assert summary.cancelled and summary.pending > 0
    assert "OCR cancelled" in bar.label.text()
    assert workspace.ocr_pending(evidence.case_id) == summary.pending
    assert not bar.running and bar.run_button.isEnabled()


def test_without_tesseract_the_step_says_how_to_install_it(
    qtbot, window, workspace, evidence, tmp_path, monkeypatch
):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    drop_files(evidence, [scanned(tmp_path / "scan.png", ["A scanned letter"])])
    wait_jobs(qtbot, window)
    text = evidence.ocr.label.text()
    assert "Tesseract (OCR) is not installed" in text
    assert "apt install tesseract-ocr tesseract-ocr-spa" in text
    assert len(workspace.exhibits(evidence.case_id)) == 1  # the import itself worked


def test_the_packet_text_layer_reads_in_qtpdf_one_letter_words_too(workspace, tmp_path):
    """PDFium (QtPdf's engine, and Chrome's) reads the invisible words, including
    "I" and "a", which it drops when the glyph has no box."""
    from PySide6.QtPdf import QPdfDocument

    case_id = workspace.create_case(Client(name="Maria Lopez"))
    lines = ["I have known Maria for a decade.", "She is a devoted mother."]
    workspace.add_evidence(case_id, [scanned(tmp_path / "letter.png", lines)])
    workspace.run_ocr(case_id)
    out = tmp_path / "packet.pdf"
    workspace.build_packet(case_id, out)
    doc = QPdfDocument()
    doc.load(str(out))
    text = " ".join(doc.getAllText(i).text() for i in range(doc.pageCount()))
    text = " ".join(text.split())
    assert "I have known Maria for a decade." in text
    assert "She is a devoted mother." in text

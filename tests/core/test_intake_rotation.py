"""Each page's orientation is its own: four pages that share one content stream,
with /Rotate 0, 90, 180 and 270, come out each as the viewer shows it."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, NumberObject
from reportlab.pdfgen import canvas

from pdpacket.intake import evidence as intake
from tests.pdftools import qpdf_check, run_tool

SIDE = 612  # a square page: fitted onto letter at its own size, centred


def shared_stream_pdf(path: Path) -> Path:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(SIDE, SIDE))
    c.setFillGray(0.2)
    c.rect(0, SIDE / 2, SIDE, SIDE / 2, stroke=0, fill=1)  # dark top half
    c.setFillGray(0.6)
    c.rect(0, 0, SIDE / 4, SIDE / 2, stroke=0, fill=1)  # grey bottom-left quarter
    c.showPage()
    c.save()
    writer = PdfWriter()
    page = PdfReader(io.BytesIO(buf.getvalue())).pages[0]
    for _ in range(4):
        writer.add_page(page)
    first = writer.pages[0]
    for n, rotate in enumerate((0, 90, 180, 270)):
        p = writer.pages[n]
        p[NameObject("/Contents")] = first.raw_get("/Contents")  # one stream, four pages
        p[NameObject("/Rotate")] = NumberObject(rotate)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def _render(pdf: Path, page: int, tmp_path: Path) -> Image.Image:
    prefix = tmp_path / f"{pdf.stem}-{page}"
    run_tool(
        "pdftoppm", "-r", "36", "-gray", "-f", str(page), "-l", str(page), "-singlefile",
        str(pdf), str(prefix),
    )  # fmt: skip
    return Image.open(f"{prefix}.pgm").convert("L")


def test_pages_sharing_one_content_stream_each_keep_their_own_rotation(tmp_path):
    src = shared_stream_pdf(tmp_path / "shared.pdf")
    reader = PdfReader(src)
    assert len({p.raw_get("/Contents").idnum for p in reader.pages}) == 1
    out = tmp_path / "out.pdf"
    out.write_bytes(intake.normalise_file(src).pdf)
    qpdf_check(out)
    for page in range(1, 5):
        shown = _render(src, page, tmp_path)  # the viewer's picture of the page
        got = _render(out, page, tmp_path)
        top = (got.height - shown.height) // 2  # the square page, centred on letter
        got = got.crop((0, top, shown.width, top + shown.height))
        diff = ImageChops.difference(shown, got)
        mean = sum(i * c for i, c in enumerate(diff.histogram())) / (shown.width * shown.height)
        assert mean < 4, (page, mean)

"""Markup a client or a paralegal put on a document (highlight, ink, a note, a
shape, free text) is kept in the page as a viewer shows it, even without an
appearance stream; links become nothing; any other kind not kept is named."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.pdfgen import canvas

from pdpacket.intake import evidence as intake
from tests.pdftools import page_text, qpdf_check, run_tool

DPI = 72  # one pixel per point: page coordinates read off the rendering


def _arr(*values: float) -> ArrayObject:
    return ArrayObject([FloatObject(v) for v in values])


def _annot(subtype: str, rect: tuple[float, ...], **extra: object) -> DictionaryObject:
    d = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject(subtype),
            NameObject("/Rect"): _arr(*rect),
        }
    )
    for key, value in extra.items():
        d[NameObject("/" + key)] = value  # type: ignore[assignment]
    return d


def marked_pdf(path: Path) -> Path:
    """A letter page of text with markup and no appearance streams anywhere."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(612, 792))
    c.setFont("Helvetica", 14)
    c.drawString(72, 700, "The respondent has lived here since 2009.")
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    annots = [
        # highlight over the line of text and past its end (x 72..450, y 695..715)
        _annot(
            "/Highlight",
            (72, 695, 450, 715),
            QuadPoints=_arr(72, 715, 450, 715, 72, 695, 450, 695),
            C=_arr(1, 1, 0),
        ),
        # blue ink: a horizontal stroke at y = 500 from x 100 to 400
        _annot(
            "/Ink",
            (95, 495, 405, 505),
            InkList=ArrayObject([_arr(100, 500, 250, 500, 400, 500)]),
            C=_arr(0, 0, 1),
            BS=DictionaryObject({NameObject("/W"): NumberObject(3)}),
        ),
        # red square outline
        _annot("/Square", (100, 300, 200, 400), C=_arr(1, 0, 0)),
        _annot("/Text", (400, 600, 420, 620), Contents=TextStringObject("Ask about the lease")),
        _annot(
            "/FreeText",
            (72, 200, 400, 230),
            Contents=TextStringObject("Paid in full 03/2021"),
            DA=TextStringObject("0 g /Helv 12 Tf"),
        ),
        _annot("/Link", (72, 695, 300, 715)),
        _annot("/FileAttachment", (500, 100, 520, 120)),
    ]
    page = writer.pages[0]
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(a) for a in annots])
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def _render(pdf: Path, tmp_path: Path) -> Image.Image:
    prefix = tmp_path / "markup"
    run_tool("pdftoppm", "-r", str(DPI), "-png", "-singlefile", str(pdf), str(prefix))
    return Image.open(f"{prefix}.png").convert("RGB")


def _at(img: Image.Image, x: float, y: float) -> tuple[int, int, int]:
    return img.getpixel((round(x), round(792 - y)))  # type: ignore[return-value]


def test_markup_without_appearance_streams_is_flattened_as_viewers_show_it(tmp_path):
    src = marked_pdf(tmp_path / "lease.pdf")
    result = intake.normalise_file(src)
    out = tmp_path / "out.pdf"
    out.write_bytes(result.pdf)
    qpdf_check(out)
    assert "/Annots" not in PdfReader(out).pages[0]
    img = _render(out, tmp_path)

    # highlight: yellow on the blank part of the highlighted line, text still dark
    r, g, b = _at(img, 420, 705)
    assert r > 230 and g > 230 and b < 200, (r, g, b)  # yellow, translucent
    text = page_text(out, 1)
    assert "The respondent has lived here since 2009." in text
    # ink: blue along the stroke, white beside it
    r, g, b = _at(img, 250, 500)
    assert b > 150 and r < 100 and g < 100, (r, g, b)
    assert _at(img, 250, 520) == (255, 255, 255)
    # square: red outline, empty inside
    r, g, b = _at(img, 100.5, 350)
    assert r > 150 and g < 100 and b < 100, (r, g, b)
    assert _at(img, 150, 350) == (255, 255, 255)
    # the note is a visible marker with its text; the free text is on the page
    assert "Note: Ask about the lease" in " ".join(text.split())
    assert _at(img, 410, 610) != (255, 255, 255)
    assert "Paid in full 03/2021" in text

    # the attachment icon cannot be kept: said, by name; the link is not mentioned
    [warning] = result.warnings
    assert "file attachment" in warning and "link" not in warning


def test_an_appearance_stream_is_used_when_there_is_one(tmp_path):
    src = marked_pdf(tmp_path / "lease.pdf")
    writer = PdfWriter(clone_from=PdfReader(src))
    ap = writer._add_object(_green_form())
    for a in writer.pages[0]["/Annots"]:
        a = a.get_object()
        if a["/Subtype"] == "/Square":
            a[NameObject("/AP")] = DictionaryObject({NameObject("/N"): ap})
    with open(src, "wb") as fh:
        writer.write(fh)
    out = tmp_path / "out.pdf"
    out.write_bytes(intake.normalise_file(src).pdf)
    r, g, b = _at(_render(out, tmp_path), 150, 350)  # the form fills the rect green
    assert g > 100 and r < 80 and b < 80, (r, g, b)


def _green_form():
    from pypdf.generic import DecodedStreamObject

    form = DecodedStreamObject()
    form.set_data(b"0 0.6 0 rg 0 0 10 10 re f")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): _arr(0, 0, 10, 10),
        }
    )
    return form

"""Nothing lost without a word at intake (#14, the rest): attached files offered
as exhibits, empty form fields kept, small JPEGs kept pixel for pixel, fonts
embedded, landscape pages turned, hidden layers in nested forms removed, and
every intake warning printed by `import` and `import-archive`.

Inputs are generated here; outputs are checked with poppler/qpdf as well as
pypdf, and pages are rendered and compared.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    TextStringObject,
)
from reportlab.lib.colors import Color
from reportlab.pdfgen import canvas

from pdpacket.api import Workspace
from pdpacket.errors import NotFoundError
from pdpacket.intake import evidence as intake
from pdpacket.model import Client
from tests.pdftools import qpdf_check, run_tool, tool


# ---------------------------------------------------------------- helpers
def letter_pdf(lines: list[str], pagesize: tuple[float, float] = (612, 792)) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=pagesize, invariant=True)
    for line in lines:
        c.setFont("Helvetica", 18)
        c.drawString(72, pagesize[1] - 100, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def photo_png(colour: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), colour).save(buf, "PNG")
    return buf.getvalue()


def _embedded_spec(writer: PdfWriter, name: str, data: bytes) -> DictionaryObject:
    stream = DecodedStreamObject()
    stream.set_data(data)
    stream[NameObject("/Type")] = NameObject("/EmbeddedFile")
    ref = writer._add_object(stream)
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Filespec"),
            NameObject("/F"): TextStringObject(name),
            NameObject("/UF"): TextStringObject(name),
            NameObject("/EF"): DictionaryObject({NameObject("/F"): ref}),
        }
    )


def attachment_pdf(path: Path, *, with_note: bool = True) -> Path:
    """A one-page letter carrying a photo in its attachment list and, on the page,
    a paper-clip note (file-attachment annotation) carrying a second file."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf(["Letter from employer"]))))
    writer.add_attachment("image.png", photo_png())
    if with_note:
        spec = _embedded_spec(writer, "../../etc/pay stub.png", photo_png((30, 30, 200)))
        annot = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/FileAttachment"),
                NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (500, 700, 520, 720)]),
                NameObject("/FS"): writer._add_object(spec),
                NameObject("/Name"): NameObject("/Paperclip"),
            }
        )
        writer.pages[0][NameObject("/Annots")] = ArrayObject([writer._add_object(annot)])
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pdpacket", *args],
        capture_output=True,
        text=True,
        env={"PDPACKET_HOME": str(home), "PATH": "/usr/bin:/bin"},
    )


def render(pdf: Path, tmp: Path, page: int = 1, dpi: int = 40) -> Image.Image:
    prefix = tmp / f"r-{pdf.stem}-{page}-{dpi}"
    run_tool("pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page),
             "-singlefile", str(pdf), str(prefix))  # fmt: skip
    return Image.open(f"{prefix}.png").convert("RGB")


# ---------------------------------------------------------------- attachments
def test_intake_names_each_attached_file_in_its_warning(tmp_path: Path) -> None:
    res = intake.normalise_file(attachment_pdf(tmp_path / "letter.pdf"))
    assert res.attachments == ("image.png", "pay stub.png")  # folders cut from the name
    [note] = [w for w in res.warnings if "attached" in w]
    assert note.startswith("letter.pdf carried 2 attached files: image.png, pay stub.png.")
    assert "add them as exhibits" in note
    # the paper clip is named with its file, not as an annotation that was lost
    assert not any("could not be kept" in w for w in res.warnings)
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    qpdf_check(out)
    assert b"/EmbeddedFile" not in out.read_bytes()  # the packet's pages carry none


def test_attachments_are_listed_and_added_as_cleaned_exhibits(tmp_path: Path) -> None:
    src = attachment_pdf(tmp_path / "letter.pdf")
    with Workspace.open(tmp_path / "data") as ws:
        case_id = ws.create_case(Client(name="Ana Test"))
        [r] = ws.add_evidence(case_id, [src])
        assert r.status == "warning" and r.attachments == ("image.png", "pay stub.png")
        listed = ws.list_attachments(r.exhibit_id)
        assert [(a.number, a.name, a.where) for a in listed] == [
            (1, "image.png", "attached to the document"),
            (2, "pay stub.png", "note on page 1"),
        ]
        assert listed[0].size == len(photo_png()) and listed[0].in_case_exhibit_id == 0
        [added] = ws.add_attachments(r.exhibit_id, [1])
        assert added.status == "imported", added.message
        assert added.path == "image.png (attached to letter.pdf)"
        ex = ws.get_exhibit(added.exhibit_id)
        assert ex.title == "Image" and ex.pages == 1
        assert ws.list_attachments(r.exhibit_id)[0].in_case_exhibit_id == added.exhibit_id
        # the same file again is a duplicate, as for any file
        again = ws.add_attachments(r.exhibit_id)
        assert [a.status for a in again] == ["duplicate", "imported"]
        with pytest.raises(NotFoundError, match="no attached file number 3"):
            ws.add_attachments(r.exhibit_id, [3])
        pdf = tmp_path / "image.pdf"
        pdf.write_bytes(ws.store.blobs.read(ex.files[0].pdf_sha256))
    # the photo is on the exhibit's page: red, rendered by poppler
    page = render(pdf, tmp_path)
    red = sum(1 for p in page.get_flattened_data() if p[0] > 150 and p[1] < 80 and p[2] < 80)
    assert red > 0.2 * page.size[0] * page.size[1]


def test_cli_add_attachments_and_list_them(tmp_path: Path) -> None:
    src = attachment_pdf(tmp_path / "letter.pdf")
    home = tmp_path / "h"
    with Workspace.open(home) as ws:
        case_id = ws.create_case(Client(name="Ana Test"))
    res = cli("add", str(case_id), str(src), "--attachments", home=home)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].startswith("warning\t") and "carried 2 attached files" in lines[0]
    assert lines[1].startswith("imported\timage.png (attached to letter.pdf)")
    assert lines[2].startswith("imported\tpay stub.png (attached to letter.pdf)")
    with Workspace.open(home) as ws:
        first = ws.exhibits(case_id)[0].id
    res = cli("attachments", str(first), home=home)
    assert res.returncode == 0, res.stderr
    rows = [ln.split("\t") for ln in res.stdout.splitlines()]
    assert [r[1] for r in rows] == ["image.png", "pay stub.png"]
    assert all(r[4].startswith("in the case (exhibit ") for r in rows)
    res = cli("attachments", str(first), "--add", "x", home=home)
    assert res.returncode == 2 and "give attachment numbers" in res.stderr


# ---------------------------------------------------------------- import warnings
def test_a_consistent_hostile_archive_prints_every_files_warnings_on_import(
    tmp_path: Path,
) -> None:
    """import-archive says, per file, what the intake recorded (a damaged file
    recovered) and what cleaning the archive's PDFs found (a hostile PDF with
    every hash right, carrying an attached file); warnings keep exit code 0."""
    import json

    from tests import evidence_gen as gen
    from tests.safety.hostile_resources import hostile_resources_pdf, swap_archive_pdf

    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "statement.pdf").write_bytes(letter_pdf(["Statement page one", "Statement page two"]))
    gen.truncated_pdf(ev / "records.pdf", pages=6)
    (ev / "case.json").write_text(
        json.dumps(
            {
                "client": {"name": "Archive Test Client", "a_number": "201555778"},
                "exhibits": [
                    {"title": "Bank statement", "files": ["statement.pdf"]},
                    {"title": "Phone records", "files": ["records.pdf"]},
                ],
            }
        ),
        encoding="utf-8",
    )
    with Workspace.open(tmp_path / "a") as a:
        case_id = a.import_manifest(ev / "case.json")
        [statement, records] = a.exhibits(case_id)
        recorded = records.files[0].warnings
        assert recorded and "damaged" in recorded[0]
        a.export_case(case_id, tmp_path / "plain.pdpacket")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(hostile_resources_pdf())))
    writer.add_attachment("planted photo.png", photo_png())
    buf = io.BytesIO()
    writer.write(buf)
    swap_archive_pdf(
        tmp_path / "plain.pdpacket",
        tmp_path / "hostile.pdpacket",
        statement.files[0].pdf_sha256,
        buf.getvalue(),
    )
    res = cli("import-archive", str(tmp_path / "hostile.pdpacket"), home=tmp_path / "b")
    assert res.returncode == 0, res.stderr
    new_id, client, _blobs = res.stdout.strip().split("\t")
    assert client == "Archive Test Client"
    lines = [ln.split("\t") for ln in res.stderr.splitlines() if ln.strip()]
    assert [(s, name) for s, name, _ in lines] == [
        ("warning", "statement.pdf"),
        ("warning", "records.pdf"),
    ]
    assert "statement.pdf carried 1 attached file: planted photo.png." in lines[0][2]
    assert lines[1][2] == " ".join(recorded)
    with Workspace.open(tmp_path / "b") as b:
        [ex, _] = b.exhibits(int(new_id))
        packet = b.build_packet(int(new_id), tmp_path / "packet.pdf")
        assert packet.pages > 0
        cleaned = b.store.blobs.read(ex.files[0].pdf_sha256)
    assert b"planted photo" not in cleaned and b"/EmbeddedFile" not in cleaned
    assert b"planted attachment" not in cleaned  # the payload the page resources reached


# ---------------------------------------------------------------- landscape pages
def pay_stub_pdf(path: Path, *, rotate: int = 0) -> Path:
    """A landscape pay stub: a frame 12 pt inside the page edge, a black block in
    its top-left corner and a line of text.  ``rotate`` makes it a portrait page
    shown in landscape by /Rotate instead."""
    w, h = (792.0, 612.0) if not rotate else (612.0, 792.0)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(w, h), invariant=True)
    c.setLineWidth(4)
    c.rect(12, 12, w - 24, h - 24)
    c.rect(12, h - 112, 140, 100, fill=1)
    c.setFont("Helvetica", 20)
    c.drawString(200, h / 2, "PAY STUB net pay 1,234.56")
    c.showPage()
    c.save()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    if rotate:
        writer.pages[0][NameObject("/Rotate")] = FloatObject(rotate)
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def test_a_landscape_page_is_turned_to_fill_a_letter_page_not_shrunk(tmp_path: Path) -> None:
    res = intake.normalise_file(pay_stub_pdf(tmp_path / "stub.pdf"))
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    qpdf_check(out)
    info = run_tool("pdfinfo", str(out))
    assert "612 x 792 pts (letter)" in info and re.search(r"Page rot: +0\n", info)
    page = PdfReader(out).pages[0]
    assert float(page.mediabox.width) == 612 and page.rotation == 0
    img = render(out, tmp_path, dpi=36).convert("L")
    w, h = img.size
    ink = img.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert ink is not None
    # the frame spans the page (it was ~77 % of the width, letterboxed, before)
    assert ink[2] - ink[0] > 0.93 * w and ink[3] - ink[1] > 0.93 * h
    # the top-left block is now at the bottom left: top to the left, as in a binder
    corner = img.crop((int(0.03 * w), int(0.78 * h), int(0.14 * w), int(0.96 * h)))
    assert sum(corner.histogram()[:64]) > 0.8 * corner.size[0] * corner.size[1]
    text = " ".join(run_tool("pdftotext", "-raw", str(out), "-").split())  # one word a line
    assert "PAY STUB net pay 1,234.56" in text


@pytest.mark.parametrize("rotate", [90, 270])
def test_a_page_shown_in_landscape_by_rotate_is_turned_the_same_way(
    tmp_path: Path, rotate: int
) -> None:
    res = intake.normalise_file(pay_stub_pdf(tmp_path / "stub.pdf", rotate=rotate))
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    assert "612 x 792 pts (letter)" in run_tool("pdfinfo", str(out))
    img = render(out, tmp_path, dpi=36).convert("L")
    ink = img.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert ink is not None
    assert ink[2] - ink[0] > 0.93 * img.size[0] and ink[3] - ink[1] > 0.93 * img.size[1]


def test_keep_original_size_keeps_a_landscape_page_landscape(tmp_path: Path) -> None:
    res = intake.normalise_file(pay_stub_pdf(tmp_path / "stub.pdf"), keep_original_size=True)
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    assert "792 x 612 pts" in run_tool("pdfinfo", str(out))


# ---------------------------------------------------------------- small JPEGs
def _exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (40.0, 42.0, 46.0)
    gps[3] = "W"
    gps[4] = (74.0, 0.0, 21.0)
    return exif.tobytes()


def small_photo_jpeg(path: Path, *, progressive: bool = False) -> Path:
    img = Image.effect_noise((300, 200), 60).convert("RGB")
    img.paste((200, 40, 40), (20, 20, 120, 90))
    img.save(
        path,
        "JPEG",
        quality=92,
        exif=_exif_with_gps(),
        comment=b"taken at 12 Client Street",
        icc_profile=b"\0" * 200,  # a stand-in profile: it must not travel either
        progressive=progressive,
    )
    return path


def _only_image(pdf: Path) -> bytes:
    reader = PdfReader(pdf)
    [xobj] = [
        o.get_object()
        for o in reader.pages[0]["/Resources"]["/XObject"].values()
        if o.get_object()["/Subtype"] == "/Image"
    ]
    assert xobj["/Filter"] == "/DCTDecode"
    return bytes(xobj._data)


@pytest.mark.parametrize("progressive", [False, True])
def test_a_small_jpeg_keeps_its_pixels_and_loses_its_metadata(
    tmp_path: Path, progressive: bool
) -> None:
    src = small_photo_jpeg(tmp_path / "photo.jpg", progressive=progressive)
    with Image.open(src) as im:
        assert im.getexif().get_ifd(0x8825) and "comment" in im.info  # the input has them
        want = im.convert("RGB").tobytes()
    res = intake.normalise_file(src)
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    qpdf_check(out)
    stored = _only_image(out)
    with Image.open(io.BytesIO(stored)) as im:
        got = im.convert("RGB").tobytes()
        assert im.size == (300, 200)
        assert not im.getexif()  # no EXIF at all: no GPS, no camera
        assert "comment" not in im.info and "icc_profile" not in im.info
        assert "exif" not in im.info
        assert bool(im.info.get("progressive")) == progressive  # the very same coding
    assert got == want  # identical decoded pixels: PSNR infinite
    raw = out.read_bytes()
    for planted in (b"PhoneModel", b"Client Street", b"Exif\0\0"):
        assert planted not in raw
    # poppler draws the very same pixels (pdfimages extracts the stream as is)
    run_tool("pdfimages", "-j", str(out), str(tmp_path / "img"))
    assert (tmp_path / "img-000.jpg").read_bytes() == stored


@pytest.mark.parametrize("size", [(4000, 3000), (2000, 1500)])
def test_a_jpeg_that_must_be_resized_or_is_heavy_is_still_re_encoded(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """Resized (12 MP), or no resizing needed but heavier than a photo page may be
    (3 MP, ~1 MB): re-encoded, as before, so a packet of photos does not grow."""
    src = tmp_path / "big.jpg"
    Image.effect_noise(size, 40).convert("RGB").save(src, "JPEG", quality=90)
    assert src.stat().st_size > 200_000
    res = intake.normalise_file(src)
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    stored = _only_image(out)
    assert len(stored) < src.stat().st_size / 2
    with Image.open(io.BytesIO(stored)) as im:
        assert max(im.size) < 4000


# ---------------------------------------------------------------- empty form fields
def empty_form_pdf(path: Path, *, appearances: bool) -> Path:
    """A form left partly empty: a blank text field (black border), an unticked
    box (blue border) and a ticked one.  ``appearances=False``: no /AP at all
    and NeedAppearances, as many form fillers leave it."""
    from pypdf.generic import BooleanObject

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(612, 792), invariant=True)
    c.drawString(72, 720, "Application for fee waiver")
    form = c.acroForm
    form.textfield(name="phone", value="", x=160, y=640, width=250, height=24, borderWidth=2,
                   borderColor=Color(0, 0, 0), fillColor=Color(1, 1, 1))  # fmt: skip
    form.checkbox(name="detained", x=160, y=560, size=30, checked=False, borderWidth=2,
                  borderColor=Color(0, 0, 1), fillColor=Color(1, 1, 1))  # fmt: skip
    form.checkbox(name="released", x=260, y=560, size=30, checked=True, borderWidth=2,
                  borderColor=Color(0, 0, 1), fillColor=Color(1, 1, 1))  # fmt: skip
    c.showPage()
    c.save()
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    if not appearances:
        for a in w.pages[0].get("/Annots", []):
            a = a.get_object()
            if "/AP" in a:
                del a["/AP"]
        w._root_object["/AcroForm"][NameObject("/NeedAppearances")] = BooleanObject(True)
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def _edge_ink(img: Image.Image, box: tuple[int, int, int, int], want: str) -> float:
    """The share of the box's four edges (one pixel in) drawn in ``want`` ("dark"
    or "blue"); ``box`` in points at 72 dpi, PDF coordinates (origin bottom left)."""
    x0, y0, x1, y1 = box
    h = img.size[1]
    px = img.load()
    edge = [(x, y) for x in range(x0 + 1, x1 - 1) for y in (y0 + 1, y1 - 1)]
    edge += [(x, y) for y in range(y0 + 1, y1 - 1) for x in (x0 + 1, x1 - 1)]

    def hit(p: tuple[int, int, int]) -> bool:
        r, g, b = p
        return (r + g + b < 200) if want == "dark" else (b > 150 and r < 90 and g < 90)

    return sum(hit(px[x, h - y]) for x, y in edge) / len(edge)


@pytest.mark.parametrize("appearances", [False, True])
def test_empty_fields_and_unticked_boxes_keep_their_outline(
    tmp_path: Path, appearances: bool
) -> None:
    src = empty_form_pdf(tmp_path / "form.pdf", appearances=appearances)
    res = intake.normalise_file(src, keep_original_size=True)
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    qpdf_check(out)
    assert "/AcroForm" not in PdfReader(out).trailer["/Root"]  # flattened
    img = render(out, tmp_path, dpi=72)
    assert _edge_ink(img, (160, 640, 410, 664), "dark") > 0.9  # the blank text field
    assert _edge_ink(img, (160, 560, 190, 590), "blue") > 0.9  # the unticked box
    assert _edge_ink(img, (260, 560, 290, 590), "blue") > 0.9  # the ticked box...
    inside = img.crop((266, 792 - 584, 284, 792 - 566)).convert("L")
    assert min(inside.tobytes()) < 100  # ...with its tick
    empty = img.crop((166, 792 - 584, 184, 792 - 566)).convert("L")
    assert min(empty.tobytes()) > 200  # and the unticked one without


# ---------------------------------------------------------------- fonts
FACES = ["Helvetica", "Helvetica-Bold", "Times-Roman", "Times-BoldItalic", "Courier-Oblique"]


def unembedded_fonts_pdf(path: Path, extra: str = "") -> Path:
    """A letter set in five standard faces, none embedded (as reportlab and many
    scanners' cover pages leave them); ``extra`` adds a line in a font by name."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(612, 792), invariant=True)
    y = 700
    for face in FACES:
        c.setFont(face, 14)
        c.drawString(72, y, f"{face}: The respondent, 'since 2009' - paid taxes (caf\xe9).")
        y -= 30
    c.showPage()
    c.save()
    if not extra:
        path.write_bytes(buf.getvalue())
        return path
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    page = writer.pages[0]
    fonts = page["/Resources"]["/Font"]
    fonts[NameObject("/FX")] = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/TrueType"),
                NameObject("/BaseFont"): NameObject("/" + extra),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
    )
    stream = DecodedStreamObject()
    stream.set_data(b"BT /FX 12 Tf 72 400 Td (In another face) Tj ET")
    contents = page.raw_get("/Contents")  # the page keeps its own content; one more stream
    arr = ArrayObject([contents, writer._add_object(stream)])
    page[NameObject("/Contents")] = arr
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def pdffonts(pdf: Path) -> list[tuple[str, str]]:
    """(name, emb) of every font poppler finds in the file."""
    res = subprocess.run([tool("pdffonts"), str(pdf)], capture_output=True, text=True, check=True)
    assert "Error" not in res.stderr, res.stderr
    head, dashes, *rows = res.stdout.splitlines()
    cols = [m.span() for m in re.finditer(r"-+", dashes)]  # fixed-width columns
    emb = cols[head.split().index("emb")]
    return [(r[: cols[0][1]].strip(), r[emb[0] : emb[1]].strip()) for r in rows if r.strip()]


def word_boxes(pdf: Path, tmp: Path) -> list[tuple[str, float, float]]:
    html = tmp / f"{pdf.stem}-bbox.html"
    run_tool("pdftotext", "-bbox", str(pdf), str(html))
    found = re.findall(r'xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)".*?>([^<]*)</word>',
                       html.read_text(encoding="utf-8"))  # fmt: skip
    return [(w, float(x0), float(x1)) for x0, x1, w in found]


def test_fonts_the_source_did_not_embed_are_embedded_and_set_the_same(tmp_path: Path) -> None:
    src = unembedded_fonts_pdf(tmp_path / "letter.pdf")
    assert {emb for _, emb in pdffonts(src)} == {"no"}
    res = intake.normalise_file(src)
    assert res.warnings == ()
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    qpdf_check(out)
    fonts = pdffonts(out)
    assert len(fonts) == len(FACES) and {emb for _, emb in fonts} == {"yes"}
    names = {n.split("+")[1] for n, _ in fonts}
    assert names == {
        "LiberationSans-Regular",
        "LiberationSans-Bold",
        "LiberationSerif-Regular",
        "LiberationSerif-BoldItalic",
        "LiberationMono-Italic",
    }
    # each subset holds the glyphs the text uses: five faces in far less than five fonts
    assert len(res.pdf) < 60_000, len(res.pdf)
    # metric-compatible: every word starts and ends where it did (same widths)
    before, after = word_boxes(src, tmp_path), word_boxes(out, tmp_path)
    assert [w for w, _, _ in after] == [w for w, _, _ in before]
    assert "(caf\xe9)." in [w for w, _, _ in after]  # text still reads (ToUnicode)
    for (_, a0, a1), (_, b0, b1) in zip(before, after, strict=True):
        assert abs(a0 - b0) < 0.6 and abs(a1 - b1) < 0.6
    # and every glyph is drawn: the page looks as poppler drew the source
    a, b = render(src, tmp_path, dpi=50).convert("L"), render(out, tmp_path, dpi=50).convert("L")
    ink_a = sum(1 for v in a.get_flattened_data() if v < 128)
    ink_b = sum(1 for v in b.get_flattened_data() if v < 128)
    assert ink_a > 0 and abs(ink_a - ink_b) < 0.1 * ink_a


def test_the_codes_a_subset_needs_are_read_from_every_kind_of_string() -> None:
    from pdpacket.intake.pdffonts import used_codes

    got = used_codes([b"BT (A\\(b\\) \\101(c)) Tj <6465> Tj [(f) -20 (g)] TJ ET % (z)\n"])
    assert got == {32, *b"A(b)c()defg"}  # \101 is A; the comment is not text
    assert used_codes([b"BI /W 1 /H 1 ID \x28\x29 EI"]) is None  # inline image: all codes
    assert used_codes([b"BT (never ends Tj"]) is None


def test_a_font_with_no_free_equivalent_is_named_in_the_warning(tmp_path: Path) -> None:
    src = unembedded_fonts_pdf(tmp_path / "letter.pdf", extra="Calibri")
    res = intake.normalise_file(src)
    [note] = res.warnings
    assert note.startswith("letter.pdf uses fonts it does not carry (Calibri)")
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    assert [n for n, emb in pdffonts(out) if emb == "no"] == ["Calibri"]


def test_every_font_of_a_built_packet_is_embedded(tmp_path: Path) -> None:
    """Evidence in standard faces, a form filled with NeedAppearances (its values
    and tick drawn at intake) and notes: pdffonts finds every font embedded."""
    from tests import evidence_gen as gen
    from tests.core.test_intake_markup import marked_pdf

    ev = tmp_path / "ev"
    ev.mkdir()
    files = [
        unembedded_fonts_pdf(ev / "letter.pdf"),
        gen.form_pdf(ev / "fee_waiver.pdf", appearances=False),
        marked_pdf(ev / "marked.pdf"),
    ]
    with Workspace.open(tmp_path / "data") as ws:
        case_id = ws.create_case(Client(name="Font Client", a_number="201555014"))
        results = ws.add_evidence(case_id, files)
        assert [r.status for r in results] != ["refused"] * 3
        ws.build_packet(case_id, tmp_path / "packet.pdf")
    fonts = pdffonts(tmp_path / "packet.pdf")
    assert fonts and [n for n, emb in fonts if emb != "yes"] == []


# ---------------------------------------------------------------- hidden layers, nested
def nested_layers_pdf(path: Path) -> Path:
    """A page drawing form A; A draws a visible line and form B; B holds a red
    block on a layer that is OFF and draws form C, itself on that layer."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf(["Visible page text"]))))
    ocg = writer._add_object(
        DictionaryObject(
            {NameObject("/Type"): NameObject("/OCG"), NameObject("/Name"): TextStringObject("x")}
        )
    )
    writer._root_object[NameObject("/OCProperties")] = DictionaryObject(
        {
            NameObject("/OCGs"): ArrayObject([ocg]),
            NameObject("/D"): DictionaryObject({NameObject("/OFF"): ArrayObject([ocg])}),
        }
    )
    font = writer.pages[0]["/Resources"]["/Font"].raw_get("/F1")

    def form(content: bytes, **res: object) -> object:
        s = DecodedStreamObject()
        s.set_data(content)
        s.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (0, 0, 612, 792)]),
                NameObject("/Resources"): DictionaryObject(
                    {NameObject("/" + k): v for k, v in res.items()}  # type: ignore[misc]
                ),
            }
        )
        return s

    c = form(b"0 0 1 rg 300 100 100 100 re f")  # blue, but on the hidden layer (its /OC)
    c[NameObject("/OC")] = ocg
    c_ref = writer._add_object(c)
    b = form(
        b"/OC /L BDC 1 0 0 rg 72 300 200 150 re f BT /F1 20 Tf 72 500 Td (SECRET DRAFT) Tj ET "
        b"EMC /C Do",
        XObject=DictionaryObject({NameObject("/C"): c_ref}),
        Properties=DictionaryObject({NameObject("/L"): ocg}),
        Font=DictionaryObject({NameObject("/F1"): font}),
    )
    b_ref = writer._add_object(b)
    a = form(
        b"BT /F1 16 Tf 72 600 Td (Visible in a form) Tj ET /B Do",
        XObject=DictionaryObject({NameObject("/B"): b_ref}),
        Font=DictionaryObject({NameObject("/F1"): font}),
    )
    a_ref = writer._add_object(a)
    page = writer.pages[0]
    page["/Resources"][NameObject("/XObject")] = DictionaryObject({NameObject("/A"): a_ref})
    extra = DecodedStreamObject()
    extra.set_data(b"q /A Do Q")
    page[NameObject("/Contents")] = ArrayObject(
        [page.raw_get("/Contents"), writer._add_object(extra)]
    )
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def _share(img: Image.Image, test: object) -> float:
    px = list(img.convert("RGB").get_flattened_data())
    return sum(1 for p in px if test(p)) / len(px)  # type: ignore[operator]


def test_hidden_layers_inside_nested_forms_are_removed(tmp_path: Path) -> None:
    src = nested_layers_pdf(tmp_path / "layers.pdf")
    res = intake.normalise_file(src)
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    qpdf_check(out)
    [note] = [w for w in res.warnings if "hidden layers" in w]
    assert "(2 parts)" in note
    text = run_tool("pdftotext", str(out), "-")
    assert "Visible page text" in text and "Visible in a form" in text
    assert "SECRET" not in text and b"SECRET" not in out.read_bytes()
    # rendered: nothing red or blue, as a viewer shows the source with the layer off
    img = render(out, tmp_path, dpi=30)
    assert _share(img, lambda p: p[0] > 180 and p[1] < 80) == 0
    assert _share(img, lambda p: p[2] > 180 and p[0] < 80) == 0


# ---------------------------------------------------------------- XFA forms
PLEASE_WAIT = "Please wait... If this message is not eventually replaced by the proper contents"


@pytest.mark.parametrize("dynamic", [True, False])
def test_an_xfa_forms_warning_says_what_the_packet_will_show(tmp_path: Path, dynamic: bool) -> None:
    from pypdf.generic import BooleanObject

    from tests import evidence_gen as gen

    if dynamic:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf([PLEASE_WAIT]))))
        writer._root_object[NameObject("/AcroForm")] = DictionaryObject(
            {NameObject("/Fields"): ArrayObject(), NameObject("/XFA"): ArrayObject()}
        )
    else:
        writer = PdfWriter(
            clone_from=PdfReader(gen.form_pdf(tmp_path / "static.pdf", appearances=True))
        )
        acroform = writer._root_object["/AcroForm"].get_object()
        acroform[NameObject("/XFA")] = ArrayObject()
        acroform[NameObject("/NeedAppearances")] = BooleanObject(False)
    src = tmp_path / "i-765.pdf"
    with open(src, "wb") as fh:
        writer.write(fh)
    res = intake.normalise_file(src)
    [note] = [w for w in res.warnings if "XFA" in w]
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    shown = " ".join(run_tool("pdftotext", str(out), "-").split())
    if dynamic:
        assert note.startswith("i-765.pdf is a dynamic XFA form (Adobe LiveCycle): the packet "
                               "shows only what its pages hold")  # fmt: skip
        assert "\u201cPlease wait... If this message" in note and "print it to PDF" in note
        assert shown.startswith("Please wait...")  # what the note says is what is there
    else:
        assert "page 1 begins \u201cApplication for fee waiver" in note
        assert "values only Adobe Reader fills in may be blank" in note
        assert "Lucia Morales Rivas" in shown


# ---------------------------------------------------------------- AVIF and JPEG 2000
@pytest.mark.parametrize(
    ("fmt", "feature", "suffix"), [("AVIF", "avif", ".avif"), ("JPEG2000", "jpg_2000", ".jp2")]
)
def test_avif_and_jpeg_2000_evidence_becomes_an_upright_page(
    tmp_path: Path, fmt: str, feature: str, suffix: str
) -> None:
    from PIL import features

    from tests import evidence_gen as gen

    if not features.check(feature):
        pytest.skip(f"Pillow on this machine has no {fmt} codec ({feature})")
    src = gen.picture(tmp_path / f"receipt{suffix}", fmt, size=(1200, 1600))
    assert intake.sniff_kind(src.read_bytes()[:2048]) == feature.replace("jpg_2000", "jp2")
    res = intake.normalise_file(src)
    assert res.pages == 1 and res.kind == intake.sniff_kind(src.read_bytes()[:2048])
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    qpdf_check(out)
    assert "612 x 792 pts (letter)" in run_tool("pdfinfo", str(out))
    page = render(out, tmp_path, dpi=30)
    ink = page.convert("L").point(lambda v: 255 if v < 250 else 0).getbbox()
    assert ink is not None
    assert gen.orientation_of(page.crop(ink)) == "upright"
    # the picture's dark top half and white bottom right came through
    w, h = ink[2] - ink[0], ink[3] - ink[1]
    top = page.crop((ink[0], ink[1], ink[2], ink[1] + h // 3)).convert("L")
    corner = page.crop((ink[0] + w * 3 // 4, ink[1] + h * 3 // 4, ink[2], ink[3])).convert("L")
    assert max(top.tobytes()) < 110 and min(corner.tobytes()) > 200


def test_attachments_travel_with_a_case_archive(tmp_path: Path) -> None:
    """Nothing new is stored for attachments: they are read from the original PDF,
    which the archive carries, so the other side can still add them."""
    src = attachment_pdf(tmp_path / "letter.pdf")
    with Workspace.open(tmp_path / "a") as a:
        case_id = a.create_case(Client(name="Ana Test"))
        a.add_evidence(case_id, [src])
        a.export_case(case_id, tmp_path / "case.pdpacket")
    with Workspace.open(tmp_path / "b") as b:
        new_id = b.import_archive(tmp_path / "case.pdpacket").case_id
        [ex] = b.exhibits(new_id)
        assert [x.name for x in b.list_attachments(ex.id)] == ["image.png", "pay stub.png"]
        [added] = b.add_attachments(ex.id, [2])
        assert added.status == "imported"
        assert [e.title for e in b.exhibits(new_id)] == ["Letter", "Pay stub"]


def test_a_landscape_scan_image_is_turned_like_a_landscape_page(tmp_path: Path) -> None:
    """A pay stub scanned at 200 dpi (11 x 8.5 in): turned to fill the page, top to
    the left, not shrunk to ~77 % across it.  A landscape photo (no dpi) is not."""
    from PIL import ImageDraw

    im = Image.new("L", (2200, 1700), 255)
    d = ImageDraw.Draw(im)
    d.rectangle((20, 20, 2180, 1680), outline=0, width=12)
    d.rectangle((20, 20, 420, 320), fill=0)  # the top-left corner
    src = tmp_path / "stub.png"
    im.save(src, dpi=(200, 200))
    res = intake.normalise_file(src)
    out = tmp_path / "out.pdf"
    out.write_bytes(res.pdf)
    assert "612 x 792 pts (letter)" in run_tool("pdfinfo", str(out))
    img = render(out, tmp_path, dpi=36).convert("L")
    w, h = img.size
    ink = img.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert ink is not None
    assert ink[2] - ink[0] > 0.95 * w and ink[3] - ink[1] > 0.95 * h
    corner = img.crop((int(0.03 * w), int(0.8 * h), int(0.12 * w), int(0.95 * h)))
    assert sum(corner.histogram()[:64]) > 0.8 * corner.size[0] * corner.size[1]
    photo = tmp_path / "photo.png"
    im.save(photo)  # no dpi: a picture, shown upright with margins
    res = intake.normalise_file(photo)
    out.write_bytes(res.pdf)
    img = render(out, tmp_path, dpi=36).convert("L")
    ink = img.point(lambda v: 255 if v < 128 else 0).getbbox()
    assert ink is not None and ink[2] - ink[0] > ink[3] - ink[1]  # still wider than tall

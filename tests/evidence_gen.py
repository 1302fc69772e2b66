"""Realistic evidence files, written by the tests that need them (no committed binaries).

Phone photos with EXIF orientations, scans (gray, 1-bit, colour), multi-page
TIFF, HEIC, WebP, BMP, GIF, encrypted PDFs, damaged PDFs, forms with and without
appearance streams, PDFs with actions and attachments, odd page sizes and
/Rotate, files that lie about their type, and a decompression bomb.

Orientation markers: every picture and page drawn here has a dark TOP half and,
in the bottom half, a mid-gray LEFT quarter, so a render shows whether it is
upright and not mirrored (see ``orientation_of``).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import A4, LEGAL, landscape, letter
from reportlab.pdfgen import canvas

# Pillow transposes that undo each EXIF orientation (so a stored image shows upright).
_STORE_FOR_ORIENTATION = {
    1: None,
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_90,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_270,
}


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSans.ttf", "DejaVuSerif.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def marked_picture(size: tuple[int, int], mode: str = "RGB", text: str = "") -> Image.Image:
    """Dark top half, mid-gray bottom-left quarter, white elsewhere; optional text."""
    w, h = size
    im = Image.new("RGB", size, (255, 255, 255))
    d = ImageDraw.Draw(im)
    d.rectangle((0, 0, w, h // 2), fill=(40, 40, 60))
    d.rectangle((0, h // 2, w // 4, h), fill=(150, 150, 150))
    if text:
        f = _font(max(12, h // 40))
        y = h // 2 + h // 20
        for line in text.splitlines():
            d.text((w // 4 + w // 40, y), line, fill=(0, 0, 0), font=f)
            y += int(h / 30)
    return im.convert(mode) if mode != "RGB" else im


def orientation_of(
    png: Path | Image.Image, box: tuple[float, float, float, float] | None = None
) -> str:
    """'upright', 'upside-down', 'mirrored', 'sideways' from a rendered page: compares
    the mean brightness of the halves (within ``box``, fractions of the page)."""
    im = png if isinstance(png, Image.Image) else Image.open(png)
    im = im.convert("L")
    if box:
        w, h = im.size
        im = im.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    w, h = im.size

    def mean(b: tuple[int, int, int, int]) -> float:
        part = im.crop(b)
        hist = part.histogram()
        n = sum(hist) or 1
        return sum(i * c for i, c in enumerate(hist)) / n

    top, bottom = mean((0, 0, w, h // 2)), mean((0, h // 2, w, h))
    left, right = mean((0, 0, w // 2, h)), mean((w // 2, 0, w, h))
    if abs(top - bottom) < abs(left - right):
        return "sideways"
    if top > bottom:
        return "upside-down"
    bl, br = mean((0, h * 3 // 4, w // 4, h)), mean((w * 3 // 4, h * 3 // 4, w, h))
    return "upright" if bl < br else "mirrored"


# ---------------------------------------------------------------- photos
def phone_photo(
    path: Path,
    *,
    orientation: int = 1,
    size: tuple[int, int] = (4032, 3024),
    quality: int = 90,
    noise: float = 6.0,
    gps: bool = True,
    text: str = "BIRTH CERTIFICATE\nName: Lucia Morales\nBorn: 12 April 1988",
) -> Path:
    """A phone photo as the phone stores it: ``size`` is the stored (sensor) size,
    the picture is upright once the EXIF orientation is applied."""
    transpose = _STORE_FOR_ORIENTATION[orientation]
    upright_size = size if orientation in (1, 2, 3, 4) else (size[1], size[0])
    im = marked_picture(upright_size, text=text)
    if noise:
        n = Image.effect_noise(upright_size, noise).convert("RGB")
        im = Image.blend(im, n, 0.08)
    if transpose is not None:
        im = im.transpose(transpose)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Apple"
    exif[0x0110] = "iPhone 13"
    if gps:
        exif[0x8825] = {1: "N", 2: (40.0, 41.0, 21.0), 3: "W", 4: (73.0, 58.0, 9.0)}
    im.save(path, "JPEG", quality=quality, exif=exif.tobytes(), dpi=(72, 72))
    return path


def scan(
    path: Path,
    mode: str = "L",
    *,
    dpi: int = 300,
    pagesize: tuple[float, float] = letter,
    fmt: str = "PNG",
    noise: float = 0.0,
) -> Path:
    """A page scanned at ``dpi``: gray ("L"), black-and-white ("1") or colour ("RGB")."""
    w, h = round(pagesize[0] / 72 * dpi), round(pagesize[1] / 72 * dpi)
    im = marked_picture((w, h), text="SCANNED LEASE\nRent: $1,200 per month\nSigned 2019-03-01")
    if noise:
        n = Image.effect_noise((w, h), noise).convert("RGB")
        im = Image.blend(im, n, 0.05)
    if mode == "1":
        im = im.convert("L").point(lambda v: 255 if v > 200 else 0).convert("1")
    else:
        im = im.convert(mode)
    im.save(path, fmt, dpi=(dpi, dpi))
    return path


def multipage_tiff(
    path: Path, pages: int = 3, *, compression: str = "group4", dpi: int = 300
) -> Path:
    ims = []
    for n in range(pages):
        im = marked_picture((int(8.5 * dpi), 11 * dpi), text=f"FAX PAGE {n + 1}")
        ims.append(im.convert("L").point(lambda v: 255 if v > 200 else 0).convert("1"))
    ims[0].save(
        path, "TIFF", save_all=True, append_images=ims[1:], compression=compression, dpi=(dpi, dpi)
    )
    return path


def picture(path: Path, fmt: str, size: tuple[int, int] = (1600, 1200), **save: object) -> Path:
    """An upright marked picture in any Pillow (or pillow-heif) format."""
    im = marked_picture(size, text="RECEIPT\nTotal: $42.00")
    if fmt == "GIF":
        im = im.convert("P", palette=Image.Palette.ADAPTIVE)
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    im.save(path, fmt, **save)  # type: ignore[arg-type]
    return path


def decompression_bomb_png(path: Path, side: int = 40_000) -> Path:
    """A tiny PNG that claims ``side`` x ``side`` 1-bit pixels (all white)."""
    row = b"\x00" + b"\xff" * ((side + 7) // 8)
    comp = zlib.compressobj(9)
    chunks = [comp.compress(row) for _ in range(side)]
    data = b"".join(chunks) + comp.flush()

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )
    return path


# ---------------------------------------------------------------- PDFs
def text_pdf(
    path: Path | io.BytesIO,
    texts: list[str],
    *,
    pagesize: tuple[float, float] = letter,
    rotate: int = 0,
    marker: bool = True,
    author: str = "",
) -> Path | io.BytesIO:
    """Pages with text; with ``rotate`` the /Rotate is set and the content is drawn so
    that it is upright *as displayed*.  ``marker`` adds the orientation marks."""
    c = canvas.Canvas(
        str(path) if isinstance(path, Path) else path, pagesize=pagesize, invariant=True
    )
    if author:
        c.setAuthor(author)
        c.setTitle("Secret title")
        c.setSubject("Client matter 12345")
    for text in texts:
        c.setPageSize(pagesize)
        w, h = pagesize  # displayed size
        if rotate:
            c.setPageRotation(rotate)
            uw, uh = (h, w) if rotate in (90, 270) else (w, h)
            c.setPageSize((uw, uh))
            c.saveState()
            c.transform(
                *{90: (0, 1, -1, 0, uw, 0), 180: (-1, 0, 0, -1, uw, uh), 270: (0, -1, 1, 0, 0, uh)}[
                    rotate
                ]
            )
        if marker:
            c.setFillGray(0.2)
            c.rect(0, h / 2, w, h / 2, stroke=0, fill=1)
            c.setFillGray(0.6)
            c.rect(0, 0, w / 4, h / 2, stroke=0, fill=1)
        c.setFillGray(0)
        c.setFont("Helvetica", 14)
        c.drawString(w / 4 + 20, h / 4, text)
        if rotate:
            c.restoreState()
        c.showPage()
    c.save()
    return path


def sized_pdf(path: Path, kind: str) -> Path:
    """'a4', 'legal', 'landscape', 'rot90', 'rot180', 'rot270', 'small'."""
    sizes = {"a4": A4, "legal": LEGAL, "landscape": landscape(letter), "small": (288, 432)}
    if kind.startswith("rot"):
        text_pdf(path, [f"{kind} page"], rotate=int(kind[3:]))
    else:
        text_pdf(path, [f"{kind} page"], pagesize=sizes[kind])
    return path


def encrypted_pdf(
    path: Path,
    *,
    user_password: str = "",
    owner_password: str = "owner-secret",
    algorithm: str = "AES-256",
) -> Path:
    buf = io.BytesIO()
    text_pdf(buf, ["Confidential bank statement"], marker=False)
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    w.encrypt(
        user_password=user_password,
        owner_password=owner_password,
        algorithm=algorithm,
        permissions_flag=4 if not user_password else -1,
    )
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def truncated_pdf(path: Path, *, pages: int = 6, keep: float = 0.55) -> Path:
    buf = io.BytesIO()
    text_pdf(buf, [f"Phone records page {n + 1}" for n in range(pages)], marker=False)
    data = buf.getvalue()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def bad_xref_pdf(path: Path) -> Path:
    """A complete file whose xref offsets are all wrong (a bad FTP transfer)."""
    buf = io.BytesIO()
    text_pdf(buf, ["Pay stub page 1", "Pay stub page 2"], marker=False)
    data = buf.getvalue()
    head, _, tail = data.partition(b"\nxref\n")
    lines = tail.split(b"\n")
    fixed = [ln[:-9] + b"00000 n " if ln.endswith(b" 00000 n ") else ln for ln in lines]
    fixed = [b"0000000099" + ln[10:] if ln.endswith(b"00000 n ") else ln for ln in fixed]
    path.write_bytes(head + b"\nxref\n" + b"\n".join(fixed))
    return path


def garbage_pdf(path: Path) -> Path:
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20 + b"\n%%EOF\n")
    return path


def form_pdf(path: Path, *, appearances: bool) -> Path:
    """A form with a text field, a multi-line field, a checkbox and a choice.
    ``appearances=False``: values only in the fields (/V), no /AP, NeedAppearances."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    c.drawString(72, 720, "Application for fee waiver")
    form = c.acroForm
    c.drawString(72, 650, "Name:")
    form.textfield(
        name="name", value="Lucia Morales Rivas", x=160, y=640, width=250, height=22, fontSize=12
    )
    c.drawString(72, 600, "A-number:")
    form.textfield(
        name="anumber", value="A201-555-014", x=160, y=590, width=150, height=22, fontSize=0
    )
    form.checkbox(name="detained", x=160, y=550, size=16, checked=True, buttonStyle="check")
    form.choice(
        name="court",
        value="New York",
        options=["New York", "Newark"],
        x=160,
        y=500,
        width=150,
        height=22,
        fontSize=11,
    )
    c.showPage()
    c.save()
    if appearances:
        path.write_bytes(buf.getvalue())
        return path
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    for page in w.pages:
        for a in page.get("/Annots", []):
            a = a.get_object()
            if a.get("/FT") in ("/Tx", "/Ch") and "/AP" in a:
                del a["/AP"]
    w._root_object["/AcroForm"][NameObject("/NeedAppearances")] = BooleanObject(True)
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def actions_pdf(path: Path) -> Path:
    """OpenAction JavaScript, a document JavaScript, a Launch and a URI link, page /AA,
    an embedded file and XMP/Info metadata: none of it may survive intake."""
    buf = io.BytesIO()
    text_pdf(buf, ["Page with tricks 1", "Page with tricks 2"], author="Opposing Counsel")
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    js = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hi');"),
        }
    )
    w._root_object[NameObject("/OpenAction")] = w._add_object(js)
    w.add_attachment("secret.txt", b"client notes")
    page = w.pages[0]
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): w._add_object(launch)})
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject(
                [NumberObject(72), NumberObject(72), NumberObject(200), NumberObject(90)]
            ),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("http://example.invalid/track"),
                }
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([w._add_object(link)])
    w.xmp_metadata = None
    w._root_object[NameObject("/Metadata")] = w._add_object(_xmp_stream())
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def _xmp_stream():  # type: ignore[no-untyped-def]
    from pypdf.generic import DecodedStreamObject

    s = DecodedStreamObject()
    s.set_data(
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>XMP Author Secret</dc:creator>'
        b"</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    s[NameObject("/Type")] = NameObject("/Metadata")
    s[NameObject("/Subtype")] = NameObject("/XML")
    return s


# ---------------------------------------------------------------- liars and others
def html_named_pdf(path: Path) -> Path:
    path.write_text(
        "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
        "<body>Session expired</body></html>\n"
    )
    return path


def pdf_named_jpg(path: Path) -> Path:
    text_pdf(path, ["I am a PDF with a .jpg name"])
    return path


def docx(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def zip_archive(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("photos/a.txt", "x")
    return path


def zero_byte(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def layered_pdf(path: Path) -> Path:
    """A page with a visible text and a text on a layer that is OFF (hidden)."""
    from pypdf.generic import DecodedStreamObject

    buf = io.BytesIO()
    text_pdf(buf, ["Visible text"], marker=False)
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(buf.getvalue())))
    ocg = w._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/OCG"),
                NameObject("/Name"): TextStringObject("Notes"),
            }
        )
    )
    w._root_object[NameObject("/OCProperties")] = DictionaryObject(
        {
            NameObject("/OCGs"): ArrayObject([ocg]),
            NameObject("/D"): DictionaryObject({NameObject("/OFF"): ArrayObject([ocg])}),
        }
    )
    page = w.pages[0]
    page["/Resources"].get_object()[NameObject("/Properties")] = DictionaryObject(
        {NameObject("/oc1"): ocg}
    )
    data = page.get_contents().get_data() + (
        b"\n/OC /oc1 BDC BT /F1 24 Tf 72 600 Td (HIDDEN LAYER TEXT) Tj ET EMC\n"
    )
    stream = DecodedStreamObject()
    stream.set_data(data)
    page.replace_contents(stream)
    with open(path, "wb") as fh:
        w.write(fh)
    return path

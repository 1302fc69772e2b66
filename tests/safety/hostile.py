"""Hostile and odd evidence files, generated at run time, and an independent check
(qpdf, not pypdf) that a packet carries none of what they try to smuggle in."""

from __future__ import annotations

import io
import re
import struct
import subprocess
import zlib
from pathlib import Path

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from tests.pdftools import tool

# Strings planted in hostile inputs; none may reach a packet.
SECRET_AUTHOR = "Planted Author 7f3a"
SECRET_TITLE = "Planted Title 9c1d"
SECRET_JS = "planted_js_5e2b"
SECRET_URL = "http://planted.invalid/track"
SECRET_ATTACHMENT = b"planted attachment 4d8e"
SECRET_XMP = "planted-xmp-0b6c"

# PDF names that make a viewer do something: none may appear in a packet.
FORBIDDEN_NAMES = (
    "/JavaScript",
    "/JS",
    "/OpenAction",
    "/AA",
    "/Launch",
    "/EmbeddedFile",
    "/EmbeddedFiles",
    "/FileAttachment",
    "/RichMedia",
    "/SubmitForm",
    "/ImportData",
    "/GoToR",
    "/GoToE",
    "/URI",
    "/Sound",
    "/Movie",
)


def text_pdf_bytes(texts: list[str]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    for t in texts:
        c.setFont("Helvetica", 14)
        c.drawString(72, 500, t)
        c.showPage()
    c.save()
    return buf.getvalue()


def hostile_pdf_bytes() -> bytes:
    """A two-page PDF with everything a packet must not inherit: document JavaScript
    and an OpenAction, page additional-actions, a link to a web address, a Launch
    action, an embedded file, an XMP packet, planted /Info metadata and a form
    field whose action is JavaScript."""
    w = PdfWriter(clone_from=io.BytesIO(text_pdf_bytes(["Hostile page one", "Hostile page two"])))
    w.add_attachment("planted.txt", SECRET_ATTACHMENT)
    doc_js = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(f"app.alert('{SECRET_JS}');"),
        }
    )
    names = w._root_object[NameObject("/Names")].get_object()
    names[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("planted"), w._add_object(doc_js)])}
    )
    w.add_metadata({"/Author": SECRET_AUTHOR, "/Title": SECRET_TITLE, "/Subject": SECRET_TITLE})
    xmp = StreamObject()
    xmp[NameObject("/Type")] = NameObject("/Metadata")
    xmp[NameObject("/Subtype")] = NameObject("/XML")
    xmp.set_data(
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
        f'02/22-rdf-syntax-ns#"><rdf:Description dc:creator="{SECRET_XMP}" xmlns:dc='
        f'"http://purl.org/dc/elements/1.1/"/></rdf:RDF></x:xmpmeta>'.encode()
    )
    w._root_object[NameObject("/Metadata")] = w._add_object(xmp)
    js_action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(f"{SECRET_JS}()"),
        }
    )
    w._root_object[NameObject("/OpenAction")] = w._add_object(js_action)
    page = w.pages[0]
    page[NameObject("/AA")] = DictionaryObject({NameObject("/O"): w._add_object(js_action)})

    def annot(action: DictionaryObject, y: float) -> DictionaryObject:
        return DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Link"),
                NameObject("/Rect"): ArrayObject(
                    [FloatObject(72), FloatObject(y), FloatObject(300), FloatObject(y + 20)]
                ),
                NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),
                NameObject("/A"): action,
            }
        )

    uri = DictionaryObject(
        {NameObject("/S"): NameObject("/URI"), NameObject("/URI"): TextStringObject(SECRET_URL)}
    )
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )
    page[NameObject("/Annots")] = ArrayObject(
        [w._add_object(annot(uri, 600)), w._add_object(annot(launch, 640))]
    )
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


def deep_nesting_pdf(depth: int = 5000) -> bytes:
    """A PDF whose page dictionary holds an array nested ``depth`` deep."""
    nested = b"[" * depth + b"]" * depth
    return _raw_pdf(extra_page_entry=b"/Deep " + nested)


def page_tree_loop_pdf() -> bytes:
    """A page tree whose /Kids points back at itself."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    return _assemble(objs)


def many_objects_pdf(count: int = 200_000) -> bytes:
    """An absurd number of (tiny, unused) objects next to one real page."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    objs.extend(b"<< /N %d >>" % i for i in range(count))
    return _assemble(objs)


def huge_count_pdf() -> bytes:
    """A page tree that claims two billion pages."""
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 2000000000 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
    ]
    return _assemble(objs)


def huge_mediabox_pdf() -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1e30 1e30] >>",
    ]
    return _assemble(objs)


def _raw_pdf(extra_page_entry: bytes = b"") -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + extra_page_entry + b" >>",
    ]
    return _assemble(objs)


def _assemble(objs: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    )
    return out.getvalue()


def huge_png(width: int = 60000, height: int = 60000) -> bytes:
    """A valid PNG header claiming a huge image, with a tiny (truncated) body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bomb_png(side: int = 16000) -> bytes:
    """A real, tiny-on-disk PNG that decodes to side*side pixels (256 Mpx by default)."""
    raw = zlib.compress(b"".join(b"\x00" + b"\x00" * side for _ in range(side)), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # grey
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def jpeg_bytes(size: tuple[int, int] = (640, 480), exif_orientation: int = 0) -> bytes:
    img = Image.new("RGB", size, (180, 120, 60))
    buf = io.BytesIO()
    if exif_orientation:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        exif[0x010E] = SECRET_TITLE  # ImageDescription: must not reach the packet as text
        img.save(buf, "JPEG", quality=70, exif=exif)
    else:
        img.save(buf, "JPEG", quality=70)
    return buf.getvalue()


def png_bytes(size: tuple[int, int] = (300, 200)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buf, "PNG")
    return buf.getvalue()


def tiff_bytes() -> bytes:
    buf = io.BytesIO()
    Image.new("1", (400, 300), 1).save(buf, "TIFF", compression="group4")
    return buf.getvalue()


def scan_packet(path: Path) -> list[str]:
    """What a packet carries that it must not: read with qpdf (uncompressed, no object
    streams), not with the library that wrote it.  Returns the findings."""
    res = subprocess.run(
        [tool("qpdf"), "--qdf", "--object-streams=disable", str(path), "-"],
        capture_output=True,
        check=False,
    )
    if res.returncode not in (0, 3):
        return [f"qpdf cannot read the packet: {res.stderr.decode(errors='replace')[:200]}"]
    raw = res.stdout
    findings = []
    for name in FORBIDDEN_NAMES:
        if re.search(re.escape(name.encode()) + rb"(?![A-Za-z0-9])", raw):
            findings.append(f"name {name}")
    for secret in (SECRET_AUTHOR, SECRET_TITLE, SECRET_JS, SECRET_URL, SECRET_XMP):
        if secret.encode() in raw or secret.encode("utf-16-be") in raw:
            findings.append(f"planted text {secret!r}")
    if SECRET_ATTACHMENT in raw:
        findings.append("planted attachment")
    return findings

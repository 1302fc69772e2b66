"""Hostile objects hidden where a page's content reaches them -- its fonts, form
XObjects (nested), patterns, graphics states, images, marked-content properties
and an annotation's appearance -- and a case archive that carries such a PDF
with every hash right.  The planted strings are ``hostile``'s, so
``hostile.scan_packet`` finds any that leak."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from tests.safety.hostile import SECRET_ATTACHMENT, SECRET_JS, SECRET_URL, SECRET_XMP

# What the hostile page prints: its text, and the blue of its tiling pattern.
PAGE_TEXTS = ("Hostile resources page", "Outer form text", "Nested form text")


def _stream(head: bytes, data: bytes) -> bytes:
    return b"<< " + head + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _js(text: str) -> bytes:
    return b"<< /S /JavaScript /JS (" + text.encode() + b") >>"


def hostile_resources_pdf() -> bytes:
    """Two pages; the first draws text with a font that carries a JavaScript
    action and a custom key naming an embedded file, a form XObject (with /AA
    and /Metadata) drawing a nested one (whose resources hold /Names with
    embedded files, /JavaScript and an /OpenAction), a tiling pattern whose
    graphics state has additional actions, an image with a custom key, and
    carries a square annotation whose appearance names scripts too."""
    page1 = (
        b"q /GS0 gs BT /F1 24 Tf 72 700 Td (" + PAGE_TEXTS[0].encode() + b") Tj ET Q\n"
        b"q /Pattern cs /P0 scn 72 380 200 120 re f Q\n"
        b"q 1 0 0 1 72 560 cm /Fm0 Do Q\n"
        b"/OC /MC0 BDC q 100 0 0 60 350 400 cm /Im0 Do Q EMC\n"
    )
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R /OpenAction 15 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R 20 0 R] /Count 2 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources 4 0 R "
        b"/Contents 5 0 R /Annots [16 0 R] /AA << /O 15 0 R >> >>",
        4: b"<< /Font << /F1 6 0 R >> /XObject << /Fm0 7 0 R /Im0 13 0 R >> "
        b"/Pattern << /P0 9 0 R >> /ExtGState << /GS0 11 0 R >> "
        b"/Properties << /MC0 12 0 R >> /ProcSet [/PDF /Text /ImageC] /PdpHidden 19 0 R >>",
        5: _stream(b"", page1),
        6: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding "
        b"/A 15 0 R /PdpPayload 14 0 R >>",
        7: _stream(
            b"/Type /XObject /Subtype /Form /BBox [0 0 400 100] "
            b"/Resources << /Font << /F1 6 0 R >> /XObject << /Fm1 8 0 R >> >> "
            b"/AA << /O 15 0 R >> /Metadata 17 0 R /PieceInfo << /App << /Private 14 0 R >> >>",
            b"BT /F1 14 Tf 0 60 Td (" + PAGE_TEXTS[1].encode() + b") Tj ET /Fm1 Do",
        ),
        8: _stream(
            b"/Type /XObject /Subtype /Form /BBox [0 0 400 40] "
            b"/Resources << /Font << /F1 6 0 R >> "
            b"/Names << /EmbeddedFiles << /Names [(p.txt) 19 0 R] >> >> "
            b"/JavaScript 15 0 R >> /OpenAction 15 0 R",
            b"BT /F1 12 Tf 0 10 Td (" + PAGE_TEXTS[2].encode() + b") Tj ET",
        ),
        9: _stream(
            b"/Type /Pattern /PatternType 1 /PaintType 1 /TilingType 1 /BBox [0 0 20 20] "
            b"/XStep 20 /YStep 20 /Resources << /ExtGState << /GSp 10 0 R >> >> "
            b"/Matrix [1 0 0 1 0 0] /PdpLaunch 21 0 R",
            b"/GSp gs 0 0 1 rg 0 0 20 20 re f",
        ),
        10: b"<< /Type /ExtGState /CA 1 /AA << /O 21 0 R >> /PdpFile 14 0 R >>",
        11: b"<< /Type /ExtGState /ca 1 /JS (" + SECRET_JS.encode() + b"()) >>",
        12: b"<< /Type /OCG /Name (Layer) /A 22 0 R >>",
        13: _stream(
            b"/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB "
            b"/BitsPerComponent 8 /PdpPayload 14 0 R /Metadata 17 0 R",
            bytes([200, 0, 0, 0, 200, 0, 0, 200, 0, 200, 0, 0]),
        ),
        14: _stream(b"/Type /EmbeddedFile /Subtype /text#2Fplain", SECRET_ATTACHMENT),
        15: _js(f"app.alert('{SECRET_JS}');"),
        16: b"<< /Type /Annot /Subtype /Square /Rect [400 600 500 650] /F 4 "
        b"/AP << /N 23 0 R >> /A 15 0 R >>",
        17: _stream(
            b"/Type /Metadata /Subtype /XML",
            f'<x:xmpmeta xmlns:x="adobe:ns:meta/">{SECRET_XMP}</x:xmpmeta>'.encode(),
        ),
        19: b"<< /Type /Filespec /F (p.txt) /EF << /F 14 0 R >> >>",
        20: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 6 0 R >> >> /Contents 24 0 R >>",
        21: b"<< /S /Launch /F (calc.exe) >>",
        22: b"<< /S /URI /URI (" + SECRET_URL.encode() + b") >>",
        23: _stream(
            b"/Type /XObject /Subtype /Form /BBox [0 0 100 50] "
            b"/Resources << /XObject << /Fx 8 0 R >> /JavaScript 15 0 R /PdpFile 19 0 R >>",
            b"0 0.6 0 rg 0 0 100 50 re f /Fx Do",
        ),
        24: _stream(b"", b"BT /F1 18 Tf 72 700 Td (Second hostile page) Tj ET"),
    }
    return _assemble(objs)


def _assemble(objs: dict[int, bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    size = max(objs) + 1
    offsets = {}
    for num in sorted(objs):
        offsets[num] = out.tell()
        out.write(b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for num in range(1, size):
        if num in offsets:
            out.write(b"%010d 00000 n \n" % offsets[num])
        else:
            out.write(b"0000000000 65535 f \n")
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
    return out.getvalue()


def swap_archive_pdf(src: Path, dst: Path, old_sha: str, pdf: bytes) -> str:
    """Write ``dst``: the plain archive ``src`` with stored PDF ``old_sha``
    replaced by ``pdf``, every hash and size made right again, as a person
    with the archive and a zip tool could.  Returns the new blob's SHA-256."""
    new_sha = hashlib.sha256(pdf).hexdigest()
    with zipfile.ZipFile(src) as zin:
        manifest = json.loads(zin.read("pdpacket-archive.json"))
        data = json.loads(zin.read("case.json"))
        blobs = {n: zin.read(n) for n in zin.namelist() if n.startswith("blobs/")}
    blobs.pop("blobs/" + old_sha)
    blobs["blobs/" + new_sha] = pdf
    for table in data["tables"].values():
        cols = table["columns"]
        for row in table["rows"]:
            for i, v in enumerate(row):
                if v == old_sha:
                    row[i] = new_sha
            if "size" in cols and row[cols.index("sha256")] == new_sha:
                row[cols.index("size")] = len(pdf)
    body = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    manifest["blobs"].pop(old_sha)
    manifest["blobs"][new_sha] = len(pdf)
    manifest["data"].update(sha256=hashlib.sha256(body).hexdigest(), size=len(body))
    with zipfile.ZipFile(dst, "w") as zout:
        zout.writestr("pdpacket-archive.json", json.dumps(manifest, indent=1, sort_keys=True))
        zout.writestr("case.json", body)
        for name, content in sorted(blobs.items()):
            zout.writestr(name, content)
    return new_sha

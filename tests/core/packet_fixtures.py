"""Inputs and independent readers for the packet-builder tests (#4).

Evidence is put straight into the store (as intake would leave it) so the
builder can be tested with pages intake would never produce: rotated,
landscape, A4, cropped, full-bleed, carrying metadata, scripts or forms.
Packets are read back with qpdf, poppler and mupdf, not only with pypdf.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from pdpacket.api import Workspace
from pdpacket.intake.pdfclean import CLEANING_VERSION
from pdpacket.model import Client, FileRole, Proceedings
from pdpacket.store import cleaning
from tests.pdftools import qpdf_json, run_tool, tool


def text_pdf(
    texts: list[str],
    pagesize: tuple[float, float] = letter,
    *,
    rotate: int = 0,
    marker: bool = False,
    full_bleed: bool = False,
) -> bytes:
    """One page per text, with a MediaBox of ``pagesize`` and ``/Rotate rotate``.
    ``marker`` draws a black square in the top-left corner of the page as a
    viewer shows it (so it follows ``rotate``) and the text beside it;
    ``full_bleed`` paints the whole page dark grey, edge to edge."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=pagesize, invariant=True)
    w, h = pagesize
    dh = w if rotate in (90, 270) else h
    to_user = {
        0: (1, 0, 0, 1, 0, 0),
        90: (0, 1, -1, 0, w, 0),  # shown turned clockwise: display (u, v) is user (w - v, u)
        180: (-1, 0, 0, -1, w, h),
        270: (0, -1, 1, 0, 0, h),
    }[rotate]
    for text in texts:
        if full_bleed:
            c.setFillGray(0.25)
            c.rect(0, 0, w, h, stroke=0, fill=1)
        c.saveState()
        c.transform(*to_user)
        c.setFillGray(0)
        if marker:
            c.rect(20, dh - 120, 100, 100, stroke=0, fill=1)
        c.setFillGray(1 if full_bleed else 0)
        c.setFont("Helvetica", 14)
        c.drawString(150 if marker else 72, dh / 2, text)
        c.restoreState()
        c.showPage()
    c.save()
    if not rotate:
        return buf.getvalue()
    w_ = PdfWriter()
    w_.append(PdfReader(io.BytesIO(buf.getvalue())))
    for page in w_.pages:
        page[NameObject("/Rotate")] = NumberObject(rotate)
    out = io.BytesIO()
    w_.write(out)
    return out.getvalue()


def add_exhibit(
    ws: Workspace,
    case_id: int,
    title: str,
    pdfs: list[bytes] | bytes,
    *,
    roles: list[FileRole] | None = None,
    **attrs: Any,
) -> int:
    """An exhibit whose files are the given PDFs, stored as intake would store them."""
    if isinstance(pdfs, bytes):
        pdfs = [pdfs]
    roles = roles or [FileRole.DOCUMENT] * len(pdfs)
    with ws.store.transaction():
        ex_id = ws.store.add_exhibit(case_id, title, **attrs)
        for n, (pdf, role) in enumerate(zip(pdfs, roles, strict=True)):
            sha = ws.store.blobs.put_bytes(pdf)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            ws.store.register_blob(sha, len(pdf), "pdf", pages)
            cleaning.record(ws.store.db.conn, sha, CLEANING_VERSION)  # as intake records it
            ws.store.add_exhibit_file(
                ex_id,
                role=role,
                original_name=f"{title.lower().replace(' ', '_')}_{n}.pdf",
                original_sha256=sha,
                pdf_sha256=sha,
                pages=pages,
            )
    return ex_id


def new_case(ws: Workspace, name: str = "Rosa Test", **proceedings: Any) -> int:
    return ws.create_case(Client(name=name, a_number="201555014"), Proceedings(**proceedings))


def case_with_sizes(ws: Workspace, sizes: list[int], **proceedings: Any) -> int:
    """Exhibits Doc0, Doc1... with the given page counts; page p of Doc i says 'DOCi PAGEp'."""
    case_id = new_case(ws, **proceedings)
    for i, n in enumerate(sizes):
        add_exhibit(ws, case_id, f"Doc{i}", text_pdf([f"DOC{i} PAGE{p}" for p in range(1, n + 1)]))
    return case_id


# ---- reading packets with other tools ----------------------------------------------
def page_count(path: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", run_tool("pdfinfo", str(path))).group(1))


def text_of(path: Path, page: int) -> str:
    return run_tool("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-")


def bottom_text(path: Path, page: int) -> str:
    """What is printed in the bottom 60 points of a page (poppler, cropped): the
    stamps sit half an inch above the paper's edge."""
    return run_tool(
        "pdftotext",
        "-f",
        str(page),
        "-l",
        str(page),
        "-x",
        "0",
        "-y",
        str(792 - 60),
        "-W",
        "612",
        "-H",
        "60",
        "-r",
        "72",
        str(path),
        "-",
    )


def page_sizes(path: Path) -> list[tuple[float, float, int]]:
    out = run_tool("pdfinfo", "-f", "1", "-l", str(page_count(path)), str(path))
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)
    rots = re.findall(r"Page\s+\d+ rot:\s+(\d+)", out)
    return [(float(w), float(h), int(r)) for (w, h), r in zip(sizes, rots, strict=True)]


def qpdf_objects(path: Path) -> dict[str, Any]:
    data = json.loads(run_tool("qpdf", "--json", "--json-key=qpdf", str(path)))
    return data["qpdf"][1]


def page_object_ids(path: Path) -> list[str]:
    """``"12 0 R"`` of every page, in order (qpdf)."""
    return [p["object"] for p in qpdf_json(path, "pages")["pages"]]


def index_links(path: Path, page: int) -> list[tuple[list[float], int]]:
    """(rect, 1-based target page) of every link on ``page``, read by qpdf."""
    ids = page_object_ids(path)
    objects = qpdf_objects(path)
    page_obj = objects[f"obj:{ids[page - 1]}"]["value"]
    out = []
    for ref in page_obj.get("/Annots", []):
        annot = objects[f"obj:{ref}"]["value"]
        assert annot["/Subtype"] == "/Link"
        dest = annot["/Dest"]
        out.append((annot["/Rect"], ids.index(dest[0]) + 1))
    return out


def page_labels(path: Path) -> list[str]:
    """The label of every page, computed from the /PageLabels tree as qpdf reads it."""
    ranges = qpdf_json(path, "pagelabels")["pagelabels"]
    n = page_count(path)
    labels = []
    for i in range(n):
        r = max((r for r in ranges if r["index"] <= i), key=lambda r: r["index"])
        lab = r["label"]
        assert lab.get("/S", "/D") == "/D"
        prefix = lab.get("/P", "")
        prefix = prefix[2:] if prefix.startswith("u:") else prefix
        labels.append(f"{prefix}{lab.get('/St', 1) + i - r['index']}")
    return labels


def mutool_outline(path: Path) -> str:
    res = subprocess.run(
        [tool("mutool"), "show", str(path), "outline"], capture_output=True, text=True, check=True
    )
    return res.stdout


def render(path: Path, page: int, out_dir: Path, dpi: int = 36) -> Path:
    """One page as a greyscale PNG (poppler); returns its path."""
    stem = out_dir / f"p{page}"
    run_tool(
        "pdftoppm",
        "-r",
        str(dpi),
        "-gray",
        "-png",
        "-singlefile",
        "-f",
        str(page),
        "-l",
        str(page),
        str(path),
        str(stem),
    )
    return stem.with_suffix(".png")


def dark_fraction(png: Path, box_pt: tuple[float, float, float, float]) -> float:
    """Share of dark pixels inside ``box_pt`` = (x0, y0, x1, y1) in PDF points,
    y up from the bottom of a rendered letter-size page."""
    from PIL import Image

    img = Image.open(png).convert("L")
    s = img.width / 612
    x0, y0, x1, y1 = box_pt
    h = img.height
    crop = img.crop((round(x0 * s), round(h - y1 * s), round(x1 * s), round(h - y0 * s)))
    hist = crop.histogram()
    return sum(hist[:160]) / max(sum(hist), 1)


def drawing_pdf(width: float = 612, height: float = 792) -> bytes:
    """One page with a filled square and no font at all."""
    w = PdfWriter()
    page = w.add_blank_page(width, height)
    content = DecodedStreamObject()
    content.set_data(b"0 g 100 100 300 300 re f")
    page[NameObject("/Contents")] = w._add_object(content)
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()


# ---- hostile evidence ---------------------------------------------------------------
def pdf_with_baggage() -> bytes:
    """A PDF carrying what must not reach a packet: author and XMP metadata,
    a JavaScript open action, page actions, an attachment, a form field and
    a link annotation."""
    reader = PdfReader(io.BytesIO(text_pdf(["BAGGAGE PAGE"])))
    w = PdfWriter()
    w.append(reader)
    w.add_metadata({"/Author": "Evil Author", "/Producer": "Evil Producer 9", "/Title": "Secret"})
    js = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hi');"),
        }
    )
    w._root_object[NameObject("/OpenAction")] = w._add_object(js)
    w.add_attachment("payload.txt", b"attached data")
    page = w.pages[0]
    page[NameObject("/AA")] = DictionaryObject()
    xmp = DecodedStreamObject()
    xmp.set_data(b"<x:xmpmeta><dc:creator>Evil Author</dc:creator></x:xmpmeta>")
    xmp.update(
        {NameObject("/Type"): NameObject("/Metadata"), NameObject("/Subtype"): NameObject("/XML")}
    )
    page[NameObject("/Metadata")] = w._add_object(xmp)
    link = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 72, 200, 100)]),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://example.com/"),
                }
            ),
        }
    )
    page[NameObject("/Annots")] = ArrayObject([w._add_object(link)])
    w._root_object[NameObject("/AcroForm")] = DictionaryObject(
        {NameObject("/Fields"): ArrayObject(), NameObject("/NeedAppearances"): NumberObject(1)}
    )
    out = io.BytesIO()
    w.write(out)
    return out.getvalue()

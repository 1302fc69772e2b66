"""Finding personal numbers and redacting them: ms per page on generated text
pages (two numbers each) and on 200-dpi scans (gray: Flate; black-and-white:
G4; colour photo: JPEG), against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_redact.py [--pages 40] [--repeat 3]

Baselines: pypdf's own text extraction of the same pages (for the search), and
pypdf parsing and rewriting every content stream of the file (the least
any pypdf-based removal does); for an
image, Pillow decoding and re-encoding it alone.
"""

from __future__ import annotations

import argparse
import io
import time
from collections.abc import Callable

from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from pdpacket.intake.images import encode_image
from pdpacket.intake.pdfglyphs import PdfWords
from pdpacket.intake.personal_numbers import find_numbers
from pdpacket.intake.redact import redact_pdf
from pdpacket.model.redaction import Box


def text_pages(n: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    for p in range(n):
        c.setFont("Helvetica", 11)
        y = 740
        for i in range(40):
            if i == 10:
                line = f"Spouse's social security number 523-45-{6700 + p % 99:04d}"
            elif i == 20:
                line = f"Dependent: Maria Test   SSN 534 56 {7800 + p % 99:04d}"
            else:
                line = f"Line {i} of page {p}: wages, salaries, tips and other income 48,250"
            c.drawString(72, y, line)
            y -= 16
        c.showPage()
    c.save()
    return buf.getvalue()


def image_page(mode: str) -> bytes:
    im = Image.new("L", (1700, 2200), 255)
    d = ImageDraw.Draw(im)
    for y in range(200, 2000, 60):
        d.rectangle((200, y, 1500, y + 25), fill=0)
    if mode == "1":
        im = im.convert("1")
    elif mode == "RGB":
        im = im.convert("RGB")
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    if mode == "RGB":
        jpg = io.BytesIO()
        im.save(jpg, "JPEG", quality=80)
        c.drawImage(ImageReader(io.BytesIO(jpg.getvalue())), 0, 0, 612, 792)
    else:
        enc = encode_image(im)
        c.drawImage(ImageReader(im), 0, 0, 612, 792)
        del enc
    c.showPage()
    c.save()
    return buf.getvalue()


def best(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    n = args.pages
    pdf = text_pages(n)

    def search() -> list[list[Box]]:
        reader = PdfWords(pdf)
        return [[f.box for f in find_numbers(reader.words(p))] for p in range(n)]

    found = search()
    assert all(len(b) == 2 for b in found), "two numbers a page"
    t_search = best(search, args.repeat)
    t_extract = best(
        lambda: [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages], args.repeat
    )
    boxes = {p: [b.padded(1) for b in bs] for p, bs in enumerate(found)}
    t_redact = best(lambda: redact_pdf(pdf, boxes, name="bench.pdf"), args.repeat)

    def copy(data: bytes) -> bytes:
        """The least any pypdf-based rewrite does: parse each page's content
        stream, serialise it again, write the file."""
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
        for page in writer.pages:
            contents = page.get_contents()
            if contents is not None:
                cs = ContentStream(None, writer)
                cs.operations = contents.operations
                page.replace_contents(cs)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    t_copy = best(lambda: copy(pdf), args.repeat)
    print(f"{n} text pages, two numbers each; best of {args.repeat}")
    print(f"| {'step':<34} | {'ms/page':>8} | {'baseline ms/page':>16} | {'ratio':>6} |")
    print(f"|{'-' * 36}|{'-' * 10}|{'-' * 18}|{'-' * 8}|")
    rows = [
        ("find (words + checks)", t_search, t_extract, "pypdf extract_text"),
        ("remove text under the boxes", t_redact, t_copy, "pypdf content rewrite"),
    ]
    for name, t, base, _ in rows:
        print(f"| {name:<34} | {t / n * 1000:8.1f} | {base / n * 1000:16.1f} | {t / base:6.2f} |")
    for mode, label in (
        ("L", "gray scan (Flate)"),
        ("1", "b/w scan (G4)"),
        ("RGB", "photo (JPEG)"),
    ):
        page = image_page(mode)
        box = {0: [Box(100, 300, 400, 330)]}
        t = best(lambda page=page, box=box: redact_pdf(page, box, name="scan.pdf"), args.repeat)
        x = next(iter(PdfReader(io.BytesIO(page)).pages[0]["/Resources"]["/XObject"].values()))
        xobj = x.get_object()

        def pillow_alone(xobj: object = xobj) -> None:
            im = xobj.decode_as_image()  # type: ignore[attr-defined]
            im.save(io.BytesIO(), "PNG" if im.mode != "RGB" else "JPEG")

        base = best(pillow_alone, args.repeat)
        print(
            f"| {'pixels under a box: ' + label:<34} | {t * 1000:8.1f} | {base * 1000:16.1f} "
            f"| {t / base:6.2f} |"
        )
    print(
        "baselines: pypdf extract_text; pypdf parsing and rewriting every content stream; "
        "Pillow decode + encode alone"
    )


if __name__ == "__main__":
    main()

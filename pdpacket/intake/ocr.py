"""OCR of stored evidence pages with Tesseract, and the words of pages that have text.

Tesseract is the system's own program (``tesseract-ocr``), run once per page
image with ``OMP_THREAD_LIMIT=1`` and as many processes at once as there are
cores: on two cores that is about three times faster than one process using
Tesseract's own threads (they fight), and pytesseract or OCRmyPDF would only
add temporary files or a second pass over the PDF.  Each process reads the
image on its standard input and writes words with pixel boxes (TSV).

A page needs OCR when it draws an image and shows no text of its own.  The
image is taken from the stored PDF as it is (a JPEG is handed over untouched,
other images are decoded once), turned upright the way the page shows it, and
each word's box is mapped back through the image's placement into the page's
own coordinates (PDF points, origin bottom-left, ``/Rotate`` not applied),
which is where the packet writes the invisible text layer.
"""

from __future__ import annotations

import io
import logging
import math
import os
import shutil
import struct
import subprocess
import sys
import threading
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream, IndirectObject

from pdpacket.model.text import Word
from pdpacket.pdf.stamps import Matrix, apply, multiply

log = logging.getLogger("pdpacket.ocr")

MIN_IMAGE_POINTS = 72.0  # an image smaller than an inch each way is a logo, not a scan
MIN_IMAGE_PIXELS = 200
MIN_OWN_TEXT = 40  # bytes of text a page shows before it counts as having text of its own
MIN_CONFIDENCE = 20.0  # Tesseract's guesses below this are noise (photo texture)
PAGE_TIMEOUT = 180  # seconds for one page image
TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}

INSTALL_HINT = (
    "Install Tesseract with English and Spanish: on Debian or Ubuntu "
    "`sudo apt install tesseract-ocr tesseract-ocr-spa`; on macOS "
    "`brew install tesseract tesseract-lang`; on Windows the UB-Mannheim installer "
    "(github.com/UB-Mannheim/tesseract/wiki), with the Spanish language ticked. "
    "Then run OCR again (pdpacket ocr CASE, or Run OCR in the window)."
)


# ---- Tesseract -------------------------------------------------------------------
def _usual_places() -> list[str]:
    """Where the installers put Tesseract when a window started from the desktop
    does not have it on PATH (the UB-Mannheim installer never adds it; Homebrew's
    folder is on a terminal's PATH only)."""
    if sys.platform == "win32":
        roots = [os.environ.get(v, "") for v in ("ProgramFiles", "ProgramFiles(x86)")]
        local = os.environ.get("LOCALAPPDATA", "")
        places = [os.path.join(r, "Tesseract-OCR", "tesseract.exe") for r in roots if r]
        if local:
            places.append(os.path.join(local, "Programs", "Tesseract-OCR", "tesseract.exe"))
        return places
    if sys.platform == "darwin":
        return [
            "/opt/homebrew/bin/tesseract",
            "/usr/local/bin/tesseract",
            "/opt/local/bin/tesseract",
        ]
    return []


def tesseract_path() -> str | None:
    """The tesseract program (``PDPACKET_TESSERACT``, PATH, or where its installer
    puts it), or None."""
    configured = os.environ.get("PDPACKET_TESSERACT")
    if configured:
        return configured if os.path.isfile(configured) else None
    found = shutil.which("tesseract")
    if found:
        return found
    return next((p for p in _usual_places() if os.path.isfile(p)), None)


def _spawn_flags() -> int:
    """On Windows: no console window flashing up per page, and below normal
    priority so the window stays responsive."""
    if sys.platform != "win32":
        return 0
    return int(getattr(subprocess, "CREATE_NO_WINDOW", 0)) | int(
        getattr(subprocess, "BELOW_NORMAL_PRIORITY_CLASS", 0)
    )


_LANGS: dict[str, tuple[str, ...]] = {}
_LANGS_LOCK = threading.Lock()


def installed_languages(exe: str) -> tuple[str, ...]:
    """Tesseract's installed language codes (``osd`` left out)."""
    with _LANGS_LOCK:
        if exe not in _LANGS:
            try:
                out = subprocess.run(
                    [exe, "--list-langs"],
                    creationflags=_spawn_flags(),
                    capture_output=True,
                    text=True,
                    timeout=30,
                    stdin=subprocess.DEVNULL,
                    check=False,
                ).stdout
            except (OSError, subprocess.SubprocessError):
                out = ""
            langs = [ln.strip() for ln in out.splitlines()[1:] if ln.strip()]
            _LANGS[exe] = tuple(lang for lang in langs if lang != "osd")
        return _LANGS[exe]


def usable_languages(exe: str, wanted: Sequence[str]) -> tuple[str, ...]:
    """The wanted languages Tesseract has (English when none of them is installed)."""
    have = installed_languages(exe)
    chosen = tuple(lang for lang in wanted if lang in have)
    if chosen:
        return chosen
    return ("eng",) if "eng" in have or not have else have[:1]


# ---- what a page shows -------------------------------------------------------------
@dataclass
class PageImage:
    """One image of a page, ready for Tesseract: its bytes upright, and where each
    of its pixels lands in the page's own coordinates."""

    data: bytes
    width: int  # upright pixels
    height: int
    box: tuple[float, float, float, float]  # the image on the displayed page
    to_user: Matrix  # displayed page -> page user space

    @property
    def dpi(self) -> int:
        w_in = (self.box[2] - self.box[0]) / 72.0
        return max(70, min(1200, round(self.width / w_in))) if w_in > 0 else 300

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A pixel position of the image (y down) in page user space."""
        bx0, by0, bx1, by1 = self.box
        sx, sy = (bx1 - bx0) / self.width, (by1 - by0) / self.height
        return apply(self.to_user, bx0 + x * sx, by1 - y * sy)

    def word(
        self, text: str, left: int, top: int, w: int, h: int, conf: float, turn: int = 0
    ) -> Word:
        """``turn``: how many degrees clockwise the text runs in this image (a word
        read from the image turned upright)."""
        ax, ay = self.point(left, top + h)
        bx, by = self.point(left + w, top)
        # the direction the text runs: right in the image, turned back
        dx, dy = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}[turn % 360]
        px0, py0 = self.point(0, 0)
        px1, py1 = self.point(dx, dy)
        angle = round(math.degrees(math.atan2(py1 - py0, px1 - px0)) / 90) * 90 % 360
        return Word(text, min(ax, bx), min(ay, by), max(ax, bx), max(ay, by), conf, angle)


@dataclass
class PageScan:
    """What OCR needs to know of one page."""

    text_bytes: int = 0  # of the strings its text operators show
    images: list[tuple[Any, Matrix]] = field(default_factory=list)  # (XObject, CTM)

    @property
    def has_text(self) -> bool:
        """Text of its own, more than a scanning app's stamp ("Scanned with ...")."""
        return self.text_bytes >= MIN_OWN_TEXT


def _shown_bytes(operands: Any) -> int:
    n = 0
    for v in operands:
        if isinstance(v, bytes | str):
            n += len(v)
        elif isinstance(v, list):
            n += _shown_bytes(v)
    return n


def _num(v: Any) -> float:
    return float(v)


def _walk(
    reader: PdfReader, content: Any, resources: Any, ctm: Matrix, scan: PageScan, depth: int
) -> None:
    if depth > 4:
        return
    ops = ContentStream(content, reader).operations
    xobjects: Any = resources.get("/XObject") if resources is not None else None
    if isinstance(xobjects, IndirectObject):
        xobjects = xobjects.get_object()
    stack: list[Matrix] = []
    for operands, op in ops:
        if op == b"q":
            stack.append(ctm)
        elif op == b"Q":
            if stack:
                ctm = stack.pop()
        elif op == b"cm" and len(operands) == 6:
            m = tuple(_num(v) for v in operands)
            ctm = multiply(m, ctm)  # type: ignore[arg-type]
        elif op in TEXT_OPERATORS:
            scan.text_bytes += _shown_bytes(operands)
        elif op == b"Do" and operands and xobjects is not None:
            xo: Any = xobjects.get(operands[0])
            if xo is None:
                continue
            xo = xo.get_object()
            subtype = xo.get("/Subtype")
            if subtype == "/Image":
                scan.images.append((xo, ctm))
            elif subtype == "/Form":
                fm = xo.get("/Matrix")
                inner = ctm
                if fm is not None and len(fm) == 6:
                    inner = multiply(tuple(_num(v) for v in fm), ctm)  # type: ignore[arg-type]
                res: Any = xo.get("/Resources")
                res = res.get_object() if res is not None else resources
                _walk(reader, xo, res, inner, scan, depth + 1)


def scan_page(reader: PdfReader, index: int) -> PageScan:
    page = reader.pages[index]
    scan = PageScan()
    content = page.get_contents()
    if content is None:
        return scan
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    _walk(reader, content, resources, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), scan, 0)
    return scan


def _large(xo: Any, ctm: Matrix) -> bool:
    w, h = int(xo.get("/Width", 0)), int(xo.get("/Height", 0))
    pw = math.hypot(ctm[0], ctm[1])
    ph = math.hypot(ctm[2], ctm[3])
    return min(w, h) >= MIN_IMAGE_PIXELS and min(pw, ph) >= MIN_IMAGE_POINTS


def needs_ocr(scan: PageScan) -> bool:
    """A page that shows a page-sized image and no text of its own."""
    return not scan.has_text and any(_large(xo, m) for xo, m in scan.images)


def image_pages(data: bytes) -> tuple[int, list[int]]:
    """(pages, the pages that need OCR) of a stored PDF."""
    reader = PdfReader(io.BytesIO(data))
    out = []
    for i in range(len(reader.pages)):
        try:
            if needs_ocr(scan_page(reader, i)):
                out.append(i)
        except Exception as exc:  # an odd page is left as it is, never stops the rest
            log.warning("page %d could not be analysed for OCR: %s", i + 1, exc)
    return len(reader.pages), out


def _display_matrix(page: Any) -> Matrix:
    """Page user space -> the page as displayed (its /Rotate applied)."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    r = int(page.get("/Rotate", 0) or 0) % 360
    if r == 90:
        return (0.0, -1.0, 1.0, 0.0, -y0, x1)
    if r == 180:
        return (-1.0, 0.0, 0.0, -1.0, x1, y1)
    if r == 270:
        return (0.0, 1.0, -1.0, 0.0, y1, -x0)
    return (1.0, 0.0, 0.0, 1.0, -x0, -y0)


def _invert(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


def _upright(im: Image.Image, m: Matrix) -> Image.Image:
    """The image's pixels turned the way ``m`` (image unit square -> displayed page)
    shows them: columns left to right, rows top to bottom."""
    a, b, c, d = m[:4]
    T = Image.Transpose
    if abs(b) + abs(c) <= 1e-6 * (abs(a) + abs(d)):
        if a < 0:
            im = im.transpose(T.FLIP_LEFT_RIGHT)
        if d < 0:
            im = im.transpose(T.FLIP_TOP_BOTTOM)
        return im
    if abs(a) + abs(d) <= 1e-6 * (abs(b) + abs(c)):
        im = im.transpose(T.TRANSPOSE)
        if c > 0:
            im = im.transpose(T.FLIP_LEFT_RIGHT)
        if b > 0:
            im = im.transpose(T.FLIP_TOP_BOTTOM)
    return im


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _png_as_stored(xo: Any) -> bytes | None:
    """A Flate image with PNG predictors (how intake stores grey and
    black-and-white scans) is a PNG's IDAT as it is: wrapped, not decoded."""
    parms = xo.get("/DecodeParms")
    if parms is None or isinstance(parms, list) or xo.get("/Decode") is not None:
        return None
    parms = parms.get_object()
    width, height = int(xo["/Width"]), int(xo["/Height"])
    bits = int(xo.get("/BitsPerComponent", 8))
    space = {"/DeviceGray": (0, 1), "/DeviceRGB": (2, 3)}.get(str(xo.get("/ColorSpace")))
    if (
        space is None
        or int(parms.get("/Predictor", 1)) < 10
        or int(parms.get("/Colors", 1)) != space[1]
        or int(parms.get("/BitsPerComponent", 8)) != bits
        or int(parms.get("/Columns", 1)) != width
        or bits not in (1, 8)
        or (bits == 1 and space[0] != 0)
    ):
        return None
    head = struct.pack(">IIBBBBB", width, height, bits, space[0], 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", head)
        + _chunk(b"IDAT", xo._data)
        + _chunk(b"IEND", b"")
    )


def _image_bytes(xo: Any, m: Matrix) -> tuple[bytes, int, int]:
    """The image as PNG or JPEG bytes, upright, and its upright size."""
    filters = xo.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else [str(filters)]
    a, b, c, d = m[:4]
    plain = abs(b) + abs(c) < 1e-9 and a > 0 and d > 0
    if plain and names == ["/DCTDecode"] and str(xo.get("/ColorSpace")) != "/DeviceCMYK":
        return xo._data, int(xo["/Width"]), int(xo["/Height"])  # the JPEG as stored
    if plain and names == ["/FlateDecode"]:
        png = _png_as_stored(xo)
        if png is not None:
            return png, int(xo["/Width"]), int(xo["/Height"])
    im = xo.decode_as_image()
    if im.mode not in ("1", "L", "RGB"):
        im = im.convert("RGB")
    im = _upright(im, m)
    buf = io.BytesIO()
    im.save(buf, "PNG", compress_level=1)
    return buf.getvalue(), im.width, im.height


def page_images(reader: PdfReader, index: int) -> list[PageImage]:
    """The page's scan-sized images, ready for Tesseract."""
    page = reader.pages[index]
    scan = scan_page(reader, index)
    to_display = _display_matrix(page)
    to_user = _invert(to_display)
    out = []
    for xo, ctm in scan.images:
        if not _large(xo, ctm):
            continue
        m = multiply(ctm, to_display)
        xs, ys = zip(*(apply(m, u, v) for u, v in ((0, 0), (1, 0), (0, 1), (1, 1))), strict=True)
        data, w, h = _image_bytes(xo, m)
        out.append(PageImage(data, w, h, (min(xs), min(ys), max(xs), max(ys)), to_user))
    return out


# ---- recognition -------------------------------------------------------------------
class OcrFailed(Exception):
    """Tesseract could not read a page image (the message says why)."""


def _tesseract(
    exe: str,
    data: bytes,
    args: Sequence[str],
    on_start: Callable[[subprocess.Popen[bytes]], None] | None,
) -> str:
    """One Tesseract run on image bytes (stdin), single-threaded; its stdout."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        proc = subprocess.Popen(
            [exe, "stdin", "stdout", *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            creationflags=_spawn_flags(),
        )
    except OSError as exc:
        raise OcrFailed(f"Tesseract could not be started ({exc.strerror or exc}).") from exc
    if on_start is not None:
        on_start(proc)
    try:
        out, err = proc.communicate(data, timeout=PAGE_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        proc.kill()
        proc.communicate()
        raise OcrFailed(f"Tesseract took longer than {PAGE_TIMEOUT} s.") from exc
    if proc.returncode != 0:
        last = err.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
        raise OcrFailed(f"Tesseract stopped with exit code {proc.returncode}: {last[0]}")
    return out.decode("utf-8", "replace")


# A page read with a mean word confidence under this is read again the way
# Tesseract's orientation detection says it is turned (a landscape scan turned
# to portrait for the packet, a page scanned upside down).
SUSPECT_CONFIDENCE = 70.0


def recognise(
    image: PageImage,
    exe: str,
    languages: Sequence[str],
    *,
    on_start: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> list[Word]:
    """Words of one page image (Tesseract, single-threaded, TSV on stdout); a page
    that reads badly is turned upright first when Tesseract can tell how."""
    tsv_args = ["-l", "+".join(languages), "--dpi", str(image.dpi), "tsv"]
    tsv = _tesseract(exe, image.data, tsv_args, on_start)
    raw = list(_tsv_rows(tsv))
    # judged on every word, the noise too: a page read sideways is mostly noise
    read_as_is = _mean_confidence(list(_tsv_rows(tsv, 0.0)))
    if raw and read_as_is >= SUSPECT_CONFIDENCE:
        return [image.word(*r) for r in raw]
    turn = _orientation(exe, image, on_start)
    if turn:
        with Image.open(io.BytesIO(image.data)) as im:
            upright = im.rotate(-turn, expand=True)  # Tesseract's "Rotate": clockwise
            buf = io.BytesIO()
            upright.save(buf, "PNG", compress_level=1)
        tsv_turned = _tesseract(exe, buf.getvalue(), tsv_args, on_start)
        turned = list(_tsv_rows(tsv_turned))
        if turned and _mean_confidence(list(_tsv_rows(tsv_turned, 0.0))) > read_as_is:
            w, h = image.width, image.height
            return [
                image.word(t, *_unturn(turn, w, h, (x, y, bw, bh)), conf, (360 - turn) % 360)
                for t, x, y, bw, bh, conf in turned
            ]
    return [image.word(*r) for r in raw]


def _orientation(
    exe: str, image: PageImage, on_start: Callable[[subprocess.Popen[bytes]], None] | None
) -> int:
    """Degrees clockwise that turn the page upright (0, 90, 180, 270), from
    Tesseract's orientation detection; 0 when it cannot tell."""
    try:
        out = _tesseract(exe, image.data, ["--psm", "0", "--dpi", str(image.dpi)], on_start)
    except OcrFailed:
        return 0  # no osd.traineddata, or too little text to tell
    for line in out.splitlines():
        if line.startswith("Rotate:"):
            try:
                return int(line.split(":", 1)[1]) % 360
            except ValueError:
                return 0
    return 0


def _unturn(turn: int, w: int, h: int, box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """A word box (left, top, width, height) in the image turned ``turn`` degrees
    clockwise, as a box in the image as it was (``w`` x ``h``)."""
    left, top, bw, bh = box
    corners = ((left, top), (left + bw, top + bh))
    if turn == 90:
        pts = [(v, h - u) for u, v in corners]
    elif turn == 180:
        pts = [(w - u, h - v) for u, v in corners]
    elif turn == 270:
        pts = [(w - v, u) for u, v in corners]
    else:
        pts = list(corners)
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)


def _mean_confidence(rows: list[tuple[str, int, int, int, int, float]]) -> float:
    return sum(r[5] for r in rows) / len(rows) if rows else 0.0


def _tsv_rows(
    tsv: str, min_confidence: float = MIN_CONFIDENCE
) -> Iterator[tuple[str, int, int, int, int, float]]:
    """The words of Tesseract's TSV: text, left, top, width, height, confidence."""
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5":
            continue
        text = cols[11].strip()
        try:
            conf = float(cols[10])
            left, top, w, h = (int(v) for v in cols[6:10])
        except ValueError:
            continue
        if not text or conf < min_confidence:
            continue
        yield text, left, top, w, h, round(conf, 1)


def parse_tsv(tsv: str, image: PageImage) -> Iterator[Word]:
    for row in _tsv_rows(tsv):
        yield image.word(*row)


# ---- the page's own text -------------------------------------------------------------
def text_words(data: bytes, index: int, *, reader: PdfReader | None = None) -> list[Word]:
    """The words a page's own text draws, with boxes estimated from the text
    position and size (pypdf gives where a run of text starts, not each glyph)."""
    reader = reader or PdfReader(io.BytesIO(data))
    page = reader.pages[index]
    words: list[Word] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
        if not text.strip():
            return
        m = multiply(tuple(float(v) for v in tm), tuple(float(v) for v in cm))  # type: ignore[arg-type]
        scale = math.hypot(m[2], m[3]) or 1.0
        height = max(float(size or 1.0) * scale, 1.0)
        x, y = m[4], m[5]
        em = 0.5 * height
        pos = 0
        for raw in text.split(" "):
            token = raw.strip()
            if token:
                x0 = x + pos * em
                words.append(
                    Word(token, x0, y - 0.2 * height, x0 + len(token) * em, y + 0.8 * height)
                )
            pos += len(raw) + 1

    page.extract_text(visitor_text=visit)
    return words

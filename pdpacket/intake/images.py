"""Images (phone photos, scans, screenshots) to letter-size PDF pages.

Each frame becomes one 8.5x11 page.  The pixels are placed so the page shows
the picture the way the phone showed it (the EXIF orientation is applied by the
placement matrix, not by turning the pixels, which costs nothing), at no more
than 300 dpi (never upsampled), and encoded small:

- colour photos and colour scans: JPEG (decoded at reduced size with Pillow's
  ``draft()`` when the file is at least twice as large as needed); a JPEG that
  needs no resizing and weighs at most 200 KB (a 300x200 photo) is kept as
  it is, its metadata cut losslessly (``jpegstrip``);
- black-and-white scans: 1-bit CCITT G4 (Flate when G4 is unavailable);
- grayscale document scans and few-colour screenshots: lossless Flate, unless
  that is several times larger than a high-quality JPEG (noisy scans).

Scans (files that say they are 100-1200 dpi and are at most page-sized) are
placed at their real size, without margins (a landscape scan turned to
portrait, top to the left, as PDF pages are); photos and everything else are
fitted into the page with margins (0.5 inch sides, 0.75 inch top and bottom:
the top is where court fasteners go, the bottom where page numbers go).

The PDF is written directly (a few objects per page): no metadata, no EXIF,
nothing of the source but its pixels.
"""

from __future__ import annotations

import hashlib
import io
import logging
import struct
import warnings
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from PIL import Image, ImageChops, UnidentifiedImageError
from PIL.JpegImagePlugin import get_sampling

from pdpacket.errors import IntakeError
from pdpacket.intake.jpegstrip import kept_jpeg
from pdpacket.model import NormalisedFile
from pdpacket.pdf.syntax import number

log = logging.getLogger("pdpacket.images")

try:  # HEIC/HEIF, the iPhone default; optional at import so a broken wheel
    import pillow_heif  # never stops the app from reading JPEGs.

    pillow_heif.register_heif_opener()
    HEIF_AVAILABLE = True
except Exception:  # pragma: no cover - depends on the platform's wheel
    HEIF_AVAILABLE = False

PAGE_W, PAGE_H = 612.0, 792.0  # US letter, points
SIDE_MARGIN = 36.0
TOP_MARGIN = 54.0
BOTTOM_MARGIN = 54.0
TARGET_DPI = 300.0
MIN_SHOWN_DPI = 150.0  # a small image is shown smaller rather than blown up past this
MAX_SIDE = 30_000  # pixels; larger is not a photo or a scan
MAX_DECODED_PIXELS = 100_000_000  # what may be decoded at once (after draft())
MAX_FRAMES = 500
TALL_RATIO = 2.5  # height/width beyond which a picture is split over pages
SMALL_IMAGE_PX = 1000  # longest side below this: warn that it may not be legible
LANDSCAPE_RATIO = 1.02  # a scan wider than tall by more than this is turned (as PDF pages)

PHOTO_QUALITY = 60
PHOTO_QUALITY_LOW = 45
PHOTO_MAX_BITS_PER_PIXEL = 0.5
SCAN_JPEG_QUALITY = 75
FLATE_SMALL_ENOUGH = 600_000  # bytes a page: lossless whenever it is at most this
# A JPEG that needs no resizing is kept as it is when it weighs no more than a
# re-encoded 12-megapixel photo page does (~250 KB): small pictures keep every
# pixel, and a packet of mid-size photos does not grow; heavier ones are
# re-encoded as before (the e-filing edition can still reduce them all).
KEPT_MAX_BYTES = 200_000
FLATE_MAX_RATIO = 2.0  # lossless gray is kept unless > this many times a q75 JPEG

# Resizing is split into horizontal bands on two threads (Pillow releases the
# GIL while resampling); the result is identical to one resize.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="pdpacket-resize")

# EXIF orientation -> the affine map (a, b, c, d, e, f) that takes the stored
# image's unit square (PDF image space, row 0 at the top) to the upright one.
ORIENTATION_MATRIX: dict[int, tuple[float, float, float, float, float, float]] = {
    1: (1, 0, 0, 1, 0, 0),
    2: (-1, 0, 0, 1, 1, 0),  # mirrored left-right
    3: (-1, 0, 0, -1, 1, 1),  # upside down
    4: (1, 0, 0, -1, 0, 1),  # mirrored top-bottom
    5: (0, -1, -1, 0, 1, 1),  # transposed
    6: (0, -1, 1, 0, 0, 1),  # turned: shown rotated 90 degrees clockwise
    7: (0, 1, 1, 0, 0, 0),  # transversed
    8: (0, 1, -1, 0, 1, 0),  # shown rotated 90 degrees counter-clockwise
}


@dataclass(frozen=True)
class EncodedImage:
    """One image XObject, ready to be written into a PDF."""

    width: int
    height: int
    colorspace: bytes  # e.g. b"/DeviceRGB" or b"[/Indexed /DeviceRGB 15 <...>]"
    bits: int
    filter: bytes  # b"/DCTDecode", b"/FlateDecode", b"/CCITTFaxDecode"
    parms: bytes  # the /DecodeParms dictionary, or b""
    data: bytes
    how: str  # "jpeg", "g4", "flate-gray", ... (for logs, tests and benchmarks)


@dataclass(frozen=True)
class PlacedImage:
    image: EncodedImage
    matrix: tuple[float, float, float, float, float, float]


@dataclass(frozen=True)
class _Layout:
    stored_target: tuple[int, int]  # pixel size to encode, in the stored orientation
    matrix: tuple[float, float, float, float, float, float]


# What Pillow's decoders raise on damaged or hostile files (TIFF tags out of range
# raise TypeError/KeyError, truncated headers struct.error...).
_DAMAGED_IMAGE_ERRORS: tuple[type[BaseException], ...] = (
    UnidentifiedImageError,
    OSError,
    ValueError,
    SyntaxError,
    EOFError,
    TypeError,
    KeyError,
    IndexError,
    ZeroDivisionError,
    AttributeError,
    struct.error,
)


# ---------------------------------------------------------------- entry point
def normalise_image(
    name: str, data: bytes, kind: str, *, keep_original_size: bool = False
) -> NormalisedFile:
    """Every frame of the image as a letter page (or one page of its own size)."""
    if kind == "heic" and not HEIF_AVAILABLE:  # pragma: no cover - platform dependent
        raise IntakeError(
            name,
            "HEIC photos cannot be read on this computer (pillow-heif is missing).",
            hint="On the iPhone, set Camera > Formats > Most Compatible, or share the "
            "photo as JPEG, and add the JPEG.",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
        pages: list[tuple[PlacedImage, tuple[float, float]]] = []
        notes: list[str] = []
        frames = _frame_count(im, kind)
        if frames > MAX_FRAMES:
            raise IntakeError(
                name,
                f"the image has {frames} pages; pdpacket takes at most {MAX_FRAMES}.",
                hint="Split it into smaller files and add them one by one.",
            )
        if kind in ("gif", "webp", "png") and frames > 1:
            notes.append(
                f"{name} is an animation ({frames} frames); only its first frame was added."
            )
            frames = 1
        for index in range(frames):
            if index:
                im.seek(index)
            pages.extend(
                _frame_page(
                    name, im, kind, keep_original_size, notes, single_frame=frames == 1, data=data
                )
            )
    except IntakeError:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_big(name, str(exc)) from exc
    except _DAMAGED_IMAGE_ERRORS as exc:
        raise IntakeError(
            name,
            f"the image is damaged or incomplete and cannot be read ({exc}).",
            hint="Open it on the phone or computer it came from and export it again "
            "as JPEG or PDF, or ask the client to send it again.",
        ) from exc
    except MemoryError as exc:
        raise _too_big(name, "not enough memory to open it") from exc
    pdf = write_image_pdf(pages)
    return NormalisedFile(pdf=pdf, pages=len(pages), kind=kind, warnings=tuple(notes))


def _frame_count(im: Image.Image, kind: str) -> int:
    try:
        return max(1, int(getattr(im, "n_frames", 1)))
    except (OSError, ValueError):
        return 1


def _too_big(name: str, detail: str) -> IntakeError:
    return IntakeError(
        name,
        f"the image is far too large to be a photo or a scan ({detail}).",
        hint="If it is a real document, open it in an image editor, save it at a normal "
        "size (e.g. 4000 pixels on the long side) and add that file.",
    )


# ---------------------------------------------------------------- one frame
def _frame_page(
    name: str,
    im: Image.Image,
    kind: str,
    keep_original_size: bool,
    notes: list[str],
    *,
    single_frame: bool = False,
    data: bytes = b"",
) -> list[tuple[PlacedImage, tuple[float, float]]]:
    w, h = im.size
    if w < 1 or h < 1 or w > MAX_SIDE or h > MAX_SIDE:
        raise _too_big(name, f"{w} x {h} pixels")
    if max(w, h) / min(w, h) > 50:
        raise IntakeError(
            name,
            f"the image is {w} x {h} pixels: far too thin to be read on a page.",
            hint="Crop it to the part that matters, or take a screenshot of each "
            "screenful, and add those.",
        )
    orientation = _orientation(im, kind)
    disp = (h, w) if orientation in (5, 6, 7, 8) else (w, h)
    page, layout = _layout(disp, _dpi(im), orientation, keep_original_size)

    if max(w, h) < SMALL_IMAGE_PX:
        notes.append(
            f"{name} is a small image ({w} x {h} pixels): check that it is legible, "
            "or ask for a better copy."
        )
    if orientation == 1 and not keep_original_size and h / w > TALL_RATIO:
        return _tall_pages(name, im, kind, notes)
    if kind == "jpeg" and data and single_frame and layout.stored_target == (w, h):
        kept = _kept_jpeg(data, im)
        if kept is not None:
            return [(PlacedImage(kept, layout.matrix), page)]
    if data and single_frame and _split_decode_fits(im, kind, layout.stored_target):
        work = _decode_jpeg_split(data, layout.stored_target)
        encoded = _encode_jpeg(work, PHOTO_QUALITY, photo=True)
        return [(PlacedImage(encoded, layout.matrix), page)]
    if kind == "jpeg" and im.mode in ("RGB", "L", "CMYK"):
        # Decode at 1/2, 1/4 or 1/8 size straight from the DCT data when that is
        # still at least the size we need: far less time and memory than full size.
        im.draft("YCbCr" if im.mode == "RGB" else im.mode, layout.stored_target)
    if im.size[0] * im.size[1] > MAX_DECODED_PIXELS:
        raise _too_big(name, f"{w} x {h} pixels, {w * h / 1e6:.0f} megapixels")
    im.load()
    work = _to_workable_mode(im)
    one_bit = work.mode == "1"
    if work.size != layout.stored_target:
        work = _resize(work, layout.stored_target)
        if single_frame:
            im.close()  # free the full-size pixels now, not after encoding (peak memory)
        if one_bit:  # resampled as gray: back to black and white
            work = work.point(lambda v: 255 if v >= 128 else 0).convert("1")
    encoded = encode_image(work, source_kind=kind)
    log.debug(
        "%s: %s %dx%d, %d bytes",
        name,
        encoded.how,
        encoded.width,
        encoded.height,
        len(encoded.data),
    )
    return [(PlacedImage(encoded, layout.matrix), page)]


def _kept_jpeg(data: bytes, im: Image.Image) -> EncodedImage | None:
    """A JPEG that needs no resizing, as it is: its pixels untouched, its
    metadata cut losslessly (``jpegstrip``); ``None`` to re-encode instead (CMYK,
    an odd structure, or heavier than a photo page may be)."""
    if im.mode not in ("RGB", "L"):
        return None
    w, h = im.size
    stripped = kept_jpeg(data, im.size, im.mode)
    if stripped is None or len(stripped) > KEPT_MAX_BYTES:
        return None
    gray = im.mode == "L"
    return EncodedImage(
        width=w,
        height=h,
        colorspace=b"/DeviceGray" if gray else b"/DeviceRGB",
        bits=8,
        filter=b"/DCTDecode",
        parms=b"",
        data=stripped,
        how="jpeg-kept",
    )


def _tall_pages(
    name: str, im: Image.Image, kind: str, notes: list[str]
) -> list[tuple[PlacedImage, tuple[float, float]]]:
    """A long screenshot (a text conversation, a receipt) over several pages at a
    readable size, top to bottom, each slice repeating the end of the one before."""
    w, h = im.size
    if w * h > MAX_DECODED_PIXELS:
        raise _too_big(name, f"{w} x {h} pixels, {w * h / 1e6:.0f} megapixels")
    im.load()
    work = _to_workable_mode(im)
    if work.mode == "1":
        work = work.convert("L")
    box_w = PAGE_W - 2 * SIDE_MARGIN
    box_h = PAGE_H - TOP_MARGIN - BOTTOM_MARGIN
    s = min(box_w / w, 72.0 / MIN_SHOWN_DPI)  # points per pixel
    slice_h = max(1, int(box_h / s))
    overlap = max(1, slice_h // 12)  # about a chat bubble or a few lines of text
    step = slice_h - overlap
    count = max(1, -(-(h - overlap) // step))
    k = min(1.0, s / 72 * TARGET_DPI)  # never more than 300 dpi
    pages: list[tuple[PlacedImage, tuple[float, float]]] = []
    for i in range(count):
        y0 = i * step
        y1 = min(h, y0 + slice_h)
        part = work.crop((0, y0, w, y1))
        if k < 1:
            part = _resize(part, (max(1, round(w * k)), max(1, round((y1 - y0) * k))))
        encoded = encode_image(part, source_kind=kind)
        pw, ph = w * s, (y1 - y0) * s
        x, y = (PAGE_W - pw) / 2, PAGE_H - TOP_MARGIN - ph
        pages.append((PlacedImage(encoded, (pw, 0, 0, ph, x, y)), (PAGE_W, PAGE_H)))
    notes.append(
        f"{name} is a long image ({w} x {h} pixels): it was split over {count} pages, "
        "top to bottom, each repeating the last lines of the one before."
    )
    return pages


def _split_decode_fits(im: Image.Image, kind: str, target: tuple[int, int]) -> bool:
    """A colour phone JPEG (4:2:0) that must shrink by less than half: draft() cannot
    help, so decode the luma at full size and the colour at half size instead."""
    if kind != "jpeg" or im.mode != "RGB" or get_sampling(im) != 2:
        return False
    w, h = im.size
    return bool(w // 2 < target[0] < w and h // 2 < target[1] < h)


def _decode_jpeg_split(data: bytes, target: tuple[int, int]) -> Image.Image:
    """The JPEG at ``target`` size, as YCbCr, on two threads.

    A phone JPEG stores its colour (Cb, Cr) at half resolution (4:2:0), and the
    output JPEG stores it at half resolution again; only the luma (Y) needs the
    full-size decode.  So: Y is decoded at full size and resized on a worker
    while the colour is decoded at half size (what the file holds) here.  About
    half the memory of a full RGB decode, and both cores busy.
    """

    def luma() -> Image.Image:
        y = Image.open(io.BytesIO(data))
        y.draft("L", None)
        y.load()
        out = y.resize(target, Image.Resampling.BOX)  # area average: sharp text, fast
        y.close()
        return out

    future = _POOL.submit(luma)
    c = Image.open(io.BytesIO(data))
    c.draft("YCbCr", (c.size[0] // 2, c.size[1] // 2))
    c.load()
    _, cb, cr = c.split()
    c.close()
    half = ((target[0] + 1) // 2, (target[1] + 1) // 2)
    planes = [
        p.resize(half, Image.Resampling.BILINEAR).resize(target, Image.Resampling.NEAREST)
        for p in (cb, cr)
    ]
    del cb, cr
    return Image.merge("YCbCr", (future.result(), *planes))


def _orientation(im: Image.Image, kind: str) -> int:
    if kind == "heic":  # pillow-heif has already turned the pixels upright
        return 1
    try:
        value = int(im.getexif().get(0x0112, 1))
    except Exception:  # a broken EXIF block must not stop the import
        return 1
    return value if value in ORIENTATION_MATRIX else 1


def _dpi(im: Image.Image) -> tuple[float, float] | None:
    raw = im.info.get("dpi")
    try:
        if raw and len(raw) == 2:
            x, y = float(raw[0]), float(raw[1])
            if 100 <= x <= 1200 and 100 <= y <= 1200:
                return x, y
    except (TypeError, ValueError):
        pass
    return None


def _layout(
    disp: tuple[int, int],
    dpi: tuple[float, float] | None,
    orientation: int,
    keep_original_size: bool,
) -> tuple[tuple[float, float], _Layout]:
    """Where the upright picture goes on the page, and the pixels it needs."""
    dw, dh = disp
    physical = (dw / dpi[0] * 72, dh / dpi[1] * 72) if dpi else None
    turn = False
    if keep_original_size and physical:
        page = physical
        box_w, box_h = physical
        x = y = 0.0
    else:
        page = (PAGE_W, PAGE_H)
        if physical and physical[0] > physical[1] * LANDSCAPE_RATIO:
            # a landscape scan (a pay stub): turned a quarter to portrait, top to the
            # left, as PDF pages and the packet turn one, instead of shrinking across
            turn = physical[1] <= PAGE_W * 1.45 and physical[0] <= PAGE_H * 1.45
        if turn and physical:
            s = min(1.0, PAGE_W / physical[1], PAGE_H / physical[0])
            box_w, box_h = physical[1] * s, physical[0] * s
        elif physical and physical[0] <= PAGE_W * 1.45 and physical[1] <= PAGE_H * 1.45:
            # A scan: its real size when that fits, else fitted to the whole page.
            s = min(1.0, PAGE_W / physical[0], PAGE_H / physical[1])
            box_w, box_h = physical[0] * s, physical[1] * s
        else:
            avail_w = PAGE_W - 2 * SIDE_MARGIN
            avail_h = PAGE_H - TOP_MARGIN - BOTTOM_MARGIN
            s = min(avail_w / dw, avail_h / dh, 72.0 / MIN_SHOWN_DPI)
            box_w, box_h = dw * s, dh * s
        x = (PAGE_W - box_w) / 2
        y = BOTTOM_MARGIN + (PAGE_H - TOP_MARGIN - BOTTOM_MARGIN - box_h) / 2
        if box_h > PAGE_H - TOP_MARGIN - BOTTOM_MARGIN:
            y = (PAGE_H - box_h) / 2
    # pixels needed: never more than the source has, never more than 300 dpi
    across, up = (box_h, box_w) if turn else (box_w, box_h)  # the picture's width, height
    k = min(1.0, across / 72 * TARGET_DPI / dw, up / 72 * TARGET_DPI / dh)
    tw, th = max(1, round(dw * k)), max(1, round(dh * k))
    stored = (th, tw) if orientation in (5, 6, 7, 8) else (tw, th)
    a, b, c, d, e, f = ORIENTATION_MATRIX[orientation]
    if turn:  # then (u, v) -> (1 - v, u): the upright picture's top to the left
        a, b, c, d, e, f = -b, a, -d, c, 1 - f, e
    matrix = (a * box_w, b * box_h, c * box_w, d * box_h, e * box_w + x, f * box_h + y)
    return page, _Layout(stored, matrix)


def _to_workable_mode(im: Image.Image) -> Image.Image:
    """RGB, YCbCr, L or 1; transparency flattened onto white paper."""
    mode = im.mode
    if mode in ("RGB", "YCbCr", "L", "1"):
        return im
    if mode == "P":
        has_alpha = "transparency" in im.info
        im = im.convert("RGBA" if has_alpha else "RGB")
        mode = im.mode
    if mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        # 16-bit and float scans: stretch to 8 bits
        extrema: Any = im.getextrema()
        lo, hi = float(extrema[0]), float(extrema[1])
        span = (hi - lo) or 1.0
        return im.point(lambda v: (v - lo) * 255.0 / span).convert("L")
    if mode == "CMYK":
        return im.convert("RGB")  # Pillow already un-inverts Adobe CMYK JPEGs
    return im.convert("RGB")


def _resize(im: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Downsample (never up), splitting the work over two threads."""
    src = im.convert("L") if im.mode == "1" else im
    sw, sh = src.size
    tw, th = size
    fx, fy = sw / tw, sh / th
    if fx == fy and fx == int(fx) and fx > 1:
        return src.reduce(int(fx))
    resample = Image.Resampling.LANCZOS if src.mode == "L" else Image.Resampling.BILINEAR
    if tw * th < 2_000_000:
        return src.resize(size, resample)
    cut = th // 2

    def band(y0: int, y1: int) -> Image.Image:
        return src.resize((tw, y1 - y0), resample, box=(0, y0 * fy, sw, y1 * fy))

    top = _POOL.submit(band, 0, cut)
    bottom = band(cut, th)
    out = Image.new(src.mode, size)
    out.paste(bottom, (0, cut))
    del bottom
    out.paste(top.result(), (0, 0))
    return out


# ---------------------------------------------------------------- encoding
def encode_image(im: Image.Image, *, source_kind: str = "") -> EncodedImage:
    """The smallest faithful encoding: G4 for 1-bit, Flate for gray documents and
    few-colour pictures, JPEG for photos."""
    if im.mode == "1":
        return _encode_g4(im)
    if im.mode in ("RGB", "YCbCr"):
        if source_kind != "jpeg":
            if _is_gray(im):
                return encode_image(im.convert("L"), source_kind=source_kind)
            palette = _encode_palette(im)
            if palette is not None:
                return palette
        return _encode_jpeg(im, PHOTO_QUALITY, photo=True)
    if im.mode == "L":
        if source_kind != "jpeg":
            if _flate_pays_off(im):
                return _encode_flate(im, b"/DeviceGray", 1, "flate-gray")
            if _looks_like_document(im):
                # A noisy scan: lossless would be several MB a page (over the court's
                # 25 MB per document after a few pages); a good JPEG keeps the text.
                return _encode_jpeg(im, SCAN_JPEG_QUALITY, photo=False)
        return _encode_jpeg(im, PHOTO_QUALITY, photo=True)
    return encode_image(im.convert("RGB"), source_kind=source_kind)


def _is_gray(im: Image.Image) -> bool:
    small = im.convert("RGB").reduce(max(1, min(im.size) // 256))
    r, g, b = small.split()
    spreads: list[Any] = [
        ImageChops.difference(r, g).getextrema(),
        ImageChops.difference(g, b).getextrema(),
    ]
    return bool(max(int(e[1]) for e in spreads) <= 10)


def _looks_like_document(im: Image.Image) -> bool:
    """Mostly paper and ink (a text scan), rather than a gray photograph."""
    hist = im.histogram()
    total = sum(hist) or 1
    extreme = sum(hist[:64]) + sum(hist[192:])
    return extreme / total >= 0.9


def _flate_pays_off(im: Image.Image) -> bool:
    """Lossless unless, on a band of the page, it is over FLATE_MAX_RATIO times a
    q75 JPEG (sensor noise does not compress losslessly)."""
    w, h = im.size
    band_h = min(h, 384)
    y0 = (h - band_h) // 2
    band = im.crop((0, y0, w, y0 + band_h))
    flate = len(zlib.compress(band.tobytes(), 1))
    if flate * h / band_h <= FLATE_SMALL_ENOUGH:
        return True
    buf = io.BytesIO()
    band.save(buf, "JPEG", quality=SCAN_JPEG_QUALITY)
    return flate <= FLATE_MAX_RATIO * len(buf.getvalue())


def _encode_jpeg(im: Image.Image, quality: int, *, photo: bool) -> EncodedImage:
    def save(q: int) -> bytes:
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=q, subsampling=2 if photo else 0, optimize=False)
        return buf.getvalue()

    data = save(quality)
    budget = im.size[0] * im.size[1] * PHOTO_MAX_BITS_PER_PIXEL / 8
    if photo and len(data) > budget:
        data = save(PHOTO_QUALITY_LOW)
    gray = im.mode == "L"
    return EncodedImage(
        width=im.size[0],
        height=im.size[1],
        colorspace=b"/DeviceGray" if gray else b"/DeviceRGB",
        bits=8,
        filter=b"/DCTDecode",
        parms=b"",
        data=data,
        how="jpeg-gray" if gray else "jpeg",
    )


def _png_idat(im: Image.Image) -> bytes:
    """The zlib stream of a PNG: exactly FlateDecode with PNG predictors."""
    buf = io.BytesIO()
    im.save(buf, "PNG", compress_level=6)
    png = buf.getvalue()
    out = bytearray()
    pos = 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        ctype = png[pos + 4 : pos + 8]
        if ctype == b"IDAT":
            out += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return bytes(out)


def _encode_flate(im: Image.Image, colorspace: bytes, colors: int, how: str) -> EncodedImage:
    bits = 1 if im.mode == "1" else 8
    parms = b"<< /Predictor 15 /Colors %d /BitsPerComponent %d /Columns %d >>" % (
        colors,
        bits,
        im.size[0],
    )
    return EncodedImage(
        im.size[0], im.size[1], colorspace, bits, b"/FlateDecode", parms, _png_idat(im), how
    )


def _encode_palette(im: Image.Image) -> EncodedImage | None:
    """Screenshots and diagrams with at most 256 colours: lossless and small.  The
    palette is exactly the image's colours (padded with its first colour), so each
    pixel maps to its own colour."""
    rgb = im.convert("RGB")
    colors = rgb.getcolors(256)
    if colors is None:
        return None
    rgbs: list[tuple[int, int, int]] = [tuple(c[1]) for c in colors]  # type: ignore[misc, arg-type]
    flat = [v for color in rgbs for v in color]
    flat += list(rgbs[0]) * (256 - len(rgbs))
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat)
    pal = rgb.quantize(palette=palette, dither=Image.Dither.NONE)
    cs = b"[/Indexed /DeviceRGB 255 <%s>]" % bytes(flat).hex().encode()
    parms = b"<< /Predictor 15 /Colors 1 /BitsPerComponent 8 /Columns %d >>" % pal.size[0]
    return EncodedImage(
        pal.size[0], pal.size[1], cs, 8, b"/FlateDecode", parms, _png_idat(pal), "flate-palette"
    )


def _encode_g4(im: Image.Image) -> EncodedImage:
    """CCITT Group 4 through Pillow's libtiff: one strip, taken out of the TIFF."""
    try:
        buf = io.BytesIO()
        im.save(buf, "TIFF", compression="group4", strip_size=1 << 30)
        tif: Any = Image.open(io.BytesIO(buf.getvalue()))
        offsets = tif.tag_v2.get(273)
        counts = tif.tag_v2.get(279)
        photometric = tif.tag_v2.get(262, 0)
        if offsets is None or counts is None or len(offsets) != 1:
            raise ValueError("G4 did not come out as one strip")
        data = buf.getvalue()[offsets[0] : offsets[0] + counts[0]]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.info("G4 encoding unavailable (%s); using Flate", exc)
        return _encode_flate(im, b"/DeviceGray", 1, "flate-1bit")
    black_is_1 = b"true" if photometric == 1 else b"false"
    parms = b"<< /K -1 /Columns %d /Rows %d /BlackIs1 %s >>" % (im.size[0], im.size[1], black_is_1)
    return EncodedImage(
        im.size[0], im.size[1], b"/DeviceGray", 1, b"/CCITTFaxDecode", parms, data, "g4"
    )


# ---------------------------------------------------------------- the PDF
def write_image_pdf(pages: list[tuple[PlacedImage, tuple[float, float]]]) -> bytes:
    """A minimal, valid PDF: one image per page, nothing else (no /Info, no XMP)."""
    objects: list[bytes] = []  # object n is objects[n - 1]

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    add(b"<< /Type /Catalog /Pages 2 0 R >>")
    add(b"")  # the page tree, filled in below
    kids: list[int] = []
    for placed, (pw, ph) in pages:
        img = placed.image
        head = b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s " % (
            img.width,
            img.height,
            img.colorspace,
        )
        head += b"/BitsPerComponent %d /Filter %s " % (img.bits, img.filter)
        if img.parms:
            head += b"/DecodeParms " + img.parms + b" "
        head += b"/Length %d >>" % len(img.data)
        image_obj = add(head + b"\nstream\n" + img.data + b"\nendstream")
        cm = b" ".join(number(v) for v in placed.matrix)
        content = zlib.compress(b"q " + cm + b" cm /Im0 Do Q")
        content_obj = add(
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
            + content
            + b"\nendstream"
        )
        kids.append(
            add(
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %s %s] "
                b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                % (number(pw), number(ph), image_obj, content_obj)
            )
        )
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    file_id = hashlib.sha256(bytes(out)).hexdigest()[:32].encode()
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        file_id,
        file_id,
        xref,
    )
    return bytes(out)


__all__ = [
    "HEIF_AVAILABLE",
    "ORIENTATION_MATRIX",
    "EncodedImage",
    "PlacedImage",
    "encode_image",
    "normalise_image",
    "write_image_pdf",
]

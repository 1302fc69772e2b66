"""Fonts and text measurement shared by everything that draws text on a page:
the embedded Liberation fonts (resources/fonts, SIL OFL) registered with
reportlab once per process, and string widths for them."""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SERIF = "PdpSerif"
SERIF_BOLD = "PdpSerif-Bold"
SERIF_ITALIC = "PdpSerif-Italic"
SANS = "PdpSans"
SANS_BOLD = "PdpSans-Bold"
_FONT_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SANS: "LiberationSans-Regular.ttf",
    SANS_BOLD: "LiberationSans-Bold.ttf",
}


@functools.cache
def register_fonts() -> None:
    """Register the embedded fonts with reportlab (once per process)."""
    folder = resources.files("pdpacket.resources").joinpath("fonts")
    for name, filename in _FONT_FILES.items():
        with resources.as_file(folder.joinpath(filename)) as path:
            pdfmetrics.registerFont(TTFont(name, str(path), asciiReadable=True))


def text_width(text: str, font: str, size: float) -> float:
    register_fonts()
    return float(pdfmetrics.stringWidth(text, font, size))


@functools.cache
def _sans_widths() -> dict[str, float]:
    register_fonts()
    return {chr(c): pdfmetrics.stringWidth(chr(c), SANS, 1.0) for c in range(32, 127)}


def stamp_text_width(text: str, size: float) -> float:
    """Width of a stamp (ASCII, Liberation Sans): a table look-up, as it runs per page."""
    widths = _sans_widths()
    try:
        return size * sum(widths[ch] for ch in text)
    except KeyError:
        return text_width(text, SANS, size)


# ---- glyph outlines ------------------------------------------------------------------
Point = tuple[float, float]


@functools.cache
def outline_path(text: str, font: str = SANS_BOLD) -> bytes:
    """``text`` as PDF path operators (``m``/``l``/``c``/``h``, no painting) in
    units of the type size: 1.0 is one em, the baseline at y = 0.

    A mark drawn as a path is seen but never read as text: search, pdftotext
    and screen readers skip it (the draft mark's big diagonal word, whose text
    already stands in its header line).  Only simple glyphs (the Latin capitals
    of the Liberation fonts) are drawn; any other character leaves a gap."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    register_fonts()
    folder = resources.files("pdpacket.resources").joinpath("fonts")
    with resources.as_file(folder.joinpath(_FONT_FILES[font])) as path:
        face = TTFontFile(str(path))
        data = path.read_bytes()
    glyf = face.table["glyf"]["offset"]
    em = float(face.unitsPerEm)
    ops: list[bytes] = []
    x = 0.0
    for ch in text:
        gid = face.charToGlyph.get(ord(ch), 0)
        start, end = face.glyphPos[gid], face.glyphPos[gid + 1]
        for contour in _contours(data[glyf + start : glyf + end]):
            ops.append(_contour_ops(contour, x, em))
        x += face.hmetrics[gid][0] if gid < len(face.hmetrics) else face.defaultWidth
    return b"".join(ops)


def _contours(glyph: bytes) -> list[list[tuple[float, float, bool]]]:
    """The contours of a simple TrueType glyph: (x, y, on the curve) points."""
    if len(glyph) < 10:
        return []
    (n,) = struct.unpack(">h", glyph[:2])
    if n <= 0:  # empty, or a composite glyph (not needed for capitals)
        return []
    ends = struct.unpack(f">{n}H", glyph[10 : 10 + 2 * n])
    pos = 10 + 2 * n
    (skip,) = struct.unpack(">H", glyph[pos : pos + 2])
    pos += 2 + skip
    count = ends[-1] + 1
    flags: list[int] = []
    while len(flags) < count:
        f = glyph[pos]
        pos += 1
        flags.append(f)
        if f & 8:  # repeated
            flags.extend([f] * glyph[pos])
            pos += 1
    coords: list[list[int]] = []
    for short, same in ((2, 16), (4, 32)):
        values, v = [], 0
        for f in flags[:count]:
            if f & short:
                d = glyph[pos]
                pos += 1
                v += d if f & same else -d
            elif not f & same:
                (d,) = struct.unpack(">h", glyph[pos : pos + 2])
                pos += 2
                v += d
            values.append(v)
        coords.append(values)
    points = [(float(x), float(y), bool(f & 1)) for x, y, f in zip(*coords, flags, strict=False)]
    out, first = [], 0
    for end in ends:
        out.append(points[first : end + 1])
        first = end + 1
    return out


def _contour_ops(contour: list[tuple[float, float, bool]], dx: float, em: float) -> bytes:
    """One closed contour (quadratic B-spline) as PDF path operators."""

    def pt(p: Point) -> bytes:
        return b"%.4f %.4f" % ((p[0] + dx) / em, p[1] / em)

    # start on an on-curve point (or between two off-curve ones)
    k = next((i for i, p in enumerate(contour) if p[2]), None)
    if k is None:
        a, b = contour[0], contour[1 % len(contour)]
        contour = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2, True), *contour]
        k = 0
    pts = contour[k:] + contour[:k]
    start: Point = (pts[0][0], pts[0][1])
    ops = [pt(start) + b" m"]
    cur, ctrl = start, None
    for x, y, on in [*pts[1:], pts[0]]:
        p = (x, y)
        if on:
            if ctrl is None:
                ops.append(pt(p) + b" l")
            else:
                ops.append(_quad(cur, ctrl, p, pt))
                ctrl = None
            cur = p
        elif ctrl is None:
            ctrl = p
        else:  # two off-curve points: an implied on-curve point halfway
            mid = ((ctrl[0] + x) / 2, (ctrl[1] + y) / 2)
            ops.append(_quad(cur, ctrl, mid, pt))
            cur, ctrl = mid, p
    ops.append(b"h")
    return b"\n".join(ops) + b"\n"


def _quad(p0: Point, c: Point, p1: Point, pt: Callable[[Point], bytes]) -> bytes:
    """A quadratic Bézier as the cubic PDF draws."""
    c1 = (p0[0] + 2 / 3 * (c[0] - p0[0]), p0[1] + 2 / 3 * (c[1] - p0[1]))
    c2 = (p1[0] + 2 / 3 * (c[0] - p1[0]), p1[1] + 2 / 3 * (c[1] - p1[1]))
    return b" ".join((pt(c1), pt(c2), pt(p1), b"c"))

"""Page stamps: where each imported page goes on the packet page, and the small
content stream that prints its number and exhibit label.

No pypdf here: plain geometry and bytes, so the rules can be tested alone.

Why every imported page is scaled a little (instead of measuring its margins):
the stamp band at the bottom (``BAND`` points) must never cover evidence.
Finding the free margin of a page means parsing its whole content stream (as
slow as the rest of the build together) and still guessing wrong for scans,
whose image covers the page edge to edge even when the paper margin is white.
So every imported page is fitted into the area above the band: a letter-size
page is drawn at 93.2 % (12-point type prints at 11.2 points), centred, which
leaves the band and thin side margins free on every page, whatever it holds.
The band is three quarters of an inch: the stamps in it stay half an inch
(``PRINT_MARGIN``) from every edge of the paper, where office printers cannot
print and fasteners punch, with a little air above them.
The cost is one shared ``cm`` per page, nothing per byte of content.
Pages pdpacket draws itself (cover, index, tabs, certificates) keep the band
free by layout and are not scaled; so are the letter's pages when a
``LetterSource`` renders them (its contract).

Rotated and landscape pages: the page is first turned the way a viewer shows
it (``/Rotate``), then a landscape page is turned a quarter to portrait with
its top to the left (as it sits in a binder), then fitted.  The packet page is
always an upright 612 x 792 page with no ``/Rotate``, so the stamp is drawn in
plain page coordinates and prints at the bottom of the paper on every page.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from pdpacket.model import NumberingStyle
from pdpacket.pdf import syntax
from pdpacket.pdf.text import SANS_BOLD, outline_path, stamp_text_width
from pdpacket.pdf.text import text_width as font_text_width

PAGE_W = 612.0
PAGE_H = 792.0
# Nothing pdpacket stamps (numbers, labels, the draft mark) or draws at a page's
# edge (tab boxes) comes nearer than half an inch to any edge of the paper.
PRINT_MARGIN = 36.0
# The stamps' baseline: their descenders (0.21 of the size) stay above the margin.
STAMP_BASELINE = PRINT_MARGIN + 4.0
BAND = 54.0  # bottom band kept for the page number and exhibit label (their tops ~47.3)
TOP_CLEAR = 72.0  # the top inch stays clear for two-hole fasteners
NUMBER_SIZE = 10.0
LABEL_SIZE = 9.0
LABEL_RIGHT = PAGE_W - PRINT_MARGIN - 4.0
FONT_RESOURCE = "/PdpStamp"  # the name the stamp font gets in each page's resources

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def multiply(m1: Matrix, m2: Matrix) -> Matrix:
    """The transform that applies ``m1`` first, then ``m2`` (PDF row-vector order)."""
    a1, b1, c1, d1, e1, f1 = m1
    a2, b2, c2, d2, e2, f2 = m2
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


@dataclass(frozen=True)
class Placement:
    """How one source page lands on its packet page."""

    matrix: Matrix  # source user space -> packet page space
    clip: tuple[float, float, float, float]  # the source's visible box (x0, y0, x1, y1)
    scale: float
    turned: bool  # a landscape page turned a quarter to portrait

    @functools.cached_property
    def prefix(self) -> bytes:
        """The content that opens the page: save state, place, clip to the visible box."""
        if self.matrix == IDENTITY and self.clip == (0.0, 0.0, PAGE_W, PAGE_H):
            return b"q\n"
        x0, y0, x1, y1 = self.clip
        nums = b" ".join(syntax.number(v) for v in self.matrix)
        box = b" ".join(syntax.number(v) for v in (x0, y0, x1 - x0, y1 - y0))
        return b"q %s cm %s re W n\n" % (nums, box)


def is_letter(box: tuple[float, float, float, float], rotate: int) -> bool:
    x0, y0, x1, y1 = box
    return rotate % 360 == 0 and abs(x1 - x0 - PAGE_W) < 0.5 and abs(y1 - y0 - PAGE_H) < 0.5


@functools.lru_cache(maxsize=256)
def place(
    box: tuple[float, float, float, float], rotate: int, *, fit: bool = True, top: float = 0.0
) -> Placement:
    """Where a source page with visible ``box`` and ``/Rotate`` goes.

    ``fit=False`` keeps an upright letter-size page as it is (pages laid out
    with the stamp band free); any other page is fitted whatever ``fit`` says.
    ``top`` keeps that many points at the top free as well (the print edition
    clears the top inch, ``TOP_CLEAR``, for two-hole fasteners).
    """
    x0, y0, x1, y1 = (float(v) for v in box)
    if x1 < x0:
        x0, x1 = x1, x0
    if y1 < y0:
        y0, y1 = y1, y0
    w, h = max(x1 - x0, 1.0), max(y1 - y0, 1.0)
    r = rotate % 360
    if r not in (0, 90, 180, 270):
        r = 0
    to_display: Matrix
    if r == 0:
        to_display, dw, dh = (1.0, 0.0, 0.0, 1.0, -x0, -y0), w, h
    elif r == 90:
        to_display, dw, dh = (0.0, -1.0, 1.0, 0.0, -y0, x1), h, w
    elif r == 180:
        to_display, dw, dh = (-1.0, 0.0, 0.0, -1.0, x1, y1), w, h
    else:
        to_display, dw, dh = (0.0, 1.0, -1.0, 0.0, y1, -x0), h, w
    clip = (x0, y0, x1, y1)
    if not fit and is_letter(clip, r):
        return Placement(to_display, clip, 1.0, False)
    m = to_display
    turned = dw > dh * 1.02
    if turned:  # landscape: a quarter turn counter-clockwise, top to the left
        m = multiply(m, (0.0, 1.0, -1.0, 0.0, dh, 0.0))
        dw, dh = dh, dw
    avail_h = PAGE_H - BAND - max(0.0, top)
    s = min(PAGE_W / dw, avail_h / dh, 1.0)
    tx = (PAGE_W - s * dw) / 2
    ty = BAND + (avail_h - s * dh) / 2
    m = multiply(m, (s, 0.0, 0.0, s, tx, ty))
    return Placement(tuple(round(v, 6) for v in m), clip, s, turned)  # type: ignore[arg-type]


# ---- what the stamps say ----------------------------------------------------
BATES_DIGITS = 6
_ALLOWED_PREFIX = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_. /#")


def bates_prefix_problem(prefix: str) -> str:
    """Why ``prefix`` cannot be a Bates prefix ("" when it can)."""
    if not prefix.strip():
        return "Bates numbering needs a prefix."
    if len(prefix) > 24:
        return f"Bates prefix {prefix!r} is longer than 24 characters."
    bad = sorted({ch for ch in prefix if ch not in _ALLOWED_PREFIX})
    if bad:
        return f"Bates prefix {prefix!r} has characters a page stamp cannot print: {''.join(bad)}."
    return ""


def number_text(style: NumberingStyle, n: int, total: int, prefix: str = "") -> str:
    """What the bottom of packet page ``n`` says."""
    if style == NumberingStyle.OF_TOTAL:
        return f"Page {n} of {total}"
    if style == NumberingStyle.BATES:
        return f"{prefix}{n:0{BATES_DIGITS}d}"
    return str(n)


def label_text(letter: str, page_in_exhibit: int) -> str:
    return f"Exh. {letter}, p. {page_in_exhibit}"


def page_label_ranges(
    style: NumberingStyle, total: int, prefix: str = ""
) -> list[tuple[int, str, int]]:
    """PDF page-label ranges (first page index, label prefix, first number) whose
    labels equal the printed numbers: plain decimal, or Bates with its zeros
    (one range per number of digits)."""
    if style != NumberingStyle.BATES:
        return [(0, "", 1)]
    ranges = []
    start = 1
    while start <= total:
        digits = len(str(start))
        zeros = "0" * max(BATES_DIGITS - digits, 0)
        ranges.append((start - 1, f"{prefix}{zeros}", start))
        start = 10**digits
    return ranges


def text_width(text: str, size: float) -> float:
    """Width of ``text`` in the stamp font (Liberation Sans), in points."""
    return stamp_text_width(text, size)


def stamp_stream(
    number: str, label: str = "", font: str = FONT_RESOURCE, *, draft: bool = False
) -> bytes:
    """The content appended to a page: close the page's own state, then print
    the number at the bottom centre and the exhibit label at the bottom right
    (and, on a draft, the draft mark's header line: ``draft_header``; its
    diagonal, the same on every page, is one shared stream, ``draft_diagonal``)."""
    x = (PAGE_W - text_width(number, NUMBER_SIZE)) / 2
    parts = [
        b"\nQ\nBT 0 g ",
        font.encode("ascii"),
        b" %s Tf 1 0 0 1 %s %s Tm ("
        % (
            syntax.number(NUMBER_SIZE),
            syntax.number(x),
            syntax.number(STAMP_BASELINE),
        ),
        syntax.escape(number),
        b") Tj",
    ]
    if label:
        lx = LABEL_RIGHT - text_width(label, LABEL_SIZE)
        parts += [
            b" ",
            font.encode("ascii"),
            b" %s Tf 1 0 0 1 %s %s Tm ("
            % (
                syntax.number(LABEL_SIZE),
                syntax.number(lx),
                syntax.number(STAMP_BASELINE),
            ),
            syntax.escape(label),
            b") Tj",
        ]
    parts.append(b" ET\n")
    if draft:
        parts.append(draft_header(font))
    return b"".join(parts)


# ---- the draft mark ---------------------------------------------------------
# A packet built while the readiness review has errors says so on every page,
# in a way no evidence does: a red line of capitals in the top margin, drawn as
# text (search and pdftotext find it on every page), and a large outlined DRAFT
# across the page in light red, drawn as a path from the bold font's glyphs, so
# that it never breaks up the text a reader or pdftotext extracts from the page.
# Outlined, not filled, so the evidence under it stays readable.  The mark is
# laid over the page and moves nothing: a draft and the final packet built
# after it have the same pages, numbers and index.
DRAFT_HEADER = "DRAFT - NOT FOR FILING"
DRAFT_WORD = "DRAFT"
DRAFT_HEADER_SIZE = 10.0
# the capitals' tops stay half an inch below the top edge, between the holes of
# two-hole fasteners (2.75 inches apart, centred)
DRAFT_HEADER_BASELINE = PAGE_H - PRINT_MARGIN - 12.0
DRAFT_WORD_SIZE = 120.0
DRAFT_RED = b"0.8 0 0"  # the header: a red no court form or page number uses
DRAFT_OUTLINE = b"0.92 0.45 0.45"  # the diagonal: a light red outline
DRAFT_OUTLINE_WIDTH = 1.5
CAP_HEIGHT = 0.688  # Liberation Sans capitals, as a share of the type size


def outline_width(text: str) -> float:
    """Width of ``text`` drawn by ``outline_path`` (the bold font), in ems."""
    return font_text_width(text, SANS_BOLD, 1.0)


def draft_header(font: str = FONT_RESOURCE) -> bytes:
    """The draft mark's header line, red capitals at the top centre."""
    hx = (PAGE_W - text_width(DRAFT_HEADER, DRAFT_HEADER_SIZE)) / 2
    header = b"q %s rg %s RG 0.35 w BT %s %s Tf 2 Tr 1 0 0 1 %s %s Tm (%s) Tj ET Q\n" % (
        DRAFT_RED,
        DRAFT_RED,
        font.encode("ascii"),
        syntax.number(DRAFT_HEADER_SIZE),
        syntax.number(hx),
        syntax.number(DRAFT_HEADER_BASELINE),
        syntax.escape(DRAFT_HEADER),
    )
    return header


@functools.cache
def draft_diagonal() -> bytes:
    """The draft mark's big word: DRAFT, its centre on the page's centre, turned
    45 degrees, outlined.  It needs no resources, so every page of a draft can
    share this one content stream."""
    size = DRAFT_WORD_SIZE
    c = s = math.sqrt(0.5)
    half_w = outline_width(DRAFT_WORD) * size / 2
    half_h = CAP_HEIGHT * size / 2
    ox = PAGE_W / 2 - (half_w * c - half_h * s)
    oy = PAGE_H / 2 - (half_w * s + half_h * c)
    m = b" ".join(syntax.number(v) for v in (size * c, size * s, -size * s, size * c, ox, oy))
    return b"q %s RG %s w %s cm\n%sS Q\n" % (
        DRAFT_OUTLINE,
        syntax.number(DRAFT_OUTLINE_WIDTH / size),
        m,
        outline_path(DRAFT_WORD),
    )

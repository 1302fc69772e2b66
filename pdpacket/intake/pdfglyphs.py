"""Where each character of a page's own text is: a small content-stream
interpreter (graphics and text state, fonts' widths) over pypdf's parser.

Used twice: to read a page's words with their boxes (``page_words``: the
personal-number finder reads them), and by ``intake.redact`` to take the glyphs
under a redaction box out of the show-text operators while the rest of the
line stays where it was.  Coordinates are PDF points in the page's default
user space (origin bottom-left, /Rotate not applied), as ``model.text.Word``.
"""

from __future__ import annotations

import io
import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject
from pypdf.generic._font import Font  # pypdf 7: widths and ToUnicode of every font type

from pdpacket.model.redaction import Box
from pdpacket.model.text import Word

log = logging.getLogger("pdpacket.intake.glyphs")

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
TEXT_SHOWING = (b"Tj", b"TJ", b"'", b'"')
MAX_FORM_DEPTH = 8


def mul(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF's row-vector convention: m × n)."""
    a, b, c, d, e, f = m
    aa, bb, cc, dd, ee, ff = n
    return (
        a * aa + b * cc,
        a * bb + b * dd,
        c * aa + d * cc,
        c * bb + d * dd,
        e * aa + f * cc + ee,
        e * bb + f * dd + ff,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def invert(m: Matrix) -> Matrix | None:
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        return None
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


def as_matrix(values: Sequence[Any]) -> Matrix:
    v = [float(x) for x in values]
    if len(v) != 6:
        return IDENTITY
    return (v[0], v[1], v[2], v[3], v[4], v[5])


def raw_bytes(s: Any) -> bytes:
    """A string operand's bytes as written in the file (pypdf may have decoded it)."""
    original = getattr(s, "original_bytes", None)
    if isinstance(original, bytes):
        return original
    return bytes(s) if isinstance(s, bytes) else str(s).encode("latin-1", "replace")


# ---- fonts -----------------------------------------------------------------------------
class FontInfo:
    """What the interpreter needs of a font: code width and the code's text."""

    def __init__(self, font_dict: DictionaryObject | None) -> None:
        self.two_byte = False
        self.font: Font | None = None
        self.ascent = 0.8
        self.descent = -0.2
        if font_dict is None:
            return
        self.two_byte = font_dict.get("/Subtype") == "/Type0"
        try:
            self.font = Font.from_font_resource(font_dict)
        except Exception as exc:  # a damaged font dictionary: widths fall back
            log.info("font not read (%s): default widths", exc)
            return
        desc = self.font.font_descriptor
        asc = float(getattr(desc, "ascent", 0) or 0)
        dsc = float(getattr(desc, "descent", 0) or 0)
        if 300 <= asc <= 1200:
            self.ascent = asc / 1000
        if -500 <= dsc < 0:
            self.descent = dsc / 1000

    def codes(self, data: bytes) -> list[tuple[int, bytes]]:
        if self.two_byte:
            return [
                (int.from_bytes(data[i : i + 2], "big"), data[i : i + 2])
                for i in range(0, len(data) - 1, 2)
            ]
        return [(b, bytes([b])) for b in data]

    def width(self, code: int) -> float:
        """Width in glyph units (1/1000 of the type size)."""
        if self.font is None:
            return 500.0
        widths = self.font.character_widths
        w = widths.get(chr(code))
        if w is None:
            w = widths.get("default", 500)
        return float(w)

    def text(self, code: int) -> str:
        if self.font is None:
            return chr(code) if not self.two_byte else ""
        cmap = self.font.character_map
        if chr(code) in cmap:
            return str(cmap[chr(code)])
        enc = self.font.encoding
        if isinstance(enc, dict):
            return str(enc.get(code, chr(code)))
        return chr(code) if not self.two_byte else ""


# ---- the interpreter --------------------------------------------------------------------
@dataclass
class TextState:
    font: FontInfo | None = None
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0


@dataclass
class GState:
    ctm: Matrix = IDENTITY
    text: TextState = field(default_factory=TextState)


@dataclass(slots=True)
class Glyph:
    text: str
    x0: float  # the glyph's box on the page
    y0: float
    x1: float
    y1: float
    size: float  # the type size on the page (points)
    bx: float  # where the glyph starts on its baseline, page space
    by: float
    advance: float  # text-space advance, before horizontal scaling
    ex: float = 0.0  # where the next glyph would start, page space
    ey: float = 0.0

    @property
    def box(self) -> Box:
        return Box(self.x0, self.y0, self.x1, self.y1)


@dataclass(slots=True)
class Shown:
    """One glyph of a show-text operator as the rewriter sees it."""

    glyph: Glyph
    code_bytes: bytes
    width: float  # glyph units
    extra: float  # char and word spacing, text space units


# called for each show-text operator: (operator, operands, glyphs) -> replacement ops or None
ShowHook = Callable[[bytes, list[Any], list[Shown], GState], list[tuple[list[Any], bytes]] | None]
# called for each image painted: (resources' XObject name, the image stream, its CTM)
ImageHook = Callable[[str, Any, Matrix], None]
# called for each form painted (its resources' name, the form, its CTM)
FormHook = Callable[[str, Any, Matrix], None]
# called for each inline image (BI ... ID ... EI): replacement ops or None
InlineHook = Callable[[Any, Matrix], list[tuple[list[Any], bytes]] | None]


class Interpreter:
    """Walks a content stream, keeping the graphics and text state, and hands
    each show-text operator's glyphs (and each image and form) to hooks."""

    def __init__(
        self,
        on_show: ShowHook | None = None,
        on_image: ImageHook | None = None,
        on_form: FormHook | None = None,
        on_inline: InlineHook | None = None,
    ) -> None:
        self.on_show = on_show
        self.on_image = on_image
        self.on_form = on_form
        self.on_inline = on_inline
        self._fonts: dict[int, FontInfo] = {}

    def font(self, resources: DictionaryObject, name: str) -> FontInfo:
        fonts = resources.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        ref = fonts.get(name) if isinstance(fonts, DictionaryObject) else None
        obj = ref.get_object() if ref is not None else None
        key = id(obj)
        if key not in self._fonts:
            self._fonts[key] = FontInfo(obj if isinstance(obj, DictionaryObject) else None)
        return self._fonts[key]

    def run(
        self, operations: list[tuple[list[Any], bytes]], resources: DictionaryObject, ctm: Matrix
    ) -> list[tuple[list[Any], bytes]]:
        """The operations, with show-text operators replaced where the hook says."""
        out: list[tuple[list[Any], bytes]] = []
        gs = GState(ctm=ctm)
        stack: list[GState] = []
        tm: Matrix = IDENTITY
        tlm: Matrix = IDENTITY
        for operands, op in operations:
            replacement: list[tuple[list[Any], bytes]] | None = None
            try:
                if op == b"q":
                    stack.append(replace(gs, text=replace(gs.text)))
                elif op == b"Q":
                    if stack:
                        gs = stack.pop()
                elif op == b"cm":
                    gs.ctm = mul(as_matrix(operands), gs.ctm)
                elif op == b"BT":
                    tm = tlm = IDENTITY
                elif op == b"Tf" and len(operands) == 2:
                    gs.text.font = self.font(resources, str(operands[0]))
                    gs.text.size = float(operands[1])
                elif op == b"Tc" and operands:
                    gs.text.char_space = float(operands[0])
                elif op == b"Tw" and operands:
                    gs.text.word_space = float(operands[0])
                elif op == b"Tz" and operands:
                    gs.text.scale = float(operands[0]) / 100.0
                elif op == b"TL" and operands:
                    gs.text.leading = float(operands[0])
                elif op == b"Ts" and operands:
                    gs.text.rise = float(operands[0])
                elif op in (b"Td", b"TD") and len(operands) == 2:
                    tx, ty = float(operands[0]), float(operands[1])
                    if op == b"TD":
                        gs.text.leading = -ty
                    tlm = mul((1, 0, 0, 1, tx, ty), tlm)
                    tm = tlm
                elif op == b"Tm" and len(operands) == 6:
                    tm = tlm = as_matrix(operands)
                elif op == b"T*":
                    tlm = mul((1, 0, 0, 1, 0, -gs.text.leading), tlm)
                    tm = tlm
                elif op in TEXT_SHOWING:
                    if op in (b"'", b'"'):
                        if op == b'"' and len(operands) == 3:
                            gs.text.word_space = float(operands[0])
                            gs.text.char_space = float(operands[1])
                        tlm = mul((1, 0, 0, 1, 0, -gs.text.leading), tlm)
                        tm = tlm
                    tm, replacement = self._show(op, operands, gs, tm)
                elif op == b"Do" and operands:
                    self._do(str(operands[0]), resources, gs.ctm)
                elif op == b"INLINE IMAGE" and self.on_inline is not None:
                    replacement = self.on_inline(operands, gs.ctm)
            except (ValueError, TypeError, ArithmeticError) as exc:
                log.info("content operator %r skipped: %s", op, exc)
            if replacement is None:
                out.append((operands, op))
            else:
                out.extend(replacement)
        return out

    def _show(
        self, op: bytes, operands: list[Any], gs: GState, tm: Matrix
    ) -> tuple[Matrix, list[tuple[list[Any], bytes]] | None]:
        ts = gs.text
        font = ts.font or FontInfo(None)
        items: list[Any]
        if op == b"TJ":
            items = list(operands[0]) if operands else []
        else:
            items = [operands[-1]] if operands else []
        shown: list[Shown] = []
        # One matrix for the whole operator: a glyph differs from the first only by
        # how far along the text line it starts (``moved``, text space units).
        base = mul(tm, gs.ctm)
        trm = mul((ts.size * ts.scale, 0, 0, ts.size, 0, ts.rise), base)
        ta, tb = base[0], base[1]  # one unit along the text line, on the page
        la, lb, lc, ld = trm[0], trm[1], trm[2], trm[3]
        height = abs(ld) or abs(lc)
        upright = lb == 0 and lc == 0 and la > 0 and ld > 0
        y_lo, y_hi = ld * font.descent, ld * font.ascent
        moved = 0.0
        widths: dict[int, float] = {}
        texts: dict[int, str] = {}
        for item in items:
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                moved -= float(item) / 1000 * ts.size * ts.scale
                continue
            for code, cb in font.codes(raw_bytes(item)):
                w = widths.get(code)
                if w is None:
                    w = widths[code] = font.width(code)
                    texts[code] = font.text(code)
                extra = ts.char_space + (ts.word_space if cb == b" " else 0.0)
                ox, oy = trm[4] + moved * ta, trm[5] + moved * tb
                gw = w / 1000
                advance = gw * ts.size + extra
                if upright:  # the usual case: no rotation or skew, no mirroring
                    glyph = Glyph(
                        texts[code], ox, oy + y_lo, ox + la * gw, oy + y_hi, height, ox, oy, advance
                    )
                else:
                    xs = (
                        ox + lc * font.descent,
                        ox + la * gw + lc * font.descent,
                        ox + lc * font.ascent,
                        ox + la * gw + lc * font.ascent,
                    )
                    ys = (
                        oy + ld * font.descent,
                        oy + lb * gw + ld * font.descent,
                        oy + ld * font.ascent,
                        oy + lb * gw + ld * font.ascent,
                    )
                    glyph = Glyph(
                        texts[code], min(xs), min(ys), max(xs), max(ys), height, ox, oy, advance
                    )
                moved += advance * ts.scale
                glyph.ex, glyph.ey = trm[4] + moved * ta, trm[5] + moved * tb
                shown.append(Shown(glyph, cb, w, extra))
        if moved:
            tm = mul((1, 0, 0, 1, moved, 0), tm)
        if self.on_show is None or not shown:
            return tm, None
        return tm, self.on_show(op, operands, shown, gs)

    def _do(self, name: str, resources: DictionaryObject, ctm: Matrix) -> None:
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not isinstance(xobjects, DictionaryObject) or name not in xobjects:
            return
        xobj: Any = xobjects[name].get_object()
        if not isinstance(xobj, DictionaryObject):
            return
        subtype = xobj.get("/Subtype")
        if subtype == "/Image" and self.on_image is not None:
            self.on_image(name, xobj, ctm)
        elif subtype == "/Form" and self.on_form is not None:
            matrix = as_matrix(xobj.get("/Matrix", IDENTITY))
            self.on_form(name, xobj, mul(matrix, ctm))


def form_resources(form: Any, inherited: DictionaryObject) -> DictionaryObject:
    res = form.get("/Resources")
    res = res.get_object() if res is not None else None
    return res if isinstance(res, DictionaryObject) else inherited


def page_resources(page: Any) -> DictionaryObject:
    res = page.get("/Resources")
    res = res.get_object() if res is not None else None
    return res if isinstance(res, DictionaryObject) else DictionaryObject()


# ---- words ---------------------------------------------------------------------------
def page_glyphs(page: Any) -> list[Glyph]:
    """Every glyph of a pypdf page's own text (forms included), in content order."""
    glyphs: list[Glyph] = []

    def show(_op: bytes, _ops: list[Any], shown: list[Shown], _gs: GState) -> None:
        glyphs.extend(s.glyph for s in shown)

    def form(_name: str, xobj: Any, ctm: Matrix) -> None:
        if len(stack) >= MAX_FORM_DEPTH or id(xobj) in stack:
            return  # too deep, or a form that paints itself
        res = form_resources(xobj, resources[-1])  # none of its own: its parent's
        stack.append(id(xobj))
        resources.append(res)
        try:
            interp.run(ContentStream(xobj, None).operations, res, ctm)
        finally:
            stack.pop()
            resources.pop()

    stack: list[int] = []
    interp = Interpreter(on_show=show, on_form=form)
    resources = [page_resources(page)]
    contents = page.get_contents()
    if contents is None:
        return glyphs
    interp.run(ContentStream(contents, None).operations, resources[0], IDENTITY)
    return glyphs


def words_from_glyphs(glyphs: Sequence[Glyph]) -> list[Word]:
    """Glyphs grouped into words: a new word at a space, a jump along the line, or
    a new line."""
    words: list[Word] = []
    cur: list[Glyph] = []

    def flush() -> None:
        if cur:
            text = "".join(g.text for g in cur)
            words.append(
                Word(
                    text,
                    min(g.x0 for g in cur),
                    min(g.y0 for g in cur),
                    max(g.x1 for g in cur),
                    max(g.y1 for g in cur),
                )
            )
            cur.clear()

    for g in glyphs:
        if not g.text.strip():
            flush()
            continue
        if cur:
            prev = cur[-1]
            size = max(prev.size, g.size, 1.0)
            # where this glyph starts against where the one before ended, along the line
            if math.hypot(g.bx - prev.ex, g.by - prev.ey) > 0.2 * size:
                flush()
        cur.append(g)
    flush()
    return words


class PdfWords:
    """The words of a stored PDF's pages, the file parsed once."""

    def __init__(self, pdf: bytes) -> None:
        self.reader = PdfReader(io.BytesIO(pdf))

    def words(self, page: int) -> list[Word]:
        """The words of page ``page`` (from 0), with their boxes."""
        return words_from_glyphs(page_glyphs(self.reader.pages[page]))


def page_words(pdf: bytes, page: int) -> list[Word]:
    """The words of page ``page`` (from 0) of a stored PDF, with their boxes."""
    return PdfWords(pdf).words(page)

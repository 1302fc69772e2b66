"""Flattening forms and annotations: each visible widget's appearance
(generated from the field value when the file has none) painted into the page."""

from __future__ import annotations

import logging
import re
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    StreamObject,
)
from reportlab.pdfbase.pdfmetrics import stringWidth

from pdpacket.intake.pdfmarkup import MARKUP, NOTHING_TO_KEEP, generated_appearance, kind_name
from pdpacket.pdf.syntax import escape, number

log = logging.getLogger("pdpacket.pdfclean")


FLAG_HIDDEN = 2
FLAG_PRINT = 4
FLAG_NOVIEW = 32
FF_MULTILINE = 1 << 12
FF_PASSWORD = 1 << 13
FF_RADIO = 1 << 15
HELVETICA = {
    NameObject("/Type"): NameObject("/Font"),
    NameObject("/Subtype"): NameObject("/Type1"),
    NameObject("/BaseFont"): NameObject("/Helvetica"),
    NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
}


def _inherited(annot: Any, key: str) -> Any:
    node = annot
    for _ in range(32):
        if node is None:
            return None
        if key in node:
            return node[key].get_object() if hasattr(node[key], "get_object") else node[key]
        parent = node.get("/Parent")
        node = parent.get_object() if parent is not None else None
    return None


def flatten(
    writer: PdfWriter,
    wpage: Any,
    annots: list[Any],
    index: int,
    need_appearances: bool,
    default_da: str,
    lost: set[str] | None = None,
) -> bytes:
    """Paint each visible annotation's appearance into the page; return the operators.
    Markup without an appearance (a highlight, ink, a note) gets one drawn as viewers
    draw it; the kinds that could not be kept are added to ``lost``."""
    ops = bytearray()
    xobjects: dict[str, IndirectObject] = {}
    for n, annot in enumerate(annots):
        try:
            ref, in_page_space = _appearance(writer, annot, need_appearances, default_da)
            if ref is None:
                _note_lost(annot, lost)
                continue
            draw: tuple[float, ...] | None = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            if not in_page_space:
                draw = _placement(ref.get_object(), annot)
            if draw is None:
                _note_lost(annot, lost)
                continue
            key = f"/PdpFlat{index}_{n}"
            xobjects[key] = ref
            ops += (
                b"q " + b" ".join(number(v, 5) for v in draw) + b" cm " + key.encode() + b" Do Q\n"
            )
        except Exception as exc:  # one odd annotation must not lose the page
            log.info("page %d: annotation %d not flattened: %s", index + 1, n, exc)
            _note_lost(annot, lost)
    if xobjects:
        res = wpage.get("/Resources")
        if res is None:
            res = DictionaryObject()
            wpage[NameObject("/Resources")] = res
        res = res.get_object()
        xo = res.get("/XObject")
        if xo is None:
            xo = DictionaryObject()
            res[NameObject("/XObject")] = xo
        xo = xo.get_object()
        for key, ref in xobjects.items():
            xo[NameObject(key)] = ref
    return bytes(ops)


def _note_lost(annot: Any, lost: set[str] | None) -> None:
    """Name a kind that means something (not a link, popup, empty field, or one
    the viewer hides too) that is not in the page."""
    subtype = annot.get("/Subtype")
    flags = int(annot.get("/F", 0) or 0)
    if lost is None or subtype in NOTHING_TO_KEEP or flags & (FLAG_HIDDEN | FLAG_NOVIEW):
        return
    lost.add(kind_name(subtype))


def _appearance(
    writer: PdfWriter, annot: Any, need_appearances: bool, default_da: str
) -> tuple[IndirectObject | None, bool]:
    """The appearance to paint, and whether it is drawn in page space (generated
    here) rather than to be fitted onto /Rect."""
    flags = int(annot.get("/F", 0) or 0)
    subtype = annot.get("/Subtype")
    if flags & (FLAG_HIDDEN | FLAG_NOVIEW) or subtype in ("/Popup", "/Link"):
        return None, False
    normal = _normal_appearance(annot)
    if subtype in MARKUP:  # every viewer shows these, printable or not
        if isinstance(normal, StreamObject) and "/BBox" in normal:
            return _cloned(writer, normal), False
        drawn = generated_appearance(annot)
        return (writer._add_object(drawn) if drawn is not None else None), True
    is_widget = subtype == "/Widget"
    if not is_widget and not flags & FLAG_PRINT:
        return None, False  # other kinds that would not print either
    if is_widget:
        ft = _inherited(annot, "/FT")
        if ft in ("/Tx", "/Ch") and (normal is None or need_appearances):
            generated = _text_appearance(annot, default_da)
            if generated is not None:
                return writer._add_object(generated), False
            if need_appearances:
                return None, False
        if ft == "/Btn" and normal is None:
            generated = _check_appearance(annot)
            return (writer._add_object(generated) if generated is not None else None), False
    if not isinstance(normal, StreamObject) or "/BBox" not in normal:
        return None, False
    return _cloned(writer, normal), False


def _normal_appearance(annot: Any) -> Any:
    normal = None
    ap = annot.get("/AP")
    if ap is not None:
        normal = ap.get_object().get("/N")
        normal = normal.get_object() if normal is not None else None
        if isinstance(normal, DictionaryObject) and not isinstance(normal, StreamObject):
            state = annot.get("/AS")
            chosen = normal.get(state) if state is not None else None
            normal = chosen.get_object() if chosen is not None else None
    return normal


def _cloned(writer: PdfWriter, normal: StreamObject) -> IndirectObject:
    clone = normal.clone(writer)
    if "/Subtype" not in clone:
        clone[NameObject("/Subtype")] = NameObject("/Form")
    ref = clone.indirect_reference
    return ref if isinstance(ref, IndirectObject) else writer._add_object(clone)


def _placement(form: Any, annot: Any) -> tuple[float, ...] | None:
    """The matrix that puts the form's transformed BBox onto the annotation's Rect."""
    rect = [float(v) for v in annot["/Rect"]]
    rx0, ry0, rx1, ry1 = (
        min(rect[0], rect[2]),
        min(rect[1], rect[3]),
        max(rect[0], rect[2]),
        max(rect[1], rect[3]),
    )
    bbox = [float(v) for v in form["/BBox"]]
    m = [float(v) for v in form.get("/Matrix", [1, 0, 0, 1, 0, 0])]
    xs, ys = [], []
    for x, y in ((bbox[0], bbox[1]), (bbox[2], bbox[1]), (bbox[0], bbox[3]), (bbox[2], bbox[3])):
        xs.append(m[0] * x + m[2] * y + m[4])
        ys.append(m[1] * x + m[3] * y + m[5])
    bw, bh = max(xs) - min(xs), max(ys) - min(ys)
    if bw < 1e-6 or bh < 1e-6 or rx1 - rx0 < 1e-6 or ry1 - ry0 < 1e-6:
        return None
    sx, sy = (rx1 - rx0) / bw, (ry1 - ry0) / bh
    return (sx, 0.0, 0.0, sy, rx0 - min(xs) * sx, ry0 - min(ys) * sy)


_DA_SIZE = re.compile(r"(\d+(?:\.\d+)?)\s+Tf")
_DA_COLOR = re.compile(r"((?:-?\d*\.?\d+\s+){0,3}-?\d*\.?\d+)\s+(g|rg|k)\b")


def _field_value(annot: Any) -> str:
    value = _inherited(annot, "/V")
    if value is None:
        return ""
    items = [str(v.get_object()) for v in value] if isinstance(value, ArrayObject) else [str(value)]
    opts = _inherited(annot, "/Opt")
    if isinstance(opts, ArrayObject):  # export value -> the text shown
        shown = {}
        for opt in opts:
            opt = opt.get_object()
            if isinstance(opt, ArrayObject) and len(opt) >= 2:
                shown[str(opt[0].get_object())] = str(opt[1].get_object())
        items = [shown.get(i, i) for i in items]
    text = ", ".join(i for i in items if i)
    return "" if text.startswith("/") else text  # a name (/Off) is not text


def _text_appearance(annot: Any, default_da: str) -> StreamObject | None:
    flags = int(_inherited(annot, "/Ff") or 0)
    text = (
        "" if flags & FF_PASSWORD else _field_value(annot).replace("\r\n", "\n").replace("\r", "\n")
    )
    rect = [float(v) for v in annot["/Rect"]]
    w, h = abs(rect[2] - rect[0]), abs(rect[3] - rect[1])
    outline = outline_ops(annot, w, h)
    if not text.strip():  # an empty field keeps its box: the reader sees it was left empty
        return _form_xobject(outline, w, h) if outline else None
    da = str(_inherited(annot, "/DA") or default_da or "")
    m = _DA_SIZE.search(da)
    size = float(m.group(1)) if m else 0.0
    colors = _DA_COLOR.findall(da)
    color = (colors[-1][0] + " " + colors[-1][1]) if colors else "0 g"
    multiline = bool(flags & FF_MULTILINE) or "\n" in text
    font = "Helvetica"
    pad = 2.0
    if multiline:
        size = size or 10.0
        lines = _wrap(text, font, size, w - 2 * pad)
    else:
        lines = [text]
        if not size:
            size = min(12.0, max(4.0, (h - 2 * pad) * 0.75))
        width = stringWidth(text, font, size)
        if width > w - 2 * pad and width > 0:
            size = max(4.0, size * (w - 2 * pad) / width)
    quad = int(_inherited(annot, "/Q") or 0)
    leading = size * 1.15
    out = [
        outline,
        b"/Tx BMC q",
        b"%s %s %s %s re W n"
        % (number(1, 5), number(1, 5), number(max(w - 2, 0), 5), number(max(h - 2, 0), 5)),
    ]
    out.append(b"BT /Helv " + number(size, 5) + b" Tf " + color.encode("ascii", "ignore"))
    y = (h - size) / 2 + size * 0.22 if not multiline else h - pad - size * 0.9
    for line in lines:
        lw = stringWidth(line, font, size)
        x = pad if quad == 0 else (w - lw) / 2 if quad == 1 else w - pad - lw
        out.append(
            b"1 0 0 1 %s %s Tm (%s) Tj" % (number(x, 5), number(y, 5), escape(line, "cp1252"))
        )
        y -= leading
    out.append(b"ET Q EMC")
    return _form_xobject(b"\n".join(out), w, h, "/Helv", HELVETICA)


def _form_xobject(
    content: bytes,
    w: float,
    h: float,
    font_key: str = "",
    font: dict[NameObject, NameObject] | None = None,
) -> StreamObject:
    """A generated appearance: ``content`` in a ``w`` x ``h`` form naming one font (or none)."""
    stream = DecodedStreamObject()
    stream.set_data(content)
    stream.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(
                [FloatObject(0), FloatObject(0), FloatObject(w), FloatObject(h)]
            ),
        }
    )
    resources = DictionaryObject()
    if font_key and font:
        resources[NameObject("/Font")] = DictionaryObject(
            {NameObject(font_key): DictionaryObject(font)}
        )
    stream[NameObject("/Resources")] = resources
    return stream


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}" if line else word
            if line and stringWidth(trial, font, size) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _check_appearance(annot: Any) -> StreamObject | None:
    """A box (or a radio button's circle) as its /MK draws it, with a tick when
    it is checked, for a button that has no appearance for its state; an
    unticked box keeps its outline, so a reader sees it was left empty."""
    state = annot.get("/AS") or _inherited(annot, "/V")
    rect = [float(v) for v in annot["/Rect"]]
    w, h = abs(rect[2] - rect[0]), abs(rect[3] - rect[1])
    outline = outline_ops(annot, w, h)
    if state is None or str(state) in ("/Off", "Off", ""):
        return _form_xobject(outline, w, h) if outline else None
    # the tick is drawn as a path, not a ZapfDingbats glyph: no font to embed
    s = min(w, h)
    x0, y0 = (w - s) / 2, (h - s) / 2
    points = [(0.2, 0.52), (0.42, 0.26), (0.8, 0.8)]
    path = [number(x0 + fx * s, 4) + b" " + number(y0 + fy * s, 4) for fx, fy in points]
    tick = outline + b"q 0 G 1 J 1 j %s w %s m %s l %s l S Q" % (
        number(max(s * 0.12, 0.5), 4),
        *path,
    )
    return _form_xobject(tick, w, h)


def _colour_ops(value: Any, stroke: bool) -> bytes:
    """``0 0 1 RG`` for an /MK colour array (gray, RGB or CMYK); b"" for none."""
    arr = value.get_object() if value is not None else None
    if not isinstance(arr, ArrayObject) or len(arr) not in (1, 3, 4):
        return b""
    op = {1: b"g", 3: b"rg", 4: b"k"}[len(arr)]
    return b" ".join(number(float(v), 4) for v in arr) + b" " + (op.upper() if stroke else op)


def outline_ops(annot: Any, w: float, h: float) -> bytes:
    """A widget's background and border as its /MK and /BS (or /Border) give
    them, in a ``w`` x ``h`` box: what a viewer draws around an empty field or an
    unticked box.  Radio buttons get a circle; b"" when the form gives neither."""
    mk = annot.get("/MK")
    mk = mk.get_object() if mk is not None else None
    if not isinstance(mk, DictionaryObject):
        return b""
    fill = _colour_ops(mk.get("/BG"), stroke=False)
    stroke = _colour_ops(mk.get("/BC"), stroke=True)
    if not fill and not stroke:
        return b""
    bs = annot.get("/BS")
    bs = bs.get_object() if bs is not None else None
    width, style = 1.0, "/S"
    if isinstance(bs, DictionaryObject):
        width = float(bs.get("/W", 1) or 0)
        style = str(bs.get("/S", "/S"))
    elif "/Border" in annot:
        border = annot["/Border"].get_object()
        if isinstance(border, ArrayObject) and len(border) >= 3:
            width = float(border[2])
    radio = _inherited(annot, "/FT") == "/Btn" and int(_inherited(annot, "/Ff") or 0) & FF_RADIO
    out = [b"q"]
    if radio:
        shape = _circle(w / 2, h / 2, max(min(w, h) / 2 - width / 2, 0.5))
    else:
        i = width / 2
        shape = b"%s %s %s %s re" % tuple(
            number(v, 4) for v in (i, i, max(w - width, 0), max(h - width, 0))
        )
    if fill:
        out += [fill, shape, b"f"]
    if stroke and width > 0:
        out += [stroke, number(width, 4) + b" w"]
        if style == "/D":
            out.append(b"[3] 0 d")
        if style == "/U" and not radio:
            out.append(
                b"0 %s m %s %s l S" % (number(width / 2, 4), number(w, 4), number(width / 2, 4))
            )
        else:
            out += [shape, b"S"]
    out.append(b"Q\n")
    return b"\n".join(out)


def _circle(cx: float, cy: float, r: float) -> bytes:
    k = 0.5523 * r
    pts = [
        (cx + r, cy),
        (cx + r, cy + k, cx + k, cy + r, cx, cy + r),
        (cx - k, cy + r, cx - r, cy + k, cx - r, cy),
        (cx - r, cy - k, cx - k, cy - r, cx, cy - r),
        (cx + k, cy - r, cx + r, cy - k, cx + r, cy),
    ]
    ops = [b"%s %s m" % (number(pts[0][0], 4), number(pts[0][1], 4))]
    ops += [b" ".join(number(v, 4) for v in p) + b" c" for p in pts[1:]]
    return b" ".join(ops) + b" h"

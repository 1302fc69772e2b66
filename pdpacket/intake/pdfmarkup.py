"""Appearances for markup annotations that came without one (a highlight, ink, a
note a client or a paralegal put on a document): drawn as a viewer draws them,
in page space, so flattening can paint them into the page."""

from __future__ import annotations

import math
from typing import Any

from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NumberObject,
)
from pypdf.generic import NameObject as N
from reportlab.pdfbase.pdfmetrics import stringWidth

from pdpacket.pdf.syntax import escape, number

# Kinds a reader must see: flattened with their own appearance, or one drawn here.
MARKUP = frozenset(
    {
        "/Highlight",
        "/Underline",
        "/StrikeOut",
        "/Squiggly",
        "/Ink",
        "/Square",
        "/Circle",
        "/Line",
        "/Polygon",
        "/PolyLine",
        "/FreeText",
        "/Stamp",
        "/Text",
        "/Caret",
    }
)
# Kinds that carry nothing to show: their text is already page content (links),
# or another annotation shows it (a note's popup).
NOTHING_TO_KEEP = frozenset({"/Link", "/Popup", "/Widget"})

NOTE_WIDTH = 180.0
HELVETICA = {
    N("/Type"): N("/Font"),
    N("/Subtype"): N("/Type1"),
    N("/BaseFont"): N("/Helvetica"),
    N("/Encoding"): N("/WinAnsiEncoding"),
}


def kind_name(subtype: Any) -> str:
    """``/FileAttachment`` -> ``file attachment``."""
    raw = str(subtype or "/Unknown").lstrip("/")
    spaced = "".join(f" {c}" if c.isupper() and i else c for i, c in enumerate(raw))
    return spaced.lower().strip() or "unknown"


def _floats(value: Any) -> list[float]:
    if value is None:
        return []
    value = value.get_object() if hasattr(value, "get_object") else value
    return [float(v) for v in value]


def _colour(annot: Any, default: tuple[float, ...] | None, key: str = "/C") -> bytes | None:
    """The stroke colour operator for /C (``RG``); ``None`` when transparent."""
    c = _floats(annot.get(key)) if key in annot else list(default or [])
    if len(c) == 1:
        return number(c[0], 4) + b" G"
    if len(c) == 3:
        return b" ".join(number(v, 4) for v in c) + b" RG"
    if len(c) == 4:
        return b" ".join(number(v, 4) for v in c) + b" K"
    return None


def _fill(stroke: bytes) -> bytes:
    """The fill operator for the same colour (``RG`` -> ``rg``, ``G`` -> ``g``, ``K`` -> ``k``)."""
    values, _, op = stroke.rpartition(b" ")
    return values + b" " + op.lower()


def _width(annot: Any) -> float:
    bs = annot.get("/BS")
    if bs is not None and "/W" in bs.get_object():
        return float(bs.get_object()["/W"])
    border = _floats(annot.get("/Border"))
    return border[2] if len(border) >= 3 else 1.0


def _rect(annot: Any) -> tuple[float, float, float, float]:
    r = _floats(annot["/Rect"])
    return min(r[0], r[2]), min(r[1], r[3]), max(r[0], r[2]), max(r[1], r[3])


def _quads(annot: Any) -> list[list[tuple[float, float]]]:
    q = _floats(annot.get("/QuadPoints"))
    if len(q) < 8:
        x0, y0, x1, y1 = _rect(annot)
        return [[(x0, y1), (x1, y1), (x0, y0), (x1, y0)]]
    return [[(q[i + k], q[i + k + 1]) for k in range(0, 8, 2)] for i in range(0, len(q) - 7, 8)]


def _poly(points: list[tuple[float, float]], close: bool) -> bytes:
    ops = [b"%s %s m" % (number(points[0][0]), number(points[0][1]))]
    ops += [b"%s %s l" % (number(x), number(y)) for x, y in points[1:]]
    return b" ".join(ops) + (b" h" if close else b"")


def _pairs(flat: list[float]) -> list[tuple[float, float]]:
    return [(flat[i], flat[i + 1]) for i in range(0, len(flat) - 1, 2)]


def _text_markup(annot: Any, subtype: str) -> bytes:
    if subtype == "/Highlight":
        fill = _fill(_colour(annot, (1, 1, 0)) or b"1 1 0 RG")
        quads = [_poly([q[0], q[1], q[3], q[2]], True) for q in _quads(annot)]
        return b"/PdpGS gs " + fill + b" " + b" ".join(quads) + b" f"
    stroke = _colour(annot, (1, 0, 0)) or b"1 0 0 RG"
    ops = []
    for q in _quads(annot):
        (tlx, tly), (trx, try_), (blx, bly), (brx, bry) = q
        h = math.hypot(tlx - blx, tly - bly)
        t = 0.5 if subtype == "/StrikeOut" else 0.1
        a = (blx + (tlx - blx) * t, bly + (tly - bly) * t)
        b = (brx + (trx - brx) * t, bry + (try_ - bry) * t)
        ops.append(b"%s w " % number(max(h / 14, 0.5)) + _poly([a, b], False) + b" S")
    return stroke + b" " + b" ".join(ops)


def _shape(annot: Any, subtype: str) -> bytes:
    stroke = _colour(annot, (1, 0, 0))
    inside = _colour(annot, None, "/IC")
    w = _width(annot)
    x0, y0, x1, y1 = _rect(annot)
    x0, y0, x1, y1 = x0 + w / 2, y0 + w / 2, x1 - w / 2, y1 - w / 2
    if subtype == "/Square":
        path = b"%s %s %s %s re" % (number(x0), number(y0), number(x1 - x0), number(y1 - y0))
    elif subtype == "/Circle":
        path = _ellipse(x0, y0, x1, y1)
    elif subtype == "/Line":
        path = _poly(_pairs(_floats(annot.get("/L"))), False)
    elif subtype == "/Ink":
        paths = [_pairs(_floats(p)) for p in annot["/InkList"].get_object()]
        path = b" ".join(_poly(p, False) for p in paths if p)
        stroke = stroke or b"0 G"
    else:  # polygon, polyline
        path = _poly(_pairs(_floats(annot.get("/Vertices"))), subtype == "/Polygon")
    paint = b"B" if inside and stroke else b"f" if inside else b"S"
    if subtype in ("/Line", "/PolyLine", "/Ink"):
        paint = b"S"
    head = b"%s w 1 J 1 j " % number(w) + (stroke or b"") + b" " + _fill(inside or b"0 G")
    return head + b" " + path + b" " + paint


def _ellipse(x0: float, y0: float, x1: float, y1: float) -> bytes:
    k = 0.5523
    cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
    pts = [
        (cx + rx, cy, cx + rx, cy + ry * k, cx + rx * k, cy + ry, cx, cy + ry),
        (None, None, cx - rx * k, cy + ry, cx - rx, cy + ry * k, cx - rx, cy),
        (None, None, cx - rx, cy - ry * k, cx - rx * k, cy - ry, cx, cy - ry),
        (None, None, cx + rx * k, cy - ry, cx + rx, cy - ry * k, cx + rx, cy),
    ]
    ops = [b"%s %s m" % (number(cx + rx), number(cy))]
    for seg in pts:
        ops.append(b" ".join(number(v) for v in seg[2:] if v is not None) + b" c")
    return b" ".join(ops) + b" h"


def _wrap(text: str, size: float, width: float) -> list[str]:
    lines: list[str] = []
    for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = ""
        for word in para.split(" "):
            trial = f"{line} {word}" if line else word
            if line and stringWidth(trial, "Helvetica", size) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        lines.append(line)
    return lines


def _text_lines(lines: list[str], x: float, top: float, size: float, colour: bytes) -> bytes:
    out = [b"BT /PdpHelv %s Tf %s" % (number(size), _fill(colour))]
    y = top - size
    for line in lines:
        out.append(b"1 0 0 1 %s %s Tm (%s) Tj" % (number(x), number(y), escape(line, "cp1252")))
        y -= size * 1.2
    return b" ".join(out) + b" ET"


def _free_text(annot: Any) -> tuple[bytes, list[float]]:
    x0, y0, x1, y1 = _rect(annot)
    da = str(annot.get("/DA") or "")
    parts = da.split()
    size = float(parts[parts.index("Tf") - 1]) if "Tf" in parts and parts.index("Tf") else 10.0
    size = size or 10.0
    lines = _wrap(str(annot.get("/Contents") or ""), size, max(x1 - x0 - 4, 10))
    body = _text_lines(lines, x0 + 2, y1 - 2, size, b"0 G")
    border = _colour(annot, None)
    if border and _width(annot) > 0:
        body = border + b" %s w " % number(_width(annot)) + _box(x0, y0, x1, y1) + b" S " + body
    return body, [x0, y0, x1, y1]


def _box(x0: float, y0: float, x1: float, y1: float) -> bytes:
    return b"%s %s %s %s re" % (number(x0), number(y0), number(x1 - x0), number(y1 - y0))


def _note(annot: Any) -> tuple[bytes, list[float]]:
    """A sticky note: a small yellow box where it was, its text beside it."""
    x0, y0, x1, y1 = _rect(annot)
    side = min(max(min(x1 - x0, y1 - y0), 8.0), 20.0)
    x1, y0 = x0 + side, y1 - side
    marker = b"0.5 w 0 G 1 0.9 0.3 rg " + _box(x0, y0, x1, y1) + b" B"
    text = "Note: " + str(annot.get("/Contents") or "").strip()
    size = 8.0
    lines = _wrap(text, size, NOTE_WIDTH)
    tx = x1 + 3
    bottom = y1 - len(lines) * size * 1.2 - 2
    panel = b"1 1 0.85 rg " + _box(tx - 1, bottom, tx + NOTE_WIDTH + 2, y1) + b" B "
    body = marker + b" " + panel + _text_lines(lines, tx + 1, y1 - 1, size, b"0 G")
    return body, [x0, min(y0, bottom) - 1, tx + NOTE_WIDTH + 3, y1 + 1]


def _stamp(annot: Any) -> tuple[bytes, list[float]]:
    x0, y0, x1, y1 = _rect(annot)
    label = kind_name(annot.get("/Name") or "/Draft").upper()
    size = min((y1 - y0) * 0.5, 24.0)
    width = stringWidth(label, "Helvetica", size) or 1.0
    size = max(min(size, size * (x1 - x0 - 6) / width), 4.0)
    ops = b"2 w 0.8 0 0 RG " + _box(x0 + 1, y0 + 1, x1 - 1, y1 - 1) + b" S "
    ops += _text_lines([label], x0 + 3, (y0 + y1) / 2 + size / 2, size, b"0.8 0 0 RG")
    return ops, [x0, y0, x1, y1]


def generated_appearance(annot: Any) -> DecodedStreamObject | None:
    """A form XObject in page space (identity placement) drawing ``annot``, or
    ``None`` for a kind this module does not draw."""
    subtype = str(annot.get("/Subtype"))
    if subtype in ("/Highlight", "/Underline", "/StrikeOut", "/Squiggly"):
        body = _text_markup(annot, subtype)
        corners = [p for q in _quads(annot) for p in q]
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        bbox = [min(xs), min(ys), max(xs), max(ys)]
    elif subtype in ("/Square", "/Circle", "/Line", "/Ink", "/Polygon", "/PolyLine"):
        body = _shape(annot, subtype)
        bbox = list(_rect(annot))
        drawn = _points(annot, subtype)
        if drawn:
            xs, ys = drawn
            bbox = [min(bbox[0], *xs), min(bbox[1], *ys), max(bbox[2], *xs), max(bbox[3], *ys)]
    elif subtype == "/FreeText":
        body, bbox = _free_text(annot)
    elif subtype in ("/Text", "/Caret"):
        body, bbox = _note(annot)
    elif subtype == "/Stamp":
        body, bbox = _stamp(annot)
    else:
        return None
    pad = _width(annot) + 2
    return _form(b"q " + body + b" Q", [bbox[0] - pad, bbox[1] - pad, bbox[2] + pad, bbox[3] + pad])


def _points(annot: Any, subtype: str) -> tuple[list[float], list[float]] | None:
    if subtype == "/Ink":
        flat = [v for p in annot["/InkList"].get_object() for v in _floats(p)]
    else:
        flat = _floats(annot.get("/L" if subtype == "/Line" else "/Vertices"))
    if len(flat) < 2:
        return None
    return flat[0::2], flat[1::2]


def _form(content: bytes, bbox: list[float]) -> DecodedStreamObject:
    stream = DecodedStreamObject()
    stream.set_data(content)
    gs = DictionaryObject(
        {
            N("/Type"): N("/ExtGState"),
            N("/ca"): FloatObject(0.35),
            N("/CA"): FloatObject(0.35),
            N("/BM"): N("/Multiply"),
        }
    )
    stream.update(
        {
            N("/Type"): N("/XObject"),
            N("/Subtype"): N("/Form"),
            N("/FormType"): NumberObject(1),
            N("/BBox"): ArrayObject([FloatObject(v) for v in bbox]),
            N("/Resources"): DictionaryObject(
                {
                    N("/Font"): DictionaryObject({N("/PdpHelv"): DictionaryObject(HELVETICA)}),
                    N("/ExtGState"): DictionaryObject({N("/PdpGS"): gs}),
                }
            ),
        }
    )
    return stream

"""Redaction that removes: what lies under a box is taken out of the page, not
covered.

- Text: the glyphs under the box are taken out of their show-text operator;
  each is replaced in a TJ array by its advance (a positioning number), so the
  rest of the line stays exactly where it was.  Invisible text (an OCR layer)
  goes the same way.
- Images: the pixels the box covers, through the image's placement on the
  page, are painted black in the image itself and the image re-encoded: JPEG
  with the original's quantisation tables ("same quality"), anything else
  losslessly (Flate, or CCITT G4 for black-and-white scans).
- Forms (XObjects) painted on the page are rewritten the same way, as copies
  for this page alone.
- Then a black box is painted over each area (optionally saying "Redacted").

Vector drawings under a box are covered, not removed.
"""

from __future__ import annotations

import io
import logging
import math
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    StreamObject,
)

from pdpacket.errors import IntakeError
from pdpacket.intake.images import encode_image
from pdpacket.intake.pdfglyphs import (
    IDENTITY,
    MAX_FORM_DEPTH,
    FontInfo,
    GState,
    Interpreter,
    Matrix,
    Shown,
    apply,
    form_resources,
    invert,
    page_resources,
    raw_bytes,
)
from pdpacket.model.redaction import Box
from pdpacket.pdf.syntax import number

log = logging.getLogger("pdpacket.intake.redact")

LABEL_FONT = "/PdpRedactLabel"
LABEL = "Redacted"
# a glyph goes when this much of it (or its centre) is under a box
GLYPH_OVERLAP = 0.35

Ops = list[tuple[list[Any], bytes]]


@dataclass
class Stats:
    glyphs: int = 0
    pixels: int = 0
    images: int = 0
    pages: set[int] = field(default_factory=set)


class RedactionError(IntakeError):
    """The redaction could not remove what lies under a box; nothing was changed."""


def _overlap(a: Box, b: Box) -> float:
    w = min(a.x1, b.x1) - max(a.x0, b.x0)
    h = min(a.y1, b.y1) - max(a.y0, b.y0)
    return w * h if w > 0 and h > 0 else 0.0


def glyph_under(glyph: Box, boxes: Sequence[Box]) -> bool:
    cx, cy = (glyph.x0 + glyph.x1) / 2, (glyph.y0 + glyph.y1) / 2
    area = max(glyph.width * glyph.height, 1e-9)
    return any(
        b.contains_point(cx, cy) or _overlap(glyph, b) / area >= GLYPH_OVERLAP for b in boxes
    )


class _Redactor:
    def __init__(self, writer: PdfWriter, boxes: Sequence[Box], name: str, page: int) -> None:
        self.writer = writer
        self.boxes = boxes
        self.name = name
        self.page = page
        self.stats = Stats()

    # ---- text -------------------------------------------------------------------
    def show(self, op: bytes, operands: list[Any], shown: list[Shown], gs: GState) -> Ops | None:
        x0 = min(s.glyph.x0 for s in shown)
        x1 = max(s.glyph.x1 for s in shown)
        y0 = min(s.glyph.y0 for s in shown)
        y1 = max(s.glyph.y1 for s in shown)
        near = [b for b in self.boxes if b.x0 < x1 and x0 < b.x1 and b.y0 < y1 and y0 < b.y1]
        if not near:  # most operators: nothing of theirs is under a box
            return None
        gone = [glyph_under(s.glyph.box, near) for s in shown]
        if not any(gone):
            return None
        size = gs.text.size
        out: Ops = []
        if op == b"'":
            out.append(([], b"T*"))
        elif op == b'"' and len(operands) == 3:
            out += [([operands[0]], b"Tw"), ([operands[1]], b"Tc"), ([], b"T*")]
        items = list(operands[0]) if op == b"TJ" else [operands[-1]]
        font = gs.text.font or FontInfo(None)
        arr = ArrayObject()
        run = bytearray()
        pending = 0.0
        k = 0

        def flush_run() -> None:
            if run:
                arr.append(ByteStringObject(bytes(run)))
                run.clear()

        def push_number(v: float) -> None:
            nonlocal pending
            pending += v

        def flush_number() -> None:
            nonlocal pending
            if pending:
                arr.append(FloatObject(round(pending, 3)))
                pending = 0.0

        for item in items:
            if isinstance(item, (int, float)) and not isinstance(item, bool):
                flush_run()
                push_number(float(item))
                continue
            codes = font.codes(raw_bytes(item))
            for _ in codes:
                s = shown[k]
                if gone[k]:
                    flush_run()
                    if size:
                        push_number(-s.glyph.advance * 1000 / size)
                    if s.glyph.text.strip():
                        self.stats.glyphs += 1
                else:
                    flush_number()
                    run += s.code_bytes
                k += 1
        flush_run()
        flush_number()
        out.append(([arr], b"TJ"))
        return out

    # ---- images -----------------------------------------------------------------
    def pixel_rects(self, xobj: Any, ctm: Matrix) -> list[tuple[int, int, int, int]]:
        inv = invert(ctm)
        if inv is None:
            return []
        w, h = int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0))
        rects = []
        for b in self.boxes:
            pts = [apply(inv, x, y) for x in (b.x0, b.x1) for y in (b.y0, b.y1)]
            us = [p[0] for p in pts]
            vs = [p[1] for p in pts]
            x0 = max(0, math.floor(min(us) * w))
            x1 = min(w, math.ceil(max(us) * w))
            y0 = max(0, math.floor((1 - max(vs)) * h))
            y1 = min(h, math.ceil((1 - min(vs)) * h))
            if x1 > x0 and y1 > y0:
                rects.append((x0, y0, x1, y1))
        return rects

    def black_out(self, xobj: Any, rects: list[tuple[int, int, int, int]]) -> DecodedStreamObject:
        """A copy of image ``xobj`` with ``rects`` (pixels) painted black."""
        if xobj.get("/ImageMask"):
            raise RedactionError(
                self.name,
                f"page {self.page + 1} has a stencil-mask image under a redaction box, "
                "which pdpacket cannot edit",
                hint="Print the page and scan it, then add the scan instead and redact that.",
            )
        filters = xobj.get("/Filter")
        names = (
            [str(f) for f in filters]
            if isinstance(filters, list)
            else ([str(filters)] if filters else [])
        )
        new = DecodedStreamObject()
        if names and names[-1] == "/DCTDecode":  # get_data() undoes any filter before it
            im: Any = Image.open(io.BytesIO(xobj.get_data()))
            im.load()
            self._paint(im, rects)
            buf = io.BytesIO()
            try:
                im.save(buf, "JPEG", quality="keep", subsampling="keep")
            except (ValueError, OSError):
                im.save(buf, "JPEG", quality=90)
            for k, v in xobj.items():
                if k not in ("/Length", "/DecodeParms"):
                    new[NameObject(k)] = v
            new[NameObject("/Filter")] = NameObject("/DCTDecode")
            new.set_data(buf.getvalue())
            return new
        try:
            im = xobj.decode_as_image()
        except Exception as exc:  # pypdf/Pillow raise many kinds for odd images
            raise RedactionError(
                self.name,
                f"an image on page {self.page + 1} cannot be decoded to remove its pixels ({exc})",
                hint="Print the page and scan it, then add the scan instead and redact that.",
            ) from exc
        if im.mode in ("P", "RGBA", "RGBX", "YCbCr"):
            im = im.convert("RGB")
        elif im.mode in ("LA", "I", "I;16", "F"):
            im = im.convert("L")
        self._paint(im, rects)
        for k in ("/SMask", "/Interpolate", "/Intent", "/Type", "/Subtype"):
            if k in xobj:
                new[NameObject(k)] = xobj[k]
        new[NameObject("/Type")] = NameObject("/XObject")
        new[NameObject("/Subtype")] = NameObject("/Image")
        new[NameObject("/Width")] = NumberObject(im.size[0])
        new[NameObject("/Height")] = NumberObject(im.size[1])
        if im.mode == "1":
            enc = encode_image(im)  # CCITT G4, as intake stores black-and-white scans
            new[NameObject("/ColorSpace")] = NameObject(enc.colorspace.decode())
            new[NameObject("/BitsPerComponent")] = NumberObject(enc.bits)
            new[NameObject("/Filter")] = NameObject(enc.filter.decode())
            if enc.parms:
                new[NameObject("/DecodeParms")] = _parse_dict(enc.parms)
            new.set_data(enc.data)
            return new
        spaces = {"L": "/DeviceGray", "RGB": "/DeviceRGB", "CMYK": "/DeviceCMYK"}
        if im.mode not in spaces:
            im = im.convert("RGB")
        new[NameObject("/ColorSpace")] = NameObject(spaces[im.mode])
        new[NameObject("/BitsPerComponent")] = NumberObject(8)
        new[NameObject("/Filter")] = NameObject("/FlateDecode")
        new.set_data(zlib.compress(im.tobytes(), 6))
        return new

    def _paint(self, im: Any, rects: list[tuple[int, int, int, int]]) -> None:
        black: Any = {"1": 0, "L": 0, "RGB": (0, 0, 0), "CMYK": (0, 0, 0, 255)}.get(im.mode, 0)
        draw = ImageDraw.Draw(im)
        for x0, y0, x1, y1 in rects:
            draw.rectangle((x0, y0, x1 - 1, y1 - 1), fill=black)
            self.stats.pixels += (x1 - x0) * (y1 - y0)
        self.stats.images += 1

    # ---- a content stream and its resources ---------------------------------------
    def stream(
        self, ops: Ops, resources: DictionaryObject, ctm: Matrix, depth: int = 0
    ) -> tuple[Ops, DictionaryObject | None]:
        """The operations with what lies under the boxes removed, and new resources
        when an image or form they paint was replaced (None: unchanged)."""
        images: dict[str, tuple[Any, list[tuple[int, int, int, int]]]] = {}
        forms: dict[str, Any] = {}

        def on_image(name: str, xobj: Any, m: Matrix) -> None:
            rects = self.pixel_rects(xobj, m)
            if rects:
                images.setdefault(name, (xobj, []))[1].extend(rects)

        def on_form(name: str, xobj: Any, m: Matrix) -> None:
            if depth >= MAX_FORM_DEPTH or name in forms:
                return
            inner = ContentStream(xobj, None).operations
            res = form_resources(xobj, resources)
            new_ops, new_res = self.stream(inner, res, m, depth + 1)
            if new_ops != inner or new_res is not None:
                forms[name] = _form_copy(xobj, new_ops, new_res, self.writer)

        inline: dict[str, Any] = {}

        def on_inline(ii: Any, m: Matrix) -> Ops | None:
            xobj = inline_as_xobject(ii, resources)
            if xobj is None:
                return None
            rects = self.pixel_rects(xobj, m)
            if not rects:
                return None
            name = f"/PdpRedacted{len(inline) + 1}"
            inline[name] = self.black_out(xobj, rects)
            return [([NameObject(name)], b"Do")]

        interp = Interpreter(
            on_show=self.show, on_image=on_image, on_form=on_form, on_inline=on_inline
        )
        out = interp.run(ops, resources, ctm)
        if not images and not forms and not inline:
            return out, None
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else DictionaryObject()
        new_x = DictionaryObject({NameObject(k): v for k, v in xobjects.items()})
        for name, (xobj, rects) in images.items():
            new_x[NameObject(name)] = self.writer._add_object(self.black_out(xobj, rects))
        for name, form in forms.items():
            new_x[NameObject(name)] = self.writer._add_object(form)
        for name, image in inline.items():
            new_x[NameObject(name)] = self.writer._add_object(image)
        new_res = DictionaryObject({NameObject(k): v for k, v in resources.items()})
        new_res[NameObject("/XObject")] = new_x
        return out, new_res


_INLINE_KEYS = {
    "/BPC": "/BitsPerComponent",
    "/CS": "/ColorSpace",
    "/D": "/Decode",
    "/DP": "/DecodeParms",
    "/F": "/Filter",
    "/H": "/Height",
    "/W": "/Width",
    "/IM": "/ImageMask",
    "/I": "/Interpolate",
}
_INLINE_NAMES = {
    "/G": "/DeviceGray",
    "/RGB": "/DeviceRGB",
    "/CMYK": "/DeviceCMYK",
    "/I": "/Indexed",
    "/AHx": "/ASCIIHexDecode",
    "/A85": "/ASCII85Decode",
    "/LZW": "/LZWDecode",
    "/Fl": "/FlateDecode",
    "/RL": "/RunLengthDecode",
    "/CCF": "/CCITTFaxDecode",
    "/DCT": "/DCTDecode",
}


def _inline_value(v: Any) -> Any:
    if isinstance(v, NameObject):
        return NameObject(_INLINE_NAMES.get(str(v), str(v)))
    if isinstance(v, list):
        return ArrayObject(_inline_value(x) for x in v)
    return v


def inline_as_xobject(ii: Any, resources: DictionaryObject) -> Any:
    """An inline image (pypdf's {"settings", "data"}) as an image XObject, its
    abbreviations spelled out; None when it is not one pypdf can read."""
    try:
        settings = ii["settings"]
        data = ii["data"]
    except (KeyError, TypeError):
        return None
    values: dict[str, Any] = {
        "__streamdata__": data,
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Image"),
    }
    for k, v in settings.items():
        key = _INLINE_KEYS.get(str(k), str(k))
        if key == "/L":
            continue
        values[NameObject(key)] = _inline_value(v)
    cs = values.get("/ColorSpace")
    named = resources.get("/ColorSpace")
    named = named.get_object() if named is not None else None
    if isinstance(cs, NameObject) and isinstance(named, DictionaryObject) and cs in named:
        values[NameObject("/ColorSpace")] = named[cs]
    return StreamObject.initialize_from_dictionary(values)


def _parse_dict(raw: bytes) -> DictionaryObject:
    from pypdf.generic import read_object

    value = read_object(io.BytesIO(raw), None)
    assert isinstance(value, DictionaryObject)
    return value


def _form_copy(
    xobj: Any, ops: Ops, resources: DictionaryObject | None, writer: PdfWriter
) -> DecodedStreamObject:
    cs = ContentStream(None, writer)
    cs.operations = ops
    new = DecodedStreamObject()
    for k, v in xobj.items():
        if k not in ("/Length", "/Filter", "/DecodeParms"):
            new[NameObject(k)] = v
    if resources is not None:
        new[NameObject("/Resources")] = resources
    new[NameObject("/Filter")] = NameObject("/FlateDecode")
    new.set_data(zlib.compress(cs.get_data(), 6))
    return new


def _cover(boxes: Sequence[Box], label: bool) -> bytes:
    """The black boxes (and their labels) painted over the page."""
    parts = [b"q 0 g 0 G"]
    for b in boxes:
        parts.append(
            b"%s %s %s %s re f" % (number(b.x0), number(b.y0), number(b.width), number(b.height))
        )
    parts.append(b"Q")
    if label:
        for b in boxes:
            size = min(b.height * 0.6, b.width / (0.5 * len(LABEL) + 0.5))
            if size < 4:
                continue
            tx = b.x0 + (b.width - size * 0.5 * len(LABEL)) / 2
            ty = b.y0 + (b.height - size * 0.7) / 2
            parts.append(
                b"q 1 g BT %s %s Tf %s %s Td (%s) Tj ET Q"
                % (
                    LABEL_FONT.encode(),
                    number(size),
                    number(tx),
                    number(ty),
                    LABEL.encode(),
                )
            )
    return b"\n".join(parts)


def _redact_page(
    writer: PdfWriter, index: int, page_boxes: Sequence[Box], name: str, label: bool
) -> Stats:
    page = writer.pages[index]
    red = _Redactor(writer, [b.normalised() for b in page_boxes], name, index)
    contents = page.get_contents()
    ops: Ops = list(contents.operations) if contents is not None else []
    resources = page_resources(page)
    new_ops, new_res = red.stream(ops, resources, IDENTITY)
    res = new_res if new_res is not None else resources
    if label:
        res = DictionaryObject({NameObject(k): v for k, v in res.items()})
        fonts = res.get("/Font")
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        new_fonts = DictionaryObject({NameObject(k): v for k, v in fonts.items()})
        new_fonts[NameObject(LABEL_FONT)] = writer._add_object(
            DictionaryObject(
                {
                    NameObject("/Type"): NameObject("/Font"),
                    NameObject("/Subtype"): NameObject("/Type1"),
                    NameObject("/BaseFont"): NameObject("/Helvetica-Bold"),
                    NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
                }
            )
        )
        res[NameObject("/Font")] = new_fonts
    page[NameObject("/Resources")] = res
    cs = ContentStream(None, writer)
    cs.operations = [([], b"q"), *new_ops, ([], b"Q")]
    body = cs.get_data() + b"\n" + _cover(red.boxes, label)
    stream = DecodedStreamObject()
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    stream.set_data(zlib.compress(body, 6))
    page[NameObject("/Contents")] = writer._add_object(stream)
    return red.stats


def redact_pdf(
    pdf: bytes, boxes: Mapping[int, Sequence[Box]], *, name: str, label: bool = False
) -> tuple[bytes, Stats]:
    """``pdf`` with everything under ``boxes`` (page from 0 -> boxes) removed and
    covered; the statistics say how much went."""
    try:
        reader = PdfReader(io.BytesIO(pdf))
        writer = PdfWriter(clone_from=reader)
    except (PdfReadError, ValueError, OSError) as exc:
        raise RedactionError(name, f"the stored PDF cannot be read ({exc})") from exc
    total = Stats()
    for index, page_boxes in sorted(boxes.items()):
        if not page_boxes or not 0 <= index < len(writer.pages):
            continue
        try:
            stats = _redact_page(writer, index, page_boxes, name, label)
        except RedactionError:
            raise
        except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
            raise RedactionError(
                name,
                f"page {index + 1} could not be redacted ({exc}); nothing was changed",
                hint="Print the page and scan it, add the scan instead and redact that.",
            ) from exc
        total.glyphs += stats.glyphs
        total.pixels += stats.pixels
        total.images += stats.images
        total.pages.add(index)
    out = io.BytesIO()
    writer.write(out)
    log.info(
        "%s: %d glyphs and %d pixels removed on %d pages",
        name,
        total.glyphs,
        total.pixels,
        len(total.pages),
    )
    return out.getvalue(), total

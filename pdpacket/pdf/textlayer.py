"""The invisible text laid over a scanned page, so a packet can be searched,
selected and copied in any viewer.

Each word is drawn in text render mode 3 (neither filled nor stroked) exactly
over its box: the font size is the box's height and the text is stretched to
its width.  The font is a Type 3 font whose one glyph draws nothing (its
``d1`` bounding box matters: PDFium, the engine of Chrome and of the window's
preview, drops one-letter words whose glyph has none), so it is
embedded by nature (a court's "all fonts embedded" check passes) and costs a
few hundred bytes per packet; a ToUnicode map gives viewers and pdftotext the
text (Windows-1252: English, Spanish, Portuguese, French and Haitian Creole;
a character outside it becomes "?").
"""

from __future__ import annotations

from collections.abc import Sequence

from pdpacket.model.text import Word
from pdpacket.pdf.syntax import number

FONT_RESOURCE = "/PdpOcr"
GLYPH_WIDTH = 500  # glyph space units (1/1000 em): every character half an em wide
DESCENT = 0.2  # of the box height below the baseline
FIRST, LAST = 32, 255


def _cp1252_table() -> list[tuple[int, str]]:
    out = []
    for code in range(FIRST, LAST + 1):
        try:
            ch = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            ch = "?"
        out.append((code, ch))
    return out


def font_objects(proc_num: int, tounicode_num: int) -> tuple[bytes, bytes, bytes]:
    """(the font dictionary, its empty glyph's stream, its ToUnicode CMap stream)."""
    count = LAST - FIRST + 1
    widths = b" ".join([b"%d" % GLYPH_WIDTH] * count)
    diffs = b"%d" % FIRST + b"/g" * count
    font = (
        b"<</Type/Font/Subtype/Type3/FontBBox[0 -200 %d 800]/FontMatrix[0.001 0 0 0.001 0 0]"
        b"/CharProcs<</g %d 0 R>>/Encoding<</Type/Encoding/Differences[%s]>>"
        b"/FirstChar %d/LastChar %d/Widths[%s]/Resources<<>>/ToUnicode %d 0 R>>"
        % (GLYPH_WIDTH, proc_num, diffs, FIRST, LAST, widths, tounicode_num)
    )
    glyph = b"%d 0 0 -200 %d 800 d1" % (GLYPH_WIDTH, GLYPH_WIDTH)
    lines = [
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        b"/CIDSystemInfo<</Registry(Adobe)/Ordering(UCS)/Supplement 0>>def",
        b"/CMapName/PdpOcr-UCS def/CMapType 2 def",
        b"1 begincodespacerange <00><FF> endcodespacerange",
    ]
    table = _cp1252_table()
    for start in range(0, len(table), 100):
        chunk = table[start : start + 100]
        lines.append(b"%d beginbfchar" % len(chunk))
        for code, ch in chunk:
            lines.append(b"<%02X><%04X>" % (code, ord(ch)))
        lines.append(b"endbfchar")
    lines.append(b"endcmap CMapName currentdict/CMap defineresource pop end end")
    return font, glyph, b"\n".join(lines)


def encode(text: str) -> bytes:
    return text.encode("cp1252", "replace")


# the direction a word runs (its angle) -> (cos, sin)
_DIRECTIONS = {0: (1, 0), 90: (0, 1), 180: (-1, 0), 270: (0, -1)}


def text_stream(words: Sequence[Word], font: str = FONT_RESOURCE) -> bytes:
    """Content that draws ``words`` invisibly, in the page's own coordinates; a
    word that runs up or down the page (a landscape scan turned to portrait) is
    drawn turned the same way, so viewers select and extract it as a word."""
    parts = [b"q BT 3 Tr ", font.encode("ascii"), b" 1 Tf\n"]
    for w in words:
        data = encode(w.text)
        cos, sin = _DIRECTIONS.get(w.angle % 360, (1, 0))
        across, along = (w.x1 - w.x0, w.y1 - w.y0) if sin else (w.y1 - w.y0, w.x1 - w.x0)
        h, length = across, along  # the text's height, and how far it runs
        if not data or h <= 0 or length <= 0:
            continue
        natural = len(data) * GLYPH_WIDTH / 1000.0 * h
        sx = h * length / natural if natural > 0 else h
        # the baseline's start: the box's corner where the text begins, lifted
        # by the descent towards the text's "up" (the direction turned 90° left)
        up = (-sin, cos)
        start_x = w.x0 if (cos > 0 or up[0] > 0) else w.x1
        start_y = w.y0 if (sin > 0 or up[1] > 0) else w.y1
        ox = start_x + up[0] * DESCENT * h
        oy = start_y + up[1] * DESCENT * h
        parts.append(
            b"%s %s %s %s %s %s Tm <%s> Tj\n"
            % (
                number(sx * cos),
                number(sx * sin),
                number(-h * sin),
                number(h * cos),
                number(ox),
                number(oy),
                data.hex().encode("ascii"),
            )
        )
    parts.append(b"ET Q\n")
    return b"".join(parts)

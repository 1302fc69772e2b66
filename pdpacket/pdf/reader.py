"""Reading PDF objects straight from a file's bytes: a small tokenizer.

A general PDF parser costs more than the rest of a build together; the packet
only needs the objects its pages reach, nearly all plain dictionaries, arrays
and streams at the offsets the cross-reference table gives.  This reads those,
and raises ``Unusual`` for anything it is not sure about (an object at a wrong
offset, a stream whose /Length is off, a token it does not know, nesting deeper
than any real file) so the caller can read that one object another way.  It
never guesses: what it returns is the object exactly as written.

Values are the plain ones of ``pdf.syntax``.  Also here: what the builder asks
of a page (its visible box, rotation and content streams) and the walk of a
page tree, over anything that can look objects up (``ObjectSource``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from pdpacket.pdf.syntax import Name, Raw, Ref

PAGE_W, PAGE_H = 612.0, 792.0
MAX_DEPTH = 64  # arrays and dictionaries nested deeper are not from a real file
_WS = rb"[\x00\t\n\x0c\r ]"
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_SKIP = rb"(?:" + _WS + rb"+|%[^\r\n]*)*"
_TOKEN = re.compile(
    _SKIP + rb"(?:"
    rb"(?P<ref>(?P<n1>\d+)" + _WS + rb"+(?P<n2>\d+)" + _WS + rb"+R(?!" + _REGULAR + rb"))"
    rb"|(?P<dopen><<)|(?P<dclose>>>)|(?P<aopen>\[)|(?P<aclose>\])|(?P<str>\()"
    rb"|(?P<name>/" + _REGULAR + rb"*)"
    rb"|(?P<hex><[0-9A-Fa-f\x00\t\n\x0c\r ]*>)"
    rb"|(?P<word>" + _REGULAR + rb"+)"
    rb")"
)
NUMBER = re.compile(rb"[+-]?(?:\d+\.?\d*|\.\d+)\Z")
_OBJ_HEADER = re.compile(_WS + rb"*(\d+)" + _WS + rb"+(\d+)" + _WS + rb"+obj(?!" + _REGULAR + rb")")
_STREAM = re.compile(_SKIP + rb"stream(?:\r\n|\n)")
_ENDSTREAM = re.compile(_WS + rb"*endstream")
_STRING_STOP = re.compile(rb"[()\\]")
_KEYWORDS = frozenset({b"true", b"false", b"null"})
INHERITED = ("/Resources", "/MediaBox", "/CropBox", "/Rotate")

Stream = bytes | memoryview
Entry = tuple[Any, Stream | None]  # an object and its stream data, if it is a stream


class Unusual(Exception):
    """The tokenizer is not sure about this object: read it another way."""


class ObjectSource(Protocol):
    """Something that looks objects up by reference (a source PDF)."""

    def get(self, ref: Ref) -> Entry: ...

    def resolve(self, v: Any) -> Any: ...


def _literal(data: bytes, start: int) -> tuple[Raw, int]:
    depth, pos = 0, start
    while True:
        m = _STRING_STOP.search(data, pos)
        if m is None:
            raise Unusual
        c = data[m.start()]
        if c == 0x5C:  # backslash: skip the escaped character
            pos = m.start() + 2
            continue
        depth += 1 if c == 0x28 else -1
        pos = m.end()
        if depth == 0:
            return Raw(data[start:pos]), pos


def parse_object(data: bytes, pos: int, depth: int = 0) -> tuple[Any, int]:
    """The direct object at ``pos`` and the position after it."""
    m = _TOKEN.match(data, pos)
    if m is None or depth > MAX_DEPTH:
        raise Unusual
    kind, end = m.lastgroup, m.end()
    if kind == "name":
        return Name(m["name"]), end
    if kind == "ref":
        return Ref(int(m["n1"]), int(m["n2"])), end
    if kind == "word":
        word = m["word"]
        if word in _KEYWORDS or NUMBER.match(word):
            return Raw(word), end
        raise Unusual
    if kind == "dopen":
        d: dict[str, Any] = {}
        while True:
            k = _TOKEN.match(data, end)
            if k is None:
                raise Unusual
            if k.lastgroup == "dclose":
                return d, k.end()
            if k.lastgroup != "name":
                raise Unusual
            d[k["name"].decode("latin-1")], end = parse_object(data, k.end(), depth + 1)
    if kind == "aopen":
        items: list[Any] = []
        while True:
            k = _TOKEN.match(data, end)
            if k is None:
                raise Unusual
            if k.lastgroup == "aclose":
                return items, k.end()
            value, end = parse_object(data, end, depth + 1)
            items.append(value)
    if kind == "str":
        return _literal(data, m.start("str"))
    if kind == "hex":
        return Raw(m["hex"]), end
    raise Unusual


def read_indirect(
    data: bytes, view: memoryview, offset: int, ref: Ref, length: Callable[[Ref], Any]
) -> tuple[Any, memoryview | None]:
    """The object ``ref`` written at ``offset`` (``N G obj ...``) and, for a
    stream, a view of its data; ``length`` looks up an indirect /Length."""
    m = _OBJ_HEADER.match(data, offset)
    if m is None or int(m[1]) != ref.idnum or int(m[2]) != ref.gen:
        raise Unusual
    value, pos = parse_object(data, m.end())
    if type(value) is dict:
        s = _STREAM.match(data, pos)
        if s is not None:
            n = value.get("/Length")
            if type(n) is Ref:
                n = length(n)
            if type(n) is not Raw or not n.isdigit():
                raise Unusual
            start = s.end()
            end = start + int(n)
            if _ENDSTREAM.match(data, end) is None:
                raise Unusual
            return value, view[start:end]
    return value, None


def walk_pages(src: ObjectSource, pages_root: Any) -> list[dict[str, Any]]:
    """Every page dictionary under the page tree node ``pages_root``, with the
    attributes it inherits filled in; ``Unusual`` for a tree that loops, a kid
    that is not a reference, or a node that is not a dictionary."""
    out: list[dict[str, Any]] = []
    seen: set[Ref] = set()

    def walk(node: Any, inherited: dict[str, Any], depth: int) -> None:
        if type(node) is not dict or depth > 32:
            raise Unusual
        if node.get("/Type") == b"/Page":
            page = dict(inherited)
            page.update(node)
            out.append(page)
            return
        kids = src.resolve(node.get("/Kids"))
        if type(kids) is not list:
            raise Unusual
        here = dict(inherited)
        here.update((k, node[k]) for k in INHERITED if k in node)
        for kid in kids:
            if type(kid) is not Ref or kid in seen:
                raise Unusual
            seen.add(kid)
            walk(src.resolve(kid), here, depth + 1)

    walk(src.resolve(pages_root), {}, 0)
    return out


# ---- what the builder asks of a page ----------------------------------------------
def number_value(src: ObjectSource, v: Any) -> float:
    v = src.resolve(v)
    if type(v) is not Raw:
        raise ValueError("not a number")
    return float(v)


def rect(src: ObjectSource, v: Any) -> tuple[float, float, float, float] | None:
    """A rectangle, normalised (x0 <= x1, y0 <= y1), or None if it is not one."""
    try:
        arr = src.resolve(v)
        x0, y0, x1, y1 = (number_value(src, x) for x in arr)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def visible_box(src: ObjectSource, page: dict[str, Any]) -> tuple[float, float, float, float]:
    """The part of the page a viewer shows: the crop box inside the media box
    (a letter-size page when neither is readable, the media box when they miss)."""
    media = rect(src, page.get("/MediaBox")) or (0.0, 0.0, PAGE_W, PAGE_H)
    crop = rect(src, page.get("/CropBox"))
    if crop is None:
        return media
    box = (
        max(media[0], crop[0]),
        max(media[1], crop[1]),
        min(media[2], crop[2]),
        min(media[3], crop[3]),
    )
    if box[2] - box[0] < 1 or box[3] - box[1] < 1:
        return media
    return box


def rotation(src: ObjectSource, page: dict[str, Any]) -> int:
    """The page's /Rotate in 0, 90, 180, 270 (0 when it is not a quarter turn)."""
    try:
        value = int(number_value(src, page.get("/Rotate", Raw(b"0"))))
    except (TypeError, ValueError, OverflowError):
        return 0
    return value % 360 if value % 90 == 0 else 0


def content_refs(src: ObjectSource, page: dict[str, Any]) -> list[Ref]:
    """The page's content streams, in order (one stream or an array of them)."""
    raw = page.get("/Contents")
    if type(raw) is Ref:
        value, stream = src.get(raw)
        if stream is not None:
            return [raw]
        raw = value
    if type(raw) is list:
        return [c for c in raw if type(c) is Ref]
    return []

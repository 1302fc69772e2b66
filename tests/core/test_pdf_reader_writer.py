"""The low-level PDF reader and writer on their own (pdpacket.pdf).

Files our writer makes are checked by two independent readers: qpdf (``--check``
exits 0) and pypdf (it reads back the objects that were written).  A fuzz run
writes random but valid object graphs and pages; another bends valid files
(truncated, wrong /Length, garbage) and checks the reader answers with its own
clean signal -- ``Unusual`` for one object, ``IntegrityError`` for a file --
never another exception and never a hang.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    IndirectObject,
    NullObject,
    StreamObject,
)

from pdpacket.errors import IntegrityError
from pdpacket.packet.source import Source
from pdpacket.pdf import reader, syntax
from pdpacket.pdf.images import a85decode
from pdpacket.pdf.reader import Entry, Unusual, parse_object, read_indirect, walk_pages
from pdpacket.pdf.syntax import NULL, Name, Raw, Ref
from pdpacket.pdf.writer import HEADER, Copier, Out, OutlineNode, write_outline
from tests.pdftools import qpdf_check


class MemSource:
    """Objects held in memory, looked up like a source file's."""

    def __init__(self, objects: dict[Ref, Entry]) -> None:
        self.objects = objects

    def get(self, ref: Ref) -> Entry:
        return self.objects.get(ref, (NULL, None))

    def resolve(self, v: Any) -> Any:
        return self.get(v)[0] if type(v) is Ref else v


def write_pdf(
    src: MemSource,
    keep: list[Ref],
    pages: list[tuple[bytes, dict[str, Any]]],
    outline: list[OutlineNode] | None = None,
    kinds: tuple[str, str] = ("resources", "font"),
) -> tuple[bytes, dict[Ref, int], list[int]]:
    """A PDF with ``pages`` (content, resources) whose catalog lists ``keep``
    under /PdpKeep; the copier's memo (source ref -> output number) and the
    offsets of every object."""
    fh = io.BytesIO()
    out = Out(fh)
    out.w(HEADER)
    catalog, pages_root = out.alloc(), out.alloc()
    memo: dict[Ref, int] = {}
    cp = Copier(out, src, memo)
    page_nums = []
    for content, resources in pages:
        c = out.alloc()
        out.stream(c, b"", content)
        parts = [b"<</Type/Page/Parent %d 0 R/MediaBox[0 0 612 792]/Resources" % pages_root]
        cp.ser(resources, parts, kinds[0])
        parts.append(b"/Contents %d 0 R>>" % c)
        num = out.alloc()
        out.obj(num, b"".join(parts))
        page_nums.append(num)
    kids = b"".join(b" %d 0 R" % n for n in page_nums)
    out.obj(pages_root, b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(page_nums), kids))
    outlines = write_outline(out, outline or [], page_nums)
    parts = [b"<</Type/Catalog/Pages %d 0 R/Outlines %d 0 R/PdpKeep" % (pages_root, outlines)]
    cp.ser(keep, parts, kinds[1])
    parts.append(b">>")
    out.obj(catalog, b"".join(parts))
    cp.drain()
    info = out.alloc()
    out.obj(info, b"<</Producer" + syntax.text_string("pdpacket tests") + b">>")
    out.xref_and_trailer(catalog, info, b"0" * 32)
    out.close()
    return fh.getvalue(), memo, out.offsets


def qpdf_ok(data: bytes) -> None:
    fd, name = tempfile.mkstemp(suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        qpdf_check(Path(name))
    finally:
        os.unlink(name)


# ---- syntax --------------------------------------------------------------------------
def test_numbers_are_spelled_as_integers_or_short_decimals():
    assert syntax.number(1.0) == b"1"
    assert syntax.number(0.9999999) == b"1"
    assert syntax.number(-0.0000001) == b"0"
    assert syntax.number(0.955) == b"0.955"
    assert syntax.number(12.345678) == b"12.3457"
    assert syntax.number(12.345678, places=5) == b"12.34568"
    assert syntax.number(-3.5) == b"-3.5"


def test_literal_strings_escape_what_would_end_them():
    assert syntax.escape(r"a(b)c\d") == rb"a\(b\)c\\d"
    assert syntax.escape("p. 1 – 2") == b"p. 1 ? 2"  # not in Latin-1
    assert syntax.escape("Ex. Ñ") == "Ex. Ñ".encode("latin-1")


def test_text_strings_are_literal_when_ascii_and_utf16_otherwise():
    assert syntax.text_string("A (1)\n") == rb"(A \(1\)\n)"
    assert syntax.text_string("Ñandú") == b"<FEFF00D10061006E006400FA>"
    assert syntax.date(dt.date(2026, 3, 5)) == b"(D:20260305000000Z)"


# ---- the tokenizer ---------------------------------------------------------------------
def test_the_tokenizer_reads_every_kind_of_direct_object_as_written():
    data = (
        b"<</Type/Page %comment\n/Kids[1 0 R 2 0 R]/N -1.50/S (a (nested\\) one) x)"
        b"/H <48 69>/B true/Z null/E<<>>/A[[]]>>tail"
    )
    value, end = parse_object(data, 0)
    assert data[end:] == b"tail"
    assert value == {
        "/Type": Name(b"/Page"),
        "/Kids": [Ref(1, 0), Ref(2, 0)],
        "/N": Raw(b"-1.50"),
        "/S": Raw(b"(a (nested\\) one) x)"),
        "/H": Raw(b"<48 69>"),
        "/B": Raw(b"true"),
        "/Z": Raw(b"null"),
        "/E": {},
        "/A": [[]],
    }
    assert type(value["/Type"]) is Name and type(value["/N"]) is Raw


@pytest.mark.parametrize(
    "bad",
    [
        b"",
        b"<</A 1",  # truncated dictionary
        b"[1 2",  # truncated array
        b"(unbalanced",  # unterminated string
        b"<</A>>",  # a key with no value ends the dictionary where a value should be
        b"<<1 2>>",  # a key that is not a name
        b"BT",  # an operator, not an object
        b"[" * 100 + b"]" * 100,  # deeper than any real file
    ],
)
def test_what_the_tokenizer_is_not_sure_of_is_unusual(bad):
    with pytest.raises(Unusual):
        parse_object(bad, 0)


def test_an_indirect_stream_is_read_when_its_length_is_right_and_refused_when_not():
    body = b"7 0 obj\n<</Length 5>>\nstream\nhello\nendstream\nendobj\n"
    value, data = read_indirect(body, memoryview(body), 0, Ref(7, 0), lambda r: NULL)
    assert value == {"/Length": Raw(b"5")} and bytes(data or b"") == b"hello"
    wrong = body.replace(b"/Length 5", b"/Length 4")
    with pytest.raises(Unusual):
        read_indirect(wrong, memoryview(wrong), 0, Ref(7, 0), lambda r: NULL)
    with pytest.raises(Unusual):  # not the object the table said is there
        read_indirect(body, memoryview(body), 0, Ref(8, 0), lambda r: NULL)
    indirect = body.replace(b"/Length 5", b"/Length 9 0 R")
    lengths = {Ref(9, 0): Raw(b"5")}
    value, data = read_indirect(indirect, memoryview(indirect), 0, Ref(7, 0), lengths.__getitem__)
    assert bytes(data or b"") == b"hello"


def test_pages_inherit_from_their_tree_and_a_looping_tree_is_unusual():
    src = MemSource(
        {
            Ref(1, 0): ({"/Kids": [Ref(2, 0), Ref(3, 0)], "/Rotate": Raw(b"90")}, None),
            Ref(2, 0): ({"/Type": Name(b"/Page")}, None),
            Ref(3, 0): ({"/Type": Name(b"/Page"), "/Rotate": Raw(b"0")}, None),
        }
    )
    pages = walk_pages(src, Ref(1, 0))
    assert [reader.rotation(src, p) for p in pages] == [90, 0]
    src.objects[Ref(4, 0)] = ({"/Kids": [Ref(4, 0)]}, None)
    with pytest.raises(Unusual):
        walk_pages(src, Ref(4, 0))


def test_a_page_box_is_the_crop_box_inside_the_media_box():
    src = MemSource({})
    page = {
        "/MediaBox": [Raw(b"0"), Raw(b"0"), Raw(b"612"), Raw(b"792")],
        "/CropBox": [Raw(b"700"), Raw(b"10"), Raw(b"-5"), Raw(b"800")],  # reversed, too wide
    }
    assert reader.visible_box(src, page) == (0, 10, 612, 792)
    assert reader.visible_box(src, {"/MediaBox": Name(b"/X")}) == (0, 0, 612, 792)
    assert reader.rotation(src, {"/Rotate": Raw(b"45")}) == 0


# ---- filters -------------------------------------------------------------------------
def test_ascii85_as_pdf_writes_it() -> None:
    import base64

    for n in (0, 1, 2, 3, 4, 5, 7, 8, 1000):
        raw = os.urandom(n)
        for encoded in (base64.a85encode(raw, wrapcol=75) + b"~>", b"<~" + base64.a85encode(raw)):
            assert a85decode(encoded) == raw, n
    zeros = b"\0" * 8 + b"pdf"
    assert a85decode(base64.a85encode(zeros) + b"\n~>") == zeros  # "z" groups


# ---- the writer ----------------------------------------------------------------------
def test_copied_objects_are_renumbered_once_and_dropped_keys_stay_behind():
    font = Ref(10, 0)
    src = MemSource(
        {
            font: (
                {
                    "/Type": Name(b"/Font"),
                    "/Metadata": Ref(11, 0),
                    "/DescendantFonts": [font],
                    "/Custom": Ref(13, 0),
                },
                None,
            ),
            Ref(12, 0): ({"/Type": Name(b"/Page")}, None),  # another file's page: null
        }
    )
    content = b"q 1 0 0 1 0 0 cm Q"
    data, memo, _ = write_pdf(src, [font, Ref(12, 0)], [(content, {"/Font": {"/F1": font}})] * 2)
    qpdf_ok(data)
    pdf = PdfReader(io.BytesIO(data))
    keep = pdf.trailer["/Root"]["/PdpKeep"]
    f = keep[0].get_object()
    assert keep[0].idnum == memo[font] and "/Metadata" not in f
    assert dict.__getitem__(f, "/DescendantFonts")[0].idnum == memo[font]
    assert "/Custom" not in f and Ref(13, 0) not in memo  # not a font's key: dropped
    assert isinstance(keep[1].get_object(), NullObject)
    assert Ref(11, 0) not in memo  # reached only through a dropped key: not written
    assert [p.get_contents().get_data() for p in pdf.pages] == [content, content]


def test_bookmarks_nest_and_point_at_their_pages():
    nodes = [
        OutlineNode("Cover", 0),
        OutlineNode("Section", 1, kids=[OutlineNode("Exhibit A – Ñ", 1)], open=True),
    ]
    data, _, _ = write_pdf(MemSource({}), [], [(b"", {})] * 2, nodes)
    qpdf_ok(data)
    pdf = PdfReader(io.BytesIO(data))
    outline = pdf.outline
    assert outline[0].title == "Cover" and outline[1].title == "Section"
    assert outline[2][0].title == "Exhibit A – Ñ"
    assert pdf.get_destination_page_number(outline[2][0]) == 1


def test_an_object_allocated_but_never_written_is_refused():
    out = Out(io.BytesIO())
    out.w(HEADER)
    out.alloc()
    with pytest.raises(RuntimeError, match="never written"):
        out.xref_and_trailer(1, 1, b"0" * 32)
    out.abort()


# ---- fuzz: random object graphs, written, read back by qpdf, pypdf and our reader -------
_KEYS = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6).map(
    lambda s: "/k" + s
)
_NAMES = st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", min_size=1)
_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\r()\\"),
    max_size=24,
)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[Any], list[bytes | None], list[tuple[int, ...]]]:
    """(values, stream data or None, each page's resources as object indexes)."""
    n = draw(st.integers(1, 8))
    leaf = st.one_of(
        st.integers(-(2**31), 2**31).map(lambda i: ("int", i)),
        st.floats(-1e5, 1e5, allow_nan=False).map(lambda f: ("real", f)),
        st.booleans(),
        st.none(),
        _NAMES.map(lambda s: ("name", s)),
        _TEXT.map(lambda t: ("str", t)),
        st.integers(0, n - 1).map(lambda j: ("ref", j)),
    )
    values = st.recursive(
        leaf,
        lambda kids: st.lists(kids, max_size=5) | st.dictionaries(_KEYS, kids, max_size=5),
        max_leaves=12,
    )
    top = st.lists(values, max_size=5) | st.dictionaries(_KEYS, values, max_size=5)
    objs = [draw(top) for _ in range(n)]
    streams = [draw(st.none() | st.binary(max_size=300)) for _ in range(n)]
    pages = draw(
        st.lists(st.lists(st.integers(0, n - 1), max_size=3).map(tuple), min_size=1, max_size=4)
    )
    return objs, streams, pages


def to_syntax(v: Any) -> Any:
    if v is None:
        return NULL
    if isinstance(v, bool):
        return Raw(b"true" if v else b"false")
    if isinstance(v, list):
        return [to_syntax(x) for x in v]
    if isinstance(v, dict):
        return {k: to_syntax(x) for k, x in v.items()}
    kind, x = v
    return {
        "int": lambda: Raw(b"%d" % x),
        "real": lambda: Raw(syntax.number(x)),
        "name": lambda: Name(b"/" + x.encode()),
        "str": lambda: Raw(syntax.text_string(x)),
        "ref": lambda: Ref(x + 1, 0),
    }[kind]()


def same_in_pypdf(o: Any, v: Any, memo: dict[Ref, int]) -> bool:
    if v is None:
        return isinstance(o, NullObject)
    if isinstance(v, bool):
        return isinstance(o, BooleanObject) and o.value is v
    if isinstance(v, list):
        items = list(list.__iter__(o)) if isinstance(o, ArrayObject) else None
        return (
            items is not None
            and len(items) == len(v)
            and all(same_in_pypdf(a, b, memo) for a, b in zip(items, v, strict=True))
        )
    if isinstance(v, dict):
        if not isinstance(o, DictionaryObject):
            return False
        got = {k: x for k, x in dict.items(o) if k != "/Length"}
        return set(got) == set(v) and all(same_in_pypdf(got[k], v[k], memo) for k in v)
    kind, x = v
    if kind == "ref":
        return isinstance(o, IndirectObject) and o.idnum == memo[Ref(x + 1, 0)]
    if kind == "int":
        return int(o) == x
    if kind == "real":
        return float(o) == pytest.approx(float(syntax.number(x)), abs=1e-9)
    return str(o) == (x if kind == "str" else "/" + x)


def objects_of(data: bytes, offsets: list[int]) -> Iterator[tuple[int, Entry]]:
    """Every object of a file our writer made, read back by our own reader."""
    view = memoryview(data)
    found: dict[int, Entry] = {}

    def length(r: Ref) -> Any:
        return found[r.idnum][0] if r.idnum in found else NULL

    for num, offset in enumerate(offsets[1:], 1):
        found[num] = read_indirect(data, view, offset, Ref(num, 0), length)
        yield num, found[num]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_random_object_graphs_write_valid_pdfs_that_read_back_the_same(graph):
    objs, streams, pages = graph
    src = MemSource({})
    for i, (v, s) in enumerate(zip(objs, streams, strict=True)):
        if s is not None and not isinstance(v, dict):
            objs[i] = v = {"/kv": v}  # a stream's object is its dictionary
        src.objects[Ref(i + 1, 0)] = (to_syntax(v), s)
    keep = [Ref(i + 1, 0) for i in range(len(objs))]
    content = b"q 0.5 0 0 0.5 10 20 cm 0 0 m 100 100 l S Q"
    page_list = [(content, {"/XObject": {f"/X{j}": Ref(j + 1, 0) for j in p}}) for p in pages]
    # The copier keeps only the keys ``pdf.allowlist`` gives each kind; here any
    # key is kept (a map of maps, deeper than any graph drawn) to test the
    # syntax round trip itself.
    anything = "map:" * 400 + "plain"
    data, memo, offsets = write_pdf(src, keep, page_list, kinds=(anything, anything))

    qpdf_ok(data)

    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) == len(pages)
    for i, ref in enumerate(pdf.trailer["/Root"]["/PdpKeep"]):
        got = ref.get_object()
        assert same_in_pypdf(got, objs[i], memo), (got, objs[i])
        if streams[i] is not None:
            assert isinstance(got, StreamObject) and got.get_data() == streams[i]

    ours = dict(objects_of(data, offsets))
    for i, s in enumerate(streams):
        value, stream = ours[memo[Ref(i + 1, 0)]]
        if s is not None:
            assert bytes(stream or b"") == s
        if type(value) is dict:
            value = {k: x for k, x in value.items() if k != "/Length"}
        assert value == _renumber(to_syntax(objs[i]), memo)


def _renumber(v: Any, memo: dict[Ref, int]) -> Any:
    if type(v) is Ref:
        return Ref(memo[v], 0)
    if type(v) is dict:
        return {k: _renumber(x, memo) for k, x in v.items()}
    if type(v) is list:
        return [_renumber(x, memo) for x in v]
    return v


# ---- fuzz: bent files -----------------------------------------------------------------
def _sample() -> tuple[bytes, list[int]]:
    font = Ref(1, 0)
    src = MemSource(
        {
            font: ({"/Type": Name(b"/Font"), "/Widths": Ref(2, 0)}, None),
            Ref(2, 0): ([Raw(b"500")] * 8, None),
            Ref(3, 0): ({"/Subtype": Name(b"/Image")}, b"\x00\xff" * 40),
        }
    )
    res = {"/Font": {"/F1": font}, "/XObject": {"/Im": Ref(3, 0)}}
    content = b"BT /F1 12 Tf (Exhibit A) Tj ET"
    data, _, offsets = write_pdf(src, [font], [(content, res)] * 3, [OutlineNode("A", 2)])
    return data, offsets


SAMPLE, SAMPLE_OFFSETS = _sample()


@st.composite
def bent(draw: st.DrawFn) -> bytes:
    data = bytearray(SAMPLE)
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["truncate", "overwrite", "insert", "length", "offset"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if how == "truncate":
            del data[at:]
        elif how == "overwrite":
            junk = draw(st.binary(min_size=1, max_size=16))
            data[at : at + len(junk)] = junk
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=16))
        elif how == "length":
            i = data.find(b"/Length ", at)
            if i >= 0:
                data[i + 8 : i + 9] = str(draw(st.integers(0, 9))).encode()
        else:  # an xref entry that points somewhere else
            i = data.find(b" 00000 n ", at)
            if i >= 10:
                data[i - 10 : i] = b"%010d" % draw(st.integers(0, 2 * len(data)))
    return bytes(data)


@settings(max_examples=150, deadline=2000)
@given(bent())
def test_a_bent_file_gives_a_clean_answer_never_a_crash_or_a_hang(data):
    view = memoryview(data)
    for num, offset in enumerate(SAMPLE_OFFSETS[1:], 1):
        with contextlib.suppress(Unusual):
            read_indirect(data, view, offset, Ref(num, 0), lambda r: NULL)
    try:
        src = Source(data, "A bent file")
        pages = src.pages(3)
    except IntegrityError:
        return
    for page in pages:
        reader.visible_box(src, page)
        reader.rotation(src, page)
        for ref in reader.content_refs(src, page):
            src.get(ref)


@settings(max_examples=300, deadline=1000)
@given(st.binary(max_size=200))
def test_the_tokenizer_answers_garbage_with_unusual_or_a_value(data):
    with contextlib.suppress(Unusual):
        parse_object(data, 0)


def test_a_stored_file_whose_page_tree_loops_is_reported_as_damaged():
    # One bent byte after a page's "obj": pypdf then finds the page tree looping.
    data = SAMPLE.replace(b"10 0 obj\n<</Type/Page", b"10 0 obj\x01<</Type/Page")
    assert data != SAMPLE
    with pytest.raises(IntegrityError, match="Exhibit C cannot be read as a PDF any more"):
        Source(data, "Exhibit C").pages(3)

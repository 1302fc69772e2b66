"""Writing a PDF object by object: the output file, copying objects from a
source with their references renumbered, bookmarks, and the cross-reference
table and trailer.

The writer streams: objects go out as they are made, so memory stays flat
however long the file.  Object numbers are handed out in the order objects are
first needed, which makes the output byte-for-byte reproducible.
"""

from __future__ import annotations

import hashlib
import queue
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from pdpacket.pdf.allowlist import BY_SUBTYPE, KEYS, PLAIN
from pdpacket.pdf.images import ImageHook, recode_image
from pdpacket.pdf.reader import ObjectSource, Stream
from pdpacket.pdf.syntax import Name, Raw, Ref, key, text_string

# keys the copier never keeps (``pdf.allowlist`` gives them to no kind);
# ``packet.sizes`` does not follow them when it estimates a file's size
DROP_KEYS = frozenset(
    {"/Metadata", "/PieceInfo", "/LastModified", "/StructParent", "/StructParents"}
)
# objects written as null when reached: the source's page tree, catalog and annotations
NOT_COPIED_TYPES = frozenset({b"/Page", b"/Pages", b"/Catalog", b"/Annot"})
HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
_CHUNK = 1 << 20


class Out:
    """A PDF written object by object to a file.

    Chunks go to a background thread that writes and hashes them (both release
    the GIL), so disk and SHA-256 run beside the parsing on the other core.
    """

    def __init__(self, fh: IO[bytes]) -> None:
        self.fh = fh
        self.pos = 0
        self.offsets: list[int] = [0]
        self._buf: list[bytes | memoryview] = []
        self._buflen = 0
        self.sha = hashlib.sha256()
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=8)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._drain, name="pdpacket-writer", daemon=True)
        self._thread.start()

    def _drain(self) -> None:
        while True:
            data = self._queue.get()
            if data is None:
                return
            if self._error is not None:
                continue
            try:
                self.fh.write(data)
                self.sha.update(data)
            except BaseException as exc:  # e.g. disk full: raised in the builder
                self._error = exc

    def w(self, data: bytes | memoryview) -> None:
        self._buf.append(data)
        self._buflen += len(data)
        self.pos += len(data)
        if self._buflen >= _CHUNK:
            self._send()

    def _send(self) -> None:
        if self._error is not None:
            raise self._error
        if self._buf:
            self._queue.put(b"".join(self._buf))
            self._buf.clear()
            self._buflen = 0

    def close(self) -> None:
        """Write what is left and wait for the writer thread."""
        try:
            self._send()
        finally:
            self._queue.put(None)
            self._thread.join()
        if self._error is not None:
            raise self._error

    def abort(self) -> None:
        self._error = self._error or RuntimeError("aborted")
        self._buf.clear()
        self._queue.put(None)
        self._thread.join()

    def alloc(self) -> int:
        self.offsets.append(-1)
        return len(self.offsets) - 1

    def obj(self, num: int, body: bytes) -> None:
        self.offsets[num] = self.pos
        self.w(b"%d 0 obj\n" % num)
        self.w(body)
        self.w(b"\nendobj\n")

    def stream(self, num: int, dict_body: bytes, data: bytes | memoryview) -> None:
        self.offsets[num] = self.pos
        self.w(b"%d 0 obj\n<<%s/Length %d>>\nstream\n" % (num, dict_body, len(data)))
        self.w(data)
        self.w(b"\nendstream\nendobj\n")

    def xref_and_trailer(self, root: int, info: int, doc_id: bytes) -> None:
        """The cross-reference table and trailer: the end of the file.  Every
        allocated object must have been written by now."""
        xref = self.pos
        size = len(self.offsets)
        self.w(b"xref\n0 %d\n0000000000 65535 f \n" % size)
        missing = [n for n, off in enumerate(self.offsets) if off < 0]
        if missing:
            raise RuntimeError(f"objects allocated but never written: {missing[:5]}")
        self.w(b"".join(b"%010d 00000 n \n" % off for off in self.offsets[1:]))
        self.w(
            b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
            % (size, root, info, doc_id, doc_id, xref)
        )


class Copier:
    """Copies objects from one source into ``Out``, renumbering references,
    by allowlist: each object is copied as a kind (``pdf.allowlist``), with
    only the keys that kind has; every other key is dropped and counted in
    ``dropped`` (by key, e.g. ``/AA``), so nothing a page's content cannot
    name -- an action, a script, an embedded file -- reaches the packet.

    ``memo`` maps the source's (object, generation) to output numbers; the
    caller keeps one per source file so a file used twice is written once.
    """

    def __init__(
        self,
        out: Out,
        src: ObjectSource,
        memo: dict[Ref, int],
        dropped: Counter[str] | None = None,
    ) -> None:
        self.out = out
        self.src = src
        self.memo = memo
        self.pending: list[tuple[Ref, int, str]] = []
        self.image_hook: ImageHook | None = None
        self.dropped: Counter[str] = Counter() if dropped is None else dropped

    def ref(self, r: Ref, kind: str = PLAIN) -> int:
        """The output number of source object ``r``, copied as ``kind`` (written
        at the next ``drain``).  An object reached again keeps its first kind."""
        num = self.memo.get(r)
        if num is None:
            num = self.out.alloc()
            self.memo[r] = num
            self.pending.append((r, num, kind))
        return num

    def ser(self, v: Any, parts: list[bytes], kind: str = PLAIN) -> None:
        """Append the direct value ``v`` of kind ``kind`` to ``parts``,
        references renumbered; an array's elements are of its kind."""
        t = type(v)
        if t is Name:
            parts.append(v)
        elif t is Raw:
            parts.append(b" ")
            parts.append(v)
        elif t is Ref:
            parts.append(b" %d 0 R" % self.ref(v, kind))
        elif t is dict:
            self._dict(v, parts, kind)
        elif t is list:
            parts.append(b"[")
            for x in v:
                self.ser(x, parts, kind)
            parts.append(b"]")
        else:
            parts.append(b" null")

    def allowed(self, value: dict[str, Any], kind: str) -> dict[str, str] | str | None:
        """The keys a ``kind`` dictionary may carry (key -> the kind it leads to),
        the values' kind of a ``map:`` kind, or None when the dictionary has no
        place here at all (counted)."""
        keys = KEYS.get(kind)
        if keys is not None:
            return keys
        if kind.startswith("map:"):
            return kind[4:]
        by = BY_SUBTYPE.get(kind)
        if by is not None:
            sub = by[1].get(bytes(value.get(by[0]) or b""))
            if sub is not None:
                return KEYS[sub]
            self.dropped[f"{bytes(value.get(by[0]) or b'untyped').decode('latin-1')} {kind}"] += 1
            return None
        self.dropped["a dictionary where a plain value belongs"] += 1
        return None

    def _dict(self, v: dict[str, Any], parts: list[bytes], kind: str) -> None:
        keys = self.allowed(v, kind)
        if keys is None:
            parts.append(b" null")
            return
        parts.append(b"<<")
        self._entries(v, keys, parts)
        parts.append(b">>")

    def _entries(self, v: dict[str, Any], keys: dict[str, str] | str, parts: list[bytes]) -> None:
        if type(keys) is str:  # a map: resource names are free, their values are of one kind
            for k, x in v.items():
                parts.append(key(k))
                self.ser(x, parts, keys)
            return
        assert isinstance(keys, dict)
        for k, x in v.items():
            child = keys.get(k)
            if child is None:
                self.dropped[k] += 1
                continue
            if k == "/Length":  # the stream's own length is written by ``Out.stream``
                continue
            parts.append(key(k))
            self.ser(x, parts, child)

    def drain(self) -> None:
        """Write every object referenced so far (and what they reference)."""
        while self.pending:
            r, num, kind = self.pending.pop()
            value, stream = self.src.get(r)
            parts: list[bytes] = []
            if type(value) is dict:
                if value.get("/Type") in NOT_COPIED_TYPES:
                    self.dropped[value["/Type"].decode("latin-1")] += 1
                    self.out.obj(num, b"null")
                    continue
                keys = self.allowed(value, kind)
                if keys is None:
                    self.out.obj(num, b"null")
                elif stream is not None:
                    self._stream(num, value, stream, keys, parts)
                else:
                    parts.append(b"<<")
                    self._entries(value, keys, parts)
                    parts.append(b">>")
                    self.out.obj(num, b"".join(parts))
            elif stream is not None:
                self.out.obj(num, b"null")
            else:
                self.ser(value, parts, kind)
                self.out.obj(num, b"".join(parts).lstrip())

    def _stream(
        self,
        num: int,
        value: dict[str, Any],
        stream: Stream,
        keys: dict[str, str] | str,
        parts: list[bytes],
    ) -> None:
        if self.image_hook is not None and value.get("/Subtype") == b"/Image":
            value, stream = recode_image(self.src, value, stream, self.image_hook)
        self._entries(value, keys, parts)
        self.out.stream(num, b"".join(parts), stream)


@dataclass
class OutlineNode:
    """A bookmark: its title, its page (an index into the file's pages), its children."""

    title: str
    page: int
    kids: list[OutlineNode] = field(default_factory=list)
    open: bool = False


def write_outline(out: Out, nodes: list[OutlineNode], page_objects: Sequence[int]) -> int:
    """The /Outlines tree of ``nodes`` (``page_objects``: each page's object
    number); returns its root's object number."""
    root = out.alloc()

    def visible(ns: list[OutlineNode]) -> int:
        return sum(1 + (visible(n.kids) if n.open else 0) for n in ns)

    def write(ns: list[OutlineNode], parent: int) -> tuple[int, int]:
        nums = [out.alloc() for _ in ns]
        for i, (node, num) in enumerate(zip(ns, nums, strict=True)):
            body = [b"<</Title", text_string(node.title), b"/Parent %d 0 R" % parent]
            if i > 0:
                body.append(b"/Prev %d 0 R" % nums[i - 1])
            if i + 1 < len(nums):
                body.append(b"/Next %d 0 R" % nums[i + 1])
            if node.kids:
                first, last = write(node.kids, num)
                count = visible(node.kids)
                body.append(
                    b"/First %d 0 R/Last %d 0 R/Count %d"
                    % (first, last, count if node.open else -count)
                )
            body.append(b"/Dest[%d 0 R/XYZ null null null]>>" % page_objects[node.page])
            out.obj(num, b"".join(body))
        return nums[0], nums[-1]

    if nodes:
        first, last = write(nodes, root)
        out.obj(
            root,
            b"<</Type/Outlines/First %d 0 R/Last %d 0 R/Count %d>>" % (first, last, visible(nodes)),
        )
    else:
        out.obj(root, b"<</Type/Outlines/Count 0>>")
    return root

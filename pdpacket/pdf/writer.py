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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from pdpacket.pdf.images import ImageHook, recode_image
from pdpacket.pdf.reader import ObjectSource, Stream
from pdpacket.pdf.syntax import Name, Raw, Ref, key, text_string

# keys never copied: metadata and structure that would point at the source's tree
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
    """Copies objects from one source into ``Out``, renumbering references.

    ``memo`` maps the source's (object, generation) to output numbers; the
    caller keeps one per source file so a file used twice is written once.
    """

    def __init__(self, out: Out, src: ObjectSource, memo: dict[Ref, int]) -> None:
        self.out = out
        self.src = src
        self.memo = memo
        self.pending: list[tuple[Ref, int]] = []
        self.image_hook: ImageHook | None = None

    def ref(self, r: Ref) -> int:
        """The output number of source object ``r`` (written at the next ``drain``)."""
        num = self.memo.get(r)
        if num is None:
            num = self.out.alloc()
            self.memo[r] = num
            self.pending.append((r, num))
        return num

    def ser(self, v: Any, parts: list[bytes]) -> None:
        """Append the direct value ``v`` to ``parts``, references renumbered."""
        t = type(v)
        if t is Name:
            parts.append(v)
        elif t is Raw:
            parts.append(b" ")
            parts.append(v)
        elif t is Ref:
            parts.append(b" %d 0 R" % self.ref(v))
        elif t is dict:
            parts.append(b"<<")
            for k, x in v.items():
                if k in DROP_KEYS:
                    continue
                parts.append(key(k))
                self.ser(x, parts)
            parts.append(b">>")
        elif t is list:
            parts.append(b"[")
            for x in v:
                self.ser(x, parts)
            parts.append(b"]")
        else:
            parts.append(b" null")

    def drain(self) -> None:
        """Write every object referenced so far (and what they reference)."""
        while self.pending:
            r, num = self.pending.pop()
            value, stream = self.src.get(r)
            parts: list[bytes] = []
            if stream is not None and type(value) is dict:
                self._stream(num, value, stream, parts)
            elif type(value) is dict and value.get("/Type") in NOT_COPIED_TYPES:
                self.out.obj(num, b"null")
            else:
                self.ser(value, parts)
                self.out.obj(num, b"".join(parts).lstrip())

    def _stream(self, num: int, value: dict[str, Any], stream: Stream, parts: list[bytes]) -> None:
        if self.image_hook is not None and value.get("/Subtype") == b"/Image":
            value, stream = recode_image(self.src, value, stream, self.image_hook)
        for k, x in value.items():
            if k == "/Length" or k in DROP_KEYS:
                continue
            parts.append(key(k))
            self.ser(x, parts)
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

"""Files a PDF carries inside it: its embedded files (the document's attachment
list) and file-attachment annotations (the paper-clip on a page).

A packet carries only page content, so an attachment never reaches it by
itself; sometimes it *is* the evidence (a photo attached to a letter).  Intake
names each one in the file's warning, and the façade offers to add it as an
exhibit of its own through the normal intake (``pdpacket.api.attachments``).
Nothing here writes anything: the original PDF stays in the store, and the
attachments are read from it again when the user asks for them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

log = logging.getLogger("pdpacket.attachments")

MAX_ATTACHMENTS = 200  # a portfolio with more is not a letter with an enclosure
MAX_NAME_TREE_DEPTH = 32
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


@dataclass(frozen=True)
class Found:
    """One attachment found in a PDF."""

    name: str  # a safe file name (no folders, no control characters)
    where: str  # "attached to the document" or "note on page N"
    data: bytes | None  # the file's bytes (None when only names were asked for)
    size: int  # bytes (-1 when the file declares none and was not read)


def safe_name(raw: str, index: int) -> str:
    """A file name that can be written anywhere: the last part of the path, no
    control or reserved characters, at most 120 characters, never empty."""
    base = re.split(r"[\\/]", raw.strip())[-1] if raw else ""
    base = _UNSAFE.sub("_", base).strip(" .")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 110 - len(ext)] + dot + ext) if dot and len(ext) <= 8 else base[:120]
    return base or f"attachment-{index}"


def find_attachments(reader: PdfReader, *, with_data: bool = False) -> list[Found]:
    """Every embedded file and file-attachment annotation of ``reader``, in
    document order (the attachment list first, then page by page).  A damaged
    entry is skipped (and logged); one that is unreadable with ``with_data``
    too.  The same stream reached twice is listed once."""
    out: list[Found] = []
    seen: set[int] = set()
    for spec, where in _specs(reader):
        if len(out) >= MAX_ATTACHMENTS:
            log.info("more than %d attachments: the rest are not listed", MAX_ATTACHMENTS)
            break
        try:
            found = _one(spec, where, len(out) + 1, with_data, seen)
        except Exception as exc:  # one odd entry must not hide the others
            log.info("attachment %s not read: %s", where, exc)
            continue
        if found is not None:
            out.append(found)
    return out


def _specs(reader: PdfReader) -> Iterator[tuple[Any, str]]:
    try:
        root: Any = reader.trailer["/Root"].get_object()
        names = root.get("/Names")
        tree = names.get_object().get("/EmbeddedFiles") if names is not None else None
        if tree is not None:
            for spec in _name_tree(tree.get_object(), 0):
                yield spec, "attached to the document"
    except Exception as exc:
        log.info("attachment list unreadable: %s", exc)
    for n in range(len(reader.pages)):
        try:
            annots = reader.pages[n].get("/Annots")
            items = annots.get_object() if annots is not None else []
            for ref in items:
                annot = ref.get_object()
                if isinstance(annot, DictionaryObject) and annot.get("/Subtype") == (
                    "/FileAttachment"
                ):
                    spec = annot.get("/FS")
                    if spec is not None:
                        yield spec.get_object(), f"note on page {n + 1}"
        except Exception as exc:
            log.info("page %d: annotations unreadable: %s", n + 1, exc)


def _name_tree(node: Any, depth: int) -> Iterator[Any]:
    if depth > MAX_NAME_TREE_DEPTH or not isinstance(node, DictionaryObject):
        return
    pairs = node.get("/Names")
    pairs = pairs.get_object() if pairs is not None else None
    if isinstance(pairs, ArrayObject):
        for value in list(pairs)[1::2]:
            yield value.get_object()
    kids = node.get("/Kids")
    kids = kids.get_object() if kids is not None else None
    if isinstance(kids, ArrayObject):
        for kid in kids:
            yield from _name_tree(kid.get_object(), depth + 1)


def _one(spec: Any, where: str, index: int, with_data: bool, seen: set[int]) -> Found | None:
    if not isinstance(spec, DictionaryObject):
        return None  # a bare file name: a file outside the PDF, nothing carried
    ef = spec.get("/EF")
    ef = ef.get_object() if ef is not None else None
    if not isinstance(ef, DictionaryObject):
        return None
    stream = None
    for key in ("/UF", "/F"):
        if key in ef:
            stream = ef[key].get_object()
            break
    if not isinstance(stream, StreamObject):
        return None
    if id(stream) in seen:
        return None
    seen.add(id(stream))
    raw = ""
    for key in ("/UF", "/F"):
        value = spec.get(key)
        if value is not None and str(value).strip():
            raw = str(value)
            break
    name = safe_name(raw, index)
    size = -1
    params = stream.get("/Params")
    params = params.get_object() if params is not None else None
    if isinstance(params, DictionaryObject) and "/Size" in params:
        try:
            size = int(str(params["/Size"]))
        except (TypeError, ValueError):
            size = -1
    data: bytes | None = None
    if with_data:
        data = bytes(stream.get_data())
        size = len(data)
    return Found(name, where, data, size)


def describe(file_name: str, found: list[Found]) -> str:
    """The intake warning that names each attachment ("" when there is none)."""
    if not found:
        return ""
    names = ", ".join(f.name for f in found)
    n = len(found)
    them = "it" if n == 1 else "them"
    return (
        f"{file_name} carried {n} attached file{'s' if n != 1 else ''}: {names}. "
        f"{'It is' if n == 1 else 'They are'} not part of its pages, so not in the packet: "
        f"if {'it is' if n == 1 else 'they are'} evidence, add {them} as "
        f"{'an exhibit' if n == 1 else 'exhibits'} (Add as exhibit in the Evidence step, or "
        "`pdpacket attachments EXHIBIT --add all`)."
    )


__all__ = ["Found", "describe", "find_attachments", "safe_name"]

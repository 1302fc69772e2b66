"""What is left behind when a PDF is copied into the packet: actions,
JavaScript, embedded files, metadata, and content on hidden layers."""

from __future__ import annotations

import logging
from typing import Any

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ContentStream,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    StreamObject,
)

log = logging.getLogger("pdpacket.pdfclean")


SCRUB_KEYS = {
    "/OpenAction", "/AA", "/JS", "/JavaScript", "/Names", "/EmbeddedFiles", "/EF",
    "/EmbeddedFile", "/Metadata", "/AcroForm", "/URI", "/Launch", "/Outlines", "/Threads",
    "/PieceInfo", "/Annots", "/StructTreeRoot", "/Dests", "/Collection", "/Perms",
    "/Author", "/Title", "/Subject", "/Keywords", "/Creator", "/Producer", "/Info",
}  # fmt: skip
# Objects no page content needs: a reference to one is replaced by null.
SCRUB_TYPES = {
    "/Catalog", "/Pages", "/Page", "/Annot", "/Filespec", "/EmbeddedFile", "/Metadata",
    "/Action", "/Outlines", "/Sig", "/Names",
}  # fmt: skip
SCRUB_ACTIONS = {
    "/JavaScript", "/Launch", "/URI", "/SubmitForm", "/ImportData", "/GoToR", "/GoToE",
    "/Rendition", "/ResetForm", "/Sound", "/Movie", "/Hide", "/Named", "/GoTo", "/Thread",
}  # fmt: skip


def scrub(writer: PdfWriter) -> int:
    """Walk everything the output pages reach and cut what a page must not carry
    (see ``SCRUB_KEYS``/``SCRUB_TYPES``/``SCRUB_ACTIONS``).  Returns how many cuts."""
    own_pages = {id(p.get_object()) for p in writer.pages}
    seen: set[int] = set()
    cuts = 0

    def unwanted(value: Any) -> bool:
        if not isinstance(value, DictionaryObject) or id(value) in own_pages:
            return False
        return value.get("/Type") in SCRUB_TYPES or value.get("/S") in SCRUB_ACTIONS

    stack: list[Any] = [p.get_object() for p in writer.pages]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, DictionaryObject):
            for key in list(obj.keys()):
                if key in SCRUB_KEYS:
                    del obj[key]
                    cuts += 1
                    continue
                if key == "/Parent" and id(obj) in own_pages:
                    continue
                child = obj[key].get_object() if obj[key] is not None else None
                if unwanted(child):
                    obj[NameObject(key)] = NullObject()
                    cuts += 1
                elif isinstance(child, (DictionaryObject, ArrayObject)):
                    stack.append(child)
        elif isinstance(obj, ArrayObject):
            for i, item in enumerate(obj):
                child = item.get_object() if item is not None else None
                if unwanted(child):
                    obj[i] = NullObject()
                    cuts += 1
                elif isinstance(child, (DictionaryObject, ArrayObject)):
                    stack.append(child)
    if cuts:
        log.info("scrubbed %d references to actions, scripts, attachments or metadata", cuts)
    return cuts


def drop_unreachable(writer: PdfWriter) -> int:
    """Write no object the catalog cannot reach: an object ``scrub`` cut off (an
    embedded file, a script) would otherwise still be written out, unreferenced,
    with its bytes in the stored file.  Returns how many were dropped."""
    seen: set[int] = set()
    stack: list[Any] = [writer._root_object.indirect_reference]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum not in seen:
                seen.add(obj.idnum)
                stack.append(obj.get_object())
        elif isinstance(obj, DictionaryObject):
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    dropped = 0
    for n, obj in enumerate(writer._objects, 1):
        if obj is not None and n not in seen:
            writer._objects[n - 1] = None
            dropped += 1
    return dropped


def strip_resource_metadata(page: Any) -> None:
    try:
        res = page.get("/Resources")
        xobjs = res.get_object().get("/XObject") if res is not None else None
        if xobjs is None:
            return
        for ref in xobjs.get_object().values():
            obj = ref.get_object()
            for key in ("/Metadata", "/PieceInfo"):
                if key in obj:
                    del obj[key]
    except Exception as exc:  # metadata removal must never lose a page
        log.debug("resource metadata not stripped: %s", exc)


def hidden_layers(reader: PdfReader) -> frozenset[tuple[int, int]]:
    """The optional-content groups (layers) the file shows as OFF: their content is
    dropped, because the packet does not carry the layer settings that hid it."""
    try:
        root: Any = reader.trailer["/Root"].get_object()
        props = root.get("/OCProperties")
        if props is None:
            return frozenset()
        props = props.get_object()
        config = props.get("/D")
        config = config.get_object() if config is not None else DictionaryObject()

        def refs(key: Any, where: Any) -> set[tuple[int, int]]:
            out: set[tuple[int, int]] = set()
            arr = where.get(key)
            for item in arr.get_object() if arr is not None else []:
                if isinstance(item, IndirectObject):
                    out.add((item.idnum, item.generation))
            return out

        every = refs("/OCGs", props)
        on, off = refs("/ON", config), refs("/OFF", config)
        if config.get("/BaseState") == "/OFF":
            return frozenset((every - on) | off)
        return frozenset(off)
    except Exception as exc:  # damaged layer settings: keep everything visible
        log.info("optional content settings unreadable: %s", exc)
        return frozenset()


def oc_hidden(oc: Any, hidden: frozenset[tuple[int, int]]) -> bool:
    """Is this /OC value (an OCG or an OCMD) hidden with the default settings?"""
    if oc is None:
        return False
    if isinstance(oc, IndirectObject):
        if (oc.idnum, oc.generation) in hidden:
            return True
        oc = oc.get_object()
    if not isinstance(oc, DictionaryObject) or oc.get("/Type") != "/OCMD":
        return False
    groups = oc.get("/OCGs")
    groups = groups.get_object() if groups is not None else None
    members = list(groups) if isinstance(groups, ArrayObject) else [groups] if groups else []
    states = [
        not (isinstance(g, IndirectObject) and (g.idnum, g.generation) in hidden) for g in members
    ]
    if not states:
        return False
    policy = oc.get("/P", "/AnyOn")
    if policy == "/AllOn":
        return not all(states)
    if policy == "/AnyOff":
        return all(states)
    if policy == "/AllOff":
        return any(states)
    return not any(states)  # /AnyOn


def drop_hidden_content(
    page: Any, content: bytes, hidden: frozenset[tuple[int, int]]
) -> tuple[bytes, int]:
    """``content`` without its marked-content sections and XObjects on hidden layers.
    Returns the new content and how many pieces were dropped."""
    res = page.get("/Resources")
    res = res.get_object() if res is not None else DictionaryObject()
    props = res.get("/Properties")
    props = props.get_object() if props is not None else DictionaryObject()
    xobjects = res.get("/XObject")
    xobjects = xobjects.get_object() if xobjects is not None else DictionaryObject()
    stream = DecodedStreamObject()
    stream.set_data(content)
    ops = ContentStream(stream, None).operations
    kept: list[Any] = []
    depth_hidden = 0  # >0: inside a hidden section (counting nested sections)
    dropped = 0
    for operands, operator in ops:
        if depth_hidden:
            if operator in (b"BDC", b"BMC"):
                depth_hidden += 1
            elif operator == b"EMC":
                depth_hidden -= 1
            continue
        if operator == b"BDC" and len(operands) == 2 and operands[0] == "/OC":
            oc = operands[1]
            if not isinstance(oc, DictionaryObject):
                oc = props.raw_get(oc) if oc in props else None
            if oc_hidden(oc, hidden):
                depth_hidden = 1
                dropped += 1
                continue
        if operator == b"Do" and operands and operands[0] in xobjects:
            xo = xobjects[operands[0]].get_object()
            if isinstance(xo, DictionaryObject) and oc_hidden(
                xo.raw_get("/OC") if "/OC" in xo else None, hidden
            ):
                dropped += 1
                continue
        kept.append((operands, operator))
    if not dropped:
        return content, 0
    out = ContentStream(None, None)
    out.operations = kept
    return bytes(out.get_data()), dropped


MAX_FORM_DEPTH = 16


def drop_hidden_in_forms(
    owner: Any, hidden: frozenset[tuple[int, int]], seen: set[int], depth: int = 0
) -> int:
    """Hidden-layer content inside the form XObjects ``owner`` (a page or a form)
    names, at any depth: each form's own content loses its hidden sections and
    the XObjects it draws on a hidden layer.  A form shared by several pages is
    cleaned once (``seen``).  Returns how many pieces were dropped."""
    if depth > MAX_FORM_DEPTH:
        return 0
    res = owner.get("/Resources")
    res = res.get_object() if res is not None else None
    xobjects = res.get("/XObject") if isinstance(res, DictionaryObject) else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    if not isinstance(xobjects, DictionaryObject):
        return 0
    dropped = 0
    for ref in xobjects.values():
        form = ref.get_object()
        if not isinstance(form, StreamObject) or form.get("/Subtype") != "/Form":
            continue
        if id(form) in seen:
            continue
        seen.add(id(form))
        try:
            new, cut = drop_hidden_content(form, bytes(form.get_data()), hidden)
            if cut:
                form.set_data(new)
                dropped += cut
        except Exception as exc:  # an odd form keeps its layers
            log.info("hidden layers not removed from a form: %s", exc)
        dropped += drop_hidden_in_forms(form, hidden, seen, depth + 1)
    return dropped

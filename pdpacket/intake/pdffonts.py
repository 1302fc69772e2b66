"""Fonts a PDF uses without carrying them, embedded at intake so every packet
prints the same everywhere.

A simple font that names Helvetica or Arial, Times or Times New Roman, or
Courier or Courier New (any weight and slant) and has no font file is given
the subset of a metric-compatible Liberation font (resources/fonts, SIL OFL)
holding the glyphs of the codes the file's text uses: same widths, so the text
sets exactly as it did.  The font becomes a symbolic TrueType font whose codes index the subset
directly (the way reportlab embeds fonts), keeping its /Widths, with a
/ToUnicode map so the text can still be searched and copied.

Not embedded (``not_embedded`` names them; the intake warning too): Symbol and
ZapfDingbats (no metric-compatible free font), other faces the file does not
carry (Calibri, Garamond...) and non-embedded CID fonts (CJK).  Viewers show
those in a font of their own, as they did for the original file.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import threading
from importlib import resources
from typing import Any

from pypdf import PdfWriter
from pypdf._codecs import _mac_encoding, _std_encoding, _win_encoding, adobe_glyphs
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    StreamObject,
)
from reportlab.pdfbase.ttfonts import TTFontFile

log = logging.getLogger("pdpacket.pdfclean")

_SUBSET_TAG = re.compile(r"^[A-Z]{6}\+")
_NOT_COMPATIBLE = ("narrow", "black", "condensed", "neue", "light", "rounded", "unicode")
_FAMILIES = (
    (("helvetica", "arial"), "LiberationSans"),
    (("timesnewroman", "times"), "LiberationSerif"),
    (("couriernew", "courier"), "LiberationMono"),
)
_ENCODINGS: dict[str, list[str]] = {
    "/StandardEncoding": list(_std_encoding),
    "/WinAnsiEncoding": list(_win_encoding),
    "/MacRomanEncoding": list(_mac_encoding),
}
_SUBSET_LOCK = threading.Lock()  # TTFontFile reads by seeking: one subset at a time


def liberation_face(base_font: str) -> str | None:
    """The Liberation file for a font name ("Arial,BoldItalic" ->
    "LiberationSans-BoldItalic.ttf"), or ``None`` when none is metric-compatible."""
    name = _SUBSET_TAG.sub("", base_font.lstrip("/"))
    flat = re.sub(r"[^a-z]", "", name.lower())
    if any(word in flat for word in _NOT_COMPATIBLE):
        return None
    for prefixes, family in _FAMILIES:
        for prefix in prefixes:
            if flat.startswith(prefix):
                rest = (
                    flat[len(prefix) :].removeprefix("psmt").removeprefix("mt").removeprefix("ps")
                )
                bold = "bold" in rest
                italic = "italic" in rest or "oblique" in rest
                known = re.sub(r"bold|italic|oblique|roman|regular|mt|ps|book|medium", "", rest)
                if known:
                    return None  # Helvetica-Compressed, ArialRoundedMT...: another face
                style = ("Bold" if bold else "") + ("Italic" if italic else "")
                return f"{family}-{style or 'Regular'}.ttf"
    return None


@functools.lru_cache(maxsize=16)
def _face(filename: str) -> TTFontFile:
    folder = resources.files("pdpacket.resources").joinpath("fonts")
    with resources.as_file(folder.joinpath(filename)) as path:
        return TTFontFile(str(path))


@functools.lru_cache(maxsize=64)
def _subset(filename: str, codes: tuple[int, ...]) -> bytes:
    with _SUBSET_LOCK:
        return bytes(_face(filename).makeSubset(list(codes)))


def _is_embedded(font: DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # its glyphs are content streams
    if font.get("/Subtype") == "/Type0":
        kids = font.get("/DescendantFonts")
        kids = kids.get_object() if kids is not None else None
        if isinstance(kids, ArrayObject) and kids:
            font = kids[0].get_object()
    fd = font.get("/FontDescriptor")
    fd = fd.get_object() if fd is not None else None
    return isinstance(fd, DictionaryObject) and any(
        k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def _unicode_of_codes(font: DictionaryObject) -> list[str]:
    """What each of the 256 codes means, from the font's /Encoding ("" for none)."""
    enc = font.get("/Encoding")
    enc = enc.get_object() if enc is not None else None
    default = "/WinAnsiEncoding" if font.get("/Subtype") == "/TrueType" else "/StandardEncoding"
    base = default
    diffs: list[Any] = []
    if isinstance(enc, NameObject) and str(enc) in _ENCODINGS:
        base = str(enc)
    elif isinstance(enc, DictionaryObject):
        be = enc.get("/BaseEncoding")
        if be is not None and str(be) in _ENCODINGS:
            base = str(be)
        d = enc.get("/Differences")
        diffs = list(d.get_object()) if d is not None else []
    chars = [c if c >= " " and c != "\ufffd" else "" for c in _ENCODINGS[base]]
    code = 0
    for item in diffs:
        item = item.get_object()
        if isinstance(item, (int, NumberObject)) and not isinstance(item, NameObject):
            code = int(item)
        elif isinstance(item, NameObject):
            if 0 <= code < 256:
                chars[code] = adobe_glyphs.get(str(item), "")
            code += 1
    return chars


def _to_unicode(chars: list[str]) -> DecodedStreamObject:
    pairs = [(c, ch) for c, ch in enumerate(chars) if ch]
    lines = [
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def",
        "1 begincodespacerange <00> <FF> endcodespacerange",
    ]
    for start in range(0, len(pairs), 100):
        chunk = pairs[start : start + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{c:02X}> <{ch.encode('utf-16-be').hex().upper()}>" for c, ch in chunk]
        lines.append("endbfchar")
    lines.append("endcmap CMapName currentdict /CMap defineresource pop end end")
    stream = DecodedStreamObject()
    stream.set_data("\n".join(lines).encode("ascii"))
    return stream


_Shared = dict[tuple[str, tuple[int, ...]], tuple[IndirectObject, IndirectObject, NameObject]]


def _embed(
    writer: PdfWriter,
    font: DictionaryObject,
    filename: str,
    shared: _Shared,
    used: set[int] | None,
) -> None:
    chars = _unicode_of_codes(font)
    codes = tuple(ord(ch[0]) if len(ch) == 1 else 0 for ch in chars)
    # the subset holds the glyphs of the codes the file's text uses (all when unsure)
    kept = tuple(c if used is None or n in used else 0 for n, c in enumerate(codes))
    if (filename, kept) not in shared:  # one font file per face and encoding in a file
        shared[(filename, kept)] = _descriptor(writer, filename, kept, chars)
    descriptor, to_unicode, name = shared[(filename, kept)]
    face = _face(filename)
    if not ("/Widths" in font and "/FirstChar" in font):  # keep the widths the text was set with
        widths = [face.charWidths.get(c, face.defaultWidth) if c else 0 for c in codes]
        font[NameObject("/FirstChar")] = NumberObject(0)
        font[NameObject("/LastChar")] = NumberObject(255)
        font[NameObject("/Widths")] = ArrayObject([NumberObject(round(w)) for w in widths])
    if "/ToUnicode" not in font:
        font[NameObject("/ToUnicode")] = to_unicode
    font[NameObject("/Subtype")] = NameObject("/TrueType")
    font[NameObject("/BaseFont")] = name
    font[NameObject("/FontDescriptor")] = descriptor
    if "/Encoding" in font:
        del font["/Encoding"]  # symbolic: the codes index the subset's own cmap


def _descriptor(
    writer: PdfWriter, filename: str, codes: tuple[int, ...], chars: list[str]
) -> tuple[IndirectObject, IndirectObject, NameObject]:
    """The font descriptor with the subset, its /ToUnicode, and the font's name."""
    data = _subset(filename, codes)
    face = _face(filename)
    tag = "".join(chr(65 + b % 26) for b in hashlib.sha256(data).digest()[:6])
    name = NameObject(f"/{tag}+{filename.removesuffix('.ttf')}")
    file_stream = DecodedStreamObject()
    file_stream.set_data(data)
    file_stream[NameObject("/Length1")] = NumberObject(len(data))
    italic = "Italic" in filename
    flags = 4 | (64 if italic else 0) | (2 if "Serif" in filename else 0)
    flags |= 1 if "Mono" in filename else 0
    descriptor = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/FontDescriptor"),
            NameObject("/FontName"): name,
            NameObject("/Flags"): NumberObject(flags),
            NameObject("/FontBBox"): ArrayObject([NumberObject(int(v)) for v in face.bbox]),
            NameObject("/ItalicAngle"): FloatObject(face.italicAngle),
            NameObject("/Ascent"): NumberObject(int(face.ascent)),
            NameObject("/Descent"): NumberObject(int(face.descent)),
            NameObject("/CapHeight"): NumberObject(int(face.capHeight)),
            NameObject("/StemV"): NumberObject(int(face.stemV)),
            NameObject("/FontFile2"): writer._add_object(file_stream.flate_encode()),
        }
    )
    to_unicode = writer._add_object(_to_unicode(chars).flate_encode())
    return writer._add_object(descriptor), to_unicode, name


def embed_missing_fonts(writer: PdfWriter) -> tuple[int, set[str]]:
    """Embed every font the output pages use and do not carry when a Liberation
    font is metric-compatible with it; returns how many were embedded and the
    names of those that stay unembedded."""
    fonts, contents = _reachable(writer)
    todo: list[tuple[DictionaryObject, str]] = []
    missing: set[str] = set()
    for font in fonts:
        base = str(font.get("/BaseFont", "/Unknown"))
        face = liberation_face(base) if font.get("/Subtype") != "/Type0" else None
        if face is None:
            missing.add(_SUBSET_TAG.sub("", base.lstrip("/")))
        else:
            todo.append((font, face))
    if not todo:
        return 0, missing
    used = used_codes(contents)
    shared: _Shared = {}
    embedded = 0
    for font, face in todo:
        try:
            _embed(writer, font, face, shared, used)
            embedded += 1
        except Exception as exc:  # a font must never lose the page
            base = str(font.get("/BaseFont", "/Unknown"))
            log.info("font %s not embedded: %s", base, exc)
            missing.add(_SUBSET_TAG.sub("", base.lstrip("/")))
    return embedded, missing


def _reachable(writer: PdfWriter) -> tuple[list[DictionaryObject], list[bytes]]:
    """The fonts the output pages reach that carry no font file, and every content
    stream that can show text (the pages', forms', tiling patterns', Type 3 glyphs').
    A font given inline in resources is made an object of its own on the way (as
    viewers expect; a generated appearance's is written inline)."""
    fonts: list[DictionaryObject] = []
    contents: list[bytes] = []
    seen: set[int] = set()
    stack: list[Any] = [p.get_object() for p in writer.pages]
    own_pages = {id(p) for p in stack}
    for page in stack:
        try:
            data = page.get_contents()
            contents.append(b"" if data is None else bytes(data.get_data()))
        except Exception as exc:  # an unreadable stream shows nothing
            log.debug("page content unreadable: %s", exc)
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            obj = obj.get_object()
        if id(obj) in seen or not isinstance(obj, (DictionaryObject, ArrayObject)):
            continue
        seen.add(id(obj))
        if isinstance(obj, ArrayObject):
            stack.extend(obj)
            continue
        if obj.get("/Type") == "/Font" or (
            obj.get("/Subtype") in ("/Type1", "/TrueType", "/MMType1", "/Type0")
            and "/BaseFont" in obj
        ):
            if not _is_embedded(obj):
                fonts.append(obj)
            elif obj.get("/Subtype") == "/Type3":
                procs = obj.get("/CharProcs")
                procs = procs.get_object() if procs is not None else None
                if isinstance(procs, DictionaryObject):  # glyphs may show text too
                    contents.extend(bytes(p.get_object().get_data()) for p in procs.values())
                stack.extend(v for k, v in obj.items() if k == "/Resources")
            continue
        if isinstance(obj, StreamObject) and (
            obj.get("/Subtype") == "/Form" or obj.get("/PatternType") == 1
        ):
            try:
                contents.append(bytes(obj.get_data()))
            except Exception as exc:
                log.debug("a content stream is unreadable: %s", exc)
        res_fonts = obj.get("/Font")
        res_fonts = res_fonts.get_object() if res_fonts is not None else None
        if isinstance(res_fonts, DictionaryObject):
            for key in list(res_fonts.keys()):
                value = res_fonts.raw_get(key)
                if isinstance(value, DictionaryObject):
                    res_fonts[NameObject(key)] = writer._add_object(value)
        for key, value in obj.items():
            if key == "/Parent" and id(obj) in own_pages:
                continue
            stack.append(value)
    return fonts, contents


_INLINE_IMAGE = re.compile(rb"(?:^|\s)BI\s")


def used_codes(contents: list[bytes]) -> set[int] | None:
    """Every byte that appears in a string of these content streams (what any
    simple font can be asked to show), or ``None`` -- meaning "assume all" --
    when a stream has an inline image (its data could pass for a string) or a
    string that never ends."""
    used: set[int] = {32}
    for data in contents:
        if _INLINE_IMAGE.search(data):
            return None
        pos, n = 0, len(data)
        while pos < n:
            m = _STRING_START.search(data, pos)
            if m is None:
                break
            pos = m.start()
            ch = data[pos]
            if ch == 0x25:  # % comment: to the end of the line
                end = data.find(b"\n", pos)
                pos = n if end < 0 else end + 1
            elif ch == 0x3C:  # <hex> (<< is a dictionary)
                if data[pos + 1 : pos + 2] == b"<":
                    pos += 2
                    continue
                end = data.find(b">", pos)
                if end < 0:
                    return None
                digits = re.sub(rb"[^0-9A-Fa-f]", b"", data[pos + 1 : end])
                if len(digits) % 2:
                    digits += b"0"
                used.update(bytes.fromhex(digits.decode("ascii")))
                pos = end + 1
            else:  # a literal string, with nested brackets and escapes
                end = _literal(data, pos, used)
                if end < 0:
                    return None
                pos = end
    return used


_STRING_START = re.compile(rb"[(<%]")
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def _literal(data: bytes, pos: int, used: set[int]) -> int:
    """Add the bytes of the literal string at ``pos`` to ``used``; return where it ends."""
    depth, i, n = 0, pos, len(data)
    while i < n:
        c = data[i]
        if c == 0x5C:  # backslash
            i += 1
            if i >= n:
                return -1
            e = data[i]
            if 0x30 <= e <= 0x37:  # octal, up to three digits
                j = i
                while j < n and j < i + 3 and 0x30 <= data[j] <= 0x37:
                    j += 1
                used.add(int(data[i:j], 8) & 0xFF)
                i = j
                continue
            if e not in (10, 13):  # a line continuation shows nothing
                used.add(_ESCAPES.get(e, e))
        elif c == 0x28:  # (
            depth += 1
            if depth > 1:
                used.add(c)
        elif c == 0x29:  # )
            depth -= 1
            if depth == 0:
                return i + 1
            used.add(c)
        else:
            used.add(c)
        i += 1
    return -1


__all__ = ["embed_missing_fonts", "liberation_face"]

"""Fonts a PDF uses without carrying them, embedded at intake so every packet
prints the same everywhere.

A simple font that names Helvetica or Arial, Times or Times New Roman, or
Courier or Courier New (any weight and slant) and has no font file is given
the subset of a metric-compatible Liberation font (resources/fonts, SIL OFL)
holding the glyphs of its 256 codes: same widths, so the text sets exactly as
it did.  The font becomes a symbolic TrueType font whose codes index the subset
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


def _embed(writer: PdfWriter, font: DictionaryObject, filename: str, shared: _Shared) -> None:
    chars = _unicode_of_codes(font)
    codes = tuple(ord(ch[0]) if len(ch) == 1 else 0 for ch in chars)
    if (filename, codes) not in shared:  # one font file per face and encoding in a file
        shared[(filename, codes)] = _descriptor(writer, filename, codes, chars)
    descriptor, to_unicode, name = shared[(filename, codes)]
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
    embedded = 0
    missing: set[str] = set()
    shared: _Shared = {}
    seen: set[int] = set()
    stack: list[Any] = [p.get_object() for p in writer.pages]
    own_pages = {id(p) for p in stack}
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
            if _is_embedded(obj):
                stack.extend(v for k, v in obj.items() if k == "/Resources")  # a Type 3's
                continue
            base = str(obj.get("/BaseFont", "/Unknown"))
            face = liberation_face(base) if obj.get("/Subtype") != "/Type0" else None
            if face is None:
                missing.add(_SUBSET_TAG.sub("", base.lstrip("/")))
                continue
            try:
                _embed(writer, obj, face, shared)
                embedded += 1
            except Exception as exc:  # a font must never lose the page
                log.info("font %s not embedded: %s", base, exc)
                missing.add(_SUBSET_TAG.sub("", base.lstrip("/")))
            continue
        fonts = obj.get("/Font")
        fonts = fonts.get_object() if fonts is not None else None
        if isinstance(fonts, DictionaryObject) and obj.get("/Type") != "/Font":
            for key in list(fonts.keys()):  # resources: a font of its own object, as
                value = fonts.raw_get(key)  # viewers expect (a generated appearance's
                if isinstance(value, DictionaryObject):  # is written inline)
                    fonts[NameObject(key)] = writer._add_object(value)
        for key, value in obj.items():
            if key == "/Parent" and id(obj) in own_pages:
                continue
            stack.append(value)
    return embedded, missing


__all__ = ["embed_missing_fonts", "liberation_face"]

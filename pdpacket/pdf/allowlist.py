"""What the packet writer may copy from a source page: the keys ISO 32000-1
gives each kind of object a page's content can name, and the kind of object
each key leads to.

The writer starts from a page's content streams and resources and follows only
these keys; every other key -- an action (/A, /AA, /OpenAction), a script
(/JS, /JavaScript), an embedded file, annotations, /Metadata, /PieceInfo, a
producer's custom key -- is dropped and counted, wherever it is hidden (a font,
a pattern, a form XObject nested ten deep).  An allowlist rather than a
blocklist because a blocklist is only as good as the places its author thought
of (design convention 16).

Kinds: a name below is a kind of dictionary or stream; ``map:K`` is a
dictionary whose keys are free (resource names) and whose values are of kind
``K``; ``PLAIN`` is a value that may hold numbers, names, strings and arrays of
them but no dictionary.  An array takes the kind of its elements, so the first
element of ``[font 12]`` (an ExtGState's /Font) is a font and the 12 a number.
"""

from __future__ import annotations

from collections.abc import Mapping

PLAIN = "plain"

# Stream dictionaries (section 7.3.8); /F, /FFilter and /FDecodeParms name an
# external file and are left out.
_STREAM = {"/Length": PLAIN, "/Filter": PLAIN, "/DecodeParms": "decodeparms", "/DL": PLAIN}


def _with_stream(keys: Mapping[str, str]) -> dict[str, str]:
    return {**_STREAM, **keys}


_FUNCTION = {  # 7.10: types 0, 2, 3 and 4 (types 0 and 4 are streams)
    "/FunctionType": PLAIN,
    "/Domain": PLAIN,
    "/Range": PLAIN,
    "/Size": PLAIN,
    "/BitsPerSample": PLAIN,
    "/Order": PLAIN,
    "/Encode": PLAIN,
    "/Decode": PLAIN,
    "/C0": PLAIN,
    "/C1": PLAIN,
    "/N": PLAIN,
    "/Functions": "function",
    "/Bounds": PLAIN,
}

KEYS: dict[str, dict[str, str]] = {
    "content": dict(_STREAM),  # a page's content stream (7.8.2)
    "decodeparms": {  # 7.4: the filters' parameters
        "/Predictor": PLAIN,
        "/Colors": PLAIN,
        "/BitsPerComponent": PLAIN,
        "/Columns": PLAIN,
        "/EarlyChange": PLAIN,
        "/K": PLAIN,
        "/EndOfLine": PLAIN,
        "/EncodedByteAlign": PLAIN,
        "/Rows": PLAIN,
        "/EndOfBlock": PLAIN,
        "/BlackIs1": PLAIN,
        "/DamagedRowsBeforeError": PLAIN,
        "/JBIG2Globals": "content",
        "/ColorTransform": PLAIN,
    },
    "resources": {  # 7.8.3
        "/ExtGState": "map:extgstate",
        "/ColorSpace": "map:colorspace",
        "/Pattern": "map:pattern",
        "/Shading": "map:shading",
        "/XObject": "map:xobject",
        "/Font": "map:font",
        "/ProcSet": PLAIN,
        "/Properties": "map:properties",
    },
    "image": _with_stream(  # 8.9.5
        {
            "/Type": PLAIN,
            "/Subtype": PLAIN,
            "/Width": PLAIN,
            "/Height": PLAIN,
            "/ColorSpace": "colorspace",
            "/BitsPerComponent": PLAIN,
            "/Intent": PLAIN,
            "/ImageMask": PLAIN,
            "/Mask": "image",
            "/Decode": PLAIN,
            "/Interpolate": PLAIN,
            "/SMask": "image",
            "/SMaskInData": PLAIN,
            "/Matte": PLAIN,
            "/Name": PLAIN,
            "/OC": "properties",
        }
    ),
    "form": _with_stream(  # 8.10.2
        {
            "/Type": PLAIN,
            "/Subtype": PLAIN,
            "/FormType": PLAIN,
            "/BBox": PLAIN,
            "/Matrix": PLAIN,
            "/Resources": "resources",
            "/Group": "group",
            "/Name": PLAIN,
            "/OC": "properties",
        }
    ),
    "group": {  # 11.6.6: a transparency group
        "/Type": PLAIN,
        "/S": PLAIN,
        "/CS": "colorspace",
        "/I": PLAIN,
        "/K": PLAIN,
    },
    "font": {  # 9.6-9.7: simple, Type 3, Type 0 and CID fonts
        "/Type": PLAIN,
        "/Subtype": PLAIN,
        "/BaseFont": PLAIN,
        "/Name": PLAIN,
        "/FirstChar": PLAIN,
        "/LastChar": PLAIN,
        "/Widths": PLAIN,
        "/FontDescriptor": "fontdescriptor",
        "/Encoding": "encoding",
        "/ToUnicode": "cmap",
        "/FontBBox": PLAIN,
        "/FontMatrix": PLAIN,
        "/CharProcs": "map:content",
        "/Resources": "resources",
        "/DescendantFonts": "font",
        "/CIDSystemInfo": "cidsysteminfo",
        "/DW": PLAIN,
        "/W": PLAIN,
        "/DW2": PLAIN,
        "/W2": PLAIN,
        "/CIDToGIDMap": "content",
    },
    "fontdescriptor": {  # 9.8
        "/Type": PLAIN,
        "/FontName": PLAIN,
        "/FontFamily": PLAIN,
        "/FontStretch": PLAIN,
        "/FontWeight": PLAIN,
        "/Flags": PLAIN,
        "/FontBBox": PLAIN,
        "/ItalicAngle": PLAIN,
        "/Ascent": PLAIN,
        "/Descent": PLAIN,
        "/Leading": PLAIN,
        "/CapHeight": PLAIN,
        "/XHeight": PLAIN,
        "/StemV": PLAIN,
        "/StemH": PLAIN,
        "/AvgWidth": PLAIN,
        "/MaxWidth": PLAIN,
        "/MissingWidth": PLAIN,
        "/FontFile": "fontfile",
        "/FontFile2": "fontfile",
        "/FontFile3": "fontfile",
        "/CharSet": PLAIN,
        "/Style": "fontstyle",
        "/Lang": PLAIN,
        "/FD": "map:fontdescriptor",
        "/CIDSet": "content",
    },
    "fontstyle": {"/Panose": PLAIN},
    "fontfile": _with_stream(  # 9.9
        {"/Length1": PLAIN, "/Length2": PLAIN, "/Length3": PLAIN, "/Subtype": PLAIN}
    ),
    "encoding": _with_stream(  # 9.6.6 (a dictionary) or 9.7.5 (a CMap stream)
        {
            "/Type": PLAIN,
            "/BaseEncoding": PLAIN,
            "/Differences": PLAIN,
            "/CMapName": PLAIN,
            "/CIDSystemInfo": "cidsysteminfo",
            "/WMode": PLAIN,
            "/UseCMap": "encoding",
        }
    ),
    "cmap": _with_stream(
        {
            "/Type": PLAIN,
            "/CMapName": PLAIN,
            "/CIDSystemInfo": "cidsysteminfo",
            "/WMode": PLAIN,
            "/UseCMap": "cmap",
        }
    ),
    "cidsysteminfo": {"/Registry": PLAIN, "/Ordering": PLAIN, "/Supplement": PLAIN},
    # 8.6: what a colour-space array can hold -- CIE dictionaries, an ICC
    # profile stream, an Indexed lookup stream, a tint transform (a function),
    # DeviceN attributes and their process dictionary
    "colorspace": _with_stream(
        {
            **_FUNCTION,
            "/WhitePoint": PLAIN,
            "/BlackPoint": PLAIN,
            "/Gamma": PLAIN,
            "/Matrix": PLAIN,
            "/Alternate": "colorspace",
            "/Subtype": PLAIN,
            "/Colorants": "map:colorspace",
            "/Process": "colorspace",
            "/ColorSpace": "colorspace",
            "/Components": PLAIN,
            "/MixingHints": "mixinghints",
        }
    ),
    "mixinghints": {"/Solidities": PLAIN, "/PrintingOrder": PLAIN, "/DotGain": "map:function"},
    "function": _with_stream(_FUNCTION),
    "pattern": _with_stream(  # 8.7.3 tiling and 8.7.4 shading patterns
        {
            "/Type": PLAIN,
            "/PatternType": PLAIN,
            "/PaintType": PLAIN,
            "/TilingType": PLAIN,
            "/BBox": PLAIN,
            "/XStep": PLAIN,
            "/YStep": PLAIN,
            "/Resources": "resources",
            "/Matrix": PLAIN,
            "/Shading": "shading",
            "/ExtGState": "extgstate",
        }
    ),
    "shading": _with_stream(  # 8.7.4.3-8.7.4.5
        {
            "/ShadingType": PLAIN,
            "/ColorSpace": "colorspace",
            "/Background": PLAIN,
            "/BBox": PLAIN,
            "/AntiAlias": PLAIN,
            "/Coords": PLAIN,
            "/Domain": PLAIN,
            "/Matrix": PLAIN,
            "/Function": "function",
            "/Extend": PLAIN,
            "/BitsPerCoordinate": PLAIN,
            "/BitsPerComponent": PLAIN,
            "/BitsPerFlag": PLAIN,
            "/Decode": PLAIN,
            "/VerticesPerRow": PLAIN,
        }
    ),
    "extgstate": {  # 8.4.5
        "/Type": PLAIN,
        "/LW": PLAIN,
        "/LC": PLAIN,
        "/LJ": PLAIN,
        "/ML": PLAIN,
        "/D": PLAIN,
        "/RI": PLAIN,
        "/OP": PLAIN,
        "/op": PLAIN,
        "/OPM": PLAIN,
        "/Font": "font",
        "/BG": "function",
        "/BG2": "function",
        "/UCR": "function",
        "/UCR2": "function",
        "/TR": "function",
        "/TR2": "function",
        "/HT": "halftone",
        "/FL": PLAIN,
        "/SM": PLAIN,
        "/SA": PLAIN,
        "/BM": PLAIN,
        "/SMask": "softmask",
        "/CA": PLAIN,
        "/ca": PLAIN,
        "/AIS": PLAIN,
        "/TK": PLAIN,
        "/UseBlackPtComp": PLAIN,
        "/HTO": PLAIN,
    },
    "halftone": _with_stream(  # 10.6.5 types 1, 6, 10 and 16
        {
            "/Type": PLAIN,
            "/HalftoneType": PLAIN,
            "/HalftoneName": PLAIN,
            "/Frequency": PLAIN,
            "/Angle": PLAIN,
            "/SpotFunction": "function",
            "/AccurateScreens": PLAIN,
            "/TransferFunction": "function",
            "/Width": PLAIN,
            "/Height": PLAIN,
            "/Width2": PLAIN,
            "/Height2": PLAIN,
            "/Xsquare": PLAIN,
            "/Ysquare": PLAIN,
        }
    ),
    "softmask": {  # 11.6.5.2
        "/Type": PLAIN,
        "/S": PLAIN,
        "/G": "form",
        "/BC": PLAIN,
        "/TR": "function",
    },
    # 8.11 and 14.6.2: optional content groups and membership dictionaries
    # (what /OC and /Properties name; a marked-content property list keeps
    # only what rendering reads)
    "properties": {
        "/Type": PLAIN,
        "/Name": PLAIN,
        "/Intent": PLAIN,
        "/OCGs": "properties",
        "/P": PLAIN,
        "/VE": "properties",
        "/MCID": PLAIN,
    },
}

# Kinds whose keys depend on a subtype: (the key to read, {its value: kind}).
# A value not listed (a PostScript XObject, say) is dropped whole.
BY_SUBTYPE: dict[str, tuple[str, dict[bytes, str]]] = {
    "xobject": ("/Subtype", {b"/Image": "image", b"/Form": "form"}),
}

# The kinds of a page's own entries the writer copies.
PAGE_RESOURCES = "resources"
PAGE_CONTENT = "content"
PAGE_GROUP = "group"


def check_table() -> list[str]:
    """Kinds named as a key's target but missing from the table (a test keeps it empty)."""
    known = set(KEYS) | set(BY_SUBTYPE) | {PLAIN}
    missing = []
    for keys in KEYS.values():
        for target in keys.values():
            base = target.removeprefix("map:")
            if base not in known:
                missing.append(target)
    for _key, kinds in BY_SUBTYPE.values():
        missing.extend(k for k in kinds.values() if k not in known)
    return missing

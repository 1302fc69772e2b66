"""Fonts and text measurement shared by everything that draws text on a page:
the embedded Liberation fonts (resources/fonts, SIL OFL) registered with
reportlab once per process, and string widths for them."""

from __future__ import annotations

import functools
from importlib import resources

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

SERIF = "PdpSerif"
SERIF_BOLD = "PdpSerif-Bold"
SERIF_ITALIC = "PdpSerif-Italic"
SANS = "PdpSans"
SANS_BOLD = "PdpSans-Bold"
_FONT_FILES = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SANS: "LiberationSans-Regular.ttf",
    SANS_BOLD: "LiberationSans-Bold.ttf",
}


@functools.cache
def register_fonts() -> None:
    """Register the embedded fonts with reportlab (once per process)."""
    folder = resources.files("pdpacket.resources").joinpath("fonts")
    for name, filename in _FONT_FILES.items():
        with resources.as_file(folder.joinpath(filename)) as path:
            pdfmetrics.registerFont(TTFont(name, str(path), asciiReadable=True))


def text_width(text: str, font: str, size: float) -> float:
    register_fonts()
    return float(pdfmetrics.stringWidth(text, font, size))


@functools.cache
def _sans_widths() -> dict[str, float]:
    register_fonts()
    return {chr(c): pdfmetrics.stringWidth(chr(c), SANS, 1.0) for c in range(32, 127)}


def stamp_text_width(text: str, size: float) -> float:
    """Width of a stamp (ASCII, Liberation Sans): a table look-up, as it runs per page."""
    widths = _sans_widths()
    try:
        return size * sum(widths[ch] for ch in text)
    except KeyError:
        return text_width(text, SANS, size)

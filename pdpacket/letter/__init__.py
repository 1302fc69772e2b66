"""The request letter: markup, drafting, three-way merge, rendering.

What the rest of pdpacket uses of the letter is named here; the modules
inside are the feature's own business."""

from pdpacket.letter.draft import (
    CaseLetter,
    LetterExport,
    LetterUpdate,
    current_cites,
    exhibits_for_factor,
    export_letter,
    factor_heading,
    generate_draft,
    identity_exhibits,
    letter_source_for,
    letter_summary,
    long_date,
    page_range,
    refresh_letter,
    render_letter_pdf,
    resolve_conflicts,
    save_letter_text,
)

__all__ = [
    "CaseLetter",
    "LetterExport",
    "LetterUpdate",
    "current_cites",
    "exhibits_for_factor",
    "export_letter",
    "factor_heading",
    "generate_draft",
    "identity_exhibits",
    "letter_source_for",
    "letter_summary",
    "long_date",
    "page_range",
    "refresh_letter",
    "render_letter_pdf",
    "resolve_conflicts",
    "save_letter_text",
]

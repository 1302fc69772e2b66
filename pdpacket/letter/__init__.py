"""The request letter: drafting, the 3-way merge, rendering and export.

What the rest of pdpacket uses of the letter is named here; the modules
inside are the feature's own business:

- ``citations``: citation tokens rendered with exhibit letters and pages
- ``draft``: the first draft, composed from the case and the templates
- ``merge``: the stored letter, refreshed from a new draft by a 3-way merge
- ``render``: fonts, styles and the letter-size PDF
- ``export``: the letter for the packet builder, and the letter alone
"""

from pdpacket.letter.citations import long_date, page_range
from pdpacket.letter.draft import (
    exhibits_for_factor,
    factor_heading,
    generate_draft,
    identity_exhibits,
)
from pdpacket.letter.export import (
    LetterExport,
    current_cites,
    export_letter,
    letter_source_for,
    letter_summary,
)
from pdpacket.letter.merge import (
    LetterUpdate,
    refresh_letter,
    resolve_conflicts,
    save_letter_text,
)
from pdpacket.letter.render import CaseLetter, render_letter_pdf

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

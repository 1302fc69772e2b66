"""The letter in the packet and alone.

The packet builder asks ``letter_source_for(store, case_id)`` for the letter
and calls ``render(cites)`` with the final letters and page numbers; each
render records those citations, so the letter exported alone cites the same
packet pages while the last build still matches the case.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pdpacket.errors import BadInputError
from pdpacket.letter.citations import CiteLike
from pdpacket.letter.render import CaseLetter, render_pdf
from pdpacket.model import Case, Letter, packet_exhibits
from pdpacket.model.markup import citations, placeholders, text_hash
from pdpacket.model.signing import Signature
from pdpacket.packet.builder import CiteTarget
from pdpacket.store import signatures as signing
from pdpacket.store.atomic import write_atomic
from pdpacket.store.database import Store, now_iso


def letter_source_for(
    store: Store, case_id: int, *, today: dt.date | None = None
) -> CaseLetter | None:
    """The case's letter for the builder, or ``None`` when it has none.
    ``today`` fixes the date printed for ``{{today}}`` (reproducible builds)."""
    letter = store.get_letter(case_id)
    if letter is None or not letter.text.strip():
        return None
    case = store.get_case(case_id)
    text = letter.text

    def record(cites: Mapping[int, CiteLike]) -> None:
        store.set_setting(
            _cites_key(case_id),
            {
                "at": now_iso(),
                "builds": len(store.list_builds(case_id)),  # this build is the next one
                "text": text_hash(text),
                "exhibits": _fingerprint(store, case_id),
                "cites": {
                    str(k): [t.letter, t.first_page, t.last_page, t.title] for k, t in cites.items()
                },
            },
        )

    return CaseLetter(
        text,
        title=letter_title(case),
        author=store.attorney().name,
        today=today,
        record=record,
        signature=attorney_signature(store, case_id),
    )


def attorney_signature(store: Store, case_id: int) -> Signature | None:
    """How the attorney signs the letter (``None``: the case needs no letter signed)."""
    return signing.find(signing.signatures(store, case_id), "letter", "attorney")


def _cites_key(case_id: int) -> str:
    return f"letter.build_cites.{case_id}"


def _fingerprint(store: Store, case_id: int) -> list[list[int]]:
    return [[e.id, e.pages] for e in store.list_exhibits(case_id) if e.in_packet]


def build_cites(store: Store, case_id: int) -> dict[int, CiteTarget] | None:
    """The citations of the last build, if it rendered this letter and the case
    has not changed since (else ``None``: its page numbers may be wrong now)."""
    saved = store.get_setting(_cites_key(case_id))
    letter = store.get_letter(case_id)
    builds = store.list_builds(case_id)
    if not saved or letter is None or not builds:
        return None
    try:
        at = str(saved["at"])
        fresh = (
            len(builds) == int(saved["builds"]) + 1  # no build since without this letter
            and builds[0].created_at >= at
            and store.get_case(case_id).updated_at <= at
            and saved["text"] == text_hash(letter.text)
            and saved["exhibits"] == _fingerprint(store, case_id)
        )
        if not fresh:
            return None
        return {
            int(k): CiteTarget(str(v[0]), int(v[1]), int(v[2]), str(v[3]))
            for k, v in saved["cites"].items()
        }
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def letter_title(case: Case) -> str:
    return f"Request for prosecutorial discretion - {case.title}"


def current_cites(store: Store, case_id: int) -> dict[int, CiteTarget]:
    """The letters the exhibits get in the next packet (included exhibits with
    files, in order), without page numbers."""
    return {
        e.id: CiteTarget(letter, 0, 0, e.title)
        for letter, e in packet_exhibits(store.list_exhibits(case_id))
    }


@dataclass(frozen=True)
class LetterExport:
    path: str
    pages: int
    size: int
    with_pages: bool  # citations carry packet page numbers (from the last build)


def export_letter(
    store: Store,
    case_id: int,
    out_path: str | os.PathLike[str],
    *,
    cites: Mapping[int, CiteLike] | None = None,
    today: dt.date | None = None,
) -> LetterExport:
    """Write the letter alone as a PDF (atomically).  Citations carry the
    packet pages of the last build while it still matches the case, else the
    exhibits' letters only (or ``cites`` when given)."""
    letter = store.get_letter(case_id)
    if letter is None or not letter.text.strip():
        raise BadInputError(
            f"Case {case_id} has no request letter yet.",
            hint=f"Generate the draft first: pdpacket letter {case_id} --refresh",
        )
    case = store.get_case(case_id)
    if cites is None:
        cites = build_cites(store, case_id) or current_cites(store, case_id)
    targets: Mapping[int, CiteLike] = cites
    data, pages = render_pdf(
        letter.text,
        targets,
        title=letter_title(case),
        author=store.attorney().name,
        today=today,
        page_numbers=True,
        signature=attorney_signature(store, case_id),
    )
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(out, data)
    with_pages = any(t.first_page for t in targets.values())
    store.audit(case_id, "letter.export", path=str(out))
    return LetterExport(str(out), pages, len(data), with_pages)


def letter_summary(letter: Letter | None) -> dict[str, Any]:
    """A small JSON-friendly summary (for logs and the CLI)."""
    if letter is None:
        return {"exists": False}
    return {
        "exists": True,
        "untouched": letter.untouched,
        "conflicts": [c.section for c in letter.conflicts],
        "citations": len(citations(letter.text)),
        "placeholders": len(placeholders(letter.text)),
    }

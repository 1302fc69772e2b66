"""The stored letter: the attorney's text kept per case, refreshed from a new
draft with a paragraph-level 3-way merge that never loses their edits."""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from pdpacket.errors import BadInputError
from pdpacket.letter.draft import generate_draft
from pdpacket.model import Letter, LetterConflict
from pdpacket.model.markup import heading_text, split_blocks, text_hash
from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.letter")


def _matches(a: Sequence[str], b: Sequence[str]) -> dict[int, int]:
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    out: dict[int, int] = {}
    for blk in sm.get_matching_blocks():
        for k in range(blk.size):
            out[blk.a + k] = blk.b + k
    return out


def _diff3(
    base: Sequence[str], mine: Sequence[str], theirs: Sequence[str]
) -> Iterator[tuple[list[str], list[str], list[str]]]:
    """Chunks (base, mine, theirs) between blocks all three share (diff3)."""
    mm, mt = _matches(base, mine), _matches(base, theirs)
    ib = im = it = 0
    while ib < len(base) or im < len(mine) or it < len(theirs):
        if ib < len(base) and mm.get(ib) == im and mt.get(ib) == it:
            yield [base[ib]], [mine[im]], [theirs[it]]
            ib, im, it = ib + 1, im + 1, it + 1
            continue
        k = ib
        while k < len(base) and not (k in mm and k in mt):
            k += 1
        em, et = (mm[k], mt[k]) if k < len(base) else (len(mine), len(theirs))
        yield list(base[ib:k]), list(mine[im:em]), list(theirs[it:et])
        ib, im, it = k, em, et


def _resolve(b: list[str], m: list[str], t: list[str]) -> list[str] | None:
    if m == b:
        return t
    if t == b or m == t:
        return m
    n = len(b)
    if t[:n] == b:  # the draft only added after this part: keep the edit, add the rest
        return m + t[n:]
    if n and t[len(t) - n :] == b:
        return t[: len(t) - n] + m
    if m[:n] == b:  # the attorney only added after it: take the draft's change, keep the rest
        return t + m[n:]
    if n and m[len(m) - n :] == b:
        return m[: len(m) - n] + t
    return None


def merge_letter(base: str, mine: str, theirs: str) -> tuple[str, tuple[LetterConflict, ...]]:
    """3-way merge at paragraph level: ``base`` is the last generated draft,
    ``mine`` the attorney's text, ``theirs`` the new draft.  Where both changed
    the same paragraphs the attorney's text is kept and a conflict names the
    section, with the draft's version, so it can be shown."""
    b, m, t = split_blocks(base), split_blocks(mine), split_blocks(theirs)
    out: list[str] = []
    conflicts: list[LetterConflict] = []
    for bc, mc, tc in _diff3(b, m, t):
        merged = _resolve(bc, mc, tc)
        if merged is not None:
            out.extend(merged)
            continue
        section = next((h for blk in (*mc, *tc) if (h := heading_text(blk))), None)
        if section is None:
            section = next((h for blk in reversed(out) if (h := heading_text(blk))), "")
        conflicts.append(
            LetterConflict(section=section, mine="\n\n".join(mc), draft="\n\n".join(tc))
        )
        out.extend(mc)
    return "\n\n".join(out) + "\n", tuple(conflicts)


# ---- the stored letter --------------------------------------------------------------
@dataclass(frozen=True)
class LetterUpdate:
    """What ``refresh_letter`` did."""

    letter: Letter
    created: bool  # there was no letter: the draft became the letter
    draft_changed: bool  # the new draft differs from the last generated one
    conflicts: tuple[LetterConflict, ...]  # parts both edited and changed by this refresh


def refresh_letter(store: Store, case_id: int) -> LetterUpdate:
    """Generate the draft from the case; create the letter with it, or merge
    the changes into the attorney's text (their edits are kept)."""
    draft = generate_draft(store, case_id)
    digest = text_hash(draft)
    old = store.get_letter(case_id)
    if old is None:
        letter = store.save_letter(
            case_id,
            draft,
            draft_text=draft,
            generated_from_hash=digest,
            conflicts=(),
            action="letter.generate",
        )
        return LetterUpdate(letter, created=True, draft_changed=True, conflicts=())
    changed = text_hash(old.draft_text) != digest
    merged, conflicts = merge_letter(old.draft_text, old.text, draft)
    if not changed:
        merged = old.text
    renewed = {c.section for c in conflicts}
    kept = tuple(c for c in old.conflicts if c.section not in renewed) + conflicts
    letter = store.save_letter(
        case_id,
        merged,
        draft_text=draft,
        generated_from_hash=digest,
        conflicts=kept,
        action="letter.refresh",
    )
    log.info("letter of case %d refreshed: %d conflicts", case_id, len(conflicts))
    return LetterUpdate(letter, created=False, draft_changed=changed, conflicts=conflicts)


def save_letter_text(
    store: Store, case_id: int, text: str, *, resolve_conflicts: bool = False
) -> Letter:
    """Store the attorney's text.  A case without a letter gets one whose
    generated draft is the current draft (the base of a later refresh)."""
    if store.get_letter(case_id) is None:
        draft = generate_draft(store, case_id)
        return store.save_letter(
            case_id, text, draft_text=draft, generated_from_hash=text_hash(draft), conflicts=()
        )
    return store.save_letter(case_id, text, conflicts=() if resolve_conflicts else None)


def resolve_conflicts(store: Store, case_id: int, sections: Sequence[str] | None = None) -> Letter:
    """Mark conflicts as seen (the attorney's text stays): all, or those of ``sections``."""
    letter = store.get_letter(case_id)
    if letter is None:
        raise BadInputError(
            f"Case {case_id} has no letter yet.",
            hint=f"Generate the draft first: pdpacket letter {case_id} --refresh",
        )
    keep = (
        () if sections is None else tuple(c for c in letter.conflicts if c.section not in sections)
    )
    return store.save_letter(case_id, letter.text, conflicts=keep, action="letter.resolve")

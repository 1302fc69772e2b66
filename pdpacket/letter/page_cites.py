"""Citations that follow page edits: when the page tools rotate, delete, move,
split or merge, a citation of exhibit pages (``{{cite:ID:pages=3}}``) is pointed
at the same page content in its new place.

A page is known by the stored file and stored page it shows; an exhibit's
pages are numbered as the packet prints them after its tab (translation,
certificate and original in the exhibit's order, see ``packet.plan``).  A cited
range keeps its first and last surviving page.  A citation whose pages were all
deleted is replaced by a ``[[...]]`` note naming the page, which the review
flags until the attorney cites another page (or the page is restored).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from pdpacket.model import Exhibit, ExhibitFile, FileRole, TranslationOrder
from pdpacket.model.markup import TOKEN

# a page of an exhibit: (stored file's sha256, stored page) -- a file split in
# two is two rows over one stored file; the generated translator's certificate
# is ("", -exhibit id)
PageKey = tuple[str, int]

DELETED_NOTE = "[[cited page {page} of this exhibit was deleted: cite another page]]"


def page_keys(ex: Exhibit) -> list[PageKey]:
    """The exhibit's pages as the packet prints them after its tab."""

    def keys(files: Iterable[ExhibitFile]) -> list[PageKey]:
        return [(f.pdf_sha256, s.source) for f in files for s in f.kept]

    translations = ex.files_with_role(FileRole.TRANSLATION)
    originals = ex.files_with_role(FileRole.DOCUMENT)
    certs = ex.files_with_role(FileRole.CERTIFICATE)
    if not translations:
        return keys((*originals, *certs))
    cert = keys(certs) if certs else [("", -ex.id)]
    if ex.translation_order == TranslationOrder.ORIGINAL_FIRST:
        return keys(originals) + keys(translations) + cert
    return keys(translations) + cert + keys(originals)


def remap(text: str, before: Sequence[Exhibit], after: Sequence[Exhibit]) -> str:
    """``text`` with the citations of ``before``'s exhibits pointed at where their
    pages are in ``after`` (the same exhibits, and any made or removed)."""
    old = {ex.id: page_keys(ex) for ex in before}
    where: dict[PageKey, tuple[int, int]] = {}
    for ex in after:
        for n, key in enumerate(page_keys(ex), start=1):
            where.setdefault(key, (ex.id, n))
    gone = {ex.id for ex in before} - {ex.id for ex in after}

    def sub(m: re.Match[str]) -> str:
        ex_id = int(m["id"])
        keys = old.get(ex_id)
        if keys is None:
            return m.group(0)
        kind = m["kind"]
        first = int(m["first"] or 0)
        last = int(m["last"] or first)
        if not first:
            if ex_id not in gone or not keys:
                return m.group(0)
            first, last = 1, len(keys)  # a whole exhibit merged into another
        if not 1 <= first <= last <= len(keys):
            return m.group(0)  # already wrong: the review says so
        kept = [where[k] for k in keys[first - 1 : last] if k in where]
        if not kept:
            return f"{{{{{kind}:{ex_id}}}}} " + DELETED_NOTE.format(
                page=first if first == last else f"{first}-{last}"
            )
        (lo_ex, lo), (hi_ex, hi) = kept[0], kept[-1]
        if hi_ex != lo_ex or hi < lo:  # split across exhibits: keep its first part
            hi_ex, hi = lo_ex, max(n for e, n in kept if e == lo_ex)
        if lo_ex == ex_id and (lo, hi) == (first, last) and m["first"]:
            return m.group(0)
        pages = str(lo) if lo == hi else f"{lo}-{hi}"
        return f"{{{{{kind}:{lo_ex}:pages={pages}}}}}"

    return TOKEN.sub(sub, text)

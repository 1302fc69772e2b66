"""The page tools of the façade: rotate, delete, restore and move pages of an
exhibit, split an exhibit in two, merge two -- each one undo step.

Pages are edits over the stored files (``store.page_edits``), which never
change.  Page numbers here count every page of the exhibit's files in order,
deleted ones too, as the window's Pages view and ``pdpacket pages`` list them
(1-based).  The letter's citations of moved pages follow them
(``letter.page_cites``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sqlite_utils import Database

from pdpacket import undo
from pdpacket.errors import BadInputError, ManifestError
from pdpacket.letter import page_cites
from pdpacket.manifest import ManifestFile
from pdpacket.model import Exhibit, ExhibitFile, FileRole, HistoryStep, PageSlot
from pdpacket.model.markup import TOKEN
from pdpacket.store import page_edits
from pdpacket.store.database import Store, now_iso


@dataclass(frozen=True)
class PageInfo:
    """One page of an exhibit as the page tools list it."""

    number: int  # 1-based, every page of the exhibit's files in order (deleted too)
    file_id: int
    file_name: str
    role: FileRole
    source: int  # 0-based page of the stored PDF
    turns: int  # quarter turns clockwise added to the page
    deleted: bool
    exhibit_page: int  # its page in the exhibit as the packet prints it (0: deleted)


def exhibit_pages(ex: Exhibit) -> list[PageInfo]:
    """Every page of ``ex``, in the page tools' numbering."""
    order = {key: n for n, key in enumerate(page_cites.page_keys(ex), start=1)}
    out: list[PageInfo] = []
    for f in ex.files:
        for s in f.slots:
            out.append(
                PageInfo(
                    len(out) + 1,
                    f.id,
                    f.original_name,
                    f.role,
                    s.source,
                    s.turns,
                    s.deleted,
                    order.get((f.pdf_sha256, s.source), 0),
                )
            )
    return out


def _ranges(numbers: Sequence[int]) -> str:
    ns = sorted(set(numbers))
    parts: list[str] = []
    start = prev = ns[0]
    for n in [*ns[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    word = "page" if len(ns) == 1 else "pages"
    return f"{word} {', '.join(parts)}"


class PageEdit(undo.Change):
    """A page tool's change: the rows of the exhibits it touched before and
    after, and the letter's text before and after its citations followed."""

    def __init__(
        self,
        text: str,
        before: page_edits.Snapshot,
        after: page_edits.Snapshot,
        exhibits: tuple[list[Exhibit], list[Exhibit]],
        letter: tuple[str, str] | None,
    ) -> None:
        ids = sorted(set(before.exhibits) | set(after.exhibits))
        super().__init__(before.case_id, text, ids)
        self.before, self.after = before, after
        self.exhibits = exhibits
        self.letter = letter

    def _letter(self, store: Store, forward: bool) -> None:
        if self.letter is None:
            return
        current = store.get_letter(self.case_id)
        if current is None:
            return
        old, new = self.letter if forward else self.letter[::-1]
        if current.text == old:
            text = new
        else:  # edited since: follow the pages in what is there now
            a, b = self.exhibits if forward else self.exhibits[::-1]
            text = page_cites.remap(current.text, a, b)
        if text != current.text:
            store.save_letter(self.case_id, text, action="letter.page_cites")

    def apply(self, store: Store) -> None:
        with store.transaction():
            page_edits.put_back(store.db, self.before, self.after)
            self._letter(store, True)
            store.audit(self.case_id, "exhibit.pages", change=self.text)

    def revert(self, store: Store) -> None:
        with store.transaction():
            page_edits.put_back(store.db, self.after, self.before)
            self._letter(store, False)
            store.audit(self.case_id, "exhibit.pages", undo=self.text)


def check_manifest_pages(source: Path, mf: ManifestFile, stored_pages: int) -> None:
    """A manifest's page edits name pages the file has."""
    bad = [p.source + 1 for p in mf.pages if p.source >= stored_pages]
    if bad:
        raise ManifestError(
            f'{source.name}: {mf.path.name} has {stored_pages} pages; its "pages" name '
            f"page {bad[0]}.",
            hint="Number the pages from 1 as a PDF viewer shows them.",
        )


def write_layout(db: Database, file_id: int, layout: Sequence[PageSlot], stored: int) -> None:
    """Store page edits for a new file row (a manifest's; none: nothing to do)."""
    if layout:
        page_edits.write(db, file_id, layout, stored)


def _next_part(title: str) -> str:
    """The title of the second half of a split: "Lease (part 2)", then "(part 3)"."""
    m = re.fullmatch(r"(.*) \(part (\d+)\)", title)
    return f"{m[1]} (part {int(m[2]) + 1})" if m else f"{title} (part 2)"


def _refuse(message: str, hint: str) -> BadInputError:
    return BadInputError(message, hint=hint)


class PageTools:
    """Mixed into ``Workspace``."""

    store: Store
    history: undo.History

    # ---- reading ------------------------------------------------------------
    def exhibit_pages(self, exhibit_id: int) -> list[PageInfo]:
        """Every page of the exhibit, deleted ones too, in the page tools' numbering."""
        return exhibit_pages(self.store.get_exhibit(exhibit_id))

    # ---- helpers --------------------------------------------------------------
    def _label(self, ex: Exhibit) -> str:
        return undo.exhibit_label(self.store.list_exhibits(ex.case_id), ex.id)

    def _locate(self, ex: Exhibit, numbers: Sequence[int]) -> list[tuple[int, int]]:
        """(file index, slot index) of each page number."""
        spots = [(fi, si) for fi, f in enumerate(ex.files) for si in range(len(f.slots))]
        if not numbers:
            raise _refuse(f"No page of {self._label(ex)} was named.", "Name a page by its number.")
        bad = [n for n in numbers if not 1 <= n <= len(spots)]
        if bad:
            raise _refuse(
                f"{self._label(ex)} has no page {bad[0]}: its pages are numbered 1 to "
                f"{len(spots)}.",
                "List its pages with `pdpacket pages` (or see the Pages tab) and use "
                "one of those numbers.",
            )
        return [spots[n - 1] for n in numbers]

    def _record(
        self,
        ex: Exhibit,
        text: str,
        change: Callable[[], list[int] | None],
        extra_ids: Sequence[int] = (),
    ) -> HistoryStep:
        """Snapshot, make the change (``change()``, in a transaction, returns the
        ids of exhibits it made), snapshot again, follow the letter's citations
        and record it all as one undo step."""
        db = self.store.db
        ids = [ex.id, *extra_ids]
        before_rows = page_edits.snapshot(db, ex.case_id, ids)
        before = [e for e in self.store.list_exhibits(ex.case_id) if e.id in ids]
        with self.store.transaction():
            made = change()
            db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", (now_iso(), ex.case_id))
        new_ids = [*ids, *(made or [])]
        after_rows = page_edits.snapshot(db, ex.case_id, new_ids)
        after = [e for e in self.store.list_exhibits(ex.case_id) if e.id in new_ids]
        letter = self.store.get_letter(ex.case_id)
        texts = None
        if letter is not None and TOKEN.search(letter.text):
            new_text = page_cites.remap(letter.text, before, after)
            if new_text != letter.text:
                texts = (letter.text, new_text)
        step = PageEdit(text, before_rows, after_rows, (before, after), texts)
        return self.history.record(self.store, step)

    def _set_layouts(
        self, ex: Exhibit, layouts: dict[int, list[PageSlot]], text: str
    ) -> HistoryStep:
        files = {f.id: f for f in ex.files}

        def change() -> None:
            for fid, slots in layouts.items():
                page_edits.write(self.store.db, fid, slots, files[fid].pages)

        return self._record(ex, text, change)

    def _edit_slots(
        self,
        exhibit_id: int,
        numbers: Sequence[int],
        what: str,
        edit: Callable[[PageSlot], PageSlot],
    ) -> HistoryStep:
        ex = self.store.get_exhibit(exhibit_id)
        numbers = sorted(set(numbers))
        layouts: dict[int, list[PageSlot]] = {}
        for fi, si in self._locate(ex, numbers):
            f = ex.files[fi]
            slots = layouts.setdefault(f.id, list(f.slots))
            slots[si] = edit(slots[si])
        text = f"{what} of {_ranges(numbers)} of {self._label(ex)}"
        return self._set_layouts(ex, layouts, text)

    # ---- the tools -------------------------------------------------------------
    def rotate_pages(self, exhibit_id: int, pages: Sequence[int], degrees: int = 90) -> HistoryStep:
        """Turn pages clockwise by ``degrees`` (a multiple of 90; negative turns
        them anticlockwise), on top of their own rotation."""
        if degrees % 90:
            raise _refuse(
                f"Pages turn by quarter turns, not by {degrees} degrees.",
                "Use 90, 180 or 270 (or -90 to turn anticlockwise).",
            )
        q = degrees // 90

        def turn(s: PageSlot) -> PageSlot:
            return replace(s, turns=(s.turns + q) % 4)

        return self._edit_slots(exhibit_id, pages, "rotation", turn)

    def delete_pages(self, exhibit_id: int, pages: Sequence[int]) -> HistoryStep:
        """Leave pages out of the packet (they stay listed, to be restored)."""
        return self._edit_slots(exhibit_id, pages, "deletion", lambda s: replace(s, deleted=True))

    def restore_pages(self, exhibit_id: int, pages: Sequence[int]) -> HistoryStep:
        """Put deleted pages back where they were."""
        return self._edit_slots(exhibit_id, pages, "restoring", lambda s: replace(s, deleted=False))

    def move_pages(self, exhibit_id: int, pages: Sequence[int], to: int) -> HistoryStep:
        """Move pages (of one file of the exhibit) so that the first of them
        becomes page ``to``; they keep their order among themselves."""
        ex = self.store.get_exhibit(exhibit_id)
        spots = self._locate(ex, pages)
        (target,) = self._locate(ex, [to])
        files = {fi for fi, _ in spots} | {target[0]}
        if len(files) > 1:
            raise _refuse(
                f"Pages move within one file of {self._label(ex)}: page {to} is in "
                "another file (a translation and its original, or two documents).",
                "Move the pages to a place inside their own file, or split the exhibit.",
            )
        fi = target[0]
        f = ex.files[fi]
        slots = list(f.slots)
        chosen = sorted({si for _, si in spots})
        moving = [slots[i] for i in chosen]
        rest = [s for i, s in enumerate(slots) if i not in set(chosen)]
        # where the first moved page lands, counted in the file's slots
        at = min(target[1], len(rest))
        layout = rest[:at] + moving + rest[at:]
        text = f"move of {_ranges(pages)} of {self._label(ex)}"
        return self._set_layouts(ex, {f.id: layout}, text)

    def split_exhibit(self, exhibit_id: int, at_page: int) -> HistoryStep:
        """Split the exhibit in two: page ``at_page`` and those after it become a
        new exhibit right after it (``exhibit_ids[-1]`` of the step)."""
        ex = self.store.get_exhibit(exhibit_id)
        label = self._label(ex)
        if any(f.role != FileRole.DOCUMENT for f in ex.files):
            raise _refuse(
                f"{label} has a translation or a translator's certificate: splitting it "
                "would part the translation from the pages it translates.",
                "Split the original and its translation as separate exhibits first, or "
                "keep the exhibit whole.",
            )
        total = sum(len(f.slots) for f in ex.files)
        if not 2 <= at_page <= total:
            raise _refuse(
                f"{label} cannot be split at page {at_page}: a split starts the new "
                f"exhibit at one of its pages 2 to {total}.",
                "Choose the first page of the second exhibit.",
            )
        ((cut_file, cut_slot),) = self._locate(ex, [at_page])
        store = self.store

        def change() -> list[int]:
            new_id = store.add_exhibit(
                ex.case_id,
                _next_part(ex.title),
                position=ex.position + 1,
                description=ex.description,
                doc_date=ex.doc_date,
                factor_ids=list(ex.factor_ids),
                document_type=ex.document_type,
                language=ex.language,
                section=ex.section,
                included=ex.included,
                translator=ex.translator,
                translation_order=ex.translation_order,
            )
            for fi, f in enumerate(ex.files):
                if fi < cut_file:
                    continue
                if fi == cut_file and cut_slot > 0:
                    slots = list(f.slots)
                    page_edits.write(store.db, f.id, slots[:cut_slot], f.pages)
                    new_file = store.add_exhibit_file(
                        new_id,
                        role=f.role,
                        original_name=f.original_name,
                        original_sha256=f.original_sha256,
                        pdf_sha256=f.pdf_sha256,
                        pages=f.pages,
                        warnings=f.warnings,
                        recovered=f.recovered,
                    )
                    page_edits.write(store.db, new_file, slots[cut_slot:], f.pages)
                    continue
                row = store.db.execute(
                    "SELECT COALESCE(MAX(position), -1) + 1 FROM exhibit_files "
                    "WHERE exhibit_id = ?",
                    (new_id,),
                ).fetchone()
                store.db.execute(
                    "UPDATE exhibit_files SET exhibit_id = ?, position = ? WHERE id = ?",
                    (new_id, int(row[0]), f.id),
                )
            return [new_id]

        return self._record(ex, f"split of {label} at page {at_page}", change)

    def merge_exhibits(self, first: int, second: int) -> HistoryStep:
        """Append exhibit ``second``'s pages to exhibit ``first``; ``second`` goes
        away (its factors join the first's).  Two halves of one file split
        earlier become one file again."""
        a = self.store.get_exhibit(first)
        b = self.store.get_exhibit(second)
        la, lb = self._label(a), self._label(b)
        if a.id == b.id or a.case_id != b.case_id:
            raise _refuse(
                "Only two different exhibits of the same case can be merged.",
                "Choose the exhibit to merge into another.",
            )
        if any(f.role != FileRole.DOCUMENT for f in (*a.files, *b.files)):
            raise _refuse(
                f"{la} or {lb} has a translation or a translator's certificate: merging "
                "them would mix translations and originals of different documents.",
                "Merge the documents before pairing their translations, or keep them apart.",
            )
        store = self.store

        def change() -> None:
            last: ExhibitFile | None = a.files[-1] if a.files else None
            position = (last.position + 1) if last else 0
            for n, f in enumerate(b.files):
                if (
                    n == 0
                    and last is not None
                    and last.pdf_sha256 == f.pdf_sha256
                    and not {s.source for s in last.slots} & {s.source for s in f.slots}
                ):  # the halves of one split file: one file again
                    page_edits.write(store.db, last.id, [*last.slots, *f.slots], last.pages)
                    store.db.execute("DELETE FROM exhibit_files WHERE id = ?", (f.id,))
                    continue
                store.db.execute(
                    "UPDATE exhibit_files SET exhibit_id = ?, position = ? WHERE id = ?",
                    (a.id, position, f.id),
                )
                position += 1
            factors = list(dict.fromkeys([*a.factor_ids, *b.factor_ids]))
            if factors != list(a.factor_ids):
                store.update_exhibit(a.id, factor_ids=factors)
            store.remove_exhibit(b.id)

        return self._record(a, f"merge of {lb} into {la}", change, [b.id])

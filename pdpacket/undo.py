"""Undo and redo of exhibit changes: moves, removals and field edits.

Each change is written at once (autosave) and remembers how to put things
back: a removed exhibit returns with the same id, place and files (their blobs
stay until a sweep, which only runs when a data folder is opened).  The
history lives in the core, so the window, the CLI and the tests undo alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pdpacket.model import Exhibit, HistoryStep, packet_exhibits
from pdpacket.store.database import Store

# how a field is named in "Undo change of title of Exh. C"
FIELD_NAMES = {
    "title": "title",
    "description": "description",
    "doc_date": "date",
    "doc_date_end": "end date",
    "factor_ids": "factors",
    "document_type": "document type",
    "language": "language",
    "section": "section",
    "included": "inclusion",
    "translator": "translator",
    "translation_order": "translation order",
    "guessed": "guesses",
}

# typing into these merges into one step, like a text editor's undo
_MERGED_FIELDS = {"title", "description"}


def exhibit_label(exhibits: Sequence[Exhibit], exhibit_id: int) -> str:
    """'Exh. C' for an exhibit in the packet, else its title in quotes."""
    letter = next((lt for lt, e in packet_exhibits(exhibits) if e.id == exhibit_id), "")
    if letter:
        return f"Exh. {letter}"
    title = next((e.title for e in exhibits if e.id == exhibit_id), "")
    return f"'{title}'" if title else "an exhibit"


def _labels(exhibits: Sequence[Exhibit], ids: Sequence[int]) -> str:
    names = [exhibit_label(exhibits, i) for i in ids[:2]]
    more = f" and {len(ids) - 2} more" if len(ids) > 2 else ""
    return ", ".join(names) + more


class Change:
    """One undoable step; ``text`` completes "Undo …" (e.g. "move of Exh. C")."""

    def __init__(self, case_id: int, text: str, exhibit_ids: Sequence[int]) -> None:
        self.case_id = case_id
        self.text = text
        self.exhibit_ids = tuple(exhibit_ids)

    def apply(self, store: Store) -> None:
        raise NotImplementedError

    def revert(self, store: Store) -> None:
        raise NotImplementedError

    def merge(self, later: Change) -> bool:
        """Absorb ``later`` (recorded right after this) into this step; True if done."""
        return False

    def step(self) -> HistoryStep:
        return HistoryStep(self.case_id, self.text, self.exhibit_ids)


class MoveExhibits(Change):
    def __init__(self, case_id: int, text: str, before: Sequence[int], after: Sequence[int]):
        super().__init__(case_id, text, after)
        self.before = list(before)
        self.after = list(after)

    def apply(self, store: Store) -> None:
        store.reorder_exhibits(self.case_id, self.after)

    def revert(self, store: Store) -> None:
        store.reorder_exhibits(self.case_id, self.before)


class RemoveExhibits(Change):
    def __init__(self, case_id: int, text: str, exhibits: Sequence[Exhibit]):
        super().__init__(case_id, text, [e.id for e in exhibits])
        self.exhibits = sorted(exhibits, key=lambda e: e.position)

    def apply(self, store: Store) -> None:
        with store.transaction():
            for ex in reversed(self.exhibits):
                store.remove_exhibit(ex.id)

    def revert(self, store: Store) -> None:
        with store.transaction():
            for ex in self.exhibits:
                store.restore_exhibit(ex)


@dataclass
class _Edit:
    exhibit_id: int
    old: Any
    new: Any


class EditExhibits(Change):
    """One field of one or more exhibits, set to one value."""

    def __init__(self, case_id: int, text: str, field_name: str, edits: Sequence[_Edit]):
        super().__init__(case_id, text, [e.exhibit_id for e in edits])
        self.field = field_name
        self.edits = list(edits)

    def apply(self, store: Store) -> None:
        with store.transaction():
            for e in self.edits:
                store.update_exhibit(e.exhibit_id, **{self.field: e.new})

    def revert(self, store: Store) -> None:
        with store.transaction():
            for e in self.edits:
                store.update_exhibit(e.exhibit_id, **{self.field: e.old})

    def merge(self, later: Change) -> bool:
        if (
            isinstance(later, EditExhibits)
            and later.field == self.field
            and self.field in _MERGED_FIELDS
            and len(self.edits) == len(later.edits) == 1
            and later.edits[0].exhibit_id == self.edits[0].exhibit_id
        ):
            self.edits[0].new = later.edits[0].new
            return True
        return False


@dataclass
class History:
    """What was done (to undo) and what was undone (to redo), newest last."""

    done: list[Change] = field(default_factory=list)
    undone: list[Change] = field(default_factory=list)

    def record(self, store: Store, change: Change) -> HistoryStep:
        """Apply ``change`` and remember it; if it fails nothing is remembered."""
        change.apply(store)
        if not (self.done and self.done[-1].merge(change)):
            self.done.append(change)
        self.undone.clear()
        return change.step()

    def undo(self, store: Store) -> HistoryStep | None:
        """Take back the last change (None: nothing to undo).  A change that can no
        longer be taken back is forgotten, and its error raised."""
        if not self.done:
            return None
        change = self.done.pop()
        change.revert(store)
        self.undone.append(change)
        return change.step()

    def redo(self, store: Store) -> HistoryStep | None:
        if not self.undone:
            return None
        change = self.undone.pop()
        change.apply(store)
        self.done.append(change)
        return change.step()

    def clear(self) -> None:
        self.done.clear()
        self.undone.clear()

    def undo_text(self) -> str:
        return f"Undo {self.done[-1].text}" if self.done else ""

    def redo_text(self) -> str:
        return f"Redo {self.undone[-1].text}" if self.undone else ""


def move(store: Store, case_id: int, order: Sequence[int], moved: Sequence[int]) -> Change:
    exhibits = store.list_exhibits(case_id)
    before = [e.id for e in exhibits]
    names = _labels(exhibits, list(moved)) if moved else "exhibits"
    return MoveExhibits(case_id, f"move of {names}", before, order)


def removal(store: Store, exhibit_ids: Sequence[int]) -> Change:
    removed = [store.get_exhibit(i) for i in exhibit_ids]
    case_id = removed[0].case_id
    exhibits = store.list_exhibits(case_id)
    return RemoveExhibits(case_id, f"removal of {_labels(exhibits, list(exhibit_ids))}", removed)


def edit(store: Store, exhibit_ids: Sequence[int], field_name: str, value: Any) -> Change:
    if field_name not in FIELD_NAMES:
        raise ValueError(f"unknown exhibit field: {field_name}")
    current = [store.get_exhibit(i) for i in exhibit_ids]
    case_id = current[0].case_id
    exhibits = store.list_exhibits(case_id)
    name = FIELD_NAMES.get(field_name, field_name)
    edits = [_Edit(e.id, getattr(e, field_name), value) for e in current]
    text = f"change of {name} of {_labels(exhibits, list(exhibit_ids))}"
    return EditExhibits(case_id, text, field_name, edits)

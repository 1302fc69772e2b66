"""Undoable exhibit changes (Ctrl+Z): reorder, removal and edits.

Each command writes through the UI thread's store at once (autosave) and can
put things back: a removed exhibit returns with the same id, place and files.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from pdpacket.model import Exhibit, packet_exhibits

from .context import CaseContext

FIELD_NAMES = {
    "title": "title",
    "description": "description",
    "doc_date": "date",
    "factor_ids": "factors",
    "document_type": "document type",
    "language": "language",
    "section": "section",
    "included": "inclusion",
    "translator": "translator",
    "translation_order": "translation order",
}


class _Command(QUndoCommand):
    def __init__(self, ctx: CaseContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self.case_id = ctx.case_id

    def _run(self, fn: Any, *args: Any, **kw: Any) -> bool:
        try:
            fn(*args, **kw)
        except Exception as exc:
            self.setObsolete(True)
            self.ctx.fail(exc, action=self.text().lower())
            return False
        finally:
            self.ctx.exhibitsChanged.emit()
        return True


class ReorderExhibitsCommand(_Command):
    def __init__(self, ctx: CaseContext, before: Sequence[int], after: Sequence[int]) -> None:
        super().__init__(ctx, "Move exhibit")
        self.before = list(before)
        self.after = list(after)

    def redo(self) -> None:
        self._run(self.ctx.store.reorder_exhibits, self.case_id, self.after)

    def undo(self) -> None:
        self._run(self.ctx.store.reorder_exhibits, self.case_id, self.before)


class RemoveExhibitsCommand(_Command):
    def __init__(self, ctx: CaseContext, exhibits: Sequence[Exhibit]) -> None:
        titles = ", ".join(f"'{e.title}'" for e in exhibits[:2])
        more = f" and {len(exhibits) - 2} more" if len(exhibits) > 2 else ""
        super().__init__(ctx, f"Remove {titles}{more}")
        self.exhibits = sorted(exhibits, key=lambda e: e.position)

    def redo(self) -> None:
        def remove() -> None:
            with self.ctx.store.transaction():
                for ex in reversed(self.exhibits):
                    self.ctx.store.remove_exhibit(ex.id)

        self._run(remove)

    def undo(self) -> None:
        def restore() -> None:
            with self.ctx.store.transaction():
                for ex in self.exhibits:
                    self.ctx.store.restore_exhibit(ex)

        self._run(restore)


class EditExhibitCommand(_Command):
    """One field of one exhibit; typing into the same field merges into one step."""

    ID = 1

    def __init__(
        self, ctx: CaseContext, exhibit: Exhibit, letter: str, field: str, new: Any
    ) -> None:
        name = FIELD_NAMES.get(field, field)
        label = f"exhibit {letter}" if letter and letter != "—" else f"'{exhibit.title}'"
        super().__init__(ctx, f"Change {name} of {label}")
        self.exhibit_id = exhibit.id
        self.field = field
        self.old = getattr(exhibit, field)
        self.new = new
        self.ok = True

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if (
            isinstance(other, EditExhibitCommand)
            and other.exhibit_id == self.exhibit_id
            and other.field == self.field
            and self.field in ("title", "description")
        ):
            self.new = other.new
            return True
        return False

    def redo(self) -> None:
        self.ok = self._run(
            self.ctx.store.update_exhibit, self.exhibit_id, **{self.field: self.new}
        )

    def undo(self) -> None:
        self._run(self.ctx.store.update_exhibit, self.exhibit_id, **{self.field: self.old})


def letter_of(exhibits: Sequence[Exhibit], exhibit_id: int) -> str:
    return next((letter for letter, e in packet_exhibits(exhibits) if e.id == exhibit_id), "")

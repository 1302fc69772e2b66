"""The case interview through the façade: read, store (undoable), copy, and
the client-advice note that goes with the requested form of discretion."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any

from pdpacket import undo
from pdpacket.letter import advice
from pdpacket.model import HistoryStep
from pdpacket.model.interview import Arrest, Interview
from pdpacket.policy import catalog
from pdpacket.store import interview as interview_store
from pdpacket.store.database import Store


def _changed(a: object, b: object, path: str = "") -> set[str]:
    """Where two interviews differ, as leaf paths ("arrests[0].charge"); a list
    that grew or shrank is one change at the list ("arrests")."""
    if a == b:
        return set()
    if is_dataclass(a) and is_dataclass(b) and type(a) is type(b):
        out: set[str] = set()
        for f in fields(a):
            sub = f"{path}.{f.name}" if path else f.name
            out |= _changed(getattr(a, f.name), getattr(b, f.name), sub)
        return out
    if isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b):
        out = set()
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            out |= _changed(x, y, f"{path}[{i}]")
        return out
    return {path}


class InterviewChange(undo.Change):
    """Storing the interview, undone by storing the one before it."""

    def __init__(self, case_id: int, before: Interview, after: Interview) -> None:
        super().__init__(case_id, "change of the case interview", ())
        self.before = before
        self.after = after

    def apply(self, store: Store) -> None:
        interview_store.set_interview(store, self.case_id, self.after)

    def revert(self, store: Store) -> None:
        interview_store.set_interview(store, self.case_id, self.before)

    def fields_changed(self) -> set[str]:
        return _changed(self.before, self.after)

    def merge(self, later: undo.Change) -> bool:
        # typing into one answer stores it often: one undo step per answer edited
        # (an answer of one arrest or relative, not the whole list)
        if (
            isinstance(later, InterviewChange)
            and later.case_id == self.case_id
            and later.before == self.after
            and later.fields_changed() == self.fields_changed()
        ):
            self.after = later.after
            return True
        return False


class InterviewMixin:
    """``Workspace`` methods for the interview (see ``model.interview``)."""

    store: Store
    history: undo.History

    @staticmethod
    def interview_choices() -> dict[str, list[tuple[str, str]]]:
        """The interview's lists (resources/interview.json) as (id, label):
        manners, relations, statuses, paths, grounds; and ``ground_forms``, the
        PD forms that rest on an 8 CFR 239.2(a) ground (as (id, id))."""
        data = catalog.load_json("interview.json")
        out = {
            kind: [(str(c["id"]), str(c["label"])) for c in data[kind]]
            for kind in ("manners", "relations", "statuses", "paths", "grounds")
        }
        out["ground_forms"] = [(f, f) for f in data.get("ground_forms", ())]
        return out

    def interview(self, case_id: int) -> Interview:
        """The case's interview (empty when nothing was answered yet)."""
        self.store.get_case(case_id)
        return interview_store.get_interview(self.store, case_id)

    def set_interview(self, case_id: int, interview: Interview) -> HistoryStep | None:
        """Store the case's interview; the change can be undone (``undo``).
        Dates must be partial ISO dates ("2005", "2005-03", "2005-03-14"); an
        arrest may name only exhibits of this case.  None: nothing changed."""
        self.store.get_case(case_id)
        before = interview_store.get_interview(self.store, case_id)
        if before == interview:
            return None
        own = {e.id for e in self.store.list_exhibits(case_id)}
        arrests = tuple(
            replace(a, exhibit_ids=tuple(i for i in a.exhibit_ids if i in own))
            for a in interview.arrests
        )
        interview = interview_store.check_interview(replace(interview, arrests=arrests))
        return self.history.record(self.store, InterviewChange(case_id, before, interview))

    def interview_data(self, case_id: int) -> dict[str, Any]:
        """The case's interview as JSON-ready data (the store's format)."""
        return interview_store.interview_to_dict(self.interview(case_id))

    def set_interview_data(self, case_id: int, data: Mapping[str, Any]) -> HistoryStep | None:
        """Store an interview given as data (``interview_data``'s format); a key
        this version does not know, or a date that is not one, is refused."""
        return self.set_interview(case_id, interview_store.interview_from_dict(data))

    def _copy_interview(self, source_id: int, new_id: int) -> None:
        """A duplicated case gets the interview, its arrests pointing at the
        copies of the exhibits (same order)."""
        iv = interview_store.get_interview(self.store, source_id)
        if iv == Interview():
            return
        old = [e.id for e in self.store.list_exhibits(source_id)]
        new = [e.id for e in self.store.list_exhibits(new_id)]
        mapping = dict(zip(old, new, strict=False))
        arrests: Sequence[Arrest] = [
            replace(a, exhibit_ids=tuple(mapping[i] for i in a.exhibit_ids if i in mapping))
            for a in iv.arrests
        ]
        interview_store.set_interview(self.store, new_id, replace(iv, arrests=tuple(arrests)))

    def _import_interview(self, case_id: int, iv: Interview) -> None:
        """A manifest's interview: its arrests name exhibits by their place in
        the manifest (1 = the first exhibit); here they get the exhibits' ids."""
        ids = [e.id for e in self.store.list_exhibits(case_id)]
        arrests = tuple(
            replace(a, exhibit_ids=tuple(ids[n - 1] for n in a.exhibit_ids if 0 < n <= len(ids)))
            for a in iv.arrests
        )
        interview_store.set_interview(self.store, case_id, replace(iv, arrests=arrests))

    def client_advice_text(self, case_id: int) -> str:
        """The client-advice note in letter markup: what the case's form of
        discretion means for the client.  Never part of a packet."""
        return advice.advice_text(self.store.get_case(case_id))

    def export_client_advice(self, case_id: int, out: str | os.PathLike[str]) -> Path:
        """Write the client-advice note as a PDF (replaced atomically)."""
        return advice.export_advice(self.store, case_id, out)

"""Undo and redo of exhibit changes through the façade, without the window."""

from __future__ import annotations

import sqlite3

import pytest

from pdpacket.errors import DatabaseError, ValidationError
from pdpacket.model import Client


def _case_with(workspace, pdf_factory, names):
    case = workspace.create_case(Client(name="Undo Client"))
    workspace.add_evidence(case, [pdf_factory(f"{n}.pdf", [n]) for n in names])
    return case


def titles(workspace, case):
    return [e.title for e in workspace.exhibits(case)]


def test_undo_and_redo_a_move(workspace, pdf_factory):
    case = _case_with(workspace, pdf_factory, ("first", "second", "third"))
    a, b, c = (e.id for e in workspace.exhibits(case))
    assert not workspace.can_undo() and workspace.undo() is None

    step = workspace.move_exhibits(case, [c, a, b], moved=[c])
    assert titles(workspace, case) == ["Third", "First", "Second"]
    assert step.case_id == case and step.exhibit_ids == (c, a, b)
    assert workspace.undo_text() == "Undo move of Exh. C"

    assert workspace.undo() is not None
    assert titles(workspace, case) == ["First", "Second", "Third"]
    assert workspace.can_redo() and workspace.redo_text() == "Redo move of Exh. C"
    workspace.redo()
    assert titles(workspace, case) == ["Third", "First", "Second"]
    assert not workspace.can_redo()


def test_undo_a_removal_brings_the_exhibit_back_with_its_files(workspace, pdf_factory):
    case = _case_with(workspace, pdf_factory, ("first", "second", "third"))
    before = workspace.exhibits(case)
    second = before[1]
    workspace.remove_exhibits([second.id])
    assert titles(workspace, case) == ["First", "Third"]
    assert workspace.undo_text() == "Undo removal of Exh. B"

    workspace.undo()
    after = workspace.exhibits(case)
    assert after == before  # same id, place, fields and files
    assert workspace.pdf_bytes(after[1].files[0]).startswith(b"%PDF")
    workspace.redo()
    assert titles(workspace, case) == ["First", "Third"]


def test_undo_a_field_edit_and_typing_merges_into_one_step(workspace, pdf_factory):
    case = _case_with(workspace, pdf_factory, ("lease",))
    (ex,) = workspace.exhibits(case)
    workspace.edit_exhibit(ex.id, "title", "Lease 2")
    workspace.edit_exhibit(ex.id, "title", "Lease 2016")
    workspace.edit_exhibit(ex.id, "included", False)
    assert workspace.undo_text() == "Undo change of inclusion of Exh. A"
    workspace.undo()
    assert workspace.exhibits(case)[0].included
    assert workspace.undo_text() == "Undo change of title of Exh. A"
    workspace.undo()  # both keystrokes at once
    assert titles(workspace, case) == ["Lease"]
    assert not workspace.can_undo()


def test_a_refused_edit_is_not_remembered(workspace, pdf_factory):
    case = _case_with(workspace, pdf_factory, ("birth",))
    (ex,) = workspace.exhibits(case)
    with pytest.raises(ValidationError):
        workspace.edit_exhibit(ex.id, "doc_date", "31/31/2020")
    assert not workspace.can_undo()


def test_several_exhibits_changed_at_once_are_one_step(workspace, pdf_factory):
    case = _case_with(workspace, pdf_factory, ("one", "two", "three"))
    ids = [e.id for e in workspace.exhibits(case)]
    workspace.edit_exhibits(ids, "section", "Family")
    assert {e.section for e in workspace.exhibits(case)} == {"Family"}
    assert workspace.undo_text() == "Undo change of section of Exh. A, Exh. B and 1 more"
    workspace.undo()
    assert {e.section for e in workspace.exhibits(case)} == {""}


def test_database_errors_reach_callers_as_pdpacket_errors(workspace):
    workspace.store.db.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(DatabaseError, match="case database could not be used") as err:
        workspace.create_case(Client(name="Read Only"))
    assert isinstance(err.value.__cause__, sqlite3.Error)

"""Core functions the window needs: search, duplicate, undo a removal, translations."""

from __future__ import annotations

import datetime as dt

import pytest

from pdpacket.errors import NotFoundError, PasswordRequiredError
from pdpacket.model import Client, FactorAnswer, FileRole, Proceedings, Translator


def _case(ws, name, a="", hearing=None):
    return ws.create_case(Client(name=name, a_number=a), Proceedings(hearing_date=hearing))


def test_search_by_name_alias_or_a_number_ignoring_accents(workspace):
    lucia = workspace.create_case(
        Client(name="Lucía Morales Rivas", a_number="201555014", aliases=("Lucy Rivas",))
    )
    other = _case(workspace, "José Pérez", "012345678")

    def ids(text):
        return [c.id for c in workspace.search_cases(text)]

    assert ids("lucia") == [lucia]
    assert ids("MORALES lucía") == [lucia]
    assert ids("lucy") == [lucia]
    assert ids("A201-555") == [lucia]
    assert ids("012345678") == [other]
    assert ids("perez") == [other]
    assert ids("nobody") == []
    assert sorted(ids("")) == [lucia, other]


def test_sort_by_next_hearing_puts_upcoming_first_then_undated_then_past(workspace):
    today = dt.date(2027, 1, 10)
    past = _case(workspace, "Past", hearing=dt.date(2026, 5, 1))
    none = _case(workspace, "Undated")
    later = _case(workspace, "Later", hearing=dt.date(2027, 6, 1))
    soon = _case(workspace, "Soon", hearing=dt.date(2027, 1, 20))
    order = [c.id for c in workspace.search_cases(sort="hearing", today=today)]
    assert order == [soon, later, none, past]
    assert [c.client.name for c in workspace.search_cases(sort="name")] == [
        "Later",
        "Past",
        "Soon",
        "Undated",
    ]


def test_archived_cases_are_found_only_when_asked(workspace):
    case = _case(workspace, "Archived Client")
    workspace.store.set_archived(case, True)
    assert workspace.search_cases("archived") == []
    assert [c.id for c in workspace.search_cases("archived", include_archived=True)] == [case]


def test_duplicate_copies_client_factors_and_exhibits_sharing_files(workspace, pdf_factory):
    src = workspace.create_case(
        Client(name="Ana Ruiz", a_number="12345678"),
        Proceedings(stage="proceedings_pending", pd_form="dismissal"),
    )
    workspace.store.set_factor_answer(src, FactorAnswer("long_residence", True, "since 2009"))
    workspace.add_evidence(src, [pdf_factory("lease.pdf", ["1", "2"])])
    new = workspace.duplicate_case(src)
    case = workspace.get_case(new)
    assert case.client.name == "Ana Ruiz (copy)"
    assert case.client.a_number == "012345678"
    assert case.proceedings.pd_form == "dismissal"
    assert workspace.store.factor_answers(new)["long_residence"].notes == "since 2009"
    (ex,) = workspace.exhibits(new)
    (orig,) = workspace.exhibits(src)
    assert ex.title == "Lease" and ex.pages == 2 and ex.id != orig.id
    assert ex.files[0].pdf_sha256 == orig.files[0].pdf_sha256
    # removing the copy's exhibit leaves the original's file readable
    workspace.store.remove_exhibit(ex.id)
    assert workspace.store.blobs.read(orig.files[0].pdf_sha256)


def test_restore_puts_a_removed_exhibit_back_in_place_with_its_files(workspace, pdf_factory):
    case = _case(workspace, "Undo Client")
    files = [pdf_factory(f"{n}.pdf", [n]) for n in ("first", "second", "third")]
    workspace.add_evidence(case, files)
    _a, b, _c = workspace.exhibits(case)
    workspace.store.update_exhibit(b.id, description="kept", factor_ids=["long_residence"])
    b = workspace.store.get_exhibit(b.id)
    workspace.store.remove_exhibit(b.id)
    assert [e.title for e in workspace.exhibits(case)] == ["First", "Third"]
    workspace.store.restore_exhibit(b)
    after = workspace.exhibits(case)
    assert [e.title for e in after] == ["First", "Second", "Third"]
    assert after[1] == b  # same id, position, fields and files
    with pytest.raises(ValueError):
        workspace.store.restore_exhibit(b)


def test_restore_refuses_when_the_files_were_swept(workspace, pdf_factory):
    case = _case(workspace, "Swept Client")
    workspace.add_evidence(case, [pdf_factory("only.pdf")])
    (ex,) = workspace.exhibits(case)
    workspace.store.remove_exhibit(ex.id)
    workspace.store.sweep_blobs()
    with pytest.raises(NotFoundError, match="no longer in the evidence store"):
        workspace.store.restore_exhibit(ex)
    assert workspace.exhibits(case) == []


def test_pair_translation_moves_files_and_removes_the_translation_exhibit(workspace, pdf_factory):
    case = _case(workspace, "Pair Client")
    workspace.add_evidence(
        case, [pdf_factory("acta.pdf", ["acta"]), pdf_factory("acta_en.pdf", ["en", "en2"])]
    )
    acta, english = workspace.exhibits(case)
    workspace.store.update_exhibit(
        acta.id,
        language="Spanish",
        translator=Translator("R. Campos", "1 Main St", "555", "Spanish"),
    )
    paired = workspace.pair_translation(acta.id, english.id)
    assert [f.role for f in paired.files] == [FileRole.DOCUMENT, FileRole.TRANSLATION]
    assert paired.pages == 3
    assert [e.id for e in workspace.exhibits(case)] == [acta.id]


def test_add_file_to_exhibit_attaches_a_translation_or_raises(workspace, pdf_factory, tmp_path):
    case = _case(workspace, "Attach Client")
    workspace.add_evidence(case, [pdf_factory("acta.pdf")])
    (acta,) = workspace.exhibits(case)
    res = workspace.add_file_to_exhibit(acta.id, pdf_factory("translation.pdf", ["t"]))
    assert res.status == "imported" and res.exhibit_id == acta.id
    ex = workspace.store.get_exhibit(acta.id)
    assert [f.role for f in ex.files] == [FileRole.DOCUMENT, FileRole.TRANSLATION]

    from pypdf import PdfReader, PdfWriter

    locked = tmp_path / "locked.pdf"
    w = PdfWriter(clone_from=PdfReader(pdf_factory("plain.pdf")))
    w.encrypt("secret", algorithm="AES-128")
    w.write(locked)
    blobs_before = set(workspace.store.referenced_blobs())
    with pytest.raises(PasswordRequiredError):
        workspace.add_file_to_exhibit(acta.id, locked)
    assert len(workspace.store.get_exhibit(acta.id).files) == 2
    res = workspace.add_file_to_exhibit(acta.id, locked, password="secret")
    assert res.status == "imported"
    assert set(workspace.store.referenced_blobs()) > blobs_before

"""The store keeps what the user entered, and the evidence, safely."""

import os
import stat

import pytest

from pdpacket.errors import IntegrityError, NotFoundError
from pdpacket.model import Client, FactorAnswer, Proceedings


def test_case_round_trip_and_audit(workspace):
    case_id = workspace.create_case(
        Client(name="  Ana   María  Test ", a_number="A 201-555-014"),
        Proceedings(hearing_date="03/15/2027", receipts=("ioe5550123456",)),
    )
    case = workspace.get_case(case_id)
    assert case.client.name == "Ana María Test"
    assert case.client.a_number_display == "A201-555-014"
    assert case.proceedings.hearing_date.isoformat() == "2027-03-15"
    assert case.proceedings.receipts == ("IOE5550123456",)
    workspace.store.update_proceedings(case_id, detained=True, facility="Orange County")
    workspace.store.set_factor_answer(case_id, FactorAnswer("long_residence", True, "since 2009"))
    assert workspace.get_case(case_id).proceedings.detained
    assert workspace.store.factor_answers(case_id)["long_residence"].notes == "since 2009"
    actions = [a["action"] for a in workspace.store.audit_entries(case_id)]
    assert actions == ["case.create", "proceedings.update", "factor.update"]


def test_unknown_case_says_how_to_find_one(workspace):
    with pytest.raises(NotFoundError) as err:
        workspace.get_case(99)
    assert "pdpacket list" in err.value.hint


def test_evidence_survives_the_original_being_deleted(workspace, pdf_factory):
    case_id = workspace.create_case(Client(name="A"))
    src = pdf_factory("lease.pdf", ["lease p1", "lease p2"])
    [res] = workspace.add_evidence(case_id, [src])
    assert res.status == "imported" and res.pages == 2
    src.unlink()
    [ex] = workspace.exhibits(case_id)
    assert ex.title == "Lease" and ex.pages == 2
    assert workspace.store.blobs.read(ex.files[0].pdf_sha256).startswith(b"%PDF")


def test_same_file_twice_is_stored_once_and_flagged(workspace, pdf_factory):
    case_id = workspace.create_case(Client(name="A"))
    src = pdf_factory("w2.pdf")
    first, second = workspace.add_evidence(case_id, [src, src])
    assert first.status == "imported"
    assert second.status == "duplicate" and "already in this case" in second.message
    assert len(workspace.exhibits(case_id)) == 1
    assert len(list(workspace.store.blobs.iter_shas())) == 2  # original + normalised


def test_damaged_blob_is_detected_on_read(workspace, pdf_factory):
    case_id = workspace.create_case(Client(name="A"))
    workspace.add_evidence(case_id, [pdf_factory("a.pdf")])
    sha = workspace.exhibits(case_id)[0].files[0].pdf_sha256
    path = workspace.store.blobs.path(sha)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(IntegrityError) as err:
        workspace.store.blobs.read(sha)
    assert "damaged" in err.value.message


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_data_folder_is_private(workspace):
    mode = stat.S_IMODE(os.stat(workspace.data_dir).st_mode)
    assert mode == 0o700
    assert stat.S_IMODE(os.stat(workspace.store.db_path).st_mode) == 0o600


def test_database_is_wal_with_foreign_keys(workspace):
    db = workspace.store.db
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reorder_and_remove_keep_positions_dense(workspace, pdf_factory):
    case_id = workspace.create_case(Client(name="A"))
    workspace.add_evidence(case_id, [pdf_factory(f"{n}.pdf", [n]) for n in "abc"])
    a, b, c = workspace.exhibits(case_id)
    workspace.store.reorder_exhibits(case_id, [c.id, a.id, b.id])
    assert [e.id for e in workspace.exhibits(case_id)] == [c.id, a.id, b.id]
    workspace.store.remove_exhibit(a.id)
    assert [(e.id, e.position) for e in workspace.exhibits(case_id)] == [(c.id, 0), (b.id, 1)]

"""Batch import through the façade (#3): per-file results, all-or-nothing, cancel."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pdpacket.model import Client, FileRole
from pdpacket.model.progress import CancelToken
from tests import evidence_gen as gen
from tests.pdftools import qpdf_check


def _state(ws, case_id):  # type: ignore[no-untyped-def]
    """Everything a failed import must leave alone."""
    exhibits = [
        (e.id, e.title, tuple((f.original_sha256, f.pdf_sha256) for f in e.files))
        for e in ws.exhibits(case_id)
    ]
    return exhibits, sorted(ws.store.blobs.iter_shas()), ws.store.referenced_blobs()


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "client drop"
    folder.mkdir()
    gen.phone_photo(folder / "birth_certificate.jpg", orientation=6, size=(1600, 1200))
    gen.text_pdf(folder / "lease.pdf", ["Lease 1", "Lease 2"])
    gen.encrypted_pdf(folder / "bank.pdf", user_password="1234")
    gen.truncated_pdf(folder / "phone_records.pdf")
    gen.html_named_pdf(folder / "w2.pdf")
    gen.docx(folder / "letter.docx")
    gen.zero_byte(folder / "empty.pdf")
    gen.decompression_bomb_png(folder / "bomb.png", side=30_000)
    gen.multipage_tiff(folder / "fax.tif", 2)
    (folder / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    return folder


def test_a_folder_of_good_and_bad_files_imports_in_one_call(workspace, mixed_folder, monkeypatch):
    from pdpacket.intake import evidence as intake

    monkeypatch.setattr(intake, "find_office", lambda: None)
    case_id = workspace.create_case(Client(name="Lucía Morales"))
    seen: list[tuple[int, int, str]] = []

    class Recorder:
        def update(self, done: int, total: int, message: str) -> None:
            seen.append((done, total, message))

    results = workspace.add_evidence(case_id, [mixed_folder], progress=Recorder())
    by_name = {Path(r.path).name: r for r in results}
    assert ".DS_Store" not in by_name  # hidden files are skipped
    assert by_name["birth_certificate.jpg"].status == "imported"
    assert by_name["lease.pdf"].status == "imported" and by_name["lease.pdf"].pages == 2
    assert by_name["fax.tif"].pages == 2
    assert by_name["phone_records.pdf"].status == "warning"
    assert "recovered" in by_name["phone_records.pdf"].message
    assert by_name["bank.pdf"].status == "refused" and by_name["bank.pdf"].needs_password
    for bad, says in (
        ("w2.pdf", "web page"),
        ("letter.docx", "Word"),
        ("empty.pdf", "empty"),
        ("bomb.png", "too large"),
    ):
        assert by_name[bad].status == "refused", bad
        assert by_name[bad].message.startswith(bad) and says in by_name[bad].message
        assert by_name[bad].exhibit_id == 0
    assert seen[-1] == (len(results), len(results), "Done")
    assert [d for d, _, _ in seen[:-1]] == list(range(len(results)))

    exhibits = workspace.exhibits(case_id)
    assert len(exhibits) == 4  # photo, lease, fax, recovered records
    blobs = set(workspace.store.blobs.iter_shas())
    assert blobs == workspace.store.referenced_blobs()  # no orphan from the refusals
    for ex in exhibits:
        for f in ex.files:
            out = workspace.data_dir / "check.pdf"
            out.write_bytes(workspace.store.blobs.read(f.pdf_sha256))
            qpdf_check(out)
    [records] = [e for e in exhibits if e.title == "Phone records"]
    assert records.files[0].recovered and not records.files[0].confirmed


def test_the_password_is_given_by_file_name_and_a_retry_imports_it(workspace, mixed_folder):
    case_id = workspace.create_case(Client(name="A"))
    bank = mixed_folder / "bank.pdf"
    [wrong] = workspace.add_evidence(case_id, [bank], passwords={"bank.pdf": "nope"})
    assert wrong.status == "refused" and wrong.needs_password
    assert "does not open" in wrong.message
    before = _state(workspace, case_id)
    assert before[0] == []
    [ok] = workspace.add_evidence(case_id, [bank], passwords={"bank.pdf": "1234"})
    assert ok.status == "imported" and ok.file_id > 0


def test_duplicates_are_flagged_and_stored_once(workspace, tmp_path):
    case_id = workspace.create_case(Client(name="A"))
    photo = gen.phone_photo(tmp_path / "IMG_1.jpg", size=(1200, 900))
    copy = tmp_path / "IMG_1 (1).jpg"
    shutil.copyfile(photo, copy)
    first, second, third = workspace.add_evidence(case_id, [photo, copy, photo])
    assert first.status == "imported"
    assert second.status == third.status == "duplicate"
    assert "already in this case" in second.message and "IMG_1.jpg" in second.message
    assert len(workspace.exhibits(case_id)) == 1
    assert len(list(workspace.store.blobs.iter_shas())) == 2
    other = workspace.create_case(Client(name="B"))  # another case may have the same file
    [again] = workspace.add_evidence(other, [copy])
    assert again.status == "imported"
    assert len(list(workspace.store.blobs.iter_shas())) == 2  # still stored once


def test_cancel_stops_between_files_and_keeps_what_was_done(workspace, tmp_path):
    case_id = workspace.create_case(Client(name="A"))
    files = [gen.text_pdf(tmp_path / f"doc{n}.pdf", [f"doc {n}"]) for n in range(4)]
    token = CancelToken()

    class CancelAfterTwo:
        def update(self, done: int, total: int, message: str) -> None:
            if done == 2:
                token.cancel()

    results = workspace.add_evidence(case_id, files, progress=CancelAfterTwo(), cancel=token)
    assert [r.status for r in results] == ["imported", "imported", "imported", "refused"]
    assert "cancelled" in results[3].message
    assert len(workspace.exhibits(case_id)) == 3


def test_a_failure_while_storing_leaves_nothing_behind(workspace, tmp_path, monkeypatch):
    case_id = workspace.create_case(Client(name="A"))
    good = gen.text_pdf(tmp_path / "good.pdf", ["good"])
    workspace.add_evidence(case_id, [good])
    before = _state(workspace, case_id)

    def boom(*a: object, **k: object) -> int:
        raise RuntimeError("disk went away")

    monkeypatch.setattr(workspace.store, "add_exhibit_file", boom)
    with pytest.raises(RuntimeError):
        workspace.add_evidence(case_id, [gen.phone_photo(tmp_path / "new.jpg", size=(900, 600))])
    assert _state(workspace, case_id) == before


def test_translations_are_attached_to_the_foreign_document(workspace, tmp_path):
    case_id = workspace.create_case(Client(name="A"))
    [acta] = workspace.add_evidence(
        case_id, [gen.phone_photo(tmp_path / "acta.jpg", size=(900, 1200))]
    )
    results = workspace.add_files_to_exhibit(
        acta.exhibit_id,
        [
            gen.text_pdf(tmp_path / "acta_en.pdf", ["Translation"]),
            gen.html_named_pdf(tmp_path / "cert.pdf"),
        ],
    )
    assert [r.status for r in results] == ["imported", "refused"]
    [ex] = workspace.exhibits(case_id)
    assert [f.role for f in ex.files] == [FileRole.DOCUMENT, FileRole.TRANSLATION]
    assert ex.pages == 2


def test_a_recovered_file_is_confirmed_by_the_user(workspace, tmp_path):
    case_id = workspace.create_case(Client(name="A"))
    [res] = workspace.add_evidence(case_id, [gen.truncated_pdf(tmp_path / "records.pdf")])
    assert res.status == "warning" and res.file_id
    [ex] = workspace.exhibits(case_id)
    assert ex.files[0].recovered and not ex.files[0].confirmed
    confirmed = workspace.confirm_file(res.file_id)
    assert confirmed.confirmed
    assert workspace.exhibits(case_id)[0].files[0].confirmed
    assert workspace.store.audit_entries(case_id)[-1]["action"] == "file.confirm"


def test_the_cli_adds_a_folder_with_passwords_and_exit_code(tmp_path, mixed_folder, capsys):
    from pdpacket.api import Workspace
    from pdpacket.cli import main

    data = tmp_path / "cli-data"
    with Workspace.open(data) as ws:
        case_id = ws.create_case(Client(name="A"))
    code = main(
        [
            "--data-dir",
            str(data),
            "add",
            str(case_id),
            str(mixed_folder),
            "--password",
            "bank.pdf=1234",
        ]
    )
    out = capsys.readouterr().out
    assert code == 2  # some files were refused
    lines = {Path(ln.split("\t")[1]).name: ln.split("\t") for ln in out.splitlines()}
    assert lines["bank.pdf"][0] == "imported"
    assert lines["w2.pdf"][0] == "refused" and "web page" in lines["w2.pdf"][2]
    assert lines["phone_records.pdf"][0] == "warning"
    with Workspace.open(data) as ws:
        [first, *_] = ws.exhibits(case_id)
    translation = gen.text_pdf(tmp_path / "en.pdf", ["English translation"])
    code = main(
        ["--data-dir", str(data), "add", str(case_id), str(translation), "--exhibit", str(first.id)]
    )
    assert code == 0 and capsys.readouterr().out.startswith("imported\t")
    assert main(["--data-dir", str(data), "add", str(case_id), "x.pdf", "--password", "nope"]) == 2


def test_the_recovered_mark_survives_duplicate_and_undo(workspace, tmp_path):
    case_id = workspace.create_case(Client(name="A"))
    [res] = workspace.add_evidence(case_id, [gen.truncated_pdf(tmp_path / "records.pdf")])
    copy_id = workspace.duplicate_case(case_id)
    [copied] = workspace.exhibits(copy_id)
    assert copied.files[0].recovered and not copied.files[0].confirmed
    workspace.confirm_file(res.file_id)
    [ex] = workspace.exhibits(case_id)
    workspace.store.remove_exhibit(ex.id)
    workspace.store.restore_exhibit(ex)
    [back] = workspace.exhibits(case_id)
    assert back.files[0].recovered and back.files[0].confirmed

"""Case archives (#8): a round trip reproduces the case exactly (the packet built
after is byte-identical), every hash is checked, a damaged or altered archive is
refused whole, passwords work and say when they are wrong."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import stat
import zipfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pdpacket import cli
from pdpacket.api import Workspace
from pdpacket.model import BuildOptions, Client, FactorAnswer
from pdpacket.store import archive
from pdpacket.store.archive import (
    ArchiveError,
    ArchivePasswordRequiredError,
    ArchiveWrongPasswordError,
)
from tests.pdftools import make_pdf, qpdf_check

BUILD = BuildOptions(build_date=dt.date(2026, 3, 1))


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real cost (2**17) is for attackers; tests need not pay it every time."""
    monkeypatch.setattr(archive, "SCRYPT_N", 2**12)


def make_case(ws: Workspace, folder: Path) -> int:
    """A small case with the kinds of rows and files a real one has."""
    folder.mkdir(parents=True, exist_ok=True)
    make_pdf(folder / "passport.pdf", ["Passport page 1", "Passport page 2"])
    make_pdf(folder / "acta.pdf", ["Acta de nacimiento"])
    make_pdf(folder / "acta_en.pdf", ["Birth certificate (translation)"])
    Image.new("RGB", (300, 200), (200, 30, 30)).save(folder / "photo café.jpg", quality=80)
    manifest = {
        "client": {
            "name": "Zoë Ñúñez-Ørsted 李",
            "a_number": "A201-555-099",
            "dob": "1990-01-02",
            "aliases": ["Zoe Nunez"],
        },
        "proceedings": {"hearing_date": "2027-01-15", "receipts": ["IOE5550000001"]},
        "factors": [{"id": "long_residence", "notes": "Since 2009 — «quoted»"}],
        "exhibits": [
            {"title": "Passport", "files": ["passport.pdf"], "section": "Identity"},
            {
                "title": "Birth certificate",
                "language": "Spanish",
                "files": [{"path": "acta_en.pdf", "role": "translation"}, "acta.pdf"],
                "translator": {"name": "R. Campos", "address": "1 Main St", "phone": "555"},
            },
            {"title": "Photo", "files": ["photo café.jpg"], "date": "2024-05-06"},
        ],
    }
    (folder / "case.json").write_text(json.dumps(manifest), encoding="utf-8")
    case_id = ws.import_manifest(folder / "case.json")
    ws.store.set_factor_answer(
        case_id, FactorAnswer("criminal_history", True, "2015 arrest", "dismissed")
    )
    return case_id


def snapshot(ws: Workspace, case_id: int) -> dict[str, Any]:
    """Everything a user sees of a case, without the ids that change on import."""
    case = ws.get_case(case_id)
    exhibits = []
    for e in ws.exhibits(case_id):
        d = asdict(e)
        d.pop("id")
        d.pop("case_id")
        for f in d["files"]:
            f.pop("id")
        exhibits.append(d)
    c = asdict(case)
    c.pop("id")
    builds = [asdict(b) for b in ws.store.list_builds(case_id)]
    for b in builds:
        b.pop("id")
        b.pop("case_id")
    audit = [(a["at"], a["action"]) for a in ws.store.audit_entries(case_id)]
    return {
        "case": c,
        "exhibits": exhibits,
        "factors": {k: asdict(v) for k, v in ws.store.factor_answers(case_id).items()},
        "builds": builds,
        "audit": audit,
    }


def blob_files(ws: Workspace) -> set[str]:
    return set(ws.store.blobs.iter_shas())


def test_round_trip_reproduces_the_case_and_a_byte_identical_packet(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "a") as a:
        case_id = make_case(a, tmp_path / "ev")
        before = a.build_packet(case_id, tmp_path / "before.pdf", BUILD)
        original = snapshot(a, case_id)
        info = a.export_case(case_id, tmp_path / "case.pdpacket")
        shas = {
            s
            for e in a.exhibits(case_id)
            for f in e.files
            for s in (f.original_sha256, f.pdf_sha256)
        }
    assert info.blobs == len(shas) and not info.encrypted
    assert hashlib.sha256((tmp_path / "case.pdpacket").read_bytes()).hexdigest() == info.sha256
    # the evidence files themselves are gone: the archive must carry them
    for f in (tmp_path / "ev").iterdir():
        f.unlink()
    with Workspace.open(tmp_path / "b") as b:
        imported = b.import_archive(tmp_path / "case.pdpacket")
        assert imported.client_name == "Zoë Ñúñez-Ørsted 李"
        copy = snapshot(b, imported.case_id)
        after = b.build_packet(imported.case_id, tmp_path / "after.pdf", BUILD)
        assert blob_files(b) == shas
    # the import adds its own audit entry; everything before it is the same
    assert copy["audit"][: len(original["audit"])] == original["audit"]
    assert copy["audit"][-1][1] == "case.import_archive"
    copy["audit"] = original["audit"]
    assert copy == original
    assert (tmp_path / "after.pdf").read_bytes() == (tmp_path / "before.pdf").read_bytes()
    assert after.sha256 == before.sha256
    qpdf_check(tmp_path / "after.pdf")


def test_import_into_a_workspace_that_has_cases_gets_new_ids(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "a") as a:
        case_id = make_case(a, tmp_path / "ev")
        a.export_case(case_id, tmp_path / "case.pdpacket")
        imported = a.import_archive(tmp_path / "case.pdpacket")
        assert imported.case_id != case_id
        first, second = snapshot(a, case_id), snapshot(a, imported.case_id)
        first.pop("audit"), second.pop("audit")
        assert first == second
        # the two cases are independent: editing one leaves the other alone
        ex = a.exhibits(imported.case_id)[0]
        a.store.update_exhibit(ex.id, title="Changed")
        assert a.exhibits(case_id)[0].title == "Passport"


def test_archive_is_private_and_replaces_the_target_atomically(tmp_path: Path) -> None:
    out = tmp_path / "out" / "case.pdpacket"
    out.parent.mkdir()
    out.write_bytes(b"old")
    with Workspace.open(tmp_path / "a") as a:
        case_id = make_case(a, tmp_path / "ev")
        a.export_case(case_id, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert [p.name for p in out.parent.iterdir()] == ["case.pdpacket"]
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        manifest = json.loads(zf.read("pdpacket-archive.json"))
        for sha in manifest["blobs"]:
            assert hashlib.sha256(zf.read(f"blobs/{sha}")).hexdigest() == sha
    assert names[:2] == ["pdpacket-archive.json", "case.json"]
    assert manifest["format"] == "pdpacket-case-archive"


def test_encrypted_round_trip_and_password_errors(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "a") as a:
        case_id = make_case(a, tmp_path / "ev")
        original = snapshot(a, case_id)
        info = a.export_case(case_id, tmp_path / "case.pdpacket", password="correct horse")
    raw = (tmp_path / "case.pdpacket").read_bytes()
    assert info.encrypted and archive.is_encrypted(tmp_path / "case.pdpacket")
    # nothing readable leaks: no zip structure, no client name, no file names
    assert b"PK\x03\x04" not in raw and "Ñúñez".encode() not in raw and b"passport" not in raw
    with Workspace.open(tmp_path / "b") as b:
        with pytest.raises(ArchivePasswordRequiredError, match="protected by a password"):
            b.import_archive(tmp_path / "case.pdpacket")
        with pytest.raises(ArchiveWrongPasswordError, match="password does not open"):
            b.import_archive(tmp_path / "case.pdpacket", password="Correct horse")
        assert b.list_cases() == [] and blob_files(b) == set()
        imported = b.import_archive(tmp_path / "case.pdpacket", password="correct horse")
        copy = snapshot(b, imported.case_id)
        assert not list((tmp_path / "b" / "tmp").iterdir())  # decrypted copy removed
    copy["audit"] = original["audit"]
    assert copy == original


def _flip(path: Path, offset: int) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("password", [None, "pw"])
def test_tampered_or_truncated_archive_is_refused_whole(
    tmp_path: Path, password: str | None
) -> None:
    with Workspace.open(tmp_path / "a") as a:
        case_id = make_case(a, tmp_path / "ev")
        a.export_case(case_id, tmp_path / "good.pdpacket", password=password)
    good = (tmp_path / "good.pdpacket").read_bytes()
    bad = tmp_path / "bad.pdpacket"
    # a byte in the middle of the largest evidence file, then a cut-short copy
    middle = good.find(b"%PDF", len(good) // 3)
    cases = [("flip", middle + 200 if middle > 0 else len(good) // 2), ("cut", len(good) - 30)]
    with Workspace.open(tmp_path / "b") as b:
        for kind, offset in cases:
            bad.write_bytes(good)
            if kind == "flip":
                _flip(bad, offset)
            else:
                bad.write_bytes(good[:offset])
            with pytest.raises(ArchiveError, match=r"damaged or was altered|not a complete"):
                b.import_archive(bad, password=password)
            assert b.list_cases() == [], kind
            assert blob_files(b) == set(), kind
        # and the good one still imports
        b.import_archive(tmp_path / "good.pdpacket", password=password)


def _rewrite(src: Path, dst: Path, edit: Any) -> None:
    """Copy a plain archive, letting ``edit(name, data)`` change or drop members."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for name in zin.namelist():
            out = edit(name, zin.read(name))
            if out is not None:
                zout.writestr(*out) if isinstance(out, tuple) else zout.writestr(name, out)
        extra = edit("", b"")
        if isinstance(extra, tuple):
            zout.writestr(*extra)


def test_consistently_altered_or_hostile_archives_are_refused(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "a") as a:
        case_id = make_case(a, tmp_path / "ev")
        a.export_case(case_id, tmp_path / "good.pdpacket")
    good = tmp_path / "good.pdpacket"
    bad = tmp_path / "bad.pdpacket"

    def escape(name: str, data: bytes) -> Any:
        return ("../../escape.txt", b"x") if name == "" else data

    def newer(name: str, data: bytes) -> Any:
        if name == "pdpacket-archive.json":
            m = json.loads(data)
            m["schema"].append("m999_from_the_future")
            return json.dumps(m)
        return data if name else None

    def swapped_blob(name: str, data: bytes) -> Any:
        if name.startswith("blobs/"):
            return data[:-1] + bytes([data[-1] ^ 1])  # same size, other content
        return data if name else None

    def data_edit(name: str, data: bytes) -> Any:
        if name == "case.json":
            return data.replace(b"Passport", b"Passp0rt")
        return data if name else None

    def missing_blob(name: str, data: bytes) -> Any:
        if name.startswith("blobs/") and not hasattr(missing_blob, "done"):
            missing_blob.done = True  # type: ignore[attr-defined]
            return None
        return data if name else None

    def unknown_table(name: str, data: bytes) -> Any:
        if name == "case.json":
            d = json.loads(data)
            d["tables"]["secrets"] = {"columns": ["x"], "rows": [[1]]}
            raw = json.dumps(d).encode()
            unknown_table.raw = raw  # type: ignore[attr-defined]
            return raw
        if name == "pdpacket-archive.json":
            return data  # fixed below
        return data if name else None

    expectations = {
        "escape": (escape, "unexpected file '../../escape.txt'"),
        "newer": (newer, "newer pdpacket"),
        "swapped": (swapped_blob, "does not match its hash"),
        "data": (data_edit, "does not match its hash"),
        "missing": (missing_blob, "missing file"),
    }
    with Workspace.open(tmp_path / "b") as b:
        for label, (edit, message) in expectations.items():
            _rewrite(good, bad, edit)
            with pytest.raises(ArchiveError, match=message):
                b.import_archive(bad)
            assert b.list_cases() == [] and blob_files(b) == set(), label
        # an unknown table with a consistent hash: refused as "newer version" data
        _rewrite(good, bad, unknown_table)
        raw = unknown_table.raw  # type: ignore[attr-defined]

        def fix_manifest(name: str, data: bytes) -> Any:
            if name == "pdpacket-archive.json":
                m = json.loads(data)
                m["data"].update(sha256=hashlib.sha256(raw).hexdigest(), size=len(raw))
                return json.dumps(m)
            return data if name else None

        _rewrite(bad, tmp_path / "bad2.pdpacket", fix_manifest)
        with pytest.raises(ArchiveError, match="table 'secrets'"):
            b.import_archive(tmp_path / "bad2.pdpacket")
        # not an archive at all
        (tmp_path / "notes.pdpacket").write_bytes(b"hello")
        with pytest.raises(ArchiveError, match="not a complete zip"):
            b.import_archive(tmp_path / "notes.pdpacket")
        assert b.list_cases() == [] and blob_files(b) == set()


def test_tables_added_later_travel_with_the_case(tmp_path: Path) -> None:
    """The export finds a case's rows from the schema: a new table with a case_id
    column, or a foreign key to an exhibit (or to itself), comes along with new ids."""
    ddl = [
        "CREATE TABLE IF NOT EXISTS t_notes (id INTEGER PRIMARY KEY, "
        "case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE, text TEXT)",
        "CREATE TABLE IF NOT EXISTS t_marks (id INTEGER PRIMARY KEY, "
        "exhibit_id INTEGER NOT NULL REFERENCES exhibits(id) ON DELETE CASCADE, "
        "parent_id INTEGER REFERENCES t_marks(id), page INTEGER, data BLOB)",
    ]
    with Workspace.open(tmp_path / "a") as a:
        for sql in ddl:
            a.store.db.execute(sql)
        case_id = make_case(a, tmp_path / "ev")
        other = a.create_case(a.get_case(case_id).client)
        ex = a.exhibits(case_id)[1]
        a.store.db.execute("INSERT INTO t_notes (case_id, text) VALUES (?, 'mine')", (case_id,))
        a.store.db.execute("INSERT INTO t_notes (case_id, text) VALUES (?, 'not mine')", (other,))
        cur = a.store.db.execute(
            "INSERT INTO t_marks (exhibit_id, page, data) VALUES (?, 1, ?)", (ex.id, b"\x00\xff")
        )
        a.store.db.execute(
            "INSERT INTO t_marks (exhibit_id, parent_id, page) VALUES (?, ?, 2)",
            (ex.id, cur.lastrowid),
        )
        a.export_case(case_id, tmp_path / "case.pdpacket")
    with Workspace.open(tmp_path / "b") as b:
        for sql in ddl:
            b.store.db.execute(sql)
        b.create_case(Client(name="First"))
        new = b.import_archive(tmp_path / "case.pdpacket").case_id
        notes = b.store.db.execute("SELECT case_id, text FROM t_notes").fetchall()
        assert notes == [(new, "mine")]
        new_ex = b.exhibits(new)[1]
        marks = b.store.db.execute(
            "SELECT id, exhibit_id, parent_id, page, data FROM t_marks ORDER BY page"
        ).fetchall()
        assert [(m[1], m[3], m[4]) for m in marks] == [
            (new_ex.id, 1, b"\x00\xff"),
            (new_ex.id, 2, None),
        ]
        assert marks[1][2] == marks[0][0]  # the self-reference points at the new row
        assert b.store.db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_export_refuses_a_damaged_store_and_leaves_no_file(
    workspace: Workspace, tmp_path: Path
) -> None:
    case_id = make_case(workspace, tmp_path / "ev")
    sha = workspace.exhibits(case_id)[0].files[0].pdf_sha256
    path = workspace.store.blobs.path(sha)
    path.chmod(0o600)
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(Exception, match="damaged"):
        workspace.export_case(case_id, tmp_path / "out.pdpacket")
    assert not any(p.name.startswith((".out", "out")) for p in tmp_path.iterdir())


def test_cli_export_and_import_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open(tmp_path / "a") as a:
        case_id = make_case(a, tmp_path / "ev")
    out = tmp_path / "case.pdpacket"
    assert (
        cli.main(
            [
                "--data-dir",
                str(tmp_path / "a"),
                "export",
                str(case_id),
                "--out",
                str(out),
                "--password",
                "s3cret",
            ]
        )
        == 0
    )
    assert "case.pdpacket" in capsys.readouterr().out
    args = ["--data-dir", str(tmp_path / "b"), "import-archive", str(out)]
    assert cli.main(args) == 2
    assert "protected by a password" in capsys.readouterr().err
    assert cli.main([*args, "--password", "wrong"]) == 2
    assert "password does not open" in capsys.readouterr().err
    assert cli.main([*args, "--password", "s3cret"]) == 0
    new_id = int(capsys.readouterr().out.strip().split()[0])
    with Workspace.open(tmp_path / "b") as b:
        assert b.get_case(new_id).client.name == "Zoë Ñúñez-Ørsted 李"


def test_export_of_a_case_with_a_build_keeps_the_build_record(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "a") as a:
        case_id = make_case(a, tmp_path / "ev")
        a.build_packet(case_id, tmp_path / "p.pdf", BUILD)
        a.export_case(case_id, tmp_path / "case.pdpacket")
        sha = a.store.list_builds(case_id)[0].sha256
    with Workspace.open(tmp_path / "b") as b:
        new = b.import_archive(tmp_path / "case.pdpacket").case_id
        [rec] = b.store.list_builds(new)
        assert rec.sha256 == sha and rec.files


def test_archive_zip_is_readable_by_another_tool(tmp_path: Path) -> None:
    """The plain archive is an ordinary zip: `unzip -t` (or Python) can check it."""
    import shutil
    import subprocess

    with Workspace.open(tmp_path / "a") as a:
        case_id = make_case(a, tmp_path / "ev")
        a.export_case(case_id, tmp_path / "case.pdpacket")
    if shutil.which("unzip"):
        res = subprocess.run(
            ["unzip", "-t", str(tmp_path / "case.pdpacket")], capture_output=True, text=True
        )
        assert res.returncode == 0, res.stdout + res.stderr
    else:
        with zipfile.ZipFile(io.BytesIO((tmp_path / "case.pdpacket").read_bytes())) as zf:
            assert zf.testzip() is None
    assert os.path.getsize(tmp_path / "case.pdpacket") > 0


def test_odd_zip_header_values_are_refused_not_crashed(tmp_path: Path) -> None:
    """A changed byte in a zip header can make zipfile raise NotImplementedError
    ("zip file version 8.8") or RuntimeError (the "encrypted" flag): refused too."""
    with Workspace.open(tmp_path / "a") as a:
        case_id = make_case(a, tmp_path / "ev")
        a.export_case(case_id, tmp_path / "good.pdpacket")
    good = (tmp_path / "good.pdpacket").read_bytes()
    central = good.index(b"PK\x01\x02")
    edits = {
        "version needed 8.8": (central + 6, 88),
        "encrypted flag": (central + 8, good[central + 8] | 1),
        "unknown compression": (central + 10, 99),
    }
    with Workspace.open(tmp_path / "b") as b:
        for label, (offset, value) in edits.items():
            bad = bytearray(good)
            bad[offset] = value
            (tmp_path / "bad.pdpacket").write_bytes(bytes(bad))
            with pytest.raises(ArchiveError, match="damaged or was altered"):
                b.import_archive(tmp_path / "bad.pdpacket")
            assert b.list_cases() == [], label

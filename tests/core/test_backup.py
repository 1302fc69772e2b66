"""Rolling database backups (#8): before migrations, daily on start, last N kept;
list and restore (which backs up the current state first); the startup sweep
keeps what backups still need and removes what crashes left behind."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from pdpacket import cli
from pdpacket.api import Workspace
from pdpacket.errors import DiskFullError
from pdpacket.model import BuildOptions, Client
from pdpacket.store import backup
from pdpacket.store.backup import BackupError
from pdpacket.store.migrations import migrations

RES = Path(__file__).parent.parent / "resources"


def names(ws: Workspace) -> list[str]:
    return [b.reason for b in ws.list_backups()]


def add_case(ws: Workspace, pdf_factory, name: str = "Ana Díaz") -> int:  # type: ignore[no-untyped-def]
    case_id = ws.create_case(Client(name=name))
    ws.add_evidence(case_id, [pdf_factory(f"{name.split()[0].lower()}.pdf", [f"{name} lease"])])
    return case_id


def test_first_open_of_a_new_folder_makes_todays_backup_once(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "d") as ws:
        assert names(ws) == ["daily"]
    with Workspace.open(tmp_path / "d") as ws:
        assert names(ws) == ["daily"]  # same day: not again
        [b] = ws.list_backups()
        assert stat.S_IMODE(Path(b.path).stat().st_mode) == 0o600
        assert stat.S_IMODE((tmp_path / "d" / "backups").stat().st_mode) == 0o700
        # self-contained: no -wal / -shm beside it, and it opens on its own
        assert sorted(p.name for p in (tmp_path / "d" / "backups").iterdir()) == [b.name]
        con = sqlite3.connect(b.path)
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        con.close()


def test_a_new_day_makes_a_new_backup_and_only_n_are_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    day = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(backup, "_utcnow", lambda: day)
    with Workspace.open(tmp_path / "d") as ws:
        ws.set_backup_keep(3)
        assert ws.backup_keep() == 3
    for n in range(1, 6):
        monkeypatch.setattr(backup, "_utcnow", lambda n=n: day + dt.timedelta(days=n))
        Workspace.open(tmp_path / "d").close()
    with Workspace.open(tmp_path / "d") as ws:
        kept = ws.list_backups()
        assert [b.created_at[:10] for b in kept] == ["2026-05-06", "2026-05-05", "2026-05-04"]
        with pytest.raises(Exception, match="At least one"):
            ws.set_backup_keep(0)


def test_pending_migrations_are_preceded_by_a_backup_of_the_old_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "d"
    data.mkdir()
    shutil.copy(RES / "pdpacket-v1.db", data / "pdpacket.db")
    applied_before = {"m001_initial"}

    def m999_test_column(db) -> None:  # type: ignore[no-untyped-def]
        db.execute("CREATE TABLE t_backup_probe (x INTEGER)")

    monkeypatch.setattr(
        migrations,
        "_migrations",
        [*migrations._migrations, migrations._Migration("m999_test_probe", m999_test_column)],
    )
    with Workspace.open(data) as ws:
        reasons = names(ws)
        assert "migration" in reasons
        mig = next(b for b in ws.list_backups() if b.reason == "migration")
        con = sqlite3.connect(mig.path)
        applied = {r[0] for r in con.execute("SELECT name FROM _sqlite_migrations")}
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        assert con.execute("SELECT name FROM clients").fetchall() == [("Version One Client",)]
        con.close()
        assert applied == applied_before and "t_backup_probe" not in tables
        assert ws.store.db.execute("SELECT COUNT(*) FROM t_backup_probe").fetchone() == (0,)
    # applied now: the next open makes no migration backup
    with Workspace.open(data) as ws:
        assert names(ws).count("migration") == 1


def test_a_new_database_is_not_backed_up_before_its_first_migrations(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "d") as ws:
        assert "migration" not in names(ws)


def test_restore_brings_back_a_deleted_case_and_can_itself_be_undone(
    workspace: Workspace, pdf_factory, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    keep = add_case(ws, pdf_factory, "Ana Díaz")
    gone = add_case(ws, pdf_factory, "Bruno Ek")
    ws.build_packet(gone, tmp_path / "before.pdf", BuildOptions(build_date=dt.date(2026, 1, 1)))
    saved = ws.backup_now()
    ws.store.delete_case(gone)
    ws.store.update_client(keep, name="Ana Díaz Changed")
    # the next start sweeps: blobs only the backup names must survive it
    ws.close()
    ws = Workspace.open(ws.data_dir)
    try:
        assert [c.id for c in ws.list_cases()] == [keep]
        undo = ws.restore_backup(saved.name)
        assert undo.reason == "restore"
        assert sorted(c.client.name for c in ws.list_cases()) == ["Ana Díaz", "Bruno Ek"]
        ws.build_packet(gone, tmp_path / "after.pdf", BuildOptions(build_date=dt.date(2026, 1, 1)))
        assert (tmp_path / "after.pdf").read_bytes() == (tmp_path / "before.pdf").read_bytes()
        # undo the restore: back to the edited state
        ws.restore_backup(undo.name)
        assert [c.client.name for c in ws.list_cases()] == ["Ana Díaz Changed"]
        assert ws.store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert ws.store.db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        ws.close()


def test_restore_refuses_damaged_newer_or_incomplete_backups_and_changes_nothing(
    workspace: Workspace, pdf_factory, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    ws = workspace
    case_id = add_case(ws, pdf_factory)
    good = ws.backup_now()
    before = (len(ws.list_backups()), [c.client.name for c in ws.list_cases()])

    damaged = tmp_path / "damaged.db"
    raw = Path(good.path).read_bytes()
    damaged.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(BackupError, match=r"damaged|cannot be read"):
        ws.restore_backup(str(damaged))

    newer = tmp_path / "newer.db"
    shutil.copy(good.path, newer)
    con = sqlite3.connect(newer)
    con.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('pdpacket', 'm999_future', 'x')"
    )
    con.commit()
    con.close()
    with pytest.raises(BackupError, match="newer version"):
        ws.restore_backup(str(newer))

    not_ours = tmp_path / "other.db"
    sqlite3.connect(not_ours).execute("CREATE TABLE x (y)").connection.close()
    with pytest.raises(BackupError, match="not a pdpacket database"):
        ws.restore_backup(str(not_ours))

    with pytest.raises(BackupError, match="no backup"):
        ws.restore_backup("pdpacket-nothing.db")

    sha = ws.exhibits(case_id)[0].files[0].pdf_sha256
    ws.store.blobs.delete(sha)
    with pytest.raises(BackupError, match="no longer in the data folder"):
        ws.restore_backup(good.name)
    assert (len(ws.list_backups()), [c.client.name for c in ws.list_cases()]) == before


def test_startup_sweep_removes_crash_leftovers_but_waits_for_writers(
    tmp_path: Path, pdf_factory
) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "d"
    with Workspace.open(data) as ws:
        add_case(ws, pdf_factory)
        used = set(ws.store.blobs.iter_shas())
        orphan = ws.store.blobs.put_bytes(b"left by a killed import")
        stale = ws.store.blobs.root / orphan[:2] / ".tmp-123.part"
        stale.write_bytes(b"half a file")
        (data / "tmp").mkdir(exist_ok=True)
        (data / "tmp" / ".tmp-archive-1.part").write_bytes(b"decrypted leftovers")
        (data / "backups" / ".tmp-9.part").write_bytes(b"half a backup")
        (data / "backups" / ".tmp-9.part-journal").write_bytes(b"its journal")
        # while another job writes evidence, the sweep leaves everything alone
        with ws.store.blobs.writing():
            other = Workspace.open(data)
            assert ws.store.blobs.exists(orphan) and stale.exists()
            other.close()
    with Workspace.open(data) as ws:
        assert set(ws.store.blobs.iter_shas()) == used
        assert not stale.exists()
        assert not list((data / "tmp").iterdir())
        assert not list((data / "backups").glob(".tmp-*"))


def test_a_full_disk_does_not_stop_the_app_from_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def full(*a: object, **k: object) -> None:
        raise DiskFullError("The disk is full: the database backup could not be written.")

    monkeypatch.setattr(backup, "create_backup", full)
    with Workspace.open(tmp_path / "d") as ws:
        assert ws.list_backups() == []
        ws.create_case(Client(name="Still works"))
    assert "daily backup skipped" in caplog.text


def test_cli_lists_creates_and_restores_backups(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = ["--data-dir", str(tmp_path / "d")]
    with Workspace.open(tmp_path / "d") as ws:
        ws.create_case(Client(name="Before Restore"))
    assert cli.main([*d, "backups", "--create", "--keep", "5"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "manual" in out[0] and "daily" in out[1]
    manual = out[0].split("\t")[0]
    with Workspace.open(tmp_path / "d") as ws:
        ws.create_case(Client(name="After Backup"))
    assert cli.main([*d, "restore", manual]) == 0
    assert "saved as pdpacket-" in capsys.readouterr().out
    with Workspace.open(tmp_path / "d") as ws:
        assert [c.client.name for c in ws.list_cases()] == ["Before Restore"]
    assert cli.main([*d, "restore", "nope"]) == 2
    assert "no backup 'nope'" in capsys.readouterr().err


def test_backups_folder_listing_ignores_foreign_files(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "d") as ws:
        (tmp_path / "d" / "backups" / "notes.txt").write_text("mine")
        assert names(ws) == ["daily"]
        backup.prune(ws.data_dir, 1)
        assert (tmp_path / "d" / "backups" / "notes.txt").exists()
    assert os.path.exists(tmp_path / "d" / "pdpacket.db")

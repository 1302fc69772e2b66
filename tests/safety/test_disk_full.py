"""A full disk (#8) gives a clear message (DiskFullError: the disk is full, what
could not be written, what to do) and loses nothing: no half-written blob,
packet or archive, the previous packet and archive intact, the database
unchanged and intact.

Two ways to fill the disk: a fault-injecting writer (``os.fdopen`` returns files
that raise ENOSPC after a byte budget) and SQLite's ``max_page_count`` for the
database; and, where the tests run as root, a real 3 MB tmpfs filled to the brim.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from pdpacket import cli
from pdpacket.api import Workspace
from pdpacket.errors import DiskFullError
from pdpacket.model import BuildOptions, Client
from pdpacket.store import archive
from tests.safety import hostile
from tests.safety.invariants import check_database, check_swept

BUILD = BuildOptions(build_date=dt.date(2026, 3, 1))
FULL = "The disk is full"


class _FullFile:
    """A file object that accepts ``budget[0]`` more bytes, then raises ENOSPC."""

    def __init__(self, inner: Any, budget: list[int]) -> None:
        self._inner = inner
        self._budget = budget

    def write(self, data: Any) -> int:
        n = len(data)
        if n > self._budget[0]:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._budget[0] -= n
        return int(self._inner.write(data))

    def __enter__(self) -> _FullFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._inner.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """``disk[0]`` is the space left for files opened with os.fdopen from now on."""
    budget = [10**12]
    real = os.fdopen

    def fdopen(fd: int, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        f = real(fd, mode, *args, **kwargs)
        return _FullFile(f, budget) if any(c in mode for c in "wa+") else f

    monkeypatch.setattr(os, "fdopen", fdopen)
    monkeypatch.setattr(archive, "SCRYPT_N", 2**12)
    return budget


def _litter(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*.part"))


def _state(ws: Workspace) -> tuple[Any, ...]:
    return (
        [(c.client.name, len(ws.exhibits(c.id))) for c in ws.list_cases(include_archived=True)],
        sorted(ws.store.blobs.iter_shas()),
    )


def _case(ws: Workspace, tmp: Path) -> int:
    case_id = ws.create_case(Client(name="Disk Full Client"))
    f = tmp / "lease.pdf"
    f.write_bytes(hostile.text_pdf_bytes(["Lease page 1", "Lease page 2"]))
    [res] = ws.add_evidence(case_id, [f])
    assert res.status in ("imported", "warning")
    return case_id


def test_evidence_import_on_a_full_disk_stores_nothing(
    workspace: Workspace, tmp_path: Path, disk: list[int]
) -> None:
    case_id = _case(workspace, tmp_path)
    before = _state(workspace)
    new = tmp_path / "new.jpg"
    new.write_bytes(hostile.jpeg_bytes((1200, 900)))
    disk[0] = 1000
    with pytest.raises(DiskFullError, match=FULL) as err:
        workspace.add_evidence(case_id, [new])
    assert "Free some space" in err.value.hint
    disk[0] = 10**12
    assert _state(workspace) == before
    assert _litter(workspace.data_dir) == []
    # and with space again, the same file goes in
    [res] = workspace.add_evidence(case_id, [new])
    assert res.status in ("imported", "warning")


def test_build_on_a_full_disk_keeps_the_previous_packet(
    workspace: Workspace, tmp_path: Path, disk: list[int]
) -> None:
    case_id = _case(workspace, tmp_path)
    out = tmp_path / "out" / "packet.pdf"
    workspace.build_packet(case_id, out, BUILD)
    previous = out.read_bytes()
    builds = len(workspace.store.list_builds(case_id))
    workspace.store.update_client(case_id, name="Renamed Client")
    disk[0] = 2000
    with pytest.raises(DiskFullError, match=FULL):
        workspace.build_packet(case_id, out, BUILD)
    assert out.read_bytes() == previous
    assert _litter(out.parent) == []
    assert len(workspace.store.list_builds(case_id)) == builds


def test_export_on_a_full_disk_keeps_the_previous_archive(
    workspace: Workspace, tmp_path: Path, disk: list[int]
) -> None:
    case_id = _case(workspace, tmp_path)
    out = tmp_path / "case.pdpacket"
    workspace.export_case(case_id, out)
    previous = out.read_bytes()
    for password in (None, "pw"):
        disk[0] = 3000
        with pytest.raises(DiskFullError, match=FULL):
            workspace.export_case(case_id, out, password=password)
        disk[0] = 10**12
        assert out.read_bytes() == previous
        assert _litter(tmp_path) == []


def test_archive_import_on_a_full_disk_stores_nothing(tmp_path: Path, disk: list[int]) -> None:
    with Workspace.open(tmp_path / "a") as a:
        case_id = _case(a, tmp_path)
        a.export_case(case_id, tmp_path / "case.pdpacket", password="pw")
    with Workspace.open(tmp_path / "b") as b:
        before = _state(b)
        size = (tmp_path / "case.pdpacket").stat().st_size
        for budget in (100, size + 300):  # the decrypted copy, then the blobs
            disk[0] = budget
            with pytest.raises(DiskFullError, match=FULL):
                b.import_archive(tmp_path / "case.pdpacket", password="pw")
            disk[0] = 10**12
            assert _state(b) == before
            assert _litter(b.data_dir) == []
            assert list((b.data_dir / "tmp").iterdir()) == []


def test_a_full_database_refuses_the_change_and_keeps_the_rest(
    workspace: Workspace, tmp_path: Path
) -> None:
    case_id = _case(workspace, tmp_path)
    before = _state(workspace)
    db = workspace.store.db
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    db.execute(f"PRAGMA max_page_count = {pages}")
    more = [tmp_path / f"more{i}.pdf" for i in range(3)]
    for i, p in enumerate(more):
        p.write_bytes(hostile.text_pdf_bytes([f"More evidence {i} " + "x" * 2000] * 20))
    with pytest.raises(DiskFullError, match=FULL):
        for _ in range(50):  # fill the last free pages, then one more
            workspace.add_evidence(case_id, more)
            more = [p.with_name("again-" + p.name) for p in more]
            for i, p in enumerate(more):
                p.write_bytes(hostile.text_pdf_bytes([f"{p.name} {i} " + "y" * 3000] * 30))
    db.execute("PRAGMA max_page_count = 1073741823")
    assert workspace.store.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # whatever was refused left no blob behind; what went in before is there
    assert set(before[1]) <= set(workspace.store.blobs.iter_shas())
    workspace.close()
    assert check_database(workspace.data_dir) == []
    with Workspace.open(workspace.data_dir):
        pass
    assert check_swept(workspace.data_dir) == []


def test_the_cli_says_the_disk_is_full(
    tmp_path: Path, disk: list[int], capsys: pytest.CaptureFixture[str]
) -> None:
    with Workspace.open(tmp_path / "d") as ws:
        case_id = _case(ws, tmp_path)
    disk[0] = 500
    code = cli.main(
        ["--data-dir", str(tmp_path / "d"), "build", str(case_id), "--out", str(tmp_path / "p.pdf")]
    )
    err = capsys.readouterr().err
    assert code == 1
    assert "The disk is full" in err and "p.pdf" in err and "Free some space" in err


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Any:
    """A real 3 MB filesystem (tmpfs), where the tests may mount one."""
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    res = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m,mode=0700", "tmpfs", str(mnt)],
        capture_output=True,
        text=True,
    )
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {res.stderr.strip()}")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=False)


def test_filling_a_real_disk_loses_nothing(tmp_path: Path, tiny_disk: Path) -> None:
    data = tiny_disk / "data"
    out = tiny_disk / "packet.pdf"
    refusals = 0
    with Workspace.open(data) as ws:
        case_id = ws.create_case(Client(name="Tiny Disk Client"))
        kept: list[str] = []
        for i in range(60):
            f = tmp_path / f"scan {i}.jpg"
            f.write_bytes(hostile.jpeg_bytes((1400 + i, 1000)))
            try:
                [res] = ws.add_evidence(case_id, [f])
                if res.status in ("imported", "warning"):
                    kept.append(res.path)
                if i % 5 == 0:
                    ws.build_packet(case_id, out, BUILD)
            except DiskFullError as exc:
                refusals += 1
                assert "Free some space" in exc.hint
                if refusals >= 3:
                    break
        assert refusals >= 1, "the disk never filled up: the test tested nothing"
        exhibits = ws.exhibits(case_id)
        assert len(exhibits) == len(kept)
        if out.exists():
            res = subprocess.run(["qpdf", "--check", str(out)], capture_output=True)
            assert res.returncode in (0, 3)
    assert check_database(data) == []
    assert not list(tiny_disk.glob(".packet.pdf.*"))
    # with space again, every stored file is still readable, byte for byte
    with Workspace.open(data) as ws:
        for e in ws.exhibits(case_id):
            for f in e.files:
                blob = ws.store.blobs.read(f.pdf_sha256)
                assert hashlib.sha256(blob).hexdigest() == f.pdf_sha256
    assert check_swept(data) == []

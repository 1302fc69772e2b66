"""Privacy (#8): no network, private files, clean packets, no temporary litter.

- a full run (manifest import with hostile files, evidence, build, export,
  archive import, backups) opens no socket: in-process under the suite's
  audit-hook guard, and as a real CLI process under strace (system calls);
- the data folder, its database, blobs and backups, the private temporary
  folder, archives, packets and sidecars are private to the user (0700/0600),
  even with a permissive umask;
- a packet built from files full of JavaScript, actions, links, attachments,
  XMP and planted metadata carries none of it (read with qpdf and poppler);
- every temporary file or folder the app makes is private and gone afterwards.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pdpacket.api import Workspace
from pdpacket.model import BuildOptions
from pdpacket.store import archive
from tests import netguard
from tests.pdftools import pdfinfo
from tests.safety import hostile
from tests.safety.hostile_resources import hostile_resources_pdf

ROOT = Path(__file__).resolve().parents[2]
BUILD = BuildOptions(build_date=dt.date(2026, 3, 1), integrity_sidecar=True)


@pytest.fixture(autouse=True)
def _cheap_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "SCRYPT_N", 2**12)


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


def hostile_case_folder(folder: Path) -> Path:
    """A manifest whose evidence tries to smuggle things into the packet."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "bank statement (hostile).pdf").write_bytes(hostile.hostile_pdf_bytes())
    (folder / "photo with exif.jpg").write_bytes(hostile.jpeg_bytes(exif_orientation=6))
    (folder / "lease.pdf").write_bytes(hostile.text_pdf_bytes(["Lease 2016"]))
    (folder / "hidden in resources.pdf").write_bytes(hostile_resources_pdf())
    manifest = {
        "client": {"name": "Privacy Test Client", "a_number": "201555777"},
        "exhibits": [
            {"title": "Bank statement", "files": ["bank statement (hostile).pdf"]},
            {"title": "Photo", "files": ["photo with exif.jpg"]},
            {"title": "Lease", "files": ["lease.pdf"]},
            {"title": "Pay stubs", "files": ["hidden in resources.pdf"]},
        ],
    }
    path = folder / "case.json"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    return path


def full_run(tmp: Path) -> dict[str, Path]:
    """Everything a user does, through the façade."""
    data = tmp / "data"
    out = tmp / "out"
    out.mkdir(exist_ok=True)
    manifest = hostile_case_folder(tmp / "evidence")
    with Workspace.open(data) as ws:
        case_id = ws.import_manifest(manifest)
        ws.add_evidence(case_id, [tmp / "evidence" / "lease.pdf"])  # a duplicate: refused
        ws.build_packet(case_id, out / "packet.pdf", BUILD)
        ws.export_case(case_id, out / "case.pdpacket", password="pw")
        ws.export_case(case_id, out / "plain.pdpacket")
        ws.backup_now()
        ws.import_archive(out / "case.pdpacket", password="pw")
    return {"data": data, "out": out}


def test_a_full_run_uses_no_network_in_process(tmp_path: Path) -> None:
    """The suite-wide guard (tests/conftest.py) is on; this run must not trip it."""
    before = len(netguard.violations)
    full_run(tmp_path)
    assert netguard.violations[before:] == []


def test_the_guard_itself_catches_a_socket() -> None:
    before = len(netguard.violations)
    with pytest.raises(netguard.NetworkUsedError):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    assert len(netguard.violations) == before + 1
    del netguard.violations[before:]  # expected here: do not fail the test for it
    a, b = socket.socketpair()  # local sockets stay allowed (Qt, asyncio)
    a.close()
    b.close()


@pytest.mark.skipif(not shutil.which("strace"), reason="strace is not installed")
def test_a_full_cli_run_makes_no_network_system_call(tmp_path: Path) -> None:
    """System calls, not Python: whatever a library does in C is seen too."""
    manifest = hostile_case_folder(tmp_path / "evidence")
    data = tmp_path / "data"
    trace = tmp_path / "trace.txt"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [
        ["import", str(manifest)],
        ["build", "1", "--out", str(tmp_path / "p.pdf"), "--integrity-sidecar"],
        ["export", "1", "--out", str(tmp_path / "c.pdpacket"), "--password", "pw"],
        ["import-archive", str(tmp_path / "c.pdpacket"), "--password", "pw", "--keep-both"],
        ["backups", "--create"],
        ["demo", "--out", str(tmp_path / "demo.pdf")],
    ]
    calls = []
    for args in runs:
        res = subprocess.run(
            [
                "strace",
                "-f",
                "-qq",
                "-e",
                "trace=socket,connect,bind,sendto,sendmsg",
                "-e",
                "signal=none",  # a child (OCR's Tesseract) ending is not a network call
                "-o",
                str(trace),
                sys.executable,
                "-m",
                "pdpacket",
                "--data-dir",
                str(data),
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert res.returncode == 0, f"{args}: {res.stderr[-2000:]}"
        calls += [line for line in trace.read_text().splitlines() if line.strip()]
    network = [c for c in calls if "AF_UNIX" not in c and "AF_LOCAL" not in c]
    assert network == [], f"network system calls: {network[:5]}"


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_data_folder_archives_and_packets_are_private(
    tmp_path: Path, permissive_umask: None
) -> None:
    paths = full_run(tmp_path)
    data, out = paths["data"], paths["out"]
    assert _mode(data) == 0o700
    for p in data.rglob("*"):
        if p.name == ".lock":
            continue
        expected = 0o700 if p.is_dir() else 0o600
        assert _mode(p) == expected, f"{p.relative_to(data)} is {oct(_mode(p))}"
    for name in ("case.pdpacket", "plain.pdpacket", "packet.pdf", "packet.pdf.sha256.txt"):
        assert _mode(out / name) == 0o600, name


def test_packets_carry_nothing_inherited_from_hostile_files(tmp_path: Path) -> None:
    paths = full_run(tmp_path)
    packet = paths["out"] / "packet.pdf"
    assert hostile.scan_packet(packet) == []
    info = pdfinfo(packet)
    assert hostile.SECRET_AUTHOR not in json.dumps(info)
    assert info.get("JavaScript", "no") == "no"
    res = subprocess.run(
        ["pdfdetach", "-list", str(packet)], capture_output=True, text=True, check=False
    )
    if res.returncode == 0:  # poppler-utils' pdfdetach: no embedded files
        assert res.stdout.strip().startswith("0 embedded files")


def test_temporary_files_are_private_and_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, permissive_umask: None
) -> None:
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_tmp))
    made: list[tuple[Path, int]] = []
    real_mkstemp, real_mkdtemp = tempfile.mkstemp, tempfile.mkdtemp

    def mkstemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        fd, name = real_mkstemp(*args, **kwargs)
        made.append((Path(name), _mode(Path(name))))
        return fd, name

    def mkdtemp(*args, **kwargs):  # type: ignore[no-untyped-def]
        name = real_mkdtemp(*args, **kwargs)
        made.append((Path(name), _mode(Path(name))))
        return name

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    paths = full_run(tmp_path)
    with Workspace.open(paths["data"]) as ws:
        ws.create_demo_case()  # the demo writes its evidence to a temporary folder
    assert made, "the run made no temporary file: the check checks nothing"
    for path, mode in made:
        assert mode in (0o600, 0o700), f"{path} was created {oct(mode)}"
        assert not path.exists(), f"{path} was left behind"
    assert list(system_tmp.iterdir()) == []
    assert list((paths["data"] / "tmp").iterdir()) == []

"""The integrity sidecar (#8): ``build --integrity-sidecar`` writes
``<packet>.sha256.txt`` listing every exhibit file (letter, title, file name,
SHA-256 as received and as filed) and the packet's own SHA-256, in a form
``sha256sum -c`` checks."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from pdpacket import cli
from pdpacket.api import Workspace
from pdpacket.model import BuildOptions
from tests.pdftools import make_pdf, outline_titles


def _case(ws: Workspace, tmp: Path) -> int:
    from tests.safety.test_privacy import hostile_case_folder

    return ws.import_manifest(hostile_case_folder(tmp / "ev"))


def test_sidecar_lists_every_file_and_the_packet(workspace: Workspace, tmp_path: Path) -> None:
    case_id = _case(workspace, tmp_path)
    out = tmp_path / "out" / "Packet for OPLA.pdf"
    opts = BuildOptions(build_date=dt.date(2026, 3, 1), integrity_sidecar=True)
    result = workspace.build_packet(case_id, out, opts)
    sidecar = Path(result.sidecar)
    assert sidecar == out.with_name("Packet for OPLA.pdf.sha256.txt")
    text = sidecar.read_text(encoding="utf-8")
    packet_sha = hashlib.sha256(out.read_bytes()).hexdigest()
    assert result.sha256 == packet_sha
    assert text.splitlines()[-1] == f"{packet_sha}  Packet for OPLA.pdf"
    for letter, ex in zip("ABCD", workspace.exhibits(case_id), strict=True):
        for f in ex.files:
            row = f"# {letter} | {ex.title} | {f.original_name} | {f.role} | {f.pages} | "
            assert row + f"{f.original_sha256} | {f.pdf_sha256}" in text
    # the letters are the packet's: every listed exhibit is bookmarked so (read by qpdf)
    bookmarks = [t for t, _, _ in outline_titles(out)]
    for line in text.splitlines():
        if line.startswith("# ") and line.count(" | ") == 6 and not line.startswith("# Exhibit"):
            letter, title = line[2:].split(" | ")[:2]
            assert any(letter in b and title in b for b in bookmarks), (letter, bookmarks)
    # the hashes are the evidence as stored, checked independently
    for ex in workspace.exhibits(case_id):
        for f in ex.files:
            blob = workspace.store.blobs.path(f.pdf_sha256).read_bytes()
            assert hashlib.sha256(blob).hexdigest() == f.pdf_sha256
    if shutil.which("sha256sum"):
        res = subprocess.run(
            ["sha256sum", "-c", sidecar.name], cwd=out.parent, capture_output=True, text=True
        )
        assert res.returncode == 0 and "Packet for OPLA.pdf: OK" in res.stdout
        out.write_bytes(out.read_bytes() + b"\n% changed")
        res = subprocess.run(
            ["sha256sum", "-c", sidecar.name], cwd=out.parent, capture_output=True, text=True
        )
        assert res.returncode != 0 and "FAILED" in res.stdout


def test_no_sidecar_unless_asked(workspace: Workspace, tmp_path: Path) -> None:
    make_pdf(tmp_path / "a.pdf", ["a"])
    case_id = _case(workspace, tmp_path)
    result = workspace.build_packet(case_id, tmp_path / "p.pdf")
    assert result.sidecar == ""
    assert not (tmp_path / "p.pdf.sha256.txt").exists()


def test_cli_flag_writes_the_sidecar(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with Workspace.open(tmp_path / "d") as ws:
        case_id = _case(ws, tmp_path)
    out = tmp_path / "p.pdf"
    args = ["--data-dir", str(tmp_path / "d"), "build", str(case_id), "--out", str(out)]
    assert cli.main([*args, "--integrity-sidecar"]) == 0
    assert "p.pdf.sha256.txt" in capsys.readouterr().out
    assert (tmp_path / "p.pdf.sha256.txt").read_text().endswith("  p.pdf\n")

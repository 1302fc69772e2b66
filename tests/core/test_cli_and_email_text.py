"""Small things a user meets at the edges: a pipe closed early, a firm's own
subject line with a stray brace."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pdpacket.api import Workspace
from pdpacket.errors import ValidationError
from pdpacket.model import BuildOptions


def test_a_reader_that_stops_early_is_not_an_error(tmp_path: Path) -> None:
    # `pdpacket settings show | head -0`: the reader has gone before we write
    proc = subprocess.Popen(
        [sys.executable, "-m", "pdpacket", "--data-dir", str(tmp_path), "settings", "show"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "unexpected error" not in err and "BrokenPipe" not in err


def test_an_office_subject_line_is_checked_then_used(workspace: Workspace, tmp_path: Path):
    case_id = workspace.create_demo_case()
    office = workspace.get_case(case_id).proceedings.opla_office_id
    with pytest.raises(ValidationError, match="brace"):
        workspace.edit_office(office, subject_format="PD {client_name} {oops")
    workspace.edit_office(office, subject_format="PD {client_name} - {a_number}")
    result = workspace.build_edition(case_id, tmp_path / "mail", BuildOptions(edition="email"))
    assert result.email_subject == "PD Lucía Fernanda Morales Rivas - A201-555-014"

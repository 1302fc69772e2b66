"""The .deb installs and works in a bare Debian 12 (#16): builds the installer and
runs scripts/check_deb.py. Minutes long and needs root, debootstrap and a Debian
mirror: a slow soak run (PDPACKET_SLOW=1)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_deb_installs_and_runs_on_a_bare_debian() -> None:
    if not sys.platform.startswith("linux") or os.geteuid() != 0:
        pytest.skip("needs Linux and root (chroot)")
    if not (shutil.which("debootstrap") and shutil.which("dpkg-deb")):
        pytest.skip("needs debootstrap and dpkg-deb")
    subprocess.run([sys.executable, "quickstart.py", "installer"], cwd=ROOT, check=True)
    debs = sorted((ROOT / "dist").glob("pdpacket_*.deb"))
    assert debs, "no .deb in dist/"
    r = subprocess.run(
        [sys.executable, "scripts/check_deb.py", str(debs[-1])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert "FAIL" not in r.stdout

"""Crash and kill safety (#8): a busy process (killdriver.py) is SIGKILLed at
random moments during imports, edits, builds, archive export/import, backups
and restores, again and again on the same data folder.  After every kill:

- the database passes PRAGMA integrity_check and foreign_key_check;
- every row's blob exists and matches its hash;
- after the next Workspace.open (its sweep): no orphan blobs, no temporary files;
- the packet at the output path is either absent or a complete PDF (qpdf --check),
  and it is the previous packet unless a build was running; no partial file
  under the real name;
- the archive at its output path, if any, is a complete zip.

The short run (CI) makes about 30 kills; PDPACKET_SLOW=1 runs the soak
(PDPACKET_KILLS, default 300).  Each run prints its numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from pdpacket.api import Workspace
from tests.pdftools import tool
from tests.safety.invariants import check_database, check_swept

ROOT = Path(__file__).resolve().parents[2]


def _run_driver(data: Path, work: Path, seed: int, delay: float) -> tuple[str, list[str]]:
    """Start the driver, kill it ``delay`` s after it is ready; returns (state, its lines)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.safety.killdriver", str(data), str(work), str(seed)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("READY"):
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    if not ready.wait(60):
        proc.kill()
        proc.wait()
        err = proc.stderr.read() if proc.stderr else ""
        raise AssertionError(f"driver never got ready: {err[-2000:]}")
    time.sleep(delay)
    state = "killed"
    if proc.poll() is not None:  # it died on its own: that is a failure to report
        state = f"exited {proc.returncode}"
    else:
        proc.send_signal(signal.SIGKILL)
    proc.wait()
    reader.join(5)
    err = proc.stderr.read() if proc.stderr else ""
    if state != "killed":
        raise AssertionError(f"driver {state} before the kill:\n{err[-3000:]}")
    return state, lines


def _running_op(lines: list[str]) -> str:
    """The operation the kill interrupted ("" if it fell between operations)."""
    for line in reversed(lines):
        if line.startswith("DONE") or line == "READY":
            return "open" if line == "READY" and len(lines) == 1 else ""
        if line.startswith("OP "):
            return line[3:]
    return "open"


def kill_campaign(tmp: Path, kills: int, seed: int, max_delay: float) -> dict[str, object]:
    data, work = tmp / "data", tmp / "work"
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    packet = work / "packet.pdf"
    archive = work / "case.pdpacket"
    prev_packet: str | None = None
    interrupted: Counter[str] = Counter()
    completed: Counter[str] = Counter()
    corrupted = 0
    problems: list[str] = []
    for n in range(kills):
        delay = rng.uniform(0.0, max_delay)
        _, lines = _run_driver(data, work, rng.randrange(10**9), delay)
        op = _running_op(lines)
        interrupted[op or "between"] += 1
        completed.update(line[5:] for line in lines if line.startswith("DONE "))
        found = check_database(data)
        with Workspace.open(data):  # the next start: migrations, daily backup, sweep
            pass
        found += check_swept(data)
        found += check_database(data)
        # the packet: complete, and the previous one unless a build was running
        leftovers = [p.name for p in work.glob(".packet.pdf.*")]
        if packet.exists():
            res = subprocess.run(
                [tool("qpdf"), "--check", str(packet)], capture_output=True, text=True
            )
            if res.returncode != 0:
                found.append(f"packet fails qpdf --check: {res.stdout[-300:]}")
            sha = hashlib.sha256(packet.read_bytes()).hexdigest()
            built = any(line == "OP build" for line in lines)
            if prev_packet is not None and sha != prev_packet and not built:
                found.append("the previous packet changed although no build ran")
            prev_packet = sha
        elif prev_packet is not None:
            found.append("the previous packet disappeared")
        if archive.exists():
            try:
                with zipfile.ZipFile(archive) as zf:
                    bad = zf.testzip()
                if bad:
                    found.append(f"archive member {bad} is damaged")
            except zipfile.BadZipFile as exc:
                found.append(f"archive at the output path is not complete: {exc}")
        if found:
            corrupted += 1
            problems.append(f"kill {n} during {op!r}: {found}")
        # temporary siblings of the packet a kill left (never under the real name)
        for name in leftovers:
            (work / name).unlink(missing_ok=True)
    stats = {
        "kills": kills,
        "corrupted": corrupted,
        "interrupted": dict(sorted(interrupted.items())),
        "operations_completed": sum(completed.values()),
        "problems": problems[:10],
    }
    print("\nkill campaign:", json.dumps(stats, indent=1))
    return stats


def test_kills_during_imports_edits_and_builds_lose_nothing(tmp_path: Path) -> None:
    stats = kill_campaign(tmp_path, kills=30, seed=8, max_delay=1.0)
    assert stats["corrupted"] == 0, stats["problems"]
    interrupted = stats["interrupted"]
    assert isinstance(interrupted, dict)
    # the kills really landed inside work, not only between operations
    assert sum(v for k, v in interrupted.items() if k not in ("between", "open")) >= 10


@pytest.mark.slow
def test_kill_soak(tmp_path: Path) -> None:
    kills = int(os.environ.get("PDPACKET_KILLS", "300"))
    stats = kill_campaign(tmp_path, kills=kills, seed=int(time.time()), max_delay=2.5)
    assert stats["corrupted"] == 0, stats["problems"]

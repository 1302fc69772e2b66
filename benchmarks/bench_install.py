"""Installed size and start time of the frozen app against the source install (#16).

    python3 quickstart.py installer --freeze-only      # build/frozen/pdpacket
    .venv/bin/python benchmarks/bench_install.py        # --repeat 5

Compares, in the same run and on the same machine:

- source: the development install (``.venv``: Python + pdpacket + its
  dependencies, test tools excluded from the size: only what ``pip install .``
  brings is counted, measured in a throw-away venv when --fresh-venv is given);
- frozen: build/frozen/pdpacket (what the .deb puts in /opt/pdpacket; the .deb's
  own size is printed too when dist/ holds one).

Times (best and median of --repeat, runs taking turns, each a new process):
- ``pdpacket --version`` (the CLI starting);
- time to the first window: ``pdpacket`` with PDPACKET_EXIT_AFTER_SHOWN=1 and the
  offscreen platform, on a data folder that already holds the demo case (the
  first start's demo build is a one-off and is timed separately, once).
Ratios are frozen / source.
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def du(path: Path) -> int:
    total = 0
    for p in path.rglob("*"):
        if p.is_file() and not p.is_symlink():
            total += p.stat().st_size
    return total


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, check=False, timeout=300)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({r.returncode}): {r.stderr.decode()[-500:]}")
    return dt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--frozen", type=Path, default=ROOT / "build/frozen/pdpacket")
    ap.add_argument("--venv", type=Path, default=ROOT / ".venv")
    args = ap.parse_args()
    frozen_cmd = args.frozen / "pdpacket"
    source_cmd = args.venv / "bin" / "pdpacket"
    for exe, how in (
        (frozen_cmd, "python3 quickstart.py installer --freeze-only"),
        (source_cmd, "python3 quickstart.py app"),
    ):
        if not exe.exists():
            sys.exit(f"bench_install: {exe} is missing; build it with `{how}`")

    # the source install's footprint: the venv's site-packages without the
    # dev/test tools, plus the Python it runs on (stdlib + libpython)
    dev_only = {
        "mypy",
        "ruff",
        "pytest",
        "hypothesis",
        "pikepdf",
        "importlinter",
        "grimp",
        "build",
        "_pytest",
        "pytestqt",
        "mypyc",
        "pip",
        "setuptools",
    }
    site = Path(glob.glob(str(args.venv / "lib" / "python3*" / "site-packages"))[0])
    source_size = sum(
        du(p) if p.is_dir() else p.stat().st_size
        for p in site.iterdir()
        if p.name.split("-")[0].split(".")[0].lower() not in dev_only
    )
    base = Path(
        subprocess.run(
            [str(args.venv / "bin" / "python"), "-c", "import sys; print(sys.base_prefix)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    ver = f"{sys.version_info.major}.{sys.version_info.minor}"
    stdlib = base / "lib" / f"python{ver}"
    python_size = du(stdlib) - du(stdlib / "site-packages") if stdlib.exists() else 0
    frozen_size = du(args.frozen)
    debs = sorted(glob.glob(str(ROOT / "dist" / "pdpacket_*.deb")))

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
        homes = {"source": Path(tmp) / "s", "frozen": Path(tmp) / "f"}
        cmds = {"source": str(source_cmd), "frozen": str(frozen_cmd)}
        first = {}
        for k in cmds:  # first start: the demo case is built once
            e = dict(env, PDPACKET_HOME=str(homes[k]), PDPACKET_EXIT_AFTER_SHOWN="1")
            first[k] = timed([cmds[k]], e)
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for k in cmds:
                e = dict(env, PDPACKET_HOME=str(homes[k]), PDPACKET_EXIT_AFTER_SHOWN="1")
                times.setdefault((k, "version"), []).append(timed([cmds[k], "--version"], e))
                times.setdefault((k, "window"), []).append(timed([cmds[k]], e))

    def cell(k: str, what: str) -> tuple[float, float]:
        v = times[(k, what)]
        return min(v), statistics.median(v)

    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; repeat {args.repeat}")
    print()
    print("| measure | source install | frozen app | frozen / source |")
    print("|---|---|---|---|")
    src_total = source_size + python_size
    print(
        f"| installed size | {src_total / 1e6:.0f} MB (site-packages {source_size / 1e6:.0f} MB"
        f" + Python {python_size / 1e6:.0f} MB) | {frozen_size / 1e6:.0f} MB | "
        f"{frozen_size / src_total:.2f} |"
    )
    if debs:
        print(f"| .deb download | | {Path(debs[-1]).stat().st_size / 1e6:.0f} MB | |")
    for what, label in (
        ("version", "`pdpacket --version` (best / median)"),
        ("window", "time to the first window (best / median)"),
    ):
        s_best, s_med = cell("source", what)
        f_best, f_med = cell("frozen", what)
        print(
            f"| {label} | {s_best:.2f} / {s_med:.2f} s | {f_best:.2f} / {f_med:.2f} s | "
            f"{f_best / s_best:.2f} / {f_med / s_med:.2f} |"
        )
    print(
        f"| first start (demo case built) | {first['source']:.2f} s | {first['frozen']:.2f} s | "
        f"{first['frozen'] / first['source']:.2f} |"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""What splitting a packet into e-filing parts costs (#7).

    .venv/bin/python benchmarks/bench_editions.py            # 120 exhibits, ~2400 pages
    .venv/bin/python benchmarks/bench_editions.py --quick    # 40 exhibits

Generates a case of N exhibits x 20 letter-size pages (three typed pages to one
scanned page, as in bench_build.py: about 0.5 MB an exhibit), stores it in a
throw-away workspace and builds it, each run in a fresh process, as:

- baseline: the standard packet, one file (``build_packet``);
- efile, one file: the e-filing edition under a limit it fits (one file, but
  through the editions' estimate and size check);
- efile split at 25 MB and at 10 MB: the same packet in parts, each measured on
  disk against the limit;
- efile at 10 MB with the JPEG images re-encoded at quality 50 (run once: it
  shows what re-encoding costs and saves, it is not part of the comparison).

Prints a table with each build's time as a ratio of the baseline measured in the
same run (best and median of ``--repeat``, the builds taking turns, each after ``sync`` and
with the previous build's files deleted, so disk write-back does not favour the
first), its files and their largest size.  Target: a
split build takes at most 1.10 x the one-file build.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location("bench_build", ROOT / "benchmarks/bench_build.py")
assert _spec and _spec.loader
bench_build = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_build)

BUILD = """
import json, os, sys, time, datetime
from pdpacket.api import Workspace
from pdpacket.model import BuildOptions
args = json.loads(sys.argv[1])
t = time.perf_counter()
with Workspace.open(args["data"]) as ws:
    options = BuildOptions(build_date=datetime.date(2026, 3, 20), edition=args["edition"],
                           max_mb=args["max_mb"], jpeg_quality=args["quality"])
    if args["edition"] == "standard":
        r = ws.build_packet(args["case"], args["out"] + ".pdf", options)
    else:
        r = ws.build_edition(args["case"], args["out"], options)
elapsed = time.perf_counter() - t
files = list(r.parts) or [r.path]
print(json.dumps({"seconds": elapsed, "pages": r.pages, "size": r.size,
                  "files": len(files), "largest": max(os.path.getsize(f) for f in files)}))
"""

RUNS = (
    ("standard, one file (baseline)", "standard", 0.0, 0),
    ("efile, one file", "efile", 1000.0, 0),
    ("efile, split at 25 MB", "efile", 25.0, 0),
    ("efile, split at 10 MB", "efile", 10.0, 0),
    ("efile, 10 MB, JPEG q50", "efile", 10.0, 50),
)


def build(data: Path, case_id: int, out: Path, edition: str, max_mb: float, q: int) -> dict:
    args = {
        "data": str(data),
        "case": case_id,
        "out": str(out),
        "edition": edition,
        "max_mb": max_mb,
        "quality": q,
    }
    res = subprocess.run(
        [sys.executable, "-c", BUILD, json.dumps(args)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(res.stdout)  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="40 exhibits (800 pages)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    exhibits = 40 if args.quick else 120
    with tempfile.TemporaryDirectory(prefix="pdpacket-bench-editions-") as tmp:
        work = Path(tmp)
        (work / "files").mkdir()
        case_id, _paths = bench_build.make_case(work / "data", work / "files", exhibits)
        runs: dict[str, list[dict]] = {name: [] for name, *_ in RUNS}
        for n in range(args.repeat):  # round robin, so no build always runs first
            for name, edition, max_mb, q in RUNS:
                if q and n:  # re-encoding takes long and is not what is compared: once
                    continue
                out = work / "out" / f"{edition}-{max_mb:g}-{q}-{n}"
                os.sync()  # the last build's writes are on disk before this one starts
                runs[name].append(build(work / "data", case_id, out, edition, max_mb, q))
                shutil.rmtree(work / "out")
        results = {name: min(r, key=lambda x: x["seconds"]) for name, r in runs.items()}
        medians = {name: statistics.median(x["seconds"] for x in r) for name, r in runs.items()}
    base = results[RUNS[0][0]]["seconds"]
    one = results[RUNS[1][0]]["seconds"]
    print(f"{exhibits} exhibits, {exhibits * bench_build.PAGES_PER_EXHIBIT} evidence pages")
    mbase = medians[RUNS[0][0]]
    print(
        f"{'build':<32} {'best s':>7} {'x base':>7} {'median s':>9} {'x base':>7} "
        f"{'files':>6} {'pages':>6} {'total MB':>9} {'largest MB':>10}"
    )
    for name, *_ in RUNS:
        r = results[name]
        print(
            f"{name:<32} {r['seconds']:>7.2f} {r['seconds'] / base:>7.2f} "
            f"{medians[name]:>9.2f} {medians[name] / mbase:>7.2f} {r['files']:>6} "
            f"{r['pages']:>6} {r['size'] / 1e6:>9.1f} {r['largest'] / 1e6:>10.2f}"
        )
    for name in (RUNS[2][0], RUNS[3][0]):
        print(
            f"{name}: best {results[name]['seconds'] / one:.2f} x the one-file e-filing "
            f"build and {results[name]['seconds'] / base:.2f} x the standard build; median "
            f"{medians[name] / mbase:.2f} x the standard build (target <= 1.10)"
        )


if __name__ == "__main__":
    main()

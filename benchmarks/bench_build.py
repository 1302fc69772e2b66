"""How fast, how big and how hungry the packet build is (#4).

    .venv/bin/python benchmarks/bench_build.py            # 100 and 2000 pages
    .venv/bin/python benchmarks/bench_build.py --quick    # 100 and 400 pages

Generates a case of N exhibits x 20 letter-size pages (three text pages of a
typed letter to one scanned page, a distinct grey JPEG, like intake's output),
stores it in a throw-away workspace, and builds the whole packet (cover,
index, tab pages, stamps, labels, links, bookmarks) in a fresh process, so
peak memory is the build's own.  The baseline, measured in the same run on the
same pages, is bare stamping with qpdf:

    qpdf --empty --pages in.pdf -- --overlay stamps.pdf -- out.pdf

where in.pdf is the exhibits' pages concatenated and stamps.pdf one page
number per page (both prepared before timing).  Prints a table; every number
is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGES_PER_EXHIBIT = 20
WORDS = [
    "the",
    "respondent",
    "has",
    "lived",
    "resided",
    "worked",
    "paid",
    "taxes",
    "since",
    "years",
    "family",
    "son",
    "daughter",
    "church",
    "community",
    "school",
    "medical",
    "records",
    "lease",
    "employer",
    "letter",
    "support",
    "declaration",
    "court",
    "hearing",
    "proceedings",
    "removal",
    "relief",
    "petition",
    "approved",
    "pending",
    "receipt",
    "notice",
]


_PAPER: list[Image.Image] = []


def _scan(rng: random.Random) -> bytes:
    """A grey 150-dpi 'scan' of a page of text, about 100 KB as JPEG."""
    if not _PAPER:
        _PAPER.append(Image.effect_noise((1275, 1650), 18).point(lambda v: 200 + v // 5))
    img = _PAPER[0].copy()
    d = ImageDraw.Draw(img)
    y = 150
    while y < 1500:
        x = 120
        while x < 1100:
            w = rng.randrange(30, 110)
            d.rectangle((x, y, x + w, y + 14), fill=rng.randrange(20, 70))
            x += w + 14
        y += 32
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=60)
    return buf.getvalue()


def _exhibit_pdf(n: int, rng: random.Random) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True, pageCompression=1)
    for p in range(PAGES_PER_EXHIBIT):
        if p % 4 == 3:
            c.drawImage(ImageReader(io.BytesIO(_scan(rng))), 36, 36, 540, 720)
        else:
            c.setFont("Times-Roman", 12)
            c.drawString(72, 720, f"Document {n}, page {p + 1}")
            y = 690
            while y > 90:
                line = " ".join(rng.choice(WORDS) for _ in range(13))
                c.drawString(72, y, line)
                y -= 15
        c.showPage()
    c.save()
    return buf.getvalue()


def exhibit_files(files_dir: Path, exhibits: int) -> Iterator[tuple[Path, bytes]]:
    """The case's exhibit PDFs, written to ``files_dir``: the same bytes for the
    same count (``bench_pdf_io`` reads the very files the build does)."""
    rng = random.Random(exhibits)
    for n in range(exhibits):
        pdf = _exhibit_pdf(n, rng)
        path = files_dir / f"exhibit{n:03d}.pdf"
        path.write_bytes(pdf)
        yield path, pdf


def make_case(data_dir: Path, files_dir: Path, exhibits: int) -> tuple[int, list[Path]]:
    from pdpacket.api import Workspace
    from pdpacket.intake.pdfclean import CLEANING_VERSION
    from pdpacket.model import Attorney, Client, FileRole, Proceedings
    from pdpacket.store.cleaning import record as record_cleaning

    paths = []
    with Workspace.open(data_dir) as ws:
        ws.store.set_attorney(Attorney(name="Bench Attorney", address="1 Main St", eoir_id="X1"))
        case_id = ws.create_case(
            Client(name="Bench Client", a_number="201555014"),
            Proceedings(pd_form="dismissal", court_id="new-york-broadway"),
        )
        with ws.store.transaction():
            for n, (path, pdf) in enumerate(exhibit_files(files_dir, exhibits)):
                paths.append(path)
                sha = ws.store.blobs.put_bytes(pdf)
                ws.store.register_blob(sha, len(pdf), "pdf", PAGES_PER_EXHIBIT)
                # stands for intake's output, as the builder requires (store.cleaning)
                record_cleaning(ws.store.db.conn, sha, CLEANING_VERSION)
                ex = ws.store.add_exhibit(
                    case_id,
                    f"Exhibit document {n}",
                    factor_ids=["long_residence"],
                    section=f"Section {n // 10}",
                )
                ws.store.add_exhibit_file(
                    ex,
                    role=FileRole.DOCUMENT,
                    original_name=path.name,
                    original_sha256=sha,
                    pdf_sha256=sha,
                    pages=PAGES_PER_EXHIBIT,
                )
    return case_id, paths


# Imports ``pdpacket`` from the source tree given as the first argument (this
# one, or another commit's extracted by ``--against``) whatever is installed:
# the package, and its data folders (resources/, ui/) as the wheel maps them.
BOOT = """
import importlib.util, sys
_root = sys.argv.pop(1)
_spec = importlib.util.spec_from_file_location(
    "pdpacket", _root + "/pdpacket/__init__.py", submodule_search_locations=[_root + "/pdpacket", _root]
)
_mod = importlib.util.module_from_spec(_spec)
sys.modules["pdpacket"] = _mod
_spec.loader.exec_module(_mod)
"""

MAKE = """
import json, sys
_bench = importlib.util.spec_from_file_location("bench_build", sys.argv[1])
bench = importlib.util.module_from_spec(_bench)
_bench.loader.exec_module(bench)
from pathlib import Path
case_id, _paths = bench.make_case(Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4]))
assert sys.modules["pdpacket"].__file__.startswith(_root), sys.modules["pdpacket"].__file__
print(json.dumps({"case_id": case_id}))
"""

BUILD = """
import json, resource, sys, time, datetime
from pdpacket.api import Workspace
from pdpacket.model import BuildOptions
t = time.perf_counter()
with Workspace.open(sys.argv[1]) as ws:
    r = ws.build_packet(int(sys.argv[2]), sys.argv[3],
                        BuildOptions(build_date=datetime.date(2026, 3, 20)))
elapsed = time.perf_counter() - t
print(json.dumps({"seconds": elapsed, "pages": r.pages, "size": r.size,
                  "code": sys.modules["pdpacket"].__file__,
                  "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def build(data_dir: Path, case_id: int, out: Path, tree: Path = ROOT) -> dict[str, Any]:
    """One build in a fresh process, with the code of source tree ``tree``."""
    res = subprocess.run(
        [sys.executable, "-c", BOOT + BUILD, str(tree), str(data_dir), str(case_id), str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    out: dict[str, Any] = json.loads(res.stdout)
    assert str(out.pop("code")).startswith(str(tree)), "built with the wrong code"
    return out


def make_case_with(tree: Path, data_dir: Path, files_dir: Path, exhibits: int) -> int:
    """``make_case`` run with the code of source tree ``tree`` (its own database)."""
    files_dir.mkdir(parents=True, exist_ok=True)
    args = [str(tree), __file__, str(data_dir), str(files_dir), str(exhibits)]
    res = subprocess.run(
        [sys.executable, "-c", BOOT + MAKE, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
    )
    return int(json.loads(res.stdout.splitlines()[-1])["case_id"])


def extract(ref: str, into: Path) -> Path:
    """The source tree of git commit ``ref`` (``git archive``), to build with."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def compare(ref: str, exhibits: int, repeat: int) -> None:
    """This tree's build against commit ``ref``'s on the same pages, runs
    alternated (noise on a shared machine hits both), best and median of each."""
    import statistics

    with tempfile.TemporaryDirectory(prefix="pdpacket-bench-") as tmp:
        trees = {"this tree": ROOT, ref: extract(ref, Path(tmp) / "ref")}
        cases = {
            name: make_case_with(tree, Path(tmp) / f"data-{k}", Path(tmp) / f"files-{k}", exhibits)
            for k, (name, tree) in enumerate(trees.items())
        }
        times: dict[str, list[float]] = {name: [] for name in trees}
        pages = 0
        for _ in range(repeat):
            for k, (name, tree) in enumerate(trees.items()):
                r = build(Path(tmp) / f"data-{k}", cases[name], Path(tmp) / f"p{k}.pdf", tree)
                times[name].append(r["seconds"])
                pages = int(r["pages"])
    print(
        f"{exhibits * PAGES_PER_EXHIBIT} evidence pages, {pages} packet pages, {repeat} runs each"
    )
    print(f"{'code':>24} {'best s':>8} {'median s':>9}")
    for name, ts in times.items():
        print(f"{name[:24]:>24} {min(ts):>8.2f} {statistics.median(ts):>9.2f}")
    mine, theirs = times["this tree"], times[ref]
    print(
        f"this tree / {ref}: best {min(mine) / min(theirs):.2f}, median "
        f"{statistics.median(mine) / statistics.median(theirs):.2f} (target <= 1.10)"
    )


def baseline(paths: list[Path], work: Path) -> float:
    qpdf = shutil.which("qpdf")
    if not qpdf:
        sys.exit("qpdf is needed for the baseline: apt-get install qpdf")
    inp, stamps, out = work / "in.pdf", work / "stamps.pdf", work / "qpdf-out.pdf"
    subprocess.run([qpdf, "--empty", "--pages", *map(str, paths), "--", str(inp)], check=True)
    total = len(paths) * PAGES_PER_EXHIBIT
    c = canvas.Canvas(str(stamps), pagesize=letter, invariant=True)
    for n in range(1, total + 1):
        c.setFont("Helvetica", 10)
        c.drawCentredString(306, 17, str(n))
        c.showPage()
    c.save()
    t = time.perf_counter()
    subprocess.run(
        [qpdf, "--empty", "--pages", str(inp), "--", "--overlay", str(stamps), "--", str(out)],
        check=True,
    )
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="100 and 400 pages")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument(
        "--against",
        metavar="REF",
        help="instead: the 2,000-page build (400 with --quick) with this tree's code and "
        "with git commit REF's (e.g. main), alternated, and the ratio",
    )
    args = ap.parse_args()
    if args.against:
        compare(args.against, 20 if args.quick else 100, args.repeat)
        return
    sizes = (5, 20) if args.quick else (5, 100)
    rows = []
    with tempfile.TemporaryDirectory(prefix="pdpacket-bench-") as tmp:
        for exhibits in sizes:
            work = Path(tmp) / f"n{exhibits}"
            (work / "files").mkdir(parents=True)
            case_id, paths = make_case(work / "data", work / "files", exhibits)
            parts = sum(p.stat().st_size for p in paths)
            runs = [build(work / "data", case_id, work / "packet.pdf") for _ in range(args.repeat)]
            best = min(runs, key=lambda r: r["seconds"])
            base = min(baseline(paths, work) for _ in range(args.repeat))
            rows.append((exhibits * PAGES_PER_EXHIBIT, best, base, parts, runs))
    print(
        f"{'evidence pages':>14} {'packet pages':>12} {'build s':>8} {'qpdf s':>7} "
        f"{'build/qpdf':>10} {'ms/page':>8} {'peak MB':>8} {'size/parts':>10}"
    )
    for pages, best, base, parts, runs in rows:
        peak = max(r["maxrss_mb"] for r in runs)
        print(
            f"{pages:>14} {int(best['pages']):>12} {best['seconds']:>8.2f} {base:>7.2f} "
            f"{best['seconds'] / base:>10.2f} {1000 * best['seconds'] / pages:>8.2f} "
            f"{peak:>8.0f} {best['size'] / parts:>10.3f}"
        )
    (small, small_best, *_), (large, large_best, *_) = rows[0], rows[-1]
    growth = (large_best["seconds"] / large) / (small_best["seconds"] / small)
    print(f"time per page at {large} / at {small} pages: {growth:.2f} (target <= 1.2)")


if __name__ == "__main__":
    main()

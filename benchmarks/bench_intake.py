"""Evidence intake speed, size and memory (#3).

Generates its own inputs (synthetic 12-MP phone photos of a printed page on a
table, some stored sideways with EXIF orientation 6; 300-dpi scans; a
multi-page G4 TIFF), then prints one table:

    path                    per-photo ms (median / mean)   KB per page   peak MB

for pdpacket's intake and, as the baseline measured in the same run, the naive
Pillow path (full decode, exif_transpose, LANCZOS resize to 300 dpi, JPEG q85,
Pillow's PDF writer).  Peak memory is measured in a fresh subprocess per path.

    .venv/bin/python benchmarks/bench_intake.py            # 20 photos, ~1-2 minutes
    .venv/bin/python benchmarks/bench_intake.py --photos 5 # quicker
    .venv/bin/python benchmarks/bench_intake.py --import200
        # also: import 200 photos through Workspace.add_evidence and report the
        # peak memory of the whole import (target <= 300 MB)

Targets (issue #3, 2 cores): <= 150 ms and <= 400 KB per 12-MP photo page,
peak <= 300 MB importing 200 photos.  Look at the pages it writes (--keep DIR).
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont, ImageOps

ROOT = Path(__file__).resolve().parent.parent
_SENTENCE = (
    "the respondent has lived in the united states since two thousand nine and works as a "
    "cook at the same restaurant paying taxes every year her children attend public school "
    "in brooklyn and her husband is a lawful permanent resident of the united states"
)
WORDS = tuple(w for w in _SENTENCE.split(" ") if w)


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSerif.ttf", "DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            pass
    return ImageFont.load_default(size=size)


def peak_mb() -> float:
    """This process's peak resident memory.  /proc's VmHWM, not getrusage: Linux keeps
    ru_maxrss across exec, so a child would report its parent's peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_photo(path: Path, rng: random.Random, orientation: int) -> None:
    """A 4032x3024 phone photo of a letter page on a wooden table."""
    w, h = 4032, 3024
    grad = Image.linear_gradient("L").resize((w, h))
    table = Image.merge(
        "RGB",
        (
            grad.point(lambda v: 95 + v // 4),
            grad.point(lambda v: 62 + v // 5),
            grad.point(lambda v: 38 + v // 6),
        ),
    )
    pw, ph = 2000, 2588
    paper = Image.new("RGB", (pw, ph), (248, 246, 240))
    d = ImageDraw.Draw(paper)
    d.text((160, 150), "DECLARATION OF SUPPORT", fill=(20, 20, 25), font=_font(64))
    f = _font(34)
    y = 300
    while y < ph - 250:
        line = " ".join(rng.choice(WORDS) for _ in range(9))
        d.text((160, y), line, fill=(25, 25, 30), font=f)
        y += 50
    d.line(
        [(160 + k * 9, ph - 180 + int(14 * math.sin(k / 2))) for k in range(45)],
        fill=(20, 30, 120),
        width=4,
    )
    if orientation == 6:
        paper = paper.rotate(90, expand=True)
    angle = rng.uniform(-4, 4)
    mask = Image.new("L", paper.size, 255).rotate(angle, expand=True)
    paper = paper.rotate(angle, expand=True)
    table.paste(paper, ((w - paper.size[0]) // 2, (h - paper.size[1]) // 2), mask)
    light = Image.radial_gradient("L").resize((w, h)).point(lambda v: 255 - int(v * 0.4))
    table = ImageChops.multiply(table, Image.merge("RGB", (light, light, light)))
    table = table.filter(ImageFilter.GaussianBlur(0.8))
    noise = Image.effect_noise((w, h), 5.0).convert("RGB")
    table = ImageChops.add(table, noise, 1.0, -128)
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F], exif[0x0110] = "Apple", "iPhone 13"
    table.save(path, "JPEG", quality=92, exif=exif.tobytes(), dpi=(72, 72))


def make_inputs(folder: Path, photos: int) -> dict[str, list[Path]]:
    rng = random.Random(2027)
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, list[Path]] = {"photo": [], "scan": [], "tiff": []}
    for i in range(photos):
        p = folder / f"IMG_{i:04d}.jpg"
        make_photo(p, rng, 6 if i % 3 == 2 else 1)
        out["photo"].append(p)
    for mode in ("1", "L", "RGB"):
        im = Image.new("RGB", (2550, 3300), (255, 255, 255))
        d = ImageDraw.Draw(im)
        f = _font(42)
        for k in range(50):
            d.text(
                (200, 200 + k * 58),
                " ".join(rng.choice(WORDS) for _ in range(8)),
                fill=(0, 0, 0),
                font=f,
            )
        if mode == "1":
            im = im.convert("L").point(lambda v: 255 if v > 160 else 0).convert("1")
        else:
            im = im.convert(mode)
        p = folder / f"scan_{mode}.png"
        im.save(p, dpi=(300, 300))
        out["scan"].append(p)
    pages = [Image.open(out["scan"][0]).copy() for _ in range(3)]
    p = folder / "fax.tif"
    pages[0].save(
        p, "TIFF", save_all=True, append_images=pages[1:], compression="group4", dpi=(300, 300)
    )
    out["tiff"].append(p)
    return out


# ---------------------------------------------------------------- the two paths
def naive(path: Path) -> tuple[bytes, int]:
    """Full decode, upright, LANCZOS to fit 7.5x9.5 in at 300 dpi, JPEG q85 in a PDF."""
    im = Image.open(path)
    im.load()
    im = ImageOps.exif_transpose(im) or im
    im = im.convert("RGB")
    im.thumbnail((2250, 2850), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    im.save(buf, "PDF", resolution=300, quality=85)
    return buf.getvalue(), 1


def pdpacket_path(path: Path) -> tuple[bytes, int]:
    from pdpacket.intake.evidence import normalise_file

    res = normalise_file(path)
    return res.pdf, res.pages


def run_worker(which: str, files: list[str], keep: str) -> None:
    """In a fresh process: normalise ``files``; print timings and peak RSS as JSON."""
    fn = naive if which == "naive" else pdpacket_path
    fn(Path(files[0]))  # warm-up (imports, first-use setup), not timed
    times, cpu, sizes, pages = [], [], [], []
    for f in files:
        t, c = time.perf_counter(), time.process_time()
        pdf, n = fn(Path(f))
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        sizes.append(len(pdf))
        pages.append(n)
        if keep:
            Path(keep, f"{which}-{Path(f).name}.pdf").write_bytes(pdf)
    peak = peak_mb()
    print(json.dumps({"times": times, "cpu": cpu, "sizes": sizes, "pages": pages, "peak_mb": peak}))


def measure(which: str, files: list[Path], keep: str) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--worker", which, "--keep", keep, *map(str, files)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_worker(folder: str) -> None:
    sys.path.insert(0, str(ROOT))
    from pdpacket.api import Workspace
    from pdpacket.model import Client

    with tempfile.TemporaryDirectory() as data, Workspace.open(data) as ws:
        case_id = ws.create_case(Client(name="Benchmark Client"))
        t = time.perf_counter()
        results = ws.add_evidence(case_id, [folder])
        elapsed = time.perf_counter() - t
        bad = [r for r in results if r.status not in ("imported", "warning")]
    peak = peak_mb()
    print(json.dumps({"n": len(results), "bad": len(bad), "seconds": elapsed, "peak_mb": peak}))


def make_200(photos: list[Path], folder: Path, n: int = 200) -> None:
    """n distinct files (a JPEG comment differs) from the generated photos."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        data = photos[i % len(photos)].read_bytes()
        comment = f"copy {i}".encode()
        seg = b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment
        (folder / f"IMG_{i:04d}.jpg").write_bytes(data[:2] + seg + data[2:])


def row(name: str, r: dict[str, object], base: dict[str, object] | None) -> str:
    times = r["times"]  # type: ignore[assignment]
    sizes = r["sizes"]  # type: ignore[assignment]
    pages = r["pages"]  # type: ignore[assignment]
    med, mean = statistics.median(times), statistics.mean(times)  # type: ignore[arg-type]
    cpu = statistics.median(r["cpu"])  # type: ignore[arg-type]
    kb = sum(sizes) / max(1, sum(pages)) / 1024  # type: ignore[arg-type]
    text = (
        f"{name:<26} {med:>8.0f} / {mean:>5.0f}   {cpu:>7.0f}   {kb:>9.0f}   {r['peak_mb']:>8.0f}"
    )
    if base:
        bmed = statistics.median(base["times"])  # type: ignore[arg-type]
        bkb = sum(base["sizes"]) / max(1, sum(base["pages"])) / 1024  # type: ignore[arg-type]
        text += f"   x{bmed / med:.2f} faster, x{bkb / kb:.2f} smaller, peak x{float(base['peak_mb']) / float(r['peak_mb']):.2f} lower"  # type: ignore[arg-type]
    return text


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--photos", type=int, default=20)
    ap.add_argument("--import200", action="store_true")
    ap.add_argument("--keep", default="", help="write every output PDF into this folder")
    ap.add_argument("--worker", choices=["naive", "pdpacket"])
    ap.add_argument("--import-worker", metavar="FOLDER")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args()
    if args.worker:
        sys.path.insert(0, str(ROOT))
        run_worker(args.worker, args.files, args.keep)
        return
    if args.import_worker:
        import_worker(args.import_worker)
        return
    tmp = Path(tempfile.mkdtemp(prefix="pdpacket-bench-intake-"))
    try:
        t = time.perf_counter()
        inputs = make_inputs(tmp / "in", args.photos)
        mb = sum(p.stat().st_size for p in inputs["photo"]) / len(inputs["photo"]) / 1e6
        print(
            f"inputs: {len(inputs['photo'])} photos 4032x3024 ({mb:.1f} MB each, every "
            f"third EXIF-rotated), 3 scans, 1 TIFF; made in {time.perf_counter() - t:.0f} s; "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work "
            "on the machine slows the wall-clock times; CPU ms counts every thread)"
        )
        if args.keep:
            Path(args.keep).mkdir(parents=True, exist_ok=True)
        base = measure("naive", inputs["photo"], args.keep)
        ours = measure("pdpacket", inputs["photo"], args.keep)
        scans = measure("pdpacket", inputs["scan"] + inputs["tiff"], args.keep)
        print()
        print(
            f"{'path':<26} {'ms/photo (median/mean)':>22}   {'CPU ms':>7}   {'KB/page':>9}"
            f"   {'peak MB':>8}"
        )
        print(row("naive Pillow (baseline)", base, None))
        print(row("pdpacket intake", ours, base))
        for name, t_ms, size, n in zip(
            ["scan 1-bit PNG", "scan gray PNG", "scan RGB PNG", "fax TIFF (3 pages)"],
            scans["times"],
            scans["sizes"],
            scans["pages"],
            strict=True,  # type: ignore[call-overload]
        ):
            print(f"{name:<26} {t_ms:>8.0f}                     {size / n / 1024:>9.0f}")
        print()
        print("targets: <= 150 ms and <= 400 KB per 12-MP photo page")
        if args.import200:
            make_200(inputs["photo"], tmp / "200")
            cmd = [sys.executable, __file__, "--import-worker", str(tmp / "200")]
            res = json.loads(
                subprocess.run(cmd, capture_output=True, text=True, check=True, cwd=ROOT)
                .stdout.strip()
                .splitlines()[-1]
            )
            print(
                f"import of {res['n']} photos with Workspace.add_evidence: "
                f"{res['seconds']:.0f} s ({res['seconds'] * 1000 / res['n']:.0f} ms each, "
                f"storing included), {res['bad']} not imported, peak {res['peak_mb']:.0f} MB "
                "(target <= 300 MB)"
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

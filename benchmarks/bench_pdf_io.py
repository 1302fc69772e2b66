"""Is our own PDF reader and writer still worth keeping?  The same job done three
ways on the same 2,000 pages.

    .venv/bin/python benchmarks/bench_pdf_io.py              # 2,000 pages, best of 3
    .venv/bin/python benchmarks/bench_pdf_io.py --quick      # 400 pages

The pages are ``bench_build``'s generated case (100 exhibits x 20 pages: typed
text and grey JPEG scans, as intake stores them).  The job is what the packet
writer does to them, without the pages pdpacket draws: read every stored file,
copy each page with the objects it reaches into one new PDF, put a placement
prefix (``q ... cm ... re W n``, one shared stream per distinct placement) before
its content and a stamp stream (its number and exhibit label) after it, add
the stamp font to its resources, and write the file.  Done by

    ours     pdf.reader (through packet.source.Source: pypdf finds each file's
             cross-reference table) and pdf.writer, through packet.write.PageWriter
    pypdf    PdfReader + PdfWriter.add_page, the streams added as pypdf objects
    pikepdf  Pdf.pages.append + Page.contents_add / add_resource, saved with the
             streams passed through as they are, like ours (qpdf underneath)

Each run is a fresh process; peak memory is the job's own (the process's peak
resident size during the job, less what it held before, Linux only); every
output is checked with ``qpdf --check`` and its page count.  Times are the best
of ``--repeat``; ratios are against ours measured in the same run.  The issue's
rule: if a library does the job within 10 % of our speed, use the library.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_build import PAGES_PER_EXHIBIT, exhibit_files  # noqa: E402

ENGINES = ("ours", "pypdf", "pikepdf")


def _stamp(n: int) -> tuple[str, str]:
    """The printed number and exhibit label of packet page ``n`` (1-based)."""
    from pdpacket.model.identifiers import exhibit_letter

    exhibit, page = divmod(n - 1, PAGES_PER_EXHIBIT)
    return str(n), f"Exh. {exhibit_letter(exhibit)}, p. {page + 1}"


def run_ours(files: list[Path], out: Path) -> int:
    from pdpacket.packet.source import Source
    from pdpacket.packet.write import PageWriter
    from pdpacket.pdf.writer import HEADER, Out

    with out.open("wb") as fh:
        o = Out(fh)
        o.w(HEADER)
        wr = PageWriter(o)
        wr.stamp_font = o.alloc()
        o.obj(wr.stamp_font, b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>")
        n = 0
        for path in files:
            src = Source(path.read_bytes(), path.name)
            cp = wr.copier(path.name, src)
            for page in src.pages(PAGES_PER_EXHIBIT):
                n += 1
                number, label = _stamp(n)
                op = wr.add_page(cp, path.name, page, fit=True, number=number, label=label)
                wr.finish_page(op)
        kids = b"".join(b" %d 0 R" % p.num for p in wr.pages)
        o.obj(wr.pages_root, b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(wr.pages), kids))
        o.obj(wr.catalog, b"<</Type/Catalog/Pages %d 0 R>>" % wr.pages_root)
        info = o.alloc()
        o.obj(info, b"<<>>")
        o.xref_and_trailer(wr.catalog, info, b"0" * 32)
        o.close()
    return n


def run_pypdf(files: list[Path], out: Path) -> int:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, NameObject

    from pdpacket.pdf import stamps

    def stream(data: bytes) -> object:
        s = DecodedStreamObject()
        s.set_data(data)
        return w._add_object(s)

    w = PdfWriter()
    font = w._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    prefixes: dict[bytes, object] = {}
    n = 0
    for path in files:
        for src_page in PdfReader(path).pages:
            n += 1
            page = w.add_page(src_page)
            box = tuple(float(x) for x in page.mediabox)
            prefix = stamps.place(box, page.rotation, fit=True).prefix  # type: ignore[arg-type]
            if prefix not in prefixes:
                prefixes[prefix] = stream(prefix)
            number, label = _stamp(n)
            stamp = stream(stamps.stamp_stream(number, label))
            contents = dict.get(page, "/Contents")
            old = list(contents) if isinstance(contents, ArrayObject) else [contents]
            page[NameObject("/Contents")] = ArrayObject([prefixes[prefix], *old, stamp])
            fonts = page["/Resources"].setdefault(NameObject("/Font"), DictionaryObject())
            fonts.get_object()[NameObject(stamps.FONT_RESOURCE)] = font
    with out.open("wb") as fh:
        w.write(fh)
    return n


def run_pikepdf(files: list[Path], out: Path) -> int:
    import pikepdf

    from pdpacket.pdf import stamps

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    prefixes: dict[bytes, pikepdf.Object] = {}
    sources = []  # pikepdf copies stream data from them when saving
    n = 0
    for path in files:
        src = pikepdf.open(path)
        sources.append(src)
        for src_page in src.pages:
            n += 1
            pdf.pages.append(src_page)
            page = pdf.pages[-1]
            box = tuple(float(x) for x in page.mediabox)
            rotate = int(page.obj.get("/Rotate", 0))
            prefix = stamps.place(box, rotate, fit=True).prefix  # type: ignore[arg-type]
            if prefix not in prefixes:
                prefixes[prefix] = pdf.make_indirect(pikepdf.Stream(pdf, prefix))
            number, label = _stamp(n)
            page.contents_add(prefixes[prefix], prepend=True)
            page.contents_add(pikepdf.Stream(pdf, stamps.stamp_stream(number, label)))
            page.add_resource(font, pikepdf.Name.Font, pikepdf.Name(stamps.FONT_RESOURCE))
    pdf.save(
        out,
        compress_streams=False,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        fix_metadata_version=False,
    )
    for src in sources:
        src.close()
    return n


RUNNERS: dict[str, Callable[[list[Path], Path], int]] = {
    "ours": run_ours,
    "pypdf": run_pypdf,
    "pikepdf": run_pikepdf,
}


def child(engine: str, files_dir: Path, out: Path) -> None:
    """One timed run, in this (fresh) process; prints its numbers as JSON."""
    files = sorted(files_dir.glob("exhibit*.pdf"))
    RUNNERS[engine]([], out.with_suffix(".warm.pdf"))  # imports, outside the timing
    before = _status_mb("VmRSS")
    Path("/proc/self/clear_refs").write_text("5")  # reset the peak (VmHWM) to now
    t = time.perf_counter()
    pages = RUNNERS[engine](files, out)
    seconds = time.perf_counter() - t
    peak = _status_mb("VmHWM")
    print(json.dumps({"seconds": seconds, "pages": pages, "peak_mb": peak - before}))


def _status_mb(key: str) -> float:
    """A memory figure of this process from /proc/self/status, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {key} in /proc/self/status")


def measure(engine: str, files_dir: Path, out: Path) -> dict[str, float]:
    res = subprocess.run(
        [sys.executable, __file__, "--child", engine, str(files_dir), str(out)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(res.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def check(out: Path, pages: int) -> None:
    """The output is a valid PDF (qpdf) with every page."""
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        sys.exit("qpdf is needed to check the outputs: apt-get install qpdf")
    res = subprocess.run([qpdf, "--check", str(out)], capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"{out.name}: qpdf --check failed\n{res.stdout[-2000:]}{res.stderr[-2000:]}")
    n = subprocess.run([qpdf, "--show-npages", str(out)], capture_output=True, text=True)
    if int(n.stdout) != pages:
        sys.exit(f"{out.name}: {n.stdout.strip()} pages, not {pages}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="400 pages instead of 2,000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", nargs=3, metavar=("ENGINE", "FILES", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        engine, files_dir, out = args.child
        child(engine, Path(files_dir), Path(out))
        return
    exhibits = 20 if args.quick else 100
    pages = exhibits * PAGES_PER_EXHIBIT
    rows: dict[str, tuple[float, float, int]] = {}
    with tempfile.TemporaryDirectory(prefix="pdpacket-bench-io-") as tmp:
        files_dir = Path(tmp) / "files"
        files_dir.mkdir()
        evidence = sum(len(pdf) for _path, pdf in exhibit_files(files_dir, exhibits))
        runs: dict[str, list[dict[str, float]]] = {e: [] for e in ENGINES}
        for _ in range(args.repeat):  # interleaved, so a slow spell hits every engine
            for engine in ENGINES:
                out = Path(tmp) / f"{engine}.pdf"
                runs[engine].append(measure(engine, files_dir, out))
                check(out, pages)
        for engine in ENGINES:
            best = min(r["seconds"] for r in runs[engine])
            peak = max(r["peak_mb"] for r in runs[engine])
            rows[engine] = (best, peak, (Path(tmp) / f"{engine}.pdf").stat().st_size)
    ours_s, ours_mb, _ = rows["ours"]
    print(f"{pages} pages from {exhibits} files ({evidence / 1e6:.1f} MB), best of {args.repeat}")
    print(
        f"{'engine':<8} {'seconds':>8} {'x ours':>7} {'ms/page':>8} {'+peak MB':>8} "
        f"{'x ours':>7} {'out MB':>7}"
    )
    for engine, (s, mb, size) in rows.items():
        print(
            f"{engine:<8} {s:>8.2f} {s / ours_s:>7.2f} {1000 * s / pages:>8.2f} {mb:>8.0f} "
            f"{mb / ours_mb:>7.2f} {size / 1e6:>7.1f}"
        )
    close = [e for e in ENGINES[1:] if rows[e][0] <= ours_s * 1.10]
    print(
        "within 10 % of our speed on these pages: "
        + (", ".join(close) if close else "none")
        + " (the rule: a library within 10 % does the job instead)"
    )


if __name__ == "__main__":
    main()

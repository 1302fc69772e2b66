"""How long the Word round trip and the generated documents take, on the demo
case (15 exhibits, a four-page letter with 19 citations).

    .venv/bin/python benchmarks/bench_word.py [--repeat 3]

Times, in a throw-away workspace: the letter written as .docx (before and
after a build, with packet pages), the .docx read back as the letter (every
citation matched again), every generated document written alone as .docx and
as PDF, and LibreOffice converting the letter's .docx to PDF (the check a
firm's Word would make; skipped without soffice).  Prints a table; every time
is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pdpacket.api import Workspace  # noqa: E402
from pdpacket.model import BuildOptions  # noqa: E402
from pdpacket.model.markup import citations  # noqa: E402

DAY = dt.date(2026, 12, 6)


def best(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    rows: list[tuple[str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = Workspace.open(folder / "data")
        case_id = ws.create_demo_case()
        ws.refresh_letter(case_id)
        text = ws.letter(case_id).text
        out = folder / "letter.docx"
        t, res = best(lambda: ws.export_letter_word(case_id, out, today=DAY), args.repeat)
        rows.append(("letter -> .docx (no build)", t, f"{out.stat().st_size:,} bytes"))
        ws.build_packet(case_id, folder / "packet.pdf", BuildOptions(build_date=DAY))
        t, res = best(lambda: ws.export_letter_word(case_id, out, today=DAY), args.repeat)
        rows.append(("letter -> .docx (packet pages)", t, f"{out.stat().st_size:,} bytes"))
        t, res = best(lambda: ws.import_letter(case_id, out), args.repeat)
        same = [c.exhibit_id for c in citations(ws.letter(case_id).text)] == [
            c.exhibit_id for c in citations(text)
        ]
        rows.append((".docx -> letter", t, f"{len(citations(text))} citations, same: {same}"))
        for fmt in ("docx", "pdf"):
            t, res = best(
                lambda f=fmt: ws.export_documents(case_id, folder / f, fmt=f, today=DAY),
                args.repeat,
            )
            assert isinstance(res, list)
            rows.append((f"every document as .{fmt}", t, f"{len(res)} files"))
        if shutil.which("soffice"):
            profile = folder / "lo"

            def convert() -> None:
                subprocess.run(
                    [
                        "soffice",
                        f"-env:UserInstallation=file://{profile}",
                        "--headless",
                        "--convert-to",
                        "pdf",
                        "--outdir",
                        str(folder / "conv"),
                        str(out),
                    ],
                    capture_output=True,
                    check=True,
                )

            t, _ = best(convert, args.repeat)
            rows.append(("LibreOffice .docx -> PDF", t, "letter"))
        ws.close()
    width = max(len(r[0]) for r in rows)
    print(f"{'step':<{width}}  {'seconds':>8}  result")
    for name, secs, note in rows:
        print(f"{name:<{width}}  {secs:>8.3f}  {note}")


if __name__ == "__main__":
    main()

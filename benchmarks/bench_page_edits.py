"""Page tools: how long one edit (with its undo snapshot and citation follow-up)
takes on a long exhibit, and what page edits cost a build.

    .venv/bin/python benchmarks/bench_page_edits.py [--pages 400] [--repeat 3]

Baselines in the same run: an exhibit field edit (``edit_exhibit``, the undo
step the window already had) for the edits, and the same case built with no
page edits for the build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from pdpacket.api import Workspace
from pdpacket.model import BuildOptions, Client
from tests.core.packet_fixtures import add_exhibit


def _pdf(n: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    for i in range(n):
        c.setFont("Helvetica", 14)
        c.drawString(72, 400, f"PAGE {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "data")
        case_id = ws.create_case(Client(name="Bench Client"))
        ex = add_exhibit(ws, case_id, "Records", _pdf(args.pages))
        other = add_exhibit(ws, case_id, "Other", _pdf(3))
        n = args.pages
        ws.save_letter(case_id, f"See {{{{cite:{ex}:pages={n}}}}} and {{{{cite:{ex}}}}}.")
        rows: list[tuple[str, float, float]] = []
        field = iter(range(10_000))
        rows.append(
            (
                "field edit (baseline)",
                *_best(
                    lambda: ws.edit_exhibit(other, "description", f"d{next(field)}"), args.repeat
                ),
            )
        )
        rows.append(("rotate 1 page", *_best(lambda: ws.rotate_pages(ex, [2], 90), args.repeat)))
        rows.append(("delete 10 pages", *_best(lambda: ws.delete_pages(ex, range(3, 13)), 1)))
        rows.append(("move last page first", *_best(lambda: ws.move_pages(ex, [n], 1), 1)))
        rows.append(("undo (the move)", *_best(ws.undo, 1)))
        split_at = n // 2
        rows.append(("split in the middle", *_best(lambda: ws.split_exhibit(ex, split_at), 1)))
        new = ws.exhibits(case_id)[1].id
        rows.append(("merge back", *_best(lambda: ws.merge_exhibits(ex, new), 1)))
        opts = BuildOptions(build_date=dt.date(2026, 3, 20))
        out = Path(tmp) / "p.pdf"
        while ws.can_undo():
            ws.undo()
        ws.build_packet(case_id, out, opts)  # warm-up
        plain = _best(lambda: ws.build_packet(case_id, out, opts), args.repeat)
        # as many pages, half of them turned and the last one moved first
        ws.rotate_pages(ex, range(1, n + 1, 2), 90)
        ws.move_pages(ex, [n], 1)
        edited = _best(lambda: ws.build_packet(case_id, out, opts), args.repeat)
        base = rows[0][1]
        print(f"{n}-page exhibit, best of {args.repeat} where repeated")
        print(f"{'what':<26}{'best ms':>10}{'median ms':>11}{'x baseline':>12}")
        for name, best, med in rows:
            print(f"{name:<26}{best * 1000:>10.1f}{med * 1000:>11.1f}{best / base:>12.1f}")
        print(f"{'build, no edits (base)':<26}{plain[0] * 1000:>10.1f}{plain[1] * 1000:>11.1f}")
        print(
            f"{'build, edited*':<26}{edited[0] * 1000:>10.1f}{edited[1] * 1000:>11.1f}"
            f"{edited[0] / plain[0]:>12.2f}"
        )
        print("* every other page turned, the last moved first: as many pages")
        ws.close()


if __name__ == "__main__":
    main()

"""The readiness review with and without its evidence analysis (which reads the
exhibits' text), on a generated case: the first review after opening the app
(no text read yet) and the ones after it (text cached by file hash).

    .venv/bin/python benchmarks/bench_evidence_review.py [--exhibits 60] [--pages 8]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pdpacket.api import Workspace
from pdpacket.model import Client, FactorAnswer
from pdpacket.review import evidence, readiness
from tests.core.packet_fixtures import add_exhibit

TYPES = ("letter_of_support", "lease", "pay_stub", "arrest_report", "school_record", "")


def text_pdf(pages: int, n: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=True)
    for p in range(pages):
        c.setFont("Helvetica", 11)
        y = 740.0
        for line in range(40):
            c.drawString(60, y, f"Document {n} page {p} line {line}: the quick brown fox, 2019.")
            y -= 17
        c.showPage()
    c.save()
    return buf.getvalue()


def timed(fn: object, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--exhibits", type=int, default=60)
    ap.add_argument("--pages", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace.open(Path(tmp) / "data")
        case_id = ws.create_case(Client(name="Bench Client"))
        ws.store.set_factor_answer(case_id, FactorAnswer("long_residence", True, "since 2005"))
        ws.store.set_factor_answer(case_id, FactorAnswer("criminal_history", True, "2019", "x"))
        for n in range(a.exhibits):
            add_exhibit(
                ws,
                case_id,
                f"Exhibit {n}",
                text_pdf(a.pages, n),
                document_type=TYPES[n % len(TYPES)],
                doc_date=dt.date(2005 + n % 20, 1, 1),
            )
        today = dt.date(2026, 12, 6)
        full = readiness.CHECKS
        without = tuple(c for c in full if c is not evidence.check_evidence)

        def review() -> None:
            readiness.review_case(ws.store, case_id, today=today)

        readiness.CHECKS = without
        base = timed(review, a.repeat)
        readiness.CHECKS = full
        cold = []
        for _ in range(a.repeat):
            evidence._TEXT_CACHE.clear()
            evidence._FOUND.clear()
            cold += timed(review, 1)
        warm = timed(review, a.repeat)
        ws.close()
    b = min(base)
    print(f"case: {a.exhibits} exhibits x {a.pages} pages of text; best of {a.repeat}")
    print(f"{'review':<38}{'best s':>9}{'median s':>10}{'x baseline':>12}")
    for name, xs in (
        ("without the evidence analysis", base),
        ("with it, first review (cold)", cold),
        ("with it, later reviews (cached)", warm),
    ):
        print(f"{name:<38}{min(xs):>9.3f}{statistics.median(xs):>10.3f}{min(xs) / b:>12.2f}")


if __name__ == "__main__":
    main()

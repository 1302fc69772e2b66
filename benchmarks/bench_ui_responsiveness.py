"""Does the window stay responsive while it imports and builds?  (#5)

Generates evidence (default 50 PDFs x 10 pages = 500 pages), then, in the real
MainWindow offscreen, imports it with a drop and builds the packet, while a
10 ms timer on the UI thread records how late each tick fires.  A stall of
the UI thread shows up as a long gap.  Baseline: the same timer with the
window idle, measured in the same run.

    .venv/bin/python benchmarks/bench_ui_responsiveness.py [--files 50 --pages 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--pages", type=int, default=10)
    args = parser.parse_args()

    from pdpacket.ui.app import create_app
    from pdpacket.ui.main_window import MainWindow
    from PySide6.QtCore import QElapsedTimer, QMimeData, QPointF, Qt, QTimer, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from pdpacket.api import Workspace
    from pdpacket.model import Client
    from tests.pdftools import make_pdf

    app = create_app([sys.argv[0]])
    tmp = Path(tempfile.mkdtemp(prefix="pdpacket-bench-ui-"))
    evidence = tmp / "evidence"
    evidence.mkdir()
    files = [
        make_pdf(evidence / f"doc_{n:03d}.pdf", [f"doc {n} page {p}" for p in range(args.pages)])
        for n in range(args.files)
    ]
    ws = Workspace.open(tmp / "data")
    case_id = ws.create_case(Client(name="Benchmark Client"))
    window = MainWindow(ws)
    window.resize(1280, 800)
    window.show()
    window.open_case(case_id)

    clock = QElapsedTimer()
    gaps: list[float] = []
    last = [0.0]

    def tick() -> None:
        now = clock.nsecsElapsed() / 1e6
        if last[0]:
            gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)

    def measure(start, done) -> tuple[list[float], float]:  # type: ignore[no-untyped-def]
        gaps.clear()
        last[0] = 0.0
        clock.start()
        timer.start()
        t0 = time.perf_counter()
        start()
        while not done():
            app.processEvents()
            time.sleep(0.001)
        elapsed = time.perf_counter() - t0
        timer.stop()
        return list(gaps), elapsed

    idle_until = [0.0]

    def idle_start() -> None:
        idle_until[0] = time.perf_counter() + 2.0

    idle, idle_s = measure(idle_start, lambda: time.perf_counter() > idle_until[0])

    window.go_to_step("evidence")
    step = window.step("evidence")

    def drop() -> None:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
        pos = QPointF(step.rect().center())
        args_ = (
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        QApplication.sendEvent(step, QDragEnterEvent(pos, *args_))
        QApplication.sendEvent(step, QDropEvent(pos, *args_))

    imp, imp_s = measure(drop, lambda: not window.runner.busy)
    window.go_to_step("build")
    build = window.step("build")
    build.output.setText(str(tmp / "out" / "packet.pdf"))
    bld, bld_s = measure(build.build, lambda: not window.runner.busy)
    pages = ws.store.list_builds(case_id)[0].pages if ws.store.list_builds(case_id) else 0

    def row(name: str, g: list[float], seconds: float) -> str:
        p95 = statistics.quantiles(g, n=20)[-1] if len(g) > 20 else max(g or [0])
        worst = max(g or [0])
        base = max(idle or [10])
        return (
            f"| {name} | {seconds:6.2f} s | {len(g):5d} | {statistics.median(g or [0]):6.1f} ms"
            f" | {p95:6.1f} ms | {worst:6.1f} ms | {worst / base:5.1f}x |"
        )

    print(f"{args.files} files x {args.pages} pages; packet: {pages} pages")
    print("| phase | took | ticks | median gap | p95 gap | worst gap | worst vs idle |")
    print("|---|---|---|---|---|---|---|")
    print(row("idle (baseline)", idle, idle_s))
    print(row("import by drop", imp, imp_s))
    print(row("build", bld, bld_s))
    window.close()
    ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

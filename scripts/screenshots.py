"""Take a PNG screenshot of every step of the window, offscreen, into a folder.

    .venv/bin/python scripts/screenshots.py shots/              # 1280x800, 100 %
    .venv/bin/python scripts/screenshots.py shots/ --scale 1.5  # as at 150 % scaling
    .venv/bin/python scripts/screenshots.py shots/ --small      # 1024x640 at 100 % and
                                                                # at 150 %, in two folders

It works on a throw-away data folder with the fictional demo case (plus an
empty case for the empty states), builds the demo packet once so the Build
step shows its history, and writes one PNG per view.  Nothing touches the
network or your own data folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--size", default="1280x800", help="window size (default 1280x800)")
    parser.add_argument("--scale", type=float, default=1.0, help="UI scale, e.g. 1.25, 1.5, 2")
    parser.add_argument(
        "--screen", action="store_true", help="use the real display instead of offscreen"
    )
    parser.add_argument(
        "--small",
        action="store_true",
        help="the smallest window it must work in: 1024x640 at 100 %% and at 150 %% "
        "(into OUT/1024x640 and OUT/1024x640-150)",
    )
    args = parser.parse_args(argv)
    if args.small:  # the scale is read once per process: one run each
        import subprocess

        for sub, scale in (("1024x640", "1"), ("1024x640-150", "1.5")):
            cmd = [sys.executable, __file__, str(args.out / sub), "--size", "1024x640"]
            subprocess.run([*cmd, "--scale", scale], check=True)
        return 0
    if not args.screen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if args.scale != 1.0:
        os.environ["QT_SCALE_FACTOR"] = str(args.scale)
    width, height = (int(x) for x in args.size.lower().split("x"))

    from pdpacket.ui.app import create_app
    from pdpacket.ui.main_window import MainWindow
    from PySide6.QtWidgets import QApplication

    from pdpacket.api import Workspace
    from pdpacket.model import Attorney, Client

    app = create_app([sys.argv[0]])
    args.out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def settle(window: MainWindow, rounds: int = 30) -> None:
        deadline = time.monotonic() + 60
        while window.runner.busy and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        for _ in range(rounds):
            app.processEvents()

    def shot(window: MainWindow, name: str) -> None:
        settle(window)
        path = args.out / f"{len(shots):02d}-{name}.png"
        window.grab().save(str(path))
        shots.append(path)
        print(path)

    def letter_conflict(ws: Workspace, case_id: int, step: object) -> None:
        """The attorney rewrote a factor's paragraph, then its notes changed: the
        refresh shows both versions side by side."""
        from pdpacket.model import FactorAnswer

        editor = step.editor  # type: ignore[attr-defined]
        text = editor.markup()
        answer = ws.store.factor_answers(case_id)["long_residence"]
        para = next(p for p in text.split("\n\n") if answer.notes.strip()[:30] in p)
        editor.set_markup(
            text.replace(para, "Ms. Morales Rivas has made her whole adult life in Queens."),
            undoable=True,
        )
        step.flush()  # type: ignore[attr-defined]
        ws.store.set_factor_answer(
            case_id,
            FactorAnswer("long_residence", True, "She has lived in Jackson Heights since 2009."),
        )
        step.refresh()  # type: ignore[attr-defined]

    def camera_photo(folder: Path) -> Path:
        """A phone photo named as the phone names it: a title is not guessed from it."""
        from PIL import Image

        path = folder / "IMG_20240514_4001.jpg"
        Image.new("RGB", (600, 800), (231, 226, 214)).save(path, "JPEG")
        return path

    def dialog_shots(window: MainWindow) -> None:
        from pdpacket.ui.archive_dialogs import BackupsDialog, ExportPasswordDialog

        window.workspace.backup_now()
        for name, dlg in (
            ("backups-dialog", BackupsDialog(window.archives, window)),
            ("export-dialog", ExportPasswordDialog("Lucía Fernanda Morales Rivas", window)),
        ):
            dlg.show()
            settle(window)
            path = args.out / f"{len(shots):02d}-{name}.png"
            dlg.grab().save(str(path))
            shots.append(path)
            print(path)
            dlg.close()
            dlg.deleteLater()

    with tempfile.TemporaryDirectory(prefix="pdpacket-shots-") as tmp:
        ws = Workspace.open(Path(tmp) / "data")
        try:
            window = MainWindow(ws)
            window.resize(width, height)
            window.show()
            shot(window, "no-case")

            demo = ws.create_demo_case()
            ws.store.set_attorney(
                Attorney(
                    name="Maria Ortiz, Esq.",
                    firm="Ortiz Immigration Law (fictional)",
                    address="100 Example Ave, Suite 5, New York NY 10001",
                    phone="(212) 555-0100",
                    email="mortiz@example.com",
                    bar_number="NY 5550001",
                    eoir_id="ZZ555001",
                )
            )
            empty = ws.create_case(Client(name="New Client (empty case)"))
            window.ctx.settingsChanged.emit()
            window.cases.refresh()
            window.open_case(demo)
            for step in window.steps:
                window.go_to_step(step.key)
                if step.key == "factors":
                    step.scroll_area.verticalScrollBar().setValue(0)  # type: ignore[attr-defined]
                if step.key == "build":
                    out = Path(tmp) / "packets" / "Morales Rivas PD packet.pdf"
                    step.output.setText(str(out))  # type: ignore[attr-defined]
                    step.build()  # type: ignore[attr-defined]
                    settle(window)
                if step.key == "letter":
                    step.refresh()  # type: ignore[attr-defined]
                shot(window, step.key)
                if step.key == "letter":
                    step.side.setCurrentIndex(1)  # type: ignore[attr-defined]
                    shot(window, "letter-preview")
                    step.side.setCurrentIndex(0)  # type: ignore[attr-defined]
                    letter_conflict(ws, demo, step)
                    shot(window, "letter-conflicts")
                    step.keep_all_mine()  # type: ignore[attr-defined]
                if step.key == "factors":
                    negative = step.rows["criminal_history"]  # type: ignore[attr-defined]
                    step.scroll_area.ensureWidgetVisible(negative)  # type: ignore[attr-defined]
                    shot(window, "factors-negative")
                if step.key == "documents":
                    step.show_document(step.documents and next(iter(step.documents)))  # type: ignore[attr-defined]
                    shot(window, "documents-seen")
                if step.key == "evidence":
                    guessed = ws.add_evidence(demo, [camera_photo(Path(tmp))])[0].exhibit_id
                    window.ctx.exhibitsChanged.emit()
                    step.select_exhibit(guessed)  # type: ignore[attr-defined]
                    shot(window, "evidence-guessed")
                    step.tabs.setCurrentIndex(1)  # type: ignore[attr-defined]
                    step.select_exhibit(ws.exhibits(demo)[3].id)  # type: ignore[attr-defined]
                    shot(window, "evidence-pages")
                    step.select_exhibit(ws.exhibits(demo)[1].id)  # type: ignore[attr-defined]
                    step.tabs.setCurrentIndex(0)  # type: ignore[attr-defined]
                    shot(window, "evidence-translation")
            dialog_shots(window)
            window.open_case(empty)
            for key in ("client", "evidence", "exhibits", "letter", "review"):
                window.go_to_step(key)
                shot(window, f"empty-{key}")
            window.close()
            settle(window)
        finally:
            ws.close()
    QApplication.processEvents()
    print(f"{len(shots)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Commands for the installed desktop app (#16): ``open`` (what the desktop entry and
the ``.pdpacket`` file type start) and ``doctor`` (what a firm's IT runs after
installing: does everything the app needs work on this machine)."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from pdpacket._version import __version__
from pdpacket.errors import BadInputError

if TYPE_CHECKING:
    from pdpacket.api import Workspace

ARCHIVE_SUFFIX = ".pdpacket"


def add_desktop_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "open",
        help="open the window; with a case archive (.pdpacket), import it",
        description="What the desktop entry and the .pdpacket file type run. "
        "`pdpacket FILE.pdpacket` does the same.",
    )
    p.add_argument("archive", nargs="?", type=Path, metavar="ARCHIVE")
    p.set_defaults(func=cmd_open)

    p = sub.add_parser(
        "doctor",
        help="check that this install works: resources, data folder, OCR, window, "
        "PDF previews, printing",
    )
    p.set_defaults(func=cmd_doctor)


def archive_argument(argv: list[str]) -> list[str]:
    """``pdpacket [OPTIONS] FILE.pdpacket`` (how Windows, macOS and some Linux
    desktops pass a double-clicked file) means ``pdpacket [OPTIONS] open FILE``."""
    if not argv:
        return argv
    last = argv[-1]
    if not (last.lower().endswith(ARCHIVE_SUFFIX) and Path(last).is_file()):
        return argv
    value_next = False
    for arg in argv[:-1]:
        if value_next:
            value_next = False
        elif arg == "--data-dir":
            value_next = True
        elif not arg.startswith("-"):
            return argv  # a command was given: the archive is its argument
    return [*argv[:-1], "open", last]


def cmd_open(args: argparse.Namespace) -> int:
    path: Path | None = args.archive
    if path is not None:
        if not path.is_file():
            raise BadInputError(
                f"{path}: no such file.",
                hint="Give the path of a case archive (.pdpacket) exported by pdpacket.",
            )
        path = path.resolve()
    return open_window(args.data_dir, open_archive=str(path) if path else None)


def _check(name: str, ok: bool, detail: str) -> tuple[str, bool, str]:
    return (name, ok, detail)


def _core_checks(args: argparse.Namespace, scratch: Path) -> list[tuple[str, bool, str]]:
    from pdpacket.api import Workspace
    from pdpacket.store.paths import resolve_data_dir

    frozen = getattr(sys, "frozen", False)
    out = [
        _check(
            "pdpacket",
            True,
            f"{__version__}, Python {platform.python_version()}, "
            + ("installed app (frozen)" if frozen else f"from {Path(__file__).parents[2]}"),
        )
    ]
    data = resolve_data_dir(args.data_dir)
    try:
        data.mkdir(parents=True, exist_ok=True)
        probe = data / ".doctor-probe"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
        out.append(_check("data folder", True, str(data)))
    except OSError as exc:
        out.append(_check("data folder", False, f"{data}: {exc.strerror or exc}"))
    try:
        ws = Workspace.open(scratch / "data")
        try:
            case_id = ws.create_demo_case()
            packet = scratch / "demo.pdf"
            result = ws.build_packet(case_id, packet)
            out.append(_check("demo packet", True, f"{result.pages} pages built"))
            out.append(_word_check(ws, case_id, scratch))
            if ws.ocr_available():
                out.append(_ocr_check(ws, case_id, scratch))
        finally:
            ws.close()
    except Exception as exc:  # doctor reports, never crashes
        out.append(_check("demo packet", False, f"{exc}"))
    from pdpacket.intake.ocr import tesseract_path  # where the app itself finds it

    tess = tesseract_path()
    if tess:
        langs = subprocess.run(
            [tess, "--list-langs"], capture_output=True, text=True, check=False, timeout=30
        ).stdout.splitlines()[1:]  # the first line is a heading
        langs = [x.strip() for x in langs if x.strip() and x.strip() != "osd"]
        want = {"eng", "spa"}
        missing = sorted(want - set(langs))
        out.append(
            _check(
                "OCR (Tesseract)",
                not missing,
                f"{tess}; languages: {', '.join(langs) or 'none'}"
                + (f"; missing: {', '.join(missing)}" if missing else ""),
            )
        )
    else:
        out.append(
            _check(
                "OCR (Tesseract)",
                False,
                "not installed: scans and photos get no text layer "
                "(Debian/Ubuntu: apt install tesseract-ocr tesseract-ocr-spa)",
            )
        )
    return out


def _word_check(ws: Workspace, case_id: int, scratch: Path) -> tuple[str, bool, str]:
    try:
        ws.export_letter_word(case_id, scratch / "letter.docx")
        size = (scratch / "letter.docx").stat().st_size
        return _check("Word export", size > 0, f"the demo letter as .docx, {size:,} bytes")
    except Exception as exc:  # doctor reports, never crashes
        return _check("Word export", False, str(exc))


def _ocr_check(ws: Workspace, case_id: int, scratch: Path) -> tuple[str, bool, str]:
    """A Spanish page drawn as a scan is read, and its language found."""
    from PIL import Image, ImageDraw, ImageFont

    lines = (
        "ACTA DE NACIMIENTO",
        "El registro civil de la ciudad certifica que la",
        "inscripcion de este nacimiento consta en el libro",
        "de registro de la municipalidad de Tegucigalpa.",
    )
    img = Image.new("L", (1700, 900), 255)
    draw = ImageDraw.Draw(img)
    try:
        font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.truetype(
            str(_resource_font()), 44
        )
    except OSError:
        font = ImageFont.load_default()
    for n, line in enumerate(lines):
        draw.text((120, 120 + 90 * n), line, fill=0, font=font)
    scan = scratch / "doctor-scan.png"  # a neutral name: no language guessed from it
    img.save(scan, dpi=(200, 200))
    try:
        [result] = ws.add_evidence(case_id, [scan])
        ws.run_ocr(case_id)
        words = ws.page_text(result.file_id, 0).text
        found = [p.language for p in ws.language_proposals(case_id) if p.file_id == result.file_id]
        ok = "NACIMIENTO" in words.upper() and found == ["Spanish"]
        detail = f"a scanned page read ({len(words.split())} words), language: " + (
            found[0] if found else "not found"
        )
        return _check("OCR reads a scan", ok, detail)
    except Exception as exc:  # doctor reports, never crashes
        return _check("OCR reads a scan", False, str(exc))


def _resource_font() -> Path:
    from importlib.resources import files

    return Path(str(files("pdpacket.resources") / "fonts" / "LiberationSans-Regular.ttf"))


def cmd_doctor(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="pdpacket-doctor-") as tmp:
        scratch = Path(tmp)
        results = _core_checks(args, scratch)
        packet = scratch / "demo.pdf"
        try:
            headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
            if headless and sys.platform.startswith("linux"):
                os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
            from pdpacket.ui.selfcheck import qt_checks

            results += qt_checks(str(packet) if packet.exists() else "", str(scratch))
        except ImportError as exc:
            results.append(_check("window", False, f"Qt cannot load: {exc}"))
    width = max(len(r[0]) for r in results)
    for name, ok, detail in results:
        print(f"{'ok ' if ok else 'FAIL'} {name:<{width}}  {detail}")
    failed = [r for r in results if not r[1]]
    return 1 if failed else 0


def open_window(data_dir: str | None, *, open_archive: str | None = None) -> int:
    # The command line is the entry point above the window; the window's Qt
    # libraries load only when the window is asked for.
    try:
        from pdpacket.ui import app
    except ImportError as exc:
        print(
            f"pdpacket: the window cannot start: {exc}.\n"
            "  On Debian/Ubuntu install the Qt libraries: sudo apt-get install libgl1 libegl1 "
            "libxkbcommon0 libxkbcommon-x11-0 libxcb-cursor0 libfontconfig1 libdbus-1-3",
            file=sys.stderr,
        )
        return 1
    return int(app.run(data_dir, open_archive=open_archive))

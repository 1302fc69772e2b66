#!/usr/bin/env python3
"""Set up pdpacket in a local virtual environment, then open the app or run the tests.

    python3 quickstart.py app     # set up and open the window (demo case on first start)
    python3 quickstart.py test    # set up and run the test suite
    python3 quickstart.py installer   # build this system's installer into dist/

Works on Linux, macOS and Windows (use ``py quickstart.py ...`` there).  Uses only
the standard library: it creates ``.venv`` beside this file, installs pdpacket
into it, and on Debian/Ubuntu installs (or names) the system libraries Qt and
the tests need.  Run it again at any time: it only does what is missing.
"""

from __future__ import annotations

import glob
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
MIN_PYTHON = (3, 11)

# Debian package -> a file that proves it is installed (checked with ldconfig / which).
QT_OFFSCREEN = {
    "libgl1": "libGL.so.1",
    "libegl1": "libEGL.so.1",
    "libxkbcommon0": "libxkbcommon.so.0",
    "libglib2.0-0": "libglib-2.0.so.0",
    "libx11-6": "libX11.so.6",
    "libdbus-1-3": "libdbus-1.so.3",
    "libfontconfig1": "libfontconfig.so.1",
    "libfreetype6": "libfreetype.so.6",
}
QT_WINDOW = {
    "libxcb-cursor0": "libxcb-cursor.so.0",
    "libxcb-icccm4": "libxcb-icccm.so.4",
    "libxcb-image0": "libxcb-image.so.0",
    "libxcb-keysyms1": "libxcb-keysyms.so.1",
    "libxcb-render-util0": "libxcb-render-util.so.0",
    "libxcb-shape0": "libxcb-shape.so.0",
    "libxcb-xkb1": "libxcb-xkb.so.1",
    "libxkbcommon-x11-0": "libxkbcommon-x11.so.0",
}
TEST_TOOLS = {
    "qpdf": "qpdf",
    "poppler-utils": "pdftotext",
    "mupdf-tools": "mutool",
    # the .docx export is checked by converting it to PDF (#13)
    "libreoffice-writer-nogui": "soffice",
}
# OCR of scans and photos (#15): Tesseract with English and Spanish; a probe
# starting with "/" is a file pattern, the others commands on PATH
OCR = {
    "tesseract-ocr": "tesseract",
    "tesseract-ocr-eng": "/usr/share/tesseract-ocr/*/tessdata/eng.traineddata",
    "tesseract-ocr-spa": "/usr/share/tesseract-ocr/*/tessdata/spa.traineddata",
}


def say(msg: str) -> None:
    print(f"[quickstart] {msg}", flush=True)


def venv_python() -> Path:
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def run(cmd: list[str], **kw: object) -> None:
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def ensure_python() -> None:
    if sys.version_info < MIN_PYTHON:
        sys.exit(
            f"pdpacket needs Python {MIN_PYTHON[0]}.{MIN_PYTHON[1]} or newer; this is "
            f"{sys.version.split()[0]}. Install a newer Python from python.org."
        )


def _have_lib(soname: str) -> bool:
    try:
        out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=False).stdout
    except FileNotFoundError:
        out = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, check=False
        ).stdout
    return soname in out


def _have_tool(probe: str) -> bool:
    if probe.startswith("/"):
        return bool(glob.glob(probe))
    return shutil.which(probe) is not None


def ensure_debian_packages(want: dict[str, str], libs: bool) -> None:
    """Install the missing Debian packages of ``want`` (root or sudo), else name them."""
    if not sys.platform.startswith("linux") or not shutil.which("apt-get"):
        return
    missing = [
        pkg for pkg, probe in want.items() if not (_have_lib(probe) if libs else _have_tool(probe))
    ]
    if not missing:
        return
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", *missing]
    if os.geteuid() != 0:
        if shutil.which("sudo"):
            cmd = ["sudo", *cmd]
        else:
            sys.exit(
                "Missing system packages: "
                + " ".join(missing)
                + "\nInstall them as root: apt-get install "
                + " ".join(missing)
            )
    say("installing system packages: " + " ".join(missing))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    update = (
        ["apt-get", "update", "-qq"] if cmd[0] != "sudo" else ["sudo", "apt-get", "update", "-qq"]
    )
    subprocess.run(update, check=False, env=env)
    run(cmd, env=env)


def ensure_venv(extras: str) -> Path:
    py = venv_python()
    if not py.exists():
        say(f"creating {VENV.relative_to(ROOT)}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    # Reinstall only when the project's dependencies changed.
    stamp = VENV / f".installed-{extras or 'base'}"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != digest:
        say("installing pdpacket and its dependencies (first time: a few minutes)")
        run([str(py), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        target = f".[{extras}]" if extras else "."
        run([str(py), "-m", "pip", "install", "--quiet", "-e", target], cwd=ROOT)
        stamp.write_text(digest)
    return py


def main(argv: list[str]) -> int:
    ensure_python()
    what = argv[0] if argv else "app"
    rest = argv[1:]
    if what == "app":
        ensure_debian_packages({**QT_OFFSCREEN, **QT_WINDOW}, libs=True)
        ensure_debian_packages(OCR, libs=False)
        py = ensure_venv("")
        return subprocess.call([str(py), "-m", "pdpacket", *rest])
    if what == "test":
        ensure_debian_packages(QT_OFFSCREEN, libs=True)
        ensure_debian_packages({**TEST_TOOLS, **OCR}, libs=False)
        py = ensure_venv("test")
        return subprocess.call([str(py), "-m", "pytest", *rest], cwd=ROOT)
    if what == "installer":
        # Linux: dpkg-deb builds the .deb; the frozen app is checked with the
        # Qt libraries of this machine (an icon is drawn offscreen)
        ensure_debian_packages({"dpkg-dev": "dpkg-deb"}, libs=False)
        ensure_debian_packages(QT_OFFSCREEN, libs=True)
        script = ROOT / "packaging" / "build_installer.py"
        return subprocess.call([sys.executable, str(script), *rest], cwd=ROOT)
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

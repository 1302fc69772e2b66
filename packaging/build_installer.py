"""Build the installer for the machine this runs on, into dist/ (#16).

    python3 quickstart.py installer          # calls this module's main()

1. A build venv (build/installer-venv) with the newest Python >= 3.12 found on
   the machine (3.11 otherwise, with a warning: the PySide6 reference guard is
   then still needed), pdpacket installed from a wheel (not editable: the frozen
   app must see the installed layout) and PyInstaller.
2. PyInstaller freezes the app (packaging/pdpacket.spec) into build/frozen/pdpacket.
3. The platform's package around it:
   - Linux (Debian/Ubuntu): dist/pdpacket_<version>_<arch>.deb (dpkg-deb).
   - Windows: dist/pdpacket-<version>-setup.exe (Inno Setup's iscc on PATH).
   - macOS: dist/pdpacket-<version>.dmg (hdiutil), holding pdpacket.app.

Standard library only: it runs before anything is installed.
"""

from __future__ import annotations

import glob
import os
import platform
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
BUILD = ROOT / "build"
DIST = ROOT / "dist"
BUILD_VENV = BUILD / "installer-venv"
FROZEN = BUILD / "frozen"

# What the frozen app needs from a Debian/Ubuntu system: Qt's platform plugin
# (xcb) and OpenGL loaders, fonts, D-Bus; Tesseract for OCR.  "a | b" covers
# Ubuntu 24.04's 64-bit time_t renames.
DEB_DEPENDS = [
    "libc6 (>= 2.36)",
    "libgl1",
    "libegl1",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
    "libglib2.0-0t64 | libglib2.0-0",
    "libx11-6",
    "libx11-xcb1",
    "libxkbcommon0",
    "libxkbcommon-x11-0",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-image0",
    "libxcb-keysyms1",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-xkb1",
    "libxcb-randr0",
    "libxcb-xinerama0",
    "tesseract-ocr",
    "tesseract-ocr-eng",
    "tesseract-ocr-spa",
]
DEB_RECOMMENDS = ["shared-mime-info", "desktop-file-utils", "xdg-utils", "fonts-liberation"]


def say(msg: str) -> None:
    print(f"[installer] {msg}", flush=True)


def run(cmd: list[str], **kw: object) -> None:
    say(" ".join(str(c) for c in cmd))
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def version() -> str:
    text = (ROOT / "pdpacket" / "_version.py").read_text(encoding="utf-8")
    m = re.search(r'__version__\s*=\s*"([^"]+)"', text)
    if not m:
        sys.exit("packaging: no __version__ in pdpacket/_version.py")
    return m.group(1)


def _usable(cmd: list[str]) -> str:
    """The interpreter's real path when ``cmd`` runs a Python >= 3.12 with venv, else ""."""
    probe = "import sys, venv; print(sys.executable if sys.version_info >= (3, 12) else '')"
    try:
        out = subprocess.run(
            [*cmd, "-c", probe], capture_output=True, text=True, check=False, timeout=60
        )
    except OSError:
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


def find_python() -> str:
    """The newest Python >= 3.12 on this machine that runs (a pyenv shim may not);
    this one (>= 3.11) otherwise."""
    candidates: list[list[str]] = []
    if os.name == "nt" and shutil.which("py"):
        candidates += [["py", f"-{v}"] for v in ("3.14", "3.13", "3.12")]
    candidates += [[n] for n in ("python3.14", "python3.13", "python3.12") if shutil.which(n)]
    pyenv = sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[2-9]*/bin/python3")))
    candidates += [[p] for p in reversed(pyenv)]
    for cmd in candidates:
        found = _usable(cmd)
        if found:
            return found
    say(
        f"no Python 3.12 or newer found: freezing with Python {platform.python_version()} "
        "(works; 3.12+ is preferred, see README)"
    )
    return sys.executable


def venv_bin(name: str) -> Path:
    sub = "Scripts" if os.name == "nt" else "bin"
    return BUILD_VENV / sub / (name + (".exe" if os.name == "nt" else ""))


def freeze() -> Path:
    """build/frozen/pdpacket (a folder; pdpacket.app on macOS)."""
    py = find_python()
    say(f"build venv with {py}")
    if BUILD_VENV.exists():
        shutil.rmtree(BUILD_VENV)
    run([py, "-m", "venv", str(BUILD_VENV)])
    pip = [str(venv_bin("python")), "-m", "pip", "install", "--quiet"]
    run([*pip, "--upgrade", "pip"])
    run([*pip, str(ROOT), "pyinstaller>=6.10"])
    if FROZEN.exists():
        shutil.rmtree(FROZEN)
    run(
        [
            str(venv_bin("pyinstaller")),
            "--noconfirm",
            "--clean",
            "--distpath",
            str(FROZEN),
            "--workpath",
            str(BUILD / "pyinstaller"),
            str(PACKAGING / "pdpacket.spec"),
        ],
        cwd=BUILD,  # not the source tree: its pdpacket/ must not shadow the installed one
    )
    app = FROZEN / ("pdpacket.app" if sys.platform == "darwin" else "pdpacket")
    say(f"frozen app: {app}")
    return app


def _icon_png(size: int, out: Path) -> None:
    """The app icon as PNG, drawn from the SVG by the build venv's Qt (offscreen)."""
    script = textwrap.dedent(
        f"""
        import sys
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QGuiApplication, QImage, QPainter
        from PySide6.QtSvg import QSvgRenderer
        app = QGuiApplication(["x"])
        img = QImage({size}, {size}, QImage.Format.Format_ARGB32)
        img.fill(Qt.GlobalColor.transparent)
        p = QPainter(img)
        QSvgRenderer(sys.argv[1]).render(p)
        p.end()
        sys.exit(0 if img.save(sys.argv[2]) else 1)
        """
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run(
        [str(venv_bin("python")), "-c", script, str(ROOT / "ui/icons/pdpacket.svg"), str(out)],
        env=env,
    )


def deb_arch() -> str:
    out = (
        shutil.which("dpkg")
        and subprocess.run(
            ["dpkg", "--print-architecture"], capture_output=True, text=True, check=False
        ).stdout.strip()
    )
    return out or {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), "amd64")


def build_deb(app: Path) -> Path:
    if not shutil.which("dpkg-deb"):
        sys.exit("packaging: dpkg-deb is missing (apt-get install dpkg-dev)")
    ver, arch = version(), deb_arch()
    root = BUILD / "deb" / f"pdpacket_{ver}_{arch}"
    if root.exists():
        shutil.rmtree(root)
    opt = root / "opt" / "pdpacket"
    shutil.copytree(app, opt, symlinks=True)
    bindir = root / "usr" / "bin"
    bindir.mkdir(parents=True)
    (bindir / "pdpacket").symlink_to("/opt/pdpacket/pdpacket")
    linux = PACKAGING / "linux"
    share = root / "usr" / "share"
    for rel, src in (
        ("applications/pdpacket.desktop", linux / "pdpacket.desktop"),
        ("mime/packages/pdpacket.xml", linux / "pdpacket-mime.xml"),
        ("icons/hicolor/scalable/apps/pdpacket.svg", ROOT / "ui/icons/pdpacket.svg"),
        (
            "icons/hicolor/scalable/mimetypes/application-x-pdpacket.svg",
            ROOT / "ui/icons/pdpacket.svg",
        ),
        ("doc/pdpacket/copyright", linux / "copyright"),
    ):
        dest = share / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)
    png = share / "icons/hicolor/256x256/apps/pdpacket.png"
    png.parent.mkdir(parents=True)
    _icon_png(256, png)
    size_kb = (
        sum(f.stat().st_size for f in root.rglob("*") if f.is_file() and not f.is_symlink()) // 1024
    )
    debian = root / "DEBIAN"
    debian.mkdir()
    control = f"""\
        Package: pdpacket
        Version: {ver}
        Architecture: {arch}
        Maintainer: pdpacket developers <pdpacket@localhost>
        Installed-Size: {size_kb}
        Depends: {", ".join(DEB_DEPENDS)}
        Recommends: {", ".join(DEB_RECOMMENDS)}
        Section: utils
        Priority: optional
        Homepage: https://example.invalid/pdpacket
        Description: prosecutorial-discretion request packets for immigration attorneys
         pdpacket walks an attorney or paralegal through a removal case and builds the
         exhibit packet asking ICE/OPLA or the immigration court for prosecutorial
         discretion: index, tabs, translations, page numbers, bookmarks. Offline: it
         never uses the network. Carries its own Python runtime and Qt.
        """
    (debian / "control").write_text(textwrap.dedent(control), encoding="utf-8")
    # The desktop database and MIME cache are refreshed by dpkg triggers of
    # desktop-file-utils and shared-mime-info when they are installed.
    DIST.mkdir(exist_ok=True)
    out = DIST / f"pdpacket_{ver}_{arch}.deb"
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", str(root), str(out)])
    return out


def build_windows(app: Path) -> Path:
    iscc = shutil.which("iscc") or shutil.which("ISCC")
    if not iscc:
        sys.exit(
            "packaging: Inno Setup's iscc is not on PATH (winget install JRSoftware.InnoSetup); "
            f"the frozen app is in {app}"
        )
    DIST.mkdir(exist_ok=True)
    run(
        [
            iscc,
            f"/DAppVersion={version()}",
            f"/DFrozenDir={app}",
            f"/O{DIST}",
            str(PACKAGING / "windows" / "pdpacket.iss"),
        ]
    )
    return DIST / f"pdpacket-{version()}-setup.exe"


def build_macos(app: Path) -> Path:
    DIST.mkdir(exist_ok=True)
    out = DIST / f"pdpacket-{version()}.dmg"
    stage = BUILD / "dmg"
    if stage.exists():
        shutil.rmtree(stage)
    stage.mkdir(parents=True)
    shutil.copytree(app, stage / "pdpacket.app", symlinks=True)
    (stage / "Applications").symlink_to("/Applications")
    identity = os.environ.get("PDPACKET_CODESIGN_IDENTITY")
    if identity:  # see README "Signing": Developer ID + hardened runtime, then notarize the .dmg
        run(
            [
                "codesign",
                "--deep",
                "--force",
                "--options",
                "runtime",
                "--sign",
                identity,
                str(stage / "pdpacket.app"),
            ]
        )
    out.unlink(missing_ok=True)
    run(
        [
            "hdiutil",
            "create",
            "-volname",
            "pdpacket",
            "-srcfolder",
            str(stage),
            "-format",
            "UDZO",
            str(out),
        ]
    )
    return out


def main(argv: list[str] | None = None) -> int:
    argv = list(argv or [])
    app = freeze()
    if "--freeze-only" in argv:
        return 0
    if sys.platform.startswith("linux"):
        out = build_deb(app)
    elif sys.platform == "win32":
        out = build_windows(app)
    elif sys.platform == "darwin":
        out = build_macos(app)
    else:
        sys.exit(f"packaging: no installer format for {sys.platform}; the frozen app is in {app}")
    say(f"built {out} ({out.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

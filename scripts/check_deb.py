#!/usr/bin/env python3
"""Install the .deb in a bare Debian 12 root filesystem and check it works (#16).

    sudo python3 scripts/check_deb.py dist/pdpacket_0.1.0_amd64.deb

1. A Debian 12 "minbase" root (debootstrap) is made once and kept in
   --cache (default /var/tmp/pdpacket-deb12-base); each run works on a fresh copy.
2. Python is not there (minbase has none; the check fails if it is, and after the
   install too: the package must not pull Python in).
3. `apt install ./pdpacket_….deb` as a user would, from Debian's archive.
4. Checks: `pdpacket --version`, `pdpacket demo --out FILE` (a PDF), the window kept
   up 20 seconds (offscreen), `pdpacket doctor`, the desktop entry and the
   .pdpacket file type in place (shared-mime-info knows *.pdpacket), and that
   `pdpacket open ARCHIVE` starts on an exported archive.

Needs root (chroot, mount), debootstrap, and access to a Debian mirror.
Prints one line per check; exits 1 when any failed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

MIRROR = "http://deb.debian.org/debian"


def sh(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, text=True, capture_output=True, check=False, **kw)  # type: ignore[call-overload]


class Chroot:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.mounts: list[Path] = []

    def __enter__(self) -> Chroot:
        for kind, target in (("proc", "proc"), ("sysfs", "sys")):
            path = self.root / target
            subprocess.run(["mount", "-t", kind, kind, str(path)], check=True)
            self.mounts.append(path)
        dev = self.root / "dev"
        subprocess.run(["mount", "--bind", "/dev", str(dev)], check=True)
        self.mounts.append(dev)
        shutil.copy2("/etc/resolv.conf", self.root / "etc" / "resolv.conf")
        return self

    def __exit__(self, *exc: object) -> None:
        for path in reversed(self.mounts):
            subprocess.run(["umount", "-l", str(path)], check=False)

    def run(self, script: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
        env = {
            "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "HOME": "/root",
            "LANG": "C.UTF-8",
            "DEBIAN_FRONTEND": "noninteractive",
        }
        return subprocess.run(
            ["chroot", str(self.root), "/bin/sh", "-c", script],
            text=True,
            capture_output=True,
            check=False,
            env=env,
            timeout=timeout,
        )


def make_base(cache: Path, suite: str) -> None:
    if (cache / "etc" / "debian_version").exists():
        return
    if not shutil.which("debootstrap"):
        sys.exit("check_deb: debootstrap is missing (apt-get install debootstrap)")
    print(f"debootstrap --variant=minbase {suite} {cache} (once)", flush=True)
    cache.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(["debootstrap", "--variant=minbase", suite, str(cache), MIRROR], check=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("deb", type=Path)
    ap.add_argument("--suite", default="bookworm")
    ap.add_argument("--cache", type=Path, default=Path("/var/tmp/pdpacket-deb12-base"))
    ap.add_argument("--work", type=Path, default=Path("/var/tmp/pdpacket-deb12-check"))
    ap.add_argument("--keep", action="store_true", help="keep the work root afterwards")
    args = ap.parse_args(argv)
    if os.geteuid() != 0:
        sys.exit("check_deb: run as root (it uses chroot and mount)")
    deb = args.deb.resolve()
    if not deb.is_file():
        sys.exit(f"check_deb: {deb}: no such file; build it with `python3 quickstart.py installer`")

    make_base(args.cache, args.suite)
    if args.work.exists():
        subprocess.run(["umount", "-R", "-l", str(args.work)], check=False, capture_output=True)
        shutil.rmtree(args.work)
    subprocess.run(["cp", "-a", str(args.cache), str(args.work)], check=True)
    shutil.copy2(deb, args.work / "tmp" / deb.name)

    results: list[tuple[str, bool, str]] = []

    def check(name: str, ok: bool, detail: str = "") -> None:
        results.append((name, ok, detail))
        print(f"{'ok ' if ok else 'FAIL'} {name}  {detail}", flush=True)

    with Chroot(args.work) as root:
        r = root.run("command -v python3 || ls /usr/bin/python3* 2>/dev/null")
        check("bare system: no Python", r.stdout.strip() == "", r.stdout.strip())
        t0 = time.monotonic()
        r = root.run(f"apt-get update -qq && apt install -y -q /tmp/{deb.name}")
        check(
            "apt install ./pdpacket.deb",
            r.returncode == 0,
            f"{time.monotonic() - t0:.0f} s" if r.returncode == 0 else r.stderr[-800:],
        )
        if r.returncode != 0:
            return 1
        r = root.run("command -v python3; ls /usr/bin/python3* 2>/dev/null; true")
        check("still no Python after the install", r.stdout.strip() == "", r.stdout.strip())
        r = root.run("pdpacket --version")
        check("pdpacket --version", r.returncode == 0, (r.stdout + r.stderr).strip())
        r = root.run(
            "PDPACKET_HOME=/tmp/home pdpacket demo --out /tmp/demo.pdf && head -c 5 /tmp/demo.pdf"
        )
        check(
            "pdpacket demo --out FILE", r.returncode == 0 and "%PDF-" in r.stdout, r.stderr[-300:]
        )
        r = root.run(
            "PDPACKET_HOME=/tmp/home QT_QPA_PLATFORM=offscreen timeout 20 pdpacket; echo rc=$?",
            timeout=120,
        )
        up = "rc=124" in r.stdout and "Traceback" not in r.stderr
        check("window up for 20 s (offscreen)", up, r.stdout.strip() + " " + r.stderr[-300:])
        r = root.run("PDPACKET_HOME=/tmp/home pdpacket doctor", timeout=300)
        check(
            "pdpacket doctor",
            r.returncode == 0,
            "\n    " + r.stdout.strip().replace("\n", "\n    "),
        )
        r = root.run(
            "test -f /usr/share/applications/pdpacket.desktop && grep -E '^(Exec|MimeType)=' /usr/share/applications/pdpacket.desktop"
        )
        check(
            "desktop entry",
            r.returncode == 0 and "application/x-pdpacket" in r.stdout,
            r.stdout.strip(),
        )
        r = root.run("grep -h pdpacket /usr/share/mime/globs2")
        check(".pdpacket file type (shared-mime-info)", "*.pdpacket" in r.stdout, r.stdout.strip())
        r = root.run(
            "grep -h x-pdpacket /usr/share/applications/mimeinfo.cache 2>/dev/null || "
            "echo 'no mimeinfo.cache'"
        )
        check("file type opens with pdpacket", "pdpacket.desktop" in r.stdout, r.stdout.strip())
        r = root.run("test -x /opt/pdpacket/pdpacket && readlink -f /usr/bin/pdpacket")
        check("command on PATH", r.stdout.strip() == "/opt/pdpacket/pdpacket", r.stdout.strip())
        r = root.run(
            "export PDPACKET_HOME=/tmp/home; pdpacket export 1 --out /tmp/case.pdpacket >/dev/null && "
            "PDPACKET_HOME=/tmp/home2 QT_QPA_PLATFORM=offscreen timeout 15 pdpacket open /tmp/case.pdpacket; "
            "echo rc=$?; PDPACKET_HOME=/tmp/home2 pdpacket list | wc -l",
            timeout=120,
        )
        # the fresh data folder holds the demo case (first start) and the imported one
        lines = r.stdout.split()
        imported = "rc=124" in r.stdout and lines and lines[-1].isdigit() and int(lines[-1]) >= 2
        check("opening a .pdpacket imports it", bool(imported), r.stdout.strip() + r.stderr[-300:])
        r = root.run("du -sk /opt/pdpacket | cut -f1")
        check(
            "installed size", True, f"{int(r.stdout.strip() or 0) / 1024:.0f} MB in /opt/pdpacket"
        )
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)
    failed = [n for n, ok, _ in results if not ok]
    print(f"\n{len(results) - len(failed)} of {len(results)} checks passed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())

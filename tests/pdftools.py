"""Helpers that make test inputs and read packets with tools other than pypdf
(qpdf, poppler), so a packet test never trusts the library that wrote the file."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas


def make_pdf(path: Path, texts: list[str], pagesize: tuple[float, float] = letter) -> Path:
    """A text PDF with one page per entry of ``texts``."""
    c = canvas.Canvas(str(path), pagesize=pagesize, invariant=True)
    for text in texts:
        c.setFont("Helvetica", 14)
        c.drawString(72, pagesize[1] / 2, text)
        c.showPage()
    c.save()
    return path


def tool(name: str) -> str:
    """The path of an independent PDF checker; the test fails if CI forgot it."""
    found = shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: quickstart.py test installs it (apt-get)")
    return found


def run_tool(*args: str) -> str:
    res = subprocess.run([tool(args[0]), *args[1:]], capture_output=True, text=True, check=False)
    if res.returncode not in (0, 3):  # qpdf: 3 = warnings
        raise AssertionError(f"{' '.join(args)} failed ({res.returncode}): {res.stderr}")
    return res.stdout


def qpdf_check(path: Path) -> None:
    res = subprocess.run(
        [tool("qpdf"), "--check", str(path)], capture_output=True, text=True, check=False
    )
    assert res.returncode == 0, f"qpdf --check failed: {res.stdout}\n{res.stderr}"


def qpdf_json(path: Path, key: str) -> Any:
    return json.loads(run_tool("qpdf", "--json", f"--json-key={key}", str(path)))


def outline_titles(path: Path) -> list[tuple[str, int, int]]:
    """(title, depth, 1-based page) of every bookmark, read by qpdf, not pypdf."""
    out: list[tuple[str, int, int]] = []

    def walk(items: list[dict[str, Any]], depth: int) -> None:
        for item in items:
            out.append((item["title"], depth, (item.get("destpageposfrom1") or 0)))
            walk(item.get("kids", []), depth + 1)

    walk(qpdf_json(path, "outlines")["outlines"], 0)
    return out


def page_text(path: Path, page: int) -> str:
    return run_tool("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-")


def pdfinfo(path: Path) -> dict[str, str]:
    info = {}
    for line in run_tool("pdfinfo", str(path)).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            info[k.strip()] = v.strip()
    return info

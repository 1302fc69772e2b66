"""The installed app's commands (#16): `pdpacket open ARCHIVE` (what the desktop
entry and the .pdpacket file type run), a bare `pdpacket FILE.pdpacket`, and
`pdpacket doctor` (what IT runs after installing)."""

from __future__ import annotations

import configparser
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import pdpacket.cli.desktop as desktop
from pdpacket.cli import main
from pdpacket.cli.desktop import archive_argument

ROOT = Path(__file__).resolve().parents[2]


def test_a_double_clicked_archive_means_open(tmp_path: Path) -> None:
    archive = tmp_path / "Rosa Prueba.pdpacket"
    archive.write_bytes(b"x")
    assert archive_argument([str(archive)]) == ["open", str(archive)]
    # anything else is left alone: a missing file, another suffix, a command
    assert archive_argument([str(tmp_path / "gone.pdpacket")]) == [str(tmp_path / "gone.pdpacket")]
    assert archive_argument(["list"]) == ["list"]
    assert archive_argument([]) == []


def test_open_passes_the_archive_to_the_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}

    def fake_window(data_dir: str | None, *, open_archive: str | None = None) -> int:
        seen.update(data_dir=data_dir, archive=open_archive)
        return 0

    monkeypatch.setattr(desktop, "open_window", fake_window)
    archive = tmp_path / "case.pdpacket"
    archive.write_bytes(b"x")
    assert main(["--data-dir", str(tmp_path / "d"), str(archive)]) == 0
    assert seen == {"data_dir": str(tmp_path / "d"), "archive": str(archive.resolve())}
    assert main(["open"]) == 0 and seen["archive"] is None


def test_open_names_a_missing_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["open", str(tmp_path / "nope.pdpacket")]) == 2
    err = capsys.readouterr().err
    assert "nope.pdpacket: no such file" in err and "case archive" in err


def test_doctor_checks_what_the_app_needs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    code = main(["--data-dir", str(tmp_path / "data"), "doctor"])
    out = capsys.readouterr().out
    lines = {line.split()[1]: line for line in out.splitlines() if line.strip()}
    for name in ("pdpacket", "data", "demo", "Word", "window", "PDF", "printing"):
        assert lines[name].startswith("ok"), out
    if shutil.which("tesseract"):  # a Spanish scan is read and its language found
        scan = next(line for line in out.splitlines() if "OCR reads a scan" in line)
        assert scan.startswith("ok") and "language: Spanish" in scan, out
    assert "pages built" in lines["demo"] and "pages read" in lines["PDF"]
    # the OCR line says what is missing rather than failing silently
    assert "OCR" in out
    assert code == (0 if all(x.startswith("ok") for x in lines.values()) else 1)


def test_doctor_says_how_to_install_tesseract_when_it_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setattr("shutil.which", lambda name, *a, **k: None)
    assert main(["--data-dir", str(tmp_path / "data"), "doctor"]) == 1
    out = capsys.readouterr().out
    assert "FAIL OCR (Tesseract)" in out and "apt install tesseract-ocr" in out


def test_the_desktop_entry_opens_archives_with_pdpacket() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "packaging/linux/pdpacket.desktop", encoding="utf-8")
    de = entry["Desktop Entry"]
    assert de["Exec"] == "pdpacket open %f" and de["Icon"] == "pdpacket"
    mime = ET.parse(ROOT / "packaging/linux/pdpacket-mime.xml").getroot()
    ns = {"m": "http://www.freedesktop.org/standards/shared-mime-info"}
    kind = mime.find("m:mime-type", ns)
    assert kind is not None and kind.get("type") + ";" == de["MimeType"]
    glob = kind.find("m:glob", ns)
    assert glob is not None and glob.get("pattern") == "*.pdpacket"

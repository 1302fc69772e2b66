"""Printing from the app and the editions in the Build step (#7).

Printing goes to Qt's PDF printer (QPrinter.OutputFormat.PdfFormat to a file),
which is then read with poppler: page count, page size, the 300-dpi images,
and a render compared with the print edition's own page.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pdpacket.ui.dialogs
import pytest
from pdpacket.ui import print_support
from pdpacket.ui.printer import make_printer
from PIL import Image, ImageChops, ImageFilter, ImageStat
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrinter

from pdpacket.errors import PdpacketError
from pdpacket.model import BuildOptions, Client, Proceedings
from tests.core.packet_fixtures import add_exhibit, page_count, text_pdf
from tests.evidence_gen import marked_picture
from tests.pdftools import pdfinfo, run_tool

from .helpers import drop_files, wait_jobs


def pdf_printer(path: Path, pages: int) -> QPrinter:
    printer = make_printer(pages)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


@pytest.fixture
def print_edition(workspace, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    case_id = workspace.create_case(
        Client(name="Print Client", a_number="201555077"),
        Proceedings(court_id="new-york-broadway", pd_form="dismissal"),
    )
    add_exhibit(workspace, case_id, "Letter of support", text_pdf(["SUPPORT", "PAGE TWO"]))
    add_exhibit(workspace, case_id, "Pay stub", text_pdf(["EDGE TO EDGE"], full_bleed=True))
    result = workspace.build_edition(
        case_id, tmp_path / "out", BuildOptions(edition="print", build_date=dt.date(2026, 5, 4))
    )
    return Path(result.path)


def render(path: Path, page: int, out: Path, dpi: int = 50) -> Image.Image:
    stem = out / f"{path.stem}-{page}"
    run_tool(
        "pdftoppm",
        *("-r", str(dpi), "-gray", "-png", "-singlefile", "-f", str(page), "-l", str(page)),
        *(str(path), str(stem)),
    )
    return Image.open(stem.with_suffix(".png")).convert("L")


def looks_the_same(want: Image.Image, got: Image.Image) -> bool:
    """Same ink in the same place: the dark content's box within 2 pixels (at 50 dpi)
    and, blurred over the anti-aliasing, nearly the same greys."""
    assert got.size == want.size
    boxes = [im.point(lambda v: 255 if v < 200 else 0).getbbox() for im in (want, got)]
    if boxes[0] is None or boxes[1] is None:
        return boxes[0] == boxes[1]
    if max(abs(a - b) for a, b in zip(*boxes, strict=True)) > 2:
        return False
    blur = ImageFilter.GaussianBlur(2)
    return ImageStat.Stat(ImageChops.difference(want.filter(blur), got.filter(blur))).mean[0] < 4


def test_pages_go_to_the_printer_at_300_dpi_and_100_percent(
    qapp, print_edition: Path, tmp_path: Path
) -> None:
    printed = tmp_path / "printed.pdf"
    n = page_count(print_edition)
    printer = pdf_printer(printed, n)
    sent = print_support.render_to_printer(print_edition, printer)
    assert sent == n == page_count(printed)
    assert re.match(r"612(\.\d+)? x 792(\.\d+)? pts", pdfinfo(printed)["Page size"])
    images = run_tool("pdfimages", "-list", str(printed)).splitlines()[2:]
    assert len(images) == n
    for line in images:
        cols = line.split()
        assert (cols[3], cols[4], cols[12], cols[13]) == ("2550", "3300", "300", "300")
    # each printed page looks like the page of the print edition, at the same place
    for page in range(1, n + 1):
        assert looks_the_same(
            render(print_edition, page, tmp_path), render(printed, page, tmp_path)
        )
    # the evidence page keeps its top inch white (two-hole fasteners)
    stub = render(printed, n, tmp_path)
    top = stub.crop((0, 0, stub.width, stub.height * 72 // 792))
    assert ImageStat.Stat(top).mean[0] > 250
    stub.save(tmp_path / "look-printed-pay-stub.png")


def test_page_range_and_copies(qapp, print_edition: Path, tmp_path: Path) -> None:
    printed = tmp_path / "range.pdf"
    printer = pdf_printer(printed, page_count(print_edition))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    printer.setCopyCount(2)
    assert print_support.render_to_printer(print_edition, printer) == 4
    assert page_count(printed) == 4
    pages = [render(printed, p, tmp_path) for p in range(1, 5)]
    cover, second = render(print_edition, 2, tmp_path), render(print_edition, 3, tmp_path)
    for got, want in zip(pages, [cover, second, cover, second], strict=True):  # collated
        assert looks_the_same(want, got)
    assert not looks_the_same(cover, second)


def test_a_range_outside_the_packet_says_so(qapp, print_edition: Path, tmp_path: Path) -> None:
    printer = pdf_printer(tmp_path / "x.pdf", 3)
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(40, 41)
    with pytest.raises(PdpacketError) as err:
        print_support.render_to_printer(print_edition, printer)
    assert "40-41" in err.value.message


def test_print_packet_asks_then_prints(
    qapp, print_edition: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    printed = tmp_path / "asked.pdf"
    asked: list[int] = []

    def ask(parent, pages):  # type: ignore[no-untyped-def]
        asked.append(pages)
        return pdf_printer(printed, pages) if len(asked) == 1 else None

    monkeypatch.setattr(pdpacket.ui.dialogs, "ask_printer", ask)
    assert print_support.print_packet(None, print_edition) == page_count(print_edition)
    assert asked == [page_count(print_edition)] and printed.exists()
    assert print_support.print_packet(None, print_edition) == 0  # the dialog was cancelled


# ---- the Build step ------------------------------------------------------------------------
def photos(folder: Path, count: int) -> list[Path]:
    noise = Image.effect_noise((1600, 1200), 30).convert("RGB")
    out = []
    for n in range(count):
        im = Image.blend(marked_picture((1600, 1200), text=f"PHOTO {n}"), noise, 0.1)
        path = folder / f"photo_{n}.jpg"
        im.save(path, "JPEG", quality=92)
        out.append(path)
    return out


def open_build(qtbot, window, workspace, evidence_dir, files):  # type: ignore[no-untyped-def]
    case_id = workspace.create_case(
        Client(name="Ruiz Printing", a_number="201555088"),
        Proceedings(opla_office_id="new-york-city", pd_form="dismissal"),
    )
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("evidence")
    drop_files(window.step("evidence"), files)
    wait_jobs(qtbot, window)
    window.go_to_step("build")
    return case_id, window.step("build")


def choose(build, name: str, value: object) -> None:  # type: ignore[no-untyped-def]
    w = build.option_widgets[name]
    if hasattr(w, "findData"):
        w.setCurrentIndex(w.findData(value))
    else:
        w.setValue(value)


def test_build_step_edition_selector_builds_parts_and_the_email(
    qtbot, window, workspace, evidence_dir, tmp_path
) -> None:
    _case_id, build = open_build(qtbot, window, workspace, evidence_dir, photos(evidence_dir, 8))
    edition = build.option_widgets["edition"]
    assert [edition.itemData(i) for i in range(edition.count())] == [
        "standard",
        "efile",
        "email",
        "print",
    ]
    assert not build.option_widgets["max_mb"].isEnabled()
    choose(build, "edition", "email")
    assert build.option_widgets["max_mb"].isEnabled()
    choose(build, "max_mb", 0.5)
    out = tmp_path / "packets" / "ruiz.pdf"
    build.output.setText(str(out))
    build.build_button.click()
    wait_jobs(qtbot, window)
    result = build.last_result
    assert result is not None and len(result.parts) >= 2
    assert all(Path(p).stat().st_size <= 500_000 for p in result.parts)
    text = build.result.label.text()
    assert (
        f"{len(result.parts)} parts" in text and "ruiz (e-mail)_Part1.pdf" in text
    )  # each edition its own name
    assert "E-mail subject: PD Request - Ruiz Printing - A201-555-088 (Part 1 of" in text
    assert build.copy_email_button.isVisible()
    build.copy_email_button.click()
    assert QGuiApplication.clipboard().text() == result.email_text
    window.grab().save(str(tmp_path / "look-build-step-email.png"))
    # the print options are for Print… and Save print-ready PDF, whatever the edition
    choose(build, "edition", "print")
    assert build.option_widgets["duplex"].isEnabled()
    assert not build.option_widgets["max_mb"].isEnabled()


def test_print_button_builds_the_print_edition_once_and_prints_it(
    qtbot, window, workspace, evidence_dir, tmp_path, monkeypatch
) -> None:
    case_id, build = open_build(qtbot, window, workspace, evidence_dir, photos(evidence_dir, 2))
    out = tmp_path / "packets" / "ruiz.pdf"
    build.output.setText(str(out))
    printed: list[Path] = []

    def ask(parent, pages):  # type: ignore[no-untyped-def]
        printed.append(tmp_path / f"printed{len(printed)}.pdf")
        return pdf_printer(printed[-1], pages)

    monkeypatch.setattr(pdpacket.ui.dialogs, "ask_printer", ask)
    build.print_button.click()  # nothing built yet: the print edition is built first
    wait_jobs(qtbot, window)
    edition = out.with_name("ruiz_Print.pdf")
    assert edition.exists() and "PRINTING AND COPIES" in run_tool(
        "pdftotext", "-f", "1", "-l", "1", str(edition), "-"
    )
    assert page_count(printed[0]) == page_count(edition)
    builds = len(workspace.store.list_builds(case_id))
    build.print_button.click()  # still current: printed again without building
    wait_jobs(qtbot, window)
    assert len(workspace.store.list_builds(case_id)) == builds
    assert page_count(printed[1]) == page_count(edition)
    build.option_widgets["duplex"].setChecked(True)  # different options: built again
    build.print_button.click()
    wait_jobs(qtbot, window)
    assert len(workspace.store.list_builds(case_id)) == builds + 1


def test_save_print_ready_pdf(qtbot, window, workspace, evidence_dir, tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    _case_id, build = open_build(qtbot, window, workspace, evidence_dir, photos(evidence_dir, 2))
    build.output.setText(str(tmp_path / "packets" / "ruiz.pdf"))
    target = tmp_path / "shop" / "for the print shop.pdf"
    suggested: list[str] = []
    monkeypatch.setattr(
        pdpacket.ui.dialogs, "pick_save_path", lambda parent, s: suggested.append(s) or str(target)
    )
    build.save_print_button.click()
    wait_jobs(qtbot, window)
    assert suggested == [str(tmp_path / "packets" / "ruiz_Print.pdf")]
    assert target.exists()
    first = run_tool("pdftotext", "-f", "1", "-l", "1", str(target), "-")
    assert "PRINTING AND COPIES" in first
    assert build.last_result is not None and build.last_result.edition == "print"
    monkeypatch.setattr(pdpacket.ui.dialogs, "pick_save_path", lambda parent, s: "")
    build.save_print_button.click()  # cancelled: nothing happens
    assert build.job is None

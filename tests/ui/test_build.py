"""Build step: options from BuildOptions, cancel, errors, history, print."""

from __future__ import annotations

import dataclasses

import pdpacket.ui.dialogs
import pytest
from pdpacket.ui.steps.build import HIDDEN_OPTIONS
from pdpacket.ui.workers import SignalProgress
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter

from pdpacket.model import BuildOptions, Client, NumberingStyle
from tests.pdftools import make_pdf, pdfinfo, qpdf_check

from .helpers import drop_files, wait_jobs


def open_case(qtbot, window, workspace, evidence_dir, n_files: int):  # type: ignore[no-untyped-def]
    case_id = workspace.create_case(Client(name="Build Client", a_number="201555099"))
    window.cases.refresh()
    window.open_case(case_id)
    if n_files:
        window.go_to_step("evidence")
        files = [
            make_pdf(evidence_dir / f"doc_{n}.pdf", [f"doc {n}", "p2"]) for n in range(n_files)
        ]
        drop_files(window.step("evidence"), files)
        wait_jobs(qtbot, window)
    window.go_to_step("build")
    return case_id, window.step("build")


@pytest.fixture
def out(tmp_path):  # type: ignore[no-untyped-def]
    return tmp_path / "packets" / "packet.pdf"


def test_the_options_panel_follows_build_options(qtbot, window, workspace, evidence_dir, out):
    case_id, build = open_case(qtbot, window, workspace, evidence_dir, 0)
    names = {f.name for f in dataclasses.fields(BuildOptions)} - HIDDEN_OPTIONS
    assert set(build.option_widgets) == names
    numbering = build.option_widgets["numbering"]
    prefix = build.option_widgets["bates_prefix"]
    assert not prefix.isEnabled()
    numbering.setCurrentIndex(numbering.findData(NumberingStyle.BATES.value))
    assert prefix.isEnabled()
    prefix.setText("RUIZ-")
    prefix.editingFinished.emit()
    assert build.options().numbering == NumberingStyle.BATES
    assert build.options().bates_prefix == "RUIZ-"
    # stored with the case: shown again after switching cases
    other = workspace.create_case(Client(name="Other"))
    window.cases.refresh()
    window.open_case(other)
    assert build.options().numbering == NumberingStyle.PLAIN
    window.open_case(case_id)
    assert build.options().bates_prefix == "RUIZ-"


def test_building_an_empty_case_explains_what_to_do(
    qtbot, window, workspace, evidence_dir, out, errors
):
    _case_id, build = open_case(qtbot, window, workspace, evidence_dir, 0)
    build.output.setText(str(out))
    build.build_button.click()
    wait_jobs(qtbot, window)
    (report,) = errors.take()
    assert report.severity == "warning" and report.hint
    assert not out.exists()
    assert build.build_button.isEnabled() and not build.progress.isVisible()


def test_cancel_a_build_leaves_no_packet(qtbot, window, workspace, evidence_dir, out, monkeypatch):
    case_id, build = open_case(qtbot, window, workspace, evidence_dir, 5)
    build.output.setText(str(out))
    original = SignalProgress.update
    held: list[bool] = []

    def update(self, done, total, message):  # type: ignore[no-untyped-def]
        original(self, done, total, message)
        if not held:  # hold the build at its first report until the user cancels
            held.append(True)
            self._job.cancel_token._event.wait(20)

    monkeypatch.setattr(SignalProgress, "update", update)
    qtbot.mouseClick(build.build_button, Qt.MouseButton.LeftButton)
    build.job.progress.connect(lambda *_: build.cancel_button.click())
    wait_jobs(qtbot, window)
    assert held
    assert not out.exists()
    assert list(out.parent.glob("*")) == [] if out.parent.exists() else True
    assert "Build cancelled" in build.result.label.text()
    assert workspace.store.list_builds(case_id) == []
    assert build.build_button.isEnabled()


def test_history_lists_each_build_and_opens_it(
    qtbot, window, workspace, evidence_dir, out, monkeypatch
):
    _case_id, build = open_case(qtbot, window, workspace, evidence_dir, 2)
    build.output.setText(str(out))
    build.build_button.click()
    wait_jobs(qtbot, window)
    qpdf_check(out)
    second = out.with_name("second.pdf")
    build.output.setText(str(second))
    window.build_action.trigger()  # Ctrl+B
    wait_jobs(qtbot, window)
    assert build.history.rowCount() == 2
    newest = build.history.builds[0]
    assert newest.path == str(second.resolve())
    m = build.history
    assert m.data(m.index(0, 1)) == newest.status
    assert m.data(m.index(0, 2)) == str(newest.pages)
    assert m.data(m.index(0, 4)).startswith(newest.sha256[:12])
    opened: list[str] = []
    monkeypatch.setattr(pdpacket.ui.dialogs, "open_file", lambda p: opened.append(p) or True)
    monkeypatch.setattr(
        pdpacket.ui.dialogs, "show_in_folder", lambda p: opened.append("folder:" + p) or True
    )
    build._open_build(1)
    build.folder_button.click()
    assert opened == [str(out.resolve()), f"folder:{second}"]


def test_print_sends_every_page(qtbot, window, workspace, evidence_dir, out, tmp_path, monkeypatch):
    _case_id, build = open_case(qtbot, window, workspace, evidence_dir, 2)
    build.output.setText(str(out))
    build.build_button.click()
    wait_jobs(qtbot, window)
    printed = tmp_path / "printed.pdf"

    def ask_printer(parent, pages):  # type: ignore[no-untyped-def]
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return printer

    monkeypatch.setattr(pdpacket.ui.dialogs, "ask_printer", ask_printer)
    build.print_button.click()
    wait_jobs(qtbot, window)
    # Print sends the print edition (#7), built first beside the packet: the packet's
    # pages and its copies sheet
    print_edition = out.with_name("packet_Print.pdf")
    assert int(pdfinfo(print_edition)["Pages"]) == int(pdfinfo(out)["Pages"]) + 1
    assert int(pdfinfo(printed)["Pages"]) == int(pdfinfo(print_edition)["Pages"])

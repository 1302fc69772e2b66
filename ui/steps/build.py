"""Step 6: packet options, Build (progress and Cancel), then Open / Show in
folder / Print, and the packets built before."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import logging
import re
import typing
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QGuiApplication, QResizeEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import Workspace
from pdpacket.errors import CancelledError, NotReadyError, PdpacketError
from pdpacket.model import BuildOptions, BuildResult
from pdpacket.model.identifiers import parse_date
from pdpacket.model.progress import CancelToken

from .. import dialogs, print_support
from ..context import CaseContext
from ..flow import FlowLayout
from ..models import BuildHistoryModel
from ..style import Banner, State, hint, human_size
from ..workers import Job, SignalProgress
from .base import Step, StepStatus

log = logging.getLogger("ui.build")

# How each BuildOptions field is shown.  Fields not named here still get a
# control from their type (bool, enum, str, int, date), so options the builder
# adds appear without a change here.
OPTION_TEXT: dict[str, tuple[str, dict[str, str]]] = {
    "numbering": (
        "Page &numbers",
        {"plain": "12  (plain)", "of_total": "Page 12 of 340", "bates": "Bates: PREFIX-000012"},
    ),
    "bates_prefix": ("&Bates prefix", {}),
    "certificate_of_service": (
        "&Certificate of service",
        {"auto": "As the destination says", "yes": "Add one", "no": "Leave it out"},
    ),
    "service_method": (
        "Served &by",
        {"ecas": "ECAS (electronic filing)", "mail": "First-class mail", "hand": "In person"},
    ),
    "service_address": ("Served &on (address)", {}),
    "include_cover": ("Co&ver page", {}),
    "include_index": ("&Index of exhibits", {}),
    "factor_table": ("E&xhibits by factor, after the index", {}),
    "keep_original_size": ("&Keep original page sizes (no fitting to letter)", {}),
    "build_date": ("&Date on the packet", {}),
    # the editions
    "edition": (
        "&Edition",
        {
            "standard": "Standard: one PDF",
            "efile": "E-filing (ECAS): files of at most 25 MB",
            "email": "E-mail to OPLA: under the office's limit",
            "print": "Print: copies sheet, top inch clear",
        },
    ),
    "max_mb": ("Largest &file, MB (0: usual)", {}),
    "jpeg_quality": ("Photos' JPEG &quality (0: keep)", {}),
    # used by Print… and Save print-ready PDF whatever the edition chosen above
    "duplex": ("Print double-&sided (blank backs)", {}),
    "clear_top": ("Print with the &top inch clear", {}),
    "copies_court": ("Copies for the co&urt", {}),
    "copies_opla": ("Copies for OPL&A", {}),
    "copies_client": ("Copies for the c&lient", {}),
}
EDITION_OPTIONS = frozenset(
    {
        "edition",
        "max_mb",
        "jpeg_quality",
        "duplex",
        "clear_top",
        "copies_court",
        "copies_opla",
        "copies_client",
    }
)
# ``final`` is the "Build final" button, not a setting kept between builds;
# ``draft_reasons`` is filled in by the workspace from the review.
HIDDEN_OPTIONS: set[str] = {"final", "draft_reasons"}
ENABLED_WHEN: dict[str, tuple[str, object]] = {
    "bates_prefix": ("numbering", "bates"),
    "service_method": ("certificate_of_service", "yes"),
    "service_address": ("certificate_of_service", "yes"),
    # a tuple: any of these values
    "max_mb": ("edition", ("efile", "email")),
    "jpeg_quality": ("edition", ("efile", "email")),
}
RANGES: dict[str, tuple[float, float]] = {  # spin boxes that are not 0..1,000,000
    "max_mb": (0, 1000),
    "jpeg_quality": (0, 95),
    "copies_court": (0, 20),
    "copies_opla": (0, 20),
    "copies_client": (0, 20),
}


# a yes/no that may also be left to the case (``bool | None``): kept as words
TRISTATE = {None: "auto", True: "yes", False: "no"}


def _tristate(kind: Any) -> bool:
    return set(typing.get_args(kind)) == {bool, type(None)}


def options_to_json(options: BuildOptions) -> dict[str, Any]:
    out: dict[str, Any] = {}
    hints = typing.get_type_hints(BuildOptions)
    for f in dataclasses.fields(options):
        v = getattr(options, f.name)
        if _tristate(hints.get(f.name)):
            v = TRISTATE.get(v, "auto")
        elif isinstance(v, enum.Enum):
            v = v.value
        elif isinstance(v, dt.date):
            v = v.isoformat()
        out[f.name] = v
    return out


def options_from_json(data: dict[str, Any]) -> BuildOptions:
    hints = typing.get_type_hints(BuildOptions)
    values: dict[str, Any] = {}
    for f in dataclasses.fields(BuildOptions):
        if f.name not in data:
            continue
        raw, kind = data[f.name], hints.get(f.name)
        try:
            values[f.name] = _convert(raw, kind)
        except (ValueError, TypeError, PdpacketError):
            log.info("ignoring stored build option %s=%r", f.name, raw)
    return BuildOptions(**values)


def _convert(raw: Any, kind: Any) -> Any:
    enum_type = _enum_type(kind)
    if enum_type is not None:
        return enum_type(raw)
    if _is_date(kind):
        return parse_date(raw, "date on the packet") if raw else None
    if _tristate(kind):  # an older stored False was the default: left to the case now
        return {"yes": True, True: True, "no": False}.get(raw)
    if kind is bool:
        return bool(raw)
    if kind is int:
        return int(raw)
    if kind is float:
        return float(raw)
    return raw


def _enum_type(kind: Any) -> type[enum.Enum] | None:
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return kind
    for arg in typing.get_args(kind):
        if isinstance(arg, type) and issubclass(arg, enum.Enum):
            return arg
    return None


def _is_date(kind: Any) -> bool:
    return kind is dt.date or dt.date in typing.get_args(kind)


def draft_text(reasons: typing.Sequence[str]) -> str:
    """What the step says about a draft: how many review errors, and which."""
    n = len(reasons)
    return (
        f"DRAFT: {n} review error{'' if n == 1 else 's'} (every page says DRAFT; fix them "
        "and use Build final for a packet to file):\n" + "\n".join(f"• {r}" for r in reasons)
    )


EDITION_SUFFIXES = {"efile": "e-filing", "email": "e-mail", "print": "print"}


def edition_output(path: Path, edition: str) -> Path:
    """``Name.pdf`` for the standard packet, ``Name (e-filing).pdf`` for the e-filing
    edition and so on: building one edition never replaces another's file."""
    suffix = EDITION_SUFFIXES.get(edition)
    if not suffix or path.stem.endswith(f"({suffix})"):
        return path
    return path.with_name(f"{path.stem} ({suffix}){path.suffix}")


def safe_filename(text: str) -> str:
    text = re.sub(r"[^\w\s().,-]", "", text, flags=re.UNICODE)
    return " ".join(text.split())[:120] or "packet"


def print_pdf(path: str, printer: QPrinter, cancel: CancelToken, progress: SignalProgress) -> int:
    """Print a PDF at 300 dpi, page range and copies from the dialog (runs in a
    worker: QPainter on a QPrinter is allowed).  See ``ui.print_support``."""
    return print_support.render_to_printer(path, printer, cancel=cancel, progress=progress)


class BuildStep(Step):
    key = "build"
    title = "Build"
    intro = (
        "Choose how the packet is numbered and what it includes, then build it. The "
        "packet is written in one go: a failed or cancelled build never leaves half a file."
    )

    # stays long: lays out the options, editions and history in reading order
    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.job: Job | None = None
        self.print_job: Job | None = None
        self.last_result: BuildResult | None = None
        self._loading = False
        col = QVBoxLayout(self.body)
        self.margins(col)

        # --- options ---
        box = QGroupBox("Packet options")
        # two columns: values on the left, on/off choices on the right
        outer = QVBoxLayout(box)
        columns = QHBoxLayout()
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.checks = QVBoxLayout()
        columns.addLayout(self.form, 3)
        columns.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        columns.addLayout(self.checks, 2)
        outer.addLayout(columns)
        # the editions in a box of their own, laid out the same way
        edition_box = QGroupBox("Edition and printing")
        edition_columns = QHBoxLayout(edition_box)
        self.edition_form = QFormLayout()
        self.edition_form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.edition_checks = QVBoxLayout()
        edition_columns.addLayout(self.edition_form, 3)
        edition_columns.addSpacing(self.fontMetrics().averageCharWidth() * 3)
        edition_columns.addLayout(self.edition_checks, 2)
        # side by side when there is room, one under the other in a narrow window
        self._columns = (columns, edition_columns)
        self.option_widgets: dict[str, QWidget] = {}
        self._build_option_widgets()
        self.checks.addStretch(1)
        self.edition_checks.addStretch(1)
        self.service_hint = hint()
        outer.addWidget(self.service_hint)
        col.addWidget(box)
        col.addWidget(edition_box)

        # --- output ---
        out_box = QGroupBox("Save the packet as")
        ol = QHBoxLayout(out_box)
        self.output = QLineEdit()
        self.output.setObjectName("outputPath")
        self.output.setAccessibleName("Packet file")
        self.output.editingFinished.connect(self._save_output)
        choose = QPushButton("C&hoose…")
        choose.setAccessibleName("Choose where to save the packet")
        choose.clicked.connect(self._choose_output)
        ol.addWidget(self.output, 1)
        ol.addWidget(choose)
        col.addWidget(out_box)

        # --- build ---
        row = QHBoxLayout()
        self.build_button = QPushButton("&Build packet")
        self.build_button.setObjectName("buildButton")
        self.build_button.setDefault(True)
        self.build_button.setToolTip("Build the packet (Ctrl+B)")
        self.build_button.clicked.connect(lambda: self.build())
        self.final_button = QPushButton("Build final")
        self.final_button.setObjectName("buildFinalButton")
        # no mnemonic: every letter of it is taken on this step (and Alt+F opens File)
        self.final_button.setAccessibleName("Build the final packet")
        self.final_button.setToolTip(
            "Build a packet to file: refused, naming each error, while the review has "
            "errors (Build packet makes a draft that says DRAFT on every page)"
        )
        self.final_button.clicked.connect(lambda: self.build(final=True))
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Build progress")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the build")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        row.addWidget(self.build_button)
        row.addWidget(self.final_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        row.addStretch(0)
        col.addLayout(row)
        self.result = Banner("ok")
        self.result.setObjectName("buildResult")
        col.addWidget(self.result)
        actions = FlowLayout()  # wraps in a narrow window
        self.open_button = QPushButton("&Open")
        self.open_button.setAccessibleName("Open the packet")
        self.open_button.clicked.connect(lambda: self._open(self.current_path()))
        self.folder_button = QPushButton("Show in &folder")
        self.folder_button.clicked.connect(lambda: self._show_folder(self.current_path()))
        self.print_button = QPushButton("&Print…")
        self.print_button.setToolTip(
            "Print the print edition (copies sheet, tab sheets, top inch clear) at 300 dpi"
        )
        self.print_button.clicked.connect(lambda: self.print_packet())
        self.save_print_button = QPushButton("Save print-&ready PDF…")
        self.save_print_button.setObjectName("savePrintReady")
        self.save_print_button.setToolTip("Build the print edition as a PDF for a print shop")
        self.save_print_button.clicked.connect(lambda: self.save_print_ready())
        self.copy_email_button = QPushButton("Copy e-&mail text")
        self.copy_email_button.setObjectName("copyEmail")
        self.copy_email_button.setToolTip(
            "Copy the e-mail's subject and body (e-mail edition) to paste into your mail program"
        )
        self.copy_email_button.clicked.connect(lambda: self.copy_email())
        self.copy_email_button.setVisible(False)
        for b in (
            self.open_button,
            self.folder_button,
            self.print_button,
            self.save_print_button,
            self.copy_email_button,
        ):
            actions.addWidget(b)
        col.addLayout(actions)

        # --- history ---
        hist = QGroupBox("Packets built for this case")
        hl = QVBoxLayout(hist)
        self.history = BuildHistoryModel(self)
        self.table = QTableView()
        self.table.setTabKeyNavigation(False)  # one Tab stop; arrows move inside
        self.table.setObjectName("buildHistory")
        self.table.setAccessibleName("Packets built before")
        self.table.setModel(self.history)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            BuildHistoryModel.FILE_COLUMN, QHeaderView.ResizeMode.Stretch
        )
        self.table.doubleClicked.connect(lambda idx: self._open_build(idx.row()))
        self.table.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)
        self.history_empty = hint("No packet built yet.")
        hl.addWidget(self.history_empty)
        hl.addWidget(self.table)
        col.addWidget(hist)
        col.addStretch(1)
        ctx.buildsChanged.connect(self._load_history)
        self._folder = self.packet_folder()
        ctx.settingsChanged.connect(self._folder_changed)

    # ---- options from BuildOptions' fields ------------------------------------------
    def _build_option_widgets(self) -> None:
        hints = typing.get_type_hints(BuildOptions)
        for f in dataclasses.fields(BuildOptions):
            if f.name in HIDDEN_OPTIONS:
                continue
            kind = hints.get(f.name)
            label, choices = OPTION_TEXT.get(
                f.name, ("&" + f.name.replace("_", " ").capitalize(), {})
            )
            widget: QWidget
            enum_type = _enum_type(kind)
            if kind is bool:
                widget = QCheckBox(label)
                widget.toggled.connect(self._option_changed)
                (self.edition_checks if f.name in EDITION_OPTIONS else self.checks).addWidget(
                    widget
                )
            else:
                if enum_type is not None or choices:
                    combo = QComboBox()
                    values = [m.value for m in enum_type] if enum_type else list(choices)
                    for v in values:
                        combo.addItem(choices.get(str(v), str(v).replace("_", " ")), v)
                    combo.currentIndexChanged.connect(self._option_changed)
                    widget = combo
                elif kind is int:
                    spin = QSpinBox()
                    spin.setRange(0, 1_000_000)
                    spin.valueChanged.connect(self._option_changed)
                    widget = spin
                elif kind is float:
                    dspin = QDoubleSpinBox()
                    dspin.setRange(0, 1_000_000)
                    dspin.valueChanged.connect(self._option_changed)
                    widget = dspin
                else:
                    edit = QLineEdit()
                    if _is_date(kind):
                        edit.setPlaceholderText("Empty: the day it is built (YYYY-MM-DD)")
                    edit.editingFinished.connect(self._option_changed)
                    widget = edit
                lab = QLabel(label + ":")
                lab.setBuddy(widget)
                (self.edition_form if f.name in EDITION_OPTIONS else self.form).addRow(lab, widget)
            widget.setObjectName(f"option_{f.name}")
            widget.setAccessibleName(label.replace("&", ""))
            if f.name in RANGES:
                lo, hi = RANGES[f.name]
                if isinstance(widget, QSpinBox):
                    widget.setRange(int(lo), int(hi))
                elif isinstance(widget, QDoubleSpinBox):
                    widget.setRange(lo, hi)
            self.option_widgets[f.name] = widget

    def options(self) -> BuildOptions:
        data: dict[str, Any] = {}
        for name, w in self.option_widgets.items():
            if isinstance(w, QCheckBox):
                data[name] = w.isChecked()
            elif isinstance(w, QComboBox):
                data[name] = w.currentData()
            elif isinstance(w, QSpinBox | QDoubleSpinBox):
                data[name] = w.value()
            elif isinstance(w, QLineEdit):
                data[name] = w.text().strip()
        return options_from_json(data)

    def _show_options(self, options: BuildOptions) -> None:
        self._loading = True
        try:
            values = options_to_json(options)
            for name, w in self.option_widgets.items():
                v = values.get(name)
                if isinstance(w, QCheckBox):
                    w.setChecked(bool(v))
                elif isinstance(w, QComboBox):
                    w.setCurrentIndex(max(0, w.findData(v)))
                elif isinstance(w, QSpinBox):
                    w.setValue(int(v or 0))
                elif isinstance(w, QDoubleSpinBox):
                    w.setValue(float(v or 0))
                elif isinstance(w, QLineEdit):
                    w.setText("" if v is None else str(v))
        finally:
            self._loading = False
        self._update_enabled()

    def _update_enabled(self) -> None:
        values = options_to_json(self.options())
        for name, (other, wanted) in ENABLED_WHEN.items():
            w = self.option_widgets.get(name)
            if w is not None:
                value = values.get(other)
                w.setEnabled(value in wanted if isinstance(wanted, tuple) else value == wanted)
        if self.ctx.has_case:
            dest = self.ctx.workspace.destination(self.ctx.case_id)
            if dest.certificate_of_service:
                how = "through ECAS" if dest.service_method == "ecas" else "by mail or hand"
                said = f"a certificate of service {how}"
            else:
                said = "no certificate of service"
            self.service_hint.setText(
                f"Where it goes: {dest.label}. The destination means {said}; "
                "choosing otherwise is a review error."
            )

    def _option_changed(self, *_: object) -> None:
        self._update_enabled()
        if self._loading or not self.ctx.has_case:
            return
        try:
            options = self.options()
        except PdpacketError as exc:
            self.ctx.fail(exc, action="reading the packet options")
            return
        self.ctx.workspace.set_setting(
            f"build_options.{self.ctx.case_id}", options_to_json(options)
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        narrow = event.size().width() < self.fontMetrics().averageCharWidth() * 95
        direction = QBoxLayout.Direction.TopToBottom if narrow else QBoxLayout.Direction.LeftToRight
        for layout in self._columns:
            if layout.direction() != direction:
                layout.setDirection(direction)

    # ---- output file -------------------------------------------------------------------
    def packet_folder(self) -> Path:
        """Settings' packet folder, else Documents/pdpacket."""
        return Path(
            self.ctx.workspace.setting("packet_folder", "")
            or Path(
                QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
                or Path.home()
            )
            / "pdpacket"
        )

    def _folder_changed(self) -> None:
        """Settings chose another packet folder: a packet that was going to the old
        one goes to the new one now (a folder chosen for this case stays)."""
        old, new = self._folder, self.packet_folder()
        self._folder = new
        if not self.ctx.has_case or old == new:
            return
        current = Path(self.output.text().strip() or self.default_output()).expanduser()
        if current.parent == old:
            self.output.setText(str(new / current.name))
            self._save_output()

    def default_output(self) -> str:
        folder = self.packet_folder()
        case = self.ctx.case()
        name = safe_filename(f"{case.client.name} {case.client.a_number_display} PD packet")
        return str(Path(folder) / f"{name}.pdf")

    def _choose_output(self) -> None:
        path = dialogs.pick_save_path(self, self.output.text() or self.default_output())
        if path:
            self.output.setText(path)
            self._save_output()

    def _save_output(self) -> None:
        if self.ctx.has_case and not self._loading:
            self.ctx.workspace.set_setting(
                f"build_output.{self.ctx.case_id}", self.output.text().strip()
            )

    def output_path(self) -> Path:
        text = self.output.text().strip() or self.default_output()
        path = Path(text).expanduser()
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        return path

    # ---- loading -----------------------------------------------------------------------
    def load(self) -> None:
        ws = self.ctx.workspace
        self._folder = self.packet_folder()
        stored = ws.setting(f"build_options.{self.ctx.case_id}", None)
        self._show_options(  # a first build starts from the destination's edition
            options_from_json(stored)
            if isinstance(stored, dict)
            else ws.default_build_options(self.ctx.case_id)
        )
        self._loading = True
        self.output.setText(
            ws.setting(f"build_output.{self.ctx.case_id}", "") or self.default_output()
        )
        self._loading = False
        self.result.set_text("")
        self.last_result = None
        self._load_history()

    def _load_history(self) -> None:
        if not self.ctx.has_case:
            return
        builds = self.ctx.workspace.builds(self.ctx.case_id)
        self.history.set_builds(builds)
        self.table.setVisible(bool(builds))
        self.history_empty.setVisible(not builds)
        fm = self.table.fontMetrics()
        for col, sample in (
            (0, "2026-12-31 23:59"),
            (1, "Unchecked"),
            (2, "Pages"),
            (3, "999.9 MB"),
            (4, "0123456789ab…"),
        ):
            self.table.setColumnWidth(col, fm.horizontalAdvance(sample) + fm.height() * 2)
        self._update_actions()
        self.statusChanged.emit()

    def current_path(self) -> str:
        if self.last_result is not None:
            return self.last_result.path
        b = self.history.build_at(0)
        return b.path if b else ""

    def _update_actions(self) -> None:
        path = self.current_path()
        exists = bool(path) and Path(path).exists()
        busy = self.job is not None
        for b in (self.open_button, self.folder_button):
            b.setEnabled(exists and not busy)
        can_build = self.ctx.has_case and not busy and self.print_job is None
        self.print_button.setEnabled(can_build)  # builds the print edition first if need be
        self.save_print_button.setEnabled(can_build)

    # ---- building ---------------------------------------------------------------------
    def build(self, *, final: bool = False) -> None:
        """Build with the options shown: a draft while the review has errors, or,
        with ``final``, a packet to file (refused while the review has errors)."""
        if not self.ctx.has_case or self.job is not None:
            return
        window = self.ctx.window
        flush = getattr(window, "flush_steps", None)
        if callable(flush):
            flush()
        try:
            options = self.options()
        except PdpacketError as exc:
            self.ctx.fail(exc, action="reading the packet options")
            return
        out = self.output_path()
        self.output.setText(str(out))
        self._save_output()
        # each edition its own name: a packet already served is never overwritten by another
        out = edition_output(out, options.edition)
        self._start_build(dataclasses.replace(options, final=final), out)

    def _start_build(
        self,
        options: BuildOptions,
        out: Path,
        then: typing.Callable[[BuildResult], None] | None = None,
    ) -> None:
        """Build in a worker; ``then`` runs with the result once it is shown."""
        case_id = self.ctx.case_id
        self._then = then
        self._building_options = options

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> BuildResult:
            if ws.ocr_pending(case_id):  # scanned pages get their text layer first
                ws.run_ocr(case_id, progress=progress, cancel=cancel)
                cancel.raise_if_cancelled()
            return ws.build_packet(case_id, out, options, progress=progress, cancel=cancel)

        self.result.set_text("")
        self.progress.setRange(0, 0)
        self.progress.setFormat("Preparing…")
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.build_button.setEnabled(False)
        self.final_button.setEnabled(False)
        self.job = self.ctx.runner.submit(work, "build packet")
        self.job.progress.connect(self._progress)
        self.job.succeeded.connect(self._built)
        self.job.failed.connect(self._failed)
        self._update_actions()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat("Cancelling…")
        if self.print_job is not None:
            self.print_job.cancel()

    def _progress(self, done: int, total: int, message: str) -> None:
        self.progress.setRange(0, max(1, total))
        self.progress.setValue(done)
        self.progress.setFormat(message)

    def _end(self) -> None:
        self.job = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.build_button.setEnabled(True)
        self.final_button.setEnabled(True)
        self._update_actions()

    def _built(self, result: BuildResult) -> None:
        self._end()
        self.last_result = result
        self._last_options = getattr(self, "_building_options", None)
        text = f"Packet built: {result.pages} pages, {human_size(result.size)}.\n{result.path}"
        if result.parts:
            sizes = result.part_sizes or (0,) * len(result.parts)
            text = (
                f"Packet built in {len(result.parts)} parts, {result.pages} pages: "
                + ", ".join(
                    f"{Path(p).name} ({human_size(n)})"
                    for p, n in zip(result.parts, sizes, strict=True)
                )
                + f".\n{Path(result.path).parent}"
            )
        if result.email_subject:
            text += f"\nE-mail subject: {result.email_subject}\nE-mail text: {result.email_path}"
        if result.warnings:
            text += "\nCheck: " + " ".join(result.warnings)
        if result.draft_reasons:
            text = draft_text(result.draft_reasons) + "\n" + text
        else:
            text = "Final: the review has no errors; no page says DRAFT.\n" + text
        kind = "warning" if result.warnings or result.draft_reasons else "ok"
        self.result.set_text(text, kind)
        self.copy_email_button.setVisible(bool(result.email_text))
        self.ctx.say(
            f"{'Draft' if result.draft_reasons else 'Packet'} built: {result.pages} pages."
        )
        self.ctx.buildsChanged.emit()
        then, self._then = getattr(self, "_then", None), None
        if then is not None:
            then(result)

    def _failed(self, exc: BaseException) -> None:
        self._end()
        self._then = None
        if isinstance(exc, CancelledError):
            self.result.set_text(
                "Build cancelled. No packet was written; an earlier packet with the same "
                "name is untouched.",
                "warning",
            )
            self.ctx.say("Build cancelled.")
            return
        if isinstance(exc, NotReadyError):
            # Not a failure to report but the answer to "Build final": the
            # errors stay on the step, next to the buttons that fix or draft.
            self.result.set_text(f"{exc.message}\n{exc.hint}", "error")
            self.ctx.say("Not built: the review has errors.")
            return
        self.result.set_text("")
        self.ctx.fail(exc, action="building the packet")

    # ---- opening and printing -------------------------------------------------------------
    def _open(self, path: str) -> None:
        if path and Path(path).exists() and not dialogs.open_file(path):
            self._no_viewer(path)

    def _no_viewer(self, path: str) -> None:
        """Opening a PDF did nothing: say so, and where the file is."""
        self.result.set_text(
            f"No program to open PDF files was found on this computer. The packet is "
            f"saved at {path}: use Show in folder, or install a PDF viewer.",
            "warning",
        )
        self.ctx.say("No PDF viewer found: the packet was not opened.")

    def _show_folder(self, path: str) -> None:
        if path and not dialogs.show_in_folder(path):
            self.ctx.say(f"No file manager could be opened; the folder is {Path(path).parent}.")

    def _open_build(self, row: int) -> None:
        b = self.history.build_at(row)
        if b is None:
            return
        if Path(b.path).exists():
            if not dialogs.open_file(b.path):
                self._no_viewer(b.path)
        else:
            self.ctx.say(f"{Path(b.path).name} was moved or deleted; build the packet again.")

    def print_packet(self) -> None:
        """Print the print edition: the one just built when it is still current,
        else it is built first (beside the packet, ``<name>_Print.pdf``)."""
        if not self.ctx.has_case or self.job is not None or self.print_job is not None:
            return
        try:
            options = print_support.print_ready_options(self.options())
        except PdpacketError as exc:
            self.ctx.fail(exc, action="reading the packet options")
            return
        ready = self._current_print_edition(options)
        if ready:
            self._print(ready)
            return
        out = print_support.print_ready_path(self.output_path())
        self._start_build(options, out, then=lambda result: self._print(result.path))

    def _current_print_edition(self, options: BuildOptions) -> str:
        r = self.last_result
        if r is None or r.edition != "print" or not Path(r.path).exists():
            return ""
        if getattr(self, "_last_options", None) != options:
            return ""
        builds = self.ctx.workspace.builds(self.ctx.case_id)
        if not builds or builds[0].id != r.build_id:
            return ""
        return r.path if builds[0].created_at >= self.ctx.case().updated_at else ""

    def save_print_ready(self) -> None:
        """Build the print edition where the user chooses (for a print shop)."""
        if not self.ctx.has_case or self.job is not None:
            return
        try:
            options = print_support.print_ready_options(self.options())
        except PdpacketError as exc:
            self.ctx.fail(exc, action="reading the packet options")
            return
        suggested = print_support.print_ready_path(self.output_path())
        path = dialogs.pick_save_path(self, str(suggested))
        if not path:
            return
        self._start_build(
            options,
            Path(path),
            then=lambda result: self.ctx.say(f"Print-ready PDF saved: {Path(result.path).name}."),
        )

    def copy_email(self) -> None:
        r = self.last_result
        if r is not None and r.email_text:
            QGuiApplication.clipboard().setText(r.email_text)
            self.ctx.say("E-mail subject and text copied.")

    def _print(self, path: str) -> None:
        if not path or not Path(path).exists() or self.print_job is not None:
            return
        latest = self.history.build_at(0)
        n = self.last_result.pages if self.last_result else (latest.pages if latest else 1)
        printer = dialogs.ask_printer(self, n)
        if printer is None:
            return

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> int:
            return print_pdf(path, printer, cancel, progress)

        self.progress.setRange(0, 0)
        self.progress.setFormat("Printing…")
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.print_job = self.ctx.runner.submit(work, "print packet")
        self.print_job.progress.connect(self._progress)
        self.print_job.succeeded.connect(self._printed)
        self.print_job.failed.connect(self._print_failed)
        self._printer = printer  # keep it alive while the worker paints on it

    def _printed(self, pages: int) -> None:
        self.print_job = None
        self._end()
        self.ctx.say(f"Sent {pages} pages to the printer.")

    def _print_failed(self, exc: BaseException) -> None:
        self.print_job = None
        self._end()
        if not isinstance(exc, CancelledError):
            self.ctx.fail(exc, action="printing the packet")

    # ---- status ------------------------------------------------------------------------------
    def first_focus(self) -> QWidget | None:
        return self.build_button

    def status(self) -> StepStatus:
        if not self.ctx.has_case:
            return StepStatus(State.EMPTY, "")
        builds = self.ctx.workspace.builds(self.ctx.case_id)
        if not builds:
            return StepStatus(State.EMPTY, "Not built yet")
        case = self.ctx.case()
        if builds[0].created_at >= case.updated_at and builds[0].final is False:
            return StepStatus(
                State.PARTIAL,
                f"Draft, {builds[0].pages} pages",
                "The last packet is a draft (DRAFT on every page): fix the review's "
                "errors and build final.",
            )
        if builds[0].created_at >= case.updated_at:
            return StepStatus(State.DONE, f"Built, {builds[0].pages} pages")
        return StepStatus(
            State.PARTIAL,
            "Changed since built",
            "The case changed after the last packet: build it again.",
        )

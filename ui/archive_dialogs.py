"""Case archives and database backups in the window (File menu).

    Export case…           one .pdpacket file, optionally encrypted with a password
    Import case archive…   a new case from an archive (asks for the password if needed)
    Backups…               the rolling backups: back up now, restore one

``ArchiveActions`` does the work for the main window; every long job runs in
the window's worker helper with a progress dialog and Cancel.  The pickers and
dialogs are module functions / ``ask`` class methods, so tests replace them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QStatusBar,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import (
    ArchiveCaseExistsError,
    ArchivePasswordRequiredError,
    ArchiveWrongPasswordError,
    Workspace,
)
from pdpacket.errors import CancelledError, PdpacketError
from pdpacket.model import ArchiveInfo, BackupInfo
from pdpacket.model.progress import CancelToken

from . import dialogs
from .case_list import CaseListPanel
from .context import CaseContext
from .errors import show_exception
from .steps import Step
from .style import RED, Banner, hint, human_size
from .workers import Job, SignalProgress, TaskRunner


class ArchiveWindow(Protocol):
    """What the actions drive in the main window (which is one; named by its
    parts, so this module does not import the window that imports it)."""

    workspace: Workspace
    runner: TaskRunner
    ctx: CaseContext
    cases: CaseListPanel
    steps: list[Step]

    def flush_steps(self) -> bool: ...
    def go_to_step(self, key: str) -> None: ...
    def open_case(self, case_id: int) -> None: ...
    def show_no_case(self) -> None: ...
    def statusBar(self) -> QStatusBar: ...


ARCHIVE_FILTER = "pdpacket case archive (*.pdpacket);;All files (*)"
MIN_PASSWORD = 8
REASONS = {
    "daily": "daily",
    "migration": "before an update",
    "restore": "before a restore",
    "manual": "made by hand",
}
# jobs that only read the database: a restore may go ahead while they run
READ_ONLY_JOBS = (
    "review",
    "letter preview",
    "thumbnails",
    "pages of ",  # the Pages view drawing an exhibit's pages
    "print packet",
    "export letter",
)


# ---- pickers ------------------------------------------------------------------------------
def pick_archive_save_path(parent: QWidget | None, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, "Export the case as", suggested, ARCHIVE_FILTER)
    if path and not path.lower().endswith(".pdpacket"):
        path += ".pdpacket"
    return str(path)


def pick_archive_open_path(parent: QWidget | None) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "Import a case archive", "", ARCHIVE_FILTER)
    return str(path)


def local_time(iso: str) -> str:
    try:
        when = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return when.astimezone().strftime("%Y-%m-%d %H:%M")


# ---- passwords ----------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportChoice:
    password: str | None  # None: not encrypted


class ExportPasswordDialog(QDialog):
    """Encrypt the archive? A password typed twice."""

    def __init__(self, client_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export case")
        self.encrypt = QCheckBox("&Protect the archive with a password")
        self.encrypt.setChecked(True)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm.setAccessibleName("Password again")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {RED};")
        self.encrypt.toggled.connect(self._toggled)
        form = QFormLayout()
        form.addRow("Pass&word:", self.password)
        form.addRow("&Again:", self.confirm)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                f"The archive holds the whole case of {client_name}: the client's data and "
                "every evidence file. With a password it is encrypted (AES-256); without "
                "the password nobody can open it, and it cannot be recovered."
            )
        )
        layout.addWidget(self.encrypt)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)

    def _toggled(self, on: bool) -> None:
        self.password.setEnabled(on)
        self.confirm.setEnabled(on)
        self.error.setText("")

    def problem(self) -> str:
        if not self.encrypt.isChecked():
            return ""
        pw = self.password.text()
        if len(pw) < MIN_PASSWORD:
            return f"Use at least {MIN_PASSWORD} characters (a short sentence is best)."
        if pw != self.confirm.text():
            return "The two passwords are not the same. Type them again."
        return ""

    def _accept(self) -> None:
        problem = self.problem()
        self.error.setText(problem)
        if problem:
            self.password.setFocus()
            return
        self.accept()

    def value(self) -> ExportChoice:
        return ExportChoice(self.password.text() if self.encrypt.isChecked() else None)

    @classmethod
    def ask(cls, parent: QWidget | None, client_name: str) -> ExportChoice | None:
        dlg = cls(client_name, parent)
        return dlg.value() if dlg.exec() == QDialog.DialogCode.Accepted else None


class ArchivePasswordDialog(QDialog):
    """The password of an encrypted archive (again, after a wrong one)."""

    def __init__(self, filename: str, retry: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Archive password")
        label = QLabel(
            f"The password did not open {filename}. Check it and type it again."
            if retry
            else f"{filename} is protected by a password. Type it to import the case."
        )
        label.setWordWrap(True)
        if retry:
            label.setStyleSheet(f"color: {RED};")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(f"Password of {filename}")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.password)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 55)

    @classmethod
    def ask(cls, parent: QWidget | None, filename: str, retry: bool = False) -> str | None:
        dlg = cls(filename, retry, parent)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.password.text():
            return str(dlg.password.text())
        return None


# ---- progress -----------------------------------------------------------------------------
def progress_dialog(parent: QWidget, job: Job, title: str) -> QProgressDialog:
    """A window-modal progress dialog with Cancel, shown after half a second and
    closed when ``job`` ends."""
    dlg = QProgressDialog(title, "Cancel", 0, 0, parent)
    dlg.setWindowTitle(title)
    dlg.setWindowModality(Qt.WindowModality.WindowModal)
    dlg.setMinimumDuration(500)
    dlg.setAutoClose(False)
    dlg.setAutoReset(False)

    def update(done: int, total: int, message: str) -> None:
        dlg.setMaximum(max(1, total))
        dlg.setValue(min(done, max(1, total)))
        dlg.setLabelText(message or title)

    job.progress.connect(update)
    dlg.canceled.connect(job.cancel)
    job.finished.connect(dlg.close)
    job.finished.connect(dlg.deleteLater)
    return dlg


# ---- the backups dialog ---------------------------------------------------------------------
class BackupsDialog(QDialog):
    """The kept backups, newest first: Back up now, Restore…, how many to keep."""

    def __init__(self, actions: ArchiveActions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.archive_actions = actions
        self.setWindowTitle("Backups")
        self.setObjectName("backupsDialog")
        self.backups: list[BackupInfo] = []
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "pdpacket copies its database once a day, before an update and before a "
                "restore. A restore puts the whole database (every case) back as it was "
                "then; the current state is backed up first, so a restore can be undone."
            )
        )
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("backupTable")
        self.table.setTabKeyNavigation(False)  # one Tab stop; arrows move inside
        self.table.setAccessibleName("Backups, newest first")
        self.table.setHorizontalHeaderLabels(["Made", "Why", "Size"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _idx: self.restore_selected())
        layout.addWidget(self.table, 1)
        self.result_banner = Banner("ok")
        layout.addWidget(self.result_banner)
        row = QHBoxLayout()
        self.backup_button = QPushButton("&Back up now")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("&Restore…")
        self.restore_button.clicked.connect(self.restore_selected)
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        keep_label = QLabel("&Keep the newest:")
        self.keep = QSpinBox()
        self.keep.setRange(1, 999)
        self.keep.setAccessibleName("How many backups are kept")
        self.keep.setValue(actions.workspace.backup_keep())
        self.keep.editingFinished.connect(self._keep_changed)
        keep_label.setBuddy(self.keep)
        row.addWidget(keep_label)
        row.addWidget(self.keep)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        layout.addLayout(row)
        cw = self.fontMetrics().averageCharWidth()
        self.resize(cw * 78, self.fontMetrics().lineSpacing() * 24)
        self.refresh()

    def refresh(self, select: str = "") -> None:
        self.backups = self.archive_actions.workspace.list_backups()
        self.table.setRowCount(len(self.backups))
        for r, b in enumerate(self.backups):
            cells = (local_time(b.created_at), REASONS.get(b.reason, b.reason), human_size(b.size))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(b.name)
                if c == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        row = next((i for i, b in enumerate(self.backups) if b.name == select), 0)
        if self.backups:
            self.table.selectRow(row)
        self._update_buttons()

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        r = rows[0].row()
        return self.backups[r] if r < len(self.backups) else None

    def _update_buttons(self) -> None:
        busy = self.archive_actions.busy
        self.restore_button.setEnabled(self.selected() is not None and not busy)
        self.backup_button.setEnabled(not busy)

    def _keep_changed(self) -> None:
        n = self.keep.value()
        if n == self.archive_actions.workspace.backup_keep():
            return
        try:
            self.archive_actions.workspace.set_backup_keep(n)
        except PdpacketError as exc:
            show_exception(exc, self, action="changing how many backups are kept")
            return
        self.refresh()

    def backup_now(self) -> None:
        self.result_banner.set_text("")
        self.archive_actions.backup_now(self, self._backed_up)
        self._update_buttons()

    def _backed_up(self, info: BackupInfo | None) -> None:
        if info is not None:
            self.result_banner.set_text(f"Backed up: {local_time(info.created_at)}.", "ok")
            self.refresh(select=info.name)
        self._update_buttons()

    def restore_selected(self) -> None:
        b = self.selected()
        if b is None or self.archive_actions.busy:
            return
        self.result_banner.set_text("")
        self.archive_actions.restore(b, self, self._restored)
        self._update_buttons()

    def _restored(self, saved: BackupInfo | None) -> None:
        if saved is not None:
            self.result_banner.set_text(
                "Restored. The state before the restore was saved as the backup made "
                f"{local_time(saved.created_at)} (“before a restore”): restore it to undo.",
                "ok",
            )
            self.refresh(select=saved.name)
        self._update_buttons()


def show_backups_dialog(actions: ArchiveActions, parent: QWidget) -> None:
    """Open the Backups dialog (tests replace ``BackupsDialog.exec``)."""
    dlg = BackupsDialog(actions, parent)
    dlg.exec()
    dlg.deleteLater()


# ---- the actions ------------------------------------------------------------------------------
class ArchiveActions(QObject):
    """Export, import and backups for a main window."""

    def __init__(self, window: ArchiveWindow, parent: QWidget) -> None:
        """``parent``: the window as a widget, which dialogs open over."""
        super().__init__(parent)
        self.window = window
        self.parent_widget = parent
        self.workspace: Workspace = window.workspace
        self.job: Job | None = None
        self.progress: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None

    def _submit(self, fn: Callable[..., Any], name: str, title: str, parent: QWidget) -> Job:
        job = self.window.runner.submit(fn, name)
        self.job = job
        # connected first: the caller's handlers already see the job as done
        job.succeeded.connect(self._job_done)
        job.failed.connect(self._job_done)
        self.progress = progress_dialog(parent, job, title)
        return job

    def _job_done(self, _result: object = None) -> None:
        self.job = None
        self.progress = None

    # ---- export ---------------------------------------------------------------------------
    def default_archive_path(self, case_id: int) -> str:
        from .steps.build import safe_filename

        case = self.workspace.get_case(case_id)
        folder = self.workspace.setting("packet_folder", "") or (
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
        name = safe_filename(f"{case.client.name} case {dt.date.today():%Y-%m-%d}")
        return str(Path(folder or Path.home()) / f"{name}.pdpacket")

    def export_case(self) -> None:
        w = self.window
        case_id = w.ctx.case_id
        if not case_id or self.busy:
            return
        w.flush_steps()
        path = pick_archive_save_path(self.parent_widget, self.default_archive_path(case_id))
        if not path:
            return
        choice = ExportPasswordDialog.ask(self.parent_widget, w.ctx.case().client.name)
        if choice is None:
            return
        password = choice.password

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> ArchiveInfo:
            return ws.export_case(
                case_id, path, password=password, progress=progress, cancel=cancel
            )

        job = self._submit(work, "export case", "Exporting the case", self.parent_widget)
        job.succeeded.connect(self._exported)
        job.failed.connect(lambda exc: self._failed(exc, "exporting the case"))

    def _exported(self, info: ArchiveInfo) -> None:
        how = "encrypted" if info.encrypted else "not encrypted"
        self.window.statusBar().showMessage(
            f"Exported {info.client_name} to {info.path} ({human_size(info.size)}, "
            f"{info.blobs} evidence files, {how}).",
            12000,
        )

    # ---- import ---------------------------------------------------------------------------
    def import_archive(self) -> None:
        if self.busy:
            return
        path = pick_archive_open_path(self.parent_widget)
        if path:
            self.window.flush_steps()
            self._import(path, None)

    def import_archive_file(self, path: str) -> None:
        """Import ``path`` (a .pdpacket opened from the desktop or `pdpacket open`)."""
        if self.busy:
            return
        self.window.flush_steps()
        self._import(path, None)

    def _import(self, path: str, password: str | None, if_exists: str = "refuse") -> None:
        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> ArchiveInfo:
            return ws.import_archive(
                path, password=password, progress=progress, cancel=cancel, if_exists=if_exists
            )

        job = self._submit(work, "import archive", "Importing the case", self.parent_widget)
        job.succeeded.connect(self._imported)
        job.failed.connect(lambda exc: self._import_failed(exc, path, password))

    def _import_failed(self, exc: BaseException, path: str, password: str | None) -> None:
        if isinstance(exc, ArchivePasswordRequiredError | ArchiveWrongPasswordError):
            retry = isinstance(exc, ArchiveWrongPasswordError)
            password = ArchivePasswordDialog.ask(self.parent_widget, Path(path).name, retry=retry)
            if password:
                self._import(path, password)
            return
        if isinstance(exc, ArchiveCaseExistsError):
            answer = dialogs.choose(
                self.parent_widget,
                "The case is already here",
                f"The case of {exc.client_name} in {Path(path).name} is already in pdpacket. "
                "Update that case with the archive's contents (what was changed here since "
                "is replaced), or keep both as separate cases?",
                [("update", "&Update the case"), ("keep_both", "&Keep both")],
            )
            if answer:
                self._import(path, password, answer)
            else:
                self.window.statusBar().showMessage("Import cancelled: nothing changed.", 8000)
            return
        self._failed(exc, "importing the case archive")

    def _imported(self, info: ArchiveInfo) -> None:
        w = self.window
        w.cases.search.clear()
        w.cases.refresh(select_id=info.case_id)
        w.open_case(info.case_id)
        w.go_to_step(w.steps[0].key)
        w.statusBar().showMessage(
            f"Imported the case of {info.client_name} ({info.blobs} evidence files, every "
            "one checked).",
            12000,
        )

    # ---- backups --------------------------------------------------------------------------
    def show_backups(self) -> None:
        show_backups_dialog(self, self.parent_widget)

    def backup_now(self, parent: QWidget, done: Callable[[BackupInfo | None], None]) -> None:
        if self.busy:
            return
        self.window.flush_steps()

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> BackupInfo:
            return ws.backup_now()

        job = self._submit(work, "backup", "Backing up", parent)

        def failed(exc: BaseException) -> None:
            self._failed(exc, "backing up", parent)
            done(None)

        job.succeeded.connect(done)
        job.failed.connect(failed)

    def restore(
        self, backup: BackupInfo, parent: QWidget, done: Callable[[BackupInfo | None], None]
    ) -> None:
        w = self.window
        writing = [j.name for j in w.runner.active_jobs() if not j.name.startswith(READ_ONLY_JOBS)]
        if writing:
            w.ctx.say(f"Wait for the {writing[0]} to finish, then restore.")
            return
        when = local_time(backup.created_at)
        if not dialogs.confirm(
            parent,
            "Restore a backup",
            f"Put every case back as it was on {when}? Changes made since then are set "
            "aside: the current state is backed up first, so you can restore it again.",
            "Restore",
        ):
            return
        w.flush_steps()
        name = backup.name

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> BackupInfo:
            progress.update(0, 1, f"Restoring the backup of {when}")
            return ws.restore_backup(name)

        job = self._submit(work, "restore", "Restoring", parent)

        def restored(saved: BackupInfo) -> None:
            self.reload_window()
            done(saved)

        def failed(exc: BaseException) -> None:
            self._failed(exc, "restoring the backup", parent)
            done(None)

        job.succeeded.connect(restored)
        job.failed.connect(failed)

    def reload_window(self) -> None:
        """After a restore: every case, step and list read again from the database."""
        w = self.window
        ctx = w.ctx
        ctx.history.clear()
        w.cases.refresh()
        case_id = ctx.case_id
        try:
            exists = bool(case_id) and w.workspace.get_case(case_id) is not None
        except PdpacketError:
            exists = False
        if exists:
            ctx.open(case_id)  # every step loads again
            w.cases.select(case_id)
            ctx.caseChanged.emit()
        else:
            ids = w.cases.case_ids()
            if ids:
                ctx.case_id = 0
                w.open_case(ids[0])
            else:
                w.show_no_case()
        w.statusBar().showMessage("Backup restored: every case is as it was then.", 12000)

    # ---- errors ------------------------------------------------------------------------------
    def _failed(self, exc: BaseException, action: str, parent: QWidget | None = None) -> None:
        if isinstance(exc, CancelledError):
            self.window.statusBar().showMessage("Cancelled: nothing was changed.", 8000)
            return
        show_exception(exc, parent or self.parent_widget, action=action)


__all__ = [
    "ArchiveActions",
    "ArchivePasswordDialog",
    "BackupsDialog",
    "ExportPasswordDialog",
    "pick_archive_open_path",
    "pick_archive_save_path",
]

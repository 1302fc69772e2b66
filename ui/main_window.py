"""The main window: the case list on the left; for the open case, a step
sidebar (each step with its completeness) and the step itself.

No singletons: the workspace comes in from ``ui.app.run`` (or a test), and
the window's QSettings file lives in the data folder.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import Workspace, __version__, catalogue
from pdpacket.errors import PdpacketError
from pdpacket.model import Client

from . import dialogs
from .archive_dialogs import ArchiveActions
from .case_list import CaseListPanel, TwoLineDelegate
from .context import CaseContext
from .documents_export import DocumentsExport
from .fields import TextField
from .models import DETAIL_ROLE, friendly_date
from .places_dialog import PlacesDialog
from .steps import STEP_CLASSES, BuildStep, EvidenceStep, ExhibitsStep, Step
from .style import RED, Banner, EmptyState, app_icon, scaled_font, state_icon
from .workers import TaskRunner

SETTINGS_FILE = "window.ini"


def window_settings(workspace: Workspace) -> QSettings:
    return QSettings(str(workspace.data_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    # stays long: builds the window top to bottom (panels, steps, menus, signals)
    def __init__(self, workspace: Workspace, settings: QSettings | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.settings = settings or window_settings(workspace)
        self.runner = TaskRunner(workspace.data_dir, self)
        self.ctx = CaseContext(workspace, self.runner, self)
        self.setWindowIcon(app_icon())
        self.setObjectName("mainWindow")

        # --- left: cases ---
        self.cases = CaseListPanel(workspace)
        self.cases.caseActivated.connect(self.open_case)
        self.cases.newRequested.connect(self.new_case)
        self.cases.duplicateRequested.connect(self.duplicate_case)
        self.cases.archiveRequested.connect(self.toggle_archive)

        # --- right: the open case ---
        self.steps: list[Step] = [cls(self.ctx) for cls in STEP_CLASSES]
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("stepSidebar")
        self.sidebar.setAccessibleName("Steps")
        self.sidebar.setItemDelegate(TwoLineDelegate(self.sidebar))
        self.step_stack = QStackedWidget()
        for n, step in enumerate(self.steps, 1):
            item = QListWidgetItem(f"{n}  {step.title}")
            item.setData(Qt.ItemDataRole.UserRole, step.key)
            self.sidebar.addItem(item)
            self.step_stack.addWidget(step)
            step.statusChanged.connect(self._schedule_status)
        fm = self.fontMetrics()
        titles = max(fm.horizontalAdvance(f"{n}  {s.title}") for n, s in enumerate(self.steps, 1))
        # room for the title or a summary ("Dismissal without prejudice"), and the icon
        self.sidebar.setFixedWidth(max(titles, fm.averageCharWidth() * 24) + fm.height() * 3)
        self.sidebar.currentRowChanged.connect(self._show_step)

        self.header = QLabel()
        self.header.setObjectName("caseHeader")
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setFont(scaled_font(self.header, 1.1))
        case_view = QWidget()
        cv = QVBoxLayout(case_view)
        cv.setContentsMargins(0, 0, 0, 0)
        m = fm.height() // 2
        header_box = QWidget()
        hb = QHBoxLayout(header_box)
        hb.setContentsMargins(m * 2, m, m * 2, m // 2)
        hb.addWidget(self.header, 1)
        cv.addWidget(header_box)
        self.demo_banner = Banner(
            "warning",
            "Demo case: the client, the attorney and every document are fictional. "
            "Use it to try pdpacket; never file it.",
        )
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setVisible(False)
        cv.addWidget(self.demo_banner)
        body = QHBoxLayout()
        body.setContentsMargins(m, 0, 0, 0)
        body.setSpacing(0)
        body.addWidget(self.sidebar)
        body.addWidget(self.step_stack, 1)
        cv.addLayout(body, 1)

        self.no_case = EmptyState(
            "No case open",
            "Create a case with New (Ctrl+N), or pick one from the list on the left.",
        )
        new = QPushButton("&New case")
        new.clicked.connect(self.new_case)
        self.no_case.add_button(new)
        self.right = QStackedWidget()
        self.right.addWidget(self.no_case)
        self.right.addWidget(case_view)
        self.case_view = case_view

        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.cases)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setCollapsible(0, True)  # a narrow window can fold the case list away
        self.splitter.setSizes([fm.averageCharWidth() * 34, 1000])
        self.setCentralWidget(self.splitter)
        self.statusBar().setSizeGripEnabled(True)

        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(0)
        self._status_timer.timeout.connect(self.refresh_status)
        self.ctx.caseChanged.connect(self._case_data_changed)
        self.ctx.exhibitsChanged.connect(self._case_data_changed)
        self.ctx.buildsChanged.connect(self._case_data_changed)
        self.ctx.statusMessage.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self.ctx.stepRequested.connect(self.go_to_step)
        self.ctx.settingsRequested.connect(self.open_settings)

        self.archives = ArchiveActions(self, self)  # export, import, backups
        self.documents_export = DocumentsExport(self.ctx, self)
        self._make_actions()
        self._restore()

    # ---- menus and shortcuts ---------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[..., object],  # triggered(checked) or no argument
        shortcut: str | QKeySequence.StandardKey | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        self.new_action = self._action("&New case…", self.new_case, QKeySequence.StandardKey.New)
        self.open_action = self._action(
            "&Open case…",
            self.cases.focus_search,
            QKeySequence.StandardKey.Open,
            "Find a case by name or A-number",
        )
        self.duplicate_action = self._action("&Duplicate case", self.duplicate_case, "Ctrl+Shift+D")
        self.archive_action = self._action("&Archive or unarchive case", self.toggle_archive)
        self.settings_action = self._action(
            "&Settings…", self.open_settings, QKeySequence.StandardKey.Preferences
        )
        if self.settings_action.shortcut().isEmpty():
            self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        if self.quit_action.shortcut().isEmpty():
            self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        for a in (self.new_action, self.open_action, self.duplicate_action, self.archive_action):
            file.addAction(a)
        file.addSeparator()
        self.export_case_action = self._action(
            "&Export case…",
            self.archives.export_case,
            tip="Write the whole case to one archive file, optionally with a password",
        )
        self.import_archive_action = self._action(
            "&Import case archive…",
            self.archives.import_archive,
            tip="Create a case from an archive exported by pdpacket",
        )
        self.backups_action = self._action(
            "&Backups…", self.archives.show_backups, tip="Back up now, or restore a backup"
        )
        for a in (self.export_case_action, self.import_archive_action, self.backups_action):
            file.addAction(a)
        file.addSeparator()
        file.addAction(self.settings_action)
        self.places_action = self._action(
            "Offices and &courts…",
            self.open_places,
            tip="The firm's OPLA office addresses and PD mailboxes, and the courts' addresses",
        )
        file.addAction(self.places_action)
        file.addSeparator()
        file.addAction(self.quit_action)

        edit = bar.addMenu("&Edit")
        self.undo_action, self.redo_action = self.ctx.history.actions(self)
        self.addAction(self.undo_action)
        self.addAction(self.redo_action)
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        self.rename_action = self._action("Re&name exhibit", self.rename_exhibit, "F2")
        edit.addAction(self.rename_action)

        go = bar.addMenu("&Go")
        self.step_actions: list[QAction] = []
        for n, step in enumerate(self.steps, 1):
            a = self._action(
                f"&{n} {step.title.replace('&', '&&')}",  # "Client & proceedings": a literal &
                lambda _=False, k=step.key: self.go_to_step(k),
                f"Ctrl+{n}" if n < 10 else None,
            )
            go.addAction(a)
            self.step_actions.append(a)

        packet = bar.addMenu("&Packet")
        self.build_action = self._action("&Build packet", self.build_packet, "Ctrl+B")
        packet.addAction(self.build_action)
        self.documents_action = self._action(
            "Export &documents…",
            self.documents_export.export,
            tip="Write the cover sheet, motion, proposed order, certificates, declaration and "
            "letter each in its own Word or PDF file",
        )
        packet.addAction(self.documents_action)

        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("&Keyboard shortcuts", self.show_shortcuts))
        help_menu.addAction(self._action("&About pdpacket", self.show_about))

    # ---- restoring -----------------------------------------------------------------------
    def _restore(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray | bytes) and self.restoreGeometry(QByteArray(geometry)):
            pass
        else:
            screen = QApplication.primaryScreen()
            avail = screen.availableGeometry() if screen else None
            w = min(1280, avail.width()) if avail else 1280
            h = min(800, avail.height()) if avail else 800
            self.resize(w, h)
        splitter = self.settings.value("splitter")
        if isinstance(splitter, QByteArray | bytes):
            self.splitter.restoreState(QByteArray(splitter))
        last = self._int_setting("last_case")
        ids = self.cases.case_ids()
        case_id = last if last in ids else (ids[0] if ids else 0)
        if case_id:
            self.open_case(case_id)
            self.go_to_step(str(self.settings.value("last_step", self.steps[0].key)))
        else:
            self.show_no_case()

    def _int_setting(self, key: str) -> int:
        value = self.settings.value(key, 0)  # an int, or a str read back from disk
        try:
            return int(value or 0) if isinstance(value, (int, str)) else 0
        except ValueError:
            return 0

    def save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("splitter", self.splitter.saveState())
        self.settings.setValue("last_case", self.ctx.case_id)
        self.settings.setValue("last_step", self.current_step().key)
        self.settings.sync()

    # ---- cases -----------------------------------------------------------------------------
    def open_case(self, case_id: int) -> None:
        if case_id == self.ctx.case_id and self.right.currentWidget() is self.case_view:
            return
        self.flush_steps()
        try:
            self.workspace.get_case(case_id)
        except PdpacketError as exc:
            dialogs_error(self, exc)
            return
        self.ctx.open(case_id)
        self.cases.select(case_id)
        self.right.setCurrentWidget(self.case_view)
        if self.sidebar.currentRow() < 0:
            self.sidebar.setCurrentRow(0)
        self._update_header()
        self.refresh_status()
        self.settings.setValue("last_case", case_id)

    @property
    def current_case_id(self) -> int | None:
        return self.ctx.case_id or None

    def show_no_case(self) -> None:
        self.flush_steps()
        self.ctx.case_id = 0
        self.ctx.history.clear()
        self.right.setCurrentWidget(self.no_case)
        self.setWindowTitle("pdpacket")
        for a in (
            self.duplicate_action,
            self.archive_action,
            self.export_case_action,
            self.build_action,
            self.documents_action,
            *self.step_actions,
        ):
            a.setEnabled(False)

    def new_case(self) -> None:
        answer = dialogs.NewCaseDialog.ask(self)
        if answer is None:
            return
        try:
            case_id = self.workspace.create_case(Client(name=answer.name, a_number=answer.a_number))
        except PdpacketError as exc:
            dialogs_error(self, exc, "creating the case")
            return
        self.cases.search.clear()
        self.cases.refresh(select_id=case_id)
        self.open_case(case_id)
        self.go_to_step(self.steps[0].key)
        self.statusBar().showMessage(f"Created the case of {answer.name}.", 8000)

    def duplicate_case(self) -> None:
        if not self.ctx.has_case:
            return
        self.flush_steps()
        try:
            new_id = self.workspace.duplicate_case(self.ctx.case_id)
        except PdpacketError as exc:
            dialogs_error(self, exc, "duplicating the case")
            return
        self.cases.refresh(select_id=new_id)
        self.open_case(new_id)
        self.go_to_step(self.steps[0].key)
        self.statusBar().showMessage("Duplicated the case: rename the client to start.", 8000)

    def toggle_archive(self) -> None:
        case_id = self.cases.current_id() or self.ctx.case_id
        if not case_id:
            return
        case = self.workspace.get_case(case_id)
        self.workspace.set_archived(case_id, not case.archived)
        name = case.client.name
        if case.archived:
            self.cases.refresh(select_id=case_id)
            self.statusBar().showMessage(f"{name} is active again.", 8000)
            return
        self.statusBar().showMessage(
            f"Archived {name}. Tick “Archived” in the case list to see it again.", 8000
        )
        self.cases.refresh(select_id=case_id)
        if case_id == self.ctx.case_id and not self.cases.show_archived.isChecked():
            ids = self.cases.case_ids()
            if ids:
                self.open_case(ids[0])
            else:
                self.show_no_case()

    # ---- steps -------------------------------------------------------------------------------
    def current_step(self) -> Step:
        return self.steps[max(0, self.step_stack.currentIndex())]

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.key == key)

    def go_to_step(self, key: str) -> None:
        row = next((i for i, s in enumerate(self.steps) if s.key == key), 0)
        if self.sidebar.currentRow() == row:
            self._show_step(row)
        else:
            self.sidebar.setCurrentRow(row)

    def _show_step(self, row: int) -> None:
        if row < 0:
            return
        current = self.step_stack.currentWidget()
        if isinstance(current, Step) and current is not self.steps[row]:
            current.flush()
        self.step_stack.setCurrentIndex(row)
        step = self.steps[row]
        if self.ctx.has_case and self.isVisible():
            target = step.first_focus()
            if target is not None and not self.sidebar.hasFocus():
                target.setFocus(Qt.FocusReason.OtherFocusReason)

    def flush_steps(self) -> bool:
        ok = True
        if self.ctx.has_case:
            for step in self.steps:
                ok = step.flush() and ok
        return ok

    def refresh_status(self) -> None:
        if not self.ctx.has_case:
            return
        for n, step in enumerate(self.steps):
            item = self.sidebar.item(n)
            try:
                st = step.status()
            except Exception as exc:  # a status must never break the window
                item.setData(DETAIL_ROLE, "")
                item.setToolTip(str(exc))
                continue
            item.setIcon(state_icon(st.state))
            item.setData(DETAIL_ROLE, st.summary)
            item.setToolTip(f"{step.title}: {st.detail or st.summary}")
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole, f"Step {n + 1}, {step.title}: {st.summary}"
            )
        for a in (
            self.duplicate_action,
            self.archive_action,
            self.export_case_action,
            self.build_action,
            self.documents_action,
            *self.step_actions,
        ):
            a.setEnabled(True)

    def _schedule_status(self) -> None:
        self._status_timer.start()

    def _case_data_changed(self) -> None:
        self._update_header()
        self._schedule_status()
        self.cases.refresh()

    def _update_header(self) -> None:
        if not self.ctx.has_case:
            return
        case = self.ctx.case()
        c, p = case.client, case.proceedings
        parts = [f"<b>{_esc(c.name)}</b>"]
        parts.append(_esc(c.a_number_display) if c.a_number else "<i>no A-number</i>")
        if p.hearing_date:
            parts.append(f"next hearing {_esc(friendly_date(p.hearing_date))}")
        court = catalogue.court(p.court_id)
        if court:
            parts.append(_esc(court.name))
        text = " &nbsp;·&nbsp; ".join(parts)
        if p.detained:
            text += f" &nbsp;<b style='color:{RED}'>DETAINED</b>"
        if case.archived:
            text += " &nbsp;<i>(archived)</i>"
        self.header.setText(text)
        demo = case.id in (self.workspace.setting("demo_case_ids", []) or [])
        self.demo_banner.setVisible(demo)
        self.setWindowTitle(f"{case.title} — pdpacket")

    # ---- commands ------------------------------------------------------------------------------
    def rename_exhibit(self) -> None:
        step = self.current_step()
        if isinstance(step, ExhibitsStep):
            step.rename_selected()
        elif isinstance(step, EvidenceStep):
            step.editor.title.setFocus(Qt.FocusReason.ShortcutFocusReason)
            step.editor.title.selectAll()
        else:
            self.go_to_step("exhibits")

    def build_packet(self) -> None:
        if not self.ctx.has_case:
            return
        self.go_to_step("build")
        build = self.step("build")
        if isinstance(build, BuildStep):
            build.build()

    def open_settings(self) -> None:
        ws = self.workspace
        values = dialogs.SettingsValues(
            ws.attorney(),
            ws.setting("packet_folder", "") or "",
            tuple(ws.signature_policies()),
            ws.redaction_settings(),
        )
        answer = dialogs.SettingsDialog.ask(self, values)
        if answer is None:
            return
        ws.set_attorney(answer.attorney)
        ws.set_setting("packet_folder", answer.packet_folder)
        before = {p.destination_id: p.electronic_allowed for p in values.esign}
        for after in answer.esign:
            if before.get(after.destination_id) != after.electronic_allowed:
                ws.set_electronic_signature(after.destination_id, after.electronic_allowed)
        if answer.redaction is not None and answer.redaction != values.redaction:
            ws.set_redaction_settings(answer.redaction)
        self.ctx.settingsChanged.emit()
        self._schedule_status()
        self.statusBar().showMessage("Settings saved.", 5000)

    def open_places(self) -> None:
        """Settings → Offices and courts: the firm's addresses and mailboxes."""
        if PlacesDialog.ask(self, self.workspace):
            self.ctx.caseChanged.emit()  # the review and the letter read them
            self._schedule_status()
            self.statusBar().showMessage("Offices and courts saved.", 5000)

    def show_about(self) -> None:
        QMessageBox.about(self, "About pdpacket", dialogs.about_text(__version__))

    def show_shortcuts(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts", dialogs.shortcuts_text())

    # ---- closing -----------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.flush_steps() and not self._close_anyway():
            event.ignore()  # back to the field, with the value still in it
            return
        self.save_settings()
        for job in self.runner.active_jobs():
            job.cancel()
        self.runner.shutdown()
        event.accept()

    def unsaved_field(self) -> tuple[Step, TextField] | None:
        """The first field still holding a value that was not stored (invalid)."""
        for step in self.steps:
            for field in step.fields:
                if field.dirty:
                    return step, field
        return None

    def _close_anyway(self) -> bool:
        """A field holds an invalid value: close and lose it only if the user says so."""
        found = self.unsaved_field()
        what = (
            f"{found[1].widget.accessibleName() or 'A field'} holds “{found[1].text().strip()}”, "
            "which is not valid, so it was not saved."
            if found
            else "A field holds a value that is not valid, so it was not saved."
        )
        answer = dialogs.choose(
            self,
            "A value was not saved",
            f"{what} Go back and correct it, or close and lose it?",
            [("fix", "&Go back and correct it"), ("close", "&Close and lose it")],
        )
        if answer == "close":
            return True
        if found:
            self.go_to_step(found[0].key)
            found[1].widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return False


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def dialogs_error(parent: QWidget, exc: BaseException, action: str = "") -> None:
    from .errors import show_exception

    show_exception(exc, parent, action=action)

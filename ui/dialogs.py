"""Dialogs and file pickers, each behind one function tests can replace.

Callers use ``dialogs.pick_files(...)``, ``NewCaseDialog.ask(...)`` and so on,
never QFileDialog or QInputDialog directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pdpacket.errors import ValidationError
from pdpacket.model import Attorney
from pdpacket.model.identifiers import format_a_number, parse_a_number
from pdpacket.model.redaction import RedactionSettings
from pdpacket.model.signing import SignaturePolicy

from .printer import make_printer
from .redaction_settings import RedactionSettingsBox
from .style import RED, hint

EVIDENCE_FILTER = (
    "Evidence (*.pdf *.jpg *.jpeg *.png *.tif *.tiff *.heic *.heif *.webp *.bmp *.gif);;"
    "All files (*)"
)


# ---- file pickers -----------------------------------------------------------
def pick_files(parent: QWidget | None, title: str = "Add evidence files") -> list[str]:
    files, _ = QFileDialog.getOpenFileNames(parent, title, "", EVIDENCE_FILTER)
    return list(files)


def pick_file(parent: QWidget | None, title: str) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, title, "", EVIDENCE_FILTER)
    return str(path)


def pick_folder(parent: QWidget | None, title: str = "Add a folder of evidence") -> str:
    return str(QFileDialog.getExistingDirectory(parent, title))


def pick_save_path(parent: QWidget | None, suggested: str) -> str:
    path, _ = QFileDialog.getSaveFileName(parent, "Save the packet as", suggested, "PDF (*.pdf)")
    if path and not path.lower().endswith(".pdf"):
        path += ".pdf"
    return str(path)


def open_file(path: str) -> bool:
    """Open a local file with the system's viewer (file URLs only: never the network)."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(path)))


def show_in_folder(path: str) -> bool:
    """Open the folder that holds ``path`` in the system's file manager."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent))))


def ask_printer(parent: QWidget | None, pages: int) -> QPrinter | None:
    """The print dialog; court copies are single-sided, so duplex starts off; US
    letter, portrait, printed at 100 % (``ui.printer``)."""
    printer = make_printer(pages)
    dlg = QPrintDialog(printer, parent)
    dlg.setWindowTitle("Print the packet")
    return printer if dlg.exec() == QDialog.DialogCode.Accepted else None


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, text=text)
    return str(value) if ok else None


def confirm(parent: QWidget | None, title: str, text: str, yes: str) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    ok = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


def choose(
    parent: QWidget | None, title: str, text: str, choices: list[tuple[str, str]]
) -> str | None:
    """A question with several answers (key, button text), the first the default;
    None when cancelled."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    buttons = {
        box.addButton(label, QMessageBox.ButtonRole.AcceptRole): key for key, label in choices
    }
    box.setDefaultButton(next(iter(buttons)))
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return next((key for button, key in buttons.items() if button is clicked), None)


# ---- new case ---------------------------------------------------------------
@dataclass(frozen=True)
class NewCase:
    name: str
    a_number: str = ""


class NewCaseDialog(QDialog):
    """Name (required) and A-number (optional) of the client of a new case."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New case")
        self.name = QLineEdit()
        self.name.setAccessibleName("Client's full legal name")
        self.name.setPlaceholderText("e.g. Lucía Fernanda Morales Rivas")
        self.a_number = QLineEdit()
        self.a_number.setAccessibleName("A-number")
        self.a_number.setPlaceholderText("A012-345-678 (optional)")
        self.error = QLabel()
        self.error.setStyleSheet(f"color: {RED};")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Client's full &name:", self.name)
        form.addRow("&A-number:", self.a_number)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Create case")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint("Everything else can be filled in on the case's steps."))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)

    def _accept(self) -> None:
        name = " ".join(self.name.text().split())
        if not name:
            self.error.setText("Type the client's full legal name.")
            self.name.setFocus()
            return
        if self.a_number.text().strip():
            try:
                parse_a_number(self.a_number.text())
            except ValidationError as exc:
                self.error.setText(str(exc))
                self.a_number.setFocus()
                return
        self.accept()

    def value(self) -> NewCase:
        a = self.a_number.text().strip()
        return NewCase(" ".join(self.name.text().split()), format_a_number(a) if a else "")

    @classmethod
    def ask(cls, parent: QWidget | None) -> NewCase | None:
        dlg = cls(parent)
        return dlg.value() if dlg.exec() == QDialog.DialogCode.Accepted else None


# ---- passwords --------------------------------------------------------------
class PasswordDialog(QDialog):
    def __init__(self, filename: str, retry: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Password needed")
        text = (
            f"The password did not open {filename}. Check it with the client and try again."
            if retry
            else f"{filename} is protected by a password. Enter it to import the file; "
            "the packet will contain an unprotected copy."
        )
        label = QLabel(text)
        label.setWordWrap(True)
        if retry:
            label.setStyleSheet(f"color: {RED};")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(f"Password for {filename}")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Open file")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Skip this file")
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


# ---- settings ---------------------------------------------------------------
@dataclass(frozen=True)
class SettingsValues:
    attorney: Attorney
    packet_folder: str = ""
    # where the firm signs electronically ("/s/ Name"), one entry per destination
    esign: tuple[SignaturePolicy, ...] = ()
    redaction: RedactionSettings | None = None  # None: the group is not shown


class SettingsDialog(QDialog):
    """The attorney's details (prefilled into every case) and where packets go."""

    LABELS = (
        ("name", "Attorney's &name"),
        ("firm", "&Firm or organisation"),
        ("address", "&Address"),
        ("phone", "&Phone"),
        ("email", "&E-mail"),
        ("bar_number", "&Bar number"),
        ("eoir_id", "EOIR &ID"),
    )

    def __init__(self, values: SettingsValues, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, label in self.LABELS:
            value = getattr(values.attorney, key)
            edit: QLineEdit | QPlainTextEdit
            if key == "address":
                edit = QPlainTextEdit(value)
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(edit.fontMetrics().lineSpacing() * 4)
            else:
                edit = QLineEdit(value)
            edit.setAccessibleName(label.replace("&", ""))
            self.edits[key] = edit
            form.addRow(label + ":", edit)
        self.folder = QLineEdit(values.packet_folder)
        self.folder.setAccessibleName("Folder for new packets")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(browse)
        folder_label = QLabel("Folder for new &packets:")
        folder_label.setBuddy(self.folder)
        form.addRow(folder_label, row)
        self.esign: dict[str, QCheckBox] = {}
        esign_box = QGroupBox('Sign electronically ("/s/ Name" and the date) for')
        esign_col = QVBoxLayout(esign_box)
        esign_col.addWidget(hint("Elsewhere the packet prints a line to sign in ink."))
        for pol in values.esign:
            box = QCheckBox(pol.label)
            box.setChecked(pol.electronic_allowed)
            box.setAccessibleName(f"Sign electronically: {pol.label}")
            self.esign[pol.destination_id] = box
            esign_col.addWidget(box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "The attorney's details go on the cover letter and certificates of every "
                "case. They are kept on this computer only."
            )
        )
        layout.addLayout(form)
        layout.addWidget(esign_box)
        esign_box.setVisible(bool(values.esign))  # in the layout first: never a window
        self.redaction = RedactionSettingsBox(values.redaction or RedactionSettings(frozenset()))
        layout.addWidget(self.redaction)
        self.redaction.setVisible(values.redaction is not None)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)
        self._values = values

    def _browse(self) -> None:
        folder = pick_folder(self, "Folder for new packets")
        if folder:
            self.folder.setText(folder)

    def value(self) -> SettingsValues:
        data = {}
        for key, edit in self.edits.items():
            text = edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()
            data[key] = text.strip()
        esign = tuple(
            replace(pol, electronic_allowed=self.esign[pol.destination_id].isChecked())
            for pol in self._values.esign
        )
        return SettingsValues(
            replace(self._values.attorney, **data),
            self.folder.text().strip(),
            esign,
            self.redaction.value() if self._values.redaction is not None else None,
        )

    @classmethod
    def ask(cls, parent: QWidget | None, values: SettingsValues) -> SettingsValues | None:
        dlg = cls(values, parent)
        return dlg.value() if dlg.exec() == QDialog.DialogCode.Accepted else None


def about_text(version: str) -> str:
    return (
        f"<h3>pdpacket {version}</h3>"
        "<p>Builds prosecutorial-discretion request packets: client and proceedings, "
        "stage and relief, factors, evidence, lettered exhibits and the packet itself.</p>"
        "<p>Everything stays on this computer; pdpacket never uses the network.</p>"
    )


SHORTCUTS_HELP = [
    ("Ctrl+N", "New case"),
    ("Ctrl+O", "Open a case (search the case list)"),
    ("Ctrl+Shift+D", "Duplicate the open case"),
    ("Ctrl+1 … Ctrl+9", "Go to a step"),
    ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo exhibit changes"),
    ("F2", "Rename the selected exhibit"),
    ("Delete", "Remove the selected exhibits (undo with Ctrl+Z)"),
    ("Ctrl+Up / Ctrl+Down", "Move the selected exhibit up or down"),
    ("Ctrl+B", "Build the packet (in the letter: bold)"),
    ("Ctrl+I", "Italics (in the letter)"),
    ("Ctrl+,", "Settings"),
    ("Ctrl+= / Ctrl+- / Ctrl+0", "Pages view: zoom in / out / fit the width"),
    ("PgUp / PgDn", "Pages view: previous / next page"),
    ("Ctrl+R / Ctrl+Shift+R", "Pages view: rotate the page right / left"),
    ("Delete", "Pages view: delete the page, or restore a deleted one"),
    ("Alt+Up / Alt+Down", "Pages view: move the page up or down"),
    ("Ctrl+Shift+F", "Pages view: wide view (hide the exhibit list)"),
]


def shortcuts_text() -> str:
    rows = "".join(
        f"<tr><td><b>{k}</b>&nbsp;&nbsp;</td><td>{v}</td></tr>" for k, v in SHORTCUTS_HELP
    )
    return f"<table>{rows}</table>"

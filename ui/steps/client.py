"""Step 1: the client and the proceedings, checked as you type, stored as you go."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import catalogue
from pdpacket.errors import ValidationError
from pdpacket.model import Case
from pdpacket.model.identifiers import (
    format_a_number,
    parse_a_number,
    parse_date,
    parse_receipt_number,
)
from pdpacket.model.policy import FilingDeadline, Place

from ..context import CaseContext
from ..fields import Check, TextField, message_label
from ..models import friendly_date
from ..style import RED, State, hint
from .base import Step, StepStatus, field_box

LANGUAGES = (
    "English",
    "Spanish",
    "Portuguese",
    "French",
    "Haitian Creole",
    "K'iche'",
    "Mam",
    "Q'anjob'al",
    "Arabic",
    "Mandarin Chinese",
    "Cantonese",
    "Russian",
    "Ukrainian",
    "Romanian",
    "Hindi",
    "Punjabi",
    "Bengali",
    "Nepali",
    "Tigrinya",
    "Amharic",
    "Somali",
    "Wolof",
    "Pulaar",
    "Vietnamese",
    "Tagalog",
    "Turkish",
    "Dari",
    "Pashto",
    "Farsi",
)


# ---- checks as you type ---------------------------------------------------------
def check_a_number(text: str) -> Check:
    t = text.strip()
    if not t:
        return Check("neutral", "")
    digits = re.sub(r"\D", "", t)
    if re.fullmatch(r"[Aa]?[\s\-#]*[\d\s\-]*", t) and len(digits) < 7:
        return Check("neutral", f"{len(digits)} digits so far; an A-number has 7 to 9.")
    try:
        return Check("ok", f"✓ {format_a_number(parse_a_number(t))}")
    except ValidationError as exc:
        return Check("error", str(exc))


def check_date(text: str, field: str, when: str = "") -> Check:
    """``when``: "past" (a birth date) or "future" (a hearing) for extra warnings."""
    t = text.strip()
    if not t:
        return Check("neutral", "")
    try:
        d = parse_date(t, field)
    except ValidationError as exc:
        if len(t) < 8 and re.fullmatch(r"[\d/\-]*", t):
            return Check("neutral", "YYYY-MM-DD or MM/DD/YYYY")
        return Check("error", str(exc))
    assert d is not None
    shown = f"{d:%A, %B} {d.day}, {d.year}"
    today = dt.date.today()
    if when == "past" and d > today:
        return Check("error", f"{shown} is in the future; a date of birth cannot be.")
    return Check("ok", f"✓ {shown}")


def check_hearing(
    text: str,
    deadline_for: Callable[[dt.date], FilingDeadline | None],
    today: dt.date | None = None,
) -> Check:
    """The next hearing: its date, and the filing deadline before it as the review
    judges it (``deadline_for`` the case's deadline with that hearing date).  A
    passed deadline is shown in red but stored: the date is right, the filing late."""
    found = check_date(text, "next hearing")
    if found.state != "ok":
        return found
    d = parse_date(text.strip(), "next hearing")
    assert d is not None
    today = today or dt.date.today()
    if d < today:
        return Check("alert", f"{friendly_date(d)} has passed. Enter the next hearing.")
    deadline = deadline_for(d)
    if deadline is None:
        return Check("ok", f"✓ {friendly_date(d)}")
    due, days = friendly_date(deadline.due), (deadline.due - today).days
    if not deadline.passed(today):
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        return Check("ok", f"✓ {friendly_date(d)}. File by {due} ({when}).")
    late = f"{-days} day{'s' if days != -1 else ''} ago"
    if deadline.with_court:
        return Check("alert", f"✗ {friendly_date(d)}: the filing deadline passed {late} ({due}).")
    away = (d - today).days
    return Check(
        "alert",
        f"⚠ {friendly_date(d)}, {away} day{'s' if away != 1 else ''} away: "
        "ask for a decision before the hearing, or for a continuance.",
    )


def split_receipts(text: str) -> list[str]:
    return [t for t in re.split(r"[,;\s]+", text.strip()) if t]


def check_receipts(text: str) -> Check:
    tokens = split_receipts(text)
    if not tokens:
        return Check("neutral", "")
    good = []
    for token in tokens:
        try:
            good.append(parse_receipt_number(token))
        except ValidationError as exc:
            return Check("error", str(exc))
    return Check("ok", "✓ " + ", ".join(good))


def check_name(text: str) -> Check:
    if not text.strip():
        return Check("error", "The client's name is empty. Type the client's full legal name.")
    return Check("neutral", "")


# ---- court and office pickers ---------------------------------------------------
class PlaceCombo(QComboBox):
    """An editable combo over courts or OPLA offices: type part of the city or name."""

    def __init__(self, places: Sequence[Place], what: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.what = what
        self.places = list(places)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.addItem("", "")
        for p in self.places:
            self.addItem(self.label(p), p.id)
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText(f"Type a city or name to find the {what}")
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)

    @staticmethod
    def label(p: Place) -> str:
        where = ", ".join(x for x in (p.city, p.state) if x)
        return f"{p.name} — {where}" if where and where not in p.name else p.name

    def current_id(self) -> str | None:
        """The picked place's id, "" for none, None when the text matches nothing."""
        text = self.currentText().strip()
        if not text:
            return ""
        folded = text.casefold()
        for i in range(self.count()):
            if self.itemText(i).casefold() == folded:
                return str(self.itemData(i))
        return None

    def set_id(self, place_id: str) -> None:
        i = self.findData(place_id)
        self.blockSignals(True)
        self.setCurrentIndex(max(0, i))
        if i < 0:
            self.setEditText("")
        line = self.lineEdit()
        if line is not None:
            line.setCursorPosition(0)
        self.blockSignals(False)


class ClientStep(Step):
    key = "client"
    title = "Client & proceedings"
    intro = (
        "Everything is saved as you type. Fields marked * are needed for the packet; "
        "court and OPLA office come from the lists in pdpacket's data folder."
    )

    # stays long: lays out the form in the order the user fills it in
    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._invalid: set[str] = set()
        col = QVBoxLayout(self.body)
        self.margins(col)

        # --- client ---
        client_box = QGroupBox("Client")
        form = self._form(client_box)
        self.name = self._text(
            form,
            "Full legal &name *",
            "name",
            lambda t: self.ctx.update_client(name=t),
            check_name,
            placeholder="As on the passport or the Notice to Appear",
        )
        self.aliases = self._text(
            form,
            "Other names &used",
            "aliases",
            lambda t: self.ctx.update_client(
                aliases=tuple(a.strip() for a in t.split(",") if a.strip())
            ),
            placeholder="Separate names with commas",
        )
        self.a_number = self._text(
            form,
            "&A-number *",
            "a_number",
            lambda t: self.ctx.update_client(a_number=t.strip()),
            check_a_number,
            display=lambda t: format_a_number(parse_a_number(t)),
            placeholder="A012-345-678",
            debounce=False,
        )
        self.dob = self._text(
            form,
            "Date of &birth",
            "dob",
            lambda t: self.ctx.update_client(dob=t.strip() or None),
            lambda t: check_date(t, "date of birth", "past"),
            placeholder="YYYY-MM-DD or MM/DD/YYYY",
            debounce=False,
        )
        self.country = self._text(
            form,
            "&Country of citizenship",
            "country",
            lambda t: self.ctx.update_client(country=t.strip()),
        )
        self.language = self._text(
            form,
            "Best &language",
            "language",
            lambda t: self.ctx.update_client(language=t.strip()),
            placeholder="The language the client reads best",
        )
        lang_completer = QCompleter(list(LANGUAGES), self)
        lang_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        lang_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.language.setCompleter(lang_completer)
        col.addWidget(client_box)

        # --- proceedings ---
        proc_box = QGroupBox("Proceedings")
        form = self._form(proc_box)
        self.court = PlaceCombo(catalogue.courts(), "immigration court")
        self.court.setAccessibleName("Immigration court")
        self.court_msg = message_label()
        self.court.currentIndexChanged.connect(lambda *_: self._place_changed("court"))
        court_line = self.court.lineEdit()
        assert court_line is not None
        court_line.editingFinished.connect(lambda: self._place_changed("court"))
        form.addRow(
            self._label("Immigration &court *", self.court), field_box(self.court, self.court_msg)
        )
        self.judge = self._text(
            form,
            "&Judge",
            "judge",
            lambda t: self.ctx.update_proceedings(judge=t.strip()),
            placeholder="e.g. Hon. M. Delgado",
        )
        self.hearing = self._text(
            form,
            "Next &hearing *",
            "hearing_date",
            lambda t: self.ctx.update_proceedings(hearing_date=t.strip() or None),
            lambda t: check_hearing(t, self._deadline_for),
            placeholder="YYYY-MM-DD or MM/DD/YYYY",
            debounce=False,
        )
        ctx.caseChanged.connect(self._recheck_hearing)
        self.hearing_type = QComboBox()
        self.hearing_type.setAccessibleName("Hearing type")
        for label, value in (
            ("—", ""),
            ("Master calendar", "master"),
            ("Individual (merits)", "individual"),
        ):
            self.hearing_type.addItem(label, value)
        self.hearing_type.currentIndexChanged.connect(self._hearing_type_changed)
        form.addRow(self._label("Hearing &type", self.hearing_type), self.hearing_type)
        detained_row = QWidget()
        dl = QHBoxLayout(detained_row)
        dl.setContentsMargins(0, 0, 0, 0)
        self.detained = QCheckBox("&Detained")
        self.detained.setAccessibleName("Client is detained")
        self.detained.toggled.connect(self._detained_changed)
        self.facility = QLineEdit()
        self.facility.setPlaceholderText("Detention facility")
        self.facility.setAccessibleName("Detention facility")
        self.facility_field = self.track(
            TextField(self.facility, save=lambda t: self.ctx.update_proceedings(facility=t.strip()))
        )
        dl.addWidget(self.detained)
        dl.addWidget(self.facility, 1)
        form.addRow(self._label("Custody", self.detained), detained_row)
        self.office = PlaceCombo(catalogue.opla_offices(), "OPLA office")
        self.office.setAccessibleName("OPLA field office")
        self.office_msg = message_label()
        self.office.currentIndexChanged.connect(lambda *_: self._place_changed("office"))
        office_line = self.office.lineEdit()
        assert office_line is not None
        office_line.editingFinished.connect(lambda: self._place_changed("office"))
        form.addRow(
            self._label("&OPLA office *", self.office), field_box(self.office, self.office_msg)
        )
        self.receipts = self._text(
            form,
            "USCIS &receipts",
            "receipts",
            lambda t: self.ctx.update_proceedings(receipts=tuple(split_receipts(t))),
            check_receipts,
            placeholder="e.g. IOE0912345678, EAC2190012345",
            debounce=False,
        )
        col.addWidget(proc_box)

        # --- attorney ---
        att_box = QGroupBox("Attorney")
        al = QVBoxLayout(att_box)
        self.attorney = QLabel()
        self.attorney.setWordWrap(True)
        self.attorney.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        edit = QPushButton("Edit attorney &details…")
        edit.setAccessibleName("Edit attorney details")
        edit.clicked.connect(lambda: self.ctx.settingsRequested.emit())
        row = QHBoxLayout()
        row.addWidget(self.attorney, 1)
        row.addWidget(edit, 0, Qt.AlignmentFlag.AlignTop)
        al.addLayout(row)
        al.addWidget(hint("The same for every case: change them in Settings (Ctrl+,)."))
        col.addWidget(att_box)
        col.addStretch(1)
        # one label column for both groups, so their fields line up
        labels = [w for w in self.body.findChildren(QLabel) if w.buddy() is not None]
        width = max(buddied.sizeHint().width() for buddied in labels)
        for buddied in labels:
            buddied.setMinimumWidth(width)
        ctx.settingsChanged.connect(self._show_attorney)

    # ---- building blocks ---------------------------------------------------------
    def _form(self, box: QGroupBox) -> QFormLayout:
        form = QFormLayout(box)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        return form

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text + ":")
        label.setBuddy(buddy)
        return label

    def _text(
        self,
        form: QFormLayout,
        label: str,
        key: str,
        save: Callable[[str], None],
        check: Callable[[str], Check] | None = None,
        *,
        display: Callable[[str], str] | None = None,
        placeholder: str = "",
        debounce: bool = True,
    ) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(key)
        edit.setAccessibleName(label.replace("&", "").rstrip(" *"))
        edit.setPlaceholderText(placeholder)
        msg = message_label()

        def tracked(text: str) -> Check:
            result = check(text) if check else Check("neutral")
            was = key in self._invalid
            if result.state == "error":
                self._invalid.add(key)
            else:
                self._invalid.discard(key)
            if was != (key in self._invalid):
                self.statusChanged.emit()
            return result

        field = TextField(
            edit,
            save=save,
            validate=tracked if check else None,
            message=msg,
            display=display,
            debounce_ms=800 if debounce else None,
            action=f"saving {edit.accessibleName()}",
        )
        self.track(field)
        edit.setProperty("field", field)
        form.addRow(self._label(label, edit), field_box(edit, msg))
        return edit

    def field(self, edit: QLineEdit) -> TextField:
        f = edit.property("field")
        assert isinstance(f, TextField)
        return f

    # ---- reacting ------------------------------------------------------------------
    def _place_changed(self, which: str) -> None:
        if not self.ctx.has_case:
            return
        combo, msg = (
            (self.court, self.court_msg) if which == "court" else (self.office, self.office_msg)
        )
        place_id = combo.current_id()
        if place_id is None:
            msg.setStyleSheet(f"color: {RED};")
            msg.setText(f"No {combo.what} matches “{combo.currentText()}”. Pick one from the list.")
            return
        msg.setText("")
        case = self.ctx.case()
        field = "court_id" if which == "court" else "opla_office_id"
        if getattr(case.proceedings, field) != place_id:
            self._save(lambda: self.ctx.update_proceedings(**{field: place_id}), which)

    def _hearing_type_changed(self) -> None:
        if self.ctx.has_case and not self._loading:
            value = str(self.hearing_type.currentData())
            self._save(lambda: self.ctx.update_proceedings(hearing_type=value), "hearing type")

    def _deadline_for(self, hearing: dt.date) -> FilingDeadline | None:
        if not self.ctx.has_case:
            return None
        p = dataclasses.replace(self.ctx.case().proceedings, hearing_date=hearing)
        return catalogue.filing_deadline(p)

    def _recheck_hearing(self) -> None:
        """The deadline depends on the destination, custody and office: say it again."""
        field = self.field(self.hearing)
        if self.ctx.has_case and not field.dirty:
            field.set_text(field.text(), check=True)

    def _detained_changed(self, on: bool) -> None:
        self.facility.setEnabled(on)
        if self.ctx.has_case and not self._loading:
            self._save(lambda: self.ctx.update_proceedings(detained=on), "custody")

    def _save(self, fn: Callable[[], None], what: str) -> None:
        try:
            fn()
        except Exception as exc:
            self.ctx.fail(exc, action=f"saving the {what}")
        self.statusChanged.emit()

    _loading = False

    def load(self) -> None:
        case = self.ctx.case()
        self._loading = True
        try:
            c, p = case.client, case.proceedings
            self._invalid.clear()
            self.field(self.name).set_text(c.name)
            self.field(self.aliases).set_text(", ".join(c.aliases))
            self.field(self.a_number).set_text(c.a_number)
            self.field(self.dob).set_text(c.dob.isoformat() if c.dob else "")
            self.field(self.country).set_text(c.country)
            self.field(self.language).set_text(c.language)
            self.court.set_id(p.court_id)
            self.field(self.judge).set_text(p.judge)
            self.field(self.hearing).set_text(
                p.hearing_date.isoformat() if p.hearing_date else "", check=True
            )
            self.hearing_type.setCurrentIndex(max(0, self.hearing_type.findData(p.hearing_type)))
            self.detained.setChecked(p.detained)
            self.facility.setEnabled(p.detained)
            self.facility_field.set_text(p.facility)
            self.office.set_id(p.opla_office_id)
            self.field(self.receipts).set_text(", ".join(p.receipts))
            self.court_msg.setText("")
            self.office_msg.setText("")
        finally:
            self._loading = False
        self._show_attorney()

    def _show_attorney(self) -> None:
        a = self.ctx.workspace.attorney()
        if a.name:
            lines = [a.name, a.firm, a.address.replace("\n", ", "), a.phone, a.email]
            ids = ", ".join(
                x
                for x in (
                    f"Bar {a.bar_number}" if a.bar_number else "",
                    f"EOIR ID {a.eoir_id}" if a.eoir_id else "",
                )
                if x
            )
            self.attorney.setText("\n".join(x for x in [*lines, ids] if x))
            self.attorney.setStyleSheet("")
        else:
            self.attorney.setText(
                "No attorney details yet. The cover letter and certificates need them."
            )
            self.attorney.setStyleSheet(f"color: {RED};")
        self.statusChanged.emit()

    def first_focus(self) -> QWidget | None:
        return self.name

    # ---- completeness -----------------------------------------------------------------
    @staticmethod
    def missing(case: Case, attorney_name: str) -> list[str]:
        c, p = case.client, case.proceedings
        required = [
            ("name", c.name),
            ("A-number", c.a_number),
            ("court", p.court_id),
            ("next hearing", p.hearing_date),
            ("OPLA office", p.opla_office_id),
            ("attorney", attorney_name),
        ]
        return [label for label, value in required if not value]

    def status(self) -> StepStatus:
        if not self.ctx.has_case:
            return StepStatus(State.EMPTY, "")
        missing = self.missing(self.ctx.case(), self.ctx.workspace.attorney().name)
        if self._invalid:
            return StepStatus(
                State.WARNING, "Check red fields", "A field holds a value that was not saved."
            )
        if not missing:
            return StepStatus(State.DONE, "Complete")
        done = 6 - len(missing)
        return StepStatus(
            State.PARTIAL if done > 1 else State.EMPTY,
            f"{done} of 6 filled",
            f"Still needed: {', '.join(missing)}.",
        )

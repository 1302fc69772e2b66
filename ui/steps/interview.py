"""Step 4: the case interview ("Story"): the structured facts the letter argues
from (entry, the NTA's charges, the path to status, family, work, health,
community, each arrest), stored as you type and undoable (Ctrl+Z)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pdpacket.errors import PdpacketError
from pdpacket.model.interview import (
    Arrest,
    Charge,
    Entry,
    Interview,
    Pronouns,
    Relative,
    StatusPath,
)

from ..context import CaseContext
from ..fields import Check, TextField, message_label
from ..models import packet_letters
from ..style import State, hint
from .base import Step, StepStatus, field_box

PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
LEVELS = ("", "misdemeanor", "felony", "infraction", "violation")
DISPOSITIONS = (
    "",
    "convicted",
    "pleaded guilty",
    "dismissed",
    "no charges filed",
    "acquitted",
    "not guilty",
    "expunged",
    "vacated",
    "pending",
)


def check_partial_date(text: str) -> Check:
    t = text.strip()
    if not t:
        return Check("neutral", "")
    if PARTIAL_DATE.match(t):
        return Check("ok", "")
    return Check("error", "Write a year (2005), a month (2005-03) or a day (2005-03-14).")


def valid_date(text: str) -> bool:
    return not text.strip() or bool(PARTIAL_DATE.match(text.strip()))


def _combo(items: list[tuple[str, str]], name: str, blank: str = "Not answered") -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    # long labels must not widen the form past the window: the list shows them whole
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    combo.addItem(blank, "")
    for value, label in items:
        combo.addItem(label, value)
    return combo


def _set_combo(combo: QComboBox, value: str) -> None:
    combo.blockSignals(True)
    i = combo.findData(value)
    if i < 0 and value:  # a value the list does not know: keep it, never lose it
        combo.addItem(value, value)
        i = combo.count() - 1
    combo.setCurrentIndex(max(0, i))
    combo.blockSignals(False)


def _text_box(name: str, placeholder: str, lines: int = 3) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setTabChangesFocus(True)
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(box.fontMetrics().lineSpacing() * lines + 12)
    return box


class Row(QFrame):
    """One repeatable row or group (a charge, a relative, an arrest) with Remove."""

    def __init__(self, step: InterviewStep, what: str) -> None:
        super().__init__()
        self.step = step
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.remove = QPushButton(f"Remove {what}")
        self.remove.setAccessibleName(f"Remove this {what}")
        self.remove.clicked.connect(lambda: step.remove_row(self))
        self.edits: list[TextField] = []

    def line(self, name: str, placeholder: str = "", date: bool = False) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText(placeholder)
        self.edits.append(self.step.text_field(edit, date=date))
        return edit

    def fill(self, values: list[tuple[QLineEdit, str]]) -> None:
        for edit, value in values:
            edit.setText(value)
            edit.setCursorPosition(0)

    def text(self, name: str, placeholder: str, lines: int = 2) -> QPlainTextEdit:
        box = _text_box(name, placeholder, lines)
        self.edits.append(self.step.text_field(box))
        return box

    def combo(self, items: list[tuple[str, str]], name: str, blank: str = "") -> QComboBox:
        combo = _combo(items, name, blank)
        combo.currentIndexChanged.connect(lambda *_: self.step.save())
        return combo


class ChargeRow(Row):
    def __init__(self, step: InterviewStep, c: Charge) -> None:
        super().__init__(step, "charge")
        layout = QHBoxLayout(self)
        self.section = self.line("Charge: section of law", "INA 212(a)(6)(A)(i)")
        self.words = self.line("Charge: the NTA's words", "present without admission or parole")
        self.fill([(self.section, c.section), (self.words, c.text)])
        layout.addWidget(self.section, 1)
        layout.addWidget(self.words, 2)
        layout.addWidget(self.remove)

    def value(self) -> Charge:
        return Charge(self.section.text().strip(), self.words.text().strip())


class RelativeRow(Row):
    def __init__(self, step: InterviewStep, r: Relative) -> None:
        super().__init__(step, "relative")
        layout = QGridLayout(self)
        choices = step.choices
        self.relation = self.combo(choices["relations"], "Relation", "Relation…")
        self.name = self.line("Relative's name", "Name")
        self.status = self.combo(choices["statuses"], "Relative's status", "Status…")
        self.born = self.line("Relative's date of birth", "Born (YYYY-MM-DD)", date=True)
        _set_combo(self.relation, r.relation)
        _set_combo(self.status, r.status)
        self.fill([(self.name, r.name), (self.born, r.born)])
        layout.addWidget(self.relation, 0, 0)
        layout.addWidget(self.name, 0, 1, 1, 2)
        layout.addWidget(self.status, 1, 0)
        layout.addWidget(self.born, 1, 1)
        layout.addWidget(self.remove, 1, 2)
        layout.setColumnStretch(1, 1)

    def value(self, old: Relative) -> Relative:
        born = self.born.text().strip()
        return Relative(
            relation=str(self.relation.currentData() or ""),
            name=self.name.text().strip(),
            status=str(self.status.currentData() or ""),
            born=born if valid_date(born) else old.born,
        )


class ArrestRow(Row):
    """One arrest, named as the documents name it, with the exhibits proving it."""

    def __init__(self, step: InterviewStep, a: Arrest, n: int) -> None:
        super().__init__(step, "arrest")
        self.setObjectName(f"arrest_{n}")
        form = QFormLayout(self)
        self.date = self.line(f"Arrest {n}: date", "YYYY, YYYY-MM or YYYY-MM-DD", date=True)
        self.place = self.line(f"Arrest {n}: place", "City, county, state")
        self.charge = self.line(
            f"Arrest {n}: charge", "The offence exactly as the disposition names it"
        )
        self.level = QComboBox()
        self.level.setAccessibleName(f"Arrest {n}: level")
        self.level.addItems(list(LEVELS))
        self.level.setEditable(True)
        self.level.setMinimumContentsLength(12)
        self.level.currentTextChanged.connect(lambda *_: step.save())
        self.disposition = QComboBox()
        self.disposition.setAccessibleName(f"Arrest {n}: disposition")
        self.disposition.addItems(list(DISPOSITIONS))
        self.disposition.setEditable(True)
        self.disposition.setMinimumContentsLength(12)
        self.disposition.currentTextChanged.connect(lambda *_: step.save())
        self.disposition_date = self.line(f"Arrest {n}: disposition date", "", date=True)
        self.sentence = self.line(f"Arrest {n}: sentence", "e.g. 3 years' probation, fines")
        self.completed = self.line(
            f"Arrest {n}: completion", "e.g. completed probation in June 2019"
        )
        self.since = self.text(
            f"Arrest {n}: what changed since",
            "What has changed since, in full sentences: treatment, sobriety, work, family",
        )
        self.exhibits = QListWidget()
        self.exhibits.setAccessibleName(f"Arrest {n}: exhibits that prove it")
        self.exhibits.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.exhibits.itemChanged.connect(lambda *_: step.save())
        self.fill(
            [
                (self.date, a.date),
                (self.place, a.place),
                (self.charge, a.charge),
                (self.disposition_date, a.disposition_date),
                (self.sentence, a.sentence),
                (self.completed, a.completed),
            ]
        )
        self.since.setPlainText(a.since)
        for combo, value in ((self.level, a.level), (self.disposition, a.disposition)):
            combo.blockSignals(True)
            combo.setCurrentText(value)
            combo.blockSignals(False)
        self.set_exhibits(a.exhibit_ids)
        form.addRow("Date", self.date)
        form.addRow("Place", self.place)
        form.addRow("Charge *", self.charge)
        form.addRow("Level", self.level)
        form.addRow("Disposition *", self.disposition)
        form.addRow("Disposition date", self.disposition_date)
        form.addRow("Sentence", self.sentence)
        form.addRow("Completion", self.completed)
        form.addRow("Since then", self.since)
        form.addRow("Proved by", self.exhibits)
        form.addRow("", self.remove)

    def set_exhibits(self, chosen: tuple[int, ...]) -> None:
        self.exhibits.blockSignals(True)
        self.exhibits.clear()
        exhibits = self.step.ctx.exhibits()
        for letter, ex in zip(packet_letters(exhibits), exhibits, strict=True):
            label = f"Exh. {letter}: {ex.title}" if letter else ex.title
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, ex.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if ex.id in chosen else Qt.CheckState.Unchecked
            )
            self.exhibits.addItem(item)
        self.exhibits.blockSignals(False)

    def value(self, old: Arrest) -> Arrest:
        def date(edit: QLineEdit, before: str) -> str:
            t = edit.text().strip()
            return t if valid_date(t) else before

        ids = tuple(
            int(self.exhibits.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.exhibits.count())
            if self.exhibits.item(i).checkState() == Qt.CheckState.Checked
        )
        return Arrest(
            date=date(self.date, old.date),
            place=self.place.text().strip(),
            charge=self.charge.text().strip(),
            level=self.level.currentText().strip(),
            disposition=self.disposition.currentText().strip(),
            disposition_date=date(self.disposition_date, old.disposition_date),
            sentence=self.sentence.text().strip(),
            completed=self.completed.text().strip(),
            since=self.since.toPlainText().strip(),
            exhibit_ids=ids,
        )


class InterviewStep(Step):
    key = "story"
    title = "Story"
    intro = (
        "The facts the letter argues from. Saved as you type; Ctrl+Z undoes. Write the "
        "free-text answers as full sentences: the letter uses them as written, and asks you "
        "to rewrite notes that are not sentences."
    )

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.choices = ctx.workspace.interview_choices()
        self.stored = Interview()
        self._loading = False
        self.charge_rows: list[ChargeRow] = []
        self.relative_rows: list[RelativeRow] = []
        self.arrest_rows: list[ArrestRow] = []
        body = QVBoxLayout(self.body)
        self.margins(body)

        # the client
        who = QGroupBox("How the letter refers to the client")
        wf = QFormLayout(who)
        self.pronouns = _combo(
            [("he", "he / him: Mr."), ("she", "she / her: Ms."), ("they", "they / them: Mx.")],
            "Pronouns",
            "Not answered: “Respondent” or the client's name",
        )
        self.pronouns.currentIndexChanged.connect(lambda *_: self.save())
        self.surname = QLineEdit()
        self.surname.setAccessibleName("Surname as the letter uses it")
        self.surname.setPlaceholderText("e.g. Reyes López (after Mr./Ms./Mx.)")
        self.text_field(self.surname)
        self.reads_english = _combo([("yes", "Yes"), ("no", "No")], "Reads English")
        self.reads_english.currentIndexChanged.connect(lambda *_: self.save())
        wf.addRow("Pronouns", self.pronouns)
        wf.addRow("Surname", self.surname)
        wf.addRow("Reads English", self.reads_english)
        body.addWidget(who)

        # entry
        entry = QGroupBox("Entry to the United States")
        ef = QFormLayout(entry)
        self.entry_date, entry_date_box = self.date_line("Date of entry")
        self.entry_place = QLineEdit()
        self.entry_place.setAccessibleName("Place of entry")
        self.entry_place.setPlaceholderText("e.g. near Nogales, Arizona; at New York")
        self.text_field(self.entry_place)
        self.manner = _combo(self.choices["manners"], "Manner of entry")
        self.manner.currentIndexChanged.connect(lambda *_: self.save())
        self.entry_details = _text_box("Entry details", "Anything else, in full sentences", 2)
        self.text_field(self.entry_details)
        self.residence, residence_box = self.date_line("Continuous residence since")
        ef.addRow("When *", entry_date_box)
        ef.addRow("Where", self.entry_place)
        ef.addRow("How *", self.manner)
        ef.addRow("Details", self.entry_details)
        ef.addRow("Lived here since", residence_box)
        body.addWidget(entry)

        # the NTA's charges
        charges = QGroupBox("Charges on the Notice to Appear")
        self.charges_layout = QVBoxLayout(charges)
        add_charge = QPushButton("Add charge")
        add_charge.clicked.connect(lambda: self.add_row("charge"))
        self.charges_layout.addWidget(add_charge)
        body.addWidget(charges)

        # the path and the ground
        path = QGroupBox("Path to status, and the ground of the request")
        pf = QFormLayout(path)
        self.path_kind = _combo(self.choices["paths"], "Path to status")
        self.path_kind.currentIndexChanged.connect(lambda *_: self.save())
        self.path_basis = QLineEdit()
        self.path_basis.setAccessibleName("Legal basis of the path")
        self.path_basis.setPlaceholderText("e.g. INA 201(b)(2)(A)(i) and INA 245(a)")
        self.text_field(self.path_basis)
        self.path_details = _text_box("Path details", "Receipt, priority date, in sentences", 2)
        self.text_field(self.path_details)
        self.ground = _combo(self.choices["grounds"], "Ground of 8 CFR 239.2(a)")
        self.ground.currentIndexChanged.connect(lambda *_: self.save())
        self.ground_hint = hint(
            "A dismissal (8 CFR 1239.2(c)) or a cancelled NTA rests on a ground of "
            "8 CFR 239.2(a): choose the one you argue. Check the text against the regulation."
        )
        pf.addRow("Path *", self.path_kind)
        pf.addRow("Legal basis *", self.path_basis)
        pf.addRow("Details", self.path_details)
        self.changed = _text_box(
            "What changed since the NTA",
            "For (a)(7), in full sentences: what changed after the NTA was issued",
            2,
        )
        self.text_field(self.changed)
        pf.addRow("239.2(a) ground", self.ground)
        pf.addRow("", self.ground_hint)
        pf.addRow("Changed since", self.changed)
        body.addWidget(path)

        # family, work, health, community
        family = QGroupBox("Family in the United States")
        self.family_layout = QVBoxLayout(family)
        add_relative = QPushButton("Add relative")
        add_relative.clicked.connect(lambda: self.add_row("relative"))
        self.family_layout.addWidget(add_relative)
        self.family = _text_box("Family", "In full sentences: marriage, caregiving, hardship")
        self.text_field(self.family)
        self.family_layout.addWidget(self.family)
        body.addWidget(family)

        work = QGroupBox("Work, health and community")
        wk = QFormLayout(work)
        self.occupation = QLineEdit()
        self.occupation.setAccessibleName("Occupation")
        self.occupation.setPlaceholderText("e.g. a line cook")
        self.text_field(self.occupation)
        self.employer = QLineEdit()
        self.employer.setAccessibleName("Employer")
        self.text_field(self.employer)
        self.work_since, work_since_box = self.date_line("Working there since")
        self.work = _text_box("Work", "In full sentences: taxes, promotions, who depends on it", 2)
        self.text_field(self.work)
        self.health = _text_box("Health", "In full sentences: the client's or family's conditions")
        self.text_field(self.health)
        self.community = _text_box("Community", "In full sentences: church, volunteering, school")
        self.text_field(self.community)
        wk.addRow("Works as", self.occupation)
        wk.addRow("For", self.employer)
        wk.addRow("Since", work_since_box)
        wk.addRow("Work", self.work)
        wk.addRow("Health", self.health)
        wk.addRow("Community", self.community)
        body.addWidget(work)

        # arrests
        arrests = QGroupBox("Arrests and charges (every one, whatever the outcome)")
        self.arrests_layout = QVBoxLayout(arrests)
        self.arrests_layout.addWidget(
            hint(
                "Name each offence exactly as the disposition does; the letter repeats it "
                "word for word and cites the exhibits you tick."
            )
        )
        add_arrest = QPushButton("Add arrest")
        add_arrest.clicked.connect(lambda: self.add_row("arrest"))
        self.arrests_layout.addWidget(add_arrest)
        body.addWidget(arrests)

        body.addStretch(1)
        ctx.exhibitsChanged.connect(self._exhibits_changed)

    # ---- fields ---------------------------------------------------------------------
    def text_field(
        self, widget: QLineEdit | QPlainTextEdit, date: bool = False, message: QLabel | None = None
    ) -> TextField:
        field = TextField(
            widget,
            save=lambda _t: self.save(),
            validate=check_partial_date if date else None,
            message=message,
        )
        return self.track(field)

    def date_line(self, name: str) -> tuple[QLineEdit, QWidget]:
        """A partial-date field with its message under it (in a box for a form)."""
        edit = QLineEdit()
        edit.setAccessibleName(name)
        edit.setPlaceholderText("YYYY, YYYY-MM or YYYY-MM-DD")
        message = message_label()
        self.text_field(edit, date=True, message=message)
        return edit, field_box(edit, message)

    def first_focus(self) -> QWidget | None:
        return self.pronouns

    # ---- rows --------------------------------------------------------------------------
    def add_row(self, kind: str) -> None:
        self._add_row(kind)
        self.save()
        rows: list[Row] = {
            "charge": self.charge_rows,
            "relative": self.relative_rows,
            "arrest": self.arrest_rows,
        }[kind]  # type: ignore[assignment]
        first = rows[-1].edits[0].widget if rows[-1].edits else rows[-1]
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _add_row(self, kind: str, value: Charge | Relative | Arrest | None = None) -> Row:
        row: Row
        if kind == "charge":
            row = ChargeRow(self, value if isinstance(value, Charge) else Charge())
            self.charge_rows.append(row)
            self.charges_layout.insertWidget(self.charges_layout.count() - 1, row)
        elif kind == "relative":
            row = RelativeRow(self, value if isinstance(value, Relative) else Relative())
            self.relative_rows.append(row)
            self.family_layout.insertWidget(self.family_layout.count() - 2, row)
        else:
            n = len(self.arrest_rows) + 1
            row = ArrestRow(self, value if isinstance(value, Arrest) else Arrest(), n)
            self.arrest_rows.append(row)
            self.arrests_layout.insertWidget(self.arrests_layout.count() - 1, row)
        return row

    def remove_row(self, row: Row) -> None:
        for rows in (self.charge_rows, self.relative_rows, self.arrest_rows):
            if row in rows:
                rows.remove(row)  # type: ignore[arg-type]
        for f in row.edits:
            if f in self.fields:
                self.fields.remove(f)
        row.setParent(None)
        row.deleteLater()
        self.save()
        self.ctx.say("Removed. Ctrl+Z brings it back.")

    def _clear_rows(self) -> None:
        for rows in (self.charge_rows, self.relative_rows, self.arrest_rows):
            for row in rows:
                for f in row.edits:
                    if f in self.fields:
                        self.fields.remove(f)
                row.setParent(None)
                row.deleteLater()
            rows.clear()

    # ---- loading and saving -------------------------------------------------------------
    def load(self) -> None:
        if not self.ctx.has_case:
            return
        self._loading = True
        try:
            iv = self.ctx.workspace.interview(self.ctx.case_id)
            self.stored = iv
            _set_combo(self.pronouns, iv.pronouns.value)
            reads = {True: "yes", False: "no", None: ""}[iv.reads_english]
            _set_combo(self.reads_english, reads)
            _set_combo(self.manner, iv.entry.manner)
            _set_combo(self.path_kind, iv.status_path.kind)
            _set_combo(self.ground, iv.ground)
            for f, value in self._text_values(iv):
                f.set_text(value, check=True)
            self._clear_rows()
            for c in iv.charges:
                self._add_row("charge", c)
            for r in iv.relatives:
                self._add_row("relative", r)
            for a in iv.arrests:
                self._add_row("arrest", a)
            self._show_ground()
        finally:
            self._loading = False
        self.statusChanged.emit()

    def _text_fields(self) -> dict[str, TextField]:
        widgets: dict[str, QWidget] = {
            "surname": self.surname,
            "entry.date": self.entry_date,
            "entry.place": self.entry_place,
            "entry.details": self.entry_details,
            "residence_since": self.residence,
            "status_path.basis": self.path_basis,
            "status_path.details": self.path_details,
            "changed_since_nta": self.changed,
            "family": self.family,
            "occupation": self.occupation,
            "employer": self.employer,
            "work_since": self.work_since,
            "work": self.work,
            "health": self.health,
            "community": self.community,
        }
        by_widget = {id(f.widget): f for f in self.fields}
        return {k: by_widget[id(w)] for k, w in widgets.items()}

    def _text_values(self, iv: Interview) -> list[tuple[TextField, str]]:
        values = {
            "surname": iv.surname,
            "entry.date": iv.entry.date,
            "entry.place": iv.entry.place,
            "entry.details": iv.entry.details,
            "residence_since": iv.residence_since,
            "status_path.basis": iv.status_path.basis,
            "status_path.details": iv.status_path.details,
            "changed_since_nta": iv.changed_since_nta,
            "family": iv.family,
            "occupation": iv.occupation,
            "employer": iv.employer,
            "work_since": iv.work_since,
            "work": iv.work,
            "health": iv.health,
            "community": iv.community,
        }
        fields = self._text_fields()
        return [(fields[k], v) for k, v in values.items()]

    def collect(self) -> Interview:
        """The interview as shown; a date being typed that is not yet a date keeps
        the stored one (its field says why)."""
        old = self.stored
        t: dict[str, str] = {k: f.text().strip() for k, f in self._text_fields().items()}

        def date(key: str, before: str) -> str:
            return t[key] if valid_date(t[key]) else before

        reads = {"yes": True, "no": False}.get(str(self.reads_english.currentData() or ""))
        old_relatives = list(old.relatives) + [Relative()] * len(self.relative_rows)
        old_arrests = list(old.arrests) + [Arrest()] * len(self.arrest_rows)
        return replace(
            old,
            pronouns=Pronouns(str(self.pronouns.currentData() or "")),
            surname=t["surname"],
            reads_english=reads,
            entry=Entry(
                date=date("entry.date", old.entry.date),
                place=t["entry.place"],
                manner=str(self.manner.currentData() or ""),
                details=t["entry.details"],
            ),
            residence_since=date("residence_since", old.residence_since),
            charges=tuple(r.value() for r in self.charge_rows),
            status_path=StatusPath(
                kind=str(self.path_kind.currentData() or ""),
                basis=t["status_path.basis"],
                details=t["status_path.details"],
            ),
            ground=str(self.ground.currentData() or ""),
            changed_since_nta=t["changed_since_nta"],
            relatives=tuple(
                r.value(o) for r, o in zip(self.relative_rows, old_relatives, strict=False)
            ),
            family=t["family"],
            occupation=t["occupation"],
            employer=t["employer"],
            work_since=date("work_since", old.work_since),
            work=t["work"],
            health=t["health"],
            community=t["community"],
            arrests=tuple(r.value(o) for r, o in zip(self.arrest_rows, old_arrests, strict=False)),
        )

    def save(self) -> None:
        if self._loading or not self.ctx.has_case:
            return
        iv = self.collect()
        if iv == self.stored:
            return
        try:
            self.ctx.workspace.set_interview(self.ctx.case_id, iv)
        except PdpacketError as exc:
            self.ctx.fail(exc, "saving the interview")
            return
        self.stored = iv
        self.ctx.history.changed.emit()  # the Edit menu's "Undo change of the case interview"
        self.ctx.caseChanged.emit()
        self.statusChanged.emit()

    def _exhibits_changed(self) -> None:
        if not self.ctx.has_case:
            return
        if self.ctx.workspace.interview(self.ctx.case_id) != self.stored:
            self.load()  # undo or redo changed it
            return
        for row, a in zip(self.arrest_rows, self.stored.arrests, strict=False):
            row.set_exhibits(a.exhibit_ids)

    def _show_ground(self) -> None:
        form = self.ctx.case().proceedings.pd_form if self.ctx.has_case else ""
        needs = form in {f for f, _ in self.choices["ground_forms"]}
        self.ground_hint.setVisible(needs)
        self.changed.setEnabled(needs or bool(self.changed.toPlainText().strip()))
        self.ground.setEnabled(needs or bool(self.ground.currentData()))

    def showEvent(self, event: object) -> None:
        if self.ctx.has_case:
            self._show_ground()
        super().showEvent(event)  # type: ignore[arg-type]

    # ---- completeness -------------------------------------------------------------------
    def status(self) -> StepStatus:
        if not self.ctx.has_case:
            return StepStatus(State.EMPTY, "")
        iv = self.stored
        if iv == Interview():
            return StepStatus(State.EMPTY, "Not started")
        p = self.ctx.case().proceedings
        checks: list[tuple[str, Callable[[], bool]]] = [
            ("pronouns", lambda: iv.pronouns != Pronouns.UNSET),
            ("entry", lambda: bool(iv.entry.date and iv.entry.manner)),
            ("path and basis", lambda: bool(iv.status_path.kind and iv.status_path.basis)),
            ("family or work", lambda: bool(iv.relatives or iv.family or iv.occupation)),
            (
                "each arrest's charge and disposition",
                lambda: all(a.charge and a.disposition for a in iv.arrests),
            ),
        ]
        if p.stage not in ("", "pre_nta"):
            checks.append(("the NTA's charges", lambda: bool(iv.charges)))
        if p.pd_form in {f for f, _ in self.choices["ground_forms"]}:
            checks.append(("the 239.2(a) ground", lambda: bool(iv.ground)))
            if iv.ground == "a7":
                checks.append(("what changed since the NTA", lambda: bool(iv.changed_since_nta)))
        missing = [name for name, ok in checks if not ok()]
        n = len(checks)
        if not missing:
            return StepStatus(State.DONE, f"{n} of {n} answered")
        return StepStatus(
            State.PARTIAL,
            f"{n - len(missing)} of {n} answered",
            "Still to answer: " + ", ".join(missing) + ".",
        )

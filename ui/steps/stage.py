"""Step 2: the procedural stage, then the form of discretion that fits it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import catalogue
from pdpacket.errors import PdpacketError
from pdpacket.model.identifiers import parse_date

from ..context import CaseContext
from ..fields import Check, TextField, message_label
from ..style import Banner, State, hint
from .base import Step, StepStatus
from .client import check_date


def _check_decision_date(text: str) -> Check:
    """A date that reads, and not a future one: the decision has been taken."""
    found = check_date(text, "decision date")
    if found.state == "ok" and (day := parse_date(text.strip())) and day > dt.date.today():
        return Check("error", "The decision date is in the future: enter when it was taken.")
    return found


JOINT_GROUNDS_HINT = (
    "Grounds of the joint motion: the facts and the legal basis OPLA agreed to "
    "(printed in the motion after its legal basis)"
)
ADDRESSEES = {"opla": "OPLA (the Chief Counsel)", "ero": "the ICE field office (ERO)"}


def pick_advice_path(parent: QWidget | None, suggested: str) -> str:
    """Where to save the client-advice note (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Save the client-advice note as", suggested, "PDF (*.pdf)"
    )
    if path and not path.lower().endswith(".pdf"):
        path += ".pdf"
    return str(path)


class StageStep(Step):
    key = "stage"
    title = "Stage & relief"
    intro = (
        "Where the case is now decides which forms of prosecutorial discretion can be "
        "asked for. The request must name one, with its legal basis."
    )

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._loading = False
        col = QVBoxLayout(self.body)
        self.margins(col)

        stage_box = QGroupBox("Procedural stage")
        sl = QVBoxLayout(stage_box)
        self.stage_group = QButtonGroup(self)
        self.stage_buttons: dict[str, QRadioButton] = {}
        for st in catalogue.stages():
            rb = QRadioButton(st.label)
            rb.setAccessibleName(f"Stage: {st.label}")
            rb.setProperty("stage_id", st.id)
            self.stage_group.addButton(rb)
            self.stage_buttons[st.id] = rb
            sl.addWidget(rb)
        self.stage_group.buttonToggled.connect(self._stage_toggled)
        col.addWidget(stage_box)

        self.form_box = QGroupBox("Form of discretion requested")
        self.form_layout = QVBoxLayout(self.form_box)
        self.form_group = QButtonGroup(self)
        self.form_group.buttonToggled.connect(self._form_toggled)
        self.form_buttons: dict[str, QRadioButton] = {}
        self._form_widgets: list[QWidget] = []
        col.addWidget(self.form_box)

        self.fit_warning = Banner("warning")
        col.addWidget(self.fit_warning)
        self.consequences = Banner("info")
        self.consequences.setObjectName("consequences")
        col.addWidget(self.consequences)
        self.advice_button = QPushButton("Save client-&advice note…")
        self.advice_button.setAccessibleName("Save the client-advice note as a PDF")
        self.advice_button.setToolTip(
            "What the chosen form means for the client, for the client and the file: "
            "never part of the letter or the packet"
        )
        self.advice_button.clicked.connect(self.save_advice)
        advice_row = QHBoxLayout()
        advice_row.addWidget(self.advice_button)
        advice_row.addStretch(1)
        col.addLayout(advice_row)
        self.joint = QCheckBox("This is a &joint motion with OPLA")
        self.joint.setToolTip("“JOINT MOTION” on the cover; no certificate of service")
        self.joint.setAccessibleName("Joint motion")
        self.joint.toggled.connect(self._joint_toggled)
        col.addWidget(self.joint)
        col.addWidget(self._destination_box())
        col.addWidget(self._law_box())
        col.addStretch(1)

    def _destination_box(self) -> QGroupBox:
        """Where the request goes: it decides the packet's parts, caption, VIA line
        and service, so the line under the choice says what goes with it."""
        box = QGroupBox("Where the request goes")
        lay = QVBoxLayout(box)
        self.destination = QComboBox()
        self.destination.setAccessibleName("Destination")
        self.destination.addItem("As the form of discretion says", "")
        for d in catalogue.destinations():
            self.destination.addItem(d.label, d.id)
        self.destination.currentIndexChanged.connect(self._destination_chosen)
        self.destination.setSizeAdjustPolicy(  # a long label must not widen the window
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.destination.setMinimumContentsLength(24)
        lay.addWidget(self.destination)
        self.destination_note = hint("")
        self.destination_note.setObjectName("destination_note")
        lay.addWidget(self.destination_note)
        # a court motion: the grounds the drawn motion prints, in the attorney's words
        self.grounds = QPlainTextEdit()
        self.grounds.setTabChangesFocus(True)
        self.grounds.setAccessibleName("Grounds of the joint motion")
        self.grounds.setPlaceholderText(JOINT_GROUNDS_HINT)
        self.grounds.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        self.grounds_field = self.track(
            TextField(self.grounds, save=self._save_grounds, action="saving the grounds")
        )
        lay.addWidget(self.grounds)
        return box

    def _law_box(self) -> QGroupBox:
        """The law the request rests on: the case's framework (chosen in the Factors
        step) must be in force on the letter's date, or on the date of the earlier
        decision the request concerns, which is entered here."""
        box = QGroupBox("The law applied")
        lay = QVBoxLayout(box)
        self.framework_note = hint("")
        self.framework_note.setObjectName("framework_note")
        lay.addWidget(self.framework_note)
        self.framework_warning = Banner("warning")
        self.framework_warning.setObjectName("framework_warning")
        lay.addWidget(self.framework_warning)
        label = QLabel("&Date of the earlier decision this request concerns (if any):")
        self.decision_date = QLineEdit()
        self.decision_date.setAccessibleName("Date of the earlier decision")
        self.decision_date.setPlaceholderText("YYYY-MM-DD; leave empty for a request about now")
        label.setBuddy(self.decision_date)
        self.decision_msg = message_label()
        self.decision_field = self.track(
            TextField(
                self.decision_date,
                save=self._save_decision_date,
                validate=_check_decision_date,
                message=self.decision_msg,
                debounce_ms=None,
                action="saving the decision date",
            )
        )
        lay.addWidget(label)
        lay.addWidget(self.decision_date)
        lay.addWidget(self.decision_msg)
        return box

    def _save_decision_date(self, text: str) -> None:
        if self.ctx.has_case:
            self.ctx.update_proceedings(decision_date=text.strip() or None)
            self._explain_law()

    def _explain_law(self) -> None:
        """Which framework the case uses and whether it can carry this request."""
        p = self.ctx.case().proceedings
        fw = catalogue.framework(p.framework_id)
        since = f"in force since {fw.in_force_from}"
        dates = f"in force {fw.in_force_from} to {fw.in_force_to}" if fw.in_force_to else since
        self.framework_note.setText(
            f"Framework: {fw.name} ({dates}); choose it in the Factors step."
        )
        today = dt.date.today()
        if fw.in_force_on(today):
            warning = ""
        elif p.decision_date is None:
            warning = (
                f"“{fw.name}” is not in force today: a letter dated today cannot rest on it. "
                "Choose the framework in force, or enter the date of the earlier decision "
                "this request concerns."
            )
        elif not fw.in_force_on(p.decision_date):
            warning = f"“{fw.name}” was not in force on the decision date either."
        else:
            warning = ""
        self.framework_warning.set_text(warning)

    def _save_grounds(self, text: str) -> None:
        if self.ctx.has_case:
            self.ctx.update_proceedings(motion_grounds=text)

    # ---- showing ----------------------------------------------------------------
    def load(self) -> None:
        p = self.ctx.case().proceedings
        self._loading = True
        try:
            self.stage_group.setExclusive(False)
            for sid, rb in self.stage_buttons.items():
                rb.setChecked(sid == p.stage)
            self.stage_group.setExclusive(True)
            self._build_forms(p.stage, p.pd_form)
            self.joint.setChecked(p.joint_motion)
            self.destination.setCurrentIndex(max(0, self.destination.findData(p.destination)))
            self.grounds_field.set_text(p.motion_grounds)
            self.decision_field.set_text(
                p.decision_date.isoformat() if p.decision_date else "", check=True
            )
        finally:
            self._loading = False
        self._explain()
        self._explain_law()

    def _build_forms(self, stage_id: str, chosen: str) -> None:
        for w in self._form_widgets:
            if isinstance(w, QRadioButton):
                self.form_group.removeButton(w)
            w.deleteLater()
        self._form_widgets.clear()
        self.form_buttons.clear()
        stage = catalogue.stage(stage_id)
        if stage is None:
            note = hint("Pick the stage first: the forms that fit it appear here.")
            self.form_layout.addWidget(note)
            self._form_widgets.append(note)
            return
        ids = list(stage.forms)
        if chosen and chosen not in ids and catalogue.pd_form(chosen):
            ids.append(chosen)  # keep showing the stored choice, marked as not fitting
        for fid in ids:
            form = catalogue.pd_form(fid)
            if form is None:
                continue
            fits = fid in stage.forms
            rb = QRadioButton(form.label + ("" if fits else "  (does not fit this stage)"))
            rb.setAccessibleName(f"Form: {form.label}")
            rb.setProperty("form_id", fid)
            rb.setChecked(fid == chosen)
            self.form_group.addButton(rb)
            self.form_buttons[fid] = rb
            basis = f"Legal basis: {form.hook}" if form.hook else "No specific regulation"
            to = ADDRESSEES.get(form.addressee, form.addressee)
            note = hint(f"{basis} · addressed to {to}")
            note.setIndent(self.fontMetrics().horizontalAdvance("M") * 2)
            self.form_layout.addWidget(rb)
            self.form_layout.addWidget(note)
            self._form_widgets.extend([rb, note])

    def _explain(self) -> None:
        p = self.ctx.case().proceedings
        form = catalogue.pd_form(p.pd_form)
        stage = catalogue.stage(p.stage)
        if form and stage and not catalogue.form_fits_stage(form.id, stage.id):
            fitting = ", ".join(
                f.label for f in (catalogue.pd_form(i) for i in stage.forms) if f is not None
            )
            self.fit_warning.set_text(
                f"“{form.label}” does not fit the stage “{stage.label}”. OPLA and the court "
                f"will not grant it at this stage. Forms that fit: {fitting}."
            )
        else:
            self.fit_warning.set_text("")
        dest = self.ctx.workspace.destination(self.ctx.case_id)
        chosen = "" if p.destination else f"From the form: {dest.label}. "
        self.destination.setItemText(0, f"As the form of discretion says ({dest.label})")
        self.destination_note.setText(chosen + dest.summary)
        # a court motion prints the grounds too (the respondent's own: with DHS's position)
        self.grounds.setVisible(dest.motion)
        if dest.motion and not dest.joint:
            self.grounds.setAccessibleName("Grounds of the motion")
            self.grounds.setPlaceholderText(
                "Grounds of the motion: DHS's position (opposes / does not oppose / has not "
                "responded), the facts and the legal basis (printed in the motion after its "
                "legal basis)"
            )
        elif dest.joint:
            self.grounds.setAccessibleName("Grounds of the joint motion")
            self.grounds.setPlaceholderText(JOINT_GROUNDS_HINT)
        if form and form.consequences:
            self.consequences.set_text(f"What to weigh with the client: {form.consequences}")
        else:
            self.consequences.set_text("")

    def save_advice(self) -> None:
        """Write the client-advice note where the user says (not part of the packet)."""
        name = self.ctx.case().client.name.replace(" ", "_") or "client"
        path = pick_advice_path(self, f"Advice_{name}.pdf")
        if not path:
            return
        try:
            out = self.ctx.workspace.export_client_advice(self.ctx.case_id, path)
        except PdpacketError as exc:
            self.ctx.fail(exc, "saving the client-advice note")
            return
        self.ctx.say(f"Client-advice note saved to {Path(out).name} (not part of the packet).")

    # ---- storing ------------------------------------------------------------------
    def _stage_toggled(self, button: QRadioButton, checked: bool) -> None:
        if self._loading or not checked or not self.ctx.has_case:
            return
        stage_id = str(button.property("stage_id"))
        try:
            self.ctx.update_proceedings(stage=stage_id)
        except Exception as exc:
            self.ctx.fail(exc, action="saving the stage")
        p = self.ctx.case().proceedings
        self._loading = True
        try:
            self._build_forms(stage_id, p.pd_form)
        finally:
            self._loading = False
        self._explain()
        self.statusChanged.emit()

    def _form_toggled(self, button: QRadioButton, checked: bool) -> None:
        if self._loading or not checked or not self.ctx.has_case:
            return
        form = catalogue.pd_form(str(button.property("form_id")))
        if form is None:
            return
        try:
            self.ctx.update_proceedings(pd_form=form.id, joint_motion=form.joint_motion)
        except Exception as exc:
            self.ctx.fail(exc, action="saving the form of relief")
        self._loading = True
        self.joint.setChecked(form.joint_motion)
        self._loading = False
        self._explain()
        self.statusChanged.emit()

    def _destination_chosen(self, index: int) -> None:
        if self._loading or not self.ctx.has_case:
            return
        try:
            self.ctx.workspace.set_destination(
                self.ctx.case_id, str(self.destination.itemData(index))
            )
            self.ctx.caseChanged.emit()
        except Exception as exc:
            self.ctx.fail(exc, action="saving where the request goes")
        self._explain()
        self.statusChanged.emit()

    def _joint_toggled(self, on: bool) -> None:
        if self._loading or not self.ctx.has_case:
            return
        try:
            self.ctx.update_proceedings(joint_motion=on)
        except Exception as exc:
            self.ctx.fail(exc, action="saving the joint motion choice")
        self._explain()  # a joint motion changes the default destination

    def first_focus(self) -> QWidget | None:
        checked = self.stage_group.checkedButton()
        return checked or next(iter(self.stage_buttons.values()), None)

    def status(self) -> StepStatus:
        if not self.ctx.has_case:
            return StepStatus(State.EMPTY, "")
        p = self.ctx.case().proceedings
        if not p.stage:
            return StepStatus(State.EMPTY, "Pick the stage")
        form = catalogue.pd_form(p.pd_form)
        if form is None:
            return StepStatus(State.PARTIAL, "Pick the relief")
        if not catalogue.form_fits_stage(form.id, p.stage):
            return StepStatus(
                State.WARNING, "Form does not fit", f"{form.label} does not fit the stage."
            )
        return StepStatus(State.DONE, form.label, form.label)

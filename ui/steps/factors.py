"""Step 3: the framework's positive and negative factors as a checklist."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import catalogue
from pdpacket.model import Exhibit, FactorAnswer, FactorState, Polarity
from pdpacket.model.policy import Factor, Framework

from ..context import CaseContext
from ..fields import TextField
from ..models import packet_letters
from ..style import AMBER, GREEN, GREY, RED, Banner, State, heading, hint
from .base import Step, StepStatus


def framework_label(fw: Framework) -> str:
    until = f"until {fw.in_force_to}" if fw.in_force_to else "in force"
    return f"{fw.name} ({fw.in_force_from} – {until})" if fw.in_force_from else fw.name


def doc_type_labels(ids: Sequence[str]) -> str:
    labels = {d.id: d.label for d in catalogue.document_types()}
    return ", ".join(labels.get(i, i.replace("_", " ")) for i in ids)


def supporting(exhibits: Sequence[Exhibit], factor_id: str) -> list[tuple[str, Exhibit]]:
    letters = packet_letters(exhibits)
    return [
        (letter, ex)
        for letter, ex in zip(letters, exhibits, strict=True)
        if factor_id in ex.factor_ids
    ]


def answer_button(text: str, accessible: str, colour: str) -> QToolButton:
    button = QToolButton()
    # pressed, it is filled with the answer's colour: the state shows at a glance
    button.setStyleSheet(
        f"QToolButton:checked {{ background: {colour}; color: white; border: 1px solid "
        f"{colour}; border-radius: 3px; padding: 2px 6px; }}"
    )
    button.setText(text)
    button.setCheckable(True)
    button.setAccessibleName(accessible)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setToolTip("Press again to leave the factor unanswered")
    return button


class FactorRow(QFrame):
    """One factor: applies?, help, notes; for a negative one the explanation."""

    changed = Signal()

    def __init__(self, factor: Factor, step: FactorsStep) -> None:
        super().__init__()
        self.factor = factor
        self.step = step
        self.setObjectName(f"factor_{factor.id}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        negative = factor.polarity == Polarity.NEGATIVE
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.name = QLabel(factor.label)
        self.name.setWordWrap(True)
        # three states that look different: applies, does not apply, not answered (neither)
        self.applies = answer_button("Applies", f"{factor.label} applies", GREEN)
        self.not_applies = answer_button("Does not apply", f"{factor.label} does not apply", GREY)
        self.state_label = QLabel()
        self.state_label.setObjectName("factorState")
        for button in (self.applies, self.not_applies):
            button.toggled.connect(lambda on, b=button: self._answer_toggled(b, on))
        self.help_button = QToolButton()
        self.help_button.setText("?")
        self.help_button.setCheckable(True)
        self.help_button.setAccessibleName(f"Help on {factor.label}")
        self.help_button.setToolTip("What this factor means and how to prove it")
        top.addWidget(self.name, 1)
        top.addWidget(self.state_label)
        top.addWidget(self.applies)
        top.addWidget(self.not_applies)
        top.addWidget(self.help_button)
        layout.addLayout(top)
        self.help = hint(factor.help)
        self.help.setVisible(False)
        self.help_button.toggled.connect(self.help.setVisible)
        layout.addWidget(self.help)

        self.detail = QWidget()
        dl = QVBoxLayout(self.detail)
        dl.setContentsMargins(self.fontMetrics().horizontalAdvance("MM"), 0, 0, 0)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setPlaceholderText("Notes for the letter: the facts, dates and names")
        self.notes.setAccessibleName(f"Notes on {factor.label}")
        self.notes.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.notes_field = TextField(self.notes, save=lambda _t: self.save())
        step.track(self.notes_field)
        dl.addWidget(self.notes)
        self.explanation: QPlainTextEdit | None = None
        self.explanation_field: TextField | None = None
        if negative:
            self.explanation = QPlainTextEdit()
            self.explanation.setTabChangesFocus(True)
            self.explanation.setPlaceholderText(
                "Explanation and mitigation (needed): what happened, the outcome, "
                "rehabilitation, why it should not weigh against the client"
            )
            self.explanation.setAccessibleName(f"Explanation and mitigation for {factor.label}")
            self.explanation.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
            self.explanation_field = TextField(self.explanation, save=lambda _t: self.save())
            step.track(self.explanation_field)
            dl.addWidget(self.explanation)
        docs = doc_type_labels(factor.document_types)
        self.docs = hint(f"Suggested documents: {docs}." if docs else "")
        dl.addWidget(self.docs)  # in a layout before it is shown: never a window of its own
        self.docs.setVisible(bool(docs))
        self.support = QLabel()
        self.support.setWordWrap(True)
        self.support.setObjectName("support")
        dl.addWidget(self.support)
        self.warning = Banner("warning")
        dl.addWidget(self.warning)
        layout.addWidget(self.detail)
        self.detail.setVisible(False)
        self._loading = False

    @property
    def state(self) -> FactorState:
        if self.applies.isChecked():
            return FactorState.APPLIES
        if self.not_applies.isChecked():
            return FactorState.DOES_NOT_APPLY
        return FactorState.UNANSWERED

    def answer(self) -> FactorAnswer:
        return FactorAnswer(
            self.factor.id,
            notes=self.notes.toPlainText(),
            explanation=self.explanation.toPlainText() if self.explanation else "",
        ).with_state(self.state)

    def show_answer(self, answer: FactorAnswer | None) -> None:
        self._loading = True
        try:
            state = answer.state if answer else FactorState.UNANSWERED
            self.applies.setChecked(state == FactorState.APPLIES)
            self.not_applies.setChecked(state == FactorState.DOES_NOT_APPLY)
            self.notes_field.set_text(answer.notes if answer else "")
            if self.explanation_field:
                self.explanation_field.set_text(answer.explanation if answer else "")
            self._show_state()
        finally:
            self._loading = False

    def _show_state(self) -> None:
        state = self.state
        self.detail.setVisible(state == FactorState.APPLIES)
        negative = self.factor.polarity == Polarity.NEGATIVE
        text, colour, edge = {
            FactorState.APPLIES: ("✓ applies", GREEN, GREEN),
            FactorState.DOES_NOT_APPLY: ("✗ does not apply", GREY, GREY),
            FactorState.UNANSWERED: (
                "? not answered" if negative else "",
                AMBER,
                AMBER if negative else "#c8c8c8",
            ),
        }[state]
        self.state_label.setText(text)
        self.state_label.setStyleSheet(f"color: {colour};")
        font = self.name.font()
        font.setBold(state == FactorState.APPLIES)
        self.name.setFont(font)
        self.setStyleSheet(
            f"QFrame#factor_{self.factor.id} {{ border: 1px solid {edge}; "
            f"border-left: 4px solid {edge}; border-radius: 3px; }}"
        )
        self.setAccessibleDescription(f"{self.factor.label}: {state.value.replace('_', ' ')}")

    def show_support(self, exhibits: Sequence[Exhibit]) -> None:
        found = supporting(exhibits, self.factor.id)
        if found:
            items = "; ".join(
                f"{letter} {ex.title}" if letter != "—" else f"{ex.title} (left out)"
                for letter, ex in found
            )
            self.support.setText(f"✓ Supported by: {items}")
            self.support.setStyleSheet(f"color: {GREEN};")
        else:
            self.support.setText(
                "No exhibit supports this yet: add evidence and tick this factor on it."
            )
            self.support.setStyleSheet(f"color: {RED};")
        problems = self.problems(found_any=bool(found))
        self.warning.set_text(" ".join(problems))

    def problems(self, *, found_any: bool) -> list[str]:
        if not self.applies.isChecked() or self.factor.polarity != Polarity.NEGATIVE:
            return []
        out = []
        if not (self.explanation and self.explanation.toPlainText().strip()):
            out.append(
                "A negative factor that applies must be addressed openly: write the "
                "explanation and mitigation above."
            )
        if not found_any:
            out.append(
                "Add the mitigating evidence"
                + (
                    " (for each arrest: the certified final disposition)."
                    if self.factor.requires_disposition
                    else "."
                )
            )
        return out

    def _answer_toggled(self, button: QToolButton, on: bool) -> None:
        """One of the two at most: pressing the pressed one again unsays it."""
        if on:
            other = self.not_applies if button is self.applies else self.applies
            if other.isChecked():
                other.blockSignals(True)
                other.setChecked(False)
                other.blockSignals(False)
        self._show_state()
        if not self._loading:
            self.save()

    def save(self) -> None:
        if self._loading or not self.step.ctx.has_case:
            return
        try:
            self.step.ctx.workspace.set_factor_answer(self.step.ctx.case_id, self.answer())
        except Exception as exc:
            self.step.ctx.fail(exc, action=f"saving the factor {self.factor.label}")
            return
        self.show_support(self.step.exhibits)
        self.step.ctx.caseChanged.emit()
        self.changed.emit()


class FactorsStep(Step):
    key = "factors"
    title = "Factors"
    intro = (
        "Say for each factor whether it applies to the client. Each says what it means and "
        "which documents prove it; every negative factor needs an answer, and one that "
        "applies needs an explanation."
    )

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.exhibits: list[Exhibit] = []
        self.rows: dict[str, FactorRow] = {}
        col = QVBoxLayout(self.body)
        self.margins(col)
        top = QHBoxLayout()
        label = QLabel("&Framework:")
        self.framework = QComboBox()
        self.framework.setAccessibleName("Framework")
        for fw in catalogue.frameworks():
            self.framework.addItem(framework_label(fw), fw.id)
        self.framework.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.framework.setMinimumContentsLength(20)
        label.setBuddy(self.framework)
        self.framework.currentIndexChanged.connect(self._framework_changed)
        self.about = QToolButton()
        self.about.setText("About this framework")
        self.about.setCheckable(True)
        top.addWidget(label)
        top.addWidget(self.framework, 1)
        top.addWidget(self.about)
        col.addLayout(top)
        self.description = hint()
        self.description.setVisible(False)
        self.about.toggled.connect(self.description.setVisible)
        col.addWidget(self.description)
        self.rows_box = QWidget()
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.rows_box)
        col.addStretch(1)
        self._fw_id = ""
        self._loading = False
        ctx.exhibitsChanged.connect(self._exhibits_changed)

    def current_framework(self) -> Framework:
        return catalogue.framework(self.ctx.case().proceedings.framework_id)

    def load(self) -> None:
        fw = self.current_framework()
        self._loading = True
        self.framework.setCurrentIndex(max(0, self.framework.findData(fw.id)))
        self._loading = False
        self.exhibits = self.ctx.exhibits()
        self._build_rows(fw)

    def _build_rows(self, fw: Framework) -> None:
        while self.rows_layout.count():
            item = self.rows_layout.takeAt(0)
            w = item.widget() if item else None
            if w is not None:
                w.deleteLater()
        self.fields = []
        self.rows.clear()
        self._fw_id = fw.id
        text = fw.description
        if fw.priorities:
            text += "\n\nPriorities: " + "; ".join(
                f"{p.get('label', '')}: {p.get('help', '')}" for p in fw.priorities
            )
        if fw.source:
            text += f"\n\nSource: {fw.source} Verified on {fw.verified_on}."
        self.description.setText(text)
        answers = self.ctx.workspace.factor_answers(self.ctx.case_id)
        for title, factors in (
            ("Positive factors", fw.positive),
            ("Negative factors", fw.negative),
        ):
            if not factors:
                continue
            self.rows_layout.addWidget(heading(title, 2))
            if title.startswith("Negative"):
                self.rows_layout.addWidget(
                    hint(
                        "A strong request never ignores these: if one applies, explain it and "
                        "add mitigating evidence; if none applies, say so in the letter."
                    )
                )
            for factor in factors:
                row = FactorRow(factor, self)
                row.show_answer(answers.get(factor.id))
                row.show_support(self.exhibits)
                row.changed.connect(self.statusChanged.emit)
                self.rows[factor.id] = row
                self.rows_layout.addWidget(row)

    def _framework_changed(self) -> None:
        if self._loading or not self.ctx.has_case:
            return
        fw_id = str(self.framework.currentData())
        self.flush()
        try:
            self.ctx.update_proceedings(framework_id=fw_id)
        except Exception as exc:
            self.ctx.fail(exc, action="saving the framework")
            return
        self._build_rows(catalogue.framework(fw_id))
        self.statusChanged.emit()

    def _exhibits_changed(self) -> None:
        if not self.ctx.has_case:
            return
        self.exhibits = self.ctx.exhibits()
        for row in self.rows.values():
            row.show_support(self.exhibits)
        self.statusChanged.emit()

    def first_focus(self) -> QWidget | None:
        return self.framework

    def first_unanswered_negative(self) -> FactorRow | None:
        fw = self.current_framework()
        return next(
            (
                row
                for f in fw.negative
                if (row := self.rows.get(f.id)) and row.state == FactorState.UNANSWERED
            ),
            None,
        )

    def status(self) -> StepStatus:
        if not self.ctx.has_case:
            return StepStatus(State.EMPTY, "")
        fw = self.current_framework()
        answers = self.ctx.workspace.factor_answers(self.ctx.case_id)
        applying = [f for f in fw.factors if answers.get(f.id, FactorAnswer(f.id)).applies]
        if not applying:
            return StepStatus(State.EMPTY, "Tick what applies")
        exhibits = self.ctx.exhibits()
        unexplained = [
            f.label
            for f in applying
            if f.polarity == Polarity.NEGATIVE and not answers[f.id].explanation.strip()
        ]
        if unexplained:
            return StepStatus(
                State.WARNING,
                "Explain negatives",
                f"Needs an explanation: {', '.join(unexplained)}.",
            )
        unsupported = [f.label for f in applying if not supporting(exhibits, f.id)]
        n = len(applying)
        if unsupported:
            return StepStatus(
                State.PARTIAL,
                f"{n - len(unsupported)} of {n} supported",
                f"No exhibit yet for: {', '.join(unsupported)}.",
            )
        return StepStatus(State.DONE, f"{n} factor{'s' if n != 1 else ''}, all supported")

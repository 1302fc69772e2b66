"""Step 7: the readiness review.  Everything that would make the request fail
for an avoidable reason, grouped by severity, each with its fix; double-click
(or Enter) goes to the place where it is fixed.  "Ready to file" when there is
no error.

The review runs in a worker (``Workspace.review``) when the step is shown and
shortly after any change to the case, so the sidebar always says whether the
case is ready.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QIcon,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QShowEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import Workspace
from pdpacket.model import Finding, Severity
from pdpacket.model.progress import CancelToken

from ..context import CaseContext
from ..style import AMBER, BLUE, GREY, RED, Banner, State, scaled_font
from ..workers import Job, SignalProgress
from .base import Step, StepStatus
from .build import BuildStep
from .client import ClientStep
from .evidence import EvidenceStep
from .exhibits import ExhibitsStep
from .factors import FactorsStep
from .stage import StageStep

REVIEW_DELAY_MS = 600
FINDING_ROLE = Qt.ItemDataRole.UserRole + 1

# (value for Workspace.review, label)
EDITIONS: tuple[tuple[str | None, str], ...] = (
    (None, "The last packet built"),
    ("standard", "Standard packet"),
    ("efile", "E-filing (ECAS, 25 MB a file)"),
    ("email", "E-mail to OPLA"),
    ("print", "Printed copy"),
)
GROUPS = (
    (Severity.ERROR, "Errors", "must be fixed before filing"),
    (Severity.WARNING, "Warnings", "deserve a look"),
    (Severity.NOTE, "Notes", "for your information"),
)


@functools.cache
def severity_icon(severity: Severity, size: int = 16) -> QIcon:
    """Red circle with "!", amber triangle with "!", blue circle with "i"."""
    icon = QIcon()
    for scale in (1, 2, 3):
        pm = QPixmap(size * scale, size * scale)
        pm.setDevicePixelRatio(scale)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        r = QRectF(1.5, 1.5, size - 3, size - 3)
        if severity == Severity.WARNING:
            p.setBrush(QColor(AMBER))
            path = QPainterPath(QPointF(size / 2, 1.5))
            path.lineTo(size - 1.5, size - 2)
            path.lineTo(1.5, size - 2)
            path.closeSubpath()
            p.drawPath(path)
        else:
            p.setBrush(QColor(RED if severity == Severity.ERROR else BLUE))
            p.drawEllipse(r)
        pen = QPen(QColor("white"), size / 8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        p.setPen(pen)
        if severity == Severity.NOTE:
            p.drawPoint(QPointF(size / 2, size * 0.3))
            p.drawLine(QPointF(size / 2, size * 0.47), QPointF(size / 2, size * 0.72))
        else:
            top = 0.36 if severity == Severity.WARNING else 0.27
            p.drawLine(QPointF(size / 2, size * top), QPointF(size / 2, size * 0.58))
            p.drawPoint(QPointF(size / 2, size * 0.75))
        p.end()
        icon.addPixmap(pm)
    return icon


def summary_text(findings: Sequence[Finding]) -> str:
    n = {s: sum(f.severity == s for f in findings) for s in Severity}
    parts = []
    for sev, word in ((Severity.ERROR, "error"), (Severity.WARNING, "warning")):
        if n[sev]:
            parts.append(f"{n[sev]} {word}{'s' if n[sev] != 1 else ''}")
    if n[Severity.NOTE]:
        parts.append(f"{n[Severity.NOTE]} note{'s' if n[Severity.NOTE] != 1 else ''}")
    return ", ".join(parts)


class FindingDelegate(QStyledItemDelegate):
    """A finding: its message, and under it the fix in grey, both wrapped."""

    def _document(
        self,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        width: int,
    ) -> QTextDocument:
        finding = index.data(FINDING_ROLE)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        fg = (pal.highlightedText() if selected else pal.text()).color().name()
        fix_colour = fg if selected else GREY
        doc = QTextDocument()
        doc.setDocumentMargin(2)
        doc.setDefaultFont(option.font)
        text = f"<span style='color:{fg}'>{html.escape(finding.message)}</span>"
        if finding.fix:
            text += f"<br><span style='color:{fix_colour}'>Fix: {html.escape(finding.fix)}</span>"
        doc.setHtml(text)
        doc.setTextWidth(max(50, width))
        return doc

    def _text_width(self, option: QStyleOptionViewItem) -> int:
        """The width paint() will wrap the text to: the item's text rectangle
        for a row as wide as the list."""
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QAbstractItemView) else 0
        if isinstance(view, QListWidget):
            width -= 2 * view.spacing()
        opt = QStyleOptionViewItem(option)
        opt.rect.setWidth(max(100, width or option.rect.width()))
        opt.rect.setHeight(1000)
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            return opt.rect.width() - opt.decorationSize.width() - 12
        return style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget).width()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        if not isinstance(index.data(FINDING_ROLE), Finding):
            return super().sizeHint(option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        width = self._text_width(opt)
        doc = self._document(opt, index, width)
        return QSize(width, round(doc.size().height()) + 4)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if not isinstance(index.data(FINDING_ROLE), Finding):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        doc = self._document(opt, index, rect.width())
        painter.save()
        painter.translate(rect.topLeft())
        doc.drawContents(painter)
        painter.restore()


# ---- going where a finding is fixed ------------------------------------------------------
def scroll_into_view(area: QScrollArea, target: QWidget) -> None:
    """Scroll so ``target`` sits a third of the way down the view, where the eye
    lands, not at the very edge; its focus then cannot scroll it back to the edge."""
    content = area.widget()
    if content is None:
        return
    bar = area.verticalScrollBar()
    y = target.mapTo(content, QPoint(0, 0)).y()
    bar.setValue(max(0, min(bar.maximum(), y - area.viewport().height() // 3)))


def focus_location(step: QWidget, finding: Finding) -> bool:
    """Select or focus what ``finding`` is about on ``step`` (already shown).
    A step may offer ``select_object(object_id, code)``; the walkthrough's
    first steps are handled here by what they already have."""
    obj, code = finding.location.object_id, finding.code
    select = getattr(step, "select_object", None)
    if callable(select):
        return bool(select(obj, code))
    target: QWidget | None = None
    if isinstance(step, EvidenceStep):
        if obj.isdigit():
            step.select_exhibit(int(obj))
            target = step.list
        else:
            target = step.add_files
    elif isinstance(step, ExhibitsStep) and obj.isdigit():
        step.select_ids([int(obj)])
        target = step.table
    elif isinstance(step, FactorsStep):
        row = step.rows.get(obj)
        if row is None and code == "factor.negatives_unanswered":
            row = step.first_unanswered_negative()
        if row is not None:
            scroll_into_view(step.scroll_area, row)
            if code == "factor.negative_no_explanation" and row.explanation is not None:
                target = row.explanation
            else:
                target = row.applies if not row.applies.isChecked() else row.notes
            if code == "factor.negatives_unanswered":
                target = row.applies
    elif isinstance(step, ClientStep):
        if code.startswith("hearing."):
            target = step.hearing
        elif code.startswith(("office.", "stage.no_office")):
            target = step.office
        elif code == "client.no_a_number":
            target = step.a_number
        elif code == "proceedings.no_court":
            target = step.court
        if target is not None:
            scroll_into_view(step.scroll_area, target)
    elif isinstance(step, StageStep):
        group = step.stage_group if code == "stage.missing" else step.form_group
        target = group.checkedButton() or next(iter(group.buttons()), None)
    elif isinstance(step, BuildStep):
        target = step.build_button
    if target is None:
        first = getattr(step, "first_focus", None)
        target = first() if callable(first) else None
    if target is not None:
        target.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
    return False


class ReviewStep(Step):
    key = "review"
    title = "Review"
    intro = (
        "What would make the request fail, checked as you work: errors must be fixed before "
        "filing, warnings deserve a look. Double-click a finding (or press Enter) to go "
        "where it is fixed."
    )
    scrolls = False

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.findings: list[Finding] | None = None  # None: not reviewed yet
        self.job: Job | None = None
        self._again = False
        self._generation = 0
        col = QVBoxLayout(self.body)
        self.margins(col)

        top = QHBoxLayout()
        self.verdict = QLabel()
        self.verdict.setObjectName("reviewVerdict")
        self.verdict.setFont(scaled_font(self.verdict, 1.25, bold=True))
        self.verdict.setWordWrap(True)
        top.addWidget(self.verdict, 1)
        label = QLabel("&Check for:")
        self.edition = QComboBox()
        self.edition.setObjectName("reviewEdition")
        self.edition.setAccessibleName("Check the packet for")
        for value, text in EDITIONS:
            self.edition.addItem(text, value)
        self.edition.setToolTip("Which packet's size and page orientation to check")
        self.edition.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.edition.setMinimumContentsLength(12)
        label.setBuddy(self.edition)
        self.edition.currentIndexChanged.connect(self._edition_changed)
        top.addWidget(label)
        top.addWidget(self.edition)
        self.again = QPushButton("Check &again")
        self.again.clicked.connect(lambda: self.run_review())
        top.addWidget(self.again)
        col.addLayout(top)

        self.banner = Banner("ok")
        self.banner.setObjectName("reviewBanner")
        col.addWidget(self.banner)

        self.list = QListWidget()
        self.list.setObjectName("findingList")
        self.list.setAccessibleName("Findings of the review")
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.list.setSpacing(2)
        self.list.setItemDelegate(FindingDelegate(self.list))
        self.list.itemActivated.connect(self._activated)
        self.list.installEventFilter(self)
        col.addWidget(self.list, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REVIEW_DELAY_MS)
        self._timer.timeout.connect(self.run_review)
        for signal in (
            ctx.caseChanged,
            ctx.exhibitsChanged,
            ctx.buildsChanged,
            ctx.letterChanged,
            ctx.settingsChanged,
        ):
            signal.connect(self.schedule)
        self._show()

    # ---- running ---------------------------------------------------------------------------
    def load(self) -> None:
        self.findings = None
        self._generation += 1
        self._show()
        self.run_review()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.ctx.has_case:
            self.run_review()

    def schedule(self) -> None:
        if self.ctx.has_case:
            self._timer.start()

    def _edition_changed(self) -> None:
        self.run_review()

    def run_review(self) -> None:
        """Review the open case in a worker (a newer request supersedes an older one)."""
        self._timer.stop()
        if not self.ctx.has_case:
            return
        if self.job is not None:
            self._again = True
            return
        case_id = self.ctx.case_id
        edition = self.edition.currentData()
        self._generation += 1
        generation = self._generation

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> list[Finding]:
            return ws.review(case_id, edition=edition)

        self.job = self.ctx.runner.submit(work, "review")
        self.job.succeeded.connect(lambda found, g=generation, c=case_id: self._done(g, c, found))
        self.job.failed.connect(self._failed)

    def _finish_job(self) -> None:
        self.job = None
        if self._again:
            self._again = False
            self.run_review()

    def _done(self, generation: int, case_id: int, found: list[Finding]) -> None:
        if generation == self._generation and case_id == self.ctx.case_id:
            self.findings = list(found)
            self._show()
            self.statusChanged.emit()
        self._finish_job()

    def _failed(self, exc: BaseException) -> None:
        self._finish_job()
        self.banner.set_text(f"The review could not run: {exc}", "error")

    # ---- showing ----------------------------------------------------------------------------
    def _show(self) -> None:
        self.list.clear()
        found = self.findings
        if found is None:
            self.verdict.setText("Checking…" if self.ctx.has_case else "")
            self.verdict.setStyleSheet("")
            self.banner.set_text("")
            return
        errors = sum(f.severity == Severity.ERROR for f in found)
        if errors:
            self.verdict.setText(
                f"Not ready: {errors} error{'s' if errors != 1 else ''} to fix before filing"
            )
            self.verdict.setStyleSheet(f"color: {RED};")
            self.banner.set_text("")
        else:
            self.verdict.setText("Ready to file")
            self.verdict.setStyleSheet("color: #2e7d4f;")
            rest = summary_text(found)
            self.banner.set_text(
                "No errors: nothing blocks the request."
                + (f" Still worth a look: {rest}." if rest else " Nothing else to look at."),
                "ok",
            )
        bold = QFont(self.list.font())
        bold.setBold(True)
        for sev, name, why in GROUPS:
            items = [f for f in found if f.severity == sev]
            if not items:
                continue
            header = QListWidgetItem(severity_icon(sev), f"{name} ({len(items)}) — {why}")
            header.setFont(bold)
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            header.setData(Qt.ItemDataRole.AccessibleTextRole, f"{name}: {len(items)}")
            self.list.addItem(header)
            for f in items:
                item = QListWidgetItem(severity_icon(sev), f.message)
                item.setData(FINDING_ROLE, f)
                item.setToolTip(f"{f.message}\n\n{f.fix}\n\nDouble-click or Enter: go there.")
                item.setData(
                    Qt.ItemDataRole.AccessibleTextRole, f"{sev.value}: {f.message} Fix: {f.fix}"
                )
                self.list.addItem(item)
        first = next(
            (i for i in range(self.list.count()) if self.list.item(i).data(FINDING_ROLE)), -1
        )
        if first >= 0:
            self.list.setCurrentRow(first)

    def finding_items(self) -> list[QListWidgetItem]:
        return [
            self.list.item(i)
            for i in range(self.list.count())
            if self.list.item(i).data(FINDING_ROLE)
        ]

    # ---- jumping -----------------------------------------------------------------------------
    def _activated(self, item: QListWidgetItem) -> None:
        finding = item.data(FINDING_ROLE)
        if isinstance(finding, Finding):
            self.go_to(finding)

    def go_to(self, finding: Finding) -> None:
        """Show the step where ``finding`` is fixed, with its object selected."""
        self.ctx.stepRequested.emit(finding.location.step)
        step_of = getattr(self.ctx.window, "step", None)
        if not callable(step_of):
            return
        try:
            step = step_of(finding.location.step)
        except StopIteration:
            return
        focus_location(step, finding)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            item = self.list.currentItem()
            if item is not None:
                self._activated(item)
                return True
        return False

    # ---- status ---------------------------------------------------------------------------------
    def first_focus(self) -> QWidget | None:
        return self.list

    def status(self) -> StepStatus:
        if not self.ctx.has_case or self.findings is None:
            return StepStatus(State.EMPTY, "Checking…" if self.ctx.has_case else "")
        errors = [f for f in self.findings if f.severity == Severity.ERROR]
        if errors:
            n = len(errors)
            return StepStatus(
                State.WARNING,
                f"{n} error{'s' if n != 1 else ''} to fix",
                " ".join(f.message for f in errors[:3]),
            )
        rest = summary_text(self.findings)
        return StepStatus(State.DONE, "Ready to file", rest or "Nothing to look at.")


__all__ = ["ReviewStep", "focus_location", "severity_icon"]

"""The Signatures list: every document of the open case that someone must sign,
and how it is signed -- electronically ("/s/ Name" and the date), in ink (the
packet prints a line to sign), or not yet (the review's error).  Each choice
goes through the façade (``Workspace.set_signature``)."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pdpacket.errors import PdpacketError
from pdpacket.model.signing import Signature, SignatureMethod, Signer

from .context import CaseContext
from .style import GREEN, GREY, RED, hint

CHOICES = (
    (SignatureMethod.ELECTRONIC, "Electronic (/s/)"),
    (SignatureMethod.WET, "In ink"),
    (SignatureMethod.MISSING, "Not signed"),
)
# whose name the list lets the user type (the others come from Settings, the
# exhibit's translator or the client)
NAMED_HERE = (Signer.INTERPRETER, Signer.SERVER)


class SignaturesPanel(QWidget):
    """One row per signature: the document, who signs, and a choice of how."""

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signaturesPanel")
        self.ctx = ctx
        self.signatures: list[Signature] = []
        self.combos: dict[str, QComboBox] = {}
        self.names: dict[str, QLineEdit] = {}
        self._loading = False
        col = QVBoxLayout(self)
        col.setContentsMargins(6, 6, 6, 6)
        self.intro = hint(
            'Electronic: the packet prints "/s/ Name" and the date, where the firm allows '
            "it for this destination (Settings). In ink: it prints a line to sign before "
            "filing. Not signed: the review stops a final packet."
        )
        col.addWidget(self.intro)
        self.summary = QLabel()
        self.summary.setObjectName("signaturesSummary")
        self.summary.setWordWrap(True)
        col.addWidget(self.summary)
        self.rows = QWidget()
        self.grid = QGridLayout(self.rows)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(0, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.rows)
        col.addWidget(scroll, 1)
        bar = QHBoxLayout()
        self.sign_all = QPushButton("Sign all electronically")
        self.sign_all.setObjectName("signAll")
        self.sign_all.setToolTip(
            'Type "/s/ Name" and today\'s date on every document the firm may sign '
            "electronically and whose signer's name is known"
        )
        self.sign_all.clicked.connect(self.sign_all_electronically)
        bar.addWidget(self.sign_all)
        bar.addStretch(1)
        col.addLayout(bar)
        for signal in (ctx.caseChanged, ctx.exhibitsChanged, ctx.letterChanged):
            signal.connect(self.load)
        ctx.settingsChanged.connect(self.load)
        ctx.caseOpened.connect(lambda case_id: self.load() if case_id else None)

    # ---- showing ------------------------------------------------------------------------
    def load(self) -> None:
        if not self.ctx.has_case:
            return
        try:
            self.signatures = self.ctx.workspace.signatures(self.ctx.case_id)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="reading the signatures")
            self.signatures = []
        self._loading = True
        try:
            self._fill()
        finally:
            self._loading = False
        self._summarise()

    def _fill(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            w = item.widget() if item is not None else None
            if w is not None:
                w.hide()  # at once: deleteLater waits for the event loop
                w.deleteLater()
        self.combos, self.names = {}, {}
        for row, sig in enumerate(self.signatures):
            label = QLabel(
                f"{html.escape(sig.label)}<br>"
                f"<span style='color:{GREY}'>{html.escape(_who(sig))}</span>"
            )
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setWordWrap(True)
            self.grid.addWidget(label, row * 2, 0)
            combo = QComboBox()
            combo.setAccessibleName(f"How {sig.label} is signed")
            for method, text in CHOICES:
                combo.addItem(text, str(method))
            model = combo.model()
            if not sig.electronic_allowed and isinstance(model, QStandardItemModel):
                item0 = model.item(0)
                if item0 is not None:
                    item0.setEnabled(False)
                    item0.setToolTip("The firm signs in ink for this destination (Settings)")
            combo.setCurrentIndex(combo.findData(str(sig.method)))
            combo.currentIndexChanged.connect(lambda _i, s=sig: self._chosen(s))
            self.combos[sig.key] = combo
            self.grid.addWidget(combo, row * 2, 1, Qt.AlignmentFlag.AlignTop)
            if sig.signer in NAMED_HERE:
                name = QLineEdit(sig.name)
                name.setPlaceholderText(
                    "Name of the interpreter"
                    if sig.signer == Signer.INTERPRETER
                    else "Who served it (the attorney unless named)"
                )
                name.setAccessibleName(f"Who signs {sig.label}")
                name.editingFinished.connect(lambda s=sig: self._chosen(s))
                self.names[sig.key] = name
                self.grid.addWidget(name, row * 2 + 1, 0, 1, 2)
        if not self.signatures:
            empty = hint("Nothing in this case needs a signature yet.")
            self.grid.addWidget(empty, 0, 0, 1, 2)
        self.grid.setRowStretch(len(self.signatures) * 2 + 1, 1)

    def _summarise(self) -> None:
        sigs = self.signatures
        missing = [s for s in sigs if s.method == SignatureMethod.MISSING]
        ink = [s for s in sigs if s.method == SignatureMethod.WET]
        done = len(sigs) - len(missing) - len(ink)
        if not sigs:
            text, colour = "", GREY
        elif missing:
            text = f"{len(missing)} of {len(sigs)} not signed yet."
            colour = RED
        else:
            text = f"All {len(sigs)} signed ({done} electronically)."
            if ink:
                text = f"All {len(sigs)} signed: {done} electronically, {len(ink)} in ink."
            colour = GREEN
        self.summary.setText(text)
        self.summary.setStyleSheet(f"color: {colour};")
        self.sign_all.setEnabled(any(s.electronic_allowed and not s.electronic for s in sigs))

    # ---- changing -----------------------------------------------------------------------
    def _chosen(self, sig: Signature) -> None:
        if self._loading:
            return
        combo = self.combos[sig.key]
        method = str(combo.currentData())
        edit = self.names.get(sig.key)
        name = edit.text() if edit is not None else None
        try:
            self.ctx.workspace.set_signature(
                self.ctx.case_id,
                sig.document,
                sig.signer,
                method,
                exhibit_id=sig.exhibit_id,
                name=name,
            )
        except PdpacketError as exc:
            self.ctx.fail(exc, action=f"signing {sig.label}")
            self.load()
            return
        self.ctx.caseChanged.emit()  # the letter's preview and the review follow

    def sign_all_electronically(self) -> None:
        try:
            self.ctx.workspace.sign_all_electronically(self.ctx.case_id)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="signing electronically")
        self.ctx.caseChanged.emit()


def _who(sig: Signature) -> str:
    name = sig.name or "name not known yet"
    if sig.electronic:
        when = (
            f", {sig.signed_on:%b} {sig.signed_on.day}, {sig.signed_on.year}"
            if sig.signed_on
            else ""
        )
        return f"{sig.mark}{when}"
    who = "Served by" if sig.signer == Signer.SERVER else sig.signer.value.capitalize()
    return f"{who}: {name}"

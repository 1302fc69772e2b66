"""The letter step's side panels: citing an exhibit (a chip, or a page range
inside it) and the merge conflicts of a refreshed draft, compared side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QEvent,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QKeyEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pdpacket.model import Exhibit, LetterConflict, markup

from ..models import packet_letters
from ..style import GREY, RED, Banner, hint
from .letter_editor import cite_token


# ---- citing ----------------------------------------------------------------------------
class CitePanel(QWidget):
    """The packet's exhibits with their letters; a click cites one at the cursor."""

    citeRequested = Signal(str)  # a token

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        m = self.fontMetrics().height() // 2
        layout.setContentsMargins(m, m, m, m)
        layout.addWidget(
            hint("Click an exhibit to cite it at the cursor. The letters follow the packet order.")
        )
        self.list = QListWidget()
        self.list.setObjectName("citeList")
        self.list.setAccessibleName("Exhibits to cite")
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(self._clicked)
        self.list.installEventFilter(self)
        layout.addWidget(self.list, 1)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Cite as")
        self.kind.addItem("the exhibit: “Exhibit C”", "cite")
        self.kind.addItem("its pages: “Exh. C at 14–16”", "pages")
        self.pages = QLineEdit()
        self.pages.setAccessibleName("Pages of the exhibit to cite")
        self.pages.setPlaceholderText("all, or e.g. 2-3")
        self.pages.textChanged.connect(self._check_pages)
        form.addRow("Cite &as:", self.kind)
        form.addRow("&Pages:", self.pages)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {RED};")
        self.message.setVisible(False)
        layout.addWidget(self.message)
        self.empty = hint("No exhibit is in the packet yet: add evidence first.")
        layout.addWidget(self.empty)
        self.exhibits: list[tuple[str, Exhibit]] = []

    def set_exhibits(self, exhibits: Sequence[Exhibit]) -> None:
        current = self.current_id()
        self.exhibits = [
            (letter, ex)
            for letter, ex in zip(packet_letters(exhibits), exhibits, strict=True)
            if letter != "—"
        ]
        self.list.clear()
        for letter, ex in self.exhibits:
            item = QListWidgetItem(f"{letter}  –  {ex.title}")
            item.setData(Qt.ItemDataRole.UserRole, ex.id)
            item.setToolTip(f"Exhibit {letter}: {ex.title}, {ex.pages} pages")
            self.list.addItem(item)
            if ex.id == current:
                self.list.setCurrentItem(item)
        self.empty.setVisible(not self.exhibits)
        self._check_pages()

    def current_id(self) -> int:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else 0

    def _exhibit(self, ex_id: int) -> Exhibit | None:
        return next((ex for _, ex in self.exhibits if ex.id == ex_id), None)

    def _check_pages(self) -> str:
        text = self.pages.text().strip()
        problem = ""
        if text:
            m = markup.PAGE_RANGE.match(text)
            ex = self._exhibit(self.current_id())
            if not m:
                problem = "Type a page or a range of pages, e.g. 2 or 2-3."
            elif ex is not None:
                first, last = int(m[1]), int(m[2] or m[1])
                if first < 1 or last < first or last > ex.pages:
                    problem = f"“{ex.title}” has pages 1 to {ex.pages}."
        self.message.setText(problem)
        self.message.setVisible(bool(problem))
        return problem

    def _clicked(self, item: QListWidgetItem) -> None:
        self.cite(int(item.data(Qt.ItemDataRole.UserRole)))

    def cite(self, exhibit_id: int) -> None:
        item = next(
            (
                self.list.item(i)
                for i in range(self.list.count())
                if self.list.item(i).data(Qt.ItemDataRole.UserRole) == exhibit_id
            ),
            None,
        )
        if item is not None:
            self.list.setCurrentItem(item)
        if self._check_pages():
            return
        self.citeRequested.emit(
            cite_token(exhibit_id, str(self.kind.currentData()), self.pages.text())
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.list
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self.current_id()
        ):
            self.cite(self.current_id())
            return True
        return False


# ---- merge conflicts --------------------------------------------------------------------
def _view(text: str, empty: str, lines: int) -> QPlainTextEdit:
    view = QPlainTextEdit(text or empty)
    view.setReadOnly(True)
    view.setMinimumHeight(view.fontMetrics().lineSpacing() * lines + 12)
    if not text:
        view.setStyleSheet(f"color: {GREY}; font-style: italic;")
    return view


class ConflictCard(QFrame):
    """One part both sides changed: the attorney's text and the new draft's."""

    chosen = Signal(object, bool)  # (card, use the draft)

    def __init__(self, conflict: LetterConflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.conflict = conflict
        self.setObjectName("conflictCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        where = f"Under “{conflict.section}”" if conflict.section else "Before the first heading"
        title = QLabel(f"<b>{_esc(where)}</b>")
        layout.addWidget(title)
        cols = QHBoxLayout()
        for label, text, empty in (
            ("Your text (kept for now)", conflict.mine, "(you removed this part)"),
            ("The new draft", conflict.draft, "(the new draft leaves this part out)"),
        ):
            box = QVBoxLayout()
            box.addWidget(hint(label))
            box.addWidget(_view(text, empty, 6))
            cols.addLayout(box, 1)
        layout.addLayout(cols)
        row = QHBoxLayout()
        row.addStretch(1)
        self.keep = QPushButton("Keep mine")
        self.keep.setAccessibleName(f"Keep your text ({where})")
        self.keep.clicked.connect(lambda: self.chosen.emit(self, False))
        self.use = QPushButton("Use the draft")
        self.use.setAccessibleName(f"Use the new draft's text ({where})")
        self.use.clicked.connect(lambda: self.chosen.emit(self, True))
        row.addWidget(self.keep)
        row.addWidget(self.use)
        layout.addLayout(row)


class ConflictsPanel(QWidget):
    chosen = Signal(object, bool)
    keepAll = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsPanel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.banner = Banner("warning")
        top.addWidget(self.banner, 1)
        self.keep_all = QPushButton("Keep all of mine")
        self.keep_all.clicked.connect(self.keepAll.emit)
        top.addWidget(self.keep_all)
        layout.addLayout(top)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        self.cards_layout = QVBoxLayout(inner)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area.setWidget(inner)
        layout.addWidget(self.scroll_area, 1)
        self.cards: list[ConflictCard] = []

    def show_conflicts(self, conflicts: Sequence[LetterConflict]) -> None:
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        for c in conflicts:
            card = ConflictCard(c)
            card.chosen.connect(self.chosen.emit)
            self.cards_layout.addWidget(card, 1)  # the boxes grow into spare room
            self.cards.append(card)
        n = len(conflicts)
        self.banner.set_text(
            f"{n} part{'s' if n != 1 else ''} of the letter changed both in your text and in "
            "the new draft. Your text was kept; compare each and choose."
            if n
            else ""
        )
        self.setVisible(bool(n))

    def remove(self, card: ConflictCard) -> None:
        if card in self.cards:
            self.cards.remove(card)
            card.setParent(None)
            card.deleteLater()
        self.show_remaining()

    def show_remaining(self) -> None:
        n = len(self.cards)
        self.banner.set_text(
            f"{n} part{'s' if n != 1 else ''} left to compare: your text is kept unless you "
            "choose the draft's."
            if n
            else ""
        )
        self.setVisible(bool(n))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def apply_draft(text: str, conflict: LetterConflict) -> str | None:
    """``text`` with the conflict's part replaced by the draft's version (None:
    the attorney's part is no longer in the text as it was)."""
    mine, draft = conflict.mine.strip(), conflict.draft.strip()
    if mine:
        at = text.find(mine)
        if at < 0:
            return None
        if draft:
            return text[:at] + draft + text[at + len(mine) :]
        before, after = text[:at].rstrip("\n"), text[at + len(mine) :].lstrip("\n")
        return before + ("\n\n" if before and after else "") + after
    if not draft:
        return text
    lines = text.split("\n")
    if conflict.section:
        for n, line in enumerate(lines):
            if markup.heading_text(line.strip()) == conflict.section:
                return "\n".join([*lines[: n + 1], "", draft, *lines[n + 1 :]])
        return None
    return draft + "\n\n" + text

"""Step 6: the request letter.  Generate a draft from the case, edit it in a
small markup, cite exhibits as chips that always show the exhibits' current
letters, refresh the draft from changed answers without losing edits (parts
both sides changed are compared side by side), preview and export the PDF.

The editor is a QTextEdit whose text is the letter's markup (see
``pdpacket.letter``), except that each citation token (``{{cite:12}}``) is one
character drawn as a chip ("Exhibit C").  ``LetterEditor.markup()`` turns the
document back into the markup the core stores; copy and paste carry the tokens.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QObject,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSizeF,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QPainter,
    QPen,
    QPyTextObject,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
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
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from pdpacket.api import LetterExport, Workspace, factor_heading, page_range
from pdpacket.errors import PdpacketError
from pdpacket.model import DocumentRole, Exhibit, Letter, LetterConflict, markup
from pdpacket.model.progress import CancelToken

from ..context import CaseContext
from ..models import packet_letters
from ..preview import load_pdf
from ..style import BLUE, GREY, RED, Banner, EmptyState, State, hint
from ..workers import Job, SignalProgress
from .base import Step, StepStatus
from .build import safe_filename

CHIP_TYPE = int(QTextFormat.ObjectTypes.UserObject) + 1
TOKEN_PROP = int(QTextFormat.Property.UserProperty) + 1
OBJECT_CHAR = "\ufffc"
AUTOSAVE_MS = 800
PREVIEW_MS = 1000

# Display only (the core's parser is pdpacket.letter): what the highlighter colours.
_HEADING = re.compile(r"^(#{1,3})\s+\S")
_LIST = re.compile(r"^\s*([-*\u2022]|\d+[.)])\s+")
_PREFIX = re.compile(r"^(#{1,3}\s+|\s*[-*\u2022]\s+|\s*\d+[.)]\s+)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![*\w])")
_PLACEHOLDER = re.compile(r"\[\[.+?\]\]")
_OTHER_TOKEN = re.compile(r"\{\{.*?\}\}")
_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-\u2013]\s*(\d+))?\s*$")


def pick_letter_path(parent: QWidget | None, suggested: str) -> str:
    """Where to export the letter (tests replace this function)."""
    path, _ = QFileDialog.getSaveFileName(parent, "Export the letter as", suggested, "PDF (*.pdf)")
    if path and not path.lower().endswith(".pdf"):
        path += ".pdf"
    return str(path)


# ---- citation chips ------------------------------------------------------------------
@dataclass(frozen=True)
class CiteInfo:
    """What a chip shows about the exhibit a token names."""

    letter: str  # "" when the exhibit is not in the packet
    title: str
    pages: int


def cite_infos(exhibits: Sequence[Exhibit]) -> dict[int, CiteInfo]:
    """Every exhibit of the case by id, with the letter it has in the packet now."""
    return {
        ex.id: CiteInfo("" if letter == "—" else letter, ex.title, ex.pages)
        for letter, ex in zip(packet_letters(exhibits), exhibits, strict=True)
    }


def chip_text(token: str, infos: Mapping[int, CiteInfo]) -> tuple[str, str, bool]:
    """(label, tooltip, broken) for a citation token, with the current letters."""
    found = markup.citations(token)
    if not found:
        return token, "", True
    c = found[0]
    info = infos.get(c.exhibit_id)
    if info is None:
        return (
            "Missing exhibit",
            "This citation names an exhibit that was removed from the case. Delete the "
            "chip, or cite another exhibit from the list on the right.",
            True,
        )
    if not info.letter:
        return (
            "Exhibit left out",
            f"“{info.title}” is not in the packet (left out, or it has no pages), so this "
            "citation would print [MISSING EXHIBIT]. Include the exhibit on the Exhibits "
            "step, or delete the chip.",
            True,
        )
    pages = f"{info.pages} page{'s' if info.pages != 1 else ''}"
    if c.first:
        rng = page_range(c.first, c.last)
        bad = c.last < c.first or c.last > info.pages
        tip = (
            f"Exhibit {info.letter}: {info.title} ({pages}). Pages {rng} of it; printed as "
            f"“Exh. {info.letter} at …” with the packet's page numbers."
        )
        if bad:
            tip += f" The exhibit has only {pages}: fix the range."
        return f"Exh. {info.letter}, p. {rng}", tip, bad
    if c.kind == "pages":
        return (
            f"Exh. {info.letter} at …",
            f"Exhibit {info.letter}: {info.title} ({pages}). Printed as “Exh. {info.letter} "
            "at 14–16” with the exhibit's page numbers in the packet.",
            False,
        )
    return f"Exhibit {info.letter}", f"Exhibit {info.letter}: {info.title} ({pages}).", False


def cite_token(exhibit_id: int, kind: str = "cite", pages: str = "") -> str:
    """The markup token for a citation: ``kind`` "cite" (Exhibit C) or "pages"
    (Exh. C at 14–16); ``pages`` a range inside the exhibit ("2-3")."""
    m = _RANGE.match(pages) if pages.strip() else None
    if m:
        first, last = int(m[1]), int(m[2] or m[1])
        rng = str(first) if first == last else f"{first}-{last}"
        return f"{{{{cite:{exhibit_id}:pages={rng}}}}}"
    return f"{{{{{'pages' if kind == 'pages' else 'cite'}:{exhibit_id}}}}}"


class ChipRenderer(QPyTextObject):
    """Draws each citation token of the editor as a rounded chip with the
    exhibit's current letter."""

    def __init__(self, editor: LetterEditor) -> None:
        super().__init__(editor)  # QPyTextObject: PySide's QObject + QTextObjectInterface
        self.editor = editor
        self.infos: dict[int, CiteInfo] = {}
        self._labels: dict[str, tuple[str, str, bool]] = {}

    def set_infos(self, infos: Mapping[int, CiteInfo]) -> None:
        self.infos = dict(infos)
        self._labels = {}

    def label(self, token: str) -> tuple[str, str, bool]:
        """``chip_text`` for the current letters, worked out once per token."""
        found = self._labels.get(token)
        if found is None:
            found = self._labels[token] = chip_text(token, self.infos)
        return found

    def _font(self, doc: QTextDocument) -> QFont:
        font = QFont(doc.defaultFont())
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 0.92)
        return font

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:
        label = self.label(str(fmt.property(TOKEN_PROP) or ""))[0]
        fm = QFontMetricsF(self._font(doc))
        pad = fm.averageCharWidth() * 0.8
        return QSizeF(fm.horizontalAdvance(label) + 2 * pad + 2, fm.height() + 2)

    def drawObject(
        self,
        painter: QPainter,
        rect: QRectF | QRect,
        doc: QTextDocument,
        pos: int,
        fmt: QTextFormat,
    ) -> None:
        label, _, broken = self.label(str(fmt.property(TOKEN_PROP) or ""))
        c = self.editor.textCursor()
        selected = c.hasSelection() and c.selectionStart() <= pos < c.selectionEnd()
        if broken:
            bg, border, fg = QColor("#fdeceb"), QColor("#e39a95"), QColor(RED)
        else:
            bg, border, fg = QColor("#e3ecf7"), QColor("#8fb1d6"), QColor(BLUE)
        if selected:
            pal = self.editor.palette()
            bg, fg = pal.highlight().color(), pal.highlightedText().color()
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = rect.adjusted(1, 1, -1, -1)
        painter.setPen(QPen(border, 1))
        painter.setBrush(bg)
        painter.drawRoundedRect(r, r.height() / 3, r.height() / 3)
        painter.setFont(self._font(doc))
        painter.setPen(fg)
        painter.drawText(r, Qt.AlignmentFlag.AlignCenter, label)
        painter.restore()


def chip_format(token: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setObjectType(CHIP_TYPE)
    fmt.setProperty(TOKEN_PROP, token)
    fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignBaseline)
    return fmt


def is_chip(fmt: QTextFormat) -> bool:
    return bool(fmt.objectType() == CHIP_TYPE)


def insert_markup(cursor: QTextCursor, text: str) -> None:
    """Insert markup at ``cursor``: citation tokens become chips."""
    plain = QTextCharFormat()
    pos = 0
    for c in markup.citations(text):
        at = text.find(c.raw, pos)
        if at < 0:
            continue
        if at > pos:
            cursor.insertText(text[pos:at], plain)
        cursor.insertText(OBJECT_CHAR, chip_format(c.raw))
        pos = at + len(c.raw)
    if pos < len(text):
        cursor.insertText(text[pos:], plain)


def document_markup(doc: QTextDocument, start: int = 0, end: int | None = None) -> str:
    """The document (or the part from ``start`` to ``end``) as letter markup."""
    if end is None:
        end = doc.characterCount() - 1
    out: list[str] = []
    block = doc.findBlock(start)
    first = True
    while block.isValid() and block.position() <= end:
        if not first:
            out.append("\n")
        first = False
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            it += 1
            if not frag.isValid():
                continue
            fs = frag.position()
            s, e = max(fs, start), min(fs + frag.length(), end)
            if s >= e:
                continue
            text = frag.text()[s - fs : e - fs]
            fmt = frag.charFormat()
            if is_chip(fmt):
                out.append(str(fmt.property(TOKEN_PROP) or "") * len(text))
            else:
                out.append(text.replace("\u2028", "\n").replace("\u2029", "\n"))
        block = block.next()
    return "".join(out)


# ---- the markup, coloured --------------------------------------------------------------
class MarkupHighlighter(QSyntaxHighlighter):
    """Headings bigger and bold, **bold**, *italics*, list marks, [[to write]].

    Each line's look is worked out per character in plain Python, then given to
    Qt as a few runs (one ``setFormat`` per run): a long letter opens fast."""

    MARKER = "#9a9a9a"
    TODO = ("#5a3b00", "#fff1c9")  # text, background

    def highlightBlock(self, text: str) -> None:
        if not text or not (any(ch in text for ch in "*#[{-\u2022") or _LIST.match(text)):
            return
        n = len(text)
        bold = [False] * n
        italic = [False] * n
        fg: list[str | None] = [None] * n
        bg: list[str | None] = [None] * n
        size = 0.0

        def paint(a: int, b: int, colour: str | None = None, **kw: bool) -> None:
            for i in range(max(0, a), min(n, b)):
                if colour:
                    fg[i] = colour
                if kw.get("bold"):
                    bold[i] = True
                if kw.get("italic"):
                    italic[i] = True

        m = _HEADING.match(text)
        if m:
            level = len(m.group(1))
            base = self.document().defaultFont().pointSizeF()
            size = base * {1: 1.3, 2: 1.15}.get(level, 1.05) if base > 0 else 0.0
            paint(0, n, bold=True)
            paint(0, level, self.MARKER)
        else:
            lm = _LIST.match(text)
            if lm:
                paint(lm.start(1), lm.end(1), BLUE, bold=True)
        for bm in _BOLD.finditer(text):
            paint(bm.start(), bm.end(), bold=True)
            paint(bm.start(), bm.start() + 2, self.MARKER)
            paint(bm.end() - 2, bm.end(), self.MARKER)
        for im in _ITALIC.finditer(text):
            paint(im.start(), im.end(), italic=True)
            paint(im.start(), im.start() + 1, self.MARKER)
            paint(im.end() - 1, im.end(), self.MARKER)
        for pm in _PLACEHOLDER.finditer(text):
            paint(pm.start(), pm.end(), self.TODO[0])
            for i in range(pm.start(), pm.end()):
                bg[i] = self.TODO[1]
        for tm in _OTHER_TOKEN.finditer(text):
            paint(tm.start(), tm.end(), BLUE)
        run = 0
        for i in range(1, n + 1):
            if i < n and (bold[i], italic[i], fg[i], bg[i]) == (
                bold[run],
                italic[run],
                fg[run],
                bg[run],
            ):
                continue
            if bold[run] or italic[run] or fg[run] or bg[run] or size:
                f = QTextCharFormat()
                if bold[run]:
                    f.setFontWeight(QFont.Weight.Bold)
                if italic[run]:
                    f.setFontItalic(True)
                if fg[run]:
                    f.setForeground(QColor(fg[run]))
                if bg[run]:
                    f.setBackground(QColor(bg[run]))
                if size:
                    f.setFontPointSize(size)
                self.setFormat(run, i - run, f)
            run = i


# ---- the editor ------------------------------------------------------------------------
class LetterEditor(QTextEdit):
    """The letter's markup with citation chips; its own undo (Ctrl+Z)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("letterEditor")
        self.setAccessibleName("Request letter")
        self.setAcceptRichText(False)
        self.setTabChangesFocus(False)
        self.chips = ChipRenderer(self)
        self.document().documentLayout().registerHandler(CHIP_TYPE, self.chips)
        self.highlighter = MarkupHighlighter(self.document())
        m = self.fontMetrics().averageCharWidth()
        self.document().setDocumentMargin(m * 1.5)
        self.cursorPositionChanged.connect(self._plain_after_chip)
        self.selectionChanged.connect(self.viewport().update)

    # ---- text in and out ---------------------------------------------------
    def markup(self) -> str:
        return document_markup(self.document())

    def set_markup(self, text: str, *, undoable: bool = False) -> None:
        """Show ``text``; ``undoable``: as one step Ctrl+Z takes back (a refresh),
        else as a fresh document (a case opened)."""
        doc = self.document()
        if not undoable:
            doc.setUndoRedoEnabled(False)
            doc.clear()
            cursor = QTextCursor(doc)
            cursor.beginEditBlock()  # one layout and highlighting pass, not one per chip
            insert_markup(cursor, text)
            cursor.endEditBlock()
            doc.setUndoRedoEnabled(True)
            doc.setModified(False)
            self.setTextCursor(QTextCursor(doc))
            return
        pos = self.textCursor().position()
        scroll = self.verticalScrollBar().value()
        cursor = QTextCursor(doc)
        cursor.beginEditBlock()
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.removeSelectedText()
        insert_markup(cursor, text)
        cursor.endEditBlock()
        c = QTextCursor(doc)
        c.setPosition(min(pos, doc.characterCount() - 1))
        self.setTextCursor(c)
        self.verticalScrollBar().setValue(scroll)

    def insert_token(self, token: str) -> None:
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if cursor.hasSelection():
            cursor.removeSelectedText()
        cursor.insertText(OBJECT_CHAR, chip_format(token))
        cursor.setCharFormat(QTextCharFormat())
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        self.setCurrentCharFormat(QTextCharFormat())

    def refresh_chips(self, infos: Mapping[int, CiteInfo]) -> None:
        """New exhibit letters: lay the chips out again."""
        self.chips.set_infos(infos)
        doc = self.document()
        doc.markContentsDirty(0, doc.characterCount())
        self.viewport().update()

    def chip_tokens(self) -> list[tuple[int, str]]:
        """(position, token) of every chip."""
        out: list[tuple[int, str]] = []
        doc = self.document()
        block = doc.begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                frag = it.fragment()
                it += 1
                if frag.isValid() and is_chip(frag.charFormat()):
                    token = str(frag.charFormat().property(TOKEN_PROP) or "")
                    out.extend((frag.position() + i, token) for i in range(frag.length()))
            block = block.next()
        return out

    def _plain_after_chip(self) -> None:
        # typing after a chip must not make more chips
        if not self.textCursor().hasSelection() and is_chip(self.currentCharFormat()):
            self.setCurrentCharFormat(QTextCharFormat())

    # ---- selecting (the review's jumps) ------------------------------------------
    def select_range(self, start: int, end: int) -> None:
        c = QTextCursor(self.document())
        c.setPosition(start)
        c.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(c)
        self.ensureCursorVisible()

    def select_citation(self, exhibit_id: int) -> bool:
        for pos, token in self.chip_tokens():
            found = markup.citations(token)
            if found and found[0].exhibit_id == exhibit_id:
                self.select_range(pos, pos + 1)
                return True
        return False

    def select_pattern(self, pattern: str) -> bool:
        from PySide6.QtCore import QRegularExpression

        found = self.document().find(QRegularExpression(pattern))
        if found.isNull():
            return False
        self.setTextCursor(found)
        self.ensureCursorVisible()
        return True

    # ---- markup commands -----------------------------------------------------------
    def _chars(self, start: int, end: int) -> str:
        doc = self.document()
        return "".join(
            doc.characterAt(i) for i in range(max(0, start), min(end, doc.characterCount()))
        )

    def toggle_wrap(self, marker: str) -> None:
        """Bold (``**``) or italics (``*``) around the selection (or the word
        under the cursor); again to take it off."""
        c = self.textCursor()
        if not c.hasSelection():
            c.select(QTextCursor.SelectionType.WordUnderCursor)
        n = len(marker)
        c.beginEditBlock()
        if not c.hasSelection():
            c.insertText(marker * 2, QTextCharFormat())
            c.setPosition(c.position() - n)
            c.endEditBlock()
            self.setTextCursor(c)
            return
        s, e = c.selectionStart(), c.selectionEnd()
        inner = self._chars(s, e)
        outside = self._chars(s - n, s) == marker and self._chars(e, e + n) == marker
        if n == 1 and outside:  # "*" next to "**" is bold, not italics
            outside = self._chars(s - 2, s - 1) != "*" and self._chars(e + 1, e + 2) != "*"
        edit = QTextCursor(self.document())
        if outside:
            edit.setPosition(e)
            edit.setPosition(e + n, QTextCursor.MoveMode.KeepAnchor)
            edit.removeSelectedText()
            edit.setPosition(s - n)
            edit.setPosition(s, QTextCursor.MoveMode.KeepAnchor)
            edit.removeSelectedText()
            s, e = s - n, e - n
        elif len(inner) > 2 * n and inner.startswith(marker) and inner.endswith(marker):
            edit.setPosition(e - n)
            edit.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
            edit.removeSelectedText()
            edit.setPosition(s)
            edit.setPosition(s + n, QTextCursor.MoveMode.KeepAnchor)
            edit.removeSelectedText()
            e -= 2 * n
        else:
            edit.setPosition(e)
            edit.insertText(marker, QTextCharFormat())
            edit.setPosition(s)
            edit.insertText(marker, QTextCharFormat())
            s, e = s + n, e + n
        c.endEditBlock()
        self.select_range(s, e)

    def _blocks(self) -> list[int]:
        c = self.textCursor()
        doc = self.document()
        first = doc.findBlock(c.selectionStart()).blockNumber()
        last = doc.findBlock(c.selectionEnd()).blockNumber()
        return list(range(first, last + 1))

    def _set_prefix(self, block_no: int, prefix: str) -> None:
        block = self.document().findBlockByNumber(block_no)
        m = _PREFIX.match(block.text())
        c = QTextCursor(block)
        if m:
            c.setPosition(block.position() + m.end(), QTextCursor.MoveMode.KeepAnchor)
        c.insertText(prefix, QTextCharFormat())

    def toggle_prefix(self, kind: str) -> None:
        """``kind`` "heading" (none → # → ## → none), "bullet" or "number" on
        the lines of the selection."""
        blocks = self._blocks()
        doc = self.document()
        texts = [doc.findBlockByNumber(b).text() for b in blocks]
        cursor = self.textCursor()
        cursor.beginEditBlock()
        if kind == "heading":
            m = re.match(r"^(#{1,3})\s+", texts[0])
            level = len(m.group(1)) if m else 0
            prefix = {0: "# ", 1: "## "}.get(level, "")
            for b in blocks:
                self._set_prefix(b, prefix)
        elif kind == "bullet":
            on = all(re.match(r"^\s*[-*\u2022]\s+", t) for t in texts)
            for b in blocks:
                self._set_prefix(b, "" if on else "- ")
        else:
            on = all(re.match(r"^\s*\d+[.)]\s+", t) for t in texts)
            for n, b in enumerate(blocks, 1):
                self._set_prefix(b, "" if on else f"{n}. ")
        cursor.endEditBlock()

    # ---- keys, tooltips, clipboard -----------------------------------------------------
    FORMAT_KEYS: ClassVar[dict[tuple[Qt.Key, Qt.KeyboardModifier], str]] = {
        (Qt.Key.Key_B, Qt.KeyboardModifier.ControlModifier): "**",
        (Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier): "*",
    }

    def _format_key(self, event: QKeyEvent) -> str | None:
        mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        return self.FORMAT_KEYS.get((Qt.Key(event.key()), mods))

    def event(self, e: QEvent) -> bool:
        if (
            e.type() == QEvent.Type.ShortcutOverride
            and isinstance(e, QKeyEvent)
            and self._format_key(e) is not None
        ):
            e.accept()  # Ctrl+B here is bold, not the window's Build
            return True
        if e.type() == QEvent.Type.ToolTip and isinstance(e, QHelpEvent):
            tip = self.chip_tooltip(e.pos())
            if tip:
                QToolTip.showText(e.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                e.ignore()
            return True
        return super().event(e)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        marker = self._format_key(e)
        if marker is not None:
            self.toggle_wrap(marker)
            return
        super().keyPressEvent(e)

    def chip_at(self, pos: QPoint) -> str:
        point = QPointF(pos) + QPointF(
            self.horizontalScrollBar().value(), self.verticalScrollBar().value()
        )
        at = self.document().documentLayout().hitTest(point, Qt.HitTestAccuracy.ExactHit)
        if at < 0:
            return ""
        for p in (at, at - 1):
            if p < 0:
                continue
            c = QTextCursor(self.document())
            c.setPosition(p)
            c.movePosition(QTextCursor.MoveOperation.Right, QTextCursor.MoveMode.KeepAnchor)
            if c.selectedText() == OBJECT_CHAR and is_chip(c.charFormat()):
                rect = self.cursorRect(c)
                if p == at or rect.contains(pos):
                    return str(c.charFormat().property(TOKEN_PROP) or "")
        return ""

    def chip_tooltip(self, pos: QPoint) -> str:
        token = self.chip_at(pos)
        return self.chips.label(token)[1] if token else ""

    def createMimeDataFromSelection(self) -> QMimeData:
        c = self.textCursor()
        mime = QMimeData()
        mime.setText(document_markup(self.document(), c.selectionStart(), c.selectionEnd()))
        return mime

    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasText() or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if not source.hasText():
            return
        c = self.textCursor()
        c.beginEditBlock()
        if c.hasSelection():
            c.removeSelectedText()
        insert_markup(c, source.text())
        c.endEditBlock()
        self.setTextCursor(c)
        self.setCurrentCharFormat(QTextCharFormat())


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
            m = _RANGE.match(text)
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


# ---- the step -----------------------------------------------------------------------------
class LetterStep(Step):
    key = "letter"
    title = "Letter"
    intro = (
        "The request letter. Generate a draft from the case, then make it yours: replace "
        "each [[…]] with the client's story in your words. Citations are chips that "
        "follow the exhibit letters. Saved as you type."
    )
    scrolls = False

    def __init__(self, ctx: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.letter: Letter | None = None
        self._stored = ""
        self._loading = False
        self._decided: set[int] = set()
        self.preview_job: Job | None = None
        self.export_job: Job | None = None
        self._preview_again = False
        self.preview_pdf = b""
        self._preview_doc: tuple[QPdfDocument, object] | None = None
        col = QVBoxLayout(self.body)
        self.margins(col)

        # --- toolbar ---
        bar = QHBoxLayout()
        self.refresh_button = QPushButton("&Generate draft")
        self.refresh_button.setObjectName("refreshLetter")
        self.refresh_button.clicked.connect(self.refresh)
        bar.addWidget(self.refresh_button)
        bar.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        self.format_buttons: dict[str, QToolButton] = {}
        for key, text, tip, slot in (
            ("bold", "B", "Bold (Ctrl+B in the letter): **text**", lambda: self._wrap("**")),
            ("italic", "I", "Italics (Ctrl+I in the letter): *text*", lambda: self._wrap("*")),
            ("heading", "Heading", "Heading: # or ## at the start of the line", "heading"),
            ("bullet", "• List", "Bulleted list: - at the start of each line", "bullet"),
            ("number", "1. List", "Numbered list: 1. at the start of each line", "number"),
        ):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setAccessibleName(tip.split(":")[0].split(" (")[0])
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keep the editor's cursor and selection
            if key == "bold":
                f = b.font()
                f.setBold(True)
                b.setFont(f)
            elif key == "italic":
                f = b.font()
                f.setItalic(True)
                b.setFont(f)
            if isinstance(slot, str):
                b.clicked.connect(lambda _=False, k=slot: self._prefix(k))
            else:
                b.clicked.connect(slot)
            self.format_buttons[key] = b
            bar.addWidget(b)
        bar.addStretch(1)
        self.save_state = QLabel()
        self.save_state.setObjectName("letterSaveState")
        self.save_state.setStyleSheet(f"color: {GREY};")
        bar.addWidget(self.save_state)
        self.export_button = QPushButton("&Export PDF…")
        self.export_button.setToolTip("Save the letter alone as a PDF")
        self.export_button.clicked.connect(self.export_pdf)
        bar.addWidget(self.export_button)
        col.addLayout(bar)

        self.notice = Banner("info")
        self.notice.setObjectName("letterNotice")
        col.addWidget(self.notice)
        self.stale = Banner("warning")
        self.stale.setObjectName("letterStale")
        col.addWidget(self.stale)
        self.uploaded = Banner("info")
        self.uploaded.setObjectName("letterUploaded")
        col.addWidget(self.uploaded)

        # --- editor | cite & preview ---
        self.stack = QStackedWidget()
        self.empty = EmptyState(
            "No letter yet",
            "Generate a draft from the case: addressee, Re: line, the form of discretion and "
            "its legal basis, the facts, one section per factor with its exhibits, the "
            "negative factors and the conclusion. Then make it yours.",
        )
        self.empty_button = QPushButton("&Generate draft")
        self.empty_button.clicked.connect(self.refresh)
        self.empty.add_button(self.empty_button)
        self.stack.addWidget(self.empty)

        self.split = QSplitter()
        self.split.setChildrenCollapsible(False)
        left = QSplitter(Qt.Orientation.Vertical)
        left.setChildrenCollapsible(False)
        self.left = left
        self.conflicts = ConflictsPanel()
        self.conflicts.chosen.connect(self._conflict_chosen)
        self.conflicts.keepAll.connect(self.keep_all_mine)
        self.conflicts.setVisible(False)
        self.editor = LetterEditor()
        self.editor.textChanged.connect(self._edited)
        left.addWidget(self.conflicts)
        left.addWidget(self.editor)
        left.setStretchFactor(1, 1)
        self.split.addWidget(left)

        self.side = QTabWidget()
        self.side.setObjectName("letterSide")
        self.cite_panel = CitePanel()
        self.cite_panel.citeRequested.connect(self.insert_citation)
        self.side.addTab(self.cite_panel, "&Cite exhibits")
        preview = QWidget()
        pl = QVBoxLayout(preview)
        pl.setContentsMargins(0, 0, 0, 0)
        self.preview_state = hint("")
        self.preview_state.setContentsMargins(6, 4, 6, 0)
        pl.addWidget(self.preview_state)
        self._blank = QPdfDocument(self)
        self.pdf_view = QPdfView()
        self.pdf_view.setObjectName("letterPreview")
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        pl.addWidget(self.pdf_view, 1)
        self.side.addTab(preview, "Pre&view")
        self.side.currentChanged.connect(self._side_changed)
        self.split.addWidget(self.side)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)
        cw = self.fontMetrics().averageCharWidth()
        self.split.setSizes([cw * 70, cw * 40])
        self.stack.addWidget(self.split)
        col.addWidget(self.stack, 1)

        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(AUTOSAVE_MS)
        self._save_timer.timeout.connect(self.commit)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        ctx.exhibitsChanged.connect(self._exhibits_changed)
        ctx.caseChanged.connect(self._case_changed)
        ctx.settingsChanged.connect(self._case_changed)
        ctx.buildsChanged.connect(self._schedule_preview)

    # ---- loading ------------------------------------------------------------------------
    def load(self) -> None:
        self._save_timer.stop()
        self._decided = set()
        self.notice.set_text("")
        self.preview_pdf = b""
        self._preview_doc = None
        self.pdf_view.setDocument(self._blank)
        self.preview_state.setText("")
        try:
            self.letter = self.ctx.workspace.letter(self.ctx.case_id)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="reading the letter")
            self.letter = None
        self._show_exhibits()
        self._loading = True
        try:
            self.editor.set_markup(self.letter.text if self.letter else "")
        finally:
            self._loading = False
        self._stored = self.editor.markup()
        self.show_conflicts(self.letter.conflicts if self.letter else ())
        self._update_view()
        self._schedule_preview()

    def _show_exhibits(self) -> None:
        exhibits = self.ctx.exhibits()
        self.editor.refresh_chips(cite_infos(exhibits))
        self.cite_panel.set_exhibits(exhibits)

    def _update_view(self) -> None:
        has = self.letter is not None
        self.stack.setCurrentWidget(self.split if has else self.empty)
        self.refresh_button.setText("&Refresh from answers" if has else "&Generate draft")
        self.refresh_button.setToolTip(
            "Bring changes of the case (answers, exhibits, proceedings) into the letter; "
            "your edits are kept"
            if has
            else "Draft the letter from the case"
        )
        for w in (*self.format_buttons.values(), self.export_button, self.save_state):
            w.setVisible(has)
        self.refresh_button.setVisible(has)
        self._update_save_state()
        self._check_stale()
        self._check_uploaded()

    def _check_stale(self) -> None:
        letter = self.letter
        text = ""
        if letter is not None and letter.generated_from_hash:
            try:
                draft = self.ctx.workspace.draft_letter(self.ctx.case_id)
            except PdpacketError:
                draft = ""
            if draft and markup.text_hash(draft) != letter.generated_from_hash:
                text = (
                    "The case changed since this draft was generated. Refresh from answers "
                    "to bring the changes in; your edits are kept."
                )
        self.stale.set_text(text)

    def _check_uploaded(self) -> None:
        docs = self.ctx.workspace.case_documents(self.ctx.case_id) if self.ctx.has_case else []
        up = next((d for d in docs if d.role == DocumentRole.LETTER), None)
        self.uploaded.set_text(
            f"An uploaded letter ({up.original_name}) goes into the packet instead of this one."
            if up
            else ""
        )

    def _exhibits_changed(self) -> None:
        if not self.ctx.has_case:
            return
        self._show_exhibits()
        self._case_changed()

    def _case_changed(self) -> None:
        if self.ctx.has_case and self.letter is not None:
            self._check_stale()
            self._schedule_preview()

    # ---- editing and saving ----------------------------------------------------------------
    def _edited(self) -> None:
        if self._loading or self.letter is None:
            return
        self._save_timer.start()
        self._update_save_state()

    def _update_save_state(self) -> None:
        dirty = self._save_timer.isActive()
        self.save_state.setText("Saving…" if dirty else "All changes saved")

    def commit(self) -> bool:
        """Store the editor's text if it changed; True when nothing is pending."""
        self._save_timer.stop()
        if self.letter is None or not self.ctx.has_case:
            return True
        text = self.editor.markup()
        if text == self._stored:
            self._update_save_state()
            return True
        try:
            self.letter = self.ctx.workspace.save_letter(self.ctx.case_id, text)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="saving the letter")
            return False
        self._stored = text
        self._update_save_state()
        self.ctx.letterChanged.emit()
        self.statusChanged.emit()
        self._schedule_preview()
        return True

    def flush(self) -> bool:
        return self.commit() and super().flush()

    def _wrap(self, marker: str) -> None:
        self.editor.toggle_wrap(marker)
        self.editor.setFocus()

    def _prefix(self, kind: str) -> None:
        self.editor.toggle_prefix(kind)
        self.editor.setFocus()

    def insert_citation(self, token: str) -> None:
        if self.letter is None:
            return
        self.editor.insert_token(token)
        self.editor.setFocus()

    # ---- refreshing from the case ---------------------------------------------------------------
    def refresh(self) -> None:
        """Generate the draft, or merge the case's changes into the edited letter."""
        if not self.ctx.has_case:
            return
        if not self.commit():
            return
        window_flush = getattr(self.ctx.window, "flush_steps", None)
        if callable(window_flush):
            window_flush()  # answers still being typed on other steps
        try:
            update = self.ctx.workspace.refresh_letter(self.ctx.case_id)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="drafting the letter")
            return
        self.letter = update.letter
        self._loading = True
        try:
            if update.created:
                self.editor.set_markup(update.letter.text)
            elif update.letter.text != self.editor.markup():
                self.editor.set_markup(update.letter.text, undoable=True)
        finally:
            self._loading = False
        self._stored = self.editor.markup()
        self._decided = set()
        self.show_conflicts(update.letter.conflicts)
        n = len(update.conflicts)
        if update.created:
            text = (
                "Draft generated from the case. Now make it yours: replace each [[…]] "
                "(highlighted) with your own words, and check every sentence."
            )
        elif not update.draft_changed:
            text = "The letter is up to date with the case: nothing to bring in."
        elif n:
            text = ""  # the comparison above says it
        else:
            text = "The case's changes were merged into your letter; your edits were kept."
        self.notice.set_text(text, "info")
        self._update_view()
        self.ctx.letterChanged.emit()
        self.statusChanged.emit()
        self._schedule_preview()
        self.editor.setFocus()

    def show_conflicts(self, conflicts: Sequence[LetterConflict]) -> None:
        self.conflicts.show_conflicts(conflicts)
        if conflicts:  # room for the first comparison, buttons included
            total = max(1, sum(self.left.sizes()) or self.left.height())
            first = self.conflicts.cards[0]
            first.resize(self.left.width(), first.height())
            card = first.heightForWidth(max(1, self.left.width() - 24))
            card = card if card > 0 else first.sizeHint().height()
            want = card + self.conflicts.banner.sizeHint().height() + 24
            top = min(want, total * 3 // 5)
            self.left.setSizes([top, max(1, total - top)])

    def _conflict_chosen(self, card: ConflictCard, use_draft: bool) -> None:
        conflict = card.conflict
        if use_draft:
            new = apply_draft(self.editor.markup(), conflict)
            if new is None:
                self.notice.set_text(
                    "That part of your letter changed since the comparison, so the draft's "
                    "text could not be put in its place. Copy it from the right-hand box by "
                    "hand, then choose Keep mine.",
                    "warning",
                )
                return
            self.editor.set_markup(new, undoable=True)
        if not self.commit():
            return
        self.conflicts.remove(card)
        section = conflict.section
        if all(c.conflict.section != section for c in self.conflicts.cards):
            try:
                self.letter = self.ctx.workspace.resolve_letter_conflicts(
                    self.ctx.case_id, [section]
                )
            except PdpacketError as exc:
                self.ctx.fail(exc, action="resolving the letter's differences")
                return
            self.ctx.letterChanged.emit()
            self.statusChanged.emit()

    def keep_all_mine(self) -> None:
        if not self.commit():
            return
        try:
            self.letter = self.ctx.workspace.resolve_letter_conflicts(self.ctx.case_id)
        except PdpacketError as exc:
            self.ctx.fail(exc, action="resolving the letter's differences")
            return
        self.conflicts.show_conflicts(())
        self.ctx.letterChanged.emit()
        self.statusChanged.emit()

    # ---- preview and export ----------------------------------------------------------------------
    def _side_changed(self, index: int) -> None:
        if index == 1:
            self._schedule_preview(now=True)

    def _schedule_preview(self, now: bool = False) -> None:
        if self.letter is None or not self.ctx.has_case or self.side.currentIndex() != 1:
            return
        if now and not self.preview_pdf:
            self.update_preview()
        else:
            self._preview_timer.start()

    def update_preview(self) -> None:
        """Render the saved letter to a PDF in a worker and show it."""
        self._preview_timer.stop()
        if self.letter is None or not self.ctx.has_case:
            return
        if self.preview_job is not None:
            self._preview_again = True
            return
        if not self.commit():
            return
        case_id = self.ctx.case_id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> bytes:
            with tempfile.TemporaryDirectory(prefix="pdpacket-letter-") as tmp:
                out = Path(tmp) / "letter.pdf"
                ws.export_letter(case_id, out)
                return out.read_bytes()

        self.preview_state.setText("Rendering the preview…")
        self.preview_job = self.ctx.runner.submit(work, "letter preview")
        self.preview_job.succeeded.connect(lambda data, c=case_id: self._previewed(c, data))
        self.preview_job.failed.connect(self._preview_failed)

    def _preview_done(self) -> None:
        self.preview_job = None
        if self._preview_again:
            self._preview_again = False
            self.update_preview()

    def _previewed(self, case_id: int, data: bytes) -> None:
        if case_id == self.ctx.case_id:
            self.preview_pdf = data
            doc, buf = load_pdf(data)
            self.pdf_view.setDocument(doc)
            self._preview_doc = (doc, buf)  # the buffer lives as long as the document
            n = doc.pageCount()
            self.preview_state.setText(
                f"{n} page{'s' if n != 1 else ''}, as printed. Citations show page numbers "
                "once the packet is built."
            )
        self._preview_done()

    def _preview_failed(self, exc: BaseException) -> None:
        self.preview_state.setText(f"No preview: {exc}")
        self._preview_done()

    def default_export_path(self) -> str:
        case = self.ctx.case()
        folder = self.ctx.workspace.setting("packet_folder", "") or QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        name = safe_filename(f"{case.client.name} PD request letter") + ".pdf"
        return str(Path(folder or Path.home()) / name)

    def export_pdf(self) -> None:
        if self.letter is None or self.export_job is not None:
            return
        if not self.commit():
            return
        path = pick_letter_path(self, self.default_export_path())
        if not path:
            return
        case_id = self.ctx.case_id

        def work(ws: Workspace, progress: SignalProgress, cancel: CancelToken) -> object:
            return ws.export_letter(case_id, path)

        self.export_button.setEnabled(False)
        self.export_job = self.ctx.runner.submit(work, "export letter")
        self.export_job.succeeded.connect(self._exported)
        self.export_job.failed.connect(self._export_failed)

    def _exported(self, result: LetterExport) -> None:
        self.export_job = None
        self.export_button.setEnabled(True)
        pages = f"{result.pages} page{'s' if result.pages != 1 else ''}"
        how = (
            "Citations carry the packet's page numbers."
            if result.with_pages
            else "Citations name the exhibits' letters; build the packet to add page numbers."
        )
        self.notice.set_text(f"Letter exported ({pages}): {result.path}\n{how}", "ok")
        self.ctx.say(f"Letter exported to {Path(result.path).name}.")

    def _export_failed(self, exc: BaseException) -> None:
        self.export_job = None
        self.export_button.setEnabled(True)
        self.ctx.fail(exc, action="exporting the letter")

    # ---- the review's jumps ------------------------------------------------------------------------
    def select_object(self, object_id: str, code: str = "") -> bool:
        """Show what a review finding is about: a citation of an exhibit, a
        factor's section, or the first [[…]] still to write."""
        if self.letter is None:
            return False
        done = False
        if object_id.isdigit():
            done = self.editor.select_citation(int(object_id))
        elif object_id:
            title = factor_heading(object_id)
            if title:
                done = self.editor.select_pattern(r"^#{1,3}\s+" + re.escape(title))
        if not done and code in ("letter.placeholder", "letter.untouched", ""):
            done = self.editor.select_pattern(r"\[\[.+?\]\]")
        if not done and code == "letter.unknown_token":
            done = self.editor.select_pattern(r"\{\{.*?\}\}")
        self.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        return done

    # ---- status ------------------------------------------------------------------------------------
    def first_focus(self) -> QWidget | None:
        return self.editor if self.letter is not None else self.empty_button

    def status(self) -> StepStatus:
        if not self.ctx.has_case:
            return StepStatus(State.EMPTY, "")
        letter = (
            self.letter if self.letter is not None else self.ctx.workspace.letter(self.ctx.case_id)
        )
        if letter is None or not letter.text.strip():
            return StepStatus(State.EMPTY, "No letter yet", "Generate the draft from the case.")
        if letter.conflicts:
            n = len(letter.conflicts)
            return StepStatus(
                State.WARNING,
                f"{n} part{'s' if n != 1 else ''} to compare",
                "Parts you edited also changed in the refreshed draft: compare them.",
            )
        if letter.untouched:
            return StepStatus(
                State.PARTIAL,
                "Untouched draft",
                "Make the draft yours: write the client's story and check every sentence.",
            )
        todo = markup.placeholders(letter.text)
        if todo:
            return StepStatus(
                State.PARTIAL,
                f"{len(todo)} [[…]] to write",
                f"Still to write: {todo[0][:80]}",
            )
        n = len(markup.citations(letter.text))
        return StepStatus(State.DONE, f"Edited, {n} citation{'s' if n != 1 else ''}")


__all__ = ["LetterEditor", "LetterStep", "cite_token", "document_markup"]

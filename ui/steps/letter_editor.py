"""The letter's editor: a QTextEdit whose text is the letter's markup (the
syntax is ``pdpacket.model.markup``), except that each citation token
(``{{cite:12}}``) is one character drawn as a chip ("Exhibit C").
``LetterEditor.markup()`` turns the document back into the markup the core
stores; copy and paste carry the tokens.  The highlighter colours the markup
with the core's own patterns, so what looks bold is what prints bold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import (
    QEvent,
    QMimeData,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    QSizeF,
    Qt,
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
from PySide6.QtWidgets import (
    QTextEdit,
    QToolTip,
    QWidget,
)

from pdpacket.api import page_range
from pdpacket.model import Exhibit, markup

from ..models import packet_letters
from ..style import BLUE, RED

CHIP_TYPE = int(QTextFormat.ObjectTypes.UserObject) + 1
TOKEN_PROP = int(QTextFormat.Property.UserProperty) + 1
OBJECT_CHAR = "\ufffc"


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
            f"Exh. {info.letter} at pages",  # the numbers come with the build: never "…"
            f"Exhibit {info.letter}: {info.title} ({pages}). Printed as “Exh. {info.letter} "
            "at 14–16” with the exhibit's page numbers in the packet.",
            False,
        )
    return f"Exhibit {info.letter}", f"Exhibit {info.letter}: {info.title} ({pages}).", False


def cite_token(exhibit_id: int, kind: str = "cite", pages: str = "") -> str:
    """The markup token for a citation: ``kind`` "cite" (Exhibit C) or "pages"
    (Exh. C at 14–16); ``pages`` a range inside the exhibit ("2-3")."""
    m = markup.PAGE_RANGE.match(pages) if pages.strip() else None
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
        # room for the label as the screen draws it (at 125 % or 150 % a glyph can come
        # out a little wider than measured here): a chip never clips its own text
        slack = fm.averageCharWidth()
        return QSizeF(fm.horizontalAdvance(label) + 2 * pad + 2 + slack, fm.height() + 2)

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
        if not text or not (
            any(ch in text for ch in "*#[{-\u2022") or markup.LIST_MARKER.match(text)
        ):
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

        m = markup.HEADING.match(text)
        if m:
            level = len(m.group(1))
            base = self.document().defaultFont().pointSizeF()
            size = base * {1: 1.3, 2: 1.15}.get(level, 1.05) if base > 0 else 0.0
            paint(0, n, bold=True)
            paint(0, level, self.MARKER)
        else:
            lm = markup.LIST_MARKER.match(text)
            if lm:
                paint(lm.start(1), lm.end(1), BLUE, bold=True)
        for bm in markup.BOLD.finditer(text):
            paint(bm.start(), bm.end(), bold=True)
            paint(bm.start(), bm.start() + 2, self.MARKER)
            paint(bm.end() - 2, bm.end(), self.MARKER)
        for im in markup.ITALIC.finditer(text):
            paint(im.start(), im.end(), italic=True)
            paint(im.start(), im.start() + 1, self.MARKER)
            paint(im.end() - 1, im.end(), self.MARKER)
        for pm in markup.PLACEHOLDER.finditer(text):
            paint(pm.start(), pm.end(), self.TODO[0])
            for i in range(pm.start(), pm.end()):
                bg[i] = self.TODO[1]
        for tm in markup.ANY_TOKEN.finditer(text):
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
        m = markup.LINE_PREFIX.match(block.text())
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
            m = markup.LINE_PREFIX.match(texts[0])
            level = m.group(1).count("#") if m else 0
            prefix = {0: "# ", 1: "## "}.get(level, "")
            for b in blocks:
                self._set_prefix(b, prefix)
        elif kind == "bullet":
            on = all(markup.BULLET.match(t) for t in texts)
            for b in blocks:
                self._set_prefix(b, "" if on else "- ")
        else:
            on = all(markup.NUMBERED.match(t) for t in texts)
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

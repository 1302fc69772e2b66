"""The look: the app icon, status icons, banners, headings and empty states.

Sizes come from the font, never from pixel constants, so the window reads the
same at 100 % and at 200 % scaling.
"""

from __future__ import annotations

import functools
from enum import StrEnum
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPen, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

ICON_DIR = Path(__file__).resolve().parent / "icons"

# Colours that read on a light window; used sparingly.
GREEN = "#2e7d4f"
AMBER = "#9a6400"
RED = "#b3261e"
GREY = "#6b6b6b"
BLUE = "#1d4f7c"


def app_icon() -> QIcon:
    return QIcon(str(ICON_DIR / "pdpacket.svg"))


class State(StrEnum):
    """How complete a step (or a field) is."""

    EMPTY = "empty"
    PARTIAL = "partial"
    DONE = "done"
    WARNING = "warning"


@functools.cache
def state_icon(state: State, size: int = 16) -> QIcon:
    """A small round status mark drawn at run time (crisp at any scale); drawn
    once per state and shared."""
    icon = QIcon()
    for scale in (1, 2, 3):
        pm = QPixmap(size * scale, size * scale)
        pm.setDevicePixelRatio(scale)
        pm.fill(Qt.GlobalColor.transparent)
        p = QPainter(pm)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = QRectF(1.5, 1.5, size - 3, size - 3)
        if state == State.DONE:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(GREEN))
            p.drawEllipse(r)
            pen = QPen(QColor("white"), size / 8)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
            p.setPen(pen)
            path = QPainterPath(QPointF(size * 0.28, size * 0.52))
            path.lineTo(size * 0.44, size * 0.68)
            path.lineTo(size * 0.73, size * 0.35)
            p.drawPath(path)
        elif state == State.PARTIAL:
            p.setPen(QPen(QColor(AMBER), size / 9))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(r)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(AMBER))
            p.drawPie(r, 90 * 16, 180 * 16)
        elif state == State.WARNING:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QColor(RED))
            p.drawEllipse(r)
            pen = QPen(QColor("white"), size / 7)
            pen.setCapStyle(Qt.PenCapStyle.RoundCap)
            p.setPen(pen)
            p.drawLine(QPointF(size / 2, size * 0.27), QPointF(size / 2, size * 0.56))
            p.drawPoint(QPointF(size / 2, size * 0.74))
        else:
            p.setPen(QPen(QColor("#9a9a9a"), size / 9))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawEllipse(r)
        p.end()
        icon.addPixmap(pm)
    return icon


def scaled_font(widget: QWidget, factor: float, *, bold: bool = False) -> QFont:
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * factor)
    else:  # pixel-sized fonts (rare): scale the pixel size
        font.setPixelSize(max(1, round(font.pixelSize() * factor)))
    font.setBold(bold)
    return font


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    label.setObjectName("heading")
    label.setFont(scaled_font(label, 1.35 if level == 1 else 1.1, bold=True))
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


def hint(text: str = "") -> QLabel:
    """Grey explanatory text that wraps."""
    label = QLabel(text)
    label.setObjectName("hint")
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {GREY};")
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class Banner(QFrame):
    """A coloured strip with a message: info, warning or error.  Hidden when empty."""

    COLOURS: ClassVar[dict[str, tuple[str, str, str]]] = {
        "info": ("#e8f1fb", "#9cbfe3", "#123a5c"),
        "warning": ("#fff4dc", "#e0b64f", "#5a3b00"),
        "error": ("#fdeceb", "#e39a95", "#6d1711"),
        "ok": ("#e7f5ec", "#8fc9a5", "#14482a"),
    }

    def __init__(self, kind: str = "info", text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"banner_{kind}")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        m = self.fontMetrics().height() // 2
        layout.setContentsMargins(m, m // 2 + 2, m, m // 2 + 2)
        layout.addWidget(self.label, 1)
        self.set_kind(kind)
        self.set_text(text)

    def set_kind(self, kind: str) -> None:
        bg, border, fg = self.COLOURS.get(kind, self.COLOURS["info"])
        self.kind = kind
        # matched by a property, not the object name: callers rename banners
        self.setProperty("banner", True)
        self.setStyleSheet(
            f'QFrame[banner="true"] {{ background: {bg}; border: 1px solid {border}; '
            f"border-radius: 4px; }} QLabel {{ color: {fg}; background: transparent; "
            "border: none; }"
        )

    def set_text(self, text: str, kind: str | None = None) -> None:
        if kind and kind != self.kind:
            self.set_kind(kind)
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.setVisible(bool(text))

    def text(self) -> str:
        return self.label.text() if self.isVisibleTo(self.parentWidget() or self) else ""


class EmptyState(QWidget):
    """A large, calm message for an empty place ("Drop evidence files here")."""

    def __init__(self, title: str, body: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.title = QLabel(title)
        self.title.setObjectName("emptyTitle")
        self.title.setFont(scaled_font(self.title, 1.45, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.title.setStyleSheet(f"color: {GREY};")
        self.body = QLabel(body)
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.body.setStyleSheet(f"color: {GREY};")
        layout.addWidget(self.title)
        layout.addWidget(self.body)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addStretch(1)
        layout.addLayout(self.buttons)
        layout.addStretch(2)

    def add_button(self, button: QWidget) -> None:
        self.buttons.insertWidget(self.buttons.count() - 1, button)


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{n} bytes"

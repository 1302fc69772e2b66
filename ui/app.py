"""Start the window: ``run(data_dir)`` is what ``pdpacket`` with no arguments calls."""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from pdpacket.api import Workspace, __version__

from . import refcount_guard
from .style import app_icon

log = logging.getLogger("ui.app")


def create_app(argv: list[str] | None = None) -> QApplication:
    QApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough  # 125 % and 150 % stay sharp
    )
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("pdpacket")
    app.setApplicationDisplayName("pdpacket")
    app.setOrganizationName("pdpacket")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("pdpacket")
    refcount_guard.install(app)  # PySide6 6.12 on Python 3.11: see the module
    return app


def _install_excepthook() -> None:
    """Anything a slot lets escape is shown in plain words, not lost in a terminal."""
    from .errors import show_exception

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        log.error("uncaught error", exc_info=(kind, exc, tb))
        try:
            show_exception(exc, QApplication.activeWindow())
        except Exception:  # never let the error display itself crash the app
            sys.__excepthook__(kind, exc, tb)

    sys.excepthook = hook


def run(data_dir: str | None = None) -> int:
    from .main_window import MainWindow

    app = create_app()
    workspace = Workspace.open(data_dir)
    try:
        workspace.ensure_demo_case()
        _install_excepthook()
        window = MainWindow(workspace)
        window.show()
        return int(app.exec())
    finally:
        workspace.close()

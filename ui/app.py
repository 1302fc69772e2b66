"""Start the window: ``run(data_dir)`` is what ``pdpacket`` with no arguments calls."""

from __future__ import annotations

import logging
import os
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


def run(data_dir: str | None = None, *, open_archive: str | None = None) -> int:
    """Open the window (on the demo case the first time); ``open_archive``: a case
    archive to import as soon as the window is up (a double-clicked .pdpacket).

    PDPACKET_EXIT_AFTER_SHOWN=1 quits once the first window has been shown: what
    benchmarks/bench_install.py times as "time to the first window"."""
    from PySide6.QtCore import QTimer

    from .main_window import MainWindow

    app = create_app()
    workspace = Workspace.open(data_dir)
    try:
        workspace.ensure_demo_case()
        _install_excepthook()
        window = MainWindow(workspace)
        window.show()
        if open_archive:
            QTimer.singleShot(0, lambda: window.archives.import_archive_file(open_archive))
        if os.environ.get("PDPACKET_EXIT_AFTER_SHOWN") == "1":
            QTimer.singleShot(0, app.quit)
        return int(app.exec())
    finally:
        workspace.close()

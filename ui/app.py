"""Start the window: ``run(data_dir)`` is what ``pdpacket`` with no arguments calls."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from pdpacket import __version__
from pdpacket.api import Workspace


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("pdpacket")
    app.setApplicationDisplayName("pdpacket")
    app.setOrganizationName("pdpacket")
    app.setApplicationVersion(__version__)
    return app


def run(data_dir: str | None = None) -> int:
    from .main_window import MainWindow

    app = create_app()
    workspace = Workspace.open(data_dir)
    workspace.ensure_demo_case()
    window = MainWindow(workspace)
    window.show()
    try:
        return int(app.exec())
    finally:
        workspace.close()

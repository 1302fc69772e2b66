"""Progress reporting and cancellation for long jobs.

The core never prints and never blocks a UI: long functions accept a
``Progress`` (anything with ``update``) and a ``CancelToken``.  The UI adapts
them to Qt signals; the CLI to nothing (or a log line).
"""

from __future__ import annotations

import threading
from typing import Protocol

from pdpacket.errors import CancelledError


class Progress(Protocol):
    def update(self, done: int, total: int, message: str) -> None:
        """``done`` of ``total`` units are finished; ``message`` says what is happening."""


class NullProgress:
    def update(self, done: int, total: int, message: str) -> None:
        return None


class CancelToken:
    """Set from any thread; checked by the worker between units of work."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError("Cancelled. Nothing was changed.")

"""Keep ``None``, ``True`` and ``False`` alive under PySide6 6.12 on Python 3.11.

PySide6/shiboken6 6.12.0 drops one reference to ``None`` on every call of a
void method (``widget.update()``, ``combo.setCurrentIndex(1)``) and one to
``True`` on every ``signal.emit()``.  On Python 3.12 and later these objects
are immortal and nothing happens; on 3.11 their reference count runs down
until the interpreter aborts with "Fatal Python error: none_dealloc" (or
"bool_dealloc") — after some thousands of calls, i.e. minutes of real use.
Measured here: PySide6 6.11.3 does not leak; 6.12.0 leaks exactly one
reference per call.  PySide6-Pdf, which the previews need, exists only as
6.12, so pinning an older Qt is not an option.

The guard holds extra references ("ballast") and tops them up from a timer on
the UI thread.  Losing 100,000 references between two ticks (0.2 s) would
take far more Qt calls than Python can make in that time.  When a fixed
PySide6 is out, ``tests/ui/test_refcount_guard.py`` shows it and this module
can go.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, QTimer

TARGET = 200_000  # references held for each object after a top-up
LOW = 100_000  # top up when the count falls below this
INTERVAL_MS = 200

_ballast: dict[str, list[object]] = {"None": [], "True": [], "False": []}
# The ballast must outlive interpreter shutdown too: when the lists were freed
# at exit, the references PySide took would surface and abort the exit.  One
# extra reference that nothing releases keeps each list (and its contents).
for _keep in _ballast.values():
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(_keep))
_SINGLETONS: tuple[tuple[str, object], ...] = (("None", None), ("True", True), ("False", False))


def needed() -> bool:
    return sys.version_info < (3, 12)


def top_up() -> None:
    """Bring each singleton's reference count back to about ``TARGET``."""
    for name, obj in _SINGLETONS:
        have = sys.getrefcount(obj)
        if have < LOW:
            _ballast[name].extend([obj] * (TARGET - have))


def install(parent: QObject) -> QTimer | None:
    """Start the guard (once per application); returns its timer."""
    if not needed():
        return None
    existing = parent.findChild(QTimer, "refcountGuard")
    if isinstance(existing, QTimer):
        return existing
    top_up()
    timer = QTimer(parent)
    timer.setObjectName("refcountGuard")
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(top_up)
    timer.start()
    return timer

"""The one worker helper: long jobs run on a thread pool and report through signals.

    job = runner.submit(lambda ws, progress, cancel: ws.add_evidence(...), "Importing")
    job.progress.connect(bar.update)       # (done, total, message)
    job.succeeded.connect(self._on_result)
    job.failed.connect(self._on_error)     # the exception; CancelledError if cancelled

Rules (design.md): worker code never touches widgets; each job opens its own
``Workspace`` on the same data folder (a SQLite connection belongs to the
thread that opened it); the signals a caller connects to are emitted on the
UI thread.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from pdpacket.api import Workspace
from pdpacket.model.progress import CancelToken

log = logging.getLogger("ui.workers")

JobFunction = Callable[[Workspace, "SignalProgress", CancelToken], Any]


class Job(QObject):
    """A handle on one background job, living on the UI thread."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)
    finished = Signal()  # after succeeded or failed

    # emitted from the worker thread, delivered (queued) to this object's slots
    _w_progress = Signal(int, int, str)
    _w_result = Signal(object)
    _w_error = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.cancel_token = CancelToken()
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        queued = Qt.ConnectionType.QueuedConnection
        self._w_progress.connect(self._on_progress, queued)
        self._w_result.connect(self._on_result, queued)
        self._w_error.connect(self._on_error, queued)

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @property
    def cancelled(self) -> bool:
        return self.cancel_token.cancelled

    @Slot(int, int, str)
    def _on_progress(self, done: int, total: int, message: str) -> None:
        if not self.done:
            self.progress.emit(done, total, message)

    @Slot(object)
    def _on_result(self, result: object) -> None:
        self.done = True
        self.result = result
        self.succeeded.emit(result)
        self.finished.emit()

    @Slot(object)
    def _on_error(self, exc: object) -> None:
        self.done = True
        self.error = exc if isinstance(exc, BaseException) else RuntimeError(str(exc))
        self.failed.emit(self.error)
        self.finished.emit()


class SignalProgress:
    """``pdpacket.model.progress.Progress`` for a worker: throttled signals to the UI."""

    def __init__(self, job: Job, interval: float = 0.05) -> None:
        self._job = job
        self._interval = interval
        self._last = 0.0

    def update(self, done: int, total: int, message: str) -> None:
        now = time.monotonic()
        if done >= total or now - self._last >= self._interval:
            self._last = now
            self._job._w_progress.emit(done, total, message)


class _Runnable(QRunnable):
    def __init__(self, job: Job, fn: JobFunction, data_dir: Path) -> None:
        super().__init__()
        self.job = job
        self.fn = fn
        self.data_dir = data_dir
        self.setAutoDelete(True)

    def run(self) -> None:
        job = self.job
        try:
            job.cancel_token.raise_if_cancelled()
            # not Workspace.open: a job must not run the startup sweep (see for_job)
            with Workspace.for_job(self.data_dir) as ws:
                result = self.fn(ws, SignalProgress(job), job.cancel_token)
        except BaseException as exc:
            if not isinstance(exc, Exception):
                log.warning("job %s stopped by %r", job.name, exc)
            job._w_error.emit(exc)
        else:
            job._w_result.emit(result)


class TaskRunner(QObject):
    """Runs jobs for one window on its own small thread pool."""

    jobStarted = Signal(object)
    jobFinished = Signal(object)

    def __init__(self, data_dir: Path, parent: QObject | None = None, threads: int = 2) -> None:
        super().__init__(parent)
        self.data_dir = Path(data_dir)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max(1, threads))
        self._jobs: set[Job] = set()

    def submit(self, fn: JobFunction, name: str = "job") -> Job:
        job = Job(name, self)
        self._jobs.add(job)
        job.finished.connect(self._finished)
        self.pool.start(_Runnable(job, fn, self.data_dir))
        self.jobStarted.emit(job)
        return job

    @Slot()
    def _finished(self) -> None:
        job = self.sender()
        if isinstance(job, Job):
            self._jobs.discard(job)
            self.jobFinished.emit(job)
            job.deleteLater()

    @property
    def busy(self) -> bool:
        return bool(self._jobs)

    def active_jobs(self) -> list[Job]:
        return [j for j in self._jobs if not j.done]

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel every job and wait for the threads to stop (window closing)."""
        for job in list(self._jobs):
            job.cancel()
        return bool(self.pool.waitForDone(timeout_ms))

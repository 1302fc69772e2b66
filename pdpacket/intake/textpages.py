"""The text of a case's stored pages: which need OCR, running it on every core,
and each document's language.

Work is read from and written to the store on the calling thread (a store
belongs to its thread); only Tesseract runs elsewhere, one process per core,
fed by worker threads that do nothing but wait on it.
"""

from __future__ import annotations

import io
import logging
import os
import subprocess
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

from pypdf import PdfReader

from pdpacket.errors import NotFoundError
from pdpacket.intake import language as lang
from pdpacket.intake import ocr as engine
from pdpacket.model.ocr import OcrSummary
from pdpacket.model.progress import CancelToken, NullProgress, Progress
from pdpacket.model.text import OcrStatus, PageText, TextSource, Word
from pdpacket.store import ocr as table
from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.ocr")

WAITING = (OcrStatus.PENDING, OcrStatus.UNAVAILABLE)


def workers() -> int:
    return max(1, os.cpu_count() or 1)


def ocr_languages(store: Store) -> tuple[str, ...]:
    raw = store.get_setting(table.OCR_LANGUAGES_SETTING, None)
    if isinstance(raw, list) and raw and all(isinstance(v, str) for v in raw):
        return tuple(raw)
    return table.DEFAULT_OCR_LANGUAGES


def analyse(store: Store, files: Sequence[table.CaseFile]) -> int:
    """Look at every file not looked at yet: which of its pages need OCR.  Returns
    how many files were analysed."""
    todo = {f.pdf_sha256: f for f in files}
    done = table.analysed(store, todo)
    status = OcrStatus.PENDING if engine.tesseract_path() else OcrStatus.UNAVAILABLE
    n = 0
    for sha, f in todo.items():
        if sha in done or not store.blobs.exists(sha):
            continue
        try:
            pages, images = engine.image_pages(store.blobs.read(sha))
        except Exception as exc:  # unreadable files are the review's file.unreadable
            log.warning("%s could not be analysed for OCR: %s", f.name, exc)
            pages, images = f.pages, []
        table.record_analysis(store, sha, pages, images, status)
        n += 1
    return n


def _where(f: table.CaseFile, page: int, letters: dict[int, str]) -> str:
    ex = letters.get(f.exhibit_id)
    head = f"Exhibit {ex}, page {page + 1}" if ex else f"page {page + 1}"
    return f"{head} ({f.name})"


@dataclass
class _Job:
    sha: str
    page: int
    data: bytes  # the stored PDF (shared by the jobs of its pages)


def pending_pages(store: Store, case_id: int) -> list[tuple[str, int]]:
    files = table.case_files(store, case_id)
    analyse(store, files)
    return table.pages_with_status(store, (f.pdf_sha256 for f in files), WAITING)


_RUNNING = threading.Lock()  # one OCR run at a time: a second waits, then finds less to do


def run(
    store: Store,
    case_id: int,
    *,
    letters: dict[int, str] | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    retry_failed: bool = False,
    again: bool = False,
) -> OcrSummary:
    """OCR every page of the case still waiting, ``workers()`` Tesseract processes at
    once.  Cancelling stops at once (running processes are stopped); pages done
    stay done, the rest stay pending.  Then each changed document's language is
    detected again."""
    progress = progress or NullProgress()
    cancel = cancel or CancelToken()
    if not _RUNNING.acquire(blocking=False):
        progress.update(0, 0, "Waiting for the OCR already running")
        while not _RUNNING.acquire(timeout=0.2):
            cancel.raise_if_cancelled()
    try:
        return _run(store, case_id, letters or {}, progress, cancel, retry_failed, again)
    finally:
        _RUNNING.release()


def _run(
    store: Store,
    case_id: int,
    letters: dict[int, str],
    progress: Progress,
    cancel: CancelToken,
    retry_failed: bool,
    again: bool = False,
) -> OcrSummary:
    start = time.perf_counter()
    files = table.case_files(store, case_id)
    analyse(store, files)
    by_sha = {f.pdf_sha256: f for f in files}
    statuses = list(WAITING)
    if retry_failed or again:
        statuses.append(OcrStatus.FAILED)
    if again:  # e.g. other languages chosen: every scanned page is read anew
        statuses.append(OcrStatus.DONE)
    todo = table.pages_with_status(store, by_sha, statuses)
    exe = engine.tesseract_path()
    if exe is None:
        if todo:
            table.set_status(store, todo, OcrStatus.UNAVAILABLE)
        detect_languages(store, by_sha)
        return OcrSummary(
            pending=len(todo),
            unavailable=True,
            seconds=time.perf_counter() - start,
            message=f"Tesseract is not installed: {len(todo)} scanned pages have no text. "
            + engine.INSTALL_HINT,
        )
    if not todo:
        detect_languages(store, by_sha)
        return OcrSummary(message="Every page already has text.")
    # Tesseract is here now: pages it could not read before wait for this run
    table.set_status(
        store, table.pages_with_status(store, by_sha, [OcrStatus.UNAVAILABLE]), OcrStatus.PENDING
    )
    # the language model loads while Tesseract works (it is needed at the end)
    threading.Thread(target=lang.preload, name="pdpacket-langid", daemon=True).start()
    langs = engine.usable_languages(exe, ocr_languages(store))
    total = len(todo)
    done = failed = 0
    failures: list[str] = []
    running: set[subprocess.Popen[bytes]] = set()
    lock = threading.Lock()

    def started(proc: subprocess.Popen[bytes]) -> None:
        with lock:
            running.add(proc)
        if cancel.cancelled:
            proc.kill()

    readers = threading.local()  # one parsed PDF per worker thread (pypdf is not thread-safe)

    def recognise(job: _Job) -> list[Word]:
        """On a worker: take the page's images out (decoding overlaps the other
        workers' Tesseract), then read each."""
        if getattr(readers, "sha", "") != job.sha:
            readers.sha, readers.reader = job.sha, PdfReader(io.BytesIO(job.data))
        try:
            images = engine.page_images(readers.reader, job.page)
        except Exception as exc:  # one odd page never stops the rest
            log.warning("page %d of %s: images not readable: %s", job.page + 1, job.sha[:12], exc)
            raise engine.OcrFailed(f"its image could not be read ({type(exc).__name__}).") from exc
        words: list[Word] = []
        for image in images:
            if cancel.cancelled:
                raise engine.OcrFailed("cancelled")
            with slots:  # one Tesseract per core; the spare worker prepares the next page
                words += engine.recognise(image, exe, langs, on_start=started)
        return words

    slots = threading.Semaphore(workers())
    pool = ThreadPoolExecutor(workers() + 1, thread_name_prefix="pdpacket-ocr")
    inflight: dict[Future[list[Word]], _Job] = {}
    jobs = _jobs(store, todo)
    progress.update(0, total, f"Reading text on {total} scanned pages")
    try:
        exhausted = False
        while True:
            while not exhausted and not cancel.cancelled and len(inflight) < workers() + 2:
                job = next(jobs, None)
                if job is None:
                    exhausted = True
                    break
                inflight[pool.submit(recognise, job)] = job
            if not inflight:
                break
            finished, _ = wait(inflight, timeout=0.2, return_when=FIRST_COMPLETED)
            if cancel.cancelled:
                with lock:
                    for proc in running:
                        proc.kill()
            for fut in finished:
                job = inflight.pop(fut)
                try:
                    words = fut.result()
                except engine.OcrFailed as exc:
                    if cancel.cancelled:
                        continue
                    failed += 1
                    table.save_result(store, job.sha, job.page, OcrStatus.FAILED, error=str(exc))
                    failures.append(f"{_where(by_sha[job.sha], job.page, letters)}: {exc}")
                else:
                    table.save_result(
                        store, job.sha, job.page, OcrStatus.DONE, words, languages="+".join(langs)
                    )
                    done += 1
                progress.update(
                    done + failed, total, f"Reading text: page {done + failed} of {total}"
                )
    finally:
        with lock:
            for proc in running:
                if proc.poll() is None:
                    proc.kill()
        pool.shutdown(wait=True, cancel_futures=True)
    detect_languages(store, by_sha)
    left = total - done - failed
    took = time.perf_counter() - start
    if cancel.cancelled:
        msg = f"OCR cancelled: {done} pages read, {left} still waiting."
    else:
        msg = f"OCR read {done} page{'s' if done != 1 else ''} in {took:.1f} s" + (
            f"; {failed} failed." if failed else "."
        )
    log.info(msg)
    return OcrSummary(
        done=done,
        failed=failed,
        pending=left,
        cancelled=cancel.cancelled,
        seconds=took,
        languages=langs,
        failures=tuple(failures),
        message=msg,
    )


def _jobs(store: Store, todo: list[tuple[str, int]]) -> Iterator[_Job]:
    """Each page to read, its stored file read once for all its pages."""
    current, data = "", b""
    for sha, page in todo:
        if sha != current:
            current = sha
            try:
                data = store.blobs.read(sha)
            except Exception as exc:  # the review's file.unreadable says what to do
                log.warning("stored file %s not readable: %s", sha[:12], exc)
                data = b""
        yield _Job(sha, page, data)


# ---- words of a page, and the language of a document ----------------------------------
def page_text(store: Store, file_id: int, page: int) -> PageText:
    f = table.file_by_id(store, file_id)
    if f is None:
        raise NotFoundError(f"There is no evidence file {file_id}.")
    if not 0 <= page < f.pages:
        raise NotFoundError(f"{f.name} has no page {page + 1} (it has {f.pages}).")
    analyse(store, [f])
    language = lang.name(table.languages(store, [f.pdf_sha256]).get(f.pdf_sha256, ""))
    row = table.page(store, f.pdf_sha256, page)
    if row is not None:
        return PageText(file_id, page, TextSource.OCR, row.words, language, row.status)
    words = _text_words(store, f.pdf_sha256, page)
    return PageText(file_id, page, TextSource.PDF, words, language, OcrStatus.NOT_NEEDED)


_WORDS_CACHE: dict[tuple[str, str], tuple[tuple[Word, ...], ...]] = {}
_WORDS_LOCK = threading.Lock()
WORDS_CACHED_FILES = 8


def _text_words(store: Store, sha: str, page: int) -> tuple[Word, ...]:
    """A page's own words.  A stored file is parsed once for all its pages (the
    personal-number finder asks page by page), and the last few files are kept."""
    key = (str(store.data_dir), sha)
    with _WORDS_LOCK:
        cached = _WORDS_CACHE.get(key)
    if cached is None:
        data = store.blobs.read(sha)
        reader = PdfReader(io.BytesIO(data))
        pages = []
        for i in range(len(reader.pages)):
            try:
                pages.append(tuple(engine.text_words(data, i, reader=reader)))
            except Exception as exc:  # one odd page: no words, never an error
                log.warning("page %d of %s: text not readable: %s", i + 1, sha[:12], exc)
                pages.append(())
        cached = tuple(pages)
        with _WORDS_LOCK:
            _WORDS_CACHE[key] = cached
            while len(_WORDS_CACHE) > WORDS_CACHED_FILES:
                _WORDS_CACHE.pop(next(iter(_WORDS_CACHE)))
    return cached[page]


def file_text(store: Store, sha: str) -> str:
    """All the text of a stored file: its own, and what OCR read on its scans."""
    ocr_pages = table.pages_of(store, [sha])
    parts: list[str] = []
    data = store.blobs.read(sha)
    reader = PdfReader(io.BytesIO(data))
    for i, page in enumerate(reader.pages):
        row = ocr_pages.get((sha, i))
        if row is not None:
            parts.append(" ".join(w.text for w in row.words))
        else:
            try:
                parts.append(page.extract_text() or "")
            except Exception as exc:
                log.warning("page %d text not readable: %s", i + 1, exc)
        if sum(len(p) for p in parts) > 20_000:
            break
    return "\n".join(parts)


def detect_languages(store: Store, shas: Iterable[str]) -> None:
    """Detect the language of every analysed file whose text changed since."""
    for sha in table.stale_languages(store, list(shas)):
        try:
            text = file_text(store, sha)
        except Exception as exc:
            log.warning("text of %s not readable: %s", sha[:12], exc)
            text = ""
        code, score = lang.detect(text)
        table.save_language(store, sha, code, score, len(text))

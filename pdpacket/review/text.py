"""The review's checks of the text of evidence pages: scanned pages OCR has not
read (pending, failed, Tesseract missing), and documents whose text reads as
another language than English with no translation, whatever language the
exhibit says it is in."""

from __future__ import annotations

from collections.abc import Iterator

from pdpacket.intake import language as lang
from pdpacket.intake import ocr as engine
from pdpacket.intake import textpages
from pdpacket.model import Exhibit, FileRole, Finding, packet_exhibits
from pdpacket.model.ocr import LanguageProposal
from pdpacket.model.text import OcrStatus
from pdpacket.review.context import ReviewContext
from pdpacket.store import ocr as table
from pdpacket.store.database import Store


def _documents(e: Exhibit) -> list[table.CaseFile]:
    return [
        table.CaseFile(f.pdf_sha256, f.pages, f.id, e.id, f.original_name)
        for f in e.files
        if f.role == FileRole.DOCUMENT
    ]


def proposals(
    store: Store, case_id: int, exhibits: list[Exhibit] | None = None
) -> list[LanguageProposal]:
    """Each exhibit whose document reads as a language other than the exhibit's
    (and the attorney has not said otherwise for that file)."""
    exhibits = exhibits if exhibits is not None else store.list_exhibits(case_id)
    files = [f for e in exhibits if e.included for f in _documents(e)]
    textpages.analyse(store, files)
    textpages.detect_languages(store, [f.pdf_sha256 for f in files])
    detected = table.languages(store, (f.pdf_sha256 for f in files))
    chosen = table.language_choices(store, (f.file_id for f in files))
    out = []
    for e in exhibits:
        if not e.included:
            continue
        for f in _documents(e):
            code = detected.get(f.pdf_sha256, "")
            if not code or f.file_id in chosen:
                continue
            name = lang.name(code)
            current = e.language or "English"
            if name.lower() == current.strip().lower() or (
                lang.is_english(name) and lang.is_english(current)
            ):
                continue
            if lang.is_english(name):
                continue  # an English document in a foreign-language exhibit: the translation
            out.append(LanguageProposal(e.id, f.file_id, f.name, name, code, current))
            break
    return out


def check_text(ctx: ReviewContext) -> Iterator[Finding | None]:
    store = ctx.store
    included = ctx.included
    letters = {e.id: letter for letter, e in packet_exhibits(ctx.exhibits)}
    files = [
        table.CaseFile(f.pdf_sha256, f.pages, f.id, e.id, f.original_name)
        for e in included
        for f in e.files
    ]
    textpages.analyse(store, files)
    pages = table.statuses_of(store, (f.pdf_sha256 for f in files))
    installed = engine.tesseract_path() is not None
    unavailable = 0
    for e in included:
        waiting = 0
        for f in e.files:
            for (sha, page), row in sorted(pages.items()):
                if sha != f.pdf_sha256:
                    continue
                if row.status == OcrStatus.PENDING or (
                    row.status == OcrStatus.UNAVAILABLE and installed  # installed since
                ):
                    waiting += 1
                elif row.status == OcrStatus.UNAVAILABLE:
                    unavailable += 1
                elif row.status == OcrStatus.FAILED:
                    where = (
                        f"Exhibit {letters[e.id]}, page {page + 1} of {f.original_name}"
                        if e.id in letters
                        else f'page {page + 1} of {f.original_name} (exhibit "{e.title}")'
                    )
                    yield ctx.finding(
                        "ocr.failed", e.id, where=where, why=row.error or "no reason given."
                    )
        if waiting:
            yield ctx.finding("ocr.pending", e.id, pages=waiting, exhibit=e.title)
    if unavailable:
        yield ctx.finding("ocr.unavailable", pages=unavailable, install=engine.INSTALL_HINT)
    for p in proposals(store, ctx.case.id, ctx.exhibits):
        e = next(x for x in included if x.id == p.exhibit_id)
        if lang.is_english(p.exhibit_language) and not e.files_with_role(FileRole.TRANSLATION):
            yield ctx.finding(
                "exhibit.untranslated_detected",
                e.id,
                exhibit=e.title,
                language=p.language,
                file=p.file_name,
            )

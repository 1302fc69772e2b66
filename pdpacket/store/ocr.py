"""Text found on stored evidence pages: which pages need OCR, what it found, and
each stored file's detected language.

Everything here is derived from a stored PDF's bytes, so it is keyed by the
PDF's hash: a file stored in two cases is analysed once, and a case archive
need not carry it (it is recomputed, or found again, after an import).  A page
of an analysed file without an ``ocr_pages`` row has text of its own.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pdpacket.model.text import OcrStatus, Word
from pdpacket.store.database import Store, now_iso

OCR_LANGUAGES_SETTING = "ocr.languages"  # Tesseract language codes, e.g. ["eng", "spa"]
DEFAULT_OCR_LANGUAGES = ("eng", "spa")


@dataclass(frozen=True)
class CaseFile:
    """One stored PDF a case builds from, as OCR and the review name it."""

    pdf_sha256: str
    pages: int
    file_id: int  # exhibit_files.id; 0 for a case document
    exhibit_id: int
    name: str  # the file's original name


@dataclass(frozen=True)
class OcrPage:
    pdf_sha256: str
    page: int
    status: OcrStatus
    words: tuple[Word, ...]
    error: str = ""


def case_files(store: Store, case_id: int) -> list[CaseFile]:
    """The stored PDFs of the case's exhibits and case documents, in exhibit order."""
    rows = store._q(
        "SELECT f.pdf_sha256, f.pages, f.id, f.exhibit_id, f.original_name "
        "FROM exhibit_files f JOIN exhibits e ON e.id = f.exhibit_id "
        "WHERE e.case_id = ? ORDER BY e.position, e.id, f.position, f.id",
        (case_id,),
    )
    out = [
        CaseFile(r["pdf_sha256"], r["pages"], r["id"], r["exhibit_id"], r["original_name"])
        for r in rows
    ]
    docs = store._q(
        "SELECT pdf_sha256, pages, original_name FROM case_documents WHERE case_id = ?",
        (case_id,),
    )
    out += [CaseFile(r["pdf_sha256"], r["pages"], 0, 0, r["original_name"]) for r in docs]
    return out


def file_by_id(store: Store, file_id: int) -> CaseFile | None:
    rows = store._q(
        "SELECT pdf_sha256, pages, id, exhibit_id, original_name FROM exhibit_files WHERE id = ?",
        (file_id,),
    )
    if not rows:
        return None
    r = rows[0]
    return CaseFile(r["pdf_sha256"], r["pages"], r["id"], r["exhibit_id"], r["original_name"])


def analysed(store: Store, shas: Iterable[str]) -> set[str]:
    wanted = sorted(set(shas))
    if not wanted:
        return set()
    marks = ", ".join("?" * len(wanted))
    rows = store._q(f"SELECT pdf_sha256 FROM text_files WHERE pdf_sha256 IN ({marks})", wanted)
    return {r["pdf_sha256"] for r in rows}


def needs_run(store: Store, shas: Iterable[str]) -> bool:
    """Whether OCR has anything to do for these files (cheap: no file is read):
    one not analysed yet, a page waiting, or a language to detect."""
    wanted = sorted(set(shas))
    if not wanted:
        return False
    marks = ", ".join("?" * len(wanted))
    row = store._q(
        f"SELECT (SELECT COUNT(*) FROM text_files WHERE pdf_sha256 IN ({marks})) AS analysed, "
        f"(SELECT COUNT(*) FROM text_files WHERE detected_at IS NULL "
        f"AND pdf_sha256 IN ({marks})) AS stale, "
        f"(SELECT COUNT(*) FROM ocr_pages WHERE status IN ('pending', 'unavailable') "
        f"AND pdf_sha256 IN ({marks})) AS waiting",
        [*wanted, *wanted, *wanted],
    )[0]
    return bool(row["analysed"] < len(wanted) or row["stale"] or row["waiting"])


def record_analysis(
    store: Store, sha: str, pages: int, image_pages: Sequence[int], status: OcrStatus
) -> None:
    """A file looked at: ``image_pages`` need OCR (``status``: pending, or unavailable)."""
    now = now_iso()
    with store.transaction():
        store.db.execute(
            "INSERT OR IGNORE INTO text_files (pdf_sha256, pages, analysed_at) VALUES (?, ?, ?)",
            (sha, pages, now),
        )
        for p in image_pages:
            store.db.execute(
                "INSERT OR IGNORE INTO ocr_pages (pdf_sha256, page, status, updated_at) "
                "VALUES (?, ?, ?, ?)",
                (sha, p, str(status), now),
            )


def pages_with_status(
    store: Store, shas: Iterable[str], statuses: Iterable[OcrStatus]
) -> list[tuple[str, int]]:
    wanted = sorted(set(shas))
    sts = [str(s) for s in statuses]
    if not wanted or not sts:
        return []
    rows = store._q(
        f"SELECT pdf_sha256, page FROM ocr_pages WHERE pdf_sha256 IN ({', '.join('?' * len(wanted))}) "
        f"AND status IN ({', '.join('?' * len(sts))}) ORDER BY pdf_sha256, page",
        [*wanted, *sts],
    )
    return [(r["pdf_sha256"], r["page"]) for r in rows]


def set_status(store: Store, pages: Iterable[tuple[str, int]], status: OcrStatus) -> None:
    now = now_iso()
    with store.transaction():
        for sha, page in pages:
            store.db.execute(
                "UPDATE ocr_pages SET status = ?, updated_at = ? WHERE pdf_sha256 = ? AND page = ?",
                (str(status), now, sha, page),
            )


def save_result(
    store: Store,
    sha: str,
    page: int,
    status: OcrStatus,
    words: Sequence[Word] = (),
    *,
    languages: str = "",
    error: str = "",
) -> None:
    with store.transaction():
        store.db.execute(
            "UPDATE ocr_pages SET status = ?, words = ?, languages = ?, error = ?, updated_at = ? "
            "WHERE pdf_sha256 = ? AND page = ?",
            (str(status), dump_words(words), languages, error, now_iso(), sha, page),
        )
        # the file's language is detected again from its new text
        store.db.execute("UPDATE text_files SET detected_at = NULL WHERE pdf_sha256 = ?", (sha,))


def page(store: Store, sha: str, page_no: int) -> OcrPage | None:
    rows = store._q("SELECT * FROM ocr_pages WHERE pdf_sha256 = ? AND page = ?", (sha, page_no))
    if not rows:
        return None
    r = rows[0]
    return OcrPage(sha, page_no, OcrStatus(r["status"]), load_words(r["words"]), r["error"])


def pages_of(store: Store, shas: Iterable[str]) -> dict[tuple[str, int], OcrPage]:
    """Every page of these files that needed OCR, by (hash, page)."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    rows = store._q(
        f"SELECT * FROM ocr_pages WHERE pdf_sha256 IN ({', '.join('?' * len(wanted))})", wanted
    )
    return {
        (r["pdf_sha256"], r["page"]): OcrPage(
            r["pdf_sha256"], r["page"], OcrStatus(r["status"]), load_words(r["words"]), r["error"]
        )
        for r in rows
    }


def statuses_of(store: Store, shas: Iterable[str]) -> dict[tuple[str, int], OcrPage]:
    """Like ``pages_of`` without the words (what the review needs: cheap)."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    rows = store._q(
        f"SELECT pdf_sha256, page, status, error FROM ocr_pages "
        f"WHERE pdf_sha256 IN ({', '.join('?' * len(wanted))})",
        wanted,
    )
    return {
        (r["pdf_sha256"], r["page"]): OcrPage(
            r["pdf_sha256"], r["page"], OcrStatus(r["status"]), (), r["error"]
        )
        for r in rows
    }


def stale_languages(store: Store, shas: Iterable[str]) -> list[str]:
    wanted = sorted(set(shas))
    if not wanted:
        return []
    rows = store._q(
        f"SELECT pdf_sha256 FROM text_files WHERE detected_at IS NULL "
        f"AND pdf_sha256 IN ({', '.join('?' * len(wanted))})",
        wanted,
    )
    return [r["pdf_sha256"] for r in rows]


def save_language(store: Store, sha: str, language: str, score: float, chars: int) -> None:
    store.db.execute(
        "UPDATE text_files SET language = ?, language_score = ?, text_chars = ?, detected_at = ? "
        "WHERE pdf_sha256 = ?",
        (language, score, chars, now_iso(), sha),
    )


def languages(store: Store, shas: Iterable[str]) -> dict[str, str]:
    """Detected language code per file ("" when unknown)."""
    wanted = sorted(set(shas))
    if not wanted:
        return {}
    rows = store._q(
        f"SELECT pdf_sha256, language FROM text_files WHERE detected_at IS NOT NULL "
        f"AND pdf_sha256 IN ({', '.join('?' * len(wanted))})",
        wanted,
    )
    return {r["pdf_sha256"]: r["language"] for r in rows}


def language_choices(store: Store, file_ids: Iterable[int]) -> dict[int, str]:
    wanted = sorted(set(file_ids))
    if not wanted:
        return {}
    rows = store._q(
        f"SELECT file_id, language FROM language_choices "
        f"WHERE file_id IN ({', '.join('?' * len(wanted))})",
        wanted,
    )
    return {r["file_id"]: r["language"] for r in rows}


def set_language_choice(store: Store, file_id: int, language: str) -> None:
    with store.transaction():
        if language:
            store.db.execute(
                "INSERT INTO language_choices (file_id, language, chosen_at) VALUES (?, ?, ?) "
                "ON CONFLICT(file_id) DO UPDATE SET language = excluded.language, "
                "chosen_at = excluded.chosen_at",
                (file_id, language, now_iso()),
            )
        else:
            store.db.execute("DELETE FROM language_choices WHERE file_id = ?", (file_id,))


def dump_words(words: Sequence[Word]) -> str:
    return json.dumps(
        [
            [w.text, round(w.x0, 2), round(w.y0, 2), round(w.x1, 2), round(w.y1, 2), w.confidence]
            + ([w.angle] if w.angle else [])  # words stored before had no direction: 0
            for w in words
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def load_words(raw: str) -> tuple[Word, ...]:
    return tuple(
        Word(
            str(t),
            float(a),
            float(b),
            float(c),
            float(d),
            float(conf),
            int(angle[0]) if angle else 0,
        )
        for t, a, b, c, d, conf, *angle in json.loads(raw or "[]")
    )

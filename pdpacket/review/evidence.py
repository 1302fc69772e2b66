"""The review's evidence analysis: what a supervising attorney finds by reading
the exhibits themselves rather than the checklist.

- the residence timeline: the years from the claimed start of residence with no
  dated document showing the client in the United States;
- documents the court already holds (the NTA, the judge's orders, hearing
  notices) and ICE/OPLA/DHS memos filed as exhibits;
- original identity documents instead of copies;
- letters of support with no signature, date, contact details or relationship;
- a criminal history without the FBI Identity History Summary, rehabilitation
  evidence or a final disposition of each arrest ("Disposition: pending" is not one).

Every pattern it looks for is data (resources/evidence_checks.json) and every
message a rule of resources/review_rules.json.  The heuristics read text, so
they warn rather than block, except where a document offered as a disposition
says itself that it is not final.

The exhibits' text comes through one function, ``page_texts``: the pages' own
text, and on scanned pages the words OCR read.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from pdpacket.model import Exhibit, ExhibitFile, FileRole, Finding, Polarity
from pdpacket.model.identifiers import exhibit_letter
from pdpacket.model.interview import Arrest, Interview
from pdpacket.policy import catalog
from pdpacket.review.context import ReviewContext
from pdpacket.store import ocr as ocr_table
from pdpacket.store import page_texts as text_store
from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.review.evidence")
T = TypeVar("T")


@functools.cache
def checks_data() -> dict[str, Any]:
    """resources/evidence_checks.json, read once per process."""
    data: dict[str, Any] = catalog.load_json("evidence_checks.json")
    return data


def _patterns(section: dict[str, Any], key: str, *, exact: bool = False) -> list[re.Pattern[str]]:
    flags = 0 if exact else re.IGNORECASE
    return [re.compile(p, flags) for p in section.get(key, ())]


def _first(patterns: Iterable[re.Pattern[str]], text: str) -> str:
    """The first match of any pattern in ``text`` ("" when none matches)."""
    for p in patterns:
        m = p.search(text)
        if m:
            return " ".join(m.group(0).split())
    return ""


# ---- the exhibits' text --------------------------------------------------------------
@dataclass
class _FileText:
    pages: list[str]  # the text of each page read so far
    images: dict[int, bool]  # page -> carries an image (a scanned signature, a stamp)
    count: int  # the file's page count


_TEXT_CACHE: dict[str, _FileText] = {}
_CACHE_MAX = 512
# reviews run on worker threads (the window's review, a build's): one reader at a time
_LOCK = threading.RLock()
# what a check found in an exhibit, by what it depends on (its files, title,
# description and type): a later review of an unchanged exhibit reads nothing again
_FOUND: dict[tuple[object, ...], object] = {}
_FOUND_MAX = 4096


def _remembered(e: Exhibit, what: str, compute: Callable[[], T]) -> T:
    key = (what, tuple(f.pdf_sha256 for f in e.files), e.title, e.description, e.document_type)
    with _LOCK:
        if key in _FOUND:
            return cast(T, _FOUND[key])
        value = compute()
        if len(_FOUND) >= _FOUND_MAX:
            _FOUND.pop(next(iter(_FOUND)))
        _FOUND[key] = value
        return value


def _reader(data: bytes) -> Any:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data), strict=False)


def _file_text(store: Store, sha: str, pages: int = 0) -> _FileText | None:
    """The cached text record of a stored PDF (content-addressed: never stale);
    ``pages``: its page count when the caller knows it (no parse needed)."""
    found = _TEXT_CACHE.get(sha)
    if found is not None:
        return found
    try:
        count = pages or len(_reader(store.blobs.read(sha)).pages)
    except Exception as exc:  # a damaged or missing blob: file.unreadable reports it
        log.warning("cannot read %s for the evidence review: %s", sha[:12], exc)
        return None
    if len(_TEXT_CACHE) >= _CACHE_MAX:
        _TEXT_CACHE.pop(next(iter(_TEXT_CACHE)))
    found = _TEXT_CACHE[sha] = _FileText([], {}, count)
    return found


def page_texts(store: Store, f: ExhibitFile, pages: int) -> list[str]:
    """The text of the first ``pages`` pages of a stored exhibit file, one string
    a page ("" for a page with no text, e.g. a scan without a text layer).

    The one door through which the review reads evidence text: a scanned page
    reads as the words OCR found on it (``store.ocr``), once it has run."""
    with _LOCK:
        texts = list(_page_texts(store, f, pages))
    for (_, page), row in ocr_table.pages_of(store, [f.pdf_sha256]).items():
        if page < len(texts) and row.words:  # read fresh: OCR may have run since
            own = texts[page].strip()
            words = " ".join(w.text for w in row.words)
            texts[page] = f"{own}\n{words}" if own else words
    return texts


def _page_texts(store: Store, f: ExhibitFile, pages: int) -> list[str]:
    rec = _file_text(store, f.pdf_sha256, f.pages)
    if rec is None:
        return []
    want = min(pages, rec.count)
    if len(rec.pages) < want:
        # kept in the database across processes (a CLI build is a new one)
        known = text_store.cached(store, f.pdf_sha256, want)
        while len(rec.pages) < want and len(rec.pages) in known:
            rec.pages.append(known[len(rec.pages)])
    if len(rec.pages) < want:
        start = len(rec.pages)
        try:
            reader = _reader(store.blobs.read(f.pdf_sha256))
            for n in range(start, want):
                try:
                    rec.pages.append(reader.pages[n].extract_text() or "")
                except Exception as exc:  # one bad page: no text, the rest still read
                    log.warning("no text on page %d of %s: %s", n + 1, f.original_name, exc)
                    rec.pages.append("")
        except Exception as exc:
            log.warning("cannot read the text of %s: %s", f.original_name, exc)
            return list(rec.pages)
        text_store.remember(
            store, f.pdf_sha256, {n: rec.pages[n] for n in range(start, len(rec.pages))}
        )
    return rec.pages[:want]


def _has_image(store: Store, f: ExhibitFile, page: int) -> bool:
    """Whether page ``page`` (from 0) of the file shows an image."""
    with _LOCK:
        rec = _file_text(store, f.pdf_sha256)
        if rec is None or not 0 <= page < rec.count:
            return False
        if page in rec.images:
            return rec.images[page]
        try:
            page_obj: Any = _reader(store.blobs.read(f.pdf_sha256)).pages[page]
            res: Any = page_obj.get("/Resources")
            xobjects: Any = res.get_object().get("/XObject") if res is not None else None
            rec.images[page] = xobjects is not None and any(
                x.get_object().get("/Subtype") == "/Image" for x in xobjects.get_object().values()
            )
        except Exception as exc:
            log.warning("cannot look for images in %s: %s", f.original_name, exc)
            rec.images[page] = False
    return rec.images[page]


_ROLE_ORDER = {FileRole.TRANSLATION: 0, FileRole.DOCUMENT: 1, FileRole.CERTIFICATE: 2}


def _reading_files(e: Exhibit) -> list[ExhibitFile]:
    """An exhibit's files in the order to read them: the English translation first."""
    return sorted(e.files, key=lambda f: (_ROLE_ORDER.get(f.role, 3), f.position))


def exhibit_text(store: Store, e: Exhibit, pages: int) -> str:
    """The text of an exhibit's first ``pages`` pages of each file, the English
    translation first."""
    return "\n".join(t for f in _reading_files(e) for t in page_texts(store, f, pages))


class _Reader:
    """One review's view of the exhibits' text and the check data."""

    def __init__(self, ctx: ReviewContext) -> None:
        self.ctx = ctx
        self.data = checks_data()
        self.first = int(self.data.get("first_pages", 3))
        self.full = int(self.data.get("text_pages", 20))

    def head(self, e: Exhibit) -> str:
        return exhibit_text(self.ctx.store, e, self.first)

    def body(self, e: Exhibit) -> str:
        return exhibit_text(self.ctx.store, e, self.full)


def _words(e: Exhibit) -> str:
    return f"{e.title}\n{e.description}"


def _letter_of(ctx: ReviewContext, e: Exhibit) -> str:
    lettered = [x for x in ctx.exhibits if x.in_packet]
    for i, x in enumerate(lettered):
        if x.id == e.id:
            return exhibit_letter(i)
    return ""


def _name(ctx: ReviewContext, e: Exhibit) -> str:
    """'Exhibit C, "Lease"', or '"Lease"' for one not lettered yet."""
    letter = _letter_of(ctx, e)
    return f'Exhibit {letter}, "{e.title}"' if letter else f'"{e.title}"'


@functools.cache
def _types() -> dict[str, tuple[str, str]]:
    """Document type id -> (category, label), read once per process."""
    return {d.id: (d.category, d.label) for d in catalog.document_types()}


def _type_category(type_id: str) -> str:
    return _types().get(type_id, ("", ""))[0]


def _type_label(type_id: str) -> str:
    return _types().get(type_id, ("", type_id))[1]


def interview_of(ctx: ReviewContext) -> Interview:
    """The case's interview, when the review context carries one."""
    found = getattr(ctx, "interview", None)
    return found if isinstance(found, Interview) else Interview()  # before interviews existed


# ---- 1. the residence timeline ---------------------------------------------------------
def _year(partial_iso: str) -> int | None:
    m = re.match(r"\s*((?:19|20)\d\d)", partial_iso or "")
    return int(m.group(1)) if m else None


def _residence_factor(ctx: ReviewContext) -> catalog.Factor | None:
    return next((f for f in ctx.framework.factors if f.category == "residence"), None)


def claimed_start(ctx: ReviewContext) -> tuple[int, str] | None:
    """The year residence is claimed from, and where the claim is read: the
    interview's residence date, else its entry date, else a year in the notes of
    the residence factor when it is marked."""
    iv = interview_of(ctx)
    year = _year(iv.residence_since)
    if year:
        return year, "the interview's residence date"
    factor = _residence_factor(ctx)
    answer = ctx.answers.get(factor.id) if factor else None
    claimed = answer is not None and answer.applies
    year = _year(iv.entry.date)
    if year and claimed:
        return year, "the interview's entry date"
    if factor is None or answer is None or not claimed:
        return None
    spec = checks_data()["residence"]
    notes = f"{answer.notes} {answer.explanation}"
    # the earliest year the notes tie to the claim ("admitted ... 2009", "since 2009"),
    # else the earliest year they name
    years = [int(y) for y in re.findall(spec["claim_year"], notes, re.IGNORECASE)]
    years = years or [int(y) for y in re.findall(spec["any_year"], notes)]
    if years:
        return min(years), f'the notes of "{factor.label}"'
    return None


def _presence_exhibits(ctx: ReviewContext) -> list[Exhibit]:
    spec = checks_data()["residence"]
    excluded_cats = set(spec.get("excluded_categories", ()))
    excluded_types = set(spec.get("excluded_types", ()))
    factor = _residence_factor(ctx)
    out = []
    for e in ctx.included:
        if e.dates is None:
            continue
        tagged = factor is not None and factor.id in e.factor_ids
        kind_ok = (
            e.document_type not in excluded_types
            and _type_category(e.document_type) not in excluded_cats
        )
        if tagged or kind_ok:
            out.append(e)
    return out


def years_covered(exhibits: Iterable[Exhibit]) -> dict[int, int]:
    """How many dated documents fall in (or span) each year."""
    count: dict[int, int] = {}
    for e in exhibits:
        span = e.dates
        if span is None:
            continue
        for y in range(span[0].year, span[1].year + 1):
            count[y] = count.get(y, 0) + 1
    return count


def year_span(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}\u2013{last}"


def _runs(years: Sequence[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for y in years:
        if runs and runs[-1][1] == y - 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    return runs


def check_residence(ctx: ReviewContext) -> Iterator[Finding | None]:
    claim = claimed_start(ctx)
    if claim is None:
        factor = _residence_factor(ctx)
        answer = ctx.answers.get(factor.id) if factor else None
        if factor is not None and answer is not None and answer.applies:
            yield ctx.finding("residence.no_start", factor.id, factor=factor.label)
        return
    start, source = claim
    factor = _residence_factor(ctx)
    fid = factor.id if factor else ""
    label = factor.label if factor else "Long residence"
    last = ctx.today.year - 1  # the current year may have no document yet
    if start > last:
        return
    covered = years_covered(_presence_exhibits(ctx))
    if not covered:
        yield ctx.finding(
            "residence.no_dated_documents", fid, claimed=start, source=source, factor=label
        )
        return
    first_doc = min(covered)
    missing = [y for y in range(start, last + 1) if y not in covered]
    for lo, hi in _runs(missing):
        if lo == start and first_doc > start:
            yield ctx.finding(
                "residence.start_undocumented",
                fid,
                claimed=start,
                source=source,
                first=first_doc,
                years=year_span(lo, hi),
                factor=label,
            )
        else:
            yield ctx.finding(
                "residence.gap", fid, years=year_span(lo, hi), claimed=start, factor=label
            )


# ---- 2. the record of proceeding and agency memos ------------------------------------
def _record_reason(r: _Reader, e: Exhibit) -> str:
    spec = r.data["record_of_proceeding"]
    if e.document_type in spec.get("types", ()):
        return f"its document type is {_type_label(e.document_type)}"
    said = _first(_patterns(spec, "title"), _words(e))
    if said:
        return f'its title says "{said}"'
    said = _first(_patterns(spec, "text_exact", exact=True), r.head(e))
    return f'its text says "{said}"' if said else ""


def _memo_reason(r: _Reader, e: Exhibit) -> str:
    spec = r.data["agency_memo"]
    said = _first(_patterns(spec, "title"), _words(e))
    if said:
        return f'its title says "{said}"'
    head = r.head(e)
    for group in spec.get("text_all", ()):
        found = [re.search(p, head) for p in group]
        if all(found):
            return "its text says " + " ... ".join(f'"{m.group(0)}"' for m in found if m)
    return ""


def _original_reason(r: _Reader, e: Exhibit) -> str:
    spec = r.data["originals"]
    if _first(_patterns(spec, "title_not"), _words(e)):
        return ""  # "copy of the original passport"
    said = _first(_patterns(spec, "title"), _words(e))
    if said:
        return f'its title says "{said}"'
    said = _first(_patterns(spec, "text_exact", exact=True), r.head(e))
    return f'its text says "{said}"' if said else ""


def _reasons(r: _Reader, e: Exhibit) -> tuple[str, str, str]:
    """Why the exhibit looks like an agency memo, a record-of-proceeding
    document, an original identity document ("" for each it does not)."""
    return _memo_reason(r, e), _record_reason(r, e), _original_reason(r, e)


def check_documents(ctx: ReviewContext) -> Iterator[Finding | None]:
    r = _Reader(ctx)
    for e in ctx.included:
        memo, record, original = _remembered(e, "documents", functools.partial(_reasons, r, e))
        if memo:
            yield ctx.finding("evidence.agency_memo", e.id, exhibit=_name(ctx, e), why=memo)
            continue
        if record:
            why = record
            yield ctx.finding("evidence.record_of_proceeding", e.id, exhibit=_name(ctx, e), why=why)
        if original:
            why = original
            yield ctx.finding("evidence.original_document", e.id, exhibit=_name(ctx, e), why=why)


# ---- 3. letters of support ---------------------------------------------------------------
def is_support_letter(e: Exhibit) -> bool:
    spec = checks_data()["support_letter"]
    if e.document_type in spec.get("types", ()):
        return True
    return bool(_first(_patterns(spec, "title"), _words(e)))


def support_letter_gaps(store: Store, e: Exhibit) -> list[str] | None:
    """What a letter of support does not show (empty: nothing missing); None when
    it has no text to read (a scan waiting for its OCR text layer)."""
    spec = checks_data()["support_letter"]
    pages = int(checks_data().get("text_pages", 20))
    text = exhibit_text(store, e, pages)
    if not text.strip():
        return None
    gaps = []
    signed = bool(_first(_patterns(spec, "signed"), text))
    if not signed:
        # an ink signature, scanned, shows as an image on the letter's last page
        for f in e.files_with_role(FileRole.DOCUMENT):
            if f.pages and _has_image(store, f, min(f.pages, pages) - 1):
                signed = True
    if not signed:
        gaps.append("no signature")
    if not _first(_patterns(spec, "dated"), text):
        gaps.append("no date")
    contact = [k for k in ("phone", "email", "address") if _first(_patterns(spec, k), text)]
    if not contact:
        gaps.append("no contact details (phone, e-mail or address)")
    if not _first(_patterns(spec, "relationship"), text):
        gaps.append("nothing on how the writer knows the client")
    return gaps


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def check_support_letters(ctx: ReviewContext) -> Iterator[Finding | None]:
    for e in ctx.included:
        if not e.files or not is_support_letter(e):
            continue
        gaps = _remembered(e, "support", functools.partial(support_letter_gaps, ctx.store, e))
        if gaps is None:
            yield ctx.finding("support_letter.unread", e.id, exhibit=_name(ctx, e))
        elif gaps:
            yield ctx.finding(
                "support_letter.incomplete", e.id, exhibit=_name(ctx, e), missing=_and(gaps)
            )


# ---- 4. criminal history -------------------------------------------------------------------
def _arrest_name(a: Arrest, n: int) -> str:
    what = a.charge.strip() or f"arrest {n}"
    return f"{what} ({a.date})" if a.date.strip() else what


def _criminal_history(ctx: ReviewContext, r: _Reader) -> str:
    """What shows a criminal history ("" for none): interview arrests, a criminal
    negative factor marked as applying, or criminal-record exhibits."""
    arrests = interview_of(ctx).arrests
    if arrests:
        return f"{len(arrests)} arrest{'s' if len(arrests) > 1 else ''} in the interview"
    for f in ctx.framework.factors:
        a = ctx.answers.get(f.id)
        if f.polarity == Polarity.NEGATIVE and f.category == "criminal" and a and a.applies:
            return f'"{f.label}" is marked'
    record = set(r.data["criminal"].get("record_types", ()))
    for e in ctx.included:
        if e.document_type in record:
            return f"{_name(ctx, e)} is a {_type_label(e.document_type).lower()}"
    return ""


def not_final(text: str) -> str:
    """The words by which a document says its disposition is not final ("")."""
    return _first(_patterns(checks_data()["criminal"], "not_final_text"), text)


def _not_final_in(r: _Reader, e: Exhibit) -> str:
    return not_final(r.body(e))


def _cleared_in(r: _Reader, e: Exhibit, cleared: re.Pattern[str]) -> bool:
    return bool(cleared.search(r.body(e)))


def check_criminal(ctx: ReviewContext) -> Iterator[Finding | None]:
    r = _Reader(ctx)
    spec = r.data["criminal"]
    what = _criminal_history(ctx, r)
    if not what:
        return
    included = ctx.included
    fbi = [
        e
        for e in included
        if e.document_type in spec["fbi_types"] or _first(_patterns(spec, "fbi_title"), _words(e))
    ]
    if not fbi:
        yield ctx.finding("criminal.no_fbi_summary", what=what)
    rehab_factors = set(spec.get("rehabilitation_factors", ()))
    rehab = [
        e
        for e in included
        if e.document_type in spec["rehabilitation_types"]
        or rehab_factors & set(e.factor_ids)
        or _first(_patterns(spec, "rehabilitation_title"), _words(e))
    ]
    # dispositions: those that say they are not final do not count
    disposition_types = set(spec["disposition_types"])
    record_types = set(spec["record_types"]) | {"police_report"}
    final: set[int] = set()
    pending: dict[int, str] = {}
    for e in included:
        offered = e.document_type in disposition_types or "disposition" in e.title.lower()
        if not (offered or e.document_type in record_types):
            continue
        said = (
            _remembered(e, "not_final", functools.partial(_not_final_in, r, e)) if e.files else ""
        )
        if said:
            pending[e.id] = said
        elif offered and e.files:
            final.add(e.id)
    by_id = {e.id: e for e in included}
    for eid, said in pending.items():
        e = by_id[eid]
        if e.document_type in disposition_types or "disposition" in e.title.lower():
            yield ctx.finding(
                "criminal.disposition_pending", e.id, exhibit=_name(ctx, e), said=said
            )
        elif not final:
            yield ctx.finding("criminal.record_pending", e.id, exhibit=_name(ctx, e), said=said)
    # every charge dismissed, sealed or expunged (as the interview or every final
    # disposition says): there is no conduct to show rehabilitation from
    arrests = interview_of(ctx).arrests
    cleared = re.compile(spec.get("cleared_answer", "$^"), re.IGNORECASE)
    if arrests:
        all_cleared = all(cleared.search(a.disposition) for a in arrests)
    else:
        all_cleared = bool(final) and all(
            _remembered(by_id[i], "cleared", functools.partial(_cleared_in, r, by_id[i], cleared))
            for i in final
        )
    if not rehab and not all_cleared:
        yield ctx.finding("criminal.no_rehabilitation", what=what)
    not_final_answer = re.compile(spec["not_final_answer"], re.IGNORECASE)
    for n, a in enumerate(interview_of(ctx).arrests, 1):
        if not_final_answer.match(a.disposition):
            said = f'the interview says "{a.disposition}"' if a.disposition.strip() else ""
            why = said or "the interview gives no disposition"
        elif a.exhibit_ids and not set(a.exhibit_ids) & final:
            why = "none of the exhibits listed for it is a final disposition"
        elif not a.exhibit_ids and not final:
            why = "no exhibit is a final disposition"
        else:
            continue
        yield ctx.finding(
            "criminal.arrest_not_final",
            arrest=_arrest_name(a, n),
            why=why,
            disposition=a.disposition,
        )


def check_evidence(ctx: ReviewContext) -> Iterator[Finding | None]:
    """Every finding of the evidence analysis (one check of the readiness review)."""
    yield from check_residence(ctx)
    yield from check_documents(ctx)
    yield from check_support_letters(ctx)
    yield from check_criminal(ctx)


__all__ = [
    "check_evidence",
    "claimed_start",
    "exhibit_text",
    "is_support_letter",
    "not_final",
    "page_texts",
    "support_letter_gaps",
    "year_span",
    "years_covered",
]

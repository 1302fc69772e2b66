"""The readiness review: everything that would make a request fail for an
avoidable reason, checked before it goes out.

``review_case(store, case_id)`` returns findings (``model.Finding``): an error
means the packet is not ready, a warning deserves a look, a note informs.
Each finding names the thing (factor, exhibit, file, letter section), says how
to fix it, and where in the window (``Location``: step id + object id).

The rules are data: resources/review_rules.json holds every message, fix and
severity, the thresholds (filing deadline, size limits) and per-office rules a
firm adds for its local OPLA office.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from pdpacket import letter as letters
from pdpacket.model import (
    BuildOptions,
    BuildRecord,
    Exhibit,
    FileRole,
    Finding,
    Polarity,
    Severity,
    markup,
    packet_exhibits,
)
from pdpacket.policy import catalog, deadlines, destinations, law
from pdpacket.policy import rules as policy_rules
from pdpacket.review.context import ReviewContext, rules
from pdpacket.review.destination import check_destination
from pdpacket.review.evidence import check_evidence
from pdpacket.review.personal_numbers import check_personal_numbers
from pdpacket.review.signatures import check_signatures
from pdpacket.review.templates import check_templates
from pdpacket.review.text import check_text
from pdpacket.review.textcites import check_text_cites
from pdpacket.store.database import Store
from pdpacket.store.interview import get_interview

log = logging.getLogger("pdpacket.review")

STEPS = (
    "client",
    "stage",
    "factors",
    "story",
    "evidence",
    "exhibits",
    "documents",
    "letter",
    "build",
)
SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTE: 2}
# Forms that need pending proceedings: asking for them after a final order is the
# classic wrong-form mistake (there is nothing left to dismiss).
NEEDS_PROCEEDINGS = frozenset(
    {"dismissal", "termination", "administrative_closure", "continuance", "stipulation"}
)
APPEARANCE_TYPES = frozenset({"g28", "eoir28"})
DISPOSITION_TYPES = frozenset({"certified_disposition"})
MB = 1024 * 1024


Check = Callable[[ReviewContext], Iterable[Finding | None]]


def review_case(
    store: Store,
    case_id: int,
    *,
    edition: str | None = None,
    today: dt.date | None = None,
    options: BuildOptions | None = None,
) -> list[Finding]:
    """Every finding for the case, errors first.  ``edition`` ("standard",
    "efile", "email", "print") selects the build whose size and pages are
    checked (default: the last build's); ``today`` is for tests."""
    case = store.get_case(case_id)
    office_rules = policy_rules.office_rules(case.proceedings.opla_office_id)
    ctx = ReviewContext(
        store=store,
        case=case,
        today=today or dt.date.today(),
        edition=edition,
        # a type or factors guessed from a file name count only once confirmed
        exhibits=[e.confirmed for e in store.list_exhibits(case_id)],
        answers=store.factor_answers(case_id),
        framework=catalog.framework(case.proceedings.framework_id),
        letter=store.get_letter(case_id),
        builds=store.list_builds(case_id),
        documents=store.case_documents(case_id),
        office_rules=office_rules,
        options=options,
        interview=get_interview(store, case_id),
    )
    found: list[Finding] = []
    for check in CHECKS:
        found.extend(f for f in check(ctx) if f is not None)
    order = {s: i for i, s in enumerate(STEPS)}
    found.sort(key=lambda f: (SEVERITY_ORDER[f.severity], order.get(f.location.step, 99)))
    log.info(
        "case %d reviewed: %d errors, %d warnings",
        case_id,
        sum(f.severity == Severity.ERROR for f in found),
        sum(f.severity == Severity.WARNING for f in found),
    )
    return found


def is_ready(findings: Iterable[Finding]) -> bool:
    return not any(f.severity == Severity.ERROR for f in findings)


def counts(findings: Iterable[Finding]) -> dict[Severity, int]:
    out = dict.fromkeys(Severity, 0)
    for f in findings:
        out[f.severity] += 1
    return out


# ---- stage, form, office, hearing ---------------------------------------------------
def _check_stage(ctx: ReviewContext) -> Iterator[Finding | None]:
    p = ctx.case.proceedings
    stage = catalog.stage(p.stage)
    form = catalog.pd_form(p.pd_form)
    if stage is None:
        yield ctx.finding("stage.missing")
    if form is None:
        yield ctx.finding("stage.no_form")
    if stage is not None and form is not None and form.id not in stage.forms:
        if stage.id == "final_order" and form.id in NEEDS_PROCEEDINGS:
            yield ctx.finding(
                "stage.final_order_dismissal", form.id, form=form.label, form_lower=_verb(form.id)
            )
        else:
            fits = [f.label for fid in stage.forms if (f := catalog.pd_form(fid))]
            yield ctx.finding(
                "stage.form_not_fit",
                form.id,
                form=form.label,
                stage=stage.label,
                fits="; ".join(fits),
            )
    dest = destinations.for_proceedings(p)
    # OPLA is the recipient, or the party served or asked to sign
    needs_office = dest.addressee == "opla" or dest.certificate_of_service or dest.joint
    if needs_office and not catalog.opla_office(p.opla_office_id):
        yield ctx.finding("stage.no_office")


def _verb(form_id: str) -> str:
    return {
        "dismissal": "dismiss",
        "termination": "terminate",
        "administrative_closure": "close administratively",
        "continuance": "continue",
    }.get(form_id, "stipulate in")


def _check_hearing(ctx: ReviewContext) -> Iterator[Finding | None]:
    p = ctx.case.proceedings
    deadline = deadlines.filing_deadline(p)
    if deadline is None:
        yield _for_stage(ctx, "hearing.missing")
        return
    days = (deadline.hearing - ctx.today).days
    shown = letters.long_date(deadline.hearing)
    values = {
        "hearing": shown,
        "days": days,
        "deadline": deadline.days_before,
        "kind": deadline.kind,
        "due": letters.long_date(deadline.due),
    }
    if days < 0:
        yield ctx.finding("hearing.past", hearing=shown)
    elif deadline.passed(ctx.today) and deadline.with_court:
        yield ctx.finding("hearing.deadline_passed", **values)
    elif days <= deadline.days_before:
        yield ctx.finding("hearing.within_deadline", **values)


def _check_starred(ctx: ReviewContext) -> Iterator[Finding | None]:
    """The Client step's starred fields, where the case's stage needs them."""
    c, p = ctx.case.client, ctx.case.proceedings
    if not c.a_number:
        yield _for_stage(ctx, "client.no_a_number")
    if not p.court_id:
        yield _for_stage(ctx, "proceedings.no_court")


def _for_stage(ctx: ReviewContext, code: str) -> Finding | None:
    """A rule with ``stages`` applies at those stages, or while no stage is chosen."""
    stages = rules()["rules"].get(code, {}).get("stages")
    stage = ctx.case.proceedings.stage
    if stages and stage and stage not in stages:
        return None
    return ctx.finding(code)


# ---- the framework: in force, and every answer one of its factors --------------------
def _check_framework(ctx: ReviewContext) -> Iterator[Finding | None]:
    fw, p = ctx.framework, ctx.case.proceedings
    day = law.judged_on(p, ctx.today)
    if not law.in_force_on(fw, day):
        current = "; ".join(f.name for f in law.frameworks_in_force(day)) or "none"
        yield ctx.finding(
            "framework.not_in_force_at_decision" if p.decision_date else "framework.not_in_force",
            fw.id,
            framework=fw.name,
            in_force=law.in_force_label(fw),
            day=letters.long_date(day),
            current=current,
        )
    for factor in law.stray_factors(fw, ctx.answers):
        answer = ctx.answers[factor.id]
        said = "applies" if answer.applies else "does not apply"
        notes = " ".join(f"{answer.notes} {answer.explanation}".split())
        if len(notes) > 100:
            notes = notes[:97] + "..."
        yield ctx.finding(
            "factor.not_in_framework",
            factor.id,
            factor=factor.label,
            answer=f"{said}: {notes}" if notes else said,
            framework=fw.name,
        )


def _check_demo_attorney(ctx: ReviewContext) -> Iterator[Finding | None]:
    """The window's demo fills its fictional attorney into an empty Settings; a
    real case must not go out signed in that name."""
    demo_name = ctx.store.get_setting("demo_attorney_name") or ""
    if not demo_name or ctx.case.id in (ctx.store.get_setting("demo_case_ids") or []):
        return
    if ctx.store.attorney().name.strip() == demo_name:
        yield ctx.finding("settings.demo_attorney", name=demo_name)


# ---- factors -----------------------------------------------------------------------
def _examples(factor: catalog.Factor, n: int = 3) -> str:
    labels = {d.id: d.label for d in catalog.document_types()}
    found = [labels.get(t, t) for t in factor.document_types[:n]]
    return ", ".join(found) if found else "documents"


def _check_factors(ctx: ReviewContext) -> Iterator[Finding | None]:
    fw, answers, included = ctx.framework, ctx.answers, ctx.included
    applying = [f for f in fw.factors if (a := answers.get(f.id)) and a.applies]
    positives = [f for f in applying if f.polarity == Polarity.POSITIVE]
    if not positives:
        yield ctx.finding("factor.none_claimed")
    for factor in positives:
        if not letters.exhibits_for_factor(factor, included):
            yield ctx.finding(
                "factor.no_evidence", factor.id, factor=factor.label, examples=_examples(factor)
            )
    needs_disposition = [f for f in applying if f.requires_disposition]
    has_disposition = any(e.document_type in DISPOSITION_TYPES for e in included)
    for factor in applying:
        if factor.polarity != Polarity.NEGATIVE:
            continue
        if not answers[factor.id].explanation.strip():
            yield ctx.finding("factor.negative_no_explanation", factor.id, factor=factor.label)
        covered = factor.requires_disposition and not has_disposition
        if (
            factor.document_types
            and not covered
            and not letters.exhibits_for_factor(factor, included)
        ):
            yield ctx.finding(
                "factor.negative_no_documents",
                factor.id,
                factor=factor.label,
                examples=_examples(factor),
            )
    if needs_disposition and not has_disposition:
        first = needs_disposition[0]
        yield ctx.finding("criminal.no_certified_disposition", first.id, factor=first.label)
    unanswered = [f.label for f in fw.negative if f.id not in answers or not answers[f.id].answered]
    if unanswered:
        yield ctx.finding("factor.negatives_unanswered", factors="; ".join(unanswered))


# ---- exhibits and files ---------------------------------------------------------------
GUESS_WORDS = {"document_type": "document type", "factor_ids": "factors"}


def _check_guesses(ctx: ReviewContext) -> Iterator[Finding | None]:
    """An exhibit whose guessed type or factors would count as support (for a
    factor claimed, or as the client's identity) if someone confirmed them."""
    guessed = [e for e in ctx.store.list_exhibits(ctx.case.id) if e.included and e.guessed]
    if not guessed:
        return
    claimed = [f for f in ctx.framework.factors if (a := ctx.answers.get(f.id)) and a.applies]

    def support(exhibits: list[Exhibit]) -> set[tuple[str, int]]:
        found = {(f.id, e.id) for f in claimed for e in letters.exhibits_for_factor(f, exhibits)}
        return found | {("identity", e.id) for e in letters.identity_exhibits(exhibits)}

    hidden = {e_id for _, e_id in support(guessed) - support([e.confirmed for e in guessed])}
    for e in guessed:
        if e.id not in hidden:
            continue
        what = [GUESS_WORDS[g] for g in e.guessed if g in GUESS_WORDS]
        yield ctx.finding("exhibit.guessed", e.id, exhibit=e.title, what=" and ".join(what))


def _check_exhibits(ctx: ReviewContext) -> Iterator[Finding | None]:
    blobs = ctx.store.blobs
    for e in ctx.included:
        if not e.files or e.pages == 0:
            yield ctx.finding("exhibit.no_files", e.id, exhibit=e.title)
        if e.needs_translation:
            if not e.files_with_role(FileRole.TRANSLATION):
                yield ctx.finding(
                    "exhibit.untranslated", e.id, exhibit=e.title, language=e.language
                )
            elif not e.files_with_role(FileRole.CERTIFICATE) and not e.translator.complete:
                t = e.translator
                gaps = [
                    n
                    for n, v in (
                        ("name", t.name),
                        ("address", t.address),
                        ("phone", t.phone),
                        ("language", t.language),
                    )
                    if not v.strip()
                ]
                missing = (
                    f"{gaps[0]} is"
                    if len(gaps) == 1
                    else f"{', '.join(gaps[:-1])} and {gaps[-1]} are"
                )
                yield ctx.finding(
                    "exhibit.translator_incomplete", e.id, exhibit=e.title, missing=missing
                )
        for f in e.files:
            if not blobs.exists(f.pdf_sha256) or f.pages <= 0:
                yield ctx.finding("file.unreadable", e.id, file=f.original_name, exhibit=e.title)
            elif f.recovered and not f.confirmed:
                yield ctx.finding(
                    "file.unconfirmed",
                    e.id,
                    file=f.original_name,
                    exhibit=e.title,
                    warning=f.warnings[0] if f.warnings else "it was damaged and repaired.",
                )
            elif f.warnings and not f.confirmed:
                yield ctx.finding(
                    "file.warning",
                    e.id,
                    file=f.original_name,
                    exhibit=e.title,
                    warning=f.warnings[0],
                )
    if not letters.identity_exhibits(ctx.included):
        yield ctx.finding("identity.missing")
    stage = catalog.stage(ctx.case.proceedings.stage)
    if stage is not None and stage.court_filing and not _has_appearance(ctx):
        yield ctx.finding("appearance.missing")


def _has_appearance(ctx: ReviewContext) -> bool:
    """A G-28/EOIR-28 among the exhibits or stored as the case's appearance form."""
    if any(e.document_type in APPEARANCE_TYPES for e in ctx.included):
        return True
    return any(str(d.role) in APPEARANCE_TYPES for d in ctx.documents)


# ---- the letter ----------------------------------------------------------------------
def _norm(s: str) -> str:
    return " ".join(re.sub(r"[^\w]+", " ", s.lower()).split())


def _discussed(
    factor: catalog.Factor, headings: set[str], cited: set[int], included: Sequence[Exhibit]
) -> bool:
    names = {_norm(factor.label)}
    heading = letters.factor_heading(factor.id)
    if heading:
        names.add(_norm(heading))
    if any(n and (n in h or h in n) for n in names for h in headings if h):
        return True
    return any(e.id in cited for e in letters.exhibits_for_factor(factor, included))


def _check_letter(ctx: ReviewContext) -> Iterator[Finding | None]:
    letter = ctx.letter
    if any(str(d.role) == "letter" for d in ctx.documents):
        yield ctx.finding("letter.uploaded")
        return
    if destinations.for_proceedings(ctx.case.proceedings).motion:
        # A motion's packet carries the motion, not the drafted request letter
        # (the builder leaves it out), so the letter's state cannot block it;
        # the motion's own grounds are checked with the destination.
        return
    if letter is None or not letter.text.strip():
        yield ctx.finding("letter.missing")
        return
    text = letter.text
    if letter.untouched:
        yield ctx.finding("letter.untouched")
    else:
        todo = markup.placeholders(text)
        if todo:
            example = todo[0] if len(todo[0]) <= 80 else todo[0][:77] + "..."
            yield ctx.finding("letter.placeholder", count=len(todo), example=example)
    for token in dict.fromkeys(markup.unknown_tokens(text)):
        yield ctx.finding("letter.unknown_token", token=token)
    in_packet = letters.current_cites(ctx.store, ctx.case.id)
    by_id = {e.id: e for e in ctx.exhibits}
    reported: set[int] = set()
    for c in markup.citations(text):
        if c.exhibit_id not in in_packet:
            if c.exhibit_id in reported:
                continue
            reported.add(c.exhibit_id)
            ex = by_id.get(c.exhibit_id)
            if ex is None:
                why = ", removed from the case"
            elif not ex.included:
                why = f', "{ex.title}", excluded'
            else:
                why = f', "{ex.title}", which has no pages'
            yield ctx.finding("letter.missing_exhibit", c.exhibit_id, token=c.raw, title=why)
            continue
        ex = by_id[c.exhibit_id]
        if c.first and (c.last < c.first or c.last > ex.pages):
            yield ctx.finding(
                "letter.bad_pages",
                c.exhibit_id,
                pages=letters.page_range(c.first, c.last),
                exhibit=ex.title,
                count=ex.pages,
                token=c.raw,
            )
    headings = {
        _norm(h) for b in markup.split_blocks(text) if (h := markup.heading_text(b)) is not None
    }
    cited = {c.exhibit_id for c in markup.citations(text)}
    # an answer the framework lacks is printed too (and flagged by _check_framework)
    factors = law.case_factors(ctx.framework, ctx.answers)
    applying = [f for f in factors if (a := ctx.answers.get(f.id)) and a.applies]
    positives = [f for f in applying if f.polarity == Polarity.POSITIVE]
    missing = [f for f in positives if not _discussed(f, headings, cited, ctx.included)]
    if positives and len(missing) == len(positives):
        yield ctx.finding("letter.no_factor_section")
    else:
        for f in missing:
            yield ctx.finding("letter.factor_not_discussed", f.id, factor=f.label)
    for f in applying:
        if f.polarity == Polarity.NEGATIVE and not _discussed(f, headings, cited, ctx.included):
            yield ctx.finding("letter.negative_not_addressed", f.id, factor=f.label)
    if letter.conflicts:
        sections = "; ".join(dict.fromkeys(c.section or "the opening" for c in letter.conflicts))
        yield ctx.finding("letter.conflicts", sections=sections)
    draft = letters.generate_draft(ctx.store, ctx.case.id)
    if letter.generated_from_hash and markup.text_hash(draft) != letter.generated_from_hash:
        yield ctx.finding("letter.stale")


# ---- the built packet ------------------------------------------------------------------
def _edition_of(build: BuildRecord) -> str:
    return str(build.options.get("edition") or "standard")


def _size_limit_mb(ctx: ReviewContext, edition: str) -> float | None:
    return policy_rules.size_limit_mb(edition, ctx.case.proceedings.opla_office_id)


def _part_sizes(build: BuildRecord) -> list[tuple[str, int]]:
    parts = build.options.get("parts")
    out: list[tuple[str, int]] = []
    if isinstance(parts, list) and parts:
        for p in parts:
            path = str(p)
            try:
                out.append((os.path.basename(path), os.path.getsize(path)))
            except OSError:
                continue
    return out or [(os.path.basename(build.path) or "The packet", build.size)]


def landscape_pages(data: bytes) -> list[int]:
    """1-based numbers of the pages shown in landscape (rotation honoured)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        out = []
        for n, page in enumerate(reader.pages, 1):
            box = page.cropbox
            w, h = float(box.width), float(box.height)
            if int(page.get("/Rotate", 0) or 0) % 180:
                w, h = h, w
            if w > h:
                out.append(n)
        return out
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        log.warning("cannot read page sizes: %s", exc)
        return []


def _check_build(ctx: ReviewContext) -> Iterator[Finding | None]:
    wanted = ctx.edition
    build = next((b for b in ctx.builds if wanted is None or _edition_of(b) == wanted), None)
    edition = wanted or (_edition_of(build) if build else "standard")
    if build is None:
        yield ctx.finding(
            "packet.not_built", edition_text=f" for the {wanted} edition" if wanted else ""
        )
    else:
        changed = max(ctx.case.updated_at, ctx.letter.updated_at if ctx.letter else "")
        if changed > build.created_at:
            yield ctx.finding("packet.stale", build.id, built=build.created_at.replace("T", " "))
        limit = _size_limit_mb(ctx, edition)
        if limit:
            for name, size in _part_sizes(build):
                if size > limit * MB:
                    yield ctx.finding(
                        "packet.too_large",
                        build.id,
                        what=name,
                        size_mb=f"{size / MB:.1f}",
                        limit_mb=f"{limit:g}",
                        edition=edition,
                    )
    if edition == "email":
        yield from _check_orientation(ctx, build)


def _check_orientation(ctx: ReviewContext, build: BuildRecord | None) -> Iterator[Finding | None]:
    """The built e-mail packet when it is still on disk; else the exhibits' pages."""
    if build is not None and os.path.isfile(build.path):
        try:
            with open(build.path, "rb") as fh:
                data = fh.read()
        except OSError:
            data = b""
        if data and len(data) == build.size:
            pages = landscape_pages(data)
            if pages:
                shown = ", ".join(str(p) for p in pages[:10]) + ("..." if len(pages) > 10 else "")
                yield ctx.finding(
                    "packet.mixed_orientation", build.id, count=len(pages), where=f"pages {shown}"
                )
            return
    where: list[str] = []
    total = 0
    for letter, e in packet_exhibits(ctx.exhibits):
        n = 0
        for f in e.files:
            try:
                n += len(landscape_pages(ctx.store.blobs.read(f.pdf_sha256)))
            except Exception as exc:  # a damaged blob is reported by file.unreadable
                log.warning("cannot check %s: %s", f.original_name, exc)
        if n:
            total += n
            where.append(f"Exhibit {letter}, {e.title}")
    if total:
        yield ctx.finding("packet.mixed_orientation", count=total, where="; ".join(where))


# ---- office rules --------------------------------------------------------------------
def _check_office(ctx: ReviewContext) -> Iterator[Finding | None]:
    office = catalog.opla_office(ctx.case.proceedings.opla_office_id)
    if office is None:
        return
    notes = [office.get("notes") or "", *ctx.office_rules.get("notes", [])]
    for note in notes:
        if str(note).strip():
            yield ctx.finding("office.note", office.id, office=office.name, note=note)
    types_present = {e.document_type for e in ctx.included}
    for req in ctx.office_rules.get("required_document_types", []):
        types = set(req.get("types", []))
        if types and not types & types_present:
            yield ctx.finding(
                "office.required_document",
                office.id,
                office=office.name,
                label=req.get("label") or ", ".join(sorted(types)),
            )


CHECKS: Sequence[Check] = (
    _check_stage,
    _check_hearing,
    _check_starred,
    _check_framework,
    _check_demo_attorney,
    _check_factors,
    _check_exhibits,
    _check_guesses,
    _check_letter,
    check_text_cites,
    _check_build,
    _check_office,
    check_destination,
    check_signatures,
    check_personal_numbers,
    check_templates,
    check_evidence,
    check_text,
)

__all__ = ["counts", "is_ready", "landscape_pages", "review_case", "rules"]

"""The first draft of the request letter, composed from the case data and
the firm-editable templates (resources/templates/letter.md and letter_parts.json).

The letter is plain text in a small markup (``pdpacket.model.markup``):
``#``/``##`` headings, ``**bold**``, ``*italics*``, ``-`` and ``1.`` lists,
blank lines between paragraphs, ``[[...]]`` for something the attorney must
still write, and citation tokens that name exhibits by id.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pdpacket.letter import argument
from pdpacket.letter.citations import long_date
from pdpacket.model import Attorney, Case, Exhibit, FactorAnswer, Polarity, Proceedings
from pdpacket.model.interview import Interview
from pdpacket.policy import catalog, destinations, law
from pdpacket.policy.templates import SLOT, fill
from pdpacket.store import interview as interview_store
from pdpacket.store import places
from pdpacket.store.database import Store


@functools.cache
def _parts() -> dict[str, Any]:
    data: dict[str, Any] = catalog.load_json("templates/letter_parts.json")
    return data


@functools.cache
def _template() -> str:
    raw = catalog.resource_root().joinpath("templates/letter.md").read_text(encoding="utf-8")
    return re.sub(r"<!--.*?-->\s*", "", raw, flags=re.S)


def _sentence(s: str) -> str:
    s = " ".join(s.split())
    if s and s[-1] not in ".!?\"')”]":
        s += "."
    return s


def _capital(s: str) -> str:
    return s[:1].upper() + s[1:]


def _join_and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + f", and {items[-1]}"


def exhibits_for_factor(factor: catalog.Factor, exhibits: Sequence[Exhibit]) -> list[Exhibit]:
    """Included exhibits that support ``factor``: tagged with it, or (for a
    negative factor) of one of its document types, e.g. a certified disposition.
    Included, not only those in the packet: the draft and the review name an
    exhibit the attorney left in even while it still waits for its file."""
    return [
        e
        for e in exhibits
        if e.included
        and (
            factor.id in e.factor_ids
            or (factor.polarity == Polarity.NEGATIVE and e.document_type in factor.document_types)
        )
    ]


def factor_heading(factor_id: str) -> str:
    """The heading the draft gives a factor's section ("" when none is set)."""
    return str(_parts()["factors"].get(factor_id, {}).get("heading", ""))


def identity_exhibits(exhibits: Sequence[Exhibit]) -> list[Exhibit]:
    """Included identity documents of the client: a document type of the
    identity category, not tagged as evidence of a relative (a son's birth
    certificate proves family ties, not the client's identity)."""
    identity = {d.id for d in catalog.document_types() if d.category == "identity"}
    own = {"age", "long_residence"}
    return [
        e
        for e in exhibits
        if e.included and e.document_type in identity and set(e.factor_ids) <= own
    ]


def _see(exhibits: Sequence[Exhibit], token: str = "pages") -> str:
    refs = [f"{e.title}, {{{{{token}:{e.id}}}}}" for e in exhibits]
    return f"{_parts()['evidence_lead']} " + "; ".join(refs) + "."


def client_reference(case: Case) -> str:
    if case.proceedings.stage in _parts().get("respondent_stages", ()):
        return "Respondent"
    return case.client.name


def _fill(template: str, **values: str) -> str:
    return fill(template, values)


CRIMINAL = "criminal_history"

_HEARINGS = {"master": "master calendar hearing", "individual": "individual hearing"}


def _addressee(
    addr: dict[str, Any],
    kind: str,
    title: str,
    p: Proceedings,
    office: catalog.Place | None,
    court: catalog.Place | None,
) -> str:
    missing_place = (kind == "opla" and not office) or (kind == "court" and not court)
    if missing_place and addr.get("missing"):
        return str(addr["missing"])
    block_values = {
        "title": title,
        "office_name": office.name if office else "",
        "office_short": office.name.removeprefix("OPLA ").strip() if office else "",
        "office_address": (office.address or f"{office.city}, {office.state}") if office else "",
        "judge": p.judge or "Immigration Judge",
        "court_name": court.name if court else "",
        "court_address": court.address if court else "",
    }
    lines = [fill(line, block_values).strip() for line in addr["block"]]
    return "\n".join(line for line in lines if line)


def _re_lines(case: Case, form: catalog.PdForm | None) -> list[str]:
    p, name, a_num = case.proceedings, case.client.name, case.client.a_number_display
    re_lines = [f"**Re: {name}" + (f", {a_num}**" if a_num else "**")]
    if form:
        re_lines.append(
            f"**Request for prosecutorial discretion: {form.label}"
            + (f" ({form.hook})**" if form.hook else "**")
        )
    else:
        re_lines.append("**Request for prosecutorial discretion: [[form of discretion]]**")
    if p.detained:
        re_lines.append("**DETAINED**" + (f" at {p.facility}" if p.facility else ""))
    if p.hearing_date:
        what = _HEARINGS.get(p.hearing_type, "hearing")
        re_lines.append(f"Next {what}: {long_date(p.hearing_date)}")
    return re_lines


def _facts(
    case: Case,
    answers: Mapping[str, FactorAnswer],
    ref: str,
    court: catalog.Place | None,
    included: Sequence[Exhibit],
    iv: Interview,
    voice: argument.Voice,
    today: dt.date,
) -> list[str]:
    p, name = case.proceedings, case.client.name
    facts: list[str] = []
    dob, country = case.client.dob, case.client.country
    born = ""
    if dob and country:
        born = f"was born on {long_date(dob)}, in {country} and is a citizen of {country}"
    elif dob:
        born = f"was born on {long_date(dob)}"
    elif country:
        born = f"is a native and citizen of {country}"
    if born:
        sentence = f"{name} {born}."
        ids = identity_exhibits(included)
        if ids:
            sentence += " See " + "; ".join(f"{{{{cite:{e.id}}}}}" for e in ids) + "."
        facts.append(sentence)
    else:
        facts.append("[[State the client's date and country of birth, and cite the passport.]]")
    stage_text = _parts()["stages"].get(p.stage, "")
    if stage_text:
        where = _fill(
            stage_text,
            ref=ref,
            court=f" before the {court.name}" if court else "",
            judge=f" (Hon. {p.judge.removeprefix('Hon. ')})" if p.judge else "",
            facility=f" at {p.facility}" if p.facility else "",
        )
        if p.hearing_date:
            what = _HEARINGS.get(p.hearing_type, "hearing")
            where += f" The next {what} is set for {long_date(p.hearing_date)}."
        if p.receipts:
            label = "receipt number" if len(p.receipts) == 1 else "receipt numbers"
            where += f" USCIS {label}: {', '.join(p.receipts)}."
        facts.append(where)
    if iv == Interview():
        facts.append(_parts()["facts_story"])
    else:
        in_proceedings = p.stage not in ("pre_nta", "")
        argued = frozenset(
            f for f, a in answers.items() if a.applies and f in argument.SUBJECTS.values()
        ) | frozenset(f for f, a in answers.items() if a.applies and f == "long_residence")
        facts.extend(argument.story(iv, voice, today, in_proceedings=in_proceedings, argued=argued))
    return facts


def _positive(
    fw: catalog.Framework,
    answers: Mapping[str, FactorAnswer],
    ref: str,
    included: Sequence[Exhibit],
    facts: Mapping[str, str] | None = None,
) -> list[str]:
    parts = _parts()
    positive: list[str] = []
    # the framework's factors, then any answered factor it lacks: never dropped
    factors = law.case_factors(fw, answers)
    for factor in (f for f in factors if f.polarity == Polarity.POSITIVE):
        answer = answers.get(factor.id)
        if not answer or not answer.applies:
            continue
        fp = parts["factors"].get(factor.id, {})
        positive.append(f"## {fp.get('heading', factor.label)}")
        claim = _fill(fp.get("argument", ""), ref=ref)
        # the interview's facts first; the checklist's notes when they read as
        # sentences; a placeholder (quoting a fragment) otherwise
        notes = (facts or {}).get(factor.id, "") or (
            argument.prose_or_rewrite(answer.notes)
            if answer.notes.strip()
            else parts["notes_missing"]
        )
        positive.append(f"{claim} {notes}".strip())
        support = exhibits_for_factor(factor, included)
        positive.append(_see(support) if support else parts["evidence_missing"])
    if not positive:
        positive.append(parts["no_positive"])
    return positive


def _negative(
    fw: catalog.Framework,
    answers: Mapping[str, FactorAnswer],
    ref: str,
    included: Sequence[Exhibit],
    iv: Interview | None = None,
    voice: argument.Voice | None = None,
) -> list[str]:
    parts = _parts()
    negative: list[str] = []
    negatives = [f for f in law.case_factors(fw, answers) if f.polarity == Polarity.NEGATIVE]
    arrests = iv.arrests if iv is not None else ()
    # an arrest in the interview is always faced, whatever the checklist says
    applying = [
        f
        for f in negatives
        if ((a := answers.get(f.id)) and a.applies) or (f.id == CRIMINAL and arrests)
    ]
    absent = [
        f for f in negatives if (a := answers.get(f.id)) and not a.applies and f not in applying
    ]
    # a "no" without a phrase of its own still shows: the answer was entered
    absent_phrases = [
        parts["factors"].get(f.id, {}).get("absent", "")
        or _fill(parts.get("absent_generic", ""), label=f.label)
        for f in absent
    ]
    absent_phrases = [a for a in absent_phrases if a]
    if applying:
        negative.append(f"# {parts['negative_heading']}")
        for factor in applying:
            answer = answers.get(factor.id) or FactorAnswer(factor.id, True)
            fp = parts["factors"].get(factor.id, {})
            negative.append(f"## {fp.get('heading', factor.label)}")
            lead = _fill(fp.get("lead", parts["negative_lead"]), ref=ref)
            if factor.id == CRIMINAL and arrests and voice is not None:
                # each arrest on its own, named as the interview names it
                # the record first, then the circumstances, then what changed since
                negative.append(lead)
                negative.extend(
                    argument.arrest_paragraph(a, voice, included, with_since=False) for a in arrests
                )
                if answer.explanation.strip():
                    negative.append(argument.prose_or_rewrite(answer.explanation))
                since = " ".join(x for x in (argument.arrest_since(a) for a in arrests) if x)
                if since:
                    negative.append(since)
                continue
            notes = argument.prose_or_rewrite(answer.notes)
            negative.append(f"{lead} {notes}".strip())
            negative.append(
                argument.prose_or_rewrite(answer.explanation)
                if answer.explanation.strip()
                else parts["explanation_missing"]
            )
            docs = exhibits_for_factor(factor, included)
            if docs:
                negative.append(_see(docs))
            elif factor.requires_disposition or factor.document_types:
                negative.append(parts["disposition_missing"])
        if absent_phrases:
            negative.append(f"In addition, {ref} {_join_and(absent_phrases)}.")
        if parts.get("balance"):
            negative.append(_fill(parts["balance"], ref=ref))
    elif absent_phrases:
        negative.append(f"# {parts['no_negative_heading']}")
        negative.append(f"{ref} {_join_and(absent_phrases)}.")
    else:
        negative.append(f"# {parts['negative_heading']}")
        negative.append(parts["negatives_unanswered"])
    return negative


def framework_sentence(fw: catalog.Framework, p: Proceedings, today: dt.date) -> str:
    """The letter's sentence on the framework (letter_parts.json): present tense
    only while it is in force on the letter's date, in the past tense for an
    earlier decision taken while it was, else a prompt to the attorney."""
    entry = _parts().get("frameworks", {}).get(fw.id, "")
    sentences = {"in_force": entry} if isinstance(entry, str) else dict(entry)
    if law.in_force_on(fw, today):
        return str(sentences.get("in_force", ""))
    if p.decision_date and law.in_force_on(fw, p.decision_date):
        return str(sentences.get("historical", ""))
    return str(_parts().get("framework_not_in_force", ""))


def _signature(attorney: Attorney, name: str) -> list[str]:
    parts = _parts()
    reach = [x for x in (attorney.phone, attorney.email) if x]
    if attorney.name:
        sig = [parts["signature_line"], attorney.name]
        sig += [x for x in (attorney.firm, *attorney.address.splitlines()) if x.strip()]
        sig += [" \u00b7 ".join(reach)] if reach else []
        numbers = []
        if attorney.bar_number:
            numbers.append(f"Bar No. {attorney.bar_number}")
        if attorney.eoir_id:
            numbers.append(f"EOIR ID {attorney.eoir_id}")
        if numbers:
            sig.append(" \u00b7 ".join(numbers))
    else:
        sig = [parts["signature_line"], parts["attorney_missing"]]
    sig.append(_fill(parts["counsel_for"], name=name))
    return sig


def letter_addressee(p: Proceedings) -> tuple[str, str]:
    """(addressee kind in letter_parts.json, the "VIA ..." line in bold) from the
    case's destination.  A joint motion's letter is the request that asked OPLA
    to join: addressed to OPLA, and not filed with the motion."""
    dest = destinations.for_proceedings(p)
    if dest.joint:
        return "opla", ""
    return dest.addressee, f"**{dest.via}**" if dest.via else ""


def compose_draft(
    case: Case,
    answers: Mapping[str, FactorAnswer],
    exhibits: Sequence[Exhibit],
    attorney: Attorney,
    *,
    today: dt.date | None = None,
    office: catalog.Place | None = None,
    court: catalog.Place | None = None,
    interview: Interview | None = None,
) -> str:
    """The first draft of the letter, from the case data, its interview and the
    templates.  ``today`` is the letter's date (the framework sentence and the
    years of residence depend on it); ``office`` and ``court`` as the firm
    edited them (default: as shipped)."""
    parts = _parts()
    p = case.proceedings
    iv = interview or Interview()
    today = today or dt.date.today()
    name, a_num = case.client.name, case.client.a_number_display
    respondent = client_reference(case) == "Respondent"
    voice = argument.voice(case, iv, respondent)
    ref = voice.ref
    form = catalog.pd_form(p.pd_form)
    kind, delivery = letter_addressee(p)
    addr = parts["addressees"].get(kind) or parts["addressees"]["opla"]
    office = office or catalog.opla_office(p.opla_office_id)
    court = court or catalog.court(p.court_id)
    title = (office.get("chief_counsel_title") if office else None) or addr["title"]
    fw = catalog.framework(p.framework_id)
    # The draft cites what the attorney left in, files or not: an exhibit still
    # waiting for its file is cited now and the review flags it until it has one.
    included = [e for e in exhibits if e.included]
    form_parts = (parts["forms"].get(p.pd_form) if form else None) or parts["form_missing"]
    request = _fill(
        form_parts["request"], ref=ref, hook=(form.hook if form else "") or "[[legal basis]]"
    )
    org = addr["org"]
    reach = [x for x in (attorney.phone, attorney.email) if x]
    contact = " at " + " or ".join(reach) if reach else ""
    name_intro = f"{name} (\u201cRespondent\u201d)" if ref == "Respondent" else name
    path = argument.path_sentence(case, iv, voice, today, form_parts["consequences"])
    if iv == Interview() and "{path}" in form_parts["consequences"]:
        path = _fill(form_parts["consequences"], ref=ref, path=parts["path_missing"])
    opening, conclusion = parts["opening"], parts["conclusion"]
    if kind == "court":
        # a court decides a motion: the letter asks it for the relief itself
        request = _fill(
            form_parts.get("court_request", parts["court_request_missing"]),
            ref=ref,
            hook=(form.hook if form else "") or "[[legal basis]]",
        )
        opening = parts.get("opening_court", opening)
        conclusion = parts.get("conclusion_court", conclusion)
    facts = {
        f.id: argument.equity_facts(f.id, case, iv, voice, today)
        for f in law.case_factors(fw, answers)
        if f.polarity == Polarity.POSITIVE
    }
    values: dict[str, str] = {
        "client_name": name,
        "a_number": a_num,
        "client_reference": ref,
        "delivery": delivery or addr["delivery"],
        "addressee_block": _addressee(addr, kind, title, p, office, court),
        "salutation": _fill(addr["salutation"], title=title),
        "re_lines": "\n".join(_re_lines(case, form)),
        "opening": _fill(
            opening,
            name=name_intro,
            a_number_phrase=f"{a_num}, " if a_num else "",
            org=org,
            request=request,
        ),
        "framework": _capital(
            _fill(
                framework_sentence(fw, p, today),
                ref=ref,
                org=org,
                framework=fw.name,
                decision_date=long_date(p.decision_date) if p.decision_date else "",
            )
        ),
        "legal_basis_heading": parts["legal_basis_heading"],
        "legal_basis": argument.legal_basis(case, iv, voice),
        "facts": "\n\n".join(_facts(case, answers, ref, court, included, iv, voice, today)),
        "positive_heading": parts["positive_heading"],
        "positive_factors": "\n\n".join(_positive(fw, answers, ref, included, facts)),
        "negative_factors": "\n\n".join(_negative(fw, answers, ref, included, iv, voice)),
        "path": path,
        "consequences": path,
        "conclusion": _fill(conclusion, ref=ref, org=org, request=request, contact=contact),
        "signature": "\n".join(_signature(attorney, name)),
    }
    if kind == "court":
        # the court does not exercise prosecutorial discretion: it decides the relief
        values["framework"] = ""
        values["re_lines"] = values["re_lines"].replace(
            "Request for prosecutorial discretion:", "Relief requested:"
        )
    text = fill(_template(), values, fields=SLOT)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def generate_draft(store: Store, case_id: int, *, today: dt.date | None = None) -> str:
    case = store.get_case(case_id)
    p = case.proceedings
    return compose_draft(
        case,
        store.factor_answers(case_id),
        store.list_exhibits(case_id),
        store.attorney(),
        today=today,
        office=places.office(store, p.opla_office_id),
        court=places.court(store, p.court_id),
        interview=interview_store.get_interview(store, case_id),
    )

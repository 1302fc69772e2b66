"""The letter's argument from the case interview: the client's story in prose,
the legal hook, the facts behind each equity, each arrest faced openly, and
the path that discretion opens.

Every sentence comes from structured answers (``model.interview``) and the
firm-editable words of resources/templates/letter_parts.json and
resources/interview.json.  The attorney's free text is used only when it
reads as full sentences; otherwise the draft quotes it in a ``[[...]]``
placeholder to rewrite, which the review flags.  A missing answer is a
placeholder too: the draft never invents a fact or a ground.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pdpacket.letter.citations import long_date
from pdpacket.model import Case, Exhibit
from pdpacket.model.interview import Arrest, Interview, Pronouns, Relative
from pdpacket.policy import catalog
from pdpacket.policy.templates import fill

_TITLES = {Pronouns.HE: "Mr.", Pronouns.SHE: "Ms.", Pronouns.THEY: "Mx."}
_POSSESSIVE = {Pronouns.HE: "his", Pronouns.SHE: "her", Pronouns.THEY: "their"}
# finite verbs that make a line of notes a sentence rather than a fragment
_FINITE = re.compile(
    r"\b(is|are|was|were|has|have|had|does|do|did|will|would|can|could|may|must|"
    r"lives|works|worked|lived|cares|cared|attends|attended|supports|supported|owns|"
    r"pays|paid|volunteers|volunteered|suffers|suffered|needs|depends|raises|raised|"
    r"serves|served|helps|helped|takes|took|goes|went|came|arrived|entered|began|"
    r"started|completed|finished|received|earned|runs|ran|leads|led|teaches|taught|"
    r"wrote|writes|speaks|spoke|studies|knows|knew|became|becomes|left|got|gave|gives|"
    r"keeps|kept|shows|showed|remains|stayed|stays|owes|spends|spent)\b",
    re.I,
)


@functools.cache
def parts() -> dict[str, Any]:
    data: dict[str, Any] = catalog.load_json("templates/letter_parts.json")
    return data


@functools.cache
def choices() -> dict[str, Any]:
    data: dict[str, Any] = catalog.load_json("interview.json")
    return data


def choice(kind: str, choice_id: str) -> dict[str, Any]:
    """One entry of resources/interview.json (``kind``: manners, relations,
    statuses, paths, grounds); {} when unknown."""
    return next((c for c in choices()[kind] if c["id"] == choice_id), {})


# words that open a sentence with its subject ("He drove…", "Her son…")
_SUBJECTS = {
    "he",
    "she",
    "they",
    "we",
    "i",
    "it",
    "his",
    "her",
    "their",
    "our",
    "my",
    "the",
    "respondent",
    "mr.",
    "ms.",
    "mx.",
    "dr.",
    "both",
    "each",
    "every",
}
_ABBREVIATIONS = {"st.", "mr.", "ms.", "mx.", "dr.", "u.s.", "no.", "inc.", "jr.", "sr.", "mt."}


def _sentences(text: str) -> list[str]:
    """``text`` cut into sentences, not after an abbreviation ("St. Brigid")."""
    out: list[str] = []
    current: list[str] = []
    for word in " ".join(text.split()).split(" "):
        current.append(word)
        if word[-1:] in ".!?" and word.lower() not in _ABBREVIATIONS:
            out.append(" ".join(current))
            current = []
    if current and current != [""]:
        out.append(" ".join(current))
    return out


def _has_verb(words: Sequence[str]) -> bool:
    if _FINITE.search(" ".join(words)):
        return True
    # a past tense after the first word ("She married", "they filed")
    return any(len(w) > 4 and w.lower().strip(",;:.").endswith("ed") for w in words[1:])


def is_prose(text: str) -> bool:
    """True when ``text`` reads as full sentences the letter can use as they
    are: each starts with a capital, has a verb, and is not a fragment
    opening with a participle ("Arrested for DWI in 2019.")."""
    sentences = _sentences(text)
    if not sentences:
        return False
    for s in sentences:
        words = s.split()
        subject = words[0].lower().strip(",;:") in _SUBJECTS
        if len(words) < 4 or not s[0].isupper() or not (subject or _has_verb(words)):
            return False
        first = words[0].lower().strip(",;:")
        if first.endswith("ed") or _FINITE.fullmatch(first):
            return False  # no subject: "Works at a restaurant.", "Arrested in 2019."
    return True


def _sentence(s: str) -> str:
    s = " ".join(s.split())
    if s and s[-1] not in ".!?\"')”]":
        s += "."
    return s


def prose_or_rewrite(text: str) -> str:
    """The attorney's text as the letter's sentences, or a placeholder quoting it."""
    if not text.strip():
        return ""
    if is_prose(text):
        return _sentence(text)
    return fill(parts()["story"]["rewrite"], {"text": " ".join(text.split())})


def _fill(template: str, **values: str) -> str:
    return fill(template, values)


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _join_and(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + f", and {items[-1]}"


# ---- how the letter names the client --------------------------------------------
@dataclass(frozen=True)
class Voice:
    """How the letter names the client: ``ref`` ("Respondent", "Ms. Reyes") and
    the possessive ("her", or "Respondent's" when no pronouns were given)."""

    ref: str
    poss: str
    has_pronouns: bool = False

    @property
    def Poss(self) -> str:
        return _cap(self.poss)


def voice(case: Case, iv: Interview, respondent: bool) -> Voice:
    """ "Respondent" in proceedings; else "Mr./Ms./Mx." with the surname the
    interview gives (the full name without one); the client's name without
    pronouns.  Pronouns come only from the interview, never from the name."""
    p = iv.pronouns
    if respondent:
        ref = "Respondent"
    elif p in _TITLES:
        ref = f"{_TITLES[p]} {iv.surname.strip() or case.client.name}"
    else:
        ref = case.client.name
    poss = _POSSESSIVE.get(p, f"{ref}\u2019s")
    return Voice(ref, poss, p in _POSSESSIVE)


# ---- dates ----------------------------------------------------------------------
def parse_partial(value: str) -> tuple[int, int, int] | None:
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", value.strip())
    if not m:
        return None
    return int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)


def when_phrase(value: str) -> str:
    """' in 2005', ' in March 2005', ' on March 14, 2005' ('' when unknown)."""
    d = parse_partial(value)
    if d is None:
        return ""
    y, m, day = d
    if day:
        return f" on {long_date(dt.date(y, m, day))}"
    if m:
        return f" in {dt.date(y, m, 1):%B} {y}"
    return f" in {y}"


def date_words(value: str) -> str:
    """'2005', 'March 2005', 'March 14, 2005'."""
    return when_phrase(value).removeprefix(" on ").removeprefix(" in ")


def years_between(value: str, today: dt.date) -> int | None:
    d = parse_partial(value)
    if d is None:
        return None
    y, m, day = d
    start = dt.date(y, m or 1, day or 1)
    years = today.year - start.year - ((today.month, today.day) < (start.month, start.day))
    return max(years, 0)


# ---- the story -------------------------------------------------------------------
def entry_sentence(iv: Interview, v: Voice) -> str:
    e, s = iv.entry, parts()["story"]
    manner = str(choice("manners", e.manner).get("phrase", ""))
    details = prose_or_rewrite(e.details)
    if not manner and not e.date and not e.place:
        return details
    place = e.place.strip()
    where = ""
    if place:
        first = place.split()[0].lower()
        where = f", {place}" if first in {"near", "at", "through", "in", "via"} else f" at {place}"
        if "," in place and e.date:
            where += ","  # "near Nogales, Arizona, in March 2005"
    values = {"where": where, "when": when_phrase(e.date) or s["entry_date_missing"]}
    manner = fill(manner or s["entry_manner_missing"], values)
    sentence = _fill(s["entry"], ref=v.ref, manner=manner)
    return f"{sentence} {details}".strip()


def residence_since(iv: Interview) -> str:
    """The start of the residence the letter claims: the interview's
    ``residence_since``, else the date of entry."""
    return iv.residence_since.strip() or iv.entry.date.strip()


def residence_sentence(iv: Interview, v: Voice, today: dt.date) -> str:
    since = residence_since(iv)
    years = years_between(since, today) if since else None
    if years is None or years < 1:
        return ""
    return _fill(
        parts()["story"]["residence"], ref=v.ref, since=date_words(since), years=str(years)
    )


def charges_sentence(iv: Interview, v: Voice) -> str:
    s = parts()["story"]
    items = []
    for c in iv.charges:
        section, text = c.section.strip(), " ".join(c.text.split())
        if section and text:
            items.append(f"{section} (\u201c{text}\u201d)")
        elif section or text:
            items.append(section or f"\u201c{text}\u201d")
    if not items:
        return str(s["charges_missing"])
    key = "charges_one" if len(items) == 1 else "charges_many"
    return _fill(s[key], ref=v.ref, charges=_join_and(items))


def _age(born: str, today: dt.date) -> int | None:
    return years_between(born, today) if born else None


def relative_sentence(r: Relative, v: Voice, today: dt.date) -> str:
    s = parts()["story"]
    relation = str(choice("relations", r.relation).get("phrase", "")) or "relative"
    status = str(choice("statuses", r.status).get("phrase", ""))
    age = _age(r.born, today)
    values = {
        "poss": v.Poss,
        "relation": relation,
        "name": f" {r.name.strip()}" if r.name.strip() else "",
        "age": f", age {age}," if age is not None and age < 21 else "",
    }
    if not status:
        return fill(s["relative_no_status"], values)
    return fill(s["relative"], {**values, "status": status})


def family_sentences(iv: Interview, v: Voice, today: dt.date) -> list[str]:
    out = [relative_sentence(r, v, today) for r in iv.relatives]
    family = prose_or_rewrite(iv.family)
    return [*out, family] if family else out


def work_sentence(iv: Interview, v: Voice) -> str:
    sentence = ""
    if iv.occupation.strip() or iv.employer.strip() or iv.work_since.strip():
        occupation = iv.occupation.strip()
        sentence = _fill(
            parts()["story"]["work"],
            ref=v.ref,
            **{
                "as": f" as {occupation}" if occupation else "",
                "for_": f" for {iv.employer.strip()}" if iv.employer.strip() else "",
                "since": f" since {date_words(iv.work_since)}" if iv.work_since.strip() else "",
            },
        )
    work = prose_or_rewrite(iv.work)
    return f"{sentence} {work}".strip()


# the interview's free text on a subject, and the factor whose section argues it
SUBJECTS = {
    "family": "family_us_citizen_lpr",
    "work": "employment_taxes",
    "health": "medical_humanitarian",
    "community": "community_ties",
}


def relatives_summary(iv: Interview, v: Voice, today: dt.date) -> str:
    """'Her family in the United States includes her spouse, Daniel, a United
    States citizen, and her son Mateo, age 12, a United States citizen.'"""
    items = []
    for r in iv.relatives:
        relation = str(choice("relations", r.relation).get("phrase", "")) or "relative"
        status = str(choice("statuses", r.status).get("phrase", ""))
        age = _age(r.born, today)
        article = "an" if relation[:1] in "aeiou" else "a"
        item = f"{v.poss if v.has_pronouns else article} {relation}"
        item += f" {r.name.strip()}" if r.name.strip() else ""
        item += f", age {age}" if age is not None and age < 21 else ""
        item += f", {status}" if status else ""
        items.append(item)
    if not items:
        return ""
    if len(items) == 1:
        joined = items[0]
    elif any("," in i for i in items):
        joined = "; ".join(items[:-1]) + f"; and {items[-1]}"
    else:
        joined = _join_and(items)
    return f"{v.Poss} family in the United States includes {joined}."


def story(
    iv: Interview,
    v: Voice,
    today: dt.date,
    *,
    in_proceedings: bool,
    argued: frozenset[str] = frozenset(),
) -> list[str]:
    """The client's story in paragraphs: entry and years here, the charges,
    family, work, health and community.  A fact an equity section argues
    (``argued``: the positive factors that apply) is told there, not twice."""
    first = [entry_sentence(iv, v)]
    if "long_residence" not in argued:
        first.append(residence_sentence(iv, v, today))
    out = [" ".join(x for x in first if x) or str(parts()["story"]["entry_missing"])]
    if in_proceedings:
        out.append(charges_sentence(iv, v))
    out.append(relatives_summary(iv, v, today))
    if "employment_taxes" not in argued:
        out.append(work_sentence(iv, v))
    for subject, factor_id in SUBJECTS.items():
        if factor_id not in argued and subject != "work":
            out.append(prose_or_rewrite(getattr(iv, subject)))
    return [x for x in out if x]


# ---- the legal hook -----------------------------------------------------------------
def legal_basis(case: Case, iv: Interview, v: Voice) -> str:
    """The section on the legal basis: the form's hook and, for a dismissal or
    a cancelled NTA, the 8 CFR 239.2(a) ground the attorney chose."""
    p = parts()
    form = catalog.pd_form(case.proceedings.pd_form)
    if form is None:
        return str(p["form_missing"]["request"])
    text = p["legal_basis"]["forms"].get(form.id, "")
    if not text:
        hook = f" ({form.hook})" if form.hook else ""
        return f"[[State the legal basis of the request for {form.label.lower()}{hook}.]]"
    values = {"ref": v.ref, "hook": form.hook}
    if form.id in choices().get("ground_forms", ()):
        ground = choice("grounds", iv.ground)
        if not ground:
            return f"{fill(text, values)} {p['ground_missing']}"
        argument = fill(str(ground.get("argument", "")), values)
        if ground["id"] == "a7":
            changed = prose_or_rewrite(iv.changed_since_nta) or str(p["changed_missing"])
            argument = f"{argument} {changed}"
        values |= {
            "ground_cite": str(ground["cite"]),
            "ground_text": str(ground["text"]),
            "ground_argument": argument,
        }
        text = f"{text} {p['legal_basis']['ground']}"
    return " ".join(fill(text, values).split())


# ---- the path ----------------------------------------------------------------------
def path_phrase(case: Case, iv: Interview, v: Voice, today: dt.date) -> str:
    """'pursue lawful permanent residence through … (INA 245(a))', or a
    placeholder when the path or its basis is missing or not yet open."""
    sp = iv.status_path
    path = choice("paths", sp.kind)
    phrase = fill(str(path.get("phrase", "")), {"ref_possessive": v.poss, "ref": v.ref})
    if not phrase:
        return str(parts()["path_missing"])
    form_id = case.proceedings.pd_form
    if path.get("in_proceedings") and form_id in choices().get("ending_forms", ()):
        form = catalog.pd_form(form_id)
        return fill(
            str(parts()["path_ends_proceedings"]),
            {"path": str(path["label"]).lower(), "form": (form.label if form else form_id).lower()},
        )
    minimum = path.get("petitioner_min_age")
    if minimum:
        children = [
            r
            for r in iv.relatives
            if r.relation in {"son", "daughter", "child"} and r.status == "usc" and r.born
        ]
        ages = [a for r in children if (a := _age(r.born, today)) is not None]
        if ages and max(ages) < int(minimum):
            return (
                f"{phrase} [[check the path: a United States citizen son or daughter must be "
                f"{minimum} to petition for a parent, and the oldest listed is {max(ages)}]]"
            )
    basis = sp.basis.strip()
    phrase += f" under {basis}" if basis else " [[legal basis of the path]]"
    return phrase


def path_sentence(case: Case, iv: Interview, v: Voice, today: dt.date, template: str) -> str:
    text = fill(template, {"ref": v.ref, "path": path_phrase(case, iv, v, today)})
    details = prose_or_rewrite(iv.status_path.details)
    return f"{text} {details}".strip()


# ---- equities from the facts ---------------------------------------------------------
def equity_facts(factor_id: str, case: Case, iv: Interview, v: Voice, today: dt.date) -> str:
    """The interview's facts for one positive factor ('' when it has none)."""
    if factor_id == "long_residence":
        return residence_sentence(iv, v, today)
    if factor_id == "family_us_citizen_lpr":
        qualifying = [
            r for r in iv.relatives if choice("statuses", r.status).get("qualifying", False)
        ]
        facts = []
        for status_id in dict.fromkeys(r.status for r in qualifying):
            status = choice("statuses", status_id)
            group = [r for r in qualifying if r.status == status_id]
            relations = [
                str(choice("relations", r.relation).get("phrase", "")) or "relative" for r in group
            ]
            if len(group) == 1:
                facts.append(f"{v.Poss} {relations[0]} is {status['phrase']}.")
            else:
                facts.append(f"{v.Poss} {_join_and(relations)} are {status['plural']}.")
        family = prose_or_rewrite(iv.family)
        return " ".join([*facts, family] if family else facts)
    if factor_id == "employment_taxes":
        return work_sentence(iv, v)
    if factor_id == "community_ties":
        return prose_or_rewrite(iv.community)
    if factor_id == "medical_humanitarian":
        return prose_or_rewrite(iv.health)
    if factor_id == "pending_petition" and case.proceedings.receipts:
        # the receipt numbers are in the statement of facts; the exhibits follow
        return f"A petition for {v.ref} is pending before USCIS."
    return ""


# ---- arrests ---------------------------------------------------------------------
def _disposition(a: Arrest, v: Voice) -> str:
    table: Mapping[str, str] = parts()["dispositions"]
    raw = " ".join(a.disposition.split())
    if not raw:
        return str(parts()["arrest"]["disposition_missing"])
    template = table.get(raw.lower(), table["other"])
    return fill(
        template, {"ref": v.ref, "when": when_phrase(a.disposition_date), "disposition": raw}
    )


def _completed(a: Arrest, v: Voice) -> str:
    s = parts()["arrest"]
    text = " ".join(a.completed.split()).rstrip(".")
    if not text:
        return "" if not a.sentence.strip() else str(s["completed_missing"])
    if text[:1].islower() and _FINITE.search(text.split()[0]):
        return fill(s["completed"], {"ref": v.ref, "completed": text})
    return fill(s["completed_noun"], {"completed": text})


def _since(a: Arrest) -> str:
    s = parts()["arrest"]
    text = " ".join(a.since.split())
    if not text:
        return str(s["since_missing"])
    if is_prose(text):
        return _sentence(text)
    return fill(s["since"], {"since": text.rstrip(".")})


def arrest_since(a: Arrest) -> str:
    """What changed since the arrest (rehabilitation), or the placeholder asking for it."""
    return _since(a)


def arrest_paragraph(
    a: Arrest, v: Voice, exhibits: Sequence[Exhibit], *, with_since: bool = True
) -> str:
    """One arrest, named exactly as the interview names it, with its
    disposition, sentence, completion, what changed since (unless the letter
    puts it after the attorney's explanation: ``with_since=False``) and its
    exhibits."""
    s = parts()["arrest"]
    charge = " ".join(a.charge.split()) or s["charge_missing"]
    level = " ".join(a.level.split())
    values = {
        "ref": v.ref,
        "date": date_words(a.date),
        "place": f" in {a.place.strip()}" + ("," if "," in a.place else "")
        if a.place.strip()
        else "",
        "charge": charge,
        "level": f", a {level}" if level else "",
    }
    lead = fill(s["lead"] if values["date"] else s["lead_no_date"], values)
    sentences = [lead, _disposition(a, v)]
    if a.sentence.strip():
        sentences.append(
            fill(s["sentence"], {"sentence": " ".join(a.sentence.split()).rstrip(".")})
        )
    sentences += [x for x in (_completed(a, v), _since(a) if with_since else "") if x]
    by_id = {e.id: e for e in exhibits if e.included}
    proof = [by_id[i] for i in a.exhibit_ids if i in by_id]
    if proof:
        refs = "; ".join(f"{e.title}, {{{{pages:{e.id}}}}}" for e in proof)
        sentences.append(f"{parts()['evidence_lead']} {refs}.")
    else:
        sentences.append(str(s["evidence_missing"]))
    return " ".join(sentences)

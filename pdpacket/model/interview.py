"""The case interview (#13): the structured facts a letter argues from.

Plain data, stored per case as one document (see ``store.interview``).  Every
field is optional: an interview is filled in over time, and the letter and the
review say what a missing answer costs.  Dates are partial ISO strings
("2005", "2005-03", "2005-03-14") because clients often remember only a year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Pronouns(StrEnum):
    """How the letter refers to the client ("" = not answered: the letter
    says "Respondent" / "the client" and never guesses)."""

    UNSET = ""
    HE = "he"
    SHE = "she"
    THEY = "they"


@dataclass(frozen=True)
class Entry:
    """How the client came to the United States."""

    date: str = ""  # partial ISO: "2005", "2005-03" or "2005-03-14"
    place: str = ""  # port or area of entry, e.g. "near Nogales, Arizona"
    manner: str = ""  # an id from resources (e.g. "ewi", "visa", "parole"), or ""
    details: str = ""  # anything else, in the attorney's words


@dataclass(frozen=True)
class Charge:
    """One charge of removability on the NTA, as the NTA states it."""

    section: str = ""  # e.g. "INA 212(a)(6)(A)(i)"
    text: str = ""  # the NTA's words, if the attorney wants them quoted


@dataclass(frozen=True)
class Arrest:
    """One arrest or criminal charge, named as the documents name it."""

    date: str = ""  # partial ISO
    place: str = ""  # city, county, state
    charge: str = (
        ""  # the offence as the disposition records it, e.g. "DUI (Cal. Veh. Code 23152(a))"
    )
    level: str = ""  # "misdemeanor" | "felony" | "infraction" | "" (as the documents say)
    disposition: str = ""  # e.g. "convicted", "dismissed", "pending", "no charges filed"
    disposition_date: str = ""
    sentence: str = ""  # e.g. "3 years' probation, DUI school, fines"
    completed: str = ""  # what was completed and when, e.g. "probation completed 2019-06"
    since: str = ""  # what has changed since: treatment, sobriety, work, community
    exhibit_ids: tuple[int, ...] = ()  # the exhibits that prove this arrest's record


@dataclass(frozen=True)
class Relative:
    """A close relative in the United States (for family ties and the path)."""

    relation: str = ""  # an id from resources/interview.json (e.g. "spouse", "son")
    name: str = ""  # first name or full name, as the letter may use it
    status: str = ""  # an id from resources/interview.json (e.g. "usc", "lpr")
    born: str = ""  # partial ISO; a child's age matters (a U.S.-citizen child petitions at 21)


@dataclass(frozen=True)
class StatusPath:
    """The path to lawful status that discretion opens."""

    kind: str = ""  # an id from resources (e.g. "i130_spouse", "cancellation_42b"), or ""
    basis: str = ""  # the legal basis in the attorney's words, e.g. "INA 245(a)"
    details: str = ""  # receipt, priority date, who petitioned


@dataclass(frozen=True)
class Interview:
    """The whole interview of one case."""

    pronouns: Pronouns = Pronouns.UNSET
    entry: Entry = field(default_factory=Entry)
    charges: tuple[Charge, ...] = ()
    status_path: StatusPath = field(default_factory=StatusPath)
    residence_since: str = ""  # partial ISO: continuous residence claimed since (default: entry)
    family: str = ""  # the attorney's notes on each subject, as facts
    work: str = ""
    health: str = ""
    community: str = ""
    arrests: tuple[Arrest, ...] = ()
    reads_english: bool | None = None  # None: not answered
    surname: str = ""  # how the letter names the client after "Mr."/"Ms."/"Mx." (never guessed)
    relatives: tuple[Relative, ...] = ()
    employer: str = ""  # the client's employer or trade, as the letter may name it
    occupation: str = ""  # e.g. "a line cook"
    work_since: str = ""  # partial ISO
    ground: str = ""  # the 8 CFR 239.2(a) ground a dismissal or cancelled NTA rests on (an id)
    changed_since_nta: str = ""  # for 239.2(a)(7): what changed after the NTA was issued

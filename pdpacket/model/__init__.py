"""Plain typed data that crosses module boundaries.

Rows never leave ``store``; pypdf objects never leave ``packet``/``intake``.
Everything here is a frozen dataclass or a StrEnum, cheap to copy between a
worker thread and the UI.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from pdpacket.model.identifiers import exhibit_letter, format_a_number


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


class FileRole(StrEnum):
    DOCUMENT = "document"  # the exhibit's own pages (English or the original)
    TRANSLATION = "translation"  # the English translation of a foreign document
    CERTIFICATE = "certificate"  # an uploaded translator certificate (else generated)


class NumberingStyle(StrEnum):
    PLAIN = "plain"  # "12"
    OF_TOTAL = "of_total"  # "Page 12 of 340"
    BATES = "bates"  # "GARCIA-000012"


class TranslationOrder(StrEnum):
    TRANSLATION_FIRST = "translation_first"  # translation, certificate, original
    ORIGINAL_FIRST = "original_first"  # original, translation, certificate


class FactorState(StrEnum):
    """An answer on one factor: it applies, it does not, or nobody has said."""

    APPLIES = "applies"
    DOES_NOT_APPLY = "does_not_apply"
    UNANSWERED = "unanswered"


# What intake guessed from a file name, kept on the exhibit until someone confirms it.
GUESSABLE = ("title", "document_type", "factor_ids", "language")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True)
class Client:
    name: str
    a_number: str = ""  # 9 digits, or "" when unknown
    aliases: tuple[str, ...] = ()
    dob: dt.date | None = None
    country: str = ""
    language: str = ""

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)


@dataclass(frozen=True)
class Proceedings:
    court_id: str = ""
    judge: str = ""
    hearing_date: dt.date | None = None
    hearing_type: str = ""  # "master" | "individual" | ""
    detained: bool = False
    facility: str = ""
    opla_office_id: str = ""
    receipts: tuple[str, ...] = ()
    stage: str = ""
    pd_form: str = ""
    framework_id: str = ""
    joint_motion: bool = False
    # The date of an earlier decision the request concerns (e.g. one taken while
    # a framework now rescinded was in force): the framework is then judged on
    # that date instead of the letter's, and the letter speaks of it in the past.
    decision_date: dt.date | None = None
    # Where the request goes (an id of resources/destinations.json); "" follows the
    # PD form's addressee (see ``policy.destinations.for_proceedings``).
    destination: str = ""
    # A joint motion's grounds, in the attorney's words: the drawn motion prints them
    # (until written it shows a [[...]] the review flags)
    motion_grounds: str = ""


@dataclass(frozen=True)
class Case:
    id: int
    client: Client
    proceedings: Proceedings
    created_at: str = ""
    updated_at: str = ""
    archived: bool = False

    @property
    def title(self) -> str:
        a = self.client.a_number_display
        return f"{self.client.name} ({a})" if a else self.client.name


@dataclass(frozen=True)
class FactorAnswer:
    factor_id: str
    applies: bool = False
    notes: str = ""
    explanation: str = ""  # for negative factors: explanation and mitigation
    # False: notes kept, but nobody has said yet whether the factor applies
    answered: bool = True

    @property
    def state(self) -> FactorState:
        if self.applies:
            return FactorState.APPLIES
        return FactorState.DOES_NOT_APPLY if self.answered else FactorState.UNANSWERED

    def with_state(self, state: FactorState | str) -> FactorAnswer:
        state = FactorState(state)
        return replace(
            self,
            applies=state == FactorState.APPLIES,
            answered=state != FactorState.UNANSWERED,
        )


@dataclass(frozen=True)
class Translator:
    name: str = ""
    address: str = ""
    phone: str = ""
    language: str = ""  # source language, e.g. "Spanish"

    @property
    def complete(self) -> bool:
        return bool(self.name and self.address and self.phone and self.language)


@dataclass(frozen=True)
class PageSlot:
    """One page of an exhibit file as the packet shows it: which page of the stored
    PDF (0-based), turned by how many quarter turns clockwise on top of the page's
    own rotation, and whether the user deleted it (kept in place, greyed, so it can
    be restored).  The stored PDF itself is never changed."""

    source: int
    turns: int = 0  # 0-3
    deleted: bool = False


@dataclass(frozen=True)
class ExhibitFile:
    id: int
    role: FileRole
    original_name: str
    original_sha256: str
    pdf_sha256: str
    pages: int
    size: int  # bytes of the normalised PDF
    warnings: tuple[str, ...] = ()
    position: int = 0
    recovered: bool = False  # damaged file, pages recovered: must be compared
    confirmed: bool = False  # the user compared the recovered pages and confirmed them
    # page edits over the stored PDF (``pages`` counts the stored PDF's pages):
    # () shows every stored page in order, unturned
    layout: tuple[PageSlot, ...] = ()

    @property
    def slots(self) -> tuple[PageSlot, ...]:
        """Every page slot in order, deleted ones included."""
        return self.layout or tuple(PageSlot(i) for i in range(self.pages))

    @property
    def kept(self) -> tuple[PageSlot, ...]:
        """The pages that go into the packet, in order."""
        return tuple(s for s in self.slots if not s.deleted)

    @property
    def packet_pages(self) -> int:
        """How many pages of this file the packet carries (after page edits)."""
        if not self.layout:
            return self.pages
        return sum(1 for s in self.layout if not s.deleted)


@dataclass(frozen=True)
class Exhibit:
    id: int
    case_id: int
    position: int
    title: str
    description: str = ""
    doc_date: dt.date | None = None
    factor_ids: tuple[str, ...] = ()
    document_type: str = ""
    language: str = "English"
    section: str = ""
    included: bool = True
    translator: Translator = field(default_factory=Translator)
    translation_order: TranslationOrder = TranslationOrder.TRANSLATION_FIRST
    files: tuple[ExhibitFile, ...] = ()
    # A document that spans a period (bank statements, a school's records): its
    # last date, with ``doc_date`` its first; None for a document of one date.
    doc_date_end: dt.date | None = None

    @property
    def dates(self) -> tuple[dt.date, dt.date] | None:
        """The first and last date the document covers (one date: both the same);
        None when it is undated.  An end before the start is read as the start."""
        if self.doc_date is None:
            return None
        end = self.doc_date_end or self.doc_date
        return self.doc_date, max(end, self.doc_date)

    guessed: tuple[str, ...] = ()  # fields of GUESSABLE still as intake guessed them

    @property
    def confirmed(self) -> Exhibit:
        """The exhibit as a person stated it: a guessed type or factors left out, so
        a guess never counts as support until someone confirms it."""
        if not {"document_type", "factor_ids"} & set(self.guessed):
            return self
        return replace(
            self,
            document_type="" if "document_type" in self.guessed else self.document_type,
            factor_ids=() if "factor_ids" in self.guessed else self.factor_ids,
        )

    @property
    def pages(self) -> int:
        """Pages the packet carries for it, after page edits (its tab not counted)."""
        return sum(f.packet_pages for f in self.files)

    @property
    def needs_translation(self) -> bool:
        return bool(self.language) and self.language.strip().lower() not in ("english", "en")

    def files_with_role(self, role: FileRole) -> tuple[ExhibitFile, ...]:
        return tuple(f for f in self.files if f.role == role)

    @property
    def in_packet(self) -> bool:
        """Lettered and printed in the packet: the user left it in, and it has a file."""
        return self.included and bool(self.files)


def packet_exhibits(exhibits: Sequence[Exhibit]) -> list[tuple[str, Exhibit]]:
    """The exhibits that go into the packet, in order, each with its letter."""
    return [(exhibit_letter(i), e) for i, e in enumerate(e for e in exhibits if e.in_packet)]


@dataclass(frozen=True)
class Attorney:
    name: str = ""
    firm: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    bar_number: str = ""
    eoir_id: str = ""


@dataclass(frozen=True)
class BuildOptions:
    numbering: NumberingStyle = NumberingStyle.PLAIN
    bates_prefix: str = ""
    # None: as the case's destination says (a certificate on court motions only);
    # True/False: an explicit choice, which the review checks against the destination
    certificate_of_service: bool | None = None
    service_method: str = "ecas"  # "ecas" | "mail" | "hand" (with an explicit certificate)
    service_address: str = ""
    include_cover: bool = True
    include_index: bool = True
    # after the index, a table of which exhibits prove which factor (linked to the exhibits)
    factor_table: bool = False
    keep_original_size: bool = False
    build_date: dt.date | None = None  # fixed date for reproducible output; None: today
    edition: str = "standard"  # "standard" | "efile" (ECAS) | "email" (to OPLA) | "print"
    integrity_sidecar: bool = False  # also write <packet>.sha256.txt listing every file's hash
    # editions; see pdpacket.editions
    max_mb: float = 0.0  # efile/email: the most one file may hold (MB of 1,000,000 bytes);
    #                      0: 25 for e-filing, the OPLA office's limit (else 20) by e-mail
    jpeg_quality: int = 0  # efile/email: re-encode JPEG images at this quality (20-95) before
    #                        splitting; 0 keeps them.  Pixels are never reduced below 300 dpi.
    duplex: bool = False  # print: each exhibit on a right-hand page, unnumbered blank versos
    clear_top: bool = True  # print: evidence fitted below the top inch (two-hole fasteners)
    copies_court: int = 1  # print: the copies sheet says how many copies, and for whom
    copies_opla: int = 1
    copies_client: int = 1
    # A final packet is asked for: the build is refused (``NotReadyError``) while
    # the readiness review has errors, instead of coming out as a draft.
    final: bool = False
    # Why this is a draft: the readiness review's errors, filled in by the façade
    # (``Workspace.build_packet``), never chosen by hand.  Not empty: every page
    # says DRAFT and the build is recorded as a draft.
    draft_reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuildResult:
    path: str
    pages: int
    size: int
    sha256: str
    build_id: int = 0
    parts: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    sidecar: str = ""  # the integrity sidecar's path, when asked for
    # editions: a split packet's parts (``path`` is part 1, ``size`` all parts together)
    part_sizes: tuple[int, ...] = ()
    edition: str = "standard"
    email_subject: str = ""  # the e-mail edition: ready-to-paste subject and body,
    email_text: str = ""  # also written beside the PDF (``email_path``)
    email_path: str = ""
    draft_reasons: tuple[str, ...] = ()  # the review errors that made it a draft

    @property
    def final(self) -> bool:
        """Built while the review had no error: no page says DRAFT."""
        return not self.draft_reasons


@dataclass(frozen=True)
class BuildRecord:
    id: int
    case_id: int
    created_at: str
    path: str
    pages: int
    size: int
    sha256: str
    options: dict[str, object] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    # True: built with no review error, no draft mark; False: a draft (every page
    # says DRAFT, ``draft_reasons`` says why); None: built before packets were
    # marked, so nobody checked.
    final: bool | None = None
    draft_reasons: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """What history lists show: Final, Draft or Unchecked."""
        if self.final is None:
            return "Unchecked"
        return "Final" if self.final else "Draft"


@dataclass(frozen=True)
class NormalisedFile:
    """The result of intake: letter-size PDF bytes and what we noticed."""

    pdf: bytes
    pages: int
    kind: str  # "pdf", "jpeg", "png", "tiff", ...
    warnings: tuple[str, ...] = ()
    recovered: bool = False  # a damaged file read in part: the user must compare
    attachments: tuple[str, ...] = ()  # names of the files a PDF carried (not in its pages)


@dataclass(frozen=True)
class ImportResult:
    """One file of a batch import: imported, imported with warnings, or refused."""

    path: str
    status: str  # "imported" | "warning" | "duplicate" | "refused"
    message: str = ""
    exhibit_id: int = 0
    pages: int = 0
    file_id: int = 0  # the exhibit file row that was added
    needs_password: bool = False  # refused for a missing or wrong password: ask and retry
    attachments: tuple[str, ...] = ()  # files the PDF carried: offer them as exhibits


@dataclass(frozen=True)
class HistoryStep:
    """An exhibit change just done, undone or redone: which case and exhibits it
    touched, and what it was ("move of Exh. C")."""

    case_id: int
    text: str
    exhibit_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class BackupInfo:
    """One rolling backup of the database (see ``pdpacket.backup``)."""

    name: str  # the file name in the backups folder; what `pdpacket restore` takes
    path: str
    created_at: str  # ISO 8601, UTC
    reason: str  # "daily" | "migration" | "restore" | "manual"
    size: int


@dataclass(frozen=True)
class ArchiveInfo:
    """A case archive written by ``export_case`` or read by ``import_archive``."""

    path: str
    case_id: int  # the case exported, or the new case created by the import
    client_name: str
    blobs: int
    size: int
    sha256: str  # of the archive file as written
    encrypted: bool
    warnings: tuple[tuple[str, str], ...] = ()  # import: (file name, its intake warnings)


@dataclass(frozen=True)
class LetterConflict:
    """A part of the letter the attorney edited and a refreshed draft also changed:
    the attorney's text was kept; ``draft`` is what the new draft would have put there."""

    section: str  # the heading it is under ("" before the first heading)
    mine: str
    draft: str


@dataclass(frozen=True)
class Letter:
    """A case's request letter (see ``pdpacket.letter``): the attorney's text and
    the last generated draft, which is the base of the next 3-way merge."""

    case_id: int
    text: str
    draft_text: str
    generated_from_hash: str = ""
    conflicts: tuple[LetterConflict, ...] = ()
    created_at: str = ""
    updated_at: str = ""

    @property
    def untouched(self) -> bool:
        """Still exactly the generated draft (nobody has edited it)."""
        return self.text.strip() == self.draft_text.strip()


@dataclass(frozen=True)
class Location:
    """Where in the window a finding is fixed: a step id ("client", "stage",
    "factors", "evidence", "exhibits", "letter", "build") and optionally the
    object on that step (an exhibit id, a factor id, a letter section)."""

    step: str
    object_id: str = ""


@dataclass(frozen=True)
class Finding:
    """One result of the readiness review (``pdpacket.review``)."""

    code: str  # e.g. "factor.no_evidence"; stable, used by resources/review_rules.json
    severity: Severity
    message: str  # what is wrong, naming the factor/exhibit/file
    fix: str  # what to do about it
    location: Location


class DocumentRole(StrEnum):
    """Case-level documents that go into the packet outside the exhibits."""

    LETTER = "letter"  # an uploaded request letter (instead of the drafted one)
    G28 = "g28"  # Form G-28, appearance before DHS
    EOIR28 = "eoir28"  # Form EOIR-28, appearance before the immigration court
    DECLARATION = "declaration"  # the client's declaration
    PROPOSED_ORDER = "proposed_order"  # replaces the generated proposed order


@dataclass(frozen=True)
class CaseDocument:
    case_id: int
    role: DocumentRole
    original_name: str
    original_sha256: str
    pdf_sha256: str
    pages: int
    added_at: str = ""

"""What a build knows as it goes: the letter's contract, the plan's segments,
the files being written, and the ``BuildContext`` the steps share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from pdpacket.model import BuildOptions, Case, CaseDocument, Exhibit
from pdpacket.model.policy import Destination
from pdpacket.model.progress import CancelToken, Progress
from pdpacket.model.text import Word
from pdpacket.packet import draw as layout
from pdpacket.packet.source import Source
from pdpacket.pdf.images import ImageHook
from pdpacket.policy import catalog
from pdpacket.store.database import Store

# the index heading of exhibits with no section in a packet whose others have one
UNSECTIONED_HEADING = "Other exhibits"


# ---- the letter's contract ----------------------------------------------------
@dataclass(frozen=True)
class CiteTarget:
    """Where an exhibit ended up: its letter and printed packet page numbers
    (``first_page`` is its tab page)."""

    letter: str
    first_page: int
    last_page: int
    title: str


class LetterSource(Protocol):
    """Something that renders the request letter once it knows where the
    exhibits are.  ``cites`` is keyed by exhibit id.  It returns a PDF of
    letter-size (612 x 792) pages whose bottom 0.75 inch is left free for the
    page stamp: such pages are stamped as they are, any other page is fitted
    like evidence.  Its length may depend on the cites: the builder calls it
    again until the page count is stable (at most three times)."""

    def render(self, cites: Mapping[int, CiteTarget]) -> bytes: ...


class LetterHook(Protocol):
    """Finds the case's drafted letter; the caller (the façade) passes the letter
    feature's own function, so the packet never imports the letter package.
    ``today`` is the build date, so the letter's date follows it and builds stay
    reproducible."""

    def __call__(self, store: Store, case_id: int, *, today: dt.date) -> LetterSource | None: ...


# ---- the plan ---------------------------------------------------------------------
@dataclass
class Segment:
    """A run of consecutive packet pages from one source."""

    kind: str  # cover letter appearance declaration index tab document translation
    #            certificate original order service
    title: str  # its bookmark / index title
    pages: int
    blob: str = ""  # sha256 of a stored PDF, or
    drawn: str = ""  # key of a piece of the drawn document, or
    letter_pdf: bool = False  # the rendered letter
    fit: bool = True  # fit its pages above the stamp band
    exhibit: PlannedExhibit | None = None
    first: int = 0  # 0-based packet page index of its first page
    # editions
    skip: int = 0  # pages of its file before the first one it holds (a file split in parts)
    of: int = 0  # pages its file has (0: ``pages``)
    numbered: bool = True  # False: a blank back or the copies sheet, which carry no number
    number: int = 0  # 0-based printed number of its first page (``first`` counts every page)
    part: int = 1  # the file (part) of a split packet it is in
    # page edits: the stored file's pages it shows, in order, as (stored page,
    # quarter turns); () when unedited.  ``skip``/``of``/``pages`` count these.
    slots: tuple[tuple[int, int], ...] = ()
    stored: int = 0  # pages of the stored file (0: ``of or pages``)


@dataclass
class PlannedExhibit:
    letter: str
    exhibit: Exhibit
    segments: list[Segment] = field(default_factory=list)
    first_page: int = 0  # 1-based packet page of its tab page
    last_page: int = 0

    @property
    def translated(self) -> bool:
        return any(s.kind == "translation" for s in self.segments)

    @property
    def parts(self) -> list[int]:
        return sorted({s.part for s in self.segments})


@dataclass(frozen=True)
class PartBreak:
    """Where a part of a split packet starts: before exhibit ``exhibit`` (an
    index into the planned exhibits) or, when ``page`` > 0, inside it, after its
    first ``page`` pages (the tab page is its page 0)."""

    exhibit: int
    page: int = 0


@dataclass
class Gathered:
    """What the case says, looked up once."""

    joint_motion: bool = False
    destination: Destination | None = None  # where the request goes: parts, caption, service
    form: catalog.PdForm | None = None
    court: catalog.Place | None = None
    office: catalog.Place | None = None
    framework: catalog.Framework | None = None
    documents: dict[str, CaseDocument] = field(default_factory=dict)  # by role
    letter_source: LetterSource | None = None
    letter_blob: str = ""
    letter_blob_pages: int = 0


@dataclass
class Output:
    """One file the build writes: the whole packet, or one part of a split one."""

    path: Path
    segments: list[Segment]
    part: int = 0  # 0: the whole packet; else its part number
    tmp_path: Path | None = None
    sha256: str = ""
    size: int = 0

    @property
    def pages(self) -> int:
        return sum(s.pages for s in self.segments)


@dataclass
class BuildContext:
    store: Store
    case: Case
    options: BuildOptions
    out_path: Path
    progress: Progress
    cancel: CancelToken
    letter: LetterSource | None = None
    letter_hook: LetterHook | None = None
    build_date: dt.date = field(default_factory=dt.date.today)
    info: Gathered = field(default_factory=Gathered)
    exhibits: list[PlannedExhibit] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    total_pages: int = 0
    letter_pdf: bytes = b""
    drawn: layout.Drawn | None = None
    drawn_at: dict[str, int] = field(default_factory=dict)  # piece key -> drawn page
    tmp_path: Path | None = None
    sha256: str = ""
    size: int = 0
    warnings: list[str] = field(default_factory=list)
    # words OCR read on scanned pages, by (stored file, page): the invisible text layer
    text_layers: dict[tuple[str, int], tuple[Word, ...]] = field(default_factory=dict)
    steps_done: int = 0
    steps_total: int = 0
    # editions: set by pdpacket.editions before planning
    breaks: tuple[PartBreak, ...] = ()  # a split packet's parts
    part_names: tuple[str, ...] = ()  # their file names, for the contents pages
    copies: layout.CopiesInfo | None = None  # the print edition's copies sheet
    duplex: bool = False  # blank versos so that every document starts on a right-hand page
    top_clear: float = 0.0  # points kept free at the top of fitted pages
    image_hook: ImageHook | None = None
    total_numbered: int = 0  # pages that carry a number
    outputs: list[Output] = field(default_factory=list)
    announced: set[int] = field(default_factory=set)  # exhibits whose progress step was sent
    annotations_dropped: int = 0
    drawn_source: Source | None = None

    @property
    def part_count(self) -> int:
        return len(self.breaks) + 1

    def section_of(self, ex: Exhibit) -> str:
        """The heading an exhibit goes under in the index and the bookmarks: its
        section; when other exhibits have sections and it has none, a heading of
        its own (never the section of the exhibit before it)."""
        if ex.section.strip():
            return ex.section
        if any(pe.exhibit.section.strip() for pe in self.exhibits):
            return UNSECTIONED_HEADING
        return ""

    def step(self, message: str) -> None:
        self.cancel.raise_if_cancelled()
        self.progress.update(self.steps_done, self.steps_total, message)
        self.steps_done += 1

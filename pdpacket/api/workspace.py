"""The workspace: one data folder, and every operation on it the window and the CLI use.

    ws = Workspace.open()                # or Workspace.open(tmp_path)
    case_id = ws.import_manifest("case.json")
    ws.build_packet(case_id, "packet.pdf")

Everything the window does can be scripted and tested without Qt.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import fields, replace
from pathlib import Path
from typing import Any, ClassVar, Concatenate, ParamSpec, TypeVar

from pdpacket import letter as letters
from pdpacket import undo
from pdpacket.api.attachments import AttachmentsMixin
from pdpacket.api.catalogue import Catalogue
from pdpacket.api.documents import DocumentsMixin
from pdpacket.api.interview import InterviewMixin
from pdpacket.api.pages import PageTools, check_manifest_pages, write_layout
from pdpacket.api.redaction import RedactionMixin
from pdpacket.api.text import TextMixin
from pdpacket.errors import (
    DatabaseError,
    NotReadyError,
    PdpacketError,
    ValidationError,
    disk_full_guard,
)
from pdpacket.intake.pdfclean import StoredCleaning
from pdpacket.intake.service import (
    EvidenceIntake,
    StoredFile,
)
from pdpacket.manifest import Manifest, load_manifest
from pdpacket.model import (
    ArchiveInfo,
    Attorney,
    BackupInfo,
    BuildOptions,
    BuildRecord,
    BuildResult,
    Case,
    CaseDocument,
    Client,
    DocumentRole,
    Exhibit,
    ExhibitFile,
    FactorAnswer,
    FileRole,
    Finding,
    HistoryStep,
    ImportResult,
    Letter,
    NormalisedFile,
    Proceedings,
    Severity,
)
from pdpacket.model.case_list import case_matches, sort_cases
from pdpacket.model.policy import Destination, Place
from pdpacket.model.progress import CancelToken, NullProgress, Progress
from pdpacket.model.signing import (
    Signature,
    SignatureMethod,
    SignaturePolicy,
    SignedDocument,
    Signer,
)
from pdpacket.packet import builder as packet
from pdpacket.packet import editions, integrity
from pdpacket.policy import destinations
from pdpacket.review import readiness
from pdpacket.store import archive, backup, cleaning, leftovers, places
from pdpacket.store import signatures as signing
from pdpacket.store.database import Store
from pdpacket.store.migrations import migrations
from pdpacket.store.paths import resolve_data_dir

log = logging.getLogger("pdpacket.api")

# Review findings about a built packet file rather than the case (see
# ``Workspace.build_blockers``).
BUILT_FILE_FINDINGS = "packet."

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _writes_evidence(
    fn: Callable[Concatenate[Workspace, _P], _R],
) -> Callable[Concatenate[Workspace, _P], _R]:
    """For methods that write blobs before the rows naming them are committed: hold
    the evidence store's writer lock (so a startup sweep elsewhere leaves the new
    blobs alone) and report a full disk as a ``DiskFullError``."""

    @functools.wraps(fn)
    def wrapper(self: Workspace, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self.intake.writing():
            return fn(self, *args, **kwargs)

    return wrapper


class Workspace(
    InterviewMixin, PageTools, DocumentsMixin, RedactionMixin, AttachmentsMixin, TextMixin
):
    """One data folder: the database and the evidence store."""

    catalogue: ClassVar[Catalogue] = Catalogue()  # read-only: one for every workspace

    def __init__(self, store: Store) -> None:
        self.store = store
        self.data_dir = store.data_dir
        self.intake = EvidenceIntake(store)
        self.history = undo.History()

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = None) -> Workspace:
        """Open (or create) a data folder: migrations are applied (after a backup of an
        existing database), today's backup is made if there is none, and what a crash
        or kill left behind (unreferenced evidence files, temporary files) is removed."""
        ws = cls(Store(resolve_data_dir(data_dir)))
        ws._on_open()
        return ws

    @classmethod
    def for_job(cls, data_dir: str | os.PathLike[str]) -> Workspace:
        """A second connection to an open data folder, for a job on another thread.
        No startup sweep: it would delete the files of an exhibit the user just
        removed and may still bring back with undo."""
        return cls(Store(Path(data_dir)))

    def _on_open(self) -> None:
        # neither may stop the app from opening: each is retried on the next start
        conn = self.store.db.conn
        try:
            backup.ensure_daily(conn, self.data_dir, backup.read_keep(conn))
        except (OSError, sqlite3.Error, PdpacketError) as exc:
            log.warning("daily backup skipped: %s", exc)
        try:
            self.sweep()
        except (OSError, sqlite3.Error, DatabaseError) as exc:
            log.warning("startup sweep skipped: %s", exc)

    def sweep(self) -> list[str]:
        """Remove evidence files no row (and no kept backup) names, and stale temporary
        files; skipped while another job writes evidence.  Returns the blobs removed."""
        with self.store.blobs.sweeping() as free:
            if not free:
                log.info("sweep skipped: another job is writing evidence")
                return []
            archive.sweep_temporary(self.data_dir)
            backup.sweep_temporary(self.data_dir)
            leftovers.sweep_packet_temporaries(self.store)  # beside packets a kill cut short
            removed = self.store.sweep_blobs(also_keep=backup.referenced_blobs(self.data_dir))
        if removed:
            log.info("sweep removed %d unreferenced evidence files", len(removed))
        return removed

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- cases ----------------------------------------------------------
    def list_cases(self, *, include_archived: bool = False) -> list[Case]:
        return self.store.list_cases(include_archived=include_archived)

    def get_case(self, case_id: int) -> Case:
        return self.store.get_case(case_id)

    def create_case(self, client: Client, proceedings: Proceedings | None = None) -> int:
        return self.store.create_case(client, proceedings)

    def exhibits(self, case_id: int) -> list[Exhibit]:
        return self.store.list_exhibits(case_id)

    def get_exhibit(self, exhibit_id: int) -> Exhibit:
        return self.store.get_exhibit(exhibit_id)

    def search_cases(
        self,
        text: str = "",
        *,
        include_archived: bool = False,
        sort: str = "hearing",
        today: dt.date | None = None,
    ) -> list[Case]:
        """Cases whose client name, alias or A-number matches ``text`` (see
        ``case_matches``), sorted by ``sort``: "hearing" (upcoming hearings
        soonest first, then cases with no hearing date, then past hearings),
        "name" or "recent" (last changed first)."""
        found = [
            c
            for c in self.store.list_cases(include_archived=include_archived)
            if case_matches(c, text)
        ]
        return sort_cases(found, sort, today=today)

    def duplicate_case(self, case_id: int, *, name: str = "") -> int:
        """Copy a case (client, proceedings, factors, exhibits) to start a similar one."""
        with self.store.transaction():  # the copy and its interview, or nothing
            new_id = self.store.duplicate_case(case_id, name=name)
            self._copy_interview(case_id, new_id)
        return new_id

    def pair_translation(self, exhibit_id: int, translation_exhibit_id: int) -> Exhibit:
        """Make exhibit ``translation_exhibit_id`` the translation of ``exhibit_id``."""
        return self.store.merge_as_translation(exhibit_id, translation_exhibit_id)

    def exhibit_counts(self) -> dict[int, int]:
        """How many exhibits each case has, by case id."""
        return self.store.exhibit_counts()

    def set_archived(self, case_id: int, archived: bool) -> None:
        self.store.set_archived(case_id, archived)

    def update_client(self, case_id: int, **changes: Any) -> Case:
        """Change client fields (validated: a bad A-number raises ``ValidationError``)."""
        return self.store.update_client(case_id, **changes)

    def update_proceedings(self, case_id: int, **changes: Any) -> Case:
        return self.store.update_proceedings(case_id, **changes)

    def factor_answers(self, case_id: int) -> dict[str, FactorAnswer]:
        return self.store.factor_answers(case_id)

    def set_factor_answer(self, case_id: int, answer: FactorAnswer) -> None:
        self.store.set_factor_answer(case_id, answer)

    def clear_factor_answer(self, case_id: int, factor_id: str) -> None:
        """Forget an answer, e.g. one for a factor the case's framework lacks."""
        self.store.delete_factor_answer(case_id, factor_id)

    def builds(self, case_id: int) -> list[BuildRecord]:
        """The case's recorded builds, newest first."""
        return self.store.list_builds(case_id)

    def pdf_bytes(self, file: ExhibitFile | CaseDocument) -> bytes:
        """The stored PDF of an exhibit file or case document (for previews)."""
        return self.store.blobs.read(file.pdf_sha256)

    # ---- settings -------------------------------------------------------
    def setting(self, key: str, default: Any = None) -> Any:
        return self.store.get_setting(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self.store.set_setting(key, value)

    def attorney(self) -> Attorney:
        return self.store.attorney()

    def set_attorney(self, attorney: Attorney) -> None:
        self.store.set_attorney(attorney)

    def update_attorney(self, **changes: str) -> Attorney:
        """Change only the attorney's details named (name, firm, address, phone,
        email, bar_number, eoir_id); the others keep their value."""
        known = {f.name for f in fields(Attorney)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValidationError(
                unknown[0],
                f"The attorney has no detail called {unknown[0]!r}.",
                hint="Use one of: " + ", ".join(sorted(known)) + ".",
            )
        clean = {k: str(v).strip() for k, v in changes.items()}
        attorney = replace(self.store.attorney(), **clean)
        self.store.set_attorney(attorney)
        return attorney

    # ---- signatures -----------------------------------------------------
    def signature_policies(self) -> list[SignaturePolicy]:
        """Every destination, with whether the firm signs electronically for it."""
        return signing.policies(self.store)

    def set_electronic_signature(self, destination_id: str, allowed: bool) -> None:
        """Allow (or stop) electronic "/s/" signatures for one destination."""
        signing.set_electronic_allowed(self.store, destination_id, allowed)

    def signatures(self, case_id: int) -> list[Signature]:
        """Every signature the case's packet needs, in packet order: the letter or
        motion, the appearance form, the declaration (and its certificate of
        interpretation), each translator's certificate, the certificate of
        service; each electronic, wet (to sign in ink) or missing."""
        return signing.signatures(self.store, case_id)

    def set_signature(
        self,
        case_id: int,
        document: SignedDocument | str,
        signer: Signer | str,
        method: SignatureMethod | str,
        *,
        exhibit_id: int = 0,
        name: str | None = None,
        signed_on: dt.date | None = None,
    ) -> Signature:
        """Record how one signature is signed ("/s/ name" and ``signed_on``, today by
        default, when electronic).  ``name`` overrides who signs (e.g. the person
        who served, an interpreter); ``ValidationError`` when the case does not need
        that signature, the firm does not sign electronically for the case's
        destination, or an electronic signature has no name."""
        return signing.record(
            self.store,
            case_id,
            str(document),
            str(signer),
            method,
            exhibit_id=exhibit_id,
            name=name,
            signed_on=signed_on,
        )

    def sign_all_electronically(
        self, case_id: int, *, on: dt.date | None = None
    ) -> list[Signature]:
        """Sign electronically every signature the firm allows and whose signer's
        name is known (the others stay as they are); returns them all afterwards."""
        return signing.sign_all_electronically(self.store, case_id, on=on)

    # ---- where the request goes; the firm's offices and courts ----------------
    def destination(self, case_id: int) -> Destination:
        """The case's destination: the one chosen, else the default for its PD form."""
        return destinations.for_proceedings(self.store.get_case(case_id).proceedings)

    def set_destination(self, case_id: int, destination_id: str) -> Case:
        """Choose where the request goes ("" : follow the PD form's addressee)."""
        if destination_id and destinations.destination(destination_id) is None:
            message, hint = destinations.unknown_message(destination_id)
            raise ValidationError("destination", message[0].upper() + message[1:], hint=hint)
        return self.store.update_proceedings(case_id, destination=destination_id)

    def default_build_options(self, case_id: int) -> BuildOptions:
        """What a first build of the case starts from: the edition its chosen
        destination is sent as (e-filing for ECAS, e-mail to OPLA, print for paper);
        the standard one while the destination only follows the PD form.  The
        certificate of service is left to the destination (``None``)."""
        p = self.store.get_case(case_id).proceedings
        if not p.destination:
            return BuildOptions()
        return BuildOptions(edition=destinations.for_proceedings(p).edition)

    def opla_offices(self) -> tuple[Place, ...]:
        """The OPLA offices with the firm's edits (``Place.edited`` names them)."""
        return places.offices(self.store)

    def opla_office(self, office_id: str) -> Place | None:
        return places.office(self.store, office_id)

    def courts(self) -> tuple[Place, ...]:
        """The immigration courts with the firm's edits."""
        return places.courts(self.store)

    def court(self, court_id: str) -> Place | None:
        return places.court(self.store, court_id)

    def edit_office(
        self,
        office_id: str,
        changes: Mapping[str, object] | None = None,
        *,
        reset: bool = False,
        **fields: object,
    ) -> Place:
        """Set the firm's address, email, max_mb or subject_format of an OPLA office
        (only those given; ``reset`` first goes back to the shipped data)."""
        values = {**(changes or {}), **fields}
        return places.edit(self.store, "office", office_id, values, reset=reset)

    def edit_court(
        self,
        court_id: str,
        changes: Mapping[str, object] | None = None,
        *,
        reset: bool = False,
        **fields: object,
    ) -> Place:
        """Set the firm's address of an immigration court (``reset``: as shipped)."""
        values = {**(changes or {}), **fields}
        return places.edit(self.store, "court", court_id, values, reset=reset)

    # ---- exhibit changes that can be undone --------------------------------
    def move_exhibits(
        self, case_id: int, order: Sequence[int], *, moved: Sequence[int] = ()
    ) -> HistoryStep:
        """Put the case's exhibits in ``order`` (every id once); ``moved`` names the
        ones the user moved, for the undo text."""
        return self.history.record(self.store, undo.move(self.store, case_id, order, moved))

    def remove_exhibits(self, exhibit_ids: Sequence[int]) -> HistoryStep:
        """Take exhibits (of one case) out; undo puts them back with their files."""
        return self.history.record(self.store, undo.removal(self.store, exhibit_ids))

    def edit_exhibit(self, exhibit_id: int, field: str, value: Any) -> HistoryStep:
        """Set one field of an exhibit; typing into a title or description merges
        into one undo step."""
        return self.edit_exhibits([exhibit_id], field, value)

    def edit_exhibits(self, exhibit_ids: Sequence[int], field: str, value: Any) -> HistoryStep:
        """Set one field of several exhibits (of one case), as one undo step."""
        return self.history.record(self.store, undo.edit(self.store, exhibit_ids, field, value))

    def undo(self) -> HistoryStep | None:
        """Take back the last exhibit change; None when there is nothing to undo.
        A change that cannot be taken back any more is dropped and its error raised."""
        return self.history.undo(self.store)

    def redo(self) -> HistoryStep | None:
        return self.history.redo(self.store)

    def can_undo(self) -> bool:
        return bool(self.history.done)

    def can_redo(self) -> bool:
        return bool(self.history.undone)

    def undo_text(self) -> str:
        """ "Undo move of Exh. C" ("" when there is nothing to undo)."""
        return self.history.undo_text()

    def redo_text(self) -> str:
        return self.history.redo_text()

    def clear_history(self) -> None:
        """Forget every undo step (another case opened, exhibits merged, a restore)."""
        self.history.clear()

    # ---- evidence -------------------------------------------------------
    @_writes_evidence
    def add_evidence(
        self,
        case_id: int,
        paths: Sequence[str | os.PathLike[str]],
        *,
        passwords: dict[str, str] | None = None,
        factor_ids: Sequence[str] = (),
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> list[ImportResult]:
        """Add each file (folders expanded) as a new exhibit.  Per-file results:
        imported, warning (imported; read the message), duplicate (already in the
        case: nothing added) or refused (nothing stored; the message names the file
        and the fix; ``needs_password`` asks for a password).  ``passwords`` maps a
        path (as given or expanded) or a file name to its password.  Cancelling
        stops between files; the files already imported stay."""
        return self.intake.add_evidence(
            case_id,
            paths,
            passwords=passwords,
            factor_ids=factor_ids,
            progress=progress,
            cancel=cancel,
        )

    @_writes_evidence
    def add_file_to_exhibit(
        self,
        exhibit_id: int,
        path: str | os.PathLike[str],
        *,
        role: FileRole = FileRole.TRANSLATION,
        password: str | None = None,
    ) -> ImportResult:
        """Attach one more file to an exhibit (e.g. the English translation of a
        foreign document).  Raises ``IntakeError`` (``PasswordRequiredError``...)
        when the file cannot be read; nothing is stored then."""
        return self.intake.add_file_to_exhibit(exhibit_id, path, role=role, password=password)

    @_writes_evidence
    def add_files_to_exhibit(
        self,
        exhibit_id: int,
        paths: Sequence[str | os.PathLike[str]],
        *,
        role: FileRole = FileRole.TRANSLATION,
        passwords: dict[str, str] | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> list[ImportResult]:
        """Attach files (folders expanded) to an existing exhibit, e.g. the English
        translation of a foreign document; per-file results like ``add_evidence``."""
        return self.intake.add_files_to_exhibit(
            exhibit_id, paths, role=role, passwords=passwords, progress=progress, cancel=cancel
        )

    def store_file(
        self,
        path: str | os.PathLike[str],
        *,
        password: str | None = None,
        keep_original_size: bool = False,
    ) -> StoredFile:
        """Normalise ``path`` and write its original and PDF to the blob store; the
        caller registers the blobs in its transaction or ``discard_blobs`` them."""
        return self.intake.store_file(
            path, password=password, keep_original_size=keep_original_size
        )

    def normalise(
        self, path: Path, *, password: str | None = None, keep_original_size: bool = False
    ) -> NormalisedFile:
        """The file as a PDF, touching no database: safe on any thread."""
        return self.intake.normalise(path, password=password, keep_original_size=keep_original_size)

    def discard_blobs(self, shas: Iterable[str]) -> None:
        """Remove blobs written by ``store_file`` that no row names."""
        self.intake.discard_blobs(shas)

    def confirm_file(self, file_id: int) -> ExhibitFile:
        """The user compared a recovered (damaged) file's pages with the original and
        accepts them; the review stops flagging it."""
        return self.store.confirm_file(file_id)

    # ---- manifests ------------------------------------------------------
    @_writes_evidence
    def import_manifest(
        self,
        path: str | os.PathLike[str],
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> int:
        """Create a case from a manifest; all or nothing."""
        return self.import_manifest_files(path, progress=progress, cancel=cancel)[0]

    def import_manifest_files(
        self,
        path: str | os.PathLike[str],
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> tuple[int, list[ImportResult]]:
        """``import_manifest``, and what intake said of each file: one result per
        file ("imported", or "warning" with the intake warnings as its message)."""
        manifest = load_manifest(path)
        files: list[ImportResult] = []
        case_id = self._import(manifest, progress or NullProgress(), cancel or CancelToken(), files)
        return case_id, files

    def _import(
        self, m: Manifest, progress: Progress, cancel: CancelToken, files: list[ImportResult]
    ) -> int:
        all_files = [f for e in m.exhibits for f in e.files] + [f for _, f in m.documents]
        stored: dict[tuple[Path, FileRole], tuple[StoredFile, str, int, int]] = {}
        written: list[str] = []
        try:
            for n, mf in enumerate(all_files):
                cancel.raise_if_cancelled()
                progress.update(n, len(all_files), f"Importing {mf.path.name}")
                sf = self.intake.store_file(mf.path, password=mf.password)
                written.extend(sf.new_blobs)
                check_manifest_pages(m.source, mf, sf.pages)
                status = "warning" if sf.warnings else "imported"
                files.append(
                    ImportResult(str(mf.path), status, " ".join(sf.warnings), pages=sf.pages)
                )
                stored[(mf.path, mf.role)] = (
                    sf,
                    mf.path.name,
                    mf.path.stat().st_size,
                    len(self.store.blobs.read(sf.pdf_sha256)),
                )
            with self.store.transaction():
                case_id = self.store.create_case(m.client, m.proceedings)
                for answer in m.factors:
                    self.store.set_factor_answer(case_id, answer)
                for e in m.exhibits:
                    ex_id = self.store.add_exhibit(
                        case_id,
                        e.title,
                        factor_ids=list(e.factor_ids),
                        description=e.description,
                        doc_date=e.doc_date,
                        doc_date_end=e.doc_date_end,
                        document_type=e.document_type,
                        language=e.language,
                        section=e.section,
                        included=e.included,
                        translator=e.translator,
                        translation_order=e.translation_order,
                    )
                    for mf in e.files:
                        sf, name, osize, psize = stored[(mf.path, mf.role)]
                        self.intake.register(sf, osize, psize)
                        file_id = self.store.add_exhibit_file(
                            ex_id,
                            role=mf.role,
                            original_name=name,
                            original_sha256=sf.original_sha256,
                            pdf_sha256=sf.pdf_sha256,
                            pages=sf.pages,
                            warnings=sf.warnings,
                            recovered=sf.recovered,
                        )
                        write_layout(self.store.db, file_id, mf.pages, sf.pages)
                if m.interview is not None:
                    self._import_interview(case_id, m.interview)
                for role, mf in m.documents:
                    sf, name, osize, psize = stored[(mf.path, mf.role)]
                    self.intake.register(sf, osize, psize)
                    self.store.set_case_document(
                        case_id,
                        role,
                        original_name=name,
                        original_sha256=sf.original_sha256,
                        pdf_sha256=sf.pdf_sha256,
                        pages=sf.pages,
                    )
                self.store.audit(case_id, "case.import", manifest=str(m.source))
        except BaseException:
            self.intake.discard_blobs(written)
            raise
        progress.update(len(all_files), len(all_files), "Done")
        return case_id

    # ---- case documents ---------------------------------------------
    @_writes_evidence
    def set_case_document(
        self,
        case_id: int,
        role: DocumentRole | str,
        path: str | os.PathLike[str],
        *,
        password: str | None = None,
    ) -> CaseDocument:
        """Store a case-level document for the packet: an uploaded request letter,
        the G-28 or EOIR-28, the client's declaration, or a proposed order.
        Replaces the one already in that role."""
        try:
            role = DocumentRole(role)
        except ValueError:
            raise ValidationError(
                "role",
                f"{role!r} is not a kind of case document.",
                hint="Use one of: " + ", ".join(r.value for r in DocumentRole) + ".",
            ) from None
        self.store.get_case(case_id)
        p = Path(path)
        sf = self.intake.store_file(p, password=password)
        try:
            with self.store.transaction():
                self.intake.register(
                    sf, p.stat().st_size, self.store.blobs.path(sf.pdf_sha256).stat().st_size
                )
                self.store.set_case_document(
                    case_id,
                    role,
                    original_name=p.name,
                    original_sha256=sf.original_sha256,
                    pdf_sha256=sf.pdf_sha256,
                    pages=sf.pages,
                )
        except BaseException:
            self.intake.discard_blobs(sf.new_blobs)
            raise
        return next(d for d in self.store.case_documents(case_id) if d.role == role)

    def remove_case_document(self, case_id: int, role: DocumentRole | str) -> bool:
        """Take the case's document in ``role`` out of the packet; True if there was one."""
        return self.store.remove_case_document(case_id, role)

    def case_documents(self, case_id: int) -> list[CaseDocument]:
        return self.store.case_documents(case_id)

    # ---- the request letter and the review ----------------------------
    def letter(self, case_id: int) -> Letter | None:
        """The case's request letter: the attorney's text, the last generated
        draft and the merge conflicts not yet resolved (``None``: no letter)."""
        self.store.get_case(case_id)
        return self.store.get_letter(case_id)

    def draft_letter(self, case_id: int) -> str:
        """The draft as the case would generate it now (nothing is stored)."""
        return letters.generate_draft(self.store, case_id)

    def refresh_letter(self, case_id: int) -> letters.LetterUpdate:
        """Generate the draft from the case: it becomes the letter when there is
        none; otherwise its changes are merged into the attorney's text, whose
        edits are kept (parts changed on both sides are reported as conflicts)."""
        return letters.refresh_letter(self.store, case_id)

    def save_letter(self, case_id: int, text: str, *, resolve_conflicts: bool = False) -> Letter:
        """Store the attorney's text of the letter (``resolve_conflicts``: they
        have compared the conflicting parts and keep their text)."""
        return letters.save_letter_text(
            self.store, case_id, text, resolve_conflicts=resolve_conflicts
        )

    def resolve_letter_conflicts(
        self, case_id: int, sections: Sequence[str] | None = None
    ) -> Letter:
        """Mark the merge conflicts (all, or those of ``sections``) as resolved."""
        return letters.resolve_conflicts(self.store, case_id, sections)

    def export_letter(
        self, case_id: int, out: str | os.PathLike[str], *, today: dt.date | None = None
    ) -> letters.LetterExport:
        """Write the letter alone as a PDF: citations with the exhibits' letters,
        and with packet pages when the last build still matches the case."""
        return letters.export_letter(self.store, case_id, out, today=today)

    def review(
        self, case_id: int, *, edition: str | None = None, today: dt.date | None = None
    ) -> list[Finding]:
        """The readiness review: errors (not ready), warnings and notes, each with
        its fix and the step of the window where it is fixed."""
        self.find_personal_numbers_quietly(case_id, today=today)  # pages added since last time
        return readiness.review_case(self.store, case_id, edition=edition, today=today)

    # ---- packets --------------------------------------------------------
    def build_blockers(self, case_id: int, options: BuildOptions | None = None) -> list[Finding]:
        """The review's errors that make a packet built now with ``options`` a
        draft (and refuse a final one), reviewed as of the packet's date.

        Findings about the packet file itself (``packet.*``: not built, stale, too
        large, pages in landscape) are left out: they judge the last built file,
        or guess at one, and the build about to run replaces it.  The review after
        the build (the Review step, ``pdpacket check``) judges the new file."""
        options = options or BuildOptions()
        # the build's own options too: a certificate of service against the destination
        findings = readiness.review_case(
            self.store, case_id, edition=options.edition, today=options.build_date, options=options
        )
        return [
            f
            for f in findings
            if f.severity == Severity.ERROR and not f.code.startswith(BUILT_FILE_FINDINGS)
        ]

    def _reviewed(self, case_id: int, options: BuildOptions | None) -> BuildOptions:
        """``options`` with the draft reasons filled in from the review; a final
        packet asked for while the review has errors is refused, naming each."""
        options = options or BuildOptions()
        errors = self.build_blockers(case_id, options)
        if errors and options.final:
            raise NotReadyError(tuple((f.code, f.message, f.fix) for f in errors))
        return replace(options, draft_reasons=tuple(f"{f.code}: {f.message}" for f in errors))

    def build_packet(
        self,
        case_id: int,
        out: str | os.PathLike[str],
        options: BuildOptions | None = None,
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        letter: packet.LetterSource | None = None,
    ) -> BuildResult:
        """Build the packet (atomically) and record the build.  ``letter`` renders
        the request letter; without it, an uploaded letter (``set_case_document``)
        or the drafted one (``pdpacket.letter``) is used, if any.  An
        ``options.edition`` other than "standard" builds that edition
        (``build_edition``): ``out`` names its file, or the stem of its parts.

        The readiness review runs first: while it has errors the packet is a
        draft (DRAFT on every page, ``BuildResult.draft_reasons`` says why), and
        ``options.final`` refuses to build it (``NotReadyError``, exit code 2)."""
        options = self._reviewed(case_id, options)
        if options.edition != "standard":
            return self._build_edition(case_id, out, options, progress, cancel, letter)
        folder = Path(out).parent
        with disk_full_guard(f"the packet {Path(out).name}", folder):
            result = packet.build_packet(
                self.store,
                case_id,
                out,
                options,
                letter=letter,
                letter_hook=letters.letter_source_for,
                progress=progress,
                cancel=cancel,
            )
            if options.integrity_sidecar:
                sidecar = integrity.write_sidecar(self.store, case_id, result)
                result = replace(result, sidecar=str(sidecar))
        return result

    def build_edition(
        self,
        case_id: int,
        out: str | os.PathLike[str],
        options: BuildOptions | None = None,
        *,
        edition: str | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        letter: packet.LetterSource | None = None,
    ) -> BuildResult:
        """Build an edition -- "efile" (parts under the court's 25 MB), "email"
        (under the OPLA office's limit, with the e-mail's subject and body), "print"
        (copies sheet, top inch clear, optional duplex) -- into ``out``: a folder
        (files named ``<Client>_<Document>...``) or a ``.pdf`` name (parts get
        ``_Part1``... added).  ``edition`` overrides ``options.edition``.  A draft
        or a refused final packet as for ``build_packet``."""
        options = options or BuildOptions()
        if edition is not None:
            options = replace(options, edition=edition)
        options = self._reviewed(case_id, options)
        return self._build_edition(case_id, out, options, progress, cancel, letter)

    def _build_edition(
        self,
        case_id: int,
        out: str | os.PathLike[str],
        options: BuildOptions,
        progress: Progress | None,
        cancel: CancelToken | None,
        letter: packet.LetterSource | None,
    ) -> BuildResult:
        target = Path(out)
        folder = target.parent if target.suffix.lower() == ".pdf" else target
        with disk_full_guard(f"the {options.edition} edition of the packet", folder):
            result = editions.build_edition(
                self.store,
                case_id,
                out,
                options,
                letter=letter,
                letter_hook=letters.letter_source_for,
                progress=progress,
                cancel=cancel,
            )
            if options.integrity_sidecar:
                sidecar = integrity.write_sidecar(self.store, case_id, result)
                result = replace(result, sidecar=str(sidecar))
        return result

    # ---- archives -------------------------------------------------------
    def export_case(
        self,
        case_id: int,
        out: str | os.PathLike[str],
        *,
        password: str | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> ArchiveInfo:
        """Write the whole case (data, evidence, build records) to one archive file,
        encrypted when ``password`` is given."""
        return archive.export_case(
            self.store, case_id, out, password=password, progress=progress, cancel=cancel
        )

    def import_archive(
        self,
        path: str | os.PathLike[str],
        *,
        password: str | None = None,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        if_exists: str = "keep_both",
    ) -> ArchiveInfo:
        """Create a new case from an archive, after checking every hash; all or
        nothing.  Every PDF the case builds from is cleaned as intake cleans a
        client's file (an archive is a file people pass around: its hashes prove
        it whole, not safe).  Raises ``ArchivePasswordRequiredError`` /
        ``ArchiveWrongPasswordError`` for encrypted archives, ``ArchiveError`` for
        damaged or altered ones and for a file the cleaning refuses.  ``warnings``
        holds each file's warnings (file name, messages): as recorded at its
        intake and what this cleaning said.  The case already here: ``if_exists``
        "refuse" (``ArchiveCaseExistsError``), "keep_both" or "update" (replaces it)."""
        clean = StoredCleaning()
        info = archive.import_archive(
            self.store,
            path,
            password=password,
            progress=progress,
            cancel=cancel,
            clean=clean,
            if_exists=if_exists,
        )
        return replace(info, warnings=clean.per_file(self.store.list_exhibits(info.case_id)))

    # ---- backups --------------------------------------------------------
    def list_backups(self) -> list[BackupInfo]:
        """The kept database backups, newest first."""
        return backup.list_backups(self.data_dir)

    def backup_now(self) -> BackupInfo:
        info = backup.create_backup(self.store.db.conn, self.data_dir, "manual")
        backup.prune(self.data_dir, self.backup_keep())
        return info

    def backup_keep(self) -> int:
        """How many backups are kept (setting ``backups.keep``)."""
        return backup.read_keep(self.store.db.conn)

    def set_backup_keep(self, keep: int) -> None:
        if int(keep) < 1:
            raise ValidationError(
                "backups.keep", "At least one backup must be kept.", hint="Use a number >= 1."
            )
        self.store.set_setting(backup.KEEP_SETTING, int(keep))
        backup.prune(self.data_dir, int(keep))

    def restore_backup(self, name: str) -> BackupInfo:
        """Replace the database with a backup (a name from ``list_backups`` or a path).
        The current state is backed up first; that backup is returned, so the
        restore can itself be undone."""
        path = backup.resolve(self.data_dir, name)
        backup.check_restorable(
            path, [m.name for m in migrations._migrations], self.store.blobs.exists
        )
        conn = self.store.db.conn
        safety = backup.create_backup(conn, self.data_dir, "restore")
        cleaned = cleaning.records(conn)
        backup.restore_into(conn, path)
        migrations.apply(self.store.db)  # an older backup catches up with this version
        with self.store.transaction():
            cleaning.replace_records(conn, cleaned)
        self.store.audit(None, "backup.restore", backup=path.name, saved_as=safety.name)
        backup.prune(self.data_dir, self.backup_keep())
        log.info("restored %s (previous state saved as %s)", path.name, safety.name)
        return safety

    # ---- demo -----------------------------------------------------------
    def ensure_demo_case(self) -> int | None:
        """Create the built-in demo case when the workspace has no case yet."""
        if self.store.list_cases(include_archived=True):
            return None
        return self.create_demo_case()

    def use_demo_attorney(self) -> None:
        """Fill in the demo's fictional attorney; the review then refuses a real
        case filed under that name (``settings.demo_attorney``)."""
        from pdpacket.demo import DEMO_ATTORNEY

        self.store.set_attorney(DEMO_ATTORNEY)
        self.store.set_setting("demo_attorney_name", DEMO_ATTORNEY.name)

    def create_demo_case(self) -> int:
        """The demo case as a finished filing: imported from its manifest, sent
        where the demo says, its letter drafted and written in full, every
        signature electronic.  An empty Settings gets the fictional attorney."""
        from pdpacket import demo

        if not self.store.attorney().name.strip():
            self.use_demo_attorney()
        with tempfile.TemporaryDirectory(prefix="pdpacket-demo-") as tmp:
            case_id = self.import_manifest(demo.write_demo_evidence(Path(tmp)))
        self.set_destination(case_id, demo.DESTINATION)
        draft = self.refresh_letter(case_id).letter.text
        titles = {e.title: e.id for e in self.exhibits(case_id)}
        self.save_letter(case_id, demo.complete_letter(draft, titles))
        self.sign_all_electronically(case_id)
        ids = self.store.get_setting("demo_case_ids") or []
        self.store.set_setting("demo_case_ids", [*ids, case_id])
        return case_id

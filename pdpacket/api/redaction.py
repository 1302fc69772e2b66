"""The façade's redaction methods: find personal numbers on a case's evidence,
decide (undoably) what is removed, and remove it for real."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from pdpacket import undo
from pdpacket.errors import BadInputError, PdpacketError
from pdpacket.intake.pdfclean import CLEANING_VERSION
from pdpacket.intake.pdfglyphs import PdfWords
from pdpacket.intake.personal_numbers import find_numbers
from pdpacket.intake.redact import redact_pdf
from pdpacket.intake.service import EvidenceIntake
from pdpacket.model import ExhibitFile, HistoryStep, packet_exhibits
from pdpacket.model.progress import CancelToken, NullProgress, Progress
from pdpacket.model.redaction import (
    ApplyResult,
    Box,
    FoundNumber,
    PageGeometry,
    Redaction,
    RedactionSettings,
    RedactionState,
)
from pdpacket.model.text import OcrStatus, PageText, Word
from pdpacket.store import cleaning
from pdpacket.store import redactions as rows
from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.api.redaction")

# bump when the finder finds differently: every page is searched again
FINDER_VERSION = "2"  # 2: labels must label the number (no "born in", no "Account holder: name")
# the box drawn and removed around a found number, in points on each side
PAD = 1.0

APPLICABLE = (RedactionState.PROPOSED, RedactionState.ACCEPTED)


class _SetStates(undo.Change):
    def __init__(self, case_id: int, text: str, before: dict[int, RedactionState], to: Any):
        super().__init__(case_id, text, [])
        self.before = before
        self.to = RedactionState(to)

    def apply(self, store: Store) -> None:
        rows.set_state(store, list(self.before), self.to)

    def revert(self, store: Store) -> None:
        with store.transaction():
            for rid, state in self.before.items():
                rows.set_state(store, [rid], state)


class _AddBox(undo.Change):
    def __init__(self, case_id: int, file_id: int, page: int, box: Box, text: str) -> None:
        super().__init__(case_id, text, [])
        self.file_id = file_id
        self.page = page
        self.box = box
        self.row_id: int | None = None

    def apply(self, store: Store) -> None:
        self.row_id = rows.add_by_hand(
            store, self.case_id, self.file_id, self.page, self.box, row_id=self.row_id
        )

    def revert(self, store: Store) -> None:
        if self.row_id is not None:
            rows.delete(store, self.row_id)


class _MoveBox(undo.Change):
    def __init__(self, case_id: int, row_id: int, before: Box, after: Box, text: str) -> None:
        super().__init__(case_id, text, [])
        self.row_id = row_id
        self.before = before
        self.after = after

    def apply(self, store: Store) -> None:
        rows.set_box(store, self.row_id, self.after)

    def revert(self, store: Store) -> None:
        rows.set_box(store, self.row_id, self.before)


class RedactionMixin:
    """Mixed into ``Workspace``."""

    store: Store
    intake: EvidenceIntake
    history: undo.History

    # ---- settings -----------------------------------------------------------------
    def redaction_settings(self) -> RedactionSettings:
        """Which kinds of number the firm has proposed for redaction (the others are
        only listed) and whether the black box says "Redacted"."""
        return rows.settings(self.store)

    def set_redaction_settings(self, value: RedactionSettings) -> None:
        rows.set_settings(self.store, value)

    # ---- finding ------------------------------------------------------------------
    def _words_of(self, file: ExhibitFile, page: int, pdf: PdfWords) -> tuple[list[Word], bool]:
        """The page's words (OCR words where the workspace reads them) and whether
        they are final (an OCR still running is not)."""
        page_text = getattr(self, "page_text", None)  # OCR, where this build has it
        if page_text is not None:
            text: PageText = page_text(file.id, page)
            if text.status != OcrStatus.NOT_NEEDED:  # an image page: its OCR words
                # pending, failed or without Tesseract: searched again later
                return list(text.words), text.status == OcrStatus.DONE
        # a page with text of its own: its glyphs' exact boxes, so a redaction
        # takes out the number's characters and nothing next to them
        try:
            return pdf.words(page), True
        except Exception as exc:  # pypdf raises many kinds on a damaged page; searched again later
            log.warning("page %d of file %d not searched: %s", page + 1, file.id, exc)
            return [], False

    def find_personal_numbers(
        self,
        case_id: int,
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
        today: dt.date | None = None,
    ) -> int:
        """Search every page of the case's evidence not searched yet; returns how
        many new numbers were found.  Kinds the firm proposes come in as proposed,
        the others as listed."""
        progress = progress or NullProgress()
        cancel = cancel or CancelToken()
        case = self.store.get_case(case_id)
        proposed = self.redaction_settings().proposed
        files = [f for ex in self.store.list_exhibits(case_id) for f in ex.files]
        total = sum(f.pages for f in files)
        done = new = 0
        for file in files:
            seen = rows.scanned_pages(self.store, file.id, file.pdf_sha256, FINDER_VERSION)
            todo = [p for p in range(file.pages) if p not in seen]
            if not todo:
                done += file.pages
                continue
            try:
                pdf = PdfWords(self.store.blobs.read(file.pdf_sha256))
            except (PdpacketError, PdfReadError, ValueError, OSError) as exc:
                # a missing or unreadable file: the review says so on its own
                log.warning("file %d not searched: %s", file.id, exc)
                done += file.pages
                continue
            final: dict[int, list[FoundNumber]] = {}
            pending: dict[int, list[FoundNumber]] = {}
            for page in range(file.pages):
                cancel.raise_if_cancelled()
                done += 1
                if page not in todo:
                    continue
                progress.update(
                    done, total, f"Looking for personal numbers: page {done} of {total}"
                )
                words, is_final = self._words_of(file, page, pdf)
                found = find_numbers(
                    words,
                    client_a_number=case.client.a_number,
                    client_dob=case.client.dob,
                    today=today,
                )
                if is_final:
                    final[page] = found
                elif found:  # what the OCR read so far; the page is searched again
                    pending[page] = found
            for sha, pages in ((file.pdf_sha256, final), ("", pending)):
                if pages:
                    new += rows.record_found(
                        self.store, case_id, file.id, sha, FINDER_VERSION, pages, proposed
                    )
        progress.update(total, total, "")
        return new

    def find_personal_numbers_quietly(self, case_id: int, *, today: dt.date | None = None) -> None:
        """``find_personal_numbers`` for the review: a busy database or an
        unreadable file leaves the search for next time instead of failing the
        review (which reports such files on its own)."""
        try:
            self.find_personal_numbers(case_id, today=today)
        except PdpacketError as exc:
            log.warning("personal numbers of case %d not searched now: %s", case_id, exc)

    def redactions(self, case_id: int) -> list[Redaction]:
        """Every box of the case, found or drawn, in exhibit and page order."""
        return rows.list_case(self.store, case_id)

    def file_redactions(self, file_id: int, page: int | None = None) -> list[Redaction]:
        return rows.list_file(self.store, file_id, page)

    def redacted_boxes(self, file_id: int, page: int) -> list[Box]:
        """The boxes already removed from a stored page: a text layer laid over
        the page must leave out every word inside them."""
        return rows.applied_boxes(self.store, file_id, page)

    def page_geometry(self, file_id: int, page: int) -> PageGeometry:
        """The crop box and rotation of a stored page (to draw boxes on it upright)."""
        file = self._file(file_id)
        try:
            p = PdfReader(io.BytesIO(self.store.blobs.read(file.pdf_sha256))).pages[page]
            box = p.cropbox
            return PageGeometry(
                float(box.left),
                float(box.bottom),
                float(box.right),
                float(box.top),
                int(p.rotation) % 360,
            )
        except (PdfReadError, ValueError, IndexError, KeyError) as exc:
            log.warning("page %d of file %d: geometry not read (%s)", page + 1, file_id, exc)
            return PageGeometry()

    def _file(self, file_id: int) -> ExhibitFile:
        _case, exhibit_id, _pages = self._file_place(file_id)
        for f in self.store.get_exhibit(exhibit_id).files:
            if f.id == file_id:
                return f
        raise BadInputError(f"There is no evidence file {file_id}.")

    def unredacted_pdf(self, file_id: int) -> bytes | None:
        """The stored PDF a file had before its redaction (None: never redacted)."""
        sha = rows.unredacted_sha(self.store, file_id)
        return self.store.blobs.read(sha) if sha else None

    # ---- deciding (undoable) ------------------------------------------------------
    def _redaction_place(self, r: Redaction) -> str:
        exhibits = self.store.list_exhibits(r.case_id)
        letter = next((lt for lt, e in packet_exhibits(exhibits) if e.id == r.exhibit_id), "")
        where = f"Exh. {letter}" if letter else "an exhibit"
        return f"{where}, p. {r.exhibit_page + 1}" if r.exhibit_page >= 0 else where

    def set_redaction_state(self, ids: Sequence[int], state: RedactionState | str) -> HistoryStep:
        """Accept, reject (or propose again) redactions; one undo step."""
        state = RedactionState(state)
        if state not in (
            RedactionState.PROPOSED,
            RedactionState.ACCEPTED,
            RedactionState.REJECTED,
        ):
            raise BadInputError(f"A redaction cannot be set to {state!s} by hand.")
        found = [rows.get(self.store, i) for i in ids]
        if not found:
            raise BadInputError("No redaction is selected.")
        verb = {"accepted": "acceptance", "rejected": "rejection", "proposed": "reset"}[state]
        what = self._redaction_place(found[0]) if len(found) == 1 else f"{len(found)} redactions"
        change = _SetStates(
            found[0].case_id,
            f"{verb} of the redaction on {what}" if len(found) == 1 else f"{verb} of {what}",
            {r.id: r.state for r in found if r.state != RedactionState.APPLIED},
            state,
        )
        return self.history.record(self.store, change)

    def add_redaction(self, file_id: int, page: int, box: Box) -> HistoryStep:
        """A box drawn by hand (accepted at once); undo takes it away."""
        case_id, _exhibit, pages = self._file_place(file_id)
        if not 0 <= page < pages:
            raise BadInputError(
                f"The file has {pages} pages; there is no page {page + 1}.",
                hint="Give a page of the exhibit.",
            )
        b = box.normalised()
        if b.width < 1 or b.height < 1:
            raise BadInputError("The box is empty.", hint="Draw a box around what to remove.")
        change = _AddBox(case_id, file_id, page, b, "redaction drawn by hand")
        return self.history.record(self.store, change)

    def move_redaction(self, redaction_id: int, box: Box) -> HistoryStep:
        r = rows.get(self.store, redaction_id)
        if r.state == RedactionState.APPLIED:
            raise BadInputError("This redaction is already applied: what it removed is gone.")
        change = _MoveBox(
            r.case_id,
            r.id,
            r.box,
            box.normalised(),
            f"move of a redaction on {self._redaction_place(r)}",
        )
        return self.history.record(self.store, change)

    def _file_place(self, file_id: int) -> tuple[int, int, int]:
        got = self.store._q(
            "SELECT e.case_id, f.exhibit_id, f.pages FROM exhibit_files f "
            "JOIN exhibits e ON e.id = f.exhibit_id WHERE f.id = ?",
            (file_id,),
        )
        if not got:
            raise BadInputError(f"There is no evidence file {file_id}.")
        return int(got[0]["case_id"]), int(got[0]["exhibit_id"]), int(got[0]["pages"])

    # ---- applying -------------------------------------------------------------------
    def apply_redactions(
        self,
        case_id: int,
        *,
        progress: Progress | None = None,
        cancel: CancelToken | None = None,
    ) -> ApplyResult:
        """Remove what lies under every proposed or accepted box from the stored
        pages (text and image pixels), one file at a time; each file gets a new
        stored PDF, the one it had stays in the store.  Not undoable, and it
        clears the undo history."""
        progress = progress or NullProgress()
        cancel = cancel or CancelToken()
        todo: dict[int, list[Redaction]] = {}
        for r in rows.list_case(self.store, case_id):
            if r.state in APPLICABLE:
                todo.setdefault(r.file_id, []).append(r)
        label = self.redaction_settings().label
        files = {f.id: f for ex in self.store.list_exhibits(case_id) for f in ex.files}
        boxes = glyphs = pixels = changed = 0
        with self.intake.writing():
            for n, (file_id, reds) in enumerate(sorted(todo.items())):
                cancel.raise_if_cancelled()
                file = files[file_id]
                progress.update(n, len(todo), f"Redacting {file.original_name}")
                by_page: dict[int, list[Box]] = {}
                for r in reds:
                    by_page.setdefault(r.page, []).append(r.box.padded(PAD))
                before = file.pdf_sha256
                pdf, stats = redact_pdf(
                    self.store.blobs.read(before), by_page, name=file.original_name, label=label
                )
                after = self.store.blobs.put_bytes(pdf)
                version = cleaning.records(self.store.db.conn).get(before, CLEANING_VERSION)
                with self.store.transaction():
                    self.store.register_blob(after, len(pdf), "pdf", file.pages)
                    cleaning.record(self.store.db.conn, after, version)
                    rows.record_applied(
                        self.store,
                        case_id,
                        file_id,
                        before,
                        after,
                        [r.id for r in reds],
                        {"glyphs": stats.glyphs, "pixels": stats.pixels},
                    )
                boxes += len(reds)
                glyphs += stats.glyphs
                pixels += stats.pixels
                changed += 1
        progress.update(len(todo), len(todo), "")
        if changed:
            # an older undo step could write a file's row back as it was, naming
            # the PDF from before the redaction: none survives the apply
            self.history.clear()
        log.info("case %d: %d redactions applied in %d files", case_id, boxes, changed)
        return ApplyResult(files=changed, boxes=boxes, glyphs=glyphs, pixels=pixels)

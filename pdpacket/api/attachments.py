"""The façade's part for attached files (#14): a PDF's embedded files and
file-attachment annotations, listed with their exhibit and added, on request,
as exhibits of their own through the normal intake (cleaned like any
evidence).

The attachments are read again from the stored original each time (the
original is kept, and travels in case archives), so nothing new is stored
until the user adds one; adding the same file twice is reported as a
duplicate, as for any file.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from pdpacket.errors import NotFoundError
from pdpacket.intake.attachments import Found, find_attachments
from pdpacket.intake.pdfopen import open_pdf, pypdf_warnings
from pdpacket.intake.service import EvidenceIntake
from pdpacket.model import Exhibit, ImportResult
from pdpacket.model.attachments import AttachmentInfo
from pdpacket.store.blobs import sha256_bytes
from pdpacket.store.database import Store

log = logging.getLogger("pdpacket.attachments")


class AttachmentsMixin:
    """``Workspace.list_attachments`` and ``Workspace.add_attachments``."""

    store: Store
    intake: EvidenceIntake

    def list_attachments(
        self, exhibit_id: int, *, file_id: int = 0, password: str | None = None
    ) -> list[AttachmentInfo]:
        """The files the exhibit's PDFs carry (or only file ``file_id``'s), numbered
        from 1, each with the exhibit it is already in (0: not added yet).  Raises
        ``PasswordRequiredError`` for a PDF that needs its password to be read."""
        return [info for info, _data in self._attachments(exhibit_id, file_id, password)]

    def add_attachments(
        self,
        exhibit_id: int,
        numbers: Sequence[int] = (),
        *,
        file_id: int = 0,
        password: str | None = None,
    ) -> list[ImportResult]:
        """Add attachments (``numbers`` as ``list_attachments`` numbers them; none
        given: all of them) as new exhibits of the exhibit's case, each through the
        normal intake; per-file results as ``add_evidence`` gives them, the path
        saying which PDF carried the file.  Raises ``NotFoundError`` for a number
        the exhibit does not have."""
        found = self._attachments(exhibit_id, file_id, password)
        wanted = list(numbers) or [info.number for info, _ in found]
        by_number = {info.number: (info, data) for info, data in found}
        missing = [n for n in wanted if n not in by_number]
        if missing:
            have = f"1 to {len(found)}" if found else "none"
            raise NotFoundError(
                f"Exhibit {exhibit_id} has no attached file number {missing[0]} "
                f"(its numbers: {have}).",
                hint="List them with `pdpacket attachments EXHIBIT`.",
            )
        case_id = self.store.get_exhibit(exhibit_id).case_id
        results: list[ImportResult] = []
        with tempfile.TemporaryDirectory(prefix="pdpacket-attachments-") as tmp:
            paths: list[Path] = []
            labels: dict[str, str] = {}
            for n in wanted:
                info, data = by_number[n]
                folder = Path(tmp) / str(n)  # two attachments may share a name
                folder.mkdir()
                path = folder / info.name
                path.write_bytes(data)
                paths.append(path)
                labels[str(path)] = f"{info.name} (attached to {info.carrier})"
            with self.intake.writing():
                done = self.intake.add_evidence(case_id, paths)
            for r in done:
                results.append(replace(r, path=labels.get(r.path, r.path)))
                if r.status in ("imported", "warning"):
                    self.store.audit(
                        case_id,
                        "exhibit.add_attachment",
                        exhibit=r.exhibit_id,
                        carrier_exhibit=exhibit_id,
                        file=labels.get(r.path, r.path),
                    )
        return results

    def _attachments(
        self, exhibit_id: int, file_id: int, password: str | None
    ) -> list[tuple[AttachmentInfo, bytes]]:
        ex = self.store.get_exhibit(exhibit_id)
        files = [f for f in ex.files if not file_id or f.id == file_id]
        if file_id and not files:
            raise NotFoundError(
                f"Exhibit {exhibit_id} has no file {file_id}.",
                hint="List the exhibit's files in the Evidence step.",
            )
        in_case = _originals(self.store.list_exhibits(ex.case_id))
        out: list[tuple[AttachmentInfo, bytes]] = []
        for f in files:
            original = self.store.blobs.read(f.original_sha256)
            if b"%PDF-" not in original[:1024]:
                continue  # a photo or a scan carries no attached files
            for item in _read(f.original_name, original, password):
                data = item.data or b""
                sha = sha256_bytes(data)
                info = AttachmentInfo(
                    number=len(out) + 1,
                    exhibit_id=exhibit_id,
                    file_id=f.id,
                    carrier=f.original_name,
                    name=item.name,
                    where=item.where,
                    size=len(data),
                    sha256=sha,
                    in_case_exhibit_id=in_case.get(sha, 0),
                )
                out.append((info, data))
        return out


def _read(name: str, data: bytes, password: str | None) -> list[Found]:
    with pypdf_warnings():
        reader, _damage = open_pdf(name, data, password)
        return find_attachments(reader, with_data=True)


def _originals(exhibits: Sequence[Exhibit]) -> dict[str, int]:
    """Original file SHA-256 -> the exhibit that holds it."""
    return {f.original_sha256: ex.id for ex in exhibits for f in ex.files}


__all__ = ["AttachmentsMixin"]

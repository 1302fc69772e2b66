"""A file carried inside an evidence PDF (an attachment), as the façade lists it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AttachmentInfo:
    """One attached file of one exhibit's PDF, numbered for the user."""

    number: int  # 1-based, in the order the exhibit lists them (what `--add N` names)
    exhibit_id: int
    file_id: int  # the exhibit file (the PDF) that carries it
    carrier: str  # that PDF's original file name
    name: str  # the attachment's file name (made safe)
    where: str  # "attached to the document" or "note on page N"
    size: int  # bytes
    sha256: str
    in_case_exhibit_id: int = 0  # already in the case as this exhibit (0: not added)


__all__ = ["AttachmentInfo"]

"""The façade: the small public API the window and the CLI both call.

    ws = Workspace.open()                # or Workspace.open(tmp_path)
    case_id = ws.import_manifest("case.json")
    ws.build_packet(case_id, "packet.pdf")

Everything the window does can be scripted and tested without Qt.  The window
imports from the core only this package, ``pdpacket.model`` and
``pdpacket.errors`` (an import-linter contract), so what it needs of the
features is named here.
"""

from pdpacket._version import __version__
from pdpacket.api.catalogue import Catalogue
from pdpacket.api.documents import LetterImport, TemplateInfo, UnmatchedCite, WrittenDocument
from pdpacket.api.pages import PageInfo
from pdpacket.api.workspace import Workspace
from pdpacket.errors import CancelledError, PdpacketError
from pdpacket.intake.service import expand_paths, title_from_filename
from pdpacket.letter import LetterExport, LetterUpdate, factor_heading, page_range
from pdpacket.model.attachments import AttachmentInfo
from pdpacket.model.case_list import case_matches, sort_cases
from pdpacket.store.archive import (
    ArchiveCaseExistsError,
    ArchivePasswordRequiredError,
    ArchiveWrongPasswordError,
)

catalogue = Workspace.catalogue  # for the window's code that has no workspace at hand

__all__ = [
    "ArchiveCaseExistsError",
    "ArchivePasswordRequiredError",
    "ArchiveWrongPasswordError",
    "AttachmentInfo",
    "CancelledError",
    "Catalogue",
    "LetterExport",
    "LetterImport",
    "LetterUpdate",
    "PageInfo",
    "PdpacketError",
    "TemplateInfo",
    "UnmatchedCite",
    "Workspace",
    "WrittenDocument",
    "__version__",
    "case_matches",
    "catalogue",
    "expand_paths",
    "factor_heading",
    "page_range",
    "sort_cases",
    "title_from_filename",
]

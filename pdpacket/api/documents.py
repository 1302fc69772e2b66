"""The façade's part for Word and the generated documents: the letter as a
.docx, an attorney's own letter (.docx, .pdf or text) made the case's letter,
every generated document written alone (.docx or .pdf), and the firm's
templates."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pdpacket import letter as letters
from pdpacket.errors import BadInputError
from pdpacket.intake.service import EvidenceIntake
from pdpacket.letter import textcites
from pdpacket.model import BuildOptions, CaseDocument, DocumentRole
from pdpacket.model.interview import Interview
from pdpacket.model.markup import citations
from pdpacket.packet import documents
from pdpacket.policy import destinations, templates
from pdpacket.store.atomic import write_atomic
from pdpacket.store.database import Store

WORD = ".docx"
TEXT_SUFFIXES = frozenset({".txt", ".md", ".markdown", ""})


@dataclass(frozen=True)
class UnmatchedCite:
    """A citation written as text that matches no exhibit of the case."""

    text: str  # as written: "Exh. Z at 5"
    problem: str  # "the packet has no Exhibit Z"


@dataclass(frozen=True)
class LetterImport:
    """What bringing an attorney's own letter in did."""

    path: str
    kind: str  # "docx" | "pdf" | "text"
    citations: int  # citations the letter now has as tokens (docx, text) or cites (pdf)
    unmatched: tuple[UnmatchedCite, ...] = ()
    replaced_upload: bool = False  # a letter uploaded as a PDF was taken out for it
    readable: bool = True  # False: a PDF with no text to read citations from (a scan)


@dataclass(frozen=True)
class WrittenDocument:
    path: str
    kind: str  # "letter" | "cover" | "motion" | "order" | "service" | "declaration"
    label: str
    size: int
    pages: int = 0  # for a PDF


@dataclass(frozen=True)
class TemplateInfo:
    name: str  # "motion-dismissal.md"
    title: str
    source: str
    verified_on: str
    firm: bool  # the firm's own copy in the data folder is used
    path: str


class DocumentsMixin:
    """Word export and import of the letter, and the generated documents."""

    store: Store
    intake: EvidenceIntake

    # set by Workspace
    def set_case_document(
        self,
        case_id: int,
        role: DocumentRole | str,
        path: str | os.PathLike[str],
        *,
        password: str | None = None,
    ) -> CaseDocument:
        raise NotImplementedError

    def case_interview(self, case_id: int) -> Interview | None:
        """The case's interview (for the declaration's certificate of
        interpretation: whether the client reads English), when the workspace
        keeps interviews (``Workspace.interview``); ``None`` otherwise."""
        get = getattr(self, "interview", None)
        found = get(case_id) if callable(get) else None
        return found if isinstance(found, Interview) else None

    # ---- the letter --------------------------------------------------------------------
    def export_letter_word(
        self, case_id: int, out: str | os.PathLike[str], *, today: dt.date | None = None
    ) -> letters.LetterExport:
        """Write the letter as a Word file (.docx), citations resolved as in the
        packet (with packet pages when the last build still matches the case)."""
        from pdpacket.letter import word  # python-docx loads only when Word is used

        return word.export_letter_docx(self.store, case_id, out, today=today)

    def import_letter(self, case_id: int, path: str | os.PathLike[str]) -> LetterImport:
        """Make an attorney's own letter the case's letter.

        - .docx: read as the letter's markup (headings, paragraphs, lists, bold,
          italics); each citation written as text that matches an exhibit of
          the case becomes a citation; a letter uploaded as PDF is taken out.
        - .pdf: kept as it is, as the uploaded letter the packet carries (its
          layout and signature are the attorney's); its citations are read from
          its text and checked against the exhibits (the review lists them).
        - text (.txt, .md): stored as the letter's markup, cites matched too.
        The drafted letter's text is never lost: a PDF upload leaves it stored."""
        from pdpacket.letter import word

        p = Path(path)
        self.store.get_case(case_id)
        suffix = p.suffix.lower()
        refs = textcites.exhibit_refs(self.store, case_id)
        if suffix == ".pdf":
            self._keep_previous(case_id, p.name)
            self.set_case_document(case_id, DocumentRole.LETTER, p)
            text = textcites.uploaded_letter_text(self.store, case_id) or ""
            found = textcites.find_text_cites(text)
            bad = textcites.unmatched(text, refs)
            return LetterImport(
                str(p), "pdf", len(found), _unmatched(bad), readable=bool(text.strip())
            )
        if suffix == WORD:
            result = word.import_docx(p, refs, case_id=case_id)
            kind = "docx"
        elif suffix in TEXT_SUFFIXES:
            try:
                raw = p.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise BadInputError(
                    f"{p}: cannot read the letter text ({exc}).",
                    hint="Give a .docx, a .pdf, or a UTF-8 text file.",
                ) from exc
            result = word.imported(raw, refs)
            kind = "text"
        else:
            raise BadInputError(
                f"{p}: pdpacket reads a letter from a .docx, a .pdf or a text file, not "
                f"{suffix or 'a file without a suffix'}.",
                hint="Save the letter as a Word document (.docx) or as a PDF and try again.",
            )
        self._keep_previous(case_id, p.name)
        letters.save_letter_text(self.store, case_id, result.text)
        replaced = self.store.remove_case_document(case_id, DocumentRole.LETTER)
        self.store.audit(case_id, "letter.import", path=str(p), format=kind)
        return LetterImport(
            str(p), kind, len(citations(result.text)), _unmatched(result.unmatched), replaced
        )

    def _keep_previous(self, case_id: int, source: str) -> None:
        """The letter as it was before ``source`` replaced it (its text, and a
        letter uploaded as PDF), for ``restore_previous_letter``."""
        letter = self.store.get_letter(case_id)
        upload = next(
            (d for d in self.store.case_documents(case_id) if d.role == DocumentRole.LETTER), None
        )
        if (letter is None or not letter.text.strip()) and upload is None:
            return
        self.store.set_setting(
            _previous_key(case_id),
            {
                "source": source,
                "text": letter.text if letter is not None else None,
                "upload": asdict(upload) if upload is not None else None,
            },
        )

    def previous_letter(self, case_id: int) -> str | None:
        """The name of the file whose import replaced the letter that
        ``restore_previous_letter`` would bring back (``None``: nothing to restore)."""
        saved = self.store.get_setting(_previous_key(case_id))
        return str(saved.get("source", "")) if isinstance(saved, dict) else None

    def restore_previous_letter(self, case_id: int) -> bool:
        """Put back the letter an import replaced (its text and its uploaded PDF);
        False when there is none."""
        saved = self.store.get_setting(_previous_key(case_id))
        if not isinstance(saved, dict):
            return False
        text = saved.get("text")
        if isinstance(text, str):
            letters.save_letter_text(self.store, case_id, text)
        upload = saved.get("upload")
        # its file may have been swept since (the data folder was opened again)
        if isinstance(upload, dict) and self.store.blobs.path(str(upload["pdf_sha256"])).exists():
            self.store.set_case_document(
                case_id,
                DocumentRole.LETTER,
                original_name=str(upload["original_name"]),
                original_sha256=str(upload["original_sha256"]),
                pdf_sha256=str(upload["pdf_sha256"]),
                pages=int(upload["pages"]),
            )
        self.store.set_setting(_previous_key(case_id), None)
        self.store.audit(case_id, "letter.restore_previous")
        return True

    # ---- the generated documents ----------------------------------------------------------
    def export_documents(
        self,
        case_id: int,
        out_dir: str | os.PathLike[str],
        *,
        fmt: str = "docx",
        today: dt.date | None = None,
        options: BuildOptions | None = None,
    ) -> list[WrittenDocument]:
        """Write every document pdpacket generates for the case, each alone, in
        ``out_dir`` as .docx or .pdf: the letter (when the packet carries the
        drafted one), the cover sheet, the motion and its proposed order, the
        certificate of service (as the destination says), the client's
        declaration (with its certificate of interpretation when the client
        does not read English)."""
        if fmt not in ("docx", "pdf"):
            raise BadInputError(
                f"{fmt!r} is not a format pdpacket writes documents in.",
                hint="Choose docx (to edit in Word) or pdf.",
            )
        from pdpacket.letter import word

        day = today or dt.date.today()
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        written: list[WrittenDocument] = []
        author = self.store.attorney().name
        case = self.store.get_case(case_id)
        letter = self.store.get_letter(case_id)
        dest = destinations.for_proceedings(case.proceedings)
        if letter is not None and letter.text.strip() and not dest.motion:
            out = folder / f"letter.{fmt}"
            if fmt == "docx":
                res = word.export_letter_docx(self.store, case_id, out, today=day)
            else:
                res = letters.export_letter(self.store, case_id, out, today=day)
            written.append(
                WrittenDocument(res.path, "letter", "Request letter", res.size, res.pages)
            )
        for doc in documents.generated_documents(
            self.store, case_id, today=day, options=options, interview=self.case_interview(case_id)
        ):
            out = folder / f"{doc.name}.{fmt}"
            data = doc.pdf if fmt == "pdf" else word.document_docx(doc.text, author=author)
            write_atomic(out, data)
            pages = doc.pages if fmt == "pdf" else 0
            written.append(WrittenDocument(str(out), doc.kind, doc.label, len(data), pages))
        self.store.audit(case_id, "documents.export", folder=str(folder), format=fmt)
        return written

    # ---- the firm's templates -------------------------------------------------------------
    def templates(self) -> list[TemplateInfo]:
        """Every document template, and whether the firm's own copy is used."""
        out = []
        for name in templates.template_names():
            stem = name.removesuffix(".md")
            base, _, variant = stem.partition("-")
            t = templates.load_template(base, self.store.data_dir, variants=(variant,))
            out.append(TemplateInfo(name, t.title, t.source, t.verified_on, t.firm, t.path))
        return out


def _previous_key(case_id: int) -> str:
    return f"letter.before_import.{case_id}"


def _unmatched(matches: Sequence[textcites.Match]) -> tuple[UnmatchedCite, ...]:
    return tuple(UnmatchedCite(m.cite.text, m.problem) for m in matches)

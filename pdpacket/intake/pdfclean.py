"""PDFs a client brings, made safe and uniform for a packet.

- Encryption (RC4, AES-128, AES-256): owner-password-only files open without
  asking; a user password is asked for (``PasswordRequiredError``) and a wrong
  one says so (``WrongPasswordError``).  The output is never encrypted.
- Damage: a file pypdf cannot read strictly is read leniently; if that fails too,
  the objects are scanned and a new page tree and trailer are written around
  them.  Pages whose content was lost are dropped and counted; the warning asks
  the user to compare with the original.  Nothing readable: refused.
- Forms and annotations are flattened: each visible widget's appearance (one is
  generated from the field value when the file only has values, i.e.
  NeedAppearances) is painted into the page, so viewers that ignore form
  appearances (QtPdf is one) and printers still show the values.  Markup a
  client or a paralegal added (highlight, ink, notes, shapes, stamps, free text)
  is painted too, with an appearance drawn when it has none; links become
  nothing (their text is page content); any other kind not kept is named.
- JavaScript, OpenAction, Launch/URI actions, page and field /AA, embedded files
  and XMP/Info metadata are left behind: only page content is carried over.
  Attached files are named in the warning (``intake.attachments``): the user
  can add each as an exhibit of its own.
- /Rotate and /UserUnit are baked into the content, so every page has /Rotate 0
  and shows what the viewer showed; pages that are not 8.5x11 are fitted onto a
  letter page without cropping (``keep_original_size`` keeps their own size).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader, PdfWriter

from pdpacket.errors import IntakeError
from pdpacket.intake.attachments import describe, find_attachments
from pdpacket.intake.pdffonts import embed_missing_fonts
from pdpacket.intake.pdfopen import acroform_of, damaged_error, open_pdf, pypdf_warnings
from pdpacket.intake.pdfpages import content_bytes, copy_page, shared_contents
from pdpacket.intake.pdfscrub import (
    drop_hidden_content,
    drop_hidden_in_forms,
    drop_unreachable,
    hidden_layers,
    scrub,
)
from pdpacket.model import Exhibit, NormalisedFile

log = logging.getLogger("pdpacket.pdfclean")

# Recorded with every PDF intake stores (``store.cleaning``); raise it when the
# cleaning changes what it leaves behind, so stored files can be told apart.
CLEANING_VERSION = "1"


# ---------------------------------------------------------------- entry point
def normalise_pdf(
    name: str, data: bytes, *, password: str | None = None, keep_original_size: bool = False
) -> NormalisedFile:
    with pypdf_warnings():
        return _normalise(name, data, password, keep_original_size)


def clean_stored_pdf(name: str, data: bytes) -> tuple[bytes, int, str]:
    """A PDF that reached the store by another door (a case archive) cleaned
    exactly as intake cleans a client's PDF: (PDF, pages, cleaning version).
    Its pages keep their size: intake already sized them when it was added."""
    norm = normalise_pdf(name, data, keep_original_size=True)
    return norm.pdf, norm.pages, CLEANING_VERSION


class StoredCleaning:
    """``clean_stored_pdf`` that keeps what the cleaning said of each file
    (``warnings``: (file name, message) in order), so the door that brought the
    files (``pdpacket import-archive``) can print every warning, as ``add`` does."""

    def __init__(self) -> None:
        self.warnings: list[tuple[str, str]] = []

    def __call__(self, name: str, data: bytes) -> tuple[bytes, int, str]:
        norm = normalise_pdf(name, data, keep_original_size=True)
        self.warnings.extend((name, w) for w in norm.warnings)
        return norm.pdf, norm.pages, CLEANING_VERSION

    def per_file(self, exhibits: Sequence[Exhibit]) -> tuple[tuple[str, str], ...]:
        """Each file of ``exhibits`` with its warnings, in exhibit order: those its
        intake recorded (the archive carries them) and then what this cleaning
        said that they do not already say; (file name, messages joined)."""
        said: dict[str, list[str]] = {}
        for name, message in self.warnings:
            said.setdefault(name, []).append(message)
        out: list[tuple[str, str]] = []
        for ex in exhibits:
            for f in ex.files:
                notes = list(f.warnings)
                notes += [m for m in said.pop(f.original_name, []) if m not in notes]
                if notes:
                    out.append((f.original_name, " ".join(notes)))
        out.extend((name, " ".join(notes)) for name, notes in said.items())
        return tuple(out)


@dataclass
class _Copied:
    """What copying the pages into the writer found."""

    lost: list[int] = field(default_factory=list)  # 1-based numbers of unreadable pages
    resized: int = 0
    dropped_layers: int = 0
    lost_annots: set[str] = field(default_factory=set)  # kinds of annotation not kept


def _copy_pages(
    name: str,
    reader: PdfReader,
    writer: PdfWriter,
    recovered: bool,
    keep_original_size: bool,
) -> _Copied:
    """Each readable page into ``writer``, hidden layers cut and forms flattened;
    a damaged file loses the pages that cannot be read instead of failing."""
    acroform = acroform_of(reader)
    need_appearances = bool(acroform is not None and acroform.get("/NeedAppearances", False))
    default_da = str(acroform.get("/DA", "")) if acroform is not None else ""
    hidden = hidden_layers(reader)
    shared = shared_contents(reader)
    forms_seen: set[int] = set()  # form XObjects already cleaned of hidden layers
    done = _Copied()
    for index in range(len(reader.pages)):
        try:
            page = reader.pages[index]
            content = content_bytes(page)
        except Exception as exc:
            log.info("%s: page %d unreadable: %s", name, index + 1, exc)
            done.lost.append(index + 1)
            continue
        if recovered and not content.strip():
            done.lost.append(index + 1)
            continue
        content_changed = False
        if hidden:
            try:
                content, cut = drop_hidden_content(page, content, hidden)
            except Exception as exc:  # an odd content stream keeps its layers
                log.info("%s: page %d: hidden layers not removed: %s", name, index + 1, exc)
                cut = 0
            content_changed = cut > 0
            done.dropped_layers += cut + drop_hidden_in_forms(page, hidden, forms_seen)
        try:
            done.resized += copy_page(
                writer,
                page,
                content,
                index,
                need_appearances,
                default_da,
                keep_original_size,
                content_changed=content_changed,
                hidden=hidden,
                shared=shared,
                lost_annots=done.lost_annots,
            )
        except Exception as exc:
            if not recovered:
                raise damaged_error(name, exc) from exc
            log.info("%s: page %d could not be copied: %s", name, index + 1, exc)
            done.lost.append(index + 1)
    return done


def _normalise(
    name: str, data: bytes, password: str | None, keep_original_size: bool
) -> NormalisedFile:
    reader, damage = open_pdf(name, data, password)
    try:
        total = len(reader.pages)
    except Exception as exc:
        raise damaged_error(name, exc) from exc
    if total == 0:
        raise IntakeError(name, "the PDF has no pages.", hint="Ask for a new copy of the document.")
    notes: list[str] = []
    acroform = acroform_of(reader)
    if acroform is not None and "/XFA" in acroform:
        notes.append(xfa_note(name, reader, acroform))
    carried = find_attachments(reader)
    writer = PdfWriter()
    done = _copy_pages(name, reader, writer, damage.recovered, keep_original_size)
    lost = done.lost
    kept = len(writer.pages)
    if kept == 0:
        raise IntakeError(
            name,
            f"the PDF is damaged: none of its {total} pages could be read.",
            hint="Ask for a new copy of the document (download it again, or re-scan it).",
        )
    if damage.recovered or lost:
        detail = f"recovered {kept} of {total} pages"
        if lost:
            detail += f" (lost: page{'s' if len(lost) > 1 else ''} {_ranges(lost)})"
        notes.insert(
            0,
            f"{name} is damaged; {detail}. Compare the pages with the original, "
            "and ask for a new copy if anything is missing.",
        )
    scrub(writer)
    embedded, unembedded = embed_missing_fonts(writer)
    if unembedded:
        fonts = ", ".join(sorted(unembedded))
        notes.append(
            f"{name} uses fonts it does not carry ({fonts}); viewers and printers show "
            "them in a font of their own, as they did for this file: compare the pages "
            "with the original."
        )
    writer.metadata = None  # no /Info: nothing of the source's Author/Producer/Title
    if done.dropped_layers:
        notes.append(
            f"{name} has content on hidden layers ({done.dropped_layers} "
            f"part{'s' if done.dropped_layers > 1 else ''}); it was left out, as viewers do not "
            "show it. If it matters, ask for a copy with the layers shown."
        )
    if carried:
        notes.append(describe(name, carried))
        done.lost_annots.discard("file attachment")  # named above, with its file
    if done.lost_annots:
        kinds = ", ".join(sorted(done.lost_annots))
        notes.append(
            f"{name} has annotations that could not be kept in the packet ({kinds}); "
            "compare the pages with the original, and print it to PDF if they matter."
        )
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    drop_unreachable(writer)  # what scrub cut off is not written out either
    out = io.BytesIO()
    writer.write(out)
    pdf = out.getvalue()
    if embedded:
        # The new font objects were written after everything else; cleaned once
        # more, the file comes out in the order it keeps from then on, so the
        # cleaning stays idempotent (an archive's cleaned files keep their hash).
        pdf = _normalise(name, pdf, None, True).pdf
    log.info("%s: %d pages (%d resized or turned)", name, kept, done.resized)
    return NormalisedFile(
        pdf=pdf,
        pages=kept,
        kind="pdf",
        warnings=tuple(notes),
        recovered=damage.recovered or bool(lost),
        attachments=tuple(f.name for f in carried),
    )


_PLEASE_WAIT = ("please wait", "adobe reader", "pdf viewer may not be able", "acrobat")


def xfa_note(name: str, reader: PdfReader, acroform: Any) -> str:
    """What the reader of the packet will see of an XFA (Adobe LiveCycle) form.

    Only Adobe Reader runs XFA: everywhere else, and in the packet, a form shows
    what its PDF pages draw.  A dynamic form's pages usually hold nothing but
    Adobe's "Please wait..." notice; a static form's pages hold the form, but
    values only XFA fills in may be missing.  The warning quotes page 1."""
    try:
        first = " ".join((reader.pages[0].extract_text() or "").split())
    except Exception:  # text that cannot be read is quoted as nothing
        first = ""
    fields = acroform.get("/Fields")
    fields = fields.get_object() if fields is not None else None
    quote = f"“{first[:90]}{'...' if len(first) > 90 else ''}”" if first else "nothing"
    fix = (
        "open it in Adobe Reader, print it to PDF (Print > Microsoft Print to PDF, or "
        "Save as PDF) and add that file instead."
    )
    if not fields or any(w in first.lower() for w in _PLEASE_WAIT):
        return (
            f"{name} is a dynamic XFA form (Adobe LiveCycle): the packet shows only what its "
            f"pages hold without Adobe Reader, page 1 reading {quote}, not the filled-in "
            f"form. To file the form itself, {fix}"
        )
    return (
        f"{name} is an XFA form (Adobe LiveCycle): the packet shows its pages as they are "
        f"drawn without Adobe Reader (page 1 begins {quote}); values only Adobe Reader "
        f"fills in may be blank. Compare it with the form in Adobe Reader; if anything is "
        f"missing, {fix}"
    )


def _ranges(nums: list[int]) -> str:
    parts: list[str] = []
    start = prev = nums[0]
    for n in [*nums[1:], -1]:
        if n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        start = prev = n
    return ", ".join(parts)


__all__ = ["StoredCleaning", "clean_stored_pdf", "normalise_pdf"]

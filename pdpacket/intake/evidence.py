"""Evidence intake: any file a client brings becomes letter-size PDF pages,
or a clear refusal naming the file and what to do.

The type comes from the file's first bytes, never from its name: a ``.jpg``
that is a PDF is read as a PDF, a ``.pdf`` that is a saved web page is refused
as "not a PDF".  PDFs go through ``pdfclean``, images through ``images``;
Word/OpenDocument files are converted with LibreOffice when it is installed
(optional); everything else is refused with what the person can do instead.
"""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from pdpacket.errors import IntakeError
from pdpacket.intake.images import normalise_image
from pdpacket.intake.pdfclean import normalise_pdf
from pdpacket.model import NormalisedFile

log = logging.getLogger("pdpacket.intake")

MAX_FILE_BYTES = 1 << 30  # 1 GiB: no single piece of evidence is bigger
SOFFICE_TIMEOUT = 180

IMAGE_KINDS = ("jpeg", "png", "tiff", "webp", "bmp", "gif", "heic", "avif", "jp2")
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"mif2")


# One flat list of signatures, checked in order (the order decides ties such as
# RIFF WEBP vs WAVE), so it stays one function however long the list grows.
def sniff_kind(head: bytes) -> str:
    """The file's real type from its first bytes (give at least 2 KB).

    Returns "pdf", an image kind ("jpeg", "png", "tiff", "webp", "bmp", "gif",
    "heic", "avif", "jp2"), a kind that is refused with advice ("html", "zip",
    "docx", "odt", "ole", "rtf", "email", "text", "archive", "video", "audio",
    "postscript"), or "" when unknown.
    """
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if (
        head[:2] == b"BM"
        and len(head) >= 18
        and head[14:18]
        in (
            b"\x0c\x00\x00\x00",
            b"(\x00\x00\x00",
            b"@\x00\x00\x00",
            b"l\x00\x00\x00",
            b"|\x00\x00\x00",
        )
    ):
        return "bmp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in HEIF_BRANDS:
            return "heic"
        if brand in (b"avif", b"avis"):
            return "avif"
        if brand in (b"qt  ", b"isom", b"mp41", b"mp42", b"M4V ", b"3gp4", b"3gp5", b"avc1"):
            return "video"
        if brand in (b"M4A ", b"M4B "):
            return "audio"
    if head.startswith(b"\x00\x00\x00\x0cjP  \r\n\x87\n") or head.startswith(b"\xff\x4f\xff\x51"):
        return "jp2"
    if head.startswith(b"PK\x03\x04"):
        if head[30:38] == b"mimetype" and b"opendocument" in head[38:120]:
            return "odt"
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"  # Word 97-2003, Excel 97-2003, Outlook .msg
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(b"%!PS"):
        return "postscript"
    if head[:6] in (b"Rar!\x1a\x07", b"7z\xbc\xaf'\x1c") or head[:2] == b"\x1f\x8b":
        return "archive"
    if head.startswith((b"ID3", b"fLaC", b"OggS")) or (
        head[:4] == b"RIFF" and head[8:12] == b"WAVE"
    ):
        return "audio"
    text = head[:1024].lstrip().lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        text.startswith(b"<") and b"<html" in text
    ):
        return "html"
    first = text.split(b"\n", 1)[0]
    if (
        first.startswith(
            (
                b"received:",
                b"return-path:",
                b"from:",
                b"delivered-to:",
                b"mime-version:",
                b"message-id:",
                b"x-",
            )
        )
        and b":" in first
    ):
        return "email"
    if head and _looks_like_text(head[:2048]):
        return "text"
    return ""


def _looks_like_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return b"\x00" not in head


# What to tell the person for each kind that is not read.
_REFUSALS: dict[str, tuple[str, str]] = {
    "html": (
        "this is a web page (HTML), not a PDF or an image: the download probably failed "
        "and saved an error page.",
        "Download the document again, or open the page in a browser and print it to PDF.",
    ),
    "docx": (
        "this is a Word document; pdpacket adds PDFs and images.",
        "In Word choose File > Save As > PDF (or Export > PDF) and add the PDF.",
    ),
    "odt": (
        "this is an OpenDocument file (LibreOffice); pdpacket adds PDFs and images.",
        "In LibreOffice choose File > Export as PDF and add the PDF.",
    ),
    "xlsx": (
        "this is a spreadsheet; pdpacket adds PDFs and images.",
        "Open it and print or export it to PDF (check that the columns fit the page), "
        "then add the PDF.",
    ),
    "pptx": (
        "this is a slide presentation; pdpacket adds PDFs and images.",
        "Open it and export it to PDF, then add the PDF.",
    ),
    "zip": (
        "this is a ZIP archive, not a document.",
        "Unpack it (double-click or 'Extract all') and add the files inside.",
    ),
    "archive": (
        "this is a compressed archive, not a document.",
        "Unpack it and add the files inside.",
    ),
    "ole": (
        "this is an old Microsoft Office file (Word/Excel 97-2003) or an Outlook message.",
        "Open it and save or print it as PDF, then add the PDF.",
    ),
    "rtf": (
        "this is a Rich Text document; pdpacket adds PDFs and images.",
        "Open it in Word or LibreOffice and save it as PDF, then add the PDF.",
    ),
    "email": (
        "this is a saved e-mail message.",
        "Open it in the mail program and print it to PDF (include the header with the "
        "date and sender), then add the PDF; add its attachments separately.",
    ),
    "text": (
        "this is a plain-text file, not a PDF or an image.",
        "Open it and print it to PDF, then add the PDF.",
    ),
    "video": (
        "this is a video; a packet can only contain pages.",
        "Take screenshots of the frames that matter (or describe it in a declaration) "
        "and add those.",
    ),
    "audio": (
        "this is an audio recording; a packet can only contain pages.",
        "Add a transcript (with a translation certificate if it is not in English).",
    ),
    "postscript": (
        "this is a PostScript file.",
        "Open it and print it to PDF, then add the PDF.",
    ),
    "": (
        "this is not a PDF or an image pdpacket can read.",
        "Save or print it as PDF (e.g. from Word: File > Save As > PDF) and add the PDF.",
    ),
}

_OFFICE_KINDS = ("docx", "odt", "ole", "rtf")


def normalise_file(
    path: str | os.PathLike[str],
    *,
    password: str | None = None,
    keep_original_size: bool = False,
) -> NormalisedFile:
    """Read ``path`` and return it as letter-size PDF pages.

    Raises ``IntakeError`` (with ``PasswordRequiredError`` and
    ``WrongPasswordError`` for passwords) naming the file and what to do.
    """
    path = Path(path)
    name = path.name
    data = _read(path)
    kind = sniff_kind(data[:4096])
    if kind == "zip":
        kind = _zip_kind(data)
    log.info("%s: %s, %d bytes", name, kind or "unknown", len(data))
    if kind == "pdf":
        return normalise_pdf(name, data, password=password, keep_original_size=keep_original_size)
    if kind in IMAGE_KINDS:
        norm = normalise_image(name, data, kind, keep_original_size=keep_original_size)
        # Every stored PDF is the PDF cleaning's output, so that cleaning it
        # again (a case archive's files are) gives the same bytes back.
        cleaned = normalise_pdf(name, norm.pdf, keep_original_size=True)
        return dataclasses.replace(norm, pdf=cleaned.pdf)
    if kind in _OFFICE_KINDS:
        converted = convert_with_office(path)
        if converted is not None:
            result = normalise_pdf(name, converted, keep_original_size=keep_original_size)
            note = (
                f"{name} was converted to PDF with LibreOffice: compare the pages with the "
                "original (fonts and layout can change)."
            )
            return NormalisedFile(
                pdf=result.pdf,
                pages=result.pages,
                kind=kind,
                warnings=(note, *result.warnings),
                recovered=result.recovered,
            )
    message, hint = _REFUSALS.get(kind, _REFUSALS[""])
    raise IntakeError(name, message, hint=hint)


def _read(path: Path) -> bytes:
    name = path.name
    try:
        if path.is_dir():
            raise IntakeError(
                name, "this is a folder, not a file.", hint="Add the files inside it."
            )
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IntakeError(
                name,
                f"the file is {size / (1 << 30):.1f} GB, too large for one piece of evidence.",
                hint="Split it into smaller documents and add those.",
            )
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise IntakeError(
            name, "the file does not exist.", hint="Check the path, or add the file again."
        ) from exc
    except PermissionError as exc:
        raise IntakeError(
            name,
            "pdpacket is not allowed to read the file.",
            hint="Copy it to your Documents folder and add the copy.",
        ) from exc
    except OSError as exc:
        raise IntakeError(
            name,
            f"the file cannot be read ({exc.strerror or exc}).",
            hint="Copy it to this computer and add it again.",
        ) from exc
    if not data:
        raise IntakeError(
            name,
            "the file is empty (0 bytes): the download or copy did not finish.",
            hint="Get the document again from the client, or re-scan it.",
        )
    return data


def _zip_kind(data: bytes) -> str:
    """Tell Office documents from plain ZIP archives by their contents."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                mime = zf.read("mimetype")[:100]
                if b"opendocument.text" in mime:
                    return "odt"
                if b"opendocument" in mime:
                    return "xlsx" if b"spreadsheet" in mime else "pptx"
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return "zip"
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    return "zip"


def find_office() -> str | None:
    """LibreOffice's command, if it is installed (optional)."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_with_office(path: Path) -> bytes | None:
    """The file converted to PDF by LibreOffice, or None when that is not possible."""
    office = find_office()
    if office is None:
        return None
    with tempfile.TemporaryDirectory(prefix="pdpacket-office-") as tmp:
        profile = Path(tmp, "profile").as_uri()
        src = Path(tmp, "in" + path.suffix.lower())
        shutil.copyfile(path, src)
        try:
            subprocess.run(
                [
                    office,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    str(src),
                ],
                capture_output=True,
                timeout=SOFFICE_TIMEOUT,
                check=False,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("LibreOffice conversion of %s failed: %s", path.name, exc)
            return None
        out = Path(tmp, "in.pdf")
        if not out.is_file() or out.stat().st_size == 0:
            log.warning("LibreOffice wrote no PDF for %s", path.name)
            return None
        return out.read_bytes()


__all__ = ["IMAGE_KINDS", "find_office", "normalise_file", "sniff_kind"]

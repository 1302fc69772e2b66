"""Evidence intake: any file a client brings becomes letter-size PDF pages,
or a clear refusal naming the file and what to do.

This is the walking-skeleton version (PDF pass-through, common images);
issue #3 deepens it.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import FileNotDecryptedError, PdfReadError
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from .errors import IntakeError, PasswordRequiredError, WrongPasswordError
from .model import NormalisedFile

log = logging.getLogger("pdpacket.intake")

LETTER_W, LETTER_H = letter
MARGIN = 36.0  # half an inch around images


def sniff_kind(head: bytes) -> str:
    """The file's real type from its first bytes ("pdf", "jpeg", ...; "" if unknown)."""
    if head[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:2] == b"BM":
        return "bmp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"heim"):
        return "heic"
    return ""


def normalise_file(
    path: str | Path, *, password: str | None = None, keep_original_size: bool = False
) -> NormalisedFile:
    path = Path(path)
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise IntakeError(
            name, "the file does not exist.", hint="Check the path, or add the file again."
        ) from exc
    except OSError as exc:
        raise IntakeError(
            name,
            f"the file cannot be read ({exc.strerror}).",
            hint="Copy it to this computer and add it again.",
        ) from exc
    if not data:
        raise IntakeError(
            name,
            "the file is empty (0 bytes).",
            hint="Get the document again from the client or re-scan it.",
        )
    kind = sniff_kind(data[:2048])
    if kind == "pdf":
        return _normalise_pdf(name, data, password)
    if kind:
        return _normalise_image(name, data, kind)
    raise IntakeError(
        name,
        "this is not a PDF or an image pdpacket can read.",
        hint="Save or print it as PDF (e.g. from Word: File > Save As > PDF) and add the PDF.",
    )


def _normalise_pdf(name: str, data: bytes, password: str | None) -> NormalisedFile:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            result = reader.decrypt(password or "")
            if not result:
                if password:
                    raise WrongPasswordError(
                        name,
                        "the password does not open this PDF.",
                        hint="Check the password with the client.",
                    )
                raise PasswordRequiredError(
                    name,
                    "this PDF is protected by a password.",
                    hint="Enter the password to import it.",
                )
        writer = PdfWriter()
        for page in reader.pages:
            writer.add_page(page)
        out = io.BytesIO()
        writer.write(out)
    except (PasswordRequiredError, WrongPasswordError):
        raise
    except (PdfReadError, FileNotDecryptedError, ValueError, KeyError) as exc:
        raise IntakeError(
            name,
            f"the PDF is damaged and cannot be read ({exc}).",
            hint="Ask for a new copy of the document or re-scan it.",
        ) from exc
    pages = len(writer.pages)
    if pages == 0:
        raise IntakeError(name, "the PDF has no pages.", hint="Ask for a new copy.")
    return NormalisedFile(pdf=out.getvalue(), pages=pages, kind="pdf")


def _normalise_image(name: str, data: bytes, kind: str) -> NormalisedFile:
    try:
        img: Image.Image = Image.open(io.BytesIO(data))
        img = ImageOps.exif_transpose(img) or img
        img = img.convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise IntakeError(
            name,
            f"the image cannot be read ({exc}).",
            hint="Open it on the phone or computer it came from and export it "
            "again as JPEG or PDF.",
        ) from exc
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=letter, invariant=True)
    w, h = img.size
    scale = min((LETTER_W - 2 * MARGIN) / w, (LETTER_H - 2 * MARGIN) / h)
    dw, dh = w * scale, h * scale
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=80)
    buf.seek(0)
    c.drawImage(ImageReader(buf), (LETTER_W - dw) / 2, (LETTER_H - dh) / 2, dw, dh)
    c.showPage()
    c.save()
    return NormalisedFile(pdf=out.getvalue(), pages=1, kind=kind)

"""What intake produces shows in QtPdf, the app's own viewer (#3).

QtPdf does not draw form values that only live in the form (NeedAppearances);
intake flattens them into the page, so the preview and every other viewer show
them.  Rotated and EXIF-rotated pages come out upright in QtPdf too.
"""

from __future__ import annotations

from pathlib import Path

from pdpacket.ui.preview import load_pdf, render_page
from PIL import Image
from PySide6.QtGui import QImage

from pdpacket.intake import evidence as intake
from tests import evidence_gen as gen


def to_pil(image: QImage, tmp_path: Path, name: str) -> Image.Image:
    path = tmp_path / f"{name}.png"
    assert image.save(str(path))
    return Image.open(path).convert("L")


def dark_pixels(im: Image.Image, box: tuple[float, float, float, float]) -> int:
    w, h = im.size
    part = im.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    return sum(part.point(lambda v: 255 if v < 100 else 0).histogram()[255:])


def test_flattened_form_values_show_in_qtpdf(qapp, tmp_path):
    src = gen.form_pdf(tmp_path / "form.pdf", appearances=False)
    result = intake.normalise_file(src)
    doc, _buf = load_pdf(result.pdf)
    page = to_pil(render_page(doc, 0, 612), tmp_path, "form")
    # the "name" field: x 160-410, y 640-662 in PDF points (origin bottom-left)
    field = (160 / 612, 1 - 662 / 792, 410 / 612, 1 - 640 / 792)
    assert dark_pixels(page, field) > 30, "the field value is not drawn"


def test_rotated_pages_and_photos_are_upright_in_qtpdf(qapp, tmp_path):
    for src in (
        # rot180: a page shown in landscape (rot90) is turned to portrait at intake,
        # top to the left (tests/core/test_intake_leftovers.py)
        gen.sized_pdf(tmp_path / "rot180.pdf", "rot180"),
        gen.phone_photo(tmp_path / "p6.jpg", orientation=6, size=(800, 600), noise=0),
    ):
        doc, _buf = load_pdf(intake.normalise_file(src).pdf)
        im = to_pil(render_page(doc, 0, 306), tmp_path, src.stem)
        bbox = Image.eval(im, lambda v: 255 - v).point(lambda v: 255 if v > 8 else 0).getbbox()
        assert bbox is not None
        assert gen.orientation_of(im.crop(bbox)) == "upright", src.name

"""Page stamps (#4): the number at the bottom centre, the exhibit label in the
margin, never over content, upright on rotated and landscape pages, in the
style asked for, with PDF page labels that say the same.

Placement is checked on rendered pages (poppler), by looking at pixels."""

from __future__ import annotations

import datetime as dt

import pytest
from reportlab.lib.pagesizes import A4, landscape, letter

from pdpacket.errors import BadInputError
from pdpacket.model import BuildOptions, NumberingStyle
from pdpacket.pdf import stamps
from tests.core.packet_fixtures import (
    add_exhibit,
    bottom_text,
    case_with_sizes,
    dark_fraction,
    new_case,
    page_labels,
    page_sizes,
    render,
    text_of,
    text_pdf,
)
from tests.pdftools import qpdf_check

DATE = dt.date(2026, 3, 20)
DPI = 72
NUMBER_BOX = (296, 38, 316, 50)  # where a centred one-digit page number prints
LABEL_BOX = (520, 38, 572, 50)  # where the exhibit label prints (half an inch in)


@pytest.mark.parametrize(
    ("box", "rotate", "turned"),
    [
        ((0, 0, 612, 792), 0, False),
        ((0, 0, 612, 792), 90, True),
        ((0, 0, 792, 612), 0, True),
        ((0, 0, 792, 612), 90, False),
        ((0, 0, 595, 842), 180, False),
        ((10, 20, 622, 812), 270, True),
    ],
)
def test_every_placement_fits_above_the_band_and_inside_the_page(box, rotate, turned):
    p = stamps.place(box, rotate)
    x0, y0, x1, y1 = box
    corners = [stamps.apply(p.matrix, x, y) for x in (x0, x1) for y in (y0, y1)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    assert min(xs) >= -0.01 and max(xs) <= 612.01
    assert min(ys) >= stamps.BAND - 0.01 and max(ys) <= 792.01
    assert p.turned is turned and 0 < p.scale <= 1


def test_pages_pdpacket_lays_out_itself_are_not_scaled():
    assert stamps.place((0, 0, 612, 792), 0, fit=False).matrix == stamps.IDENTITY
    # ...but a page of any other shape is fitted even when it claims to be laid out
    assert stamps.place((0, 0, 595, 842), 0, fit=False).scale < 1


def _case(workspace, pages: list[bytes]) -> int:
    case_id = new_case(workspace)
    for n, pdf in enumerate(pages):
        add_exhibit(workspace, case_id, f"Doc{n}", pdf)
    return case_id


def test_stamps_never_cover_content_even_on_a_full_page(workspace, tmp_path):
    case_id = _case(workspace, [text_pdf(["EDGE TO EDGE"], full_bleed=True)])
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, BuildOptions(build_date=DATE))
    png = render(out, 4, tmp_path, DPI)
    # the content was shrunk to sit above the band, so the band is paper-white
    # except for the stamps, and the content still fills the page above it
    assert dark_fraction(png, (0, 0, 612, stamps.BAND - 3)) < 0.08
    assert dark_fraction(png, (20, 60, 590, 780)) > 0.97
    assert dark_fraction(png, NUMBER_BOX) > 0.02 and dark_fraction(png, LABEL_BOX) > 0.02
    assert bottom_text(out, 4).split() == ["4", "Exh.", "A,", "p.", "1"]
    assert "EDGE TO EDGE" in text_of(out, 4)


@pytest.mark.parametrize(
    ("pagesize", "rotate", "marker_box"),
    [
        # shown upright in portrait: the marker stays top left
        (letter, 0, (42, 683, 130, 771)),  # fitted above the band: 0.932 of its size
        (landscape(letter), 90, (42, 683, 130, 771)),
        (A4, 0, (65, 689, 148, 772)),  # fitted: 0.877 of its size, centred
        # shown in landscape: turned a quarter to portrait, its top to the left,
        # so its top-left corner lands bottom left (above the stamp band)
        (landscape(letter), 0, (42, 75, 130, 163)),
        (letter, 90, (42, 75, 130, 163)),
        (letter, 270, (42, 75, 130, 163)),
    ],
    ids=["portrait", "landscape-rot90", "a4", "landscape", "portrait-rot90", "portrait-rot270"],
)
def test_rotated_and_landscape_pages_come_out_portrait_with_upright_stamps(
    workspace, tmp_path, pagesize, rotate, marker_box
):
    pdf = text_pdf(["MARKED PAGE"], pagesize, rotate=rotate, marker=True)
    case_id = _case(workspace, [pdf])
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, BuildOptions(build_date=DATE))
    qpdf_check(out)
    assert page_sizes(out)[3] == (612.0, 792.0, 0)
    png = render(out, 4, tmp_path, DPI)
    assert dark_fraction(png, marker_box) > 0.85, "the page's top-left marker moved"
    # the stamps are where they always are: bottom centre and bottom right, upright
    assert dark_fraction(png, NUMBER_BOX) > 0.02 and dark_fraction(png, LABEL_BOX) > 0.02
    assert bottom_text(out, 4).split() == ["4", "Exh.", "A,", "p.", "1"]
    assert dark_fraction(png, (0, 0, 612, stamps.BAND - 3)) < 0.08
    assert "MARKED PAGE" in text_of(out, 4)


def test_numbering_page_of_total(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [2, 1])
    out = tmp_path / "p.pdf"
    workspace.build_packet(
        case_id, out, BuildOptions(numbering=NumberingStyle.OF_TOTAL, build_date=DATE)
    )
    for n in range(1, 8):
        assert bottom_text(out, n).split()[:4] == ["Page", str(n), "of", "7"]
    assert page_labels(out) == [str(n) for n in range(1, 8)]


def test_bates_numbers_and_page_labels_agree(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [6, 5])  # 15 pages: crosses from 9 to 10
    out = tmp_path / "p.pdf"
    workspace.build_packet(
        case_id,
        out,
        BuildOptions(numbering=NumberingStyle.BATES, bates_prefix="MORALES-", build_date=DATE),
    )
    labels = page_labels(out)
    assert labels[0] == "MORALES-000001" and labels[14] == "MORALES-000015"
    for n, label in enumerate(labels, 1):
        assert bottom_text(out, n).split()[0] == label
    from pypdf import PdfReader

    assert list(PdfReader(out).page_labels) == labels  # a second reader agrees


@pytest.mark.parametrize("prefix", ["", "MORALES(1)", "Müller-"])
def test_a_bates_prefix_the_stamp_cannot_print_is_refused(workspace, tmp_path, prefix):
    case_id = case_with_sizes(workspace, [1])
    with pytest.raises(BadInputError, match="Bates"):
        workspace.build_packet(
            case_id,
            tmp_path / "p.pdf",
            BuildOptions(numbering=NumberingStyle.BATES, bates_prefix=prefix),
        )
    assert not (tmp_path / "p.pdf").exists()


def test_label_ranges_for_bates_keep_the_zeros():
    assert stamps.page_label_ranges(NumberingStyle.BATES, 120, "X-") == [
        (0, "X-00000", 1),
        (9, "X-0000", 10),
        (99, "X-000", 100),
    ]
    assert stamps.page_label_ranges(NumberingStyle.PLAIN, 120) == [(0, "", 1)]

"""What the packet says (#4): the cover, translated exhibits with their
translator's certificate, the request letter (uploaded or rendered with live
citations), appearance form and declaration, proposed order, certificate of
service, and the CLI options that ask for them."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
import sys

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from pdpacket.errors import BadInputError, PdpacketError
from pdpacket.model import Attorney, BuildOptions, FileRole, TranslationOrder, Translator
from tests.core.packet_fixtures import (
    add_exhibit,
    bottom_text,
    case_with_sizes,
    dark_fraction,
    new_case,
    page_count,
    render,
    text_of,
    text_pdf,
)
from tests.pdftools import outline_titles, qpdf_check

DATE = dt.date(2026, 3, 20)
OPTS = BuildOptions(build_date=DATE)
ATTORNEY = Attorney(
    name="Ana Attorney",
    firm="Attorney & Co",
    address="1 Main St\nNew York, NY 10001",
    phone="(212) 555-0100",
    bar_number="NY 123",
    eoir_id="AB123456",
)


def test_cover_names_the_case_the_relief_and_the_attorney(workspace, tmp_path):
    workspace.store.set_attorney(ATTORNEY)
    case_id = new_case(
        workspace,
        court_id="new-york-broadway",
        judge="Hon. J. Judge",
        hearing_date=dt.date(2027, 3, 15),
        hearing_type="master",
        opla_office_id="new-york-city",
        pd_form="administrative_closure",
        detained=True,
        facility="Orange County Jail",
    )
    add_exhibit(workspace, case_id, "Doc", text_pdf(["X"]))
    out = tmp_path / "p.pdf"
    result = workspace.build_packet(case_id, out, OPTS)
    cover = text_of(out, 1)
    for expected in (
        "REQUEST FOR PROSECUTORIAL DISCRETION",
        "Administrative closure (8 CFR 1003.18(c))",
        "ROSA TEST",
        "A201-555-014",
        "New York - Broadway Immigration Court",
        "Hon. J. Judge",
        "March 15, 2027 (master hearing)",
        "OPLA New York City Field Location",
        "Ana Attorney",
        "EOIR ID AB123456",
        "DETAINED",
        "Orange County Jail",
        "March 20, 2026",
    ):
        assert expected in cover, expected
    # the attorney block is top left and DETAINED top right, below the top inch
    png = render(out, 1, tmp_path, 72)
    # the top inch is clear where two-hole fasteners punch (2.75 inches apart,
    # centred); this case has review errors, so between the holes the draft
    # mark says DRAFT - NOT FOR FILING
    assert "DRAFT - NOT FOR FILING" in cover
    assert dark_fraction(png, (0, 720, 230, 792)) == 0
    assert dark_fraction(png, (382, 720, 612, 792)) == 0
    assert dark_fraction(png, (470, 680, 540, 715)) > 0.1  # DETAINED, boxed, top right
    assert dark_fraction(png, (72, 690, 200, 715)) > 0.05  # attorney block, top left
    assert "JOINT MOTION" not in cover
    assert result.warnings == ()


def test_joint_motion_has_its_banner_and_proposed_order_and_no_service(workspace, tmp_path):
    case_id = new_case(
        workspace, court_id="new-york-broadway", pd_form="joint_motion_reopen", stage="final_order"
    )
    add_exhibit(workspace, case_id, "Doc", text_pdf(["X"]))
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, BuildOptions(build_date=DATE))
    cover = text_of(out, 1)
    assert "JOINT MOTION" in cover and "JOINT MOTION TO REOPEN" in cover
    titles = [t for t, _, _ in outline_titles(out)]
    assert titles[1] == "Joint motion to reopen"  # the motion itself, after the cover
    assert titles[-1] == "Proposed order" and "Certificate of service" not in titles
    order = text_of(out, page_count(out))
    assert "ORDER OF THE IMMIGRATION JUDGE" in order
    assert "joint motion to reopen" in order and "the proceedings are reopened" in order
    # asked for anyway: the explicit choice is kept, and the build says it contradicts
    result = workspace.build_packet(
        case_id, out, BuildOptions(build_date=DATE, certificate_of_service=True)
    )
    assert [t for t, _, _ in outline_titles(out)][-1] == "Certificate of service"
    assert any("As asked" in w and "joint motion" in w for w in result.warnings)


def test_translated_exhibit_holds_translation_certificate_and_original(workspace, tmp_path):
    case_id = new_case(workspace)
    translator = Translator(
        name="Rosa Campos",
        address="55 Court St, Brooklyn NY",
        phone="(718) 555-0160",
        language="Spanish",
    )
    add_exhibit(
        workspace,
        case_id,
        "Birth certificate",
        [text_pdf(["ENGLISH TRANSLATION"]), text_pdf(["ACTA ORIGINAL P1", "ACTA ORIGINAL P2"])],
        roles=[FileRole.TRANSLATION, FileRole.DOCUMENT],
        language="Spanish",
        translator=translator,
    )
    out = tmp_path / "p.pdf"
    result = workspace.build_packet(case_id, out, OPTS)
    qpdf_check(out)
    # tab 3, translation 4, certificate 5, original 6-7
    assert outline_titles(out)[2:] == [
        ("Exhibit A - Birth certificate", 0, 3),
        ("English translation", 1, 4),
        ("Translator's certificate", 1, 5),
        ("Original (Spanish)", 1, 6),
    ]
    assert "ENGLISH TRANSLATION" in text_of(out, 4)
    cert = " ".join(text_of(out, 5).split())
    for expected in (
        "CERTIFICATE OF TRANSLATION",
        "I, Rosa Campos, certify that I am competent to translate from Spanish into English",
        "true and accurate",
        "Exhibit A: Birth certificate",
        "55 Court St, Brooklyn NY",
        "(718) 555-0160",
        "Signature",
    ):
        assert expected in cert, expected
    assert "birth_certificate_1" not in cert  # the exhibit's title, never a file name
    assert "ACTA ORIGINAL P2" in text_of(out, 7)
    assert "Exh. A, p. 4" in bottom_text(out, 7)
    assert re.search(r"A\s+Birth certificate.*3-7", text_of(out, 2))
    assert not any("Exhibit A" in w for w in result.warnings)


def test_original_first_order_and_uploaded_certificate(workspace, tmp_path):
    case_id = new_case(workspace)
    add_exhibit(
        workspace,
        case_id,
        "Diploma",
        [text_pdf(["TRADUCCION"]), text_pdf(["DIPLOMA ORIGINAL"]), text_pdf(["SIGNED CERT"])],
        roles=[FileRole.TRANSLATION, FileRole.DOCUMENT, FileRole.CERTIFICATE],
        language="Spanish",
        translation_order=TranslationOrder.ORIGINAL_FIRST,
    )
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    assert [(t, p) for t, _, p in outline_titles(out)[3:]] == [
        ("Original (Spanish)", 4),
        ("English translation", 5),
        ("Translator's certificate", 6),
    ]
    assert "SIGNED CERT" in text_of(out, 6)  # the uploaded certificate, not a generated one
    assert "CERTIFICATE OF TRANSLATION" not in text_of(out, 6)


def test_missing_translator_details_leave_blanks_and_a_warning(workspace, tmp_path):
    case_id = new_case(workspace)
    add_exhibit(
        workspace,
        case_id,
        "Acta",
        [text_pdf(["EN"]), text_pdf(["ES"])],
        roles=[FileRole.TRANSLATION, FileRole.DOCUMENT],
        language="Spanish",
        translator=Translator(name="R. Campos"),
    )
    add_exhibit(workspace, case_id, "Untranslated", text_pdf(["ES"]), language="Spanish")
    result = workspace.build_packet(case_id, tmp_path / "p.pdf", OPTS)
    assert any("address, phone" in w and "Exhibit A" in w for w in result.warnings)
    assert any("Exhibit B" in w and "no English translation" in w for w in result.warnings)


@pytest.mark.parametrize("method", ["ecas", "mail"])
def test_certificate_of_service(workspace, tmp_path, method):
    workspace.store.set_attorney(ATTORNEY)
    case_id = case_with_sizes(workspace, [1], opla_office_id="new-york-city")
    out = tmp_path / "p.pdf"
    workspace.build_packet(
        case_id,
        out,
        BuildOptions(
            build_date=DATE,
            certificate_of_service=True,
            service_method=method,
            service_address="26 Federal Plaza, Room 1130; New York, NY 10278",
        ),
    )
    assert outline_titles(out)[-1] == ("Certificate of service", 0, page_count(out))
    text = " ".join(text_of(out, page_count(out)).split())
    assert "CERTIFICATE OF SERVICE" in text and "On March 20, 2026, I, Ana Attorney" in text
    if method == "ecas":
        assert "EOIR Courts & Appeals System (ECAS)" in text and "Federal Plaza" not in text
    else:
        assert "first-class mail" in text and "26 Federal Plaza, Room 1130" in text


def test_service_by_mail_without_an_address_is_refused(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [1])
    with pytest.raises(BadInputError, match="address"):
        workspace.build_packet(
            case_id,
            tmp_path / "p.pdf",
            BuildOptions(certificate_of_service=True, service_method="mail"),
        )
    assert not (tmp_path / "p.pdf").exists()


class FakeLetter:
    """A LetterSource whose length depends on where the exhibits land: it cites
    every exhibit and grows a page when exhibit A starts after page 4."""

    def __init__(self, grow=True):
        self.calls = []
        self.grow = grow

    def render(self, cites):
        self.calls.append(dict(cites))
        first = min(c.first_page for c in cites.values())
        pages = 2 + (first > 4 if self.grow else len(self.calls))
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=letter, invariant=True)
        for p in range(pages):
            c.setFont("Helvetica", 12)
            for n, t in enumerate(sorted(cites.values(), key=lambda t: t.letter)):
                c.drawString(
                    72,
                    700 - 20 * n,
                    f"LETTER P{p + 1} cites Exh. {t.letter} at "
                    f"{t.first_page}-{t.last_page} ({t.title})",
                )
            c.showPage()
        c.save()
        return buf.getvalue()


def test_letter_source_cites_final_pages_after_replanning(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [2, 3])
    source = FakeLetter()
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS, letter=source)
    qpdf_check(out)
    assert len(source.calls) == 3  # 2 pages with A at 3, 3 pages with A at 5, then stable
    titles = outline_titles(out)
    assert titles[:3] == [("Cover", 0, 1), ("Request letter", 0, 2), ("Index of Exhibits", 0, 5)]
    tab_a = next(p for t, _, p in titles if t.startswith("Exhibit A"))
    tab_b = next(p for t, _, p in titles if t.startswith("Exhibit B"))
    assert (tab_a, tab_b) == (6, 9)
    letter_text = text_of(out, 2)
    assert "cites Exh. A at 6-8 (Doc0)" in letter_text and "cites Exh. B at 9-12" in letter_text
    assert re.search(r"Request letter\s+2-4", text_of(out, 5))
    assert bottom_text(out, 3).split() == ["3"]
    # the letter's pages are laid out with the band free: stamped, not shrunk
    assert PdfReader(out).pages[1].mediabox.width == 612


def test_a_letter_that_never_settles_is_an_error(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [1])
    with pytest.raises(PdpacketError, match="length changed"):
        workspace.build_packet(case_id, tmp_path / "p.pdf", OPTS, letter=FakeLetter(grow=False))
    assert not (tmp_path / "p.pdf").exists()


def test_uploaded_letter_appearance_and_declaration(workspace, tmp_path):
    case_id = case_with_sizes(workspace, [1])
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in (
        ("letter.pdf", "UPLOADED LETTER"),
        ("g28.pdf", "FORM G-28"),
        ("decl.pdf", "CLIENT DECLARATION"),
    ):
        (folder / name).write_bytes(text_pdf([text, text + " 2"]))
    workspace.set_case_document(case_id, "letter", folder / "letter.pdf")
    workspace.set_case_document(case_id, "g28", folder / "g28.pdf")
    doc = workspace.set_case_document(case_id, "declaration", folder / "decl.pdf")
    assert doc.pages == 2 and doc.original_name == "decl.pdf"
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    assert [(t, p) for t, _, p in outline_titles(out)] == [
        ("Cover", 1),
        ("Request letter", 2),
        ("Form G-28, Notice of Entry of Appearance", 4),
        ("Declaration of Rosa Test", 6),
        ("Index of Exhibits", 8),
        ("Exhibit A - Doc0", 9),
    ]
    assert "UPLOADED LETTER" in text_of(out, 2) and "CLIENT DECLARATION 2" in text_of(out, 7)
    index = text_of(out, 8)
    assert re.search(r"Request letter\s+2-3", index) and re.search(r"Declaration.*6-7", index)
    assert workspace.remove_case_document(case_id, "g28") is True
    assert workspace.remove_case_document(case_id, "g28") is False
    workspace.build_packet(case_id, out, OPTS)
    assert "Form G-28" not in " ".join(t for t, _, _ in outline_titles(out))
    with pytest.raises(BadInputError, match="kind of case document"):
        workspace.set_case_document(case_id, "passport", folder / "g28.pdf")
    # the stored documents survive a sweep of unreferenced blobs
    workspace.store.sweep_blobs()
    workspace.build_packet(case_id, out, OPTS)


def test_manifest_documents_go_into_the_packet(workspace, manifest_factory, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "letter.pdf").write_bytes(text_pdf(["MANIFEST LETTER"]))
    (folder / "eoir28.pdf").write_bytes(text_pdf(["FORM EOIR-28"]))
    path = manifest_factory(
        {
            "client": {"name": "Mani Fest"},
            "letter": "letter.pdf",
            "appearance": {"path": "eoir28.pdf", "form": "eoir28"},
            "exhibits": [{"title": "Lease", "files": ["lease.pdf"]}],
        },
        folder=folder,
    )
    case_id = workspace.import_manifest(path)
    roles = [str(d.role) for d in workspace.case_documents(case_id)]
    assert sorted(roles) == ["eoir28", "letter"]
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    titles = [t for t, _, _ in outline_titles(out)]
    assert titles[:3] == ["Cover", "Request letter", "Form EOIR-28, Notice of Entry of Appearance"]


def test_manifest_refuses_a_bad_appearance_form(manifest_factory, workspace, tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "g.pdf").write_bytes(text_pdf(["G"]))
    path = manifest_factory(
        {
            "client": {"name": "X"},
            "appearance": {"path": "g.pdf", "form": "i589"},
            "exhibits": [],
        },
        folder=folder,
    )
    with pytest.raises(BadInputError, match=r"appearance\.form"):
        workspace.import_manifest(path)


def _cli(*args, home):
    return subprocess.run(
        [sys.executable, "-m", "pdpacket", "--data-dir", str(home), *args],
        capture_output=True,
        text=True,
    )


def test_cli_build_options(tmp_path):
    from pdpacket.api import Workspace

    home = tmp_path / "home"
    with Workspace.open(home) as ws:
        case_id = case_with_sizes(ws, [1, 1], opla_office_id="new-york-city")
    out = tmp_path / "p.pdf"
    res = _cli(
        "build",
        str(case_id),
        "--out",
        str(out),
        "--numbering",
        "of_total",
        "--date",
        "2026-03-20",
        "--certificate-of-service",
        "mail",
        "--service-address",
        "1 Plaza; New York, NY",
        home=home,
    )
    assert res.returncode == 0, res.stderr
    assert "No attorney details" in res.stderr  # warnings are shown, the build goes on
    last = page_count(out)
    assert bottom_text(out, last).split()[:4] == ["Page", str(last), "of", str(last)]
    assert "1 Plaza" in text_of(out, last) and "March 20, 2026" in text_of(out, last)
    res2 = _cli(
        "build",
        str(case_id),
        "--out",
        str(tmp_path / "q.pdf"),
        "--numbering",
        "of_total",
        "--date",
        "2026-03-20",
        "--certificate-of-service",
        "mail",
        "--service-address",
        "1 Plaza; New York, NY",
        home=home,
    )
    assert (tmp_path / "q.pdf").read_bytes() == out.read_bytes()
    res = _cli(
        "build", str(case_id), "--out", str(tmp_path / "b.pdf"), "--bates", "ROSA-", home=home
    )
    assert res.returncode == 0 and bottom_text(tmp_path / "b.pdf", 1).split()[0] == "ROSA-000001"
    for bad in (["--date", "20 March"], ["--numbering", "bates"]):
        res = _cli("build", str(case_id), "--out", str(tmp_path / "x.pdf"), *bad, home=home)
        assert res.returncode == 2, (bad, res.stderr)
        assert not (tmp_path / "x.pdf").exists()
    assert json.loads(json.dumps(res2.returncode)) == 0


def test_tab_page_names_the_factors_an_exhibit_supports_or_answers(workspace, tmp_path):
    from pdpacket.policy import catalog

    fw = catalog.framework("")
    case_id = new_case(workspace)
    add_exhibit(
        workspace,
        case_id,
        "Disposition",
        text_pdf(["X"]),
        factor_ids=["long_residence", "criminal_history"],
        section="Criminal history",
        description="Dismissed and sealed.",
        doc_date=dt.date(2016, 1, 22),
    )
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    tab = " ".join(text_of(out, 3).split())
    assert "EXHIBIT A" in tab and "CRIMINAL HISTORY" in tab
    assert f"Supports: {fw.factor('long_residence').label}" in tab
    assert f"Addresses: {fw.factor('criminal_history').label}" in tab
    assert "Dismissed and sealed." in tab and "Dated January 22, 2016" in tab
    assert "Pages 3-4" in tab


def test_a_joint_motion_to_dismiss_is_titled_as_one(workspace, tmp_path):
    case_id = new_case(workspace, pd_form="dismissal", joint_motion=True)
    add_exhibit(workspace, case_id, "Doc", text_pdf(["X"]))
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out, OPTS)
    cover = " ".join(text_of(out, 1).split())
    assert "JOINT MOTION TO DISMISS THE PROCEEDINGS WITHOUT PREJUDICE" in cover
    order = " ".join(text_of(out, page_count(out)).split())
    assert "joint motion to dismiss the proceedings without prejudice" in order
    assert "the proceedings are dismissed without prejudice" in order

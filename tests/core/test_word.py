"""The letter and the generated documents as Word files, and an attorney's own
letter brought back in.

Each .docx is opened with python-docx (and one converted to PDF by LibreOffice
headless, read back with pdftotext): the citations are resolved as the packet
prints them; a letter exported and imported again has the same citations; an
attorney's .docx with citations typed as text gets citation tokens where they
match an exhibit, and the review lists the ones that match nothing.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import docx
import pytest

from pdpacket.cli import main
from pdpacket.letter.word import docx_text
from pdpacket.model.markup import citations
from tests.pdftools import make_pdf, run_tool

DAY = dt.date(2026, 12, 6)


@pytest.fixture
def case(workspace, manifest_factory, tmp_path):
    """A case with a 1-page passport (A), a 3-page lease (B), a 2-page letter (C)."""
    folder = tmp_path / "case"
    folder.mkdir()
    make_pdf(folder / "lease.pdf", ["Lease p1", "Lease p2", "Lease p3"])
    make_pdf(folder / "support.pdf", ["Support p1", "Support p2"])
    path = manifest_factory(
        {
            "client": {"name": "Rosa Quintero", "a_number": "A201-555-014"},
            "proceedings": {
                "stage": "proceedings_pending",
                "pd_form": "dismissal",
                "opla_office": "boston",
            },
            "exhibits": [
                {"title": "Passport of Rosa Quintero", "files": ["passport.pdf"]},
                {"title": "Lease, 2015", "files": ["lease.pdf"]},
                {"title": "Letter of support", "files": ["support.pdf"]},
            ],
        },
        folder=folder,
    )
    case_id = workspace.import_manifest(path)
    ids = [e.id for e in workspace.exhibits(case_id)]
    a, b, c = ids
    text = (
        "{{today}}\n\n# Statement of facts\n\n"
        f"Rosa has lived in Boston since 2015. See {{{{cite:{a}}}}}; **her lease** "
        f"{{{{pages:{b}}}}}, in particular {{{{cite:{b}:pages=2-3}}}}.\n\n"
        f"- Her community: *letters of support*, {{{{cite:{c}:pages=2}}}}\n"
        f"- Her identity: {{{{pages:{a}}}}}\n\n"
        "Respectfully submitted,\n\n{{signature}}\n\nAna Ortiz"
    )
    workspace.save_letter(case_id, text)
    return case_id, ids


def _cites(text: str) -> list[tuple[int, int, int]]:
    return [(c.exhibit_id, c.first, c.last) for c in citations(text)]


def test_letter_docx_has_headings_emphasis_and_resolved_citations(workspace, case, tmp_path):
    case_id, _ids = case
    out = tmp_path / "letter.docx"
    res = workspace.export_letter_word(case_id, out, today=DAY)
    assert not res.with_pages  # no build yet: exhibit letters and the exhibits' own pages
    d = docx.Document(str(out))
    styles = {p.style.name: p.text for p in d.paragraphs if p.text}
    assert styles["Heading 1"] == "Statement of facts"
    assert "List Bullet" in styles
    text = docx_text(out.read_bytes())
    assert "December 6, 2026" in text
    assert "See Exhibit A; her lease Exh. B, in particular Exh. B, pp. 2\u20133." in text
    assert "Exh. C, p. 2" in text and "{{" not in text
    bold = [r.text for p in d.paragraphs for r in p.runs if r.bold]
    italic = [r.text for p in d.paragraphs for r in p.runs if r.italic]
    assert "her lease" in bold and "letters of support" in italic
    # the signature line (not signed yet) is highlighted as something to do
    assert any(r.font.highlight_color for p in d.paragraphs for r in p.runs)


def test_letter_docx_cites_packet_pages_after_a_build(workspace, case, tmp_path):
    case_id, _ids = case
    from pdpacket.model import BuildOptions

    workspace.build_packet(case_id, tmp_path / "packet.pdf", BuildOptions(build_date=DAY))
    out = tmp_path / "letter.docx"
    assert workspace.export_letter_word(case_id, out, today=DAY).with_pages
    text = docx_text(out.read_bytes())
    # the packet's own letter says the same (independent reader: pdftotext)
    packet = run_tool("pdftotext", str(tmp_path / "packet.pdf"), "-")
    for cite in ("Exh. B at ", "Exh. C at "):
        assert cite in text
    b = text.split("her lease ")[1].split(",")[0]
    assert b.startswith("Exh. B at ") and b in " ".join(packet.split())


def test_export_then_import_keeps_the_same_citations(workspace, case, tmp_path):
    case_id, _ids = case
    before = workspace.letter(case_id).text
    out = tmp_path / "letter.docx"
    workspace.export_letter_word(case_id, out, today=DAY)
    res = workspace.import_letter(case_id, out)
    after = workspace.letter(case_id).text
    assert res.kind == "docx" and not res.unmatched
    assert _cites(after) == _cites(before)
    assert "{{today}}" in after and "{{signature}}" in after
    assert "**her lease**" in after and "*letters of support*" in after
    assert "# Statement of facts" in after


def test_round_trip_with_packet_pages(workspace, case, tmp_path):
    from pdpacket.model import BuildOptions

    case_id, _ids = case
    workspace.build_packet(case_id, tmp_path / "packet.pdf", BuildOptions(build_date=DAY))
    before = _cites(workspace.letter(case_id).text)
    out = tmp_path / "letter.docx"
    workspace.export_letter_word(case_id, out, today=DAY)
    workspace.import_letter(case_id, out)
    assert _cites(workspace.letter(case_id).text) == before


def test_citations_follow_their_exhibits_when_re_lettered_while_in_word(
    workspace, case, tmp_path, pdf_factory
):
    """The exported file remembers which exhibit each letter stood for: after a
    reorder (B is now C) and a new exhibit, the Word text's "Exh. B" still
    cites the lease, and a letter typed for the new exhibit cites it."""
    from pdpacket.model import BuildOptions

    case_id, ids = case
    workspace.build_packet(case_id, tmp_path / "packet.pdf", BuildOptions(build_date=DAY))
    before = _cites(workspace.letter(case_id).text)
    out = tmp_path / "letter.docx"
    workspace.export_letter_word(case_id, out, today=DAY)
    workspace.move_exhibits(case_id, [ids[2], ids[0], ids[1]])  # lease: B -> C
    [added] = workspace.add_evidence(case_id, [pdf_factory("tax.pdf", ["Tax 2024"])])
    d = docx.Document(str(out))
    d.add_paragraph("Taxes: Exh. D.")  # the new exhibit's letter now
    d.save(str(out))
    res = workspace.import_letter(case_id, out)
    after = _cites(workspace.letter(case_id).text)
    assert after[:-1] == before and not res.unmatched
    assert after[-1] == (added.exhibit_id, 0, 0)


def _word_letter(path: Path, paragraphs: list[str]) -> Path:
    d = docx.Document()
    d.add_heading("Argument", level=1)
    for text in paragraphs:
        p = d.add_paragraph()
        head, _, rest = text.partition("|")
        p.add_run(head).bold = bool(rest)
        p.add_run(rest)
    d.save(str(path))
    return path


def test_an_attorneys_docx_gets_citation_chips_and_the_review_lists_the_rest(
    workspace, case, tmp_path
):
    case_id, ids = case
    path = _word_letter(
        tmp_path / "mine.docx",
        [
            "Identity.|See Exh. A and Exhibit B, p. 3 (Exh. C).",
            "The lease runs three years (Exhibit B, pp. 1-2).",
            "Tax returns are at Exh. F at 22, and the lease at Exhibit B, p. 9.",
        ],
    )
    res = workspace.import_letter(case_id, path)
    text = workspace.letter(case_id).text
    assert text.startswith("# Argument")
    assert "**Identity.**" in text
    assert _cites(text) == [(ids[0], 0, 0), (ids[1], 3, 3), (ids[2], 0, 0), (ids[1], 1, 2)]
    assert [u.text for u in res.unmatched] == ["Exh. F at 22", "Exhibit B, p. 9"]
    assert "no Exhibit F" in res.unmatched[0].problem
    assert "not in Exhibit B (3 pages" in res.unmatched[1].problem
    found = [f for f in workspace.review(case_id) if f.code == "letter.unmatched_cite"]
    assert ["\u201cExh. F at 22\u201d" in f.message for f in found] == [True, False]
    assert "\u201cExhibit B, p. 9\u201d" in found[1].message
    # fixed in the letter: the finding goes away
    workspace.save_letter(
        case_id,
        text.replace(", and the lease at Exhibit B, p. 9", "").replace(
            " at Exh. F at 22", f" at {{{{cite:{ids[2]}}}}}"
        ),
    )
    assert not [f for f in workspace.review(case_id) if f.code == "letter.unmatched_cite"]


def test_a_pdf_letter_is_kept_as_uploaded_and_its_cites_are_checked(workspace, case, tmp_path):
    case_id, _ids = case
    drafted = workspace.letter(case_id).text
    pdf = make_pdf(tmp_path / "mine.pdf", ["See Exh. B, p. 2 and Exh. Q at 4."])
    res = workspace.import_letter(case_id, pdf)
    assert res.kind == "pdf" and res.citations == 2
    assert [u.text for u in res.unmatched] == ["Exh. Q at 4"]
    assert [str(d.role) for d in workspace.case_documents(case_id)] == ["letter"]
    assert workspace.letter(case_id).text == drafted  # nothing the attorney wrote is lost
    codes = [f.code for f in workspace.review(case_id)]
    assert "letter.uploaded" in codes and codes.count("letter.unmatched_cite") == 1
    # a .docx brought in afterwards replaces the upload
    out = tmp_path / "again.docx"
    workspace.export_letter_word(case_id, out, today=DAY)
    assert workspace.import_letter(case_id, out).replaced_upload
    assert workspace.case_documents(case_id) == []
    # a scanned letter: nothing to read, and the import says so
    from tests.core.packet_fixtures import drawing_pdf

    scan = tmp_path / "scan.pdf"
    scan.write_bytes(drawing_pdf())
    res = workspace.import_letter(case_id, scan)
    assert res.kind == "pdf" and not res.readable and res.citations == 0


def test_a_file_that_is_not_a_letter_is_refused_with_the_fix(workspace, case, tmp_path):
    from pdpacket.errors import BadInputError

    case_id, _ids = case
    bad = tmp_path / "letter.docx"
    bad.write_bytes(b"not a zip")
    with pytest.raises(BadInputError, match="cannot read it as a Word document"):
        workspace.import_letter(case_id, bad)
    with pytest.raises(BadInputError, match=r"not \.odt"):
        workspace.import_letter(case_id, tmp_path / "letter.odt")
    assert "{{today}}" in workspace.letter(case_id).text  # the letter is untouched


def test_cli_letter_out_docx_and_set_docx(workspace, case, tmp_path, capsys):
    case_id, _ids = case
    data = str(workspace.data_dir)
    workspace.close()
    out = tmp_path / "cli.docx"
    assert main(["--data-dir", data, "letter", str(case_id), "--out", str(out)]) == 0
    assert "Word document" in capsys.readouterr().out
    assert main(["--data-dir", data, "letter", str(case_id), "--set", str(out)]) == 0
    err = capsys.readouterr().err
    assert "is the case's letter now, with 5 citation(s)" in err
    mine = _word_letter(tmp_path / "mine.docx", ["Mine.|See Exh. A and Exh. K at 2."])
    assert main(["--data-dir", data, "letter", str(case_id), "--set", str(mine)]) == 0
    assert 'not matched: "Exh. K at 2" (the packet has no Exhibit K)' in capsys.readouterr().err
    assert main(["--data-dir", data, "letter", str(case_id), "--text"]) == 0
    assert capsys.readouterr().out.startswith("# Argument")
    args = ["--data-dir", data, "letter", str(case_id), "--restore-previous", "--text"]
    assert main(args) == 0
    assert capsys.readouterr().out.startswith("{{today}}\n\n# Statement of facts")
    assert main(args) == 2  # nothing left to put back
    assert "no letter replaced by an import" in capsys.readouterr().err


def test_documents_command_writes_each_document(workspace, case_for_documents, tmp_path, capsys):
    data, case_id = case_for_documents
    folder = tmp_path / "docs"
    assert main(["--data-dir", data, "documents", str(case_id), "--out", str(folder)]) == 0
    out = capsys.readouterr().out
    names = sorted(p.name for p in folder.iterdir())
    assert names == [
        "certificate-of-service.docx",
        "cover.docx",
        "declaration.docx",
        "motion.docx",
        "proposed-order.docx",
    ]
    assert "Proposed order" in out and "Certificate of service" in out
    motion = docx_text((folder / "motion.docx").read_bytes())
    assert "RESPONDENT'S MOTION TO DISMISS THE PROCEEDINGS WITHOUT PREJUDICE" in motion
    assert "In the Matter of:" in motion and "ROSA QUINTERO" in motion
    order = docx_text((folder / "proposed-order.docx").read_bytes())
    assert "ORDER OF THE IMMIGRATION JUDGE" in order and "Immigration Judge" in order
    service = docx_text((folder / "certificate-of-service.docx").read_bytes())
    assert "through the EOIR Courts & Appeals System (ECAS)" in service
    assert main(["--data-dir", data, "documents", "--templates"]) == 0
    listed = capsys.readouterr().out
    assert "motion-dismissal.md\tbuilt in\tverified 2026-12-06" in listed
    pdfs = tmp_path / "pdfs"
    assert (
        main(["--data-dir", data, "documents", str(case_id), "--out", str(pdfs), "--format", "pdf"])
        == 0
    )
    order_pdf = run_tool("pdftotext", str(pdfs / "proposed-order.pdf"), "-")
    assert "ORDER OF THE IMMIGRATION JUDGE" in order_pdf and "If granted" in order_pdf


@pytest.fixture
def case_for_documents(workspace, manifest_factory, tmp_path):
    path = manifest_factory(
        {
            "client": {"name": "Rosa Quintero", "a_number": "A201-555-014"},
            "proceedings": {
                "court": "boston",
                "opla_office": "boston",
                "stage": "proceedings_pending",
                "pd_form": "dismissal",
                "destination": "court_motion",
            },
            "exhibits": [{"title": "Passport", "files": ["passport.pdf"]}],
        },
        folder=tmp_path / "motion-case",
    )
    case_id = workspace.import_manifest(path)
    data = str(workspace.data_dir)
    workspace.close()
    return data, case_id


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_converts_the_letter_docx_to_pdf(workspace, case, tmp_path):
    case_id, _ids = case
    out = tmp_path / "letter.docx"
    workspace.export_letter_word(case_id, out, today=DAY)
    profile = tmp_path / "lo-profile"
    res = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    text = " ".join(run_tool("pdftotext", str(tmp_path / "lo" / "letter.pdf"), "-").split())
    assert "Statement of facts" in text
    assert "Exh. B, pp. 2\u20133" in text and "Exh. C, p. 2" in text


def _run(text: str) -> object:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if text.startswith("~") else "w:t")
    t.text = text.lstrip("~")
    t.set(qn("xml:space"), "preserve")
    r.append(t)
    return r


def test_a_word_letter_reads_as_word_shows_it(workspace, case, tmp_path):
    """Hyperlinks and tracked insertions are text, tracked deletions are not,
    numbered paragraphs are a numbered list and footnotes become notes."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    case_id, ids = case
    d = docx.Document()
    p = d.add_paragraph("The lease is at ")
    link = OxmlElement("w:hyperlink")
    link.append(_run("Exhibit B, p. 2"))
    p._p.append(link)
    ins, dele = OxmlElement("w:ins"), OxmlElement("w:del")
    ins.set(qn("w:id"), "1"), dele.set(qn("w:id"), "2")
    ins.append(_run(" and is current"))
    dele.append(_run("~ and expired"))
    p._p.append(ins)
    p._p.append(dele)
    ref_run = OxmlElement("w:r")
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), "1")
    ref_run.append(ref)
    p._p.append(ref_run)
    p.add_run(".")
    numbering = d.part.numbering_part.element
    decimal = numbering.xpath('w:abstractNum[w:lvl[@w:ilvl="0"]/w:numFmt[@w:val="decimal"]]')[0]
    num = numbering.add_num(decimal.get(qn("w:abstractNumId")))
    for text in ("First point.", "Second point."):
        item = d.add_paragraph(text)
        item._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = num.numId
    notes = (
        '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:id="1"><w:p><w:r><w:t>Signed in 2015; see Exh. C.</w:t></w:r></w:p>'
        "</w:footnote></w:footnotes>"
    )
    part = Part(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, notes.encode(), d.part.package)
    d.part.relate_to(part, RT.FOOTNOTES)
    path = tmp_path / "tracked.docx"
    d.save(str(path))
    res = workspace.import_letter(case_id, path)
    text = workspace.letter(case_id).text
    b, c = ids[1], ids[2]
    assert f"The lease is at {{{{cite:{b}:pages=2}}}} and is current[1]." in text
    assert "expired" not in text
    assert "1. First point.\n1. Second point." in text
    assert text.rstrip().endswith(f"# Notes\n\n[1] Signed in 2015; see {{{{pages:{c}}}}}.")
    assert res.citations == 2 and not res.unmatched


def test_documents_of_a_case_with_no_evidence_yet(workspace, tmp_path):
    """A motion can be drafted before any evidence is in: the documents are
    written all the same (the packet itself needs exhibits)."""
    from pdpacket.model import Client, Proceedings

    case_id = workspace.create_case(
        Client(name="Ana Prueba", language="Spanish"),
        Proceedings(
            court_id="boston",
            stage="proceedings_pending",
            pd_form="administrative_closure",
            destination="court_motion",
        ),
    )
    written = workspace.export_documents(case_id, tmp_path / "docs", fmt="pdf", today=DAY)
    assert [w.kind for w in written] == ["cover", "motion", "order", "service", "declaration"]
    motion = " ".join(run_tool("pdftotext", str(tmp_path / "docs" / "motion.pdf"), "-").split())
    assert "RESPONDENT'S MOTION TO ADMINISTRATIVELY CLOSE THE PROCEEDINGS" in motion
    assert "under 8 CFR 1003.18(c)" in motion
    declaration = run_tool("pdftotext", str(tmp_path / "docs" / "declaration.pdf"), "-")
    assert "CERTIFICATE OF INTERPRETATION" in declaration

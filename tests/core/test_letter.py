"""The request letter: live citations, markup, the draft, the 3-way merge that
keeps the attorney's edits, and the PDF (checked with poppler, not only with
the library that wrote it)."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pdpacket.errors import BadInputError
from pdpacket.letter import citations, merge, render
from pdpacket.model import Client, FactorAnswer, Proceedings, markup
from pdpacket.packet.builder import CiteTarget
from tests.core.test_review import TODAY, add_exhibit, fill_letter, good_case
from tests.pdftools import pdfinfo, run_tool

CITES = {
    7: CiteTarget("B", 4, 5, "Passport"),  # tab page 4, one page: 5
    9: CiteTarget("C", 8, 11, "Lease"),  # tab page 8, pages 9-11
}


# ---- citations ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("{{cite:7}}", "Exhibit B"),
        ("{{pages:7}}", "Exh. B at 5"),
        ("{{pages:9}}", "Exh. C at 9–11"),
        ("{{cite:9:pages=2-3}}", "Exh. C at 10–11"),
        ("{{cite:9:pages=1}}", "Exh. C at 9"),
        ("{{ cite : 9 : pages = 2 – 3 }}", "Exh. C at 10–11"),
        ("{{cite:9:pages=3-4}}", "Exh. C [PAGES NOT IN EXHIBIT]"),
        ("{{cite:8}}", "[MISSING EXHIBIT]"),
        ("{{pages:8}}", "[MISSING EXHIBIT]"),
    ],
)
def test_citations_render_with_final_letters_and_packet_pages(token, expected):
    assert citations.render_tokens(f"See {token}.", CITES, TODAY) == f"See {expected}."


def test_citations_without_pages_name_the_exhibit_only():
    letters_only = {9: CiteTarget("C", 0, 0, "Lease")}
    for token in ("{{pages:9}}", "{{cite:9:pages=2}}"):
        assert citations.render_tokens(token, letters_only, TODAY) == "Exh. C"
    assert citations.render_tokens("{{cite:9}}", letters_only, TODAY) == "Exhibit C"
    assert citations.render_tokens("{{today}}", {}, dt.date(2026, 3, 3)) == "March 3, 2026"


def test_tokens_are_found_and_typos_reported():
    text = "See {{cite:3}}, {{pages:4}} and {{cite:5:pages=2-3}}; {{cite:x}} {{date}} [[todo]]"
    assert [(c.kind, c.exhibit_id, c.first, c.last) for c in markup.citations(text)] == [
        ("cite", 3, 0, 0),
        ("pages", 4, 0, 0),
        ("cite", 5, 2, 3),
    ]
    assert markup.unknown_tokens(text) == ["{{cite:x}}", "{{date}}"]
    assert markup.placeholders(text) == ["todo"]


def test_citations_follow_exhibits_to_new_ids():
    text = "{{cite:3}} {{pages:4}} {{cite:3:pages=2}} {{cite:9}}"
    assert markup.remap_citations(text, {3: 30, 4: 41}) == (
        "{{cite:30}} {{pages:41}} {{cite:30:pages=2}} {{cite:0}}"
    )


# ---- markup -------------------------------------------------------------------------
def test_markup_blocks_and_inline():
    text = (
        "# Facts\nShe came in 2005.\n\n## Work\n\n- one\n- two\n  continued\n\n"
        "1. first\n2. second\n\nChief Counsel\nOPLA"
    )
    blocks = markup.parse_blocks(text)
    assert [(b.kind, b.items) for b in blocks] == [
        ("h1", ("Facts",)),
        ("para", ("She came in 2005.",)),
        ("h2", ("Work",)),
        ("ul", ("one", "two continued")),
        ("ol", ("first", "second")),
        ("para", ("Chief Counsel\nOPLA",)),
    ]
    xml = render.inline_markup("**Re: A & B** *sic* 2 * 3 <x> [[write]]\nline")
    assert xml.startswith("<b>Re: A &amp; B</b> <i>sic</i> 2 * 3 &lt;x&gt;")
    assert "[[write]]</font><br/>line" in xml


# ---- the PDF --------------------------------------------------------------------------
def _words(pdf: Path) -> list[tuple[float, float, float, float, str]]:
    """Every word's box (xMin, yMin, xMax, yMax from the top) read by poppler."""
    html = run_tool("pdftotext", "-bbox", str(pdf), "-")
    return [
        (float(a), float(b), float(c), float(d), w)
        for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            html,
        )
    ]


def test_rendered_letter_is_letter_size_with_clear_margins_and_embedded_fonts(tmp_path):
    text = "{{today}}\n\n# Facts\n\n" + ("She has worked here since 2017. " * 40 + "\n\n") * 6
    text += "See {{pages:9}} and {{cite:8}}.\n\nRespectfully submitted,\n\nAna Ortiz"
    pdf = tmp_path / "l.pdf"
    pdf.write_bytes(render.render_letter_pdf(text, CITES, title="T", today=dt.date(2026, 3, 3)))
    info = pdfinfo(pdf)
    assert info["Page size"].startswith("612 x 792") and int(info["Pages"]) >= 2
    fonts = run_tool("pdffonts", str(pdf)).splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts), fonts  # all embedded
    assert "LiberationSerif" in "\n".join(fonts)
    words = _words(pdf)
    # One-inch margins all round (the top inch stays clear for fasteners).
    assert min(w[1] for w in words) >= 72 - 1 and max(w[3] for w in words) <= 792 - 72 + 1
    assert min(w[0] for w in words) >= 72 - 1 and max(w[2] for w in words) <= 612 - 72 + 1
    body = run_tool("pdftotext", str(pdf), "-")
    assert "March 3, 2026" in body and "Exh. C at 9–11" in body
    assert "[MISSING EXHIBIT]" in body
    # 12-point type throughout (font sizes read by mupdf).
    stext = run_tool("mutool", "draw", "-q", "-F", "stext", "-o", "-", str(pdf))
    assert set(re.findall(r'<font name="[^"]+" size="([\d.]+)"', stext)) == {"12"}


def test_signature_block_is_kept_together(tmp_path):
    filler = "\n\n".join(["A paragraph of the letter that takes a line or two."] * 37)
    text = filler + "\n\nRespectfully submitted,\n\n____\nAna Ortiz\nOrtiz Law"
    pdf = tmp_path / "l.pdf"
    pdf.write_bytes(render.render_letter_pdf(text, {}, title="T", today=TODAY))
    last = run_tool("pdftotext", "-f", "2", "-l", "2", str(pdf), "-")
    assert "Respectfully submitted," in last and "Ana Ortiz" in last


# ---- the draft --------------------------------------------------------------------------
def test_draft_has_every_part_of_a_strong_request(workspace, tmp_path):
    case_id, ids = good_case(workspace, tmp_path / "ev")
    workspace.store.set_factor_answer(
        case_id,
        FactorAnswer("criminal_history", True, "Arrested in 2015.", "Dismissed in 2016."),
    )
    disp = add_exhibit(
        workspace, case_id, tmp_path / "ev", "disposition", document_type="certified_disposition"
    )
    draft = workspace.draft_letter(case_id)
    assert draft.startswith("{{today}}\n")
    assert (
        "Chief Counsel\nOffice of the Principal Legal Advisor\nNew York City Field Location"
        in draft
    )
    assert "**Re: Rosa Test, A201-555-014**" in draft
    assert "Dismissal without prejudice (8 CFR 1239.2(c))" in draft
    assert "Next master calendar hearing: August 30, 2026" in draft
    assert "Rosa Test was born on January 2, 1990, in Peru" in draft
    assert f"See {{{{cite:{ids['passport']}}}}}." in draft  # identity, from the exhibits
    assert "# Statement of facts" in draft
    assert "## Long residence in the United States" in draft
    assert "She has lived here since 2005." in draft  # the attorney's notes
    assert f"Lease, {{{{pages:{ids['lease']}}}}}." in draft  # its supporting exhibit
    assert "## Criminal history" in draft and "Dismissed in 2016." in draft
    assert f"Disposition, {{{{pages:{disp}}}}}" in draft
    assert "has no prior removal order" in draft  # negatives answered "no"
    # what the discretion allows, not counsel's advice to the client
    assert "# The path that discretion opens" in draft and "Dismissal would allow" in draft
    assert "Counsel has advised" not in draft
    assert "# Conclusion" in draft and "Respectfully submitted," in draft
    assert "Ana Ortiz\nOrtiz Immigration Law" in draft and "Counsel for Rosa Test" in draft


def test_draft_marks_what_is_missing(workspace):
    case_id = workspace.create_case(Client(name="Nadie"), Proceedings(stage="final_order"))
    draft = workspace.draft_letter(case_id)
    todo = markup.placeholders(draft)
    assert any("OPLA office" in t for t in todo)
    assert any("form of discretion" in t for t in todo)
    assert any("date and country of birth" in t for t in todo)
    assert any("No positive factor" in t for t in todo)
    assert any("Attorney name" in t for t in todo)


def test_ero_and_court_addressees(workspace):
    ero = workspace.create_case(
        Client(name="Eva"), Proceedings(stage="final_order", pd_form="stay_of_removal")
    )
    draft = workspace.draft_letter(ero)
    assert "Field Office Director\nEnforcement and Removal Operations" in draft
    assert "Dear Field Office Director:" in draft and "Form I-246" in draft


# ---- the stored letter and the merge --------------------------------------------------------
def test_refresh_keeps_the_attorneys_edits_and_takes_the_drafts_changes(workspace, tmp_path):
    case_id, _ids = good_case(workspace, tmp_path / "ev")
    text = workspace.letter(case_id).text
    assert "as the client told us" in text  # the attorney's edit of the story
    # The case changes: a new factor with evidence, new notes for the old one.
    workspace.store.set_factor_answer(case_id, FactorAnswer("education", True, "GED in 2012."))
    diploma = add_exhibit(
        workspace,
        case_id,
        tmp_path / "ev",
        "diploma",
        document_type="diploma",
        factor_ids=["education"],
    )
    workspace.store.set_factor_answer(
        case_id, FactorAnswer("long_residence", True, "She has lived in Queens since 2005.")
    )
    update = workspace.refresh_letter(case_id)
    assert update.draft_changed and not update.conflicts and not update.created
    new = workspace.letter(case_id).text
    assert "as the client told us" in new  # kept
    assert "She has lived in Queens since 2005." in new  # taken from the new draft
    assert "## Education" in new and f"{{{{pages:{diploma}}}}}" in new
    assert new.index("## Long residence") < new.index("## Education")
    # Refreshing again changes nothing.
    again = workspace.refresh_letter(case_id)
    assert not again.draft_changed and workspace.letter(case_id).text == new


def test_both_sides_changed_is_a_conflict_that_keeps_the_attorneys_text():
    base = "# A\n\nOne.\n\n# B\n\nTwo.\n\n# C\n\nThree.\n"
    mine = "# A\n\nOne, edited.\n\n# B\n\nTwo.\n\n# C\n\nThree.\n"
    theirs = "# A\n\nOne, redrafted.\n\n# B\n\nTwo, redrafted.\n\n# C\n\nThree.\n"
    text, conflicts = merge.merge_letter(base, mine, theirs)
    assert text == "# A\n\nOne, edited.\n\n# B\n\nTwo, redrafted.\n\n# C\n\nThree.\n"
    [c] = conflicts
    assert (c.section, c.mine, c.draft) == ("A", "One, edited.", "One, redrafted.")


def test_sections_removed_by_the_draft():
    base = "# A\n\nOne.\n\n# B\n\nTwo.\n\n# C\n\nThree.\n"
    theirs = "# A\n\nOne.\n\n# C\n\nThree.\n"
    # Untouched by the attorney: it goes.
    assert merge.merge_letter(base, base, theirs) == (theirs, ())
    # Edited by the attorney: kept, and reported.
    mine = base.replace("Two.", "Two, with my words.")
    text, [c] = merge.merge_letter(base, mine, theirs)
    assert "Two, with my words." in text and c.section == "B" and c.draft == ""


def test_additions_next_to_edits_merge_cleanly():
    base = "# A\n\nOne.\n\n# C\n\nThree.\n"
    mine = "# A\n\nOne, edited.\n\nMy own paragraph.\n\n# C\n\nThree.\n"
    theirs = "# A\n\nOne.\n\n# B\n\nNew section.\n\n# C\n\nThree.\n"
    text, conflicts = merge.merge_letter(base, mine, theirs)
    assert not conflicts
    assert text == (
        "# A\n\nOne, edited.\n\nMy own paragraph.\n\n# B\n\nNew section.\n\n# C\n\nThree.\n"
    )


paragraphs = st.lists(st.sampled_from(["# H", "a.", "b.", "c.", "## K", "d.", "e."]), max_size=8)


@settings(max_examples=150, deadline=None)
@given(paragraphs, paragraphs, paragraphs)
def test_merge_laws(b, m, t):
    base, mine, theirs = ("\n\n".join(x) for x in (b, m, t))
    norm = markup.split_blocks
    # Nothing edited: the new draft wins.  Draft unchanged: the edits win.
    assert norm(merge.merge_letter(base, base, theirs)[0]) == norm(theirs)
    assert norm(merge.merge_letter(base, mine, base)[0]) == norm(mine)
    text, conflicts = merge.merge_letter(base, mine, theirs)
    # Every paragraph the attorney wrote that the draft never had survives.
    for p in set(norm(mine)) - set(norm(base)):
        assert p in norm(text)
    if not conflicts:
        for p in set(norm(theirs)) - set(norm(base)) - set(norm(mine)):
            assert p in norm(text)


def test_save_export_and_errors(workspace, tmp_path):
    case_id = workspace.create_case(Client(name="Sin Carta"))
    with pytest.raises(BadInputError, match="no request letter"):
        workspace.export_letter(case_id, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()
    saved = workspace.save_letter(case_id, "Dear Counsel:\n\nPlease.\n")
    assert saved.text.startswith("Dear Counsel") and not saved.untouched
    assert saved.draft_text == workspace.draft_letter(case_id)  # the base of a later merge
    res = workspace.export_letter(case_id, tmp_path / "out" / "letter.pdf")
    assert res.pages == 1 and not res.with_pages
    assert "Please." in run_tool("pdftotext", res.path, "-")
    # The deleted case takes its letter with it.
    workspace.store.delete_case(case_id)
    assert workspace.store.get_letter(case_id) is None


# ---- in the packet: citations follow a reorder ---------------------------------------------
def _page_with(pdf: Path, needle: str) -> str:
    pages = int(pdfinfo(pdf)["Pages"])
    for n in range(1, pages + 1):
        text = run_tool("pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-")
        if needle in text:
            return text
    raise AssertionError(f"{needle!r} is on no page of {pdf}")


def test_reordering_exhibits_changes_the_citations_in_the_packet(workspace, tmp_path):
    case_id = workspace.create_case(Client(name="Rosa Test", a_number="201555014"))
    ev = tmp_path / "ev"
    a = add_exhibit(workspace, case_id, ev, "alpha", pages=2)
    b = add_exhibit(workspace, case_id, ev, "bravo", pages=1)
    c = add_exhibit(workspace, case_id, ev, "charlie", pages=3)
    workspace.save_letter(
        case_id,
        f"Dear Chief Counsel:\n\nBravo is {{{{pages:{b}}}}}; see {{{{cite:{b}}}}}. "
        f"Charlie page 2 is {{{{cite:{c}:pages=2}}}}.\n",
    )
    out = tmp_path / "p1.pdf"
    workspace.build_packet(case_id, out)
    before = _page_with(out, "Dear Chief Counsel")
    # Where B really is: its tab page, from the outline (qpdf), then its first page.
    tab_b = _tab_page(out, "Exhibit B")
    tab_c = _tab_page(out, "Exhibit C")
    assert f"Bravo is Exh. B at {tab_b + 1}; see Exhibit B." in before
    assert f"Charlie page 2 is Exh. C at {tab_c + 2}." in before
    assert "bravo page 1" in run_tool(
        "pdftotext", "-f", str(tab_b + 1), "-l", str(tab_b + 1), str(out), "-"
    )

    workspace.store.reorder_exhibits(case_id, [c, a, b])
    out2 = tmp_path / "p2.pdf"
    workspace.build_packet(case_id, out2)
    after = _page_with(out2, "Dear Chief Counsel")
    tab_b2, tab_a2 = _tab_page(out2, "Exhibit C"), _tab_page(out2, "Exhibit A")
    assert f"Bravo is Exh. C at {tab_b2 + 1}; see Exhibit C." in after
    assert f"Charlie page 2 is Exh. A at {tab_a2 + 2}." in after
    assert "bravo page 1" in run_tool(
        "pdftotext", "-f", str(tab_b2 + 1), "-l", str(tab_b2 + 1), str(out2), "-"
    )
    # Exported alone, the letter cites the same pages as the last build...
    res = workspace.export_letter(case_id, tmp_path / "alone.pdf")
    assert res.with_pages
    assert f"Exh. C at {tab_b2 + 1}" in run_tool("pdftotext", res.path, "-")
    # ...until the case changes: then letters only, never stale page numbers.
    workspace.store.reorder_exhibits(case_id, [a, b, c])
    res = workspace.export_letter(case_id, tmp_path / "alone2.pdf")
    assert not res.with_pages
    text = run_tool("pdftotext", res.path, "-")
    assert "Bravo is Exh. B; see Exhibit B." in " ".join(text.split())


def _tab_page(pdf: Path, prefix: str) -> int:
    from tests.pdftools import outline_titles

    found = [p for t, _, p in outline_titles(pdf) if t.startswith(prefix)]
    assert found, outline_titles(pdf)
    return found[0]


def test_excluded_exhibit_renders_missing_in_the_packet(workspace, tmp_path):
    case_id = workspace.create_case(Client(name="Rosa Test"))
    ev = tmp_path / "ev"
    a = add_exhibit(workspace, case_id, ev, "alpha")
    b = add_exhibit(workspace, case_id, ev, "bravo")
    workspace.save_letter(case_id, f"See {{{{cite:{b}}}}} and {{{{cite:{a}}}}}.\n")
    workspace.store.update_exhibit(b, included=False)
    out = tmp_path / "p.pdf"
    workspace.build_packet(case_id, out)
    page = _page_with(out, "See ")
    assert "See [MISSING EXHIBIT] and Exhibit A." in " ".join(page.split())


# ---- the command ------------------------------------------------------------------------------
def _cli(*args: str, home: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pdpacket", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={"PDPACKET_HOME": str(home), "PATH": "/usr/bin:/bin"},
        check=False,
    )


def test_letter_command(tmp_path):
    from pdpacket.api import Workspace

    home = tmp_path / "home"
    with Workspace.open(home) as ws:
        case_id, _ids = good_case(ws, tmp_path / "ev")
        ws.store.delete_letter(case_id)
    cid = str(case_id)
    res = _cli("letter", cid, home=home)
    assert res.returncode == 0 and "no letter" in res.stdout
    out = tmp_path / "letter.pdf"
    res = _cli("letter", cid, "--out", str(out), "--date", "2026-03-03", home=home)
    assert res.returncode == 0, res.stderr
    assert "draft generated" in res.stderr and "exhibit letters only" in res.stdout
    body = run_tool("pdftotext", str(out), "-")
    assert "March 3, 2026" in body and "Exh. B" in body  # the lease is the 2nd exhibit
    text = _cli("letter", cid, "--text", home=home).stdout
    assert text.startswith("{{today}}") and "[[" in text
    edited = text.replace("She has lived here since 2005.", "She came in 2005, aged 15.")
    res = _cli("letter", cid, "--set", "-", home=home, stdin=edited)
    assert res.returncode == 0, res.stderr
    with Workspace.open(home) as ws:
        ws.store.set_factor_answer(
            case_id, FactorAnswer("long_residence", True, "Queens since 2005.")
        )
    res = _cli("letter", cid, "--refresh", home=home)
    assert res.returncode == 0
    assert 'conflict in "Long residence in the United States"' in res.stderr
    assert "Queens since 2005." in res.stderr  # what the new draft says there
    status = _cli("letter", cid, home=home).stdout
    assert "edited" in status and "unresolved conflict" in status
    _cli("letter", cid, "--resolved", home=home)
    assert "unresolved" not in _cli("letter", cid, home=home).stdout
    assert "She came in 2005, aged 15." in _cli("letter", cid, "--text", home=home).stdout
    res = _cli("letter", "999", home=home)
    assert res.returncode == 2


def test_demo_letter_reads_as_a_specific_request(workspace):
    case_id = workspace.create_demo_case()
    update = workspace.refresh_letter(case_id)
    text = update.letter.text
    # Specific: names, dates, the relief and its hook, every claimed factor's evidence.
    for needle in (
        "Lucía Fernanda Morales Rivas",
        "A201-555-014",
        "8 CFR 1003.18(c)",
        "June 12, 2009",
        "INA 245(a)",
        "severe persistent asthma",
        "dismissed charge was sealed",
        "New York City Field Location",
    ):
        assert needle in text, needle
    cited = {c.exhibit_id for c in markup.citations(text)}
    assert len(cited) == 15  # every demo exhibit is cited somewhere
    # Her identity is proved by her passport and birth certificate, not her son's.
    ids = {e.title.split(" of ")[0]: e.id for e in workspace.exhibits(case_id)}
    born = next(p for p in text.split("\n\n") if "was born on" in p)
    assert {c.exhibit_id for c in markup.citations(born)} == {
        ids["Passport"],
        ids["Birth certificate"],
    }
    fill_letter(workspace, case_id)
    assert not markup.placeholders(workspace.letter(case_id).text)


def test_letter_travels_with_its_case_in_an_archive(workspace, tmp_path):
    from pdpacket.api import Workspace

    case_id, _ids = good_case(workspace, tmp_path / "ev")
    text = workspace.letter(case_id).text
    titles = {
        c.exhibit_id: workspace.store.get_exhibit(c.exhibit_id).title
        for c in markup.citations(text)
    }
    archive = tmp_path / "case.pdpacket"
    workspace.export_case(case_id, archive)
    # A workspace where the ids are taken: the imported exhibits get new ones.
    with Workspace.open(tmp_path / "other") as other:
        other.store.set_attorney(workspace.store.attorney())  # settings stay behind
        office = workspace.opla_office("new-york-city")  # so do the firm's offices
        assert office is not None
        other.edit_office(office.id, email=office.email, address=office.address)
        first = other.create_case(Client(name="Someone Else"))
        add_exhibit(other, first, tmp_path / "ev2", "unrelated", pages=2)
        add_exhibit(other, first, tmp_path / "ev2", "unrelated_too", pages=2)
        new = other.import_archive(archive).case_id
        assert other.letter(first) is None  # never attached to another client's case
        moved = other.letter(new)
        assert moved is not None and moved.text != text
        new_titles = {
            c.exhibit_id: other.store.get_exhibit(c.exhibit_id).title
            for c in markup.citations(moved.text)
        }
        assert sorted(new_titles.values()) == sorted(titles.values())
        assert {e.id for e in other.exhibits(new)} >= set(new_titles)
        found = {f.code for f in other.review(new, today=TODAY)}
        assert not found & {"letter.missing", "letter.missing_exhibit", "letter.stale"}


def test_export_never_borrows_pages_from_a_build_without_this_letter(workspace, tmp_path):
    case_id = workspace.create_case(Client(name="Rosa Test"))
    a = add_exhibit(workspace, case_id, tmp_path / "ev", "alpha", pages=2)
    workspace.save_letter(case_id, f"See {{{{pages:{a}}}}}.\n")
    workspace.build_packet(case_id, tmp_path / "p.pdf")
    assert workspace.export_letter(case_id, tmp_path / "l1.pdf").with_pages

    class OtherLetter:  # e.g. a letter given to the builder directly
        def render(self, cites):
            return render.render_letter_pdf("A different letter.\n" * 60, cites, title="x")

    workspace.build_packet(case_id, tmp_path / "p2.pdf", letter=OtherLetter())
    res = workspace.export_letter(case_id, tmp_path / "l2.pdf")
    assert not res.with_pages and "See Exh. A." in run_tool("pdftotext", res.path, "-")


def test_a_firm_edited_sentence_with_a_stray_brace_or_unknown_name_still_drafts():
    """Resource text is filled by one function that never fails on what a firm wrote."""
    from pdpacket.policy.templates import SLOT, fill

    text = "Dear {title}: {ref} asks {nobody} for relief {under 8 CFR} {"
    assert fill(text, {"title": "Chief Counsel", "ref": "Respondent"}) == (
        "Dear Chief Counsel: Respondent asks {nobody} for relief {under 8 CFR} {"
    )
    assert fill("{{ opening }}\n{{missing}} {x}", {"opening": "Hi {x}"}, fields=SLOT) == (
        "Hi {x}\n{{missing}} {x}"
    )

"""A paralegal's first real case in the window: each problem they hit, driven
through the window as they met it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pdpacket.ui.archive_dialogs as ad
import pdpacket.ui.dialogs
import pytest
from pdpacket.ui.style import human_size
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLabel, QLineEdit

from pdpacket.model import Client, DocumentRole, FactorAnswer
from tests import evidence_gen as gen
from tests.pdftools import make_pdf, pdfinfo

from .helpers import drop_files, make_encrypted_pdf, wait_jobs


@pytest.fixture
def case_id(window, workspace):  # type: ignore[no-untyped-def]
    cid = workspace.create_case(Client(name="Ana Day", a_number="123456789"))
    window.cases.refresh()
    window.open_case(cid)
    return cid


def test_pages_of_a_one_file_exhibit_after_a_two_file_one(
    qtbot, window, workspace, case_id, evidence_dir
):
    birth = make_pdf(evidence_dir / "acta.pdf", ["Acta 1", "Acta 2"])
    english = make_pdf(evidence_dir / "translation.pdf", ["Birth 1", "Birth 2"])
    letter = make_pdf(evidence_dir / "letter.pdf", ["Letter"])
    workspace.add_evidence(case_id, [birth, letter])
    first, _ = workspace.exhibits(case_id)
    workspace.add_file_to_exhibit(first.id, english)
    window.go_to_step("evidence")
    step = window.step("evidence")
    window.ctx.exhibitsChanged.emit()
    step.select_exhibit(first.id)
    step.tabs.setCurrentWidget(step.pages)
    wait_jobs(qtbot, window)
    pages = step.pages
    assert pages.thumbs.count() == 4
    pages.thumbs.setCurrentRow(3)  # the last page of the translation
    rect = step.list.visualItemRect(step.list.item(1))
    qtbot.mouseClick(step.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    wait_jobs(qtbot, window)
    assert pages.thumbs.count() == 1
    assert pages.thumbs.currentRow() == 0  # the one page, shown: no stale row from the four


def test_a_repaired_file_is_confirmed_in_the_window(
    qtbot, window, workspace, case_id, evidence_dir
):
    [res] = workspace.add_evidence(case_id, [gen.truncated_pdf(evidence_dir / "records.pdf")])
    assert res.status == "warning"
    codes = {f.code for f in workspace.review(case_id)}
    assert "file.unconfirmed" in codes
    window.go_to_step("evidence")
    window.ctx.exhibitsChanged.emit()
    box = window.step("evidence").editor.confirm
    assert box.isVisible() and "records.pdf was damaged" in box.state.label.text()
    qtbot.mouseClick(box.button, Qt.MouseButton.LeftButton)
    assert "file.unconfirmed" not in {f.code for f in workspace.review(case_id)}
    assert not box.isVisible()
    assert "Confirmed the pages" in window.statusBar().currentMessage()


def noisy_photos(folder: Path, count: int) -> list[Path]:
    """Photos that do not compress: a packet of a few MB from a few files."""
    noise = Image.effect_noise((900, 1200), 60).convert("RGB")
    paths = []
    for n in range(count):
        path = folder / f"family_{n}.jpg"
        noise.rotate(n * 90 if n % 2 else 0).save(path, "JPEG", quality=95)
        paths.append(path)
    return paths


def test_an_edition_never_replaces_the_packet_built_before(
    qtbot, window, workspace, case_id, evidence_dir, tmp_path
):
    workspace.add_evidence(case_id, noisy_photos(evidence_dir, 4))
    window.go_to_step("build")
    build = window.step("build")
    out = tmp_path / "packets" / "Day packet.pdf"
    build.output.setText(str(out))
    build.build_button.click()
    wait_jobs(qtbot, window)
    assert out.is_file()
    standard_bytes = out.read_bytes()
    edition = build.option_widgets["edition"]
    edition.setCurrentIndex(edition.findData("efile"))
    build.option_widgets["max_mb"].setValue(0.6)
    build.build_button.click()
    wait_jobs(qtbot, window)
    assert out.read_bytes() == standard_bytes  # the standard packet is still there
    parts = sorted(out.parent.glob("Day packet (e-filing)_Part*.pdf"))
    assert len(parts) >= 2
    assert "Removed" not in build.result.label.text()
    m = build.history
    assert m.data(m.index(0, 3)) == human_size(sum(p.stat().st_size for p in parts))
    assert m.data(m.index(0, 2)) == str(sum(int(pdfinfo(p)["Pages"]) for p in parts))
    assert f"+ {len(parts) - 1} more" in m.data(m.index(0, 5))


def test_a_passed_filing_deadline_is_an_error_in_the_field_and_the_review(
    qtbot, window, workspace, case_id
):
    today = dt.date.today()
    workspace.update_proceedings(
        case_id, stage="proceedings_pending", pd_form="dismissal", destination="court_motion"
    )
    window.ctx.caseChanged.emit()
    window.go_to_step("client")
    client = window.step("client")
    client.load()
    hearing = client.hearing
    hearing.setFocus()
    qtbot.keyClicks(hearing, (today + dt.timedelta(days=8)).isoformat())
    msg = client.field(hearing).message
    assert "deadline passed 7 days ago" in msg.text() and "✓" not in msg.text()
    assert "master calendar" not in msg.text()
    hearing.editingFinished.emit()
    # a right date with a late filing: stored, and the review says it is late
    assert workspace.get_case(case_id).proceedings.hearing_date == today + dt.timedelta(days=8)
    [late] = [f for f in workspace.review(case_id) if f.code == "hearing.deadline_passed"]
    assert late.severity == "error" and "before the hearing" in late.message
    client.hearing_type.setCurrentIndex(client.hearing_type.findData("master"))
    [late] = [f for f in workspace.review(case_id) if f.code == "hearing.deadline_passed"]
    assert "before a master calendar hearing" in late.message
    # a month ahead: a green check and the day to file by
    client.field(hearing).set_text("")
    hearing.clear()
    qtbot.keyClicks(hearing, (today + dt.timedelta(days=40)).isoformat())
    assert msg.text().startswith("✓") and "in 25 days" in msg.text()


def test_starred_fields_left_empty_are_review_errors(window, workspace, case_id):
    workspace.update_client(case_id, a_number="")
    workspace.update_proceedings(case_id, stage="proceedings_pending", pd_form="dismissal")
    codes = {f.code: f for f in workspace.review(case_id)}
    for code in ("client.no_a_number", "proceedings.no_court", "hearing.missing"):
        assert codes[code].severity == "error" and codes[code].location.step == "client"
    # a case not yet before the court needs no court and no hearing
    workspace.update_proceedings(case_id, stage="pre_nta", pd_form="cancel_nta")
    codes = {f.code: f for f in workspace.review(case_id)}
    assert not {"client.no_a_number", "proceedings.no_court", "hearing.missing"} & set(codes)
    # the Review step jumps to the field
    workspace.update_proceedings(case_id, stage="detained", pd_form="dismissal")
    window.ctx.caseChanged.emit()
    [finding] = [f for f in workspace.review(case_id) if f.code == "proceedings.no_court"]
    window.step("review").go_to(finding)
    assert window.current_step() is window.step("client")
    assert window.step("client").court.hasFocus()


def test_a_factor_has_three_states_that_look_different(qtbot, window, workspace, case_id):
    window.go_to_step("factors")
    factors = window.step("factors")
    crime = factors.rows["criminal_history"]
    assert crime.state_label.text() == "? not answered"
    assert "factor.negatives_unanswered" in {f.code for f in workspace.review(case_id)}
    qtbot.mouseClick(crime.not_applies, Qt.MouseButton.LeftButton)
    assert crime.state_label.text() == "✗ does not apply" and not crime.detail.isVisible()
    answers = workspace.factor_answers(case_id)
    assert answers["criminal_history"].state == "does_not_apply"
    unanswered = next(
        f for f in workspace.review(case_id) if f.code == "factor.negatives_unanswered"
    )
    assert "Criminal history" not in unanswered.message  # answered: no longer listed
    qtbot.mouseClick(crime.applies, Qt.MouseButton.LeftButton)
    assert crime.state_label.text() == "✓ applies" and not crime.not_applies.isChecked()
    assert workspace.factor_answers(case_id)["criminal_history"].state == "applies"
    qtbot.mouseClick(crime.applies, Qt.MouseButton.LeftButton)  # pressed again: unsaid
    assert workspace.factor_answers(case_id)["criminal_history"].state == "unanswered"
    assert crime.state_label.text() == "? not answered"
    looks = {crime.styleSheet()}
    qtbot.mouseClick(crime.not_applies, Qt.MouseButton.LeftButton)
    looks.add(crime.styleSheet())
    qtbot.mouseClick(crime.applies, Qt.MouseButton.LeftButton)
    looks.add(crime.styleSheet())
    assert len(looks) == 3


def test_the_unanswered_negatives_finding_opens_the_negative_factors(
    qtbot, window, workspace, case_id
):
    [finding] = [f for f in workspace.review(case_id) if f.code == "factor.negatives_unanswered"]
    window.step("review").go_to(finding)
    factors = window.step("factors")
    assert window.current_step() is factors
    first_negative = factors.rows["criminal_history"]
    assert first_negative.applies.hasFocus()
    # in view, a comfortable way down, not at the very edge
    area = factors.scroll_area
    top = first_negative.mapTo(area.viewport(), first_negative.rect().topLeft()).y()
    assert 0 < top < area.viewport().height() * 2 // 3


def test_guesses_from_file_names_are_shown_and_count_once_confirmed(
    qtbot, window, workspace, case_id, evidence_dir
):
    workspace.set_factor_answer(case_id, FactorAnswer("long_residence", True, "Since 2005."))
    lease = make_pdf(evidence_dir / "lease.pdf", ["Lease"])
    photo = evidence_dir / "IMG_4001.jpg"
    Image.new("RGB", (300, 400), (200, 190, 180)).save(photo)
    acta = make_pdf(evidence_dir / "acta_de_nacimiento.pdf", ["Acta de nacimiento"])
    window.go_to_step("evidence")
    step = window.step("evidence")
    drop_files(step, [lease, photo, acta])
    wait_jobs(qtbot, window)
    by_title = {e.title: e for e in workspace.exhibits(case_id)}
    assert set(by_title) == {"Lease", "Photo", "Acta de nacimiento"}  # no "Img 4001"
    found = {f.code: f for f in workspace.review(case_id)}
    assert "factor.no_evidence" in found  # the guessed lease does not count yet
    assert "exhibit.guessed" in found and "Lease" in found["exhibit.guessed"].message
    step.select_exhibit(by_title["Acta de nacimiento"].id)
    editor = step.editor
    assert editor.guesses.isVisible()
    label = next(lab for lab in editor.findChildren(QLabel) if lab.buddy() is editor.factors)
    assert "(guess)" in label.text()
    step.select_exhibit(by_title["Lease"].id)
    qtbot.mouseClick(editor.guesses.button, Qt.MouseButton.LeftButton)
    assert not editor.guesses.isVisible() and "(guess)" not in label.text()
    found = {f.code for f in workspace.review(case_id)}
    assert "factor.no_evidence" not in found and "exhibit.guessed" not in found
    # the confirmation is one undo step; the status bar follows the undo
    window.undo_action.trigger()
    assert workspace.get_exhibit(by_title["Lease"].id).guessed
    assert window.statusBar().currentMessage() == "Undone: change of guesses of Exh. A."


def test_importing_an_archive_of_a_case_already_here_asks(
    qtbot, window, workspace, case_id, evidence_dir, tmp_path, monkeypatch
):
    workspace.add_evidence(case_id, [make_pdf(evidence_dir / "passport.pdf", ["Passport"])])
    out = tmp_path / "day.pdpacket"
    workspace.export_case(case_id, out)
    workspace.update_client(case_id, name="Ana M. Day")  # corrected here since: same case
    monkeypatch.setattr(ad, "pick_archive_open_path", lambda parent: str(out))
    answers = iter([None, "keep_both", "update"])
    asked: list[str] = []

    def choose(parent, title, text, choices):  # type: ignore[no-untyped-def]
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(pdpacket.ui.dialogs, "choose", choose)
    window.import_archive_action.trigger()  # cancelled: nothing changes
    wait_jobs(qtbot, window)
    assert len(workspace.list_cases()) == 1 and "already in pdpacket" in asked[0]
    assert "Import cancelled" in window.statusBar().currentMessage()
    window.import_archive_action.trigger()
    wait_jobs(qtbot, window)
    assert len(workspace.list_cases()) == 2  # kept both
    window.import_archive_action.trigger()
    wait_jobs(qtbot, window)
    assert len(workspace.list_cases()) == 2  # updated the latest, not a third
    assert len(asked) == 3
    # the audit log of an imported case names its exhibits by their new ids
    new = window.ctx.case_id
    [ex] = workspace.exhibits(new)
    added = [a for a in workspace.store.audit_entries(new) if a["action"] == "exhibit.add"]
    assert added and added[0]["detail"]["exhibit"] == ex.id


def test_the_progress_bar_waits_with_the_password_prompt(
    qtbot, window, workspace, case_id, evidence_dir, monkeypatch
):
    locked = make_encrypted_pdf(evidence_dir / "bank.pdf", "1234", ["Jan"])
    step = window.step("evidence")
    window.go_to_step("evidence")
    seen: list[str] = []

    def ask(cls, parent, filename, retry=False):  # type: ignore[no-untyped-def]
        seen.append(step.progress.text() if step.progress.isVisible() else "(hidden)")
        return "1234"

    monkeypatch.setattr(pdpacket.ui.dialogs.PasswordDialog, "ask", classmethod(ask))
    drop_files(step, [locked])
    wait_jobs(qtbot, window)
    assert seen and "Waiting for the password of bank.pdf" in seen[0]
    assert "Done" not in seen[0]
    assert [e.title for e in workspace.exhibits(case_id)] == ["Bank"]


def test_closing_with_an_invalid_value_asks_instead_of_losing_it(
    qtbot, window, workspace, case_id, monkeypatch
):
    window.go_to_step("client")
    client = window.step("client")
    dob = client.dob
    dob.setFocus()
    qtbot.keyClicks(dob, "1990-02-30")  # no such day
    answers = iter(["fix", "close"])
    asked: list[str] = []

    def choose(parent, title, text, choices):  # type: ignore[no-untyped-def]
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(pdpacket.ui.dialogs, "choose", choose)
    del window._close_anyway  # the fixture's shortcut: the user's prompt again
    assert not window.close()  # went back to the field
    assert window.isVisible() and dob.hasFocus() and dob.text() == "1990-02-30"
    assert "Date of birth holds “1990-02-30”" in asked[0]
    assert window.close()  # the user chose to lose it
    assert workspace.get_case(case_id).client.dob is None


def test_a_new_packet_folder_in_settings_takes_effect_at_once(
    qtbot, window, workspace, case_id, tmp_path, monkeypatch
):
    window.go_to_step("build")
    build = window.step("build")
    before = Path(build.output.text())
    folder = tmp_path / "Firm packets"
    values = pdpacket.ui.dialogs.SettingsValues(workspace.attorney(), str(folder), ())
    monkeypatch.setattr(
        pdpacket.ui.dialogs.SettingsDialog, "ask", classmethod(lambda cls, p, v: values)
    )
    window.settings_action.trigger()
    assert Path(build.output.text()) == folder / before.name
    # a folder chosen for this case stays where it was chosen
    own = tmp_path / "elsewhere" / "mine.pdf"
    build.output.setText(str(own))
    values = pdpacket.ui.dialogs.SettingsValues(workspace.attorney(), str(tmp_path / "x"), ())
    window.settings_action.trigger()
    assert build.output.text() == str(own)


def test_open_with_no_pdf_viewer_says_so(qtbot, window, workspace, case_id, tmp_path, monkeypatch):
    workspace.add_evidence(case_id, [make_pdf(tmp_path / "lease.pdf", ["Lease"])])
    window.go_to_step("build")
    build = window.step("build")
    build.output.setText(str(tmp_path / "p.pdf"))
    build.build_button.click()
    wait_jobs(qtbot, window)
    monkeypatch.setattr(pdpacket.ui.dialogs, "open_file", lambda path: False)
    build.open_button.click()
    assert "No program to open PDF files" in build.result.label.text()
    assert "No PDF viewer" in window.statusBar().currentMessage()


def test_step_titles_with_an_ampersand_show_it_in_the_go_menu(window):
    texts = [a.text() for a in window.step_actions]
    assert "&1 Client && proceedings" in texts


def test_case_documents_have_a_place_of_their_own(
    qtbot, window, workspace, case_id, evidence_dir, monkeypatch
):
    workspace.update_proceedings(case_id, destination="court_motion")
    window.ctx.caseChanged.emit()
    window.go_to_step("documents")
    docs = window.step("documents")
    docs.load()
    eoir = docs.rows[DocumentRole.EOIR28]
    assert "Needed for this destination" in eoir.state.text()
    assert not eoir.see.isEnabled() and not eoir.remove.isEnabled()
    first = make_pdf(evidence_dir / "EOIR-28 signed.pdf", ["EOIR-28 page 1"])
    second = make_pdf(evidence_dir / "EOIR-28 corrected.pdf", ["EOIR-28 again", "page 2"])
    picks = iter([str(first), str(second)])
    monkeypatch.setattr(pdpacket.ui.dialogs, "pick_file", lambda parent, title: next(picks))
    eoir.add.click()  # add
    wait_jobs(qtbot, window)
    assert "EOIR-28 signed.pdf (1 page" in eoir.state.text() and eoir.add.text() == "Replace…"
    assert docs.preview.currentWidget() is docs.view  # seen at once
    assert "appearance.missing" not in {f.code for f in workspace.review(case_id)}
    eoir.add.click()  # replace
    wait_jobs(qtbot, window)
    [doc] = workspace.case_documents(case_id)
    assert doc.original_name == "EOIR-28 corrected.pdf" and doc.pages == 2
    assert docs.view.document().pageCount() == 2
    # an uploaded letter can be removed again
    letter = docs.rows[DocumentRole.LETTER]
    monkeypatch.setattr(pdpacket.ui.dialogs, "pick_file", lambda parent, title: str(first))
    letter.add.click()
    wait_jobs(qtbot, window)
    monkeypatch.setattr(pdpacket.ui.dialogs, "confirm", lambda *a: True)
    letter.remove.click()
    assert [d.role for d in workspace.case_documents(case_id)] == [DocumentRole.EOIR28]
    assert "Removed the Uploaded letter" in window.statusBar().currentMessage()
    assert not letter.remove.isEnabled()


@pytest.mark.parametrize(
    "key",
    [
        "client",
        "stage",
        "factors",
        "evidence",
        "exhibits",
        "documents",
        "letter",
        "review",
        "build",
    ],
)
def test_the_window_works_at_1024_by_640(qtbot, window, workspace, key):
    case_id = workspace.create_demo_case()
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step(key)
    window.resize(1024, 640)
    qtbot.waitUntil(lambda: window.width() == 1024)
    assert window.minimumSizeHint().width() < 900
    step = window.step(key)
    # nothing cut off: the step is as wide as it needs, or scrolls sideways
    area = getattr(step, "scroll_area", None)
    if area is None or area.horizontalScrollBar().maximum() == 0:
        assert step.width() >= step.body.minimumSizeHint().width()
    right = step.mapTo(window, step.rect().topRight()).x()
    assert right <= window.width()


def test_f2_and_enter_keep_focus_on_the_renamed_row(qtbot, window, workspace, case_id, tmp_path):
    workspace.add_evidence(
        case_id, [make_pdf(tmp_path / f"doc_{n}.pdf", [f"doc {n}"]) for n in range(3)]
    )
    window.go_to_step("exhibits")
    step = window.step("exhibits")
    window.ctx.exhibitsChanged.emit()
    table = step.table
    step.select_ids([workspace.exhibits(case_id)[1].id])
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "Lease of 2019")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.hasFocus())
    second = workspace.exhibits(case_id)[1]
    assert second.title == "Lease of 2019"
    assert step.selected_ids() == [second.id]
    # a second F2 renames the same row again
    qtbot.keyClick(table, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "Lease of 2019"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)


def test_one_tab_stop_per_table(qtbot, window, workspace, case_id, tmp_path):
    workspace.add_evidence(
        case_id, [make_pdf(tmp_path / f"doc_{n}.pdf", [f"doc {n}"]) for n in range(3)]
    )
    window.go_to_step("exhibits")
    step = window.step("exhibits")
    window.ctx.exhibitsChanged.emit()
    from pdpacket.ui.archive_dialogs import BackupsDialog
    from pdpacket.ui.places_dialog import PlacesDialog

    backups = BackupsDialog(window.archives, window)
    places = PlacesDialog(workspace, window)
    others = [backups.table, *places.findChildren(QAbstractItemView)]
    for table in (step.table, window.step("build").table, *others):
        assert not table.tabKeyNavigation(), table.accessibleName()
    backups.deleteLater()
    places.deleteLater()
    step.table.setFocus()
    qtbot.keyClick(step.table, Qt.Key.Key_Tab)
    assert not step.table.hasFocus()  # Tab left the table; arrows move inside it


def test_citation_chips_show_their_whole_label(qtbot, window, workspace):
    from pdpacket.ui.steps import letter_editor as le
    from PySide6.QtGui import QFontMetricsF

    case_id = workspace.create_demo_case()
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("letter")
    editor = window.step("letter").editor
    ex = workspace.exhibits(case_id)[5]
    label = le.chip_text(f"{{{{pages:{ex.id}}}}}", editor.chips.infos)[0]
    assert "…" not in label and label == "Exh. F at pages"
    doc = editor.document()
    font = editor.chips._font(doc)
    size = editor.chips.intrinsicSize(doc, 0, le.chip_format(f"{{{{pages:{ex.id}}}}}"))
    assert size.width() > QFontMetricsF(font).horizontalAdvance(label) * 1.05


def test_the_demo_case_says_it_is_fictional(qtbot, window, workspace, case_id):
    assert not window.demo_banner.isVisible()
    demo = workspace.create_demo_case()
    window.cases.refresh()
    window.open_case(demo)
    assert window.demo_banner.isVisible() and "fictional" in window.demo_banner.label.text()
    window.open_case(case_id)
    assert not window.demo_banner.isVisible()


def test_a_review_jump_into_the_letter_shows_the_text_comfortably(qtbot, window, workspace):
    case_id = workspace.create_demo_case()
    text = workspace.letter(case_id).text
    filler = "Filler paragraph.\n\n" * 60
    workspace.save_letter(case_id, text + "\n\n" + filler + "[[the end]]\n\n" + filler)
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("letter")
    letter = window.step("letter")
    letter.load()
    assert letter.select_object("", "letter.placeholder")
    editor = letter.editor
    top = editor.cursorRect().top()
    height = editor.viewport().height()
    assert height // 6 < top < height * 2 // 3, (top, height)


def test_the_letter_preview_starts_readable(qtbot, window, workspace):
    case_id = workspace.create_demo_case()
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("letter")
    letter = window.step("letter")
    letter.side.setCurrentIndex(1)
    sizes = letter.split.sizes()
    assert sizes[1] >= sum(sizes) // 2 - 2  # at least half of the room for the page
    wait_jobs(qtbot, window)


def test_a_confirmation_line_does_not_push_the_form_down(qtbot, window, workspace, case_id):
    window.go_to_step("client")
    client = window.step("client")
    dob, below = client.dob, client.country
    y = below.mapTo(client.body, below.rect().topLeft()).y()
    dob.setFocus()
    qtbot.keyClicks(dob, "1990-03-14")
    assert client.field(dob).message.text().startswith("✓")
    qtbot.wait(10)
    assert below.mapTo(client.body, below.rect().topLeft()).y() == y


def test_the_status_bar_follows_an_undo(qtbot, window, workspace, case_id, tmp_path):
    workspace.add_evidence(case_id, [make_pdf(tmp_path / "lease.pdf", ["Lease"])])
    window.go_to_step("exhibits")
    step = window.step("exhibits")
    window.ctx.exhibitsChanged.emit()
    step.select_ids([workspace.exhibits(case_id)[0].id])
    step.remove_selected()
    assert window.statusBar().currentMessage().startswith("Removed 1 exhibit")
    window.undo_action.trigger()
    assert len(workspace.exhibits(case_id)) == 1
    message = window.statusBar().currentMessage()
    assert message.startswith("Undone: removal") and "Removed" not in message


def test_a_size_message_names_no_command_line_flag(
    qtbot, window, workspace, case_id, tmp_path, errors
):
    workspace.add_evidence(case_id, [make_pdf(tmp_path / "lease.pdf", ["Lease"])])
    window.go_to_step("build")
    build = window.step("build")
    build.output.setText(str(tmp_path / "p.pdf"))
    edition = build.option_widgets["edition"]
    edition.setCurrentIndex(edition.findData("efile"))
    build.option_widgets["max_mb"].setValue(0.2)
    build.build_button.click()
    wait_jobs(qtbot, window)
    [report] = errors.take()
    assert "0.5 MB" in f"{report.text} {report.hint}"
    assert "--" not in f"{report.text} {report.hint}"

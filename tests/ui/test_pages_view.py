"""The Pages view's page tools in the window: keyboard, drag and drop, the
context menu's split and merge, each undone with Ctrl+Z."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

from pdpacket.model import Client
from tests.core.packet_fixtures import add_exhibit, text_pdf

from .helpers import wait_jobs


@pytest.fixture
def pages_view(qtbot, window, workspace):  # type: ignore[no-untyped-def]
    case_id = workspace.create_case(Client(name="Pages Client"))
    add_exhibit(workspace, case_id, "Lease", text_pdf([f"LEASE {n}" for n in range(1, 5)]))
    add_exhibit(workspace, case_id, "Pay stubs", text_pdf(["STUB 1", "STUB 2"]))
    window.cases.refresh()
    window.open_case(case_id)
    window.go_to_step("evidence")
    step = window.step("evidence")
    step.select_exhibit(workspace.exhibits(case_id)[0].id)
    step.tabs.setCurrentWidget(step.pages)
    view = step.pages
    wait_jobs(qtbot, window)
    view.thumbs.setFocus()
    qtbot.waitUntil(lambda: view.thumbs.hasFocus())
    view.case_id = case_id
    view.step = step
    return view


CTRL = Qt.KeyboardModifier.ControlModifier


def order(workspace, exhibit_id):  # type: ignore[no-untyped-def]
    return [(p.source + 1, p.turns, p.deleted) for p in workspace.exhibit_pages(exhibit_id)]


def test_keys_rotate_delete_restore_move_and_undo(qtbot, window, workspace, pages_view):
    view = pages_view
    ex = view.exhibit.id
    assert view.thumbs.count() == 4 and view.thumbs.item(0).icon().isNull() is False
    assert view.step.tabs.tabText(1) == "&Pages (4)"
    qtbot.keyClick(view.thumbs, Qt.Key.Key_PageDown)  # page 2
    assert view.thumbs.currentRow() == 1
    qtbot.keyClick(view.thumbs, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    assert order(workspace, ex)[1] == (2, 1, False)
    qtbot.keyClick(view.thumbs, Qt.Key.Key_Delete)
    assert order(workspace, ex)[1] == (2, 1, True)
    # the exhibit stays; the page is greyed with Restore, and the counts follow
    assert workspace.exhibits(view.case_id)[0].id == ex
    assert view.deleted_bar.isVisible() and view.thumbs.item(1).text() == "Page 2\ndeleted"
    assert view.step.tabs.tabText(1) == "&Pages (3)"
    assert "3 pages" in view.step.list.item(0).data(Qt.ItemDataRole.AccessibleTextRole)
    view.restore_button.click()
    assert order(workspace, ex)[1] == (2, 1, False) and not view.deleted_bar.isVisible()
    qtbot.keyClick(view.thumbs, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert [s for s, _, _ in order(workspace, ex)] == [1, 3, 2, 4]
    assert view.thumbs.currentRow() == 2  # the moved page stays selected
    assert "move of page 2 of Exh. A" in window.statusBar().currentMessage()
    # Ctrl+Z four times: move, restore, delete, rotate
    for _ in range(4):
        qtbot.keyClick(view.thumbs, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert order(workspace, ex) == [(n, 0, False) for n in range(1, 5)]
    qtbot.keyClick(view.thumbs, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert order(workspace, ex)[1] == (2, 1, False)


def test_zoom_keys_and_a_readable_wide_view(qtbot, window, pages_view, tmp_path):
    view = pages_view
    narrow = view.page_label.pixmap().width()
    qtbot.keyClick(view.thumbs, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert not view.step.list.isVisible()
    fit_width = view.page_label.pixmap().width()
    # fit: the page's width fills the wide view, a pixel or more per point (12-point
    # type at least 12 pixels high) at 1280x800
    assert fit_width > narrow and fit_width >= 0.95 * 612
    window.grab().save("/tmp/pages-wide.png")
    qtbot.keyClick(view.thumbs, Qt.Key.Key_Equal, CTRL)
    assert view.zoom is not None and view.page_label.pixmap().width() > fit_width
    qtbot.keyClick(view.thumbs, Qt.Key.Key_Minus, CTRL)
    qtbot.keyClick(view.thumbs, Qt.Key.Key_Minus, CTRL)
    assert view.page_label.pixmap().width() < fit_width
    qtbot.keyClick(view.thumbs, Qt.Key.Key_0, CTRL)
    assert view.zoom is None and view.page_label.pixmap().width() == fit_width
    qtbot.keyClick(view.thumbs, Qt.Key.Key_PageDown)
    qtbot.keyClick(view.thumbs, Qt.Key.Key_PageDown)
    qtbot.keyClick(view.thumbs, Qt.Key.Key_PageUp)
    assert view.thumbs.currentRow() == 1 and "Page 2 of 4" in view.status.text()
    qtbot.keyClick(view.thumbs, Qt.Key.Key_F, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert view.step.list.isVisible()  # the exhibit list is back


def test_drag_a_thumbnail_to_move_it(qtbot, window, workspace, pages_view):
    view = pages_view
    ex = view.exhibit.id
    view.thumbs.setCurrentRow(0)  # drag page 1 onto page 3: it lands after it
    mime = view.thumbs.mimeData([view.thumbs.item(0)])
    target = view.thumbs.visualItemRect(view.thumbs.item(2)).center()
    drop = QDropEvent(
        QPointF(target),
        Qt.DropAction.MoveAction,
        mime or QMimeData(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    # as Qt delivers a drop that started in the same list
    drop.source = lambda: view.thumbs  # type: ignore[method-assign]
    view.thumbs.dropEvent(drop)
    assert [s for s, _, _ in order(workspace, ex)] == [2, 3, 1, 4]
    assert view.thumbs.count() == 4
    QApplication.processEvents()


def test_split_here_and_merge_with_next_from_the_menu(qtbot, window, workspace, pages_view):
    view = pages_view
    lease, stubs = (e.id for e in workspace.exhibits(view.case_id))
    view.thumbs.setCurrentRow(2)
    menu = view.context_menu()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert "Split here" in texts and "Merge with next" in texts
    view.actions_by_name["split"].trigger()
    exhibits = workspace.exhibits(view.case_id)
    assert [e.title for e in exhibits] == ["Lease", "Lease (part 2)", "Pay stubs"]
    assert [e.pages for e in exhibits] == [2, 2, 2]
    assert view.step.list.count() == 3  # the exhibit list follows
    view.actions_by_name["merge"].trigger()  # Lease + Lease (part 2): one again
    assert [e.pages for e in workspace.exhibits(view.case_id)] == [4, 2]
    view.actions_by_name["merge"].trigger()  # and the pay stubs too
    assert [e.pages for e in workspace.exhibits(view.case_id)] == [6]
    assert view.thumbs.count() == 6
    for _ in range(3):
        qtbot.keyClick(view.thumbs, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [e.id for e in workspace.exhibits(view.case_id)] == [lease, stubs]
    assert view.thumbs.count() == 4


def test_the_letter_step_shows_a_citation_that_followed_a_moved_page(
    qtbot, window, workspace, pages_view
):
    view = pages_view
    ex = view.exhibit.id
    workspace.save_letter(view.case_id, f"# Facts\n\nThe lease {{{{cite:{ex}:pages=4}}}}.\n")
    window.go_to_step("letter")
    letter_step = window.step("letter")
    letter_step.load()
    window.go_to_step("evidence")
    view.thumbs.setFocus()
    view.thumbs.setCurrentRow(3)
    for _ in range(3):
        qtbot.keyClick(view.thumbs, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert f"{{{{cite:{ex}:pages=1}}}}" in workspace.letter(view.case_id).text
    window.go_to_step("letter")
    assert f"{{{{cite:{ex}:pages=1}}}}" in letter_step.editor.markup()
    # an edit of the letter keeps the citation where the page went
    letter_step.editor.set_markup(letter_step.editor.markup() + "\nMore.\n")
    letter_step._edited()
    assert letter_step.commit()
    text = workspace.letter(view.case_id).text
    assert f"{{{{cite:{ex}:pages=1}}}}" in text and "More." in text

"""The app works from the keyboard: keys are driven with qtbot on the demo
data, and what they did is checked on screen and in the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QPlainTextEdit

from desktop.store import mentors as mentor_store
from desktop.ui.common import registered_pages
from tests.ui.dialogs import type_text
from tests.ui.screens import catching_exec, opened_dialog, settle

CTRL = Qt.KeyboardModifier.ControlModifier


def _active(qtbot, window) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def _rows_views(window):
    """Every table, tree and list on every page that opens its rows."""
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        settle()
        page = window.stack.currentWidget()
        for view in page.findChildren(QAbstractItemView):
            if view.isVisible() and view.receivers("2doubleClicked(QModelIndex)"):
                yield window.navigation.item(row).text(), view


def test_enter_opens_the_selected_row_in_every_table(qtbot, demo_window):
    # There is no desktop file viewer here: the Documents page's opener
    # (its own seam) records the file instead of handing it to one.
    opened_files = []
    demo_window.page("documents").open_url = opened_files.append
    checked = []
    for page, view in _rows_views(demo_window):
        if view.model().rowCount() == 0:
            continue
        view.setFocus()
        view.setCurrentIndex(view.model().index(0, 0))
        opened = []
        view.doubleClicked.connect(lambda index, seen=opened: seen.append(index.row()))
        with catching_exec():  # what the row opens is closed again at once
            qtbot.keyClick(view, Qt.Key.Key_Return)
        assert opened == [0], f"Enter did nothing in {page}'s {view.objectName()}"
        checked.append(f"{page}/{view.objectName()}")
    assert {"Mentors/mentorsTable", "Requests/requestsTable"} <= set(checked)
    assert len(opened_files) == 1  # Enter on a document opens its file


def test_enter_on_a_mentor_opens_that_mentors_form(qtbot, demo_window):
    demo_window.show_page("mentors")
    page = demo_window.page("mentors")
    settle()
    page.table.selectRow(2)
    page.table.setFocus()
    dialog = opened_dialog(lambda: qtbot.keyClick(page.table, Qt.Key.Key_Enter), "MentorDialog")
    name = mentor_store.get_mentor(page.selected_id()).last_name
    assert dialog.findChild(QLineEdit, "lastName").text() == name


def test_tab_leaves_a_table_at_once(qtbot, demo_window):
    _active(qtbot, demo_window)
    demo_window.show_page("mentors")
    table = demo_window.page("mentors").table
    settle()
    assert table.model().rowCount() > 3
    table.setFocus()
    table.setCurrentIndex(table.model().index(0, 0))
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    assert not table.hasFocus()


def test_tab_from_the_search_goes_to_the_results(qtbot, demo_window):
    _active(qtbot, demo_window)
    demo_window.show_page("mentors")
    table = demo_window.page("mentors").table
    demo_window.search.setFocus()
    type_text(demo_window.search, "Okafor")
    qtbot.keyClick(demo_window.search, Qt.Key.Key_Tab)
    assert table.hasFocus()
    assert table.currentIndex().isValid()


def test_ctrl_and_a_digit_switch_pages(qtbot, demo_window):
    _active(qtbot, demo_window)
    keys = [spec.key for spec in registered_pages()]
    assert len(keys) == 8
    for number, key in enumerate(keys, start=1):
        qtbot.keyClick(demo_window.search, getattr(Qt.Key, f"Key_{number}"), CTRL)
        assert demo_window.stack.currentWidget() is demo_window.page(key), key


def test_every_menu_and_menu_item_has_an_alt_shortcut(demo_window):
    missing = []
    clashes = []

    def walk(actions, where):
        letters = {}
        for action in actions:
            if action.isSeparator():
                continue
            text = action.text()
            if "&" not in text.replace("&&", ""):
                missing.append(f"{where} → {text}")
            else:
                letter = text[text.index("&") + 1].lower()
                if letter in letters:
                    clashes.append(f"{where}: {letters[letter]!r} and {text!r}")
                letters[letter] = text
            if action.menu() is not None:
                walk(action.menu().actions(), text.replace("&", ""))

    walk(demo_window.menuBar().actions(), "menu bar")
    assert missing == [] and clashes == []


def test_ctrl_enter_saves_a_dialog(qtbot, demo_window, dialogs):
    def fill(dialog):
        type_text(dialog.findChild(QLineEdit, "lastName"), "Abernathy")
        notes = dialog.findChild(QPlainTextEdit, "notes")
        notes.setFocus()
        type_text(notes, "Met at grand rounds")
        qtbot.keyClick(notes, Qt.Key.Key_Return, CTRL)

    dialogs.then(fill)
    demo_window.add_mentor_action.trigger()
    dialogs.check()
    saved = [m for m in mentor_store.load_mentor_rows() if "Abernathy" in m.display_name]
    assert len(saved) == 1
    assert mentor_store.get_mentor(saved[0].id).notes == "Met at grand rounds"  # no line break


def test_ctrl_enter_sends_in_compose(qtbot, demo_window):
    compose = opened_dialog(
        lambda: demo_window.compose(request_id=1, purpose="request"), "ComposeDialog"
    )
    compose.show()
    settle()
    sent = []
    compose.send_button.clicked.connect(lambda: sent.append(True))
    body = compose.findChild(QPlainTextEdit, "composeBody") or compose.body
    with_text = body.toPlainText()
    with catching_exec():  # Send's own confirmation or error, answered "cancel"
        qtbot.keyClick(body, Qt.Key.Key_Return, CTRL)
    assert sent == [True]
    assert body.toPlainText() == with_text  # no line break was typed
    compose.reject()


def test_ctrl_l_logs_an_interaction_with_the_selected_requests_writer(qtbot, demo_window, dialogs):
    _active(qtbot, demo_window)
    demo_window.show_page("requests")
    page = demo_window.page("requests")
    settle()
    page.table.selectRow(0)
    mentor_id = page.selected_mentor_id()
    before = len(mentor_store.interactions_for(mentor_id))

    def write(dialog):
        type_text(dialog.summary, "Talked after clinic")
        qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, CTRL)

    dialogs.then(write)
    qtbot.keyClick(page.table, Qt.Key.Key_L, CTRL)
    dialogs.check()
    assert len(mentor_store.interactions_for(mentor_id)) == before + 1
    assert demo_window.stack.currentWidget() is page  # logged in place


def test_ctrl_l_without_a_mentor_says_what_to_select(qtbot, demo_window):
    _active(qtbot, demo_window)
    demo_window.show_page("programs")
    settle()
    qtbot.keyClick(demo_window.search, Qt.Key.Key_L, CTRL)
    assert "Select a mentor" in demo_window.statusBar().currentMessage()


def test_todays_first_card_is_two_tab_presses_from_the_page_list(qtbot, demo_window):
    """From the page list, where focus starts: Tab to the search, Tab to
    the first card's first button; each card is then five stops."""
    _active(qtbot, demo_window)
    page = demo_window.page("today")
    settle(busy=page.is_refreshing)
    demo_window.navigation.setFocus()
    first_card = page.actions_list.cards[0]
    presses = 0
    while presses < 20 and QApplication.focusWidget().parentWidget() is not first_card:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        presses += 1
    assert presses == 2
    assert QApplication.focusWidget() is next(iter(first_card.buttons.values()))
    stops = 0
    second_card = page.actions_list.cards[1]
    while stops < 20 and QApplication.focusWidget().parentWidget() is not second_card:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        stops += 1
    assert stops <= len(first_card.buttons)


def test_the_go_menu_lists_every_page(demo_window):
    actions = [a for a in demo_window.findChildren(QAction) if a.objectName().startswith("go")]
    assert len(actions) == demo_window.navigation.count()


def test_ctrl_l_on_a_today_card_logs_with_that_cards_writer(qtbot, demo_window, dialogs):
    _active(qtbot, demo_window)
    page = demo_window.page("today")
    settle(busy=page.is_refreshing)
    card = page.actions_list.cards[0]
    demo_window.search.setFocus()
    qtbot.keyClick(demo_window.search, Qt.Key.Key_Tab)  # onto the first card
    mentor_id = page.selected_mentor_id()
    assert mentor_id is not None and card.isAncestorOf(QApplication.focusWidget())
    before = len(mentor_store.interactions_for(mentor_id))
    headings = []

    def write(dialog):
        headings.append(dialog.windowTitle())
        type_text(dialog.summary, "Caught her after rounds")
        qtbot.keyClick(dialog.summary, Qt.Key.Key_Return, CTRL)

    dialogs.then(write)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_L, CTRL)
    dialogs.check()
    assert headings == ["Log an interaction"]
    assert len(mentor_store.interactions_for(mentor_id)) == before + 1

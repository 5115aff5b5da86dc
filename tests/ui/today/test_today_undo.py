"""Today's one-click changes are said in the window's status bar with an
Undo (issue 12): "Mark submitted" asks the day, Undo puts the letter back
as it was and the card returns. A real main window over a real file."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from desktop.domain.actions import ActionKind
from desktop.domain.timing import format_day
from desktop.store.models import LetterRequest, RequestEvent

from ..dialogs import answer_move_date
from .test_today_page import _today, card, cards, scenario  # noqa: F401  (fixtures)


def test_mark_submitted_then_undo_from_the_status_bar(qtbot, db, scenario, dialogs, today):  # noqa: F811
    from desktop.ui.shell import MainWindow

    rid = scenario["requests"]["Nguyen"]  # asked 40 days ago, overdue
    window = MainWindow(scenario_paths(db))
    qtbot.addWidget(window)
    window.show()
    window.show_page("today")
    page = window.page("today")
    qtbot.waitUntil(lambda: not page.is_refreshing() and bool(cards(page)), timeout=5000)
    yesterday = today - timedelta(days=1)

    dialogs.then(answer_move_date(yesterday))
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        qtbot.mouseClick(
            card(page, ActionKind.OVERDUE, rid).button("markSubmitted"), Qt.MouseButton.LeftButton
        )
    dialogs.check()
    request = LetterRequest.get_by_id(rid)
    assert (request.status, request.submitted_on) == ("submitted", yesterday)
    notice = window.undo_notice
    assert notice.isVisible()
    assert notice.text.text() == f"Dr. Nguyen: marked submitted ({format_day(yesterday)})."

    with qtbot.waitSignal(page.refreshed, timeout=5000):
        qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)
    request = LetterRequest.get_by_id(rid)
    assert (request.status, request.submitted_on) == ("asked", None)
    assert card(page, ActionKind.OVERDUE, rid)  # the letter is overdue again


def test_a_logged_thank_you_can_be_taken_back(qtbot, db, scenario, dialogs, today):  # noqa: F811
    from desktop.ui.shell import MainWindow

    rid = scenario["requests"]["Sorensen"]  # submitted, not thanked yet
    window = MainWindow(scenario_paths(db))
    qtbot.addWidget(window)
    window.show()
    window.show_page("today")
    page = window.page("today")
    qtbot.waitUntil(lambda: not page.is_refreshing() and bool(cards(page)), timeout=5000)
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        card(page, ActionKind.THANK, rid).button("logThankYou").click()
    assert LetterRequest.get_by_id(rid).thanked_on == today
    assert window.undo_notice.text.text() == "Thank-you logged for today."
    # Ctrl+Z does it too. (The window's action is triggered directly: the
    # offscreen platform does not always make the window active, and a
    # shortcut only reaches an active window.)
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        window.undo_action.trigger()
    assert RequestEvent.select().count() == 0 and LetterRequest.get_by_id(rid).thanked_on is None
    assert window.statusBar().currentMessage() == "Thank-you taken back."
    assert card(page, ActionKind.THANK, rid)


def scenario_paths(db):
    from pathlib import Path

    from desktop.paths import DataPaths

    return DataPaths(Path(db.database).parent)

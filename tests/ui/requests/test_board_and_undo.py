"""The board and the Requests table say what each letter needs next, fold
the letters that will not come, and every move made there is said in the
status bar with an Undo (issue 12). Driven in the real main window over a
real SQLite file."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from desktop.domain.timing import format_day
from desktop.domain.vocabulary import RequestStatus
from desktop.store.models import LetterRequest
from desktop.store.requests import UNDO_NOTE, move_status, status_history

from ..dialogs import answer_move_date
from .test_requests_page import OFFSCREEN_POPUP, drop_card, make_cycle, make_request, make_writer

pytestmark = OFFSCREEN_POPUP
S = RequestStatus


def board_in(window, qtbot):
    window.show_page("requests")
    page = window.page("requests")
    qtbot.mouseClick(page.board_button, Qt.MouseButton.LeftButton)
    assert page.views.currentWidget() is page.board
    return page


def card_text(page, request_id: int) -> str:
    _view, index = page.board.card_index(request_id)
    return index.data(Qt.ItemDataRole.AccessibleTextRole)


def test_cards_say_the_next_step_and_its_date(qtbot, db, window, today):
    eras = make_cycle()
    planned = make_request(eras, make_writer("Okafor"), due_on=today + timedelta(days=60))
    late = make_request(eras, make_writer("Lee"), due_on=today + timedelta(days=20))
    accepted = make_request(eras, make_writer("Park"), due_on=today + timedelta(days=10))
    move_status(accepted, S.ASKED, on=today - timedelta(days=5), today=today)
    move_status(accepted, S.ACCEPTED, on=today - timedelta(days=4), today=today)
    page = board_in(window, qtbot)

    ask_by = today + timedelta(days=60 - 42)  # the default six weeks' lead
    assert card_text(page, planned).endswith(f"Ask, ask by {ask_by:%b} {ask_by.day}")
    passed = today + timedelta(days=20 - 42)
    assert card_text(page, late).endswith(f"ask by {passed:%b} {passed.day} (late)")
    assert card_text(page, accepted).endswith("Send materials, due in 10 days")

    # The table has the same ask-by day in a column of its own.
    qtbot.mouseClick(page.table_button, Qt.MouseButton.LeftButton)
    titles = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(4, 6)]
    assert titles == ["Ask by", "Asked"]
    cell = page.model.index(page.model.row_of_id(planned), 4)
    assert cell.data() == ask_by.isoformat()
    late_cell = page.model.index(page.model.row_of_id(late), 4)
    assert late_cell.data(Qt.ItemDataRole.ToolTipRole).endswith("(passed: ask as soon as you can)")
    assert page.model.index(page.model.row_of_id(accepted), 4).data() == ""


def test_declined_and_withdrawn_fold_away_and_open_on_a_click(qtbot, db, window, today):
    eras = make_cycle()
    gone = make_request(eras, make_writer("Okafor"))
    move_status(gone, S.WITHDRAWN, on=today, today=today)
    page = board_in(window, qtbot)
    board = page.board

    toggle = board.findChild(QToolButton, "boardHeader_withdrawn")
    assert toggle.text() == "Withdrawn (1)"
    assert not board.is_column_shown(S.WITHDRAWN) and not board.is_column_shown(S.DECLINED)
    assert board.is_column_shown(S.PLANNED)
    folded_width = board.views[S.PLANNED].width()
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert board.is_column_shown(S.WITHDRAWN) and board.views[S.WITHDRAWN].isVisible()
    assert board.column_ids(S.WITHDRAWN) == [gone]
    assert board.views[S.PLANNED].width() < folded_width  # the room is shared again
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert not board.views[S.WITHDRAWN].isVisible()


@pytest.mark.parametrize("ways", ["board drop", "move menu"])
def test_a_move_asks_its_day_and_the_status_bar_undoes_it(qtbot, db, window, dialogs, today, ways):
    eras = make_cycle()
    rid = make_request(eras, make_writer("Okafor"), due_on=today + timedelta(days=50))
    page = board_in(window, qtbot)
    asked_on = today - timedelta(days=3)

    dialogs.then(answer_move_date(asked_on))
    if ways == "board drop":
        drop_card(page, rid, S.ASKED)
    else:
        page.select_id(rid)
        page.move_selected(S.ASKED)
    qtbot.waitUntil(lambda: LetterRequest.get_by_id(rid).status == "asked")
    dialogs.check()
    assert LetterRequest.get_by_id(rid).asked_on == asked_on
    notice = window.undo_notice
    qtbot.waitUntil(notice.isVisible)
    assert notice.text.text() == f"Dr. Sam Okafor: marked asked ({format_day(asked_on)})."
    assert page.board.column_ids(S.ASKED) == [rid]

    qtbot.mouseClick(notice.button, Qt.MouseButton.LeftButton)

    request = LetterRequest.get_by_id(rid)
    assert (request.status, request.asked_on) == ("planned", None)
    assert [(h.from_status, h.to_status, h.note) for h in status_history(rid)][-2:] == [
        (S.PLANNED, S.ASKED, ""),
        (S.ASKED, S.PLANNED, UNDO_NOTE),
    ]
    assert not notice.isVisible()
    assert window.statusBar().currentMessage() == (
        "Dr. Sam Okafor: back to planned; the history keeps both steps."
    )
    qtbot.waitUntil(lambda: page.board.column_ids(S.PLANNED) == [rid])


def test_undo_after_the_letter_moved_on_says_so_and_changes_nothing(
    qtbot, db, window, dialogs, today
):
    eras = make_cycle()
    rid = make_request(eras, make_writer("Okafor"))
    page = board_in(window, qtbot)
    dialogs.then(answer_move_date())
    drop_card(page, rid, S.ASKED)
    qtbot.waitUntil(window.undo_notice.isVisible)
    move_status(rid, S.ACCEPTED, on=today, today=today)  # another window moved it on

    window.undo_notice.button.click()

    assert LetterRequest.get_by_id(rid).status == "accepted"
    assert "changed since" in window.statusBar().currentMessage()


def test_the_board_and_its_open_columns_come_back_as_left(qtbot, db, tmp_path, page_context):
    from PySide6.QtCore import QSettings

    from desktop.ui.requests.requests_page import RequestsPage

    settings = QSettings(str(tmp_path / "view.ini"), QSettings.Format.IniFormat)
    page = RequestsPage(page_context)
    qtbot.addWidget(page)
    qtbot.mouseClick(page.board_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        page.board.findChild(QToolButton, "boardHeader_declined"), Qt.MouseButton.LeftButton
    )
    page.save_view_state(settings)
    settings.sync()

    again = RequestsPage(page_context)
    qtbot.addWidget(again)
    again.restore_view_state(QSettings(str(tmp_path / "view.ini"), QSettings.Format.IniFormat))
    assert again.is_board_shown()
    assert again.board.is_column_shown(S.DECLINED) and not again.board.is_column_shown(S.WITHDRAWN)

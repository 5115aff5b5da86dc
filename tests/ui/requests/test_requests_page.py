"""The Requests page driven as a user drives it: the New request… button
with the ranked writers, the Move menu, the board's drag and drop, the
decline-to-backup flow, filters, sorting and the overdue colours.

The page is built on its own (``RequestsPage(page_context)``) over a real SQLite file;
data is created through the store, as the rest of the app does.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QPoint, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QPushButton,
)

from desktop.domain.vocabulary import RequestStatus, Service
from desktop.paths import DataPaths
from desktop.store import mentors as mentor_store
from desktop.store.mentors import InteractionFields, MentorFields
from desktop.store.models import Assignment, Cycle, LetterRequest
from desktop.store.programs import ProgramFields, assign, create_program
from desktop.store.requests import RequestFields, create_request, move_status, status_history
from desktop.ui.common import PageContext
from desktop.ui.requests.request_columns import DUE_SOON_COLOUR, OVERDUE_COLOUR
from desktop.ui.requests.requests_page import RequestsPage

from ..dialogs import answer_move_date, button, click_message_button

# The pages read the real clock, so the tests use the same day: set for each
# test by _today below (from the per-test ``today`` fixture), not at import.
TODAY = date.min  # a placeholder until _today runs


@pytest.fixture(autouse=True)
def _today(today: date, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(globals(), "TODAY", today)


S = RequestStatus

# A popup menu asks the platform to raise it and grab the keyboard, which the
# offscreen platform cannot do; it says so, and the menu works all the same.
OFFSCREEN_POPUP = pytest.mark.qt_log_ignore(
    "This plugin does not support raise()", "This plugin does not support grabbing the keyboard"
)
pytestmark = OFFSCREEN_POPUP


# --- data and driving helpers (also used by test_request_dialog.py) ----------------


def make_cycle(service: Service = Service.ERAS_RESIDENCY, name: str = "ERAS 2030") -> int:
    return Cycle.create(service=service.value, name=name, max_letters_per_program=4).id


def make_writer(last: str, *, logged: int = 0, **extra) -> int:
    values = {"honorific": "Dr.", "first_name": "Sam", **extra}
    mentor_id = mentor_store.save_mentor(
        MentorFields(last_name=last, category="clinical_supervisor", **values)
    )
    for n in range(logged):
        mentor_store.save_interaction(
            mentor_id,
            InteractionFields(TODAY - timedelta(days=3 + n), "feedback", "Presented a case"),
        )
    return mentor_id


def make_request(cycle_id: int, mentor_id: int, **changes) -> int:
    values = RequestFields(mentor_id=mentor_id, cycle_id=cycle_id, waiver=True)
    for key, value in changes.items():
        setattr(values, key, value)
    return create_request(values)


def status_of(request_id: int) -> str:
    return LetterRequest.get_by_id(request_id).status


def open_page(qtbot, db) -> RequestsPage:
    page = RequestsPage(PageContext(DataPaths(Path(db.database).parent)))
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    qtbot.waitExposed(page)
    return page


def pick_from_menu(qtbot, push_button: QPushButton, menu: QMenu, text: str | None) -> list[str]:
    """Pop up ``push_button``'s menu, read it, and choose ``text`` with the
    keyboard (or close the menu when ``text`` is None). Returns the entries
    offered, with section titles in brackets.

    The menu is opened with ``showMenu()``, what a click on the button
    calls: a synthesised click on the button did not always open it once
    other tests had run before (QTest's click bookkeeping is global).
    """
    offered: list[str] = []
    state = {"chosen": False}

    def choose() -> None:
        if not menu.isVisible():
            QTimer.singleShot(20, choose)
            return
        target = None
        for action in menu.actions():
            label = action.text().replace("&", "")
            offered.append(f"[{label}]" if action.isSeparator() else label)
            if label == text and action.isEnabled():
                target = action
        state["chosen"] = True
        if target is None:
            menu.close()
            return
        menu.setActiveAction(target)
        QTest.keyClick(menu, Qt.Key.Key_Return)

    assert push_button.isEnabled() and push_button.menu() is menu
    QTimer.singleShot(20, choose)
    push_button.showMenu()  # returns at once or after the menu closed, by platform
    qtbot.waitUntil(lambda: state["chosen"] and not menu.isVisible())
    return [entry for entry in offered if entry != "[]"]


def shown_column(page: RequestsPage, column: int) -> list[str]:
    model = page.model
    return [model.index(row, column).data() for row in range(model.rowCount())]


def drop_card(page: RequestsPage, request_id: int, to_status: RequestStatus) -> None:
    """Drag a board card onto another column. The drag itself (QDrag.exec)
    runs its own platform loop that the offscreen platform does not drive,
    so this sends the drop events a real drag delivers to the target view,
    carrying the QMimeData the source view's model makes for the card."""
    board = page.board
    found = board.card_index(request_id)
    assert found is not None, "card not on the board"
    source, index = found
    mime = source.model().mimeData([index])
    target = board.views[to_status].viewport()
    at = QPoint(20, 20)
    move = Qt.DropAction.MoveAction
    buttons, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, move, mime, buttons, none)
    QApplication.sendEvent(target, enter)
    assert enter.isAccepted(), "the column refused the card before the drop"
    QApplication.sendEvent(target, QDragMoveEvent(at, move, mime, buttons, none))
    QApplication.sendEvent(target, QDropEvent(at, move, mime, buttons, none))


# --- tests -------------------------------------------------------------------------


def test_new_request_shows_ranked_writers_with_reasons_and_saves(qtbot, db, dialogs):
    eras = make_cycle()
    okafor = make_writer("Okafor", strength=5, logged=4, specialty="Internal Medicine")
    make_writer("Lee", strength=2, specialty="Surgery")
    page = open_page(qtbot, db)
    assert page.empty_state.isVisible() and "No letter requests yet" in page.empty_state.text()
    seen: dict = {}

    def fill(dialog):
        candidates = dialog.findChild(QListWidget, "candidates")
        specialty = dialog.findChild(QComboBox, "specialty")
        specialty.lineEdit().selectAll()
        qtbot.keyClicks(specialty.lineEdit(), "Internal Medicine")
        seen["candidates"] = [candidates.item(r).text() for r in range(candidates.count())]
        first = candidates.item(0)
        qtbot.mouseClick(
            candidates.viewport(),
            Qt.MouseButton.LeftButton,
            pos=candidates.visualItemRect(first).center(),
        )
        seen["writer"] = dialog.findChild(QComboBox, "mentor").currentText()
        # No program chosen: ticking "Due" leaves the day blank, and saving
        # asks for one rather than inventing today.
        qtbot.mouseClick(dialog.findChild(QCheckBox, "hasDueDate"), Qt.MouseButton.LeftButton)
        due = dialog.findChild(QDateEdit, "dueOn")
        seen["blank due"] = due.text()
        dialog.findChild(QComboBox, "waiver").setCurrentIndex(1)
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)
        seen["dates error"] = dialog.findChild(QLabel, "datesError").text()
        # Due today: the ideal ask-by day is six weeks gone, so the ask
        # date is today and the hint says the ideal day has passed.
        due.setDate(QDate(TODAY))
        seen["ask"] = dialog.findChild(QDateEdit, "plannedAskOn").date().toPython()
        seen["hint"] = dialog.findChild(QLabel, "askHint").text()
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(fill)
    qtbot.mouseClick(page.findChild(QPushButton, "newRequest"), Qt.MouseButton.LeftButton)
    dialogs.check()

    best, other = seen["candidates"]
    assert best.startswith("1. Dr. Sam Okafor — score")
    assert "strength 5/5" in best and "4 interactions, last 3 days ago" in best
    assert "specialty matches Internal Medicine" in best
    assert "specialty is Surgery, not Internal Medicine" in other
    assert seen["writer"] == "Dr. Sam Okafor"
    request = LetterRequest.get()
    assert (request.mentor_id, request.cycle_id, request.specialty) == (
        okafor,
        eras,
        "Internal Medicine",
    )
    assert request.status == "planned" and request.waiver is True
    assert seen["blank due"] == "choose a day"
    assert seen["dates error"] == "Choose the day the letter is due, or untick “Due”."
    assert seen["ask"] == TODAY
    assert seen["hint"].startswith("The ideal day to ask (") and "has passed" in seen["hint"]
    assert request.due_on == TODAY and request.planned_ask_on == TODAY
    assert shown_column(page, 0) == ["Dr. Sam Okafor"]
    assert page.selected_id() == request.id
    assert page.count_label.text() == "1 of 1 requests"


def test_move_menu_walks_the_main_line_and_offers_only_legal_moves(qtbot, db, dialogs):
    eras = make_cycle()
    rid = make_request(eras, make_writer("Okafor"), due_on=TODAY + timedelta(days=60))
    page = open_page(qtbot, db)
    page.select_id(rid)

    offered = pick_from_menu(qtbot, page.move_button, page.move_menu, None)
    # From planned: ask or withdraw; nothing further along, nothing to undo.
    assert offered == ["Mark asked", "Withdraw request"]

    for step, status in (
        ("Mark asked", "asked"),
        ("Mark accepted", "accepted"),
        ("Mark materials sent", "materials_sent"),
        ("Mark submitted", "submitted"),
    ):
        if status in ("asked", "submitted"):  # the day matters: asked for, today by default
            dialogs.then(answer_move_date())
        pick_from_menu(qtbot, page.move_button, page.move_menu, step)
        dialogs.check()
        assert status_of(rid) == status
        assert page.selected_id() == rid  # the row stays selected after the move
    assert shown_column(page, 3) == ["Submitted"]
    assert shown_column(page, 7) == [TODAY.isoformat()]  # submitted
    history = [(h.from_status, h.to_status) for h in status_history(rid)]
    assert history[-1] == (S.MATERIALS_SENT, S.SUBMITTED) and len(history) == 5

    # A finished letter offers corrections only, set apart and labelled.
    offered = pick_from_menu(qtbot, page.move_button, page.move_menu, None)
    assert offered == [
        "[Corrections (recorded in the history)]",
        "Undo: back to Materials sent",
        "Undo: back to Accepted",
        "Undo: back to Asked",
    ]

    def explain(dialog):
        qtbot.keyClicks(
            dialog.findChild(QPlainTextEdit, "moveNote"), "Portal showed the wrong writer"
        )
        qtbot.mouseClick(button(dialog, "OK"), Qt.MouseButton.LeftButton)

    dialogs.then(explain)
    pick_from_menu(qtbot, page.move_button, page.move_menu, "Undo: back to Materials sent")
    dialogs.check()
    last = status_history(rid)[-1]
    assert status_of(rid) == "materials_sent"
    assert last.is_correction and last.note == "Portal showed the wrong writer"


def test_eras_refuses_asked_until_the_waiver_is_answered(qtbot, db, dialogs):
    eras = make_cycle()
    rid = make_request(eras, make_writer("Okafor"), waiver=None)
    page = open_page(qtbot, db)
    page.select_id(rid)
    assert shown_column(page, 10) == ["Not answered"]
    seen = {}

    def refused(box):
        seen["text"] = box.text()
        seen["name"] = box.objectName()
        click_message_button(box, "OK")

    dialogs.then(refused)
    pick_from_menu(qtbot, page.move_button, page.move_menu, "Mark asked")
    dialogs.check()
    assert seen["name"] == "moveRefused"
    assert seen["text"] == (
        "Answer the waiver question first: ERAS residency requires it before a writer is asked."
    )
    assert status_of(rid) == "planned"


def test_board_drag_moves_a_card_and_an_illegal_column_says_why(qtbot, db, dialogs):
    eras = make_cycle()
    rid = make_request(eras, make_writer("Okafor"), due_on=TODAY + timedelta(days=50))
    page = open_page(qtbot, db)
    qtbot.mouseClick(page.board_button, Qt.MouseButton.LeftButton)
    assert page.views.currentWidget() is page.board
    assert page.board.column_ids(S.PLANNED) == [rid]
    header = page.board.findChild(QLabel, "boardHeader_planned")
    assert header.text() == "Planned (1)"

    seen = {}

    def refused(box):
        seen["text"] = box.text()
        click_message_button(box, "OK")

    dialogs.then(refused)
    drop_card(page, rid, S.SUBMITTED)
    qtbot.waitUntil(lambda: "text" in seen)
    dialogs.check()
    assert seen["text"] == "Mark the request asked before marking it submitted."
    assert status_of(rid) == "planned" and page.board.column_ids(S.PLANNED) == [rid]

    for target in (S.ASKED, S.ACCEPTED, S.MATERIALS_SENT, S.SUBMITTED):
        if target in (S.ASKED, S.SUBMITTED):
            dialogs.then(answer_move_date())
        drop_card(page, rid, target)
        qtbot.waitUntil(lambda t=target: status_of(rid) == t.value)
        qtbot.waitUntil(lambda t=target: page.board.column_ids(t) == [rid])
    assert page.board.column_ids(S.PLANNED) == []
    assert page.board.findChild(QLabel, "boardHeader_submitted").text() == "Submitted (1)"
    # The table is the same list: switching back shows the new status.
    qtbot.mouseClick(page.table_button, Qt.MouseButton.LeftButton)
    assert shown_column(page, 3) == ["Submitted"]


def test_decline_with_note_then_backup_carries_over_the_programs(qtbot, db, dialogs):
    eras = make_cycle()
    okafor = make_writer("Okafor", specialty="Internal Medicine")
    haddad = make_writer("Haddad", strength=5, logged=3, specialty="Internal Medicine")
    make_writer("Lee", strength=1)
    due = TODAY + timedelta(days=40)
    rid = make_request(eras, okafor, specialty="Internal Medicine", due_on=due, letter_type="chair")
    move_status(rid, S.ASKED, on=TODAY, today=TODAY)
    programs = [
        create_program(ProgramFields(cycle_id=eras, name=name)) for name in ("Lakeshore", "Mercy")
    ]
    for program in programs:
        assign(rid, program)
    page = open_page(qtbot, db)
    page.select_id(rid)
    seen = {}

    def note(dialog):
        assert dialog.objectName() == "moveNoteDialog"
        qtbot.keyClicks(dialog.findChild(QPlainTextEdit, "moveNote"), "On sabbatical this fall")
        qtbot.mouseClick(button(dialog, "OK"), Qt.MouseButton.LeftButton)

    def backup(dialog):
        candidates = dialog.findChild(QListWidget, "backupCandidates")
        seen["candidates"] = [candidates.item(r).text() for r in range(candidates.count())]
        create = dialog.findChild(QPushButton, "createBackup")
        seen["enabled_before"] = create.isEnabled()
        qtbot.mouseClick(
            candidates.viewport(),
            Qt.MouseButton.LeftButton,
            pos=candidates.visualItemRect(candidates.item(0)).center(),
        )
        qtbot.mouseClick(create, Qt.MouseButton.LeftButton)

    def final(box):
        # ERAS: the backup's assignments cannot be undone, so it asks first.
        assert box.objectName() == "confirmBackupAssignment"
        seen["final"] = box.text()
        click_message_button(box, "Assign now")

    dialogs.then(note).then(backup).then(final)
    pick_from_menu(qtbot, page.move_button, page.move_menu, "Mark declined")
    dialogs.check()

    assert "Assign the backup's letter to Lakeshore, Mercy now?" in seen["final"]
    assert status_of(rid) == "declined"
    assert status_history(rid)[-1].note == "On sabbatical this fall"
    first, second = seen["candidates"]
    assert first.startswith("1. Dr. Sam Haddad")
    assert "specialty matches Internal Medicine" in first and "not a department chair" in first
    assert "Okafor" not in " ".join(seen["candidates"])  # the writer who declined
    assert "strength 1/5" in second
    assert seen["enabled_before"] is False
    new = LetterRequest.get(LetterRequest.backup_for == rid)
    assert (new.mentor_id, new.status, new.letter_type, new.specialty, new.due_on) == (
        haddad,
        "planned",
        "chair",
        "Internal Medicine",
        due,
    )
    copied = {a.program_id for a in Assignment.select().where(Assignment.request == new.id)}
    assert copied == set(programs)
    assert page.selected_id() == new.id  # the backup is selected for the next step
    row = page.model.row_at(page.table.currentIndex())
    assert row.mentor_name == "Dr. Sam Haddad" and row.program_count == 2


def test_filters_by_status_cycle_writer_and_text_and_sorts_by_column(qtbot, db):
    eras = make_cycle(name="ERAS 2030")
    amcas = make_cycle(Service.AMCAS, name="AMCAS 2030")
    okafor, lee = make_writer("Okafor"), make_writer("Lee", first_name="Mina")
    a = make_request(eras, okafor, letter_id="E-7", due_on=TODAY + timedelta(days=30))
    make_request(eras, lee, specialty="Surgery", due_on=TODAY + timedelta(days=10))
    make_request(amcas, lee, due_on=TODAY + timedelta(days=20))
    move_status(a, S.ASKED, on=TODAY, today=TODAY)
    page = open_page(qtbot, db)
    assert shown_column(page, 0) == ["Dr. Mina Lee", "Dr. Mina Lee", "Dr. Sam Okafor"]

    status = page.status_filter
    status.setCurrentIndex(status.findData("asked"))
    assert shown_column(page, 0) == ["Dr. Sam Okafor"]
    assert page.count_label.text() == "1 of 3 requests"
    status.setCurrentIndex(status.findData(None))

    page.cycle_filter.setCurrentIndex(page.cycle_filter.findData(amcas))
    assert shown_column(page, 0) == ["Dr. Mina Lee"] and shown_column(page, 6) == [
        (TODAY + timedelta(days=20)).isoformat()
    ]
    page.cycle_filter.setCurrentIndex(0)
    page.mentor_filter.setCurrentIndex(page.mentor_filter.findData(lee))
    assert shown_column(page, 2) == ["Surgery", "General"]
    page.mentor_filter.setCurrentIndex(0)

    page.set_search_text("surg")
    assert shown_column(page, 2) == ["Surgery"]
    page.set_search_text("e-7")  # the letter ID
    assert shown_column(page, 0) == ["Dr. Sam Okafor"]
    page.set_search_text("nobody")
    assert page.views.currentWidget() is page.empty_state
    assert page.empty_state.text() == "No request matches the search and filters."
    page.set_search_text("")

    header = page.table.horizontalHeader()
    qtbot.mouseClick(
        header.viewport(),
        Qt.MouseButton.LeftButton,
        pos=QPoint(header.sectionViewportPosition(0) + 10, header.height() // 2),
    )
    names = shown_column(page, 0)
    assert names in (sorted(names), sorted(names, reverse=True))
    header.setSortIndicator(3, Qt.SortOrder.DescendingOrder)  # status, furthest along first
    assert shown_column(page, 3) == ["Asked", "Planned", "Planned"]


def test_overdue_and_soon_due_rows_stand_out(qtbot, db):
    eras = make_cycle()
    writer = make_writer("Okafor")
    overdue = make_request(eras, writer, due_on=TODAY - timedelta(days=2))
    move_status(overdue, S.ASKED, on=TODAY - timedelta(days=30), today=TODAY)
    soon = make_request(eras, make_writer("Lee"), due_on=TODAY + timedelta(days=3))
    late_but_done = make_request(eras, make_writer("Park"), due_on=TODAY - timedelta(days=5))
    move_status(late_but_done, S.ASKED, on=TODAY - timedelta(days=40), today=TODAY)
    move_status(late_but_done, S.SUBMITTED, on=TODAY - timedelta(days=6), today=TODAY)
    calm = make_request(eras, make_writer("Ngo"), due_on=TODAY + timedelta(days=90))
    page = open_page(qtbot, db)

    def background(request_id: int):
        row = page.model.row_of_id(request_id)
        brush = page.model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole)
        return None if brush is None else brush.color()

    assert background(overdue) == OVERDUE_COLOUR
    assert background(soon) == DUE_SOON_COLOUR
    assert background(late_but_done) is None and background(calm) is None
    row = page.model.row_of_id(overdue)
    assert page.model.index(row, 6).data(Qt.ItemDataRole.ToolTipRole).endswith("(2 days overdue)")


def test_a_long_list_shows_its_first_screen_then_the_rest_from_a_worker(
    qtbot, db, make_mentor, page_context
):
    from desktop.store.models import Cycle, LetterRequest
    from desktop.ui.requests.requests_page import FIRST_SCREEN_ROWS, RequestsPage

    mentor = make_mentor("Okafor")
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    total = FIRST_SCREEN_ROWS + 30
    LetterRequest.insert_many(
        [
            {
                "mentor": mentor,
                "cycle": cycle,
                "letter_type": "narrative",
                "due_on": date(2027, 1, 1) + timedelta(days=n % 90),
            }
            for n in range(total)
        ]
    ).execute()
    page = RequestsPage(page_context)
    qtbot.addWidget(page)
    with qtbot.waitSignal(page.loaded, timeout=10_000):
        page.reload()
        assert page.is_loading()
        assert page.model.rowCount() == FIRST_SCREEN_ROWS
        assert page.count_label.text() == f"Loading {total} requests…"
    assert page.model.rowCount() == total
    assert page.count_label.text() == f"{total} of {total} requests"


def test_a_long_writer_list_is_read_when_the_filter_first_opens(
    qtbot, db, make_mentor, monkeypatch, page_context
):
    from desktop.store.models import Cycle, LetterRequest
    from desktop.ui.requests import requests_page
    from desktop.ui.requests.requests_page import RequestsPage

    monkeypatch.setattr(requests_page, "WRITERS_LISTED_AT_ONCE", 1)
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    for name in ("Okafor", "Lee", "Haddad"):
        LetterRequest.create(mentor=make_mentor(name), cycle=cycle, letter_type="narrative")
    page = RequestsPage(page_context)
    qtbot.addWidget(page)
    page.show()
    assert page.mentor_filter.count() == 1  # only "All writers" until opened
    page.mentor_filter.showPopup()
    assert [page.mentor_filter.itemText(i) for i in range(page.mentor_filter.count())] == [
        "All writers",
        "Haddad",
        "Lee",
        "Okafor",
    ]
    page.mentor_filter.hidePopup()
    page.mentor_filter.setCurrentIndex(2)
    assert {
        page.model.row_at(page.model.index(r, 0)).mentor_name for r in range(page.model.rowCount())
    } == {"Lee"}
    page.reload()  # the choice survives a reload that does not list writers yet
    assert page.mentor_filter.currentText() == "Lee" and page.model.rowCount() == 1


def test_programs_button_assigns_the_selected_letter_from_the_requests_side(
    qtbot, db, make_mentor, dialogs, page_context
):
    from PySide6.QtWidgets import QTableView

    from desktop.store.models import Assignment, Cycle, LetterRequest
    from desktop.store.programs import ProgramFields, create_program
    from desktop.ui.requests.requests_page import RequestsPage

    from ..dialogs import button, click_message_button

    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    rid = LetterRequest.create(
        mentor=make_mentor("Okafor"), cycle=cycle, letter_type="narrative"
    ).id
    for name in ("Lakeshore IM", "Riverside IM"):
        create_program(ProgramFields(cycle_id=cycle.id, name=name))
    page = RequestsPage(page_context)
    qtbot.addWidget(page)
    page.show()
    page.select_id(rid)

    def choose(dialog):
        table = dialog.findChild(QTableView, "assignmentChoices")
        model = table.model()
        for row in range(model.rowCount()):
            table.setCurrentIndex(model.index(row, 0))
            qtbot.keyClick(table, Qt.Key.Key_Space)  # tick, as a keyboard user does
        # Queued: ERAS asks first, and that question's exec() must not run
        # inside this handler.
        QTimer.singleShot(0, button(dialog, "Save").click)

    def final(box):
        assert box.objectName() == "confirmFinalAssignment"
        click_message_button(box, "Assign")

    dialogs.then(choose).then(final)
    qtbot.mouseClick(page.programs_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert Assignment.select().where(Assignment.request == rid).count() == 2
    programs_column = [page.model.index(0, c).data() for c in range(page.model.columnCount())][-1]
    assert programs_column == "2"

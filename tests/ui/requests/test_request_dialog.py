"""The request editor, opened from the Requests page as a user opens it:
field rules, a duplicate letter ID shown under its field, letter types from
the cycle's service, the ask date from the due date, the history and
events, and status moves from inside the editor."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTreeWidget,
)

from desktop.domain.vocabulary import RequestStatus, Service
from desktop.store.models import LetterRequest, RequestEvent
from desktop.store.requests import move_status

from ..dialogs import answer_move_date, button
from .test_requests_page import (
    OFFSCREEN_POPUP,
    make_cycle,
    make_request,
    make_writer,
    open_page,
    status_of,
)

pytestmark = OFFSCREEN_POPUP
S = RequestStatus

# The dialogs read the real clock: the day is set for each test from the
# per-test ``today`` fixture (tests/conftest.py), never at import.
TODAY = date.min  # a placeholder until _today runs


@pytest.fixture(autouse=True)
def _today(today: date, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(globals(), "TODAY", today)


def menu_entries(menu) -> list[str]:
    """The editor fills its Move menu whenever the status changes, so its
    entries can be read without popping it up. (Popping up a menu from a
    modal dialog was unreliable on the offscreen platform after some other
    test modules had run; the page's menu is popped up for real.)"""
    entries = [a.text().replace("&", "") for a in menu.actions()]
    return [
        f"[{e}]" if a.isSeparator() else e for a, e in zip(menu.actions(), entries, strict=True)
    ]


def choose(menu, text: str) -> None:
    action = next(a for a in menu.actions() if a.text() == text)
    assert action.isEnabled()
    action.trigger()


def tree_rows(tree: QTreeWidget) -> list[list[str]]:
    return [
        [tree.topLevelItem(r).text(c) for c in range(tree.columnCount())]
        for r in range(tree.topLevelItemCount())
    ]


def test_duplicate_letter_id_is_refused_next_to_the_field_and_input_kept(qtbot, db, dialogs):
    eras = make_cycle()
    make_request(eras, make_writer("Okafor"), letter_id="ERAS-1001")
    rid = make_request(eras, make_writer("Lee"))
    page = open_page(qtbot, db)
    seen = {}

    def edit(dialog):
        letter_id = dialog.findChild(QLineEdit, "letterId")
        qtbot.keyClicks(letter_id, "ERAS-1001")
        qtbot.keyClicks(dialog.findChild(QComboBox, "specialty").lineEdit(), " Surgery")
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)
        error = dialog.findChild(QLabel, "letterIdError")
        seen["open"] = dialog.isVisible()
        seen["error"] = (error.isVisible(), error.text())
        seen["kept"] = dialog.findChild(QComboBox, "specialty").currentText()
        qtbot.keyClicks(letter_id, "2")  # editing the ID clears the message
        seen["cleared"] = not error.isVisible()
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(edit)
    page.open_request(rid)
    dialogs.check()
    assert seen["open"]
    assert seen["error"] == (
        True,
        "Letter ID ERAS-1001 is already used for the letter from Dr. Sam Okafor in this "
        "cycle. Each letter ID belongs to one author; check the ID in the letter service.",
    )
    assert seen["kept"] == "General Surgery" and seen["cleared"]
    request = LetterRequest.get_by_id(rid)
    assert (request.letter_id, request.specialty) == ("ERAS-10012", "General Surgery")
    assert page.model.row_at(page.table.currentIndex()).letter_id == "ERAS-10012"


def test_letter_types_and_waiver_hint_follow_the_cycle_and_ask_date_follows_due(qtbot, db, dialogs):
    make_cycle(Service.ERAS_RESIDENCY, name="ERAS 2030")
    amcas = make_cycle(Service.AMCAS, name="AMCAS 2030")
    writer = make_writer("Okafor")
    page = open_page(qtbot, db)
    seen = {}

    def types(dialog) -> list[str]:
        box = dialog.findChild(QComboBox, "letterType")
        return [box.itemText(i) for i in range(box.count())]

    def fill(dialog):
        cycle = dialog.findChild(QComboBox, "cycle")
        cycle.setCurrentIndex(cycle.findText("ERAS 2030"))
        hint = dialog.findChild(QLabel, "waiverHint")
        seen["eras"] = (types(dialog), hint.isVisible(), hint.text())
        cycle.setCurrentIndex(cycle.findData(amcas))
        seen["amcas"] = (types(dialog), hint.isVisible())
        seen["writer"] = dialog.findChild(QComboBox, "mentor").currentData()
        candidates = dialog.findChild(QListWidget, "candidates")
        seen["highlighted"] = candidates.currentItem().text().split("\n")[0]
        qtbot.mouseClick(dialog.findChild(QCheckBox, "hasDueDate"), Qt.MouseButton.LeftButton)
        due = dialog.findChild(QDateEdit, "dueOn")
        due.setDate(QDate(TODAY + timedelta(days=100)))
        ask = dialog.findChild(QDateEdit, "plannedAskOn")
        seen["ask"] = ask.date().toPython()
        seen["hint"] = dialog.findChild(QLabel, "askHint").text()
        ask.setDate(QDate(TODAY + timedelta(days=50)))  # the user's own date stays
        due.setDate(QDate(TODAY + timedelta(days=110)))
        qtbot.mouseClick(button(dialog, "Save"), Qt.MouseButton.LeftButton)

    dialogs.then(fill)
    new_id = page.new_request(writer)  # as the mentor page's "Request a letter…" does
    dialogs.check()
    assert seen["eras"] == (
        [
            "Narrative",
            "Standardized (SLOR/eSLOR, other specialties)",
            "IM department letter (SEL)",
            "Orthopaedic eSLOR",
            "Department chair letter",
        ],
        True,
        "ERAS residency needs this answered before the writer is asked.",
    )
    assert seen["amcas"] == (["Narrative", "Committee letter / packet", "Letter packet"], False)
    assert seen["writer"] == writer and seen["highlighted"].startswith("1. Dr. Sam Okafor")
    assert seen["ask"] == TODAY + timedelta(days=58)  # 100 days - 42
    assert seen["hint"].startswith(f"Ask by {(TODAY + timedelta(days=58)).isoformat()}")
    request = LetterRequest.get_by_id(new_id)
    assert request.cycle_id == amcas and request.waiver is None
    assert request.due_on == TODAY + timedelta(days=110)
    assert request.planned_ask_on == TODAY + timedelta(days=50)


def test_editor_shows_history_logs_events_and_moves_after_saving_the_waiver(qtbot, db, dialogs):
    eras = make_cycle()
    rid = make_request(eras, make_writer("Okafor"), waiver=None, due_on=TODAY + timedelta(40))
    page = open_page(qtbot, db)
    seen = {}

    def work(dialog):
        move = dialog.findChild(QPushButton, "dialogMoveButton")
        seen["offered"] = menu_entries(move.menu())
        # Answer the waiver and mark asked in one go: the move saves first.
        dialog.findChild(QComboBox, "waiver").setCurrentIndex(1)
        dialogs.then(answer_move_date())  # asked today
        choose(move.menu(), "Mark asked")
        seen["summary"] = dialog.findChild(QLabel, "requestSummary").text()
        qtbot.mouseClick(dialog.findChild(QPushButton, "logReminder"), Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.findChild(QPushButton, "logThanks"), Qt.MouseButton.LeftButton)
        seen["history"] = tree_rows(dialog.findChild(QTreeWidget, "statusHistory"))
        seen["events"] = tree_rows(dialog.findChild(QTreeWidget, "requestEvents"))
        seen["after"] = [e for e in menu_entries(move.menu()) if e != "[]"]
        seen["programs"] = dialog.findChild(QLabel, "requestPrograms").text()
        qtbot.mouseClick(button(dialog, "Cancel"), Qt.MouseButton.LeftButton)

    dialogs.then(work)
    page.open_request(rid)
    dialogs.check()
    assert seen["offered"] == ["Mark asked", "Withdraw request"]
    assert status_of(rid) == "asked" and LetterRequest.get_by_id(rid).waiver is True
    assert seen["summary"] == f"Status: Asked · asked {TODAY.isoformat()}"
    day = TODAY.isoformat()
    assert seen["history"] == [[day, "Created as Planned", ""], [day, "Planned → Asked", ""]]
    assert sorted(row[1] for row in seen["events"]) == ["Reminded", "Thanked"]
    assert {e.kind for e in RequestEvent.select()} == {"reminded", "thanked"}
    assert LetterRequest.get_by_id(rid).thanked_on == TODAY
    assert seen["after"] == [
        "Mark accepted",
        "Mark materials sent",
        "Mark submitted",
        "Mark declined",
        "Withdraw request",
        "[Corrections (recorded in the history)]",
        "Undo: back to Planned",
    ]
    assert seen["programs"] == "Not assigned to any program yet."
    # Closing after moves still refreshes the page's row.
    assert page.model.row_at(page.table.currentIndex()).status is S.ASKED


def test_history_marks_corrections_with_their_note(qtbot, db, dialogs):
    eras = make_cycle()
    rid = make_request(eras, make_writer("Okafor"))
    move_status(rid, S.ASKED, on=TODAY, today=TODAY, note="In person after rounds")
    move_status(rid, S.PLANNED, on=TODAY, today=TODAY, note="Logged on the wrong writer")
    page = open_page(qtbot, db)
    seen = {}

    def look(dialog):
        seen["history"] = tree_rows(dialog.findChild(QTreeWidget, "statusHistory"))
        seen["hint"] = dialog.findChild(QLabel, "askHint").text()
        qtbot.mouseClick(button(dialog, "Cancel"), Qt.MouseButton.LeftButton)

    dialogs.then(look)
    page.open_request(rid)
    dialogs.check()
    assert [row[1:] for row in seen["history"]] == [
        ["Created as Planned", ""],
        ["Planned → Asked", "In person after rounds"],
        ["Asked → Planned (correction)", "Logged on the wrong writer"],
    ]
    assert seen["hint"] == "No due date: set one to get an “ask by” date and reminders."

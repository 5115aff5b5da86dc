"""The Today page with real widgets over a real database: actions in order,
one-click changes, snooze/dismiss remembered, settings, and the timeline."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QLabel, QPushButton

from desktop.domain.actions import ActionKind, Urgency
from desktop.domain.timing import format_day
from desktop.domain.vocabulary import RequestEventKind, RequestStatus, Service
from desktop.paths import DataPaths
from desktop.store import settings as settings_store
from desktop.store.models import Cycle, LetterRequest, StatusChange
from desktop.store.requests import RequestFields, create_request, events_for, move_status
from desktop.ui.common import PageContext, Target
from desktop.ui.today.settings_dialog import AdviceSettingsDialog
from desktop.ui.today.today_page import TodayPage

from ..dialogs import answer_move_date, button, click_message_button

# The pages read the real clock, so the tests use the same day: set for each
# test by _today below (from the per-test ``today`` fixture), not at import.
TODAY = date.min  # a placeholder until _today runs


@pytest.fixture(autouse=True)
def _today(today: date, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(globals(), "TODAY", today)


K = ActionKind


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.fixture
def scenario(db, make_mentor):
    """Four letters in an ERAS season that is under way:
    - Okafor: planned, due in 20 days (short lead time: urgent);
    - Nguyen: asked 40 days ago, due 3 days ago (overdue: urgent);
    - Sorensen: submitted 5 days ago, not thanked within 3 days (thank: late, urgent);
    - Lefevre: planned, due in 45 days, so the ask-by date is in 3 days (soon).
    """
    cycle = Cycle.create(
        service=Service.ERAS_RESIDENCY.value, name="ERAS test", max_letters_per_program=4,
        opens_on=days(-30), outcome_on=days(200),
    ).id  # fmt: skip
    ids = {}
    for name in ("Okafor", "Nguyen", "Sorensen", "Lefevre"):
        ids[name] = make_mentor(name, honorific="Dr.", days_ago=2)

    def request(name: str, due: int) -> int:
        fields = RequestFields(ids[name], cycle, "narrative", "Internal Medicine", True)
        fields.due_on = days(due)
        return create_request(fields)

    rid = {
        "Okafor": request("Okafor", 20),
        "Nguyen": request("Nguyen", -3),
        "Sorensen": request("Sorensen", 10),
        "Lefevre": request("Lefevre", 45),
    }
    move_status(rid["Nguyen"], RequestStatus.ASKED, on=days(-40), today=TODAY)
    move_status(rid["Sorensen"], RequestStatus.ASKED, on=days(-30), today=TODAY)
    move_status(rid["Sorensen"], RequestStatus.SUBMITTED, on=days(-5), today=TODAY)
    return {"cycle": cycle, "mentors": ids, "requests": rid}


def open_page(qtbot, db) -> TodayPage:
    page = TodayPage(PageContext(DataPaths(Path(db.database).parent)))
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitUntil(lambda: not page.is_refreshing(), timeout=5000)
    return page


def cards(page: TodayPage, kind: ActionKind | None = None, request_id: int | None = None):
    return [
        c
        for c in page.actions_list.cards
        if "snooze" in c.buttons
        and (kind is None or c.action.kind is kind)
        and (request_id is None or c.action.request_id == request_id)
    ]


def card(page: TodayPage, kind: ActionKind, request_id: int):
    found = cards(page, kind, request_id)
    assert len(found) == 1, [c.action.key for c in page.actions_list.cards]
    return found[0]


def click_and_wait(qtbot, page: TodayPage, widget) -> None:
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_actions_appear_most_urgent_first(qtbot, db, scenario):
    page = open_page(qtbot, db)
    rid = scenario["requests"]

    shown = [(c.action.kind, c.action.request_id) for c in cards(page)]
    mine = [item for item in shown if item[1] is not None]
    assert mine[:4] == [
        (K.LEAD_TIME, rid["Okafor"]),
        (K.OVERDUE, rid["Nguyen"]),
        (K.THANK, rid["Sorensen"]),
        (K.ASK_BY, rid["Lefevre"]),
    ]
    urgencies = [c.action.urgency for c in cards(page)]
    assert urgencies == sorted(urgencies)
    headings = [w.text() for w in page.findChildren(QLabel, "urgencyHeading")]
    assert headings[0].startswith("Urgent (3") and any(h.startswith("Soon") for h in headings)
    assert card(page, K.OVERDUE, rid["Nguyen"]).button("findBackup").isVisible()
    assert "3 urgent" in page.summary.text()
    assert page.list_stack.currentWidget() is page.actions_list


def test_asked_in_person_moves_the_request_and_changes_the_action(qtbot, db, scenario, dialogs):
    page = open_page(qtbot, db)
    rid = scenario["requests"]["Lefevre"]
    changed, offered = [], []
    page.data_changed.connect(lambda: changed.append(True))
    page.undoable.connect(offered.append)

    seen = {}

    def asked_two_days_ago(dialog):
        edit = dialog.findChild(QDateEdit, "moveDate")
        seen["default"] = edit.date().toPython()
        seen["latest"] = edit.maximumDate().toPython()
        seen["question"] = dialog.findChild(QLabel, "moveDateQuestion").text()
        answer_move_date(days(-2))(dialog)

    dialogs.then(asked_two_days_ago)
    click_and_wait(qtbot, page, card(page, K.ASK_BY, rid).button("askedInPerson"))

    assert seen == {
        "default": TODAY,
        "latest": TODAY,  # never in the future
        "question": "When did you ask Dr. Lefevre for the letter?",
    }
    request = LetterRequest.get_by_id(rid)
    assert request.status == RequestStatus.ASKED.value and request.asked_on == days(-2)
    # What happened is said with an Undo (the window shows it in its status bar).
    assert [step.done for step in offered] == [
        f"Dr. Lefevre: marked asked ({format_day(days(-2))})."
    ]
    last = StatusChange.select().where(StatusChange.request == rid).order_by(StatusChange.id)[-1]
    assert last.note == "Asked in person"
    assert not cards(page, K.ASK_BY, rid)  # asked: no more "ask by"
    assert changed


def test_a_refused_move_is_explained_and_nothing_changes(qtbot, db, scenario, dialogs):
    # ERAS needs the waiver answered before a writer is marked asked.
    rid = scenario["requests"]["Okafor"]
    LetterRequest.update(waiver=None).where(LetterRequest.id == rid).execute()
    page = open_page(qtbot, db)
    opened = []
    page.navigate.connect(opened.append)

    dialogs.then(lambda box: click_message_button(box, "Open request"))
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        card(page, K.LEAD_TIME, rid).button("askedInPerson").click()

    assert LetterRequest.get_by_id(rid).status == RequestStatus.PLANNED.value
    assert opened == [Target("requests", item_id=rid)]
    assert cards(page, K.LEAD_TIME, rid)


def test_log_thank_you_records_it_and_the_action_goes(qtbot, db, scenario):
    page = open_page(qtbot, db)
    rid = scenario["requests"]["Sorensen"]

    click_and_wait(qtbot, page, card(page, K.THANK, rid).button("logThankYou"))

    assert [(e.kind, e.on) for e in events_for(rid)] == [(RequestEventKind.THANKED, TODAY)]
    assert LetterRequest.get_by_id(rid).thanked_on == TODAY
    assert not cards(page, K.THANK, rid)


def test_open_buttons_ask_to_open_the_request(qtbot, db, scenario):
    page = open_page(qtbot, db)
    rid = scenario["requests"]["Nguyen"]
    opened, backups = [], []
    page.navigate.connect(opened.append)

    overdue = card(page, K.OVERDUE, rid)
    qtbot.mouseClick(overdue.button("openRequest"), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(overdue.button("findBackup"), Qt.MouseButton.LeftButton)
    backups.extend(opened)

    assert backups == [Target("requests", item_id=rid)] * 2
    assert overdue.action.urgency is Urgency.URGENT


def test_snooze_hides_until_later_across_restarts_and_restore_brings_it_back(qtbot, db, scenario):
    page = open_page(qtbot, db)
    rid = scenario["requests"]["Lefevre"]
    ask_by = card(page, K.ASK_BY, rid)
    menu = ask_by.button("snooze").menu()
    assert [a.text() for a in menu.actions()] == ["1 day", "3 days", "1 week"]

    with qtbot.waitSignal(page.refreshed, timeout=5000):
        menu.actions()[1].trigger()

    assert not cards(page, K.ASK_BY, rid)
    assert settings_store.action_states()[ask_by.action.key] == (days(3), False)
    assert page.show_hidden.text() == "Show hidden (1)"

    again = open_page(qtbot, db)  # a new page, as after a restart
    assert not cards(again, K.ASK_BY, rid)
    again.show_hidden.click()
    (hidden,) = [c for c in again.actions_list.cards if "restore" in c.buttons]
    state = hidden.findChild(QLabel, "hiddenState").text()
    assert state.startswith("Snoozed until")

    click_and_wait(qtbot, again, hidden.button("restore"))

    assert cards(again, K.ASK_BY, rid)
    assert ask_by.action.key not in settings_store.action_states()


def test_dismiss_hides_for_good_and_can_be_restored(qtbot, db, scenario):
    page = open_page(qtbot, db)
    rid = scenario["requests"]["Sorensen"]

    click_and_wait(qtbot, page, card(page, K.THANK, rid).button("dismiss"))

    assert not cards(page, K.THANK, rid)
    again = open_page(qtbot, db)
    assert not cards(again, K.THANK, rid)
    again.show_hidden.click()
    (hidden,) = [c for c in again.actions_list.cards if "restore" in c.buttons]
    assert hidden.findChild(QLabel, "hiddenState").text() == "Dismissed"
    click_and_wait(qtbot, again, hidden.button("restore"))
    assert cards(again, K.THANK, rid)


def test_a_threshold_changed_in_the_settings_dialog_changes_today(qtbot, db, scenario, dialogs):
    page = open_page(qtbot, db)
    rid = scenario["requests"]["Lefevre"]
    assert cards(page, K.ASK_BY, rid)  # ask-by in 3 days, shown 7 days ahead

    def shorten_notice(dialog):
        dialog.findChild(type(dialog.spins["ask_by_notice"]), "ask_by_notice").setValue(1)
        button(dialog, "Save").click()

    dialogs.then(shorten_notice)
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        page.findChild(QPushButton, "adviceSettings").click()

    assert settings_store.load_thresholds().ask_by_notice == 1
    assert not cards(page, K.ASK_BY, rid)


def test_settings_dialog_is_generated_checks_problems_and_resets(qtbot, db):
    dialog = AdviceSettingsDialog(settings_store.load_thresholds())
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert set(dialog.spins) == set(settings_store.load_thresholds().to_values())
    minimum = dialog.spins["minimum_lead"]
    assert minimum.toolTip().startswith("Warn when a writer gets fewer days")
    assert minimum.maximum() == 365 and minimum.suffix() == " days"

    minimum.setValue(50)  # longer than the ideal 42 days

    assert not save.isEnabled()
    assert "cannot be longer" in dialog.problems_label.text()
    assert not dialog.problems_label.isHidden()
    dialog.spins["last_nudge_before_due"].setValue(1)
    assert dialog.spins["last_nudge_before_due"].suffix() == " day"
    button(dialog, "Reset to defaults").click()
    assert save.isEnabled() and minimum.value() == 28


def test_timeline_has_a_row_per_request_and_draws(qtbot, db, scenario):
    page = open_page(qtbot, db)
    timeline = page.timeline

    assert timeline.row_count() == 4
    assert {r.request_id for r in timeline.rows()} == set(scenario["requests"].values())
    assert not timeline.grab().isNull()
    opened = []
    page.navigate.connect(opened.append)
    first = timeline.rows()[0]
    y = timeline.HEADER_HEIGHT + timeline.ROW_HEIGHT // 2
    assert "Due" in timeline.tooltip_at(timeline.viewport().rect().topLeft() + _point(60, y))
    qtbot.mouseDClick(timeline.viewport(), Qt.MouseButton.LeftButton, pos=_point(60, y))
    assert opened == [Target("requests", item_id=first.request_id)]


def test_search_narrows_the_list_and_the_timeline(qtbot, db, scenario):
    page = open_page(qtbot, db)

    page.set_search_text("sorensen")

    assert {c.action.request_id for c in cards(page)} == {scenario["requests"]["Sorensen"]}
    assert page.timeline.row_count() == 1
    page.set_search_text("no such words")
    assert page.list_stack.currentWidget() is page.empty_state
    page.set_search_text("")
    assert len(cards(page)) >= 4


def test_empty_states_say_what_to_do(qtbot, db, make_mentor):
    page = open_page(qtbot, db)
    assert page.list_stack.currentWidget() is page.empty_state
    assert "Start on the Mentors page" in page.empty_state.text()
    assert page.timeline.row_count() == 0 and not page.timeline.grab().isNull()

    make_mentor("Okafor", days_ago=1)
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        page.refresh()
    assert "Nothing needs doing today" in page.empty_state.text()


def test_an_older_refresh_result_is_ignored(qtbot, db, scenario):
    page = open_page(qtbot, db)
    shown = page.current_keys()
    refreshed = []
    page.refreshed.connect(lambda: refreshed.append(True))

    page.refresh()
    page.refresh()  # supersedes the first before it reports
    qtbot.waitUntil(lambda: not page.is_refreshing(), timeout=5000)
    qtbot.wait(200)  # room for the first result to arrive, if it came late

    assert refreshed == [True]
    assert page.current_keys() == shown


def _point(x: int, y: int):
    from PySide6.QtCore import QPoint

    return QPoint(x, y)


def test_a_physician_without_an_honorific_is_dr_on_cards_and_timeline(qtbot, db, make_mentor):
    """Issue 12: "Dr." inferred from an MD names the writer on Today the way
    the email greets them, not "Ask Maria Lopez"."""
    cycle = Cycle.create(
        service=Service.ERAS_RESIDENCY.value, name="ERAS test", max_letters_per_program=4,
        opens_on=days(-30), outcome_on=days(200),
    ).id  # fmt: skip
    lopez = make_mentor("Lopez", first_name="Maria", credentials="MD", days_ago=2)
    fields = RequestFields(lopez, cycle, "narrative", "Internal Medicine", True)
    fields.due_on = days(20)  # a short lead time: a card now
    rid = create_request(fields)
    page = open_page(qtbot, db)

    titles = [c.title_label.text() for c in cards(page, request_id=rid)]
    assert titles and all("Dr. Lopez" in t and "Maria" not in t for t in titles), titles
    assert [r.label for r in page.timeline.rows() if r.request_id == rid] == ["Dr. Lopez"]

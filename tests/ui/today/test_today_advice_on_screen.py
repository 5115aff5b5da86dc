"""Issue 11's misleading advice, as the applicant sees it on the Today page:
real widgets over a real SQLite file, changed through the store's own moves
and through the cards' buttons."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from desktop.domain.actions import ActionKind
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.vocabulary import RequestEventKind, RequestStatus, Service
from desktop.paths import DataPaths
from desktop.store import mentors as mentor_store
from desktop.store.models import Cycle, LetterRequest
from desktop.store.requests import RequestFields, create_request, log_event, move_status
from desktop.ui.common import PageContext
from desktop.ui.today.settings_dialog import AdviceSettingsDialog
from desktop.ui.today.today_page import TodayPage

from ..dialogs import answer_move_date

K = ActionKind
S = RequestStatus


@pytest.fixture
def on(today: date):
    return lambda n: today + timedelta(days=n)


@pytest.fixture
def letter(db, make_mentor, on, today):
    """A request from a new writer in an ERAS season under way; the writer
    was met two days ago, so no "keep in touch" gets in the way."""
    cycle = Cycle.create(
        service=Service.ERAS_RESIDENCY.value, name="ERAS test", max_letters_per_program=4,
        opens_on=on(-120), outcome_on=on(200),
    ).id  # fmt: skip

    def make(name: str, due: int, *steps: tuple[RequestStatus, int], **mentor) -> int:
        writer = make_mentor(name, honorific="Dr.", days_ago=2, **mentor)
        fields = RequestFields(writer, cycle, "narrative", "Internal Medicine", True)
        fields.due_on = on(due)
        rid = create_request(fields)
        for status, when in steps:
            move_status(rid, status, on=on(when), today=today)
        return rid

    return make


def open_page(qtbot, db) -> TodayPage:
    page = TodayPage(PageContext(DataPaths(Path(db.database).parent)))
    qtbot.addWidget(page)
    page.resize(1100, 800)
    page.show()
    qtbot.waitUntil(lambda: not page.is_refreshing(), timeout=5000)
    return page


def the_card(page: TodayPage):
    shown = [c for c in page.actions_list.cards if "snooze" in c.buttons]
    assert len(shown) == 1, [c.action.key for c in shown]
    return shown[0]


def headings(page: TodayPage) -> list[str]:
    return [w.text() for w in page.findChildren(QLabel, "urgencyHeading")]


def click_and_wait(qtbot, page: TodayPage, widget) -> None:
    with qtbot.waitSignal(page.refreshed, timeout=5000):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_thank_you_67_days_late_is_urgent_and_says_it_is_late(qtbot, db, letter, on):
    rid = letter("Sorensen", -70, (S.ASKED, -90), (S.SUBMITTED, -67))
    page = open_page(qtbot, db)

    card = the_card(page)
    assert card.action.kind is K.THANK
    assert headings(page) == ["Urgent (1)"]
    assert card.title_label.text() == "Thank Dr. Sorensen: the thank-you is late"
    detail = card.detail_label.text()
    assert "67 days ago" in detail and "within 3 days" not in detail
    # One thing, in the singular.
    assert page.summary.text().endswith("· 1 thing to do, 1 urgent")

    click_and_wait(qtbot, page, card.button("logThankYou"))
    assert LetterRequest.get_by_id(rid).thanked_on == on(0)
    assert page.summary.text().endswith("· Nothing to do")


def test_a_missed_ask_by_date_is_listed_as_urgent(qtbot, db, letter):
    letter("Lefevre", 37)  # the ideal ask date (due − 42) was 5 days ago
    page = open_page(qtbot, db)
    card = the_card(page)
    assert card.action.kind is K.ASK_BY
    assert headings(page) == ["Urgent (1)"]
    assert card.title_label.text() == "Ask Dr. Lefevre now"


def test_a_letter_due_today_stays_after_yesterdays_reminder(qtbot, db, letter, on, dialogs):
    rid = letter("Wang", 0, (S.ASKED, -40))
    log_event(rid, RequestEventKind.REMINDED, on(-1))
    page = open_page(qtbot, db)

    card = the_card(page)
    assert card.action.kind is K.DUE
    assert headings(page) == ["Today (1)"]
    assert card.title_label.text() == "Letter from Dr. Wang is due today"

    dialogs.then(answer_move_date())  # submitted today
    click_and_wait(qtbot, page, card.button("markSubmitted"))
    assert LetterRequest.get_by_id(rid).status == S.SUBMITTED.value
    assert the_card(page).action.kind is K.THANK


def test_a_writer_who_wants_no_reminders_still_shows_the_due_date(qtbot, db, letter):
    letter("Haddad", 5, (S.ASKED, -30), reminder_preference="none")
    page = open_page(qtbot, db)
    card = the_card(page)
    assert card.action.kind is K.DUE
    assert card.title_label.text() == "Letter from Dr. Haddad is due in 5 days"
    assert "asked for no reminders" in card.detail_label.text()
    assert "writeEmail" not in card.buttons  # no email to someone who asked for none


def test_advice_for_an_archived_writer_says_so(qtbot, db, letter):
    rid = letter("Okafor", 60, (S.ASKED, -15))
    mentor_store.set_archived(LetterRequest.get_by_id(rid).mentor_id, True)
    page = open_page(qtbot, db)
    card = the_card(page)
    assert card.action.kind is K.NUDGE
    assert "Dr. Okafor is archived" in card.detail_label.text()


def test_one_hidden_item_is_singular(qtbot, db, letter):
    letter("Lefevre", 37)
    page = open_page(qtbot, db)
    click_and_wait(qtbot, page, the_card(page).button("dismiss"))
    assert page.empty_state.text().endswith("1 hidden item: use “Show hidden” to see it.")


def test_the_thank_you_setting_says_it_is_a_window(qtbot, db):
    dialog = AdviceSettingsDialog(AdviceThresholds())
    qtbot.addWidget(dialog)
    spin = dialog.spins["thank_within"]
    assert "Prompted as soon as a letter is in" in spin.accessibleDescription()
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert any("thank within this many days of it, or it shows late" in t for t in texts)

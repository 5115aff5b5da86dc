"""Every day threshold of the Today rules for a letter, on the day before,
the day itself and the day after, with the default thresholds.

Dates are written out by hand (today is Wed Sep 15, 2027), not computed
from the thresholds: a rule that moves by a day (``>=`` turned into ``>``)
must fail here even when the code and a computed expectation move together.
"""

from __future__ import annotations

from datetime import date

import pytest

from desktop.domain.actions import ActionKind as K
from desktop.domain.actions import Urgency as U
from desktop.domain.coverage import LetterState, Risk, letter_standing
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.today import next_actions
from desktop.domain.vocabulary import ReminderPreference as Pref
from desktop.domain.vocabulary import RequestStatus as S

from .records_factory import TODAY, mentor, request, snapshot

assert date(2027, 9, 15) == TODAY  # the dates below are written for this day

FAR = date(2027, 12, 31)  # a due date far enough not to matter


def advice(req, preference=Pref.DEFAULT):
    """(kind, urgency, date) of each action for one request, in list order.
    Keeping in touch is left out: it is about the writer, not this letter."""
    snap = snapshot(mentors=(mentor(1, reminder_preference=preference),), requests=(req,))
    return [
        (a.kind, a.urgency, a.sort_date)
        for a in next_actions(snap, TODAY)
        if a.kind is not K.KEEP_IN_TOUCH
    ]


# --- minimum lead time (28 days) ------------------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        # 27 days left: ask today; the date is the last day to ask in time.
        (date(2027, 10, 12), [(K.LEAD_TIME, U.URGENT, date(2027, 9, 14))]),
        # 28 days left is enough: the "ask by" advice, urgent (its ideal date passed).
        (date(2027, 10, 13), [(K.ASK_BY, U.URGENT, date(2027, 9, 1))]),
        (date(2027, 10, 14), [(K.ASK_BY, U.URGENT, date(2027, 9, 2))]),
    ],
)
def test_lead_time_warning_starts_below_the_minimum(due, expected):
    assert advice(request(1, S.PLANNED, due_on=due)) == expected


@pytest.mark.parametrize(
    ("due", "risk"),
    [(date(2027, 10, 12), Risk.LATE_ASK), (date(2027, 10, 13), None), (date(2027, 10, 14), None)],
)
def test_coverage_counts_a_late_ask_below_the_same_minimum(due, risk):
    standing = letter_standing(
        request(1, S.PLANNED, due_on=due), deadline=None, today=TODAY, thresholds=AdviceThresholds()
    )
    assert standing.risk is risk
    assert standing.state is (LetterState.ON_TRACK if risk is None else LetterState.AT_RISK)


# --- ask by: ideal lead time (42 days) and the notice (7 days) ------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        # The ask-by date is 42 days before the due date: "today" on the day,
        # urgent once it has passed (issue 11: a missed date is not "today").
        (date(2027, 10, 26), [(K.ASK_BY, U.URGENT, date(2027, 9, 14))]),
        (date(2027, 10, 27), [(K.ASK_BY, U.HIGH, date(2027, 9, 15))]),
        (date(2027, 10, 28), [(K.ASK_BY, U.NORMAL, date(2027, 9, 16))]),
        # Shown from 7 days ahead of the ask-by date, not 8.
        (date(2027, 11, 2), [(K.ASK_BY, U.NORMAL, date(2027, 9, 21))]),
        (date(2027, 11, 3), [(K.ASK_BY, U.NORMAL, date(2027, 9, 22))]),
        (date(2027, 11, 4), []),
    ],
)
def test_ask_by_from_the_due_date(due, expected):
    assert advice(request(1, S.PLANNED, due_on=due)) == expected


@pytest.mark.parametrize(
    ("planned", "expected"),
    [
        (date(2027, 9, 14), [(K.ASK_BY, U.URGENT, date(2027, 9, 14))]),
        (date(2027, 9, 15), [(K.ASK_BY, U.HIGH, date(2027, 9, 15))]),
        (date(2027, 9, 16), [(K.ASK_BY, U.NORMAL, date(2027, 9, 16))]),
        (date(2027, 9, 21), [(K.ASK_BY, U.NORMAL, date(2027, 9, 21))]),
        (date(2027, 9, 22), [(K.ASK_BY, U.NORMAL, date(2027, 9, 22))]),
        (date(2027, 9, 23), []),
    ],
)
def test_ask_by_from_the_planned_ask_date(planned, expected):
    assert advice(request(1, S.PLANNED, planned_ask_on=planned)) == expected


# --- send materials (3 days after accepting) ------------------------------------


@pytest.mark.parametrize(
    ("accepted", "expected"),
    [
        (date(2027, 9, 13), []),
        # Accepted three days ago: the last day of the window is today.
        (date(2027, 9, 12), [(K.SEND_MATERIALS, U.HIGH, date(2027, 9, 15))]),
        # After the three days: late, so urgent (issue 11: one urgency rule).
        (date(2027, 9, 11), [(K.SEND_MATERIALS, U.URGENT, date(2027, 9, 14))]),
        (date(2027, 9, 10), [(K.SEND_MATERIALS, U.URGENT, date(2027, 9, 13))]),
    ],
)
def test_send_materials_after_the_window(accepted, expected):
    req = request(1, S.ACCEPTED, asked_on=date(2027, 9, 9), status_since=accepted, due_on=FAR)
    assert advice(req) == expected


# --- thank (within 3 days of the submission) ------------------------------------


@pytest.mark.parametrize(
    ("submitted", "expected"),
    [
        (date(2027, 9, 13), [(K.THANK, U.NORMAL, date(2027, 9, 16))]),
        # The last day to thank in time is today: not late yet, for today.
        (date(2027, 9, 12), [(K.THANK, U.HIGH, date(2027, 9, 15))]),
        # The window has passed: late, so urgent.
        (date(2027, 9, 11), [(K.THANK, U.URGENT, date(2027, 9, 14))]),
    ],
)
def test_thanks_become_late_after_the_window(submitted, expected):
    req = request(1, S.SUBMITTED, asked_on=date(2027, 8, 1), submitted_on=submitted)
    assert advice(req) == expected


# --- first reminder (14 days after the ask, by 21 at the latest) -----------------


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (date(2027, 9, 2), []),  # 13 days ago
        # Shown from 14 days after the ask, dated by its send-by day (21).
        (date(2027, 9, 1), [(K.NUDGE, U.NORMAL, date(2027, 9, 22))]),  # 14
        (date(2027, 8, 31), [(K.NUDGE, U.NORMAL, date(2027, 9, 21))]),
        (date(2027, 8, 26), [(K.NUDGE, U.NORMAL, date(2027, 9, 16))]),  # 20 days ago
        # For today on the send-by day, urgent once it has passed.
        (date(2027, 8, 25), [(K.NUDGE, U.HIGH, date(2027, 9, 15))]),  # 21
        (date(2027, 8, 24), [(K.NUDGE, U.URGENT, date(2027, 9, 14))]),  # 22
    ],
)
def test_first_reminder_after_the_ask(asked, expected):
    assert advice(request(1, S.ASKED, asked_on=asked, due_on=FAR)) == expected


def test_first_reminder_key_is_dated_on_its_day():
    snap = snapshot(requests=(request(1, S.ASKED, asked_on=date(2027, 9, 1), due_on=FAR),))
    assert [a.key for a in next_actions(snap, TODAY)] == ["nudge:r1:2027-09-15"]


@pytest.mark.parametrize(
    ("asked", "expected"),
    [
        (date(2027, 8, 26), []),  # 20 days ago
        (date(2027, 8, 25), [(K.NUDGE, U.HIGH, date(2027, 9, 15))]),  # 21: on its send-by day
        (date(2027, 8, 24), [(K.NUDGE, U.URGENT, date(2027, 9, 14))]),
    ],
)
def test_gentle_first_reminder_at_the_end_of_the_window(asked, expected):
    req = request(1, S.ASKED, asked_on=asked, due_on=FAR)
    assert advice(req, Pref.GENTLE) == expected


# --- reminders before the due date (7 days and 1 day before) ---------------------

# Asked on Jul 1 with the first reminder (Jul 15) answered on Jul 20, so only
# the reminders before the due date are left to come.
ASKED_LONG_AGO = {"asked_on": date(2027, 7, 1), "last_reminded_on": date(2027, 7, 20)}


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (date(2027, 9, 23), []),  # due in 8 days
        (date(2027, 9, 22), [(K.NUDGE, U.HIGH, date(2027, 9, 15))]),  # in 7: today
        # Its day gone by with no reminder logged: urgent.
        (date(2027, 9, 21), [(K.NUDGE, U.URGENT, date(2027, 9, 14))]),
    ],
)
def test_reminder_a_week_before_the_due_date(due, expected):
    assert advice(request(1, S.ASKED, due_on=due, **ASKED_LONG_AGO)) == expected


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        # The week-before reminder (Sep 10) was answered on Sep 10.
        (date(2027, 9, 17), []),
        (date(2027, 9, 16), [(K.NUDGE, U.HIGH, date(2027, 9, 15))]),  # due tomorrow
        (date(2027, 9, 15), [(K.NUDGE, U.URGENT, date(2027, 9, 14))]),  # due today
        (date(2027, 9, 14), [(K.OVERDUE, U.URGENT, date(2027, 9, 14))]),  # due yesterday
    ],
)
def test_last_reminder_the_day_before_the_due_date_then_overdue(due, expected):
    req = request(
        1, S.ASKED, asked_on=date(2027, 7, 1), due_on=due, last_reminded_on=date(2027, 9, 10)
    )
    assert advice(req) == expected


def test_gentle_writers_get_no_reminder_the_day_before():
    req = request(
        1,
        S.ASKED,
        asked_on=date(2027, 7, 1),
        due_on=date(2027, 9, 16),
        last_reminded_on=date(2027, 9, 10),
    )
    assert advice(req, Pref.GENTLE) == []


# --- a reminder logged up to 2 days early answers the suggestion ---------------------


@pytest.mark.parametrize(
    ("reminded", "expected"),
    [
        (date(2027, 9, 12), [(K.NUDGE, U.NORMAL, date(2027, 9, 22))]),  # 3 days early
        (date(2027, 9, 13), []),  # 2 days early
        (date(2027, 9, 14), []),
    ],
)
def test_reminder_logged_shortly_before_the_suggestion_answers_it(reminded, expected):
    req = request(1, S.ASKED, asked_on=date(2027, 9, 1), due_on=FAR, last_reminded_on=reminded)
    assert advice(req) == expected


# --- overdue: the day after the due date ----------------------------------------------


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (date(2027, 9, 14), [(K.OVERDUE, U.URGENT, date(2027, 9, 14))]),
        # Due today is not overdue: never asked, so ask today.
        (date(2027, 9, 15), [(K.LEAD_TIME, U.URGENT, date(2027, 8, 18))]),
        (date(2027, 9, 16), [(K.LEAD_TIME, U.URGENT, date(2027, 8, 19))]),
    ],
)
def test_planned_letter_is_overdue_the_day_after_it_was_due(due, expected):
    assert advice(request(1, S.PLANNED, due_on=due)) == expected

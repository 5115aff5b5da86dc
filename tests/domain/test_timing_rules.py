"""Timing of one letter: ask-by, lead time, due dates and reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.timing import (
    NudgeKind,
    ask_by_date,
    below_minimum_lead,
    current_nudge,
    describe_due,
    format_day,
    is_due_soon,
    is_overdue,
    latest_ask_date,
    lead_days,
    nudge_schedule,
)
from desktop.domain.vocabulary import ReminderPreference as Pref
from desktop.domain.vocabulary import RequestStatus as S

T = AdviceThresholds()
TODAY = date(2027, 9, 15)
FAR = date(2027, 12, 31)  # a due date far enough not to matter


def d(offset: int) -> date:
    return TODAY + timedelta(days=offset)


# --- ask by and lead time -----------------------------------------------------


def test_ask_by_is_six_weeks_before_due():
    assert ask_by_date(date(2027, 11, 1), T) == date(2027, 9, 20)
    assert ask_by_date(None, T) is None


def test_ask_by_across_a_leap_day():
    # 2028 is a leap year: counting back 42 days from Mar 1 passes Feb 29.
    assert ask_by_date(date(2028, 3, 1), T) == date(2028, 1, 19)
    assert ask_by_date(date(2027, 3, 1), T) == date(2027, 1, 18)
    assert latest_ask_date(date(2028, 3, 1), T) == date(2028, 2, 2)
    assert latest_ask_date(date(2027, 3, 1), T) == date(2027, 2, 1)


def test_ask_by_follows_the_setting():
    assert ask_by_date(d(60), AdviceThresholds(ideal_lead=56)) == d(4)


def test_lead_days():
    assert lead_days(d(30), TODAY) == 30
    assert lead_days(None, TODAY) is None
    assert lead_days(date(2028, 3, 1), date(2028, 2, 1)) == 29  # leap February


def test_asking_with_less_than_the_minimum_lead_left():
    assert below_minimum_lead(d(20), TODAY, T)
    assert below_minimum_lead(d(27), TODAY, T)
    assert below_minimum_lead(TODAY, TODAY, T)  # due today: zero days left


def test_exactly_the_minimum_lead_is_enough():
    assert not below_minimum_lead(d(28), TODAY, T)
    assert not below_minimum_lead(d(29), TODAY, T)


def test_no_due_date_is_never_below_the_minimum_lead():
    assert not below_minimum_lead(None, TODAY, T)


def test_minimum_lead_follows_the_setting_and_counts_leap_days():
    assert below_minimum_lead(d(34), TODAY, AdviceThresholds(minimum_lead=35))
    assert not below_minimum_lead(d(35), TODAY, AdviceThresholds(minimum_lead=35))
    # Feb 2, 2028 + 28 days is Mar 1 only because of Feb 29.
    assert not below_minimum_lead(date(2028, 3, 1), date(2028, 2, 2), T)
    assert below_minimum_lead(date(2028, 3, 1), date(2028, 2, 3), T)


# --- overdue and due soon -----------------------------------------------------


def test_due_today_is_not_overdue_but_yesterday_is():
    assert not is_overdue(S.ASKED, TODAY, TODAY)
    assert is_overdue(S.ASKED, d(-1), TODAY)


@pytest.mark.parametrize("status", [S.SUBMITTED, S.DECLINED, S.WITHDRAWN])
def test_closed_requests_are_never_overdue(status):
    assert not is_overdue(status, d(-10), TODAY)


def test_planned_request_past_due_is_overdue_and_no_due_date_never_is():
    assert is_overdue(S.PLANNED, d(-1), TODAY)
    assert not is_overdue(S.ASKED, None, TODAY)


def test_due_soon_window():
    assert is_due_soon(S.ASKED, TODAY, TODAY, T)
    assert is_due_soon(S.ASKED, d(7), TODAY, T)
    assert not is_due_soon(S.ASKED, d(8), TODAY, T)
    assert not is_due_soon(S.ASKED, d(-1), TODAY, T)
    assert not is_due_soon(S.SUBMITTED, d(2), TODAY, T)
    assert not is_due_soon(S.ASKED, None, TODAY, T)


def test_describe_due():
    assert describe_due(TODAY, TODAY) == "due today"
    assert describe_due(d(1), TODAY) == "due tomorrow"
    assert describe_due(d(9), TODAY) == "due in 9 days"
    assert describe_due(d(-1), TODAY) == "1 day overdue"
    assert describe_due(d(-3), TODAY) == "3 days overdue"
    assert describe_due(None, TODAY) == "no due date"


def test_format_day_is_unambiguous():
    assert format_day(date(2028, 2, 29)) == "Feb 29, 2028"
    assert format_day(date(2027, 12, 1)) == "Dec 1, 2027"


# --- reminder schedule ----------------------------------------------------------


def schedule(asked, due, pref=Pref.DEFAULT, t=T):
    return [
        (n.kind, n.on)
        for n in nudge_schedule(asked_on=asked, due_on=due, preference=pref, thresholds=t)
    ]


def test_default_schedule_two_weeks_after_ask_a_week_and_a_day_before_due():
    assert schedule(TODAY, d(60)) == [
        (NudgeKind.AFTER_ASK, d(14)),
        (NudgeKind.BEFORE_DUE, d(53)),
        (NudgeKind.LAST_BEFORE_DUE, d(59)),
    ]
    first = nudge_schedule(asked_on=TODAY, due_on=d(60), preference=Pref.DEFAULT, thresholds=T)[0]
    assert first.send_by == d(21)  # the 2–3 week window


def test_gentle_schedule_has_fewer_later_nudges():
    assert schedule(TODAY, d(60), Pref.GENTLE) == [
        (NudgeKind.AFTER_ASK, d(21)),
        (NudgeKind.BEFORE_DUE, d(53)),
    ]


def test_no_reminders_preference_means_no_schedule():
    assert schedule(TODAY, d(60), Pref.NONE) == []


def test_follow_up_is_dropped_when_the_pre_due_reminder_comes_first():
    # Asked 20 days before due: day 14 after the ask is after "a week before".
    assert schedule(TODAY, d(20)) == [
        (NudgeKind.BEFORE_DUE, d(13)),
        (NudgeKind.LAST_BEFORE_DUE, d(19)),
    ]


def test_nudges_before_the_ask_are_dropped():
    assert schedule(TODAY, d(3)) == [(NudgeKind.LAST_BEFORE_DUE, d(2))]


def test_a_reminder_on_the_ask_day_is_dropped_the_day_after_is_kept():
    # Asked Sep 15, due Sep 22: "a week before" is the ask day itself.
    assert schedule(TODAY, date(2027, 9, 22)) == [(NudgeKind.LAST_BEFORE_DUE, date(2027, 9, 21))]
    assert schedule(TODAY, date(2027, 9, 23)) == [
        (NudgeKind.BEFORE_DUE, date(2027, 9, 16)),
        (NudgeKind.LAST_BEFORE_DUE, date(2027, 9, 22)),
    ]


def test_follow_up_on_the_day_of_the_week_before_reminder_gives_way_to_it():
    # Asked Sep 15: the follow-up (Sep 29) and "a week before" an Oct 6 due date coincide.
    assert schedule(TODAY, date(2027, 10, 6)) == [
        (NudgeKind.BEFORE_DUE, date(2027, 9, 29)),
        (NudgeKind.LAST_BEFORE_DUE, date(2027, 10, 5)),
    ]
    assert schedule(TODAY, date(2027, 10, 7)) == [
        (NudgeKind.AFTER_ASK, date(2027, 9, 29)),
        (NudgeKind.BEFORE_DUE, date(2027, 9, 30)),
        (NudgeKind.LAST_BEFORE_DUE, date(2027, 10, 6)),
    ]


def test_follow_up_on_the_due_date_itself_is_kept():
    # One-day settings: the only reminder left is the follow-up, due the same day.
    t = AdviceThresholds(
        first_nudge=1, first_nudge_latest=1, nudge_before_due=1, last_nudge_before_due=1
    )
    assert schedule(TODAY, date(2027, 9, 16), t=t) == [(NudgeKind.AFTER_ASK, date(2027, 9, 16))]


def test_no_due_date_leaves_only_the_follow_up():
    assert schedule(TODAY, None) == [(NudgeKind.AFTER_ASK, d(14))]


def test_unknown_ask_date_leaves_only_pre_due_reminders():
    assert schedule(None, d(30)) == [
        (NudgeKind.BEFORE_DUE, d(23)),
        (NudgeKind.LAST_BEFORE_DUE, d(29)),
    ]


def test_schedule_across_a_leap_day():
    due = date(2028, 3, 1)
    assert schedule(date(2028, 1, 2), due) == [
        (NudgeKind.AFTER_ASK, date(2028, 1, 16)),
        (NudgeKind.BEFORE_DUE, date(2028, 2, 23)),
        (NudgeKind.LAST_BEFORE_DUE, date(2028, 2, 29)),
    ]


def test_settings_landing_on_the_same_day_give_one_nudge():
    t = AdviceThresholds(nudge_before_due=3, last_nudge_before_due=3)
    assert schedule(TODAY, d(60), t=t) == [
        (NudgeKind.AFTER_ASK, d(14)),
        (NudgeKind.BEFORE_DUE, d(57)),
    ]


# --- the nudge to suggest today ---------------------------------------------------


DUE = d(60)


def nudge_today(today, *, asked=TODAY, due=DUE, reminded=None, status=S.ASKED, pref=Pref.DEFAULT):
    return current_nudge(
        status=status,
        asked_on=asked,
        due_on=due,
        preference=pref,
        last_reminded_on=reminded,
        today=today,
        thresholds=T,
    )


def test_no_nudge_before_two_weeks():
    assert nudge_today(d(13)) is None


def test_nudge_from_day_14_and_it_stays_after_day_21():
    assert nudge_today(d(14)).kind is NudgeKind.AFTER_ASK
    stays = nudge_today(d(30))
    assert stays is not None and stays.on == d(14)


def test_reminder_logged_answers_the_nudge():
    assert nudge_today(d(16), reminded=d(15)) is None
    assert nudge_today(d(16), reminded=d(12)) is None  # two days early counts
    assert nudge_today(d(16), reminded=d(10)) is not None  # too early


def test_week_before_due_nudge_needs_a_new_reminder():
    nudge = nudge_today(d(53), reminded=d(15))
    assert nudge is not None and nudge.kind is NudgeKind.BEFORE_DUE
    assert nudge_today(d(54), reminded=d(53)) is None


def test_reminder_between_nudges_does_not_answer_the_next_one_early():
    # A reminder the day after the follow-up answers the follow-up only.
    assert nudge_today(d(53), reminded=d(15)) is not None


def test_last_nudge_on_the_day_before_and_on_the_due_day():
    assert nudge_today(d(59), reminded=d(53)).kind is NudgeKind.LAST_BEFORE_DUE
    assert nudge_today(d(60), reminded=d(53)).kind is NudgeKind.LAST_BEFORE_DUE
    assert nudge_today(d(60), reminded=d(59)) is None


def test_after_the_due_date_overdue_takes_over():
    assert nudge_today(d(61)) is None


@pytest.mark.parametrize("status", [S.PLANNED, S.SUBMITTED, S.DECLINED, S.WITHDRAWN])
def test_only_waiting_requests_get_nudges(status):
    assert nudge_today(d(30), status=status) is None


@pytest.mark.parametrize("status", [S.ASKED, S.ACCEPTED, S.MATERIALS_SENT])
def test_every_waiting_status_gets_nudges(status):
    assert nudge_today(d(30), status=status) is not None


def test_gentle_waits_until_three_weeks_and_skips_the_day_before():
    assert nudge_today(d(20), pref=Pref.GENTLE) is None
    assert nudge_today(d(21), pref=Pref.GENTLE).kind is NudgeKind.AFTER_ASK
    late = nudge_today(d(59), reminded=d(53), pref=Pref.GENTLE)
    assert late is None


def test_none_preference_never_nudges():
    assert nudge_today(d(30), pref=Pref.NONE) is None
    assert nudge_today(d(59), pref=Pref.NONE) is None


# --- hand-worked cases, today Sep 15, 2027 ---------------------------------------


def aug(day: int) -> date:
    return date(2027, 8, day)


def sep(day: int) -> date:
    return date(2027, 9, day)


# The "last" reminder (4 days before) comes before the other one (2 days).
ODD = AdviceThresholds(
    first_nudge=3, first_nudge_latest=5, nudge_before_due=2, last_nudge_before_due=4
)
SAME_DAY = AdviceThresholds(nudge_before_due=3, last_nudge_before_due=3)
AFTER, BEFORE, LAST = NudgeKind.AFTER_ASK, NudgeKind.BEFORE_DUE, NudgeKind.LAST_BEFORE_DUE


@pytest.mark.parametrize(
    ("thresholds", "pref", "asked", "due", "reminded", "expected"),
    [
        # Default thresholds: 14 (by 21) days after the ask, 7 and 1 before due.
        (T, Pref.DEFAULT, sep(1), FAR, None, (sep(15), AFTER, sep(22))),
        (T, Pref.DEFAULT, aug(1), FAR, None, (aug(15), AFTER, aug(22))),
        (T, Pref.DEFAULT, aug(1), sep(20), aug(16), (sep(13), BEFORE, None)),
        (T, Pref.DEFAULT, aug(1), sep(20), sep(10), (sep(13), BEFORE, None)),
        (T, Pref.DEFAULT, aug(1), sep(20), sep(11), None),
        (T, Pref.DEFAULT, None, sep(16), None, (sep(15), LAST, None)),
        # The week-before reminder would fall before the ask; the follow-up after the due date.
        (T, Pref.DEFAULT, sep(14), sep(16), None, (sep(15), LAST, None)),
        # The day-before reminder would be the ask day itself.
        (T, Pref.DEFAULT, sep(15), sep(16), None, None),
        (T, Pref.DEFAULT, aug(1), sep(14), None, None),  # overdue instead
        (T, Pref.GENTLE, aug(20), FAR, None, (sep(10), AFTER, sep(10))),
        (T, Pref.GENTLE, aug(1), sep(16), sep(9), None),
        (T, Pref.NONE, aug(1), sep(16), None, None),
        # "Last" before "before": follow-up Sep 13, last Sep 15 or 16, before Sep 17 or 18.
        (ODD, Pref.DEFAULT, sep(10), sep(20), None, (sep(13), AFTER, sep(15))),
        # A reminder on the follow-up's day answers it, not the next one two days later.
        (ODD, Pref.DEFAULT, sep(10), sep(19), sep(13), (sep(15), LAST, None)),
        (ODD, Pref.DEFAULT, sep(10), sep(19), sep(14), None),
        # The follow-up (Sep 13) lands on the "last" reminder's day and gives way to it.
        (ODD, Pref.DEFAULT, sep(10), sep(17), None, (sep(15), BEFORE, None)),
        (ODD, Pref.DEFAULT, sep(10), sep(17), sep(13), (sep(15), BEFORE, None)),
        # Both pre-due reminders on Sep 15: one nudge.
        (SAME_DAY, Pref.DEFAULT, aug(1), sep(18), None, (sep(15), BEFORE, None)),
    ],
)  # fmt: skip
def test_current_nudge_on_hand_worked_cases(thresholds, pref, asked, due, reminded, expected):
    got = current_nudge(
        status=S.ASKED,
        asked_on=asked,
        due_on=due,
        preference=pref,
        last_reminded_on=reminded,
        today=TODAY,
        thresholds=thresholds,
    )
    assert (None if got is None else (got.on, got.kind, got.send_by)) == expected


def test_schedule_when_the_last_reminder_comes_first():
    assert schedule(date(2027, 9, 10), date(2027, 9, 20), t=ODD) == [
        (NudgeKind.AFTER_ASK, date(2027, 9, 13)),
        (NudgeKind.LAST_BEFORE_DUE, date(2027, 9, 16)),
        (NudgeKind.BEFORE_DUE, date(2027, 9, 18)),
    ]

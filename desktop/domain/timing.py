"""Timing rules for one letter: when to ask, lead time, reminders, overdue.

Every function takes ``today`` (never the clock) and the user's
``AdviceThresholds``. Dates are calendar dates; arithmetic is in whole days,
so leap days are counted like any other day.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple

from .status import OPEN_STATUSES, WAITING_STATUSES
from .thresholds import AdviceThresholds
from .vocabulary import ReminderPreference, RequestStatus

# A reminder logged a little before a suggested date still answers that
# suggestion: people send the nudge on Friday rather than on Sunday.
REMINDER_EARLY_DAYS = 2


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(day: date) -> str:
    """E.g. "Mar 1, 2028": unambiguous in any locale, unlike 03/01/2028.

    English month names on purpose: ``%b`` would follow the C locale and
    not the app's language, so translation happens around this string.
    """
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def ask_by_date(due_on: date | None, thresholds: AdviceThresholds) -> date | None:
    """The ideal date to ask: the ideal lead time before the letter is due."""
    return None if due_on is None else due_on - timedelta(days=thresholds.ideal_lead)


def latest_ask_date(due_on: date | None, thresholds: AdviceThresholds) -> date | None:
    """After this date the writer gets less than the minimum lead time."""
    return None if due_on is None else due_on - timedelta(days=thresholds.minimum_lead)


def lead_days(due_on: date | None, start: date) -> int | None:
    """Days from ``start`` (the ask, or today) until the letter is due."""
    return None if due_on is None else (due_on - start).days


def lead_time_warning(
    *,
    status: RequestStatus,
    due_on: date | None,
    asked_on: date | None,
    today: date,
    thresholds: AdviceThresholds,
) -> str | None:
    """A warning when the writer has, or had, less than the minimum lead time.

    For a request already asked it judges the ask as made; for one still
    planned it judges asking today. Overdue requests get their own warning.
    """
    status = RequestStatus(status)
    if due_on is None or status not in OPEN_STATUSES or due_on < today:
        return None
    minimum = thresholds.minimum_lead
    if status is RequestStatus.PLANNED or asked_on is None:
        days = (due_on - today).days
        if days >= minimum:
            return None
        return (
            f"Only {_days(days)} left before the letter is due; "
            f"advisers recommend giving a writer at least {minimum} days. Ask today."
        )
    days = (due_on - asked_on).days
    if days >= minimum:
        return None
    return (
        f"The writer was asked {_days(days)} before the due date; "
        f"advisers recommend at least {minimum}. Offer help and check in early."
    )


def is_overdue(status: RequestStatus, due_on: date | None, today: date) -> bool:
    """Due date passed and no letter yet. A letter due today is not overdue."""
    return due_on is not None and today > due_on and RequestStatus(status) in OPEN_STATUSES


def is_due_soon(
    status: RequestStatus, due_on: date | None, today: date, thresholds: AdviceThresholds
) -> bool:
    """Open and due within the "due soon" window (today included)."""
    return (
        due_on is not None
        and RequestStatus(status) in OPEN_STATUSES
        and 0 <= (due_on - today).days <= thresholds.due_soon
    )


def describe_due(due_on: date | None, today: date) -> str:
    """ "due today", "due in 5 days", "3 days overdue", "no due date"."""
    if due_on is None:
        return "no due date"
    days = (due_on - today).days
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    if days > 0:
        return f"due in {days} days"
    return f"{_days(-days)} overdue"


class NudgeKind(StrEnum):
    AFTER_ASK = "after_ask"
    BEFORE_DUE = "before_due"
    LAST_BEFORE_DUE = "last_before_due"


class Nudge(NamedTuple):
    on: date
    kind: NudgeKind
    # Only the first nudge has a "send by" date (the end of the 2–3 week window).
    send_by: date | None = None


class NudgePlanner:
    """Reminder schedules for one set of thresholds.

    Today asks for thousands of schedules with the same settings, so the day
    counts are turned into timedeltas once, here. ``nudge_schedule`` and
    ``current_nudge`` below are the same rules for a single request.
    """

    def __init__(self, thresholds: AdviceThresholds) -> None:
        t = thresholds
        self._first = timedelta(days=t.first_nudge)
        self._latest = timedelta(days=t.first_nudge_latest)
        self._before = timedelta(days=t.nudge_before_due)
        self._last = timedelta(days=t.last_nudge_before_due)
        self._early = timedelta(days=REMINDER_EARLY_DAYS)

    def _dates(
        self, asked_on: date | None, due_on: date | None, gentle: bool
    ) -> tuple[date | None, date | None, date | None, date | None]:
        """(follow-up, its send-by date, week-before, day-before), each None
        when that reminder does not apply. Plain dates, no objects: this is
        the part Today runs for every request that is waiting."""
        before = last = None
        if due_on is not None:
            before = due_on - self._before
            if not gentle:
                last = due_on - self._last
                if last == before:  # two settings landing on one day: one nudge
                    last = None
            # Not on or before the ask day: that reminder would be the ask itself.
            if asked_on is not None:
                if before <= asked_on:
                    before = None
                if last is not None and last <= asked_on:
                    last = None
        follow_up = send_by = None
        if asked_on is not None:
            send_by = asked_on + self._latest
            follow_up = send_by if gentle else asked_on + self._first
            # A pre-due reminder on or before it takes the follow-up's place.
            if (
                (due_on is not None and follow_up > due_on)
                or (before is not None and follow_up >= before)
                or (last is not None and follow_up >= last)
            ):
                follow_up = send_by = None
        return follow_up, send_by, before, last

    def schedule(
        self, asked_on: date | None, due_on: date | None, preference: ReminderPreference
    ) -> list[Nudge]:
        """See ``nudge_schedule``."""
        if preference == _NONE:
            return []
        follow_up, send_by, before, last = self._dates(asked_on, due_on, preference == _GENTLE)
        nudges = []
        if follow_up is not None:
            nudges.append(Nudge(follow_up, _AFTER_ASK, send_by))
        if before is not None:
            nudges.append(Nudge(before, _BEFORE_DUE))
        if last is not None:
            nudges.append(Nudge(last, _LAST_BEFORE_DUE))
        nudges.sort()  # settings may put the "last" reminder first
        return nudges

    def current(
        self,
        status: RequestStatus,
        asked_on: date | None,
        due_on: date | None,
        preference: ReminderPreference,
        last_reminded_on: date | None,
        today: date,
    ) -> Nudge | None:
        """See ``current_nudge``."""
        if status not in WAITING_STATUSES or preference == _NONE:
            return None
        if due_on is not None and today > due_on:
            return None
        follow_up, send_by, before, last = self._dates(asked_on, due_on, preference == _GENTLE)
        # The active nudge is the latest one due by today; ``previous`` is
        # the one before it (or the ask), which a reminder may have answered.
        pre_due = ((before, _BEFORE_DUE), (last, _LAST_BEFORE_DUE))
        if before is not None and last is not None and last < before:
            pre_due = pre_due[::-1]  # settings may put the "last" reminder first
        active_on: date | None = None
        active_kind = _AFTER_ASK
        previous = asked_on
        for on, kind in ((follow_up, _AFTER_ASK), *pre_due):
            if on is None:
                continue
            if on > today:
                break
            if active_on is not None:
                previous = active_on
            active_on, active_kind = on, kind
        if active_on is None:
            return None
        active = Nudge(active_on, active_kind, send_by if active_kind is _AFTER_ASK else None)
        if last_reminded_on is None:
            return active
        # A reminder answers the active nudge if it was sent at most a few
        # days early, and after the previous nudge (which it answered).
        counts_from = active.on - self._early
        if previous is not None and counts_from <= previous:
            counts_from = previous + _ONE_DAY
        return None if last_reminded_on >= counts_from else active


_NONE, _GENTLE = ReminderPreference.NONE, ReminderPreference.GENTLE
_AFTER_ASK, _BEFORE_DUE, _LAST_BEFORE_DUE = (
    NudgeKind.AFTER_ASK,
    NudgeKind.BEFORE_DUE,
    NudgeKind.LAST_BEFORE_DUE,
)
_ONE_DAY = timedelta(days=1)


@lru_cache(maxsize=8)
def nudge_planner(thresholds: AdviceThresholds) -> NudgePlanner:
    return NudgePlanner(thresholds)


def nudge_schedule(
    *,
    asked_on: date | None,
    due_on: date | None,
    preference: ReminderPreference,
    thresholds: AdviceThresholds,
) -> tuple[Nudge, ...]:
    """The reminders to suggest for one request, in date order.

    Default: one 2–3 weeks after the ask, one a week before the due date and
    one the day before. Gentle: a single follow-up at the end of the 2–3 week
    window and one a week before the due date. None: no reminders at all.
    Nudges on or before the ask day, or after the due date, are dropped, and
    a follow-up that would land on or after the first pre-due reminder is
    left out because that reminder takes its place.
    """
    return tuple(nudge_planner(thresholds).schedule(asked_on, due_on, preference))


def current_nudge(
    *,
    status: RequestStatus,
    asked_on: date | None,
    due_on: date | None,
    preference: ReminderPreference,
    last_reminded_on: date | None,
    today: date,
    thresholds: AdviceThresholds,
) -> Nudge | None:
    """The reminder to suggest today, if any.

    A suggestion stays up from its date until the next one replaces it (or
    the letter is due), so a missed day does not lose the advice; it goes
    away once a reminder is logged on or shortly before its date. After the
    due date the overdue rule takes over.
    """
    return nudge_planner(thresholds).current(
        status, asked_on, due_on, preference, last_reminded_on, today
    )


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"

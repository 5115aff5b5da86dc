"""Timing rules for one letter: when to ask, lead time, reminders, overdue.

Every function takes ``today`` (never the clock) and the user's
``AdviceThresholds``. Dates are calendar dates; arithmetic is in whole days,
so leap days are counted like any other day.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from typing import NamedTuple

from .status import OPEN_STATUSES, WAITING_STATUSES
from .thresholds import AdviceThresholds
from .vocabulary import ReminderPreference, RequestStatus

# A reminder logged a little before a suggested date still answers that
# suggestion: people send the nudge on Friday rather than on Sunday.
REMINDER_EARLY_DAYS = 2


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def days(n: int) -> timedelta:
    """``timedelta(days=n)``, made once for each ``n``: the rules add the
    same few day counts to thousands of dates on every Today computation,
    and building a timedelta costs more than the date arithmetic itself."""
    return timedelta(days=n)


def format_day(day: date) -> str:
    """E.g. "Mar 1, 2028": unambiguous in any locale, unlike 03/01/2028.

    English month names on purpose: ``%b`` would follow the C locale and
    not the app's language, so translation happens around this string.
    """
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def ask_by_date(due_on: date | None, thresholds: AdviceThresholds) -> date | None:
    """The ideal date to ask: the ideal lead time before the letter is due."""
    return None if due_on is None else due_on - days(thresholds.ideal_lead)


def latest_ask_date(due_on: date | None, thresholds: AdviceThresholds) -> date | None:
    """The last day to ask that still gives the writer the minimum lead time."""
    return None if due_on is None else due_on - days(thresholds.minimum_lead)


def below_minimum_lead(due_on: date | None, today: date, thresholds: AdviceThresholds) -> bool:
    """Asking today would give the writer less than the minimum lead time.

    The one place this rule lives: Today's "ask today" warning and a
    program's "not yet asked with too little lead time" both ask it.
    """
    latest = latest_ask_date(due_on, thresholds)
    return latest is not None and today > latest


def lead_days(due_on: date | None, start: date) -> int | None:
    """Days from ``start`` (the ask, or today) until the letter is due."""
    return None if due_on is None else (due_on - start).days


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
    left = (due_on - today).days
    if left == 0:
        return "due today"
    if left == 1:
        return "due tomorrow"
    if left > 0:
        return f"due in {left} days"
    return f"{plural_days(-left)} overdue"


# --- reminders ---------------------------------------------------------------


class NudgeKind(StrEnum):
    AFTER_ASK = "after_ask"
    BEFORE_DUE = "before_due"
    LAST_BEFORE_DUE = "last_before_due"


class Nudge(NamedTuple):
    on: date
    kind: NudgeKind
    # Only the first nudge has a "send by" date (the end of the 2–3 week window).
    send_by: date | None = None


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
    if preference == ReminderPreference.NONE:
        return ()
    gentle = preference == ReminderPreference.GENTLE
    t = thresholds
    nudges: list[Nudge] = []
    if due_on is not None:
        week_before = due_on - days(t.nudge_before_due)
        day_before = due_on - days(t.last_nudge_before_due)
        # A nudge on or before the ask day would be the ask itself.
        if asked_on is None or week_before > asked_on:
            nudges.append(Nudge(week_before, NudgeKind.BEFORE_DUE))
        # Gentle: no reminder the day before. Two settings landing on one
        # day give one nudge.
        wanted = not gentle and day_before != week_before
        if wanted and (asked_on is None or day_before > asked_on):
            nudges.append(Nudge(day_before, NudgeKind.LAST_BEFORE_DUE))
        # Settings may put the "last" reminder before the week-before one.
        nudges.sort()
    if asked_on is not None:
        send_by = asked_on + days(t.first_nudge_latest)
        follow_up = send_by if gentle else asked_on + days(t.first_nudge)
        # Not after the due date, and not on or after a pre-due reminder,
        # which takes its place.
        on_time = due_on is None or follow_up <= due_on
        if on_time and (not nudges or follow_up < nudges[0].on):
            nudges.insert(0, Nudge(follow_up, NudgeKind.AFTER_ASK, send_by))
    return tuple(nudges)


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
    if status not in WAITING_STATUSES:
        return None
    if due_on is not None and today > due_on:
        return None
    # The active nudge is the latest one due by today; ``previous`` is the
    # one before it (or the ask), which an earlier reminder answered.
    active: Nudge | None = None
    previous = asked_on
    schedule = nudge_schedule(
        asked_on=asked_on, due_on=due_on, preference=preference, thresholds=thresholds
    )
    for nudge in schedule:
        if nudge.on > today:
            break
        if active is not None:
            previous = active.on
        active = nudge
    if active is None or last_reminded_on is None:
        return active
    return None if last_reminded_on >= _answered_from(active, previous) else active


def _answered_from(nudge: Nudge, previous: date | None) -> date:
    """The first day a logged reminder answers ``nudge``: a few days early
    still counts, but not on or before the previous nudge (or the ask),
    which that reminder answered instead."""
    counts_from = nudge.on - days(REMINDER_EARLY_DAYS)
    if previous is not None and counts_from <= previous:
        counts_from = previous + days(1)
    return counts_from


def plural_days(n: int) -> str:
    """ "1 day", "0 days", "3 days": every day count the advice writes."""
    return "1 day" if n == 1 else f"{n} days"

"""What the Today page lists: actions, their order, and remembered choices.

An action's ``key`` names the situation it is about (the request, mentor,
program and, where the advice recurs, the date it refers to), never the
run that produced it, so a snooze or dismissal stored under that key still
applies tomorrow, and a new situation (the next reminder, contact logged and
then lapsed again) gets a new key and shows up afresh.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from enum import IntEnum, StrEnum
from typing import Any, NamedTuple


class ActionKind(StrEnum):
    ASK_NOW = "ask_now"
    MEMORIES_FADE = "memories_fade"
    ASK_BY = "ask_by"
    LEAD_TIME = "lead_time"
    SEND_MATERIALS = "send_materials"
    NUDGE = "nudge"
    OVERDUE = "overdue"
    DUE = "due"
    FIND_BACKUP = "find_backup"
    THANK = "thank"
    KEEP_IN_TOUCH = "keep_in_touch"
    SHARE_OUTCOME = "share_outcome"
    COVERAGE = "coverage"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ActionKind.ASK_NOW: "Ask now",
    ActionKind.MEMORIES_FADE: "Ask soon",
    ActionKind.ASK_BY: "Ask by",
    ActionKind.LEAD_TIME: "Short lead time",
    ActionKind.SEND_MATERIALS: "Send materials",
    ActionKind.NUDGE: "Reminder",
    ActionKind.OVERDUE: "Overdue",
    ActionKind.DUE: "Due date",
    ActionKind.FIND_BACKUP: "Find a backup",
    ActionKind.THANK: "Thank",
    ActionKind.KEEP_IN_TOUCH: "Keep in touch",
    ActionKind.SHARE_OUTCOME: "Share your outcome",
    ActionKind.COVERAGE: "Coverage",
}


class Urgency(IntEnum):
    """Lower sorts first."""

    URGENT = 0  # a date has passed or the letter is in danger
    HIGH = 1  # act today
    NORMAL = 2  # coming up
    LOW = 3  # good manners, whenever convenient

    @property
    def label(self) -> str:
        return ("Urgent", "Today", "Soon", "When you can")[self.value]


def urgency_of_date(day: date, today: date) -> Urgency:
    """The one urgency rule for advice tied to a date: a date that has
    passed is urgent, a date that is today is for today, a later one is
    coming up. Rules use it so a card's heading never contradicts its date
    (a missed date listed under "Today")."""
    if today > day:
        return Urgency.URGENT
    if today == day:
        return Urgency.HIGH
    return Urgency.NORMAL


# Writes an action's (title, detail) from its facts; see ``Action.text``.
Render = Callable[["Action"], tuple[str, str]]


class Action(NamedTuple):
    """One line of the Today page.

    A NamedTuple rather than a frozen dataclass, and its text written only
    when read: on a large data set Today produces tens of thousands of
    actions, of which a list view shows a screenful. Building a frozen
    dataclass costs about three times as much as a tuple, and formatting
    every title and date up front cost more than all the rules together.

    The first three fields are the sort order (see ``sort_actions``).
    """

    urgency: Urgency
    # The date the advice is about (due date, ask-by date…): orders actions
    # of the same urgency, earliest first.
    sort_date: date
    key: str
    kind: ActionKind
    request_id: int | None = None
    mentor_id: int | None = None
    program_id: int | None = None
    experience_id: int | None = None
    cycle_id: int | None = None
    # The one-click "activate a backup" is offered (overdue, declined).
    offers_backup: bool = False
    # The values the text is made of (names, dates, counts), in the order
    # ``render`` expects them; ``render`` is a plain module-level function,
    # so two computations of the same situation still compare equal.
    facts: tuple[Any, ...] = ()
    render: Render | None = None
    # The writer's name when they are archived: the advice stays (the letter
    # or the courtesy is still owed) and the detail says they are archived,
    # so the card never looks like an active writer's.
    archived_writer: str | None = None

    @property
    def text(self) -> tuple[str, str]:
        if self.render is None:
            title, detail = self.kind.label, ""
        else:
            title, detail = self.render(self)
        if self.archived_writer is not None:
            note = f"{self.archived_writer} is archived on the Mentors page."
            detail = f"{detail} {note}" if detail else note
        return (title, detail)

    @property
    def title(self) -> str:
        return self.text[0]

    @property
    def detail(self) -> str:
        return self.text[1]


def _rank(action: Action) -> int:
    # Urgency and date folded into one int (date ordinals stay below 2**20
    # until the year 2870): sorting ints is several times faster than
    # sorting tuples, which matters with tens of thousands of actions.
    return (action[0] << 20) | action[1].toordinal()


def sort_actions(actions: Iterable[Action]) -> list[Action]:
    """Most urgent first, then earliest date. The sort is stable, so ties
    keep the order the rules produced them in (which follows the snapshot,
    loaded in id order), and the list does not reshuffle between runs."""
    return sorted(actions, key=_rank)


ActionState = tuple[date | None, bool]  # (snoozed until, dismissed)


def is_hidden(state: ActionState | None, today: date) -> bool:
    """Dismissed for good, or snoozed until a later day (it shows again on
    the day the snooze ends)."""
    if state is None:
        return False
    snoozed_until, dismissed = state
    return dismissed or (snoozed_until is not None and today < snoozed_until)


def apply_action_states(
    actions: Iterable[Action], states: Mapping[str, ActionState], today: date
) -> list[Action]:
    """The actions to show, given the remembered snoozes and dismissals."""
    return [action for action in actions if not is_hidden(states.get(action.key), today)]


def forgettable_states(states: Mapping[str, ActionState], today: date) -> list[str]:
    """Keys whose snooze has ended and that were not dismissed: the stored
    state no longer changes anything and can be deleted."""
    return [key for key, state in states.items() if not is_hidden(state, today)]

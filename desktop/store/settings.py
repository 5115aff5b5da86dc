"""Settings kept with the data: the advice thresholds and the Today page's
remembered snoozes and dismissals.

Thresholds live in the ``Setting`` table as JSON integers under
``advice.<name>`` (see ``desktop.domain.thresholds``). A value the user
edited by hand into something unusable never stops Today from opening: it
falls back to its default here and ``invalid_threshold_values`` reports it.
"""

from __future__ import annotations

import json
from datetime import date

from desktop.domain.actions import ActionState as StateTuple
from desktop.domain.actions import forgettable_states
from desktop.domain.thresholds import (
    SETTING_PREFIX,
    AdviceThresholds,
    invalid_values,
    setting_key,
    validate_threshold,
)
from desktop.errors import UserError

from .json_values import UNREADABLE, decoded
from .models import ActionState, Setting, database_proxy, utc_now


class InvalidThresholdError(UserError, ValueError):
    """A threshold the Settings page should not have let through."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


# --- advice thresholds ----------------------------------------------------------


def stored_threshold_values() -> dict[str, object]:
    """Name → stored value (decoded JSON) for every ``advice.*`` setting,
    unknown and malformed ones included, so the Settings page can show them."""
    values: dict[str, object] = {}
    query = Setting.select().where(Setting.key.startswith(SETTING_PREFIX))
    for setting in query:
        name = setting.key[len(SETTING_PREFIX) :]
        value = decoded(setting.value)
        # An unreadable value is kept as text, reported by invalid_threshold_values.
        values[name] = setting.value if value is UNREADABLE else value
    return values


def load_thresholds() -> AdviceThresholds:
    """The user's thresholds; defaults for anything missing or unusable."""
    return AdviceThresholds.from_values(stored_threshold_values())


def invalid_threshold_values() -> dict[str, str]:
    """Name → message for each stored value that ``load_thresholds`` ignored."""
    return invalid_values(stored_threshold_values())


def save_thresholds(thresholds: AdviceThresholds) -> None:
    """Store every threshold (in one transaction). Refuses values out of
    range or combinations that contradict each other, with the reasons."""
    values = thresholds.to_values()
    problems = [m for n, v in values.items() if (m := validate_threshold(n, v)) is not None]
    problems += thresholds.problems()
    if problems:
        raise InvalidThresholdError(problems)
    rows = [
        {"key": setting_key(name), "value": json.dumps(value)} for name, value in values.items()
    ]
    with database_proxy.atomic():
        Setting.insert_many(rows).on_conflict_replace().execute()


def reset_thresholds() -> None:
    """Back to the advisers' defaults (the stored values are removed)."""
    Setting.delete().where(Setting.key.startswith(SETTING_PREFIX)).execute()


# --- Today: snoozed and dismissed actions -----------------------------------------


def action_states() -> dict[str, StateTuple]:
    """Action key → (snoozed until, dismissed), as ``domain.actions`` reads it."""
    return {
        key: (date.fromisoformat(until) if until else None, bool(dismissed))
        for key, until, dismissed in database_proxy.execute_sql(
            "SELECT key, snoozed_until, dismissed FROM action_state"
        )
    }


def snooze(key: str, until: date) -> None:
    """Hide the action until ``until`` (it shows again on that day)."""
    ActionState.insert(
        key=key, snoozed_until=until, dismissed=False, updated_at=utc_now()
    ).on_conflict(
        conflict_target=[ActionState.key],
        update={
            ActionState.snoozed_until: until,
            ActionState.dismissed: False,
            ActionState.updated_at: utc_now(),
        },
    ).execute()


def dismiss(key: str) -> None:
    """Hide the action for good. Its key names the situation, so a new
    situation (the next reminder) shows up afresh."""
    ActionState.insert(
        key=key, snoozed_until=None, dismissed=True, updated_at=utc_now()
    ).on_conflict(
        conflict_target=[ActionState.key],
        update={ActionState.dismissed: True, ActionState.updated_at: utc_now()},
    ).execute()


def restore_action(key: str) -> None:
    """Undo a snooze or dismissal."""
    ActionState.delete().where(ActionState.key == key).execute()


def prune_action_states(today: date) -> int:
    """Delete states that no longer hide anything (snoozes that ended);
    returns how many were deleted."""
    keys = forgettable_states(action_states(), today)
    deleted = 0
    with database_proxy.atomic():
        # In chunks: SQLite limits the number of bound parameters.
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            deleted += ActionState.delete().where(ActionState.key.in_(chunk)).execute()
    return deleted


# --- the calendar file kept for a calendar app to subscribe to ---------------

CALENDAR_FEED_SETTING = "calendar_feed"


def calendar_feed_enabled() -> bool:
    row = Setting.get_or_none(Setting.key == CALENDAR_FEED_SETTING)
    if row is None:
        return False
    value = decoded(row.value)
    return value is not UNREADABLE and bool(value)


def set_calendar_feed(enabled: bool) -> None:
    Setting.insert(
        key=CALENDAR_FEED_SETTING, value=json.dumps(enabled)
    ).on_conflict_replace().execute()

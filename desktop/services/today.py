"""Today in one call: what to do next, what the user hid, and the
timeline, worked out from the open data file for a given day.

Plain Python over store reads and domain rules, so the Today page runs it
on a worker thread and anything else (a script, a test) gets the same list
without Qt.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import peewee as pw

from desktop.domain.actions import Action, ActionState, is_hidden
from desktop.domain.today import next_actions
from desktop.services.timeline import TimelineData, timeline_from_snapshot
from desktop.store import settings as settings_store
from desktop.store.today import load_snapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TodayResult:
    today: date
    visible: list[Action]
    hidden: list[tuple[Action, ActionState]]
    has_data: bool  # any mentors or requests at all
    timeline: TimelineData


def compute_today(today: date) -> TodayResult:
    """Everything the Today page shows for ``today``, read from the open
    database (no widgets: safe on a worker thread)."""
    snapshot = load_snapshot()
    thresholds = settings_store.load_thresholds()
    states = settings_store.action_states()
    visible: list[Action] = []
    hidden: list[tuple[Action, ActionState]] = []
    for action in next_actions(snapshot, today, thresholds):
        state = states.get(action.key)
        if state is not None and is_hidden(state, today):
            hidden.append((action, state))
        else:
            visible.append(action)
    return TodayResult(
        today,
        visible,
        hidden,
        bool(snapshot.mentors or snapshot.requests),
        timeline_from_snapshot(snapshot, today, thresholds),
    )


def tidy_ended_snoozes(today: date) -> None:
    """Forget snoozes that ended before ``today``. Tidying only: a failure
    (a busy or read-only file) is logged, never worth an error."""
    try:
        settings_store.prune_action_states(today)
    except (pw.PeeweeException, OSError) as exc:
        log.warning("Could not prune ended snoozes: %s", exc)

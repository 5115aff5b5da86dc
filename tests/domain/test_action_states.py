"""Snoozed and dismissed Today actions, remembered by key."""

from __future__ import annotations

from desktop.domain.actions import (
    Action,
    ActionKind,
    Urgency,
    apply_action_states,
    forgettable_states,
    is_hidden,
    sort_actions,
)
from desktop.domain.today import visible_actions
from desktop.domain.vocabulary import RequestStatus as S

from .records_factory import TODAY, cycle, day, request, snapshot


def action(key: str, urgency: Urgency = Urgency.NORMAL, offset: int = 0) -> Action:
    return Action(urgency, day(offset), key, ActionKind.THANK)


def test_dismissed_is_hidden_for_good():
    assert is_hidden((None, True), TODAY)
    assert is_hidden((day(-5), True), TODAY)


def test_snoozed_until_a_later_day_is_hidden_and_returns_on_that_day():
    assert is_hidden((day(1), False), TODAY)
    assert not is_hidden((TODAY, False), TODAY)
    assert not is_hidden((day(-1), False), TODAY)
    assert not is_hidden(None, TODAY)


def test_apply_action_states_filters_by_key_and_keeps_order():
    actions = [action("a"), action("b"), action("c")]
    states = {"a": (day(3), False), "c": (None, True), "zzz": (None, True)}
    assert [a.key for a in apply_action_states(actions, states, TODAY)] == ["b"]
    assert [a.key for a in apply_action_states(actions, states, day(3))] == ["a", "b"]


def test_forgettable_states_are_the_ones_that_no_longer_hide_anything():
    states = {
        "old": (day(-1), False),
        "today": (TODAY, False),
        "later": (day(2), False),
        "gone": (None, True),
    }
    assert sorted(forgettable_states(states, TODAY)) == ["old", "today"]


def test_sort_actions_by_urgency_then_date_keeping_ties_in_order():
    items = [
        action("low", Urgency.LOW, -100),
        action("normal-late", Urgency.NORMAL, 5),
        action("urgent", Urgency.URGENT, 30),
        action("normal-early", Urgency.NORMAL, -5),
        action("normal-tie", Urgency.NORMAL, 5),
    ]
    assert [a.key for a in sort_actions(items)] == [
        "urgent",
        "normal-early",
        "normal-late",
        "normal-tie",
        "low",
    ]


def test_action_without_renderer_falls_back_to_its_kind():
    plain = action("x")
    assert plain.title == "Thank" and plain.detail == ""


def test_visible_actions_applies_remembered_choices_to_todays_list():
    snap = snapshot(
        requests=(
            request(1, S.ASKED, asked_on=day(-40), due_on=day(-1)),
            request(2, S.SUBMITTED, asked_on=day(-40), submitted_on=day(-1)),
        )
    )
    assert [a.key for a in visible_actions(snap, TODAY, {})] == ["overdue:r1", "thank:r2"]
    states = {"overdue:r1": (day(2), False)}
    assert [a.key for a in visible_actions(snap, TODAY, states)] == ["thank:r2"]
    assert visible_actions(snap, day(2), states)[0].key == "overdue:r1"


def test_next_reminder_is_not_silenced_by_dismissing_the_first():
    snap = snapshot(requests=(request(1, S.ASKED, asked_on=day(-14), due_on=day(40)),))
    first = visible_actions(snap, TODAY, {})
    assert [a.key for a in first] == ["nudge:r1:2027-09-15"]
    dismissed = {"nudge:r1:2027-09-15": (None, True)}
    assert visible_actions(snap, day(5), dismissed) == []
    week_before = visible_actions(snap, day(33), dismissed)
    assert [a.key for a in week_before] == ["nudge:r1:2027-10-18"]


def test_cycle_in_season_bounds():
    c = cycle(1, opens_on=day(-10), outcome_on=day(10))
    assert c.in_season(day(-10)) and c.in_season(day(10))
    assert not c.in_season(day(-11)) and not c.in_season(day(11))
    assert not cycle(1, archived=True, opens_on=None, outcome_on=None).in_season(TODAY)

"""Advice thresholds and remembered Today choices in the Setting tables."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from desktop.domain.thresholds import AdviceThresholds
from desktop.store.models import ActionState, Setting
from desktop.store.settings import (
    InvalidThresholdError,
    action_states,
    dismiss,
    invalid_threshold_values,
    load_thresholds,
    prune_action_states,
    reset_thresholds,
    restore_action,
    save_thresholds,
    snooze,
)


def test_defaults_when_nothing_is_stored(db):
    assert load_thresholds() == AdviceThresholds()


def test_save_and_load_round_trip_as_json_ints(db):
    changed = replace(AdviceThresholds(), ideal_lead=56, minimum_lead=35, keep_in_touch=45)
    save_thresholds(changed)
    assert load_thresholds() == changed
    assert json.loads(Setting.get_by_id("advice.ideal_lead").value) == 56
    save_thresholds(replace(changed, ideal_lead=50))
    assert load_thresholds().ideal_lead == 50
    reset_thresholds()
    assert load_thresholds() == AdviceThresholds()


def test_contradictions_and_out_of_range_values_are_refused(db):
    with pytest.raises(InvalidThresholdError) as caught:
        save_thresholds(replace(AdviceThresholds(), minimum_lead=50, ideal_lead=42))
    assert "minimum lead time" in caught.value.user_message
    with pytest.raises(InvalidThresholdError):
        save_thresholds(replace(AdviceThresholds(), first_nudge=0))
    assert Setting.select().count() == 0


def test_hand_edited_values_fall_back_to_defaults(db):
    Setting.create(key="advice.ideal_lead", value="not json")
    Setting.create(key="advice.minimum_lead", value="true")
    Setting.create(key="advice.thank_within", value="5")
    Setting.create(key="advice.unknown", value="3")
    Setting.create(key="smtp.host", value='"mail.example"')
    loaded = load_thresholds()
    assert loaded.ideal_lead == 42 and loaded.minimum_lead == 28
    assert loaded.thank_within == 5
    assert set(invalid_threshold_values()) == {"ideal_lead", "minimum_lead", "unknown"}


def test_snooze_dismiss_restore_and_prune(db):
    snooze("nudge:r1:2031-07-01", date(2031, 7, 20))
    dismiss("thank:r2")
    snooze("ask_by:r3", date(2031, 7, 10))
    assert action_states() == {
        "nudge:r1:2031-07-01": (date(2031, 7, 20), False),
        "thank:r2": (None, True),
        "ask_by:r3": (date(2031, 7, 10), False),
    }
    snooze("thank:r2", date(2031, 8, 1))  # snoozing again replaces the dismissal
    assert action_states()["thank:r2"] == (date(2031, 8, 1), False)
    dismiss("thank:r2")
    assert action_states()["thank:r2"] == (date(2031, 8, 1), True)

    assert prune_action_states(date(2031, 7, 15)) == 1  # only ask_by's snooze has ended
    assert set(action_states()) == {"nudge:r1:2031-07-01", "thank:r2"}
    restore_action("thank:r2")
    assert ActionState.select().count() == 1

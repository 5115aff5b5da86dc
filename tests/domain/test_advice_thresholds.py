"""Thresholds declared as data: defaults, the generated settings list,
validation and tolerant loading."""

from __future__ import annotations

from desktop.domain.thresholds import (
    AdviceThresholds,
    invalid_values,
    setting_key,
    threshold_settings,
    validate_threshold,
)


def test_defaults_follow_the_advice_in_issue_3():
    t = AdviceThresholds()
    assert (t.ask_now_before_end, t.ask_now_after_end) == (14, 7)
    assert t.memories_fade == 30
    assert (t.ideal_lead, t.minimum_lead) == (42, 28)
    assert t.materials_after == 3
    assert (t.first_nudge, t.first_nudge_latest) == (14, 21)
    assert (t.nudge_before_due, t.last_nudge_before_due) == (7, 1)
    assert t.thank_within == 3
    assert t.keep_in_touch == 60
    assert t.problems() == []


def test_every_threshold_is_a_described_setting():
    settings = threshold_settings()
    names = [s.name for s in settings]
    assert names == list(AdviceThresholds().to_values())
    for s in settings:
        assert s.label and s.description.endswith(".")
        assert s.key == setting_key(s.name) == f"advice.{s.name}"
        assert s.minimum <= s.default <= s.maximum
        assert s.unit == "days"


def test_from_values_round_trips():
    custom = AdviceThresholds(ideal_lead=56, minimum_lead=35)
    assert AdviceThresholds.from_values(custom.to_values()) == custom


def test_from_values_ignores_unknown_wrong_typed_and_out_of_range_values():
    loaded = AdviceThresholds.from_values(
        {
            "ideal_lead": 50,
            "minimum_lead": "x",
            "memories_fade": -3,
            "nonsense": 4,
            "due_soon": True,
        }
    )
    assert loaded.ideal_lead == 50
    assert loaded.minimum_lead == 28
    assert loaded.memories_fade == 30
    assert loaded.due_soon == 7


def test_invalid_values_explains_each_problem():
    errors = invalid_values({"minimum_lead": "x", "bogus": 3, "ideal_lead": 999, "thank_within": 2})
    assert errors["minimum_lead"] == "Minimum lead time must be a whole number of days."
    assert errors["bogus"] == "Unknown setting: bogus."
    assert "between 1 and 365" in errors["ideal_lead"]
    assert "thank_within" not in errors


def test_validate_threshold_accepts_the_bounds():
    assert validate_threshold("ideal_lead", 1) is None
    assert validate_threshold("ideal_lead", 365) is None
    assert validate_threshold("ideal_lead", 0) is not None


def test_contradictory_settings_are_reported():
    problems = AdviceThresholds(minimum_lead=50, ideal_lead=42, first_nudge=30).problems()
    assert any("minimum lead time" in p for p in problems)
    assert any("first reminder" in p for p in problems)
    assert AdviceThresholds(last_nudge_before_due=9).problems()

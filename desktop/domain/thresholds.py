"""The day thresholds behind every piece of timing advice, declared as data.

Each field of ``AdviceThresholds`` carries its label, description and allowed
range in its metadata, so the Settings page is generated from
``threshold_settings()`` (one spin box per entry) instead of being written by
hand, and a new threshold appears there the moment it is declared here.

Defaults follow what advisers recommend: ask at least 4 weeks before a
letter is due, ideally 4–6 (so "ask by" is due − 42 days); ask near the end
of a rotation, not over 30 days after it; a first reminder 2–3 weeks after
the ask and another shortly before the due date; thank the writer promptly (the
prompt comes as soon as the letter is in, and turns late after
``thank_within`` days). Values are stored in the ``Setting`` table under
``setting_key(name)`` as JSON integers.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

SETTING_PREFIX = "advice."


def _days(default: int, label: str, description: str, minimum: int = 0, maximum: int = 365) -> Any:
    # dataclasses.field() returns Any on purpose (it stands in for the value),
    # so the metadata rides along without upsetting the type checker.
    return field(
        default=default,
        metadata={
            "label": label,
            "description": description,
            "minimum": minimum,
            "maximum": maximum,
        },
    )


@dataclass(frozen=True)
class AdviceThresholds:
    """Every day count the advice rules use. All are whole days."""

    ask_now_before_end: int = _days(
        14,
        "Ask-now window before a rotation ends",
        "Suggest asking a mentor this many days before the rotation with them ends.",
    )
    ask_now_after_end: int = _days(
        7,
        "Ask-now window after a rotation ends",
        "Keep suggesting the ask this many days after the rotation ended.",
    )
    memories_fade: int = _days(
        30,
        "Memories fade after",
        "Warn when an experience ended this many days ago and nobody was asked yet.",
        minimum=1,
    )
    stop_suggesting_ask: int = _days(
        365,
        "Stop suggesting an ask after",
        "Experiences that ended longer ago than this no longer prompt an ask.",
        minimum=1,
        maximum=3650,
    )
    ideal_lead: int = _days(
        42,
        "Ideal lead time",
        "Ask this many days before the letter is due (the 'ask by' date).",
        minimum=1,
    )
    minimum_lead: int = _days(
        28,
        "Minimum lead time",
        "Warn when a writer gets fewer days than this before the letter is due.",
        minimum=1,
    )
    ask_by_notice: int = _days(
        7,
        "Show 'ask by' ahead of time",
        "Start showing an 'ask by' reminder this many days before that date.",
    )
    materials_after: int = _days(
        3,
        "Send materials within",
        "Send your materials within this many days of a writer accepting; urgent after that.",
    )
    first_nudge: int = _days(
        14,
        "First reminder after asking",
        "Suggest a polite reminder this many days after the ask if nothing was submitted.",
        minimum=1,
    )
    first_nudge_latest: int = _days(
        21,
        "First reminder at the latest",
        "The first reminder should go out by this many days after the ask.",
        minimum=1,
    )
    nudge_before_due: int = _days(
        7,
        "Reminder before the due date",
        "Suggest another reminder this many days before the letter is due.",
        minimum=1,
    )
    last_nudge_before_due: int = _days(
        1,
        "Last reminder before the due date",
        "Suggest a last reminder this many days before the letter is due.",
        minimum=1,
    )
    thank_within: int = _days(
        3,
        "Thank the writer within",
        # Two lines in the settings dialog: keep it short.
        "Prompted as soon as a letter is in; thank within this many days of it, or it shows late.",
    )
    keep_in_touch: int = _days(
        60,
        "Keep in touch every",
        "During the season, suggest an update to a writer you have not contacted this long.",
        minimum=1,
    )
    due_soon: int = _days(
        7,
        "Letter due soon",
        "Highlight letters due within this many days; on Today for writers who want no reminders.",
    )

    def problems(self) -> list[str]:
        """Combinations that make the advice contradict itself, in words."""
        found: list[str] = []
        if self.minimum_lead > self.ideal_lead:
            found.append("The minimum lead time cannot be longer than the ideal lead time.")
        if self.first_nudge > self.first_nudge_latest:
            found.append(
                "The first reminder cannot be due later than its latest date "
                f"({self.first_nudge} > {self.first_nudge_latest} days)."
            )
        if self.last_nudge_before_due > self.nudge_before_due:
            found.append(
                "The last reminder before the due date must come after the earlier one "
                "(use fewer days for the last reminder)."
            )
        if self.memories_fade >= self.stop_suggesting_ask:
            found.append("'Stop suggesting an ask' must be longer than 'Memories fade after'.")
        return found

    def to_values(self) -> dict[str, int]:
        """Field name → days, ready to be stored as JSON."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_values(cls, values: Mapping[str, object]) -> AdviceThresholds:
        """Build from stored values, falling back to the default for any value
        that is missing, unknown or out of range.

        Settings come from a file the user owns; a hand-edited or older value
        must never stop the Today page from opening, so bad values are
        ignored here and reported by ``invalid_values`` for the Settings page.
        """
        good: dict[str, int] = {
            name: value
            for name, value in values.items()
            if isinstance(value, int) and validate_threshold(name, value) is None
        }
        return replace(cls(), **good)


@dataclass(frozen=True)
class ThresholdSetting:
    """One entry of the generated Settings page."""

    name: str
    key: str  # the Setting table key
    label: str
    description: str
    default: int
    minimum: int
    maximum: int
    unit: str = "days"


def _declared_settings() -> tuple[ThresholdSetting, ...]:
    defaults = AdviceThresholds()
    return tuple(
        ThresholdSetting(
            name=f.name,
            key=setting_key(f.name),
            label=f.metadata["label"],
            description=f.metadata["description"],
            default=getattr(defaults, f.name),
            minimum=f.metadata["minimum"],
            maximum=f.metadata["maximum"],
        )
        for f in fields(AdviceThresholds)
    )


def setting_key(name: str) -> str:
    return f"{SETTING_PREFIX}{name}"


def threshold_settings() -> tuple[ThresholdSetting, ...]:
    """Every threshold in declaration order, for the Settings page."""
    return _SETTINGS


def validate_threshold(name: str, value: object) -> str | None:
    """An error message for the user, or ``None`` when the value is fine."""
    setting = _SETTINGS_BY_NAME.get(name)
    if setting is None:
        return f"Unknown setting: {name}."
    # bool is an int subclass; True is not a number of days.
    if not isinstance(value, int) or isinstance(value, bool):
        return f"{setting.label} must be a whole number of days."
    if not setting.minimum <= value <= setting.maximum:
        return f"{setting.label} must be between {setting.minimum} and {setting.maximum} days."
    return None


def invalid_values(values: Mapping[str, object]) -> dict[str, str]:
    """Name → message for every stored value that ``from_values`` ignores."""
    return {
        name: message
        for name, value in values.items()
        if (message := validate_threshold(name, value)) is not None
    }


# Built once at import: the declarations above never change at run time.
_SETTINGS: tuple[ThresholdSetting, ...] = _declared_settings()
_SETTINGS_BY_NAME: dict[str, ThresholdSetting] = {s.name: s for s in _SETTINGS}

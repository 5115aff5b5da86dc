"""Settings come back with a restore or an archive import (the rows are
rebuilt, but a text value is whatever the archive held). A value nested past
json's depth ("[[[[…") raises RecursionError, not ValueError; each reader
must fall back as for any other unreadable value instead of crashing the
start-up. Values written straight into the real SQLite file."""

from __future__ import annotations

import pytest

from desktop.domain.thresholds import AdviceThresholds
from desktop.store import installation, replies, settings
from desktop.store.models import Setting

TOO_DEEP = "[" * 100_000


def _store(key: str, value: str) -> None:
    Setting.insert(key=key, value=value).on_conflict_replace().execute()


@pytest.mark.parametrize("value", [TOO_DEEP, "{not json"])
def test_an_unreadable_value_falls_back_in_every_reader(db, value):
    _store(settings.SETTING_PREFIX + "ask_now_before_end", value)
    _store(settings.CALENDAR_FEED_SETTING, value)
    _store(installation.INSTALLATION_ID_SETTING, value)
    _store(replies.SETTINGS_KEY, value)

    assert settings.stored_threshold_values()["ask_now_before_end"] == value
    assert settings.load_thresholds() == AdviceThresholds()  # the defaults
    assert settings.calendar_feed_enabled() is False
    made = installation.installation_id()
    assert len(made) == 32 and installation.installation_id() == made
    assert replies.load_settings() == replies.ReplySettings()

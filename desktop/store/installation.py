"""A random identifier of this data folder, made once and kept in its
settings. The calendar export puts it in every event's UID, so the events
of two data folders (two applicants on one computer, a test folder beside
the real one) never overwrite each other in one calendar. A restore or an
archive moved to another computer keeps it: the data, and so its events,
are the same."""

from __future__ import annotations

import json
import re
import secrets

from .json_values import decoded
from .models import Setting

INSTALLATION_ID_SETTING = "installation_id"
_WELL_FORMED = re.compile(r"[0-9a-f]{32}")


def installation_id() -> str:
    """This data folder's identifier (32 hex digits), made on first use."""
    row = Setting.get_or_none(Setting.key == INSTALLATION_ID_SETTING)
    if row is not None:
        value = decoded(row.value)
        if isinstance(value, str) and _WELL_FORMED.fullmatch(value):
            return value
    # Replace only a missing or malformed value; when two threads make one
    # at once, the first stored wins and both return it.
    new = json.dumps(secrets.token_hex(16))
    if row is None:
        Setting.insert(key=INSTALLATION_ID_SETTING, value=new).on_conflict_ignore().execute()
    else:
        Setting.update(value=new).where(
            (Setting.key == INSTALLATION_ID_SETTING) & (Setting.value == row.value)
        ).execute()
    stored = json.loads(Setting.get(Setting.key == INSTALLATION_ID_SETTING).value)
    return str(stored)

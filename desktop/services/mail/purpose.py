"""The template a request's status calls for, read from the store and
decided by ``domain.email_purpose`` (one quick query per request: fine on
the GUI thread when a button is pressed)."""

from __future__ import annotations

from datetime import date

from desktop.domain.email_purpose import email_purpose
from desktop.domain.vocabulary import ReminderPreference, TemplatePurpose
from desktop.store.mentors import get_mentor
from desktop.store.settings import load_thresholds
from desktop.store.today import load_request_records


def purpose_for_request(request_id: int, today: date) -> TemplatePurpose | None:
    records = load_request_records(
        include_archived_cycles=True, where="r.id = ?", params=(request_id,)
    )
    if not records:
        return None
    record = records[0]
    try:
        preference = ReminderPreference(get_mentor(record.mentor_id).reminder_preference)
    except ValueError:
        preference = ReminderPreference.DEFAULT
    return email_purpose(record, preference, today, load_thresholds())

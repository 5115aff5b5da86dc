"""The iCalendar export: all-day events with stable UIDs."""

from __future__ import annotations

from datetime import date, timedelta

from icalendar import Calendar

from desktop.services.data import calendar_export
from desktop.store import requests as request_store
from desktop.store.mentors import MentorFields, save_mentor
from desktop.store.models import Cycle, LetterRequest, Program


def _data(db):
    cycle = Cycle.create(service="eras_residency", name="ERAS 2026", max_letters_per_program=4)
    mentor = save_mentor(
        MentorFields(last_name="Okafor, Jr.", first_name="Ngozi", category="other")
    )
    due = date(2026, 9, 1)
    request_store.create_request(
        request_store.RequestFields(
            mentor_id=mentor,
            cycle_id=cycle.id,
            letter_type="narrative",
            planned_ask_on=date(2026, 6, 1),
            due_on=due,
        )
    )
    Program.create(cycle=cycle, name="Mercy; Internal Medicine", deadline=date(2026, 9, 15))
    return due


def test_calendar_has_all_day_events_with_stable_uids(db, tmp_path):
    _data(db)
    target = tmp_path / "letters.ics"
    count = calendar_export.export_calendar(target, alarm_days_before=2)
    calendar = Calendar.from_ical(target.read_bytes())
    events = calendar.walk("VEVENT")
    assert len(events) == count == 3
    uids = sorted(str(e["UID"]) for e in events)
    assert all(uid.endswith("@letterdesk") for uid in uids)
    for event in events:
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and end - start == timedelta(days=1)
        assert event.walk("VALARM")
    summaries = {str(e["SUMMARY"]) for e in events}
    assert "Application deadline: Mercy; Internal Medicine" in summaries
    text = target.read_bytes()
    assert b"PRODID:-//LetterDesk" in text and b"VERSION:2.0" in text
    assert b"DTSTART;VALUE=DATE:20260901" in text
    # A second export gives the same UIDs: calendar apps update, not duplicate.
    calendar_export.export_calendar(target)
    again = sorted(str(e["UID"]) for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT"))
    assert again == uids


def test_reminders_follow_the_ask(db):
    _data(db)
    LetterRequest.update(status="asked", asked_on=date(2026, 7, 1)).execute()
    kinds = [e.uid for e in calendar_export.calendar_entries()]
    assert any("remind" in uid for uid in kinds)
    assert not any(uid.endswith("-ask") for uid in kinds)  # asked already


def test_feed_is_written_only_when_on_and_changed(db, data_paths):
    _data(db)
    feed = calendar_export.feed_path(data_paths)
    assert calendar_export.update_calendar_feed(data_paths) is False
    assert not feed.exists()
    calendar_export.set_feed_enabled(data_paths, True)
    assert feed.exists()
    assert calendar_export.update_calendar_feed(data_paths) is False  # nothing changed
    Program.update(deadline=date(2026, 10, 1)).execute()
    assert calendar_export.update_calendar_feed(data_paths) is True
    calendar_export.set_feed_enabled(data_paths, False)
    assert not feed.exists()

"""The iCalendar export: all-day events with stable UIDs."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
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


# --- checked by a second, independent reader -----------------------------------------
# A minimal RFC 5545 reader written for this test (not icalendar): content
# lines, unfolding, components, and the DURATION grammar of section 3.3.6.

_DURATION = re.compile(
    r"(?P<sign>[+-])?P(?:(?P<weeks>\d+)W|(?:(?P<days>\d+)D)?"
    r"(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?(?:(?P<seconds>\d+)S)?)?)"
)


def _rfc5545_duration(text: str) -> timedelta:
    match = _DURATION.fullmatch(text)
    assert match and text not in ("P", "-P", "+P", "PT"), f"not an RFC 5545 duration: {text}"
    parts = {k: int(v) for k, v in match.groupdict().items() if v and k != "sign"}
    value = timedelta(
        weeks=parts.get("weeks", 0),
        days=parts.get("days", 0),
        hours=parts.get("hours", 0),
        minutes=parts.get("minutes", 0),
        seconds=parts.get("seconds", 0),
    )
    return -value if match.group("sign") == "-" else value


def _rfc5545_components(data: bytes) -> list[dict]:
    """Every component as {"name", "props": [(name, params, value)], "children"}."""
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    physical = data.decode("utf-8").split("\r\n")[:-1]
    assert all(len(line.encode()) <= 75 for line in physical), "lines over 75 octets"
    logical: list[str] = []
    for line in physical:
        if line[:1] in (" ", "\t"):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    root: dict = {"name": "", "props": [], "children": []}
    stack = [root]
    for line in logical:
        head, _, value = line.partition(":")
        name, *raw_params = head.split(";")
        params = dict(p.split("=", 1) for p in raw_params)
        if name == "BEGIN":
            component = {"name": value, "props": [], "children": []}
            stack[-1]["children"].append(component)
            stack.append(component)
        elif name == "END":
            assert stack.pop()["name"] == value
        else:
            stack[-1]["props"].append((name, params, value))
    assert stack == [root]
    return root["children"]


def _prop(component: dict, name: str) -> tuple[dict, str]:
    [(params, value)] = [(p, v) for n, p, v in component["props"] if n == name]
    return params, value


def test_the_one_day_alarm_rings_at_nine_the_day_before(db, tmp_path):
    due = _data(db)
    target = tmp_path / "letters.ics"
    calendar_export.export_calendar(target, alarm_days_before=1)
    data = target.read_bytes()

    # icalendar's reading.
    for event in Calendar.from_ical(data).walk("VEVENT"):
        start = event.decoded("DTSTART")
        [alarm] = event.walk("VALARM")
        ring = datetime.combine(start, time(0, 0)) + alarm.decoded("TRIGGER")
        assert ring == datetime.combine(start - timedelta(days=1), time(9, 0))

    # The second reader's.
    [calendar] = _rfc5545_components(data)
    assert calendar["name"] == "VCALENDAR"
    events = [c for c in calendar["children"] if c["name"] == "VEVENT"]
    assert len(events) == 3
    for event in events:
        params, value = _prop(event, "DTSTART")
        assert params == {"VALUE": "DATE"}
        start = datetime.strptime(value, "%Y%m%d")
        [alarm] = event["children"]
        assert _prop(alarm, "ACTION")[1] == "DISPLAY" and _prop(alarm, "DESCRIPTION")[1]
        trigger_params, trigger = _prop(alarm, "TRIGGER")
        assert trigger_params.get("RELATED", "START") == "START"
        ring = start + _rfc5545_duration(trigger)
        assert (ring.date(), ring.time()) == ((start - timedelta(days=1)).date(), time(9, 0))
    assert any(_prop(e, "DTSTART")[1] == due.strftime("%Y%m%d") for e in events)


@pytest.mark.parametrize("days", [0, 2, 7])
def test_alarms_n_days_before_ring_at_nine(days):
    entry = calendar_export.CalendarEntry("request-1-due", date(2026, 9, 1), "Letter due")
    data = calendar_export.build_calendar([entry], alarm_days_before=days, installation="x")
    [calendar] = _rfc5545_components(data)
    [event] = calendar["children"]
    [alarm] = event["children"]
    ring = datetime(2026, 9, 1) + _rfc5545_duration(_prop(alarm, "TRIGGER")[1])
    assert ring == datetime(2026, 9, 1, 9, 0) - timedelta(days=days)


def _uids(path: Path) -> list[str]:
    [calendar] = _rfc5545_components(path.read_bytes())
    return sorted(_prop(c, "UID")[1] for c in calendar["children"] if c["name"] == "VEVENT")


def test_two_data_folders_never_share_an_event_uid(tmp_path):
    from desktop.paths import DataPaths
    from desktop.store.database import open_database
    from desktop.store.installation import installation_id

    uids, ids = [], []
    for name in ("first", "second"):
        paths = DataPaths(tmp_path / name)
        paths.ensure()
        database = open_database(paths.database, paths.backups)
        try:
            _data(database)
            calendar_export.export_calendar(tmp_path / f"{name}.ics")
            ids.append(installation_id())
            uids.append(_uids(tmp_path / f"{name}.ics"))
        finally:
            database.close()
    # The same entries (request 1, program 1) in both folders...
    assert [u.split(".", 1)[0] for u in uids[0]] == [u.split(".", 1)[0] for u in uids[1]]
    # ... but no UID in common: one calendar can hold both.
    assert not set(uids[0]) & set(uids[1])
    assert ids[0] != ids[1] and all(ids[0] in u for u in uids[0])


def test_the_installation_id_is_made_once_and_kept(db, data_paths, tmp_path):
    from desktop.store.database import open_database
    from desktop.store.installation import installation_id

    _data(db)
    first = installation_id()
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    calendar_export.export_calendar(tmp_path / "a.ics")
    db.close()
    reopened = open_database(data_paths.database, data_paths.backups)
    try:
        assert installation_id() == first  # stored with the data, not made per run
        calendar_export.export_calendar(tmp_path / "b.ics")
    finally:
        reopened.close()
    assert _uids(tmp_path / "a.ics") == _uids(tmp_path / "b.ics")


def test_a_malformed_installation_id_is_replaced_once(db):
    from desktop.store.installation import INSTALLATION_ID_SETTING, installation_id
    from desktop.store.models import Setting

    Setting.create(key=INSTALLATION_ID_SETTING, value='"not hex; -- hand-edited"')
    first = installation_id()
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert installation_id() == first

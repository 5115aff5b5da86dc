"""Deadlines, planned asks and reminder dates as an iCalendar file that
Google Calendar, Outlook and Apple Calendar accept (RFC 5545).

Every event is all-day (``DTSTART;VALUE=DATE`` with the next day as
``DTEND``, which Outlook needs) and has a UID made from what it is about and
from this data folder's installation ID
(``request-12-due.<32 hex digits>@letterdesk``), so importing the file
again, or a calendar app refreshing a subscription, updates the events
instead of adding copies, and two data folders' events never replace each
other's in one calendar.

An alarm of an all-day event is relative to the start of its day, local
time (the date is "floating"); "one day before" is therefore -15 hours, so
it rings at 9:00 the day before, not at midnight.
``update_calendar_feed`` keeps ``letterdesk.ics`` in the data folder current
when the user turned that on; the UI calls it after changes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Alarm, Calendar, Event

from desktop import __version__
from desktop.domain.status import NOT_COMING_STATUSES
from desktop.domain.timing import nudge_schedule
from desktop.domain.vocabulary import ProgramStatus, ReminderPreference, RequestStatus
from desktop.files import atomic_write
from desktop.paths import DataPaths
from desktop.store.installation import installation_id
from desktop.store.mentors import reminder_preferences
from desktop.store.programs import load_program_rows
from desktop.store.requests import load_request_rows
from desktop.store.settings import calendar_feed_enabled, load_thresholds, set_calendar_feed

log = logging.getLogger(__name__)

FEED_NAME = "letterdesk.ics"
UID_DOMAIN = "letterdesk"
ALARM_TIME = timedelta(hours=9)  # local time on the alarm's day
_REMINDING = frozenset({RequestStatus.ASKED, RequestStatus.ACCEPTED, RequestStatus.MATERIALS_SENT})
_DONE = frozenset({RequestStatus.SUBMITTED, *NOT_COMING_STATUSES})


@dataclass(frozen=True)
class CalendarEntry:
    uid: str
    on: date
    summary: str
    description: str = ""
    category: str = ""


def calendar_entries() -> list[CalendarEntry]:
    """What goes into the calendar, sorted by date then UID."""
    entries: list[CalendarEntry] = []
    preferences = reminder_preferences()
    thresholds = load_thresholds()
    for r in load_request_rows():
        what = f"{r.letter_type.label} letter from {r.mentor_name}"
        info = f"{what} ({r.cycle_name}), status: {r.status.label}."
        if r.due_on and r.status not in _DONE:
            entries.append(
                CalendarEntry(
                    f"request-{r.id}-due", r.due_on, f"Letter due: {r.mentor_name}", info, "Due"
                )
            )
        if r.planned_ask_on and r.status is RequestStatus.PLANNED:
            entries.append(
                CalendarEntry(
                    f"request-{r.id}-ask",
                    r.planned_ask_on,
                    f"Ask {r.mentor_name} for a letter",
                    info,
                    "Ask",
                )
            )
        if r.status in _REMINDING:
            try:
                preference = ReminderPreference(preferences.get(r.mentor_id, "default"))
            except ValueError:
                preference = ReminderPreference.DEFAULT
            for nudge in nudge_schedule(
                asked_on=r.asked_on, due_on=r.due_on, preference=preference, thresholds=thresholds
            ):
                entries.append(
                    CalendarEntry(
                        f"request-{r.id}-remind-{nudge.kind.value}",
                        nudge.on,
                        f"Remind {r.mentor_name} about the letter",
                        info,
                        "Reminder",
                    )
                )
    for p in load_program_rows():
        if p.deadline and p.status is not ProgramStatus.WITHDRAWN:
            entries.append(
                CalendarEntry(
                    f"program-{p.id}-deadline",
                    p.deadline,
                    f"Application deadline: {p.name}",
                    f"{p.name} ({p.cycle_name}); letters assigned: {p.assigned_count} "
                    f"of {p.letters_required} required.",
                    "Deadline",
                )
            )
    entries.sort(key=lambda e: (e.on, e.uid))
    return entries


def build_calendar(
    entries: list[CalendarEntry],
    *,
    alarm_days_before: int | None = None,
    stamp: datetime | None = None,
    installation: str,
) -> bytes:
    """The iCalendar text for ``entries``, their UIDs made unique to
    ``installation``. ``alarm_days_before`` adds a display alarm at 9:00
    local time that many days before the event's day (0: on the day)."""
    calendar = Calendar()
    calendar.add("prodid", f"-//LetterDesk//LetterDesk {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "LetterDesk")
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    for entry in entries:
        event = Event()
        event.add("uid", f"{entry.uid}.{installation}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.on)
        event.add("dtend", entry.on + timedelta(days=1))
        event.add("summary", entry.summary)
        if entry.description:
            event.add("description", entry.description)
        if entry.category:
            event.add("categories", [entry.category])
        event.add("transp", "TRANSPARENT")  # a deadline does not make you busy
        if alarm_days_before is not None:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", entry.summary)
            alarm.add("trigger", ALARM_TIME - timedelta(days=alarm_days_before))
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()


def export_calendar(target: Path, *, alarm_days_before: int | None = None) -> int:
    """Write the calendar to ``target`` atomically; returns the event count."""
    entries = calendar_entries()
    data = build_calendar(
        entries, alarm_days_before=alarm_days_before, installation=installation_id()
    )
    with atomic_write(Path(target)) as handle:
        handle.write(data)
    return len(entries)


# --- the subscribed file in the data folder ----------------------------------------


def feed_path(paths: DataPaths) -> Path:
    return paths.root / FEED_NAME


def feed_enabled() -> bool:
    return calendar_feed_enabled()


def set_feed_enabled(paths: DataPaths, enabled: bool) -> None:
    set_calendar_feed(enabled)
    if enabled:
        update_calendar_feed(paths)
    else:
        feed_path(paths).unlink(missing_ok=True)


def _without_stamps(data: bytes) -> bytes:
    return b"\n".join(line for line in data.splitlines() if not line.startswith(b"DTSTAMP"))


def update_calendar_feed(paths: DataPaths) -> bool:
    """Rewrite ``letterdesk.ics`` when the feed is on and its events changed
    (unchanged events keep the file as it is, so a calendar app polling it
    sees no churn). True when the file was written."""
    if not feed_enabled():
        return False
    target = feed_path(paths)
    data = build_calendar(calendar_entries(), installation=installation_id())
    try:
        if _without_stamps(target.read_bytes()) == _without_stamps(data):
            return False
    except OSError:
        pass
    with atomic_write(target) as handle:
        handle.write(data)
    log.info("Calendar feed %s updated", target)
    return True

"""Showing stored moments to people. The store keeps moments as naive UTC;
people read them in their own time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime


def local_moment(moment: datetime) -> datetime:
    """A stored (naive UTC) moment as an aware local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone()


def local_time_text(moment: datetime | None) -> str:
    """e.g. "2026-09-14 08:30" in local time; "" for no moment."""
    return "" if moment is None else local_moment(moment).strftime("%Y-%m-%d %H:%M")


def local_date_text(moment: datetime | None) -> str:
    """The local calendar day of a stored moment, e.g. "2026-09-14"."""
    return "" if moment is None else local_moment(moment).strftime("%Y-%m-%d")


def day_text(day: date | None) -> str:
    """A calendar day (no time zone involved), e.g. "2026-09-14"."""
    return "" if day is None else day.isoformat()

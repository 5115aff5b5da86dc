"""Relationship facts derived from the interaction log (never typed)."""

from __future__ import annotations

from datetime import date


def days_since(last: date | None, today: date) -> int | None:
    return None if last is None else (today - last).days


def describe_last_contact(last: date | None, today: date) -> str:
    """ "23 days ago", "today", "never"…; future dates (planned meetings)
    read as "in 3 days"."""
    days = days_since(last, today)
    if days is None:
        return "never"
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    if days < 0:
        return f"in {-days} days"
    return f"{days} days ago"

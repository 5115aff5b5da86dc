"""How people are named on screen and in letters."""

from __future__ import annotations

from .greeting import salutation_name


def mentor_display_name(honorific: str, first: str, last: str, credentials: str) -> str:
    """ "Dr. Amara Okafor, MD" — honorific, names, then credentials."""
    name = " ".join(part.strip() for part in (honorific, first, last) if part.strip())
    credentials = credentials.strip()
    return f"{name}, {credentials}" if credentials else name


def mentor_salutation(honorific: str, first: str, last: str, credentials: str = "") -> str:
    """ "Dr. Okafor" for a greeting ("Dr." inferred from an MD, a PhD… when
    no honorific is set); falls back to the full name."""
    return salutation_name(honorific, first, last, credentials)

"""How people are named on screen and in letters."""

from __future__ import annotations


def mentor_display_name(honorific: str, first: str, last: str, credentials: str) -> str:
    """ "Dr. Amara Okafor, MD" — honorific, names, then credentials."""
    name = " ".join(part.strip() for part in (honorific, first, last) if part.strip())
    credentials = credentials.strip()
    return f"{name}, {credentials}" if credentials else name


def mentor_salutation(honorific: str, first: str, last: str) -> str:
    """ "Dr. Okafor" for a greeting; falls back to the full name."""
    if honorific.strip() and last.strip():
        return f"{honorific.strip()} {last.strip()}"
    return " ".join(part for part in (first.strip(), last.strip()) if part)

"""Field validation shared by every form: each check returns an error
message for the user, or ``None`` when the value is acceptable.

Messages say what is wrong and what to do; the UI shows them next to the
field as it is typed.
"""

from __future__ import annotations

from datetime import date

# Generous limits: long enough for any real name or note, short enough that a
# pasted document or a runaway script is refused instead of stored.
NAME_MAX = 100
EMAIL_MAX = 254  # RFC 5321 path limit
PHONE_MAX = 40
SHORT_TEXT_MAX = 200
SUMMARY_MAX = 2_000
NOTES_MAX = 20_000

STRENGTH_MIN, STRENGTH_MAX = 1, 5


def required(value: str, what: str) -> str | None:
    if not value.strip():
        return f"{what} is required."
    return None


def max_length(value: str, limit: int, what: str) -> str | None:
    if len(value) > limit:
        return f"{what} is too long ({len(value):,} characters; at most {limit:,})."
    return None


def no_control_characters(value: str, what: str) -> str | None:
    """Single-line fields must not carry newlines or other control codes
    (they end up in email headers and table cells): C0, DEL and C1
    (U+0080–U+009F, which is what a wrong 8-bit code page makes of letters,
    e.g. Mac Roman's "ü" read as Latin-1)."""
    if any(ord(ch) < 32 or 127 <= ord(ch) <= 159 for ch in value):
        return f"{what} cannot contain line breaks or control characters."
    return None


def single_line(value: str, what: str, limit: int = SHORT_TEXT_MAX) -> str | None:
    return no_control_characters(value, what) or max_length(value, limit, what)


def email_address(value: str, *, optional: bool = True) -> str | None:
    """Syntax check only: no DNS lookups, so it works offline."""
    text = value.strip()
    if not text:
        return None if optional else "Email address is required."
    if error := single_line(text, "Email address", EMAIL_MAX):
        return error
    # Imported here: email_validator pulls in idna and dns modules that the
    # first window does not need.
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return f"Not a valid email address: {exc}"
    return None


def normalized_email(value: str) -> str:
    """The address as stored: trimmed, with the domain part lower-cased."""
    text = value.strip()
    local, sep, domain = text.rpartition("@")
    return f"{local}{sep}{domain.lower()}" if sep else text


def person_name(value: str, what: str, *, optional: bool = False) -> str | None:
    if not optional and (error := required(value, what)):
        return error
    return single_line(value, what, NAME_MAX)


def strength(value: int) -> str | None:
    if not STRENGTH_MIN <= value <= STRENGTH_MAX:
        return f"Strength must be between {STRENGTH_MIN} and {STRENGTH_MAX}."
    return None


def date_range(start: date | None, end: date | None) -> str | None:
    if start and end and end < start:
        return "The end date is before the start date."
    return None


def graduation_year(value: int, today: date) -> str | None:
    if not today.year - 60 <= value <= today.year + 10:
        return f"Graduation year {value} looks wrong; use a year near {today.year}."
    return None

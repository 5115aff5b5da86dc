"""How an email greets a mentor: "Dear Dr. Lopez" for a physician whose
honorific was left empty but whose credentials say MD, unless the applicant
wrote a greeting of their own ("Dear Maria").

Credentials are typed freely ("M.D., Ph.D.", "MD-PhD", "ＭＤ" from a
full-width keyboard), so they are normalised before they are compared.
"""

from __future__ import annotations

import re
import unicodedata

DOCTOR = "Dr."

# Degrees whose holders are addressed as "Dr." in a letter request: medical,
# osteopathic, podiatric, dental, pharmacy, nursing, public-health and other
# clinical doctorates, research doctorates, and the Commonwealth medical
# degrees (MBBS, MBChB…), whose graduates are "Dr." by courtesy. A JD or an
# MBA is not a reason for "Dr.", so they are not here.
DOCTORAL_CREDENTIALS = frozenset(
    {
        "MD",
        "DO",
        "PHD",
        "DPHIL",
        "MBBS",
        "MBBCH",
        "MBCHB",
        "BMBS",
        "DPM",
        "DMD",
        "DDS",
        "PHARMD",
        "EDD",
        "DNP",
        "DRPH",
        "DSC",
        "SCD",
        "DPT",
        "PSYD",
        "DVM",
        "OD",
        "DC",
        "AUD",
        "DMSC",
        "DHSC",
    }
)

# Between credentials: commas, slashes, hyphens ("MD-PhD"), "&", "and", spaces.
_SEPARATORS = re.compile(r"[\s,;/&+\-–—]+|\band\b", re.IGNORECASE)


def _normalised(text: str) -> str:
    # NFKC folds full-width letters ("ＭＤ") and ligatures into plain ones.
    return unicodedata.normalize("NFKC", text).strip()


def credential_tokens(credentials: str) -> list[str]:
    """ "M.D., Ph.D." → ["MD", "PHD"]; "MD-PhD" → ["MD", "PHD"]."""
    tokens = []
    for part in _SEPARATORS.split(_normalised(credentials)):
        token = part.replace(".", "").replace("(", "").replace(")", "").upper()
        if token:
            tokens.append(token)
    return tokens


def has_doctorate(credentials: str) -> bool:
    return any(token in DOCTORAL_CREDENTIALS for token in credential_tokens(credentials))


def inferred_honorific(honorific: str, credentials: str) -> str:
    """The honorific typed wins; otherwise "Dr." for a doctoral degree."""
    typed = _normalised(honorific)
    if typed:
        return typed
    return DOCTOR if has_doctorate(credentials) else ""


def salutation_name(honorific: str, first: str, last: str, credentials: str = "") -> str:
    """ "Dr. Lopez" with an honorific (typed or inferred); the full name
    ("Maria Lopez") without one."""
    title = inferred_honorific(honorific, credentials)
    first, last = _normalised(first), _normalised(last)
    if title and last:
        return f"{title} {last}"
    return " ".join(part for part in (first, last) if part)


def inferred_greeting(honorific: str, first: str, last: str, credentials: str = "") -> str:
    """ "Dear Dr. Lopez" — what the email says when no greeting is set."""
    name = salutation_name(honorific, first, last, credentials)
    return f"Dear {name}" if name else "Dear colleague"


def clean_greeting(typed: str | None) -> str:
    """A greeting as stored: one line, no trailing comma (the template adds
    it), "" for none."""
    if not typed:
        return ""
    line = " ".join(_normalised(typed).split())
    return line.rstrip(",;: ").strip()


def mentor_greeting(
    greeting: str | None, honorific: str, first: str, last: str, credentials: str = ""
) -> str:
    """The greeting an email opens with, without its comma: the mentor's own
    when set, otherwise the inferred one."""
    return clean_greeting(greeting) or inferred_greeting(honorific, first, last, credentials)

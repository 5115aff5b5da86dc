"""What a server's reply means, read from its code and its text rather than
from the SMTP step at which it came.

Servers put the real reason in the enhanced status code (RFC 3463, "5.3.4")
and the text: Postfix refuses a sender it does not own at RCPT time with
"553 5.7.1 … Sender address rejected", which a step-based reading blames on
the recipient; Microsoft refuses a password login with 535 5.7.139 or
550 5.7.30 once SMTP AUTH is turned off, which only Sign in with Microsoft
can get past. ``meaning`` returns a ``ReplyMeaning`` for the replies that say
more than their step; smtp.py falls back to the step for the rest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_ENHANCED = re.compile(r"\b([245])\.(\d{1,3})\.(\d{1,3})\b")


class Meaning(StrEnum):
    TOO_LARGE = "too-large"
    SEND_AS_DENIED = "send-as-denied"
    MICROSOFT_PASSWORD_OFF = "microsoft-password-off"
    TEMPORARY = "temporary"


@dataclass(frozen=True)
class ReplyMeaning:
    meaning: Meaning
    message: str  # the sentence for the user, with the server's words
    suggest_sign_in: str | None = None  # "microsoft": offer that sign-in
    permanent: bool = True


def enhanced_code(text: str) -> str | None:
    """The RFC 3463 status code in a reply's text ("5.7.1"), if any."""
    match = _ENHANCED.search(text)
    return ".".join(match.groups()) if match else None


def _microsoft_password_off(code: int, status: str | None, lowered: str) -> bool:
    if status in ("5.7.139", "5.7.30"):
        return True
    if code == 535 and status == "5.7.3":  # Exchange Online's refusal of a password login
        return True
    return "basic authentication" in lowered or "smtpclientauthentication" in lowered


def _send_as_denied(code: int, status: str | None, lowered: str) -> bool:
    if status == "5.2.252" or "sendasdenied" in lowered:
        return True
    sender_words = "sender" in lowered and any(
        word in lowered for word in ("reject", "not owned", "not allowed", "denied")
    )
    return sender_words and (code == 553 or status == "5.7.1")


def meaning(
    code: int | None, text: str, *, where: str, said: str, sender: str
) -> ReplyMeaning | None:
    """The meaning of a reply ``code`` with ``text`` (the server's words,
    already masked), or ``None`` when only the step can tell. ``where``
    names the server ("The mail server smtp.x.org"), ``said`` quotes it."""
    if code is None:
        return None
    lowered = text.lower()
    status = enhanced_code(text)
    if _microsoft_password_off(code, status, lowered) and code >= 500:
        return ReplyMeaning(
            Meaning.MICROSOFT_PASSWORD_OFF,
            f"{where} does not accept a password for sending{said}. Microsoft has turned "
            "password sign-in off for Outlook.com and for most school and work accounts: "
            "use Sign in with Microsoft in Settings → Email account instead.",
            suggest_sign_in="microsoft",
        )
    if 400 <= code < 500:
        return ReplyMeaning(
            Meaning.TEMPORARY,
            f"{where} did not accept the email for now{said}; nothing was sent. This is "
            "usually temporary: retry later from the Outbox.",
            permanent=False,
        )
    if code in (552, 523) or status in ("5.3.4", "5.2.3"):
        return ReplyMeaning(
            Meaning.TOO_LARGE,
            f"{where} refused the email as too large{said}. Remove or shrink attachments "
            "(or send them in two emails), then send again.",
        )
    if _send_as_denied(code, status, lowered):
        return ReplyMeaning(
            Meaning.SEND_AS_DENIED,
            f"{where} does not let this account send as {sender}{said}. In Settings → "
            "Email account, use the address that belongs to the account you log in with "
            "(or ask your IT department for permission to send as this one).",
        )
    return None

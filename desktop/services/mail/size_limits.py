"""How big an email may be, told before anything is sent.

The server's own limit comes from its SIZE extension (RFC 1870) after EHLO;
it is the one that counts. Before a connection exists (when the user presses
Send) the provider's published limit is used instead. Attachments travel in
base64, which adds a third to their size, so a 20 MB file makes a message of
about 27 MB: the sentence says both figures.

Published limits (2026): Gmail 25 MB of attachments; Outlook.com 20 MB of
attachments; Microsoft 365 about 35 MB for the whole encoded message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.services.mail.account import OUTLOOK_COM_DOMAINS, SmtpAccount

MB = 1_000_000
BASE64_GROWTH = 4 / 3
# As sent, base64 also breaks its lines every 76 characters (CRLF).
BASE64_ON_THE_WIRE = BASE64_GROWTH * 78 / 76
# Headers, the body in two forms and MIME boundaries: a generous allowance
# for what an email adds around its attachments.
ENVELOPE_ALLOWANCE = 64_000


@dataclass(frozen=True)
class SizeLimit:
    provider: str
    wire_bytes: int  # the largest message as sent (encoded)


def known_limit(account: SmtpAccount) -> SizeLimit | None:
    """The provider's published limit for this account, if it is a known one."""
    host = account.host.lower().rstrip(".")
    domain = account.address.rpartition("@")[2].lower()
    if host == "smtp.gmail.com":
        return SizeLimit("Gmail", int(25 * MB * BASE64_GROWTH))
    if host in ("smtp.office365.com", "smtp-mail.outlook.com"):
        if domain in OUTLOOK_COM_DOMAINS:
            return SizeLimit("Outlook.com", int(20 * MB * BASE64_GROWTH))
        return SizeLimit("Microsoft 365", 35 * MB)
    return None


def estimated_size(body: str, attachment_paths: list[Path]) -> int:
    """About how large the message will be once encoded."""
    attached = 0
    for path in attachment_paths:
        try:
            attached += path.stat().st_size
        except OSError:
            continue  # a missing file is reported when the message is built
    text = len(body.encode("utf-8")) * 3  # plain, HTML and quoted-printable
    return int(attached * BASE64_ON_THE_WIRE) + text + ENVELOPE_ALLOWANCE


def _mb(size: int) -> str:
    return f"{size / MB:.1f} MB"


def too_large(size: int, account: SmtpAccount, server_limit: int | None = None) -> str | None:
    """The sentence to show when a message of ``size`` encoded bytes cannot
    go through this account; ``None`` when it fits."""
    if server_limit:
        limit, who = server_limit, f"{account.host} accepts"
    elif (known := known_limit(account)) is not None:
        limit, who = known.wire_bytes, f"{known.provider} accepts"
    else:
        return None
    if size <= limit:
        return None
    return (
        f"This email is about {_mb(size)} as sent (attachments grow by a third when "
        f"encoded), but {who} at most {_mb(limit)}, so about "
        f"{_mb(int(limit / BASE64_GROWTH))} of attachments. Nothing was sent: remove or "
        "shrink attachments, or send them in two emails."
    )

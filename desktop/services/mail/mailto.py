"""Handing an email to the user's own mail app as a ``mailto:`` URL."""

from __future__ import annotations

import re
from urllib.parse import quote

from desktop.store.outbox import EmailFields


def mailto_url(fields: EmailFields) -> str:
    """``mailto:`` with To, Cc, subject and body, every part percent-encoded
    (RFC 6068), so spaces, line breaks, ``&`` and non-ASCII text survive.
    The result is ASCII."""
    to = quote(_bare_list(fields.to_addrs), safe="@,")
    query = []
    cc = _bare_list(fields.cc_addrs)
    if cc:
        query.append("cc=" + quote(cc, safe="@,"))
    query.append("subject=" + quote(fields.subject, safe=""))
    body = fields.body.replace("\r\n", "\n").replace("\n", "\r\n")
    query.append("body=" + quote(body, safe=""))
    return f"mailto:{to}?{'&'.join(query)}"


def _bare_list(text: str) -> str:
    return ",".join(_bare(item) for item in re.split(r"[,;]", text) if item.strip())


def _bare(item: str) -> str:
    """``Dr. Ada <ada@b.org>`` → ``ada@b.org`` (mail apps differ on names)."""
    match = re.search(r"<([^<>]*)>", item)
    return (match[1] if match else item).strip()

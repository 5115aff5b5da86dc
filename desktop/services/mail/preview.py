"""The compose window's preview: the email as its recipient will read it,
as HTML with every piece of user text escaped."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from desktop.services.mail.account import SmtpAccount


def sender_line(account: SmtpAccount | None) -> str | None:
    """``Zoë Ångström <zoe@…>``, or ``None`` without an account."""
    if account is None:
        return None
    return f"{account.display_name} <{account.address}>"


def preview_html(header: Sequence[tuple[str, str]], body: str) -> str:
    """``header`` is (label, value) rows (From, To…; empty values are left
    out); the body becomes paragraphs at blank lines, line breaks kept."""
    head = "".join(
        f"<tr><td style='color:#666; padding-right:12px'>{html.escape(label)}</td>"
        f"<td><b>{html.escape(value)}</b></td></tr>"
        for label, value in header
        if value
    )
    paragraphs = [p for p in re.split(r"\n\s*\n", body) if p.strip()]
    text = "".join(
        "<p>" + "<br>".join(html.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
    return f"<table>{head}</table><hr>{text}"

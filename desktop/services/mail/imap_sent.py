"""A copy of each sent email in the account's Sent folder (Qt-free).

SMTP leaves no copy anywhere for iCloud, Yahoo and most IMAP hosts; Gmail
and Microsoft 365 keep their own. So after a send: find the Sent folder
by its special-use flag (RFC 6154 ``\\Sent``, in LIST; Gmail's older XLIST
when that is all there is; the usual names only when no folder carries the
flag), look for the Message-ID there, and APPEND the message only when it
is not there yet. Once per message: a second call finds it.

A failure never undoes the send: ``keep_copies`` records the reason on
the sent email's note, which the Outbox shows.
"""

from __future__ import annotations

import imaplib
import logging
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum

from desktop.store import replies as store

from .account import SmtpAccount
from .imap import ImapFailure, ImapLogin, ImapServer, close_quietly, connect, login_for

log = logging.getLogger(__name__)

# When no folder carries \Sent: the names clients have used for it.
USUAL_NAMES = ("Sent", "Sent Items", "Sent Messages", "Sent Mail", "[Gmail]/Sent Mail")
_LIST_LINE = re.compile(rb'^\((?P<flags>[^)]*)\)\s+(?P<delim>"[^"]*"|NIL)\s+(?P<name>.+)$')


class CopyResult(StrEnum):
    APPENDED = "appended"
    ALREADY_THERE = "already there"


class CopyRefused(Exception):
    """The server would not take the copy; the message is the reason."""


@dataclass(frozen=True)
class Mailbox:
    name: str  # as the server spells it (modified UTF-7), unquoted
    flags: frozenset[str]


def _name(raw: bytes) -> str:
    text = raw.decode("ascii", "replace").strip()
    if text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return text


def _mailboxes(data: Sequence[object]) -> list[Mailbox]:
    """LIST/XLIST lines, literals (tuples) joined back."""
    boxes = []
    for item in data:
        if isinstance(item, tuple):
            line = item[0].rsplit(b"{", 1)[0] + b'"' + item[1] + b'"'
        elif isinstance(item, bytes):
            line = item
        else:
            continue
        match = _LIST_LINE.match(line.strip())
        if match is None:
            continue
        flags = frozenset(f.lower() for f in match["flags"].decode("ascii", "replace").split())
        boxes.append(Mailbox(_name(match["name"]), flags))
    return boxes


def sent_folder(conn: imaplib.IMAP4) -> str | None:
    """The Sent folder's name, or ``None`` when the account has none."""
    typ, data = conn.list('""', "*")
    boxes = _mailboxes(data) if typ == "OK" else []
    capabilities = {str(c).upper() for c in conn.capabilities}
    if not any("\\sent" in b.flags for b in boxes) and "XLIST" in capabilities:
        typ, data = conn._simple_command("XLIST", '""', '"*"')  # Gmail before RFC 6154
        if typ == "OK":
            _typ, xlisted = conn._untagged_response(typ, data, "XLIST")
            boxes = _mailboxes(xlisted) or boxes
    for box in boxes:
        if "\\sent" in box.flags:
            return box.name
    by_name = {b.name.lower(): b.name for b in boxes if "\\noselect" not in b.flags}
    return next((by_name[n.lower()] for n in USUAL_NAMES if n.lower() in by_name), None)


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def keep_copy(conn: imaplib.IMAP4, message: EmailMessage, folder: str) -> CopyResult:
    """APPEND the message to ``folder`` unless its Message-ID is there."""
    message_id = str(message["Message-ID"] or "").strip()
    typ, _data = conn.select(_quoted(folder), readonly=True)
    if typ != "OK":
        raise CopyRefused(f"the Sent folder {folder!r} could not be opened")
    if message_id:
        typ, data = conn.uid("SEARCH", "HEADER", "Message-ID", _quoted(message_id))
        if typ == "OK" and data and data[0] and data[0].split():
            return CopyResult.ALREADY_THERE
    conn.close()
    typ, data = conn.append(
        _quoted(folder), r"(\Seen)", imaplib.Time2Internaldate(time.time()), message.as_bytes()
    )
    if typ != "OK":
        raise CopyRefused(f"the server refused the copy ({data!r})")
    return CopyResult.APPENDED


def keep_copies(
    sent: Sequence[tuple[int, EmailMessage]],
    account: SmtpAccount,
    password: str | None,
    *,
    login: ImapLogin | None = None,
    server: ImapServer | None = None,
) -> dict[int, CopyResult | str]:
    """Email id → what happened to its copy: a ``CopyResult`` or the reason
    none was kept (also added to the email's note in the Outbox)."""
    if not sent:
        return {}
    outcome: dict[int, CopyResult | str] = {}
    try:
        conn = connect(account, login or login_for(account, password), server=server)
    except ImapFailure as failure:
        reason = failure.reason
        for email_id, _message in sent:
            _note(email_id, reason, outcome)
        return outcome
    try:
        try:
            folder = sent_folder(conn)
        except (imaplib.IMAP4.error, OSError, UnicodeError) as exc:
            log.info("Listing the folders for the Sent copy failed: %s", exc)
            for email_id, _message in sent:
                _note(email_id, "the server would not list its folders", outcome)
            return outcome
        for email_id, message in sent:
            if folder is None:
                _note(email_id, "the account has no Sent folder", outcome)
                continue
            try:
                outcome[email_id] = keep_copy(conn, message, folder)
            except (CopyRefused, imaplib.IMAP4.error, OSError) as exc:
                _note(email_id, str(exc) or type(exc).__name__, outcome)
            except UnicodeError:  # imaplib writes a folder name in ASCII only
                _note(email_id, f"the Sent folder's name {folder!r} is not plain ASCII", outcome)
    finally:
        close_quietly(conn)
    return outcome


def _note(email_id: int, reason: str, outcome: dict[int, CopyResult | str]) -> None:
    text = f"Sent, but no copy was put in your Sent folder: {reason}"
    text = text.rstrip(".") + "."
    outcome[email_id] = text
    log.info("No Sent copy for email %d: %s", email_id, reason)
    store.note_sent_copy_problem(email_id, text)

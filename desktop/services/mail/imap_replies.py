"""The reply watcher: new messages in the account's inbox that are a
writer's reply (``desktop.domain.replies``), kept in the ``reply`` table.

Only new messages are looked at. Per account the store keeps the inbox's
UIDVALIDITY and the next UID to read; a check EXAMINEs the inbox (read
only, nothing marked as read) and reads only UIDs from there up to the
server's UIDNEXT. At the very first check (or when the server renumbered
the mailbox, a new UIDVALIDITY) it asks the server to SEARCH for messages
of the last ``FIRST_LOOK_DAYS`` days and reads at most the newest
``FIRST_LOOK_LIMIT`` of them: never the whole mailbox.

Of each new message the header fields in ``imap_messages.HEADER_FIELDS``
are read; only for a message that names a sent Message-ID or comes from a
waiting writer are the first 2 KiB of its text read too. What is kept is
the reply's sender, subject, date and first line, nothing else.

``ReplyWatcher.run`` is the long-running loop for a thread of its own:
IDLE (RFC 2177) where the server offers it, else a check every
``poll_minutes``; a lost connection is made again after a pause, a refused
login stops it until the account is changed (retrying a wrong password
every minute would lock the account). Its status goes to ``on_status`` as
one quiet sentence.
"""

from __future__ import annotations

import imaplib
import logging
import select
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.parser import BytesHeaderParser
from email.policy import compat32
from email.utils import parseaddr

from desktop.domain.replies import IncomingMessage, ReplySettings, match_reply, message_ids_in
from desktop.store import replies as store
from desktop.store.models import utc_now

from .account import SmtpAccount
from .imap import (
    FailureKind,
    ImapFailure,
    ImapLogin,
    ImapServer,
    close_quietly,
    connect,
    imap_server_for,
)
from .imap_messages import FETCH_HEADERS, FETCH_TEXT, incoming

log = logging.getLogger(__name__)

FIRST_LOOK_DAYS = 30
FIRST_LOOK_LIMIT = 2000
CHUNK = 500  # UIDs per FETCH
# RFC 2177: re-issue IDLE before 29 minutes, the servers' usual cut-off.
IDLE_RENEW_SECONDS = 25 * 60
RETRY_SECONDS = 60
_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def account_key(account: SmtpAccount, server: ImapServer) -> str:
    return f"imap:{account.username or account.address}@{server.host}:{server.port}"


@dataclass
class CheckResult:
    reply_ids: list[int] = field(default_factory=list)
    headers_read: int = 0  # messages whose header fields were fetched
    texts_read: int = 0  # messages whose first 2 KiB of text were fetched
    uid_validity: int = 0
    next_uid: int = 0


# --- one check --------------------------------------------------------------------------


def _code(conn: imaplib.IMAP4, name: str) -> int | None:
    _typ, values = conn.response(name)
    for value in reversed(values or []):
        if value is None:
            continue
        text = value.decode() if isinstance(value, bytes) else str(value)
        try:
            return int(text.split()[0])
        except (ValueError, IndexError):
            continue
    return None


def _examine(conn: imaplib.IMAP4) -> tuple[int, int]:
    typ, data = conn.select("INBOX", readonly=True)
    if typ != "OK":
        raise ImapFailure(FailureKind.SERVER, f"Replies: the inbox cannot be opened ({data!r}).")
    validity = _code(conn, "UIDVALIDITY")
    uid_next = _code(conn, "UIDNEXT")
    if uid_next is None:  # optional before IMAP4rev2: ask for it
        typ, data = conn.status("INBOX", "(UIDNEXT)")
        text = data[0].decode() if data and isinstance(data[0], bytes) else ""
        if "UIDNEXT" in text:
            uid_next = int(text.split("UIDNEXT", 1)[1].strip(" )").split()[0])
    if validity is None or uid_next is None:
        raise ImapFailure(
            FailureKind.SERVER, "Replies: the mail server does not number its messages (UIDs)."
        )
    return validity, uid_next


def _search_date(moment: datetime) -> str:
    return f"{moment.day:02d}-{_MONTHS[moment.month - 1]}-{moment.year}"


def _first_look(conn: imaplib.IMAP4, now: datetime, days: int, limit: int) -> list[int]:
    since = _search_date(now - timedelta(days=days))
    typ, data = conn.uid("SEARCH", "SINCE", since)
    if typ != "OK" or not data or not data[0]:
        return []
    uids = sorted(int(u) for u in data[0].split())
    return uids[-limit:]


def _ranges(start: int, stop: int) -> Iterator[str]:
    for low in range(start, stop, CHUNK):
        yield f"{low}:{min(low + CHUNK, stop) - 1}"


def _lists(uids: Sequence[int]) -> Iterator[str]:
    for index in range(0, len(uids), CHUNK):
        yield ",".join(str(u) for u in uids[index : index + CHUNK])


def _fetch(conn: imaplib.IMAP4, uid_set: str, what: str) -> dict[int, bytes]:
    """UID → the one body section fetched."""
    typ, data = conn.uid("FETCH", uid_set, what)
    if typ != "OK":
        raise ImapFailure(FailureKind.SERVER, "Replies: the server refused to list new messages.")
    found: dict[int, bytes] = {}
    for item in data:
        if not isinstance(item, tuple) or len(item) < 2:
            continue
        head = item[0].decode("ascii", "replace") if isinstance(item[0], bytes) else str(item[0])
        marker = head.upper().find("UID ")
        if marker < 0:
            continue
        try:
            uid = int(head[marker + 4 :].split()[0].strip(")"))
        except (ValueError, IndexError):
            continue
        found[uid] = item[1] if isinstance(item[1], bytes) else b""
    return found


# The first pass over every new message's header fields only needs ids
# and the sender: the plain (compat32) parser, ten times faster than the
# full one, which decodes only the few candidates (imap_messages.incoming).
_QUICK_HEADERS = BytesHeaderParser(policy=compat32)


def _named_ids(header_bytes: bytes) -> tuple[str, set[str], str]:
    """(Message-ID, ids named in In-Reply-To/References, lower-cased From)
    from the header fields alone."""
    headers = _QUICK_HEADERS.parsebytes(header_bytes)

    def text(name: str) -> str:
        value = headers.get(name)
        return "" if value is None else str(value)

    own = message_ids_in(text("Message-ID"))
    named = message_ids_in(text("In-Reply-To")) + message_ids_in(text("References"))
    address = parseaddr(text("From"))[1].strip().lower()
    return (own[0] if own else ""), set(named), address


def check_inbox(
    conn: imaplib.IMAP4,
    key: str,
    *,
    own_addresses: frozenset[str],
    now: datetime | None = None,
    first_look_days: int = FIRST_LOOK_DAYS,
    first_look_limit: int = FIRST_LOOK_LIMIT,
) -> CheckResult:
    """Read the new messages since the last check and keep the replies
    among them; the ids of the replies kept."""
    now = now or utc_now()
    validity, uid_next = _examine(conn)
    result = CheckResult(uid_validity=validity, next_uid=uid_next)
    state = store.load_state(key)
    headers: dict[int, bytes] = {}
    if state is not None and state[0] == validity:
        if state[1] < uid_next:
            for uid_set in _ranges(state[1], uid_next):
                headers.update(_fetch(conn, uid_set, FETCH_HEADERS))
    else:
        uids = [
            u for u in _first_look(conn, now, first_look_days, first_look_limit) if u < uid_next
        ]
        for uid_set in _lists(uids):
            headers.update(_fetch(conn, uid_set, FETCH_HEADERS))
    result.headers_read = len(headers)
    if headers:
        result.reply_ids = _keep_replies(conn, headers, own_addresses, now, result)
    store.save_state(key, validity, uid_next)
    return result


def _keep_replies(
    conn: imaplib.IMAP4,
    headers: dict[int, bytes],
    own_addresses: frozenset[str],
    now: datetime,
    result: CheckResult,
) -> list[int]:
    summary = {uid: _named_ids(raw) for uid, raw in headers.items()}
    named = set().union(*(ids for _own, ids, _from in summary.values()))
    sent = store.sent_refs(named)
    writers = store.waiting_writers()
    known = store.known_message_ids({own for own, _ids, _from in summary.values() if own})
    candidates = sorted(
        uid
        for uid, (own, ids, sender) in summary.items()
        if own not in known
        and sender not in own_addresses
        and (ids & sent.keys() or sender in writers)
    )
    if not candidates:
        return []
    texts: dict[int, bytes] = {}
    for uid_set in _lists(candidates):
        texts.update(_fetch(conn, uid_set, FETCH_TEXT))
    result.texts_read = len(texts)
    messages: list[IncomingMessage] = [
        incoming(uid, headers[uid], texts.get(uid, b"")) for uid in candidates
    ]
    found = [
        reply
        for message in messages
        if (
            reply := match_reply(
                message, sent, writers, own_addresses=own_addresses, fallback_time=now
            )
        )
        is not None
    ]
    return store.save_replies(found)


# --- IDLE --------------------------------------------------------------------------------


def idle_supported(conn: imaplib.IMAP4) -> bool:
    return "IDLE" in {str(c).upper() for c in conn.capabilities}


def _raw_line(conn: imaplib.IMAP4, stop: threading.Event, deadline: float) -> bytes | None:
    """One line read straight from the socket, or ``None`` at the deadline
    or when stopped. imaplib's buffered reader is empty between commands
    (the server has sent nothing after the tagged reply), so reading the
    socket itself loses nothing, and a byte at a time never reads past the
    line."""
    sock = conn.sock
    line = bytearray()
    while not line.endswith(b"\n"):
        pending = getattr(sock, "pending", lambda: 0)()
        if not pending:
            wait = min(0.5, deadline - time.monotonic())
            if stop.is_set() or wait <= 0:
                return None
            ready, _w, _x = select.select([sock], [], [], wait)
            if not ready:
                continue
        chunk = sock.recv(1)
        if not chunk:
            raise imaplib.IMAP4.abort("the server closed the connection")
        line += chunk
    return bytes(line)


def idle_until_new_mail(
    conn: imaplib.IMAP4, stop: threading.Event, seconds: float = IDLE_RENEW_SECONDS
) -> bool:
    """IDLE until the server announces a new message (True), or until
    ``seconds`` pass or ``stop`` is set (False). Python 3.11's imaplib has
    no IDLE, so the command is sent by hand with imaplib's own tag."""
    tag = conn._new_tag()  # imaplib's tag counter, so later commands stay in step
    conn.send(tag + b" IDLE\r\n")
    deadline = time.monotonic() + seconds
    first = _raw_line(conn, stop, time.monotonic() + 30)
    if first is None or not first.startswith(b"+"):
        raise imaplib.IMAP4.abort(f"IDLE refused: {first!r}")
    arrived = False
    while not arrived:
        line = _raw_line(conn, stop, deadline)
        if line is None:
            break
        words = line.upper().split()
        arrived = len(words) >= 3 and words[0] == b"*" and words[2] in (b"EXISTS", b"RECENT")
    conn.send(b"DONE\r\n")
    while True:
        line = _raw_line(conn, threading.Event(), time.monotonic() + 30)
        if line is None:
            raise imaplib.IMAP4.abort("no answer to DONE")
        if line.startswith(tag):
            break
    return arrived


# --- the loop ------------------------------------------------------------------------------


class ReplyWatcher:
    """Watches one account's inbox until ``stop`` is set."""

    def __init__(
        self,
        account: SmtpAccount,
        login: ImapLogin,
        settings: ReplySettings,
        *,
        on_replies: Callable[[list[int]], None],
        on_status: Callable[[str], None],
        stop: threading.Event,
        on_sign_in: Callable[[str], None] | None = None,
        server: ImapServer | None = None,
        retry_seconds: float = RETRY_SECONDS,
        idle_seconds: float = IDLE_RENEW_SECONDS,
        poll_seconds: float | None = None,
    ) -> None:
        self.account = account
        self.login = login
        self.settings = settings
        self.on_replies = on_replies
        self.on_status = on_status
        self.on_sign_in = on_sign_in  # given a provider key when signing in again helps
        self.stop = stop
        self.server = server or imap_server_for(account)
        self.key = account_key(account, self.server)
        self.own = frozenset({account.address.strip().lower()})
        self.retry_seconds = retry_seconds
        self.idle_seconds = idle_seconds
        self.poll_seconds = settings.poll_minutes * 60 if poll_seconds is None else poll_seconds
        self.stopped_by: ImapFailure | None = None

    def run(self) -> None:
        with store.thread_connection():
            while not self.stop.is_set():
                try:
                    self._session()
                except ImapFailure as failure:
                    self.on_status(failure.status)
                    if failure.kind is FailureKind.AUTH:
                        self.stopped_by = failure  # until the account changes
                        if failure.suggest_sign_in and self.on_sign_in is not None:
                            self.on_sign_in(failure.suggest_sign_in)
                        return
                except (imaplib.IMAP4.error, OSError, EOFError) as exc:
                    log.info("IMAP connection lost: %s", exc)
                    self.on_status(
                        f"Replies: the connection to {self.server.host} was lost; "
                        "trying again shortly."
                    )
                except ValueError as exc:  # int() or decode() on what the server said
                    log.info("IMAP answer not understood: %s", exc)
                    self.on_status(
                        f"Replies: {self.server.host} answered with something LetterDesk "
                        "cannot read; trying again later."
                    )
                self.stop.wait(self.retry_seconds)

    def _session(self) -> None:
        conn = connect(self.account, self.login, server=self.server)
        try:
            idle = idle_supported(conn)
            how = "as mail arrives" if idle else f"every {self.settings.poll_minutes} min"
            self.on_status(f"Replies: watching {self.server.host} ({how}).")
            while not self.stop.is_set():
                result = check_inbox(conn, self.key, own_addresses=self.own)
                if result.reply_ids:
                    self.on_replies(result.reply_ids)
                if idle:
                    idle_until_new_mail(conn, self.stop, self.idle_seconds)
                else:
                    self.stop.wait(self.poll_seconds)
        finally:
            close_quietly(conn)


def check_now(
    account: SmtpAccount, login: ImapLogin, *, server: ImapServer | None = None
) -> CheckResult:
    """One check on a connection of its own (the "Check now" button, tests)."""
    server = server or imap_server_for(account)
    conn = connect(account, login, server=server)
    try:
        with store.thread_connection():
            return check_inbox(
                conn,
                account_key(account, server),
                own_addresses=frozenset({account.address.strip().lower()}),
            )
    finally:
        close_quietly(conn)

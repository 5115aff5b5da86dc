"""An IMAP server that answers with bytes no IMAP server sends: a real TLS
socket on 127.0.0.1 (trusted by the tests' CA) that greets and answers
CAPABILITY with whatever the test gives. Every answer must end as an
``ImapFailure`` (a quiet status), never another exception."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
import trustme

from desktop.domain.vocabulary import EmailState
from desktop.services.mail.imap import ImapFailure, login_for
from desktop.services.mail.imap_replies import check_now
from desktop.services.mail.sender import SendResult, send_batch
from desktop.store import outbox
from desktop.store.outbox import EmailFields

from .imap_server import PASSWORD


class GarbageImap:
    """Greets with ``greeting``, then answers each command line with
    ``answer`` or, for a command named in ``answers``, with that one
    (``{tag}`` is the command's tag)."""

    def __init__(
        self,
        cert: trustme.LeafCert,
        greeting: bytes,
        answer: bytes,
        answers: dict[bytes, bytes] | None = None,
    ) -> None:
        self.greeting, self.answer, self.answers = greeting, answer, answers or {}
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(context)
        self.listener = context.wrap_socket(
            socket.create_server(("127.0.0.1", 0)), server_side=True
        )
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with conn:
                try:
                    conn.sendall(self.greeting)
                    for line in conn.makefile("rb"):
                        tag, _, rest = line.partition(b" ")
                        command = rest.split(b" ", 1)[0].strip().upper()
                        answer = self.answers.get(command, self.answer)
                        conn.sendall(answer.replace(b"{tag}", tag))
                except OSError:
                    pass

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def garbage(server_cert) -> Iterator[list[GarbageImap]]:
    servers: list[GarbageImap] = []
    yield servers
    for server in servers:
        server.close()


@pytest.mark.parametrize(
    ("greeting", "answer"),
    [
        (b"* OK hello\r\n", b"* CAPABILITY IMAP4rev1 \xff\xfe\r\n{tag} OK done\r\n"),
        (b"* OK [CAPABILITY IMAP4rev1 \xe9] hello\r\n", b"{tag} OK done\r\n"),
        (b"\x00\x01\x02 not imap at all\r\n", b"garbage\r\n"),
        (b"* OK hello\r\n", b"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{tag} NO \xff\xfe\r\n"),
        (b"* OK hello\r\n", b"{tag} BYE\r\n"),
    ],
    ids=["capability-not-ascii", "greeting-not-ascii", "not-imap", "refusal-not-ascii", "bye"],
)
def test_garbage_on_login_is_a_quiet_failure(db, garbage, server_cert, account, greeting, answer):
    server = GarbageImap(server_cert, greeting, answer)
    garbage.append(server)
    imap_account = replace(account, imap_host="127.0.0.1", imap_port=server.port)
    with pytest.raises(ImapFailure) as caught:
        check_now(imap_account, login_for(imap_account, PASSWORD))
    assert caught.value.status.startswith("Replies: ")


@pytest.mark.parametrize(
    "listed",
    [
        b"{tag} BAD \xff what is LIST\r\n",
        b'* LIST (\\Sent) "/" "Envoy\xc3\xa9s"\r\n{tag} OK done\r\n',
    ],
    ids=["list-refused", "sent-folder-name-not-ascii"],
)
def test_a_sent_folder_the_copy_cannot_reach_leaves_a_note_not_an_exception(
    db, garbage, server_cert, account, smtp_server, listed
):
    """LIST answered BAD makes imaplib raise; it escaped ``keep_copies``
    (outside its per-email catch) and so ``send_batch``, after the server
    had taken the email. A folder name in raw UTF-8 (read with �) cannot be
    sent back in an ASCII command: UnicodeEncodeError escaped the same way."""
    server = GarbageImap(
        server_cert,
        b"* OK hello\r\n",
        b"{tag} OK done\r\n",
        {
            b"CAPABILITY": b"* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n",
            b"LIST": listed,
            b"LOGOUT": b"* BYE bye\r\n{tag} OK done\r\n",
        },
    )
    garbage.append(server)
    imap_account = replace(account, imap_host="127.0.0.1", imap_port=server.port)
    email_id = outbox.create_draft(
        EmailFields(to_addrs="okafor@h.org", subject="Letter", body="Dear Dr. Okafor,\n")
    )
    outbox.queue(email_id, domain="example.org")
    result = send_batch([email_id], imap_account, PASSWORD, timeout=10, keep_sent_copies=True)
    assert result.count(SendResult.SENT) == 1
    email = outbox.get_email(email_id)
    assert EmailState(email.state) is EmailState.SENT
    assert email.last_error.startswith("Sent, but no copy was put in your Sent folder:")
    assert len(smtp_server.delivered) == 1


@pytest.mark.parametrize(
    "selected",
    [
        b"* OK [UIDVALIDITY \xff\xfe] x\r\n* OK [UIDNEXT 5] x\r\n{tag} OK [READ-ONLY] done\r\n",
        b"* OK [UIDVALIDITY 7] x\r\n{tag} OK [READ-ONLY] done\r\n",
    ],
    ids=["uidvalidity-not-utf8", "uidnext-garbage-in-status"],
)
def test_the_watcher_keeps_going_after_an_inbox_it_cannot_read(
    db, garbage, server_cert, account, selected
):
    """int() and bytes.decode() on what SELECT and STATUS said raised
    ValueError, which the watcher's loop did not catch: the thread died and
    replies were no longer noticed, with no word on screen."""
    import threading
    import time

    from desktop.domain.replies import ReplySettings
    from desktop.services.mail.imap_replies import ReplyWatcher

    server = GarbageImap(
        server_cert,
        b"* OK hello\r\n",
        b"{tag} OK done\r\n",
        {
            b"CAPABILITY": b"* CAPABILITY IMAP4rev1\r\n{tag} OK done\r\n",
            b"EXAMINE": selected,
            b"STATUS": b"* STATUS INBOX (UIDNEXT abc)\r\n{tag} OK done\r\n",
            b"LOGOUT": b"* BYE bye\r\n{tag} OK done\r\n",
        },
    )
    garbage.append(server)
    imap_account = replace(account, imap_host="127.0.0.1", imap_port=server.port)
    statuses: list[str] = []
    stop = threading.Event()
    watcher = ReplyWatcher(
        imap_account,
        login_for(imap_account, PASSWORD),
        ReplySettings(),
        on_replies=lambda ids: None,
        on_status=statuses.append,
        stop=stop,
        retry_seconds=0.05,
    )
    thread = threading.Thread(target=watcher.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and sum("cannot read" in s for s in statuses) < 2:
        time.sleep(0.05)
    alive = thread.is_alive()
    stop.set()
    thread.join(10)
    assert alive  # still trying
    assert any("answered with something LetterDesk cannot read" in s for s in statuses)

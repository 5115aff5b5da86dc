"""A real SMTP server on 127.0.0.1 for the mail tests and the bench.

aiosmtpd runs in its own thread with its own event loop, listening on a
free loopback port, with AUTH (PLAIN and LOGIN, one known user, and only
over TLS; or XOAUTH2 alone, each token checked with the local OAuth2
server of oauth_server.py; every attempt counted in ``auth_attempts``),
and either STARTTLS or implicit TLS ("SSL", as on port 465).
Its certificates come from a ``trustme`` certificate authority; the client
trusts that CA the way a user would trust a school's own CA: through
``SmtpAccount.ca_file``, never by switching verification off.

Every fault the tests need is real, produced by this real server or by the
real network stack on loopback; nothing on the client side is mocked:

- wrong password: the server's authenticator refuses it with 535, as any
  server does (``Faults.reject_auth`` refuses even the right one;
  ``Faults.echo_credentials`` quotes the password, in clear and base64, in
  that refusal, as some servers do);
- untrusted certificate: the server presents a certificate from a second
  CA that the client was never told to trust, so Python's TLS handshake
  itself fails verification;
- unreachable: a loopback port nobody listens on, so the kernel refuses the
  connection (``closed_port``);
- connection dropped during DATA: the server reads the whole message, then
  aborts the TCP connection instead of answering (optionally after keeping
  the message, the worst case: delivered, but the client cannot know);
- 4xx then success: the server answers "451" to the next N messages, then
  accepts;
- 5xx permanent: the server answers "554" to every message.

Every DATA the server reads is kept in ``attempts``, every message it
accepts in ``delivered``, both parsed, so tests count deliveries and check
that nothing was duplicated.
"""

from __future__ import annotations

import asyncio
import base64
import email
import email.policy
import json
import logging
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, Literal

import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

from desktop.services.mail.account import SmtpAccount

USER = "applicant@example.org"
PASSWORD = "Test-Pw-7f3a9c-not-a-real-one"  # unique, so tests can grep for leaks
HOSTNAME = "mail.letterdesk.test"

# aiosmtpd logs a deprecation notice of its own at every login; not ours.
logging.getLogger("mail.log").setLevel(logging.ERROR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def closed_port() -> int:
    """A loopback port with nothing listening: connecting is refused."""
    return free_port()


@dataclass
class Faults:
    reject_auth: bool = False
    drop_data: int = 0  # abort the connection instead of answering the next N DATA
    keep_dropped: bool = False  # ... after keeping the message (delivered, reply lost)
    temporary_data: int = 0  # answer 451 to the next N DATA
    permanent_data: bool = False  # answer 554 to every DATA
    reject_recipients: set[str] = field(default_factory=set)  # 550 at RCPT
    # Refuse a login quoting what the client sent, decoded and as sent
    # (base64), as some real servers do in their 535 reply.
    echo_credentials: bool = False
    auth_reply: str | None = None  # refuse every login with this reply
    # The reply to give instead, by step ("AUTH", "MAIL", "RCPT", "DATA"), as a
    # real server words it: "552 5.3.4 Message size exceeds fixed limit".
    replies: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    raw: bytes
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


class RecordingHandler:
    def __init__(self, faults: Faults) -> None:
        self.faults = faults
        self.lock = threading.Lock()
        self.attempts: list[Received] = []  # every message read at DATA
        self.delivered: list[Received] = []  # every message accepted (250)
        self.logins: list[str] = []
        self.auth_attempts: list[str] = []  # the mechanism of every AUTH tried
        # When set, XOAUTH2 tokens are checked with this authorization server.
        self.oauth: Any = None

    async def handle_MAIL(self, server, session, envelope, address, mail_options) -> str:
        if "MAIL" in self.faults.replies:
            return self.faults.replies["MAIL"]
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:
        if "RCPT" in self.faults.replies:
            return self.faults.replies["RCPT"]
        if address in self.faults.reject_recipients:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:
        raw = bytes(envelope.content)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        received = Received(envelope.mail_from, tuple(envelope.rcpt_tos), raw, parsed)
        with self.lock:
            self.attempts.append(received)
            faults = self.faults
            if "DATA" in faults.replies:
                return faults.replies["DATA"]
            if faults.drop_data > 0:
                faults.drop_data -= 1
                if faults.keep_dropped:
                    self.delivered.append(received)
                drop = True
            else:
                drop = False
            if not drop and faults.temporary_data > 0:
                faults.temporary_data -= 1
                return "451 4.3.0 Temporary local problem, try again later"
            if not drop and faults.permanent_data:
                return "554 5.6.0 Message content rejected"
            if not drop:
                self.delivered.append(received)
        if drop:
            # Abort the TCP connection under TLS (no close_notify, no reply):
            # the client sees the connection vanish after sending the message.
            transport = server._original_transport or server.transport
            transport.abort()
            await asyncio.Future()  # cancelled by connection_lost
        return "250 2.0.0 OK: queued"

    def authenticate(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        with self.lock:
            self.auth_attempts.append(mechanism)
        if self.faults.auth_reply:
            return AuthResult(success=False, handled=False, message=self.faults.auth_reply)
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == USER.encode()
            and auth_data.password == PASSWORD.encode()
            and not self.faults.reject_auth
            and "AUTH" not in self.faults.replies
        )
        if ok:
            with self.lock:
                self.logins.append(USER)
        elif "AUTH" in self.faults.replies:
            return AuthResult(success=False, handled=False, message=self.faults.replies["AUTH"])
        elif self.faults.echo_credentials and isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False, message=_echo(mechanism, auth_data))
        return AuthResult(success=ok, handled=False)


class OAuthHandler(RecordingHandler):
    """Requires SASL XOAUTH2, each token checked with the authorization
    server's introspection endpoint (RFC 7662) over HTTPS, as a provider's
    SMTP front end checks with its token service."""

    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        with self.lock:
            self.auth_attempts.append("XOAUTH2")
        try:
            raw = base64.b64decode(args[1], validate=True).decode()
            fields = dict(part.split("=", 1) for part in raw.split("\x01") if part)
            user, token = fields["user"], fields["auth"].removeprefix("Bearer ")
        except (IndexError, ValueError, KeyError, UnicodeDecodeError):
            return AuthResult(success=False, handled=False, message="501 5.5.2 Bad XOAUTH2")
        loop = asyncio.get_running_loop()
        answer = await loop.run_in_executor(None, self.oauth.introspect, token)
        if answer.get("active") and answer.get("username") == user:
            with self.lock:
                self.logins.append(user)
            return AuthResult(success=True, auth_data=user)
        # As Gmail does: a JSON error as a 334 challenge, then 535 after the
        # client's empty answer.
        error = json.dumps({"status": "401", "schemes": "bearer"})
        await server.challenge_auth(error)
        return AuthResult(
            success=False, handled=False, message="535 5.7.8 Username and Password not accepted"
        )


def _echo(mechanism: str, auth_data: LoginPassword) -> str:
    """A 535 reply repeating the credentials: the password in clear and in
    the base64 the client sent it in (PLAIN: authzid, login and password
    in one blob; LOGIN: the password alone)."""
    login, password = auth_data.login, auth_data.password
    sent = b"\0" + login + b"\0" + password if mechanism == "PLAIN" else password
    return (
        f"535 5.7.8 Authentication failed for {login.decode(errors='replace')} with "
        f"password {password.decode(errors='replace')} "
        f"(received {mechanism} {base64.b64encode(sent).decode()})"
    )


class _ImplicitTlsSMTP(SMTP):
    """aiosmtpd knows TLS only from STARTTLS; on an implicit-TLS listener the
    whole connection is encrypted, so it must count as TLS for AUTH."""

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        if transport.get_extra_info("ssl_object") is not None and self._tls_protocol is None:
            self._tls_protocol = True  # type: ignore[assignment]


class _Controller(Controller):
    def factory(self) -> SMTP:
        smtp_class = _ImplicitTlsSMTP if self.ssl_context else SMTP
        return smtp_class(self.handler, **self.SMTP_kwargs)


def server_tls_context(cert: trustme.LeafCert) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    return context


def issue_server_cert(ca: trustme.CA) -> trustme.LeafCert:
    return ca.issue_cert("127.0.0.1", "localhost", HOSTNAME)


def write_ca(ca: trustme.CA, path: Path) -> Path:
    ca.cert_pem.write_to_path(str(path))
    return path


class SmtpTestServer:
    """One running server; ``stop()`` (or the fixture) ends it."""

    def __init__(
        self,
        cert: trustme.LeafCert,
        *,
        security: Literal["starttls", "ssl"] = "starttls",
        faults: Faults | None = None,
        auth_mechanisms: tuple[str, ...] = ("PLAIN", "LOGIN"),
        oauth: Any = None,
        size_limit: int = 33_554_432,  # aiosmtpd's default, advertised as SIZE
    ) -> None:
        """With ``oauth`` (an ``OAuthTestServer``), XOAUTH2 is the only
        mechanism offered and every token is checked with that server."""
        self.security = security
        self.faults = faults or Faults()
        self.handler = OAuthHandler(self.faults) if oauth else RecordingHandler(self.faults)
        self.handler.oauth = oauth
        if oauth is not None:
            auth_mechanisms = ("XOAUTH2",)
        self.host = "127.0.0.1"
        self.port = free_port()
        context = server_tls_context(cert)
        tls: dict[str, Any] = (
            {"ssl_context": context} if security == "ssl" else {"tls_context": context}
        )
        self.controller = _Controller(
            self.handler,
            hostname=self.host,
            port=self.port,
            server_hostname=HOSTNAME,
            authenticator=self.handler.authenticate,
            auth_required=True,
            auth_require_tls=True,
            auth_exclude_mechanism=[
                m for m in ("PLAIN", "LOGIN", "XOAUTH2") if m not in auth_mechanisms
            ],
            data_size_limit=size_limit,
            **tls,
        )

    def start(self) -> SmtpTestServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def delivered(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.delivered)

    @property
    def auth_attempts(self) -> list[str]:
        with self.handler.lock:
            return list(self.handler.auth_attempts)

    @property
    def attempts(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.attempts)

    def account(self, ca_file: Path | str | None, **changes: Any) -> SmtpAccount:
        values: dict[str, Any] = {
            "display_name": "Zoë Ångström",
            "address": USER,
            "host": self.host,
            "port": self.port,
            "security": self.security,
            "username": USER,
            "ca_file": str(ca_file) if ca_file else None,
        }
        values.update(changes)
        return SmtpAccount(**values)


def serve(ca_out: Path, security: Literal["starttls", "ssl"] = "starttls") -> None:
    """Run one server in this process until stdin closes (for the bench,
    which keeps the server's work off the measured process). Writes the CA
    the client must trust to ``ca_out``, prints ``PORT <n>`` when ready and
    ``DELIVERED <n>`` at the end."""
    import sys

    ca = trustme.CA(organization_name="LetterDesk bench CA")
    write_ca(ca, ca_out)
    server = SmtpTestServer(issue_server_cert(ca), security=security).start()
    print(f"PORT {server.port}", flush=True)
    sys.stdin.read()
    server.stop()
    print(f"DELIVERED {len(server.delivered)}", flush=True)


if __name__ == "__main__":
    import sys

    serve(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "starttls")  # type: ignore[arg-type]

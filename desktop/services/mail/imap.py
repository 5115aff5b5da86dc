"""Connecting to the account's IMAP server and logging in (Qt-free).

The IMAP server comes from the account (``SmtpAccount.imap_host`` /
``imap_port``) or, when those are empty, is derived from the SMTP server:
the providers' own names for the presets, otherwise ``smtp.`` → ``imap.``
on port 993. Server discovery may fill the account's fields later.

Logging in is a hook (``ImapLogin``): a password (AUTHENTICATE PLAIN, so a
password with non-ASCII characters works, else LOGIN), or XOAUTH2 with an
access token from the same token provider SMTP uses (``oauth.access_token``).
One mechanism per login, never a second try, as for SMTP.

Every failure is an ``ImapFailure`` whose ``status`` is one quiet sentence
for the status line ("Replies: cannot reach imap.example.org"), never a
dialog: the watcher retries on its own.
"""

from __future__ import annotations

import contextlib
import imaplib
import logging
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from desktop.errors import UserError

from . import oauth, oauth_clients
from .account import SmtpAccount
from .oauth import OAuthError
from .smtp import SmtpFailure, tls_context, xoauth2_response

log = logging.getLogger(__name__)

IMAPS_PORT = 993
IMAP_PORT = 143
DEFAULT_TIMEOUT = 30.0

# The providers' IMAP servers (port 993, TLS) for their SMTP servers, as
# their help pages publish them: Google's "Read Gmail messages on other
# email clients using POP/IMAP", Microsoft's "POP, IMAP, and SMTP settings
# for Outlook.com" (Microsoft 365 uses the same host), Apple's "iCloud Mail
# server settings for other email client apps", Yahoo's "IMAP server
# settings for Yahoo Mail".
KNOWN_IMAP_HOSTS: dict[str, str] = {
    "smtp.gmail.com": "imap.gmail.com",
    "smtp.office365.com": "outlook.office365.com",
    "smtp-mail.outlook.com": "outlook.office365.com",
    "smtp.mail.me.com": "imap.mail.me.com",
    "smtp.mail.yahoo.com": "imap.mail.yahoo.com",
}


class FailureKind(StrEnum):
    UNREACHABLE = "unreachable"
    TLS = "tls"
    AUTH = "auth"
    SERVER = "server"  # the server said something LetterDesk cannot work with


class ImapFailure(UserError):
    def __init__(
        self,
        kind: FailureKind,
        status: str,
        *,
        suggest_sign_in: str | None = None,
        reason: str | None = None,
    ):
        super().__init__(status)
        self.kind = kind
        self.status = status
        self.suggest_sign_in = suggest_sign_in
        # The same without the replies' wording, for the Sent copy's note.
        self.reason = reason or status.removeprefix("Replies: ")


@dataclass(frozen=True)
class ImapServer:
    host: str
    port: int

    @property
    def implicit_tls(self) -> bool:
        return self.port != IMAP_PORT  # 143 means STARTTLS; anything else TLS at once


def imap_server_for(account: SmtpAccount) -> ImapServer:
    """The account's IMAP server: its own setting, else derived from SMTP."""
    if account.imap_host:
        return ImapServer(account.imap_host, account.imap_port or IMAPS_PORT)
    smtp_host = account.host.strip().lower()
    host = KNOWN_IMAP_HOSTS.get(smtp_host)
    if host is None:
        host = (
            "imap." + smtp_host.removeprefix("smtp.")
            if smtp_host.startswith("smtp.")
            else smtp_host
        )
    return ImapServer(host, account.imap_port or IMAPS_PORT)


# --- logging in -------------------------------------------------------------------------

ImapLogin = Callable[[imaplib.IMAP4], None]


def _capabilities(conn: imaplib.IMAP4) -> set[str]:
    return {str(c).upper() for c in conn.capabilities}


def password_login(username: str, password: str) -> ImapLogin:
    def login(conn: imaplib.IMAP4) -> None:
        if "AUTH=PLAIN" in _capabilities(conn):
            blob = f"\0{username}\0{password}".encode()
            conn.authenticate("PLAIN", lambda _challenge: blob)
        else:
            conn.login(username, password)

    return login


def xoauth2_login(user: str, token: Callable[[], str]) -> ImapLogin:
    """XOAUTH2 with the token provider's access token (RFC 7628's Google
    and Microsoft form). A refusal comes as a continuation carrying a JSON
    error, answered with an empty line to get the final NO."""

    def login(conn: imaplib.IMAP4) -> None:
        if "AUTH=XOAUTH2" not in _capabilities(conn):
            raise ImapFailure(
                FailureKind.AUTH,
                "Replies: the mail server does not take the Microsoft or Google sign-in "
                "(XOAUTH2) for reading mail.",
            )
        initial = xoauth2_response(user, token()).encode()
        answers = iter([initial])
        conn.authenticate("XOAUTH2", lambda _challenge: next(answers, b""))

    return login


def not_allowed_to_read(provider_key: str) -> ImapFailure:
    """The sign-in does not let LetterDesk read the inbox (a grant made
    before it asked for IMAP, or one the server refuses): signing in again
    asks for every scope."""
    label = oauth_clients.provider(provider_key).label
    return ImapFailure(
        FailureKind.AUTH,
        f"Replies are not checked: sign in with {label} again to let LetterDesk read replies.",
        suggest_sign_in=provider_key,
        reason=f"sign in with {label} again to let LetterDesk use your mailbox",
    )


def login_for(account: SmtpAccount, password: str | None) -> ImapLogin:
    """The account's way in: its sign-in, else its password."""
    user = account.username or account.address
    if account.uses_oauth:
        provider = account.oauth_provider
        assert provider is not None

        def token() -> str:
            try:
                access = oauth.access_token(provider, user)
            except OAuthError as exc:
                raise ImapFailure(
                    FailureKind.AUTH, f"Replies: {exc.user_message}", suggest_sign_in=provider
                ) from None
            # A grant from before LetterDesk asked for IMAP: the server would
            # only refuse it, so say at once what helps.
            if not oauth_clients.grant_reads_mail(
                oauth_clients.provider(provider), oauth.granted_scopes(provider, user)
            ):
                raise not_allowed_to_read(provider)
            return access

        return xoauth2_login(user, token)
    if not password:
        raise ImapFailure(
            FailureKind.AUTH,
            "Replies are not checked: the password is not saved (LetterDesk asks for it "
            "only when sending).",
        )
    return password_login(user, password)


# --- connecting -------------------------------------------------------------------------


def connect(
    account: SmtpAccount,
    login: ImapLogin,
    *,
    server: ImapServer | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> imaplib.IMAP4:
    """A logged-in IMAP session over verified TLS; raises ``ImapFailure``.
    The caller logs out (``close_quietly``)."""
    server = server or imap_server_for(account)
    try:
        context = tls_context(account)
    except SmtpFailure as exc:
        raise ImapFailure(FailureKind.TLS, exc.failure.message) from None
    conn: imaplib.IMAP4 | None = None
    try:
        if server.implicit_tls:
            conn = imaplib.IMAP4_SSL(server.host, server.port, ssl_context=context, timeout=timeout)
        else:
            conn = imaplib.IMAP4(server.host, server.port, timeout=timeout)
            conn.starttls(ssl_context=context)
        login(conn)
        return conn
    except ImapFailure:
        close_quietly(conn)
        raise
    except imaplib.IMAP4.error as exc:
        close_quietly(conn)
        said = _said(exc)
        if conn is not None and conn.state in ("NONAUTH", "LOGOUT"):
            if account.oauth_provider is not None:
                log.info("%s refused the signed-in login: %s", server.host, said)
                raise not_allowed_to_read(account.oauth_provider) from None
            raise ImapFailure(
                FailureKind.AUTH,
                f"Replies: {server.host} refused the login ({said}). Check the account in "
                "Settings → Email account.",
                suggest_sign_in=account.oauth_provider,
            ) from None
        raise ImapFailure(FailureKind.SERVER, f"Replies: {server.host} said: {said}") from None
    except UnicodeError:
        # imaplib reads the greeting's and CAPABILITY's words as ASCII.
        close_quietly(conn)
        raise ImapFailure(
            FailureKind.SERVER,
            f"Replies: {server.host} answered with something that is not IMAP; trying again later.",
        ) from None
    except ssl.SSLCertVerificationError as exc:
        close_quietly(conn)
        raise ImapFailure(
            FailureKind.TLS,
            f"Replies: the certificate of {server.host} is not trusted ({exc.verify_message}).",
        ) from None
    except (OSError, EOFError) as exc:
        close_quietly(conn)
        raise ImapFailure(
            FailureKind.UNREACHABLE,
            f"Replies: cannot reach {server.host} ({_os_reason(exc)}); trying again later.",
        ) from None


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "no answer"
    if isinstance(exc, socket.gaierror):
        return "unknown server name"
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _said(exc: BaseException) -> str:
    text = str(exc)
    if text.startswith("b'") or text.startswith('b"'):
        text = text[2:-1]
    return text.strip()[:200] or "no reason given"


def close_quietly(conn: imaplib.IMAP4 | None) -> None:
    if conn is None:
        return
    try:
        conn.logout()
    except (imaplib.IMAP4.error, OSError, EOFError):
        with contextlib.suppress(OSError):
            conn.shutdown()

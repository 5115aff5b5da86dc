"""Talking to the user's SMTP server: connect, log in, hand over a message,
and explain every failure in words the user can act on.

TLS always uses ``ssl.create_default_context`` (with the account's own CA
file when one is chosen): certificate errors are reported, never bypassed.
A password is never part of a message: server replies are quoted only after
the password is masked out of them.

Failures are ``SmtpFailure`` exceptions carrying a ``SendFailure`` whose
``kind`` tells the outbox what happened to the message:

- ``DROPPED``: the connection was lost while the message was being handed
  over (DATA). Nobody knows whether the server accepted it: the outcome is
  *unclear*, and the message must not be re-sent silently.
- ``DISCONNECTED``: lost before DATA; the message was certainly not taken.
- ``TEMPORARY`` (4xx), ``PERMANENT`` (5xx): the server answered "not now" or
  "no"; nothing was accepted.
- ``AUTH``, ``CERTIFICATE``, ``TLS``, ``UNREACHABLE``: the connection could
  not be made; nothing was sent.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import re
import smtplib
import socket
import ssl
from dataclasses import dataclass, replace
from email.message import EmailMessage
from enum import StrEnum
from typing import Any

from desktop.errors import UserError
from desktop.services.mail import smtp_replies
from desktop.services.mail.account import SECURITY_LABELS, SmtpAccount, validate_account
from desktop.services.mail.message import recipients_of, sender_of
from desktop.services.mail.size_limits import too_large

DEFAULT_TIMEOUT = 30.0
# The name given in EHLO: an address literal, as Thunderbird does, rather
# than this computer's name (which getfqdn may take seconds to look up, and
# which tells every server the user's machine name).
EHLO_NAME = "[127.0.0.1]"
SERVER_TEXT_MAX = 200


class FailureKind(StrEnum):
    AUTH = "auth"
    CERTIFICATE = "certificate"
    TLS = "tls"
    UNREACHABLE = "unreachable"
    DISCONNECTED = "disconnected"  # before DATA: certainly not sent
    DROPPED = "dropped"  # during DATA: unclear whether it was accepted
    TEMPORARY = "temporary"  # 4xx: try again later
    PERMANENT = "permanent"  # 5xx: will not be accepted as it is
    OTHER = "other"


CONNECTION_KINDS = frozenset(
    {FailureKind.AUTH, FailureKind.CERTIFICATE, FailureKind.TLS, FailureKind.UNREACHABLE}
)


@dataclass(frozen=True)
class SendFailure:
    kind: FailureKind
    message: str  # for the user: what happened and what to do
    code: int | None = None  # the SMTP reply code, when the server gave one
    # "microsoft" / "google" when signing in with that provider is the fix
    # (a revoked grant, or a server that no longer takes passwords): the UI
    # then offers that Sign in button.
    suggest_sign_in: str | None = None

    @property
    def unclear(self) -> bool:
        """The server may or may not have accepted the message."""
        return self.kind is FailureKind.DROPPED

    @property
    def connection_lost(self) -> bool:
        return self.kind in (FailureKind.DROPPED, FailureKind.DISCONNECTED)


class SmtpFailure(UserError):
    """A send or login that failed; ``user_message`` is ``failure.message``."""

    def __init__(self, failure: SendFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure
        # Machine-readable for the UI: offer "Sign in with Microsoft" when set.
        self.suggest_sign_in = failure.suggest_sign_in


@dataclass(frozen=True)
class ConnectionResult:
    ok: bool
    message: str
    failure: SendFailure | None = None


# --- explaining failures --------------------------------------------------------------


# A run of base64 long enough to hide a password (AUTH PLAIN and LOGIN send
# it base64-encoded, and some servers quote what they received).
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{4,}={0,2}")


def _mask_password(text: str, password: str) -> str:
    text = text.replace(password, "•••")
    secret = password.encode("utf-8")

    def hides_password(match: re.Match[str]) -> str:
        token = match.group(0).rstrip("=")
        try:
            decoded = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
        except binascii.Error:
            return match.group(0)
        return "•••" if secret in decoded else match.group(0)

    return _BASE64_RUN.sub(hides_password, text)


def _server_text(raw: bytes | str | None, password: str | None) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
    text = " ".join(text.split())
    if password:
        text = _mask_password(text, password)
    if len(text) > SERVER_TEXT_MAX:
        text = text[: SERVER_TEXT_MAX - 1] + "…"
    return text


def _said(code: int | None, raw: bytes | str | None, password: str | None) -> str:
    text = _server_text(raw, password)
    if code is None and not text:
        return ""
    return f" (the server said: {code or ''} {text})".replace("said:  ", "said: ")


def _by_code(code: int, where: str, said: str) -> SendFailure:
    if 400 <= code < 500:
        return SendFailure(
            FailureKind.TEMPORARY,
            f"{where} did not accept the email for now{said}; nothing was sent. "
            "This is usually temporary: retry later from the Outbox.",
            code,
        )
    return SendFailure(
        FailureKind.PERMANENT,
        f"{where} refused the email{said}; it will not be accepted as it is. Check the "
        "recipients and the content, then send again.",
        code,
    )


def _from_reply(
    code: int, raw: bytes | str | None, account: SmtpAccount, password: str | None, sender: str
) -> SendFailure | None:
    """The failure a reply's code and text mean (smtp_replies), whatever the
    step it came at; ``None`` when only the step can tell."""
    said = _said(code, raw, password)
    found = smtp_replies.meaning(
        code,
        _server_text(raw, password),
        where=f"The mail server {account.host}",
        said=said,
        sender=sender,
    )
    if found is None:
        return None
    if found.meaning is smtp_replies.Meaning.MICROSOFT_PASSWORD_OFF:
        kind = FailureKind.AUTH  # every email would fail the same way: stop the batch
    else:
        kind = FailureKind.PERMANENT if found.permanent else FailureKind.TEMPORARY
    return SendFailure(kind, found.message, code, found.suggest_sign_in)


def _explain_reply(
    exc: BaseException, account: SmtpAccount, password: str | None
) -> SendFailure | None:
    sender = getattr(exc, "sender", None) or account.address
    if isinstance(sender, bytes):
        sender = sender.decode("utf-8", "replace")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        replies = list(exc.recipients.values())
        found = [_from_reply(code, raw, account, password, sender) for code, raw in replies]
        # A temporary reply counts only when every recipient got one.
        lasting = [f for f in found if f is not None and f.kind is not FailureKind.TEMPORARY]
        return lasting[0] if lasting else None
    if isinstance(exc, smtplib.SMTPResponseException):
        failure = _from_reply(exc.smtp_code, exc.smtp_error, account, password, sender)
        if isinstance(exc, smtplib.SMTPAuthenticationError) and (
            failure is None or failure.suggest_sign_in is None
        ):
            return None  # a refused password is told by the step below
        return failure
    return None


def explain(
    exc: BaseException, account: SmtpAccount, password: str | None, *, phase: str
) -> SendFailure:
    """A ``SendFailure`` for ``exc`` raised while connecting (``phase``
    "connect"), during the envelope ("envelope") or while the message was
    handed over ("data")."""
    where = f"The mail server {account.host}"
    server = f"{account.host} (port {account.port})"
    if isinstance(exc, SmtpFailure):
        return exc.failure
    # smtplib's exceptions are OSErrors too: only a lost connection counts here.
    lost = isinstance(exc, smtplib.SMTPServerDisconnected) or (
        isinstance(exc, OSError) and not isinstance(exc, smtplib.SMTPException)
    )
    if phase == "data" and lost:
        return SendFailure(
            FailureKind.DROPPED,
            f"The connection to {account.host} was lost while the email was being handed "
            "over, so it is not known whether it was accepted. Check with the recipient or "
            "in your mailbox's Sent folder before retrying. A retry sends the very same "
            "message (same Message-ID), so mail systems can recognise a duplicate.",
        )
    if (from_reply := _explain_reply(exc, account, password)) is not None:
        return from_reply
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return SendFailure(
            FailureKind.AUTH,
            f"{where} refused the username or password for {account.username}"
            f"{_said(exc.smtp_code, exc.smtp_error, password)}. Check the password in "
            "Settings → Email account. Gmail, iCloud, Yahoo, and Outlook with two-step "
            "verification need an app password instead of your normal one.",
            exc.smtp_code,
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        reason = exc.verify_message or exc.reason or "unknown reason"
        return SendFailure(
            FailureKind.CERTIFICATE,
            f"The security certificate of {account.host} is not trusted ({reason}), so "
            "LetterDesk did not connect and nothing was sent. Check the server name; if "
            "your school runs its own certificate authority, choose its CA file in "
            "Settings → Email account.",
        )
    if isinstance(exc, ssl.SSLError):
        return SendFailure(
            FailureKind.TLS,
            f"A secure connection to {server} could not be set up "
            f"({exc.reason or exc}). Check the security setting: SSL/TLS usually uses "
            "port 465 and STARTTLS port 587.",
        )
    if isinstance(exc, smtplib.SMTPServerDisconnected | ConnectionResetError | BrokenPipeError):
        if phase == "connect":
            return SendFailure(
                FailureKind.TLS,
                f"{where} closed the connection while LetterDesk was connecting. Check "
                "the port and the security setting (SSL/TLS on 465, STARTTLS on 587).",
            )
        return SendFailure(
            FailureKind.DISCONNECTED,
            f"The connection to {account.host} was lost before the email was handed over; "
            "it was not sent. Retry when the connection is back.",
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return SendFailure(
            FailureKind.TLS,
            f"{where} does not offer what LetterDesk needs on this connection ({exc}). "
            "Check the security setting and port for your provider.",
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        said = _said(exc.smtp_code, exc.smtp_error, password)
        failure = _by_code(exc.smtp_code, where, said)
        if failure.kind is FailureKind.PERMANENT:
            return SendFailure(
                FailureKind.PERMANENT,
                f"{where} refused to send from {exc.sender}{said}. Use the address that "
                "belongs to this account in Settings → Email account.",
                exc.smtp_code,
            )
        return failure
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in exc.recipients.values()]
        names = ", ".join(exc.recipients)
        first_code, first_text = next(iter(exc.recipients.values()))
        said = _said(first_code, first_text, password)
        if codes and all(400 <= c < 500 for c in codes):
            return _by_code(first_code, where, said)
        return SendFailure(
            FailureKind.PERMANENT,
            f"{where} refused the recipient {names}{said}. Check the address and send again.",
            first_code,
        )
    if isinstance(exc, smtplib.SMTPResponseException):  # data, connect, HELO errors
        return _by_code(exc.smtp_code, where, _said(exc.smtp_code, exc.smtp_error, password))
    if isinstance(exc, smtplib.SMTPException):
        return SendFailure(
            FailureKind.OTHER,
            f"{where} reported a problem: {_server_text(str(exc), password)}. Try again; "
            "if it keeps happening, check the account settings.",
        )
    if isinstance(exc, socket.gaierror):
        return SendFailure(
            FailureKind.UNREACHABLE,
            f"The mail server name {account.host} could not be found. Check its spelling "
            "in Settings → Email account and that this computer is online.",
        )
    if isinstance(exc, ConnectionRefusedError):
        return SendFailure(
            FailureKind.UNREACHABLE,
            f"{server} refused the connection. Check the server name and port in "
            "Settings → Email account; a firewall may also block outgoing mail.",
        )
    if isinstance(exc, TimeoutError):
        return SendFailure(
            FailureKind.UNREACHABLE,
            f"{server} did not answer in time. Check that you are online and the server "
            "and port are right; a firewall may block outgoing mail. Try again later.",
        )
    if isinstance(exc, OSError):
        return SendFailure(
            FailureKind.UNREACHABLE,
            f"{server} could not be reached ({exc.strerror or exc}). Check that you are "
            "online and the server settings are right.",
        )
    raise exc  # a bug, not a mail problem: let the crash report have it


# --- connecting -------------------------------------------------------------------------


def tls_context(account: SmtpAccount) -> ssl.SSLContext:
    """The verifying context (never one that skips verification)."""
    try:
        return ssl.create_default_context(cafile=account.ca_file or None)
    except (OSError, ssl.SSLError) as exc:
        raise SmtpFailure(
            SendFailure(
                FailureKind.CERTIFICATE,
                f"The certificate authority file {account.ca_file} could not be used "
                f"({getattr(exc, 'strerror', None) or exc}). Choose a PEM file in "
                "Settings → Email account, or clear the field.",
            )
        ) from exc


def open_connection(
    account: SmtpAccount, password: str | None, timeout: float = DEFAULT_TIMEOUT
) -> smtplib.SMTP:
    """A connected, encrypted (unless a local relay) and logged-in SMTP
    session; raises ``SmtpFailure``. The caller closes it (``close_quietly``)."""
    context = None if account.security == "none" else tls_context(account)
    conn: smtplib.SMTP | None = None
    try:
        if account.security == "ssl":
            conn = smtplib.SMTP_SSL(
                account.host, account.port, EHLO_NAME, timeout=timeout, context=context
            )
        else:
            conn = smtplib.SMTP(account.host, account.port, EHLO_NAME, timeout=timeout)
        conn.ehlo()
        if account.security == "starttls":
            if not conn.has_extn("starttls"):
                raise SmtpFailure(
                    SendFailure(
                        FailureKind.TLS,
                        f"{account.host} does not offer STARTTLS on port {account.port}, so "
                        "the connection cannot be encrypted. Choose SSL/TLS (usually port "
                        "465) or check the port.",
                    )
                )
            conn.starttls(context=context)
            conn.ehlo()
        if account.uses_oauth:
            _login_xoauth2(conn, account, password)
        elif account.username:
            if not password:
                raise SmtpFailure(
                    SendFailure(FailureKind.AUTH, "Enter the password for the email account.")
                )
            _login_password(conn, account.username, password)
        return conn
    except BaseException as exc:
        if conn is not None:
            conn.close()
        if isinstance(exc, Exception) and not isinstance(exc, SmtpFailure):
            failure = _with_sign_in_hint(explain(exc, account, password, phase="connect"), account)
            raise SmtpFailure(failure) from None
        raise


# --- logging in ---------------------------------------------------------------------------

# One mechanism per login, never a second try: smtplib's login() goes on to
# the next mechanism after a refusal, so a wrong password cost two attempts
# towards the account's lockout. PLAIN first (one round trip, TLS protects it).
PASSWORD_MECHANISMS = ("PLAIN", "LOGIN", "CRAM-MD5")


def _offered_mechanisms(conn: smtplib.SMTP) -> list[str]:
    if not conn.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    return conn.esmtp_features.get("auth", "").upper().split()


def _login_password(conn: smtplib.SMTP, username: str, password: str) -> None:
    offered = _offered_mechanisms(conn)
    mechanism = next((m for m in PASSWORD_MECHANISMS if m in offered), None)
    if mechanism is None:
        raise SmtpFailure(
            SendFailure(
                FailureKind.AUTH,
                f"The mail server offers no password login LetterDesk can use (it offers: "
                f"{', '.join(offered) or 'none'}). If your provider offers Sign in with "
                "Microsoft or Google, use that; otherwise check the server settings.",
            )
        )
    conn.user, conn.password = username, password
    authobject: Any
    if mechanism == "PLAIN":
        authobject = conn.auth_plain
    elif mechanism == "LOGIN":
        authobject = conn.auth_login
    else:
        authobject = conn.auth_cram_md5
    try:
        conn.auth(mechanism, authobject, initial_response_ok=True)
    except UnicodeEncodeError:
        # smtplib sends login data as ASCII only.
        raise SmtpFailure(
            SendFailure(
                FailureKind.AUTH,
                "The username or password contains characters (such as accented "
                "letters) that the standard SMTP login cannot carry. Use an app "
                "password, or change the password to plain letters, digits and "
                "punctuation.",
            )
        ) from None


def xoauth2_response(user: str, access_token: str) -> str:
    """The SASL XOAUTH2 initial client response, before base64."""
    return f"user={user}\x01auth=Bearer {access_token}\x01\x01"


def _login_xoauth2(conn: smtplib.SMTP, account: SmtpAccount, access_token: str | None) -> None:
    if not access_token:
        raise SmtpFailure(
            SendFailure(
                FailureKind.AUTH,
                "LetterDesk is not signed in for this account. Sign in again in Settings → "
                "Email account.",
                suggest_sign_in=account.oauth_provider,
            )
        )
    if "XOAUTH2" not in _offered_mechanisms(conn):
        raise SmtpFailure(
            SendFailure(
                FailureKind.AUTH,
                f"{account.host} does not offer signing in with OAuth2 (XOAUTH2). Check the "
                "server: for Microsoft use smtp.office365.com, for Google smtp.gmail.com.",
            )
        )
    initial = xoauth2_response(account.username or account.address, access_token)

    def answer(challenge: bytes | None = None) -> str:
        # A refusal comes as a 334 challenge (a JSON error); the client
        # must answer it with an empty line to get the final 535.
        return initial if challenge is None else ""

    conn.auth("XOAUTH2", answer, initial_response_ok=True)


def _with_sign_in_hint(failure: SendFailure, account: SmtpAccount) -> SendFailure:
    """The failure, marked with the provider to sign in with again when a
    signed-in account was refused. (Microsoft's "passwords are off" replies
    are recognised by their code and text in smtp_replies.)"""
    if failure.kind is not FailureKind.AUTH or failure.suggest_sign_in:
        return failure
    hint = account.oauth_provider
    return replace(failure, suggest_sign_in=hint) if hint else failure


def close_quietly(conn: smtplib.SMTP | None) -> None:
    if conn is None:
        return
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def test_connection(
    account: SmtpAccount, password: str | None, timeout: float = 15.0
) -> ConnectionResult:
    """Connect and log in as Send would, then say in plain words how it went."""
    if problems := validate_account(account, password=password):
        return ConnectionResult(False, " ".join(problems))
    try:
        conn = open_connection(account, password, timeout)
    except SmtpFailure as exc:
        return ConnectionResult(False, exc.failure.message, exc.failure)
    close_quietly(conn)
    how = SECURITY_LABELS[account.security]
    who = f"logged in as {account.username}" if account.username else "no login was needed"
    return ConnectionResult(
        True,
        f"Connected to {account.host} (port {account.port}, {how}) and {who}. "
        "LetterDesk can send from this account.",
    )


# --- sending ------------------------------------------------------------------------------


def send_message(
    conn: smtplib.SMTP, message: EmailMessage, account: SmtpAccount, password: str | None = None
) -> dict[str, str]:
    """Hand ``message`` to the server on ``conn``. Returns the recipients
    the server refused while accepting the others (address → reply), usually
    empty; raises ``SmtpFailure`` when the message was not (or perhaps not)
    accepted. The envelope is run step by step, so a lost connection before
    DATA (certainly not sent) is told apart from one during DATA (unclear)."""
    data = message.as_bytes()  # policy.SMTP: CRLF line ends
    sender, recipients = sender_of(message), recipients_of(message)
    phase = "envelope"
    try:
        conn.ehlo_or_helo_if_needed()
        sized = conn.does_esmtp and conn.has_extn("size")
        _refuse_if_too_large(conn, len(data), account, sized)
        options = [f"SIZE={len(data)}"] if sized else []
        code, reply = conn.mail(sender, options)
        if code != 250:
            _reset(conn)
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused: dict[str, tuple[int, bytes]] = {}
        for recipient in recipients:
            code, reply = conn.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            _reset(conn)
            raise smtplib.SMTPRecipientsRefused(refused)
        phase = "data"
        code, reply = conn.data(data)
        if code != 250:
            _reset(conn)
            raise smtplib.SMTPDataError(code, reply)
    except (smtplib.SMTPException, OSError) as exc:
        raise SmtpFailure(explain(exc, account, password, phase=phase)) from None
    return {
        address: f"{code} {_server_text(reply, password)}"
        for address, (code, reply) in refused.items()
    }


def _refuse_if_too_large(conn: smtplib.SMTP, size: int, account: SmtpAccount, sized: bool) -> None:
    """Before MAIL FROM: a message over the server's SIZE (or, when it gives
    none, the provider's published limit) is refused here, so nothing is
    sent and the user is told the sizes."""
    server_limit = None
    if sized:
        try:
            server_limit = int(conn.esmtp_features.get("size", "").strip() or 0) or None
        except ValueError:
            server_limit = None  # a malformed SIZE parameter is no limit
    if (problem := too_large(size, account, server_limit)) is not None:
        raise SmtpFailure(SendFailure(FailureKind.PERMANENT, problem))


def _reset(conn: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        conn.rset()

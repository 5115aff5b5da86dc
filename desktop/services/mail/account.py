"""The user's SMTP account: what Settings → Email account edits.

Stored as JSON in the ``Setting`` table under ``mail.account``, without the
password: the password lives only in the OS keyring (``services.secrets``,
keyed by ``SmtpAccount.keyring_key``) or is asked for each time.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, replace
from typing import Literal

from desktop.domain.mail_domains import ascii_domain
from desktop.domain.validation import email_address, single_line
from desktop.errors import UserError
from desktop.store import mail_account as stored
from desktop.store.mail_account import SETTING_KEY as SETTING_KEY  # where it is kept

Security = Literal["ssl", "starttls", "none"]
SECURITY_CHOICES: tuple[Security, ...] = ("ssl", "starttls", "none")
SECURITY_LABELS: dict[str, str] = {
    "ssl": "SSL/TLS",
    "starttls": "STARTTLS",
    "none": "None (local relay only)",
}
DEFAULT_PORTS: dict[str, int] = {"ssl": 465, "starttls": 587, "none": 25}
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


class AccountError(UserError, ValueError):
    """The account cannot be saved or used as it is; ``user_message`` says why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SmtpAccount:
    display_name: str
    address: str
    host: str
    port: int
    security: Security
    username: str
    ca_file: str | None = None  # a school's own certificate authority (PEM)
    # "microsoft" or "google" when LetterDesk signs in with OAuth2 (XOAUTH2)
    # instead of a password; the refresh token is in the keyring (oauth.py).
    oauth_provider: str | None = None
    # Where replies are read (IMAP, implicit TLS unless port 143 = STARTTLS);
    # empty: derived from the SMTP server (services/mail/imap.imap_server_for).
    imap_host: str | None = None
    imap_port: int | None = None

    @property
    def uses_oauth(self) -> bool:
        return self.oauth_provider is not None

    @property
    def keyring_key(self) -> str:
        """The account name the password is stored under in the keyring."""
        return f"smtp:{self.username or self.address}@{self.host}:{self.port}"

    @property
    def uses_login(self) -> bool:
        return bool(self.username)

    def to_json(self) -> str:
        data = asdict(self)
        if data["oauth_provider"] is None:
            del data["oauth_provider"]  # a password account is stored as before
        for key in ("imap_host", "imap_port"):
            if data[key] is None:
                del data[key]  # derived from the SMTP server
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SmtpAccount:
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("the stored account is not an object")
        security = str(data.get("security", "ssl"))
        if security not in SECURITY_CHOICES:
            raise ValueError(f"unknown security {security!r}")
        return cls(
            display_name=str(data.get("display_name", "")),
            address=str(data.get("address", "")),
            host=str(data.get("host", "")),
            port=int(data.get("port", DEFAULT_PORTS[security])),
            security=security,
            username=str(data.get("username", "")),
            ca_file=(str(data["ca_file"]) if data.get("ca_file") else None),
            oauth_provider=_oauth_provider(data.get("oauth_provider")),
            imap_host=(str(data["imap_host"]).strip() or None) if data.get("imap_host") else None,
            imap_port=int(data["imap_port"]) if data.get("imap_port") else None,
        )


OAUTH_PROVIDERS = ("microsoft", "google")


def _oauth_provider(value: object) -> str | None:
    if value is None or value == "":
        return None
    if value not in OAUTH_PROVIDERS:
        raise ValueError(f"unknown sign-in provider {value!r}")
    return str(value)


@dataclass(frozen=True)
class Preset:
    name: str
    host: str
    port: int
    security: Security
    note: str
    domains: tuple[str, ...] = ()
    sign_in: str | None = None  # the provider whose sign-in this server takes

    def apply_to(self, account: SmtpAccount) -> SmtpAccount:
        """The account with this provider's server settings; the username
        defaults to the address, as these providers expect."""
        return replace(
            account,
            host=self.host,
            port=self.port,
            security=self.security,
            username=account.username or account.address,
        )


# Microsoft's consumer domains (Outlook.com): their own size limit, and no passwords.
OUTLOOK_COM_DOMAINS = ("outlook.com", "hotmail.com", "live.com", "msn.com")
_GMAIL_NOTE = (
    "Sign in with Google below, or use an app password (Google Account → Security → "
    "2-Step Verification → App passwords); your normal Google password will be refused."
)
PRESETS: tuple[Preset, ...] = (
    Preset(
        "Gmail (SSL/TLS)",
        "smtp.gmail.com",
        465,
        "ssl",
        _GMAIL_NOTE,
        ("gmail.com", "googlemail.com"),
        sign_in="google",
    ),
    Preset("Gmail (STARTTLS)", "smtp.gmail.com", 587, "starttls", _GMAIL_NOTE, sign_in="google"),
    Preset(
        "Outlook / Office 365",
        "smtp.office365.com",
        587,
        "starttls",
        "Outlook.com and Hotmail no longer accept passwords for sending (not even app "
        "passwords), and Microsoft 365 school and work accounts are turning them off: "
        "use Sign in with Microsoft below.",
        OUTLOOK_COM_DOMAINS,
        sign_in="microsoft",
    ),
    Preset(
        "iCloud Mail",
        "smtp.mail.me.com",
        587,
        "starttls",
        "iCloud needs an app-specific password (appleid.apple.com → Sign-In and Security "
        "→ App-Specific Passwords); the username is your full iCloud address.",
        ("icloud.com", "me.com", "mac.com"),
    ),
    Preset(
        "Yahoo Mail",
        "smtp.mail.yahoo.com",
        465,
        "ssl",
        "Yahoo needs an app password (Account Security → Generate app password); your "
        "normal Yahoo password will be refused.",
        ("yahoo.com", "ymail.com"),
    ),
)


def preset_for_address(address: str) -> Preset | None:
    """The provider preset matching the address's domain, if any."""
    domain = address.rpartition("@")[2].strip().lower()
    return next((p for p in PRESETS if domain in p.domains), None)


def is_local_host(host: str) -> bool:
    return host.strip().lower() in LOCAL_HOSTS


def validate_account(account: SmtpAccount, *, password: str | None = None) -> list[str]:
    """Problems with the account (empty when usable), each a sentence for
    the user. ``password`` is the one about to be used or stored, if any."""
    problems: list[str] = []
    if error := single_line(account.display_name, "Your name", 100):
        problems.append(error)
    if error := email_address(account.address, optional=False):
        problems.append(error)
    host = account.host.strip()
    if not host:
        problems.append("Enter the outgoing mail server (for example smtp.gmail.com).")
    elif single_line(host, "Server", 253) or any(c.isspace() for c in host):
        problems.append("The server name cannot contain spaces or line breaks.")
    if not 1 <= account.port <= 65535:
        problems.append(f"Port {account.port} is not a valid port (1–65535; usually 465 or 587).")
    if account.security not in SECURITY_CHOICES:
        problems.append(f"Unknown security setting {account.security!r}.")
    if error := single_line(account.username, "Username", 254):
        problems.append(error)
    if account.security == "none":
        if not is_local_host(host):
            problems.append(
                "Without encryption your password and letters would cross the network "
                'readable by anyone: choose SSL/TLS or STARTTLS. "None" is only for a '
                "relay on this computer (localhost)."
            )
        if password or account.username:
            problems.append(
                "A password is never sent without encryption: choose SSL/TLS or STARTTLS, "
                "or leave the username and password empty for a local relay."
            )
    if password and not account.username:
        problems.append("Enter the username that goes with the password (usually your address).")
    if account.imap_host is not None and (
        single_line(account.imap_host, "Incoming server", 253)
        or any(c.isspace() for c in account.imap_host)
    ):
        problems.append("The incoming (IMAP) server name cannot contain spaces or line breaks.")
    if account.imap_port is not None and not 1 <= account.imap_port <= 65535:
        problems.append(
            f"Incoming port {account.imap_port} is not a valid port (1–65535; usually 993)."
        )
    if account.uses_oauth and account.security == "none":
        problems.append("Signing in with Microsoft or Google needs SSL/TLS or STARTTLS.")
    if account.ca_file:
        if not os.path.isfile(account.ca_file):
            problems.append(
                f"The certificate authority file {account.ca_file} was not found. Choose the "
                "PEM file your school's IT gave you, or clear the field."
            )
        elif not os.access(account.ca_file, os.R_OK):
            problems.append(f"The certificate authority file {account.ca_file} is not readable.")
    return problems


def load_account() -> SmtpAccount | None:
    """The saved account, or ``None`` when none is set up (or the stored
    value is unusable, in which case Settings starts from empty)."""
    text = stored.stored_account_json()
    if text is None:
        return None
    try:
        return SmtpAccount.from_json(text)
    except (TypeError, ValueError, KeyError):
        return None


def save_account(account: SmtpAccount) -> None:
    """Store the account (never a password); raises ``AccountError``."""
    account = replace(
        account,
        display_name=account.display_name.strip(),
        address=account.address.strip(),
        host=account.host.strip(),
        username=account.username.strip(),
        ca_file=(account.ca_file or "").strip() or None,
    )
    if problems := validate_account(account):
        raise AccountError(problems)
    stored.store_account_json(account.to_json())


def forget_account() -> None:
    stored.forget_stored_account()


def sender_domain(account: SmtpAccount | None) -> str:
    """The domain for Message-IDs: the sender's own, in ASCII (IDNA)."""
    if account is None:
        return "letterdesk.invalid"
    try:
        return ascii_domain(account.address.rpartition("@")[2])
    except ValueError:
        return "letterdesk.invalid"


def load_pending_account() -> SmtpAccount | None:
    """An account that came with a restore or an import and waits for the
    user to see it (``None`` when there is none or it is unusable)."""
    text = stored.pending_account_json()
    if text is None:
        return None
    try:
        return SmtpAccount.from_json(text)
    except (TypeError, ValueError, KeyError):
        return None


def accept_pending_account() -> None:
    stored.accept_pending_account()


def discard_pending_account() -> None:
    stored.discard_pending_account()

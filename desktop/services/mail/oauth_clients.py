"""Who LetterDesk signs in with: the providers' endpoints and scopes, and
the app registrations (client IDs) to use with them.

A client ID comes from the build's configuration file
(``packaging/oauth-clients.json``, shipped with empty IDs and bundled by
``packaging/letterdesk.spec``) or from the user's own entry under Advanced
in the account dialog (kept with the data: a client ID is not a secret).
The user's entry wins. Google's Desktop-app clients also come with a
"client secret" that Google itself says is not secret for installed apps;
one the user enters goes to the keyring all the same, never to the data.

Without a client ID there is no sign-in for that provider, and
``missing_client_text`` says why and what to do. There is never a
placeholder ID that only pretends to work.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from desktop.services import secrets
from desktop.services.mail.account import Security
from desktop.store import mail_account as stored

CONFIG_NAME = "oauth-clients.json"


@dataclass(frozen=True)
class Provider:
    key: str  # "microsoft" or "google"
    label: str  # "Microsoft"
    authorize_url: str
    token_url: str
    # Every scope the app asks for, in one place: sending (SMTP) and
    # reading the inbox for replies and the Sent copy (IMAP; Google's one
    # scope covers both).
    scopes: tuple[str, ...]
    # The one of them that lets IMAP read the inbox: a grant made before
    # LetterDesk asked for it can send but not read replies.
    imap_scope: str
    # The loopback name the app registration allows: Azure registers
    # "http://localhost" (any port), Google Desktop apps the IP literal.
    # The listener itself always binds 127.0.0.1 (RFC 8252 section 7.3).
    redirect_host: str
    smtp_host: str
    smtp_port: int
    smtp_security: Security
    extra_authorize_params: tuple[tuple[str, str], ...] = ()
    ca_file: str | None = None  # tests only: the local server's CA


MICROSOFT = Provider(
    key="microsoft",
    label="Microsoft",
    authorize_url="https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token_url="https://login.microsoftonline.com/common/oauth2/v2.0/token",
    scopes=(
        "https://outlook.office.com/SMTP.Send",
        "https://outlook.office.com/IMAP.AccessAsUser.All",
        "offline_access",
    ),
    imap_scope="https://outlook.office.com/IMAP.AccessAsUser.All",
    redirect_host="localhost",
    smtp_host="smtp.office365.com",
    smtp_port=587,
    smtp_security="starttls",
)
GOOGLE = Provider(
    key="google",
    label="Google",
    authorize_url="https://accounts.google.com/o/oauth2/v2/auth",
    token_url="https://oauth2.googleapis.com/token",
    scopes=("https://mail.google.com/",),
    imap_scope="https://mail.google.com/",
    redirect_host="127.0.0.1",
    smtp_host="smtp.gmail.com",
    smtp_port=465,
    smtp_security="ssl",
    # Google sends a refresh token only when asked for offline access.
    extra_authorize_params=(("access_type", "offline"), ("prompt", "consent")),
)
PROVIDERS: dict[str, Provider] = {MICROSOFT.key: MICROSOFT, GOOGLE.key: GOOGLE}


def grant_reads_mail(prov: Provider, granted: Collection[str] | None) -> bool:
    """Whether the scopes a token reply names let IMAP read the inbox.
    Microsoft may name a scope without its resource ("IMAP.AccessAsUser.All");
    a reply naming none (``None``) gives nothing to go by, so it counts."""
    if granted is None:
        return True
    wanted = prov.imap_scope.lower().rstrip("/")
    short = wanted.rsplit("/", 1)[-1]
    return any(scope.lower().rstrip("/") in (wanted, short) for scope in granted)


def provider(key: str) -> Provider:
    return PROVIDERS[key]


@dataclass(frozen=True)
class ClientConfig:
    client_id: str
    client_secret: str | None = None
    source: str = "build"  # "build" or "user"


def bundled_config_path() -> Path:
    """The build's file: in a PyInstaller bundle under ``packaging/`` of
    the bundle, in a checkout at the top of the repository."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "packaging" / CONFIG_NAME
    return Path(__file__).resolve().parents[3] / "packaging" / CONFIG_NAME


def _bundled() -> dict[str, dict[str, str]]:
    """Provider → its entry in the build's file; empty when the file is
    missing or unreadable (a build without sign-in, not a crash)."""
    try:
        data = json.loads(bundled_config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {
        key: {k: str(v) for k, v in entry.items() if isinstance(v, str)}
        for key, entry in data.items()
        if key in PROVIDERS and isinstance(entry, dict)
    }


def user_client_ids() -> dict[str, str]:
    """Provider → the client ID typed under Advanced (only non-empty ones)."""
    text = stored.stored_client_ids_json()
    try:
        data = json.loads(text) if text else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v.strip() for k, v in data.items() if k in PROVIDERS and isinstance(v, str)}


def save_user_client_ids(ids: dict[str, str]) -> None:
    cleaned = {k: v.strip() for k, v in ids.items() if k in PROVIDERS and v.strip()}
    stored.store_client_ids_json(json.dumps(cleaned, sort_keys=True))


def _secret_key(provider_key: str) -> str:
    return f"oauth-client-secret:{provider_key}"


def save_user_client_secret(provider_key: str, secret: str) -> secrets.SecretResult:
    """Keep (or, when empty, forget) the user's own client secret."""
    if not secret.strip():
        return secrets.delete_password(_secret_key(provider_key))
    return secrets.set_password(_secret_key(provider_key), secret.strip())


def client_for(provider_key: str) -> ClientConfig | None:
    """The registration to sign in with, or ``None`` when there is none."""
    return user_client(provider_key, user_client_ids().get(provider_key, ""))


def user_client(provider_key: str, user_id: str) -> ClientConfig | None:
    """The user's client ID (with their secret from the keyring) when one is
    given, else the build's."""
    if user_id.strip():
        found = secrets.get_password(_secret_key(provider_key))
        return ClientConfig(user_id.strip(), found.password if found.ok else None, "user")
    return bundled_client(provider_key)


def bundled_client(provider_key: str) -> ClientConfig | None:
    entry = _bundled().get(provider_key, {})
    client_id = entry.get("client_id", "").strip()
    if not client_id:
        return None
    return ClientConfig(client_id, entry.get("client_secret", "").strip() or None, "build")


def missing_client_text(*provider_keys: str) -> str:
    """One sentence for every provider this copy cannot sign in with."""
    labels = [PROVIDERS[key].label for key in provider_keys]
    registrations = " or a ".join(f"{label} app registration" for label in labels)
    return (
        f"Sign in with {' and '.join(labels)} is not available: this copy of LetterDesk "
        f"was built without a {registrations} (client ID). Enter your own under Advanced "
        "below (the README says how to register one), or use a password or app password "
        "where your provider still allows it."
    )

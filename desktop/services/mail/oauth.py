"""Tokens for signing in to SMTP with OAuth2 (SASL XOAUTH2).

The refresh token lives only in the OS keyring (``services.secrets``, under
``oauth:<provider>:<address>``): never in the database, the settings or a
log line. The access token, which lasts about an hour, is kept in this
process's memory only and refreshed when it is about to expire (or when the
server turned it down). A grant the provider no longer honours (revoked,
expired, password changed: ``invalid_grant``) is forgotten and raised as
``SignInAgain``, whose ``suggest_sign_in`` tells the UI which button to
offer.

The token endpoint is spoken to with oauthlib (the RFC 6749 / 7636 client
that requests-oauthlib and google-auth-oauthlib are built on) over the
standard library's urllib with a verifying TLS context. Why not msal: see
``oauth_flow``.
"""

from __future__ import annotations

import http.client
import logging
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace

from oauthlib.oauth2 import WebApplicationClient
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError, MissingTokenError, OAuth2Error

from desktop.errors import UserError
from desktop.services import secrets
from desktop.services.mail.oauth_clients import ClientConfig, Provider, client_for, provider

log = logging.getLogger(__name__)

HTTP_TIMEOUT = 20.0
EXPIRY_MARGIN = 60.0  # refresh this many seconds before the provider's expiry


class OAuthError(UserError):
    """Signing in or getting a token failed; ``user_message`` says why."""

    suggest_sign_in: str | None = None  # a provider key when signing in again helps


class SignInAgain(OAuthError):
    """The stored grant is gone or no longer honoured: the user must sign in."""

    def __init__(self, provider_key: str, message: str | None = None) -> None:
        label = provider(provider_key).label
        super().__init__(
            message
            or f"{label} no longer accepts LetterDesk's sign-in for this account (it was "
            "revoked, expired or the password changed). Sign in again with "
            f"{label} in Settings → Email account; your emails are kept in the Outbox."
        )
        self.suggest_sign_in = provider_key


@dataclass(frozen=True)
class Tokens:
    access_token: str
    expires_at: float  # time.time() seconds
    refresh_token: str | None
    # The scopes the reply named (None: it named none). A grant made before
    # LetterDesk asked for IMAP lacks that scope.
    scopes: tuple[str, ...] | None = None


def refresh_key(provider_key: str, address: str) -> str:
    """The keyring entry holding the refresh token."""
    return f"oauth:{provider_key}:{address.strip().lower()}"


def tls_context(prov: Provider) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=prov.ca_file or None)


def _post(prov: Provider, body: str) -> str:
    """POST a form to the token endpoint; the reply's text, error replies
    included (they carry the OAuth error code)."""
    request = urllib.request.Request(
        prov.token_url,
        data=body.encode("ascii"),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
        },
        method="POST",
    )
    try:
        with urllib.request.urlopen(
            request, timeout=HTTP_TIMEOUT, context=tls_context(prov)
        ) as reply:
            return str(reply.read(1_000_000).decode("utf-8", "replace"))
    except urllib.error.HTTPError as exc:
        text = exc.read(1_000_000).decode("utf-8", "replace")
        exc.close()
        if 400 <= exc.code < 500 and text.lstrip().startswith("{"):
            return str(text)
        raise OAuthError(
            f"{prov.label}'s sign-in service answered with an error ({exc.code}). "
            "Try again in a few minutes."
        ) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise OAuthError(
            f"{prov.label}'s sign-in service could not be reached ({reason}). Check that "
            "this computer is online, then try again."
        ) from None
    except http.client.HTTPException:
        # Not HTTP at all (a captive portal, a broken proxy): outside input.
        raise OAuthError(_unreadable_text(prov)) from None


def parse_token_reply(prov: Provider, client: WebApplicationClient, text: str) -> Tokens:
    """Tokens from the endpoint's reply; raises ``SignInAgain`` for
    invalid_grant and ``OAuthError`` for other errors or a malformed reply."""
    try:
        # No scope passed: providers answer with their own spelling of the
        # scopes (Microsoft drops offline_access), which is not an error.
        token = client.parse_request_body_response(text)
    except InvalidGrantError:
        raise SignInAgain(prov.key) from None
    except MissingTokenError:
        # What oauthlib makes of a reply that is not a token answer at all
        # (a cut-short or non-JSON body): not a refusal by the provider.
        raise OAuthError(_unreadable_text(prov)) from None
    except OAuth2Error as exc:
        raise OAuthError(
            f"{prov.label} refused the sign-in ({exc.error}). Try signing in again; if "
            "it keeps failing, check the client ID under Advanced."
        ) from None
    except (ValueError, KeyError, TypeError):
        raise OAuthError(_unreadable_text(prov)) from None
    access = token.get("access_token")
    if not isinstance(access, str) or not access:
        raise OAuthError(f"{prov.label} sent no access token. Try signing in again.")
    try:
        lifetime = float(token.get("expires_in", 3600))
    except (TypeError, ValueError):
        lifetime = 3600.0
    refresh = token.get("refresh_token")
    return Tokens(
        access,
        time.time() + lifetime,
        refresh if isinstance(refresh, str) else None,
        _scopes(token.get("scope")),
    )


def _scopes(value: object) -> tuple[str, ...] | None:
    """The reply's ``scope``: a space-separated string (RFC 6749 section
    5.1), which oauthlib turns into a list; anything else names none."""
    if isinstance(value, str):
        return tuple(value.split())
    if isinstance(value, list | tuple) and all(isinstance(s, str) for s in value):
        return tuple(value)
    return None


def _unreadable_text(prov: Provider) -> str:
    return f"{prov.label}'s sign-in service sent a reply LetterDesk cannot read. Try again later."


def _token_body_extras(client: ClientConfig) -> dict[str, str]:
    return {"client_secret": client.client_secret} if client.client_secret else {}


# --- the access-token cache and refreshing ------------------------------------------

_cache: dict[str, Tokens] = {}
_lock = threading.Lock()


def remember(provider_key: str, address: str, tokens: Tokens) -> secrets.SecretResult:
    """Keep a new sign-in: the refresh token in the keyring, the access
    token in memory. A refused keyring is returned, and nothing is kept."""
    key = refresh_key(provider_key, address)
    if tokens.refresh_token:
        stored = secrets.set_password(key, tokens.refresh_token)
        if not stored.ok:
            return stored
    with _lock:
        _cache[key] = tokens
    return secrets.SecretResult(secrets.SecretOutcome.OK)


def granted_scopes(provider_key: str, address: str) -> tuple[str, ...] | None:
    """The scopes of the access token in memory (``access_token`` first)."""
    with _lock:
        cached = _cache.get(refresh_key(provider_key, address))
    return cached.scopes if cached is not None else None


def is_signed_in(provider_key: str, address: str) -> bool:
    return secrets.get_password(refresh_key(provider_key, address)).ok


def forget_access_token(provider_key: str, address: str) -> None:
    with _lock:
        _cache.pop(refresh_key(provider_key, address), None)


def sign_out(provider_key: str, address: str) -> None:
    """Forget the grant here (the keyring entry and the access token)."""
    forget_access_token(provider_key, address)
    secrets.delete_password(refresh_key(provider_key, address))


def access_token(provider_key: str, address: str, *, now: float | None = None) -> str:
    """A valid access token for the account, refreshed when needed.
    Raises ``SignInAgain`` (no grant, or the provider refused it) or
    ``OAuthError``."""
    key = refresh_key(provider_key, address)
    moment = time.time() if now is None else now
    with _lock:
        cached = _cache.get(key)
    if cached is not None and cached.expires_at - EXPIRY_MARGIN > moment:
        return cached.access_token
    prov = provider(provider_key)
    found = secrets.get_password(key)
    if found.outcome is secrets.SecretOutcome.NOT_FOUND or (found.ok and not found.password):
        raise SignInAgain(
            provider_key,
            f"LetterDesk is not signed in with {prov.label} for {address}. Sign in with "
            f"{prov.label} in Settings → Email account; your emails are kept in the Outbox.",
        )
    if not found.ok:
        raise OAuthError(found.message)  # a locked or missing keyring: its own sentence
    client = client_for(provider_key)
    if client is None:
        raise SignInAgain(provider_key, _no_client_text(prov))
    oauth = WebApplicationClient(client.client_id)
    body = oauth.prepare_refresh_body(
        refresh_token=found.password,
        scope=list(prov.scopes),
        client_id=client.client_id,
        **_token_body_extras(client),
    )
    try:
        tokens = parse_token_reply(prov, oauth, _post(prov, body))
    except SignInAgain:
        sign_out(provider_key, address)  # a dead grant is no use to keep
        log.info("The %s grant was refused; signed out", prov.label)
        raise
    # Providers may hand out a new refresh token (Microsoft rotates them).
    if tokens.refresh_token is None:
        tokens = replace(tokens, refresh_token=found.password)
    remembered = remember(provider_key, address, tokens)
    if not remembered.ok:
        raise OAuthError(remembered.message)
    log.info("Refreshed the %s access token", prov.label)
    return tokens.access_token


def _no_client_text(prov: Provider) -> str:
    return (
        f"LetterDesk has no {prov.label} client ID any more, so it cannot renew the "
        "sign-in. Enter the client ID under Advanced in Settings → Email account, then "
        f"sign in with {prov.label} again."
    )

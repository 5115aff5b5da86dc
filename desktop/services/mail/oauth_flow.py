"""Signing in with Microsoft or Google: the native-app flow of RFC 8252.

1. A one-request HTTP listener opens on 127.0.0.1 on a port the system
   picks (the redirect URI names it).
2. The system browser opens the provider's page (``webbrowser``; tests pass
   their own ``open_browser``) with a PKCE S256 challenge (RFC 7636), a
   fresh random ``state`` and the address as ``login_hint``.
3. The browser comes back to the listener with a code, or with an error
   (``access_denied`` when the user refused). The ``state`` must be the one
   sent, or the answer is ignored as forged.
4. The code and the PKCE verifier are exchanged for tokens; the refresh
   token goes to the keyring (``oauth.remember``).

The wait can be cancelled (``cancel`` event, checked several times a
second) and gives up after ``timeout`` seconds: a closed browser never
answers, so the timeout is what ends that case. Either way nothing is
stored.

Why a generic client and not msal: msal accepts only an https authority
that it first resolves through Microsoft's tenant (or OpenID) discovery, so
it cannot be pointed at a plain local token endpoint; its interactive
sign-in runs its own listener that can only time out (no Cancel from the
UI); and it keeps the refresh token in its own token cache, which would
then have to be moved to the keyring by hand. oauthlib (the RFC 6749 /
7636 client under requests-oauthlib and google-auth-oauthlib) builds the
requests and reads the replies for both providers; the rest here is the
standard library, and all of it runs against the tests' local server.
"""

from __future__ import annotations

import hmac
import http.server
import logging
import secrets as random_secrets
import threading
import time
import urllib.parse
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass

from oauthlib.oauth2 import WebApplicationClient

from desktop.services.mail.oauth import (
    OAuthError,
    SignInAgain,
    Tokens,
    _post,
    _token_body_extras,
    parse_token_reply,
    remember,
)
from desktop.services.mail.oauth_clients import ClientConfig, Provider

log = logging.getLogger(__name__)

SIGN_IN_TIMEOUT = 300.0  # five minutes: time for two-step verification
POLL_INTERVAL = 0.2

Opener = Callable[[str], object]


class SignInCancelled(OAuthError):
    def __init__(self) -> None:
        super().__init__("Sign-in cancelled. Nothing was stored.")


class SignInTimedOut(OAuthError):
    def __init__(self, label: str) -> None:
        super().__init__(
            f"No answer came back from {label}'s sign-in page (was the browser window "
            f"closed?). Nothing was stored. Press Sign in with {label} to try again."
        )


class ConsentRefused(OAuthError):
    def __init__(self, label: str) -> None:
        super().__init__(
            f"Access was not granted on {label}'s page, so LetterDesk cannot send from "
            "this account. Nothing was stored. Sign in again and choose Accept to allow "
            "sending."
        )


@dataclass(frozen=True)
class SignedIn:
    provider_key: str
    address: str
    tokens: Tokens


_DONE_PAGE = (
    "<!doctype html><meta charset=utf-8><title>LetterDesk</title>"
    "<p style='font:16px sans-serif;margin:3em'>{text}</p>"
)


class _Listener(http.server.HTTPServer):
    """Takes the one redirect that matters; anything else (a favicon, a
    stray request) gets 404 and the wait goes on."""

    answer: dict[str, str] | None = None


class _RedirectHandler(http.server.BaseHTTPRequestHandler):
    server: _Listener

    def do_GET(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(parsed.query))
        if parsed.path != "/" or not ({"code", "error"} & query.keys()):
            self.send_error(404)
            return
        if self.server.answer is None:
            self.server.answer = query
        text = "LetterDesk has your answer. You can close this window and go back to LetterDesk."
        body = _DONE_PAGE.format(text=text).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the query holds the code: never into a log


def _pkce_pair(client: WebApplicationClient) -> tuple[str, str]:
    verifier = client.create_code_verifier(64)
    return verifier, client.create_code_challenge(verifier, "S256")


def authorization_url(
    prov: Provider,
    client: WebApplicationClient,
    redirect_uri: str,
    state: str,
    challenge: str,
    login_hint: str,
) -> str:
    extra = dict(prov.extra_authorize_params)
    if login_hint:
        extra["login_hint"] = login_hint
    return str(
        client.prepare_request_uri(
            prov.authorize_url,
            redirect_uri=redirect_uri,
            scope=list(prov.scopes),
            state=state,
            code_challenge=challenge,
            code_challenge_method="S256",
            **extra,
        )
    )


def _wait(
    listener: _Listener, label: str, cancel: threading.Event | None, timeout: float
) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    listener.timeout = POLL_INTERVAL
    while listener.answer is None:
        if cancel is not None and cancel.is_set():
            raise SignInCancelled()
        if time.monotonic() >= deadline:
            raise SignInTimedOut(label)
        listener.handle_request()
    return listener.answer


def _listen() -> _Listener:
    """The loopback listener on a free port (RFC 8252 section 7.3)."""
    try:
        return _Listener(("127.0.0.1", 0), _RedirectHandler)
    except OSError as exc:  # no loopback interface, or no free port
        raise OAuthError(
            "LetterDesk could not wait for the sign-in's answer on this computer "
            f"({exc.strerror or exc}). Nothing was stored. Restart LetterDesk and try again."
        ) from None


def sign_in(
    prov: Provider,
    client_config: ClientConfig,
    address: str,
    *,
    cancel: threading.Event | None = None,
    timeout: float = SIGN_IN_TIMEOUT,
    open_browser: Opener | None = None,
) -> SignedIn:
    """Run the whole flow and keep the grant; raises an ``OAuthError``
    subclass with a plain sentence (nothing is stored then)."""
    opener = open_browser or webbrowser.open
    client = WebApplicationClient(client_config.client_id)
    verifier, challenge = _pkce_pair(client)
    state = random_secrets.token_urlsafe(24)
    with _listen() as listener:
        port = listener.server_address[1]
        redirect_uri = f"http://{prov.redirect_host}:{port}/"
        url = authorization_url(prov, client, redirect_uri, state, challenge, address)
        try:
            opened = opener(url)
        except (webbrowser.Error, OSError):
            opened = False  # no browser could be run: told like one that said no
        if opened is False:
            raise OAuthError(
                "LetterDesk could not open a web browser for signing in. Set a default "
                "browser for this computer, then try again. Nothing was stored."
            )
        answer = _wait(listener, prov.label, cancel, timeout)
    if not hmac.compare_digest(answer.get("state", ""), state):
        raise OAuthError(
            f"The answer from {prov.label}'s page did not belong to this sign-in (its "
            "check value was wrong), so it was ignored and nothing was stored. Sign in "
            "again."
        )
    if "error" in answer:
        if answer["error"] == "access_denied":
            raise ConsentRefused(prov.label)
        raise OAuthError(
            f"{prov.label} did not complete the sign-in ({answer['error'][:60]}). Nothing "
            "was stored. Try again; if it keeps failing, check the client ID under "
            "Advanced."
        )
    if cancel is not None and cancel.is_set():
        raise SignInCancelled()
    body = client.prepare_request_body(
        code=answer.get("code", ""),
        redirect_uri=redirect_uri,
        code_verifier=verifier,
        include_client_id=True,
        **_token_body_extras(client_config),
    )
    try:
        tokens = parse_token_reply(prov, client, _post(prov, body))
    except SignInAgain:  # invalid_grant for a code: refused, not revoked
        raise OAuthError(
            f"{prov.label} did not accept this sign-in's code (it was used, expired or "
            "did not match this sign-in). Nothing was stored. Sign in again."
        ) from None
    if not tokens.refresh_token:
        raise OAuthError(
            f"{prov.label} granted access but no lasting sign-in (no refresh token), so "
            "LetterDesk would have to ask again within the hour. Nothing was stored. Try "
            "again; an administrator may have to allow offline access."
        )
    kept = remember(prov.key, address, tokens)
    if not kept.ok:
        raise OAuthError(
            f"Signed in with {prov.label}, but the sign-in could not be kept: {kept.message}"
        )
    log.info("Signed in with %s", prov.label)
    return SignedIn(prov.key, address, tokens)

"""A real OAuth2 authorization server on 127.0.0.1 for the sign-in tests,
and a scripted "browser" that goes through its pages.

HTTPS (a ``trustme`` certificate; the client trusts its CA through
``Provider.ca_file``, never by switching verification off) in a thread.
What a provider checks, this server checks, and refuses as a provider does:

- ``/authorize``: the client ID is registered, the redirect URI is a
  loopback ``http://127.0.0.1:<any port>/`` or ``http://localhost:<port>/``
  (RFC 8252 section 7.3), PKCE is S256. Then the "user" decides
  (``consent``): "accept" redirects back with a code, "deny" with
  ``error=access_denied``, "close" never redirects (a browser window that
  was closed). ``forge_state`` sends a different ``state`` back.
- ``/token``, authorization code: the code exists, is used once, belongs
  to this client, the redirect URI is the very one sent to ``/authorize``,
  and SHA-256 of ``code_verifier`` is the challenge (RFC 7636 section 4.6).
  Refresh: the refresh token is known and not revoked. Any failure is
  ``400 {"error": "invalid_grant"}``.
- ``/revoke`` (RFC 7009) and ``revoke_all()``: the grant dies with all its
  access tokens. ``expire_access_tokens()`` ages every access token.
- ``/introspect`` (RFC 7662): what the SMTP test server asks about each
  XOAUTH2 token.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import json
import re
import secrets
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import trustme

CLIENT_ID = "letterdesk-test-client-4b1d"
_LOOPBACK = re.compile(r"^http://(127\.0\.0\.1|localhost):\d{1,5}/$")


@dataclass
class Grant:
    client_id: str
    address: str
    scope: str
    refresh_token: str
    revoked: bool = False


@dataclass
class PendingCode:
    client_id: str
    redirect_uri: str
    challenge: str
    address: str
    scope: str
    used: bool = False


@dataclass
class AccessToken:
    grant: Grant
    expires_at: float


@dataclass
class ServerState:
    client_ids: set[str] = field(default_factory=lambda: {CLIENT_ID})
    consent: str = "accept"  # "accept", "deny", "close"
    forge_state: bool = False
    access_lifetime: int = 3600
    codes: dict[str, PendingCode] = field(default_factory=dict)
    grants: dict[str, Grant] = field(default_factory=dict)  # by refresh token
    access: dict[str, AccessToken] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # why each refused request was


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _refuse(self, why: str, error: str = "invalid_grant") -> None:
        with self.server.lock:
            self.server.state.refused.append(why)
        self._json(400, {"error": error, "error_description": why})

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length", "0"))
        return dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))

    def do_GET(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        if parsed.path != "/authorize":
            self.send_error(404)
            return
        query = dict(urllib.parse.parse_qsl(parsed.query))
        state = self.server.state
        redirect = query.get("redirect_uri", "")
        if query.get("client_id") not in state.client_ids or not _LOOPBACK.match(redirect):
            # A provider shows its own error page; it never redirects then.
            self.send_error(400, "unknown client or redirect URI")
            return
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            self.send_error(400, "PKCE S256 required")
            return
        if state.consent == "close":
            body = b"<p>Sign in to your account</p>"  # nobody answers it
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        back = {"state": "forged" if state.forge_state else query.get("state", "")}
        if state.consent == "deny":
            back["error"] = "access_denied"
        else:
            code = secrets.token_urlsafe(16)
            with self.server.lock:
                state.codes[code] = PendingCode(
                    query["client_id"],
                    redirect,
                    query["code_challenge"],
                    query.get("login_hint", ""),
                    query.get("scope", ""),
                )
            back["code"] = code
        self.send_response(302)
        self.send_header("Location", redirect + "?" + urllib.parse.urlencode(back))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        form = self._form()
        path = urllib.parse.urlsplit(self.path).path
        if path == "/token":
            self._token(form)
        elif path == "/revoke":
            self.server.revoke(form.get("token", ""))
            self._json(200, {})
        elif path == "/introspect":
            self._json(200, self.server.introspect(form.get("token", "")))
        else:
            self.send_error(404)

    def _token(self, form: dict[str, str]) -> None:
        state = self.server.state
        with self.server.lock:
            state.token_requests.append(dict(form))
        if form.get("client_id") not in state.client_ids:
            self._refuse("unknown client", "invalid_client")
            return
        kind = form.get("grant_type")
        if kind == "authorization_code":
            self._exchange(form)
        elif kind == "refresh_token":
            with self.server.lock:
                grant = state.grants.get(form.get("refresh_token", ""))
                alive = grant is not None and not grant.revoked
            if grant is None or not alive:
                self._refuse("refresh token unknown or revoked")
                return
            self._json(200, self.server.issue(grant, new_refresh=False))
        else:
            self._refuse("unsupported grant type", "unsupported_grant_type")

    def _exchange(self, form: dict[str, str]) -> None:
        state = self.server.state
        with self.server.lock:
            pending = state.codes.get(form.get("code", ""))
            if pending is not None and pending.used:
                pending = None
            if pending is not None:
                pending.used = True
        if pending is None:
            self._refuse("unknown or used code")
            return
        if pending.client_id != form.get("client_id"):
            self._refuse("code of another client")
            return
        if pending.redirect_uri != form.get("redirect_uri"):
            self._refuse("redirect URI differs from the authorization request")
            return
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=")
        if not verifier or challenge.decode() != pending.challenge:
            self._refuse("PKCE verifier does not match the challenge")
            return
        grant = Grant(pending.client_id, pending.address, pending.scope, secrets.token_urlsafe(24))
        with self.server.lock:
            state.grants[grant.refresh_token] = grant
        self._json(200, self.server.issue(grant, new_refresh=True))


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: ServerState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.lock = threading.Lock()

    def issue(self, grant: Grant, *, new_refresh: bool) -> dict[str, Any]:
        token = "at-" + secrets.token_urlsafe(24)
        with self.lock:
            self.state.access[token] = AccessToken(grant, time.time() + self.state.access_lifetime)
        reply: dict[str, Any] = {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": self.state.access_lifetime,
            "scope": grant.scope,
        }
        if new_refresh:
            reply["refresh_token"] = grant.refresh_token
        return reply

    def revoke(self, token: str) -> None:
        with self.lock:
            grant = self.state.grants.get(token)
            if grant is None and token in self.state.access:
                grant = self.state.access[token].grant
            if grant is not None:
                grant.revoked = True

    def introspect(self, token: str) -> dict[str, Any]:
        with self.lock:
            found = self.state.access.get(token)
            if found is None or found.grant.revoked or found.expires_at <= time.time():
                return {"active": False}
            return {"active": True, "username": found.grant.address, "scope": found.grant.scope}


class OAuthTestServer:
    def __init__(self, cert: trustme.LeafCert, ca_file: Path) -> None:
        self.state = ServerState()
        self.ca_file = ca_file
        self._server = _Server(self.state)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self.base = f"https://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> OAuthTestServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    @property
    def authorize_url(self) -> str:
        return self.base + "/authorize"

    @property
    def token_url(self) -> str:
        return self.base + "/token"

    def client_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca_file))

    def introspect(self, token: str) -> dict[str, Any]:
        """Over HTTP, as a resource server would ask (RFC 7662)."""
        request = urllib.request.Request(
            self.base + "/introspect",
            data=urllib.parse.urlencode({"token": token}).encode(),
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10, context=self.client_context()) as reply:
            return dict(json.loads(reply.read()))

    def revoke_all(self) -> None:
        with self._server.lock:
            for grant in self.state.grants.values():
                grant.revoked = True

    def expire_access_tokens(self) -> None:
        with self._server.lock:
            for token in self.state.access.values():
                token.expires_at = time.time() - 1

    def refresh_requests(self) -> int:
        with self._server.lock:
            return sum(1 for r in self.state.token_requests if r["grant_type"] == "refresh_token")

    def live_refresh_tokens(self) -> list[str]:
        with self._server.lock:
            return [t for t, g in self.state.grants.items() if not g.revoked]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the browser script follows the redirect itself


class ScriptedBrowser:
    """Stands in for the system browser (the one part that cannot run
    here): given the authorization URL, it GETs the provider's page in a
    thread, takes the redirect and GETs the loopback URL, as a browser
    would after the user clicked Accept. Pass it as ``open_browser``."""

    def __init__(self, server: OAuthTestServer, *, tamper: dict[str, str] | None = None) -> None:
        self.server = server
        self.tamper = tamper or {}  # query values to change in the authorization URL
        self.opened: list[str] = []
        self.loopback_pages: list[str] = []
        self.errors: list[BaseException] = []
        self.done = threading.Event()

    def __call__(self, url: str) -> bool:
        self.opened.append(url)
        threading.Thread(target=self._visit, args=(url,), daemon=True).start()
        return True

    def _visit(self, url: str) -> None:
        try:
            if self.tamper:
                parts = urllib.parse.urlsplit(url)
                query = dict(urllib.parse.parse_qsl(parts.query))
                query.update(self.tamper)
                url = parts._replace(query=urllib.parse.urlencode(query)).geturl()
            https = urllib.request.HTTPSHandler(context=self.server.client_context())
            opener = urllib.request.build_opener(https, _NoRedirect)
            try:
                opener.open(url, timeout=10).close()
                return  # no redirect: the page waits for a person who left
            except urllib.error.HTTPError as exc:
                location = exc.headers.get("Location")
                exc.close()
                if exc.code != 302 or not location:
                    raise
            # A browser resolves "localhost" itself; the listener is on 127.0.0.1.
            location = location.replace("http://localhost:", "http://127.0.0.1:", 1)
            with urllib.request.urlopen(location, timeout=10) as page:
                self.loopback_pages.append(page.read().decode())
        except BaseException as exc:
            self.errors.append(exc)
        finally:
            self.done.set()

"""Fixtures for the mail tests: a real SMTP server on 127.0.0.1 with TLS and
AUTH (see ``smtp_server.py`` for why each fault is real), the CA the client
trusts through ``SmtpAccount.ca_file``, and a second CA it does not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import trustme

from desktop.services.mail import oauth, oauth_clients
from desktop.services.mail.account import SmtpAccount

from .imap_server import DovecotServer
from .oauth_server import CLIENT_ID, OAuthTestServer
from .smtp_server import Faults, SmtpTestServer, issue_server_cert, write_ca


@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    return trustme.CA(organization_name="LetterDesk test CA")


@pytest.fixture(scope="session")
def server_cert(test_ca: trustme.CA) -> trustme.LeafCert:
    return issue_server_cert(test_ca)


@pytest.fixture(scope="session")
def rogue_cert() -> trustme.LeafCert:
    """Signed by a CA the client is never told about."""
    return issue_server_cert(trustme.CA(organization_name="Somebody else's CA"))


@pytest.fixture
def ca_file(test_ca: trustme.CA, tmp_path: Path) -> Path:
    return write_ca(test_ca, tmp_path / "school-ca.pem")


@pytest.fixture
def faults() -> Faults:
    return Faults()


def _running(server: SmtpTestServer) -> Iterator[SmtpTestServer]:
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def smtp_server(server_cert: trustme.LeafCert, faults: Faults) -> Iterator[SmtpTestServer]:
    """STARTTLS + AUTH (the usual port 587 setup)."""
    yield from _running(SmtpTestServer(server_cert, security="starttls", faults=faults))


@pytest.fixture
def ssl_server(server_cert: trustme.LeafCert, faults: Faults) -> Iterator[SmtpTestServer]:
    """Implicit TLS + AUTH (the usual port 465 setup)."""
    yield from _running(SmtpTestServer(server_cert, security="ssl", faults=faults))


@pytest.fixture
def untrusted_server(rogue_cert: trustme.LeafCert) -> Iterator[SmtpTestServer]:
    yield from _running(SmtpTestServer(rogue_cert, security="starttls"))


@pytest.fixture
def account(smtp_server: SmtpTestServer, ca_file: Path) -> SmtpAccount:
    return smtp_server.account(ca_file)


# --- OAuth2: a local authorization server, the providers pointed at it ----------------


@pytest.fixture
def oauth_server(server_cert: trustme.LeafCert, ca_file: Path) -> Iterator[OAuthTestServer]:
    server = OAuthTestServer(server_cert, ca_file).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def local_providers(
    db, oauth_server: OAuthTestServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> OAuthTestServer:
    """Both providers' endpoints on the local server (the providers' real
    endpoints are the one thing these tests cannot reach), and a build
    configuration file that carries the test client ID."""
    for key, prov in list(oauth_clients.PROVIDERS.items()):
        monkeypatch.setitem(
            oauth_clients.PROVIDERS,
            key,
            replace(
                prov,
                authorize_url=oauth_server.authorize_url,
                token_url=oauth_server.token_url,
                ca_file=str(oauth_server.ca_file),
            ),
        )
    config = tmp_path / "oauth-clients.json"
    config.write_text(
        json.dumps({"microsoft": {"client_id": CLIENT_ID}, "google": {"client_id": CLIENT_ID}})
    )
    monkeypatch.setattr(oauth_clients, "bundled_config_path", lambda: config)
    monkeypatch.setattr(oauth, "_cache", {})
    return oauth_server


@pytest.fixture
def xoauth2_server(
    server_cert: trustme.LeafCert, oauth_server: OAuthTestServer
) -> Iterator[SmtpTestServer]:
    """STARTTLS, and XOAUTH2 the only way in, each token introspected."""
    yield from _running(SmtpTestServer(server_cert, security="starttls", oauth=oauth_server))


# --- IMAP: a real Dovecot ------------------------------------------------------------


@pytest.fixture
def dovecot(server_cert: trustme.LeafCert) -> Iterator[DovecotServer]:
    """Dovecot on 127.0.0.1 (implicit TLS, a password login, IDLE)."""
    server = DovecotServer(server_cert).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def dovecot_no_idle(server_cert: trustme.LeafCert) -> Iterator[DovecotServer]:
    """The same without IDLE in its capabilities: the watcher must poll."""
    server = DovecotServer(server_cert, idle=False).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def dovecot_oauth(
    server_cert: trustme.LeafCert, oauth_server: OAuthTestServer
) -> Iterator[DovecotServer]:
    """Dovecot checking each XOAUTH2 token with the test OAuth server."""
    server = DovecotServer(
        server_cert,
        introspect_url=oauth_server.base + "/introspect",
        ca_file=oauth_server.ca_file,
    ).start()
    try:
        yield server
    finally:
        server.stop()

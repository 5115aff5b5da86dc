"""Fixtures for the mail tests: a real SMTP server on 127.0.0.1 with TLS and
AUTH (see ``smtp_server.py`` for why each fault is real), the CA the client
trusts through ``SmtpAccount.ca_file``, and a second CA it does not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from desktop.services.mail.account import SmtpAccount

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

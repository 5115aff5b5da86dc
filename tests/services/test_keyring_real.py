"""desktop.services.secrets against a real Secret Service: gnome-keyring on a
private D-Bus session bus started by the fixture (tests/keyring_service.py),
plus the real "no keyring backend" paths. When gnome-keyring cannot run
here these tests fail with the reason; they are never skipped."""

from __future__ import annotations

import time

import keyring
import keyring.core
import pytest
from keyring.backends import SecretService

from desktop.services import secrets
from desktop.services.secrets import SERVICE_NAME, SecretOutcome
from tests.keyring_service import (
    SecretServiceDaemon,
    tolerating_keyrings_leaked_connections,
)

ACCOUNT = "maya.chen@example.org"
PASSWORD = "app-pässword-密码-7Qx!"


def test_the_backend_in_use_is_the_real_secret_service(secret_service):
    assert isinstance(keyring.get_keyring(), SecretService.Keyring)
    assert secrets.backend_name() == "Secret Service"
    assert secrets.is_available()


def test_set_get_delete_round_trip_through_gnome_keyring(secret_service):
    assert secrets.set_password(ACCOUNT, PASSWORD).outcome is SecretOutcome.OK

    # The item gnome-keyring holds is ours: our service name and account.
    [(attributes, secret)] = secret_service.stored_items()
    assert attributes["service"] == SERVICE_NAME
    assert attributes["username"] == ACCOUNT
    assert secret == PASSWORD.encode()

    found = secrets.get_password(ACCOUNT)
    assert found.outcome is SecretOutcome.OK
    assert found.password == PASSWORD

    assert secrets.delete_password(ACCOUNT).outcome is SecretOutcome.OK
    assert secret_service.stored_items() == []
    assert secrets.get_password(ACCOUNT).outcome is SecretOutcome.NOT_FOUND


def test_saving_again_replaces_the_password(secret_service):
    secrets.set_password(ACCOUNT, "first")
    secrets.set_password(ACCOUNT, "second")
    assert [secret for _attrs, secret in secret_service.stored_items()] == [b"second"]
    assert secrets.get_password(ACCOUNT).password == "second"


def test_accounts_are_kept_apart(secret_service):
    secrets.set_password(ACCOUNT, "one")
    secrets.set_password("other@example.org", "two")
    assert secrets.get_password(ACCOUNT).password == "one"
    assert secrets.get_password("other@example.org").password == "two"
    assert secrets.delete_password("other@example.org").ok
    assert secrets.get_password(ACCOUNT).password == "one"


def test_missing_entries_are_not_found(secret_service):
    missing = secrets.get_password("nobody@example.org")
    assert missing.outcome is SecretOutcome.NOT_FOUND
    assert "nobody@example.org" in missing.message
    assert secrets.delete_password("nobody@example.org").outcome is SecretOutcome.NOT_FOUND


def test_the_keyring_file_on_disk_is_encrypted(secret_service):
    secrets.set_password(ACCOUNT, PASSWORD)
    files = list((secret_service.root / "data" / "keyrings").glob("*.keyring"))
    assert files, "gnome-keyring wrote no keyring file"
    for file in files:
        assert PASSWORD.encode() not in file.read_bytes()


@pytest.mark.parametrize("call", ["get", "set", "delete"])
def test_a_locked_collection_is_reported_as_locked(secret_service, call):
    secrets.set_password(ACCOUNT, PASSWORD)
    secret_service.lock_default_collection()

    started = time.monotonic()
    with tolerating_keyrings_leaked_connections():
        if call == "get":
            result = secrets.get_password(ACCOUNT)
        elif call == "set":
            result = secrets.set_password(ACCOUNT, "replacement")
        else:
            result = secrets.delete_password(ACCOUNT)

    # No prompter can run here, so the unlock request is dismissed at once:
    # the answer is "locked", with what to do, and nothing waits on a person.
    assert time.monotonic() - started < 10
    assert result.outcome is SecretOutcome.LOCKED
    assert result.password is None
    assert "Secret Service" in result.message and "Unlock" in result.message
    assert secret_service.default_collection_is_locked()


def test_a_bus_without_a_secret_service_is_unavailable(secret_service, monkeypatch):
    # A session bus that is up but has no keyring daemon on it (for example
    # a desktop without GNOME Keyring or KWallet).
    secret_service.stop()
    bare = SecretServiceDaemon(secret_service.root.parent / "bare")
    try:
        bare.start_bus_only()
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bare.address)
        assert not SecretService.Keyring.viable
        with tolerating_keyrings_leaked_connections():
            results = [secrets.set_password(ACCOUNT, PASSWORD), secrets.get_password(ACCOUNT)]
        for result in results:
            assert result.outcome is SecretOutcome.UNAVAILABLE
            assert "No system keyring is available" in result.message
    finally:
        bare.stop()


def test_no_session_bus_means_no_keyring_backend(monkeypatch):
    # keyring's own detection, as at application start, on a machine with
    # no session bus at all: it finds nothing usable, and LetterDesk says so.
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("PYTHON_KEYRING_BACKEND", raising=False)
    # Only keyring's own backends compete: the tests' stand-in classes
    # (conftest's memory keyring and others) would otherwise be found too.
    keyring.core.init_backend(limit=lambda backend: type(backend).__module__.startswith("keyring."))
    assert secrets.backend_name() == "none available"
    assert not secrets.is_available()
    result = secrets.set_password(ACCOUNT, PASSWORD)
    assert result.outcome is SecretOutcome.UNAVAILABLE
    assert "plain" in result.message
    assert secrets.get_password(ACCOUNT).outcome is SecretOutcome.UNAVAILABLE

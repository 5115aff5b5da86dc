"""The keyring wrapper: one service name, distinct outcomes, no plain-text
fallback. These run against the in-memory keyring from conftest and small
stand-in backends; the real Secret Service tests (private D-Bus session)
come with the email issue."""

from __future__ import annotations

import subprocess
import sys

import keyring
import keyring.backend
import keyring.backends.fail
import keyring.backends.SecretService
import pytest
from keyring.errors import KeyringError, KeyringLocked

from desktop.services import secrets
from desktop.services.secrets import SecretOutcome


class LockedKeyring(keyring.backend.KeyringBackend):
    """Stand-in for a locked Secret Service collection (the user dismissed the
    unlock prompt): the real backend raises KeyringLocked exactly like this.
    A real locked collection needs a private D-Bus session and
    gnome-keyring, which the email issue sets up."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringLocked("Failed to unlock the collection!")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")

    def delete_password(self, service: str, username: str) -> None:
        raise KeyringLocked("Failed to unlock the collection!")


class BrokenKeyring(LockedKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise KeyringError("D-Bus said no")


class PlaintextKeyring(keyring.backend.KeyringBackend):
    """Named like keyrings.alt's plain-text file backend, which must be refused."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.written: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.written.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.written[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.written.pop((service, username), None)


def test_set_then_get_round_trips_under_the_letterdesk_service(memory_keyring):
    result = secrets.set_password("maya@example.org", "s3cret-ü-密码")
    assert result.ok and result.outcome is SecretOutcome.OK and result.message == ""
    assert memory_keyring.secrets == {("LetterDesk", "maya@example.org"): "s3cret-ü-密码"}

    found = secrets.get_password("maya@example.org")
    assert found.outcome is SecretOutcome.OK
    assert found.password == "s3cret-ü-密码"


def test_missing_password_is_not_found_with_advice():
    result = secrets.get_password("nobody@example.org")
    assert result.outcome is SecretOutcome.NOT_FOUND
    assert not result.ok and result.password is None
    assert "nobody@example.org" in result.message and "settings" in result.message


def test_other_services_entries_are_not_ours(memory_keyring):
    memory_keyring.secrets[("SomeOtherApp", "maya@example.org")] = "theirs"
    assert secrets.get_password("maya@example.org").outcome is SecretOutcome.NOT_FOUND


def test_delete_removes_and_a_second_delete_is_not_found(memory_keyring):
    secrets.set_password("maya@example.org", "pw")
    assert secrets.delete_password("maya@example.org").outcome is SecretOutcome.OK
    assert memory_keyring.secrets == {}
    assert secrets.delete_password("maya@example.org").outcome is SecretOutcome.NOT_FOUND


@pytest.mark.parametrize("call", ["get", "set", "delete"])
def test_no_backend_is_unavailable_and_nothing_is_stored(call):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    result = _do(call)
    assert result.outcome is SecretOutcome.UNAVAILABLE
    assert result.password is None
    assert "No system keyring is available" in result.message
    assert "plain" in result.message  # tells the user why it is not saved elsewhere
    assert secrets.backend_name() == "none available"
    assert not secrets.is_available()


def test_plain_text_backend_is_refused():
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    result = secrets.set_password("maya@example.org", "pw")
    assert result.outcome is SecretOutcome.UNAVAILABLE
    assert backend.written == {}
    assert secrets.backend_name() == "none available"


@pytest.mark.parametrize("call", ["get", "set", "delete"])
def test_locked_keyring_is_reported_as_locked(call):
    keyring.set_keyring(LockedKeyring())
    result = _do(call)
    assert result.outcome is SecretOutcome.LOCKED
    assert "locked" in result.message and "Unlock" in result.message


def test_other_keyring_errors_are_failures_with_the_reason():
    keyring.set_keyring(BrokenKeyring())
    result = secrets.get_password("maya@example.org")
    assert result.outcome is SecretOutcome.FAILED
    assert "D-Bus said no" in result.message


def test_backend_names():
    assert secrets.backend_name() == "conftest MemoryKeyring"  # keyring's own name
    keyring.set_keyring(keyring.backends.SecretService.Keyring())
    assert secrets.backend_name() == "Secret Service"
    assert secrets.is_available()


def test_importing_the_module_does_not_import_keyring():
    code = "import sys, desktop.services.secrets; sys.exit(1 if 'keyring' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def _do(call: str) -> secrets.SecretResult:
    if call == "get":
        return secrets.get_password("maya@example.org")
    if call == "set":
        return secrets.set_password("maya@example.org", "pw")
    return secrets.delete_password("maya@example.org")


# --- the exact words the user reads ------------------------------------------------


@pytest.mark.parametrize("call", ["get", "set", "delete"])
def test_the_unavailable_message_in_full(call):
    keyring.set_keyring(keyring.backends.fail.Keyring())
    assert _do(call).message == (
        "No system keyring is available, so LetterDesk cannot save this password "
        "(it never keeps passwords in a plain file). Install or start a keyring "
        "service (on Linux: GNOME Keyring, KWallet or another Secret Service "
        "provider, then log out and in again), or type the password each time."
    )


@pytest.mark.parametrize("call", ["get", "set", "delete"])
def test_the_locked_message_names_the_keyring(call):
    keyring.set_keyring(LockedKeyring())
    name = secrets.backend_name()
    assert name == "test secrets LockedKeyring"  # keyring's own name for it
    assert _do(call).message == (
        f"The system keyring ({name}) is locked. Unlock it, for example by entering "
        "your login or keyring password when your desktop asks, then try again."
    )


def test_the_failure_message_names_the_keyring_and_the_error():
    keyring.set_keyring(BrokenKeyring())
    name = secrets.backend_name()
    assert secrets.get_password("maya@example.org").message == (
        f"The system keyring ({name}) reported an error: D-Bus said no. Try again; "
        "if it keeps failing, restart the keyring service or your session."
    )


def test_a_chained_keyring_is_named_by_its_members_and_an_empty_chain_is_none():
    from keyring.backends import chainer

    class Chain(chainer.ChainerBackend):
        def __init__(self, members):
            super().__init__()
            self._members = members

        @property
        def backends(self):
            return self._members

    keyring.set_keyring(Chain([keyring.backends.SecretService.Keyring(), LockedKeyring()]))
    assert secrets.backend_name() == "Secret Service, test secrets LockedKeyring"
    keyring.set_keyring(Chain([]))
    assert secrets.backend_name() == "none available"
    assert not secrets.is_available()

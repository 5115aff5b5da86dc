"""The one place LetterDesk touches the operating system's keyring.

Every secret lives under the service name "LetterDesk", keyed by account
(for example the SMTP login). Each call returns a ``SecretResult`` whose
outcome is one of: done (stored, found or deleted), not found, locked,
unavailable, or failed, with a sentence telling the user what to do.

There is deliberately no fallback: when no keyring is usable the password is
not saved anywhere, and the user is told so. ``keyring`` is imported on first
use, never at application start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

log = logging.getLogger(__name__)

SERVICE_NAME = "LetterDesk"
NO_BACKEND = "none available"


class SecretOutcome(StrEnum):
    OK = "ok"  # stored, found or deleted
    NOT_FOUND = "not_found"
    LOCKED = "locked"
    UNAVAILABLE = "unavailable"
    FAILED = "failed"  # the keyring answered with another error


@dataclass(frozen=True)
class SecretResult:
    outcome: SecretOutcome
    password: str | None = None  # only for a found password
    message: str = ""  # for the user; empty when all went well

    @property
    def ok(self) -> bool:
        return self.outcome is SecretOutcome.OK


# Human names for the backends keyring ships, by module and class name.
_BACKEND_NAMES = {
    ("keyring.backends.SecretService", "Keyring"): "Secret Service",
    ("keyring.backends.libsecret", "Keyring"): "Secret Service (libsecret)",
    ("keyring.backends.kwallet", "DBusKeyring"): "KWallet",
    ("keyring.backends.kwallet", "DBusKeyringKWallet4"): "KWallet",
    ("keyring.backends.macOS", "Keyring"): "macOS Keychain",
    ("keyring.backends.Windows", "WinVaultKeyring"): "Windows Credential Locker",
}


def _unavailable_message() -> str:
    return (
        "No system keyring is available, so LetterDesk cannot save this password "
        "(it never keeps passwords in a plain file). Install or start a keyring "
        "service (on Linux: GNOME Keyring, KWallet or another Secret Service "
        "provider, then log out and in again), or type the password each time."
    )


def _locked_message() -> str:
    return (
        f"The system keyring ({backend_name()}) is locked. Unlock it, for example "
        "by entering your login or keyring password when your desktop asks, "
        "then try again."
    )


def _not_found_message(account: str) -> str:
    return (
        f"No password is saved for {account}. Enter it in the email settings to "
        "save it in the system keyring."
    )


def _failed_message(exc: BaseException) -> str:
    return (
        f"The system keyring ({backend_name()}) reported an error: {exc}. "
        "Try again; if it keeps failing, restart the keyring service or your session."
    )


def _stopped_message() -> str:
    return (
        "The system keyring stopped answering (its session service may have ended), so "
        "the password could not be read or saved. Log out and in again (or restart the "
        "keyring service), then try again; meanwhile type the password when asked."
    )


def _backend() -> KeyringBackend | None:
    """The backend keyring would use, or ``None`` when none is usable."""
    import keyring
    from keyring.backends import chainer, fail, null
    from keyring.errors import InitError, NoKeyringError

    try:
        backend = keyring.get_keyring()
    except (InitError, NoKeyringError):
        return None
    except Exception as exc:
        log.warning("No keyring backend: %r", exc)
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    if isinstance(backend, chainer.ChainerBackend) and not backend.backends:
        return None
    # keyrings.alt's plain-text file is exactly the fallback we refuse.
    if "plaintext" in type(backend).__name__.lower():
        return None
    return backend


def _name_of(backend: Any) -> str:
    cls = type(backend)
    known = _BACKEND_NAMES.get((cls.__module__, cls.__name__))
    if known:
        return known
    from keyring.backends import chainer

    if isinstance(backend, chainer.ChainerBackend):
        return ", ".join(_name_of(b) for b in backend.backends)
    return str(getattr(backend, "name", cls.__name__))


def backend_name() -> str:
    """A human name for the keyring that would be used, e.g. "Secret
    Service", "macOS Keychain", or "none available"."""
    backend = _backend()
    return NO_BACKEND if backend is None else _name_of(backend)


def is_available() -> bool:
    return _backend() is not None


def _run(account: str, operation: Callable[[KeyringBackend], SecretResult]) -> SecretResult:
    """Run ``operation`` on the backend, turning keyring's errors into outcomes."""
    backend = _backend()
    if backend is None:
        return SecretResult(SecretOutcome.UNAVAILABLE, message=_unavailable_message())
    from keyring.errors import (
        InitError,
        KeyringError,
        KeyringLocked,
        NoKeyringError,
        PasswordDeleteError,
    )

    try:
        return operation(backend)
    except KeyringLocked:
        return SecretResult(SecretOutcome.LOCKED, message=_locked_message())
    except (NoKeyringError, InitError):
        return SecretResult(SecretOutcome.UNAVAILABLE, message=_unavailable_message())
    except PasswordDeleteError:
        return SecretResult(SecretOutcome.NOT_FOUND, message=_not_found_message(account))
    except KeyringError as exc:
        return SecretResult(SecretOutcome.FAILED, message=_failed_message(exc))
    except Exception as exc:
        # A backend speaks to another program (D-Bus, the Secret Service):
        # when that dies mid-call, jeepney or secretstorage raise their own
        # errors (ConnectionError, DBusErrorResponse…), not keyring's.
        log.warning("The keyring failed: %r", exc)
        return SecretResult(SecretOutcome.FAILED, message=_stopped_message())


def get_password(account: str) -> SecretResult:
    def get(backend: KeyringBackend) -> SecretResult:
        found = backend.get_password(SERVICE_NAME, account)
        if found is None:
            return SecretResult(SecretOutcome.NOT_FOUND, message=_not_found_message(account))
        return SecretResult(SecretOutcome.OK, password=found)

    return _run(account, get)


def set_password(account: str, password: str) -> SecretResult:
    def store(backend: KeyringBackend) -> SecretResult:
        backend.set_password(SERVICE_NAME, account, password)
        return SecretResult(SecretOutcome.OK)

    return _run(account, store)


def delete_password(account: str) -> SecretResult:
    def delete(backend: KeyringBackend) -> SecretResult:
        # Not every backend reports a missing entry on delete, so look first.
        if backend.get_password(SERVICE_NAME, account) is None:
            return SecretResult(SecretOutcome.NOT_FOUND, message=_not_found_message(account))
        backend.delete_password(SERVICE_NAME, account)
        return SecretResult(SecretOutcome.OK)

    return _run(account, delete)

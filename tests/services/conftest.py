"""A real Secret Service (gnome-keyring on a private D-Bus) for the tests
that are about the keyring itself; every other test uses the in-memory
keyring from tests/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.keyring_service import SecretServiceDaemon, SecretServiceUnavailable


@pytest.fixture
def secret_service(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    service = SecretServiceDaemon(tmp_path / "keyring")
    try:
        service.start()
    except SecretServiceUnavailable as exc:
        service.stop()
        pytest.fail(f"A real Secret Service could not be started for this test: {exc}")
    try:
        service.use_in(monkeypatch)
        yield service
    finally:
        service.stop()

"""Shared test setup: offscreen Qt, every standard folder redirected into a
temporary one, a temp data folder per test and an in-memory keyring."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

# The standard folders must point here before anything reads them, so this is
# made at import, before pytest's own tmp_path_factory exists; it is removed
# at the end of the session (pytest_unconfigure below), by the process that
# made it (not by a forked child, such as mutmut's, that shares it).
_SANDBOX = Path(tempfile.mkdtemp(prefix="letterdesk-tests-"))
_SANDBOX_OWNER = os.getpid()
# Set before anything imports Qt, so the suite runs headless on purpose (and
# on a desktop too), not by accident of one module; on the smallest screen
# the app supports, 1280×720 (tests/screen.py).
from tests.screen import offscreen_platform  # noqa: E402

os.environ["QT_QPA_PLATFORM"] = offscreen_platform(_SANDBOX, 1280, 720)
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
    os.environ[_var] = str(_SANDBOX / _var.lower())
os.environ.pop("LETTERDESK_DATA_DIR", None)
# Hypothesis's caches (and its example database, switched off below) go to
# ./.hypothesis by default, inside the checkout; here into the sandbox.
os.environ["HYPOTHESIS_STORAGE_DIRECTORY"] = str(_SANDBOX / "hypothesis")

import keyring  # noqa: E402
import keyring.backend  # noqa: E402
import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from hypothesis.configuration import set_hypothesis_home_dir  # noqa: E402

# Also when hypothesis was imported (by its pytest plugin) before the line
# above set its storage directory. No example database: a run keeps nothing
# (the examples that matter are pinned as ordinary tests).
set_hypothesis_home_dir(_SANDBOX / "hypothesis")
hypothesis_settings.register_profile("letterdesk", database=None)
hypothesis_settings.load_profile("letterdesk")

from desktop.paths import DataPaths  # noqa: E402
from desktop.store.database import open_database  # noqa: E402
from tests.notification_daemon import NotificationDaemon, NotificationDaemonUnavailable  # noqa: E402


def pytest_configure(config: pytest.Config) -> None:
    # Again in a process that runs pytest more than once (mutmut does).
    _SANDBOX.mkdir(exist_ok=True)


def pytest_unconfigure(config: pytest.Config) -> None:
    if os.getpid() == _SANDBOX_OWNER:
        shutil.rmtree(_SANDBOX, ignore_errors=True)


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Stand-in for the OS keyring in tests that are not about the keyring.
    The real Secret Service is exercised by the keyring tests themselves."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    return backend


@pytest.fixture
def data_paths(tmp_path: Path) -> DataPaths:
    paths = DataPaths(tmp_path / "data")
    paths.ensure()
    return paths


@pytest.fixture
def db(data_paths: DataPaths):
    database = open_database(data_paths.database, data_paths.backups)
    yield database
    database.close()


# A test that reads the clock needs one day from start to end.
_MIDNIGHT_MARGIN = timedelta(seconds=30)


@pytest.fixture
def today() -> date:
    """The date the code under test sees as ``date.today()`` during this
    test. Computed per test, never at import (a module-level ``date.today()``
    goes stale when a run crosses midnight); in a day's last 30 seconds it
    first waits for the next day, so no test straddles midnight."""
    now = datetime.now()
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time())
    if midnight - now < _MIDNIGHT_MARGIN:
        time.sleep((midnight - now).total_seconds() + 0.1)
    return date.today()


# A real notification daemon (dunst) on a private D-Bus session, for the
# notification and tray tests (tests/notification_daemon.py).
@pytest.fixture
def notification_daemon(tmp_path, monkeypatch):
    service = NotificationDaemon(tmp_path / "notify")
    try:
        service.start()
    except NotificationDaemonUnavailable as exc:
        service.stop()
        pytest.fail(f"No real notification daemon for this test: {exc}")
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", service.bus.address)
    yield service
    service.stop()

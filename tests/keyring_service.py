"""A real Secret Service for the keyring tests: gnome-keyring-daemon on a
private D-Bus session bus, both started (and killed) by the test itself, so
`make test` needs no wrapper and the user's own keyring is never touched.

The bus runs from a minimal config with no service directories: nothing is
activated behind the test's back, and an unlock prompt (which would need
gcr-prompter and a display) fails at once instead of waiting for a person.
The daemon gets a fresh HOME and XDG folders; ``--unlock`` reads the login
keyring's password from stdin and creates that keyring unlocked.

Usage, in a test module::

    @pytest.fixture
    def secret_service(tmp_path, monkeypatch):
        service = SecretServiceDaemon(tmp_path / "keyring")
        try:
            service.start()
        except SecretServiceUnavailable as exc:
            service.stop()
            pytest.fail(f"No real Secret Service for this test: {exc}")
        service.use_in(monkeypatch)
        yield service
        service.stop()
"""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import tempfile
import time
import warnings
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import IO, Any

SECRETS_BUS_NAME = "org.freedesktop.secrets"
DEFAULT_COLLECTION = "/org/freedesktop/secrets/aliases/default"
START_TIMEOUT = 15.0  # seconds; starting takes well under one second here
INSTALL_HINT = "Install the test packages with: sh packaging/system-deps.sh test"

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


def end_process(process: subprocess.Popen) -> None:
    """Stop a test daemon: politely, then by force after 5 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class SecretServiceUnavailable(RuntimeError):
    """The private Secret Service could not be started; says why."""


class SecretServiceDaemon:
    """dbus-daemon + gnome-keyring-daemon (secrets component) under ``root``."""

    def __init__(self, root: Path, keyring_password: str = "login keyring password") -> None:
        self.root = root
        self.keyring_password = keyring_password
        self.address = ""
        self._processes: list[subprocess.Popen[bytes]] = []
        self._logs: list[IO[bytes]] = []
        # A unix socket path is limited to ~108 bytes and pytest's tmp_path
        # can be longer, so the bus socket and runtime dir live in a short one.
        self.runtime_dir = Path(tempfile.mkdtemp(prefix="ld-kr-", dir=_short_tmp()))

    # -- lifecycle -----------------------------------------------------

    def __enter__(self) -> SecretServiceDaemon:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """The bus, then gnome-keyring on it with an unlocked login keyring."""
        self.start_bus_only()
        if shutil.which("gnome-keyring-daemon") is None:
            raise SecretServiceUnavailable(f"gnome-keyring-daemon is not installed. {INSTALL_HINT}")
        keyring = self._spawn(
            "gnome-keyring",
            [
                "gnome-keyring-daemon",
                "--foreground",
                "--components=secrets",
                "--unlock",
            ],
            stdin=subprocess.PIPE,
        )
        assert keyring.stdin is not None
        keyring.stdin.write(self.keyring_password.encode())
        keyring.stdin.close()
        self._wait_for_secrets(keyring)

    def start_bus_only(self) -> None:
        """A private session bus with no Secret Service on it."""
        if shutil.which("dbus-daemon") is None:
            raise SecretServiceUnavailable(f"dbus-daemon is not installed. {INSTALL_HINT}")
        home = self.root / "home"
        for folder in (home, self.root / "data", self.root / "config", self.root / "cache"):
            folder.mkdir(parents=True, exist_ok=True)
        self.runtime_dir.chmod(0o700)
        socket = self.runtime_dir / "bus"
        config = self.root / "session-bus.conf"
        config.write_text(_BUS_CONFIG.format(socket=socket), encoding="utf-8")

        bus = self._spawn(
            "dbus-daemon",
            ["dbus-daemon", f"--config-file={config}", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
        )
        assert bus.stdout is not None
        # dbus-daemon prints its address once it listens; reading the line
        # is the readiness signal (an early exit gives an empty line).
        self.address = bus.stdout.readline().decode().strip()
        if not self.address:
            raise SecretServiceUnavailable(self._failure("dbus-daemon did not start"))

    def stop(self) -> None:
        for process in reversed(self._processes):
            end_process(process)
            if process.stdout is not None:
                process.stdout.close()
        self._processes.clear()
        for log in self._logs:
            log.close()
        self._logs.clear()
        shutil.rmtree(self.runtime_dir, ignore_errors=True)

    # -- using it ------------------------------------------------------

    @property
    def environment(self) -> dict[str, str]:
        """What a client needs to reach this Secret Service."""
        return {"DBUS_SESSION_BUS_ADDRESS": self.address}

    def use_in(self, monkeypatch: Any) -> Any:
        """Point this test's process at the private bus and make keyring use
        its Secret Service backend; returns the backend. ``monkeypatch``
        restores the environment afterwards (the autouse memory keyring
        fixture resets keyring's backend for the next test)."""
        import keyring
        from keyring.backends import SecretService

        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", self.address)
        backend = SecretService.Keyring()
        keyring.set_keyring(backend)
        return backend

    def connect(self) -> Any:
        """A new jeepney connection to the private bus (close it after use)."""
        from jeepney.io.blocking import open_dbus_connection

        return open_dbus_connection(bus=self.address)

    def lock_default_collection(self) -> None:
        import secretstorage

        with closing(self.connect()) as connection:
            collection = secretstorage.Collection(connection, DEFAULT_COLLECTION)
            collection.lock()
            if not collection.is_locked():
                raise SecretServiceUnavailable("gnome-keyring did not lock the collection")

    def default_collection_is_locked(self) -> bool:
        import secretstorage

        with closing(self.connect()) as connection:
            return secretstorage.Collection(connection, DEFAULT_COLLECTION).is_locked()

    def stored_items(self) -> list[tuple[dict[str, str], bytes]]:
        """Every item's attributes and secret in the default collection."""
        import secretstorage

        with closing(self.connect()) as connection:
            collection = secretstorage.Collection(connection, DEFAULT_COLLECTION)
            return [
                (item.get_attributes(), item.get_secret()) for item in collection.get_all_items()
            ]

    # -- internals -----------------------------------------------------

    def _daemon_environment(self) -> dict[str, str]:
        # Only what the daemons need: no DISPLAY (so no prompter), and every
        # folder they might write to inside root.
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.root / "home"),
            "XDG_DATA_HOME": str(self.root / "data"),
            "XDG_CONFIG_HOME": str(self.root / "config"),
            "XDG_CACHE_HOME": str(self.root / "cache"),
            "XDG_RUNTIME_DIR": str(self.runtime_dir),
        }
        if self.address:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        return env

    def _spawn(self, name: str, argv: list[str], **kwargs: Any) -> subprocess.Popen[bytes]:
        log = (self.root / f"{name}.log").open("wb")
        self._logs.append(log)
        kwargs.setdefault("stdout", log)
        process = subprocess.Popen(
            argv,
            env=self._daemon_environment(),
            stderr=log,
            stdin=kwargs.pop("stdin", subprocess.DEVNULL),
            **kwargs,
        )
        self._processes.append(process)
        return process

    def _wait_for_secrets(self, keyring: subprocess.Popen[bytes]) -> None:
        import secretstorage

        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if keyring.poll() is not None:
                raise SecretServiceUnavailable(
                    self._failure(f"gnome-keyring-daemon exited with status {keyring.returncode}")
                )
            with closing(self.connect()) as connection:
                if secretstorage.check_service_availability(connection):
                    try:
                        collection = secretstorage.Collection(connection, DEFAULT_COLLECTION)
                        if not collection.is_locked():
                            return
                    except secretstorage.exceptions.SecretStorageException:
                        pass  # the login collection is still being created
            time.sleep(0.05)
        raise SecretServiceUnavailable(
            self._failure(
                f"gnome-keyring-daemon did not offer an unlocked {SECRETS_BUS_NAME} "
                f"collection within {START_TIMEOUT:.0f} s"
            )
        )

    def _failure(self, what: str) -> str:
        logs = []
        for log in sorted(self.root.glob("*.log")):
            text = log.read_text(errors="replace").strip()
            if text:
                logs.append(f"--- {log.name}\n{text}")
        return "\n".join([what, *logs])


@contextmanager
def tolerating_keyrings_leaked_connections() -> Iterator[None]:
    """keyring's SecretService backend opens a D-Bus connection per call and
    does not close it when the call fails (collection locked or missing), so
    the socket's ResourceWarning would surface later in an unrelated test.
    Around calls expected to fail, collect those sockets here, quietly."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            yield
        finally:
            gc.collect()


def _short_tmp() -> str | None:
    return "/tmp" if os.path.isdir("/tmp") else None

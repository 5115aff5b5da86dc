"""A real notification daemon for the tests: dunst on a private D-Bus
session bus (the keyring tests' bus, ``keyring_service.py``) and its own
Xvfb display, all started and killed by the test.

dunst runs a script for every notification it shows (a ``script`` rule in
its configuration); the script appends the app name, summary and body to
a file, so a test reads back exactly what the daemon displayed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

from .keyring_service import SecretServiceDaemon, end_process

_CONFIG = """\
[global]
    monitor = 0
    follow = none
    font = DejaVu Sans 10

[record]
    appname = "*"
    script = {script}
"""

_SCRIPT = """#!/bin/sh
# dunst: $1 appname, $2 summary, $3 body, $4 icon, $5 urgency
printf '%s|%s|%s\\n' "$1" "$2" "$3" >> {shown}
"""


class NotificationDaemonUnavailable(RuntimeError):
    pass


class NotificationDaemon:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.bus = SecretServiceDaemon(root / "bus")
        self.shown_file = root / "shown.txt"
        self._processes: list[subprocess.Popen[bytes]] = []
        self.display = ""

    def start(self) -> NotificationDaemon:
        for tool in ("dunst", "Xvfb"):
            if shutil.which(tool) is None:
                raise NotificationDaemonUnavailable(
                    f"{tool} is not installed: sh packaging/system-deps.sh test"
                )
        self.bus.start_bus_only()
        read_fd, write_fd = os.pipe()
        xvfb = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write_fd),
                "-screen",
                "0",
                "1280x720x24",
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write_fd,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._processes.append(xvfb)
        os.close(write_fd)
        with os.fdopen(read_fd) as reader:
            number = reader.readline().strip()
        if not number:
            raise NotificationDaemonUnavailable("Xvfb did not start")
        self.display = f":{number}"
        script = self.root / "record.sh"
        script.write_text(_SCRIPT.format(shown=self.shown_file), encoding="utf-8")
        script.chmod(0o755)
        config = self.root / "dunstrc"
        config.write_text(_CONFIG.format(script=script), encoding="utf-8")
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(self.root),
            "DISPLAY": self.display,
            "DBUS_SESSION_BUS_ADDRESS": self.bus.address,
            "XDG_CONFIG_HOME": str(self.root / "config"),
        }
        log = (self.root / "dunst.log").open("wb")
        dunst = subprocess.Popen(["dunst", "-config", str(config)], env=env, stdout=log, stderr=log)
        log.close()
        self._processes.append(dunst)
        self._wait_for_name()
        return self

    def _wait_for_name(self, timeout: float = 10.0) -> None:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection

        bus = DBusAddress(
            "/org/freedesktop/DBus",
            bus_name="org.freedesktop.DBus",
            interface="org.freedesktop.DBus",
        )
        deadline = time.monotonic() + timeout
        with open_dbus_connection(self.bus.address) as connection:
            while time.monotonic() < deadline:
                reply = connection.send_and_get_reply(
                    new_method_call(bus, "NameHasOwner", "s", ("org.freedesktop.Notifications",))
                )
                if reply.body and reply.body[0]:
                    return
                time.sleep(0.05)
        raise NotificationDaemonUnavailable((self.root / "dunst.log").read_text(errors="replace"))

    def shown(self, count: int = 1, timeout: float = 5.0) -> list[str]:
        """The lines the daemon's script recorded, once there are ``count``."""
        deadline = time.monotonic() + timeout
        lines: list[str] = []
        while time.monotonic() < deadline:
            if self.shown_file.exists():
                lines = self.shown_file.read_text(encoding="utf-8").splitlines()
                if len(lines) >= count:
                    break
            time.sleep(0.05)
        return lines

    def stop(self) -> None:
        for process in reversed(self._processes):
            end_process(process)
        self._processes.clear()
        self.bus.stop()

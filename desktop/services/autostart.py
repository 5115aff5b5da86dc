"""Start LetterDesk at login, minimised to the tray, so scheduled emails
and reminders do not wait for the window to be opened.

One per-user entry, the platform's own way:

- Linux and other XDG desktops: ``$XDG_CONFIG_HOME/autostart/
  org.letterdesk.LetterDesk.desktop`` (the XDG Autostart specification);
- Windows: the ``LetterDesk`` value under ``HKCU\\Software\\Microsoft\\
  Windows\\CurrentVersion\\Run``;
- macOS: ``~/Library/LaunchAgents/org.letterdesk.LetterDesk.plist`` with
  ``RunAtLoad`` (launchd).

The command is this very program (the frozen executable, or this Python
with ``-m desktop``) with ``--minimized``.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import shlex
import sys
from pathlib import Path

from desktop.errors import UserError
from desktop.files import atomic_write

APP_ID = "org.letterdesk.LetterDesk"
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
RUN_VALUE = "LetterDesk"
MINIMIZED_FLAG = "--minimized"


class AutostartError(UserError):
    pass


def command() -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, MINIMIZED_FLAG]
    return [sys.executable, "-m", "desktop", MINIMIZED_FLAG]


def _platform() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "xdg"


# --- XDG -------------------------------------------------------------------------------


def xdg_entry_path() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / "autostart" / f"{APP_ID}.desktop"


def _desktop_exec(argv: list[str]) -> str:
    """The Exec key's quoting (Desktop Entry spec): arguments with reserved
    characters in double quotes, with ``"`, `$` and ``\\`` escaped."""
    reserved = set(" \t\n\"'\\><~|&;$*?#()`")

    def quote(arg: str) -> str:
        if arg and not set(arg) & reserved:
            return arg.replace("%", "%%")
        escaped = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        return '"' + escaped.replace("%", "%%") + '"'

    return " ".join(quote(a) for a in argv)


def xdg_entry(argv: list[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Version=1.4\n"
        "Name=LetterDesk\n"
        "Comment=Reminders and scheduled emails for your letters of recommendation\n"
        f"Exec={_desktop_exec(argv)}\n"
        f"Icon={APP_ID}\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
        "NoDisplay=true\n"
    )


# --- macOS -------------------------------------------------------------------------------


def launch_agent_path() -> Path:
    return Path.home() / "Library" / "LaunchAgents" / f"{APP_ID}.plist"


def launch_agent(argv: list[str]) -> bytes:
    return plistlib.dumps(
        {"Label": APP_ID, "ProgramArguments": argv, "RunAtLoad": True, "ProcessType": "Interactive"}
    )


# --- the switch ------------------------------------------------------------------------------


def is_enabled() -> bool:
    kind = _platform()
    if kind == "windows":
        import winreg  # type: ignore[import-not-found,unused-ignore]

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:  # type: ignore[attr-defined,unused-ignore]
                winreg.QueryValueEx(key, RUN_VALUE)  # type: ignore[attr-defined,unused-ignore]
        except OSError:
            return False
        return True
    path = launch_agent_path() if kind == "macos" else xdg_entry_path()
    return path.is_file()


def set_enabled(enabled: bool, argv: list[str] | None = None) -> None:
    """Add or remove the entry; raises ``AutostartError`` with the reason."""
    argv = argv or command()
    kind = _platform()
    try:
        if kind == "windows":
            _set_windows(enabled, argv)
            return
        path = launch_agent_path() if kind == "macos" else xdg_entry_path()
        if not enabled:
            path.unlink(missing_ok=True)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        data = launch_agent(argv) if kind == "macos" else xdg_entry(argv).encode("utf-8")
        with atomic_write(path, mode=0o644) as handle:
            handle.write(data)
    except OSError as exc:
        raise AutostartError(
            f"Starting at login could not be {'set up' if enabled else 'turned off'}: "
            f"{exc.strerror or exc}."
        ) from exc


def _set_windows(enabled: bool, argv: list[str]) -> None:
    import subprocess
    import winreg  # type: ignore[import-not-found,unused-ignore]

    with winreg.CreateKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:  # type: ignore[attr-defined,unused-ignore]
        if enabled:
            line = subprocess.list2cmdline(argv)
            winreg.SetValueEx(key, RUN_VALUE, 0, winreg.REG_SZ, line)  # type: ignore[attr-defined,unused-ignore]
        else:
            with contextlib.suppress(FileNotFoundError):
                winreg.DeleteValue(key, RUN_VALUE)  # type: ignore[attr-defined,unused-ignore]


def describe(argv: list[str] | None = None) -> str:
    return shlex.join(argv or command())

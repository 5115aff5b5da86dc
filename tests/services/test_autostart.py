"""Start at login on Linux: a valid XDG autostart entry in a temporary
XDG_CONFIG_HOME (checked with desktop-file-validate), and
removed again. The Windows Run key and the macOS LaunchAgent cannot be
exercised here; the LaunchAgent's plist is checked by reading it back."""

from __future__ import annotations

import plistlib
import shutil
import subprocess

import pytest

from desktop.services import autostart


@pytest.fixture
def config_home(tmp_path, monkeypatch):
    home = tmp_path / "config ü"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setattr(autostart, "_platform", lambda: "xdg")
    return home


def test_the_linux_entry_is_a_valid_desktop_file_that_starts_minimised(config_home):
    argv = ["/opt/Letter Desk/letterdesk", autostart.MINIMIZED_FLAG]
    assert not autostart.is_enabled()
    autostart.set_enabled(True, argv)
    path = config_home / "autostart" / "org.letterdesk.LetterDesk.desktop"
    assert autostart.is_enabled() and path.is_file()
    text = path.read_text(encoding="utf-8")
    assert 'Exec="/opt/Letter Desk/letterdesk" --minimized\n' in text
    assert text.startswith("[Desktop Entry]\nType=Application\n")
    validator = shutil.which("desktop-file-validate")  # desktop-file-utils (system-deps.sh)
    assert validator is not None
    checked = subprocess.run([validator, str(path)], capture_output=True, text=True)
    assert checked.returncode == 0 and not checked.stdout.strip(), checked.stdout + checked.stderr
    autostart.set_enabled(False)
    assert not path.exists() and not autostart.is_enabled()
    autostart.set_enabled(False)  # turning it off twice is fine


def test_exec_quoting_follows_the_desktop_entry_spec():
    assert autostart._desktop_exec(["/usr/bin/python3", "-m", "desktop"]) == (
        "/usr/bin/python3 -m desktop"
    )
    assert autostart._desktop_exec(['/a "b"/$x', "100%"]) == '"/a \\"b\\"/\\$x" 100%%'


def test_the_default_command_is_this_program_minimised():
    assert autostart.command()[-1] == "--minimized"


def test_the_launch_agent_runs_at_load():
    agent = plistlib.loads(
        autostart.launch_agent(["/Applications/LetterDesk.app/x", "--minimized"])
    )
    assert agent["RunAtLoad"] is True and agent["Label"] == "org.letterdesk.LetterDesk"
    assert agent["ProgramArguments"][-1] == "--minimized"

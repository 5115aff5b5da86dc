"""Point 7: the lock file records the host as well as the PID, and another
computer holding the folder is said plainly, with advice one can follow."""

from __future__ import annotations

import errno
import os
import socket
import subprocess
import sys
import textwrap

import pytest

from desktop.paths import DataPaths
from desktop.services import instance_lock
from desktop.services.instance_lock import LOCK_NAME, AlreadyRunningError, InstanceLock

_HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from desktop.services.instance_lock import InstanceLock
    InstanceLock(Path(sys.argv[1])).acquire()
    print("locked", flush=True)
    time.sleep(60)
    """
)


def test_the_lock_file_names_this_host(tmp_path):
    with InstanceLock(tmp_path):
        pid, host = (tmp_path / LOCK_NAME).read_text().split()
    assert int(pid) == os.getpid()
    assert host == socket.gethostname()


def test_a_folder_held_from_another_computer_is_said_plainly(tmp_path, qtbot, dialogs):
    """A real second process holds the OS lock; the lock file reads as a
    synced folder shows it: written on another computer."""
    from desktop.ui.shell.startup import open_data_folder

    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        (tmp_path / LOCK_NAME).write_text(f"{process.pid}\nmaya-laptop\n")
        seen = []
        dialogs.then(lambda box: (seen.append(box.text()), box.accept()))
        assert open_data_folder(DataPaths(tmp_path)) is None
        dialogs.check()
    finally:
        process.kill()
        process.wait()
        process.stdout.close()
    text = seen[0]
    assert "another computer" in text and "maya-laptop" in text
    assert str(tmp_path / LOCK_NAME) in text  # what to delete if it is not running there


def test_without_file_locks_a_pid_from_another_computer_is_not_judged_here(tmp_path, monkeypatch):
    """A network share without working locks cannot be made here, so the
    OS lock call is made to fail as it does there (ENOLCK); the rest is real.
    PID 1 is alive on this machine, which made the old check lock the user
    out for good with "switch to that window"."""

    def no_locks(fd):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(instance_lock, "_os_lock", no_locks)
    (tmp_path / LOCK_NAME).write_text("1\nmaya-laptop\n")
    with pytest.raises(AlreadyRunningError) as caught:
        InstanceLock(tmp_path).acquire()
    message = caught.value.user_message
    assert "another computer" in message and "maya-laptop" in message
    assert "Switch to that window" not in message
    # Following the advice works: the file removed, the folder opens.
    (tmp_path / LOCK_NAME).unlink()
    with InstanceLock(tmp_path):
        pass
    # A lock this host wrote for a process that is gone is simply taken over.
    (tmp_path / LOCK_NAME).write_text(f"999999999\n{socket.gethostname()}\n")
    with InstanceLock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text().startswith(str(os.getpid()))

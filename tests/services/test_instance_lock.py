"""One LetterDesk per data folder: real processes holding a real lock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from desktop.services.instance_lock import (
    LOCK_NAME,
    AlreadyRunningError,
    InstanceLock,
    pid_alive,
    read_owner,
)

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


@pytest.fixture
def holder(tmp_path):
    """Another LetterDesk process holding the lock on ``tmp_path``."""
    process = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=os.getcwd(),
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "locked"
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()
    process.stdout.close()


def test_second_instance_is_refused_with_the_first_ones_pid(tmp_path, holder):
    with pytest.raises(AlreadyRunningError) as caught:
        InstanceLock(tmp_path).acquire()
    assert caught.value.pid == holder.pid
    assert "already open" in caught.value.user_message
    assert str(tmp_path) in caught.value.user_message


def test_lock_of_a_killed_run_is_taken_over(tmp_path, holder):
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert read_owner(tmp_path / LOCK_NAME) == holder.pid  # the file is still there
    lock = InstanceLock(tmp_path).acquire()
    assert read_owner(tmp_path / LOCK_NAME) == os.getpid()
    lock.release()


def test_stale_file_with_a_dead_or_garbage_pid_is_taken_over(tmp_path):
    for content in ("999999999\n", "", "not a pid", "\x00\x00"):
        (tmp_path / LOCK_NAME).write_text(content)
        with InstanceLock(tmp_path) as lock:
            assert lock.held
            assert read_owner(tmp_path / LOCK_NAME) == os.getpid()


def test_same_process_second_lock_conflicts_and_release_frees(tmp_path):
    first = InstanceLock(tmp_path).acquire()
    with pytest.raises(AlreadyRunningError):
        InstanceLock(tmp_path).acquire()
    assert first.acquire() is first  # idempotent for its owner
    first.release()
    first.release()
    with InstanceLock(tmp_path):
        pass


def test_without_os_locks_the_pid_decides(tmp_path, holder, monkeypatch):
    """A file system without locks (some network shares)."""
    from desktop.services import instance_lock

    def no_locks(fd):
        raise OSError(37, "No locks available")

    monkeypatch.setattr(instance_lock, "_os_lock", no_locks)
    with pytest.raises(AlreadyRunningError):
        InstanceLock(tmp_path).acquire()
    holder.kill()
    holder.wait()
    with InstanceLock(tmp_path) as lock:
        assert lock.held


def test_pid_alive():
    assert pid_alive(os.getpid())
    assert not pid_alive(0) and not pid_alive(-5)
    assert not pid_alive(999_999_999)


@pytest.mark.parametrize(
    "content",
    ["²\n", "١٢٣\n", "9" * 5000 + "\n", "99999999999999999999999\n"],
    ids=["superscript", "arabic-indic", "5000-digits", "beyond-pid_t"],
)
def test_a_lock_file_with_odd_digits_is_taken_over(tmp_path, content, monkeypatch):
    """str.isdigit() is true for "²" and other digits int() refuses; a
    number too large for a PID overflows os.kill. The file comes from
    outside (a synced folder): it is stale, not a reason to crash at start.
    Also without OS locks, where the PID decides."""
    from desktop.services import instance_lock

    (tmp_path / LOCK_NAME).write_text(content, encoding="utf-8")
    with InstanceLock(tmp_path) as lock:
        assert lock.held
    (tmp_path / LOCK_NAME).write_text(content, encoding="utf-8")

    def no_locks(fd):
        raise OSError(37, "No locks available")

    monkeypatch.setattr(instance_lock, "_os_lock", no_locks)
    with InstanceLock(tmp_path) as lock:
        assert read_owner(tmp_path / LOCK_NAME) == os.getpid()

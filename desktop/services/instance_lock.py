"""One LetterDesk per data folder: a lock file the operating system holds.

The lock is an OS lock on ``letterdesk.lock`` in the data folder
(``flock`` on POSIX, ``msvcrt.locking`` on Windows), not the mere existence
of the file. The kernel drops it when the process ends however it ends
(SIGKILL, power cut aside), so a lock left by a crashed run is simply taken
over, and a recycled PID can never make a dead run look alive. The file
also holds the owner's PID and host name, for the message a second launch
shows.

Where the file system has no working locks (some network shares), the file
decides instead. A PID says nothing about another computer, so a lock
written on another host is never judged by a process here: the user is told
which computer holds the folder and what to do (close LetterDesk there; if
it is not running there, remove the lock file). On this host a live process
other than ours holds it; anything else is stale and taken over.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
from pathlib import Path

from desktop.errors import UserError

log = logging.getLogger(__name__)

LOCK_NAME = "letterdesk.lock"
# Windows locks a byte range; lock one byte past the PID so that a second
# instance can still read the PID.
_WINDOWS_LOCK_OFFSET = 4096


def this_host() -> str:
    return socket.gethostname() or "this computer"


class AlreadyRunningError(UserError):
    """Another LetterDesk has this data folder open (here or on another
    computer sharing the folder)."""

    def __init__(self, folder: Path, pid: int | None, host: str | None = None) -> None:
        if host and host != this_host():
            message = (
                f"The data folder {folder} is in use by LetterDesk on another computer, "
                f"“{host}” (the folder is shared or synced). Close LetterDesk on {host} "
                "and let the folder finish syncing, then start LetterDesk here again. If "
                f"LetterDesk is not running on {host} (it crashed, or that computer is off), "
                f"delete the file {folder / LOCK_NAME} and start again."
            )
        else:
            who = f" (process {pid})" if pid else ""
            message = (
                f"LetterDesk is already open for the data folder {folder}{who}. "
                "Switch to that window, or close it and start LetterDesk again."
            )
        super().__init__(message)
        self.folder = folder
        self.pid = pid
        self.host = host


class InstanceLock:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> InstanceLock:
        """Take the lock or raise ``AlreadyRunningError``."""
        if self._fd is not None:
            return self
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if not _os_lock(fd):
                raise AlreadyRunningError(self.folder, *read_owner_and_host(self.path))
        except AlreadyRunningError:
            os.close(fd)
            raise
        except OSError as exc:  # no locks on this file system: use the file
            log.warning("No file locking in %s (%s); reading the lock file", self.folder, exc)
            pid, host = read_owner_and_host(self.path)
            elsewhere = host is not None and host != this_host()
            if pid is not None and (elsewhere or (pid != os.getpid() and pid_alive(pid))):
                os.close(fd)
                raise AlreadyRunningError(self.folder, pid, host) from exc
        previous = read_owner(self.path)
        if previous is not None and previous != os.getpid():
            log.info("Took over the lock left by process %d, which is gone", previous)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n{this_host()}\n".encode())
        self._fd = fd
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # a stale PID would only mislead the next message
        os.close(fd)  # closing drops the OS lock

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def read_owner(path: Path) -> int | None:
    return read_owner_and_host(path)[0]


def read_owner_and_host(path: Path) -> tuple[int | None, str | None]:
    """(PID, host name) from the lock file; a file from before host names
    were kept has only the PID (its host is taken to be this one)."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    except OSError:
        return None, None
    host = lines[1].strip() if len(lines) > 1 and lines[1].strip() else None
    return _pid(lines[0].strip()), host


def _pid(text: str) -> int | None:
    """A PID the system could have: ASCII digits (``isdigit`` also takes "²",
    which ``int`` refuses) within a ``pid_t``, so ``os.kill`` can ask."""
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    pid = int(text)
    return pid if pid < 2**31 else None


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate it on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return bool(handle)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by someone else
        return True
    return True


def _os_lock(fd: int) -> bool:
    """True when the lock was taken, False when another process holds it;
    OSError when the file system cannot lock at all."""
    if os.name == "nt":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True
    import fcntl

    try:
        # flock, not lockf: its lock belongs to the open file, so a second
        # InstanceLock in the same process conflicts too, as it should.
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True

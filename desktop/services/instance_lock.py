"""One LetterDesk per data folder: a lock file the operating system holds.

The lock is an OS lock on ``letterdesk.lock`` in the data folder
(``flock`` on POSIX, ``msvcrt.locking`` on Windows), not the mere existence
of the file. The kernel drops it when the process ends however it ends
(SIGKILL, power cut aside), so a lock left by a crashed run is simply taken
over, and a recycled PID can never make a dead run look alive. The file
also holds the owner's PID, for the message a second launch shows.

Where the file system has no working locks (some network shares), the
PID in the file decides instead: a live process other than ours holds it,
anything else is stale and taken over.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
from pathlib import Path

from desktop.errors import UserError

log = logging.getLogger(__name__)

LOCK_NAME = "letterdesk.lock"
# Windows locks a byte range; lock one byte past the PID so that a second
# instance can still read the PID.
_WINDOWS_LOCK_OFFSET = 4096


class AlreadyRunningError(UserError):
    """Another LetterDesk has this data folder open."""

    def __init__(self, folder: Path, pid: int | None) -> None:
        who = f" (process {pid})" if pid else ""
        super().__init__(
            f"LetterDesk is already open for the data folder {folder}{who}. "
            "Switch to that window, or close it and start LetterDesk again."
        )
        self.folder = folder
        self.pid = pid


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
                raise AlreadyRunningError(self.folder, read_owner(self.path))
        except AlreadyRunningError:
            os.close(fd)
            raise
        except OSError as exc:  # no locks on this file system: use the PID
            log.warning("No file locking in %s (%s); checking the PID instead", self.folder, exc)
            owner = read_owner(self.path)
            if owner is not None and owner != os.getpid() and pid_alive(owner):
                os.close(fd)
                raise AlreadyRunningError(self.folder, owner) from exc
        previous = read_owner(self.path)
        if previous is not None and previous != os.getpid():
            log.info("Took over the lock left by process %d, which is gone", previous)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode())
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
    try:
        text = path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


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

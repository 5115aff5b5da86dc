"""Opening the data folder at start, with a dialog (not a traceback) when
the file cannot be used: one instance per folder, an interrupted restore
finished, and a damaged file (failing ``PRAGMA quick_check`` or not
opening) answered with the newest good backup."""

from __future__ import annotations

import errno
import hashlib
import logging

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.paths import DataPaths
from desktop.services.data.backups import quick_check, recover_interrupted_restore
from desktop.services.instance_lock import AlreadyRunningError, InstanceLock
from desktop.store.database import Database, open_database
from desktop.store.errors import (
    CorruptDatabaseError,
    DatabaseOpenError,
    NotLetterDeskDatabaseError,
)

log = logging.getLogger(__name__)
# Files up to this size are checked before the window opens (a few ms).
CHECK_BEFORE_WINDOW_BYTES = 16 * 1024 * 1024
# Held until the process ends (the OS drops it then, however it ends).
_locks: dict[str, InstanceLock] = {}


def open_data_folder(
    paths: DataPaths, parent: QWidget | None = None
) -> tuple[Database, DataPaths] | None:
    """Open ``paths``; when its data file is refused, explain why and offer
    another folder until one opens or the user quits (``None``)."""
    while True:
        try:
            paths.ensure()
            _hold_lock(paths)
            recover_interrupted_restore(paths)
            db = open_database(paths.database, paths.backups)
            # A large file is checked on a worker after the window shows
            # (restore_flow.schedule_integrity_check): quick_check reads the
            # whole file, about a quarter second at 80 MB here.
            if paths.database.stat().st_size <= CHECK_BEFORE_WINDOW_BYTES and (
                problem := quick_check(db)
            ):
                db.close()
                raise CorruptDatabaseError(paths.database, problem)
            return db, paths
        except AlreadyRunningError as exc:
            _tell_already_running(exc, paths, parent)
            return None
        except (CorruptDatabaseError, NotLetterDeskDatabaseError) as exc:
            log.error("Data file not usable: %s", exc)
            from desktop.ui.data import restore_flow  # only when something is wrong

            outcome = restore_flow.offer_restore_at_start(exc, paths, parent)
            if outcome == restore_flow.RESTORED:
                continue
            if outcome == restore_flow.QUIT:
                return None
            chosen = (
                _choose_folder(parent)
                if outcome == restore_flow.OTHER_FOLDER
                else _ask_for_other_folder(exc, parent)
            )
        except DatabaseOpenError as exc:
            chosen = _ask_for_other_folder(exc, parent)
        except OSError as exc:
            reason = (
                "its disk is full. Free some space on it, then start LetterDesk again, or"
                if exc.errno == errno.ENOSPC
                else f"{exc.strerror or exc}."
            )
            chosen = _ask_for_other_folder(
                DatabaseOpenError(
                    paths.database,
                    f"The data folder {paths.root} cannot be used: {reason} Choose another folder.",
                ),
                parent,
            )
        if chosen is None:
            return None
        _release_lock(paths)
        paths = DataPaths(chosen)


def _hold_lock(paths: DataPaths) -> None:
    key = str(paths.root.resolve())
    if key not in _locks:
        _locks[key] = InstanceLock(paths.root).acquire()


def _release_lock(paths: DataPaths) -> None:
    lock = _locks.pop(str(paths.root.resolve()), None)
    if lock is not None:
        lock.release()


def _tell_already_running(error: AlreadyRunningError, paths: DataPaths, parent) -> None:
    raised = _ask_first_instance_to_raise(paths)
    box = QMessageBox(parent)
    box.setObjectName("alreadyRunningDialog")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(box.tr("LetterDesk is already open"))
    box.setText(error.user_message)
    if raised:
        box.setInformativeText(box.tr("Its window has been brought to the front."))
    box.exec()
    box.deleteLater()


# --- raising the first window ------------------------------------------------


def _server_name(paths: DataPaths) -> str:
    digest = hashlib.sha256(str(paths.root.resolve()).encode()).hexdigest()[:20]
    return f"letterdesk-{digest}"


def listen_for_second_launch(paths: DataPaths, window: QWidget):
    """A local socket named after the data folder: a second launch for the
    same folder connects and this window comes to the front. Returns the
    server (keep a reference), or None where it cannot listen."""
    from PySide6.QtNetwork import QLocalServer

    server = QLocalServer(window)
    name = _server_name(paths)
    if not server.listen(name):
        # A socket file left by a crashed run; we hold the folder's lock,
        # so nobody else is using it.
        QLocalServer.removeServer(name)
        if not server.listen(name):
            log.info("Cannot listen for second launches: %s", server.errorString())
            return None

    def raise_window() -> None:
        while (connection := server.nextPendingConnection()) is not None:
            connection.disconnectFromServer()
            connection.deleteLater()
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()

    server.newConnection.connect(raise_window)
    return server


def _ask_first_instance_to_raise(paths: DataPaths) -> bool:
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(_server_name(paths))
    connected = socket.waitForConnected(500)
    socket.abort()
    return connected


def _ask_for_other_folder(error: DatabaseOpenError, parent: QWidget | None):

    box = QMessageBox(parent)
    box.setObjectName("openErrorDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(box.tr("LetterDesk cannot open its data"))
    box.setText(error.user_message)
    choose = box.addButton(box.tr("Open another data folder…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(box.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    chose_other = box.clickedButton() is choose
    box.deleteLater()
    if not chose_other:
        return None
    return _choose_folder(parent)


def _choose_folder(parent: QWidget | None):
    from pathlib import Path

    title = QFileDialog.tr("Choose a LetterDesk data folder")
    folder = QFileDialog.getExistingDirectory(parent, title)
    return Path(folder) if folder else None

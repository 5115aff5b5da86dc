"""Restoring a backup from the GUI, and the automatic backup at start.

How the app "reopens on the restored data": the window that asked for a
restore is closed and the event loop ends; ``desktop.app.run_gui`` then
closes the database (after background work is done), restores with no
connection open, and goes round its loop: open the data folder, build a
fresh main window. Nothing built on the old connection survives, no page
needs to learn how to reload everything, and no second process has to
wait for this one's lock, which a restart would need.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QProgressDialog, QWidget

from desktop.paths import DataPaths
from desktop.services.data import archive, backups
from desktop.store import restored
from desktop.store.database import current_database
from desktop.store.errors import DATABASE_ERRORS, DatabaseOpenError
from desktop.ui.common import run_in_background

log = logging.getLogger(__name__)

_RESTORE_PROPERTY = "letterdeskRestoreBackup"
START_BACKUP_DELAY_MS = 5_000  # after start-up, not during it


def tr(text: str) -> str:
    return QCoreApplication.translate("RestoreFlow", text)


def describe(backup: backups.BackupInfo) -> str:
    """'12 March 2025, 14:05 (before a restore)' for messages and lists."""
    return f"{backup.created:%d %B %Y, %H:%M} ({reason_label(backup)})"


def describe_content(backup: backups.BackupInfo) -> str:
    """'12 March 2025, 14:05 (automatic; backup no. 42: 32 mentors, 10 letter
    requests)': what a restore would bring back, not only when."""
    counts = backups.backup_counts(backup.path)
    parts = [reason_label(backup)]
    if backup.number:
        parts.append(tr("backup no. {n}").format(n=backup.number))
    if counts:
        parts.append(
            tr("{m} mentors, {r} letter requests").format(
                m=counts.get("mentors", 0), r=counts.get("requests", 0)
            )
        )
    return f"{backup.created:%d %B %Y, %H:%M} ({'; '.join(parts)})"


def future_dated_note(paths: DataPaths) -> str:
    """A sentence when a backup is dated after now (empty otherwise)."""
    future = backups.future_dated_backups(paths, datetime.now())
    if not future:
        return ""
    return tr(
        "A backup is dated {when}, which is later than now: the computer's clock was wrong "
        "when it was made, or is wrong now. It is kept, backups are still made every day, "
        "and backups are ordered by number, not by date. Check the clock."
    ).format(when=f"{future[0].created:%d %B %Y}")


def reason_label(backup: backups.BackupInfo) -> str:
    labels = {
        "daily": tr("automatic"),
        "manual": tr("backed up by you"),
        "before-restore": tr("before a restore"),
        "before-import": tr("before an import"),
    }
    if backup.reason == "before-format":
        return tr("before upgrading to data format {n}").format(n=backup.format_version)
    return labels.get(backup.reason, backup.reason)


# --- restore from the running app ------------------------------------------


def request_restore(window: QMainWindow, backup: Path) -> bool:
    """Close ``window`` so that ``run_gui`` restores ``backup`` and reopens.
    False when the window refused to close (nothing happens then)."""
    window.setProperty(_RESTORE_PROPERTY, str(backup))
    if not window.close():
        window.setProperty(_RESTORE_PROPERTY, None)
        return False
    # With the last window closed the main loop ends by itself. Not
    # QCoreApplication.exit(): outside app.exec() it would leave every later
    # dialog returning at once.
    QApplication.closeAllWindows()
    return True


def pending_restore(window: QWidget) -> Path | None:
    value = window.property(_RESTORE_PROPERTY)
    return Path(value) if value else None


def run_restore(
    paths: DataPaths,
    backup: Path,
    parent: QWidget | None = None,
    *,
    current_damaged: bool = False,
) -> bool:
    """Restore with a progress dialog, every database connection already
    closed. Tells the user the outcome; True when the data was replaced.
    A move-to-another-computer archive (File → Move → Import closes the
    window and comes here) is imported with all of the archive's checks,
    and said so."""
    if archive.is_move_archive(backup):
        return _run_archive_import(paths, backup, parent)
    progress = QProgressDialog(tr("Restoring the backup…"), "", 0, 0, parent)
    progress.setObjectName("restoreProgress")
    progress.setWindowTitle(tr("Restoring"))
    progress.setCancelButton(None)  # a restore is not stopped half-way
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.show()
    outcome: dict[str, object] = {}
    run_in_background(
        lambda: backups.restore(paths, backup, current_damaged=current_damaged),
        lambda before: outcome.setdefault("before", before),
        lambda error: outcome.setdefault("error", error),
    )
    # Not QEventLoop.exec(): run_gui calls this right after the main loop
    # was told to quit, and a fresh loop can end at once on that.
    while not outcome:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 100)
    progress.close()
    progress.deleteLater()
    error = outcome.get("error")
    if error is None:
        before = outcome["before"]
        assert isinstance(before, backups.BackupInfo)
        text = tr(
            "Your data is now as it was in the backup. What you had before the "
            "restore is kept as the backup of {when}."
        ).format(when=describe(before))
        QMessageBox.information(parent, tr("Backup restored"), text + _held_note(paths))
        return True
    if isinstance(error, backups.RestoreUnfinished):
        # Past the point of no return: never "your data was not changed".
        QMessageBox.warning(parent, tr("Restore not finished"), error.user_message)
        return False
    if isinstance(error, backups.BackupError):
        reason = error.user_message
    else:
        raise error  # a bug: the crash dialog
    QMessageBox.warning(
        parent,
        tr("Not restored"),
        tr("The backup {name} could not be restored: {reason}. Your data was not changed.").format(
            name=backup.name, reason=reason
        ),
    )
    return False


def _run_archive_import(paths: DataPaths, source: Path, parent: QWidget | None) -> bool:
    progress = QProgressDialog(tr("Importing the archive…"), "", 0, 0, parent)
    progress.setObjectName("importProgress")
    progress.setWindowTitle(tr("Importing"))
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)
    progress.show()
    outcome: dict[str, object] = {}
    run_in_background(
        lambda: archive.import_archive(paths, source),
        lambda summary: outcome.setdefault("summary", summary),
        lambda error: outcome.setdefault("error", error),
    )
    while not outcome:
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents, 100)
    progress.close()
    progress.deleteLater()
    error = outcome.get("error")
    if error is None:
        QMessageBox.information(
            parent,
            tr("Archive imported"),
            tr(
                "The data from {name} is now open. What you had before the import is kept "
                "in the backups (Settings → Data)."
            ).format(name=source.name)
            + _held_note(paths),
        )
        return True
    if isinstance(error, backups.RestoreUnfinished):
        QMessageBox.warning(parent, tr("Import not finished"), error.user_message)
        return False
    if not isinstance(error, archive.ArchiveError):
        raise error  # a bug: the crash dialog
    QMessageBox.warning(
        parent,
        tr("Not imported"),
        tr("{reason} Your data was not changed.").format(reason=error.user_message),
    )
    return False


def _held_note(paths: DataPaths) -> str:
    held = restored.held_count(paths.database)
    if not held:
        return ""
    return " " + tr(
        "{n} email(s) that were waiting to be sent are held, because they may have gone "
        "out already: check them in the Outbox, then choose Retry to send them."
    ).format(n=held)


# --- at start -----------------------------------------------------------------

RESTORED, OTHER_FOLDER, QUIT, NO_BACKUP = "restored", "other", "quit", "none"


def offer_restore_at_start(
    error: DatabaseOpenError, paths: DataPaths, parent: QWidget | None = None
) -> str:
    """The data file is damaged: offer the newest backup that passes its
    check. Returns RESTORED, OTHER_FOLDER, QUIT, or NO_BACKUP when there is
    no good backup to offer."""
    good = backups.newest_good_backup(paths)
    if good is None:
        return NO_BACKUP
    box = QMessageBox(parent)
    box.setObjectName("restoreAtStartDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(tr("LetterDesk cannot open its data"))
    box.setText(error.user_message)
    box.setInformativeText(
        tr(
            "The newest good backup is from {when}. Restore it? The damaged file is kept "
            "in the backups folder."
        ).format(when=describe_content(good))
    )
    restore = box.addButton(tr("Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
    other = box.addButton(tr("Open another data folder…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is restore:
        return RESTORED if run_restore(paths, good.path, parent, current_damaged=True) else QUIT
    return OTHER_FOLDER if clicked is other else QUIT


def schedule_start_backup(window: QMainWindow, paths: DataPaths) -> None:
    """A few seconds after start, back up when the newest backup is older
    than a day. Failure is logged and shown in the status bar, never a
    dialog: the user did not ask for this one."""

    def start() -> None:
        warning = future_dated_note(paths)
        if warning:
            log.warning("Future-dated backup: %s", warning)
            window.statusBar().showMessage(warning, 30000)
        if not backups.daily_backup_due(paths, datetime.now()):
            return
        run_in_background(
            lambda: backups.backup_now(current_database(), paths, "daily"),
            lambda info: window.statusBar().showMessage(
                " ".join(
                    filter(
                        None,
                        [tr("Backed up your data ({name}).").format(name=info.path.name), warning],
                    )
                ),
                30000 if warning else 8000,
            ),
            lambda exc: _start_backup_failed(window, exc),
        )

    QTimer.singleShot(START_BACKUP_DELAY_MS, window, start)


def _start_backup_failed(window: QMainWindow, error: Exception) -> None:
    log.warning("Automatic backup failed: %s", error)
    window.statusBar().showMessage(
        tr("The automatic backup failed ({reason}); see Data and backups.").format(
            reason=getattr(error, "strerror", None) or error
        ),
        15000,
    )


def schedule_integrity_check(window: QMainWindow, paths: DataPaths) -> None:
    """For a file too large to check before the window opens: check it on a
    worker shortly after start, and if it is damaged offer the newest good
    backup at once (the same restore path as the Data dialog)."""
    from desktop.ui.shell import CHECK_BEFORE_WINDOW_BYTES

    try:
        if paths.database.stat().st_size <= CHECK_BEFORE_WINDOW_BYTES:
            return  # already checked by open_data_folder
    except OSError:
        return

    def check() -> tuple[str | None, backups.BackupInfo | None]:
        # Both on the worker: finding the newest good backup unpacks and
        # checks each backup in turn, which is no work for the GUI thread.
        try:
            problem = backups.quick_check(current_database())
        except DATABASE_ERRORS as exc:  # a file too damaged to check counts as damaged
            problem = str(exc)
        return problem, (backups.newest_good_backup(paths) if problem else None)

    def found(outcome: tuple[str | None, backups.BackupInfo | None]) -> None:
        problem, good = outcome
        if problem is None:
            return
        log.error("Data file failed its check after start: %s", problem)
        box = QMessageBox(window)
        box.setObjectName("damagedAfterStartDialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(tr("Your data file is damaged"))
        box.setText(
            tr("The data file {path} failed SQLite's check ({problem}).").format(
                path=paths.database, problem=problem
            )
        )
        restore = None
        if good is not None:
            box.setInformativeText(
                tr(
                    "Restore the newest good backup, from {when}? What you have now is "
                    "kept in the backups folder."
                ).format(when=describe_content(good))
            )
            restore = box.addButton(tr("Restore the backup"), QMessageBox.ButtonRole.AcceptRole)
        else:
            box.setInformativeText(
                tr("There is no good backup to restore. Export what you can and quit.")
            )
        box.addButton(tr("Keep working"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        chosen = box.clickedButton()
        box.deleteLater()
        if restore is not None and chosen is restore and good is not None:
            request_restore(window, good.path)

    QTimer.singleShot(
        START_BACKUP_DELAY_MS // 2,
        window,
        lambda: run_in_background(check, found, lambda exc: found((str(exc), None))),
    )

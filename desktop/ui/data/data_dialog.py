"""Settings → Data: where the data lives, the backups, Back up now and
Restore. Backing up and checking a backup run on a worker; the restore
itself happens after the main window has closed (see restore_flow)."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.paths import DataPaths
from desktop.services.data import backups
from desktop.store.database import current_database
from desktop.store.errors import explain_database_error
from desktop.ui.common import run_in_background, set_role, table_view
from desktop.ui.data.restore_flow import (
    describe,
    future_dated_note,
    reason_label,
    request_restore,
)

log = logging.getLogger(__name__)


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"  # not reached


class DataDialog(QDialog):
    def __init__(self, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataDialog")
        self.setWindowTitle(self.tr("Data and backups"))
        self.resize(720, 460)
        self._paths = paths
        self._busy = False
        self._backups: list[backups.BackupInfo] = []
        self.chosen_backup: Path | None = None

        where = QLabel(self.tr("Your data is kept in:"))
        self.folder_label = QLabel(str(paths.root))
        self.folder_label.setObjectName("dataFolderLabel")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setWordWrap(True)
        self.open_folder_button = QPushButton(self.tr("Open data folder"))
        self.open_folder_button.setObjectName("openDataFolderButton")
        self.open_folder_button.clicked.connect(self.open_folder)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_label, 1)
        folder_row.addWidget(self.open_folder_button)

        explanation = QLabel(
            self.tr(
                "LetterDesk backs up your data and documents once a day when it starts, "
                "and before every restore or import. It keeps one backup for each of the "
                "last 14 days and one for each of the last 8 weeks."
            )
        )
        explanation.setWordWrap(True)
        set_role(explanation, "hint")

        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels(
            [self.tr("Date"), self.tr("Made"), self.tr("Contains"), self.tr("Size")]
        )
        self.table = table_view("backupList", self.model, self.tr("Backups"))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())

        self.backup_button = QPushButton(self.tr("Back up now"))
        self.backup_button.setObjectName("backUpNowButton")
        set_role(self.backup_button, "primary")
        self.backup_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self.restore_selected)
        self.status = QLabel()
        self.status.setObjectName("dataStatus")
        self.status.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.backup_button)
        actions.addWidget(self.restore_button)
        actions.addWidget(self.status, 1)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addLayout(folder_row)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.buttons)
        self.reload()

    # --- the list -----------------------------------------------------------------

    def reload(self, select: Path | None = None) -> None:
        self._backups = backups.list_backups(self._paths)
        self.model.removeRows(0, self.model.rowCount())
        for backup in self._backups:
            cells = [
                QStandardItem(f"{backup.created:%Y-%m-%d %H:%M}"),
                QStandardItem(reason_label(backup)),
                QStandardItem(
                    self.tr("Data and documents") if backup.has_documents else self.tr("Data only")
                ),
                QStandardItem(human_size(backup.size)),
            ]
            cells[0].setToolTip(str(backup.path))
            if backup.created - datetime.now() > backups.CLOCK_SLACK:
                cells[0].setText(self.tr("{date} (clock was wrong)").format(date=cells[0].text()))
            self.model.appendRow(cells)
        self.table.resizeColumnsToContents()
        if not self._backups:
            self.status.setText(self.tr("No backups yet."))
        elif note := future_dated_note(self._paths):
            self.status.setText(note)
        row = next(
            (i for i, b in enumerate(self._backups) if b.path == select), 0 if select else -1
        )
        if row >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def selected_backup(self) -> backups.BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._backups[rows[0].row()] if rows else None

    def _update_buttons(self, *_args: object) -> None:
        self.backup_button.setEnabled(not self._busy)
        self.restore_button.setEnabled(not self._busy and self.selected_backup() is not None)
        self.buttons.setEnabled(not self._busy)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._busy = busy
        if message:
            self.status.setText(message)
        self._update_buttons()

    def reject(self) -> None:
        if not self._busy:  # wait for the worker: its result comes back here
            super().reject()

    # --- actions ------------------------------------------------------------------

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._paths.root)))

    def back_up_now(self) -> None:
        paths = self._paths
        self._set_busy(True, self.tr("Backing up…"))
        run_in_background(
            lambda: backups.backup_now(current_database(), paths, "manual"),
            self._backed_up,
            self._backup_failed,
        )

    def _backed_up(self, info: backups.BackupInfo) -> None:
        self._set_busy(False, self.tr("Backed up: {name}").format(name=info.path.name))
        self.reload(select=info.path)

    def _backup_failed(self, error: Exception) -> None:
        reason = _failure_sentence(error)
        if reason is None:
            self._set_busy(False, "")
            raise error  # a bug: the crash dialog
        self._set_busy(False, self.tr("Not backed up."))
        QMessageBox.warning(self, self.tr("Not backed up"), reason)

    def restore_selected(self) -> None:
        backup = self.selected_backup()
        if backup is None or self._busy:
            return
        box = QMessageBox(self)
        box.setObjectName("confirmRestoreDialog")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Restore a backup"))
        box.setText(self.tr("Restore the backup of {when}?").format(when=describe(backup)))
        box.setInformativeText(
            self.tr(
                "LetterDesk first backs up your data as it is now, then replaces it with "
                "this backup and reopens. Changes made since then stay in that new backup."
            )
            if backup.has_documents
            else self.tr(
                "This backup holds the data only; your documents are kept as they are. "
                "LetterDesk first backs up your data as it is now, then reopens."
            )
        )
        restore = box.addButton(self.tr("Restore"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        confirmed = box.clickedButton() is restore
        box.deleteLater()
        if not confirmed:
            return
        # Check it before closing anything, so a bad backup costs nothing.
        self._set_busy(True, self.tr("Checking the backup…"))
        run_in_background(
            lambda: backups.verify(backup.path),
            lambda result: self._checked(backup, result),
            self._backup_failed,
        )

    def _checked(self, backup: backups.BackupInfo, result: backups.Verification) -> None:
        self._set_busy(False, "")
        if not result.ok:
            self.status.setText(self.tr("That backup cannot be restored."))
            QMessageBox.warning(
                self,
                self.tr("Not restored"),
                self.tr(
                    "The backup of {when} cannot be restored: {problem}. Choose another one."
                ).format(when=describe(backup), problem=result.problem),
            )
            return
        self.chosen_backup = backup.path
        self.accept()


def _failure_sentence(error: Exception) -> str | None:
    if isinstance(error, backups.BackupError):
        return error.user_message
    if isinstance(error, OSError):
        return QCoreApplication.translate(
            "DataDialog",
            "The backup could not be written ({reason}). Free some space or check the "
            "backups folder, then try again.",
        ).format(reason=error.strerror or error)
    return explain_database_error(error)


def open_data_dialog(window: QMainWindow, paths: DataPaths) -> None:
    """File → Data and backups…; a chosen restore closes ``window`` and the
    app reopens on the restored data."""
    dialog = DataDialog(paths, window)
    dialog.exec()
    chosen = dialog.chosen_backup
    dialog.deleteLater()
    if chosen is not None:
        request_restore(window, chosen)

"""Opening the data folder at start, with a dialog (not a traceback) when
the file cannot be used."""

from __future__ import annotations

import peewee as pw
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.paths import DataPaths
from desktop.store.database import open_database
from desktop.store.errors import DatabaseOpenError


def open_data_folder(
    paths: DataPaths, parent: QWidget | None = None
) -> tuple[pw.Database, DataPaths] | None:
    """Open ``paths``; when its data file is refused, explain why and offer
    another folder until one opens or the user quits (``None``)."""
    while True:
        try:
            paths.ensure()
            return open_database(paths.database, paths.backups), paths
        except DatabaseOpenError as exc:
            chosen = _ask_for_other_folder(exc, parent)
        except OSError as exc:
            chosen = _ask_for_other_folder(
                DatabaseOpenError(
                    paths.database,
                    f"The data folder {paths.root} cannot be used: "
                    f"{exc.strerror or exc}. Choose another folder.",
                ),
                parent,
            )
        if chosen is None:
            return None
        paths = DataPaths(chosen)


def _ask_for_other_folder(error: DatabaseOpenError, parent: QWidget | None):
    from pathlib import Path

    box = QMessageBox(parent)
    box.setObjectName("openErrorDialog")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(box.tr("LetterDesk cannot open its data"))
    box.setText(error.user_message)
    choose = box.addButton(box.tr("Open another data folder…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(box.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    chose_other = box.clickedButton() is choose
    title = box.tr("Choose a LetterDesk data folder")
    box.deleteLater()
    if not chose_other:
        return None
    folder = QFileDialog.getExistingDirectory(parent, title)
    return Path(folder) if folder else None

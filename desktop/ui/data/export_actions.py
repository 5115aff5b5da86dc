"""What the File menu's import and export entries do: ask for a file, run
the work on a worker, report the outcome in a sentence.

``choose_save_path`` and ``choose_open_path`` are module functions so tests
replace them instead of driving a native file dialog.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop.paths import DataPaths
from desktop.services.data import archive, calendar_export, csv_io
from desktop.store.database import current_database
from desktop.ui.common import run_in_background

CSV_KINDS: dict[str, tuple[str, Callable[[Path], int]]] = {
    "mentors": ("mentors", csv_io.export_mentors),
    "requests": ("letter requests", csv_io.export_requests),
    "programs": ("programs", csv_io.export_programs),
}


def choose_save_path(parent: QWidget, title: str, suggested: str, filter_: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / suggested), filter_)
    return Path(name) if name else None


def choose_open_path(parent: QWidget, title: str, filter_: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, "", filter_)
    return Path(name) if name else None


def _tell(parent: QWidget, text: str, *, problem: bool = False) -> None:
    box = QMessageBox(parent)
    box.setObjectName("exportResult")
    box.setIcon(QMessageBox.Icon.Warning if problem else QMessageBox.Icon.Information)
    box.setWindowTitle(parent.tr("LetterDesk"))
    box.setText(text)
    box.open()


def _failure(parent: QWidget, what: str) -> Callable[[Exception], None]:
    def show(error: Exception) -> None:
        reason = getattr(error, "user_message", None)
        if reason is None and isinstance(error, OSError):
            reason = f"{error.strerror or error}. Choose another folder or free some space."
        if reason is None:
            raise error  # a bug: the crash dialog
        _tell(
            parent,
            parent.tr("{what} failed. {reason}").format(what=what, reason=reason),
            problem=True,
        )

    return show


def export_csv(parent: QWidget, kind: str) -> None:
    """File → Export → Mentors/Letter requests/Programs (CSV)…"""
    label, export = CSV_KINDS[kind]
    target = choose_save_path(
        parent,
        parent.tr("Export {label} as CSV").format(label=label),
        f"letterdesk-{kind}-{date.today().isoformat()}.csv",
        parent.tr("CSV files (*.csv)"),
    )
    if target is None:
        return
    run_in_background(
        lambda: export(target),
        lambda count: _tell(
            parent,
            parent.tr("Exported {count:,} {label} to {path}.").format(
                count=count, label=label, path=target
            ),
        ),
        _failure(parent, parent.tr("The export")),
    )


def export_calendar(parent: QWidget) -> None:
    """File → Export → Calendar (.ics)…"""
    target = choose_save_path(
        parent,
        parent.tr("Export deadlines and reminders"),
        "letterdesk.ics",
        parent.tr("Calendar files (*.ics)"),
    )
    if target is None:
        return
    run_in_background(
        lambda: calendar_export.export_calendar(target, alarm_days_before=1),
        lambda count: _tell(
            parent,
            parent.tr(
                "Exported {count:,} dates to {path}. Import the file into Google Calendar, "
                "Outlook or Apple Calendar; importing a newer export updates the same events."
            ).format(count=count, path=target),
        ),
        _failure(parent, parent.tr("The calendar export")),
    )


def import_mentors(parent: QWidget, paths: DataPaths) -> bool:
    """File → Import mentors…; True when mentors were added (reload pages)."""
    from desktop.ui.data.import_dialog import ImportDialog

    dialog = ImportDialog(paths, parent)
    dialog.choose()
    accepted = bool(dialog.exec()) and dialog.result_value is not None
    dialog.deleteLater()
    return accepted


def export_archive(parent: QWidget, paths: DataPaths) -> None:
    """File → Move to another computer → Export…"""
    target = choose_save_path(
        parent,
        parent.tr("Export everything to one file"),
        f"letterdesk-{date.today().isoformat()}{archive.ARCHIVE_SUFFIX}",
        parent.tr("LetterDesk archives (*.zip)"),
    )
    if target is None:
        return
    run_in_background(
        lambda: archive.export_archive(current_database(), paths, target),
        lambda summary: _tell(
            parent,
            parent.tr(
                "Saved {mentors:,} mentors, {requests:,} letter requests and {documents:,} "
                "documents to {path}. On the other computer, use File → Move to another "
                "computer → Import."
            ).format(
                mentors=summary.mentors,
                requests=summary.requests,
                documents=summary.documents,
                path=target,
            ),
        ),
        _failure(parent, parent.tr("The export")),
    )


def import_archive(
    parent: QWidget,
    paths: DataPaths,
    close_data: Callable[[], None] | None = None,
    reopen_data: Callable[[], None] | None = None,
    *,
    replace_with: Callable[[Path], object] | None = None,
) -> None:
    """File → Move to another computer → Import…

    The archive is checked first (on a worker, nothing changed). After the
    user confirms, ``close_data`` must close every connection to the
    database (wait for background work, close the window's database);
    the archive then replaces the data on a worker and ``reopen_data`` is
    called in every case, to open whatever the data folder now holds."""
    source = choose_open_path(
        parent, parent.tr("Import a LetterDesk archive"), parent.tr("LetterDesk archives (*.zip)")
    )
    if source is None:
        return

    def confirm(summary: archive.ArchiveSummary) -> None:
        answer = QMessageBox.warning(
            parent,
            parent.tr("Replace the data on this computer?"),
            parent.tr(
                "{name} holds {mentors:,} mentors, {requests:,} letter requests and "
                "{documents:,} documents (saved {created}).\n\nImporting replaces everything "
                "LetterDesk holds on this computer. The current data is backed up first "
                "(Settings → Data lists it). LetterDesk will reopen on the imported data."
            ).format(
                name=source.name,
                mentors=summary.mentors,
                requests=summary.requests,
                documents=summary.documents,
                created=summary.created.replace("T", " "),
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if replace_with is not None:
            # The main window closes, and start-up swaps the data in with no
            # connection open (the same path as restoring a backup).
            replace_with(source)
            return
        assert close_data is not None and reopen_data is not None
        close_data()

        def done(_summary: archive.ArchiveSummary) -> None:
            reopen_data()
            _tell(parent, parent.tr("The data from {name} is now open.").format(name=source.name))

        def failed(error: Exception) -> None:
            reopen_data()
            _failure(parent, parent.tr("The import"))(error)

        run_in_background(lambda: archive.import_archive(paths, source), done, failed)

    run_in_background(
        lambda: archive.inspect_archive(source), confirm, _failure(parent, parent.tr("The import"))
    )

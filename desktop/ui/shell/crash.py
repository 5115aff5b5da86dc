"""Last-resort handler for bugs: log the traceback and show it in a dialog
the user can copy from, instead of vanishing."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

from desktop import __version__

log = logging.getLogger("desktop.crash")


def install_crash_handler(log_file: str | None) -> None:
    def handle(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        report = "".join(traceback.format_exception(kind, error, tb))
        log.error("Unexpected error:\n%s", report)
        if QApplication.instance() is None:
            sys.__excepthook__(kind, error, tb)
            return
        box = QMessageBox()
        box.setObjectName("crashDialog")
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("LetterDesk: unexpected error")
        box.setText(
            "Something went wrong inside LetterDesk. Your saved data is safe; the last "
            "change may not have been saved."
        )
        where = f"\nThe log is at {log_file}." if log_file else ""
        box.setInformativeText("Please send the report below to the developers." + where)
        box.setDetailedText(f"LetterDesk {__version__}\n{report}")
        box.exec()

    sys.excepthook = handle

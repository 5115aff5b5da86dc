"""The baseline for ``make bench``: a bare PySide6 main window.

Started like LetterDesk (a ``QApplication``, one ``QMainWindow`` of the
app's default size, shown, then the event loop), it prints
``first-paint <time.time()>`` when the window first paints and exits 0:
the same contract as ``LETTERDESK_EXIT_AFTER_FIRST_PAINT=1``, so both are
timed the same way.
"""

from __future__ import annotations

import os
import sys
import time

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

# The app's default main-window size, so both paint the same area.
WINDOW_SIZE = (1100, 700)


class FirstPaintExit(QObject):
    """Reports the first paint event of the watched widget, then ends the
    process."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            # Take the moment before the print so the write is not counted.
            moment = time.time()
            sys.stdout.write(f"first-paint {moment:.6f}\n")
            sys.stdout.flush()
            # The measurement is done; tearing Qt down would only add noise
            # to the run and nothing to the figures.
            os._exit(0)
        return False


def main() -> int:
    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Bare window")
    window.resize(*WINDOW_SIZE)
    watcher = FirstPaintExit(window)
    window.installEventFilter(watcher)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())

"""Render every page of LetterDesk on demo data to PNG files, for the README
and the app-store metadata (AppStream screenshots).

usage: QT_QPA_PLATFORM=offscreen python packaging/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from desktop import APP_NAME
from desktop.paths import DataPaths
from desktop.services.demo import create_demo_folder
from desktop.ui.main_window import MainWindow

SIZE = QSize(1280, 780)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "resources/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication([sys.argv[0]])
    app.setApplicationName(f"{APP_NAME}-screenshots")  # keep the user's window state apart
    paths = DataPaths(Path(tempfile.mkdtemp(prefix="letterdesk-shots-")))
    db = create_demo_folder(paths, date.today())
    window = MainWindow(db, paths)
    window.resize(SIZE)
    window.show()
    shots = []
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        page = window.stack.currentWidget()
        if page is window.mentors_page:
            window.mentors_page.table.selectRow(0)
        app.processEvents()
        name = window.navigation.item(row).text().lower().replace(" ", "-")
        target = out / f"{name}.png"
        window.grab().save(str(target))
        shots.append(target)
    print("\n".join(str(s) for s in shots))
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

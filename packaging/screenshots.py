"""Render every page of LetterDesk on demo data to PNG files, for the README
and the app-store metadata (AppStream screenshots).

usage: QT_QPA_PLATFORM=offscreen python packaging/screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import sys
import time
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
        _settle(app, page)
        table = getattr(page, "table", None)
        if table is not None and table.model().rowCount():
            table.selectRow(0)  # shows the detail panel where the page has one
        _settle(app, page)
        name = window.navigation.item(row).text().lower().replace(" ", "-")
        target = out / f"{name}.png"
        window.grab().save(str(target))
        shots.append(target)
    shots += _dialogs(out, window)
    print("\n".join(str(s) for s in shots))
    db.close()
    return 0


def _settle(app: QApplication, page) -> None:  # noqa: ANN001 - any page
    """Let background loads (Today's advice, long lists) land before the shot."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        app.processEvents()
        busy = getattr(page, "is_refreshing", None) or getattr(page, "is_loading", None)
        if not (busy and busy()):
            break
        time.sleep(0.02)
    for _ in range(5):
        app.processEvents()


def _dialogs(out: Path, window: MainWindow) -> list[Path]:
    """The first-run dialog, and the mentor form refusing a bad address."""
    from desktop.ui.first_run import FirstRunDialog
    from desktop.ui.mentor_dialog import MentorDialog

    first_run = FirstRunDialog()
    first_run.full_name.setText("Jordan Rivera")
    first_run.email.setText("jordan.rivera@lakeshore.edu")
    first_run.school.setText("Lakeshore University School of Medicine")
    first_run.specialty.setCurrentText("Internal Medicine")
    first_run.show()
    mentor = MentorDialog(parent=window)
    mentor.first_name.setText("Amara")
    mentor.email.setText("amara.okafor@")
    mentor.validator.validate_all()
    mentor.show()
    QApplication.processEvents()
    shots = []
    for name, dialog in (("first-run", first_run), ("mentor-form", mentor)):
        target = out / f"{name}.png"
        dialog.grab().save(str(target))
        shots.append(target)
        dialog.close()
    return shots


if __name__ == "__main__":
    sys.exit(main())

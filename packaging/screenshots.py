"""Screenshots of every page and every dialog on the demo data, at the two
smallest screens LetterDesk supports, for the README and the AppStream data.

usage: python packaging/screenshots.py [OUT_DIR]        (what `make screenshots` runs)

Writes OUT_DIR/<width>x<height>/<name>.png (default OUT_DIR:
resources/screenshots) for 1280×720 and 1366×768. Each size runs in a
process of its own on Qt's offscreen platform with a virtual screen of that
size, so the window opens exactly as it would there: sized to the screen
less a title bar, dialogs shrunk to fit. The names are stable: the page
keys ("today", "requests"…) and the dialog names of tests/ui/screens.py,
which lists every dialog class (the tests fail when one is missing).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIZES = ((1280, 720), (1366, 768))


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources" / "screenshots"
    if os.environ.get("LETTERDESK_SHOTS_SIZE"):
        return _shoot(out)
    sys.path.insert(0, str(ROOT))
    from tests.screen import offscreen_platform

    for width, height in SIZES:
        with tempfile.TemporaryDirectory(prefix="letterdesk-shots-") as scratch:
            env = dict(os.environ)
            env["QT_QPA_PLATFORM"] = offscreen_platform(Path(scratch), width, height)
            env["LETTERDESK_SHOTS_SIZE"] = f"{width}x{height}"
            # The window's saved size and the pages' state stay out of the
            # user's own settings.
            for name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
                env[name] = str(Path(scratch) / name.lower())
            done = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), str(out)], cwd=ROOT, env=env
            )
            if done.returncode:
                return done.returncode
    return 0


def _shoot(out: Path) -> int:
    sys.path.insert(0, str(ROOT))
    from PySide6.QtWidgets import QApplication

    app = QApplication([sys.argv[0]])
    app.setApplicationName("LetterDesk-screenshots")
    from desktop.ui.common import registered_pages
    from desktop.ui.shell.main_window import MainWindow
    from tests.ui.screens import DIALOGS, demo_folder, settle

    folder = out / os.environ["LETTERDESK_SHOTS_SIZE"]
    folder.mkdir(parents=True, exist_ok=True)
    # A fixed folder, so the status bar's "data in …" reads the same in
    # every run (and the PNGs change only when the app does).
    data = Path(tempfile.gettempdir()) / "letterdesk-screenshots" / "LetterDesk"
    shutil.rmtree(data, ignore_errors=True)
    paths, db = demo_folder(data)
    window = MainWindow(paths)
    window.show()
    settle()
    shots: list[Path] = []
    for spec in registered_pages():
        key = spec.key
        window.show_page(key)
        page = window.page(key)
        settle(busy=getattr(page, "is_refreshing", None))
        table = getattr(page, "table", None)
        if table is not None and table.model().rowCount():
            table.selectRow(0)  # the detail panel shows where the page has one
            settle()
        shots.append(_save(window, folder / f"{key}.png"))
        if key == "requests":
            page.show_board(True)
            settle()
            shots.append(_save(window, folder / "requests-board.png"))
            page.show_board(False)
    for entry in DIALOGS:
        dialog = entry.open(window, paths)
        _stage(entry.name, dialog)
        dialog.show()
        settle(busy=_busy(dialog))
        shots.append(_save(dialog, folder / f"{entry.name}.png"))
        if entry.name == "compose":
            dialog.tabs.setCurrentWidget(dialog.preview)
            settle()
            shots.append(_save(dialog, folder / "compose-preview.png"))
        dialog.close()
        dialog.deleteLater()
        settle()
    for shot in shots:
        print(shot.relative_to(ROOT) if shot.is_relative_to(ROOT) else shot)
    window.close()
    db.close()
    return 0


def _busy(dialog):
    attachments = getattr(dialog, "attachments", None)
    return attachments.is_busy if attachments is not None else None


def _stage(name: str, dialog) -> None:
    """A few dialogs shown as a person meets them: the first run filled in,
    the mentor form refusing an unfinished address."""
    if name == "first-run":
        dialog.full_name.setText("Jordan Rivera")
        dialog.email.setText("jordan.rivera@lakeshore.edu")
        dialog.school.setText("Lakeshore University School of Medicine")
        dialog.specialty.setCurrentText("Internal Medicine")
    elif name == "mentor-form":
        dialog.first_name.setText("Amara")
        dialog.email.setText("amara.okafor@")
        dialog.validator.validate_all()


def _save(widget, target: Path) -> Path:
    widget.grab().save(str(target))
    return target


if __name__ == "__main__":
    sys.exit(main())

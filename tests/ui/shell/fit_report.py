"""Run by test_fit.py in a process of its own (the scale factor is fixed
when Qt starts): builds the demo data, checks every page and dialog, and
prints one line of JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication


def main() -> int:
    app = QApplication([sys.argv[0]])
    app.setApplicationName("LetterDesk-fit-report")
    from desktop.ui.shell import MainWindow
    from tests.ui.screens import demo_folder, settle
    from tests.ui.shell.test_fit import _dialog_problems, _page_problems

    paths, db = demo_folder(Path(sys.argv[1]))
    window = MainWindow(paths)
    window.show()
    settle()
    problems = _page_problems(window) | _dialog_problems(window, paths)
    screen = app.primaryScreen()
    size = screen.availableGeometry().size()
    print(
        json.dumps(
            {
                "screen": [size.width(), size.height()],
                "scale": screen.devicePixelRatio(),
                "problems": problems,
            }
        )
    )
    window.close()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())

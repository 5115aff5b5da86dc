"""The window's status bar counts in proper English (issue 11: "1 things to
do" and the like), with a real window over a real file."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from desktop.ui.shell import MainWindow


def test_one_active_mentor_is_singular(qtbot, db, data_paths, make_mentor):
    make_mentor("Okafor")
    window = MainWindow(data_paths)
    qtbot.addWidget(window)
    window.show()
    summary = window.statusBar().findChild(QLabel, "statusSummary")
    qtbot.waitUntil(lambda: bool(summary.text()))
    assert summary.text().startswith("1 active mentor · data in ")

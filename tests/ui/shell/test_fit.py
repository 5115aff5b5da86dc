"""Every page and every dialog fits the smallest screen LetterDesk supports:
1280×720 logical pixels, which is also 1920×1080 at 150 %. The suite's
offscreen screen is 1280×720 (tests/conftest.py); the 150 % case runs in a
process of its own, since the scale factor is fixed when Qt starts."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QApplication, QPushButton

from desktop.ui.shell import MainWindow
from tests.screen import offscreen_platform
from tests.ui.screens import (
    DIALOGS,
    fit_problems,
    problems_in_every_dialog,
    settle,
    unlisted_dialog_classes,
)

ROOT = Path(__file__).resolve().parents[3]


def test_the_suite_runs_on_a_1280_by_720_screen(qapp):
    assert QApplication.primaryScreen().availableGeometry() == QRect(0, 0, 1280, 720)


def test_every_dialog_class_is_in_the_screen_list():
    assert unlisted_dialog_classes() == set(), "add them to tests/ui/screens.py DIALOGS"


def _page_problems(window) -> dict[str, list[str]]:
    problems = {}
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        settle()
        problems[window.navigation.item(row).text()] = fit_problems(window)
    board = window.page("requests").findChild(QPushButton, "boardViewButton")
    window.show_page("requests")
    board.click()
    settle()
    problems["Requests (board)"] = fit_problems(window)
    return {page: found for page, found in problems.items() if found}


def _dialog_problems(window, paths) -> dict[str, list[str]]:
    return problems_in_every_dialog(window, paths, fit_problems)


def test_the_main_window_opens_inside_the_screen(demo_window):
    frame = demo_window.geometry()
    room = QApplication.primaryScreen().availableGeometry()
    assert room.contains(frame)
    # It uses the room it has: a 1280×720 screen is not left half empty.
    assert frame.width() >= 1200 and frame.height() >= 640


def test_every_page_fits_1280_by_720(demo_window):
    assert _page_problems(demo_window) == {}


def test_every_dialog_fits_1280_by_720(demo_window, demo):
    assert _dialog_problems(demo_window, demo) == {}


def test_compose_keeps_send_close_and_save_draft_on_screen(demo_window, demo):
    compose = next(entry for entry in DIALOGS if entry.name == "compose").open(demo_window, demo)
    compose.show()
    settle()
    room = QApplication.primaryScreen().availableGeometry()
    for name in ("composeSend", "composeClose", "composeSaveDraft"):
        button = compose.findChild(QPushButton, name)
        assert button.isVisible(), name
        corner = button.mapToGlobal(button.rect().bottomRight())
        assert room.contains(corner), f"{name} is off the screen at {corner}"
    compose.close()


def test_a_saved_size_is_used_only_when_it_fits_the_screen(qtbot, demo):
    settings = QSettings()
    probe = MainWindow(demo)
    qtbot.addWidget(probe)
    probe.setGeometry(100, 80, 1000, 600)  # fits 1280×720
    settings.setValue("mainWindow/geometry", probe.saveGeometry())
    fitting = MainWindow(demo)
    qtbot.addWidget(fitting)
    assert fitting.geometry() == QRect(100, 80, 1000, 600)

    probe.setGeometry(0, 0, 1600, 1000)  # saved on a bigger monitor
    settings.setValue("mainWindow/geometry", probe.saveGeometry())
    too_big = MainWindow(demo)
    qtbot.addWidget(too_big)
    assert QApplication.primaryScreen().availableGeometry().contains(too_big.geometry())
    settings.remove("mainWindow")


@pytest.mark.slow
def test_every_page_and_dialog_fits_1920_by_1080_at_150_percent(tmp_path):
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = offscreen_platform(tmp_path, 1920, 1080)
    env["QT_SCALE_FACTOR"] = "1.5"
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.shell.fit_report", str(tmp_path / "demo")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["screen"] == [1280, 720]  # logical pixels
    assert report["scale"] == 1.5
    assert report["problems"] == {}


def test_a_dialog_taller_than_the_screen_scrolls_and_keeps_its_buttons(qtbot, demo_window):
    from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout

    dialog = QDialog(demo_window)
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    for number in range(30):
        hint = QLabel(f"Hint {number}: " + "a sentence that wraps onto more lines " * 4)
        hint.setWordWrap(True)
        layout.addWidget(hint)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    layout.addWidget(buttons)
    dialog.resize(500, 400)
    dialog.show()
    settle()

    assert fit_problems(dialog) == []
    scroll = dialog.findChild(QScrollArea)
    assert scroll is not None and not scroll.isAncestorOf(buttons)
    room = QApplication.primaryScreen().availableGeometry()
    save = buttons.button(QDialogButtonBox.StandardButton.Save)
    assert room.contains(save.mapToGlobal(save.rect().bottomRight()))

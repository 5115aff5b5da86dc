"""The first-run email field judges the address when the typing pauses or
the field is left, not at every key, and its message is shown whole."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from desktop.ui.common import install_ui_habits
from desktop.ui.common.forms import TYPING_PAUSE_MS
from desktop.ui.shell import FirstRunDialog


def _dialog(qtbot) -> FirstRunDialog:
    install_ui_habits()
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)
    return dialog


def test_no_error_while_the_address_is_still_being_typed(qtbot):
    dialog = _dialog(qtbot)
    error = dialog.findChild(QLabel, "profileEmailError")
    dialog.email.setFocus()
    for part in ("jordan.rivera", "@", "lakeshore", ".edu"):
        qtbot.keyClicks(dialog.email, part)
        qtbot.wait(TYPING_PAUSE_MS // 3)  # a typist's pace, shorter than a pause
        assert not error.isVisible(), f"error shown after {dialog.email.text()!r}"
    qtbot.wait(TYPING_PAUSE_MS + 200)
    assert not error.isVisible()  # the finished address is fine


def test_the_error_shows_after_a_pause_and_wraps_whole(qtbot):
    dialog = _dialog(qtbot)
    error = dialog.findChild(QLabel, "profileEmailError")
    dialog.email.setFocus()
    qtbot.keyClicks(dialog.email, "jordan.rivera@")
    assert not error.isVisible()
    qtbot.waitUntil(error.isVisible, timeout=TYPING_PAUSE_MS * 3)
    assert "after the @" in error.text()
    # The long sentence takes two lines at this width, and gets them.
    assert error.heightForWidth(error.width()) > error.fontMetrics().height()
    assert error.height() >= error.heightForWidth(error.width())
    bottom = error.mapTo(dialog, error.rect().bottomLeft()).y()
    assert bottom <= dialog.height()

    qtbot.keyClicks(dialog.email, "lakeshore.edu")
    assert not error.isVisible()  # a fix shows at once


def test_leaving_the_field_shows_the_error_at_once(qtbot):
    dialog = _dialog(qtbot)
    error = dialog.findChild(QLabel, "profileEmailError")
    dialog.email.setFocus()
    qtbot.keyClicks(dialog.email, "jordan@")
    qtbot.keyClick(dialog.email, Qt.Key.Key_Tab)
    assert not dialog.email.hasFocus()
    assert error.isVisible()

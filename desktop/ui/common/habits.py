"""What every window of the app does, put in place once for the whole
application (app-wide event filters), so no page or dialog can forget it:
it fits its screen (``screen_fit``), its form fields are named after their
labels (``forms.label_form_fields``), and tables, Enter and Ctrl+Enter
behave the same everywhere (``keyboard``)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from desktop.ui.common.forms import install_form_labels
from desktop.ui.common.keyboard import install_keyboard_habits
from desktop.ui.common.screen_fit import install_screen_fit


def install_ui_habits(app: QApplication | None = None) -> None:
    """Safe to call more than once: each filter is installed once."""
    install_screen_fit(app)
    install_form_labels(app)
    install_keyboard_habits(app)

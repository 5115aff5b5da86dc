"""What every window of the app does, put in place once for the whole
application, so no page or dialog can forget it: it fits its screen
(``screen_fit``), its form fields are named after their labels
(``forms.label_form_fields``), and tables, Enter and Ctrl+Enter behave the
same everywhere (``keyboard``).

One application-wide event filter does it all: Qt calls it for every event
of every object, so it is a single Python call that looks at the event's
type first (three filters measurably slowed the first paint).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from desktop.ui.common.forms import label_form_fields
from desktop.ui.common.keyboard import handle_enter
from desktop.ui.common.screen_fit import fit_to_screen, is_fitted

_SHOW = QEvent.Type.Show
_POLISH = QEvent.Type.Polish
_KEY_PRESS = QEvent.Type.KeyPress


class _Habits(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == _KEY_PRESS:
            return isinstance(event, QKeyEvent) and handle_enter(watched, event)
        if kind == _SHOW:
            if isinstance(watched, QWidget) and watched.isWindow():
                label_form_fields(watched)
                if is_fitted(watched):
                    fit_to_screen(watched)
        elif kind == _POLISH and isinstance(watched, QAbstractItemView):
            # Tab leaves a table instead of walking its cells.
            watched.setTabKeyNavigation(False)
        return False


def install_ui_habits(app: QApplication | None = None) -> None:
    """Once per application; safe to call again."""
    app = app or QApplication.instance()
    if app is None or app.property("uiHabitsInstalled"):
        return
    app.installEventFilter(_Habits(app))
    app.setProperty("uiHabitsInstalled", True)

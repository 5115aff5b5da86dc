"""Keyboard habits that hold in every window (``common/habits.py`` applies
them to the whole application, so no page or dialog can forget them):

- Tab leaves a table or list instead of walking its cells (a list of 70
  mentors took about 70 presses to leave); the arrow keys move inside it.
- Enter on a table's selected row opens it, as a double click does: the
  view's ``doubleClicked`` is emitted for the current row. A view nobody
  opens rows of lets Enter through to its dialog's default button.
- Ctrl+Enter in a dialog saves it: the Save/OK button of its button box,
  or else its primary button (compose's Send). Never Enter alone, which a
  multi-line field needs.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QPushButton,
    QWidget,
)

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_DOUBLE_CLICKED = "2doubleClicked(QModelIndex)"


def _item_view(watched: QObject) -> QAbstractItemView | None:
    if isinstance(watched, QAbstractItemView):
        return watched
    # Key events go to the viewport's parent, but be safe with both.
    parent = watched.parent() if isinstance(watched, QWidget) else None
    if isinstance(parent, QAbstractItemView) and parent.viewport() is watched:
        return parent
    return None


def open_current_row(view: QAbstractItemView) -> bool:
    """Emit the view's double click for its current row; False when there is
    no row or nothing opens rows of this view."""
    index = view.currentIndex()
    if not index.isValid() or view.receivers(_DOUBLE_CLICKED) == 0:
        return False
    if view.state() == QAbstractItemView.State.EditingState:
        return False
    view.doubleClicked.emit(index)
    return True


def save_button(dialog: QDialog) -> QAbstractButton | None:
    """The button Ctrl+Enter presses in ``dialog``."""
    for box in dialog.findChildren(QDialogButtonBox):
        if not box.isVisibleTo(dialog):
            continue
        for button in box.buttons():
            role = box.buttonRole(button)
            if (
                role
                in (
                    QDialogButtonBox.ButtonRole.AcceptRole,
                    QDialogButtonBox.ButtonRole.YesRole,
                )
                and button.isEnabled()
            ):
                return button
    for button in dialog.findChildren(QPushButton):
        if button.property("role") == "primary" and button.isVisibleTo(dialog):
            return button if button.isEnabled() else None
    return None


def handle_enter(watched: QObject, event: QKeyEvent) -> bool:
    """Enter on a table row or Ctrl+Enter in a dialog; True when handled."""
    if event.key() not in _ENTER:
        return False
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if modifiers == Qt.KeyboardModifier.ControlModifier and isinstance(watched, QWidget):
        dialog = watched.window()
        if isinstance(dialog, QDialog):
            button = save_button(dialog)
            if button is not None:
                button.click()
                return True
        return False
    if modifiers == Qt.KeyboardModifier.NoModifier:
        view = _item_view(watched)
        if view is not None:
            return open_current_row(view)
    return False

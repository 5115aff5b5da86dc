"""Form building blocks: a field with its error message next to it, and a
validator that checks fields as they are typed.

Errors appear once a field has been edited (or on Save), so a new, empty
form does not greet the user with red text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QDate, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.common.style import mark_invalid, set_role

Check = Callable[[], str | None]


def error_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    set_role(label, "field-error")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def with_error(field: QWidget, label: QLabel) -> QWidget:
    """The field with its error message directly below it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(label)
    return box


def line_edit(name: str, text: str = "", placeholder: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setClearButtonEnabled(True)
    return edit


def date_edit(name: str, value=None) -> QDateEdit:
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(value) if value else QDate.currentDate())
    return edit


def combo(name: str, items: list[tuple[str, str]], current: str | None = None) -> QComboBox:
    """A combo of (label, stored value) pairs."""
    box = QComboBox()
    box.setObjectName(name)
    for label, value in items:
        box.addItem(label, value)
    if current is not None:
        index = box.findData(current)
        if index >= 0:
            box.setCurrentIndex(index)
    return box


@dataclass
class _Rule:
    widget: QWidget
    label: QLabel
    check: Check
    touched: bool = False


class FormValidator(QObject):
    """Runs each field's check when it changes and shows the message."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rules: list[_Rule] = []

    def add(self, widget: QWidget, label: QLabel, check: Check, *also: QWidget) -> None:
        """Check ``widget`` (and re-check when any of ``also`` changes, for
        rules that span fields such as a date range)."""
        rule = _Rule(widget, label, check)
        self._rules.append(rule)
        for source in (widget, *also):
            _on_change(source, lambda *_signal_args, r=rule: self._touch(r))

    def _touch(self, rule: _Rule) -> None:
        rule.touched = True
        self._show(rule)

    def _show(self, rule: _Rule) -> str | None:
        message = rule.check()
        visible = bool(message) and rule.touched
        rule.label.setText(message or "")
        rule.label.setVisible(visible)
        mark_invalid(rule.widget, visible)
        return message

    def validate_all(self) -> bool:
        """Show every error; focus the first bad field. True when all pass."""
        first_bad: QWidget | None = None
        for rule in self._rules:
            rule.touched = True
            if self._show(rule) and first_bad is None:
                first_bad = rule.widget
        if first_bad is not None:
            first_bad.setFocus(Qt.FocusReason.OtherFocusReason)
        return first_bad is None


def _on_change(widget: QWidget, slot: Callable[[], None]) -> None:
    if isinstance(widget, QLineEdit | QPlainTextEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QDateEdit):
        widget.dateChanged.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentIndexChanged.connect(slot)
        if widget.isEditable():
            widget.editTextChanged.connect(slot)
    elif isinstance(widget, QSpinBox):
        widget.valueChanged.connect(slot)
    elif isinstance(widget, QCheckBox | QAbstractButton):
        widget.toggled.connect(slot)
    else:  # pragma: no cover - a programming error, found at once
        raise TypeError(f"no change signal known for {type(widget).__name__}")


def save_cancel_buttons(dialog: QDialog) -> QDialogButtonBox:
    """Save and Cancel wired to the dialog's accept() and reject(); a form
    dialog's accept() validates before closing."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.setObjectName("buttons")
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons

"""Form building blocks: a field with its error message next to it, and a
validator that checks fields as they are typed.

Errors appear once a field has been edited (or on Save), so a new, empty
form does not greet the user with red text. In a text field a new error
waits until the person pauses or leaves the field: "jordan@" is not wrong
while "jordan@school.edu" is still being typed. A shown error goes as soon
as the text is right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QDate, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayoutItem,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTextEdit,
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


# How long typing may pause before a new error is shown.
TYPING_PAUSE_MS = 1200


@dataclass
class _Rule:
    widget: QWidget
    label: QLabel
    check: Check
    pause: QTimer
    touched: bool = False


class FormValidator(QObject):
    """Runs each field's check when it changes and shows the message."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rules: list[_Rule] = []

    def add(self, widget: QWidget, label: QLabel, check: Check, *also: QWidget) -> None:
        """Check ``widget`` (and re-check when any of ``also`` changes, for
        rules that span fields such as a date range)."""
        pause = QTimer(self)
        pause.setSingleShot(True)
        pause.setInterval(TYPING_PAUSE_MS)
        rule = _Rule(widget, label, check, pause)
        pause.timeout.connect(lambda r=rule: self._touch(r))
        self._rules.append(rule)
        for source in (widget, *also):
            typed = _text_edit_of(source)
            if typed is not None:
                typed.textChanged.connect(lambda *_args, r=rule, t=typed: self._typed(r, t))
                typed.editingFinished.connect(lambda r=rule: self._left(r))
                if isinstance(source, QComboBox):
                    source.currentIndexChanged.connect(lambda *_args, r=rule: self._touch(r))
            else:
                _on_change(source, lambda *_signal_args, r=rule: self._touch(r))

    def _typed(self, rule: _Rule, line: QLineEdit) -> None:
        """A key in a text field: a fix shows at once, a new error after a
        pause in typing (or when the field is left). Text the program sets
        (``isModified()`` false) is judged at once."""
        if not line.isModified() or rule.label.isVisible() or not rule.check():
            self._touch(rule)
        else:
            rule.pause.start()

    def _left(self, rule: _Rule) -> None:
        if rule.pause.isActive() or rule.touched:
            self._touch(rule)

    def _touch(self, rule: _Rule) -> None:
        rule.pause.stop()
        rule.touched = True
        self._show(rule)

    def _show(self, rule: _Rule) -> str | None:
        message = rule.check()
        visible = bool(message) and rule.touched
        changed = visible != rule.label.isVisible() or (visible and message != rule.label.text())
        rule.label.setText(message or "")
        rule.label.setVisible(visible)
        mark_invalid(rule.widget, visible)
        if changed and visible:
            _make_room(rule.label)
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


def _make_room(label: QLabel) -> None:
    """Grow the window so a message that wraps onto a second line is not
    cut in half: a window's layout sizes a wrapped label by its one-line
    height unless the window is asked for the height its width needs."""
    window = label.window()
    layout = window.layout()
    if layout is None or not window.isVisible():
        return
    layout.activate()
    needed = max(
        layout.totalHeightForWidth(window.width()) if layout.hasHeightForWidth() else 0,
        layout.totalMinimumSize().height(),
    )
    if needed > window.height():
        window.resize(window.width(), needed)


def _text_edit_of(widget: QWidget) -> QLineEdit | None:
    """The line the person types into: the field, or an editable combo's."""
    if isinstance(widget, QLineEdit):
        return widget
    if isinstance(widget, QComboBox) and widget.isEditable():
        return widget.lineEdit()
    return None


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


# --- naming fields from their form labels ----------------------------------------------

_FIELDS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractItemView)


def _fields_in(item: QLayoutItem) -> list[QWidget]:
    """The fields a form row holds: the widget itself, or the fields inside
    a container such as ``with_error``'s or a row of its own."""
    widget = item.widget()
    if widget is not None:
        if isinstance(widget, _FIELDS):
            return [widget]
        found = widget.findChildren(QWidget)
    else:
        layout = item.layout()
        if layout is None:
            return []
        found = [
            child
            for index in range(layout.count())
            for child in _layout_widgets(layout.itemAt(index))
        ]
    return [w for w in found if isinstance(w, _FIELDS) and not _is_part_of_another_field(w)]


def _layout_widgets(item: QLayoutItem) -> list[QWidget]:
    widget = item.widget()
    if widget is not None:
        return [widget, *widget.findChildren(QWidget)]
    layout = item.layout()
    if layout is None:
        return []
    return [w for i in range(layout.count()) for w in _layout_widgets(layout.itemAt(i))]


def _is_part_of_another_field(widget: QWidget) -> bool:
    """A spin box's or combo's own line edit, a list's header…"""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, _FIELDS):
            return True
        parent = parent.parentWidget()
    return False


def _label_text(label: QLabel) -> str:
    return label.text().replace("&", "").replace("*", "").strip()


def label_form_fields(root: QWidget) -> None:
    """Give every field in ``root``'s form layouts the name of its row's
    label, and make the label its buddy (a click or Alt+letter on the
    label reaches the field). Rows whose field sits in a container (the
    error message below it, a date with a checkbox) would otherwise leave
    the field nameless: Qt links a label only to its direct sibling.
    A field that has a name already keeps it; where a row holds several
    fields, each is named after the label and its own neighbour's text."""
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            label = label_item.widget() if label_item is not None else None
            if not isinstance(label, QLabel) or field_item is None or not _label_text(label):
                continue
            fields = _fields_in(field_item)
            if not fields:
                continue
            label.setBuddy(fields[0])
            for field in fields:
                if field.accessibleName():
                    continue
                name = _label_text(label)
                if len(fields) > 1:
                    name = f"{name}: {_neighbour_text(field) or fields.index(field) + 1}"
                field.setAccessibleName(name)


def _neighbour_text(field: QWidget) -> str:
    """The text of the checkbox or label just before ``field`` in its
    layout ("Due" before the due date)."""
    parent = field.parentWidget()
    layout = parent.layout() if parent is not None else None
    previous = ""
    stack = [layout] if layout is not None else []
    while stack:
        current = stack.pop(0)
        for index in range(current.count()):
            item = current.itemAt(index)
            widget = item.widget()
            if widget is field:
                return previous
            if isinstance(widget, QLabel | QAbstractButton) and widget.text():
                previous = widget.text().replace("&", "").strip()
            if item.layout() is not None:
                stack.insert(0, item.layout())
    return ""

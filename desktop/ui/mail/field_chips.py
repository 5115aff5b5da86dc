"""The field chips above the template editor: one small button per common
field, named in plain words ("Mentor's greeting"); a click inserts the
field where the cursor is. They wrap onto as many rows as the width needs."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QToolButton, QWidget

from desktop.services.mail.template_fields import FIELDS
from desktop.services.mail.template_syntax import CHIPS, field_label


class FlowLayout(QLayout):
    """Lays its items left to right and starts a new row when one is full."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 4) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, *, move: bool) -> int:
        x, y, row_height = rect.x(), rect.y(), 0
        gap = self.spacing()
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and row_height:
                x, y = rect.x(), y + row_height + gap
                row_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + gap
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y()


class FieldChips(QWidget):
    """Emits ``chosen(insertion)`` with the template text of the field clicked."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldChips")
        fields = {field.path: field for field in FIELDS}
        layout = FlowLayout(self)
        self.buttons: dict[str, QToolButton] = {}
        for path in CHIPS:
            field = fields[path]
            button = QToolButton()
            button.setObjectName(f"chip:{path}")
            button.setText(self.tr(field_label(path)))
            button.setAccessibleName(self.tr("Insert {field}").format(field=field_label(path)))
            button.setToolTip(f"{self.tr(field.description)}\n{field.insertion.strip()}")
            button.setAutoRaise(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # clicking keeps the editor's cursor
            button.clicked.connect(lambda _c=False, text=field.insertion: self.chosen.emit(text))
            layout.addWidget(button)
            self.buttons[path] = button
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

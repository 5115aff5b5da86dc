"""A row of buttons and filters that wraps onto a second line when the
window is too narrow, instead of forcing the window wider than the screen.

``FlowLayout`` takes the calls a page makes on a ``QHBoxLayout`` bar
(``addWidget``, ``addStretch``, ``addSpacing``, ``addLayout``), so a bar
changes by its constructor only. A stretch pushes what follows to the right
end of its line; on a line of its own it is empty. The layout's minimum
width is its widest item, and its height follows its width, so the layout
around it makes room for the second line.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import (
    QLayout,
    QLayoutItem,
    QSizePolicy,
    QSpacerItem,
    QStyle,
    QWidget,
    QWidgetItem,
)


class _Stretch(QSpacerItem):
    """Marks a place where a line's spare width goes."""

    def __init__(self) -> None:
        super().__init__(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self.setContentsMargins(QMargins(0, 0, 0, 0))

    # --- the QHBoxLayout calls a bar makes ------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self.invalidate()

    def addWidget(
        self, widget: QWidget, stretch: int = 0, alignment: Qt.AlignmentFlag | None = None
    ) -> None:
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))

    def addStretch(self, stretch: int = 1) -> None:
        self.addItem(_Stretch())

    def addSpacing(self, size: int) -> None:
        self.addItem(QSpacerItem(size, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))

    def addLayout(self, layout: QLayout, stretch: int = 0) -> None:
        self.addChildLayout(layout)
        self.addItem(layout)

    # --- QLayout ---------------------------------------------------------------------

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if 0 <= index < len(self._items):
            item = self._items.pop(index)
            self.invalidate()
            return item
        return None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        width = 0
        height = 0
        visible = self._visible()
        for item in visible:
            hint = item.sizeHint()
            width += hint.width()
            height = max(height, hint.height())
        width += self._spacing() * max(0, len(visible) - 1)
        margins = self.contentsMargins()
        return QSize(
            width + margins.left() + margins.right(), height + margins.top() + margins.bottom()
        )

    def minimumSize(self) -> QSize:
        """The widest single item: the rest can wrap."""
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # --- placing the items -----------------------------------------------------------

    def _spacing(self) -> int:
        spacing = self.spacing()
        if spacing >= 0:
            return spacing
        parent = self.parentWidget()
        style = parent.style() if parent is not None else None
        if style is None:
            return 6
        return style.pixelMetric(QStyle.PixelMetric.PM_LayoutHorizontalSpacing) or 6

    def _visible(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty() or isinstance(item, _Stretch)]

    def _lines(self, width: int) -> list[list[QLayoutItem]]:
        """Items in lines that fit ``width``. A line that wraps what came
        after a stretch starts with a stretch of its own, so it keeps to the
        right as on one line (the primary button stays at the right end)."""
        spacing = self._spacing()
        lines: list[list[QLayoutItem]] = [[]]
        used = 0
        stretched = False
        for item in self._visible():
            is_stretch = isinstance(item, _Stretch)
            item_width = 0 if is_stretch else item.sizeHint().width()
            needed = item_width if not lines[-1] else used + spacing + item_width
            if lines[-1] and needed > width and not is_stretch:
                lines.append([_Stretch(), item] if stretched else [item])
                used = item_width
            else:
                lines[-1].append(item)
                used = needed
            stretched = stretched or is_stretch
        return lines

    def _arrange(self, rect: QRect, *, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        spacing = self._spacing()
        y = area.y()
        for line in self._lines(area.width()):
            content = [item for item in line if not isinstance(item, _Stretch)]
            if not content:
                continue
            height = max(item.sizeHint().height() for item in content)
            widths = [min(item.sizeHint().width(), area.width()) for item in content]
            spare = area.width() - sum(widths) - spacing * (len(content) - 1)
            stretches = sum(1 for item in line if isinstance(item, _Stretch))
            x = area.x()
            placed = 0
            for item in line:
                if isinstance(item, _Stretch):
                    x += max(0, spare) // stretches
                    continue
                width = widths[placed]
                placed += 1
                if apply:
                    item_height = item.sizeHint().height()
                    top = y + (height - item_height) // 2
                    item.setGeometry(QRect(QPoint(x, top), QSize(width, item_height)))
                x += width + spacing
            y += height + spacing
        return max(0, y - spacing - area.y()) + margins.top() + margins.bottom()

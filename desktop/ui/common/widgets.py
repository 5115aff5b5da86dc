"""Building blocks every page uses: the list table, the empty-state
message and the list-beside-detail layout."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLayout,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.common.style import set_role


def table_view(
    name: str,
    model: QAbstractItemModel,
    accessible_name: str,
    *,
    sort_column: int | None = None,
    sort_order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
) -> QTableView:
    """A read-only table of rows: whole-row single selection, one line per
    row, sortable by clicking a header when ``sort_column`` is given."""
    view = QTableView()
    view.setObjectName(name)
    view.setAccessibleName(accessible_name)
    view.setModel(model)
    if sort_column is not None:
        view.setSortingEnabled(True)
        view.sortByColumn(sort_column, sort_order)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move in it
    view.verticalHeader().hide()
    return view


def widen_to_fit(view: QTableView, column: int, sample: str) -> None:
    """Make ``column`` at least as wide as ``sample`` in the view's font
    (a starting width in pixels truncates with a larger font, and
    "★★★…" reads the same for 3 and 5 stars)."""
    header = view.horizontalHeader()
    metrics = view.fontMetrics()
    # The cell's own margins on both sides, and the header's sort arrow.
    needed = metrics.horizontalAdvance(sample) + 3 * metrics.averageCharWidth() + 8
    if header.sectionSize(column) < needed:
        header.resizeSection(column, needed)


def empty_state(name: str, text: str) -> QLabel:
    """The centred message a page shows instead of an empty table."""
    label = QLabel(text)
    label.setObjectName(name)
    set_role(label, "empty-state")
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


def list_beside_detail(
    name: str, bar: QLayout, table: QTableView, empty: QLabel, detail: QWidget
) -> QSplitter:
    """Filters and table (or the empty state) on the left, the selected
    item's detail panel on the right."""
    left = QWidget()
    layout = QVBoxLayout(left)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addLayout(bar)
    layout.addWidget(table, 1)
    layout.addWidget(empty, 1)
    splitter = QSplitter()
    splitter.setObjectName(name)
    splitter.addWidget(left)
    splitter.addWidget(detail)
    splitter.setChildrenCollapsible(False)
    return splitter


def value_label(name: str) -> QLabel:
    """A wrapped, selectable value in a detail panel."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def compact_table(name: str, model: QAbstractItemModel) -> QTableView:
    """A short list inside a detail panel (no sorting; the last column
    takes the spare width)."""
    view = table_view(name, model, "")
    view.setAccessibleName(name)
    view.horizontalHeader().setStretchLastSection(True)
    view.setMinimumHeight(120)
    return view


class DetailPanel(QWidget):
    """The right-hand panel of a list page: a placeholder until something is
    selected, then the content that ``build_content()`` returns."""

    def __init__(self, object_name: str, placeholder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._stack = QStackedWidget()
        self.placeholder = QLabel(placeholder)
        self.placeholder.setObjectName(f"{object_name}Placeholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setWordWrap(True)
        set_role(self.placeholder, "empty-state")
        self._stack.addWidget(self.placeholder)
        self._stack.addWidget(self.build_content())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)

    def build_content(self) -> QWidget:
        raise NotImplementedError

    def show_placeholder(self, text: str) -> None:
        self.placeholder.setText(text)
        self._stack.setCurrentIndex(0)

    def show_content(self) -> None:
        self._stack.setCurrentIndex(1)

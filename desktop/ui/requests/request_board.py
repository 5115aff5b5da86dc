"""The board: one column per status, one card per request, drag a card to
another column to move it. Each card says what the letter needs next and by
when; the Declined and Withdrawn columns fold away to their header.

The board is a second view of the Requests page's ``RowTableModel``: it
shows that model's visible rows (same filter, same order), split by status
into light list models, so a filter or sort applies to both views.
A drop only *asks* for the move; the page runs it through the status
machine, which may refuse with a reason.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.next_step import NextStep, describe_step_date, next_step
from desktop.domain.thresholds import AdviceThresholds
from desktop.domain.vocabulary import RequestStatus
from desktop.store.requests import RequestRow
from desktop.ui.common import ROW_ID_ROLE, label_of, readable, set_role, short_date
from desktop.ui.requests.request_columns import DUE_SOON_ACCENT, OVERDUE_ACCENT, Urgency, urgency_of

MIME_TYPE = "application/x-letterdesk-request-ids"
ROW_ROLE = Qt.ItemDataRole.UserRole + 2
AnyIndex = QModelIndex | QPersistentModelIndex
# Letters that will not come: out of the way unless asked for.
FOLDING = (RequestStatus.DECLINED, RequestStatus.WITHDRAWN)


def request_ids_mime(request_ids: list[int]) -> QMimeData:
    mime = QMimeData()
    mime.setData(MIME_TYPE, QByteArray(",".join(map(str, request_ids)).encode()))
    return mime


class StatusColumnModel(QAbstractListModel):
    """The cards of one status column."""

    drop_requested = Signal(int, str)  # request id, this column's status

    def __init__(self, status: RequestStatus, parent=None) -> None:
        super().__init__(parent)
        self.status = status
        self._rows: list[RequestRow] = []
        self.today = date.today()
        self.thresholds = AdviceThresholds()

    def set_rows(self, rows: list[RequestRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[RequestRow]:
        return self._rows

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.mentor_name
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [row.mentor_name, f"{label_of(row.letter_type)} · {row.specialty}"]
            lines.append(row.cycle_name)
            if row.due_on:
                lines.append(f"due {short_date(row.due_on)}")
            if row.letter_id:
                lines.append(f"letter ID {row.letter_id}")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return card_text(row, self.today, self.thresholds)
        if role == ROW_ID_ROLE:
            return row.id
        if role == ROW_ROLE:
            return row
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes) -> QMimeData:
        return request_ids_mime([self._rows[i.row()].id for i in indexes if i.isValid()])

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return data.hasFormat(MIME_TYPE)

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        if not data.hasFormat(MIME_TYPE):
            return False
        text = bytes(data.data(MIME_TYPE).data()).decode()
        for part in text.split(","):
            if part.strip().isdigit():
                self.drop_requested.emit(int(part), self.status.value)
        # The card is not moved here: the page reloads once the move is made.
        return False

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return False  # a drag never removes a card; a reload does


class CardDelegate(QStyledItemDelegate):
    """A card: mentor in bold, letter type and specialty, the next step,
    then its date in words; a coloured stripe when it is overdue or due soon."""

    def __init__(self, board: RequestBoard) -> None:
        super().__init__(board)
        self._board = board

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        height = option.fontMetrics.height()
        return QSize(140, height * 4 + 22)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        row: RequestRow | None = index.data(ROW_ROLE)
        if row is None:
            return
        palette = option.palette
        rect = option.rect.adjusted(4, 3, -4, -3)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(palette.color(QPalette.ColorRole.Mid), 1))
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        if selected:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
        painter.drawRoundedRect(rect, 5, 5)
        urgency = urgency_of(row, self._board.today, self._board.thresholds)
        if urgency is not Urgency.NONE:
            accent = OVERDUE_ACCENT if urgency is Urgency.OVERDUE else DUE_SOON_ACCENT
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(accent)
            painter.drawRoundedRect(QRect(rect.left(), rect.top(), 5, rect.height()), 2, 2)
        text_rect = rect.adjusted(12, 6, -8, -6)
        line = option.fontMetrics.height()
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        first = QRect(text_rect.left(), text_rect.top(), text_rect.width(), line)
        painter.drawText(
            first, Qt.AlignmentFlag.AlignLeft, _elided(painter, row.mentor_name, first)
        )
        painter.setFont(option.font)
        second = first.translated(0, line)
        kind = f"{label_of(row.letter_type)} · {row.specialty}"
        painter.drawText(second, Qt.AlignmentFlag.AlignLeft, _elided(painter, kind, second))
        step = card_step(row, self._board.thresholds)
        third = second.translated(0, line)
        if step.what:
            painter.drawText(
                third, Qt.AlignmentFlag.AlignLeft, _elided(painter, _tr(step.what), third)
            )
        # A letter with nothing left to do shows its date right below.
        fourth = third.translated(0, line) if step.what else third
        colour = palette.color(QPalette.ColorRole.PlaceholderText)
        if urgency is Urgency.OVERDUE:
            colour = readable(OVERDUE_ACCENT, palette.color(QPalette.ColorRole.Base))
        elif urgency is Urgency.DUE_SOON:
            colour = readable(DUE_SOON_ACCENT, palette.color(QPalette.ColorRole.Base))
        painter.setPen(colour)
        painter.drawText(
            fourth,
            Qt.AlignmentFlag.AlignLeft,
            _elided(painter, step_date_text(step, self._board.today), fourth),
        )
        painter.restore()


def _elided(painter: QPainter, text: str, rect: QRect) -> str:
    return painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, rect.width())


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("RequestBoard", text)


def card_step(row: RequestRow, thresholds: AdviceThresholds) -> NextStep:
    return next_step(
        row.status,
        planned_ask_on=row.planned_ask_on,
        due_on=row.due_on,
        submitted_on=row.submitted_on,
        thanked_on=row.thanked_on,
        thresholds=thresholds,
    )


def step_date_text(step: NextStep, today: date) -> str:
    return _tr(describe_step_date(step, today))


def card_text(row: RequestRow, today: date, thresholds: AdviceThresholds) -> str:
    """What a card says, as one line of plain text (accessibility, tests)."""
    step = card_step(row, thresholds)
    parts = [row.mentor_name, f"{label_of(row.letter_type)} · {row.specialty}"]
    if step.what:
        parts.append(_tr(step.what))
    when = step_date_text(step, today)
    if when:
        parts.append(when)
    return ", ".join(parts)


class RequestBoard(QWidget):
    move_requested = Signal(int, str)  # request id, target status
    open_requested = Signal(int)
    current_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("requestBoard")
        self.today = date.today()
        self.thresholds = AdviceThresholds()
        self.models: dict[RequestStatus, StatusColumnModel] = {}
        self.views: dict[RequestStatus, QListView] = {}
        self._headers: dict[RequestStatus, QLabel | QToolButton] = {}
        self._column_index: dict[RequestStatus, int] = {}
        delegate = CardDelegate(self)
        strip = QWidget()
        columns = self._columns = QHBoxLayout(strip)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.setSpacing(6)
        for status in RequestStatus:
            model = StatusColumnModel(status, self)
            # Queued: the move may open dialogs, which must not run inside
            # the drag-and-drop event loop.
            model.drop_requested.connect(self.move_requested, Qt.ConnectionType.QueuedConnection)
            view = QListView()
            view.setObjectName(f"boardColumn_{status.value}")
            view.setAccessibleName(self.tr("{status} requests").format(status=label_of(status)))
            view.setModel(model)
            view.setItemDelegate(delegate)
            view.setUniformItemSizes(True)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
            view.setDefaultDropAction(Qt.DropAction.MoveAction)
            view.setDragEnabled(True)
            view.setAcceptDrops(True)
            view.setDropIndicatorShown(True)
            view.setMinimumWidth(150)
            view.doubleClicked.connect(
                lambda index: self.open_requested.emit(index.data(ROW_ID_ROLE))
            )
            view.selectionModel().currentChanged.connect(
                lambda current, _previous, s=status: self._current_in(s, current)
            )
            header: QLabel | QToolButton
            if status in FOLDING:
                header = QToolButton()
                header.setCheckable(True)
                header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
                header.setAutoRaise(True)
                font = header.font()
                font.setBold(True)  # reads like the other columns' headers
                header.setFont(font)
                header.toggled.connect(lambda shown, s=status: self._show_column(s, shown))
            else:
                header = QLabel()
                set_role(header, "section")
            header.setObjectName(f"boardHeader_{status.value}")
            column = QVBoxLayout()
            column.setSpacing(4)
            # Top-aligned: a folded column is its header alone, at the top.
            column.addWidget(header, 0, Qt.AlignmentFlag.AlignTop)
            column.addWidget(view, 1)
            self._column_index[status] = columns.count()
            columns.addLayout(column, 1)
            self.models[status], self.views[status], self._headers[status] = model, view, header
        scroll = QScrollArea()
        scroll.setObjectName("boardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(strip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        for status in FOLDING:
            self._show_column(status, False)
        self._update_headers()

    def set_context(self, today: date, thresholds: AdviceThresholds) -> None:
        self.today, self.thresholds = today, thresholds
        for model in self.models.values():
            model.today, model.thresholds = today, thresholds

    # --- folding columns -------------------------------------------------------

    def _show_column(self, status: RequestStatus, shown: bool) -> None:
        view = self.views[status]
        view.setVisible(shown)
        if not shown:
            view.clearSelection()
        self._columns.setStretch(self._column_index[status], 1 if shown else 0)
        header = self._headers[status]
        assert isinstance(header, QToolButton)
        header.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        tip = self.tr("Hide the {status} column") if shown else self.tr("Show the {status} column")
        header.setToolTip(tip.format(status=label_of(status).lower()))
        self.current_changed.emit()

    def is_column_shown(self, status: RequestStatus) -> bool:
        return not self.views[RequestStatus(status)].isHidden()

    def show_column(self, status: RequestStatus, shown: bool = True) -> None:
        header = self._headers[RequestStatus(status)]
        if isinstance(header, QToolButton):
            header.setChecked(shown)

    def show_rows(self, rows: list[RequestRow]) -> None:
        """Split ``rows`` (already filtered and sorted) into the columns."""
        keep = self.selected_id()
        split: dict[RequestStatus, list[RequestRow]] = {s: [] for s in RequestStatus}
        for row in rows:
            split[row.status].append(row)
        for status, model in self.models.items():
            model.set_rows(split[status])
        self._update_headers()
        if keep is not None:
            self.select_id(keep)

    def _update_headers(self) -> None:
        for status, header in self._headers.items():
            header.setText(
                self.tr("{status} ({count})").format(
                    status=label_of(status), count=self.models[status].rowCount()
                )
            )

    def _current_in(self, status: RequestStatus, current: QModelIndex) -> None:
        if current.isValid():
            for other, view in self.views.items():
                if other is not status:
                    view.clearSelection()
                    view.setCurrentIndex(QModelIndex())
        self.current_changed.emit()

    def selected_id(self) -> int | None:
        for view in self.views.values():
            if view.isHidden():
                continue
            index = view.currentIndex()
            if index.isValid() and view.selectionModel().isSelected(index):
                return index.data(ROW_ID_ROLE)
        return None

    def select_id(self, request_id: int) -> bool:
        for status, view in self.views.items():
            model = view.model()
            for number, row in enumerate(model.rows()):  # type: ignore[attr-defined]
                if row.id == request_id:
                    self.show_column(status)  # a folded column opens for the card asked for
                    index = model.index(number, 0)
                    view.setCurrentIndex(index)
                    view.scrollTo(index)
                    return True
        return False

    def card_index(self, request_id: int) -> tuple[QListView, QModelIndex] | None:
        """The view and index showing ``request_id`` (for tests and drags)."""
        for view in self.views.values():
            for number, row in enumerate(view.model().rows()):  # type: ignore[attr-defined]
                if row.id == request_id:
                    return view, view.model().index(number, 0)
        return None

    def column_ids(self, status: RequestStatus) -> list[int]:
        return [row.id for row in self.models[RequestStatus(status)].rows()]

    def sizeHint(self) -> QSize:
        return QSize(len(RequestStatus) * 160, 400)

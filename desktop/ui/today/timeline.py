"""The cycle at a glance: each letter request as a bar against the calendar,
program deadlines as markers, and a line for today.

Painted with QPainter on a ``QAbstractScrollArea``: the date axis and the
name column stay put while the rows scroll, and only the rows in view are
drawn, so a season with thousands of letters scrolls as smoothly as one
with ten. The whole date range always fits the width (no horizontal
scrolling), which is what "see at a glance what lands when" asks for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygon,
    QResizeEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from desktop.domain.timing import format_day
from desktop.domain.vocabulary import RequestStatus
from desktop.services.timeline import TimelineData, TimelineRow
from desktop.ui.common import label_of

S = RequestStatus
STATUS_COLOURS: dict[RequestStatus, str] = {
    S.PLANNED: "#9fb3c8",
    S.ASKED: "#e0a030",
    S.ACCEPTED: "#6a9fd8",
    S.MATERIALS_SENT: "#2f6f9f",
    S.SUBMITTED: "#3b9a5c",
    S.DECLINED: "#c0504d",
    S.WITHDRAWN: "#c4c4c4",
}
TODAY_COLOUR = "#d0342c"
DEADLINE_COLOUR = "#7b4fa0"
MAX_DEADLINE_GUIDES = 40
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class TimelineView(QAbstractScrollArea):
    """The painted timeline. Double-click a bar to open its request."""

    request_activated = Signal(int)

    ROW_HEIGHT = 22
    HEADER_HEIGHT = 40
    LABEL_WIDTH = 170  # room for a writer's name and what tells their letters apart
    MARGIN = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayTimeline")
        self.setAccessibleName(self.tr("Timeline of letter requests"))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.viewport().setMouseTracking(True)
        self.setMinimumSize(QSize(320, 160))
        self._data = TimelineData(date.today())
        self._rows: Sequence[TimelineRow] = ()
        self._first = self._last = date.today()

    # --- data -----------------------------------------------------------------

    def set_data(self, data: TimelineData, rows: Sequence[TimelineRow] | None = None) -> None:
        """Show ``data``; ``rows`` narrows the rows shown (a search)."""
        self._data = data
        self._rows = data.rows if rows is None else rows
        # The range of all the data, also while a search narrows the rows,
        # so the bars stay put as the user types.
        self._first = data.first or data.today - timedelta(days=7)
        self._last = data.last or data.today + timedelta(days=7)
        self._update_scrollbar()
        self.viewport().update()

    def row_count(self) -> int:
        return len(self._rows)

    def rows(self) -> Sequence[TimelineRow]:
        return self._rows

    # --- geometry -------------------------------------------------------------

    def _update_scrollbar(self) -> None:
        visible = max(0, self.viewport().height() - self.HEADER_HEIGHT)
        total = len(self._rows) * self.ROW_HEIGHT
        bar = self.verticalScrollBar()
        bar.setRange(0, max(0, total - visible))
        bar.setPageStep(visible)
        bar.setSingleStep(self.ROW_HEIGHT)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_scrollbar()

    def _plot_left(self) -> int:
        return self.LABEL_WIDTH + self.MARGIN

    def _plot_width(self) -> int:
        return max(1, self.viewport().width() - self._plot_left() - self.MARGIN)

    def x_of(self, day: date) -> float:
        span = max(1, (self._last - self._first).days)
        return self._plot_left() + (day - self._first).days / span * self._plot_width()

    def row_at(self, y: int) -> int | None:
        if y < self.HEADER_HEIGHT:
            return None
        number = (y - self.HEADER_HEIGHT + self.verticalScrollBar().value()) // self.ROW_HEIGHT
        return number if 0 <= number < len(self._rows) else None

    # --- painting -------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self.viewport())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        width, height = self.viewport().width(), self.viewport().height()
        painter.fillRect(0, 0, width, height, palette.color(QPalette.ColorRole.Base))
        if not self._rows and not self._data.deadlines:
            self._paint_empty(painter, width, height)
            return
        self._paint_rows(painter, width, height)
        self._paint_header(painter, width)
        x = round(self.x_of(self._data.today))
        painter.setPen(QPen(QColor(TODAY_COLOUR), 2))
        painter.drawLine(x, self.HEADER_HEIGHT - 6, x, height)
        painter.end()

    def _paint_empty(self, painter: QPainter, width: int, height: int) -> None:
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRect(24, 0, width - 48, height),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            self.tr(
                "No letter requests yet. Plan one and it appears here as a bar "
                "from the ask to the due date, next to your programs' deadlines."
            ),
        )
        painter.end()

    def _paint_header(self, painter: QPainter, width: int) -> None:
        palette = self.palette()
        header = self.HEADER_HEIGHT
        painter.fillRect(0, 0, width, header, palette.color(QPalette.ColorRole.Window))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(0, header - 1, width, header - 1)
        text = palette.color(QPalette.ColorRole.WindowText)
        metrics = QFontMetrics(painter.font())
        # Month boundaries, each labelled when its name fits before the
        # next boundary; the year goes with the first label and January.
        month = date(self._first.year, self._first.month, 1)
        need_year = True
        while month <= self._last:
            following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            x = self.x_of(month)
            if x >= self._plot_left():
                painter.setPen(palette.color(QPalette.ColorRole.Mid))
                painter.drawLine(round(x), 2, round(x), 16)
            lx = max(x + 3, self._plot_left())
            room = min(self.x_of(following), width) - 3 - lx
            name = _MONTHS[month.month - 1]
            with_year = f"{name} {month.year}"
            for label in (with_year, name) if need_year or month.month == 1 else (name,):
                if metrics.horizontalAdvance(label) <= room:
                    painter.setPen(text)
                    painter.drawText(QRectF(lx, 1, room, 16), Qt.AlignmentFlag.AlignLeft, label)
                    need_year = need_year and label != with_year
                    break
            month = following
        # Program deadlines: a marker per day.
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(DEADLINE_COLOUR))
        for day in self._data.deadlines:
            x = round(self.x_of(day))
            painter.drawPolygon(
                QPolygon([QPoint(x - 5, 22), QPoint(x + 5, 22), QPoint(x, header - 8)])
            )
        painter.setPen(text)
        years = str(self._first.year)
        if self._last.year != self._first.year:
            years += f"–{self._last.year}"
        painter.drawText(
            QRect(self.MARGIN, 1, self.LABEL_WIDTH, 16), Qt.AlignmentFlag.AlignLeft, years
        )
        painter.drawText(
            QRect(self.MARGIN, 20, self.LABEL_WIDTH, header - 22),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.tr("Writer"),
        )

    def _paint_rows(self, painter: QPainter, width: int, height: int) -> None:
        palette = self.palette()
        rh, header = self.ROW_HEIGHT, self.HEADER_HEIGHT
        offset = self.verticalScrollBar().value()
        first = offset // rh
        last = min(len(self._rows), first + (height - header) // rh + 2)
        painter.setClipRect(0, header, width, height - header)
        alternate = palette.color(QPalette.ColorRole.AlternateBase)
        for number in range(first | 1, last, 2):
            painter.fillRect(0, header + number * rh - offset, width, rh, alternate)
        # Deadline guides behind the bars; with very many deadlines the
        # markers in the header say it better than a wall of lines.
        if len(self._data.deadlines) <= MAX_DEADLINE_GUIDES:
            painter.setPen(QPen(QColor(DEADLINE_COLOUR), 1, Qt.PenStyle.DotLine))
            for day in self._data.deadlines:
                x = round(self.x_of(day))
                painter.drawLine(x, header, x, height)
        text = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        metrics = QFontMetrics(painter.font())
        today = self._data.today
        for number in range(first, last):
            row = self._rows[number]
            top = header + number * rh - offset
            gone = row.status in (S.DECLINED, S.WITHDRAWN)
            painter.setPen(muted if gone else text)
            name = _fitted_label(metrics, row.label, self.LABEL_WIDTH)
            painter.drawText(
                QRect(self.MARGIN, top, self.LABEL_WIDTH, rh),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                name,
            )
            if row.start is None and row.end is None:
                continue
            start = row.start or row.end
            end = row.end or row.start
            assert start is not None and end is not None
            x0, x1 = self.x_of(start), self.x_of(end)
            bar = QRectF(x0, top + 5, max(4.0, x1 - x0), rh - 10)
            colour = QColor(STATUS_COLOURS[row.status])
            if row.planned:
                painter.setPen(QPen(colour, 1.5, Qt.PenStyle.DashLine))
                painter.setBrush(colour.lighter(135))
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
            painter.drawRoundedRect(bar, 3, 3)
            open_letter = row.status not in (S.SUBMITTED, S.DECLINED, S.WITHDRAWN)
            if open_letter and row.due is not None and row.due < today:
                # Overdue: a red tail from the due date to today.
                tail = QRectF(self.x_of(row.due), top + 8, self.x_of(today) - self.x_of(row.due), 6)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(TODAY_COLOUR))
                painter.drawRect(tail)
            if row.due is not None:
                x = round(self.x_of(row.due))
                painter.setPen(QPen(text, 2))
                painter.drawLine(x, top + 3, x, top + rh - 3)
        painter.setClipping(False)

    # --- interaction ----------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def tooltip_at(self, pos: QPoint) -> str:
        if pos.y() < self.HEADER_HEIGHT:
            near = [d for d in self._data.deadlines if abs(self.x_of(d) - pos.x()) <= 6]
            if not near:
                return ""
            lines = []
            for day in sorted(near):
                names = self._data.deadlines[day]
                shown = ", ".join(names[:6])
                if len(names) > 6:
                    shown += self.tr(" and {n} more").format(n=len(names) - 6)
                lines.append(
                    self.tr("Deadline {day}: {names}").format(day=format_day(day), names=shown)
                )
            return "\n".join(lines)
        number = self.row_at(pos.y())
        if number is None:
            return ""
        return self.describe(self._rows[number])

    def describe(self, row: TimelineRow) -> str:
        lines = [
            self.tr("{name} · {letter}").format(name=row.label, letter=label_of(row.letter_type)),
            self.tr("Status: {status}").format(status=label_of(row.status)),
        ]
        if row.start is not None:
            what = self.tr("Ask planned by {day}") if row.planned else self.tr("Asked {day}")
            lines.append(what.format(day=format_day(row.start)))
        if row.due is not None:
            lines.append(self.tr("Due {day}").format(day=format_day(row.due)))
        if row.submitted is not None:
            lines.append(self.tr("Submitted {day}").format(day=format_day(row.submitted)))
        lines.append(self.tr("Double-click to open the request."))
        return "\n".join(lines)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        number = self.row_at(event.position().toPoint().y())
        if number is not None:
            self.request_activated.emit(self._rows[number].request_id)
        super().mouseDoubleClickEvent(event)


class TimelineLegend(QWidget):
    """The status colours, the deadline marker and the today line, in a row."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timelineLegend")
        self._items = [(label_of(s), QColor(c), "bar") for s, c in STATUS_COLOURS.items()]
        self._items += [
            (self.tr("Deadline"), QColor(DEADLINE_COLOUR), "deadline"),
            (self.tr("Today"), QColor(TODAY_COLOUR), "today"),
        ]
        self.setToolTip(self.tr("Dashed bars: the ask is still a plan. Black tick: due date."))

    def _layout(self, width: int) -> list[tuple[int, int, str, QColor, str]]:
        metrics = self.fontMetrics()
        x, y, placed = 0, 0, []
        line = metrics.height() + 4
        for label, colour, shape in self._items:
            item_width = 16 + metrics.horizontalAdvance(label) + 12
            if x and x + item_width > width:
                x, y = 0, y + line
            placed.append((x, y, label, colour, shape))
            x += item_width
        return placed

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        placed = self._layout(width)
        return (placed[-1][1] if placed else 0) + self.fontMetrics().height() + 4

    def sizeHint(self) -> QSize:
        return QSize(400, self.heightForWidth(400))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        h = self.fontMetrics().height()
        for x, y, label, colour, shape in self._layout(self.width()):
            mid = y + h // 2 + 2
            if shape == "bar":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawRoundedRect(QRectF(x, mid - 5, 12, 10), 2, 2)
            elif shape == "deadline":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                painter.drawPolygon(
                    QPolygon(
                        [QPoint(x + 1, mid - 5), QPoint(x + 11, mid - 5), QPoint(x + 6, mid + 5)]
                    )
                )
            else:
                painter.setPen(QPen(colour, 2))
                painter.drawLine(x + 6, mid - 6, x + 6, mid + 6)
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            painter.drawText(QRect(x + 16, y, 400, h + 4), Qt.AlignmentFlag.AlignVCenter, label)
        painter.end()


def _fitted_label(metrics: QFontMetrics, label: str, width: int) -> str:
    """The row's label in ``width``: when it is too long the writer's name
    gives way first, so what tells their letters apart (after " · ") stays."""
    if metrics.horizontalAdvance(label) <= width:
        return label
    name, sep, rest = label.partition(" · ")
    if not sep:
        return metrics.elidedText(label, Qt.TextElideMode.ElideRight, width)
    tail = sep + rest
    room = width - metrics.horizontalAdvance(tail)
    # The name keeps at least a short name's room ("Dr. Wang").
    least = min(metrics.horizontalAdvance(name), metrics.horizontalAdvance("Dr. Wang…"))
    if room < least:  # the distinguishing part is long too: keep its start
        short_name = metrics.elidedText(name, Qt.TextElideMode.ElideRight, least)
        left = width - metrics.horizontalAdvance(short_name + sep)
        return short_name + sep + metrics.elidedText(rest, Qt.TextElideMode.ElideRight, left)
    return metrics.elidedText(name, Qt.TextElideMode.ElideRight, room) + tail

"""The Today list: one card per action, grouped by urgency, each with the
buttons that act on it.

Cards are real widgets (buttons with names a screen reader and a test can
find), so the list shows a page of them at a time and grows with "Show
more"; a day's work is read from the top, and even a huge data set builds
only a page of widgets.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.actions import Action, ActionKind, ActionState, Urgency
from desktop.domain.timing import format_day
from desktop.ui.common import ACCENT, ERROR, FlowLayout, set_role, set_text_colour

PAGE_SIZE = 25
SNOOZE_CHOICES = ((1, "1 day"), (3, "3 days"), (7, "1 week"))
URGENCY_COLOURS = {
    Urgency.URGENT: ERROR,
    Urgency.HIGH: "#d9822b",
    Urgency.NORMAL: ACCENT,
    Urgency.LOW: "#8696a3",
}

K = ActionKind
# Operation → button text; the object name of the button is the operation.
OPERATION_LABELS = {
    "startRequest": "Start a request",
    "writeEmail": "Write email…",
    "askedInPerson": "Asked in person",
    "markMaterialsSent": "Mark materials sent",
    "logReminder": "Log reminder",
    "markSubmitted": "Mark submitted",
    "logThankYou": "Log thank-you",
    "findBackup": "Find a backup",
    "openRequest": "Open request",
    "openMentor": "Open mentor",
    "openProgram": "Open program",
}


def operations_for(action: Action) -> list[str]:
    """The one-click ways to act on ``action``, the main one first."""
    kind = action.kind
    if kind in (K.ASK_NOW, K.MEMORIES_FADE):
        return ["startRequest", "openMentor"]
    if kind in (K.ASK_BY, K.LEAD_TIME):
        return ["writeEmail", "askedInPerson", "openRequest"]
    if kind is K.SEND_MATERIALS:
        return ["writeEmail", "markMaterialsSent", "openRequest"]
    if kind is K.NUDGE:
        return ["writeEmail", "logReminder", "markSubmitted", "openRequest"]
    if kind is K.OVERDUE:
        still_planned = bool(action.facts[4]) if len(action.facts) > 4 else False
        ops = ["askedInPerson" if still_planned else "markSubmitted"]
        if action.offers_backup:
            ops.append("findBackup")
        return [*ops, "openRequest"]
    if kind is K.FIND_BACKUP:
        return ["findBackup"]
    if kind is K.DUE:
        # No email: on the due day the reminder was sent already, and a
        # writer who wants no reminders gets none from a button either.
        return ["markSubmitted", "openRequest"]
    if kind is K.THANK:
        return ["writeEmail", "logThankYou", "openRequest"]
    if kind is K.COVERAGE:
        return ["openProgram"]
    if kind is K.SHARE_OUTCOME:
        return ["writeEmail", "openMentor"]
    return ["openMentor"]  # keep in touch


def translate(text: str) -> str:
    return QCoreApplication.translate("ActionList", text)


def relative_day(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return translate("today")
    if days == 1:
        return translate("tomorrow")
    if days == -1:
        return translate("yesterday")
    if days > 0:
        return translate("in {n} days").format(n=days)
    return translate("{n} days ago").format(n=-days)


class ActionCard(QFrame):
    """One action: urgency stripe, title, detail, date and buttons."""

    operation = Signal(str, object)  # operation name, the Action
    snooze = Signal(object, int)  # the Action, days
    dismiss = Signal(object)
    restore = Signal(object)

    def __init__(
        self,
        action: Action,
        today: date,
        hidden_state: ActionState | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("actionCard")
        self.action = action
        self.setProperty("actionKey", action.key)
        self.setProperty("actionKind", action.kind.value)
        self._colour = QColor(URGENCY_COLOURS[action.urgency])
        title, detail = action.text
        self.setAccessibleName(title)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

        kind = QLabel(translate(action.kind.label).upper())
        kind.setObjectName("actionKind")
        font = kind.font()
        font.setPointSizeF(font.pointSizeF() - 1.5)
        font.setBold(True)
        kind.setFont(font)
        set_text_colour(kind, self._colour, QPalette.ColorRole.Base)  # on the card
        self.title_label = QLabel(title)
        self.title_label.setObjectName("actionTitle")
        self.title_label.setWordWrap(True)
        set_role(self.title_label, "section")
        self.detail_label = QLabel(detail)
        self.detail_label.setObjectName("actionDetail")
        self.detail_label.setWordWrap(True)
        self.detail_label.setVisible(bool(detail))
        day = QLabel(f"{format_day(action.sort_date)}\n{relative_day(action.sort_date, today)}")
        day.setObjectName("actionDate")
        day.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        day.setToolTip(translate("The date this advice is about"))
        if action.urgency is Urgency.URGENT:
            set_role(day, "field-error")
        else:
            set_role(day, "hint")

        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(kind)
        text.addWidget(self.title_label)
        text.addWidget(self.detail_label)
        top = QHBoxLayout()
        top.addLayout(text, 1)
        top.addWidget(day, 0, Qt.AlignmentFlag.AlignTop)

        buttons = FlowLayout()
        buttons.setSpacing(6)
        self.buttons: dict[str, QPushButton | QToolButton] = {}
        if hidden_state is None:
            for number, op in enumerate(operations_for(action)):
                button = self._button(op, translate(OPERATION_LABELS[op]), title)
                if number == 0:
                    set_role(button, "primary")
                button.clicked.connect(lambda _=False, op=op: self.operation.emit(op, self.action))
                buttons.addWidget(button)
            buttons.addStretch(1)
            snooze = QToolButton()
            snooze.setObjectName("snooze")
            snooze.setText(translate("Snooze"))
            snooze.setAccessibleName(translate("Snooze: {title}").format(title=title))
            snooze.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            snooze.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            menu = QMenu(snooze)
            menu.setObjectName("snoozeMenu")
            for days, label in SNOOZE_CHOICES:
                choice = menu.addAction(translate(label))
                choice.setObjectName(f"snooze{days}")
                choice.setData(days)
                choice.triggered.connect(lambda _=False, d=days: self.snooze.emit(self.action, d))
            snooze.setMenu(menu)
            self.buttons["snooze"] = snooze
            buttons.addWidget(snooze)
            dismiss = self._button("dismiss", translate("Dismiss"), title)
            dismiss.setToolTip(translate("Hide this for good (Show hidden brings it back)"))
            dismiss.clicked.connect(lambda: self.dismiss.emit(self.action))
            buttons.addWidget(dismiss)
        else:
            until, dismissed = hidden_state
            state = QLabel(
                translate("Dismissed")
                if dismissed or until is None
                else translate("Snoozed until {day}").format(day=format_day(until))
            )
            state.setObjectName("hiddenState")
            set_role(state, "hint")
            buttons.addWidget(state)
            buttons.addStretch(1)
            restore = self._button("restore", translate("Restore"), title)
            restore.clicked.connect(lambda: self.restore.emit(self.action))
            buttons.addWidget(restore)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addLayout(buttons)

    def _button(self, name: str, text: str, title: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        # A screen reader tabbing through the cards hears which card each
        # "Dismiss" belongs to.
        button.setAccessibleName(f"{text.replace('&', '')}: {title}")
        button.setAccessibleDescription(title)
        button.setAutoDefault(False)
        self.buttons[name] = button
        return button

    def button(self, name: str) -> QPushButton | QToolButton:
        return self.buttons[name]

    def paintEvent(self, event: QPaintEvent) -> None:
        stripe = self._colour if self.isEnabled() else self.palette().color(QPalette.ColorRole.Mid)
        paint_card(self, stripe, 6)


def paint_card(card: QWidget, stripe: QColor, stripe_width: int) -> None:
    """A Today card's frame: a rounded box in the palette's colours with a
    coloured stripe down its left edge (action cards and reply cards)."""
    painter = QPainter(card)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    palette = card.palette()
    painter.setPen(palette.color(QPalette.ColorRole.Mid))
    painter.setBrush(palette.color(QPalette.ColorRole.Base))
    painter.drawRoundedRect(QRectF(card.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 5, 5)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(stripe)
    painter.drawRoundedRect(
        QRectF(0, 0, stripe_width, card.height()), stripe_width / 2, stripe_width / 2
    )
    painter.end()


class ActionList(QScrollArea):
    """Groups of cards by urgency, then (optionally) the hidden ones."""

    operation = Signal(str, object)
    snooze = Signal(object, int)
    dismiss = Signal(object)
    restore = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("todayActions")
        self.setAccessibleName(translate("Things to do"))
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._actions: Sequence[Action] = ()
        self._hidden: Sequence[tuple[Action, ActionState]] = ()
        self._today = date.today()
        self._shown = PAGE_SIZE
        self.cards: list[ActionCard] = []
        self.setWidget(QWidget())
        # Tab goes through the cards' buttons; the list itself is no stop.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def focus_first_card(self) -> bool:
        for card in self.cards:
            for button in card.buttons.values():
                if button.isVisible() and button.isEnabled():
                    button.setFocus(Qt.FocusReason.TabFocusReason)
                    return True
        return False

    def show_actions(
        self,
        actions: Sequence[Action],
        hidden: Sequence[tuple[Action, ActionState]],
        today: date,
        *,
        keep_page: bool = False,
    ) -> None:
        self._actions, self._hidden, self._today = actions, hidden, today
        self._counts: dict[Urgency, int] = {}
        for action in actions:  # one pass; the headings show the counts
            self._counts[action.urgency] = self._counts.get(action.urgency, 0) + 1
        if not keep_page:
            self._shown = PAGE_SIZE
        self._rebuild()

    def _rebuild(self) -> None:
        position = self.verticalScrollBar().value()
        container = QWidget()
        container.setObjectName("todayActionsContent")
        layout = QVBoxLayout(container)
        layout.setContentsMargins(2, 2, 8, 8)
        layout.setSpacing(8)
        self.cards = []
        shown = self._actions[: self._shown]
        current: Urgency | None = None
        for action in shown:
            if action.urgency is not current:
                current = action.urgency
                count = self._counts.get(current, 0)
                layout.addWidget(self._heading(translate(current.label), count, current))
            layout.addWidget(self._card(action, None))
        more = len(self._actions) - len(shown)
        if more > 0:
            button = QPushButton(translate("Show {n} more…").format(n=min(more, PAGE_SIZE)))
            button.setObjectName("showMoreActions")
            button.setToolTip(translate("{n} more not shown yet").format(n=more))
            button.clicked.connect(self._show_more)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        if self._hidden:
            layout.addWidget(self._heading(translate("Hidden"), len(self._hidden), None))
            for action, state in self._hidden[: PAGE_SIZE * 5]:
                layout.addWidget(self._card(action, state))
        layout.addStretch(1)
        old = self.takeWidget()
        self.setWidget(container)
        if old is not None:
            old.deleteLater()
        self._order_tab_stops(container)
        self.verticalScrollBar().setValue(position)

    def _order_tab_stops(self, container: QWidget) -> None:
        """New cards join the window's tab chain at its end, after the
        timeline; put their buttons right after the list instead, in the
        order they are shown."""
        previous: QWidget = self
        for widget in container.findChildren(QWidget):
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
                QWidget.setTabOrder(previous, widget)
                previous = widget

    def _heading(self, text: str, count: int, urgency: Urgency | None) -> QLabel:
        label = QLabel(f"{text} ({count})")
        label.setObjectName("urgencyHeading" if urgency is not None else "hiddenHeading")
        set_role(label, "subheading")
        if urgency is not None:
            set_text_colour(label, URGENCY_COLOURS[urgency])
        label.setContentsMargins(0, 6, 0, 0)
        return label

    def _card(self, action: Action, state: ActionState | None) -> ActionCard:
        card = ActionCard(action, self._today, state)
        card.operation.connect(self.operation)
        card.snooze.connect(self.snooze)
        card.dismiss.connect(self.dismiss)
        card.restore.connect(self.restore)
        self.cards.append(card)
        return card

    def _show_more(self) -> None:
        self._shown += PAGE_SIZE
        self._rebuild()

    def card_for(self, key: str) -> ActionCard | None:
        return next((c for c in self.cards if c.action.key == key), None)

    def focused_card(self) -> ActionCard | None:
        """The card holding the keyboard focus (one of its buttons)."""
        focus = QApplication.focusWidget()
        return next((card for card in self.cards if card.isAncestorOf(focus)), None)

    def visible_keys(self) -> list[str]:
        """Keys of the cards for actions to do (not the hidden ones), in order."""
        return [c.action.key for c in self.cards if "snooze" in c.buttons]

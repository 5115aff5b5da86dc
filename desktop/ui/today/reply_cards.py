"""Today's reply cards: a writer answered, and one click says what it
meant. Above the advice, newest first; a card goes once acted on.

Each card reads like the request page ("Dr. Lopez replied 2 hours ago:
“Happy to, send me your…”") and offers: Mark accepted, Mark declined…
(the request's decline flow, with its backup writers), Log as interaction,
Open in mail app, and Dismiss.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtGui import QColor, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.replies import replied_text
from desktop.domain.vocabulary import RequestStatus
from desktop.store.replies import ReplyRow
from desktop.ui.common import ACCENT, local_time_text, set_role
from desktop.ui.today.action_list import paint_card

# Operation → button text; the button's object name is the operation.
REPLY_OPERATIONS = {
    "markAccepted": "Mark accepted",
    "markDeclined": "Mark declined…",
    "logInteraction": "Log as interaction",
    "openInMail": "Open in mail app",
    "dismissReply": "Dismiss",
}
# Accepting or declining makes sense while the request waits on an answer.
ANSWERABLE = (RequestStatus.PLANNED.value, RequestStatus.ASKED.value)


def translate(text: str) -> str:
    return QCoreApplication.translate("ReplyCards", text)


def operations_for(reply: ReplyRow) -> list[str]:
    ops = []
    if reply.request_id is not None and reply.request_status in ANSWERABLE:
        ops += ["markAccepted", "markDeclined"]
    if reply.mentor_id is not None:
        ops.append("logInteraction")
    return [*ops, "openInMail", "dismissReply"]


class ReplyCard(QFrame):
    operation = Signal(str, object)  # operation name, the ReplyRow

    def __init__(self, reply: ReplyRow, now: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyCard")
        self.reply = reply
        self.setProperty("replyId", reply.id)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        kind = QLabel(translate("REPLY"))
        kind.setObjectName("replyKind")
        font = kind.font()
        font.setPointSizeF(font.pointSizeF() - 1.5)
        font.setBold(True)
        kind.setFont(font)
        palette = kind.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ACCENT).darker(115))
        kind.setPalette(palette)
        sentence = replied_text(reply.mentor_name, reply.received_at, reply.snippet, now, 80)
        self.title_label = QLabel(sentence)
        self.title_label.setObjectName("replyTitle")
        self.title_label.setWordWrap(True)
        set_role(self.title_label, "section")
        self.setAccessibleName(sentence)
        detail = translate("“{subject}” from {address}, {when}").format(
            subject=reply.subject or translate("(no subject)"),
            address=reply.from_address,
            when=local_time_text(reply.received_at),
        )
        self.detail_label = QLabel(detail)
        self.detail_label.setObjectName("replyDetail")
        self.detail_label.setWordWrap(True)
        set_role(self.detail_label, "hint")

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        for number, op in enumerate(operations_for(reply)):
            button = QPushButton(translate(REPLY_OPERATIONS[op]))
            button.setObjectName(op)
            button.setAccessibleDescription(sentence)
            button.setAutoDefault(False)
            if number == 0:
                set_role(button, "primary")
            button.clicked.connect(lambda _=False, op=op: self.operation.emit(op, self.reply))
            self.buttons[op] = button
            if op == "dismissReply":
                buttons.addStretch(1)
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 10, 8)
        layout.setSpacing(4)
        layout.addWidget(kind)
        layout.addWidget(self.title_label)
        layout.addWidget(self.detail_label)
        layout.addLayout(buttons)

    def button(self, name: str) -> QPushButton:
        return self.buttons[name]

    def paintEvent(self, event: QPaintEvent) -> None:
        paint_card(self, QColor(ACCENT), 5)
        super().paintEvent(event)


class ReplyCards(QWidget):
    """The column of reply cards (hidden when there are none)."""

    operation = Signal(str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyCards")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 6)
        self._layout.setSpacing(6)
        self.cards: list[ReplyCard] = []
        self.hide()

    def show_replies(self, replies: list[ReplyRow], now: datetime) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        for reply in replies:
            card = ReplyCard(reply, now, self)
            card.operation.connect(self.operation)
            self._layout.addWidget(card)
            self.cards.append(card)
        self.setVisible(bool(self.cards))

    def card_for(self, reply_id: int) -> ReplyCard | None:
        return next((c for c in self.cards if c.reply.id == reply_id), None)

"""The tray icon: the number of urgent things on its badge, a menu (open,
what is waiting, start at login, quit), and the desktop notifications,
once a day for what is urgent and whenever a writer replies.

Counting runs Today's rules on a worker (``compute_today``); the tray
recounts after every change the window reports and every half hour, so a
new day's urgent items show even with the window closed.
"""

from __future__ import annotations

import logging
import sys
from datetime import date

from PySide6.QtCore import QObject, QRect, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from desktop.domain.actions import Urgency
from desktop.services import autostart, notifications
from desktop.services.today import compute_today
from desktop.store import replies as reply_store
from desktop.ui.common import ERROR, app_icon, run_in_background

log = logging.getLogger(__name__)

RECOUNT_MS = 30 * 60 * 1000
DAILY_NOTICE_KEY = "tray/lastDailyNotice"


def tray_available() -> bool:
    return QSystemTrayIcon.isSystemTrayAvailable()


def badge_icon(count: int, size: int = 64) -> QIcon:
    """The app icon with the count in a red disc (none at 0)."""
    base = app_icon().pixmap(size, size)
    if count <= 0:
        return QIcon(base)
    pixmap = QPixmap(base)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    disc = QRect(size // 2 - 2, 0, size // 2 + 2, size // 2 + 2)
    painter.setBrush(QColor(ERROR))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(disc)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(disc.height() * 0.62))
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(disc, Qt.AlignmentFlag.AlignCenter, "99+" if count > 99 else str(count))
    painter.end()
    return QIcon(pixmap)


def count_waiting(today: date) -> tuple[int, list[str], int]:
    """(urgent actions, their titles, replies waiting): on a worker."""
    result = compute_today(today)
    urgent = [a.title for a in result.visible if a.urgency is Urgency.URGENT]
    return len(urgent), urgent, len(reply_store.waiting_replies())


class Tray(QObject):
    open_requested = Signal()
    today_requested = Signal()
    quit_requested = Signal()
    counted = Signal(int, int)  # urgent, replies

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("tray")
        self.urgent = 0
        self.replies = 0
        self._counting = False
        self._count_again = False  # a change came while counting
        self.icon = QSystemTrayIcon(badge_icon(0), self)
        self.icon.setObjectName("trayIcon")
        self.icon.setToolTip("LetterDesk")
        self.menu = QMenu(window)
        self.menu.setObjectName("trayMenu")
        self.open_action = self._action("trayOpen", self.tr("Open LetterDesk"))
        self.open_action.triggered.connect(self.open_requested)
        self.menu.addSeparator()
        self.urgent_action = self._action("trayUrgent", self.tr("Nothing urgent"))
        self.urgent_action.triggered.connect(self.today_requested)
        self.replies_action = self._action("trayReplies", self.tr("No new replies"))
        self.replies_action.triggered.connect(self.today_requested)
        self.menu.addSeparator()
        self.autostart_action = self._action("trayAutostart", self.tr("Start at login"))
        self.autostart_action.setCheckable(True)
        self.autostart_action.setChecked(autostart.is_enabled())
        self.autostart_action.toggled.connect(self._autostart_toggled)
        self.menu.addSeparator()
        self.quit_action = self._action("trayQuit", self.tr("Quit LetterDesk"))
        self.quit_action.triggered.connect(self.quit_requested)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.timer = QTimer(self)
        self.timer.setInterval(RECOUNT_MS)
        self.timer.timeout.connect(self.recount)

    def _action(self, name: str, text: str) -> QAction:
        action = self.menu.addAction(text)
        action.setObjectName(name)
        return action

    def start(self) -> None:
        if tray_available():
            self.icon.show()
        self.timer.start()
        self.recount()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (
            QSystemTrayIcon.ActivationReason.Trigger,
            QSystemTrayIcon.ActivationReason.DoubleClick,
        ):
            self.open_requested.emit()

    def _autostart_toggled(self, enabled: bool) -> None:
        try:
            autostart.set_enabled(enabled)
        except autostart.AutostartError as exc:
            self.icon.showMessage("LetterDesk", exc.user_message)
            self.autostart_action.blockSignals(True)
            self.autostart_action.setChecked(autostart.is_enabled())
            self.autostart_action.blockSignals(False)

    # --- counting ---------------------------------------------------------------

    def recount(self) -> None:
        if self._counting:
            self._count_again = True
            return
        self._counting = True
        today = date.today()
        run_in_background(
            lambda: count_waiting(today),
            lambda counts: self._counted(today, *counts),
            self._count_failed,
        )

    def _count_failed(self, error: Exception) -> None:
        self._counting = False
        log.warning("Tray count failed: %s", error)

    def _after_count(self) -> None:
        if self._count_again:
            self._count_again = False
            self.recount()

    def _counted(self, today: date, urgent: int, titles: list[str], replies: int) -> None:
        self._counting = False
        self.urgent, self.replies = urgent, replies
        self.icon.setIcon(badge_icon(urgent + replies))
        self.urgent_action.setText(
            self.tr("Nothing urgent")
            if not urgent
            else (
                self.tr("1 urgent thing to do")
                if urgent == 1
                else self.tr("{n} urgent things to do")
            ).format(n=urgent)
        )
        self.replies_action.setText(
            self.tr("No new replies")
            if not replies
            else (
                self.tr("1 reply to look at") if replies == 1 else self.tr("{n} replies to look at")
            ).format(n=replies)
        )
        self.icon.setToolTip(
            f"LetterDesk — {self.urgent_action.text()}, {self.replies_action.text().lower()}"
        )
        self.counted.emit(urgent, replies)
        self._daily_notice(today, titles)
        self._after_count()

    def _daily_notice(self, today: date, titles: list[str]) -> None:
        """Once a day, when something is urgent."""
        if not titles:
            return
        settings = QSettings()
        if settings.value(DAILY_NOTICE_KEY) == today.isoformat():
            return
        settings.setValue(DAILY_NOTICE_KEY, today.isoformat())
        summary = (
            self.tr("1 urgent thing today")
            if len(titles) == 1
            else self.tr("{n} urgent things today").format(n=len(titles))
        )
        body = "\n".join(f"• {t}" for t in titles[:3])
        if len(titles) > 3:
            body += "\n" + self.tr("… and {n} more").format(n=len(titles) - 3)
        self.notify(summary, body)

    # --- notifications --------------------------------------------------------------

    def notify_replies(self, reply_ids: list[int]) -> None:
        if not reply_store.load_settings().notify:
            return
        rows = [r for r in reply_store.waiting_replies() if r.id in set(reply_ids)]
        for row in rows[:3]:
            self.notify(
                self.tr("{name} replied").format(name=row.mentor_name),
                row.snippet or row.subject,
            )

    def notify(self, summary: str, body: str) -> None:
        """freedesktop notifications on Linux (on a worker), the platform's
        own through the tray icon elsewhere or when no daemon answers."""
        if not sys.platform.startswith("linux"):
            self.icon.showMessage(summary, body)
            return

        def fallback(sent: notifications.Sent) -> None:
            if sent.notification_id is None and tray_available():
                self.icon.showMessage(summary, body)

        run_in_background(
            lambda: notifications.notify(summary, body),
            fallback,
            lambda error: log.warning("Notification failed: %s", error),
        )

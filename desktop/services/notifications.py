"""Desktop notifications on Linux: the freedesktop Notifications service
(``org.freedesktop.Notifications.Notify`` on the session bus), Qt-free.

Spoken over D-Bus with jeepney (already there for the keyring's Secret
Service) rather than QtDBus, whose Python binding cannot give the
``uint32`` and ``as`` arguments ``Notify`` requires (the daemons refuse the
call). No ``notify-send`` binary is needed. Elsewhere the tray shows the
platform's own notifications (QSystemTrayIcon.showMessage).

Each call opens a short connection and is done in milliseconds; the UI
still makes it on a worker.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

APP_NAME = "LetterDesk"
APP_ID = "org.letterdesk.LetterDesk"
BUS_NAME = "org.freedesktop.Notifications"
OBJECT_PATH = "/org/freedesktop/Notifications"


@dataclass(frozen=True)
class Sent:
    notification_id: int | None  # None: no notification service could be reached
    reason: str = ""


def notify(summary: str, body: str, *, replaces_id: int = 0, timeout_ms: int = -1) -> Sent:
    """Show a notification; never raises for a missing bus or daemon."""
    try:
        from jeepney import DBusAddress, new_method_call
        from jeepney.io.blocking import open_dbus_connection
    except ImportError:  # not on Linux
        return Sent(None, "no D-Bus support on this system")
    address = DBusAddress(OBJECT_PATH, bus_name=BUS_NAME, interface=BUS_NAME)
    message = new_method_call(
        address,
        "Notify",
        "susssasa{sv}i",
        (
            APP_NAME,
            replaces_id,
            APP_ID,  # the icon, by its installed name
            summary,
            body,
            [],
            {"desktop-entry": ("s", APP_ID), "urgency": ("y", 1)},
            timeout_ms,
        ),
    )
    try:
        with open_dbus_connection(bus="SESSION") as connection:
            reply = connection.send_and_get_reply(message, timeout=5)
    except (OSError, KeyError, ValueError, TimeoutError) as exc:
        log.info("No desktop notification: %s", exc)
        return Sent(None, str(exc) or type(exc).__name__)
    if reply.header.message_type.name == "error":
        reason = str(reply.body[0]) if reply.body else "refused"
        log.info("Desktop notification refused: %s", reason)
        return Sent(None, reason)
    return Sent(int(reply.body[0]))

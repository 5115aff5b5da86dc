"""Finding the server while the address is typed, for the account dialog.

``ServerLookup`` waits until typing pauses (``DEBOUNCE_MS``), then runs
``services.mail.discovery.discover`` on a worker. Typing again cancels the
lookup under way (its ``threading.Event``) and starts the wait anew, so
only the newest address's answer is ever used. ``found`` carries the
``Discovery``; ``fill`` puts it in the dialog's fields unless the user typed
a server there, and the note says where it came from
("Found by autoconfig for example.edu", "Offline: using the built-in
presets only"). ``provider`` ("google" / "microsoft") tells the dialog whose
sign-in to offer.
"""

from __future__ import annotations

import logging
import threading

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel

from desktop.domain.validation import email_address
from desktop.services.mail.discovery import Cancelled, Discovery, Where, discover
from desktop.ui.common import run_in_background, set_role

log = logging.getLogger(__name__)

DEBOUNCE_MS = 600
# Where lookups go; tests point it at servers on 127.0.0.1.
DEFAULT_WHERE = Where()


class ServerLookup(QObject):
    found = Signal(object)  # a Discovery, for the newest address only
    provider_found = Signal(str)  # "google" / "microsoft", when the answer names one

    def __init__(self, parent: QObject | None = None, where: Where | None = None) -> None:
        super().__init__(parent)
        self.where = where
        self.provider: str | None = None
        self.last: Discovery | None = None
        self._filled = ("", "")  # the host and username the last fill put in
        self._address = ""
        self._cancel: threading.Event | None = None
        self._timer = QTimer(self)
        self._timer.setObjectName("serverLookupTimer")
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._start)
        self.note = QLabel()
        self.note.setObjectName("serverLookupNote")
        self.note.setWordWrap(True)
        set_role(self.note, "hint")
        self.note.hide()

    def address_typed(self, text: str) -> None:
        """Called at every edit: the wait starts again, the old lookup stops."""
        self.cancel()
        self._address = text.strip()
        if "@" in self._address and email_address(self._address, optional=False) is None:
            self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        if self._cancel is not None:
            self._cancel.set()
            self._cancel = None

    def is_running(self) -> bool:
        return self._cancel is not None

    def _start(self) -> None:
        address, cancel = self._address, threading.Event()
        where = self.where or DEFAULT_WHERE
        self._cancel = cancel
        self._show_note(self.tr("Looking up the server for {address}…").format(address=address))

        def finished(result: Discovery) -> None:
            if shiboken6.isValid(self) and self._cancel is cancel:
                self._cancel = None
                self._show(result)

        def failed(error: Exception) -> None:
            if isinstance(error, Cancelled):
                return  # a newer address took over
            if shiboken6.isValid(self) and self._cancel is cancel:
                self._cancel = None
            raise error  # discover() reports network trouble in its result: a bug

        run_in_background(lambda: discover(address, where=where, cancel=cancel), finished, failed)

    def _show(self, result: Discovery) -> None:
        self.last = result
        self.provider = result.provider
        self._show_note(self.tr(result.note))
        self.found.emit(result)
        if result.provider:
            self.provider_found.emit(result.provider)

    def _show_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))
        # A form computes its rows' minimum without word wrapping: give the
        # note the height of its wrapped lines, and grow the dialog (whose
        # minimum size is fixed, so Qt does not grow it) to make room.
        if text and self.note.width() > 0:
            self.note.setMinimumHeight(self.note.heightForWidth(self.note.width()))
            QTimer.singleShot(0, self._make_room)

    def _make_room(self) -> None:
        if not shiboken6.isValid(self.note):
            return
        window = self.note.window()
        layout = window.layout()
        if layout is None:
            return
        layout.activate()  # the note's new minimum is otherwise counted only later
        needed = max(layout.totalMinimumSize().height(), layout.totalHeightForWidth(window.width()))
        if window.height() < needed:
            window.resize(window.width(), needed)

    def fill(self, dialog, result: Discovery) -> None:
        """Put ``result`` in the account dialog's server fields, unless the
        user typed a server or username of their own there (anything but
        what a lookup filled)."""
        host, username = self._filled
        if not result.found or dialog.host.text().strip() not in ("", host):
            return
        # No preset found means none applies: a preset chosen for an earlier
        # address (Gmail's, say) would leave its note and settings behind.
        dialog.preset.setCurrentIndex(max(0, dialog.preset.findData(result.preset or "")))
        dialog.host.setText(result.host)
        if result.security is not None:
            dialog.security.setCurrentIndex(dialog.security.findData(result.security))
        dialog.port.setValue(result.port)
        if dialog.username.text().strip() in ("", username):
            dialog.username.setText(result.username)
        self._filled = (result.host, result.username)

"""Sending scheduled emails when their time comes.

A ``QTimer`` looks every 30 seconds (one small indexed query) for scheduled
emails whose time has passed and sends them in one batch on a worker
thread. ``start()`` is called once the main window has been painted, and its
first look is immediate, so emails that came due while LetterDesk was
closed go out at start-up. Never two batches at once: a look while a batch
runs does nothing.

Only *scheduled* emails are the scheduler's: a queued email that a user
cancelled stays for the user to send from the Outbox.

When no password is stored, the user is asked once; if they cancel, the
scheduler stops asking until the next start (the emails wait, and the
status bar says so). A sign-in the provider no longer honours gets the
"Sign in again" box of Send now (``offer_sign_in_after``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QWidget

from desktop.domain.vocabulary import EmailState
from desktop.paths import DataPaths
from desktop.services.mail.sender import BatchResult, SendResult
from desktop.store import outbox
from desktop.store.errors import explain_database_error
from desktop.store.outbox import utc_now
from desktop.ui.common import user_sentence
from desktop.ui.mail.mail_sending import BatchJob, credentials, offer_sign_in_after

log = logging.getLogger(__name__)
INTERVAL_MS = 30_000


def due_scheduled(now: datetime) -> list[int]:
    """Scheduled emails whose time has come, oldest first."""
    scheduled = {e.id for e in outbox.list_outbox([EmailState.SCHEDULED])}
    return [i for i in outbox.due_for_sending(now) if i in scheduled]


class MailScheduler(QObject):
    status_message = Signal(str)
    data_changed = Signal()
    batch_finished = Signal(object)  # BatchResult

    def __init__(
        self,
        paths: DataPaths,
        window: QWidget | None,
        *,
        interval_ms: int = INTERVAL_MS,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(window)
        self._paths = paths
        self._window = window
        self._now = now
        self._job: BatchJob | None = None
        self._asking = False
        self._declined = False
        self.timer = QTimer(self)
        self.timer.setObjectName("mailSchedulerTimer")
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.tick)

    def start(self) -> None:
        if not self.timer.isActive():
            self.timer.start()
            QTimer.singleShot(0, self.tick)

    def stop(self) -> None:
        self.timer.stop()
        if self._job is not None:
            self._job.cancel()

    def is_busy(self) -> bool:
        return self._job is not None or self._asking

    def tick(self) -> None:
        """Send what is due, unless a batch or a password question is under way."""
        if self.is_busy():
            return
        try:
            ids = due_scheduled(self._now())
        except Exception as exc:
            if user_sentence(exc) is None:
                raise  # a bug, not a busy or read-only data file
            log.warning("Scheduled emails not checked: %s", exc)
            return
        if not ids:
            return
        if self._declined:
            waiting = (
                self.tr("1 scheduled email is waiting for your password: send it from the Outbox.")
                if len(ids) == 1
                else self.tr(
                    "{n} scheduled emails are waiting for your password: send them from the Outbox."
                )
            )
            self.status_message.emit(waiting.format(n=len(ids)))
            return
        self._asking = True
        try:
            creds = credentials(self._window)
        except Exception as exc:
            if user_sentence(exc) is None:
                self.timer.stop()  # a bug: the crash dialog once, not every 30 s
                raise
            self.status_message.emit(user_sentence(exc) or "")
            return
        finally:
            self._asking = False
        if creds is None:
            self._declined = True
            not_sent = (
                self.tr("1 scheduled email not sent: no email account or password.")
                if len(ids) == 1
                else self.tr("{n} scheduled emails not sent: no email account or password.")
            )
            self.status_message.emit(not_sent.format(n=len(ids)))
            return
        self._job = BatchJob(self._paths, ids, creds, now=self._now, parent=self)
        self._job.progressed.connect(lambda *_a: self.data_changed.emit())
        self._job.finished.connect(self._finished)
        self._job.failed.connect(self._failed)
        sending = (
            self.tr("Sending 1 scheduled email…")
            if len(ids) == 1
            else self.tr("Sending {n} scheduled emails…")
        )
        self.status_message.emit(sending.format(n=len(ids)))
        self._job.start()

    def _finished(self, result: BatchResult) -> None:
        self._job = None
        sent = result.count(SendResult.SENT)
        not_sent = result.count(SendResult.FAILED) + result.count(SendResult.UNCLEAR)
        if not_sent:
            text = self.tr("Scheduled emails: {sent} sent, {failed} not sent (see the Outbox).")
        else:
            text = self.tr("Scheduled emails: {sent} sent.")
        text = text.format(sent=sent, failed=not_sent)
        failure = result.connection_failure
        if failure is not None:
            text += " " + failure.message
        self.status_message.emit(text)
        self.data_changed.emit()
        # A revoked or expired sign-in: the same "Sign in again" box as Send
        # now; the emails wait in the Outbox with the reason either way.
        self._asking = True
        try:
            offer_sign_in_after(self._window, failure)
        finally:
            self._asking = False
        self.batch_finished.emit(result)

    def _failed(self, error: Exception) -> None:
        self._job = None
        message = user_sentence(error) or explain_database_error(error)
        if message is None:
            self.timer.stop()  # a bug: the crash dialog once, not every 30 s
            raise error
        self.status_message.emit(message)

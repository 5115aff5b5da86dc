"""Run slow work off the GUI thread: one helper for every long operation.

``run_in_background(operation, on_success, on_failure)`` runs ``operation``
on Qt's global thread pool and calls back on the GUI thread. The operation
gets no widgets; database work in it uses the worker thread's own
connection (Peewee keeps one per thread), closed when the work ends.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from desktop.store.database import close_thread_connection

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread; the worker's signals reach its slots through
    the event queue, so callbacks always run on the GUI thread."""

    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(
        self, on_success: Callable[[Any], None], on_failure: Callable[[Exception], None] | None
    ) -> None:
        super().__init__()
        self._on_success = on_success
        self._on_failure = on_failure
        self.succeeded.connect(self._deliver_success)
        self.failed.connect(self._deliver_failure)

    @Slot(object)
    def _deliver_success(self, value: Any) -> None:
        _running.discard(self)
        self._on_success(value)

    @Slot(object)
    def _deliver_failure(self, error: Exception) -> None:
        _running.discard(self)
        if self._on_failure is None:
            raise error  # reaches the crash dialog
        self._on_failure(error)


class _Task(QRunnable):
    def __init__(self, operation: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._operation = operation
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._operation()
        except Exception as exc:  # handed to the failure callback on the GUI thread
            log.exception("Background task failed")
            self._report(self._relay.failed, exc)
        else:
            self._report(self._relay.succeeded, result)
        finally:
            close_thread_connection()  # this worker thread's own, if it opened one

    @staticmethod
    def _report(signal: Signal, value: Any) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the application is shutting down: nobody to tell
            log.debug("Background result dropped at shutdown")


_running: set[_Relay] = set()  # keeps relays alive until their task reports


def run_in_background(
    operation: Callable[[], Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[Exception], None] | None = None,
) -> None:
    """Run ``operation`` on the thread pool; the worker's database
    connection, if the operation opened one, is closed afterwards."""
    relay = _Relay(on_success, on_failure)
    _running.add(relay)
    QThreadPool.globalInstance().start(_Task(operation, relay))

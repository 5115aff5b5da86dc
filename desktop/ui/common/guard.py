"""Run a data change and turn the known database failures (disk full,
read-only, locked, damaged) into a plain message instead of a crash."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import TypeVar

import peewee as pw
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.store.errors import explain_database_error

T = TypeVar("T")
log = logging.getLogger(__name__)


class SaveFailed(Exception):
    """The change was not saved; the user has been told why."""


def guarded(parent: QWidget | None, action: Callable[[], T]) -> T:
    """Run ``action``; on a known database failure show why and raise
    ``SaveFailed`` so the caller keeps the user's unsaved input. Unknown
    errors propagate to the crash handler."""
    try:
        return action()
    except (pw.PeeweeException, sqlite3.Error) as exc:
        message = explain_database_error(exc)
        if message is None:
            raise
        log.warning("Change not saved: %s", exc)
        QMessageBox.warning(parent, parent.tr("Not saved") if parent else "Not saved", message)
        raise SaveFailed(message) from exc

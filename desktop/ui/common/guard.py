"""Run a change and turn every failure the user can act on into a plain
message instead of a crash: a ``UserError`` from any layer (its sentence is
shown as it is) and the known database failures (disk full, read-only,
locked, damaged)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.errors import UserError
from desktop.store.errors import DATABASE_ERRORS, explain_database_error

T = TypeVar("T")
log = logging.getLogger(__name__)


class SaveFailed(Exception):
    """The change was not made; the user has been told why."""


def user_sentence(error: BaseException) -> str | None:
    """The sentence for the user about ``error``, or None when it is a bug."""
    if isinstance(error, UserError):
        return error.user_message
    if isinstance(error, DATABASE_ERRORS):
        return explain_database_error(error)
    return None


def guarded(
    parent: QWidget | None,
    action: Callable[[], T],
    *,
    title: str | None = None,
    handled_here: tuple[type[UserError], ...] = (),
) -> T:
    """Run ``action``; on a failure the user can act on, show why (titled
    ``title``, "Not saved" by default) and raise ``SaveFailed`` so the caller
    keeps the user's unsaved input. The ``UserError`` kinds in
    ``handled_here`` reach the caller as they are, for a message of its own
    (one that offers a choice, say). Anything else propagates to the crash
    handler."""
    try:
        return action()
    except (UserError, *DATABASE_ERRORS) as exc:
        if isinstance(exc, handled_here):
            raise
        message = user_sentence(exc)
        if message is None:
            raise
        log.warning("Change not made: %s", exc)
        heading = title or QCoreApplication.translate("guard", "Not saved")
        QMessageBox.warning(parent, heading, message)
        raise SaveFailed(message) from exc

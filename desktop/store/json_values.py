"""Reading JSON text kept in the database's settings rows.

A value may have come from outside (a restored backup, an imported archive),
so anything may be there. Besides ``ValueError``, ``json.loads`` raises
``RecursionError`` for text nested past its depth ("[[[[…"), and
``TypeError`` for a value that is not text; each means "unreadable"."""

from __future__ import annotations

import json

UNREADABLE = object()  # the answer for a value that is not JSON LetterDesk can read


def decoded(text: object) -> object:
    """The decoded value, or ``UNREADABLE``."""
    try:
        return json.loads(text)  # type: ignore[arg-type]
    except (TypeError, ValueError, RecursionError):
        return UNREADABLE

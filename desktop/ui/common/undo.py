"""A change that can be taken back from the status bar.

A page that makes a one-click change (a status move from Today, a board
drop) emits ``Page.undoable`` with an ``UndoStep``; the window shows the
sentence with an Undo button and, when it is pressed, runs ``undo`` and
tells every page what changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .page import Changes


@dataclass(frozen=True)
class UndoStep:
    done: str  # what just happened, for the status bar
    undo: Callable[[], object]  # takes it back; may raise a UserError
    undone: str  # what to say once it is taken back
    changes: Changes  # the kinds of data the undo changes

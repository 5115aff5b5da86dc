"""The one base for failures the user can act on.

Every layer raises a ``UserError`` (or a subclass) when something went wrong
that a person can understand and fix: a refused login, a file that is not a
LetterDesk archive, a letter ID used twice. ``user_message`` is the sentence
shown to them: what happened and what to do. The UI shows it as it is
(``desktop.ui.common.guarded``); anything that is not a ``UserError`` and not
a known database failure is a bug and reaches the crash dialog.
"""

from __future__ import annotations


class UserError(Exception):
    """A failure with a sentence for the user in ``user_message``."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message

"""The simple view of a template: the text as it reads, with each field
shown as its plain name (⟦Mentor's greeting⟧) and each ``{% … %}`` tag as a
short sentence (⟦If there is: Your rotation together⟧), so a person who
does not write code can edit the prose around them.

Each shown field or tag is one run of text carrying an id (a char format
property) that maps back to its exact source, so ``source()`` gives the
template back unchanged, and what the user typed between the tokens. A
token the user cut into (a Backspace into it) is removed whole.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor, QFont, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QPlainTextEdit

from desktop.services.mail.template_syntax import Segment, segments

TOKEN = QTextFormat.Property.UserProperty + 1
OPEN, CLOSE = "⟦", "⟧"
_TOKEN_TEXT = re.compile(f"{OPEN}[^{CLOSE}]*{CLOSE}")
FIELD_BACKGROUND = QColor("#dcebf7")
FIELD_TEXT = QColor("#1d4f73")
TAG_TEXT = QColor("#6b6b6b")


def token_spans(line: str) -> list[tuple[int, int]]:
    """Where the shown fields and tags are in a line (the spell check skips them)."""
    return [match.span() for match in _TOKEN_TEXT.finditer(line)]


class SimpleTemplateText(QObject):
    """Puts a template into ``editor`` in the simple view and reads it back."""

    def __init__(self, editor: QPlainTextEdit) -> None:
        super().__init__(editor)
        self.editor = editor
        self._tokens: dict[int, tuple[str, str]] = {}  # id → (source, shown text)
        self._next_id = 0
        # Text typed right after a token must not take on its format.
        editor.cursorPositionChanged.connect(self._plain_at_cursor)

    # --- writing -----------------------------------------------------------------

    def set_source(self, source: str, cursor_at: int | None = None) -> None:
        self._tokens.clear()
        document = self.editor.document()
        blocked = self.editor.blockSignals(True)
        try:
            document.clear()
            cursor = QTextCursor(document)
            for part in segments(source):
                self._insert(cursor, part)
        finally:
            self.editor.blockSignals(blocked)
        cursor = self.editor.textCursor()
        cursor.setPosition(min(cursor_at or 0, document.characterCount() - 1))
        self.editor.setTextCursor(cursor)

    def insert_source(self, source: str) -> None:
        """Insert template text (a field's ``{{ … }}``) at the cursor."""
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        for part in segments(source):
            self._insert(cursor, part)
        cursor.endEditBlock()
        self.editor.setTextCursor(cursor)

    def _insert(self, cursor: QTextCursor, part: Segment) -> None:
        if part.kind == "text":
            cursor.insertText(part.source, QTextCharFormat())
            return
        shown = f"{OPEN}{part.label}{CLOSE}"
        self._next_id += 1
        self._tokens[self._next_id] = (part.source, shown)
        cursor.insertText(shown, self._format(part.kind, self._next_id))

    def _format(self, kind: str, token_id: int) -> QTextCharFormat:
        style = QTextCharFormat()
        style.setProperty(TOKEN, token_id)
        if kind == "field":
            style.setBackground(FIELD_BACKGROUND)
            style.setForeground(FIELD_TEXT)
        else:
            style.setForeground(TAG_TEXT)
            style.setFontItalic(True)
            style.setFontWeight(QFont.Weight.Normal)
        return style

    def drop_cut_tokens(self, source: str, cut: list[tuple[int, int]]) -> None:
        """Show ``source`` again without what is left of the cut tokens,
        the cursor where it was."""
        position = self.editor.textCursor().position()
        removed = sum(min(length, max(0, position - start)) for start, length in cut)
        self.set_source(source, position - removed)

    def _plain_at_cursor(self) -> None:
        if self.editor.textCursor().charFormat().hasProperty(TOKEN):
            self.editor.setCurrentCharFormat(QTextCharFormat())

    # --- reading -----------------------------------------------------------------

    def source(self) -> tuple[str, list[tuple[int, int]]]:
        """The template text, and where (position, length) tokens were cut
        into, and so dropped."""
        parts: list[str] = []
        cut: list[tuple[int, int]] = []
        block = self.editor.document().begin()
        while block.isValid():
            fragments = block.begin()
            while not fragments.atEnd():
                fragment = fragments.fragment()
                text = fragment.text()
                token_id = fragment.charFormat().property(TOKEN)
                if token_id in self._tokens:
                    source, shown = self._tokens[token_id]
                    at = text.find(shown)
                    if at >= 0:
                        parts.append(text[:at] + source + text[at + len(shown) :])
                    else:
                        cut.append((fragment.position(), fragment.length()))
                else:
                    parts.append(text)
                fragments += 1
            block = block.next()
            if block.isValid():
                parts.append("\n")
        return "".join(parts), cut

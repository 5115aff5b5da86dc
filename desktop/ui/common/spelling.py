"""Spell checking in text fields: a red wavy underline under words the
checker does not know, and on right-click the likely meant words and "Add
to dictionary" above the usual edit menu.

``enable_spell_check(editor, checker)`` works on a QPlainTextEdit or a
QTextEdit. For one-line fields (an email's subject) ``SpellLineEdit`` is a
QPlainTextEdit that behaves like a QLineEdit: one line, no wrapping, Enter
left to the dialog, pasted line breaks turned into spaces. A QLineEdit
itself cannot show underlines under single words.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import (
    QAction,
    QColor,
    QKeyEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextOption,
)
from PySide6.QtWidgets import QFrame, QLineEdit, QMenu, QPlainTextEdit, QTextEdit, QWidget
from shiboken6 import isValid

from desktop.paths import DataPaths
from desktop.services.spelling import Misspelling, SpellChecker, checker_for
from desktop.ui.common.guard import SaveFailed, guarded
from desktop.ui.common.tasks import run_in_background

Skip = Callable[[str], list[tuple[int, int]]]  # spans of one line not to check
SPELLING_RED = QColor("#d0312d")

_highlighters: weakref.WeakSet[SpellHighlighter] = weakref.WeakSet()


class SpellHighlighter(QSyntaxHighlighter):
    """Underlines the misspelt words of each line (Qt calls it per changed
    block, so typing re-checks one line, not the whole text)."""

    def __init__(self, document: QTextDocument, checker: SpellChecker, skip: Skip | None) -> None:
        super().__init__(document)
        self.checker = checker
        self.skip = skip
        self.underline = QTextCharFormat()
        self.underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        self.underline.setUnderlineColor(SPELLING_RED)
        _highlighters.add(self)

    def misspellings(self, text: str) -> list[Misspelling]:
        if not self.checker.is_loaded:
            return []  # the word lists are still loading on a worker
        return self.checker.misspellings(text, self.skip(text) if self.skip else ())

    def highlightBlock(self, text: str) -> None:
        for word in self.misspellings(text):
            self.setFormat(word.start, word.length, self.underline)


def _rehighlight_all(checker: SpellChecker) -> None:
    for highlighter in list(_highlighters):
        # A closed window's highlighter may outlive its document in Python.
        if highlighter.checker is checker and isValid(highlighter):
            highlighter.rehighlight()


def misspelling_at(
    editor: QPlainTextEdit | QTextEdit, highlighter: SpellHighlighter, cursor: QTextCursor
) -> tuple[Misspelling, QTextCursor] | None:
    """The misspelt word under ``cursor`` and a cursor selecting it."""
    block = cursor.block()
    column = cursor.position() - block.position()
    for word in highlighter.misspellings(block.text()):
        if word.start <= column <= word.start + word.length:
            selection = QTextCursor(block)
            selection.setPosition(block.position() + word.start)
            selection.setPosition(
                block.position() + word.start + word.length, QTextCursor.MoveMode.KeepAnchor
            )
            return word, selection
    return None


def spelling_menu(
    editor: QPlainTextEdit | QTextEdit, highlighter: SpellHighlighter, position: QPoint
) -> QMenu:
    """The edit menu for a right-click at ``position``, with the spelling
    entries on top when the word there is misspelt."""
    menu = editor.createStandardContextMenu(position)
    menu.setObjectName("spellingMenu")
    found = misspelling_at(editor, highlighter, editor.cursorForPosition(position))
    if found is None or editor.isReadOnly():
        return menu
    word, selection = found
    first = menu.actions()[0] if menu.actions() else None
    entries: list[QAction] = []
    suggestions = highlighter.checker.suggestions(word.word)
    for suggestion in suggestions:
        action = QAction(suggestion, menu)
        action.setObjectName("spellingSuggestion")
        font = action.font()
        font.setBold(True)
        action.setFont(font)
        action.triggered.connect(
            lambda _checked=False, s=suggestion: _replace(editor, selection, s)
        )
        entries.append(action)
    if not suggestions:
        none = QAction(editor.tr("No suggestions"), menu)
        none.setEnabled(False)
        entries.append(none)
    add = QAction(editor.tr("Add “{word}” to dictionary").format(word=word.word), menu)
    add.setObjectName("spellingAdd")
    add.triggered.connect(lambda _checked=False: _add_word(editor, highlighter, word.word))
    entries.append(add)
    menu.insertActions(first, entries)  # type: ignore[arg-type]
    menu.insertSeparator(first)  # type: ignore[arg-type]
    return menu


def _replace(editor: QPlainTextEdit | QTextEdit, selection: QTextCursor, text: str) -> None:
    selection.insertText(text)  # one undo step, like typing it
    editor.setTextCursor(selection)


def _add_word(editor: QWidget, highlighter: SpellHighlighter, word: str) -> None:
    try:
        guarded(editor, lambda: highlighter.checker.add(word))
    except SaveFailed:
        return
    _rehighlight_all(highlighter.checker)


def spell_checker(paths: DataPaths) -> SpellChecker:
    """The checker for this data folder's user dictionary."""
    return checker_for(paths.user_dictionary)


def enable_spell_check(
    editor: QPlainTextEdit | QTextEdit, checker: SpellChecker, skip: Skip | None = None
) -> SpellHighlighter:
    """Check ``editor`` as it is typed in; ``skip`` gives the spans of a
    line that are not prose (a template's ``{{ fields }}``)."""
    highlighter = SpellHighlighter(editor.document(), checker, skip)
    editor.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show_menu(position: QPoint) -> None:
        menu = spelling_menu(editor, highlighter, position)
        menu.exec(editor.viewport().mapToGlobal(position))
        menu.deleteLater()

    editor.customContextMenuRequested.connect(show_menu)
    editor.spell_highlighter = highlighter  # type: ignore[union-attr]
    if not checker.is_loaded:
        run_in_background(checker.load, lambda _c: _rehighlight_all(checker))
    return highlighter


class SpellLineEdit(QPlainTextEdit):
    """A one-line text field that can underline words: the parts of
    QLineEdit's interface the app uses, over a QPlainTextEdit."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setWordWrapMode(QTextOption.WrapMode.NoWrap)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTabChangesFocus(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.document().setDocumentMargin(2)
        # As tall as a line edit in the same style and font.
        self.setFixedHeight(QLineEdit().sizeHint().height() + 2)
        self.setText(text)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self.setPlainText(_one_line(text))

    def insert(self, text: str) -> None:
        self.insertPlainText(_one_line(text))

    def cursorPosition(self) -> int:
        return self.textCursor().position()

    def setCursorPosition(self, position: int) -> None:
        cursor = self.textCursor()
        cursor.setPosition(max(0, min(position, len(self.text()))))
        self.setTextCursor(cursor)
        self.ensureCursorVisible()

    def end(self, mark: bool) -> None:
        cursor = self.textCursor()
        mode = QTextCursor.MoveMode.KeepAnchor if mark else QTextCursor.MoveMode.MoveAnchor
        cursor.movePosition(QTextCursor.MoveOperation.End, mode)
        self.setTextCursor(cursor)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.ignore()  # as in a line edit: the dialog's default button, Ctrl+Enter…
            return
        super().keyPressEvent(event)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            self.insertPlainText(_one_line(source.text()))


def _one_line(text: str) -> str:
    return " ".join(text.splitlines())

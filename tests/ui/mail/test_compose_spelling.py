"""Spell check in compose: misspelt words in the subject and the body get a
red wavy underline; right-click offers the likely words and "Add to
dictionary", which is kept in the data folder."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QPlainTextEdit

from desktop.ui.common import spell_checker, spelling_menu
from desktop.ui.mail.compose_dialog import ComposeDialog

from .mail_fixtures import *  # noqa: F403 - the shared fixtures

WAVE = QTextCharFormat.UnderlineStyle.WaveUnderline


def underlined(editor: QPlainTextEdit) -> list[str]:
    """The words the highlighter underlined, read from the text layout."""
    words = []
    block = editor.document().firstBlock()
    while block.isValid():
        for change in block.layout().formats():
            if change.format.underlineStyle() == WAVE:
                words.append(block.text()[change.start : change.start + change.length])
        block = block.next()
    return words


def point_at(editor: QPlainTextEdit, word: str) -> QPoint:
    cursor = QTextCursor(editor.document())
    cursor.setPosition(editor.toPlainText().index(word) + 2)
    return editor.cursorRect(cursor).center()


def open_dialog(qtbot, data_paths, request_id) -> ComposeDialog:
    dialog = ComposeDialog(data_paths, request_id=request_id, purpose="request")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: spell_checker(data_paths).is_loaded)
    return dialog


def test_misspelt_words_are_underlined_and_fixed_from_the_menu(qtbot, data_paths, planned_request):
    dialog = open_dialog(qtbot, data_paths, planned_request)
    body, subject = dialog.body, dialog.subject
    assert underlined(body) == []  # the built-in ask, ERAS and all, is clean
    body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, "I am gratefull for your mentorship on the SLOE.")
    subject.setCursorPosition(0)
    qtbot.keyClicks(subject, "Recomendation: ")
    qtbot.waitUntil(
        lambda: underlined(body) == ["gratefull"] and underlined(subject) == ["Recomendation"]
    )

    menu = spelling_menu(body, body.spell_highlighter, point_at(body, "gratefull"))
    offered = [a.text() for a in menu.actions() if a.objectName() == "spellingSuggestion"]
    assert offered[0] == "grateful"
    next(a for a in menu.actions() if a.text() == "grateful").trigger()
    assert "I am grateful for your mentorship" in body.toPlainText()
    assert underlined(body) == []

    menu = spelling_menu(subject, subject.spell_highlighter, point_at(subject, "Recomendation"))
    [first, *_] = [a for a in menu.actions() if a.objectName() == "spellingSuggestion"]
    assert first.text() == "Recommendation"  # the word's own capital kept
    first.trigger()
    assert subject.text().startswith("Recommendation: Would you write")


def test_add_to_dictionary_is_kept_per_user_in_the_data_folder(qtbot, data_paths, planned_request):
    dialog = open_dialog(qtbot, data_paths, planned_request)
    body = dialog.body
    body.setPlainText("Dr. Okonkwo-Baptiste taught me on nights.")
    assert underlined(body) == ["Okonkwo-Baptiste"]
    menu = spelling_menu(body, body.spell_highlighter, point_at(body, "Okonkwo"))
    add = next(a for a in menu.actions() if a.objectName() == "spellingAdd")
    assert add.text() == "Add “Okonkwo-Baptiste” to dictionary"
    add.trigger()
    assert underlined(body) == []
    assert data_paths.user_dictionary.read_text(encoding="utf-8") == "okonkwo-baptiste\n"
    # A right-click on a correct word gives the plain edit menu.
    menu = spelling_menu(body, body.spell_highlighter, point_at(body, "taught"))
    assert not [a for a in menu.actions() if a.objectName().startswith("spelling")]


def test_the_subject_stays_one_line(qtbot, data_paths, planned_request):
    dialog = open_dialog(qtbot, data_paths, planned_request)
    subject = dialog.subject
    subject.setText("")
    qtbot.keyClicks(subject, "Letter")
    qtbot.keyClick(subject, Qt.Key.Key_Return)
    subject.insert("one\ntwo")
    assert subject.text() == "Letterone two"
    assert subject.height() <= 40

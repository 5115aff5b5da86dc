"""The template editor for non-programmers: field chips insert a field at
the cursor, the simple view shows fields by name and tags in words, edits
there keep the template's code intact, the code view is one click away,
and both are spell-checked without flagging the template syntax."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktop.domain.vocabulary import TemplatePurpose
from desktop.services.mail.templates import builtin_templates
from desktop.store.models import EmailTemplate
from desktop.ui.common import spell_checker
from desktop.ui.mail.templates_page import TemplatesPage

from .test_compose_spelling import underlined
from .test_templates_page import click_template


@pytest.fixture
def page(qtbot, db, page_context):
    widget = TemplatesPage(page_context)
    qtbot.addWidget(widget)
    widget.resize(1240, 680)
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: spell_checker(page_context.paths).is_loaded)
    return widget


def click_chip(qtbot, page, path: str) -> None:
    qtbot.mouseClick(page.chips.buttons[path], Qt.MouseButton.LeftButton)


def save(qtbot, page) -> None:
    page.update_preview()
    assert page.save_button.isEnabled(), page.problem_label.text()
    with qtbot.waitSignal(page.data_changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)


def test_the_simple_view_names_fields_and_reads_tags_in_words(qtbot, page):
    click_template(qtbot, page, "Asking for a letter")
    assert not page.showing_code() and page.simple_body.isVisible()
    shown = page.simple_body.toPlainText()
    assert shown.startswith("⟦Mentor's greeting⟧,\n")
    assert "⟦If there is: Your rotation together⟧" in shown
    assert "during the ⟦Rotation name⟧" in shown
    assert "{{" not in shown and "{%" not in shown
    assert page.simple_subject.text() == "Would you write a letter of recommendation for me?"


def test_a_chip_inserts_its_field_where_the_cursor_is_and_is_saved(qtbot, page):
    click_template(qtbot, page, "Thank-you note")
    body = page.simple_body
    qtbot.mouseClick(body.viewport(), Qt.MouseButton.LeftButton)
    body.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(body, "P.S. My Letter ID was ")
    click_chip(qtbot, page, "letter_id")
    qtbot.keyClicks(body, ", sent to ")
    click_chip(qtbot, page, "cycle.portal")
    qtbot.keyClicks(body, ".")
    assert body.toPlainText().endswith(
        "P.S. My Letter ID was ⟦Letter ID⟧, sent to ⟦Upload portal⟧."
    )
    save(qtbot, page)
    stored = EmailTemplate.get(EmailTemplate.purpose == "thank_you").body
    default = builtin_templates()[TemplatePurpose.THANK_YOU].body
    assert stored == default + "P.S. My Letter ID was {{ letter_id }}, sent to {{ cycle.portal }}."
    assert page.preview_body.toPlainText().endswith(
        "P.S. My Letter ID was ERAS-10001, sent to the AAMC Letter Writer Portal."
    )


def test_a_chip_goes_into_the_subject_when_the_subject_was_last_edited(qtbot, page):
    click_template(qtbot, page, "A first gentle nudge")
    subject = page.simple_subject
    qtbot.mouseClick(subject.viewport(), Qt.MouseButton.LeftButton)
    subject.end(False)
    qtbot.keyClicks(subject, " (")
    click_chip(qtbot, page, "request.letter_type")
    qtbot.keyClicks(subject, ")")
    save(qtbot, page)
    row = EmailTemplate.get(EmailTemplate.purpose == "nudge")
    assert row.subject == "Following up on my letter of recommendation ({{ request.letter_type }})"


def test_prose_edited_in_the_simple_view_keeps_every_tag(qtbot, page):
    click_template(qtbot, page, "Asking for a letter")
    body = page.simple_body
    text = body.toPlainText()
    cursor = body.textCursor()
    at = text.index("Thank you for considering this.")
    cursor.setPosition(at + len("Thank you for "))
    cursor.setPosition(at + len("Thank you for considering"), QTextCursor.MoveMode.KeepAnchor)
    body.setTextCursor(cursor)
    body.setFocus()
    qtbot.keyClicks(body, "thinking about")
    save(qtbot, page)
    default = builtin_templates()[TemplatePurpose.REQUEST].body
    stored = EmailTemplate.get(EmailTemplate.purpose == "request").body
    assert stored == default.replace("Thank you for considering", "Thank you for thinking about")


def test_backspace_into_a_field_removes_the_whole_field(qtbot, page):
    click_template(qtbot, page, "Thank-you note")
    body = page.simple_body
    cursor = body.textCursor()
    cursor.setPosition(len("⟦Mentor's greeting⟧"))
    body.setTextCursor(cursor)
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_Backspace)
    assert body.toPlainText().startswith(",\n")
    assert page.body.toPlainText().startswith(",\n")
    qtbot.keyClicks(body, "Hello")
    assert page.body.toPlainText().startswith("Hello,\n")


def test_the_code_view_shows_the_syntax_and_chips_insert_it_there(qtbot, page):
    click_template(qtbot, page, "Thank-you note")
    qtbot.mouseClick(page.code_toggle, Qt.MouseButton.LeftButton)
    assert page.showing_code() and page.body.isVisible() and not page.simple_body.isVisible()
    assert page.body.toPlainText().startswith("{{ greeting }},\n")
    qtbot.mouseClick(page.body.viewport(), Qt.MouseButton.LeftButton)
    page.body.moveCursor(QTextCursor.MoveOperation.Start)
    click_chip(qtbot, page, "today")
    assert page.body.toPlainText().startswith("{{ today }}{{ greeting }},\n")
    qtbot.mouseClick(page.code_toggle, Qt.MouseButton.LeftButton)  # back to simple
    assert page.simple_body.toPlainText().startswith("⟦Today's date⟧⟦Mentor's greeting⟧,")
    save(qtbot, page)
    body = EmailTemplate.get(EmailTemplate.purpose == "thank_you").body
    assert body.startswith("{{ today }}{{ greeting }},\n")


def test_templates_are_spell_checked_without_their_syntax(qtbot, page):
    click_template(qtbot, page, "Thank-you note")
    assert underlined(page.simple_body) == [] and underlined(page.simple_subject) == []
    page.body.setPlainText(
        "Dear {{ mentor.salutaton }}, your recomendation {% if rotatoin %}x{% endif %}"
    )
    assert underlined(page.body) == ["recomendation"]
    assert underlined(page.simple_body) == ["recomendation"]

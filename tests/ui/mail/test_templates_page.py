"""The Templates page driven as a user drives it: pick a template, type a
typo, see the problem at its line, fix it, save, reset to default."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from desktop.domain.vocabulary import TemplatePurpose
from desktop.services.mail.templates import builtin_templates
from desktop.store.mentors import MentorFields, save_mentor
from desktop.store.models import Cycle, EmailTemplate
from desktop.store.requests import RequestFields, create_request
from desktop.ui.mail.templates_page import TemplatesPage

from ..dialogs import click_message_button


@pytest.fixture
def page(qtbot, db, page_context):
    widget = TemplatesPage(page_context)
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click_template(qtbot, page, name: str) -> None:
    tree = page.template_list
    for number in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(number)
        if item.text(0).split("\n")[0] == name:
            rect = tree.visualItemRect(item)
            qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"no template {name!r}")


def item_text(page, name: str) -> str:
    tree = page.template_list
    for number in range(tree.topLevelItemCount()):
        text = tree.topLevelItem(number).text(0)
        if text.startswith(name + "\n"):
            return text
    raise AssertionError(name)


def type_at_end(qtbot, editor, text: str) -> None:
    editor.setFocus()
    editor.moveCursor(QTextCursor.MoveOperation.End)
    for line_number, line in enumerate(text.split("\n")):
        if line_number:
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.keyClicks(editor, line)


def test_lists_the_six_builtin_templates_with_purpose_and_state(page):
    assert page.template_list.topLevelItemCount() == len(TemplatePurpose)
    assert (
        item_text(page, "Asking for a letter")
        == "Asking for a letter\nAsking for the letter · built-in"
    )
    assert (
        item_text(page, "Sharing the outcome") == "Sharing the outcome\nOutcome update · built-in"
    )
    # The first template is open, previewed with sample data as there are no requests.
    assert page.editor_heading.text() == "Asking for a letter"
    assert page.request_combo.count() == 1
    assert page.preview_body.toPlainText().startswith("Dear Dr. Patel,\n")
    assert not page.save_button.isEnabled() and not page.revert_button.isEnabled()


def test_a_typo_shows_at_its_line_blocks_save_and_the_fix_updates_the_preview(qtbot, page, dialogs):
    click_template(qtbot, page, "Thank-you note")
    assert page.editor_heading.text() == "Thank-you note"
    lines_before = page.body.toPlainText().count("\n")
    type_at_end(qtbot, page.body, "P.S. Say hi, {{ mentor.frist_name }}")
    line = lines_before + 1
    assert page.preview_body.toPlainText().count("P.S.") == 0  # debounced: not yet

    qtbot.waitUntil(lambda: page.problem_label.isVisible(), timeout=2000)
    message = page.problem_label.text()
    assert message.startswith(f"Line {line}: 'mentor.frist_name' is not a field.")
    assert "Did you mean 'mentor.first_name'?" in message
    assert page.problem_line() == line
    assert not page.save_button.isEnabled()
    assert page.revert_button.isEnabled()

    for _ in range(len("frist_name }}")):
        qtbot.keyClick(page.body, Qt.Key.Key_Backspace)
    qtbot.keyClicks(page.body, "first_name }}")
    qtbot.waitUntil(lambda: not page.problem_label.isVisible(), timeout=2000)
    assert page.problem_line() is None
    assert "P.S. Say hi, Anika" in page.preview_body.toPlainText()
    assert page.save_button.isEnabled()

    with qtbot.waitSignal(page.data_changed):
        qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    row = EmailTemplate.get(EmailTemplate.purpose == "thank_you")
    assert row.body.endswith("P.S. Say hi, {{ mentor.first_name }}")
    assert item_text(page, "Thank-you note").endswith("· edited")
    assert not page.save_button.isEnabled()

    # Reset to default asks first; Cancel keeps the edit, "Reset to default" restores the text.
    dialogs.then(lambda box: click_message_button(box, "Cancel"))
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    assert "P.S." in EmailTemplate.get_by_id(row.id).body
    dialogs.then(lambda box: click_message_button(box, "Reset to default"))
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    dialogs.check()
    default = builtin_templates()[TemplatePurpose.THANK_YOU]
    assert EmailTemplate.get_by_id(row.id).body == default.body
    assert page.body.toPlainText() == default.body
    assert item_text(page, "Thank-you note").endswith("· built-in")
    assert "P.S." not in page.preview_body.toPlainText()


def test_a_subject_problem_marks_the_subject(qtbot, page):
    page.subject.setFocus()
    page.subject.end(False)
    qtbot.keyClicks(page.subject, " {{ mentor.nmae")
    qtbot.waitUntil(lambda: page.problem_label.isVisible(), timeout=2000)
    assert page.problem_label.text().startswith("Subject: ")
    assert page.subject.property("invalid") is True
    assert page.problem_line() is None
    assert not page.save_button.isEnabled()
    qtbot.mouseClick(page.revert_button, Qt.MouseButton.LeftButton)
    assert not page.problem_label.isVisible()
    assert page.subject.property("invalid") is False


def test_double_clicking_a_field_inserts_it_at_the_cursor(qtbot, page):
    page.body.setFocus()
    page.body.moveCursor(QTextCursor.MoveOperation.Start)
    tree = page.field_list
    item = next(
        tree.topLevelItem(n)
        for n in range(tree.topLevelItemCount())
        if tree.topLevelItem(n).text(0) == "letter_id"
    )
    tree.scrollToItem(item)
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert "letter_id" in page.field_hint.text()
    qtbot.mouseDClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.body.toPlainText().startswith("{{ letter_id }}{{ greeting }},")
    page.subject.setFocus()
    page.subject.setCursorPosition(0)
    tree.itemDoubleClicked.emit(item, 0)
    assert page.subject.text().startswith("{{ letter_id }}Would you")


def test_the_preview_uses_the_chosen_request(qtbot, db, page_context):
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    mentor = save_mentor(
        MentorFields(honorific="Dr.", first_name="Amara", last_name="Okafor", category="other")
    )
    due = date.today() + timedelta(days=30)
    create_request(
        RequestFields(mentor_id=mentor, cycle_id=cycle.id, letter_id="ERAS-777", due_on=due)
    )
    page = TemplatesPage(page_context)
    qtbot.addWidget(page)
    # A planned request is chosen for the request template by itself.
    assert page.request_combo.count() == 2
    assert page.request_combo.currentData() is not None
    assert page.preview_body.toPlainText().startswith("Dear Dr. Okafor,\n")
    assert "ERAS-777" in page.preview_body.toPlainText()
    page.request_combo.setCurrentIndex(0)
    page.request_combo.activated.emit(0)
    assert page.preview_body.toPlainText().startswith("Dear Dr. Patel,\n")
    assert "Sample data" in page.preview_note.text()


def test_switching_with_unsaved_changes_asks(qtbot, page, dialogs):
    type_at_end(qtbot, page.body, "Extra line")
    assert page.is_dirty()
    dialogs.then(lambda box: click_message_button(box, "Cancel"))
    click_template(qtbot, page, "Sharing the outcome")
    dialogs.check()
    assert page.editor_heading.text() == "Asking for a letter"
    assert page.body.toPlainText().endswith("Extra line")
    dialogs.then(lambda box: click_message_button(box, "Discard"))
    click_template(qtbot, page, "Sharing the outcome")
    dialogs.check()
    assert page.editor_heading.text() == "Sharing the outcome"
    assert "Extra line" not in EmailTemplate.get(EmailTemplate.purpose == "request").body


def test_search_filters_the_list(page):
    page.set_search_text("reminder")
    shown = [
        page.template_list.topLevelItem(n).text(0).split("\n")[0]
        for n in range(page.template_list.topLevelItemCount())
        if not page.template_list.topLevelItem(n).isHidden()
    ]
    assert "Reminder before the due date" in shown
    assert "Thank-you note" not in shown
    page.set_search_text("")
    assert not any(
        page.template_list.topLevelItem(n).isHidden()
        for n in range(page.template_list.topLevelItemCount())
    )

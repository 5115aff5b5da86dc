"""What a new user sees before there is any data: each empty page says how
to begin, in sentences that read cleanly."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def test_with_no_mentors_the_mentor_pane_says_how_to_add_one(window):
    assert window.stack.currentWidget() is window.page("mentors")  # the landing page
    placeholder = window.page("mentors").detail.placeholder
    assert placeholder.isVisible()
    assert "Select a mentor" not in placeholder.text()
    assert "Add mentor…" in placeholder.text() and "Import mentors" in placeholder.text()


def test_the_outbox_empty_state_reads_cleanly(window):
    window.show_page("outbox")
    empty = window.page("outbox").findChild(QLabel, "outboxEmptyState")
    assert empty.isVisible()
    text = empty.text()
    assert "…." not in text and ".." not in text
    assert "Drafts, scheduled and sent emails all appear here." in text
    assert "File → Compose email" in text

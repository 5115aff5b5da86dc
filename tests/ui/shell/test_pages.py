"""The page contract as the main window uses it: the registry, reloading
only what shows a change, going to an item, and view state kept."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QCheckBox

from desktop.store import mentors as mentor_store
from desktop.ui.common import Changes, Target
from desktop.ui.shell import MainWindow


def _navigation_titles(window) -> list[str]:
    return [window.navigation.item(i).text() for i in range(window.navigation.count())]


def test_the_navigation_lists_the_registered_pages_in_their_order(window):
    assert _navigation_titles(window) == [
        "Today", "Mentors", "Requests", "Programs", "Experiences", "Documents", "Templates",
        "Outbox",
    ]  # fmt: skip
    assert window.stack.count() == window.navigation.count()


def test_a_profile_edit_reloads_no_page_that_does_not_show_the_profile(window, qtbot, make_mentor):
    make_mentor("Okafor")
    outbox, requests = window.page("outbox"), window.page("requests")
    reloads: list[str] = []
    outbox.reload = lambda: reloads.append("outbox")  # counts, and skips the real work
    requests.reload = lambda: reloads.append("requests")
    window.show_page("outbox")

    # What the Profile and cycles dialog reports when it saved something.
    window.page("today").data_changed.emit(Changes.PROFILE)
    assert reloads == []
    window.show_page("requests")
    assert reloads == []  # the Requests page does not show the profile either

    window.page("today").data_changed.emit(Changes.CYCLES)
    assert reloads == ["requests"]  # on screen: at once
    window.show_page("outbox")
    assert reloads == ["requests"]  # the Outbox does not show cycles

    window.page("today").data_changed.emit(Changes.SENDING)
    assert reloads == ["requests", "outbox"]
    window.show_page("requests")
    assert reloads == ["requests", "outbox", "requests"]  # stale, reloaded when shown


def test_opening_a_mentor_clears_the_search_and_widens_the_filters_that_hide_them(
    window, qtbot, make_mentor
):
    make_mentor("Lee")
    hidden = make_mentor("Okafor")
    mentor_store.set_archived(hidden, True)
    window.search.setText("Lee")
    mentors = window.page("mentors")
    mentors.reload()
    qtbot.waitUntil(lambda: mentors.model.rowCount() == 1, timeout=5000)

    window.page("today").navigate.emit(Target("mentors", item_id=hidden))

    assert window.stack.currentWidget() is mentors
    assert window.search.text() == ""
    assert mentors.findChild(QCheckBox, "showArchived").isChecked()
    assert mentors.selected_id() == hidden


def test_a_pages_view_state_is_kept_for_the_next_window(window, qtbot, data_paths):
    QSettings().remove("mentorsPage")
    window.show_page("mentors")
    window.resize(1200, 640)
    window.page("mentors").splitter.setSizes([500, 640])
    sizes = window.page("mentors").splitter.sizes()
    window.close()

    again = MainWindow(data_paths)
    qtbot.addWidget(again)
    again.resize(1200, 640)
    again.show()
    again.show_page("mentors")
    qtbot.waitExposed(again)
    assert again.page("mentors").splitter.sizes() == sizes

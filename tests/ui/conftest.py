from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop.store import mentors as mentor_store
from desktop.store.mentors import InteractionFields, MentorFields
from desktop.ui.common import PageContext
from desktop.ui.shell import MainWindow

from .dialogs import DialogDriver


@pytest.fixture(autouse=True)
def fresh_settings(qapp):
    """Each test starts with no saved window or page state: a page that
    remembers its view (the Requests board, say) must not carry one test's
    choice into the next."""
    from PySide6.QtCore import QSettings

    QSettings().clear()
    yield
    QSettings().clear()


@pytest.fixture
def dialogs(qapp):
    driver = DialogDriver()
    yield driver
    driver.check()


@pytest.fixture
def page_context(db, data_paths) -> PageContext:
    """What the main window hands a page, for tests that build one alone."""
    return PageContext(data_paths)


@pytest.fixture
def window(qtbot, db, data_paths):
    main = MainWindow(data_paths)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


@pytest.fixture
def make_mentor(db):
    def make(
        last_name: str,
        *,
        category: str = "clinical_supervisor",
        days_ago: int | None = None,
        **extra,
    ) -> int:
        mentor_id = mentor_store.save_mentor(
            MentorFields(last_name=last_name, category=category, **extra)
        )
        if days_ago is not None:
            mentor_store.save_interaction(
                mentor_id,
                InteractionFields(
                    date.today() - timedelta(days=days_ago), "meeting", "Met to talk about cases"
                ),
            )
        return mentor_id

    return make


@pytest.fixture(autouse=True)
def server_lookups_stay_on_this_computer(monkeypatch):
    """The account dialog looks up the server of a typed address. In tests
    that do not give it servers of their own, it asks a closed loopback port
    (so it finds itself offline at once) and never the internet."""
    from desktop.services.mail.discovery import Where
    from desktop.ui.mail import server_lookup
    from tests.services.mail.dns_server import closed_udp_port

    offline = Where(
        nameservers=("127.0.0.1",),
        dns_port=closed_udp_port(),
        autoconfig_urls=lambda domain: [],
        timeout=0.2,
    )
    monkeypatch.setattr(server_lookup, "DEFAULT_WHERE", offline)


@pytest.fixture
def demo(tmp_path):
    """A data folder with the demo data (tests/ui/screens.py), open."""
    from PySide6.QtWidgets import QApplication

    from .screens import demo_folder

    paths, database = demo_folder(tmp_path / "demo")
    yield paths
    QApplication.processEvents()
    database.close()


@pytest.fixture
def demo_window(qtbot, demo):
    """The main window on the demo data, shown, its first page loaded."""
    from PySide6.QtCore import QSettings

    from .screens import settle

    QSettings().remove("mainWindow")
    main = MainWindow(demo)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    settle()
    return main

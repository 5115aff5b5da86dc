"""The main window: navigation sidebar, toolbar with search, pages, status bar."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import peewee as pw
from PySide6.QtCore import QEvent, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.paths import DataPaths
from desktop.store.mentors import count_active_mentors
from desktop.store.settings import calendar_feed_enabled

if TYPE_CHECKING:
    from desktop.ui.experiences.experiences_page import ExperiencesPage
    from desktop.ui.mentors.mentors_page import MentorsPage
from desktop.ui.common import style_navigation

log = logging.getLogger(__name__)


# Each page's module is imported when the page is first shown, so start-up
# pays only for the landing page.


def _mentors_page(db: pw.Database) -> QWidget:
    from desktop.ui.mentors.mentors_page import MentorsPage

    return MentorsPage(db)


def _experiences_page(db: pw.Database) -> QWidget:
    from desktop.ui.experiences.experiences_page import ExperiencesPage

    return ExperiencesPage(db)


def _today_page(db: pw.Database) -> QWidget:
    from desktop.ui.today.today_page import TodayPage

    return TodayPage(db)


def _requests_page(db: pw.Database) -> QWidget:
    from desktop.ui.requests.requests_page import RequestsPage

    return RequestsPage(db)


def _programs_page(db: pw.Database) -> QWidget:
    from desktop.ui.programs.programs_page import ProgramsPage

    return ProgramsPage(db)


def _documents_page(db: pw.Database, paths: DataPaths) -> QWidget:
    from desktop.ui.documents.documents_page import DocumentsPage

    return DocumentsPage(db, paths)


def _templates_page(db: pw.Database) -> QWidget:
    from desktop.ui.mail.templates_page import TemplatesPage

    return TemplatesPage(db)


def _outbox_page(db: pw.Database, paths: DataPaths) -> QWidget:
    from desktop.ui.mail.outbox_page import OutboxPage

    return OutboxPage(db, paths)


def _reload(page: QWidget) -> None:
    """Pages reload their data with reload(); Today recomputes with refresh()."""
    (getattr(page, "reload", None) or page.refresh)()


@dataclass
class _Page:
    key: str
    title: str
    factory: Callable[[], QWidget]
    widget: QWidget | None = None


class MainWindow(QMainWindow):
    def __init__(self, db: pw.Database, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self._paths = paths
        self._painted = False

        self._db = db
        # Pages are built the first time they are shown, so start-up pays
        # only for the first one. Later issues add Documents, Outbox and
        # Templates here; only pages that work are listed.
        self._pages: list[_Page] = [
            _Page("today", self.tr("Today"), lambda: _today_page(db)),
            _Page("mentors", self.tr("Mentors"), lambda: _mentors_page(db)),
            _Page("requests", self.tr("Requests"), lambda: _requests_page(db)),
            _Page("programs", self.tr("Programs"), lambda: _programs_page(db)),
            _Page("experiences", self.tr("Experiences"), lambda: _experiences_page(db)),
            _Page("documents", self.tr("Documents"), lambda: _documents_page(db, paths)),
            _Page("templates", self.tr("Templates"), lambda: _templates_page(db)),
            _Page("outbox", self.tr("Outbox"), lambda: _outbox_page(db, paths)),
        ]
        self._scheduler = None  # MailScheduler, started after the first paint
        self._stale: set[str] = set()
        self._splitter_state = QSettings().value("mentorsPage/splitter")

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Pages"))
        self.navigation.setFixedWidth(170)
        style_navigation(self.navigation)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        for entry in self._pages:
            QListWidgetItem(entry.title, self.navigation)
            self.stack.addWidget(QWidget())  # stands in until the page is built
        self.navigation.currentRowChanged.connect(self._show_page)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        # Today is the landing page once there is something to advise on;
        # before that, the Mentors page says how to start.
        self.show_page("today" if count_active_mentors() else "mentors")
        self._update_status()
        self._restore_state()

    # --- construction ----------------------------------------------------------

    def _build_actions(self) -> None:
        self.add_mentor_action = QAction(self.tr("Add mentor…"), self)
        self.add_mentor_action.setObjectName("addMentorAction")
        self.add_mentor_action.setShortcut(QKeySequence.StandardKey.New)
        self.add_mentor_action.triggered.connect(self._add_mentor)
        self.log_action = QAction(self.tr("Log interaction…"), self)
        self.log_action.setObjectName("logInteractionAction")
        self.log_action.setShortcut(QKeySequence("Ctrl+L"))
        self.log_action.triggered.connect(self._log_interaction)
        self.add_experience_action = QAction(self.tr("Add experience…"), self)
        self.add_experience_action.setObjectName("addExperienceAction")
        self.add_experience_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.add_experience_action.triggered.connect(self._add_experience)
        self.new_request_action = QAction(self.tr("New letter request…"), self)
        self.new_request_action.setObjectName("newRequestAction")
        self.new_request_action.setShortcut(QKeySequence("Ctrl+R"))
        self.new_request_action.triggered.connect(self._new_request)
        self.compose_action = QAction(self.tr("Compose email…"), self)
        self.compose_action.setObjectName("composeAction")
        self.compose_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.compose_action.triggered.connect(lambda: self.compose())
        self.profile_action = QAction(self.tr("Profile and cycles…"), self)
        self.profile_action.setObjectName("profileAndCyclesAction")
        self.profile_action.triggered.connect(self._profile_and_cycles)
        self.account_action = QAction(self.tr("Email account…"), self)
        self.account_action.setObjectName("emailAccountAction")
        self.account_action.triggered.connect(self._email_account)
        self.data_action = QAction(self.tr("Data and backups…"), self)
        self.data_action.setObjectName("dataAndBackupsAction")
        self.data_action.triggered.connect(self._data_and_backups)
        self.advice_settings_action = QAction(self.tr("Advice settings…"), self)
        self.advice_settings_action.setObjectName("adviceSettingsAction")
        self.advice_settings_action.triggered.connect(self._advice_settings)
        self.find_action = QAction(self.tr("Find"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_search)
        self.addAction(self.find_action)
        self.quit_action = QAction(self.tr("Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.new_request_action)
        file_menu.addAction(self.add_mentor_action)
        file_menu.addAction(self.log_action)
        file_menu.addAction(self.add_experience_action)
        file_menu.addAction(self.compose_action)
        file_menu.addSeparator()
        self._build_import_export_menu(file_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.profile_action)
        file_menu.addAction(self.account_action)
        file_menu.addAction(self.advice_settings_action)
        file_menu.addAction(self.data_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = help_menu.addAction(self.tr("About LetterDesk"))
        about.triggered.connect(self._about)

    def _build_import_export_menu(self, file_menu: QMenu) -> None:
        # export_actions is imported when an action runs: not needed at start.
        def actions():
            from desktop.ui.data import export_actions

            return export_actions

        import_mentors = file_menu.addAction(self.tr("Import mentors (CSV, vCard)…"))
        import_mentors.setObjectName("importMentorsAction")
        import_mentors.triggered.connect(self._import_mentors)
        export = file_menu.addMenu(self.tr("Export"))
        export.setObjectName("exportMenu")
        for kind, label in (
            ("mentors", self.tr("Mentors (CSV)…")),
            ("requests", self.tr("Letter requests (CSV)…")),
            ("programs", self.tr("Programs (CSV)…")),
        ):
            export.addAction(label).triggered.connect(
                lambda _checked=False, k=kind: actions().export_csv(self, self._db, k)
            )
        export.addAction(self.tr("Deadlines and reminders (calendar)…")).triggered.connect(
            lambda: actions().export_calendar(self, self._db)
        )
        export.addSeparator()
        export.addAction(self.tr("Everything, to move to another computer…")).triggered.connect(
            lambda: actions().export_archive(self, self._db, self._paths)
        )
        self.calendar_feed_action = export.addAction(
            self.tr("Keep a calendar file updated (for your calendar app)")
        )
        self.calendar_feed_action.setObjectName("calendarFeedAction")
        self.calendar_feed_action.setCheckable(True)
        self.calendar_feed_action.setChecked(calendar_feed_enabled())
        self.calendar_feed_action.toggled.connect(self._calendar_feed_toggled)
        import_all = file_menu.addAction(self.tr("Import everything from another computer…"))
        import_all.setObjectName("importArchiveAction")
        import_all.triggered.connect(self._import_archive)

    def _calendar_feed_toggled(self, enabled: bool) -> None:
        from desktop.services.data import calendar_export
        from desktop.ui.common import run_in_background

        run_in_background(
            lambda: calendar_export.set_feed_enabled(self._paths, enabled),
            lambda _none: self.statusBar().showMessage(
                self.tr(
                    "Calendar file kept at {path}; subscribe to it in your calendar app."
                ).format(path=calendar_export.feed_path(self._paths))
                if enabled
                else self.tr("The calendar file is no longer kept."),
                10000,
            ),
            lambda error: self.statusBar().showMessage(
                self.tr("The calendar file could not be written: {error}").format(error=error),
                15000,
            ),
        )

    def _update_calendar_feed(self) -> None:
        """After a change, rewrite the subscribed calendar file (if the user
        keeps one), off the GUI thread; failures only reach the log."""
        if not self.calendar_feed_action.isChecked():
            return
        from desktop.services.data import calendar_export
        from desktop.ui.common import run_in_background

        run_in_background(
            lambda: calendar_export.update_calendar_feed(self._paths),
            lambda _written: None,
            lambda error: log.warning("Calendar file not updated: %s", error),
        )

    def _import_archive(self) -> None:
        from desktop.ui.data.export_actions import import_archive
        from desktop.ui.data.restore_flow import request_restore

        import_archive(self, self._paths, replace_with=lambda source: request_restore(self, source))

    def _import_mentors(self) -> None:
        from desktop.ui.data.export_actions import import_mentors

        if import_mentors(self, self._db, self._paths):
            self._data_changed("import")

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.new_request_action)
        toolbar.addAction(self.add_mentor_action)
        toolbar.addAction(self.log_action)
        toolbar.addAction(self.add_experience_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setFixedWidth(260)
        self.search.textChanged.connect(self._search_changed)
        toolbar.addWidget(self.search)
        self.addToolBar(toolbar)

    # --- pages -------------------------------------------------------------------

    def page(self, key: str) -> QWidget:
        """The page called ``key``, built on first use."""
        index, entry = next((i, e) for i, e in enumerate(self._pages) if e.key == key)
        if entry.widget is None:
            widget = entry.factory()
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, widget)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            entry.widget = widget
            widget.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
            widget.data_changed.connect(lambda source=key: self._data_changed(source))
            self._connect_page(key, widget)
        return entry.widget

    def _built(self, key: str) -> QWidget | None:
        """The page if it has been built, without building it."""
        return next(e.widget for e in self._pages if e.key == key)

    @property
    def mentors_page(self) -> MentorsPage:
        return self.page("mentors")  # type: ignore[return-value]

    @property
    def experiences_page(self) -> ExperiencesPage:
        return self.page("experiences")  # type: ignore[return-value]

    def _connect_page(self, key: str, widget: QWidget) -> None:
        """Links between pages (open a request from Today, and so on)."""
        if key == "mentors":
            if self._splitter_state is not None:
                widget.splitter.restoreState(self._splitter_state)
            if self._painted:
                widget.start_deferred_work()
            widget.new_request_requested.connect(self.new_request_for)
            widget.compose_requested.connect(lambda mid: self.compose(mentor_id=mid))
        if key == "requests":
            widget.compose_requested.connect(lambda rid: self.compose(request_id=rid))
        if key == "today":
            widget.open_request_requested.connect(self.open_request)
            widget.open_mentor_requested.connect(self.open_mentor)
            widget.open_program_requested.connect(self.open_program)
            widget.new_request_requested.connect(self.new_request_for)
            widget.compose_requested.connect(
                lambda rid, mid, why: self.compose(request_id=rid, mentor_id=mid, purpose=why)
            )
        if key == "programs":
            widget.detail.open_request_requested.connect(self.open_request)

    # --- links between pages ------------------------------------------------------

    def open_request(self, request_id: int) -> None:
        self.show_page("requests")
        self.page("requests").open_request(request_id)

    def open_program(self, program_id: int) -> None:
        self.show_page("programs")
        self.page("programs").open_program(program_id)

    def open_mentor(self, mentor_id: int) -> None:
        self.show_page("mentors")
        page = self.mentors_page
        if not page.select_id(mentor_id):
            page.show_archived.setChecked(True)
            page.category_filter.setCurrentIndex(0)
            self.search.clear()
            page.select_id(mentor_id)

    def new_request_for(self, mentor_id: int) -> None:
        self.show_page("requests")
        self.page("requests").new_request(mentor_id)

    def compose(
        self,
        *,
        request_id: int | None = None,
        mentor_id: int | None = None,
        purpose: str | None = None,
    ) -> int | None:
        """Open the compose window; the Outbox and the other pages show
        what it saved or sent."""
        from desktop.ui.mail.compose_dialog import open_compose

        email_id = open_compose(
            self, self._db, self._paths, request_id=request_id, mentor_id=mentor_id,
            purpose=purpose or None,
        )  # fmt: skip
        if email_id is not None:
            self._data_changed("compose")
        return email_id

    def start_mail_scheduler(self) -> None:
        """Scheduled emails go out while the app runs, and those that came
        due while it was closed go out now (after the first paint)."""
        if self._scheduler is None:
            from desktop.ui.mail.mail_scheduler import MailScheduler

            self._scheduler = MailScheduler(self._db, self._paths, self)
            self._scheduler.status_message.connect(
                lambda text: self.statusBar().showMessage(text, 8000)
            )
            self._scheduler.data_changed.connect(lambda: self._data_changed("scheduler"))
        self._scheduler.start()

    def _data_changed(self, source: str) -> None:
        """Other pages show the change: at once when on screen, otherwise
        the next time they are shown."""
        self._update_status()
        self._update_calendar_feed()
        current = self.stack.currentWidget()
        for entry in self._pages:
            if entry.key == source or entry.widget is None:
                continue
            if entry.widget is current:
                _reload(entry.widget)
            else:
                self._stale.add(entry.key)

    def _start_deferred_work(self) -> None:
        self.start_mail_scheduler()
        mentors = self._built("mentors")
        if mentors is not None:
            mentors.start_deferred_work()

    # --- behaviour -------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            # After this paint is done, start work that was held back for it.
            QTimer.singleShot(0, self._start_deferred_work)
        return super().event(event)

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        entry = self._pages[row]
        widget = self.page(entry.key)
        if entry.key in self._stale:
            self._stale.discard(entry.key)
            _reload(widget)
        self.stack.setCurrentIndex(row)
        self._search_changed(self.search.text())
        self.log_action.setEnabled(entry.key == "mentors")

    def show_page(self, page: QWidget | str) -> None:
        key = (
            page if isinstance(page, str) else next(e.key for e in self._pages if e.widget is page)
        )
        self.navigation.setCurrentRow(next(i for i, e in enumerate(self._pages) if e.key == key))

    def _search_changed(self, text: str) -> None:
        page = self.stack.currentWidget()
        if hasattr(page, "set_search_text"):
            page.set_search_text(text)

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _add_mentor(self) -> None:
        self.show_page(self.mentors_page)
        self.mentors_page.add_mentor()

    def _new_request(self) -> None:
        self.show_page("requests")
        self.page("requests").new_request()

    def _profile_and_cycles(self) -> None:
        from desktop.ui.profile.profile_dialog import open_profile_and_cycles

        if open_profile_and_cycles(self):
            self._data_changed("profile")

    def _email_account(self) -> None:
        from desktop.ui.mail.account_dialog import open_account_settings

        open_account_settings(self, self._db)

    def _data_and_backups(self) -> None:
        from desktop.ui.data.data_dialog import open_data_dialog

        open_data_dialog(self, self._db, self._paths)

    def _advice_settings(self) -> None:
        from desktop.ui.today.settings_dialog import open_advice_settings

        if open_advice_settings(self):
            today = self._built("today")
            if today is not None:
                _reload(today)

    def _add_experience(self) -> None:
        self.show_page("experiences")
        self.experiences_page.add()

    def _log_interaction(self) -> None:
        self.show_page("mentors")
        if self.mentors_page.selected_id() is None:
            self.statusBar().showMessage(
                self.tr("Select a mentor first, then log the interaction."), 6000
            )
            return
        self.mentors_page.log_interaction()

    def _update_status(self) -> None:
        active = count_active_mentors()
        self.statusBar().showMessage(
            self.tr("{active} active mentors · data in {folder}").format(
                active=active, folder=self._paths.root
            )
        )

    def _about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("About LetterDesk"),
            self.tr(
                "<b>LetterDesk {version}</b><p>Plan, request and track your letters of "
                "recommendation, on your own computer.</p><p>Your data: {folder}</p>"
            ).format(version=__version__, folder=self._paths.root),
        )

    # --- window state ----------------------------------------------------------

    def _restore_state(self) -> None:
        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 780)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._scheduler is not None:
            self._scheduler.stop()
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        mentors = self._built("mentors")
        if mentors is not None:
            settings.setValue("mentorsPage/splitter", mentors.splitter.saveState())
        super().closeEvent(event)

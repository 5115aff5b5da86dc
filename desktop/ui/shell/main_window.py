"""The main window: navigation sidebar, toolbar with search, pages, status bar."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRect, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
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
from desktop.errors import UserError
from desktop.paths import DataPaths
from desktop.store.mentors import count_active_mentors
from desktop.store.settings import calendar_feed_enabled

# Each feature package registers its pages when imported; the modules that
# build them are imported only when a page is first shown.
from desktop.ui import data as data_feature
from desktop.ui import (  # noqa: F401
    documents,
    experiences,
    mail,
    mentors,
    programs,
    requests,
    today,
)
from desktop.ui.common import (
    COMPOSE,
    Changes,
    Intent,
    Page,
    PageContext,
    PageSpec,
    SaveFailed,
    Target,
    UndoStep,
    fits_screen,
    guarded,
    install_ui_habits,
    registered_pages,
    room_for,
    run_in_background,
    style_navigation,
)

from .tray import Tray, tray_available
from .undo_notice import UndoNotice

log = logging.getLogger(__name__)


# Beyond this a window on a big screen only spreads the same lines thinner.
_COMFORTABLE = QSize(1440, 900)


@dataclass
class _Slot:
    """A registered page's place in the window; ``page`` once it is built."""

    spec: PageSpec
    page: Page | None = None


class MainWindow(QMainWindow):
    def __init__(self, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self._paths = paths
        self._context = PageContext(paths)
        self._painted = False
        # Pages are built the first time they are shown, so start-up pays
        # only for the first one.
        self._slots = [_Slot(spec) for spec in registered_pages()]
        self._scheduler = None  # MailScheduler, started after the first paint
        self._reply_watch = None  # ReplyWatch, started after the first paint
        self.tray: Tray | None = None
        self._quitting = False  # the tray's Quit: close for good
        self._deferred_started = False
        self._stale: set[str] = set()

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Pages"))
        self.navigation.setFixedWidth(170)
        style_navigation(self.navigation)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        for slot in self._slots:
            QListWidgetItem(QCoreApplication.translate("Pages", slot.spec.title), self.navigation)
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
        self._build_status_bar()
        # Today is the landing page once there is something to advise on;
        # before that, the Mentors page says how to start.
        self.show_page("today" if count_active_mentors() else "mentors")
        self._update_status()
        self._restore_state()

    # --- construction ----------------------------------------------------------

    def _build_actions(self) -> None:
        self.add_mentor_action = QAction(self.tr("Add &mentor…"), self)
        self.add_mentor_action.setObjectName("addMentorAction")
        self.add_mentor_action.setShortcut(QKeySequence.StandardKey.New)
        self.add_mentor_action.triggered.connect(self._add_mentor)
        self.log_action = QAction(self.tr("&Log interaction…"), self)
        self.log_action.setObjectName("logInteractionAction")
        self.log_action.setShortcut(QKeySequence("Ctrl+L"))
        self.log_action.triggered.connect(self._log_interaction)
        self.add_experience_action = QAction(self.tr("Add e&xperience…"), self)
        self.add_experience_action.setObjectName("addExperienceAction")
        self.add_experience_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.add_experience_action.triggered.connect(self._add_experience)
        self.new_request_action = QAction(self.tr("&New letter request…"), self)
        self.new_request_action.setObjectName("newRequestAction")
        self.new_request_action.setShortcut(QKeySequence("Ctrl+R"))
        self.new_request_action.triggered.connect(self._new_request)
        self.compose_action = QAction(self.tr("&Compose email…"), self)
        self.compose_action.setObjectName("composeAction")
        self.compose_action.setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.compose_action.triggered.connect(lambda: self.compose())
        self.profile_action = QAction(self.tr("&Profile and cycles…"), self)
        self.profile_action.setObjectName("profileAndCyclesAction")
        self.profile_action.triggered.connect(self._profile_and_cycles)
        self.account_action = QAction(self.tr("Email &account…"), self)
        self.account_action.setObjectName("emailAccountAction")
        self.account_action.triggered.connect(self._email_account)
        self.data_action = QAction(self.tr("&Data and backups…"), self)
        self.data_action.setObjectName("dataAndBackupsAction")
        self.data_action.triggered.connect(self._data_and_backups)
        self.advice_settings_action = QAction(self.tr("Advice se&ttings…"), self)
        self.advice_settings_action.setObjectName("adviceSettingsAction")
        self.advice_settings_action.triggered.connect(self._advice_settings)
        self.find_action = QAction(self.tr("&Find"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_search)
        self.addAction(self.find_action)
        self.quit_action = QAction(self.tr("&Quit"), self)
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
        self._build_go_menu()
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = help_menu.addAction(self.tr("&About LetterDesk"))
        about.triggered.connect(self._about)

    def _build_go_menu(self) -> None:
        """Go → each page, Ctrl+1… in the navigation's order."""
        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        go_menu.setObjectName("goMenu")
        self.go_actions: list[QAction] = []
        for number, slot in enumerate(self._slots, start=1):
            title = QCoreApplication.translate("Pages", slot.spec.title)
            action = go_menu.addAction(f"&{number} {title}" if number < 10 else title)
            action.setObjectName(f"go{slot.spec.key.title()}Action")
            if number < 10:
                action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, k=slot.spec.key: self._go_to_page(k))
            self.addAction(action)  # the shortcut works with the menu closed
            self.go_actions.append(action)
        go_menu.addSeparator()
        go_menu.addAction(self.find_action)

    def _go_to_page(self, key: str) -> None:
        self.show_page(key)
        self.page(key).focus_results()

    def _build_import_export_menu(self, file_menu: QMenu) -> None:
        import_mentors = file_menu.addAction(self.tr("&Import mentors (CSV, vCard)…"))
        import_mentors.setObjectName("importMentorsAction")
        import_mentors.triggered.connect(self._import_mentors)
        export = file_menu.addMenu(self.tr("&Export"))
        export.setObjectName("exportMenu")
        for kind, label in (
            ("mentors", self.tr("&Mentors (CSV)…")),
            ("requests", self.tr("&Letter requests (CSV)…")),
            ("programs", self.tr("&Programs (CSV)…")),
        ):
            export.addAction(label).triggered.connect(
                lambda _checked=False, k=kind: data_feature.export_csv(self, k)
            )
        export.addAction(self.tr("&Deadlines and reminders (calendar)…")).triggered.connect(
            lambda: data_feature.export_calendar(self)
        )
        export.addSeparator()
        export.addAction(self.tr("&Everything, to move to another computer…")).triggered.connect(
            lambda: data_feature.export_archive(self, self._paths)
        )
        self.calendar_feed_action = export.addAction(
            self.tr("&Keep a calendar file updated (for your calendar app)")
        )
        self.calendar_feed_action.setObjectName("calendarFeedAction")
        self.calendar_feed_action.setCheckable(True)
        self.calendar_feed_action.setChecked(calendar_feed_enabled())
        self.calendar_feed_action.toggled.connect(self._calendar_feed_toggled)
        import_all = file_menu.addAction(self.tr("Import e&verything from another computer…"))
        import_all.setObjectName("importArchiveAction")
        import_all.triggered.connect(self._import_archive)

    def _calendar_feed_toggled(self, enabled: bool) -> None:
        from desktop.services.data import calendar_export

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

        run_in_background(
            lambda: calendar_export.update_calendar_feed(self._paths),
            lambda _written: None,
            lambda error: log.warning("Calendar file not updated: %s", error),
        )

    def _import_archive(self) -> None:
        from desktop.ui.data import import_archive, request_restore

        import_archive(self, self._paths, replace_with=lambda source: request_restore(self, source))

    def _import_mentors(self) -> None:
        from desktop.ui.data import import_mentors

        if import_mentors(self, self._paths):
            self._data_changed(Changes.MENTORS)

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
        self.search.installEventFilter(self)  # Tab goes to the results
        toolbar.addWidget(self.search)
        self.addToolBar(toolbar)

    # --- pages -------------------------------------------------------------------

    def _index(self, key: str) -> int:
        return next(i for i, slot in enumerate(self._slots) if slot.spec.key == key)

    def page(self, key: str) -> Page:
        """The page called ``key``, built on first use."""
        index = self._index(key)
        slot = self._slots[index]
        if slot.page is None:
            page = slot.spec.build(self._context)
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            slot.page = page
            page.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
            page.undoable.connect(self._offer_undo)
            page.data_changed.connect(
                lambda changes, source=key: self._data_changed(changes, source)
            )
            page.navigate.connect(self.go_to)
            settings = QSettings()
            settings.beginGroup(f"{key}Page")
            page.restore_view_state(settings)
            settings.endGroup()
            if self._painted:
                page.start_deferred_work()
        return slot.page

    def _built_pages(self) -> list[tuple[str, Page]]:
        return [(slot.spec.key, slot.page) for slot in self._slots if slot.page is not None]

    # --- going places ---------------------------------------------------------------

    def go_to(self, target: Target) -> None:
        """Take the user where a page, a menu or a shortcut asks."""
        if target.page == COMPOSE:
            self.compose(
                request_id=target.request_id, mentor_id=target.mentor_id, purpose=target.purpose
            )
            return
        if target.intent is Intent.OPEN and target.item_id is not None:
            self.search.clear()  # a search could hide what was asked for
        self.show_page(target.page)
        self.page(target.page).go_to(target)

    def compose(
        self,
        *,
        request_id: int | None = None,
        mentor_id: int | None = None,
        purpose: str | None = None,
    ) -> int | None:
        """Open the compose window; the Outbox and the other pages show
        what it saved or sent."""
        from desktop.ui.mail import open_compose

        email_id = open_compose(
            self, self._paths, request_id=request_id, mentor_id=mentor_id,
            purpose=purpose or None,
        )  # fmt: skip
        if email_id is not None:
            self._data_changed(Changes.SENDING)
        return email_id

    def start_mail_scheduler(self) -> None:
        """Scheduled emails go out while the app runs, and those that came
        due while it was closed go out now (after the first paint)."""
        if self._scheduler is None:
            from desktop.ui.mail import MailScheduler

            self._scheduler = MailScheduler(self._paths, self)
            self._scheduler.status_message.connect(
                lambda text: self.statusBar().showMessage(text, 8000)
            )
            self._scheduler.data_changed.connect(lambda: self._data_changed(Changes.SENDING))
        self._scheduler.start()

    def start_reply_watch(self) -> None:
        """Watch the inbox for writers' replies (or say quietly why not)."""
        if self._reply_watch is None:
            from desktop.ui.mail import ReplySignInNotice, ReplyWatch

            watch = self._reply_watch = ReplyWatch(self)
            watch.status_changed.connect(self._background_status)
            watch.replies_arrived.connect(self._replies_arrived)
            # Not a dialog every minute: a lasting note with its button.
            self.reply_sign_in = ReplySignInNotice(self)
            self.statusBar().addPermanentWidget(self.reply_sign_in)
            watch.sign_in_needed.connect(self._reply_sign_in_needed)
            self.reply_sign_in.sign_in_requested.connect(self._sign_in_for_replies)
        self._reply_watch.restart()

    def _reply_sign_in_needed(self, provider_key: str) -> None:
        assert self._reply_watch is not None
        self.reply_sign_in.show_for(provider_key, self._reply_watch.status)
        if self.reply_sign_in.isVisible():
            self.statusBar().clearMessage()  # the note says it, and it stays

    @property
    def reply_watch(self):
        return self._reply_watch

    def _replies_arrived(self, reply_ids: list[int]) -> None:
        self._data_changed(Changes.REPLIES)
        if self.tray is not None:
            self.tray.notify_replies(reply_ids)

    def start_tray(self) -> None:
        if self.tray is None:
            self.tray = Tray(self)
            self.tray.open_requested.connect(self.bring_back)
            self.tray.today_requested.connect(lambda: (self.bring_back(), self.show_page("today")))
            self.tray.quit_requested.connect(self.quit_for_good)
            self.tray.start()

    def start_in_tray(self) -> None:
        """Started at login: no window, the tray and the background work only."""
        QApplication.setQuitOnLastWindowClosed(False)
        QTimer.singleShot(0, self._start_deferred_work)

    def bring_back(self) -> None:
        QApplication.setQuitOnLastWindowClosed(True)
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def quit_for_good(self) -> None:
        self._quitting = True
        self.close()
        QApplication.quit()

    def _data_changed(self, changes: Changes, source: str | None = None) -> None:
        """Pages that show what changed reload: at once when on screen,
        otherwise the next time they are shown. The page that made the
        change has already shown it."""
        self._update_status()
        self._update_calendar_feed()
        if self.tray is not None:
            self.tray.recount()
        current = self.stack.currentWidget()
        for key, page in self._built_pages():
            if key == source or not page.shows(changes):
                continue
            if page is current:
                page.reload()
            else:
                self._stale.add(key)

    def _start_deferred_work(self) -> None:
        if self._deferred_started:
            return
        self._deferred_started = True
        # The app-wide filter sees every event; put in place after the first
        # paint, it costs start-up nothing. The window has sized itself
        # (_restore_state), the landing page's tables are made by
        # table_view, and every dialog opens after this.
        install_ui_habits()
        self.start_mail_scheduler()
        self.start_tray()
        self.start_reply_watch()
        for _key, page in self._built_pages():
            page.start_deferred_work()

    # --- behaviour -------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Down)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            page = self.stack.currentWidget()
            if isinstance(page, Page):
                page.focus_results()
                return True
        return super().eventFilter(watched, event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            # After this paint is done, start work that was held back for it.
            QTimer.singleShot(0, self._start_deferred_work)
        return super().event(event)

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        key = self._slots[row].spec.key
        page = self.page(key)
        if key in self._stale:
            self._stale.discard(key)
            page.reload()
        self.stack.setCurrentIndex(row)
        page.set_search_text(self.search.text())

    def show_page(self, key: str) -> None:
        self.navigation.setCurrentRow(self._index(key))

    def _search_changed(self, text: str) -> None:
        page = self.stack.currentWidget()
        if isinstance(page, Page):
            page.set_search_text(text)

    def _focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _add_mentor(self) -> None:
        self.go_to(Target("mentors", Intent.NEW))

    def _new_request(self) -> None:
        self.go_to(Target("requests", Intent.NEW))

    def _add_experience(self) -> None:
        self.go_to(Target("experiences", Intent.NEW))

    def _log_interaction(self) -> None:
        """Log an interaction with the mentor selected on this page (the
        Mentors page's, or the writer of the selected request), in place."""
        page = self.stack.currentWidget()
        mentor_id = page.selected_mentor_id() if isinstance(page, Page) else None
        on_mentors = page is self._slots[self._index("mentors")].page
        if mentor_id is None and not on_mentors:
            self.statusBar().showMessage(
                self.tr("Select a mentor or one of their requests, then log the interaction."),
                8000,
            )
            return
        self.page("mentors").go_to(Target("mentors", Intent.LOG_INTERACTION, mentor_id=mentor_id))

    def _profile_and_cycles(self) -> None:
        from desktop.ui.profile import open_profile_and_cycles

        if open_profile_and_cycles(self):
            self._data_changed(Changes.PROFILE | Changes.CYCLES)

    def _email_account(self) -> None:
        self._open_account_settings(None)

    def _sign_in_for_replies(self, provider_key: str) -> None:
        """The status bar's "Sign in again": the account dialog, signing in."""
        self._open_account_settings(provider_key)

    def _open_account_settings(self, sign_in: str | None) -> None:
        from desktop.ui.mail import open_account_settings

        if open_account_settings(self, sign_in=sign_in) and self._reply_watch is not None:
            self._reply_watch.restart()  # the server, the login or the switch changed

    def _data_and_backups(self) -> None:
        from desktop.ui.data import open_data_dialog

        open_data_dialog(self, self._paths)

    def _advice_settings(self) -> None:
        from desktop.ui.today import open_advice_settings

        if open_advice_settings(self):
            self._data_changed(Changes.ADVICE_SETTINGS)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        # The counts stay at the right; messages and Undo come and go on the left.
        self.summary_label = QLabel()
        self.summary_label.setObjectName("statusSummary")
        bar.addPermanentWidget(self.summary_label)
        self.undo_notice = UndoNotice()
        self.undo_notice.undo_requested.connect(self._undo)
        bar.addWidget(self.undo_notice)
        # A newer message replaces the offer (Qt would only hide it a while).
        bar.messageChanged.connect(lambda text: text and self.undo_notice.withdraw())
        self.undo_action = QAction(self.tr("Undo the last change"), self)
        self.undo_action.setObjectName("undoLastChangeAction")
        # Ctrl+Z in a text field still undoes the typing: the field takes the
        # shortcut first.
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(lambda: self.undo_notice.button.click())
        self.addAction(self.undo_action)

    def _background_status(self, text: str) -> None:
        """A background job's quiet status (the reply watcher reconnecting)
        waits behind an Undo on offer rather than taking it away."""
        if self.undo_notice.step() is None:
            self.statusBar().showMessage(text, 8000)

    def _offer_undo(self, step: UndoStep) -> None:
        self.statusBar().clearMessage()
        self.undo_notice.offer(step)

    def _undo(self, step: UndoStep) -> None:
        try:
            guarded(self, step.undo, handled_here=(UserError,))
        except SaveFailed:
            return
        except UserError as refused:
            self.statusBar().showMessage(refused.user_message, 12000)
            return
        self._data_changed(step.changes)  # every page, the one that made it too
        self.statusBar().showMessage(step.undone, 8000)

    def _update_status(self) -> None:
        active = count_active_mentors()
        text = (
            self.tr("1 active mentor · data in {folder}")
            if active == 1
            else self.tr("{active} active mentors · data in {folder}")
        )
        self.summary_label.setText(text.format(active=active, folder=self._paths.root))

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
        """The size and place the window had, when they fit the screen it
        opens on now; otherwise the screen's room, up to a comfortable size."""
        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        restored = geometry is not None and self.restoreGeometry(geometry)
        if restored and fits_screen(self.geometry(), self):
            return
        room = room_for(self)
        size = room.size().boundedTo(_COMFORTABLE)
        frame = QRect(room.topLeft(), size)
        frame.moveCenter(room.center())
        self.setGeometry(frame)

    def _scheduled_count(self) -> int:
        from desktop.domain.vocabulary import EmailState
        from desktop.store.outbox import list_outbox

        return len(list_outbox([EmailState.SCHEDULED]))

    def _ask_keep_in_tray(self, scheduled: int) -> str:
        """ "tray", "quit" or "cancel"."""
        box = QMessageBox(self)
        box.setObjectName("keepInTray")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Keep LetterDesk running?"))
        box.setText(
            (
                self.tr("1 email is scheduled.")
                if scheduled == 1
                else self.tr("{n} emails are scheduled.").format(n=scheduled)
            )
            + " "
            + self.tr(
                "They go out only while LetterDesk runs. Keep it running in the tray so "
                "they are sent on time?"
            )
        )
        keep = box.addButton(self.tr("Keep running in the tray"), QMessageBox.ButtonRole.AcceptRole)
        keep.setObjectName("keepRunning")
        quit_button = box.addButton(self.tr("Quit"), QMessageBox.ButtonRole.DestructiveRole)
        quit_button.setObjectName("quitAnyway")
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(keep)
        box.exec()
        clicked = box.clickedButton()
        return "tray" if clicked is keep else "quit" if clicked is quit_button else "cancel"

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._quitting and self.isVisible() and self.tray is not None and tray_available():
            scheduled = self._scheduled_count()
            if scheduled:
                answer = self._ask_keep_in_tray(scheduled)
                if answer != "quit":
                    event.ignore()
                    if answer == "tray":
                        QApplication.setQuitOnLastWindowClosed(False)
                        self.hide()
                        self.statusBar().clearMessage()
                    return
        if self._scheduler is not None:
            self._scheduler.stop()
        if self._reply_watch is not None:
            self._reply_watch.stop(wait_seconds=1.0)
        if self.tray is not None:
            self.tray.icon.hide()
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        for key, page in self._built_pages():
            settings.beginGroup(f"{key}Page")
            page.save_view_state(settings)
            settings.endGroup()
        super().closeEvent(event)

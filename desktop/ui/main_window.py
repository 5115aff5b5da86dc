"""The main window: navigation sidebar, toolbar with search, pages, status bar."""

from __future__ import annotations

import peewee as pw
from PySide6.QtCore import QEvent, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from desktop import APP_NAME, __version__
from desktop.paths import DataPaths

from .experiences_page import ExperiencesPage
from .mentors_page import MentorsPage
from .style import style_navigation


class MainWindow(QMainWindow):
    def __init__(self, db: pw.Database, paths: DataPaths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self._paths = paths
        self._painted = False

        self.mentors_page = MentorsPage(db)
        self.experiences_page = ExperiencesPage(db)
        # Later issues add Today, Requests, Programs, Documents, Outbox and
        # Templates here; only pages that work are listed.
        self._pages: list[tuple[str, QWidget]] = [
            (self.tr("Mentors"), self.mentors_page),
            (self.tr("Experiences"), self.experiences_page),
        ]
        self.mentors_page.data_changed.connect(self.experiences_page.reload)
        self.mentors_page.data_changed.connect(self._update_status)
        self.experiences_page.data_changed.connect(self.mentors_page.reload)
        for page in (self.mentors_page, self.experiences_page):
            page.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName(self.tr("Pages"))
        self.navigation.setFixedWidth(170)
        style_navigation(self.navigation)
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        for title, page in self._pages:
            QListWidgetItem(title, self.navigation)
            self.stack.addWidget(page)
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
        self.navigation.setCurrentRow(0)
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
        self.add_experience_action.triggered.connect(self.experiences_page.add)
        self.find_action = QAction(self.tr("Find"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._focus_search)
        self.addAction(self.find_action)
        self.quit_action = QAction(self.tr("Quit"), self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        file_menu.addAction(self.add_mentor_action)
        file_menu.addAction(self.log_action)
        file_menu.addAction(self.add_experience_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = help_menu.addAction(self.tr("About LetterDesk"))
        about.triggered.connect(self._about)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(18, 18))
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
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

    # --- behaviour -------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._painted:
            self._painted = True
            # After this paint is done, start work that was held back for it.
            QTimer.singleShot(0, self.mentors_page.start_deferred_work)
        return super().event(event)

    def _show_page(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        self._search_changed(self.search.text())
        self.log_action.setEnabled(self.stack.currentWidget() is self.mentors_page)

    def show_page(self, page: QWidget) -> None:
        self.navigation.setCurrentRow(self.stack.indexOf(page))

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

    def _log_interaction(self) -> None:
        if self.mentors_page.selected_id() is None:
            self.statusBar().showMessage(
                self.tr("Select a mentor first, then log the interaction."), 6000
            )
            return
        self.mentors_page.log_interaction()

    def _update_status(self) -> None:
        rows = self.mentors_page.model.all_rows()
        active = sum(1 for row in rows if not row.archived)
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
        splitter_state = settings.value("mentorsPage/splitter")
        if splitter_state is not None:
            self.mentors_page.splitter.restoreState(splitter_state)

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.setValue("mentorsPage/splitter", self.mentors_page.splitter.saveState())
        super().closeEvent(event)

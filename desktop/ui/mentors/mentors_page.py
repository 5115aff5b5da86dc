"""Mentors page: the table of people who might write, filtered as you type,
with the selected mentor's detail and rapport log beside it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QItemSelection, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.people import mentor_display_name
from desktop.domain.vocabulary import MentorCategory
from desktop.store import experiences as experience_store
from desktop.store import mentors as mentor_store
from desktop.store import requests as request_store
from desktop.store.errors import explain_database_error
from desktop.store.mentors import MentorFields, MentorHasRequestsError, MentorRow
from desktop.store.settings import load_thresholds
from desktop.ui.common import (
    Changes,
    FlowLayout,
    Intent,
    Page,
    PageContext,
    RowTableModel,
    SaveFailed,
    Target,
    choices,
    confirm,
    empty_state,
    guarded,
    list_beside_detail,
    mentor_columns,
    run_in_background,
    set_role,
    stars,
    table_view,
    widen_to_fit,
)
from desktop.ui.mentors.mentor_detail import MentorDetail

# Rows loaded before the first paint; the rest come from a worker thread.
FIRST_SCREEN_ROWS = 200


def matches_search(haystack: str, terms: list[str]) -> bool:
    return all(term in haystack for term in terms)


class MentorsPage(Page):
    """Controller and layout of the Mentors page."""

    # The list shows letter counts and last contact, so requests and emails count too.
    WATCHES = (
        Changes.MENTORS | Changes.INTERACTIONS | Changes.EXPERIENCES | Changes.REQUESTS
        | Changes.EMAILS | Changes.REPLIES
    )  # fmt: skip
    loaded = Signal()  # a background load of the full list finished

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("mentorsPage")
        self._today = date.today()
        self._search_terms: list[str] = []
        self._filter_key: tuple | None = None
        self._generation = 0
        self._loading = False
        self._window_painted = False
        self._deferred_load: Callable[[], None] | None = None

        self.model: RowTableModel[MentorRow] = RowTableModel(mentor_columns(self._today), self)
        self.model.set_muted(lambda row: row.archived)
        self.table = table_view("mentorsTable", self.model, self.tr("Mentors"), sort_column=0)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(40)
        # Fixed starting widths: ResizeToContents would measure every row,
        # which is slow at 20,000 mentors. No header is cut short.
        for column, width in enumerate((190, 120, 100, 60, 62, 88, 50)):
            header.resizeSection(column, width)
            widen_to_fit(
                self.table, column, self.model.headerData(column, Qt.Orientation.Horizontal)
            )
        widen_to_fit(self.table, 4, stars(5))  # the strength stays whole in a larger font
        # The institution takes the spare width, but never less than its
        # header: a narrow window scrolls sideways instead of cutting it.
        self._institution_least = header.sectionSize(3)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())

        self.category_filter = QComboBox()
        self.category_filter.setObjectName("categoryFilter")
        self.category_filter.setAccessibleName(self.tr("Filter by category"))
        self.category_filter.addItem(self.tr("All categories"), None)
        for label, value in choices(MentorCategory):
            self.category_filter.addItem(label, value)
        self.category_filter.currentIndexChanged.connect(self._apply_filter)
        self.show_archived = QCheckBox(self.tr("Show archived"))
        self.show_archived.setObjectName("showArchived")
        self.show_archived.toggled.connect(self._apply_filter)
        self.count_label = QLabel()
        self.count_label.setObjectName("mentorCount")
        add_button = QPushButton(self.tr("Add mentor…"))
        add_button.setObjectName("addMentor")
        set_role(add_button, "primary")
        add_button.clicked.connect(self.add_mentor)

        bar = FlowLayout()
        bar.addWidget(self.category_filter)
        bar.addWidget(self.show_archived)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        bar.addWidget(add_button)

        self.detail = MentorDetail()
        self.detail.request_letter_requested.connect(self._request_letter)
        self.detail.email_requested.connect(self._email_mentor)
        self.detail.edit_requested.connect(self.edit_selected)
        self.detail.log_requested.connect(self.log_interaction)
        self.detail.archive_requested.connect(self.toggle_archive)
        self.detail.delete_requested.connect(self.delete_selected)
        self.detail.add_experience_requested.connect(self.add_experience_for_selected)
        self.detail.edit_experience_requested.connect(self.edit_experience)
        self.detail.edit_interaction_requested.connect(self.edit_interaction)
        self.detail.delete_interaction_requested.connect(self.delete_interaction)
        self.detail.open_letter_requested.connect(
            lambda request_id: self.navigate.emit(Target("requests", item_id=request_id))
        )

        self.empty_state = empty_state(
            "mentorsEmptyState",
            self.tr(
                "No mentors yet. Add the people who might write for you: attendings "
                "and residents from your rotations, research advisors, your academic "
                "advisor, and a former employer or coach who knows your character."
            ),
        )

        self.splitter = list_beside_detail(
            "mentorsSplitter", bar, self.table, self.empty_state, self.detail
        )
        self.detail.setMinimumWidth(420)  # its buttons and log stay whole
        self.splitter.setSizes([720, 420])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self._apply_filter()  # archived mentors hidden from the start
        self.reload()

    # --- layout ----------------------------------------------------------------

    def eventFilter(self, watched, event) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            header = self.table.horizontalHeader()
            others = sum(header.sectionSize(c) for c in range(header.count()) if c != 3)
            spare = self.table.viewport().width() - others
            header.resizeSection(3, max(self._institution_least, spare))
        return super().eventFilter(watched, event)

    # --- loading and filtering ---------------------------------------------

    def reload(self) -> None:
        """Load the mentors. A long list shows its first screen at once and
        the rest arrives from a worker thread, so the window never waits
        on 20,000 rows."""
        selected = self.selected_id()
        self._today = date.today()
        self._generation += 1
        first = mentor_store.load_mentor_rows(limit=FIRST_SCREEN_ROWS + 1)
        if len(first) <= FIRST_SCREEN_ROWS:
            self._loading = False
            self._set_rows(first, selected)
            return
        self._loading = True
        self._set_rows(first[:FIRST_SCREEN_ROWS], selected)
        generation = self._generation
        column = self.model.sort_column()

        def load() -> tuple[list[MentorRow], dict]:
            # Sorted on the worker too, so the GUI thread only shows them.
            rows = mentor_store.load_mentor_rows()
            return rows, self.model.order_rows(rows, column)

        self._deferred_load = lambda: run_in_background(
            load,
            lambda loaded: self._background_loaded(*loaded, generation, selected),
            self._background_failed,
        )
        if self._window_painted:
            self.start_deferred_work()

    def start_deferred_work(self) -> None:
        """Called once the window is on screen: a worker started earlier
        would compete with the first paint for the interpreter."""
        self._window_painted = True
        work, self._deferred_load = self._deferred_load, None
        if work is not None:
            work()

    def is_loading(self) -> bool:
        return self._loading

    def _background_loaded(
        self, rows: list[MentorRow], ordered: dict, generation: int, selected: int | None
    ) -> None:
        if generation != self._generation:
            return  # a newer reload superseded this one
        self._loading = False
        self._set_rows(rows, self.selected_id() or selected, ordered)
        self.loaded.emit()

    def _background_failed(self, error: Exception) -> None:
        self._loading = False
        QMessageBox.warning(
            self,
            self.tr("Mentors not loaded"),
            explain_database_error(error)
            or self.tr("Loading the mentor list failed: {error}").format(error=error),
        )

    def _set_rows(
        self, rows: list[MentorRow], selected: int | None, ordered: dict | None = None
    ) -> None:
        self.model.set_rows(rows, ordered)
        self._after_filter(selected)

    def set_search_text(self, text: str) -> None:
        self._search_terms = text.casefold().split()
        self._apply_filter()

    def _apply_filter(self) -> None:
        category = self.category_filter.currentData()
        archived = self.show_archived.isChecked()
        terms = self._search_terms
        key = (category, archived, tuple(terms))
        if key == self._filter_key:
            return  # e.g. switching pages re-sends the same search text
        self._filter_key = key
        selected = self.selected_id()
        if category is None and archived and not terms:
            self.model.set_filter(None)
        else:
            self.model.set_filter(
                lambda row: (
                    (archived or not row.archived)
                    and (category is None or row.category == category)
                    and matches_search(row.search_text, terms)
                )
            )
        self._after_filter(selected)

    def _after_filter(self, keep_selected: int | None) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        if self._loading:
            self.count_label.setText(
                self.tr("Loading {total:,} mentors…").format(total=mentor_store.count_mentors())
            )
        else:
            self.count_label.setText(
                self.tr("{shown:,} of {total:,} mentors").format(shown=shown, total=total)
            )
        self.empty_state.setVisible(total == 0)
        self.table.setVisible(total > 0)
        if keep_selected is not None and self.select_id(keep_selected):
            return
        if total == 0:
            placeholder = self.tr(
                "Add your first mentor with “Add mentor…” above (Ctrl+N), or bring a "
                "list in with File → Import mentors (CSV, vCard)…. Their details and "
                "your log with them appear here."
            )
        elif not shown:
            placeholder = self.tr("No mentor matches the search and filters.")
        else:
            placeholder = self.tr("Select a mentor to see the relationship at a glance.")
        self.detail.show_placeholder(placeholder)

    # --- selection ---------------------------------------------------------

    def selected_mentor_id(self) -> int | None:
        return self.selected_id()

    def selected_id(self) -> int | None:
        row = self.model.row_at(self.table.currentIndex())
        selected = self.table.selectionModel().hasSelection()
        return row.id if row is not None and selected else None

    def go_to(self, target: Target) -> None:
        if target.intent is Intent.NEW:
            self.add_mentor()
        elif target.intent is Intent.LOG_INTERACTION:
            if target.mentor_id is not None:
                self.select_id(target.mentor_id)
            if self.selected_id() is None:
                self.status_message.emit(
                    self.tr("Select a mentor first, then log the interaction.")
                )
            else:
                self.log_interaction()
        elif target.item_id is not None and not self.select_id(target.item_id):
            # Hidden by the filters: widen them (the window has cleared the search).
            self.show_archived.setChecked(True)
            self.category_filter.setCurrentIndex(0)
            self.select_id(target.item_id)

    def save_view_state(self, settings: QSettings) -> None:
        settings.setValue("splitter", self.splitter.saveState())

    def restore_view_state(self, settings: QSettings) -> None:
        state = settings.value("splitter")
        if state is not None:
            self.splitter.restoreState(state)

    def select_id(self, mentor_id: int) -> bool:
        number = self.model.row_of_id(mentor_id)
        if number < 0:
            return False
        self.table.selectRow(number)
        self.table.scrollTo(self.model.index(number, 0))
        self._show_detail(mentor_id)
        return True

    def _selection_changed(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        mentor_id = self.selected_id()
        if mentor_id is not None:
            self._show_detail(mentor_id)

    def _show_detail(self, mentor_id: int) -> None:
        mentor = mentor_store.get_mentor(mentor_id)
        self.detail.show_mentor(
            mentor,
            mentor_store.last_contact(mentor_id),
            experience_store.load_experience_rows(mentor_id),
            mentor_store.interactions_for(mentor_id),
            self._today,
            request_store.load_request_rows(mentor_id=mentor_id),
            load_thresholds(),
        )

    def _refresh_mentor(self, mentor_id: int) -> None:
        self.model.replace_row(mentor_id, mentor_store.load_mentor_row(mentor_id))
        self._after_filter(mentor_id)
        self.data_changed.emit(Changes.MENTORS | Changes.INTERACTIONS | Changes.EXPERIENCES)

    # --- actions -----------------------------------------------------------

    def _email_mentor(self) -> None:
        mentor_id = self.selected_id()
        if mentor_id is not None:
            self.navigate.emit(Target.compose(mentor_id=mentor_id))

    def _request_letter(self) -> None:
        mentor_id = self.selected_id()
        if mentor_id is not None:
            self.navigate.emit(Target("requests", Intent.NEW, mentor_id=mentor_id))

    # Dialogs are imported when first opened: the first window needs none.

    def add_mentor(self) -> None:
        from desktop.ui.mentors.mentor_dialog import MentorDialog

        dialog = MentorDialog(parent=self)
        while dialog.exec():
            try:
                values = dialog.values()
                mentor_id = guarded(self, lambda v=values: mentor_store.save_mentor(v))
            except SaveFailed:
                continue  # the dialog reopens with what the user typed
            self._refresh_mentor(mentor_id)
            if not self.select_id(mentor_id):
                self.status_message.emit(
                    self.tr("Added {name}; the current filter hides them.").format(
                        name=mentor_display_name(
                            values.honorific,
                            values.first_name,
                            values.last_name,
                            values.credentials,
                        )
                    )
                )
            return

    def edit_selected(self) -> None:
        mentor_id = self.selected_id()
        if mentor_id is None:
            return
        from desktop.ui.mentors.mentor_dialog import MentorDialog

        dialog = MentorDialog(MentorFields.of(mentor_store.get_mentor(mentor_id)), parent=self)
        while dialog.exec():
            try:
                guarded(self, lambda: mentor_store.save_mentor(dialog.values(), mentor_id))
            except SaveFailed:
                continue
            self._refresh_mentor(mentor_id)
            return

    def toggle_archive(self) -> None:
        mentor_id = self.selected_id()
        if mentor_id is None:
            return
        archived = not mentor_store.get_mentor(mentor_id).archived
        try:
            guarded(self, lambda: mentor_store.set_archived(mentor_id, archived))
        except SaveFailed:
            return
        self._refresh_mentor(mentor_id)
        if archived:
            self.status_message.emit(
                self.tr("Archived. Tick “Show archived” to see archived mentors.")
            )

    def delete_selected(self) -> None:
        mentor_id = self.selected_id()
        if mentor_id is None:
            return
        mentor = mentor_store.get_mentor(mentor_id)
        name = mentor_display_name(
            mentor.honorific, mentor.first_name, mentor.last_name, mentor.credentials
        )
        if not confirm(
            self,
            self.tr("Delete mentor"),
            self.tr(
                "Delete {name} with their whole interaction log? This cannot be undone."
            ).format(name=name),
            self.tr("Delete mentor"),
            destructive=True,
            object_name="confirmDeleteMentor",
        ):
            return
        try:
            guarded(
                self,
                lambda: mentor_store.delete_mentor(mentor_id),
                handled_here=(MentorHasRequestsError,),
            )
        except SaveFailed:
            return
        except MentorHasRequestsError as refused:
            self._offer_archive_instead(mentor_id, name, refused.count)
            return
        self.model.replace_row(mentor_id, None)
        self._after_filter(None)
        self.data_changed.emit(Changes.MENTORS | Changes.INTERACTIONS)

    def _offer_archive_instead(self, mentor_id: int, name: str, count: int) -> None:
        box = QMessageBox(self)
        box.setObjectName("deleteRefused")
        box.setIcon(QMessageBox.Icon.Information)
        box.setWindowTitle(self.tr("Mentor not deleted"))
        box.setText(
            (
                self.tr("{name} has 1 letter request, so deleting would lose its history.")
                if count == 1
                else self.tr(
                    "{name} has {count} letter requests, so deleting would lose that history."
                )
            ).format(name=name, count=count)
        )
        box.setInformativeText(
            self.tr(
                "Archive them instead? Archived mentors are hidden "
                "from the list but keep their letters and log."
            )
        )
        archive = box.addButton(self.tr("Archive"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is archive:
            try:
                guarded(self, lambda: mentor_store.set_archived(mentor_id, True))
            except SaveFailed:
                return
            self._refresh_mentor(mentor_id)

    def log_interaction(self) -> None:
        mentor_id = self.selected_id()
        if mentor_id is not None:
            self._edit_interaction(mentor_id, None)

    def edit_interaction(self, interaction_id: int) -> None:
        mentor_id = self.selected_id()
        if mentor_id is not None:
            self._edit_interaction(mentor_id, interaction_id)

    def _edit_interaction(self, mentor_id: int, interaction_id: int | None) -> None:
        mentor = mentor_store.get_mentor(mentor_id)
        values = None
        if interaction_id is not None:
            values = mentor_store.InteractionFields.of(mentor_store.get_interaction(interaction_id))
        name = mentor_display_name(mentor.honorific, mentor.first_name, mentor.last_name, "")
        from desktop.ui.mentors.interaction_dialog import InteractionDialog

        dialog = InteractionDialog(name, values, parent=self, today=self._today)
        while dialog.exec():
            try:
                guarded(
                    self,
                    lambda: mentor_store.save_interaction(
                        mentor_id, dialog.values(), interaction_id
                    ),
                )
            except SaveFailed:
                continue
            self._refresh_mentor(mentor_id)
            return

    def delete_interaction(self, interaction_id: int) -> None:
        mentor_id = self.selected_id()
        if mentor_id is None:
            return
        if not confirm(
            self,
            self.tr("Delete log entry"),
            self.tr("Delete this entry from the interaction log?"),
            self.tr("Delete entry"),
            destructive=True,
            object_name="confirmDeleteInteraction",
        ):
            return
        try:
            guarded(self, lambda: mentor_store.delete_interaction(interaction_id))
        except SaveFailed:
            return
        self._refresh_mentor(mentor_id)

    def add_experience_for_selected(self) -> None:
        from desktop.ui.experiences import run_experience_dialog

        mentor_id = self.selected_id()
        if mentor_id is not None and run_experience_dialog(self, link_mentor=mentor_id):
            self._refresh_mentor(mentor_id)

    def edit_experience(self, experience_id: int) -> None:
        from desktop.ui.experiences import run_experience_dialog

        mentor_id = self.selected_id()
        if run_experience_dialog(self, experience_id) and mentor_id is not None:
            self._refresh_mentor(mentor_id)

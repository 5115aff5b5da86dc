"""Requests page: every letter request as a table or as a board, filtered by
status, cycle, mentor and text, with the legal status moves at hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.status import OPEN_STATUSES
from desktop.domain.vocabulary import RequestStatus
from desktop.services.mail.purpose import purpose_for_request
from desktop.store import requests as store
from desktop.store.errors import explain_database_error
from desktop.store.experiences import mentor_choices
from desktop.store.profile import cycles
from desktop.store.requests import RequestRow
from desktop.store.settings import load_thresholds
from desktop.ui.common import (
    Changes,
    FlowLayout,
    Intent,
    LazyComboBox,
    Page,
    PageContext,
    RowTableModel,
    Target,
    UndoStep,
    label_of,
    run_in_background,
    set_role,
    table_view,
)
from desktop.ui.requests.decline_flow import fill_move_menu, perform_move
from desktop.ui.requests.move_dates import move_undo_step, moved_text
from desktop.ui.requests.new_request_dialog import run_new_request_dialog
from desktop.ui.requests.request_board import FOLDING, RequestBoard
from desktop.ui.requests.request_editor import run_request_editor

from .request_columns import (
    REQUEST_COLUMN_WIDTHS,
    cycle_order,
    request_columns,
    urgency_background,
)


def _true(value: object) -> bool:
    """A QSettings boolean (an INI file gives the string "true" back)."""
    return value is True or str(value).lower() == "true"


OPEN = "open"
DUE_COLUMN = 6  # status filter: everything still in progress


# Rows loaded before the page shows; the rest come from a worker thread.
FIRST_SCREEN_ROWS = 200
# Up to this many writers fill the writer filter at once; more are read when
# the filter is first opened.
WRITERS_LISTED_AT_ONCE = 300


class RequestsPage(Page):
    """Controller and layout of the Requests page."""

    # Rows show the writer, the cycle, reminders and urgency by the thresholds.
    WATCHES = (
        Changes.REQUESTS | Changes.MENTORS | Changes.CYCLES | Changes.ASSIGNMENTS
        | Changes.EMAILS | Changes.INTERACTIONS | Changes.ADVICE_SETTINGS | Changes.REPLIES
    )  # fmt: skip
    loaded = Signal()  # a background load of the full list finished

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("requestsPage")
        self._today = date.today()
        self._thresholds = load_thresholds()
        self._search_terms: list[str] = []
        self._generation = 0
        self._loading = False

        self.model: RowTableModel[RequestRow] = RowTableModel(
            request_columns(self._today, lambda: self._thresholds), self
        )
        self.model.set_muted(
            lambda r: r.status in (RequestStatus.DECLINED, RequestStatus.WITHDRAWN)
        )
        self.table = table_view(
            "requestsTable", self.model, self.tr("Letter requests"), sort_column=DUE_COLUMN
        )  # soonest due first
        header = self.table.horizontalHeader()
        header.setMinimumSectionSize(40)
        header.setStretchLastSection(False)
        for column, width in enumerate(REQUEST_COLUMN_WIDTHS):
            header.resizeSection(column, width)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())

        self.board = RequestBoard()
        self.board.move_requested.connect(self._board_move)
        self.board.open_requested.connect(self.open_request)
        self.board.current_changed.connect(self._update_buttons)
        self.model.modelReset.connect(self._refresh_board)
        self.model.layoutChanged.connect(self._refresh_board)

        self.status_filter = self._filter_combo("statusFilter", self.tr("Filter by status"))
        self.status_filter.addItem(self.tr("All statuses"), None)
        self.status_filter.addItem(self.tr("In progress"), OPEN)
        for status in RequestStatus:
            self.status_filter.addItem(label_of(status), status.value)
        self.cycle_filter = self._filter_combo("cycleFilter", self.tr("Filter by cycle"))
        self.mentor_filter = self._filter_combo("mentorFilter", self.tr("Filter by writer"))

        self.table_button = QPushButton(self.tr("Table"))
        self.table_button.setObjectName("tableViewButton")
        self.board_button = QPushButton(self.tr("Board"))
        self.board_button.setObjectName("boardViewButton")
        views = QButtonGroup(self)
        for button in (self.table_button, self.board_button):
            button.setCheckable(True)
            views.addButton(button)
        self.table_button.setChecked(True)
        self.table_button.toggled.connect(lambda on: self.show_board(not on))
        self.count_label = QLabel()
        self.count_label.setObjectName("requestCount")
        self.new_button = QPushButton(self.tr("New request…"))
        self.new_button.setObjectName("newRequest")
        set_role(self.new_button, "primary")
        self.new_button.clicked.connect(lambda: self.new_request())
        self.open_button = QPushButton(self.tr("Open…"))
        self.open_button.setObjectName("openRequest")
        self.open_button.clicked.connect(self.open_selected)
        self.email_button = QPushButton(self.tr("Email…"))
        self.email_button.setObjectName("emailWriter")
        self.email_button.setToolTip(self.tr("Write to this letter's writer from a template"))
        self.email_button.clicked.connect(self._email_writer)
        self.programs_button = QPushButton(self.tr("Programs…"))
        self.programs_button.setObjectName("assignPrograms")
        self.programs_button.setToolTip(self.tr("Choose the programs that get this letter"))
        self.programs_button.clicked.connect(self.assign_programs)
        self.move_button = QPushButton(self.tr("Move to…"))
        self.move_button.setObjectName("moveButton")
        self.move_menu = QMenu(self.move_button)
        self.move_menu.setObjectName("moveMenu")
        self.move_menu.aboutToShow.connect(self._fill_move_menu)
        self.move_button.setMenu(self.move_menu)

        bar = FlowLayout()
        for widget in (self.status_filter, self.cycle_filter, self.mentor_filter):
            bar.addWidget(widget)
        bar.addSpacing(12)
        bar.addWidget(self.table_button)
        bar.addWidget(self.board_button)
        bar.addStretch(1)
        bar.addWidget(self.count_label)
        for widget in (
            self.open_button,
            self.email_button,
            self.programs_button,
            self.move_button,
            self.new_button,
        ):
            bar.addWidget(widget)

        self.empty_state = QLabel()
        self.empty_state.setObjectName("requestsEmptyState")
        set_role(self.empty_state, "empty-state")
        self.empty_state.setWordWrap(True)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.views = QStackedWidget()
        self.views.setObjectName("requestViews")
        self.views.addWidget(self.table)
        self.views.addWidget(self.board)
        self.views.addWidget(self.empty_state)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.views, 1)
        for box in (self.status_filter, self.cycle_filter, self.mentor_filter):
            box.currentIndexChanged.connect(lambda _i: self._apply_filter())
        self.reload()

    def _filter_combo(self, name: str, accessible: str) -> LazyComboBox:
        box = LazyComboBox()
        box.setObjectName(name)
        box.setAccessibleName(accessible)
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        box.setMinimumContentsLength(12)
        return box

    # --- loading and filtering ---------------------------------------------------

    def reload(self) -> None:
        selected = self.selected_id()
        self._today = date.today()
        self._thresholds = load_thresholds()
        self.board.set_context(self._today, self._thresholds)
        self.model.set_background(urgency_background(self._today, self._thresholds))
        self._fill_choices()
        self._generation += 1
        first = store.load_request_rows(first=FIRST_SCREEN_ROWS + 1)
        if len(first) <= FIRST_SCREEN_ROWS:
            self._loading = False
            self.model.set_rows(first)
            self._after_filter(selected)
            return
        # A long list: the first screen now, the rest from a worker thread, so
        # opening the page never waits on 100,000 rows.
        self._loading = True
        self.model.set_rows(first[:FIRST_SCREEN_ROWS])
        self._after_filter(selected)
        generation = self._generation
        # Started from the event loop, after the paint Qt has queued for the
        # first screen: a worker running now would hold up that paint.
        column = self.model.sort_column()

        def load() -> tuple[list[RequestRow], dict]:
            # Sorted here too, so showing 100,000 rows does not stall the GUI.
            rows = store.load_request_rows()
            return rows, self.model.order_rows(rows, column)

        QTimer.singleShot(
            0,
            lambda: run_in_background(
                load,
                lambda loaded: self._background_loaded(*loaded, generation),
                self._background_failed,
            ),
        )

    def is_loading(self) -> bool:
        return self._loading

    def _background_loaded(self, rows: list[RequestRow], ordered: dict, generation: int) -> None:
        if generation != self._generation:
            return  # a newer reload superseded this one
        self._loading = False
        selected = self.selected_id()
        self.model.set_rows(rows, ordered)
        self._after_filter(selected)
        self.loaded.emit()

    def _background_failed(self, error: Exception) -> None:
        self._loading = False
        self._after_filter(self.selected_id())
        QMessageBox.warning(
            self,
            self.tr("Requests not loaded"),
            explain_database_error(error)
            or self.tr("Loading the requests failed: {error}").format(error=error),
        )

    def _fill_choices(self) -> None:
        """Cycles and writers for the filters, keeping the current choice.
        A long writer list is read only when its popup first opens."""
        self.cycle_filter.set_choices(
            self.tr("All cycles"),
            lambda: [(c.name, c.id) for c in sorted(cycles(), key=cycle_order(self._today))],
            now=True,
        )
        self.mentor_filter.set_choices(
            self.tr("All writers"),
            lambda: [
                (name, mid)
                for mid, name in mentor_choices(include_archived=True, with_requests_only=True)
            ],
            now=store.count_writers() <= WRITERS_LISTED_AT_ONCE,
        )

    def set_search_text(self, text: str) -> None:
        terms = text.casefold().split()
        if terms != self._search_terms:
            self._search_terms = terms
            self._apply_filter()

    def _apply_filter(self) -> None:
        selected = self.selected_id()
        status = self.status_filter.currentData()
        cycle_id = self.cycle_filter.currentData()
        mentor_id = self.mentor_filter.currentData()
        terms = self._search_terms
        # Only the active conditions are tested: at 100,000 rows a predicate
        # that checks every condition per row costs several times more.
        tests: list[Callable[[RequestRow], bool]] = []
        if status == OPEN:
            tests.append(lambda r: r.status in OPEN_STATUSES)
        elif status:
            wanted = RequestStatus(status)
            tests.append(lambda r: r.status == wanted)
        if cycle_id is not None:
            tests.append(lambda r: r.cycle_id == cycle_id)
        if mentor_id is not None:
            tests.append(lambda r: r.mentor_id == mentor_id)
        for term in terms:
            tests.append(lambda r, t=term: t in r.search_text)
        if not tests:
            self.model.set_filter(None)
        elif len(tests) == 1:
            self.model.set_filter(tests[0])
        else:
            self.model.set_filter(lambda r: all(test(r) for test in tests))
        self._after_filter(selected)

    def _after_filter(self, keep_selected: int | None) -> None:
        shown, total = self.model.rowCount(), self.model.total_count()
        if self._loading:
            self.count_label.setText(
                self.tr("Loading {total:,} requests…").format(total=store.count_requests())
            )
        else:
            self.count_label.setText(
                self.tr("{shown:,} of {total:,} requests").format(shown=shown, total=total)
            )
        if total == 0:
            self.empty_state.setText(
                self.tr(
                    "No letter requests yet. Start with “New request…”: LetterDesk "
                    "suggests the writers who know your work best, with the reasons."
                )
            )
        elif shown == 0:
            self.empty_state.setText(self.tr("No request matches the search and filters."))
        self._show_current_view()
        if keep_selected is not None:
            self.select_id(keep_selected)
        self._update_buttons()

    def _refresh_board(self) -> None:
        if self.views.currentWidget() is self.board:
            self.board.show_rows(self.model.visible_rows())

    # --- views and selection --------------------------------------------------

    def show_board(self, board: bool) -> None:
        selected = self.selected_id()
        self.board_button.setChecked(board)
        self.table_button.setChecked(not board)
        self._show_current_view()
        if selected is not None:
            self.select_id(selected)
        self._update_buttons()

    def save_view_state(self, settings: QSettings) -> None:
        settings.setValue("board", self.is_board_shown())
        for status in FOLDING:
            settings.setValue(f"show_{status.value}", self.board.is_column_shown(status))

    def restore_view_state(self, settings: QSettings) -> None:
        """Table or board, and which folded columns are open, as left."""
        for status in FOLDING:
            self.board.show_column(status, _true(settings.value(f"show_{status.value}")))
        self.show_board(_true(settings.value("board")))

    def is_board_shown(self) -> bool:
        return self.board_button.isChecked()

    def _show_current_view(self) -> None:
        if self.model.rowCount() == 0 and not (self.is_board_shown() and self.model.total_count()):
            self.views.setCurrentWidget(self.empty_state)
        elif self.is_board_shown():
            self.views.setCurrentWidget(self.board)
            self.board.show_rows(self.model.visible_rows())
        else:
            self.views.setCurrentWidget(self.table)

    def selected_id(self) -> int | None:
        if self.is_board_shown():
            return self.board.selected_id()
        row = self.model.row_at(self.table.currentIndex())
        return row.id if row is not None and self.table.selectionModel().hasSelection() else None

    def select_id(self, request_id: int) -> bool:
        if self.is_board_shown():
            found = self.board.select_id(request_id)
        else:
            number = self.model.row_of_id(request_id)
            found = number >= 0
            if found:
                self.table.selectRow(number)
                self.table.scrollTo(self.model.index(number, 0))
        self._update_buttons()
        return found

    def _update_buttons(self) -> None:
        selected = self.selected_id() is not None
        self.open_button.setEnabled(selected)
        self.programs_button.setEnabled(selected)
        self.email_button.setEnabled(selected)
        self.move_button.setEnabled(selected)

    def selected_mentor_id(self) -> int | None:
        row = self._selected_row()
        return row.mentor_id if row is not None else None

    def _selected_row(self) -> RequestRow | None:
        request_id = self.selected_id()
        return None if request_id is None else store.load_request_row(request_id)

    # --- actions ---------------------------------------------------------------

    def new_request(self, mentor_id: int | None = None) -> int | None:
        """Open the editor for a new request (for ``mentor_id`` when given);
        returns the new request's id."""
        request_id = run_new_request_dialog(self, mentor_id=mentor_id, today=self._today)
        if request_id is not None:
            self._after_change(request_id, self.tr("Request saved."))
        return request_id

    def open_selected(self) -> None:
        request_id = self.selected_id()
        if request_id is not None:
            self.open_request(request_id)

    def _email_writer(self) -> None:
        """Compose with the template the request's status calls for."""
        request_id = self.selected_id()
        if request_id is not None:
            purpose = purpose_for_request(request_id, date.today())
            self.navigate.emit(
                Target.compose(request_id=request_id, purpose=purpose.value if purpose else None)
            )

    def assign_programs(self) -> None:
        """Assignment from the letter's side (the Programs page offers the
        other side); the cycle's cap is enforced there with a message."""
        from desktop.ui.programs import assign_programs_to_request

        request_id = self.selected_id()
        if request_id is not None and assign_programs_to_request(self, request_id):
            self._after_change(request_id, self.tr("Programs updated."))

    def go_to(self, target: Target) -> None:
        if target.intent is Intent.NEW:
            self.new_request(target.mentor_id)
        elif target.item_id is not None:
            self.open_request(target.item_id)

    def open_request(self, request_id: int) -> None:
        self.select_id(request_id)
        editor = run_request_editor(self, request_id, today=self._today)
        if editor.backup_request_id is not None:
            self._after_change(editor.backup_request_id, self.tr("Backup request created."))
        elif editor.changed:
            self._after_change(request_id, self.tr("Request saved."))

    def _fill_move_menu(self) -> None:
        row = self._selected_row()
        if row is None:
            self.move_menu.clear()
            return
        fill_move_menu(self.move_menu, row.status, lambda to: self.move_selected(to))

    def move_selected(self, to_status: RequestStatus) -> None:
        request_id = self.selected_id()
        if request_id is not None:
            self.move_request(request_id, to_status)

    def _board_move(self, request_id: int, to_status: str) -> None:
        row = store.load_request_row(request_id)
        if row is None or row.status.value == to_status:
            return  # dropped back on its own column
        self.move_request(request_id, RequestStatus(to_status))

    def move_request(self, request_id: int, to_status: RequestStatus) -> None:
        result = perform_move(self, request_id, RequestStatus(to_status), today=self._today)
        if result.backup_request_id is not None:
            self._after_change(result.backup_request_id, self.tr("Backup request created."))
        elif result.moved and result.receipt is not None and result.on is not None:
            receipt = result.receipt
            done = moved_text(receipt, result.mentor, result.on, self._today)
            self._after_change(
                request_id, done, lambda text: move_undo_step(receipt, result.mentor, text)
            )

    def _after_change(
        self,
        request_id: int,
        message: str,
        undo: Callable[[str], UndoStep] | None = None,
    ) -> None:
        """Show the change and tell the window; ``undo`` makes the status
        bar's Undo for it from the sentence said."""
        self.reload()  # a move or a backup can change several rows
        if not self.select_id(request_id):
            message += " " + self.tr("The current filter hides it.")
        self.data_changed.emit(Changes.REQUESTS | Changes.ASSIGNMENTS)
        if undo is None:
            self.status_message.emit(message)
        else:
            self.undoable.emit(undo(message))

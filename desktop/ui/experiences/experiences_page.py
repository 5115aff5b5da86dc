"""Experiences page: rotations, sub-internships, research, courses and jobs,
each with the mentors who shared it. Their end dates drive "ask now"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.store import experiences as store
from desktop.store.experiences import ExperienceRow
from desktop.ui.common import (
    Changes,
    FlowLayout,
    Intent,
    Page,
    PageContext,
    RowTableModel,
    SaveFailed,
    Target,
    confirm,
    empty_state,
    experience_columns,
    guarded,
    run_in_background,
    set_role,
    table_view,
)

# Up to this many rows load at once; more come from a worker thread so the
# page never freezes (20,000 experiences take about a quarter second here).
SYNC_LOAD_LIMIT = 2_000


class ExperiencesPage(Page):
    WATCHES = Changes.EXPERIENCES | Changes.MENTORS
    loaded = Signal()

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("experiencesPage")
        self._terms: list[str] = []
        self.model: RowTableModel[ExperienceRow] = RowTableModel(experience_columns(), self)
        self.table = table_view(
            "experiencesTable",
            self.model,
            self.tr("Experiences"),
            sort_column=4,
            sort_order=Qt.SortOrder.DescendingOrder,
        )
        header = self.table.horizontalHeader()
        for column, width in ((0, 120), (2, 190), (3, 92), (4, 92)):
            header.resizeSection(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())

        intro = QLabel(
            self.tr(
                "Rotations and other experiences you shared with mentors. The best "
                "moment to ask is in the last week or two of a rotation, while they "
                "remember your work."
            )
        )
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.count_label = QLabel()
        self.count_label.setObjectName("experienceCount")
        add = QPushButton(self.tr("Add experience…"))
        add.setObjectName("addExperience")
        set_role(add, "primary")
        add.clicked.connect(self.add)
        self.edit_button = QPushButton(self.tr("Edit…"))
        self.edit_button.setObjectName("editExperience")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setObjectName("deleteExperience")
        self.delete_button.clicked.connect(self.delete_selected)
        bar = FlowLayout()
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.delete_button)
        bar.addWidget(add)

        self.empty_state = empty_state(
            "experiencesEmptyState",
            self.tr(
                "No experiences yet. Add your rotations with their dates and the "
                "attendings you worked with, so LetterDesk can tell you when to ask."
            ),
        )

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_state, 1)
        # Loaded when first shown: the start-up window does not need it.
        self._stale = True
        self._generation = 0
        self._loading = False

    def reload(self) -> None:
        """Reload now if the page is on screen, otherwise when it is next shown."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        if store.count_experiences() <= SYNC_LOAD_LIMIT:
            self._set_rows(store.load_experience_rows())
            return
        self._loading = True
        self.count_label.setText(self.tr("Loading experiences…"))
        self._generation += 1
        generation = self._generation
        run_in_background(
            lambda: store.load_experience_rows(),
            lambda rows: self._set_rows(rows) if generation == self._generation else None,
            lambda error: self.count_label.setText(
                self.tr("Experiences could not be loaded: {error}").format(error=error)
            ),
        )

    def _set_rows(self, rows: list[ExperienceRow]) -> None:
        self._loading = False
        self.model.set_rows(rows)
        self._update_counts()
        self.loaded.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.reload()

    def set_search_text(self, text: str) -> None:
        terms = text.casefold().split()
        self.model.set_filter(
            (lambda row: all(t in row.search_text for t in terms)) if terms else None
        )
        self._update_counts()

    def _update_counts(self) -> None:
        if self._loading:
            return  # "Loading experiences…" stays until the rows arrive
        total = self.model.total_count()
        self.count_label.setText(
            self.tr("{shown} of {total} experiences").format(
                shown=self.model.rowCount(), total=total
            )
        )
        self.table.setVisible(total > 0)
        self.empty_state.setVisible(total == 0)

    def selected(self) -> ExperienceRow | None:
        if not self.table.selectionModel().hasSelection():
            return None
        return self.model.row_at(self.table.currentIndex())

    def go_to(self, target: Target) -> None:
        if target.intent is Intent.NEW:
            self.add()

    def add(self) -> None:
        from desktop.ui.experiences.experience_dialog import (
            run_experience_dialog,  # not needed at start-up
        )

        if run_experience_dialog(self) is not None:
            self._changed()

    def edit_selected(self) -> None:
        from desktop.ui.experiences.experience_dialog import run_experience_dialog

        row = self.selected()
        if row is not None and run_experience_dialog(self, row.id) is not None:
            self._changed()

    def delete_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        if not confirm(
            self,
            self.tr("Delete experience"),
            self.tr(
                "Delete “{title}”? The mentors stay; only this experience and its "
                "links to them are removed."
            ).format(title=row.title),
            self.tr("Delete experience"),
            destructive=True,
            object_name="confirmDeleteExperience",
        ):
            return
        try:
            guarded(self, lambda: store.delete_experience(row.id))
        except SaveFailed:
            return
        self._changed()

    def _changed(self) -> None:
        self.reload()
        self.data_changed.emit(Changes.EXPERIENCES)

"""Import mentors from a CSV or vCard file: choose the file, check the
column mapping and every row, then confirm.

Nothing is written before **Import**; the import itself (a backup, then one
transaction) runs on a worker. Cancel at any point leaves the data as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.vocabulary import MentorCategory
from desktop.paths import DataPaths
from desktop.services.data import csv_io
from desktop.services.data.csv_io import (
    IMPORT_FIELDS,
    ImportFileError,
    ImportPreview,
    ImportResult,
    ImportTable,
    RowStatus,
)
from desktop.ui.common import choices, run_in_background, set_role, user_sentence

PREVIEW_ROWS = 500  # rows drawn in the table; counts cover the whole file
_STATUS_COLOURS = {RowStatus.ERROR: "#f8d7da", RowStatus.DUPLICATE: "#fff3cd"}


def read_table(path: Path) -> ImportTable:
    if path.suffix.lower() in (".vcf", ".vcard"):
        from desktop.services.data.vcard_import import read_vcards

        return read_vcards(path)
    return csv_io.read_csv(path)


def _choose_file(parent: QWidget) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(
        parent,
        parent.tr("Import mentors"),
        "",
        parent.tr("Spreadsheets and contacts (*.csv *.tsv *.txt *.vcf);;All files (*)"),
    )
    return Path(name) if name else None


class ImportDialog(QDialog):
    """Controller and layout of the import wizard (one page: the preview
    follows the file choice)."""

    def __init__(
        self,
        paths: DataPaths | None,
        parent: QWidget | None = None,
        *,
        choose_file: Callable[[QWidget], Path | None] = _choose_file,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import mentors"))
        self.resize(900, 520)
        self._paths, self._choose_file = paths, choose_file
        self._table: ImportTable | None = None
        self._known: set[str] = set()
        self.preview: ImportPreview | None = None
        self.result_value: ImportResult | None = None
        self._building = False

        choose = QPushButton(self.tr("Choose file…"))
        choose.setObjectName("chooseFileButton")
        choose.clicked.connect(self.choose)
        self.file_label = QLabel(self.tr("Choose a CSV file from a spreadsheet or a vCard (.vcf)."))
        self.file_label.setObjectName("importFileLabel")
        self.file_label.setWordWrap(True)
        self.category = QComboBox()
        self.category.setObjectName("defaultCategory")
        self.category.setAccessibleName(self.tr("Category for rows without one"))
        for label, value in choices(MentorCategory):
            self.category.addItem(label, value)
        self.category.setCurrentIndex(self.category.findData(MentorCategory.OTHER.value))
        self.category.currentIndexChanged.connect(self._refresh)
        top = QHBoxLayout()
        top.addWidget(choose)
        top.addWidget(self.file_label, 1)
        top.addWidget(QLabel(self.tr("Category when missing:")))
        top.addWidget(self.category)

        self.grid = QTableWidget()
        self.grid.setObjectName("importPreview")
        self.grid.setAccessibleName(self.tr("Rows to import"))
        self.grid.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.grid.verticalHeader().hide()
        # What the reader could not decode, and where: read before importing.
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("importWarnings")
        self.warnings_label.setWordWrap(True)
        set_role(self.warnings_label, "emphasis")
        self.warnings_label.hide()
        self.summary = QLabel()
        self.summary.setObjectName("importSummary")
        self.error_label = QLabel()
        self.error_label.setObjectName("importError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            self.tr("Import"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.import_button.setObjectName("importButton")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setObjectName("cancelButton")
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.warnings_label)
        layout.addWidget(self.summary)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    # --- choosing and reading ---------------------------------------------------

    def choose(self) -> None:
        path = self._choose_file(self)
        if path is not None:
            self.load(path)

    def load(self, path: Path) -> bool:
        try:
            table = read_table(Path(path))
        except ImportFileError as exc:
            self._show_error(exc.user_message)
            return False
        self.error_label.hide()
        self.warnings_label.setText("\n".join(f"⚠ {w}" for w in table.warnings))
        self.warnings_label.setVisible(bool(table.warnings))
        self._table = table
        self._known = csv_io.existing_emails()
        self.file_label.setText(
            self.tr("{name} ({description}, {rows:,} rows)").format(
                name=Path(path).name, description=table.description, rows=len(table.rows)
            )
        )
        self._build_grid(table)
        self._refresh()
        return True

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def mapping_combo(self, column: int) -> QComboBox:
        widget = self.grid.cellWidget(0, column + 1)
        assert isinstance(widget, QComboBox)
        return widget

    def mapping(self) -> list[str]:
        if self._table is None:
            return []
        return [self.mapping_combo(i).currentData() for i in range(len(self._table.headers))]

    def _build_grid(self, table: ImportTable) -> None:
        self._building = True
        shown = table.rows[:PREVIEW_ROWS]
        self.grid.clear()
        self.grid.setColumnCount(len(table.headers) + 1)
        self.grid.setRowCount(len(shown) + 1)
        self.grid.setHorizontalHeaderLabels([self.tr("Line"), *table.headers])
        guessed = csv_io.guess_mapping(table.headers)
        for column, key in enumerate(guessed):
            combo = QComboBox()
            combo.setObjectName(f"mapping{column}")
            combo.setAccessibleName(
                self.tr("Field for column {header}").format(header=table.headers[column])
            )
            for field_key, label in IMPORT_FIELDS.items():
                combo.addItem(self.tr(label), field_key)
            combo.setCurrentIndex(combo.findData(key))
            combo.currentIndexChanged.connect(self._refresh)
            self.grid.setCellWidget(0, column + 1, combo)
        self.grid.setItem(0, 0, QTableWidgetItem(self.tr("Field →")))
        for number, row in enumerate(shown, start=1):
            for column, value in enumerate(row, start=1):
                self.grid.setItem(number, column, QTableWidgetItem(value.replace("\n", " ⏎ ")))
        self._building = False

    # --- checking ----------------------------------------------------------------

    def _refresh(self) -> None:
        if self._table is None or self._building:
            return
        category = MentorCategory(self.category.currentData())
        self.preview = csv_io.build_preview(self._table, self.mapping(), self._known, category)
        for number, candidate in enumerate(self.preview.rows[:PREVIEW_ROWS], start=1):
            status = candidate.status
            item = QTableWidgetItem(str(candidate.line))
            if status == RowStatus.ERROR:
                text = self.tr("Line {line}: {errors}").format(
                    line=candidate.line, errors=" ".join(candidate.errors)
                )
                item.setText(self.tr("{line} ✗ error").format(line=candidate.line))
            elif status == RowStatus.DUPLICATE:
                text = self.tr("Skipped: {why}").format(why=candidate.duplicate)
                item.setText(self.tr("{line} ≡ duplicate").format(line=candidate.line))
            else:
                text = self.tr("Will be added.")
            item.setToolTip(text)
            item.setData(Qt.ItemDataRole.UserRole, status)
            colour = _STATUS_COLOURS.get(status)
            for column in range(self.grid.columnCount()):
                cell = item if column == 0 else self.grid.item(number, column)
                if cell is not None:
                    cell.setBackground(QBrush(QColor(colour)) if colour else QBrush())
                    if colour:
                        cell.setForeground(QBrush(QColor("#1c1b1f")))
                    if column:
                        cell.setToolTip(text)
            self.grid.setItem(number, 0, item)
        self.summary.setText(self.tr(self.preview.summary()))
        self.import_button.setEnabled(bool(self.preview.to_add))

    def row_status(self, row: int) -> str:
        """The status shown for data row ``row`` (0-based), for tests."""
        item = self.grid.item(row + 1, 0)
        return item.data(Qt.ItemDataRole.UserRole) if item else ""

    # --- importing ----------------------------------------------------------------

    def start_import(self) -> None:
        if self.preview is None or not self.preview.to_add:
            return
        rows, archived = self.preview.to_add, self.preview.archived_indexes
        self.import_button.setEnabled(False)
        self.buttons.setEnabled(False)
        self.summary.setText(self.tr("Importing {count:,} mentors…").format(count=len(rows)))
        paths = self._paths
        run_in_background(
            lambda: csv_io.import_mentors(paths, rows, archived),
            self._imported,
            self._failed,
        )

    def _imported(self, result: ImportResult) -> None:
        self.result_value = result
        self.accept()

    def _failed(self, error: Exception) -> None:
        self.buttons.setEnabled(True)
        self.import_button.setEnabled(True)
        self._show_error(
            self.tr("Nothing was imported. {reason}").format(
                reason=user_sentence(error) or str(error)
            )
        )

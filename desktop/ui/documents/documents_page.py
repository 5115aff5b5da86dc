"""Documents page: the CV, personal statement, request form… with their
versions, and which version went to which writer and when.

The tree is a ``QStandardItemModel`` rebuilt on reload: an applicant keeps
tens of files, not thousands, so a query-backed model would add code and no
speed. Copying a file runs on a worker thread (a scanned transcript can be
tens of megabytes); recording it happens back on the GUI thread, which owns
the database connection.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.vocabulary import DocumentKind
from desktop.services import documents as doc_service
from desktop.services.documents import (
    DocumentGroup,
    DocumentLibrary,
    DocumentRefused,
    DocumentSharedError,
    DocumentVersion,
    ShareRecord,
    StoredFile,
    human_size,
)
from desktop.ui.common import (
    Changes,
    Column,
    FlowLayout,
    FormValidator,
    Page,
    PageContext,
    RowTableModel,
    SaveFailed,
    choices,
    combo,
    confirm,
    error_label,
    guarded,
    label_of,
    line_edit,
    local_date_text,
    local_time_text,
    run_in_background,
    set_role,
    with_error,
)

ITEM_ROLE = Qt.ItemDataRole.UserRole + 10  # a key from group_key() or version_key()


def group_key(group: DocumentGroup) -> str:
    return f"group\x1f{group.kind.value}\x1f{group.title}"


def version_key(document_id: int) -> str:
    return f"version\x1f{document_id}"


def guess_kind(file_name: str) -> DocumentKind:
    name = file_name.casefold()
    for words, kind in (
        (("cv", "curriculum", "resume", "résumé"), DocumentKind.CV),
        (("statement", "ps_", "ps-"), DocumentKind.PERSONAL_STATEMENT),
        (("request", "lor_form", "form"), DocumentKind.REQUEST_FORM),
        (("transcript", "mspe"), DocumentKind.TRANSCRIPT),
        (("usmle", "step", "score", "comlex", "mcat"), DocumentKind.SCORE_REPORT),
        (("photo", ".jpg", ".jpeg", ".png", ".heic"), DocumentKind.PHOTO),
    ):
        if any(word in name for word in words):
            return kind
    return DocumentKind.OTHER


def share_columns() -> list[Column[ShareRecord]]:
    return [
        Column("Version", lambda s: s.version_label, lambda s: s.version_label),
        Column("Writer", lambda s: s.mentor_name, lambda s: s.mentor_name.casefold()),
        Column("Sent", lambda s: local_time_text(s.shared_at), lambda s: s.shared_at),
        Column(
            "How",
            lambda s: "Email" if s.email_id is not None else "Recorded",
            lambda s: s.email_id is None,
        ),
    ]


class DocumentDialog(QDialog):
    """Kind, title and version label for a file being added. For a new
    version of an existing document, kind and title are fixed."""

    def __init__(
        self,
        file_name: str,
        *,
        existing: DocumentGroup | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("documentDialog")
        self.setWindowTitle(self.tr("New version") if existing else self.tr("Add document"))
        self.setMinimumWidth(420)
        kind = existing.kind if existing else guess_kind(file_name)
        self.kind = combo("documentKind", choices(DocumentKind))
        self.kind.setCurrentIndex(self.kind.findData(kind.value))
        self.kind.setAccessibleName(self.tr("Kind"))
        self.title_edit = line_edit("documentTitle", existing.title if existing else label_of(kind))
        self.title_edit.setAccessibleName(self.tr("Title"))
        self._title_touched = existing is not None
        self.title_edit.textEdited.connect(self._title_edited)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        if existing is not None:
            self.kind.setEnabled(False)
            self.title_edit.setReadOnly(True)
        self.label_edit = line_edit(
            "versionLabel", placeholder=self.tr("e.g. “August, IM version” (optional)")
        )
        self.label_edit.setAccessibleName(self.tr("Version label"))
        file_label = QLabel(file_name)
        file_label.setObjectName("documentFile")
        file_label.setWordWrap(True)
        title_error = error_label("documentTitleError")

        form = QFormLayout()
        form.addRow(self.tr("File:"), file_label)
        form.addRow(self.tr("Kind:"), self.kind)
        form.addRow(self.tr("Title:"), with_error(self.title_edit, title_error))
        form.addRow(self.tr("Version label:"), self.label_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.validator = FormValidator(self)
        self.validator.add(
            self.title_edit,
            title_error,
            lambda: None if self.title_edit.text().strip() else self.tr("A title is required."),
        )

    def _title_edited(self, _text: str) -> None:
        self._title_touched = True

    def _kind_changed(self) -> None:
        if not self._title_touched:  # keep the suggested title in step
            self.title_edit.setText(label_of(DocumentKind(self.kind.currentData())))

    def _save(self) -> None:
        if self.validator.validate_all():
            self.accept()

    def values(self) -> tuple[str, str, str]:
        return self.kind.currentData(), self.title_edit.text(), self.label_edit.text()


class DocumentsPage(Page):
    """Controller and layout of the Documents page."""

    WATCHES = Changes.DOCUMENTS | Changes.EMAILS | Changes.MENTORS
    document_added = Signal(int)  # after the copy is stored and recorded

    def __init__(self, context: PageContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("documentsPage")
        paths = context.paths
        self.library = DocumentLibrary(paths)
        self._groups: list[DocumentGroup] = []
        self._search_terms: list[str] = []
        self._busy = False
        # Replaceable in tests: the native file dialog cannot be driven, and
        # opening a file would start another program.
        self.choose_file: Callable[[str], str | None] = self._choose_file
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl

        self.model = QStandardItemModel(0, 5, self)
        self.model.setHorizontalHeaderLabels(
            [self.tr("Document / version"), self.tr("Added"), self.tr("Size"),
             self.tr("Checksum"), self.tr("Sent to")]
        )  # fmt: skip
        self.tree = QTreeView()
        self.tree.setObjectName("documentsTree")
        self.tree.setAccessibleName(self.tr("Documents and versions"))
        self.tree.setModel(self.model)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, width in ((1, 96), (2, 76), (3, 110), (4, 86)):
            header.resizeSection(column, width)
        self.tree.selectionModel().currentRowChanged.connect(self._current_changed)
        self.tree.doubleClicked.connect(lambda _index: self.open_selected())

        self.count_label = QLabel()
        self.count_label.setObjectName("documentCount")
        self.add_button = self._button("addDocument", self.tr("Add document…"), self.add_document)
        set_role(self.add_button, "primary")
        self.version_button = self._button(
            "addVersion", self.tr("Add new version…"), self.add_version
        )
        self.open_button = self._button("openDocument", self.tr("Open"), self.open_selected)
        self.check_button = self._button(
            "checkDocument", self.tr("Check file"), self.check_selected
        )
        self.delete_button = self._button(
            "deleteVersion", self.tr("Delete version"), self.delete_selected
        )
        bar = FlowLayout()
        bar.addWidget(self.count_label)
        bar.addStretch(1)
        for button in (self.version_button, self.open_button, self.check_button):
            bar.addWidget(button)
        bar.addWidget(self.delete_button)
        bar.addWidget(self.add_button)

        self.empty_state = QLabel(
            self.tr(
                "No documents yet. Add your CV first, then your personal statement and "
                "the letter request form (ERAS or AMCAS) for each writer. LetterDesk keeps every "
                "version and records which one went to which writer."
            )
        )
        self.empty_state.setObjectName("documentsEmptyState")
        set_role(self.empty_state, "empty-state")
        self.empty_state.setWordWrap(True)
        self.empty_state.setAlignment(Qt.AlignmentFlag.AlignCenter)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.tree, 1)
        left_layout.addWidget(self.empty_state, 1)

        self.splitter = QSplitter()
        self.splitter.setObjectName("documentsSplitter")
        self.splitter.addWidget(left)
        self.panel = self._build_panel()
        self.splitter.addWidget(self.panel)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([700, 440])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.reload()

    def _button(self, name: str, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _build_panel(self) -> QWidget:
        panel = QWidget()
        panel.setObjectName("documentPanel")
        panel.setMinimumWidth(420)  # a writer's name and the date stay whole
        self.panel_title = QLabel()
        self.panel_title.setObjectName("documentPanelTitle")
        set_role(self.panel_title, "subheading")
        self.panel_title.setWordWrap(True)
        self.panel_details = QLabel()
        self.panel_details.setObjectName("documentDetails")
        self.panel_details.setWordWrap(True)
        self.panel_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shares_heading = QLabel(self.tr("Sent to writers"))
        set_role(shares_heading, "section")
        self.shares_model: RowTableModel[ShareRecord] = RowTableModel(share_columns(), self)
        self.shares_table = QTableView()
        self.shares_table.setObjectName("sharesTable")
        self.shares_table.setAccessibleName(self.tr("Which version went to which writer"))
        self.shares_table.setModel(self.shares_model)
        self.shares_table.verticalHeader().hide()
        self.shares_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.shares_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.shares_table.setSortingEnabled(True)
        self.shares_table.setWordWrap(False)
        self.shares_table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
        shares_header = self.shares_table.horizontalHeader()
        shares_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 90), (2, 118), (3, 70)):
            shares_header.resizeSection(column, width)
        self.shares_empty = QLabel()
        self.shares_empty.setObjectName("sharesEmpty")
        set_role(self.shares_empty, "hint")
        self.shares_empty.setWordWrap(True)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(8, 0, 0, 0)
        layout.addWidget(self.panel_title)
        layout.addWidget(self.panel_details)
        layout.addSpacing(8)
        layout.addWidget(shares_heading)
        layout.addWidget(self.shares_empty)
        layout.addWidget(self.shares_table, 1)
        layout.addStretch(0)  # keeps the text at the top while the table is hidden
        return panel

    # --- loading -------------------------------------------------------------

    def reload(self) -> None:
        selected = self._selected_key()
        self._groups = doc_service.list_groups()
        self._fill(selected)

    def set_search_text(self, text: str) -> None:
        terms = text.casefold().split()
        if terms != self._search_terms:
            self._search_terms = terms
            self._fill(self._selected_key())

    def _matches(self, group: DocumentGroup, version: DocumentVersion | None = None) -> bool:
        words = [group.title, label_of(group.kind), group.kind.value]
        if version is not None:
            words += [version.version_label, version.original_name]
        haystack = " ".join(words).casefold()
        return all(term in haystack for term in self._search_terms)

    def _fill(self, selected: str | None) -> None:
        self.model.removeRows(0, self.model.rowCount())
        shown = 0
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for group in self._groups:
            versions = [v for v in group.versions if self._matches(group, v)]
            if not versions:
                continue
            shown += 1
            latest = group.latest
            count = len(group.versions)
            kind = label_of(group.kind)
            name = group.title if group.title == kind else f"{group.title}  ·  {kind}"
            heading = QStandardItem(
                self.tr("{name}  ({count} versions)").format(name=name, count=count)
                if count > 1
                else name
            )
            heading.setFont(bold)
            heading.setData(group_key(group), ITEM_ROLE)
            row = [
                heading,
                QStandardItem(local_date_text(latest.added_at)),
                QStandardItem(""),
                QStandardItem(""),
                QStandardItem(""),
            ]
            for version in versions:
                heading.appendRow(self._version_row(version, version is latest))
            self.model.appendRow(row)
            self.tree.expand(heading.index())
        total = len(self._groups)
        self.count_label.setText(
            self.tr("{shown} of {total} documents").format(shown=shown, total=total)
        )
        self.empty_state.setVisible(total == 0)
        self.tree.setVisible(total > 0)
        self.count_label.setVisible(total > 0)
        self.panel.setVisible(total > 0)
        for button in (self.version_button, self.open_button, self.check_button):
            button.setVisible(total > 0)
        self.delete_button.setVisible(total > 0)
        if not (selected and self._select_key(selected)):
            first = self.model.index(0, 0)
            if first.isValid():
                self.tree.setCurrentIndex(first)
            else:
                self._show_panel(None)
        self._update_buttons()

    def _version_row(self, version: DocumentVersion, newest: bool) -> list[QStandardItem]:
        label = version.version_label
        if newest:
            label = self.tr("{label} (newest)").format(label=label)
        name = QStandardItem(f"{label}  —  {version.original_name}")
        name.setToolTip(version.original_name)
        name.setData(version_key(version.id), ITEM_ROLE)
        size = QStandardItem(human_size(version.size_bytes))
        size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        checksum = QStandardItem(version.short_checksum)
        checksum.setToolTip(self.tr("SHA-256: {sum}").format(sum=version.sha256))
        count = version.share_count
        if count == 0:
            sent = "—"
        elif count == 1:
            sent = self.tr("1 writer")
        else:
            sent = self.tr("{count} writers").format(count=count)
        return [
            name,
            QStandardItem(local_date_text(version.added_at)),
            size,
            checksum,
            QStandardItem(sent),
        ]

    # --- selection -------------------------------------------------------------

    def _key_at(self, index: QModelIndex) -> str | None:
        if not index.isValid():
            return None
        return index.siblingAtColumn(0).data(ITEM_ROLE)

    def _selected_key(self) -> str | None:
        return self._key_at(self.tree.currentIndex())

    def _select_key(self, key: str) -> bool:
        for top in range(self.model.rowCount()):
            group = self.model.item(top, 0)
            candidates = [group] + [group.child(r, 0) for r in range(group.rowCount())]
            for item in candidates:
                if item.data(ITEM_ROLE) == key:
                    self.tree.setCurrentIndex(item.index())
                    self.tree.scrollTo(item.index())
                    return True
        return False

    def select_version(self, document_id: int) -> bool:
        return self._select_key(version_key(document_id))

    def selected_group(self) -> DocumentGroup | None:
        key = self._selected_key()
        if key is None:
            return None
        for group in self._groups:
            if key == group_key(group) or any(key == version_key(v.id) for v in group.versions):
                return group
        return None

    def selected_version(self) -> DocumentVersion | None:
        """The chosen version; a document row stands for its newest version."""
        key = self._selected_key()
        group = self.selected_group()
        if group is None or key is None:
            return None
        for version in group.versions:
            if key == version_key(version.id):
                return version
        return group.latest

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_panel(self._key_at(current))
        self._update_buttons()

    def _update_buttons(self) -> None:
        has = self.selected_version() is not None
        for button in (self.version_button, self.open_button, self.check_button):
            button.setEnabled(has and not self._busy)
        self.delete_button.setEnabled(has and not self._busy)
        self.add_button.setEnabled(not self._busy)

    def _show_panel(self, key: str | None) -> None:
        group = self.selected_group() if key else None
        if group is None:
            self.panel_title.setText(self.tr("No document selected"))
            self.panel_details.setText(
                self.tr("Select a document to see its versions and who received them.")
            )
            self.shares_model.set_rows([])
            self.shares_empty.setText("")
            self.shares_table.hide()
            return
        if key and key.startswith("version"):
            version = self.selected_version()
            assert version is not None
            self.panel_title.setText(f"{group.title} — {version.version_label}")
            self.panel_details.setText(
                self.tr(
                    "File: {name}\nType: {mime}\nSize: {size}\nAdded: {added}\nSHA-256: {sum}"
                ).format(
                    name=version.original_name,
                    mime=version.mime_type,
                    size=human_size(version.size_bytes),
                    added=local_time_text(version.added_at),
                    # in two halves: a 64-character word cannot wrap
                    sum=f"{version.sha256[:32]}\n{version.sha256[32:]}",
                )
            )
            shares = doc_service.shares_for_document(version.id)
            none_text = self.tr("This version has not been sent to anyone yet.")
        else:
            self.panel_title.setText(group.title)
            self.panel_details.setText(
                (
                    self.tr("{kind}, 1 version: “{label}”.")
                    if len(group.versions) == 1
                    else self.tr("{kind}, {count} versions; the newest is “{label}”.")
                ).format(
                    kind=label_of(group.kind),
                    count=len(group.versions),
                    label=group.latest.version_label,
                )
            )
            shares = doc_service.shares_for_documents(v.id for v in group.versions)
            none_text = self.tr("No version of this document has been sent to anyone yet.")
        self.shares_model.set_rows(shares)
        self.shares_table.setVisible(bool(shares))
        self.shares_empty.setText("" if shares else none_text)
        self.shares_empty.setVisible(not shares)

    # --- actions ---------------------------------------------------------------

    def _choose_file(self, caption: str) -> str | None:
        path, _filter = QFileDialog.getOpenFileName(
            self,
            caption,
            str(Path.home()),
            self.tr("Documents (*.pdf *.doc *.docx *.odt *.rtf *.txt *.jpg *.jpeg *.png);;"
                    "All files (*)"),
        )  # fmt: skip
        return path or None

    def add_document(self) -> None:
        path = self.choose_file(self.tr("Add document"))
        if path:
            self._add_from(path, None)

    def add_version(self) -> None:
        group = self.selected_group()
        if group is None:
            return
        path = self.choose_file(self.tr("New version of {title}").format(title=group.title))
        if path:
            self._add_from(path, group)

    def _add_from(self, path: str, existing: DocumentGroup | None) -> None:
        dialog = DocumentDialog(Path(path).name, existing=existing, parent=self)
        if not dialog.exec():
            return
        kind, title, label = dialog.values()
        self._set_busy(True)
        self.status_message.emit(self.tr("Copying {name}…").format(name=Path(path).name))
        run_in_background(
            lambda: self.library.store_file(path),
            lambda stored: self._record(stored, kind, title, label),
            self._copy_failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._update_buttons()

    def _record(self, stored: StoredFile, kind: str, title: str, label: str) -> None:
        self._set_busy(False)
        try:
            document_id = guarded(
                self,
                lambda: self.library.register(stored, kind=kind, title=title, version_label=label),
            )
        except SaveFailed:
            self.library.discard(stored)
            return
        except DocumentRefused as refused:
            self.library.discard(stored)
            QMessageBox.warning(self, self.tr("Document not added"), refused.user_message)
            return
        except BaseException:
            self.library.discard(stored)
            raise
        self.reload()
        self.select_version(document_id)
        version = doc_service.get_version(document_id)
        self.status_message.emit(
            self.tr("Added {title} {label} ({size}).").format(
                title=version.title, label=version.version_label, size=human_size(stored.size_bytes)
            )
        )
        self.data_changed.emit(Changes.DOCUMENTS)
        self.document_added.emit(document_id)

    def _copy_failed(self, error: Exception) -> None:
        self._set_busy(False)
        if not isinstance(error, DocumentRefused):
            raise error  # a bug: the crash dialog
        QMessageBox.warning(self, self.tr("Document not added"), error.user_message)

    def open_selected(self) -> None:
        version = self.selected_version()
        if version is None:
            return
        path = self.library.path_of(version)
        if not path.exists():
            QMessageBox.warning(
                self, self.tr("File missing"), self.library.check(version.id).message
            )
            return
        self.open_url(QUrl.fromLocalFile(str(path)))

    def check_selected(self) -> None:
        version = self.selected_version()
        if version is None:
            return
        result = self.library.check(version.id)
        if result.ok:
            self.status_message.emit(result.message)
        else:
            QMessageBox.warning(self, self.tr("File check"), result.message)

    def delete_selected(self) -> None:
        version = self.selected_version()
        if version is None:
            return
        if not confirm(
            self,
            self.tr("Delete version"),
            self.tr("Delete {title} {label}? Its stored copy is removed.").format(
                title=version.title, label=version.version_label
            ),
            self.tr("Delete version"),
            destructive=True,
            object_name="confirmDeleteVersion",
        ):
            return
        try:
            guarded(
                self,
                lambda: self.library.delete_version(version.id),
                handled_here=(DocumentSharedError,),
            )
        except SaveFailed:
            return
        except DocumentSharedError as refused:
            box = QMessageBox(self)
            box.setObjectName("deleteVersionRefused")
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle(self.tr("Version kept"))
            box.setText(refused.user_message)
            box.addButton(self.tr("Keep it"), QMessageBox.ButtonRole.AcceptRole)
            box.exec()
            return
        self.reload()
        self.status_message.emit(
            self.tr("Deleted {title} {label}.").format(
                title=version.title, label=version.version_label
            )
        )
        self.data_changed.emit(Changes.DOCUMENTS)

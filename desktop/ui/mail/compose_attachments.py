"""The compose window's attachment list: stored document versions to tick,
and the writer's summary PDF, written on a worker thread when ticked."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget
from shiboken6 import isValid

from desktop.domain.vocabulary import DocumentKind, TemplatePurpose
from desktop.paths import DataPaths
from desktop.services.documents import DocumentVersion, attachable_versions, human_size
from desktop.store.outbox import AttachmentRef
from desktop.ui.common import label_of, run_in_background, set_role
from desktop.ui.mail.writer_summary import summary_file_name, write_writer_summary

log = logging.getLogger(__name__)
SUMMARY = "summary"


def shown_name(version: DocumentVersion) -> str:
    return version.original_name or version.stored_name


def summary_folder(paths: DataPaths) -> Path:
    """Generated attachments live in the data folder: a scheduled email
    may go out days after it was written."""
    return paths.root / "generated"


class AttachmentList(QWidget):
    """Checkable list; ``busy_changed`` while the summary PDF is written."""

    busy_changed = Signal(bool)
    changed = Signal()

    def __init__(
        self,
        paths: DataPaths,
        request_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._request_id = request_id
        self._summary_path: str | None = None
        self._summary_busy = False
        self._generation = 0
        heading = QLabel(self.tr("Attachments"))
        set_role(heading, "section")
        self.list = QListWidget()
        self.list.setObjectName("composeAttachments")
        self.list.setAccessibleName(self.tr("Attachments"))
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.itemChanged.connect(self._item_changed)
        self.note = QLabel()
        self.note.setObjectName("composeAttachmentNote")
        self.note.setWordWrap(True)
        set_role(self.note, "hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.note)
        self._fill()

    def _fill(self) -> None:
        self.list.blockSignals(True)
        if self._request_id is not None:
            item = QListWidgetItem(self.tr("Writer's summary (PDF)"))
            item.setData(Qt.ItemDataRole.UserRole, SUMMARY)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        for version in attachable_versions():
            kind = label_of(version.kind)
            title = version.title if version.title != kind else ""
            text = (
                f"{kind}: {title} · {version.version_label}"
                if title
                else (f"{kind} · {version.version_label}")
            )
            text += f" ({human_size(version.size_bytes)})"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, version.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, shown_name(version))
            item.setData(Qt.ItemDataRole.UserRole + 2, version.kind.value)
            item.setToolTip(shown_name(version))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if self.list.count() == 0:
            self.note.setText(
                self.tr(
                    "No documents yet: add your CV and personal statement on the Documents page."
                )
            )

    def items(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def summary_item(self) -> QListWidgetItem | None:
        return next((i for i in self.items() if i.data(Qt.ItemDataRole.UserRole) == SUMMARY), None)

    def tick_for(self, purpose: TemplatePurpose | None) -> None:
        """For the materials email: the newest CV and personal statement
        (listed first, newest versions before older ones) and the summary."""
        if purpose is not TemplatePurpose.MATERIALS:
            return
        wanted = {DocumentKind.CV.value, DocumentKind.PERSONAL_STATEMENT.value}
        for item in self.items():
            kind = item.data(Qt.ItemDataRole.UserRole + 2)
            if kind in wanted:
                wanted.discard(kind)
                item.setCheckState(Qt.CheckState.Checked)
        summary = self.summary_item()
        if summary is not None:
            summary.setCheckState(Qt.CheckState.Checked)

    def set_refs(self, refs: Iterable[AttachmentRef]) -> None:
        """Tick what a saved email has attached."""
        refs = list(refs)
        ids = {ref.document_id for ref in refs if ref.document_id is not None}
        summary = next((ref for ref in refs if ref.path), None)
        for item in self.items():
            value = item.data(Qt.ItemDataRole.UserRole)
            if value == SUMMARY:
                if summary is not None:
                    self._summary_path = summary.path
                    self.list.blockSignals(True)
                    item.setCheckState(Qt.CheckState.Checked)
                    self.list.blockSignals(False)
            elif value in ids:
                item.setCheckState(Qt.CheckState.Checked)

    def refs(self) -> tuple[AttachmentRef, ...]:
        refs = []
        for item in self.items():
            if item.checkState() != Qt.CheckState.Checked:
                continue
            value = item.data(Qt.ItemDataRole.UserRole)
            if value == SUMMARY:
                if self._summary_path and self._request_id is not None:
                    refs.append(
                        AttachmentRef(summary_file_name(self._request_id), path=self._summary_path)
                    )
            else:
                refs.append(
                    AttachmentRef(str(item.data(Qt.ItemDataRole.UserRole + 1)), document_id=value)
                )
        return tuple(refs)

    def names(self) -> list[str]:
        return [ref.name for ref in self.refs()]

    def is_busy(self) -> bool:
        return self._summary_busy

    def _item_changed(self, item: QListWidgetItem) -> None:
        if item.data(Qt.ItemDataRole.UserRole) == SUMMARY:
            if item.checkState() == Qt.CheckState.Checked and not self._summary_path:
                self._write_summary()
            elif item.checkState() != Qt.CheckState.Checked:
                self._generation += 1  # a summary still being written is not wanted
                self._set_busy(False)
        self.changed.emit()

    def _write_summary(self) -> None:
        request_id = self._request_id
        assert request_id is not None
        self._generation += 1
        generation = self._generation
        folder = summary_folder(self._paths)
        self._set_busy(True)
        self.note.setText(self.tr("Writing the writer's summary…"))

        def write() -> str:
            name = f"request-{request_id}-{summary_file_name(request_id)}"
            return str(write_writer_summary(request_id, folder / name, today=date.today()))

        run_in_background(
            write,
            lambda path: self._summary_written(path, generation),
            lambda error: self._summary_failed(error, generation),
        )

    def _summary_written(self, path: str, generation: int) -> None:
        # The window may have closed while the summary was being written.
        if generation != self._generation or not isValid(self.note):
            return
        self._summary_path = path
        self.note.setText(self.tr("Writer's summary ready."))
        self._set_busy(False)
        self.changed.emit()

    def _summary_failed(self, error: Exception, generation: int) -> None:
        if generation != self._generation or not isValid(self.note):
            return
        log.warning("Writer's summary not written: %s", error)
        summary = self.summary_item()
        if summary is not None:  # never silently send without it
            self.list.blockSignals(True)
            summary.setCheckState(Qt.CheckState.Unchecked)
            self.list.blockSignals(False)
        self.note.setText(
            self.tr(
                "The writer's summary could not be written ({why}). Tick it again to retry."
            ).format(why=error)
        )
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        if busy != self._summary_busy:
            self._summary_busy = busy
            self.busy_changed.emit(busy)

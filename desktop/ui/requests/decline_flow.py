"""Status moves that need a word from the user, shared by the Requests page
(Move menu, board drops) and the request editor.

Every move goes through ``perform_move``: the domain's check first (so a
refused move says why before anything is asked), a note for declines and
corrections, the day for an ask or a submission, then ``move_status``.
Declining goes on to propose backup writers, ranked with their reasons;
choosing one creates the backup with the declined letter's type, specialty,
due date and programs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.ranking import RankedMentor
from desktop.domain.status import StatusMove, available_moves
from desktop.domain.vocabulary import RequestStatus
from desktop.store import programs as program_store
from desktop.store import requests as request_store
from desktop.store.experiences import mentor_choices
from desktop.store.requests import MoveReceipt, RequestError, TransitionRefused
from desktop.ui.common import SaveFailed, confirm, guarded, set_role
from desktop.ui.requests.move_dates import ask_move_date

MENTOR_ID_ROLE = Qt.ItemDataRole.UserRole


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("DeclineFlow", text)


# --- ranked candidates -----------------------------------------------------------


NAME_ROLE = Qt.ItemDataRole.UserRole + 1
REASONS_ROLE = Qt.ItemDataRole.UserRole + 2
FITS_ROLE = Qt.ItemDataRole.UserRole + 3
# Enough to choose from; a list of 20,000 mentors helps nobody.
MAX_CANDIDATES = 40


class _CandidateDelegate(QStyledItemDelegate):
    """The name (and score) in bold, the reasons wrapped below it."""

    PAD = 6

    def _reasons_rect(self, option: QStyleOptionViewItem, width: int) -> QRect:
        return QRect(0, 0, max(width - 2 * self.PAD, 50), 10_000)

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QListWidget) else 300
        reasons = option.fontMetrics.boundingRect(
            self._reasons_rect(option, width), Qt.TextFlag.TextWordWrap, index.data(REASONS_ROLE)
        )
        return QSize(width, option.fontMetrics.height() + reasons.height() + 2 * self.PAD + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        painter.save()
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, palette.color(QPalette.ColorRole.Highlight))
        elif index.row() % 2:
            painter.fillRect(option.rect, palette.color(QPalette.ColorRole.AlternateBase))
        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        soft = text if selected else palette.color(QPalette.ColorRole.PlaceholderText)
        if not index.data(FITS_ROLE) and not selected:
            text = soft
        rect = option.rect.adjusted(self.PAD, self.PAD, -self.PAD, -self.PAD)
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        line = option.fontMetrics.height()
        painter.drawText(
            QRect(rect.left(), rect.top(), rect.width(), line),
            Qt.AlignmentFlag.AlignLeft,
            index.data(NAME_ROLE),
        )
        painter.setFont(option.font)
        painter.setPen(soft)
        painter.drawText(
            rect.adjusted(0, line + 2, 0, 0), Qt.TextFlag.TextWordWrap, index.data(REASONS_ROLE)
        )
        painter.restore()


class CandidateList(QListWidget):
    """Mentors ranked for a letter, each with the reasons behind the rank."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAccessibleName(_tr("Suggested writers, best first"))
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        # A steady width for the wrapped reasons: no scroll bar appearing
        # later and leaving the text cut at the right edge.
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setItemDelegate(_CandidateDelegate(self))

    def show_candidates(self, ranked: list[RankedMentor], names: dict[int, str]) -> None:
        self.clear()
        for number, candidate in enumerate(ranked[:MAX_CANDIDATES], start=1):
            name = names.get(candidate.mentor_id, "?")
            heading = _tr("{n}. {name} — score {score}").format(
                n=number, name=name, score=candidate.score
            )
            reasons = " · ".join(_tr(reason) for reason in candidate.reasons)
            # The plain text (for accessibility and tests) holds both lines.
            item = QListWidgetItem(f"{heading}\n{reasons}")
            item.setData(MENTOR_ID_ROLE, candidate.mentor_id)
            item.setData(NAME_ROLE, heading)
            item.setData(REASONS_ROLE, reasons)
            # Softer text for a writer who cannot write this letter or who
            # already declined one for the cycle (the reason comes first).
            item.setData(FITS_ROLE, candidate.fits_letter_type and not candidate.declined)
            item.setToolTip(reasons)
            self.addItem(item)

    def selected_mentor(self) -> int | None:
        item = self.currentItem()
        return None if item is None or not item.isSelected() else item.data(MENTOR_ID_ROLE)

    def select_mentor(self, mentor_id: int) -> bool:
        for row in range(self.count()):
            if self.item(row).data(MENTOR_ID_ROLE) == mentor_id:
                self.setCurrentRow(row)
                return True
        return False

    def reasons_shown(self) -> list[str]:
        return [self.item(row).text() for row in range(self.count())]


# --- the Move menu -----------------------------------------------------------------


def fill_move_menu(
    menu: QMenu, status: RequestStatus, on_move: Callable[[RequestStatus], None]
) -> None:
    """Forward moves first; corrections below a labelled separator, so an
    undo never sits among the everyday moves."""
    menu.clear()
    moves = available_moves(status)
    forward = [m for m in moves if not m.is_correction]
    corrections = [m for m in moves if m.is_correction]
    for move in forward:
        action = menu.addAction(_tr(move.label))
        action.setObjectName(f"move_{move.to_status.value}")
        action.triggered.connect(lambda _checked=False, to=move.to_status: on_move(to))
    if corrections:
        menu.addSection(_tr("Corrections (recorded in the history)"))
        for move in corrections:
            action = menu.addAction(_tr(move.label))
            action.setObjectName(f"correct_{move.to_status.value}")
            action.triggered.connect(lambda _checked=False, to=move.to_status: on_move(to))
    if not moves:
        menu.addAction(_tr("No moves from here")).setEnabled(False)


# --- a short note --------------------------------------------------------------------


class NoteDialog(QDialog):
    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("moveNoteDialog")
        self.setWindowTitle(title)
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.note = QPlainTextEdit()
        self.note.setObjectName("moveNote")
        self.note.setAccessibleName(_tr("Note"))
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(90)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("buttons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.note.setFocus()
        self.resize(440, 220)

    def text(self) -> str:
        return self.note.toPlainText().strip()


def _ask_note(parent: QWidget | None, move: StatusMove, mentor: str) -> str | None:
    if move.to_status is RequestStatus.DECLINED:
        title = _tr("Letter declined")
        prompt = _tr(
            "{name} declined. A short note for your records (what they said, "
            "whether to ask again another time):"
        ).format(name=mentor)
    else:
        title = _tr("Correct the status")
        prompt = _tr("“{label}” is a correction and stays in the history. What was wrong?").format(
            label=_tr(move.label)
        )
    dialog = NoteDialog(title, prompt, parent)
    return dialog.text() if dialog.exec() else None


# --- backups -------------------------------------------------------------------------


class BackupDialog(QDialog):
    """Who could write instead, ranked with reasons."""

    def __init__(
        self, mentor: str, ranked: list[RankedMentor], names: dict[int, str], parent=None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupDialog")
        self.setWindowTitle(_tr("Line up a backup writer"))
        heading = QLabel(_tr("Who could write instead of {name}?").format(name=mentor))
        heading.setObjectName("backupHeading")
        set_role(heading, "subheading")
        hint = QLabel(
            _tr(
                "The backup gets the same letter type, specialty, due date and "
                "programs, as a planned request. Best match first:"
            )
        )
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.candidates = CandidateList("backupCandidates")
        self.candidates.show_candidates(ranked, names)
        self.candidates.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox()
        buttons.setObjectName("buttons")
        self.create_button = buttons.addButton(
            _tr("Create backup request"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setObjectName("createBackup")
        self.create_button.setEnabled(False)
        later = buttons.addButton(_tr("Not now"), QDialogButtonBox.ButtonRole.RejectRole)
        later.setObjectName("noBackup")
        self.candidates.itemSelectionChanged.connect(
            lambda: self.create_button.setEnabled(self.candidates.selected_mentor() is not None)
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(hint)
        if ranked:
            layout.addWidget(self.candidates, 1)
        else:
            self.candidates.hide()
            empty = QLabel(_tr("No other mentors yet. Add one on the Mentors page."))
            empty.setObjectName("noBackupCandidates")
            set_role(empty, "empty-state")
            layout.addWidget(empty, 1)
        layout.addWidget(buttons)
        self.resize(560, 420)


@dataclass(frozen=True)
class MoveResult:
    moved: bool
    backup_request_id: int | None = None
    receipt: MoveReceipt | None = None  # to undo the move
    on: date | None = None  # the day the move was dated
    mentor: str = ""


def refuse(parent: QWidget | None, reason: str) -> None:
    box = QMessageBox(parent)
    box.setObjectName("moveRefused")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_tr("Move not possible"))
    box.setText(reason)
    box.exec()


def perform_move(
    parent: QWidget | None, request_id: int, to_status: RequestStatus, *, today: date
) -> MoveResult:
    """Move the request, asking for a note where the domain wants one, and
    after a decline offer a backup. Refusals are shown, never silent."""
    to_status = RequestStatus(to_status)
    row = request_store.load_request_row(request_id)
    if row is None:  # deleted meanwhile (another window)
        return MoveResult(False)
    refusal = request_store.move_refusal(request_id, to_status, on=today, today=today)
    if refusal is not None:
        refuse(parent, _tr(refusal))
        return MoveResult(False)
    move = next(m for m in available_moves(row.status) if m.to_status is to_status)
    mentor = row.mentor_name
    note = ""
    if move.asks_for_note:
        answer = _ask_note(parent, move, mentor)
        if answer is None:
            return MoveResult(False)
        note = answer
    on = today if move.is_correction else ask_move_date(parent, request_id, to_status, today=today)
    if on is None:
        return MoveResult(False)
    try:
        receipt = guarded(
            parent,
            lambda: request_store.move_status(request_id, to_status, note=note, on=on, today=today),
        )
    except SaveFailed:
        return MoveResult(False)
    except TransitionRefused as refused:
        refuse(parent, _tr(refused.user_message))
        return MoveResult(False)
    if to_status is not RequestStatus.DECLINED:
        return MoveResult(True, receipt=receipt, on=on, mentor=mentor)
    backup = offer_backup(parent, request_id, mentor, today=today)
    return MoveResult(True, backup, receipt=receipt, on=on, mentor=mentor)


def offer_backup(
    parent: QWidget | None, request_id: int, mentor: str, *, today: date
) -> int | None:
    """Propose backup writers for ``request_id``; the new request's id, or
    None when the user chose not now."""
    ranked = request_store.backup_candidates(request_id, today=today)
    names = dict(mentor_choices(include_archived=False))
    dialog = BackupDialog(mentor, ranked, names, parent)
    if not dialog.exec():
        return None
    chosen = dialog.candidates.selected_mentor()
    if chosen is None:
        return None
    # Where assigning is final (ERAS), ask before the backup takes the programs.
    service, final = program_store.backup_assignments_final(request_id)
    carry = not final or confirm(
        parent,
        _tr("Assign the backup for good?"),
        _tr(
            "{service} does not let you unassign a letter. Assign the backup's letter to "
            "{programs} now?"
        ).format(service=service, programs=", ".join(final)),
        _tr("Assign now"),
        informative=_tr("Cancel creates the backup unassigned; assign it later in Programs."),
        object_name="confirmBackupAssignment",
    )
    try:
        result = guarded(
            parent,
            lambda: request_store.create_backup(
                request_id,
                chosen,
                note=_tr("Backup for {name}").format(name=mentor),
                assign_programs=carry,
            ),
        )
    except SaveFailed:
        return None
    except RequestError as refused:
        refuse(parent, _tr(refused.user_message))
        return None
    if result.not_assigned:
        refuse(
            parent,
            _tr("The backup was created, but some programs did not take it:\n{reasons}").format(
                reasons="\n".join(f"• {reason}" for _program, reason in result.not_assigned)
            ),
        )
    return result.request_id

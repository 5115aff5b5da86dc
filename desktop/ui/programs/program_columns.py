"""The Programs table: its rows (a program with its coverage), columns,
labels and the coverage colours shared with the detail panel and dialogs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap

from desktop.domain.coverage import CoverageState, ProgramCoverage
from desktop.domain.vocabulary import ProgramStatus
from desktop.store.programs import ProgramRow
from desktop.ui.common import AnyIndex, Column, RowTableModel, label_of, nulls_last, short_date


def _tr(text: str) -> str:
    return QCoreApplication.translate("Columns", text)


# --- coverage look ------------------------------------------------------------

# Readable on a light and on a dark background; the word is always shown
# too, so colour is never the only signal.
COVERAGE_COLOURS = {
    CoverageState.MET: "#2e7d32",
    CoverageState.AT_RISK: "#b26a00",
    CoverageState.NOT_MET: "#c62828",
    CoverageState.NOT_EVALUATED: "#8a8a8a",
}
# Worst first: sorting the coverage column ascending puts trouble on top.
COVERAGE_ORDER = {
    CoverageState.NOT_MET: 0,
    CoverageState.AT_RISK: 1,
    CoverageState.MET: 2,
    CoverageState.NOT_EVALUATED: 3,
}
_ICONS: dict[CoverageState, QIcon] = {}


def coverage_icon(state: CoverageState) -> QIcon:
    """A filled dot in the state's colour (made once, on first use)."""
    icon = _ICONS.get(state)
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(COVERAGE_COLOURS[state]))
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icon = _ICONS[state] = QIcon(pixmap)
    return icon


def coverage_label(coverage: ProgramCoverage | None) -> str:
    return label_of(coverage.state) if coverage is not None else ""


# --- rows and columns ------------------------------------------------------------


@dataclass(slots=True)
class ProgramLine:
    """A program as the table shows it: the stored row and its coverage."""

    id: int
    row: ProgramRow
    coverage: ProgramCoverage | None

    @property
    def search_text(self) -> str:
        return self.row.search_text

    @property
    def state(self) -> CoverageState | None:
        return self.coverage.state if self.coverage is not None else None


def requirements_text(row: ProgramRow) -> str:
    """Short form for the table: "3 letters · 1 specialty · chair · SLOE"."""
    parts = [
        _tr("1 letter")
        if row.letters_required == 1
        else _tr("{n} letters").format(n=row.letters_required)
    ]
    if row.specialty_letters_required:
        parts.append(_tr("{n} specialty").format(n=row.specialty_letters_required))
    if row.chair_letter_required:
        parts.append(_tr("chair"))
    if row.standardized_letter_required:
        parts.append(_tr("SLOE/eSLOR"))
    return " · ".join(parts)


def requirements_sentence(row: ProgramRow) -> str:
    """Long form for tooltips and the detail panel."""
    lines = [
        _tr("1 letter in all")
        if row.letters_required == 1
        else _tr("{n} letters in all").format(n=row.letters_required)
    ]
    if row.specialty_letters_required:
        lines.append(
            _tr("at least {n} from {specialty}").format(
                n=row.specialty_letters_required,
                specialty=row.specialty or _tr("a specialty"),
            )
        )
    if row.chair_letter_required:
        lines.append(_tr("a department chair letter"))
    if row.standardized_letter_required:
        lines.append(_tr("a standardized letter (SLOE/eSLOR)"))
    return ", ".join(lines)


def assigned_text(row: ProgramRow) -> str:
    if row.cap_scope != "per_program":
        return str(row.assigned_count)  # the cap counts the whole application
    return _tr("{n} of {cap}").format(n=row.assigned_count, cap=row.max_letters)


def assigned_tooltip(row: ProgramRow) -> str:
    text = (
        _tr("1 letter assigned; this cycle allows {cap}.")
        if row.assigned_count == 1
        else _tr("{n} letters assigned; this cycle allows {cap}.")
    ).format(n=row.assigned_count, cap=row.cap_text or f"{row.max_letters} per program")
    extra = row.assigned_total - row.assigned_count
    if extra == 1:
        text += " " + _tr("1 declined or withdrawn letter also assigned, not counted.")
    elif extra:
        text += " " + _tr("{n} declined or withdrawn letters also assigned, not counted.").format(
            n=extra
        )
    return text


def coverage_tooltip(line: ProgramLine) -> str:
    if line.coverage is None:
        return ""
    return "\n".join([coverage_label(line.coverage), *line.coverage.reasons])


def deadline_tooltip(deadline: date | None, today: date) -> str:
    if deadline is None:
        return _tr("No deadline set")
    days = (deadline - today).days
    if days == 0:
        return _tr("Deadline today")
    if days == 1:
        return _tr("Deadline tomorrow")
    if days == -1:
        return _tr("Deadline passed yesterday")
    if days > 0:
        return _tr("Deadline in {n} days").format(n=days)
    return _tr("Deadline passed {n} days ago").format(n=-days)


def program_columns(today: date) -> list[Column[ProgramLine]]:
    def name_key(line: ProgramLine) -> str:
        return line.row.name.casefold()

    return [
        Column(
            _tr("Program"),
            lambda p: p.row.name,
            name_key,
            tooltip=lambda p: f"{p.row.name}\n{p.row.cycle_name}",
        ),
        Column(
            _tr("Deadline"),
            lambda p: short_date(p.row.deadline),
            lambda p: (nulls_last(p.row.deadline), name_key(p)),
            tooltip=lambda p: deadline_tooltip(p.row.deadline, today),
        ),
        Column(
            _tr("Status"),
            lambda p: label_of(p.row.status),
            lambda p: (list(ProgramStatus).index(p.row.status), name_key(p)),
        ),
        Column(
            _tr("Assigned"),
            lambda p: assigned_text(p.row),
            lambda p: (p.row.assigned_count, name_key(p)),
            align_right=True,
            tooltip=lambda p: assigned_tooltip(p.row),
        ),
        Column(
            _tr("Coverage"),
            lambda p: coverage_label(p.coverage),
            lambda p: (COVERAGE_ORDER[p.state] if p.state is not None else 4, name_key(p)),
            tooltip=coverage_tooltip,
        ),
        Column(
            _tr("Requires"),
            lambda p: requirements_text(p.row),
            lambda p: (
                p.row.letters_required,
                p.row.specialty_letters_required,
                p.row.chair_letter_required,
                p.row.standardized_letter_required,
                name_key(p),
            ),
            tooltip=lambda p: requirements_sentence(p.row),
        ),
        Column(
            _tr("Specialty"),
            lambda p: p.row.specialty,
            lambda p: (p.row.specialty.casefold(), name_key(p)),
        ),
        Column(
            _tr("Location"),
            lambda p: p.row.location,
            lambda p: (p.row.location.casefold(), name_key(p)),
        ),
    ]


DEADLINE_COLUMN = 1
COVERAGE_COLUMN = 4


class ProgramTableModel(RowTableModel[ProgramLine]):
    """The row model with the coverage cell drawn in its colour."""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.column() == COVERAGE_COLUMN and role in (
            Qt.ItemDataRole.DecorationRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            line = self.row_at(index)
            if line is not None and line.state is not None:
                if role == Qt.ItemDataRole.DecorationRole:
                    return coverage_icon(line.state)
                return QBrush(QColor(COVERAGE_COLOURS[line.state]))
        return super().data(index, role)

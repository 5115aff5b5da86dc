"""Column definitions for the mentor, experience and interaction tables."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from desktop.domain.contact import describe_last_contact
from desktop.domain.vocabulary import ExperienceKind, InteractionKind, MentorCategory
from desktop.store.experiences import ExperienceRow
from desktop.store.mentors import InteractionRow, MentorRow
from desktop.ui.common.labels import label_for
from desktop.ui.common.row_model import Column, nulls_last


def _tr(text: str) -> str:
    return QCoreApplication.translate("Columns", text)


def stars(strength: int) -> str:
    return "★" * strength + "☆" * (5 - strength)


def short_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def mentor_columns(today: date) -> list[Column[MentorRow]]:
    return [
        Column(
            _tr("Name"),
            lambda r: r.display_name,
            lambda r: r.sort_name,
            tooltip=lambda r: f"{r.display_name}\n{r.email}" if r.email else r.display_name,
        ),
        Column(
            _tr("Category"),
            lambda r: label_for(MentorCategory, r.category),
            lambda r: (r.category, r.sort_name),
        ),
        Column(
            _tr("Specialty"), lambda r: r.specialty, lambda r: (r.specialty.casefold(), r.sort_name)
        ),
        Column(
            _tr("Institution"),
            lambda r: r.institution,
            lambda r: (r.institution.casefold(), r.sort_name),
        ),
        Column(
            _tr("Strength"),
            lambda r: stars(r.strength),
            lambda r: (r.strength, r.sort_name),
            tooltip=lambda r: _tr("Strength {n} of 5").format(n=r.strength),
        ),
        Column(
            _tr("Last contact"),
            lambda r: describe_last_contact(r.last_contact, today),
            lambda r: (r.last_contact or date.min, r.sort_name),
            tooltip=lambda r: short_date(r.last_contact) or _tr("No contact logged yet"),
        ),
        Column(
            _tr("Letters"),
            lambda r: str(r.letter_count),
            lambda r: (r.letter_count, r.sort_name),
            align_right=True,
        ),
    ]


def experience_columns(with_mentors: bool = True) -> list[Column[ExperienceRow]]:
    columns: list[Column[ExperienceRow]] = [
        Column(_tr("Kind"), lambda r: label_for(ExperienceKind, r.kind), lambda r: r.kind),
        Column(_tr("Title"), lambda r: r.title, lambda r: r.title.casefold()),
        Column(_tr("Institution"), lambda r: r.institution, lambda r: r.institution.casefold()),
        Column(_tr("From"), lambda r: short_date(r.start_date), lambda r: nulls_last(r.start_date)),
        Column(
            _tr("To"),
            lambda r: short_date(r.end_date) or _tr("ongoing"),
            lambda r: r.end_date or date.max,
        ),
    ]
    if with_mentors:
        columns.append(Column(_tr("Mentors"), lambda r: r.mentor_names, lambda r: r.mentor_names))
    return columns


def _experience_dates(row: ExperienceRow) -> str:
    start = short_date(row.start_date)
    end = short_date(row.end_date) or _tr("ongoing")
    return f"{start} – {end}" if start else end


def compact_experience_columns() -> list[Column[ExperienceRow]]:
    """Two columns for the narrow mentor detail panel."""
    return [
        Column(
            _tr("Experience"),
            lambda r: " · ".join(
                p for p in (label_for(ExperienceKind, r.kind), r.title, r.institution) if p
            ),
            lambda r: r.title.casefold(),
        ),
        Column(_tr("Dates"), _experience_dates, lambda r: r.end_date or date.max),
    ]


def interaction_columns() -> list[Column[InteractionRow]]:
    """The log in a narrow panel: the kind leads the entry (a column of its
    own would take the room the entry needs to be read whole)."""
    return [
        Column(_tr("Date"), lambda r: short_date(r.occurred_on), lambda r: (r.occurred_on, r.id)),
        Column(
            _tr("Entry"),
            lambda r: f"{label_for(InteractionKind, r.kind)}: {r.summary}",
            lambda r: r.summary,
            tooltip=lambda r: r.summary,
        ),
        Column(
            "★",
            lambda r: "★" if r.mention_in_letter else "",
            lambda r: r.mention_in_letter,
            tooltip=lambda r: _tr("Mention in my letter") if r.mention_in_letter else "",
        ),
    ]

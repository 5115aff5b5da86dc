"""The import preview: a table's columns mapped to mentor fields and every
row checked with the same rules as the mentor form, duplicates by email
marked, before anything is written.

A field may come from several columns (Outlook's three e-mail columns, a
sheet's "Mobile" and "Work phone"), and a cell may hold several values
(Google joins them with " ::: "). The mentor keeps one email and one phone
— the first email; the mobile, else the work, else the home number, never a
fax — and the others go into the notes, so nothing the file held is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from desktop.domain import validation as rules
from desktop.domain.person_names import split_full_name
from desktop.domain.vocabulary import MentorCategory, ReminderPreference
from desktop.services.data.csv_headers import (
    FULL_NAME,
    IGNORE,
    MIDDLE_NAME,
    fuzzy_key,
    guess_fields,
    label_column,
    phone_rank,
)
from desktop.services.data.formula_guard import undo_spreadsheet_safe
from desktop.services.data.import_table import ImportTable
from desktop.store.mentors import MentorFields, email_key, known_email_keys

__all__ = [
    "FULL_NAME",
    "IGNORE",
    "IMPORT_FIELDS",
    "CandidateRow",
    "ImportPreview",
    "RowStatus",
    "build_preview",
    "existing_emails",
    "guess_mapping",
]

IMPORT_FIELDS: dict[str, str] = {
    IGNORE: "(ignore)",
    "honorific": "Honorific",
    "first_name": "First name",
    MIDDLE_NAME: "Middle name",
    "last_name": "Last name",
    FULL_NAME: "Full name",
    "credentials": "Credentials",
    "title": "Title",
    "department": "Department",
    "specialty": "Specialty",
    "institution": "Institution",
    "email": "Email",
    "phone": "Phone",
    "category": "Category",
    "is_department_chair": "Department chair",
    "can_write_standardized": "Writes standardized letters",
    "strength": "Strength",
    "reminder_preference": "Reminders",
    "how_met": "How we met",
    "notes": "Notes",
    "archived": "Archived",
}
MULTI_VALUE = " ::: "  # how Google Contacts joins several values in one cell


def guess_mapping(headers: Sequence[str]) -> list[str]:
    """One import field (or ``IGNORE``) per column, from the header texts:
    exact headers of known programs and languages first, then fuzzy rules
    (``csv_headers``)."""
    return guess_fields(headers)


_CATEGORY_WORDS: dict[str, MentorCategory] = {}
for _c in MentorCategory:
    _CATEGORY_WORDS[fuzzy_key(_c.value)] = _c
    _CATEGORY_WORDS[fuzzy_key(_c.label)] = _c
_CATEGORY_WORDS.update(
    {
        "academic": MentorCategory.ACADEMIC_ADVISOR,
        "advisor": MentorCategory.ACADEMIC_ADVISOR,
        "clinical": MentorCategory.CLINICAL_SUPERVISOR,
        "supervisor": MentorCategory.CLINICAL_SUPERVISOR,
        "research": MentorCategory.RESEARCH_ADVISOR,
        "professional": MentorCategory.PROFESSIONAL_CONNECTION,
        "other": MentorCategory.OTHER,
    }
)
_REMINDER_WORDS: dict[str, ReminderPreference] = {}
for _r in ReminderPreference:
    _REMINDER_WORDS[fuzzy_key(_r.value)] = _r
    _REMINDER_WORDS[fuzzy_key(_r.label)] = _r
_YES = {"yes", "y", "true", "1", "x", "ja", "oui", "si", "sim", "wahr", "vrai"}
_NO = {"no", "n", "false", "0", "nein", "non", "nao", "falsch", "faux", ""}


class RowStatus:
    ADD = "add"
    DUPLICATE = "duplicate"
    ERROR = "error"


@dataclass
class CandidateRow:
    line: int
    values: MentorFields | None
    errors: list[str]
    duplicate: str = ""  # why the row is skipped as a duplicate
    archived: bool = False  # the file says the mentor is archived

    @property
    def status(self) -> str:
        if self.errors:
            return RowStatus.ERROR
        return RowStatus.DUPLICATE if self.duplicate else RowStatus.ADD


@dataclass
class ImportPreview:
    rows: list[CandidateRow]

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    def _adding(self) -> list[CandidateRow]:
        return [r for r in self.rows if r.status == RowStatus.ADD and r.values]

    @property
    def to_add(self) -> list[MentorFields]:
        return [r.values for r in self._adding() if r.values]

    @property
    def archived_indexes(self) -> list[int]:
        """Positions in ``to_add`` of the mentors to import as archived."""
        return [i for i, row in enumerate(self._adding()) if row.archived]

    def summary(self) -> str:
        parts = [f"{self.count(RowStatus.ADD)} to add"]
        if dup := self.count(RowStatus.DUPLICATE):
            parts.append(f"{dup} duplicate{'s' if dup != 1 else ''} skipped")
        if bad := self.count(RowStatus.ERROR):
            parts.append(f"{bad} with errors")
        return ", ".join(parts)


def existing_emails() -> set[str]:
    """The emails already in LetterDesk, as ``build_preview`` compares them."""
    return known_email_keys()


_SHORT_LIMITS = {
    "honorific": rules.NAME_MAX,
    "first_name": rules.NAME_MAX,
    "credentials": rules.NAME_MAX,
    "title": rules.SHORT_TEXT_MAX,
    "department": rules.SHORT_TEXT_MAX,
    "specialty": rules.SHORT_TEXT_MAX,
    "institution": rules.SHORT_TEXT_MAX,
    "phone": rules.PHONE_MAX,
}


@dataclass
class _RowCells:
    """One row's values by field: the first non-empty cell of each field,
    plus every email and phone (with its rank) in the order found."""

    first: dict[str, str]
    emails: list[str]
    phones: list[tuple[int, str]]  # (rank, number); faxes are not here


def _collect(table: ImportTable, mapping: Sequence[str], row: Sequence[str]) -> _RowCells:
    cells = _RowCells({}, [], [])
    for index, (key, value) in enumerate(zip(mapping, row, strict=False)):
        if key == IGNORE:
            continue
        if table.strip_formula_guard:
            value = undo_spreadsheet_safe(value)
        # Notes keep their inner line breaks; everything is trimmed, as the
        # form trims what is typed.
        value = value.strip()
        if key == "email":
            cells.emails += [v.strip() for v in value.split(MULTI_VALUE) if v.strip()]
        elif key == "phone":
            header = table.headers[index] if index < len(table.headers) else ""
            at = label_column(table.headers, index)
            labels = row[at].split(MULTI_VALUE) if at is not None and at < len(row) else []
            for n, number in enumerate(value.split(MULTI_VALUE)):
                label = labels[n] if n < len(labels) else ""
                rank = phone_rank(header, label)
                if number.strip() and rank is not None:
                    cells.phones.append((rank, number.strip()))
        elif value and key not in cells.first:
            cells.first[key] = value
    return cells


def _flag(raw: str, what: str, errors: list[str]) -> bool:
    word = fuzzy_key(raw)
    if word in _YES:
        return True
    if word not in _NO:
        errors.append(f"{what} “{raw[:40]}” is not yes or no.")
    return False


def _names(get: Callable[[str], str]) -> tuple[str, str, str, str, str]:
    """(honorific, first, last, credentials, note) from the name columns."""
    honorific, credentials = get("honorific"), get("credentials")
    first = " ".join(p for p in (get("first_name"), get(MIDDLE_NAME)) if p)
    last, note = get("last_name"), ""
    if not last and get(FULL_NAME):
        name = split_full_name(get(FULL_NAME))
        first, last = first or name.first, name.last
        honorific, credentials = honorific or name.honorific, credentials or name.credentials
        if name.changed:
            note = f"Name in the file: {get(FULL_NAME)}"
    if not last and first:  # a single name goes where the form requires one
        first, last = "", first
    return honorific, first, last, credentials, note


def _candidate(
    cells: _RowCells, default_category: MentorCategory
) -> tuple[MentorFields | None, bool, list[str]]:
    errors: list[str] = []

    def get(key: str) -> str:
        return cells.first.get(key, "")

    honorific, first, last, credentials, name_note = _names(get)
    if error := rules.person_name(last, "Last name"):
        errors.append(error)
    email = cells.emails[0] if cells.emails else ""
    phones = sorted(cells.phones, key=lambda p: p[0])  # stable: file order within a rank
    phone = phones[0][1] if phones else ""
    single = {
        "honorific": honorific,
        "first_name": first,
        "credentials": credentials,
        "phone": phone,
        **{k: get(k) for k in ("title", "department", "specialty", "institution")},
    }
    for name, limit in _SHORT_LIMITS.items():
        if error := rules.single_line(single[name], IMPORT_FIELDS[name], limit):
            errors.append(error)
    if error := rules.email_address(email):
        errors.append(error)
    category = default_category
    if raw := get("category"):
        found = _CATEGORY_WORDS.get(fuzzy_key(raw))
        if found is None:
            choices = ", ".join(c.label for c in MentorCategory)
            errors.append(f"Category “{raw[:60]}” is not one LetterDesk knows ({choices}).")
        else:
            category = found
    reminders = ReminderPreference.DEFAULT
    if raw := get("reminder_preference"):
        if (found_reminder := _REMINDER_WORDS.get(fuzzy_key(raw))) is None:
            choices = ", ".join(r.label for r in ReminderPreference)
            errors.append(f"Reminders “{raw[:40]}” is not one LetterDesk knows ({choices}).")
        else:
            reminders = found_reminder
    strength = 3
    if raw := get("strength"):
        try:
            strength = int(raw)
        except ValueError:
            strength = 0
        if error := rules.strength(strength):
            errors.append(error)
    chair = _flag(get("is_department_chair"), "Department chair", errors)
    standardized = _flag(get("can_write_standardized"), "Writes standardized letters", errors)
    archived = _flag(get("archived"), "Archived", errors)
    how_met = get("how_met")
    others = [f"Other email: {e}" for e in cells.emails[1:]]
    others += [f"Other phone: {number}" for _, number in phones[1:]]
    notes = "\n".join(p for p in (get("notes"), "\n".join(others), name_note) if p)
    if error := rules.max_length(how_met, rules.SUMMARY_MAX, "How we met") or (
        rules.no_control_characters(how_met, "How we met")
    ):
        errors.append(error)
    if error := rules.max_length(notes, rules.NOTES_MAX, "Notes"):
        errors.append(error)
    if errors:
        return None, False, errors
    return (
        MentorFields(
            last_name=last,
            first_name=first,
            category=category.value,
            honorific=honorific,
            credentials=credentials,
            title=get("title"),
            department=get("department"),
            specialty=get("specialty"),
            institution=get("institution"),
            email=rules.normalized_email(email) if email else "",
            phone=phone,
            is_department_chair=chair,
            can_write_standardized=standardized,
            strength=strength,
            reminder_preference=reminders.value,
            how_met=how_met,
            notes=notes,
        ),
        archived,
        [],
    )


def build_preview(
    table: ImportTable,
    mapping: Sequence[str],
    known_emails: set[str],
    default_category: MentorCategory = MentorCategory.OTHER,
) -> ImportPreview:
    """Every row checked as the mentor form would, with duplicates by email
    (in ``known_emails`` or repeated earlier in the file) marked, not added."""
    preview = ImportPreview([])
    seen: dict[str, int] = {}
    for index, row in enumerate(table.rows):
        line = table.line_numbers[index] if index < len(table.line_numbers) else index + 2
        values, archived, errors = _candidate(_collect(table, mapping, row), default_category)
        if problem := table.row_problems.get(index):
            errors.insert(0, problem)
            values = None
        candidate = CandidateRow(line, values, errors, archived=archived)
        if values is not None and values.email:
            key = email_key(values.email)
            if key in known_emails:
                candidate.duplicate = f"{values.email} is already in LetterDesk."
            elif key in seen:
                candidate.duplicate = f"{values.email} is already on line {seen[key]} of the file."
            else:
                seen[key] = line
        preview.rows.append(candidate)
    return preview

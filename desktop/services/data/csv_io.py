"""CSV in and out: mentors, requests and programs exported for spreadsheets,
and mentors imported from a spreadsheet the user kept so far.

Export writes UTF-8 with a byte-order mark (Excel on Windows reads plain
UTF-8 as the local code page) and a header row. A text cell that a
spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) gets a leading apostrophe: Excel and
LibreOffice show the apostrophe-prefixed cell as text, so a mentor named
``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` (CSV injection, OWASP) cannot
run anything when the user opens the export. LetterDesk's own importer
removes exactly that apostrophe again, so an export reads back unchanged.

Import is two steps and writes nothing until the second: ``read_csv`` (or
``vcard_import.read_vcards``) gives an ``ImportTable``; ``build_preview``
maps its columns to mentor fields and checks every row with the same
validation as the mentor form, marking duplicates by email (already in
LetterDesk or repeated in the file). ``import_mentors`` then adds the good
rows in one transaction.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop.domain import validation as rules
from desktop.domain.vocabulary import MentorCategory
from desktop.errors import UserError
from desktop.files import atomic_write
from desktop.paths import DataPaths
from desktop.services.data import backups
from desktop.store.database import current_database
from desktop.store.mentors import (
    MentorFields,
    add_mentors_once,
    email_key,
    known_email_keys,
    mentors_for_export,
)
from desktop.store.programs import load_program_rows
from desktop.store.requests import load_request_rows

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # a contact list, not a database dump
MAX_IMPORT_ROWS = 50_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(UserError):
    """The file cannot be read as a table; ``user_message`` says why."""


# --- export ----------------------------------------------------------------------


def spreadsheet_safe(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet would read it as
    a formula (also when it already starts with apostrophes, so the importer's
    removal of one apostrophe gives the original back)."""
    if value.lstrip("'").startswith(FORMULA_START):
        return "'" + value
    return value


def undo_spreadsheet_safe(value: str) -> str:
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_START):
        return value[1:]
    return value


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return spreadsheet_safe(value)
    return str(value)


def write_csv(target: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """Write one table as CSV (UTF-8 with BOM, CRLF line ends as RFC 4180
    says); returns the number of data rows."""
    count = 0
    with atomic_write(target) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            count += 1
        text.flush()
        text.detach()  # the handle stays open for atomic_write to sync and rename
    return count


MENTOR_COLUMNS: tuple[tuple[str, str], ...] = (
    ("honorific", "Honorific"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("credentials", "Credentials"),
    ("title", "Title"),
    ("department", "Department"),
    ("specialty", "Specialty"),
    ("institution", "Institution"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("category", "Category"),
    ("is_department_chair", "Department chair"),
    ("can_write_standardized", "Writes standardized letters"),
    ("strength", "Strength"),
    ("reminder_preference", "Reminders"),
    ("how_met", "How we met"),
    ("notes", "Notes"),
    ("archived", "Archived"),
)
_CATEGORY_LABEL = {c.value: c.label for c in MentorCategory}


def export_mentors(target: Path) -> int:
    def rows() -> Iterable[list[object]]:
        for mentor in mentors_for_export():
            values: list[object] = [getattr(mentor, name) for name, _ in MENTOR_COLUMNS]
            values[10] = _CATEGORY_LABEL.get(mentor.category, mentor.category)
            yield values

    return write_csv(target, [label for _, label in MENTOR_COLUMNS], rows())


def export_requests(target: Path) -> int:
    header = [
        "Mentor",
        "Cycle",
        "Letter type",
        "Specialty",
        "Status",
        "Planned ask",
        "Asked",
        "Due",
        "Submitted",
        "Thanked",
        "Letter ID",
        "Waiver",
        "Programs",
    ]
    return write_csv(
        target,
        header,
        (
            [
                r.mentor_name,
                r.cycle_name,
                r.letter_type.label,
                r.specialty,
                r.status.label,
                r.planned_ask_on,
                r.asked_on,
                r.due_on,
                r.submitted_on,
                r.thanked_on,
                r.letter_id,
                r.waiver,
                r.program_count,
            ]
            for r in load_request_rows()
        ),
    )


def export_programs(target: Path) -> int:
    header = [
        "Cycle",
        "Program",
        "Specialty",
        "Location",
        "Deadline",
        "Status",
        "Letters required",
        "Specialty letters required",
        "Chair letter required",
        "Standardized letter required",
        "Letters assigned",
    ]
    return write_csv(
        target,
        header,
        (
            [
                p.cycle_name,
                p.name,
                p.specialty,
                p.location,
                p.deadline,
                p.status.value,
                p.letters_required,
                p.specialty_letters_required,
                p.chair_letter_required,
                p.standardized_letter_required,
                p.assigned_count,
            ]
            for p in load_program_rows()
        ),
    )


# --- reading a table ----------------------------------------------------------------


@dataclass
class ImportTable:
    """What a file holds, before any mapping: a header and rows of strings
    (each as long as the header). ``line_numbers`` says where each row
    started in the file, for messages; ``row_problems`` holds rows the
    reader already found wrong (more cells than the header)."""

    headers: list[str]
    rows: list[list[str]]
    line_numbers: list[int]
    description: str  # "UTF-8, comma-separated", "vCard, 3 cards"
    row_problems: dict[int, str] = field(default_factory=dict)
    # CSV from LetterDesk (or any careful exporter) may carry the
    # apostrophe that protects formula-like cells; vCards never do.
    strip_formula_guard: bool = True


def decode_text(raw: bytes) -> tuple[str, str]:
    """(text, encoding name): BOMs first, then strict UTF-8, then Windows-1252
    (what Excel writes on Western Windows), then Latin-1 (never fails)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "UTF-8"
    for bom, name in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if raw.startswith(bom):
            return raw[2:].decode(name, errors="replace"), "UTF-16"
    for name, shown in (("utf-8", "UTF-8"), ("cp1252", "Windows-1252")):
        try:
            return raw.decode(name), shown
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1"), "Latin-1"


def read_import_bytes(path: Path) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportFileError(
                f"{path.name} is {size / 1e6:.0f} MB; LetterDesk imports files up to "
                f"{MAX_IMPORT_BYTES // 1_000_000} MB. Split it, or export only the contacts."
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(
            f"{path.name} could not be read: {exc.strerror or exc}. Check that the file "
            "exists and that you may open it."
        ) from exc
    if not raw.strip():
        raise ImportFileError(f"{path.name} is empty.")
    return raw


_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


def _sniff_delimiter(text: str) -> str:
    sample = text[:64_000]
    try:
        found = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
        if found in _DELIMITERS:
            return found
    except csv.Error:
        pass
    first = sample.split("\n", 1)[0]
    return max(_DELIMITERS, key=lambda d: (first.count(d), d == ","))


def read_csv(path: Path) -> ImportTable:
    """Read a CSV (or semicolon- or tab-separated) file exported by a
    spreadsheet or an address book. Raises ``ImportFileError`` for a file
    that is not such a table."""
    raw = read_import_bytes(path)
    text, encoding = decode_text(raw)
    if "\x00" in text:
        raise ImportFileError(
            f"{Path(path).name} does not look like a CSV file (it holds binary data). "
            "In your spreadsheet, use File → Save As → CSV."
        )
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    records: list[tuple[int, list[str]]] = []
    try:
        line = reader.line_num + 1
        for record in reader:
            if any(cell.strip() for cell in record):
                records.append((line, record))
            if len(records) > MAX_IMPORT_ROWS + 1:
                raise ImportFileError(
                    f"{Path(path).name} has more than {MAX_IMPORT_ROWS:,} rows; import it in parts."
                )
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ImportFileError(
            f"{Path(path).name} could not be read as CSV near line {reader.line_num}: {exc}. "
            "A cell may be too large or a quote may be missing."
        ) from exc
    if not records:
        raise ImportFileError(f"{Path(path).name} has no rows.")
    headers = [cell.strip() for cell in records[0][1]]
    width = len(headers)
    table = ImportTable(
        headers=[h or f"Column {i + 1}" for i, h in enumerate(headers)],
        rows=[],
        line_numbers=[],
        description=f"{encoding}, {_DELIMITERS[delimiter]}-separated",
    )
    for line, record in records[1:]:
        extra = [cell for cell in record[width:] if cell.strip()]
        if extra:
            table.row_problems[len(table.rows)] = (
                f"This row has {len(record)} cells but the header has {width}; "
                "a separator or quote is probably missing."
            )
        table.rows.append((record + [""] * width)[:width])
        table.line_numbers.append(line)
    return table


# --- mapping columns to mentor fields --------------------------------------------------

IGNORE = ""
FULL_NAME = "full_name"
IMPORT_FIELDS: dict[str, str] = {
    IGNORE: "(ignore)",
    "honorific": "Honorific",
    "first_name": "First name",
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
    "strength": "Strength",
    "how_met": "How we met",
    "notes": "Notes",
}
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "honorific": ("honorific", "prefix", "nameprefix", "salutation"),
    "first_name": ("firstname", "first", "givenname", "given", "forename"),
    "last_name": ("lastname", "last", "surname", "familyname", "family"),
    FULL_NAME: ("name", "fullname", "displayname", "mentor", "writer", "contact"),
    "credentials": ("credentials", "degrees", "degree", "suffix", "namesuffix"),
    "title": ("title", "jobtitle", "position", "role", "rank"),
    "department": ("department", "dept", "division"),
    "specialty": ("specialty", "speciality", "field", "area", "discipline"),
    "institution": (
        "institution",
        "organization",
        "organisation",
        "company",
        "hospital",
        "school",
        "university",
        "affiliation",
        "employer",
    ),
    "email": (
        "email",
        "emailaddress",
        "mail",
        "email1",
        "emailaddress1",
        "e-mail",
        "primaryemail",
        "email1value",
    ),
    "phone": (
        "phone",
        "phonenumber",
        "telephone",
        "mobile",
        "cell",
        "tel",
        "businessphone",
        "phone1value",
        "workphone",
    ),
    "category": ("category", "type", "kind", "relationship", "group"),
    "strength": ("strength", "rating", "score"),
    "how_met": ("howwemet", "howmet", "met", "context"),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
}
_BY_SYNONYM = {word: key for key, words in _SYNONYMS.items() for word in words}


def _header_key(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.casefold())


def guess_mapping(headers: Sequence[str]) -> list[str]:
    """One import field (or ``IGNORE``) per column, from the header text;
    each field is used by the first column that names it."""
    used: set[str] = set()
    mapping = []
    for header in headers:
        key = _BY_SYNONYM.get(_header_key(header), IGNORE)
        if key == IGNORE and "email" in _header_key(header):
            key = "email"
        if key in used:
            key = IGNORE
        used.add(key)
        mapping.append(key)
    return mapping


# --- the preview ----------------------------------------------------------------------

_CATEGORY_WORDS: dict[str, MentorCategory] = {}
for _c in MentorCategory:
    _CATEGORY_WORDS[_header_key(_c.value)] = _c
    _CATEGORY_WORDS[_header_key(_c.label)] = _c
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

    @property
    def to_add(self) -> list[MentorFields]:
        return [r.values for r in self.rows if r.status == RowStatus.ADD and r.values]

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


def _split_full_name(name: str) -> tuple[str, str]:
    """(first, last) from "Last, First" or "First Middle Last"."""
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    first, _, last = name.strip().rpartition(" ")
    return first.strip(), last.strip()


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


def _candidate(
    cells: dict[str, str], default_category: MentorCategory
) -> tuple[MentorFields | None, list[str]]:
    errors: list[str] = []
    get = cells.get
    first, last = get("first_name", ""), get("last_name", "")
    if not last and get(FULL_NAME):
        split_first, last = _split_full_name(get(FULL_NAME, ""))
        first = first or split_first
    if not last and first:  # a single name goes where the form requires one
        first, last = "", first
    if error := rules.person_name(last, "Last name"):
        errors.append(error)
    for name, limit in _SHORT_LIMITS.items():
        value = first if name == "first_name" else get(name, "")
        if error := rules.single_line(value, IMPORT_FIELDS[name], limit):
            errors.append(error)
    email = get("email", "")
    if error := rules.email_address(email):
        errors.append(error)
    category = default_category
    if raw := get("category", ""):
        found = _CATEGORY_WORDS.get(_header_key(raw))
        if found is None:
            choices = ", ".join(c.label for c in MentorCategory)
            errors.append(f"Category “{raw[:60]}” is not one LetterDesk knows ({choices}).")
        else:
            category = found
    strength = 3
    if raw := get("strength", ""):
        try:
            strength = int(raw)
        except ValueError:
            strength = 0
        if error := rules.strength(strength):
            errors.append(error)
    how_met, notes = get("how_met", ""), get("notes", "")
    if error := rules.max_length(how_met, rules.SUMMARY_MAX, "How we met") or (
        rules.no_control_characters(how_met, "How we met")
    ):
        errors.append(error)
    if error := rules.max_length(notes, rules.NOTES_MAX, "Notes"):
        errors.append(error)
    if errors:
        return None, errors
    return (
        MentorFields(
            last_name=last,
            first_name=first,
            category=category.value,
            honorific=get("honorific", ""),
            credentials=get("credentials", ""),
            title=get("title", ""),
            department=get("department", ""),
            specialty=get("specialty", ""),
            institution=get("institution", ""),
            email=rules.normalized_email(email) if email else "",
            phone=get("phone", ""),
            strength=strength,
            how_met=how_met,
            notes=notes,
        ),
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
        cells: dict[str, str] = {}
        for key, value in zip(mapping, row, strict=False):
            if key == IGNORE or key in cells:
                continue
            if table.strip_formula_guard:
                value = undo_spreadsheet_safe(value)
            # Notes keep their inner line breaks; everything is trimmed, as
            # the form trims what is typed.
            cells[key] = value.strip()
        line = table.line_numbers[index] if index < len(table.line_numbers) else index + 2
        values, errors = _candidate(cells, default_category)
        if problem := table.row_problems.get(index):
            errors.insert(0, problem)
            values = None
        candidate = CandidateRow(line, values, errors)
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


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int  # became duplicates between the preview and the import
    backup: Path | None


def import_mentors(paths: DataPaths | None, mentors: Sequence[MentorFields]) -> ImportResult:
    """Back up (when ``paths`` is given), then add ``mentors`` in one
    transaction: all of them or, on any error, none. An email that appeared
    in LetterDesk since the preview is skipped, not doubled."""
    backup = None
    if paths is not None:
        backup = backups.backup_now(current_database(), paths, "before-import").path
    added, skipped = add_mentors_once(mentors)
    log.info("Imported %d mentors (%d skipped as duplicates)", added, skipped)
    return ImportResult(added, skipped, backup)

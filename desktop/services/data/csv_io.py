"""CSV in and out: mentors, requests and programs exported for spreadsheets,
and mentors imported from a spreadsheet or an address book's export.

Export writes UTF-8 with a byte-order mark (Excel on Windows reads plain
UTF-8 as the local code page) and a header row; text cells a spreadsheet
could run as a formula are guarded (``formula_guard``).

Import is two steps and writes nothing until the second: ``read_csv`` (or
``vcard_import.read_vcards``) gives an ``ImportTable`` (``import_table``),
decoding line by line (``text_decoding``); ``build_preview``
(``import_preview``) maps its columns to mentor fields (``csv_headers``) and
checks every row with the same validation as the mentor form, marking
duplicates by email. ``import_mentors`` then adds the good rows in one
transaction.
"""

from __future__ import annotations

import bisect
import csv
import io
import logging
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desktop.domain.vocabulary import MentorCategory
from desktop.files import atomic_write
from desktop.paths import DataPaths
from desktop.services.data import backups, import_table
from desktop.services.data.formula_guard import (
    FORMULA_START,
    spreadsheet_safe,
    undo_spreadsheet_safe,
)
from desktop.services.data.import_preview import (
    FULL_NAME,
    IGNORE,
    IMPORT_FIELDS,
    CandidateRow,
    ImportPreview,
    RowStatus,
    build_preview,
    existing_emails,
    guess_mapping,
)
from desktop.services.data.import_table import (
    MAX_IMPORT_ROWS,
    ImportFileError,
    ImportTable,
)
from desktop.services.data.text_decoding import decode_lines, line_list
from desktop.store.database import current_database
from desktop.store.mentors import MentorFields, add_mentors_once, mentors_for_export
from desktop.store.programs import load_program_rows
from desktop.store.requests import load_request_rows

__all__ = [
    "FORMULA_START",
    "FULL_NAME",
    "IGNORE",
    "IMPORT_FIELDS",
    "CandidateRow",
    "ImportFileError",
    "ImportPreview",
    "ImportTable",
    "RowStatus",
    "build_preview",
    "existing_emails",
    "guess_mapping",
    "spreadsheet_safe",
    "undo_spreadsheet_safe",
]

log = logging.getLogger(__name__)

MAX_IMPORT_BYTES = import_table.MAX_IMPORT_BYTES


# --- export ----------------------------------------------------------------------


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


def read_import_bytes(path: Path) -> bytes:
    # The limit is read here, at call time, so a test can lower it on csv_io.
    return import_table.read_import_bytes(path, MAX_IMPORT_BYTES)


_DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


# Excel writes, and reads, a first line such as "sep=;" naming the separator.
_SEPARATOR_LINE = re.compile(r"\A\ufeff?sep=(.)[ \t]*\r?(?:\n|\Z)", re.IGNORECASE)


def _declared_delimiter(text: str) -> str | None:
    found = _SEPARATOR_LINE.match(text)
    return found.group(1) if found and found.group(1) in _DELIMITERS else None


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


def decoding_warnings(
    encoding: str, fallback: str, fallback_lines: list[int], replaced_lines: list[int]
) -> list[str]:
    """Sentences about the lines that were not in the file's own encoding."""
    warnings = []
    if fallback_lines:
        one = len(fallback_lines) == 1
        warnings.append(
            f"The file is {encoding} except on {line_list(fallback_lines)}; LetterDesk read "
            f"{'that line' if one else 'those lines'} as {fallback}. Check the names there "
            "before importing."
        )
    if replaced_lines:
        warnings.append(
            f"Some characters on {line_list(replaced_lines)} could not be read as {encoding} "
            "and show as �. Fix them after the import, or save the file as “CSV UTF-8” "
            "and import it again."
        )
    return warnings


def _row_starts(starts: list[int], lines: list[int]) -> list[int]:
    """The start line of the record holding each of ``lines`` (``starts``
    ascending), each once."""
    found = {starts[max(bisect.bisect_right(starts, n) - 1, 0)] for n in lines if starts}
    return sorted(found)


def read_csv(path: Path) -> ImportTable:
    """Read a CSV (or semicolon- or tab-separated) file exported by a
    spreadsheet or an address book. Raises ``ImportFileError`` for a file
    that is not such a table."""
    raw = read_import_bytes(path)
    decoded = decode_lines(raw)
    text = decoded.text
    if "\x00" in text:
        raise ImportFileError(
            f"{Path(path).name} does not look like a CSV file (it holds binary data). "
            "In your spreadsheet, use File → Save As → CSV."
        )
    declared = _declared_delimiter(text)
    delimiter = declared or _sniff_delimiter(text)
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
    if declared:
        records = records[1:]  # the "sep=" line itself
    if not records:
        raise ImportFileError(f"{Path(path).name} has no rows.")
    headers = [cell.strip() for cell in records[0][1]]
    width = len(headers)
    table = ImportTable(
        headers=[h or f"Column {i + 1}" for i, h in enumerate(headers)],
        rows=[],
        line_numbers=[],
        description=f"{decoded.encoding}, {_DELIMITERS[delimiter]}-separated",
    )
    # A quoted cell may span lines: name the line each affected row starts on,
    # as the preview's "Line" column shows it.
    starts = [line for line, _ in records]
    table.warnings = decoding_warnings(
        decoded.encoding,
        decoded.fallback,
        _row_starts(starts, decoded.fallback_lines),
        _row_starts(starts, decoded.replaced_lines),
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


# --- importing ------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    added: int
    skipped: int  # became duplicates between the preview and the import
    backup: Path | None


def import_mentors(
    paths: DataPaths | None,
    mentors: Sequence[MentorFields],
    archived: Collection[int] = (),
) -> ImportResult:
    """Back up (when ``paths`` is given), then add ``mentors`` in one
    transaction: all of them or, on any error, none; those whose positions
    are in ``archived`` (``ImportPreview.archived_indexes``) come in archived.
    An email that appeared in LetterDesk since the preview is skipped, not
    doubled."""
    backup = None
    if paths is not None:
        backup = backups.backup_now(current_database(), paths, "before-import").path
    added, skipped = add_mentors_once(mentors, archived)
    log.info("Imported %d mentors (%d skipped as duplicates)", added, skipped)
    return ImportResult(added, skipped, backup)

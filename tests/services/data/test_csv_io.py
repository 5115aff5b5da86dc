"""CSV export and the mentor import preview: real files, real database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from desktop.services.data import csv_io
from desktop.services.data.csv_io import (
    IGNORE,
    ImportFileError,
    RowStatus,
    build_preview,
    existing_emails,
    guess_mapping,
    import_mentors,
    read_csv,
)
from desktop.store.mentors import MentorFields, count_mentors, save_mentor
from desktop.store.models import Mentor


def _write(tmp_path: Path, text: str | bytes, name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _preview(db, path: Path):
    table = read_csv(path)
    return build_preview(table, guess_mapping(table.headers), existing_emails())


def test_export_mentors_is_excel_friendly_and_escapes_formulas(db, tmp_path):
    save_mentor(MentorFields(last_name="=cmd|' /C calc'!A0", category="other", first_name="Eve"))
    save_mentor(MentorFields(last_name="Osei", category="research_advisor", phone="+1 555 0100"))
    target = tmp_path / "mentors.csv"
    assert csv_io.export_mentors(target) == 2
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Honorific", "First name", "Last name"]
    cells = [cell for row in rows[1:] for cell in row]
    # No cell a spreadsheet would evaluate: the apostrophe makes it text.
    assert not any(cell.startswith(("=", "@")) for cell in cells)
    assert "'=cmd|' /C calc'!A0" in cells
    # A phone number cannot be a formula: no visible apostrophe before it
    # (tests/interop opens the export in LibreOffice to check both).
    assert "+1 555 0100" in cells
    assert "Research advisor" in cells


def test_export_then_import_gives_the_same_mentors(db, data_paths, tmp_path):
    save_mentor(
        MentorFields(
            last_name="=SUM(A1)",
            first_name="'@x",
            category="other",
            notes='line one\nline "two", three',
            email="a@example.org",
        )
    )
    target = tmp_path / "m.csv"
    csv_io.export_mentors(target)
    Mentor.delete().execute()
    preview = _preview(db, target)
    assert preview.count(RowStatus.ADD) == 1
    import_mentors(data_paths, preview.to_add)
    mentor = Mentor.get()
    assert (mentor.last_name, mentor.first_name) == ("=SUM(A1)", "'@x")
    assert mentor.notes == 'line one\nline "two", three'


def test_export_requests_and_programs_write_a_header(db, tmp_path):
    assert csv_io.export_requests(tmp_path / "r.csv") == 0
    assert csv_io.export_programs(tmp_path / "p.csv") == 0
    assert (tmp_path / "r.csv").read_text("utf-8-sig").startswith("Mentor,Cycle")
    assert (tmp_path / "p.csv").read_text("utf-8-sig").startswith("Cycle,Program")


def test_guess_mapping_from_common_headers():
    headers = [
        "First Name",
        "Last Name",
        "E-mail Address",
        "Institution",
        "Specialty",
        "Category",
        "Notes",
        "Favourite colour",
        "Email",
    ]
    assert guess_mapping(headers) == [
        "first_name",
        "last_name",
        "email",
        "institution",
        "specialty",
        "category",
        "notes",
        IGNORE,
        "email",  # a second email column: used when the first is empty, else noted
    ]


def test_preview_marks_errors_and_duplicates_and_writes_nothing(db, tmp_path):
    save_mentor(MentorFields(last_name="Known", category="other", email="known@example.org"))
    path = _write(
        tmp_path,
        "Name,Email,Category\n"
        "Ada Lovelace,ada@example.org,Research\n"
        "Bad Mail,not-an-email,\n"
        "Known Again,KNOWN@EXAMPLE.ORG,\n"
        "Ada Twice,ada@example.org,\n"
        ",,\n"
        "Grace Hopper,,Clinical supervisor\n"
        "Who Knows,who@example.org,Astronaut\n",
    )
    preview = _preview(db, path)
    statuses = [row.status for row in preview.rows]
    assert statuses == ["add", "error", "duplicate", "duplicate", "add", "error"]
    assert "already in LetterDesk" in preview.rows[2].duplicate
    assert "line 2" in preview.rows[3].duplicate
    assert "Astronaut" in preview.rows[5].errors[0]
    assert preview.summary() == "2 to add, 2 duplicates skipped, 2 with errors"
    assert preview.rows[0].values.first_name == "Ada"
    assert preview.rows[0].values.category == "research_advisor"
    assert count_mentors() == 1  # the preview wrote nothing


def test_import_is_one_transaction_after_a_backup(db, data_paths, tmp_path):
    path = _write(tmp_path, "Last name,Email\nOne,one@example.org\nTwo,two@example.org\n")
    result = import_mentors(data_paths, _preview(db, path).to_add)
    assert (result.added, result.skipped) == (2, 0)
    assert result.backup is not None and Path(result.backup).exists()
    # Added to LetterDesk since the preview: skipped, not doubled.
    again = import_mentors(None, _preview_without_db(path).to_add)
    assert (again.added, again.skipped) == (0, 2)
    assert count_mentors() == 2


def _preview_without_db(path: Path):
    table = read_csv(path)
    return build_preview(table, guess_mapping(table.headers), set())


def test_import_failure_rolls_back_everything(db, monkeypatch):
    calls = []

    def failing(values, mentor_id=None):
        calls.append(values)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return Mentor.create(last_name=values.last_name, category=values.category).id

    from desktop.store import mentors as mentor_store

    monkeypatch.setattr(mentor_store, "save_mentor", failing)
    rows = [MentorFields(last_name=n, category="other") for n in ("A", "B", "C")]
    with pytest.raises(RuntimeError):
        import_mentors(None, rows)
    assert count_mentors() == 0


@pytest.mark.parametrize(
    ("raw", "delimiter_word", "encoding"),
    [
        ("Last name;Email\nMüller;m@example.org\n".encode(), "semicolon", "UTF-8"),
        ("Last name\tEmail\nMüller\tm@example.org\n".encode("utf-8-sig"), "tab", "UTF-8"),
        ("Last name,Email\nM\xfcller,m@example.org\n".encode("cp1252"), "comma", "Windows-1252"),
        ("Last name,Email\nMüller,m@example.org\n".encode("utf-16"), "comma", "UTF-16"),
    ],
)
def test_delimiters_and_encodings_are_sniffed(tmp_path, raw, delimiter_word, encoding):
    table = read_csv(_write(tmp_path, raw))
    assert table.rows == [["Müller", "m@example.org"]]
    assert delimiter_word in table.description and encoding in table.description


def test_undecodable_bytes_are_replaced_and_reported_instead_of_failing(tmp_path):
    # 0x81 is undefined in Windows-1252 and invalid UTF-8. Latin-1 would make
    # it the invisible control character U+0081; it is shown as such instead.
    table = read_csv(_write(tmp_path, b"Last name\nA\x81b\n"))
    assert table.rows == [["A\ufffdb"]] and "Windows-1252" in table.description
    assert "line 2" in table.warnings[0]


def test_control_characters_become_row_errors(db, tmp_path):
    table = read_csv(_write(tmp_path, b"Last name,Email\nA\x01b,\n"))
    preview = build_preview(table, guess_mapping(table.headers), set())
    assert preview.rows[0].status == RowStatus.ERROR
    assert "control characters" in preview.rows[0].errors[0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"PK\x03\x04\x00\x00binary", "binary data"),
        (b'Last name\n"' + b"x" * 200_000 + b'"\n', "too large"),
    ],
    ids=["empty", "blank", "binary", "huge-field"],
)
def test_unreadable_files_give_a_sentence(tmp_path, content, message):
    with pytest.raises(ImportFileError) as caught:
        read_csv(_write(tmp_path, content))
    assert message in caught.value.user_message


def test_missing_and_oversized_files(tmp_path, monkeypatch):
    with pytest.raises(ImportFileError, match="could not be read"):
        read_csv(tmp_path / "nope.csv")
    monkeypatch.setattr(csv_io, "MAX_IMPORT_BYTES", 10)
    with pytest.raises(ImportFileError, match="imports files up to"):
        read_csv(_write(tmp_path, "Last name\nSomebody Long\n"))


def test_ragged_rows(db, tmp_path):
    path = _write(tmp_path, "Last name,Email,Notes\nShort\nLong,l@example.org,n,EXTRA\nOk,,x,\n")
    preview = _preview(db, path)
    assert [r.status for r in preview.rows] == ["add", "error", "add"]
    assert "4 cells but the header has 3" in preview.rows[1].errors[0]
    assert [r.line for r in preview.rows] == [2, 3, 4]


def test_header_only_file_has_no_rows(tmp_path):
    assert read_csv(_write(tmp_path, "Last name,Email\n")).rows == []


def test_quoted_newlines_keep_line_numbers(tmp_path):
    table = read_csv(_write(tmp_path, 'Last name,Notes\nA,"one\ntwo"\nB,x\n'))
    assert table.rows == [["A", "one\ntwo"], ["B", "x"]]
    assert table.line_numbers == [2, 4]


def test_a_failed_export_keeps_the_old_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")

    def broken_rows():
        yield ["half"]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        csv_io.write_csv(target, ["Header"], broken_rows())
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


# --- the formula guard, character by character -----------------------------------


@pytest.mark.parametrize(
    ("value", "exported"),
    [
        # Every character a spreadsheet starts a formula with, literally.
        ("=1+2", "'=1+2"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("+A1", "'+A1"),
        ("-", "'-"),
        ("+", "'+"),
        # A number or phone number names no function, cell or program: no
        # spreadsheet can run it, so it keeps no visible apostrophe.
        ("+1 555 0100", "+1 555 0100"),
        ("-1 555 0100", "-1 555 0100"),
        ("+44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
        ("+1-555-0100", "+1-555-0100"),
        ("-5", "-5"),
        # ... unless the user typed an apostrophe before it, which must survive.
        ("'+1 555 0100", "''+1 555 0100"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\r=1", "'\r=1"),
        # Already apostrophe-prefixed formulas get one more, so the importer's
        # removal of exactly one gives the original back.
        ("'=1", "''=1"),
        ("''-1", "'''-1"),
        # Harmless: the character is not the first one (after apostrophes).
        ("Smith-Jones", "Smith-Jones"),
        ("555-0100", "555-0100"),
        ("a=b", "a=b"),
        ("x@example.org", "x@example.org"),
        (" =1", " =1"),  # a leading space makes it text already
        ("", ""),
        ("'", "'"),
        ("'Ohana", "'Ohana"),
        ("Dr. O'Neil", "Dr. O'Neil"),
    ],
)
def test_spreadsheet_safe_guards_exactly_the_formula_starts(value, exported):
    assert csv_io.spreadsheet_safe(value) == exported
    # ... and LetterDesk's own importer reads the export back as it was.
    assert csv_io.undo_spreadsheet_safe(exported) == value


def test_the_guard_covers_every_formula_start_and_nothing_else():
    assert csv_io.FORMULA_START == ("=", "+", "-", "@", "\t", "\r")
    for start in csv_io.FORMULA_START:
        assert csv_io.spreadsheet_safe(f"{start}x") == f"'{start}x"
        assert csv_io.spreadsheet_safe(f"{start}1x") == f"'{start}1x"
    for harmless in ("a", "1", " ", "'", "(", "#", "%", "\n", "*"):
        assert csv_io.spreadsheet_safe(f"{harmless}x") == f"{harmless}x"


def test_undo_removes_only_the_guards_apostrophe():
    assert csv_io.undo_spreadsheet_safe("'=1") == "=1"
    assert csv_io.undo_spreadsheet_safe("'-5") == "-5"
    assert csv_io.undo_spreadsheet_safe("''+5") == "'+5"
    # An apostrophe the user typed before ordinary text is theirs.
    assert csv_io.undo_spreadsheet_safe("'Ohana") == "'Ohana"
    assert csv_io.undo_spreadsheet_safe("'") == "'"
    # No apostrophe: nothing to undo, even before a formula start.
    assert csv_io.undo_spreadsheet_safe("=1") == "=1"
    assert csv_io.undo_spreadsheet_safe("-1") == "-1"


def test_exported_cells_are_guarded_by_their_first_character(db, tmp_path):
    save_mentor(
        MentorFields(
            last_name="-Dash",
            first_name="@At",
            category="other",
            phone="-1 555 0100",
            institution="Saint-Luc",
            department="\tTab",
            notes="- first point\n- second point",
            title="=Chief",
            specialty="+Plus",
        )
    )
    target = tmp_path / "mentors.csv"
    csv_io.export_mentors(target)
    rows = list(csv.DictReader(io.StringIO(target.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["Last name"] == "'-Dash"
    assert row["First name"] == "'@At"
    assert row["Phone"] == "-1 555 0100"  # a number, not a formula
    assert row["Institution"] == "Saint-Luc"  # a dash inside is harmless
    assert row["Department"] == "'\tTab"
    assert row["Notes"] == "'- first point\n- second point"
    assert row["Title"] == "'=Chief"
    assert row["Specialty"] == "'+Plus"


def test_each_kind_of_value_becomes_the_cell_a_spreadsheet_reads():
    from datetime import date

    assert csv_io._cell(None) == ""
    assert csv_io._cell(True) == "yes"
    assert csv_io._cell(False) == "no"
    assert csv_io._cell(date(2026, 4, 21)) == "2026-04-21"
    assert csv_io._cell(3) == "3"
    assert csv_io._cell(-3) == "-3"  # a number stays a number, not guarded text
    assert csv_io._cell(0) == "0"
    assert csv_io._cell("=1") == "'=1"
    assert csv_io._cell("plain") == "plain"

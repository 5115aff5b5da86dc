"""Files as real programs export them (tests/data/imports/, written by
make_files.py there): every row imports, and every field lands where it
belongs, with the column mapping LetterDesk guesses by itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.services.data import csv_io
from desktop.services.data.csv_io import IGNORE, RowStatus, build_preview, guess_mapping
from desktop.services.data.vcard_import import read_vcards

FILES = Path(__file__).parents[2] / "data" / "imports"
EXPECTED = json.loads((FILES / "expected.json").read_text("utf-8"))


def _read(name: str):
    path = FILES / name
    return read_vcards(path) if path.suffix == ".vcf" else csv_io.read_csv(path)


def _preview(name: str):
    table = _read(name)
    return table, build_preview(table, guess_mapping(table.headers), set())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_row_and_every_field_of_a_real_export(name):
    _, preview = _preview(name)
    expected = EXPECTED[name]["rows"]
    assert [r.errors for r in preview.rows] == [[] for _ in expected]
    for row, wanted in zip(preview.rows, expected, strict=True):
        got = {
            field: row.archived if field == "archived" else getattr(row.values, field)
            for field in wanted
        }
        assert got == wanted
    for index, note in EXPECTED[name].get("notes", {}).items():
        assert note in preview.rows[int(index)].values.notes


def test_google_contacts_maps_values_not_labels():
    headers = ["E-mail 1 - Label", "E-mail 1 - Value", "Phone 1 - Label", "Phone 1 - Value"]
    assert guess_mapping(headers) == [IGNORE, "email", IGNORE, "phone"]
    headers = ["Organization Name", "Organization Title", "Organization Department", "Labels"]
    assert guess_mapping(headers) == ["institution", "title", "department", IGNORE]


def test_google_several_values_keep_the_first_and_note_the_others():
    _, preview = _preview("google_contacts.csv")
    oneil = preview.rows[1].values
    assert oneil.email == "s.oneil@tcd.example"
    assert oneil.phone == "+353 87 123 4567"  # the mobile of "Work ::: Mobile"
    assert "siobhan.oneil@home.example" in oneil.notes
    assert "+353 1 896 1000" in oneil.notes
    okafor = preview.rows[2].values
    assert "amara@home.example" in okafor.notes  # E-mail 2 is not dropped


def test_several_values_mapped_by_hand_are_accepted(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("Who,Addresses\nAda Lovelace,ada@example.org ::: a.l@example.org\n")
    table = csv_io.read_csv(path)
    preview = build_preview(table, ["full_name", "email"], set())
    assert preview.rows[0].status == RowStatus.ADD
    assert preview.rows[0].values.email == "ada@example.org"


def test_outlook_title_is_the_honorific_when_job_title_exists():
    assert guess_mapping(["Title", "First Name", "Last Name", "Job Title"]) == [
        "honorific",
        "first_name",
        "last_name",
        "title",
    ]
    # LetterDesk's own export has "Title" as the job title, next to "Honorific".
    assert guess_mapping(["Honorific", "Title"]) == ["honorific", "title"]


def test_german_titel_is_the_honorific_over_anrede():
    # Outlook's German export has both: "Anrede" is Herr/Frau, "Titel" the
    # academic title, which is what the greeting needs ("Dear Dr. Müller").
    assert guess_mapping(["Anrede", "Titel", "Vorname", "Nachname"]) == [
        IGNORE,
        "honorific",
        "first_name",
        "last_name",
    ]
    assert guess_mapping(["Titel", "Anrede", "Vorname", "Nachname"])[:2] == ["honorific", IGNORE]


def test_outlook_fax_is_never_the_phone():
    _, preview = _preview("outlook_desktop_cp1252.csv")
    assert preview.rows[2].values.phone == "+1 410 555 0199"  # the mobile, not the fax


@pytest.mark.parametrize(
    ("headers", "fields"),
    [
        (["Vorname", "Nachname", "E-Mail-Adresse"], ["first_name", "last_name", "email"]),
        (
            ["Anrede", "Firma", "Abteilung", "Position"],
            ["honorific", "institution", "department", "title"],
        ),
        (
            ["Prénom", "Nom", "Adresse e-mail", "Société"],
            ["first_name", "last_name", "email", "institution"],
        ),
        (
            ["Civilité", "Service", "Fonction", "Téléphone"],
            ["honorific", "department", "title", "phone"],
        ),
        (["Nombre", "Apellidos", "Correo electrónico"], ["first_name", "last_name", "email"]),
        (["Tratamiento", "Organización", "Puesto"], ["honorific", "institution", "title"]),
        (["Nome", "Sobrenome", "E-mail", "Cargo"], ["first_name", "last_name", "email", "title"]),
        (
            ["Tratamento", "Empresa", "Departamento", "Telefone"],
            ["honorific", "institution", "department", "phone"],
        ),
    ],
)
def test_headers_in_other_languages(headers, fields):
    assert guess_mapping(headers) == fields


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Work e-mail", "email"),
        ("E-Mail privat", "email"),
        ("Mailing address", IGNORE),
        ("E-mail type", IGNORE),
        ("Handynummer", "phone"),
        ("Telefax", IGNORE),
        ("Fax Number", IGNORE),
        ("Business Fax", IGNORE),
        ("Pager", IGNORE),
        ("Radiology", IGNORE),
        ("Phonetic First Name", IGNORE),
        ("Assistant's Phone", IGNORE),  # Outlook: the assistant's, not the mentor's
        ("Telefon Assistent", IGNORE),
        ("Phonetic Last Name", IGNORE),
    ],
)
def test_fuzzy_rules_for_headers_people_type(header, field):
    assert guess_mapping([header]) == [field]


def test_a_lone_given_name_column_holds_whole_names():
    # "Nombre" (or "Nom") alone is the whole name, not the given name.
    assert guess_mapping(["Nombre", "Correo"]) == ["full_name", "email"]


def test_mac_roman_is_detected():
    table = csv_io.read_csv(FILES / "mac_excel_macroman.csv")
    assert "Mac Roman" in table.description
    assert table.rows[0][1] == "Müller"
    assert not table.warnings


def test_windows_1252_is_still_windows_1252(tmp_path):
    path = tmp_path / "w.csv"
    path.write_bytes("Last name,Notes\nMüller,“quoted” – dash\n".encode("cp1252"))
    table = csv_io.read_csv(path)
    assert "Windows-1252" in table.description
    assert table.rows == [["Müller", "“quoted” – dash"]]


def test_c1_control_characters_are_refused_in_single_line_fields(tmp_path):
    path = tmp_path / "c1.csv"
    path.write_text("Last name,First name,Notes\nM\x9fller,J\x85rgen,fine\n", encoding="utf-8")
    table = csv_io.read_csv(path)
    preview = build_preview(table, guess_mapping(table.headers), set())
    assert preview.rows[0].status == RowStatus.ERROR
    assert "control characters" in " ".join(preview.rows[0].errors)


def test_undecodable_rows_are_named_and_the_rest_stays_utf8():
    table = csv_io.read_csv(FILES / "utf8_one_cp1252_row.csv")
    assert "UTF-8" in table.description
    assert table.rows[3][:2] == ["José", "Peña"]  # read by the fallback
    assert table.rows[0][1] == "Müller"  # the other rows are UTF-8, not mojibake
    [warning] = table.warnings
    assert "line 5" in warning and "Windows-1252" in warning


def test_a_warning_names_the_line_its_row_starts_on(tmp_path):
    path = tmp_path / "multi.csv"
    path.write_bytes(
        'Last name,Notes\nMüller,"one\ntwo"\nPeña,"three\nfour caf\xe9"\n'.encode().replace(
            b"caf\xc3\xa9", b"caf\xe9"
        )
    )
    table = csv_io.read_csv(path)
    assert table.line_numbers == [2, 4]
    assert table.rows[1] == ["Peña", "three\nfour café"]
    [warning] = table.warnings
    assert "line 4" in warning  # the row's first line; the byte is on line 5


def test_bytes_no_8_bit_code_page_defines_are_reported(tmp_path):
    # 0x81 is defined neither in UTF-8 (alone) nor in Windows-1252.
    path = tmp_path / "x.csv"
    path.write_bytes(b"Last name\nAb\nA\x81b\n")
    table = csv_io.read_csv(path)
    assert len(table.rows) == 2
    assert any("line 3" in w for w in table.warnings)
    assert not any("\x81" in cell for row in table.rows for cell in row)


def test_export_then_import_keeps_every_column(db, data_paths, tmp_path):
    from desktop.store.mentors import MentorFields, get_mentor, save_mentor, set_archived
    from desktop.store.models import Mentor

    mentor_id = save_mentor(
        MentorFields(
            last_name="Okafor",
            first_name="Amara",
            category="clinical_supervisor",
            honorific="Dr.",
            credentials="MD",
            title="Program Director",
            department="Internal Medicine",
            specialty="Cardiology",
            institution="Johns Hopkins",
            email="amara@example.org",
            phone="+1 410 555 0199",
            is_department_chair=True,
            can_write_standardized=True,
            strength=5,
            reminder_preference="gentle",
            how_met="Sub-internship",
            notes="Kind.\nThorough.",
        )
    )
    set_archived(mentor_id, True)
    before = get_mentor(mentor_id)
    target = tmp_path / "mentors.csv"
    csv_io.export_mentors(target)
    Mentor.delete().execute()
    table = csv_io.read_csv(target)
    mapping = guess_mapping(table.headers)
    assert IGNORE not in mapping  # every exported column has a field to go to
    preview = build_preview(table, mapping, set())
    csv_io.import_mentors(data_paths, preview.to_add, preview.archived_indexes)
    after = get_mentor(Mentor.get().id)
    skip = {"id", "created_at", "updated_at"}
    assert {k: v for k, v in vars(after).items() if k not in skip} == {
        k: v for k, v in vars(before).items() if k not in skip
    }


def test_excels_sep_line_names_the_separator_and_is_not_the_header(tmp_path):
    # Excel writes (and reads) a first line "sep=;" naming the separator.
    path = tmp_path / "excel-sep.csv"
    path.write_bytes(
        b"sep=;\r\nVorname;Nachname;E-Mail-Adresse\r\nMaria;M\xfcller;maria@example.de\r\n"
    )
    table = csv_io.read_csv(path)
    assert table.headers == ["Vorname", "Nachname", "E-Mail-Adresse"]
    assert table.rows == [["Maria", "Müller", "maria@example.de"]]
    assert "semicolon" in table.description

"""Writes the import test files in this folder, each in the exact shape one
program exports (header texts, column order, encoding, separator, quoting,
line ends), and ``expected.json``: per file, the mentor fields each row must
import as. Run from the checkout root after changing a file's recipe:

    .venv/bin/python tests/data/imports/make_files.py

The people are the same five throughout (accents, an apostrophe, a double
surname, honorifics and credentials), so one table compares the formats.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

HERE = Path(__file__).parent

# Five mentors, as LetterDesk should import them.
MUELLER = dict(
    honorific="Dr.",
    first_name="Jürgen",
    last_name="Müller",
    credentials="MD",
    title="Oberarzt",
    department="Kardiologie",
    institution="Charité Berlin",
    email="juergen.mueller@charite.example",
    phone="+49 30 450 5000",
)
ONEIL = dict(
    honorific="Prof.",
    first_name="Siobhán",
    last_name="O'Neil",
    credentials="PhD",
    title="Chair of Surgery",
    department="Surgery",
    institution="Trinity College Dublin",
    email="s.oneil@tcd.example",
    phone="+353 1 896 1000",
)
OKAFOR = dict(
    honorific="Dr.",
    first_name="Amara",
    last_name="Okafor",
    credentials="MD",
    title="Program Director",
    department="Internal Medicine",
    institution="Johns Hopkins",
    email="amara.okafor@jhmi.example",
    phone="+1 410 555 0199",
)
PENA = dict(
    honorific="Dr.",
    first_name="José",
    last_name="Peña",
    credentials="",
    title="Jefe de servicio",
    department="Pediatría",
    institution="Hospital Clínic",
    email="jpena@clinic.example",
    phone="+34 93 227 5400",
)
LEFEVRE = dict(
    honorific="",
    first_name="Chloé",
    last_name="Lefèvre-Dubois",
    credentials="",
    title="Cheffe de clinique",
    department="Neurologie",
    institution="Hôpital Européen",
    email="chloe.lefevre@aphp.example",
    phone="+33 1 56 09 20 00",
)
PEOPLE = [MUELLER, ONEIL, OKAFOR, PENA, LEFEVRE]
NAME_FIELDS = ("honorific", "first_name", "last_name", "credentials")
ALL_FIELDS = (*NAME_FIELDS, "title", "department", "institution", "email", "phone")

expected: dict[str, dict] = {}


def _csv_text(rows, delimiter=",", quoting=csv.QUOTE_MINIMAL, terminator="\r\n") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, quoting=quoting, lineterminator=terminator).writerows(
        rows
    )
    return buffer.getvalue()


def _save(name: str, data: bytes, rows: list[dict], fields, source: str, **extra) -> None:
    (HERE / name).write_bytes(data)
    expected[name] = {
        "source": source,
        "rows": [{f: row[f] for f in fields} for row in rows],
        **extra,
    }


# --- Google Contacts, current export ("Google CSV" in contacts.google.com) ---------
GOOGLE_HEADER = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Phonetic First Name",
    "Phonetic Middle Name",
    "Phonetic Last Name",
    "Name Prefix",
    "Name Suffix",
    "Nickname",
    "File As",
    "Organization Name",
    "Organization Title",
    "Organization Department",
    "Birthday",
    "Notes",
    "Photo",
    "Labels",
    "E-mail 1 - Label",
    "E-mail 1 - Value",
    "E-mail 2 - Label",
    "E-mail 2 - Value",
    "Phone 1 - Label",
    "Phone 1 - Value",
    "Phone 2 - Label",
    "Phone 2 - Value",
    "Address 1 - Label",
    "Address 1 - Formatted",
    "Address 1 - Street",
    "Address 1 - City",
    "Address 1 - PO Box",
    "Address 1 - Region",
    "Address 1 - Postal Code",
    "Address 1 - Country",
    "Address 1 - Extended Address",
    "Website 1 - Label",
    "Website 1 - Value",
]


def google_current() -> None:
    rows = [GOOGLE_HEADER]
    for p in PEOPLE:
        r = dict.fromkeys(GOOGLE_HEADER, "")
        r.update(
            {
                "First Name": p["first_name"],
                "Last Name": p["last_name"],
                "Name Prefix": p["honorific"],
                "Name Suffix": p["credentials"],
                "Organization Name": p["institution"],
                "Organization Title": p["title"],
                "Organization Department": p["department"],
                "Labels": "* myContacts",
                "E-mail 1 - Label": "* Work",
                "E-mail 1 - Value": p["email"],
                "Phone 1 - Label": "Work",
                "Phone 1 - Value": p["phone"],
            }
        )
        if p is ONEIL:  # Google joins several values of one kind with " ::: "
            r["E-mail 1 - Value"] = f"{p['email']} ::: siobhan.oneil@home.example"
            r["Phone 1 - Label"] = "Work ::: Mobile"
            r["Phone 1 - Value"] = f"{p['phone']} ::: +353 87 123 4567"
        if p is OKAFOR:
            r["Middle Name"] = "Ngozi"
            r["E-mail 2 - Label"] = "Home"
            r["E-mail 2 - Value"] = "amara@home.example"
        rows.append([r[h] for h in GOOGLE_HEADER])
    people = [dict(p) for p in PEOPLE]
    people[1]["phone"] = "+353 87 123 4567"  # the mobile of "Work ::: Mobile"
    people[2]["first_name"] = "Amara Ngozi"
    _save(
        "google_contacts.csv",
        _csv_text(rows, terminator="\n").encode(),
        people,
        ALL_FIELDS,
        "Google Contacts (current)",
    )


# --- the older "Google CSV": UTF-16 LE with a byte-order mark ----------------------
OLD_GOOGLE_HEADER = [
    "Name",
    "Given Name",
    "Additional Name",
    "Family Name",
    "Yomi Name",
    "Given Name Yomi",
    "Additional Name Yomi",
    "Family Name Yomi",
    "Name Prefix",
    "Name Suffix",
    "Initials",
    "Nickname",
    "Short Name",
    "Maiden Name",
    "Birthday",
    "Gender",
    "Location",
    "Billing Information",
    "Directory Server",
    "Mileage",
    "Occupation",
    "Hobby",
    "Sensitivity",
    "Priority",
    "Subject",
    "Notes",
    "Language",
    "Photo",
    "Group Membership",
    "E-mail 1 - Type",
    "E-mail 1 - Value",
    "E-mail 2 - Type",
    "E-mail 2 - Value",
    "Phone 1 - Type",
    "Phone 1 - Value",
    "Phone 2 - Type",
    "Phone 2 - Value",
    "Organization 1 - Type",
    "Organization 1 - Name",
    "Organization 1 - Yomi Name",
    "Organization 1 - Title",
    "Organization 1 - Department",
    "Organization 1 - Symbol",
    "Organization 1 - Location",
    "Organization 1 - Job Description",
]


def google_legacy() -> None:
    rows = [OLD_GOOGLE_HEADER]
    for p in PEOPLE:
        r = dict.fromkeys(OLD_GOOGLE_HEADER, "")
        full = " ".join(x for x in (p["honorific"], p["first_name"], p["last_name"]) if x)
        r.update(
            {
                "Name": full + (f", {p['credentials']}" if p["credentials"] else ""),
                "Given Name": p["first_name"],
                "Family Name": p["last_name"],
                "Name Prefix": p["honorific"],
                "Name Suffix": p["credentials"],
                "Group Membership": "* My Contacts",
                "E-mail 1 - Type": "* Work",
                "E-mail 1 - Value": p["email"],
                "Phone 1 - Type": "Mobile",
                "Phone 1 - Value": p["phone"],
                "Organization 1 - Type": "",
                "Organization 1 - Name": p["institution"],
                "Organization 1 - Title": p["title"],
                "Organization 1 - Department": p["department"],
            }
        )
        rows.append([r[h] for h in OLD_GOOGLE_HEADER])
    data = b"\xff\xfe" + _csv_text(rows).encode("utf-16-le")
    _save("google_csv_legacy_utf16.csv", data, PEOPLE, ALL_FIELDS, "Google CSV (older, UTF-16)")


# --- Outlook desktop: 92 columns, Windows-1252, every field quoted -------------------
OUTLOOK_HEADER = [
    "Title",
    "First Name",
    "Middle Name",
    "Last Name",
    "Suffix",
    "Company",
    "Department",
    "Job Title",
    "Business Street",
    "Business Street 2",
    "Business Street 3",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Home Street",
    "Home Street 2",
    "Home Street 3",
    "Home City",
    "Home State",
    "Home Postal Code",
    "Home Country/Region",
    "Other Street",
    "Other Street 2",
    "Other Street 3",
    "Other City",
    "Other State",
    "Other Postal Code",
    "Other Country/Region",
    "Assistant's Phone",
    "Business Fax",
    "Business Phone",
    "Business Phone 2",
    "Callback",
    "Car Phone",
    "Company Main Phone",
    "Home Fax",
    "Home Phone",
    "Home Phone 2",
    "ISDN",
    "Mobile Phone",
    "Other Fax",
    "Other Phone",
    "Pager",
    "Primary Phone",
    "Radio Phone",
    "TTY/TDD Phone",
    "Telex",
    "Account",
    "Anniversary",
    "Assistant's Name",
    "Billing Information",
    "Birthday",
    "Business Address PO Box",
    "Categories",
    "Children",
    "Directory Server",
    "E-mail Address",
    "E-mail Type",
    "E-mail Display Name",
    "E-mail 2 Address",
    "E-mail 2 Type",
    "E-mail 2 Display Name",
    "E-mail 3 Address",
    "E-mail 3 Type",
    "E-mail 3 Display Name",
    "Gender",
    "Government ID Number",
    "Hobby",
    "Home Address PO Box",
    "Initials",
    "Internet Free Busy",
    "Keywords",
    "Language",
    "Location",
    "Manager's Name",
    "Mileage",
    "Notes",
    "Office Location",
    "Organizational ID Number",
    "Other Address PO Box",
    "Priority",
    "Private",
    "Profession",
    "Referred By",
    "Sensitivity",
    "Spouse",
    "User 1",
    "User 2",
    "User 3",
    "User 4",
    "Web Page",
]
assert len(OUTLOOK_HEADER) == 92


def outlook_desktop() -> None:
    rows = [OUTLOOK_HEADER]
    for p in PEOPLE:
        r = dict.fromkeys(OUTLOOK_HEADER, "")
        r.update(
            {
                "Title": p["honorific"],
                "First Name": p["first_name"],
                "Last Name": p["last_name"],
                "Suffix": p["credentials"],
                "Company": p["institution"],
                "Department": p["department"],
                "Job Title": p["title"],
                "Business Phone": p["phone"],
                "E-mail Address": p["email"],
                "E-mail Type": "SMTP",
                "E-mail Display Name": f"{p['first_name']} {p['last_name']} ({p['email']})",
                "Gender": "Unspecified",
                "Initials": p["first_name"][0] + ".",
                "Priority": "Normal",
                "Private": "False",
                "Sensitivity": "Normal",
                "Birthday": "0/0/00",
                "Anniversary": "0/0/00",
            }
        )
        if p is OKAFOR:  # a fax before the phone must not win
            r["Business Fax"] = "+1 410 555 0100"
            r["Business Phone"] = ""
            r["Mobile Phone"] = p["phone"]
        rows.append([r[h] for h in OUTLOOK_HEADER])
    data = _csv_text(rows, quoting=csv.QUOTE_ALL).encode("cp1252")
    _save("outlook_desktop_cp1252.csv", data, PEOPLE, ALL_FIELDS, "Outlook desktop (cp1252)")


OUTLOOK_COM_HEADER = [
    "First Name",
    "Middle Name",
    "Last Name",
    "Title",
    "Suffix",
    "Nickname",
    "Given Yomi",
    "Surname Yomi",
    "E-mail Address",
    "E-mail 2 Address",
    "E-mail 3 Address",
    "Home Phone",
    "Home Phone 2",
    "Business Phone",
    "Business Phone 2",
    "Mobile Phone",
    "Car Phone",
    "Other Phone",
    "Primary Phone",
    "Pager",
    "Business Fax",
    "Home Fax",
    "Other Fax",
    "Company Main Phone",
    "Callback",
    "Radio Phone",
    "Telex",
    "TTY/TDD Phone",
    "IMAddress",
    "Job Title",
    "Department",
    "Company",
    "Office Location",
    "Manager's Name",
    "Assistant's Name",
    "Assistant's Phone",
    "Company Yomi",
    "Business Street",
    "Business City",
    "Business State",
    "Business Postal Code",
    "Business Country/Region",
    "Home Street",
    "Home City",
    "Home State",
    "Home Postal Code",
    "Home Country/Region",
    "Other Street",
    "Other City",
    "Other State",
    "Other Postal Code",
    "Other Country/Region",
    "Personal Web Page",
    "Spouse",
    "Schools",
    "Hobby",
    "Location",
    "Web Page",
    "Birthday",
    "Anniversary",
    "Notes",
]


def outlook_com() -> None:
    rows = [OUTLOOK_COM_HEADER]
    for p in PEOPLE:
        r = dict.fromkeys(OUTLOOK_COM_HEADER, "")
        r.update(
            {
                "First Name": p["first_name"],
                "Last Name": p["last_name"],
                "Title": p["honorific"],
                "Suffix": p["credentials"],
                "E-mail Address": p["email"],
                "Mobile Phone": p["phone"],
                "Job Title": p["title"],
                "Department": p["department"],
                "Company": p["institution"],
            }
        )
        rows.append([r[h] for h in OUTLOOK_COM_HEADER])
    data = b"\xef\xbb\xbf" + _csv_text(rows).encode()
    _save("outlook_com_bom.csv", data, PEOPLE, ALL_FIELDS, "Outlook.com (UTF-8 BOM)")


THUNDERBIRD_HEADER = [
    "First Name",
    "Last Name",
    "Display Name",
    "Nickname",
    "Primary Email",
    "Secondary Email",
    "Screen Name",
    "Work Phone",
    "Home Phone",
    "Fax Number",
    "Pager Number",
    "Mobile Number",
    "Home Address",
    "Home Address 2",
    "Home City",
    "Home State",
    "Home ZipCode",
    "Home Country",
    "Work Address",
    "Work Address 2",
    "Work City",
    "Work State",
    "Work ZipCode",
    "Work Country",
    "Job Title",
    "Department",
    "Organization",
    "Web Page 1",
    "Web Page 2",
    "Birth Year",
    "Birth Month",
    "Birth Day",
    "Custom 1",
    "Custom 2",
    "Custom 3",
    "Custom 4",
    "Notes",
]


def thunderbird() -> None:
    # Thunderbird ends every line with a separator (an empty last column).
    lines = [",".join(THUNDERBIRD_HEADER) + ","]
    for p in PEOPLE:
        r = dict.fromkeys(THUNDERBIRD_HEADER, "")
        r.update(
            {
                "First Name": p["first_name"],
                "Last Name": p["last_name"],
                "Display Name": f"{p['first_name']} {p['last_name']}",
                "Primary Email": p["email"],
                "Work Phone": p["phone"],
                "Fax Number": "+1 000 000 0000" if p is ONEIL else "",
                "Job Title": p["title"],
                "Department": p["department"],
                "Organization": p["institution"],
            }
        )
        lines.append(_csv_text([[r[h] for h in THUNDERBIRD_HEADER]], terminator="") + ",")
    fields = [f for f in ALL_FIELDS if f not in ("honorific", "credentials")]
    _save("thunderbird.csv", ("\r\n".join(lines) + "\r\n").encode(), PEOPLE, fields, "Thunderbird")


def apple_numbers() -> None:
    # A sheet kept in Numbers, exported as CSV (UTF-8, no BOM, LF): one
    # "Name" column typed the way people type names.
    names = [
        "Dr. Jürgen Müller, MD",
        "O'Neil, Siobhán",
        "Amara Okafor MD",
        "Dr. José Peña",
        "Chloé Lefèvre-Dubois",
    ]
    rows = [["Name", "Email address", "Mobile", "Organisation", "Position"]]
    for name, p in zip(names, PEOPLE, strict=True):
        rows.append([name, p["email"], p["phone"], p["institution"], p["title"]])
    people = [dict(p) for p in PEOPLE]
    people[1]["honorific"] = people[1]["credentials"] = ""
    people[2]["honorific"] = ""
    fields = (
        "honorific",
        "first_name",
        "last_name",
        "credentials",
        "title",
        "institution",
        "email",
        "phone",
    )
    _save(
        "apple_numbers.csv",
        _csv_text(rows, terminator="\n").encode(),
        people,
        fields,
        "Apple Numbers",
    )


def _localized(
    name: str,
    header: list[str],
    keys: list[str],
    encoding: str,
    bom: bytes,
    source: str,
    delimiter: str = ";",
    terminator: str = "\r\n",
) -> None:
    rows = [header] + [[p[k] for k in keys] for p in PEOPLE]
    data = bom + _csv_text(rows, delimiter=delimiter, terminator=terminator).encode(encoding)
    _save(name, data, PEOPLE, keys, source)


LOCAL_KEYS = [
    "honorific",
    "first_name",
    "last_name",
    "email",
    "institution",
    "department",
    "title",
    "phone",
]


def localized() -> None:
    _localized(
        "german_excel_cp1252.csv",
        [
            "Anrede",
            "Vorname",
            "Nachname",
            "E-Mail-Adresse",
            "Firma",
            "Abteilung",
            "Position",
            "Telefon geschäftlich",
        ],
        LOCAL_KEYS,
        "cp1252",
        b"",
        "German Excel (cp1252, ;)",
    )
    _localized(
        "french_excel_cp1252.csv",
        [
            "Civilité",
            "Prénom",
            "Nom",
            "Adresse e-mail",
            "Société",
            "Service",
            "Fonction",
            "Téléphone",
        ],
        LOCAL_KEYS,
        "cp1252",
        b"",
        "French Excel (cp1252, ;)",
    )
    _localized(
        "spanish_excel_utf8.csv",
        [
            "Tratamiento",
            "Nombre",
            "Apellidos",
            "Correo electrónico",
            "Organización",
            "Departamento",
            "Puesto",
            "Teléfono",
        ],
        LOCAL_KEYS,
        "utf-8",
        b"\xef\xbb\xbf",
        "Spanish Excel (CSV UTF-8, ;)",
    )
    _localized(
        "portuguese_excel_utf8.csv",
        [
            "Tratamento",
            "Nome",
            "Sobrenome",
            "E-mail",
            "Empresa",
            "Departamento",
            "Cargo",
            "Telefone",
        ],
        LOCAL_KEYS,
        "utf-8",
        b"\xef\xbb\xbf",
        "Portuguese Excel (CSV UTF-8, ;)",
    )
    # Mac Excel's "CSV (Comma delimited)": MacRoman, CR line ends.
    _localized(
        "mac_excel_macroman.csv",
        ["First Name", "Last Name", "E-mail Address", "Company", "Department", "Job Title"],
        ["first_name", "last_name", "email", "institution", "department", "title"],
        "mac_roman",
        b"",
        "Mac Excel (MacRoman, CR)",
        delimiter=",",
        terminator="\r",
    )


def utf8_with_a_stray_byte() -> None:
    # A UTF-8 sheet where one row was pasted from a Windows-1252 file.
    header = ["First name", "Last name", "Email", "Institution"]
    keys = ["first_name", "last_name", "email", "institution"]
    lines = [",".join(header).encode()]
    for p in PEOPLE:
        encoding = "cp1252" if p is PENA else "utf-8"
        lines.append(",".join(p[k] for k in keys).encode(encoding))
    _save(
        "utf8_one_cp1252_row.csv",
        b"\n".join(lines) + b"\n",
        PEOPLE,
        keys,
        "UTF-8 with one cp1252 row",
        warning_lines=[5],
    )


def letterdesk_export() -> None:
    header = [
        "Honorific",
        "First name",
        "Last name",
        "Credentials",
        "Title",
        "Department",
        "Specialty",
        "Institution",
        "Email",
        "Phone",
        "Category",
        "Department chair",
        "Writes standardized letters",
        "Strength",
        "Reminders",
        "How we met",
        "Notes",
        "Archived",
    ]
    row = [
        "Dr.",
        "Amara",
        "Okafor",
        "MD",
        "Program Director",
        "Internal Medicine",
        "Internal Medicine",
        "Johns Hopkins",
        "amara.okafor@jhmi.example",
        "+1 410 555 0199",
        "Clinical supervisor",
        "yes",
        "yes",
        "5",
        "gentle",
        "Sub-internship",
        "Kind.",
        "yes",
    ]
    data = b"\xef\xbb\xbf" + _csv_text([header, row]).encode()
    person = dict(
        OKAFOR,
        specialty="Internal Medicine",
        category="clinical_supervisor",
        is_department_chair=True,
        can_write_standardized=True,
        strength=5,
        reminder_preference="gentle",
        how_met="Sub-internship",
        notes="Kind.",
        archived=True,
    )
    _save("letterdesk_export.csv", data, [person], list(person), "LetterDesk's own export")


# --- vCards ----------------------------------------------------------------------------


def apple_contacts_vcf() -> None:
    cards = []
    for number, p in enumerate(PEOPLE, start=1):
        fax = "TEL;type=WORK;type=FAX:+1 000 000 0000\r\n" if p is OKAFOR else ""
        cards.append(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//macOS 14.4//EN\r\n"
            f"N:{p['last_name']};{p['first_name']};;{p['honorific']};{p['credentials']}\r\n"
            f"FN:{' '.join(x for x in (p['honorific'], p['first_name'], p['last_name']) if x)}"
            f"{', ' + p['credentials'] if p['credentials'] else ''}\r\n"
            f"ORG:{p['institution']};{p['department']}\r\n"
            f"TITLE:{p['title']}\r\n"
            f"item1.EMAIL;type=INTERNET;type=WORK;type=pref:{p['email']}\r\n"
            f"{fax}TEL;type=CELL;type=VOICE;type=pref:{p['phone']}\r\n"
            f"X-ABUID:5C0E{number:04d}-7A1B-4C2D-9E3F-00000000000{number}:ABPerson\r\nEND:VCARD\r\n"
        )
    _save(
        "apple_contacts.vcf",
        "".join(cards).encode(),
        PEOPLE,
        ALL_FIELDS,
        "Apple Contacts (vCard 3.0)",
    )


def _qp(text: str, charset: str) -> str:
    return "".join(f"={b:02X}" if b > 127 or b == 61 else chr(b) for b in text.encode(charset))


def android_21_vcf() -> None:
    # An Android phone's vCard 2.1: 8-bit Greek and Cyrillic names whose
    # charset is named on one property only, and a UTF-8 note folded with a
    # soft line break in the middle of a two-byte character.
    greek = dict(
        honorific="",
        first_name="Ελένη",
        last_name="Παπαδοπούλου",
        credentials="",
        email="eleni@uoa.example",
        phone="+30 210 727 5000",
        institution="ΕΚΠΑ",
    )
    russian = dict(
        honorific="",
        first_name="Наталья",
        last_name="Иванова",
        credentials="",
        email="ivanova@msu.example",
        phone="+7 495 939 1000",
        institution="МГУ",
    )
    notes = _qp("Καρδιολόγος — met at a conference", "utf-8")
    cut = notes.index("=", 4)  # a soft break between the two bytes of "α"
    cut = notes.index("=", cut + 1)
    data = b"".join(
        [
            b"BEGIN:VCARD\r\nVERSION:2.1\r\n",
            b"N;CHARSET=windows-1253:" + "Παπαδοπούλου;Ελένη;;;".encode("cp1253") + b"\r\n",
            b"FN:" + "Ελένη Παπαδοπούλου".encode("cp1253") + b"\r\n",
            b"ORG:" + "ΕΚΠΑ".encode("cp1253") + b"\r\n",
            b"TEL;CELL:+30 210 727 5000\r\nEMAIL;INTERNET:eleni@uoa.example\r\n",
            b"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:",
            notes[:cut].encode() + b"=\r\n" + notes[cut:].encode() + b"\r\n",
            b"END:VCARD\r\n",
            b"BEGIN:VCARD\r\nVERSION:2.1\r\n",
            b"N:" + "Иванова;Наталья;;;".encode("cp1251") + b"\r\n",
            b"FN;CHARSET=windows-1251:" + "Наталья Иванова".encode("cp1251") + b"\r\n",
            b"ORG:" + "МГУ".encode("cp1251") + b"\r\n",
            b"TEL;WORK;FAX:+7 495 000 0000\r\nTEL;WORK;VOICE:+7 495 939 1000\r\n",
            b"EMAIL;INTERNET:ivanova@msu.example\r\nEND:VCARD\r\n",
        ]
    )
    fields = ("first_name", "last_name", "email", "phone", "institution")
    _save(
        "android_21_greek_cyrillic.vcf",
        data,
        [greek, russian],
        fields,
        "Android vCard 2.1 (cp1253, cp1251)",
        notes={"0": "Καρδιολόγος — met at a conference"},
    )


def phone_contacts_vcf() -> None:
    # The kinds of card a phone's address book is full of.
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;Maria;;;\r\nFN:Maria\r\n"
        "TEL;TYPE=CELL:+39 333 123 4567\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Smith\\, Jane\r\nEMAIL:jane.smith@example.org\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;zzMad Perla 45;;;\r\nFN:zzMad Perla 45\r\n"
        "TEL;TYPE=CELL:+39 347 000 4545\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Prof. Dr. Hans-Peter Vogel MD PhD\r\n"
        "TEL;TYPE=WORK,FAX:+49 89 0000\r\nTEL;TYPE=HOME,VOICE:+49 89 1111\r\n"
        "TEL;TYPE=WORK,VOICE:+49 89 2222\r\nTEL;TYPE=CELL:+49 170 3333\r\n"
        "END:VCARD\r\n"
    )
    rows = [
        dict(
            honorific="", first_name="", last_name="Maria", credentials="", phone="+39 333 123 4567"
        ),
        dict(honorific="", first_name="Jane", last_name="Smith", credentials="", phone=""),
        dict(
            honorific="",
            first_name="Mad",
            last_name="Perla",
            credentials="",
            phone="+39 347 000 4545",
        ),
        dict(
            honorific="Prof. Dr.",
            first_name="Hans-Peter",
            last_name="Vogel",
            credentials="MD, PhD",
            phone="+49 170 3333",
        ),
    ]
    _save(
        "phone_contacts.vcf",
        cards.encode(),
        rows,
        ("honorific", "first_name", "last_name", "credentials", "phone"),
        "Phone address book (vCard 3.0)",
    )


def folded_utf8_vcf() -> None:
    # vCard 3.0 folded at 75 bytes, as RFC 6350 says, by a writer that cut a
    # two-byte UTF-8 character in half at the fold.
    def fold(line: bytes) -> bytes:
        parts = [line[:75]] + [line[i : i + 74] for i in range(75, len(line), 74)]
        return b"\r\n ".join(parts) + b"\r\n"

    out = []
    for p in (MUELLER, LEFEVRE):
        org = f"ORG:{p['institution']};{p['department']}".encode()
        head = "NOTE:Supervised my sub-internship and read my personal statement twice. "
        head += "Gr" if p is MUELLER else "Tr"
        assert len(head.encode()) == 74  # the next character starts at byte 74
        note = (head + ("ündlich." if p is MUELLER else "ès généreuse de son temps.")).encode()
        out.append(
            b"BEGIN:VCARD\r\nVERSION:3.0\r\n"
            + f"N:{p['last_name']};{p['first_name']};;{p['honorific']};".encode()
            + f"{p['credentials']}\r\n".encode()
            + f"TITLE:{p['title']}\r\nEMAIL;TYPE=WORK:{p['email']}\r\n"
            f"TEL;TYPE=WORK,VOICE:{p['phone']}\r\n".encode()
            + fold(org)
            + fold(note)
            + b"END:VCARD\r\n"
        )
    data = b"".join(out)
    assert data.decode("utf-8", errors="replace").count("\ufffd") >= 1, "no cut character"
    _save(
        "folded_utf8_cut.vcf",
        data,
        [MUELLER, LEFEVRE],
        ALL_FIELDS,
        "vCard 3.0 folded through a character",
    )


if __name__ == "__main__":
    for make in (
        google_current,
        google_legacy,
        outlook_desktop,
        outlook_com,
        thunderbird,
        apple_numbers,
        localized,
        utf8_with_a_stray_byte,
        letterdesk_export,
        apple_contacts_vcf,
        android_21_vcf,
        phone_contacts_vcf,
        folded_utf8_vcf,
    ):
        make()
    (HERE / "expected.json").write_text(
        json.dumps(expected, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )

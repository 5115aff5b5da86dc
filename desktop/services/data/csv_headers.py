"""Which mentor field a spreadsheet column holds, from its header.

First the exact headers that known programs write (Google Contacts, old
and new; Outlook desktop and Outlook.com; Thunderbird; LetterDesk itself)
and the common headers of German, French, Spanish and Portuguese address
books and sheets. Then the fuzzy rules for headers people type themselves:
the header without case, accents, spaces and punctuation against a list of
words, then "contains 'mail'" and "contains 'phone'" for the rest.

Phone columns also have a kind (mobile, work, home), so a row with several
numbers keeps the one LetterDesk prefers; fax and pager columns are never a
phone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

IGNORE = ""
FULL_NAME = "full_name"
MIDDLE_NAME = "middle_name"

# Columns that look like a field but are not one (labels of Google's value
# columns, Outlook's e-mail type, free-form category words of address books).
_NOT_A_FIELD = [
    "labels",
    "group membership",
    "categories",
    "kategorien",
    "catégories",
    "categorías",
    "categorias",
    "e-mail type",
    "e-mail display name",
    "e-mail 2 type",
    "e-mail 2 display name",
    "e-mail 3 type",
    "e-mail 3 display name",
    "nickname",
    "file as",
    "display name (last, first)",
    "e-mail-typ",
    "e-mail: angezeigter name",
    "screen name",
    "priority",
    "sensitivity",
    "private",
    "gender",
    "initials",
]

# Exact headers, compared after ``exact_key`` (case and spacing only).
_EXACT: dict[str, str] = {
    # LetterDesk's own export (csv_io.MENTOR_COLUMNS) reads back column by column.
    "honorific": "honorific",
    "first name": "first_name",
    "last name": "last_name",
    "credentials": "credentials",
    "department": "department",
    "specialty": "specialty",
    "institution": "institution",
    "email": "email",
    "phone": "phone",
    "category": "category",
    "department chair": "is_department_chair",
    "writes standardized letters": "can_write_standardized",
    "strength": "strength",
    "reminders": "reminder_preference",
    "how we met": "how_met",
    "notes": "notes",
    "archived": "archived",
    "title": "title",  # Outlook's is the honorific: see guess_fields
    # Google Contacts (current export).
    "middle name": MIDDLE_NAME,
    "name prefix": "honorific",
    "name suffix": "credentials",
    "organization name": "institution",
    "organization title": "title",
    "organization department": "department",
    # The older "Google CSV".
    "name": FULL_NAME,
    "given name": "first_name",
    "additional name": MIDDLE_NAME,
    "family name": "last_name",
    "organization 1 - name": "institution",
    "organization 1 - title": "title",
    "organization 1 - department": "department",
    # Outlook desktop and Outlook.com.
    "suffix": "credentials",
    "company": "institution",
    "job title": "title",
    "e-mail address": "email",
    "e-mail 2 address": "email",
    "e-mail 3 address": "email",
    # Thunderbird.
    "display name": FULL_NAME,
    "primary email": "email",
    "secondary email": "email",
    "organization": "institution",
    # German (Outlook and Excel).
    "anrede": "honorific",
    "titel": "honorific",  # in German the academic title: "Dr.", "Prof."
    "vorname": "first_name",
    "weitere vornamen": MIDDLE_NAME,
    "nachname": "last_name",
    "familienname": "last_name",
    "namenszusatz": "credentials",
    "firma": "institution",
    "unternehmen": "institution",
    "organisation": "institution",
    "klinik": "institution",
    "abteilung": "department",
    "position": "title",
    "funktion": "title",
    "berufsbezeichnung": "title",
    "fachgebiet": "specialty",
    "fachrichtung": "specialty",
    "e-mail-adresse": "email",
    "e-mail 2: adresse": "email",
    "e-mail 3: adresse": "email",
    "notizen": "notes",
    "bemerkungen": "notes",
    "kategorie": "category",
    # French.
    "civilité": "honorific",
    "titre": "honorific",  # Outlook: "Titre" next to "Titre du poste"
    "prénom": "first_name",
    "deuxième prénom": MIDDLE_NAME,
    "nom": "last_name",
    "nom de famille": "last_name",
    "nom complet": FULL_NAME,
    "suffixe": "credentials",
    "société": "institution",
    "entreprise": "institution",
    "établissement": "institution",
    "service": "department",
    "fonction": "title",
    "poste": "title",
    "titre du poste": "title",
    "spécialité": "specialty",
    "adresse e-mail": "email",
    "adresse de messagerie": "email",
    "adresse électronique": "email",
    "courriel": "email",
    "remarques": "notes",
    "catégorie": "category",
    # Spanish.
    "tratamiento": "honorific",
    "nombre": "first_name",
    "segundo nombre": MIDDLE_NAME,
    "apellidos": "last_name",
    "apellido": "last_name",
    "nombre completo": FULL_NAME,
    "sufijo": "credentials",
    "organización": "institution",
    "empresa": "institution",
    "institución": "institution",
    "departamento": "department",
    "puesto": "title",
    "cargo": "title",
    "especialidad": "specialty",
    "correo electrónico": "email",
    "dirección de correo electrónico": "email",
    "correo": "email",
    "notas": "notes",
    "categoría": "category",
    # Portuguese (Brazil and Portugal).
    "tratamento": "honorific",
    "nome": "first_name",
    "nome do meio": MIDDLE_NAME,
    "sobrenome": "last_name",
    "apelido": "last_name",
    "nome completo": FULL_NAME,
    "sufixo": "credentials",
    "organização": "institution",
    "instituição": "institution",
    "função": "title",
    "especialidade": "specialty",
    "e-mail": "email",
    "endereço de email": "email",
    "endereço de e-mail": "email",
    "observações": "notes",
    "categoria": "category",
}
_EXACT.update(dict.fromkeys(_NOT_A_FIELD, IGNORE))
# Google's numbered value columns; their "- Label"/"- Type" columns are ignored.
_NUMBERED = re.compile(r"^(e-mail|phone) \d+ - (value|label|type)$")

# Phone columns by kind, best first; fax and pager columns are not phones.
MOBILE, WORK, HOME, OTHER = 0, 1, 2, 3
_PHONE_COLUMNS: dict[str, int] = {
    "mobile phone": MOBILE,
    "mobile number": MOBILE,
    "mobile": MOBILE,
    "cell": MOBILE,
    "cell phone": MOBILE,
    "mobiltelefon": MOBILE,
    "handy": MOBILE,
    "mobil": MOBILE,
    "téléphone mobile": MOBILE,
    "tél. mobile": MOBILE,
    "portable": MOBILE,
    "móvil": MOBILE,
    "teléfono móvil": MOBILE,
    "celular": MOBILE,
    "telemóvel": MOBILE,
    "business phone": WORK,
    "business phone 2": WORK,
    "work phone": WORK,
    "company main phone": WORK,
    "primary phone": WORK,
    "telefon geschäftlich": WORK,
    "telefon geschäftlich 2": WORK,
    "téléphone bureau": WORK,
    "tél. bureau": WORK,
    "téléphone professionnel": WORK,
    "teléfono del trabajo": WORK,
    "teléfono trabajo": WORK,
    "telefone comercial": WORK,
    "telefone do trabalho": WORK,
    "home phone": HOME,
    "home phone 2": HOME,
    "telefon privat": HOME,
    "téléphone domicile": HOME,
    "tél. domicile": HOME,
    "teléfono particular": HOME,
    "telefone residencial": HOME,
    "phone": OTHER,
    "other phone": OTHER,
    "telefon": OTHER,
    "téléphone": OTHER,
    "teléfono": OTHER,
    "telefone": OTHER,
    "car phone": OTHER,
    "callback": OTHER,
}
# Not the person's phone: faxes, pagers, and the assistant's number.
_NOT_PHONE = re.compile(r"fax|pager|télécopie|telecopie|piepser|isdn|telex|tty|radio|assist")

# Fuzzy: headers typed by people, compared after ``fuzzy_key``.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "honorific": ("honorific", "prefix", "nameprefix", "salutation"),
    "first_name": ("firstname", "first", "givenname", "given", "forename"),
    MIDDLE_NAME: ("middlename", "middle", "additionalname"),
    "last_name": ("lastname", "last", "surname", "familyname", "family"),
    FULL_NAME: ("name", "fullname", "displayname", "mentor", "writer", "contact", "person"),
    "credentials": ("credentials", "degrees", "degree", "suffix", "namesuffix"),
    "title": ("title", "jobtitle", "position", "role", "rank", "occupation"),
    "department": ("department", "dept", "division", "unit"),
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
        "workplace",
        "clinic",
    ),
    "email": ("email", "emailaddress", "mail", "email1", "emailaddress1", "primaryemail"),
    "phone": ("phone", "phonenumber", "telephone", "mobile", "cell", "tel", "workphone"),
    "category": ("category", "type", "kind", "relationship", "group"),
    "strength": ("strength", "rating", "score"),
    "how_met": ("howwemet", "howmet", "met", "context"),
    "notes": ("notes", "note", "comments", "comment", "remarks"),
    "is_department_chair": ("departmentchair", "chair", "ischair"),
    "can_write_standardized": ("standardized", "writesstandardized", "standardizedletters"),
    "reminder_preference": ("reminders", "reminder", "reminderpreference"),
    "archived": ("archived", "archive"),
}
_BY_SYNONYM = {word: key for key, words in _SYNONYMS.items() for word in words}


def exact_key(header: str) -> str:
    return " ".join(header.casefold().split())


def fuzzy_key(header: str) -> str:
    """Lower case, no accents, letters and digits only: "E-Mail-Adresse" is
    "emailadresse", "Prénom" is "prenom"."""
    plain = unicodedata.normalize("NFKD", header.casefold())
    return re.sub(r"[^0-9a-z]", "", "".join(c for c in plain if not unicodedata.combining(c)))


def _exact_field(header: str) -> str | None:
    key = exact_key(header)
    if key in _EXACT:
        return _EXACT[key]
    if numbered := _NUMBERED.match(key):
        if numbered.group(2) != "value":
            return IGNORE
        return "email" if numbered.group(1) == "e-mail" else "phone"
    if key in _PHONE_COLUMNS:
        return "phone"
    return None


def _fuzzy_field(header: str) -> str:
    fuzzy = fuzzy_key(header)
    if fuzzy in _BY_SYNONYM:
        return _BY_SYNONYM[fuzzy]
    # "Work e-mail", "E-Mail privat", "email2"; not "E-mail type", "Mailing address".
    if re.search(r"email|correo|courriel", fuzzy) and not re.search(r"type|label|display", fuzzy):
        return "email"
    # "Phonetic First Name" (Google) is a name's reading, not a phone.
    if re.search(r"phone|telef|telep|mobil|handy", fuzzy) and "phonetic" not in fuzzy:
        return IGNORE if _NOT_PHONE.search(exact_key(header)) else "phone"  # "Telefax"
    return IGNORE


def guess_fields(headers: Sequence[str]) -> list[str]:
    """One field (or ``IGNORE``) per column. Several columns may share a
    field when it can have several values (emails, phones): the preview then
    takes the first value and keeps the others in the notes. Any other field
    goes to one column: an exact header before a fuzzy one, else the first."""
    exact = [_exact_field(header) for header in headers]
    fields = [e if e is not None else _fuzzy_field(h) for e, h in zip(exact, headers, strict=True)]
    # Outlook's "Title" is "Dr."; the job is in "Job Title".
    if fields.count("title") > 1 and "honorific" not in fields:
        for index, header in enumerate(headers):
            if exact_key(header) == "title":
                fields[index] = "honorific"
                break
    # German Outlook has both "Anrede" (Herr, Frau) and "Titel" (Dr., Prof.):
    # the title is what an English greeting uses ("Dear Dr. Müller").
    keys = [exact_key(header) for header in headers]
    if "titel" in keys and "anrede" in keys:
        fields[keys.index("anrede")] = IGNORE
    # A sheet's lone "Nombre", "Nome" or "Vorname" holds whole names, and so
    # does a lone French "Nom".
    if "first_name" in fields and "last_name" not in fields and FULL_NAME not in fields:
        fields[fields.index("first_name")] = FULL_NAME
    elif (
        "last_name" in fields
        and "first_name" not in fields
        and FULL_NAME not in fields
        and exact_key(headers[fields.index("last_name")]) == "nom"
    ):
        fields[fields.index("last_name")] = FULL_NAME
    chosen: dict[str, int] = {}
    for index, key in enumerate(fields):
        if key in ("email", "phone", IGNORE):
            continue
        if key not in chosen or (exact[index] is not None and exact[chosen[key]] is None):
            chosen[key] = index
    return [
        key if key in ("email", "phone", IGNORE) or chosen.get(key) == index else IGNORE
        for index, key in enumerate(fields)
    ]


def phone_rank(header: str, label: str = "") -> int | None:
    """How much a number in this column (with Google's label for it, when
    there is one) is wanted: MOBILE first; None for a fax or pager."""
    for text in (label, header):
        key = exact_key(text.lstrip("* "))
        if not key:
            continue
        if _NOT_PHONE.search(key):
            return None
        if key in _PHONE_COLUMNS:
            return _PHONE_COLUMNS[key]
        if re.search(r"mobile|cell|handy|portable|móvil|celular", key):
            return MOBILE
        if re.search(r"work|business|office|geschäft|bureau|trabajo|comercial", key):
            return WORK
        if re.search(r"home|privat|domicile|particular|residencial", key):
            return HOME
    return OTHER


def label_column(headers: Sequence[str], index: int) -> int | None:
    """For Google's "Phone 1 - Value", the column of "Phone 1 - Label"."""
    key = exact_key(headers[index])
    if not key.endswith(" - value"):
        return None
    stem = key.removesuffix(" - value")
    for other, header in enumerate(headers):
        if exact_key(header) in (f"{stem} - label", f"{stem} - type"):
            return other
    return None

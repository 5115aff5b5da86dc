"""Mentors from ``.vcf`` files that address books export (vCard 2.1, 3.0
and 4.0), read into the same ``ImportTable`` as a CSV so one preview and
one confirmation serve both.

A small parser of our own rather than ``vobject``: only N, FN, EMAIL, TEL,
ORG, TITLE and NOTE are needed, and what matters is being forgiving with
what real address books write — folded lines, vCard 2.1 quoted-printable
with a charset, bare 2.1 parameters (``TEL;WORK;VOICE:``), grouped names
(``item1.EMAIL``), escaped commas and semicolons, several cards per file, a
missing END at the end of a truncated file.

The file is read as bytes and unfolded as bytes (in one pass, so a 20 MB
file of photos takes a moment, not minutes); only then is each property's
value decoded, by its own CHARSET, else the CHARSET another property of the
card names (vCard 2.1 phones write it on one property only), else UTF-8,
else the file's 8-bit code page. A fold that cuts a UTF-8 character in two,
or one card in another encoding, so spoils nothing else; a value that no
charset reads is reported.

Whatever the input, it never raises for content and never returns a
single-line field holding a control character (notes keep their line
breaks).
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from dataclasses import dataclass, field
from pathlib import Path

from desktop.domain.person_names import split_full_name
from desktop.services.data.csv_headers import HOME, MOBILE, OTHER, WORK
from desktop.services.data.import_table import (
    MAX_IMPORT_ROWS,
    ImportFileError,
    ImportTable,
    read_import_bytes,
)
from desktop.services.data.text_decoding import (
    LINE_BREAK,
    charset_codec,
    guess_8bit,
    line_list,
    shown_name,
)

VCARD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("honorific", "Honorific"),
    ("first_name", "First name"),
    ("last_name", "Last name"),
    ("credentials", "Credentials"),
    ("title", "Title"),
    ("department", "Department"),
    ("institution", "Institution"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("notes", "Notes"),
)
_WANTED = {"N", "FN", "EMAIL", "TEL", "ORG", "TITLE", "NOTE"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_NOTE_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]+")
_SPACES = re.compile(r"\s{2,}")
_NAME = re.compile(rb"[^;:]*")
_CHARSET = re.compile(rb"CHARSET=\"?([^;:\"]*)", re.IGNORECASE)
_NOT_VOICE = {"fax", "pager", "modem", "bbs", "isdn"}
_TEL_RANK = {"cell": MOBILE, "mobile": MOBILE, "iphone": MOBILE, "work": WORK, "home": HOME}


@dataclass
class _Property:
    name: str
    params: dict[str, list[str]]
    raw: bytes  # the value's bytes, unfolded, not yet decoded


@dataclass
class Card:
    properties: list[_Property] = field(default_factory=list)
    line: int = 1
    charsets: list[str] = field(default_factory=list)  # every CHARSET the card names

    def all(self, name: str) -> list[_Property]:
        return [p for p in self.properties if p.name == name]

    def first(self, name: str) -> _Property | None:
        found = self.all(name)
        if not found:
            return None

        # PREF (2.1/3.0 TYPE=PREF, 4.0 PREF=1) first, then work, then order.
        def rank(p: _Property) -> tuple[int, int]:
            types = _types(p)
            pref = "pref" in types or bool(p.params.get("PREF"))
            return (0 if pref else 1, 0 if "work" in types else 1)

        return min(found, key=rank)


def _types(prop: _Property) -> set[str]:
    return {t.casefold() for value in prop.params.get("TYPE", []) for t in value.split(",")}


def _unfold(raw: bytes) -> list[tuple[int, bytes]]:
    """Logical lines with their first physical line number, joined on bytes.
    Continuation lines start with a space or tab (RFC 6350); a 2.1
    quoted-printable value also continues after a line ending in a soft
    break ``=``. Pieces are collected and joined once: linear in the size."""
    lines: list[tuple[int, list[bytes], bool]] = []  # (line, pieces, quoted-printable)
    for number, physical in enumerate(LINE_BREAK.split(raw), start=1):
        if lines and physical[:1] in (b" ", b"\t"):
            lines[-1][1].append(physical[1:])
            continue
        if lines and lines[-1][2] and lines[-1][1][-1].endswith(b"="):
            pieces = lines[-1][1]
            pieces[-1] = pieces[-1][:-1]
            pieces.append(physical)
            continue
        head = physical.split(b":", 1)[0].upper() if b":" in physical else b""
        lines.append((number, [physical], b"QUOTED-PRINTABLE" in head))
    return [(number, b"".join(pieces)) for number, pieces, _ in lines]


def _split_unquoted(text: str, separator: str) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    quoted = False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == separator and not quoted:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _value_start(line: bytes) -> int:
    """Index of the colon that ends the name and parameters (a colon inside a
    quoted parameter value belongs to the parameter); -1 when there is none."""
    quoted = False
    for index, byte in enumerate(line):
        if byte == 0x22:  # "
            quoted = not quoted
        elif byte == 0x3A and not quoted:  # :
            return index
    return line.find(b":")


def _parse_line(line: bytes) -> _Property | None:
    colon = _value_start(line)
    if colon < 0:
        return None
    head = line[:colon].decode("latin-1")  # names and parameters are ASCII
    parts = _split_unquoted(head, ";")
    name = parts[0].rpartition(".")[2].strip().upper()  # "item1.EMAIL" → EMAIL
    params: dict[str, list[str]] = {}
    for part in parts[1:]:
        key, equals, raw = part.partition("=")
        key = key.strip().upper()
        if not equals:  # vCard 2.1 bare parameter: a type or an encoding
            if key in ("QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"):
                params.setdefault("ENCODING", []).append(key)
            else:
                params.setdefault("TYPE", []).append(key)
            continue
        values = [v.strip().strip('"') for v in _split_unquoted(raw, ",")]
        params.setdefault(key, []).extend(values)
    return _Property(name, params, line[colon + 1 :])


class _Decoder:
    """Decodes property values; remembers the ones no charset could read."""

    def __init__(self, file_8bit: str) -> None:
        self.file_8bit = file_8bit
        self.used: set[str] = set()
        self.unreadable: list[int] = []  # card lines

    def text(self, card: Card, prop: _Property) -> str:
        encodings = {e.upper() for e in prop.params.get("ENCODING", [])}
        data = prop.raw
        if "QUOTED-PRINTABLE" in encodings:
            data = quopri.decodestring(data)
        elif encodings & {"B", "BASE64"}:
            try:
                data = base64.b64decode(data, validate=False)
            except (binascii.Error, ValueError):
                return ""
        if data.isascii():
            return data.decode("ascii")
        own = [c for c in prop.params.get("CHARSET", []) if c]
        for name in (*own, *card.charsets, "utf-8", self.file_8bit):
            codec = charset_codec(name)
            if codec is None:
                continue
            try:
                text = data.decode(codec)
            except (UnicodeDecodeError, LookupError, ValueError):
                continue
            self.used.add(shown_name(codec))
            return text
        if card.line not in self.unreadable:
            self.unreadable.append(card.line)
        return data.decode("utf-8", errors="replace")


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            out.append("\n" if nxt in "nN" else nxt)
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _components(text: str, separator: str = ";") -> list[str]:
    """Split on separators that are not escaped, then unescape each part."""
    parts: list[str] = []
    current: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if ch == separator:
            parts.append(_unescape("".join(current)))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append(_unescape("".join(current)))
    return parts


def _clean(text: str) -> str:
    """One line: control characters and runs of whitespace become one space."""
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip()


def _clean_note(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _NOTE_CONTROL.sub(" ", text).strip()


def parse_cards(raw: bytes | str) -> list[Card]:
    """Every card in ``raw``; lines outside BEGIN/END are ignored, and a
    card missing its END (a truncated file) is kept."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", errors="surrogatepass")
    cards: list[Card] = []
    current: Card | None = None
    for number, line in _unfold(raw):
        stripped = line.strip()
        upper = stripped.upper() if len(stripped) < 16 else b""  # not a photo's megabytes
        if upper == b"BEGIN:VCARD":
            if current is not None:  # nested or missing END: close the last one
                cards.append(current)
            current = Card(line=number)
        elif upper == b"END:VCARD":
            if current is not None:
                cards.append(current)
            current = None
        elif current is not None and stripped:
            name = _NAME.match(stripped)
            bare = name.group(0).rpartition(b".")[2].strip().upper() if name else b""
            if bare.decode("latin-1") not in _WANTED:
                # Only the charset of properties we do not read (ADR, LABEL…),
                # from their head: a PHOTO line may be megabytes.
                if found := _CHARSET.search(stripped, 0, 1024):
                    current.charsets.append(found.group(1).decode("latin-1"))
                continue
            prop = _parse_line(stripped)
            if prop is not None:
                current.properties.append(prop)
                current.charsets += [c for c in prop.params.get("CHARSET", []) if c]
    if current is not None and current.properties:
        cards.append(current)
    return cards


def _phone(card: Card, decoder: _Decoder) -> str:
    """Voice numbers only, the mobile first, then work, then home; the
    card's order (and PREF) within each."""
    ranked = []
    for order, prop in enumerate(card.all("TEL")):
        types = _types(prop)
        if types & _NOT_VOICE:
            continue
        rank = min((_TEL_RANK[t] for t in types if t in _TEL_RANK), default=OTHER)
        pref = "pref" in types or bool(prop.params.get("PREF"))
        ranked.append((rank, 0 if pref else 1, order, prop))
    if not ranked:
        return ""
    best = min(ranked, key=lambda r: r[:3])[3]
    return _clean(_unescape(decoder.text(card, best)).removeprefix("tel:"))


def card_fields(card: Card, decoder: _Decoder | None = None) -> dict[str, str]:
    """The mentor fields one card gives, cleaned."""
    decoder = decoder or _Decoder("cp1252")
    out = dict.fromkeys((key for key, _ in VCARD_COLUMNS), "")
    notes: list[str] = []
    fn = card.first("FN")
    full_name = _clean(_unescape(decoder.text(card, fn))) if fn is not None else ""
    if (n := card.first("N")) is not None:
        parts = [*_components(decoder.text(card, n)), "", "", "", "", ""]
        # N: family; given; additional; prefixes; suffixes (each may be a list)
        out["last_name"] = _clean(parts[0].replace(",", " "))
        out["first_name"] = _clean(" ".join(p.replace(",", " ") for p in parts[1:3]))
        out["honorific"] = _clean(parts[3].replace(",", " "))
        out["credentials"] = _clean(", ".join(p for p in parts[4].split(",") if p.strip()))
    if out["last_name"] and full_name:
        # N without prefix or suffix, FN "Dr. Jane Smith, MD": take them from FN
        # when it names the same person.
        name = split_full_name(full_name)
        if name.last == out["last_name"]:
            out["honorific"] = out["honorific"] or name.honorific
            out["credentials"] = out["credentials"] or name.credentials
    if not out["last_name"]:
        # Only FN, or a whole name in the given name (phones do that): the
        # same rules as a CSV's "Name" column.
        whole = full_name or out["first_name"]
        name = split_full_name(whole)
        out["first_name"], out["last_name"] = name.first, name.last
        out["honorific"] = out["honorific"] or name.honorific
        out["credentials"] = out["credentials"] or name.credentials
        if name.changed:
            notes.append(f"Name on the card: {whole}")
    if (org := card.first("ORG")) is not None:
        parts = [_clean(p) for p in _components(decoder.text(card, org))]
        out["institution"] = parts[0]
        out["department"] = ", ".join(p for p in parts[1:] if p)
    if (title := card.first("TITLE")) is not None:
        out["title"] = _clean(_unescape(decoder.text(card, title)))
    if (email := card.first("EMAIL")) is not None:
        out["email"] = _clean(_unescape(decoder.text(card, email)).removeprefix("mailto:"))
    out["phone"] = _phone(card, decoder)
    notes = [_clean_note(_unescape(decoder.text(card, p))) for p in card.all("NOTE")] + notes
    out["notes"] = "\n\n".join(n for n in notes if n)
    return out


def parse_vcards(raw: bytes | str) -> list[dict[str, str]]:
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", errors="surrogatepass")
    decoder = _Decoder(guess_8bit(data))
    return [card_fields(card, decoder) for card in parse_cards(data)]


def read_vcards(path: Path) -> ImportTable:
    """A ``.vcf`` file as an import table (one row per card)."""
    raw = read_import_bytes(path)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (some Windows exports)
        codec = "utf-16-le" if raw.startswith(b"\xff\xfe") else "utf-16-be"
        raw = raw[2:].decode(codec, errors="replace").encode("utf-8")
    cards = parse_cards(raw.removeprefix(b"\xef\xbb\xbf"))
    if not cards:
        raise ImportFileError(
            f"{Path(path).name} holds no contacts (no BEGIN:VCARD). Export the contacts "
            "from your address book as vCard (.vcf)."
        )
    if len(cards) > MAX_IMPORT_ROWS:  # the CSV reader's limit, before any card is read
        raise ImportFileError(
            f"{Path(path).name} holds more than {MAX_IMPORT_ROWS:,} contacts; import it in parts."
        )
    decoder = _Decoder(guess_8bit(raw))
    rows = [card_fields(card, decoder) for card in cards]
    encodings = ", ".join(sorted(decoder.used)) or "ASCII"
    table = ImportTable(
        headers=[label for _, label in VCARD_COLUMNS],
        rows=[[values[key] for key, _ in VCARD_COLUMNS] for values in rows],
        line_numbers=[card.line for card in cards],
        description=f"vCard, {len(cards)} card{'s' if len(cards) != 1 else ''}, {encodings}",
        strip_formula_guard=False,
    )
    if decoder.unreadable:
        table.warnings.append(
            f"The cards starting on {line_list(decoder.unreadable)} hold text that no "
            "character set reads; it shows as �. Check those contacts after the import."
        )
    return table

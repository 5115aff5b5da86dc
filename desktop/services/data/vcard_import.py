"""Mentors from ``.vcf`` files that address books export (vCard 2.1, 3.0
and 4.0), read into the same ``ImportTable`` as a CSV so one preview and
one confirmation serve both.

A small parser of our own rather than ``vobject``: only N, FN, EMAIL, TEL,
ORG, TITLE and NOTE are needed, and what matters is being forgiving with
what real address books write — folded lines, vCard 2.1 quoted-printable
with a charset, bare 2.1 parameters (``TEL;WORK;VOICE:``), grouped names
(``item1.EMAIL``), escaped commas and semicolons, several cards per file, a
missing END at the end of a truncated file. Whatever the input, it never
raises for content and never returns a single-line field holding a control
character (notes keep their line breaks).
"""

from __future__ import annotations

import base64
import binascii
import quopri
import re
from dataclasses import dataclass, field
from pathlib import Path

from desktop.services.data.csv_io import (
    ImportFileError,
    ImportTable,
    decode_text,
    read_import_bytes,
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


@dataclass
class _Property:
    name: str
    params: dict[str, list[str]]
    value: str


@dataclass
class Card:
    properties: list[_Property] = field(default_factory=list)
    line: int = 1

    def first(self, name: str) -> _Property | None:
        found = [p for p in self.properties if p.name == name]
        if not found:
            return None

        # PREF (2.1/3.0 TYPE=PREF, 4.0 PREF=1) first, then work, then order.
        def rank(p: _Property) -> tuple[int, int]:
            types = {t.casefold() for t in p.params.get("TYPE", [])}
            pref = "pref" in types or bool(p.params.get("PREF"))
            return (0 if pref else 1, 0 if "work" in types else 1)

        return min(found, key=rank)


def _unfold(text: str) -> list[tuple[int, str]]:
    """Logical lines with their first physical line number. Continuation
    lines start with a space or tab (RFC 6350); a 2.1 quoted-printable value
    also continues after a line ending in a soft break ``=``."""
    lines: list[tuple[int, str]] = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        if raw[:1] in (" ", "\t") and lines:
            lines[-1] = (lines[-1][0], lines[-1][1] + raw[1:])
            continue
        if lines and _continues_qp(lines[-1][1]):
            lines[-1] = (lines[-1][0], lines[-1][1][:-1] + raw)
            continue
        lines.append((number, raw))
    return lines


def _continues_qp(line: str) -> bool:
    head = line.split(":", 1)[0].upper()
    return line.endswith("=") and "QUOTED-PRINTABLE" in head and ":" in line


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


def _parse_line(line: str) -> _Property | None:
    head, colon, value = line.partition(":")
    # A colon inside a quoted parameter value belongs to the parameter.
    if head.count('"') % 2:
        pieces = _split_unquoted(line, ":")
        head, value = pieces[0], ":".join(pieces[1:])
    elif not colon:
        return None
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
    return _Property(name, params, value)


def _decode_value(prop: _Property) -> str:
    encodings = {e.upper() for e in prop.params.get("ENCODING", [])}
    charset = (prop.params.get("CHARSET") or ["utf-8"])[0] or "utf-8"
    raw: bytes | None = None
    if "QUOTED-PRINTABLE" in encodings:
        raw = quopri.decodestring(prop.value.encode("latin-1", errors="replace"))
    elif encodings & {"B", "BASE64"}:
        try:
            raw = base64.b64decode(prop.value, validate=False)
        except (binascii.Error, ValueError):
            return ""
    if raw is None:
        return prop.value
    try:
        return raw.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return raw.decode("utf-8", errors="replace")


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


def parse_cards(text: str) -> list[Card]:
    """Every card in ``text``; lines outside BEGIN/END are ignored, and a
    card missing its END (a truncated file) is kept."""
    cards: list[Card] = []
    current: Card | None = None
    for number, line in _unfold(text):
        stripped = line.strip()
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if current is not None:  # nested or missing END: close the last one
                cards.append(current)
            current = Card(line=number)
        elif upper == "END:VCARD":
            if current is not None:
                cards.append(current)
            current = None
        elif current is not None and stripped:
            prop = _parse_line(stripped)
            if prop is not None and prop.name in _WANTED:
                current.properties.append(prop)
    if current is not None and current.properties:
        cards.append(current)
    return cards


def card_fields(card: Card) -> dict[str, str]:
    """The mentor fields one card gives, cleaned."""
    out = dict.fromkeys((key for key, _ in VCARD_COLUMNS), "")
    if (n := card.first("N")) is not None:
        parts = [*_components(_decode_value(n)), "", "", "", "", ""]
        # N: family; given; additional; prefixes; suffixes (each may be a list)
        out["last_name"] = _clean(parts[0].replace(",", " "))
        out["first_name"] = _clean(" ".join(p.replace(",", " ") for p in parts[1:3]))
        out["honorific"] = _clean(parts[3].replace(",", " "))
        out["credentials"] = _clean(", ".join(p for p in parts[4].split(",") if p.strip()))
    if not out["last_name"] and (fn := card.first("FN")) is not None:
        name = _clean(_unescape(_decode_value(fn)))
        first, _, last = name.rpartition(" ")
        out["first_name"] = out["first_name"] or first
        out["last_name"] = last
    if (org := card.first("ORG")) is not None:
        parts = [_clean(p) for p in _components(_decode_value(org))]
        out["institution"] = parts[0]
        out["department"] = ", ".join(p for p in parts[1:] if p)
    for key, name in (("title", "TITLE"), ("email", "EMAIL"), ("phone", "TEL")):
        if (prop := card.first(name)) is not None:
            value = _unescape(_decode_value(prop))
            if key == "email":
                value = value.removeprefix("mailto:")
            elif key == "phone":
                value = value.removeprefix("tel:")
            out[key] = _clean(value)
    notes = [_clean_note(_unescape(_decode_value(p))) for p in card.properties if p.name == "NOTE"]
    out["notes"] = "\n\n".join(n for n in notes if n)
    return out


def parse_vcards(text: str) -> list[dict[str, str]]:
    return [card_fields(card) for card in parse_cards(text)]


def read_vcards(path: Path) -> ImportTable:
    """A ``.vcf`` file as an import table (one row per card)."""
    raw = read_import_bytes(path)
    text, encoding = decode_text(raw)
    cards = parse_cards(text)
    if not cards:
        raise ImportFileError(
            f"{Path(path).name} holds no contacts (no BEGIN:VCARD). Export the contacts "
            "from your address book as vCard (.vcf)."
        )
    table = ImportTable(
        headers=[label for _, label in VCARD_COLUMNS],
        rows=[],
        line_numbers=[],
        description=f"vCard, {len(cards)} card{'s' if len(cards) != 1 else ''}, {encoding}",
        strip_formula_guard=False,
    )
    for card in cards:
        values = card_fields(card)
        table.rows.append([values[key] for key, _ in VCARD_COLUMNS])
        table.line_numbers.append(card.line)
    return table

"""The spreadsheet-formula guard of the CSV export (CSV injection, OWASP).

A text cell that a spreadsheet would run as a formula gets a leading
apostrophe: Excel and LibreOffice then show it as text, so a mentor named
``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0`` cannot run anything when the
user opens the export. LetterDesk's own importer removes exactly that
apostrophe again, so an export reads back unchanged.

The apostrophe is visible, so it goes only where a formula could start:
``=``, ``@``, a tab or carriage return, or ``+``/``-`` followed by anything
but a number. A phone number such as ``+1 555 0100`` or ``-1 555 0100``
(digits, spaces and ``( ) . - /``) names no function, cell or program, so
no spreadsheet can run it; it stays as typed. ``tests/interop`` opens an
export in a real LibreOffice to check both halves.
"""

from __future__ import annotations

import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_LIKE = re.compile(r"[+-][\d ().\-/]*\d[\d ().\-/]*")


def spreadsheet_safe(value: str) -> str:
    """``value`` with a leading apostrophe when a spreadsheet could read it as
    a formula (also when it already starts with apostrophes before one, so
    the importer's removal of one apostrophe gives the original back)."""
    core = value.lstrip("'")
    if not core.startswith(FORMULA_START):
        return value
    if core == value and _NUMBER_LIKE.fullmatch(value):
        return value
    return "'" + value


def undo_spreadsheet_safe(value: str) -> str:
    if value.startswith("'") and value.lstrip("'").startswith(FORMULA_START):
        return value[1:]
    return value

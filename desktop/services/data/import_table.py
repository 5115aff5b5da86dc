"""What an import reads before any mapping: a header and rows of strings,
whatever the file was (CSV or vCard), and the file-level limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from desktop.errors import UserError

MAX_IMPORT_BYTES = 20 * 1024 * 1024  # a contact list, not a database dump
MAX_IMPORT_ROWS = 50_000


class ImportFileError(UserError):
    """The file cannot be read as a table; ``user_message`` says why."""


@dataclass
class ImportTable:
    """A header and rows of strings (each as long as the header).
    ``line_numbers`` says where each row started in the file, for messages;
    ``row_problems`` holds rows the reader already found wrong (more cells
    than the header); ``warnings`` are sentences about the whole file that
    the user should read before importing (bytes that could not be decoded,
    and on which lines)."""

    headers: list[str]
    rows: list[list[str]]
    line_numbers: list[int]
    description: str  # "UTF-8, comma-separated", "vCard, 3 cards"
    row_problems: dict[int, str] = field(default_factory=dict)
    # CSV from LetterDesk (or any careful exporter) may carry the
    # apostrophe that protects formula-like cells; vCards never do.
    strip_formula_guard: bool = True
    warnings: list[str] = field(default_factory=list)


def read_import_bytes(path: Path, max_bytes: int = MAX_IMPORT_BYTES) -> bytes:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ImportFileError(
                f"{path.name} is {size / 1e6:.0f} MB; LetterDesk imports files up to "
                f"{max_bytes // 1_000_000} MB. Split it, or export only the contacts."
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

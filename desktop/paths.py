"""Where LetterDesk keeps its files. One object, passed to whoever needs it,
so tests and ``--data-dir`` move the whole set at once."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DATA_DIR_ENV = "LETTERDESK_DATA_DIR"
DATABASE_NAME = "letterdesk.sqlite3"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def database(self) -> Path:
        return self.root / DATABASE_NAME

    @property
    def documents(self) -> Path:
        return self.root / "documents"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def user_dictionary(self) -> Path:
        """The words the user added to the spell check, one per line."""
        return self.root / "dictionary.txt"

    def ensure(self) -> None:
        for folder in (self.root, self.documents, self.backups, self.logs):
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def has_data(self) -> bool:
        """True when the folder already holds a LetterDesk data file."""
        return self.database.exists() and self.database.stat().st_size > 0


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("LetterDesk", appauthor=False, roaming=True))


def resolve_data_paths(cli_value: str | os.PathLike[str] | None = None) -> DataPaths:
    """``--data-dir`` wins, then $LETTERDESK_DATA_DIR, then the platform's
    user data folder."""
    chosen = cli_value or os.environ.get(DATA_DIR_ENV)
    root = Path(chosen).expanduser() if chosen else default_data_dir()
    return DataPaths(root.absolute())

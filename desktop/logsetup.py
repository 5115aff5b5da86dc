"""Logging to a small rotating file in the data folder. Messages name
files and outcomes; never passwords or email bodies."""

from __future__ import annotations

import logging
from pathlib import Path

LOG_NAME = "letterdesk.log"
MAX_BYTES = 1_000_000
KEEP = 3


def configure_logging(log_dir: Path, verbose: bool = False) -> Path | None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    root.addHandler(console)
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        _rotate(log_dir / LOG_NAME)
        handler = logging.FileHandler(log_dir / LOG_NAME, encoding="utf-8", delay=True)
    except OSError as exc:  # a read-only folder must not stop the app
        root.warning("Cannot write the log in %s: %s", log_dir, exc)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return log_dir / LOG_NAME


def _rotate(path: Path) -> None:
    """Rotate at start rather than with logging.handlers, whose import
    (socket, pickle, queue…) costs start-up time for nothing."""
    if not path.exists() or path.stat().st_size < MAX_BYTES:
        return
    for number in range(KEEP - 1, 0, -1):
        older = path.with_name(f"{path.name}.{number}")
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{number + 1}"))
    path.replace(path.with_name(f"{path.name}.1"))

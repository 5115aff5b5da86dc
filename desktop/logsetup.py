"""Logging to a small rotating file in the data folder. Messages name
files and outcomes; never passwords or email bodies."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

LOG_NAME = "letterdesk.log"


def configure_logging(log_dir: Path, verbose: bool = False) -> Path | None:
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    console = logging.StreamHandler()
    console.setLevel(logging.DEBUG if verbose else logging.WARNING)
    root.addHandler(console)
    try:
        log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / LOG_NAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8", delay=True
        )
    except OSError as exc:  # a read-only folder must not stop the app
        root.warning("Cannot write the log in %s: %s", log_dir, exc)
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    return log_dir / LOG_NAME

"""Crafted archives for the hardening tests: a real data folder made with the
app's own store, changed with SQL the app would never run, and exported with
the app's own export (so the checksums are right and only the contents lie)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import peewee as pw

from desktop.paths import DataPaths
from desktop.services.data import archive
from desktop.store.database import open_database


def crafted_archive(
    folder: Path, target: Path, tamper: Callable[[pw.SqliteDatabase], object]
) -> Path:
    """Make a data folder in ``folder``, let ``tamper`` change its open
    database, export it to ``target``. The models are left unbound."""
    paths = DataPaths(folder)
    paths.ensure()
    db = open_database(paths.database, paths.backups)
    try:
        tamper(db)
        archive.export_archive(db, paths, target)
    finally:
        db.close()
    return target

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


def rewrite_archive(
    source: Path, target: Path, change: Callable[[str, bytes], tuple[bytes, int] | None]
) -> Path:
    """Copy the archive ``source`` member by member; ``change(name, data)``
    may return (new data, compression) for a member, and the manifest's size
    and SHA-256 are made to match, so only what ``change`` did is wrong."""
    import hashlib
    import json
    import zipfile

    with zipfile.ZipFile(source) as old:
        manifest = json.loads(old.read("MANIFEST.json"))
        members = {i.filename: (old.read(i), i.compress_type) for i in old.infolist()}
    for name, (data, _method) in list(members.items()):
        if name != "MANIFEST.json" and (changed := change(name, data)) is not None:
            members[name] = changed
    files = {f["path"]: f for f in manifest["files"]}
    for name, (data, _method) in members.items():
        if name in files:
            files[name].update(size=len(data), sha256=hashlib.sha256(data).hexdigest())
    for doc in manifest["documents"]:
        doc["size"] = len(members["documents/" + doc["name"]][0])
    members["MANIFEST.json"] = (json.dumps(manifest).encode(), zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(target, "w", allowZip64=True) as new:
        for name, (data, method) in members.items():
            new.writestr(name, data, compress_type=method)
    return target

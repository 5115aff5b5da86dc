"""Move to another computer: everything in one archive file, and back.

The archive is a zip in the layout of a backup (``desktop.services.data.backups``)
so restoring it reuses the backup service's crash-safe swap: a manifest, the
database as ``letterdesk.sqlite3`` (a consistent snapshot through SQLite's
online backup API) and ``documents/…``. Its manifest adds what a move
needs: the archive format, the app and schema versions, and every file with
its size and SHA-256.

``inspect_archive`` checks an archive without changing anything: the zip
reads, the manifest is ours and complete, no name points outside its
folder, every file matches its checksum, the database is a LetterDesk file
of a format this version opens, and every document the database lists is
there. ``import_archive`` repeats those checks, opens a copy of the database
with ``open_database`` (which also upgrades an older format, on the copy),
and only then lets the backup service back up the current data and swap the
archive's in.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import shutil
import sqlite3
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath

import peewee as pw

from desktop import __version__
from desktop.errors import UserError
from desktop.files import atomic_write
from desktop.paths import DATABASE_NAME, DataPaths
from desktop.services import documents
from desktop.services.data import backups
from desktop.store import migrations
from desktop.store.database import backup_copy, open_database, schema_version
from desktop.store.errors import DatabaseOpenError
from desktop.store.models import database_proxy

ARCHIVE_KIND = "letterdesk-move"
ARCHIVE_FORMAT = 1
ARCHIVE_SUFFIX = ".letterdesk.zip"
_CHUNK = 1024 * 1024
# Limits against a "zip bomb": LetterDesk's own documents are at most
# MAX_DOCUMENT_BYTES each and are stored uncompressed; its database
# deflates well but not without end.
MAX_DATABASE_BYTES = 4 * 1024**3
MAX_TOTAL_BYTES = 16 * 1024**3
MAX_RATIO = 200  # expanded size / stored size, for a member over 1 MB
_RATIO_FREE_BYTES = 1024 * 1024


class ArchiveError(UserError):
    """The archive cannot be used; ``user_message`` says why and what to do.
    Raised before anything in the data folder changed."""


@dataclass(frozen=True)
class ArchiveSummary:
    created: str
    app_version: str
    schema_version: int
    mentors: int
    requests: int
    documents: int
    size: int


# --- export ----------------------------------------------------------------------


def _document_files(folder: Path) -> Iterator[tuple[Path, str]]:
    """Finished documents only: atomic_write's half-written ``.X.part``
    files are not documents and never go into an archive."""
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if relative.parts[0].startswith(".letterdesk-"):  # a restore's own folders
            continue
        if path.is_file() and not path.is_symlink() and not path.name.endswith(".part"):
            yield path, relative.as_posix()


def _write_member(archive: zipfile.ZipFile, source: Path, name: str, method: int) -> dict:
    digest, size = hashlib.sha256(), 0
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = method
    info.external_attr = (stat.S_IFREG | 0o600) << 16
    with source.open("rb") as handle, archive.open(info, "w", force_zip64=True) as out:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return {"path": name, "size": size, "sha256": digest.hexdigest()}


def export_archive(db: pw.SqliteDatabase, paths: DataPaths, target_zip: Path) -> ArchiveSummary:
    """Write the database snapshot, the documents and the manifest to
    ``target_zip`` (through a temporary file renamed into place)."""
    target_zip = Path(target_zip)
    try:
        return _export(db, paths, target_zip)
    except OSError as exc:
        raise _export_failure(target_zip, exc) from exc
    except (sqlite3.Error, pw.DatabaseError) as exc:
        raise _export_failure(target_zip, OSError(errno.EIO, str(exc))) from exc


def _export_failure(target: Path, exc: OSError) -> ArchiveError:
    if exc.errno == errno.ENOSPC or "full" in str(exc):
        return ArchiveError(
            f"The disk holding {target.parent} is full, so the archive was not saved. Free "
            "some space there, or choose another place (a USB stick), and export again."
        )
    return ArchiveError(
        f"The archive could not be saved as {target} ({exc.strerror or exc}). Choose another "
        "place and export again."
    )


def _remove_stale_temporaries(target: Path) -> None:
    """What an export killed half-way left next to the same target (only
    names our own temporary files have)."""
    for stale in target.parent.glob(f".{target.name}.*.part"):
        with contextlib.suppress(OSError):
            stale.unlink()
    for stale in target.parent.glob(f".{target.name}.export-*"):
        with contextlib.suppress(OSError):
            shutil.rmtree(stale)


def _export(db: pw.SqliteDatabase, paths: DataPaths, target_zip: Path) -> ArchiveSummary:
    target_zip.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(target_zip)
    # The snapshot goes next to the target, not into the data folder: the
    # data disk may be full, and the archive is going to the target's disk.
    with tempfile.TemporaryDirectory(
        prefix=f".{target_zip.name}.export-", dir=target_zip.parent
    ) as scratch:
        snapshot = backup_copy(db, Path(scratch) / DATABASE_NAME)
        with (
            atomic_write(target_zip) as raw,
            zipfile.ZipFile(raw, "w", allowZip64=True) as archive,
        ):
            files = [_write_member(archive, snapshot, DATABASE_NAME, zipfile.ZIP_DEFLATED)]
            for source, name in _document_files(paths.documents):
                try:
                    files.append(
                        _write_member(
                            archive, source, backups.DOCUMENTS_PREFIX + name, zipfile.ZIP_STORED
                        )
                    )
                except FileNotFoundError:  # deleted while exporting
                    continue
            manifest = _manifest(snapshot, files)
            archive.writestr(backups.MANIFEST, json.dumps(manifest, indent=1))
    return inspect_archive(target_zip)


def _manifest(snapshot: Path, files: list[dict]) -> dict:
    documents = [
        {"name": f["path"][len(backups.DOCUMENTS_PREFIX) :], "size": f["size"]}
        for f in files
        if f["path"].startswith(backups.DOCUMENTS_PREFIX)
    ]
    conn = sqlite3.connect(snapshot)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()
    return {
        # Read by the backup service's restore:
        "format": backups.FORMAT,
        "app": "LetterDesk",
        "created": datetime.now().isoformat(timespec="seconds"),
        "reason": "export",
        "database": DATABASE_NAME,
        "documents": documents,
        # What a move adds:
        "kind": ARCHIVE_KIND,
        "archive_format": ARCHIVE_FORMAT,
        "app_version": __version__,
        "schema_version": version,
        "files": files,
    }


# --- checking ----------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    """A member name that stays inside its folder wherever it is extracted."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    path = PurePosixPath(name)
    return not any(part in ("", ".", "..") or ":" in part for part in path.parts)


def _read_manifest(archive: zipfile.ZipFile, shown: str) -> dict:
    not_ours = (
        f"{shown} is not a LetterDesk archive. Choose a file made with "
        "File → Move to another computer → Export."
    )
    try:
        info = archive.getinfo(backups.MANIFEST)
    except KeyError:
        raise ArchiveError(not_ours) from None
    if info.file_size > 10 * 1024 * 1024:
        raise ArchiveError(not_ours)
    try:
        manifest = json.loads(archive.read(info))
    except (ValueError, RecursionError, zipfile.BadZipFile, EOFError, OSError) as exc:
        # RecursionError: json's answer to "[[[[…" nested past its depth.
        raise ArchiveError(f"{shown} is damaged: its list of contents cannot be read.") from exc
    if not isinstance(manifest, dict) or manifest.get("kind") != ARCHIVE_KIND:
        raise ArchiveError(not_ours)
    version = manifest.get("archive_format")
    if not isinstance(version, int) or version > ARCHIVE_FORMAT:
        raise ArchiveError(
            f"{shown} was made by a newer LetterDesk ({manifest.get('app_version', '?')}). "
            "Update LetterDesk on this computer, then import it again."
        )
    files = manifest.get("files")
    if not isinstance(files, list) or not all(
        isinstance(f, dict)
        and isinstance(f.get("path"), str)
        and isinstance(f.get("size"), int)
        and isinstance(f.get("sha256"), str)
        for f in files
    ):
        raise ArchiveError(f"{shown} is damaged: its list of contents is incomplete.")
    return manifest


def _outside(shown: str, name: str) -> ArchiveError:
    return ArchiveError(f"{shown} was refused: it names a file outside its folder ({name!r}).")


def _check_members(archive: zipfile.ZipFile, manifest: dict, shown: str) -> dict[str, dict]:
    listed: dict[str, dict] = {}
    for entry in manifest["files"]:
        name = entry["path"]
        if not _safe_name(name):
            raise _outside(shown, name)
        if name in listed:
            raise ArchiveError(f"{shown} was refused: its list of contents names {name!r} twice.")
        if name != DATABASE_NAME and not name.startswith(backups.DOCUMENTS_PREFIX):
            raise ArchiveError(f"{shown} was refused: it holds an unexpected file ({name!r}).")
        listed[name] = entry
    if DATABASE_NAME not in listed:
        raise ArchiveError(f"{shown} is incomplete: it holds no database.")
    seen: set[str] = set()
    for info in archive.infolist():
        name = info.filename
        if info.is_dir() and name.startswith(backups.DOCUMENTS_PREFIX) and _safe_name(name[:-1]):
            continue
        if not _safe_name(name):
            raise _outside(shown, name)
        if name in seen:
            raise ArchiveError(f"{shown} was refused: it holds {name!r} twice.")
        seen.add(name)
        if stat.S_ISLNK(info.external_attr >> 16):
            raise ArchiveError(f"{shown} was refused: {name!r} is a link, not a file.")
        if name == backups.MANIFEST:
            continue
        entry = listed.get(name)
        if entry is None:
            raise ArchiveError(f"{shown} was refused: it holds a file it does not list ({name!r}).")
        if info.file_size != entry["size"]:
            raise ArchiveError(f"{shown} is damaged: {name} has the wrong size.")
        _check_expansion(info, shown)
    missing = sorted(set(listed) - seen)
    if missing:
        raise ArchiveError(f"{shown} is incomplete: {missing[0]} is missing.")
    return listed


def _bomb(shown: str, name: str, why: str) -> ArchiveError:
    return ArchiveError(
        f"{shown} was refused: {name} {why}. LetterDesk's own archives never do; this file "
        "was not made by LetterDesk, or was changed."
    )


def _check_expansion(info: zipfile.ZipInfo, shown: str) -> None:
    """Refuse a member whose unpacked size is out of bounds (checked on the
    sizes the zip states; extraction then never reads past them)."""
    name = info.filename
    limit = MAX_DATABASE_BYTES if name == DATABASE_NAME else documents.MAX_DOCUMENT_BYTES
    if info.file_size > limit:
        unpacked = f"{info.file_size / 1024**2:,.0f} MB"
        raise _bomb(shown, name, f"would unpack to {unpacked}, more than allowed")
    if info.file_size > _RATIO_FREE_BYTES and info.file_size > MAX_RATIO * max(
        info.compress_size, 1
    ):
        raise _bomb(shown, name, "is compressed far more than real data can be")


def _check_total(archive: zipfile.ZipFile, shown: str, folder: Path) -> None:
    """The whole archive unpacked must be within bounds and fit on the disk
    (twice: the prepared copy and the backup of what is there now)."""
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_TOTAL_BYTES:
        raise _bomb(shown, "its content", "is larger than LetterDesk can import")
    try:
        free = shutil.disk_usage(folder).free
    except OSError:
        return
    if 2 * total > free:
        raise ArchiveError(
            f"{shown} needs about {2 * total / 1024**2:,.0f} MB free on the disk of "
            f"{folder}, which has {free / 1024**2:,.0f} MB. Free some space and import again."
        )


def _extract_checked(
    archive: zipfile.ZipFile, entry: dict, target: Path | None, shown: str
) -> None:
    """Stream one member, comparing size and SHA-256 with the manifest;
    write it to ``target`` when given. Never reads past the listed size."""
    digest, size = hashlib.sha256(), 0
    out = target.open("wb") if target is not None else None
    try:
        with archive.open(entry["path"]) as source:
            while chunk := source.read(_CHUNK):
                size += len(chunk)
                if size > entry["size"]:
                    break
                digest.update(chunk)
                if out is not None:
                    out.write(chunk)
    finally:
        if out is not None:
            out.close()
    if size != entry["size"] or digest.hexdigest() != entry["sha256"].lower():
        raise ArchiveError(
            f"{shown} is damaged: {entry['path']} does not match its checksum. "
            "Copy the archive again from the other computer."
        )


def _database_facts(path: Path, shown: str) -> tuple[int, int, int, set[str]]:
    """(format, mentors, requests, stored document names) of a LetterDesk
    file, read-only; ``ArchiveError`` for anything else."""
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise ArchiveError(f"{shown} is damaged: its database is not an SQLite file.")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id != migrations.APPLICATION_ID:
                raise ArchiveError(f"{shown} holds another program's database, not LetterDesk's.")
            if version > migrations.LATEST_VERSION:
                raise ArchiveError(
                    f"{shown} holds data from a newer LetterDesk (format {version}; this "
                    f"version reads up to {migrations.LATEST_VERSION}). Update LetterDesk first."
                )
            problem = conn.execute("PRAGMA integrity_check(1)").fetchone()[0]
            if problem != "ok":
                raise ArchiveError(f"{shown} is damaged: its database fails the check ({problem}).")
            mentors = conn.execute("SELECT count(*) FROM mentor").fetchone()[0]
            letters = conn.execute("SELECT count(*) FROM letter_request").fetchone()[0]
            stored = {name for (name,) in conn.execute("SELECT stored_name FROM document")}
            if not all(isinstance(name, str) for name in stored):
                raise ArchiveError(
                    f"{shown} is damaged: its database lists a document whose file name "
                    "is not text."
                )
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ArchiveError(f"{shown} is damaged: its database cannot be read ({exc}).") from exc
    return version, mentors, letters, stored


def _open_zip(zip_path: Path) -> zipfile.ZipFile:
    shown = zip_path.name
    try:
        return zipfile.ZipFile(zip_path)
    except FileNotFoundError as exc:
        raise ArchiveError(f"{shown} was not found.") from exc
    except OSError as exc:
        raise ArchiveError(f"{shown} could not be read: {exc.strerror or exc}.") from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        raise ArchiveError(
            f"{shown} is not a LetterDesk archive, or it is damaged or incomplete "
            "(was the copy interrupted?)."
        ) from exc


def _inspect(zip_path: Path, scratch: Path) -> tuple[ArchiveSummary, Path]:
    shown = zip_path.name
    with _open_zip(zip_path) as archive:
        try:
            manifest = _read_manifest(archive, shown)
            listed = _check_members(archive, manifest, shown)
            database = scratch / DATABASE_NAME
            for name, entry in listed.items():
                _extract_checked(archive, entry, database if name == DATABASE_NAME else None, shown)
        except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
            raise ArchiveError(f"{shown} is damaged or incomplete ({exc}).") from exc
        except OSError as exc:  # zlib errors surface as zipfile/OSError subclasses
            raise ArchiveError(f"{shown} could not be read: {exc}.") from exc
    version, mentors, letters, stored = _database_facts(database, shown)
    documents = {n[len(backups.DOCUMENTS_PREFIX) :] for n in listed if n != DATABASE_NAME}
    if missing := sorted(stored - documents):
        raise ArchiveError(f"{shown} is incomplete: the document file {missing[0]} is missing.")
    summary = ArchiveSummary(
        created=str(manifest.get("created", "")),
        app_version=str(manifest.get("app_version", "")),
        schema_version=version,
        mentors=mentors,
        requests=letters,
        documents=len(documents),
        size=zip_path.stat().st_size,
    )
    return summary, database


def is_move_archive(path: Path) -> bool:
    """True when ``path`` is a move-to-another-computer archive (by its
    manifest), not a backup."""
    try:
        with zipfile.ZipFile(path) as opened:
            manifest = json.loads(opened.read(backups.MANIFEST))
    except (OSError, KeyError, ValueError, RecursionError, zipfile.BadZipFile):
        return False
    return isinstance(manifest, dict) and manifest.get("kind") == ARCHIVE_KIND


def inspect_archive(zip_path: Path) -> ArchiveSummary:
    """Check ``zip_path`` completely without touching the data folder;
    raises ``ArchiveError`` with the reason."""
    zip_path = Path(zip_path)
    with tempfile.TemporaryDirectory(prefix="letterdesk-archive-") as scratch:
        return _inspect(zip_path, Path(scratch))[0]


def _opens_as_letterdesk(database: Path, shown: str) -> None:
    """Open a copy with the app's own ``open_database`` (pragmas, format
    checks, upgrade of an older format), leaving the models bound as before."""
    previous = database_proxy.obj
    scratch = database.parent / "open-check"
    scratch.mkdir()
    copy = scratch / DATABASE_NAME
    shutil.copyfile(database, copy)
    try:
        db = open_database(copy, scratch / "backups")
        try:
            if schema_version(db) != migrations.LATEST_VERSION:
                raise ArchiveError(f"{shown}: its database could not be brought up to date.")
        finally:
            db.close()
    except DatabaseOpenError as exc:
        raise ArchiveError(f"{shown} cannot be used: {exc.user_message}") from exc
    finally:
        if previous is not None:
            database_proxy.initialize(previous)


def import_archive(paths: DataPaths, zip_path: Path) -> ArchiveSummary:
    """Replace the data folder's database and documents with the archive's.

    Every connection to the current database must be closed (the main
    window closes it, then reopens the data afterwards). Nothing changes
    unless the archive passes every check; the current state is then backed
    up (``before-restore`` in backups/) and swapped out by the backup
    service, which finishes the swap on the next start after a crash."""
    zip_path = Path(zip_path)
    paths.ensure()
    with _open_zip(zip_path) as opened:
        _check_total(opened, zip_path.name, paths.root)
    with tempfile.TemporaryDirectory(prefix="letterdesk-archive-") as scratch:
        summary, database = _inspect(zip_path, Path(scratch))
        _opens_as_letterdesk(database, zip_path.name)
    try:
        backups.restore(paths, zip_path)
    except backups.BackupError as exc:
        raise ArchiveError(f"{zip_path.name} could not be imported: {exc.user_message}") from exc
    return summary

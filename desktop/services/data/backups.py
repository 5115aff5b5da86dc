"""Backups of the data folder: the database and the documents, in one zip
file per backup under ``backups/``.

Why one zip rather than a copied folder: a backup is then a single file,
written under a temporary name and renamed into place (``desktop.files``),
so it either exists whole or not at all; listing, sizing and pruning are one
``stat``/``unlink`` each. The database inside is a consistent snapshot taken with SQLite's online
backup API (safe while the app runs); documents are stored uncompressed (PDFs
and images are compressed already), the database deflated. The price is that
every backup holds its own copy of the documents.

The store's own copies made before a format upgrade (``before-format-N-
<stamp>.sqlite3``, database only) are listed, verified, restored and pruned
here too.

Restoring never leaves a half-restored folder: everything is prepared next
to the live files (``*.restoring``) and verified, the current state is backed
up, and only then a marker file is written and the prepared files are
renamed into place. A crash after the marker is finished on the next start
(``recover_interrupted_restore``); a crash before it changed nothing.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import peewee as pw

from desktop.errors import UserError
from desktop.files import atomic_write, fsync_folder
from desktop.paths import DATABASE_NAME, DataPaths
from desktop.store import migrations, restored, sent_ledger
from desktop.store.database import backup_copy, next_backup_number
from desktop.store.rebuild import RebuildError, rebuild

log = logging.getLogger(__name__)

FORMAT = 1
MANIFEST = "MANIFEST.json"
DOCUMENTS_PREFIX = "documents/"
STAMP_FORMAT = "%Y%m%d-%H%M%S"
KEEP_DAILY = 14
KEEP_WEEKLY = 8
# Backups made to undo something (a restore, an import, an upgrade) are
# kept this long whatever the daily/weekly rule says.
KEEP_SAFETY = timedelta(days=14)
# ...and the newest few of them are kept whatever the clock says, so a clock
# that jumps a year ahead cannot prune the only way to undo a restore.
KEEP_SAFETY_COPIES = 5
# A backup dated more than this after now was made with a wrong clock.
CLOCK_SLACK = timedelta(minutes=10)
DAILY_INTERVAL = timedelta(days=1)

REASONS = ("daily", "manual", "before-restore", "before-import")
SAFETY_REASONS = ("before-restore", "before-import", "before-format")

_ZIP_NAME = re.compile(
    r"^letterdesk-backup-(\d{8}-\d{6})-([a-z]+(?:-[a-z]+)*?)(?:-(\d+))?(?:-n(\d+))?\.zip$"
)
_UPGRADE_NAME = re.compile(r"^before-format-(\d+)-(\d{8}-\d{6})(?:-n(\d+))?\.sqlite3$")
_RESTORE_MARKER = "restore-in-progress.json"
_DB_RESTORING = DATABASE_NAME + ".restoring"
_DB_INCOMING = DATABASE_NAME + ".incoming"  # the backup's own file, before the rebuild
_PART = ".part"


class BackupError(UserError):
    """A backup or restore did not happen; ``user_message`` says why. Nothing
    in the data folder was changed."""


class RestoreUnfinished(UserError):
    """The restore passed its point of no return (the database was swapped)
    and then stopped; the next start finishes it. Never "nothing changed"."""

    def __init__(self, reason: str, before: BackupInfo) -> None:
        super().__init__(
            f"The restore stopped part-way ({reason}). Your data was already partly "
            "replaced; LetterDesk finishes the restore the next time it starts, so fix "
            f"the cause if you can and start it again. What you had before is kept as the "
            f"backup {before.path.name}."
        )
        self.before = before


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    created: datetime  # local time, from the name
    size: int
    reason: str  # one of REASONS, or "before-format"
    has_documents: bool
    format_version: int | None = None  # for "before-format" copies
    sequence: int = 1  # several backups in one second: -2, -3… (older names)
    number: int = 0  # the order they were made in, clock or not (0: made before numbers)

    @property
    def order(self) -> tuple[int, datetime, int]:
        """Newest last: by number first, so a wrong clock cannot reorder them."""
        return (self.number, self.created, self.sequence)

    @property
    def is_safety(self) -> bool:
        return self.reason in SAFETY_REASONS


@dataclass(frozen=True)
class Verification:
    ok: bool
    problem: str | None = None


# --- listing and retention -------------------------------------------------


def parse_backup_name(path: Path, size: int = 0) -> BackupInfo | None:
    """The backup a file name describes, or ``None`` for anything else
    (temporary ``.part`` files, files the user put there)."""
    if match := _ZIP_NAME.match(path.name):
        created = datetime.strptime(match.group(1), STAMP_FORMAT)
        return BackupInfo(
            path,
            created,
            size,
            match.group(2),
            True,
            sequence=int(match.group(3) or 1),
            number=int(match.group(4) or 0),
        )
    if match := _UPGRADE_NAME.match(path.name):
        created = datetime.strptime(match.group(2), STAMP_FORMAT)
        return BackupInfo(
            path,
            created,
            size,
            "before-format",
            False,
            format_version=int(match.group(1)),
            number=int(match.group(3) or 0),
        )
    return None


def list_backups(paths: DataPaths) -> list[BackupInfo]:
    """Every backup in the folder, newest first."""
    found = []
    try:
        entries = list(os.scandir(paths.backups))
    except FileNotFoundError:
        return []
    for entry in entries:
        try:
            if not entry.is_file():
                continue
            size = entry.stat().st_size
            if size == 0:  # an interrupted copy, never a backup
                continue
        except OSError:
            continue
        if (info := parse_backup_name(Path(entry.path), size)) is not None:
            found.append(info)
    return sorted(found, key=lambda b: b.order, reverse=True)


def backups_to_delete(
    backups: Sequence[BackupInfo],
    now: datetime,
    keep_daily: int = KEEP_DAILY,
    keep_weekly: int = KEEP_WEEKLY,
    keep_safety_copies: int = KEEP_SAFETY_COPIES,
) -> list[BackupInfo]:
    """Which backups the retention rule lets go (pure; ``now`` is the clock).

    Kept: the newest backup of each of the last ``keep_daily`` days that
    have one, the newest of each of the last ``keep_weekly`` ISO weeks that
    have one (as ``borg prune`` counts), and apart from those: the newest
    ``keep_safety_copies`` safety copies (before a restore, import or
    upgrade) by number, whatever their date, others younger than
    ``KEEP_SAFETY``, and anything dated after ``now`` (the clock went back; guessing would
    delete the wrong thing).
    """
    ordered = sorted(backups, key=lambda b: b.order, reverse=True)
    newest_safety = [b.path for b in ordered if b.is_safety][:keep_safety_copies]
    keep = {
        b.path
        for b in ordered
        if b.created > now or (b.is_safety and now - b.created < KEEP_SAFETY)
    } | set(newest_safety)
    # A recent safety copy does not take its day's place: restoring this
    # morning's backup must not make the restore's own copy push it out.
    regular = [b for b in ordered if b.path not in keep]
    for period, count in (
        (lambda d: d.date(), keep_daily),
        (lambda d: d.isocalendar()[:2], keep_weekly),
    ):
        seen: list[object] = []
        for backup in regular:
            key = period(backup.created)
            if key in seen:
                continue
            if len(seen) == count:
                break
            seen.append(key)
            keep.add(backup.path)
    return [b for b in ordered if b.path not in keep]


def prune(paths: DataPaths, now: datetime | None = None) -> list[BackupInfo]:
    """Delete what the retention rule lets go; returns what was deleted."""
    doomed = backups_to_delete(list_backups(paths), now or datetime.now())
    for backup in doomed:
        try:
            backup.path.unlink()
            log.info("Deleted old backup %s", backup.path.name)
        except OSError as exc:  # tried again after the next backup
            log.warning("Could not delete old backup %s: %s", backup.path, exc)
    return doomed


def daily_backup_due(paths: DataPaths, now: datetime | None = None) -> bool:
    """True when no full backup (with documents) was made in the last day.
    A backup dated in the future does not count: it was made with a wrong
    clock, and trusting it would stop daily backups until that date."""
    now = now or datetime.now()
    return not any(
        b.has_documents and timedelta(0) - CLOCK_SLACK <= now - b.created < DAILY_INTERVAL
        for b in list_backups(paths)
    )


def future_dated_backups(paths: DataPaths, now: datetime | None = None) -> list[BackupInfo]:
    """Backups dated after now (beyond a few minutes): the clock was wrong
    when they were made, or is wrong now. They are kept and reported."""
    now = now or datetime.now()
    return [b for b in list_backups(paths) if b.created - now > CLOCK_SLACK]


# --- making a backup -----------------------------------------------------


def backup_now(
    db: pw.SqliteDatabase, paths: DataPaths, reason: str, now: datetime | None = None
) -> BackupInfo:
    """Back up the open database (online backup API, safe while the app
    runs; on a worker the thread's own connection is used) and the
    documents, then prune old backups. Raises ``BackupError`` when the disk
    is full or the backups folder cannot be written."""
    try:
        return _write_backup(paths, reason, lambda target: backup_copy(db, target), now)
    except (OSError, sqlite3.Error, pw.DatabaseError) as exc:
        raise _write_failure(paths, exc) from exc


def _write_failure(paths: DataPaths, exc: BaseException) -> BackupError:
    """A backup that could not be written, in words (never "your change
    could not be saved": the data itself is untouched)."""
    full = isinstance(exc, OSError) and exc.errno == errno.ENOSPC
    if not full:
        try:
            full = shutil.disk_usage(paths.backups).free < 1024 * 1024 or "full" in str(exc)
        except OSError:
            full = False
    if full:
        return BackupError(
            f"The disk holding {paths.backups} is full, so no backup was made. Your data is "
            "unchanged. Free some space (or delete old backups), then back up again."
        )
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return BackupError(f"The backup could not be written to {paths.backups} ({reason}).")


def backup_closed_database(
    paths: DataPaths, reason: str, *, damaged: bool = False, now: datetime | None = None
) -> BackupInfo:
    """Back up the data folder while no connection is open (before a
    restore). A damaged file is copied byte for byte with its "-wal", so
    opening it (which can checkpoint into damaged pages) is avoided and the
    copy keeps exactly what was there."""
    if damaged or not paths.database.exists():
        return _write_backup(paths, reason, None, now)

    def snapshot(target: Path) -> None:
        source = sqlite3.connect(paths.database)
        try:
            copy = sqlite3.connect(target)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()

    try:
        return _write_backup(paths, reason, snapshot, now)
    except sqlite3.DatabaseError:
        log.warning("Database unreadable for a snapshot; copying its bytes instead")
        return _write_backup(paths, reason, None, now)


def _write_backup(
    paths: DataPaths,
    reason: str,
    snapshot: Callable[[Path], object] | None,
    now: datetime | None,
) -> BackupInfo:
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    now = now or datetime.now()
    paths.backups.mkdir(parents=True, exist_ok=True, mode=0o700)
    number = next_backup_number(paths.backups)
    final = paths.backups / f"letterdesk-backup-{now.strftime(STAMP_FORMAT)}-{reason}-n{number}.zip"
    staging = Path(tempfile.mkdtemp(prefix=".snapshot-", dir=paths.backups))
    try:
        members: list[tuple[Path, str, int]] = []
        counts: dict[str, int] = {}
        if snapshot is not None:
            db_copy = staging / DATABASE_NAME
            snapshot(db_copy)
            members.append((db_copy, DATABASE_NAME, zipfile.ZIP_DEFLATED))
            counts = _content_counts(db_copy)
        else:  # byte copy of a closed (possibly damaged) file and its log
            for suffix in ("", "-wal"):
                source = paths.database.with_name(DATABASE_NAME + suffix)
                if source.exists():
                    members.append((source, DATABASE_NAME + suffix, zipfile.ZIP_DEFLATED))
        documents = _document_files(paths.documents)
        manifest = {
            "format": FORMAT,
            "app": "LetterDesk",
            "created": now.isoformat(timespec="seconds"),
            "number": number,
            "counts": counts,
            "reason": reason,
            "database": DATABASE_NAME if snapshot is not None else None,
            "documents": [{"name": name, "size": size} for _, name, size in documents],
        }
        with atomic_write(final) as raw, zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
            for source, name, method in members:
                archive.write(source, name, compress_type=method)
            for source, name, _size in documents:
                try:
                    archive.write(source, DOCUMENTS_PREFIX + name, zipfile.ZIP_STORED)
                except FileNotFoundError:  # deleted while we were copying
                    log.info("Document %s went away during the backup", name)
    finally:
        try:
            shutil.rmtree(staging)
        except OSError as exc:  # removed at the next start (clean_leftovers)
            log.warning("Could not remove the snapshot folder %s: %s", staging, exc)
    info = parse_backup_name(final, final.stat().st_size)
    assert info is not None
    log.info("Backed up the data folder to %s (%s)", final.name, reason)
    prune(paths, now)
    return info


def _content_counts(database: Path) -> dict[str, int]:
    """How much a snapshot holds, so a backup can be told apart by its
    content and not only its date ("2 mentors" against "32")."""
    conn = sqlite3.connect(database)
    try:
        return {
            "mentors": conn.execute("SELECT count(*) FROM mentor").fetchone()[0],
            "requests": conn.execute("SELECT count(*) FROM letter_request").fetchone()[0],
        }
    except sqlite3.Error:
        return {}
    finally:
        conn.close()


def backup_counts(backup: Path) -> dict[str, int]:
    """The mentors and letter requests a backup holds, from its manifest
    (empty for an older backup or a database-only copy)."""
    if backup.suffix != ".zip":
        return {}
    try:
        with zipfile.ZipFile(backup) as archive:
            counts = json.loads(archive.read(MANIFEST)).get("counts", {})
    except (OSError, KeyError, ValueError, RecursionError, zipfile.BadZipFile, AttributeError):
        return {}
    if not isinstance(counts, dict):
        return {}
    return {k: v for k, v in counts.items() if isinstance(k, str) and type(v) is int}


def _document_files(folder: Path) -> list[tuple[Path, str, int]]:
    """(file, name inside the archive, size) for every finished document;
    half-written ``.part`` files are left out."""
    found: list[tuple[Path, str, int]] = []
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.name.endswith(_PART) or _is_swap_folder(path, folder):
            continue
        with contextlib.suppress(OSError):
            found.append((path, path.relative_to(folder).as_posix(), path.stat().st_size))
    return found


# --- checking ---------------------------------------------------------------


def quick_check(db: pw.Database) -> str | None:
    """``None`` when SQLite's quick check passes, else what it found."""
    try:
        rows = db.execute_sql("PRAGMA quick_check").fetchall()
    except (sqlite3.DatabaseError, pw.DatabaseError) as exc:
        return str(exc)
    found = [str(row[0]) for row in rows]
    return None if found == ["ok"] else "; ".join(found[:5])


def check_database_file(path: Path) -> str | None:
    """``None`` when ``path`` is a sound LetterDesk database this version
    can open; otherwise the problem. Read-only: ``immutable`` makes SQLite
    read the main file alone and write nothing next to it."""
    try:
        with path.open("rb") as handle:
            if handle.read(16) != b"SQLite format 3\x00":
                return "not an SQLite database"
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        finally:
            conn.close()
    except (OSError, sqlite3.DatabaseError) as exc:
        return str(exc)
    found = [str(row[0]) for row in rows]
    if found != ["ok"]:
        return "; ".join(found[:5])
    if app_id != migrations.APPLICATION_ID:
        return "not a LetterDesk database"
    if version > migrations.LATEST_VERSION:
        return f"written by a newer LetterDesk (data format {version})"
    return None


def verify(path: Path) -> Verification:
    """Check a backup without changing it: the archive's checksums and
    manifest, and ``PRAGMA integrity_check`` on a copy of its database."""
    try:
        with tempfile.TemporaryDirectory(prefix=".verify-", dir=path.parent) as scratch:
            database = _extract_database(path, Path(scratch) / DATABASE_NAME)
            problem = check_database_file(database)
    except BackupError as exc:
        return Verification(False, exc.user_message)
    except OSError as exc:
        return Verification(False, f"cannot be read ({exc.strerror or exc})")
    return Verification(problem is None, problem)


def newest_good_backup(paths: DataPaths) -> BackupInfo | None:
    """The newest backup that passes ``verify`` (checked newest first)."""
    for backup in list_backups(paths):
        result = verify(backup.path)
        if result.ok:
            return backup
        log.warning("Backup %s is not usable: %s", backup.path.name, result.problem)
    return None


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError, RecursionError) as exc:  # RecursionError: "[[[[…"
        raise BackupError("it has no readable list of contents") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("it was made in a format this LetterDesk does not know")
    documents = manifest.get("documents", [])
    if not isinstance(documents, list) or not all(
        isinstance(d, dict) and isinstance(d.get("name"), str) and type(d.get("size")) is int
        for d in documents
    ):
        raise BackupError("its list of contents is damaged (the documents are not listed right)")
    return manifest


def _extract_database(backup: Path, target: Path) -> Path:
    """Write the backup's database to ``target`` (flushed to disk) after
    checking the archive is complete; raises ``BackupError``."""
    if backup.suffix == ".sqlite3":
        with backup.open("rb") as source, atomic_write(target) as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
        return target
    try:
        with zipfile.ZipFile(backup) as archive:
            manifest = _read_manifest(archive)
            bad = archive.testzip()
            if bad is not None:
                raise BackupError(f"its copy of {bad} is damaged")
            names = set(archive.namelist())
            if manifest.get("database") != DATABASE_NAME or DATABASE_NAME not in names:
                raise BackupError("it holds no usable database (it is a copy of a damaged file)")
            for entry in manifest.get("documents", []):
                info = archive.getinfo(DOCUMENTS_PREFIX + entry["name"])
                if info.file_size != entry["size"]:
                    raise BackupError(f"its copy of {entry['name']} is incomplete")
            with archive.open(DATABASE_NAME) as source, atomic_write(target) as out:
                shutil.copyfileobj(source, out, 1024 * 1024)
    except (zipfile.BadZipFile, KeyError, zipfile.LargeZipFile, EOFError) as exc:
        raise BackupError(f"it is not a complete backup ({exc})") from exc
    return target


# --- restoring -------------------------------------------------------------


def restore(paths: DataPaths, backup: Path, *, current_damaged: bool = False) -> BackupInfo:
    """Replace the data folder's database (and documents, when the backup
    has them) with ``backup``. Every connection to the database must be
    closed. The current state is backed up first; that backup is returned.
    Raises ``BackupError`` (nothing changed) when the backup is unusable.
    """
    recover_interrupted_restore(paths)
    db_new = paths.root / _DB_RESTORING
    docs_new = _documents_places(paths).new
    db_incoming = paths.root / _DB_INCOMING
    try:
        _extract_database(backup, db_incoming)
        if (problem := check_database_file(db_incoming)) is not None:
            raise BackupError(f"its database is not usable ({problem})")
        try:  # only its rows come in, into a file made by our own schema
            rebuild(db_incoming, db_new)
        except RebuildError as exc:
            raise BackupError(exc.user_message) from exc
        db_incoming.unlink()
        with_documents = backup.suffix == ".zip"
        if with_documents:
            _extract_documents(backup, docs_new)
        _hold_unsent(paths, db_new)
        before = backup_closed_database(paths, "before-restore", damaged=current_damaged)
        _write_marker(paths, {"documents": with_documents, "backup": backup.name})
    except OSError as exc:
        _remove_prepared(paths)
        raise BackupError(f"the data folder could not be prepared ({exc.strerror or exc})") from exc
    except BaseException:
        _remove_prepared(paths)
        raise
    # The point of no return: from here a failure is finished on the next start.
    try:
        _finish_restore(paths)
    except OSError as exc:
        log.error("Restore of %s stopped after the swap began: %s", backup.name, exc)
        raise RestoreUnfinished(exc.strerror or str(exc), before) from exc
    log.info("Restored %s (the previous state is in %s)", backup.name, before.path.name)
    return before


def _hold_unsent(paths: DataPaths, db_new: Path) -> None:
    """Nothing in the restored copy goes out by itself: what the current file
    records as sent joins the ledger (which the restore leaves in place), and
    the copy's waiting emails become held."""
    ledger = sent_ledger.ledger_for(paths.root)
    sent_ledger.add_ids(ledger, restored.sent_message_ids(paths.database))
    held = restored.hold_unsent_emails(db_new, set(sent_ledger.read_ids(ledger)))
    if held:
        log.info("%d email(s) in the restored copy are held for the user", held)


@dataclass(frozen=True)
class _DocumentPlaces:
    """Where the documents are swapped. ``live`` is the real folder: when
    documents/ is a link, the folder it points at (the link itself stays);
    when it is a mount point, which cannot be renamed, the swap happens
    inside it, one entry at a time."""

    live: Path
    new: Path
    old: Path
    inside: bool


_INSIDE_NEW = ".letterdesk-restoring"
_INSIDE_OLD = ".letterdesk-replaced"


def _documents_places(paths: DataPaths) -> _DocumentPlaces:
    live = paths.documents
    if live.is_symlink():
        live = live.resolve()
    if live.is_dir() and os.path.ismount(live):
        return _DocumentPlaces(live, live / _INSIDE_NEW, live / _INSIDE_OLD, True)
    new = live.with_name(live.name + ".restoring")
    old = live.with_name(live.name + ".replaced")
    return _DocumentPlaces(live, new, old, False)


def _is_swap_folder(path: Path, folder: Path) -> bool:
    """A file inside a restore's own folders within a mounted documents
    folder (``_swap_inside``): never a document."""
    first = path.relative_to(folder).parts[0]
    return first in (_INSIDE_NEW, _INSIDE_OLD)


def _remove_tree(path: Path) -> None:
    """Remove a folder (or a link or file in its place); failures raise."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


def _extract_documents(backup: Path, target: Path) -> None:
    _remove_tree(target)
    target.mkdir(mode=0o700)
    with zipfile.ZipFile(backup) as archive:
        for info in archive.infolist():
            if not info.filename.startswith(DOCUMENTS_PREFIX) or info.is_dir():
                continue
            relative = Path(info.filename[len(DOCUMENTS_PREFIX) :])
            # Names come from our own manifest, but a tampered archive must
            # not write outside the folder.
            if relative.is_absolute() or ".." in relative.parts or not relative.parts:
                raise BackupError(f"it names a document outside its folder ({info.filename})")
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with archive.open(info) as source, atomic_write(destination) as out:
                shutil.copyfileobj(source, out, 1024 * 1024)


def clean_leftovers(paths: DataPaths) -> list[Path]:
    """Remove what a run killed half-way left behind (only names LetterDesk's
    own temporary files and folders have; the instance lock is held, so
    nothing is writing them now). Returns what was removed."""
    patterns = [
        (paths.backups, f"*{_PART}"),  # half-written backups
        (paths.backups, ".snapshot-*"),  # a backup's staging folder, with a database copy
        (paths.backups, ".verify-*"),
        (paths.root, ".export-*"),  # exports before their snapshot moved next to the target
        (paths.root, f".{_RESTORE_MARKER}.*{_PART}"),  # the marker, half-written
        (paths.root, f"{_RESTORE_MARKER}{_PART}"),  # (as older versions named it)
        (paths.documents, f".*{_PART}"),  # a document being copied in
    ]
    removed = []
    for folder, pattern in patterns:
        for leftover in folder.glob(pattern) if folder.is_dir() else ():
            try:
                _remove_tree(leftover)
            except OSError as exc:
                log.warning("Could not remove the leftover %s: %s", leftover, exc)
                continue
            removed.append(leftover)
    # An upgrade copy cut short by a crash (before copies were written under
    # a temporary name): empty, so never a backup.
    for copy in paths.backups.glob("before-format-*.sqlite3") if paths.backups.is_dir() else ():
        with contextlib.suppress(OSError):
            if copy.stat().st_size == 0:
                copy.unlink()
                removed.append(copy)
    if removed:
        log.info("Removed %d leftover(s) of an interrupted run", len(removed))
    return removed


def recover_interrupted_restore(paths: DataPaths) -> bool:
    """Finish a restore that was interrupted after its point of no return,
    or clear what an earlier interrupted one prepared. Also removes what an
    interrupted run left behind (``clean_leftovers``). True when a restore
    was finished here."""
    clean_leftovers(paths)
    if (paths.root / _RESTORE_MARKER).exists():
        log.warning("Finishing a restore that was interrupted")
        _finish_restore(paths)
        return True
    _remove_prepared(paths)
    return False


def _finish_restore(paths: DataPaths) -> None:
    """Roll forward; every step is safe to repeat after a crash."""
    marker = paths.root / _RESTORE_MARKER
    try:
        plan = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        plan = {"documents": _documents_places(paths).new.exists()}
    db_new = paths.root / _DB_RESTORING
    if db_new.exists():
        # The old file's log belongs to the old file: left next to the new
        # one, SQLite would replay it into the wrong database.
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                paths.database.with_name(DATABASE_NAME + suffix).unlink()
        os.replace(db_new, paths.database)
        os.chmod(paths.database, 0o600)
    places = _documents_places(paths)
    if plan.get("documents") and places.new.exists():
        if places.inside:
            _swap_inside(places)
        else:
            if places.live.exists():
                _remove_tree(places.old)
                os.replace(places.live, places.old)
            os.replace(places.new, places.live)
            fsync_folder(places.live.parent)
    try:
        _remove_tree(places.old)
    except OSError as exc:  # the restore is complete; the next start tries again
        log.error("Could not remove the replaced documents %s: %s", places.old, exc)
    fsync_folder(paths.root)
    marker.unlink(missing_ok=True)
    fsync_folder(paths.root)


def _remove_prepared(paths: DataPaths) -> None:
    for prepared in (_DB_RESTORING, _DB_INCOMING):
        with contextlib.suppress(FileNotFoundError):
            (paths.root / prepared).unlink()
    _remove_tree(paths.root / f"{_DB_RESTORING}.scratch")
    # atomic_write's temporary file, when a crash stopped it half-way
    for half_written in [
        *paths.root.glob(f".{_DB_RESTORING}.*{_PART}"),
        *paths.root.glob(f".{_DB_INCOMING}.*{_PART}"),
    ]:
        with contextlib.suppress(OSError):
            half_written.unlink()
    places = _documents_places(paths)
    if places.inside and places.old.exists():  # stopped mid-swap before the marker: undo
        for child in list(places.old.iterdir()):
            os.replace(child, places.live / child.name)
    _remove_tree(places.new)
    _remove_tree(places.old)


def _swap_inside(places: _DocumentPlaces) -> None:
    """The documents folder is a mount point: move its entries aside, then
    the restored ones in. Each move is repeatable after a crash: the old
    entries are all aside before the first new one comes in (``old`` is
    made first and holds a note when that phase is over)."""
    done = places.old / ".moved-aside"
    if not done.exists():
        places.old.mkdir(mode=0o700, exist_ok=True)
        for child in list(places.live.iterdir()):
            if child.name not in (_INSIDE_NEW, _INSIDE_OLD):
                os.replace(child, places.old / child.name)
        done.touch()
        fsync_folder(places.old)
    for child in list(places.new.iterdir()):
        os.replace(child, places.live / child.name)
    places.new.rmdir()
    fsync_folder(places.live)


def _write_marker(paths: DataPaths, plan: dict) -> None:
    with atomic_write(paths.root / _RESTORE_MARKER) as out:
        out.write(json.dumps(plan).encode("utf-8"))

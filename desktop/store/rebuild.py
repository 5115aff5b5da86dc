"""Rebuilding a database that came from outside (a backup, an archive from
another computer) from its rows into a fresh file made by LetterDesk's own
schema.

Why rows and not the file: a file's checksums say it was not damaged on the
way, not that LetterDesk wrote it. Its schema may carry triggers that change
the next email (add a Cc, attach a local file), views, or tables nobody
asked for. Here only the tables and columns the models declare are read, each
value is checked against its model field (type, allowed values, empty or
not), and the rows are written into a new file that ``open_database``
created; nothing else of the old file survives.

A value the app would never have written refuses the whole file
(``RebuildError``), naming the table, row and column: guessing would bring
in a half-true copy.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path, PurePosixPath

import peewee as pw

from desktop.errors import UserError

from . import migrations
from .database import open_database, schema_version
from .errors import DatabaseOpenError
from .mail_account import PENDING_KEY, SETTING_KEY
from .models import ALL_MODELS, Document, Setting, database_proxy

log = logging.getLogger(__name__)
_BATCH = 500


class RebuildError(UserError):
    """The database holds something LetterDesk would never write."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_date(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_moment(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _checker(field: pw.Field) -> Callable[[object], bool]:
    """What a stored value of ``field`` must look like."""
    if isinstance(field, pw.BooleanField):
        return lambda value: value in (0, 1)
    if isinstance(field, pw.DateTimeField):
        return _is_moment
    if isinstance(field, pw.DateField):
        return _is_date
    if isinstance(field, pw.ForeignKeyField | pw.IntegerField | pw.AutoField):
        return _is_int
    if isinstance(field, pw.CharField | pw.TextField):
        choices = {c[0] for c in field.choices} if field.choices else None
        if choices is not None:
            return lambda value: value in choices
        return lambda value: isinstance(value, str)
    raise TypeError(f"no check for {type(field).__name__}")  # a new field type: add one


def _plain_file_name(name: object) -> bool:
    text = str(name)
    return (
        bool(text)
        and PurePosixPath(text).name == text
        and text not in (".", "..")
        and ("\\" not in text and "\x00" not in text)
    )


# Per-model checks beyond the field types.
_EXTRA: dict[type[pw.Model], Callable[[dict[str, object]], str | None]] = {
    Document: lambda row: None if _plain_file_name(row["stored_name"]) else "stored_name",
}


def _source_tables(conn: sqlite3.Connection) -> dict[str, set[str]]:
    tables = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')}
        tables[str(name)] = columns
    return tables


def _copy_table(
    source: sqlite3.Connection, target: sqlite3.Connection, model: type[pw.Model], have: set[str]
) -> int:
    meta = model._meta
    table = meta.table_name
    fields = [f for f in meta.sorted_fields if f.column_name in have]
    missing = [f for f in meta.sorted_fields if f.column_name not in have]
    if any(not f.null and f.default is None for f in missing):
        raise RebuildError(f"its table {table} lacks columns LetterDesk needs")
    columns = [f.column_name for f in fields]
    checks = [(f, _checker(f)) for f in fields]
    extra = _EXTRA.get(model)
    quoted = ", ".join(f'"{c}"' for c in columns)
    insert = f'INSERT INTO "{table}" ({quoted}) VALUES ({", ".join("?" * len(columns))})'
    copied = 0
    cursor = source.execute(f'SELECT {quoted} FROM "{table}"')
    while rows := cursor.fetchmany(_BATCH):
        for row in rows:
            for (field, check), value in zip(checks, row, strict=True):
                if value is None:
                    ok = field.null or isinstance(field, pw.AutoField)
                else:
                    ok = check(value)
                if not ok:
                    raise RebuildError(
                        f"its table {table} holds a value LetterDesk does not accept "
                        f"(row {row[0]!r}, column {field.column_name})"
                    )
            if extra is not None and (bad := extra(dict(zip(columns, row, strict=True)))):
                raise RebuildError(
                    f"its table {table} holds a value LetterDesk does not accept "
                    f"(row {row[0]!r}, column {bad})"
                )
        target.executemany(insert, rows)
        copied += len(rows)
    return copied


def _upgraded_copy(source: Path, scratch: Path) -> Path:
    """A copy of ``source`` at the current format (an older backup is
    upgraded, on the copy, by the app's own migrations)."""
    copy = scratch / "upgraded.sqlite3"
    shutil.copyfile(source, copy)
    db = open_database(copy, scratch / "upgrade-backups")
    try:
        if schema_version(db) != migrations.LATEST_VERSION:
            raise RebuildError("its database could not be brought up to date")
    finally:
        db.close()
    return copy


def rebuild(source: Path, target: Path) -> dict[str, int]:
    """Write a fresh database at ``target`` (which must not exist) holding
    ``source``'s rows. Returns the number of rows per table. The models are
    left bound as they were. Raises ``RebuildError``."""
    previous = database_proxy.obj
    scratch = target.with_name(target.name + ".scratch")
    if scratch.exists():  # left by a crash
        shutil.rmtree(scratch)
    scratch.mkdir(mode=0o700)
    try:
        try:
            upgraded = _upgraded_copy(source, scratch)
            open_database(target, scratch / "target-backups").close()
        except DatabaseOpenError as exc:
            raise RebuildError(exc.user_message) from exc
        counts = _copy_rows(upgraded, target)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        shutil.rmtree(scratch)
        if previous is not None:
            database_proxy.initialize(previous)
    return counts


def _copy_rows(upgraded: Path, target: Path) -> dict[str, int]:
    source = sqlite3.connect(f"{upgraded.resolve().as_uri()}?mode=ro", uri=True)
    out = sqlite3.connect(target)
    counts: dict[str, int] = {}
    try:
        try:
            tables = _source_tables(source)
            out.execute("PRAGMA foreign_keys = OFF")  # rows come in any order; checked below
            with out:
                for model in ALL_MODELS:
                    table = model._meta.table_name
                    if table not in tables:
                        raise RebuildError(f"its database has no {table} table")
                    counts[table] = _copy_table(source, out, model, tables[table])
                _hold_imported_account(out)
            if out.execute("PRAGMA foreign_key_check").fetchone() is not None:
                raise RebuildError("its rows point at rows that do not exist")
        except sqlite3.IntegrityError as exc:
            raise RebuildError(f"its rows break LetterDesk's rules ({exc})") from exc
        except (sqlite3.DatabaseError, UnicodeDecodeError) as exc:
            raise RebuildError(f"its database cannot be read ({exc})") from exc
    finally:
        source.close()
        with contextlib.suppress(sqlite3.Error):
            out.close()
    return counts


def _hold_imported_account(out: sqlite3.Connection) -> None:
    """An email account that came with the file is kept aside until the
    user has seen it (``mail_account.pending_account_json``)."""
    table = Setting._meta.table_name
    out.execute(f'DELETE FROM "{table}" WHERE key = ?', (PENDING_KEY,))
    out.execute(f'UPDATE "{table}" SET key = ? WHERE key = ?', (PENDING_KEY, SETTING_KEY))

"""Documents: versions of the CV, personal statement, request form… copied
into the data folder's ``documents/``, with a checksum, and the record of
which version went to which writer.

Adding a file is two steps so the slow one can run off the GUI thread:
``DocumentLibrary.store_file`` copies it (no database), then
``DocumentLibrary.register`` records it (on the thread that owns the
database connection). ``add_version`` does both for callers that do not
care. A copy is written under a temporary name, flushed and renamed into
place (``desktop.files.atomic_write``), so the folder never holds a
half-written document; every refusal (missing file, folder, empty, too big,
disk full) removes what it wrote. The records are ``desktop.store.documents``'.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import mimetypes
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop.domain.vocabulary import DocumentKind
from desktop.errors import UserError
from desktop.files import atomic_write
from desktop.paths import DataPaths
from desktop.store import documents as store
from desktop.store.documents import (  # the records, for this module's callers
    DocumentGroup,
    DocumentVersion,
    NewVersion,
    ShareRecord,
    get_version,
    list_groups,
    record_shared,
    shares_for_document,
    shares_for_documents,
    shares_for_request,
)

__all__ = [
    "CheckResult",
    "DocumentGroup",
    "DocumentLibrary",
    "DocumentRefused",
    "DocumentSharedError",
    "DocumentVersion",
    "ShareRecord",
    "StoredFile",
    "attachable_versions",
    "get_version",
    "human_size",
    "list_groups",
    "record_shared",
    "shares_for_document",
    "shares_for_documents",
    "shares_for_request",
]

log = logging.getLogger(__name__)

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
CHUNK_BYTES = 1024 * 1024

Progress = Callable[[int, int], None]  # bytes copied, bytes in all


_NAME_BREAKS = "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


class DocumentRefused(UserError):
    """A document was not added, deleted or checked; ``user_message`` says
    why in words the user can act on. Nothing was left half-done."""


class DocumentSharedError(DocumentRefused):
    """The version was sent to a writer, so it stays as the record of what
    they received."""

    def __init__(self, user_message: str, shares: list[ShareRecord]) -> None:
        super().__init__(user_message)
        self.shares = shares


@dataclass(frozen=True, slots=True)
class StoredFile:
    """A file copied into ``documents/`` but not yet recorded."""

    stored_name: str
    original_name: str
    mime_type: str
    size_bytes: int
    sha256: str


@dataclass(frozen=True, slots=True)
class CheckResult:
    ok: bool
    message: str


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _safe_suffix(name: str) -> str:
    """The original extension, lower-cased and reduced to letters and digits,
    so the stored name opens with the right program but cannot carry path
    separators or odd characters."""
    suffix = Path(name).suffix.lower()
    cleaned = re.sub(r"[^a-z0-9]", "", suffix)[:10]
    return f".{cleaned}" if cleaned else ""


def _disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


class DocumentLibrary:
    """The documents folder and its records. Queries that need no files
    (listing, shares) are ``desktop.store.documents``' (also named here)."""

    def __init__(self, paths: DataPaths) -> None:
        self.folder = paths.documents

    # --- adding -------------------------------------------------------------

    def store_file(
        self, source: str | os.PathLike[str], progress: Progress | None = None
    ) -> StoredFile:
        """Copy ``source`` into the documents folder under a new unique name,
        computing its size and SHA-256 on the way. Safe to run on a worker
        thread (no database)."""
        source = Path(source)
        shown = source.name or str(source)
        try:
            info = source.stat()
        except FileNotFoundError:
            raise DocumentRefused(
                f"The file “{shown}” was not found. It may have been moved or renamed; "
                "choose it again."
            ) from None
        except OSError as exc:
            raise DocumentRefused(f"The file “{shown}” cannot be read ({exc.strerror}).") from exc
        if source.is_dir():
            raise DocumentRefused(f"“{shown}” is a folder. Choose a file inside it instead.")
        if any(ch in source.name for ch in _NAME_BREAKS) or not source.name.isprintable():
            # The name becomes an attachment's file name in an email header,
            # where a line break is refused: say so now, not at send time.
            raise DocumentRefused(
                f"The file name “{shown.encode('unicode_escape').decode()}” contains a line "
                "break or another control character, which an email attachment cannot "
                "have. Rename the file, then add it again."
            )
        if info.st_size == 0:
            raise DocumentRefused(
                f"The file “{shown}” is empty (0 bytes), so there is nothing to keep. "
                "Check that it was saved completely."
            )
        if info.st_size > MAX_DOCUMENT_BYTES:
            raise self._too_big(shown, info.st_size)

        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stored_name = self._new_name(source.name)
        final = self.folder / stored_name
        digest = hashlib.sha256()
        copied = 0
        try:
            reader = source.open("rb")
        except OSError as exc:
            raise DocumentRefused(
                f"The file “{shown}” cannot be read ({exc.strerror}). Check that you "
                "may open it and that it is not locked by another program."
            ) from exc
        try:
            with reader, atomic_write(final) as writer:
                while chunk := reader.read(CHUNK_BYTES):
                    copied += len(chunk)
                    if copied > MAX_DOCUMENT_BYTES:  # it grew while we read
                        raise self._too_big(shown, copied)
                    digest.update(chunk)
                    writer.write(chunk)
                    if progress is not None:
                        progress(copied, max(info.st_size, copied))
                if copied == 0:
                    raise DocumentRefused(f"The file “{shown}” is empty (0 bytes).")
                if final.exists():  # never overwrite, even against the odds
                    raise DocumentRefused("A stored document already has that name; try again.")
        except OSError as exc:
            if _disk_full(exc):
                raise DocumentRefused(
                    f"The disk holding your LetterDesk data is full, so “{shown}” was not "
                    "added and nothing was kept of it. Free some space and try again."
                ) from exc
            raise DocumentRefused(
                f"“{shown}” could not be copied into the documents folder ({exc.strerror})."
            ) from exc
        mime = mimetypes.guess_type(source.name)[0] or "application/octet-stream"
        return StoredFile(stored_name, source.name, mime, copied, digest.hexdigest())

    def register(
        self,
        stored: StoredFile,
        *,
        kind: DocumentKind | str,
        title: str,
        version_label: str = "",
        notes: str = "",
    ) -> int:
        """Record a stored file as a version of the document ``title``."""
        kind = DocumentKind(kind)
        title = " ".join(title.split())
        if not title:
            raise DocumentRefused("Give the document a title, such as “CV”.")
        existing = store.kind_of_title(title)
        if existing is not None and existing is not kind:
            raise DocumentRefused(
                f"A document titled “{title}” already exists as another kind. Add a new "
                "version of it, or choose another title."
            )
        label = version_label.strip() or f"v{store.count_versions(title) + 1}"
        return store.add_version(
            NewVersion(
                kind=kind,
                title=title,
                version_label=label,
                stored_name=stored.stored_name,
                original_name=stored.original_name,
                mime_type=stored.mime_type,
                size_bytes=stored.size_bytes,
                sha256=stored.sha256,
                notes=notes.strip(),
            )
        )

    def discard(self, stored: StoredFile) -> None:
        """Remove a stored file that was never recorded (registering failed)."""
        (self.folder / stored.stored_name).unlink(missing_ok=True)

    def add_version(
        self,
        source: str | os.PathLike[str],
        *,
        kind: DocumentKind | str,
        title: str,
        version_label: str = "",
        notes: str = "",
        progress: Progress | None = None,
    ) -> int:
        """Copy and record in one go; the copy is removed if recording fails."""
        stored = self.store_file(source, progress)
        try:
            return self.register(
                stored, kind=kind, title=title, version_label=version_label, notes=notes
            )
        except BaseException:
            self.discard(stored)
            raise

    def _new_name(self, original: str) -> str:
        suffix = _safe_suffix(original)
        while True:
            name = f"{uuid.uuid4().hex}{suffix}"
            # A random name cannot collide in practice; the folder check (and
            # the database's unique index) make sure it never overwrites.
            if not (self.folder / name).exists():
                return name

    @staticmethod
    def _too_big(shown: str, size: int) -> DocumentRefused:
        return DocumentRefused(
            f"“{shown}” is {human_size(size)}; documents over "
            f"{MAX_DOCUMENT_BYTES // (1024 * 1024)} MB are refused (no email server would "
            "take them). Save a smaller PDF and add that."
        )

    # --- files ----------------------------------------------------------------

    def path_of(self, document: DocumentVersion | int) -> Path:
        if isinstance(document, int):
            document = get_version(document)
        return self.folder / document.stored_name

    def check(self, document_id: int) -> CheckResult:
        """Compare the stored file with the checksum taken when it was added."""
        document = get_version(document_id)
        path = self.path_of(document)
        name = f"{document.title} {document.version_label}".strip()
        digest = hashlib.sha256()
        try:
            with path.open("rb") as reader:
                while chunk := reader.read(CHUNK_BYTES):
                    digest.update(chunk)
        except FileNotFoundError:
            return CheckResult(
                False,
                f"The file of “{name}” is missing from the documents folder. Add the "
                "document again as a new version.",
            )
        except OSError as exc:
            return CheckResult(False, f"The file of “{name}” cannot be read ({exc.strerror}).")
        if digest.hexdigest() != document.sha256:
            return CheckResult(
                False,
                f"The file of “{name}” has changed since it was added (its checksum no "
                "longer matches), so it may not be what writers received. Add the "
                "version you mean to send again.",
            )
        return CheckResult(True, f"“{name}” is intact (checksum matches).")

    # --- deleting ---------------------------------------------------------------

    def delete_version(self, document_id: int) -> None:
        """Delete one version and its file; refused when it was sent to a
        writer, because it is the record of what they received."""
        shares = shares_for_document(document_id)
        if shares:
            writers = sorted({share.mentor_name for share in shares})
            raise DocumentSharedError(
                f"This version was sent to {', '.join(writers)}, so it is kept as the "
                "record of what they received. Keep it and add a newer version instead; "
                "the newest version is listed first.",
                shares,
            )
        path = self.path_of(document_id)
        store.delete_version(document_id)
        try:
            path.unlink(missing_ok=True)
        except OSError:  # the record is gone; a stray file is harmless
            log.warning("Could not remove %s", path, exc_info=True)


# --- for the compose window ----------------------------------------------------------


def attachable_versions() -> list[DocumentVersion]:
    """For the compose window: the newest version of every document first
    (in kind order), then the older versions."""
    groups = list_groups()
    latest = [group.latest for group in groups]
    older = [version for group in groups for version in group.versions[1:]]
    return latest + older

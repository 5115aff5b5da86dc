"""Document versions and the record of which version went to which writer.

The files themselves live in the data folder's ``documents/`` and are
handled by ``desktop.services.documents``; this module holds their records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from desktop.domain.people import mentor_display_name
from desktop.domain.vocabulary import DocumentKind

from .models import Document, LetterRequest, Mentor, SharedDocument, database_proxy, utc_now
from .today import fk_id_or_none


@dataclass(frozen=True, slots=True)
class DocumentVersion:
    id: int
    kind: DocumentKind
    title: str
    version_label: str
    stored_name: str
    original_name: str
    mime_type: str
    size_bytes: int
    sha256: str
    added_at: datetime  # UTC, naive (as stored)
    notes: str
    share_count: int

    @property
    def short_checksum(self) -> str:
        return self.sha256[:12]


@dataclass(frozen=True, slots=True)
class DocumentGroup:
    """All versions of one document (same title and kind), newest first."""

    title: str
    kind: DocumentKind
    versions: list[DocumentVersion]

    @property
    def latest(self) -> DocumentVersion:
        return self.versions[0]


@dataclass(frozen=True, slots=True)
class ShareRecord:
    id: int
    document_id: int
    title: str
    version_label: str
    mentor_id: int
    mentor_name: str
    request_id: int | None
    email_id: int | None
    shared_at: datetime  # UTC, naive


@dataclass(frozen=True, slots=True)
class NewVersion:
    """What recording a stored file needs (its checks are the caller's)."""

    kind: DocumentKind
    title: str
    version_label: str
    stored_name: str
    original_name: str
    mime_type: str
    size_bytes: int
    sha256: str
    notes: str = ""


# --- versions ----------------------------------------------------------------------


def kind_of_title(title: str) -> DocumentKind | None:
    """The kind of the document already called ``title``, if there is one."""
    existing = Document.select(Document.kind).where(Document.title == title).first()
    return None if existing is None else DocumentKind(existing.kind)


def count_versions(title: str) -> int:
    return Document.select().where(Document.title == title).count()


def add_version(version: NewVersion) -> int:
    row = Document.create(
        kind=version.kind.value,
        title=version.title,
        version_label=version.version_label,
        stored_name=version.stored_name,
        original_name=version.original_name,
        mime_type=version.mime_type,
        size_bytes=version.size_bytes,
        sha256=version.sha256,
        notes=version.notes,
        added_at=utc_now(),
    )
    return int(row.id)


def delete_version(document_id: int) -> None:
    with database_proxy.atomic():
        Document.delete_by_id(document_id)


def _version(row: Document, share_count: int) -> DocumentVersion:
    return DocumentVersion(
        id=int(row.id),
        kind=DocumentKind(row.kind),
        title=row.title,
        version_label=row.version_label,
        stored_name=row.stored_name,
        original_name=row.original_name,
        mime_type=row.mime_type,
        size_bytes=row.size_bytes,
        sha256=row.sha256,
        added_at=row.added_at,
        notes=row.notes,
        share_count=share_count,
    )


def get_version(document_id: int) -> DocumentVersion:
    """Raises ``Document.DoesNotExist`` for an id that is not there."""
    row = Document.get_by_id(document_id)
    return _version(row, SharedDocument.select().where(SharedDocument.document == row).count())


def list_groups() -> list[DocumentGroup]:
    """Documents grouped by title, in the order of the kinds (CV first),
    each with its versions newest first."""
    counts = {
        document_id: count
        for document_id, count in database_proxy.execute_sql(
            "SELECT document_id, count(*) FROM shared_document GROUP BY document_id"
        )
    }
    groups: dict[tuple[str, str], DocumentGroup] = {}
    query = Document.select().order_by(Document.added_at.desc(), Document.id.desc())
    for row in query:
        key = (row.kind, row.title)
        if key not in groups:
            groups[key] = DocumentGroup(row.title, DocumentKind(row.kind), [])
        groups[key].versions.append(_version(row, counts.get(row.id, 0)))
    order = {kind: position for position, kind in enumerate(DocumentKind)}
    return sorted(groups.values(), key=lambda g: (order[g.kind], g.title.casefold()))


# --- shares ------------------------------------------------------------------------


def record_shared(
    document_ids: Iterable[int],
    mentor_id: int,
    request_id: int | None = None,
    email_id: int | None = None,
    shared_at: datetime | None = None,
) -> list[int]:
    """Record that these versions went to this writer (all or nothing)."""
    when = shared_at or utc_now()
    with database_proxy.atomic():
        return [
            int(
                SharedDocument.create(
                    document=document_id,
                    mentor=mentor_id,
                    request=request_id,
                    email=email_id,
                    shared_at=when,
                ).id
            )
            for document_id in dict.fromkeys(document_ids)
        ]


def _shares(where: object) -> list[ShareRecord]:
    query = (
        SharedDocument.select(SharedDocument, Document, Mentor)
        .join(Document)
        .switch(SharedDocument)
        .join(Mentor)
        .where(where)
        .order_by(SharedDocument.shared_at.desc(), SharedDocument.id.desc())
    )
    return [
        ShareRecord(
            id=int(share.id),
            document_id=int(share.document.id),
            title=share.document.title,
            version_label=share.document.version_label,
            mentor_id=int(share.mentor.id),
            mentor_name=mentor_display_name(
                share.mentor.honorific,
                share.mentor.first_name,
                share.mentor.last_name,
                share.mentor.credentials,
            ),
            request_id=fk_id_or_none(share, "request"),
            email_id=fk_id_or_none(share, "email"),
            shared_at=share.shared_at,
        )
        for share in query
    ]


def shares_for_document(document_id: int) -> list[ShareRecord]:
    return _shares(SharedDocument.document == document_id)


def shares_for_documents(document_ids: Iterable[int]) -> list[ShareRecord]:
    return _shares(SharedDocument.document.in_(list(document_ids)))


def shares_for_request(request_id: int) -> list[ShareRecord]:
    LetterRequest.get_by_id(request_id)  # a clear DoesNotExist for a wrong id
    return _shares(SharedDocument.request == request_id)

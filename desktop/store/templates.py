"""The stored email templates: the user's texts for each purpose, the
built-in ones among them. The shipped default texts are read by
``desktop.services.mail.templates`` and handed in here."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from desktop.domain.vocabulary import TemplatePurpose

from .models import EmailTemplate, database_proxy, utc_now


@dataclass(frozen=True)
class TemplateRow:
    id: int
    purpose: str  # a TemplatePurpose value (kept as stored)
    name: str
    subject: str
    body: str
    is_builtin: bool
    updated_at: datetime


@dataclass(frozen=True)
class TemplateText:
    """A template's text without an id: what ships for one purpose."""

    purpose: TemplatePurpose
    name: str
    subject: str
    body: str


def _row(template: EmailTemplate) -> TemplateRow:
    return TemplateRow(
        id=int(template.id),
        purpose=template.purpose,
        name=template.name,
        subject=template.subject,
        body=template.body,
        is_builtin=bool(template.is_builtin),
        updated_at=template.updated_at,
    )


def list_templates() -> list[TemplateRow]:
    """Every template, in the order of the letter's life (ask … outcome)."""
    order = {purpose.value: number for number, purpose in enumerate(TemplatePurpose)}
    rows = [_row(template) for template in EmailTemplate.select()]
    return sorted(rows, key=lambda row: (order.get(row.purpose, 99), not row.is_builtin, row.id))


def get_template(template_id: int) -> TemplateRow | None:
    template = EmailTemplate.get_or_none(EmailTemplate.id == template_id)
    return _row(template) if template is not None else None


def add_missing_builtins(defaults: Iterable[TemplateText]) -> int:
    """Add the built-in template of each purpose that has none yet (the
    user's edits to one are kept). Returns how many were added."""
    added = 0
    with database_proxy.atomic():
        present = {
            row.purpose
            for row in EmailTemplate.select(EmailTemplate.purpose).where(EmailTemplate.is_builtin)
        }
        for default in defaults:
            if default.purpose.value not in present:
                EmailTemplate.create(
                    purpose=default.purpose.value,
                    name=default.name,
                    subject=default.subject,
                    body=default.body,
                    is_builtin=True,
                )
                added += 1
    return added


def restore_builtin(default: TemplateText) -> int:
    """Put ``default`` back into the built-in template of its purpose
    (creating it if it was deleted); returns its id."""
    with database_proxy.atomic():
        row = (
            EmailTemplate.select()
            .where((EmailTemplate.purpose == default.purpose.value) & EmailTemplate.is_builtin)
            .order_by(EmailTemplate.id)
            .first()
        )
        if row is None:
            row = EmailTemplate(purpose=default.purpose.value, is_builtin=True)
        row.name, row.subject, row.body = default.name, default.subject, default.body
        row.updated_at = utc_now()
        row.save()
    return int(row.id)


def save_template(template_id: int, subject: str, body: str) -> None:
    EmailTemplate.update(subject=subject, body=body, updated_at=utc_now()).where(
        EmailTemplate.id == template_id
    ).execute()

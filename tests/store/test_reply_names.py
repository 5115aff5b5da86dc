"""A reply names its writer the short way, as the email greeted them
(issue 12): "Dr. Lopez" for an MD without an honorific, over a real file."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.store import replies as reply_store
from desktop.store.models import Mentor, Reply


def _reply_from(mentor: Mentor | None, message_id: str, from_name: str = "") -> None:
    Reply.create(
        message_id=message_id, from_address="writer@hospital.example", from_name=from_name,
        subject="Re: letter", received_at=datetime(2026, 11, 30, 9, tzinfo=UTC),
        matched_by="sender", mentor=mentor,
    )  # fmt: skip


def test_a_reply_from_an_md_without_honorific_reads_dr(db):
    lopez = Mentor.create(
        first_name="Maria", last_name="Lopez", credentials="M.D.", category="clinical_supervisor",
        email="writer@hospital.example",
    )  # fmt: skip
    nurse = Mentor.create(
        first_name="Ingrid", last_name="Sørensen", credentials="RN, BSN",
        category="clinical_supervisor", email="nurse@hospital.example",
    )  # fmt: skip
    _reply_from(lopez, "<a@x>")
    _reply_from(nurse, "<b@x>")
    _reply_from(None, "<c@x>", from_name="Someone Else")

    names = {row.message_id: row.mentor_name for row in reply_store.waiting_replies()}
    assert names == {"<a@x>": "Dr. Lopez", "<b@x>": "Ingrid Sørensen", "<c@x>": "Someone Else"}

"""Who a new email is for: the writer of the request, or the mentor's
latest request, addressed with a name that cannot break the To line."""

from __future__ import annotations

from desktop.services.mail.recipients import (
    ComposeTarget,
    compose_target,
    recipient_for,
    recipient_line,
)
from desktop.store.models import Cycle, Mentor
from desktop.store.outbox import WriterContact
from desktop.store.requests import RequestFields, create_request


def _mentor(**values) -> int:
    values.setdefault("category", "clinical_supervisor")
    return int(Mentor.create(**values).id)


def _request(mentor_id: int) -> int:
    cycle = Cycle.create(service="eras_residency", name="ERAS 2027", max_letters_per_program=4)
    return create_request(RequestFields(mentor_id=mentor_id, cycle_id=cycle.id))


def test_a_request_brings_its_writer_and_a_mentor_their_latest_request(db):
    okafor = _mentor(last_name="Okafor", email="okafor@h.org")
    first, latest = _request(okafor), _request(okafor)
    assert compose_target(first, None) == ComposeTarget(first, okafor)
    assert compose_target(None, okafor) == ComposeTarget(latest, okafor)
    lone = _mentor(last_name="Lone")
    assert compose_target(None, lone) == ComposeTarget(None, lone)
    assert compose_target(None, None) == ComposeTarget(None, None)


def test_the_to_line_names_the_writer():
    contact = WriterContact("Dr.", "Amara", "Okafor", "amara@h.org")
    assert recipient_line(contact) == "Dr. Amara Okafor <amara@h.org>"
    assert recipient_line(WriterContact("", "", "", "x@h.org")) == "x@h.org"
    assert recipient_line(WriterContact("Dr.", "Amara", "Okafor", "")) == ""


def test_characters_that_would_split_the_address_are_taken_out_of_the_name():
    contact = WriterContact("", 'Ada, "The"', "Lovelace <x>;", "ada@h.org")
    line = recipient_line(contact)
    assert line.endswith(" <ada@h.org>")
    name = line[: -len(" <ada@h.org>")]
    assert not any(c in name for c in ',;<>"')


def test_recipient_for_a_mentor_reads_the_store(db):
    okafor = _mentor(honorific="Dr.", first_name="Amara", last_name="Okafor", email="a@h.org")
    assert recipient_for(okafor) == "Dr. Amara Okafor <a@h.org>"
    assert recipient_for(None) == ""
    assert recipient_for(okafor + 1000) == ""

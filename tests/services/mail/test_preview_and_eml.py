"""The compose window's preview HTML and the .eml export, without a window."""

from __future__ import annotations

import email
import email.policy

import pytest

from desktop.services.mail.account import SmtpAccount
from desktop.services.mail.eml import EmlNotSaved, eml_bytes, eml_file_name, save_eml
from desktop.services.mail.message import MessageError
from desktop.services.mail.preview import preview_html, sender_line
from desktop.store import outbox
from desktop.store.outbox import AttachmentRef, EmailFields

ACCOUNT = SmtpAccount(
    display_name="Zoë Ångström",
    address="zoe@example.org",
    host="smtp.example.org",
    port=465,
    security="ssl",
    username="zoe@example.org",
)


def test_the_preview_escapes_user_text_and_keeps_paragraphs():
    html = preview_html(
        [("From", "Zoë <zoe@example.org>"), ("Cc", ""), ("Subject", "A & <b>")],
        "Dear <Dr>,\nline two\n\n\nSecond & last",
    )
    assert "&lt;zoe@example.org&gt;" in html and "A &amp; &lt;b&gt;" in html
    assert "Cc" not in html  # empty rows are left out
    assert "<p>Dear &lt;Dr&gt;,<br>line two</p><p>Second &amp; last</p>" in html


def test_the_sender_line():
    assert sender_line(ACCOUNT) == "Zoë Ångström <zoe@example.org>"
    assert sender_line(None) is None


def test_eml_file_name_comes_from_the_subject():
    assert eml_file_name("Letter: résumé / CV?") == "Letter résumé  CV.eml"
    assert eml_file_name("???") == "email.eml"
    assert len(eml_file_name("x" * 200)) == 64


def test_a_draft_exports_with_a_fresh_message_id_and_the_outbox_keeps_none(db, tmp_path):
    email_id = outbox.create_draft(
        EmailFields("Dr. Okafor <okafor@h.org>", "Letter", "Dear Dr. Okafor,", "c@h.org")
    )
    data = eml_bytes(outbox.get_email(email_id), ACCOUNT, tmp_path)
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["To"].addresses[0].addr_spec == "okafor@h.org"
    assert message["Cc"].addresses[0].addr_spec == "c@h.org"
    assert message["Message-ID"].endswith("@example.org>")
    assert outbox.get_email(email_id).message_id is None  # saving is not sending

    target = tmp_path / "out" / "letter.eml"
    save_eml(data, target)
    assert target.read_bytes() == data
    assert [p.name for p in target.parent.iterdir()] == ["letter.eml"]


def test_a_queued_email_exports_with_its_own_message_id(db, tmp_path):
    email_id = outbox.create_draft(EmailFields("okafor@h.org", "Letter", "Body"))
    message_id = outbox.queue(email_id, domain="example.org")
    data = eml_bytes(outbox.get_email(email_id), ACCOUNT, tmp_path)
    assert email.message_from_bytes(data, policy=email.policy.default)["Message-ID"] == message_id


def test_a_missing_attachment_is_a_message_error(db, tmp_path):
    email_id = outbox.create_draft(
        EmailFields(
            "okafor@h.org", "Letter", "Body", attachments=(AttachmentRef("cv.pdf", document_id=99),)
        )
    )
    with pytest.raises(MessageError, match="no longer stored"):
        eml_bytes(outbox.get_email(email_id), ACCOUNT, tmp_path)


def test_an_unwritable_place_is_a_user_error_and_leaves_nothing(tmp_path):
    in_the_way = tmp_path / "not-a-folder"
    in_the_way.write_bytes(b"a file where the folder should be")
    with pytest.raises(EmlNotSaved, match="Could not save"):
        save_eml(b"data", in_the_way / "x.eml")
    assert [p.name for p in tmp_path.iterdir()] == ["not-a-folder"]

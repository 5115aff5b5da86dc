"""Reading the first 2 KiB of a message's text whatever its shape: cut
multipart bodies, cut base64, other charsets, HTML only, bad bytes."""

from __future__ import annotations

from email.message import EmailMessage

from desktop.services.mail.imap_messages import TEXT_BYTES, first_text, html_to_text, incoming


def _split(message: EmailMessage) -> tuple[bytes, bytes]:
    raw = message.as_bytes()
    head, _sep, body = raw.partition(b"\n\n")
    return head + b"\n", body


def test_a_multipart_cut_at_2_kib_still_gives_its_plain_text():
    message = EmailMessage()
    message["From"] = "a@b.example"
    message.set_content("Glad to help — send the CV.\n" + "x" * 5000)
    message.add_alternative("<p>Glad to help</p>" + "<p>y</p>" * 2000, subtype="html")
    head, body = _split(message)
    text = first_text(head, body[:TEXT_BYTES])
    assert text.startswith("Glad to help — send the CV.")


def test_cut_base64_and_koi8_r_decode():
    message = EmailMessage()
    message.set_content("Конечно, пришлите резюме. " * 200, charset="koi8-r", cte="base64")
    head, body = _split(message)
    assert first_text(head, body[:1001]).startswith("Конечно, пришлите резюме.")


def test_windows_1252_quoted_printable():
    message = EmailMessage()
    message.set_content("Sure — I’ll write it.", charset="windows-1252", cte="quoted-printable")
    head, body = _split(message)
    assert first_text(head, body) == "Sure — I’ll write it.\n"


def test_html_loses_tags_scripts_and_the_quoted_history():
    text = html_to_text(
        "<div>Yes&nbsp;&amp; gladly<br>Rosa</div><script>alert(1)</script>"
        "<blockquote>Dear Dr. Lopez</blockquote>"
    )
    assert "Yes\xa0& gladly\nRosa" in text and "alert" not in text and "Dear" not in text


def test_garbage_never_raises():
    assert first_text(b"Content-Type: text/plain; charset=no-such-charset\n", b"\xff\xfe ok") != ""
    message = incoming(3, b"From: =?bad?q?x?= <\xff@x>\nDate: not a date\n", b"\x00\x01")
    assert message.date is None and message.uid == 3

"""The mailto: URL handed to the user's mail app: every part survives."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlsplit

from desktop.services.mail.mailto import mailto_url
from desktop.store.outbox import EmailFields


def test_mailto_url_encodes_every_part():
    text = mailto_url(
        EmailFields(
            to_addrs="Dr. Amara Okafor <amara@lakeshore-hospital.org>; b@example-mail.org",
            cc_addrs="c@example-mail.org",
            subject="Letter & résumé? 100%",
            body="Dear Dr. Okafor,\n\nThank you & see you.",
        )
    )
    assert text.isascii() and " " not in text
    parts = urlsplit(text)
    assert parts.scheme == "mailto"
    assert unquote(parts.path) == "amara@lakeshore-hospital.org,b@example-mail.org"
    query = parse_qs(parts.query)
    assert query["cc"] == ["c@example-mail.org"]
    assert query["subject"] == ["Letter & résumé? 100%"]
    assert query["body"] == ["Dear Dr. Okafor,\r\n\r\nThank you & see you."]


def test_without_cc_there_is_no_cc_part():
    query = parse_qs(urlsplit(mailto_url(EmailFields("a@b.org", "Hi", "Body"))).query)
    assert set(query) == {"subject", "body"}

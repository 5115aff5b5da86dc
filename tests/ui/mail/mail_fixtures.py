"""Fixtures the compose and Outbox GUI tests share: the mail tests' real
SMTP server (STARTTLS + AUTH on 127.0.0.1, trustme CA), imported from
``tests/services/mail/conftest.py`` rather than copied, an account saved in Settings
with its password in the test keyring, and a planned letter request."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from desktop.domain.vocabulary import Service
from desktop.services import secrets
from desktop.services.mail.account import SmtpAccount, save_account
from desktop.store.models import Cycle
from desktop.store.requests import RequestFields, create_request
from tests.services.mail.conftest import ca_file, faults, server_cert, smtp_server, test_ca
from tests.services.mail.smtp_server import PASSWORD, USER, SmtpTestServer

__all__ = [
    "PASSWORD",
    "USER",
    "ca_file",
    "faults",
    "mail_account",
    "planned_request",
    "server_cert",
    "smtp_server",
    "test_ca",
]
MENTOR_EMAIL = "amara.okafor@lakeshore-hospital.org"


@pytest.fixture
def mail_account(db, smtp_server: SmtpTestServer, ca_file) -> SmtpAccount:
    """Settings → Email account filled in, the right password in the keyring."""
    account = smtp_server.account(ca_file)
    save_account(account)
    assert secrets.set_password(account.keyring_key, PASSWORD).ok
    return account


@pytest.fixture
def planned_request(db, make_mentor) -> int:
    """A planned narrative letter, waiver answered, due in 20 days: Today
    shows it as "short lead time" (ask now)."""
    cycle = Cycle.create(
        service=Service.ERAS_RESIDENCY.value, name="ERAS test", max_letters_per_program=4,
        opens_on=date.today() - timedelta(days=30), outcome_on=date.today() + timedelta(days=200),
    ).id  # fmt: skip
    mentor = make_mentor(
        "Okafor", honorific="Dr.", first_name="Amara", email=MENTOR_EMAIL, days_ago=2
    )
    fields = RequestFields(mentor, cycle, "narrative", "Internal Medicine", True)
    fields.due_on = date.today() + timedelta(days=20)
    return create_request(fields)

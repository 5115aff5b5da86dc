"""The hardening tests drive the real main window and its dialogs with the
same fixtures as the GUI tests, and send through the same real SMTP server
on 127.0.0.1 as the mail tests."""

from tests.services.mail.conftest import (  # noqa: F401 - fixtures, found by name
    account,
    ca_file,
    faults,
    rogue_cert,
    server_cert,
    smtp_server,
    test_ca,
)
from tests.ui.conftest import dialogs, page_context, window  # noqa: F401 - fixtures, found by name
from tests.ui.mail.mail_fixtures import mail_account  # noqa: F401 - a fixture

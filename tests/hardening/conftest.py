"""The hardening tests drive the real main window and its dialogs with the
same fixtures as the GUI tests."""

from tests.ui.conftest import dialogs, window  # noqa: F401 - fixtures, found by name

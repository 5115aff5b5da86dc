"""Checks against other programs that open LetterDesk's files (a real
LibreOffice, headless). They need Debian's ``libreoffice-calc-nogui`` (about
300 MB), so they run from ``make test-interop`` (which installs it and sets
``LETTERDESK_TEST_INTEROP=1``), not in the quick ``make test``."""

from __future__ import annotations

import os

if os.environ.get("LETTERDESK_TEST_INTEROP") != "1":
    collect_ignore_glob = ["test_*.py"]

"""The packaging tests build the bundle and install the .deb into this
machine, so they run only from ``make test-dist`` (which sets
``LETTERDESK_TEST_DIST=1``), never in the quick ``make test``."""

from __future__ import annotations

import os

if os.environ.get("LETTERDESK_TEST_DIST") != "1":
    # Not even imported: the quick suite should not pay for them.
    collect_ignore_glob = ["test_*.py"]

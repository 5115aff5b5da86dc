"""LetterDesk's tests, a package: every folder's modules import each other
as ``tests.<folder>.<module>`` (or relatively), so any folder runs alone
(``pytest tests/hardening``) without relying on another module having
changed ``sys.path`` first. tests/bench and tests/dist stay plain folders:
their scripts also run on their own (``make bench``, ``make test-dist``)."""

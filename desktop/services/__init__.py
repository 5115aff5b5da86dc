"""Services between the UI and the store: secrets (the OS keyring), the demo
data and, in later issues, mail, templates, documents and backups.

No Qt widgets here: long operations report progress by callback so they can
run on a worker thread and be tested without Qt.
"""

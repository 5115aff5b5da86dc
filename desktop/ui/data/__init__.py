"""Your data: the data and backups dialog, imports, exports, and restoring."""

from __future__ import annotations

from desktop.ui.common import lazy_exports

_PUBLIC = {
    "open_data_dialog": "data_dialog",
    "export_csv": "export_actions",
    "export_calendar": "export_actions",
    "export_archive": "export_actions",
    "import_archive": "export_actions",
    "import_mentors": "export_actions",
    "request_restore": "restore_flow",
    "pending_restore": "restore_flow",
    "run_restore": "restore_flow",
    "offer_restore_at_start": "restore_flow",
    "schedule_start_backup": "restore_flow",
    "schedule_integrity_check": "restore_flow",
}
__all__ = sorted(_PUBLIC)
__getattr__ = lazy_exports(__name__, _PUBLIC)

"""Letter requests: the list and board, the request dialogs, the decline flow."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.ui.common import PageContext, PageSpec, lazy_exports, register_page

_PUBLIC = {
    "RequestsPage": "requests_page",
    "ask_move_date": "move_dates",
    "move_undo_step": "move_dates",
    "moved_text": "move_dates",
    "perform_move": "decline_flow",
}
__all__ = sorted(_PUBLIC)
__getattr__ = lazy_exports(__name__, _PUBLIC)


def _build_requests(context: PageContext):
    from .requests_page import RequestsPage

    return RequestsPage(context)


register_page(PageSpec("requests", QT_TRANSLATE_NOOP("Pages", "Requests"), 30, _build_requests))

"""Today: the list of what to do next, its timeline, and the advice settings."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.ui.common import PageContext, PageSpec, lazy_exports, register_page

_PUBLIC = {
    "TodayPage": "today_page",
    "open_advice_settings": "settings_dialog",
}
__all__ = sorted(_PUBLIC)
__getattr__ = lazy_exports(__name__, _PUBLIC)


def _build_today(context: PageContext):
    from .today_page import TodayPage

    return TodayPage(context)


register_page(PageSpec("today", QT_TRANSLATE_NOOP("Pages", "Today"), 10, _build_today))

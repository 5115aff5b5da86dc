"""Mentors: the list, a mentor's detail and rapport log, the mentor and interaction dialogs."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.ui.common import PageContext, PageSpec, lazy_exports, register_page

_PUBLIC = {
    "MentorsPage": "mentors_page",
}
__all__ = sorted(_PUBLIC)
__getattr__ = lazy_exports(__name__, _PUBLIC)


def _build_mentors(context: PageContext):
    from .mentors_page import MentorsPage

    return MentorsPage(context)


register_page(PageSpec("mentors", QT_TRANSLATE_NOOP("Pages", "Mentors"), 20, _build_mentors))

"""Experiences: rotations, research and jobs, and the mentors met there."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.ui.common import PageContext, PageSpec, lazy_exports, register_page

_PUBLIC = {
    "ExperiencesPage": "experiences_page",
    "run_experience_dialog": "experience_dialog",
}
__all__ = sorted(_PUBLIC)
__getattr__ = lazy_exports(__name__, _PUBLIC)


def _build_experiences(context: PageContext):
    from .experiences_page import ExperiencesPage

    return ExperiencesPage(context)


register_page(
    PageSpec("experiences", QT_TRANSLATE_NOOP("Pages", "Experiences"), 50, _build_experiences)
)

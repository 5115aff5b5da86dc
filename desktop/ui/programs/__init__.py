"""Programs: the list, a program's detail and letter coverage, assigning letters."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.ui.common import PageContext, PageSpec, lazy_exports, register_page

_PUBLIC = {
    "ProgramsPage": "programs_page",
    "assign_programs_to_request": "assignment_dialog",
}
__all__ = sorted(_PUBLIC)
__getattr__ = lazy_exports(__name__, _PUBLIC)


def _build_programs(context: PageContext):
    from .programs_page import ProgramsPage

    return ProgramsPage(context)


register_page(PageSpec("programs", QT_TRANSLATE_NOOP("Pages", "Programs"), 40, _build_programs))

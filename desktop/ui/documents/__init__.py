"""Documents: CVs, personal statements and the rest, versioned, and who got which."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.ui.common import PageContext, PageSpec, lazy_exports, register_page

_PUBLIC = {
    "DocumentsPage": "documents_page",
}
__all__ = sorted(_PUBLIC)
__getattr__ = lazy_exports(__name__, _PUBLIC)


def _build_documents(context: PageContext):
    from .documents_page import DocumentsPage

    return DocumentsPage(context)


register_page(PageSpec("documents", QT_TRANSLATE_NOOP("Pages", "Documents"), 60, _build_documents))

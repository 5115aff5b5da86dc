"""Email: compose, attachments and the writer's summary, the Outbox and sending, the
scheduler, the email account, and the templates."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP

from desktop.ui.common import PageContext, PageSpec, lazy_exports, register_page

_PUBLIC = {
    "open_compose": "compose_dialog",
    "ComposeDialog": "compose_dialog",
    "open_account_settings": "account_dialog",
    "MailScheduler": "mail_scheduler",
    "ReplyWatch": "reply_watch",
    "ReplySignInNotice": "reply_watch",
    "OutboxPage": "outbox_page",
    "TemplatesPage": "templates_page",
}
__all__ = sorted(_PUBLIC)
__getattr__ = lazy_exports(__name__, _PUBLIC)


def _build_templates(context: PageContext):
    from .templates_page import TemplatesPage

    return TemplatesPage(context)


register_page(PageSpec("templates", QT_TRANSLATE_NOOP("Pages", "Templates"), 70, _build_templates))


def _build_outbox(context: PageContext):
    from .outbox_page import OutboxPage

    return OutboxPage(context)


register_page(PageSpec("outbox", QT_TRANSLATE_NOOP("Pages", "Outbox"), 80, _build_outbox))

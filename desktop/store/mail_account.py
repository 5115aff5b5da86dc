"""Where the SMTP account is kept: one JSON setting, never with a password
(``desktop.services.mail.account`` reads and checks what it says)."""

from __future__ import annotations

from .models import Setting, database_proxy

SETTING_KEY = "mail.account"


def stored_account_json() -> str | None:
    setting = Setting.get_or_none(Setting.key == SETTING_KEY)
    return None if setting is None else str(setting.value)


def store_account_json(text: str) -> None:
    with database_proxy.atomic():
        Setting.insert(key=SETTING_KEY, value=text).on_conflict_replace().execute()


def forget_stored_account() -> None:
    Setting.delete().where(Setting.key == SETTING_KEY).execute()


# --- OAuth2 client IDs the user entered under "Advanced" (not secrets) -----------

CLIENT_IDS_KEY = "mail.oauth_client_ids"


def stored_client_ids_json() -> str | None:
    setting = Setting.get_or_none(Setting.key == CLIENT_IDS_KEY)
    return None if setting is None else str(setting.value)


def store_client_ids_json(text: str) -> None:
    with database_proxy.atomic():
        Setting.insert(key=CLIENT_IDS_KEY, value=text).on_conflict_replace().execute()


# An account that came with a restored backup or an imported archive: kept
# under its own key (so nothing sends with it) until the user has seen it.
PENDING_KEY = "mail.account.imported"


def pending_account_json() -> str | None:
    setting = Setting.get_or_none(Setting.key == PENDING_KEY)
    return None if setting is None else str(setting.value)


def accept_pending_account() -> None:
    """The user saw the imported account and chose to use it."""
    with database_proxy.atomic():
        text = pending_account_json()
        if text is None:
            return
        Setting.insert(key=SETTING_KEY, value=text).on_conflict_replace().execute()
        Setting.delete().where(Setting.key == PENDING_KEY).execute()


def discard_pending_account() -> None:
    Setting.delete().where(Setting.key == PENDING_KEY).execute()

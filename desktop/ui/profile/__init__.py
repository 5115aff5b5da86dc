"""The applicant's profile and application cycles."""

from __future__ import annotations

from desktop.ui.common import lazy_exports

_PUBLIC = {
    "open_profile_and_cycles": "profile_dialog",
    "ProfileForm": "profile_forms",
    "CycleBasics": "profile_forms",
    "season_year": "profile_forms",
    "reserve_lines": "profile_forms",
}
__all__ = sorted(_PUBLIC)
__getattr__ = lazy_exports(__name__, _PUBLIC)

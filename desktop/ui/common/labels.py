"""Translated labels for the stored vocabularies."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QCoreApplication


def label_of(member: StrEnum) -> str:
    return QCoreApplication.translate("vocabulary", member.label)  # type: ignore[attr-defined]


def label_for(enum: type[StrEnum], value: str) -> str:
    try:
        return label_of(enum(value))
    except ValueError:
        return value


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """(label, value) pairs in declaration order, for combo boxes."""
    return [(label_of(member), member.value) for member in enum]

"""LetterDesk's light touch on the platform style.

Roles ("heading", "hint", "primary"…) are applied per widget with fonts,
palettes and small widget-local style sheets. An application-wide style
sheet would be simpler to write but makes Qt restyle every widget through
QStyleSheetStyle, which measurably slowed the first window (about 35 ms of
50 ms to build it on the demo data).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QIcon, QPalette
from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QWidget

ACCENT = "#2f6f9f"
ACCENT_DARK = "#275d85"
ERROR = "#b3261e"

_PRIMARY_BUTTON = f"""
QPushButton {{ background: {ACCENT}; color: white; border: 1px solid {ACCENT_DARK};
              border-radius: 4px; padding: 4px 12px; }}
QPushButton:hover {{ background: {ACCENT_DARK}; }}
QPushButton:disabled {{ background: palette(mid); border-color: palette(mid); }}
"""

_NAVIGATION = f"""
QListWidget {{ border: none; border-right: 1px solid palette(mid); outline: 0;
              background: palette(window); padding-top: 8px; }}
QListWidget::item {{ padding: 8px 12px; border-radius: 6px; margin: 1px 6px; }}
QListWidget::item:selected {{ background: {ACCENT}; color: white; }}
"""

_INVALID = f"border: 1px solid {ERROR}; border-radius: 3px;"

# role: (point size delta, bold, text colour or palette role, padding)
_LABEL_ROLES: dict[str, tuple[int, bool, str | None]] = {
    "heading": (5, True, None),
    "subheading": (2, True, None),
    "section": (1, True, None),
    "emphasis": (0, True, ACCENT),
    "hint": (0, False, "placeholder"),
    "empty-state": (2, False, "placeholder"),
    "field-error": (0, False, ERROR),
}


def set_role(widget: QWidget, role: str) -> None:
    """Give ``widget`` the look of ``role``; the role is also kept as a
    property so tests and accessibility tools can see it."""
    widget.setProperty("role", role)
    if isinstance(widget, QPushButton) and role == "primary":
        widget.setStyleSheet(_PRIMARY_BUTTON)
        return
    if not isinstance(widget, QLabel) or role not in _LABEL_ROLES:
        raise ValueError(f"no style role {role!r} for {type(widget).__name__}")
    size_delta, bold, colour = _LABEL_ROLES[role]
    font = QFont(widget.font())
    if size_delta:
        font.setPointSizeF(font.pointSizeF() + size_delta)
    font.setBold(bold)
    widget.setFont(font)
    if colour:
        palette = widget.palette()
        if colour == "placeholder":
            value = palette.color(QPalette.ColorRole.PlaceholderText)
        else:
            value = readable(colour, palette.color(QPalette.ColorRole.Window))
        palette.setColor(QPalette.ColorRole.WindowText, value)
        widget.setPalette(palette)
    if role == "empty-state":
        widget.setContentsMargins(40, 40, 40, 40)


def _luminance(colour: QColor) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio, from 1 (same) to 21 (black on white)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


# WCAG AA for body text.
TEXT_CONTRAST = 4.5


def readable(colour: QColor | str, background: QColor, minimum: float = TEXT_CONTRAST) -> QColor:
    """``colour`` (an accent such as the urgent red), lightened on a dark
    background or darkened on a light one until text in it reaches
    ``minimum`` contrast; its hue stays, so red still reads as red."""
    colour = QColor(colour)
    hue, saturation, lightness, alpha = colour.getHslF()
    towards_light = _luminance(background) < 0.18
    step = 0.02 if towards_light else -0.02
    candidate = QColor(colour)
    while contrast_ratio(candidate, background) < minimum and 0.0 < lightness < 1.0:
        lightness = min(1.0, max(0.0, lightness + step))
        candidate = QColor.fromHslF(hue if hue >= 0 else 0.0, saturation, lightness, alpha)
    return candidate


def set_text_colour(
    widget: QWidget,
    colour: QColor | str,
    background: QPalette.ColorRole = QPalette.ColorRole.Window,
) -> None:
    """Text of ``widget`` in ``colour``, made readable on the palette's
    ``background`` role (Window for labels, Base for cards and lists)."""
    palette = widget.palette()
    palette.setColor(QPalette.ColorRole.WindowText, readable(colour, palette.color(background)))
    widget.setPalette(palette)


def style_navigation(navigation: QListWidget) -> None:
    navigation.setStyleSheet(_NAVIGATION)
    font = QFont(navigation.font())
    font.setPointSizeF(font.pointSizeF() + 1.5)
    navigation.setFont(font)


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.setStyleSheet(_INVALID if invalid else "")


def app_icon() -> QIcon:
    """The window icon from the PNG sizes in resources/icons (QIcon reads a
    file only when that size is first drawn)."""
    from desktop.resources import resource_path

    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256):
        icon.addFile(str(resource_path("icons", f"letterdesk-{size}.png")))
    return icon

"""Every control has a name a screen reader can say; urgent text stays
readable in a dark theme; ratings stay whole in a larger font."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QFormLayout, QLabel, QLineEdit

from desktop.ui.common import error_label, with_error
from desktop.ui.shell import MainWindow
from tests.ui.screens import problems_in_every_dialog, settle, unnamed_controls


def test_every_page_names_its_controls(demo_window):
    unnamed = {}
    for row in range(demo_window.navigation.count()):
        demo_window.navigation.setCurrentRow(row)
        settle()
        found = unnamed_controls(demo_window)
        if found:
            unnamed[demo_window.navigation.item(row).text()] = found
    assert unnamed == {}


def test_every_dialog_names_its_controls(demo_window, demo):
    assert problems_in_every_dialog(demo_window, demo, unnamed_controls) == {}


def test_a_field_below_its_error_message_is_named_by_its_row_label(qtbot, demo_window):
    dialog = QDialog(demo_window)
    qtbot.addWidget(dialog)
    form = QFormLayout(dialog)
    email = QLineEdit()
    form.addRow("&Email *", with_error(email, error_label("emailError")))
    dialog.show()

    assert email.accessibleName() == "Email"
    label = form.labelForField(form.itemAt(0, QFormLayout.ItemRole.FieldRole).widget())
    assert label.buddy() is email  # Alt+E and a click on the label reach the field


def _cards(window):
    from desktop.ui.today.action_list import ActionCard

    window.show_page("today")
    page = window.page("today")
    settle(busy=page.is_refreshing)
    return page.findChildren(ActionCard)


def test_todays_buttons_say_which_card_they_belong_to(demo_window):
    cards = _cards(demo_window)
    assert cards
    checked = 0
    for card in cards:
        title = card.title_label.text()
        for name in ("writeEmail", "openRequest", "dismiss"):
            button = card.buttons.get(name)
            if button is None:
                continue
            assert title in button.accessibleName(), (name, button.accessibleName())
            assert button.text().replace("&", "") in button.accessibleName()
            checked += 1
    assert checked >= 3


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in (colour.redF(), colour.greenF(), colour.blueF()))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: QColor, second: QColor) -> float:
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture
def dark_palette(qapp):
    original = QApplication.palette()
    dark = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.WindowText, "#eeeeee"),
        (QPalette.ColorRole.Text, "#eeeeee"),
        (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, "#eeeeee"),
        (QPalette.ColorRole.PlaceholderText, "#a0a0a0"),
        (QPalette.ColorRole.Mid, "#555555"),
    ):
        dark.setColor(role, QColor(colour))
    QApplication.setPalette(dark)
    yield dark
    QApplication.setPalette(original)


def test_urgent_text_is_readable_in_a_dark_theme(dark_palette, demo_window):
    cards = _cards(demo_window)
    page = demo_window.page("today")
    headings = page.findChildren(QLabel, "urgencyHeading")
    kinds = [card.findChild(QLabel, "actionKind") for card in cards]
    assert headings and kinds
    too_faint = []
    for label, background in [(h, QPalette.ColorRole.Window) for h in headings] + [
        (k, QPalette.ColorRole.Base) for k in kinds
    ]:
        text = label.palette().color(QPalette.ColorRole.WindowText)
        ratio = contrast(text, dark_palette.color(background))
        if ratio < 4.5:
            too_faint.append(f"{label.text()!r} {text.name()} {ratio:.1f}:1")
    assert too_faint == []


def test_urgent_text_stays_red_and_readable_in_a_light_theme(demo_window):
    heading = next(
        label
        for label in _cards(demo_window)[0].window().findChildren(QLabel, "urgencyHeading")
        if label.text().startswith("Urgent")
    )
    text = heading.palette().color(QPalette.ColorRole.WindowText)
    background = QApplication.palette().color(QPalette.ColorRole.Window)
    assert contrast(text, background) >= 4.5
    assert text.red() > text.green() and text.red() > text.blue()


def test_star_ratings_stay_whole_in_a_large_font(qtbot, demo):
    original = QApplication.font()
    large = QFont(original)
    large.setPointSizeF(original.pointSizeF() * 1.6)
    QApplication.setFont(large)
    try:
        window = MainWindow(demo)
        qtbot.addWidget(window)
        window.show()
        window.show_page("mentors")
        page = window.page("mentors")
        settle()
        table = page.table
        model = table.model()
        column = next(
            c
            for c in range(model.columnCount())
            if model.headerData(c, Qt.Orientation.Horizontal) == "Strength"
        )
        shown = {}
        metrics = QFontMetrics(table.font())
        margin = 2 * (table.style().pixelMetric(table.style().PixelMetric.PM_FocusFrameHMargin) + 1)
        for row in range(model.rowCount()):
            text = model.index(row, column).data()
            elided = metrics.elidedText(
                text, Qt.TextElideMode.ElideRight, table.columnWidth(column) - margin
            )
            shown[text.count("★")] = elided
        assert shown[3] == "★★★☆☆" and shown[5] == "★★★★★"
    finally:
        QApplication.setFont(original)

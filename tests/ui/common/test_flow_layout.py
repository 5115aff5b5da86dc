"""A bar of buttons wraps instead of widening the window, and what stood at
the right end of one line stays at the right after wrapping."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from desktop.ui.common import FlowLayout


def _bar(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    column = QVBoxLayout(page)
    bar = FlowLayout()
    left = [QPushButton(f"Filter {n}") for n in range(3)]
    right = [QPushButton("Open…"), QPushButton("New request…")]
    for button in left:
        bar.addWidget(button)
    bar.addStretch(1)
    for button in right:
        bar.addWidget(button)
    column.addLayout(bar)
    column.addStretch(1)
    return page, bar, left, right


def _inside(button, page) -> bool:
    top_left = button.mapTo(page, button.rect().topLeft())
    return page.rect().contains(button.rect().translated(top_left))


def test_a_wide_bar_stays_on_one_line_with_the_stretch_between(qtbot):
    page, _bar_layout, left, right = _bar(qtbot)
    page.resize(1000, 200)
    page.show()
    qtbot.waitExposed(page)
    tops = {button.y() for button in left + right}
    assert len(tops) == 1
    assert right[-1].geometry().right() > page.width() - 40  # pushed to the right end


def test_a_narrow_bar_wraps_and_keeps_every_button_whole(qtbot):
    page, bar, left, right = _bar(qtbot)
    widest = max(button.sizeHint().width() for button in left + right)
    # Only the widest button, not the whole row, sets how narrow it may get.
    assert bar.minimumSize().width() == widest
    page.resize(widest * 3, 200)
    page.show()
    qtbot.waitExposed(page)
    assert len({button.y() for button in left + right}) >= 2
    assert all(_inside(button, page) for button in left + right)
    for button in left + right:
        assert button.width() == button.sizeHint().width()
    # The wrapped right-hand group keeps to the right.
    margin = page.width() - right[-1].geometry().right()
    assert margin < 30
    assert bar.heightForWidth(widest * 3) > bar.heightForWidth(2000)

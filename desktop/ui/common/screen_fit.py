"""Windows fit the screen they open on.

Dialogs ask for a comfortable size (``resize(1040, 720)``); on a 1280×720
screen, or 1920×1080 at 150 % (the same 1280×720 in Qt's logical pixels),
that would put their buttons off the bottom edge. Whenever a window is
about to appear, the app-wide filter of ``common/habits.py`` calls
``fit_to_screen``: the window gets the size its content asks for, as far as
the room its screen has allows (the available geometry, less the title bar
the window manager adds), and is moved inside that room. A window cannot
shrink below its minimum size; the fit test (tests/ui/shell/test_fit.py)
keeps every page and dialog's minimum inside 1280×720.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

# Before a window is mapped its frame is unknown; this is what a typical
# title bar and border take (GNOME, KDE and Windows all stay within it).
FRAME_ALLOWANCE = QSize(8, 40)


def screen_of(widget: QWidget) -> QScreen:
    """The screen a window opens on: its parent's, else its own, else the
    primary one."""
    parent = widget.parentWidget()
    for candidate in (parent.window() if parent else None, widget):
        if candidate is not None and candidate.screen() is not None:
            return candidate.screen()
    return QGuiApplication.primaryScreen()


def frame_allowance(widget: QWidget) -> QSize:
    """The window's frame when the window manager has told (it may not have
    yet, or tell only a border), and never less than a title bar's room."""
    frame = widget.frameGeometry().size() - widget.geometry().size()
    return frame.expandedTo(FRAME_ALLOWANCE)


def room_for(widget: QWidget) -> QRect:
    """Where the window's client area may go: the screen's available
    geometry less the window frame."""
    available = screen_of(widget).availableGeometry()
    frame = frame_allowance(widget)
    return QRect(
        available.topLeft() + QPoint(frame.width() // 2, frame.height() - frame.width() // 2),
        available.size() - frame,
    )


def fits_screen(rect: QRect, widget: QWidget) -> bool:
    """Whether ``rect`` (a window's client geometry) lies in its screen's room."""
    return room_for(widget).contains(rect)


def natural_size(widget: QWidget) -> QSize:
    """The window's size, made as tall as its content asks for at its
    width. Qt opens a window whose text wraps at no more than 2/3 of the
    screen's height, which cut the Advice settings' hints in half on a
    720-line screen. The width stays as the window chose it."""
    size = QSize(widget.size())
    layout = widget.layout()
    if layout is not None and layout.hasHeightForWidth():
        wanted = layout.totalHeightForWidth(size.width())
    else:
        wanted = widget.sizeHint().height()
    size.setHeight(max(size.height(), wanted))
    return size


def scroll_when_too_tall(dialog: QWidget, room: QRect, needed: int | None = None) -> bool:
    """Put a dialog's content, all but its button row, in a scroll area when
    it needs more height than the screen has: squeezed instead, its wrapped
    hints would lose their last lines. Only for a vertical top-level layout
    (every LetterDesk dialog's); True when it scrolls now. ``needed`` is
    the height the dialog measured for itself, when it knows better than
    its layout's height-for-width (wrapped notes in a form)."""
    layout = dialog.layout()
    if (
        not isinstance(dialog, QDialog)
        or not isinstance(layout, QVBoxLayout)
        or dialog.property("scrollsContent")
        or (needed if needed is not None else natural_size(dialog).height()) <= room.height()
    ):
        return False
    items = [(layout.itemAt(i), layout.stretch(i)) for i in range(layout.count())]
    buttons = items[-1][0].widget() if items else None
    keep_below = isinstance(buttons, QDialogButtonBox)
    # Moving a widget to a new parent hides it until the event loop shows it
    # again; show at once what was on screen, so the dialog is whole when it
    # appears (and code reading isVisible() right after show() sees it).
    children = dialog.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
    shown = [child for child in children if not child.isHidden()]
    content = QWidget()
    content.setObjectName(f"{dialog.objectName()}Content")
    inner = QVBoxLayout(content)
    inner.setContentsMargins(0, 0, 0, 0)
    while layout.count() > (1 if keep_below else 0):
        stretch = layout.stretch(0)
        item = layout.takeAt(0)
        if item.widget() is not None:
            inner.addWidget(item.widget(), stretch)
        elif item.layout() is not None:
            inner.addLayout(item.layout(), stretch)
        else:
            inner.addItem(item)
    scroll = QScrollArea()
    scroll.setObjectName(f"{dialog.objectName()}Scroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(content)
    layout.insertWidget(0, scroll, 1)
    for child in shown:
        if content.isAncestorOf(child):
            child.show()
    scroll.show()
    dialog.setProperty("scrollsContent", True)
    return True


def fit_to_screen(widget: QWidget) -> None:
    """Give ``widget`` (a window) the size its content asks for, as far as
    its screen's room allows, and move it inside that room; a dialog taller
    than the room scrolls its content."""
    room = room_for(widget)
    if scroll_when_too_tall(widget, room):
        widget.resize(widget.width(), room.height())
    size = natural_size(widget).boundedTo(room.size()).expandedTo(widget.minimumSize())
    geometry = widget.geometry()
    if size != widget.size():
        widget.resize(size)
        centre = geometry.center()
        parent = widget.parentWidget()
        if parent is not None:
            # Centred over the window it belongs to, as Qt places dialogs.
            centre = parent.window().geometry().center()
        geometry = QRect(QPoint(0, 0), size)
        geometry.moveCenter(centre)
    left = max(room.left(), min(geometry.left(), room.right() - geometry.width() + 1))
    top = max(room.top(), min(geometry.top(), room.bottom() - geometry.height() + 1))
    if QPoint(left, top) != widget.pos():
        widget.move(left, top)


_FITTED = (Qt.WindowType.Window, Qt.WindowType.Dialog)


def is_fitted(widget: QWidget) -> bool:
    """Windows and dialogs that appear on screen (not menus, tooltips, or
    widgets rendered off screen for a grab)."""
    return (
        widget.isWindow()
        and widget.windowType() in _FITTED
        and not widget.testAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    )

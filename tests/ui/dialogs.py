"""Driving modal dialogs from tests: the code under test calls ``exec()``,
which blocks, so the test's handler runs from a timer once the dialog is up."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget


class DialogDriver:
    """Queue handlers for the next modal dialogs, in order of appearance."""

    def __init__(self) -> None:
        self._handlers: list[Callable[[QWidget], None]] = []
        # Strong references, not ids: a freed wrapper's id can be reused by
        # the next dialog, which would then be skipped and block forever.
        self._seen: list[QWidget] = []
        self.errors: list[BaseException] = []
        self._timer = QTimer()
        self._timer.setInterval(20)
        self._timer.timeout.connect(self._poll)

    def then(self, handler: Callable[[QWidget], None]) -> DialogDriver:
        self._handlers.append(handler)
        self._timer.start()
        return self

    def _poll(self) -> None:
        dialog = self._newest_dialog()
        if dialog is None or not self._handlers:
            return
        self._seen.append(dialog)
        handler = self._handlers.pop(0)
        try:
            handler(dialog)
        except BaseException as exc:  # re-raised by check(), after the dialog closes
            self.errors.append(exc)
            dialog.close()
            if isinstance(dialog, QDialog):
                dialog.reject()
        if not self._handlers:
            self._timer.stop()

    def _newest_dialog(self) -> QWidget | None:
        """The open dialog not handled yet. Found among visible top-level
        windows rather than by activeModalWidget(), which depends on window
        activation and can lag on the offscreen platform. A modal one (the
        code under test is blocked in its exec()) comes before a dialog the
        test itself showed, which the order of top-level windows would
        otherwise sometimes hand to the handler instead."""
        waiting = [
            widget
            for widget in QApplication.topLevelWidgets()
            if isinstance(widget, QDialog)
            and widget.isVisible()
            and not any(widget is seen for seen in self._seen)
        ]
        waiting.sort(key=lambda widget: not widget.isModal())
        return waiting[0] if waiting else None

    def check(self) -> None:
        self._timer.stop()
        if self.errors:
            raise self.errors[0]
        assert not self._handlers, f"{len(self._handlers)} expected dialog(s) never opened"


def click_message_button(box: QWidget, text: str) -> None:
    assert isinstance(box, QMessageBox), f"expected a message box, got {type(box).__name__}"
    for button in box.buttons():
        if button.text().replace("&", "") == text:
            button.click()
            return
    raise AssertionError(f"no button {text!r} in {[b.text() for b in box.buttons()]}")


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` key by key. QTest cannot synthesise
    keys outside ASCII, so other characters arrive as key events carrying
    their text, the way an input method delivers them."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest

    for char in text:
        if char.isascii():
            QTest.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def button(dialog: QWidget, text: str):
    """The dialog's push button labelled ``text`` (ignoring the & mnemonic)."""
    from PySide6.QtWidgets import QPushButton

    for candidate in dialog.findChildren(QPushButton):
        if candidate.text().replace("&", "") == text:
            return candidate
    raise AssertionError(f"no button {text!r} in {type(dialog).__name__}")


def answer_move_date(day=None):
    """A handler for the "when did it happen?" dialog of an ask or a
    submission: keep today's date (or type ``day``) and press OK."""

    def answer(dialog: QWidget) -> None:
        from PySide6.QtCore import QDate, Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QDateEdit

        assert dialog.objectName() == "moveDateDialog", dialog.objectName()
        if day is not None:
            edit = dialog.findChild(QDateEdit, "moveDate")
            edit.setDate(QDate(day))
        QTest.keyClick(dialog, Qt.Key.Key_Return)

    return answer

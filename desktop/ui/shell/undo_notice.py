"""The status bar's "what just happened — Undo" notice.

It holds one ``UndoStep`` at a time, for a while: long enough to notice a
mistake, short enough that Undo never reaches back to something forgotten.
A newer message replaces it.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desktop.ui.common import UndoStep

# How long Undo stays on offer.
OFFER_MS = 20_000


class UndoNotice(QWidget):
    undo_requested = Signal(object)  # the UndoStep to take back

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("undoNotice")
        self._step: UndoStep | None = None
        self.text = QLabel()
        self.text.setObjectName("undoNoticeText")
        self.button = QPushButton(self.tr("Undo"))
        self.button.setObjectName("undoButton")
        self.button.clicked.connect(self._undo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.text)
        layout.addWidget(self.button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.withdraw)
        self.hide()

    def offer(self, step: UndoStep) -> None:
        self._step = step
        self.text.setText(step.done)
        self.button.setAccessibleName(self.tr("Undo: {what}").format(what=step.done))
        self.show()
        self._timer.start(OFFER_MS)

    def step(self) -> UndoStep | None:
        return self._step if self.isVisible() else None

    def withdraw(self) -> None:
        self._step = None
        self._timer.stop()
        self.hide()

    def _undo(self) -> None:
        step = self._step
        self.withdraw()
        if step is not None:
            self.undo_requested.emit(step)

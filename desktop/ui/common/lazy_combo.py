"""A combo box whose long list of choices is built when it is first opened.

Filling a combo with 20,000 writers costs a fifth of a second; most of the
time the user never opens it, so the page should not wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox

Choices = list[tuple[str, Any]]


class LazyComboBox(QComboBox):
    def __init__(self) -> None:
        super().__init__()
        self._loader: Callable[[], Choices] | None = None
        self._everything = ""

    def set_choices(self, everything: str, loader: Callable[[], Choices], *, now: bool) -> None:
        """Offer ``everything`` (data ``None``) and the loader's choices,
        keeping the current one. With ``now`` false the list is read when
        the popup first opens."""
        self._everything = everything
        self._loader = None if now else loader
        if now:
            self._fill(loader())
            return
        keep_label, keep = self.currentText(), self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(everything, None)
        if keep is not None:
            self.addItem(keep_label, keep)
            self.setCurrentIndex(1)
        self.blockSignals(False)

    def showPopup(self) -> None:
        if self._loader is not None:
            loader, self._loader = self._loader, None
            self._fill(loader())
        super().showPopup()

    def _fill(self, items: Choices) -> None:
        keep = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(self._everything, None)
        for label, value in items:
            self.addItem(label, value)
        index = self.findData(keep) if keep is not None else 0
        self.setCurrentIndex(max(index, 0))
        self.blockSignals(False)

"""The one confirmation dialog: a question, a button named for what it does,
and Cancel as the default, so Enter never deletes anything by accident."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    action: str,
    *,
    informative: str = "",
    destructive: bool = False,
    object_name: str = "confirmDialog",
) -> bool:
    """Ask before doing ``action`` (the button's label, e.g. "Delete email").
    True when the user chose it. Cancel is the default and the Escape key."""
    box = QMessageBox(parent)
    box.setObjectName(object_name)
    box.setIcon(QMessageBox.Icon.Warning if destructive else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    role = (
        QMessageBox.ButtonRole.DestructiveRole if destructive else QMessageBox.ButtonRole.AcceptRole
    )
    go = box.addButton(action, role)
    go.setObjectName("confirmButton")
    cancel = box.addButton(
        QCoreApplication.translate("confirm", "Cancel"), QMessageBox.ButtonRole.RejectRole
    )
    cancel.setObjectName("cancelButton")
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is go

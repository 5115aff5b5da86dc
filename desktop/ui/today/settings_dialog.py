"""The "Advice settings" dialog, generated from ``threshold_settings()``.

One spin box per declared threshold, with its label, range, unit and
description, so a threshold added to ``desktop.domain.thresholds`` shows up
here without touching this file. Combinations that contradict each other
(``AdviceThresholds.problems``) are shown as they are typed and block
saving; values the file held that could not be used are reported on top.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.thresholds import AdviceThresholds, threshold_settings
from desktop.store import settings as settings_store
from desktop.ui.common import SaveFailed, guarded, set_role

COLUMNS = 2


def _tr(text: str) -> str:
    # Labels and descriptions are declared in the domain in English; they
    # are translated here, in the "AdviceSettings" context.
    return QCoreApplication.translate("AdviceSettings", text)


def _set_unit(spin: QSpinBox, unit: str) -> None:
    # "1 day", not "1 days"; the unit is declared in the plural.
    singular = spin.value() == 1 and unit == "days"
    spin.setSuffix(" " + (_tr("day") if singular else _tr(unit)))


class AdviceSettingsDialog(QDialog):
    def __init__(self, current: AdviceThresholds, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("adviceSettingsDialog")
        self.setWindowTitle(self.tr("Advice settings"))

        intro = QLabel(
            self.tr(
                "The day counts behind Today's advice. The defaults follow what "
                "advisers recommend; hover over a setting for what it does."
            )
        )
        intro.setWordWrap(True)
        set_role(intro, "hint")
        self.ignored_label = QLabel()
        self.ignored_label.setObjectName("ignoredValues")
        self.ignored_label.setWordWrap(True)
        set_role(self.ignored_label, "field-error")
        ignored = settings_store.invalid_threshold_values()
        self.ignored_label.setText(
            self.tr("Some stored values could not be used and the defaults apply: {why}").format(
                why=" ".join(ignored.values())
            )
        )
        self.ignored_label.setVisible(bool(ignored))

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(4)
        self.spins: dict[str, QSpinBox] = {}
        settings = threshold_settings()
        rows_per_column = (len(settings) + COLUMNS - 1) // COLUMNS
        for number, setting in enumerate(settings):
            column = (number // rows_per_column) * 3
            row = (number % rows_per_column) * 2
            description = _tr(setting.description)
            label = QLabel(_tr(setting.label))
            label.setToolTip(description)
            spin = QSpinBox()
            spin.setObjectName(setting.name)
            spin.setRange(setting.minimum, setting.maximum)
            spin.setValue(getattr(current, setting.name))
            _set_unit(spin, setting.unit)
            spin.valueChanged.connect(lambda _v, s=spin, u=setting.unit: _set_unit(s, u))
            spin.setToolTip(
                self.tr("{description}\nDefault: {default} {unit}; {low}–{high}.").format(
                    description=description,
                    default=setting.default,
                    unit=_tr(setting.unit),
                    low=setting.minimum,
                    high=setting.maximum,
                )
            )
            spin.setAccessibleName(_tr(setting.label))
            spin.setAccessibleDescription(description)
            spin.setMinimumWidth(100)
            spin.valueChanged.connect(self._check)
            label.setBuddy(spin)
            hint = QLabel(description)
            hint.setWordWrap(True)
            set_role(hint, "hint")
            font = hint.font()
            font.setPointSizeF(font.pointSizeF() - 1)
            hint.setFont(font)
            hint.setMinimumWidth(320)
            grid.addWidget(label, row, column)
            grid.addWidget(spin, row, column + 1)
            grid.addWidget(hint, row + 1, column, 1, 2, Qt.AlignmentFlag.AlignTop)
            self.spins[setting.name] = spin
        grid.setColumnMinimumWidth(2, 16)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(3, 1)

        self.problems_label = QLabel()
        self.problems_label.setObjectName("thresholdProblems")
        self.problems_label.setWordWrap(True)
        set_role(self.problems_label, "field-error")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("adviceSettingsButtons")
        reset = QPushButton(self.tr("Reset to defaults"))
        reset.setObjectName("resetDefaults")
        reset.setAutoDefault(False)
        reset.clicked.connect(self.reset_to_defaults)
        self.buttons.addButton(reset, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.ignored_label)
        layout.addSpacing(6)
        layout.addLayout(grid)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)
        self._check()

    def values(self) -> AdviceThresholds:
        return replace(
            AdviceThresholds(), **{name: spin.value() for name, spin in self.spins.items()}
        )

    def problems(self) -> list[str]:
        return self.values().problems()

    def reset_to_defaults(self) -> None:
        defaults = AdviceThresholds()
        for name, spin in self.spins.items():
            spin.setValue(getattr(defaults, name))

    def _check(self) -> None:
        problems = self.problems()
        self.problems_label.setText("\n".join(_tr(p) for p in problems))
        self.problems_label.setVisible(bool(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problems)

    def accept(self) -> None:
        thresholds = self.values()
        try:
            guarded(
                self,
                lambda: settings_store.save_thresholds(thresholds),
                handled_here=(settings_store.InvalidThresholdError,),
            )
        except SaveFailed:
            return  # the user has been told; the dialog stays open
        except settings_store.InvalidThresholdError as refused:
            QMessageBox.warning(self, self.tr("Not saved"), refused.user_message)
            return
        super().accept()


def open_advice_settings(parent: QWidget | None) -> bool:
    """Show the dialog; True when new thresholds were saved (refresh Today)."""
    dialog = AdviceSettingsDialog(settings_store.load_thresholds(), parent)
    try:
        return dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()

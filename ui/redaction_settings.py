"""The firm's redaction settings, as a group of the Settings dialog: which kinds
of personal number are proposed for redaction (the others are only listed) and
whether the black box says "Redacted"."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QVBoxLayout, QWidget

from pdpacket.model.redaction import KIND_NAMES, NumberKind, RedactionSettings

from .style import hint

KINDS = (
    NumberKind.SSN,
    NumberKind.ITIN,
    NumberKind.A_NUMBER,
    NumberKind.MINOR_DOB,
    NumberKind.BANK_ACCOUNT,
    NumberKind.CARD,
)


class RedactionSettingsBox(QGroupBox):
    def __init__(self, value: RedactionSettings, parent: QWidget | None = None) -> None:
        super().__init__("Propose for redaction", parent)
        col = QVBoxLayout(self)
        col.addWidget(
            hint(
                "Numbers of the kinds ticked are proposed for redaction; the others are only "
                "listed in the review. The client's own A-number and date of birth never are."
            )
        )
        self.kinds: dict[NumberKind, QCheckBox] = {}
        for kind in KINDS:
            box = QCheckBox(KIND_NAMES[kind][1].capitalize())
            box.setChecked(kind in value.proposed)
            box.setAccessibleName(f"Propose for redaction: {KIND_NAMES[kind][1]}")
            self.kinds[kind] = box
            col.addWidget(box)
        self.label = QCheckBox('Black boxes say "Redacted"')
        self.label.setChecked(value.label)
        col.addWidget(self.label)

    def value(self) -> RedactionSettings:
        return RedactionSettings(
            frozenset(k for k, box in self.kinds.items() if box.isChecked()),
            self.label.isChecked(),
        )

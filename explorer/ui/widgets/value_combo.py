"""A combo box whose values live on the Python side.

WORKAROUND(PySide6 6.12 on Python 3.11): reading item data back through QVariant (currentData, itemData,
findData, index.data) drops a reference to None each time, which eventually crashes the interpreter at exit.
Keeping the values in a Python list and using indexes avoids QVariant round trips entirely.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget


class ValueCombo(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[Any] = []

    def add(self, label: str, value: Any) -> None:
        self._values.append(value)
        self.addItem(label)

    def clear(self) -> None:
        self._values = []
        super().clear()

    def value_at(self, index: int) -> Any:
        return self._values[index] if 0 <= index < len(self._values) else None

    def current_value(self) -> Any:
        return self.value_at(self.currentIndex())

    def index_of(self, value: Any) -> int:
        return next((i for i, v in enumerate(self._values) if v == value and type(v) is type(value)), -1)

    def select_value(self, value: Any) -> bool:
        index = self.index_of(value)
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0

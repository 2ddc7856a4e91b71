"""A name/value table for {{variable}} values: a collection's, a profile's (never secrets)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QTableWidgetItem, QVBoxLayout, QWidget

from explorer.ui.widgets.pairs_table import add_remove_row, name_value_table, remove_selected_rows


class VariablesTable(QWidget):
    """Rows of (name, value); `variables()` gives the named rows. `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = name_value_table("Variable", 180, self.changed.emit)
        add = QPushButton("+ Add variable")
        add.clicked.connect(lambda: self.add_row("", "", edit=True))
        buttons = add_remove_row(add, self._remove_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def add_row(self, name: str, value: str, *, edit: bool = False) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        key = QTableWidgetItem(name)
        self.table.setItem(row, 0, key)
        self.table.setItem(row, 1, QTableWidgetItem(value))
        self.table.blockSignals(False)
        if edit:
            self.table.setCurrentItem(key)
            self.table.editItem(key)
        self.changed.emit()

    def _remove_selected(self) -> None:
        remove_selected_rows(self.table)
        self.changed.emit()

    def set_variables(self, variables: Mapping[str, str]) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(0)
        self.table.blockSignals(False)
        for name, value in sorted(variables.items()):
            self.add_row(name, value)

    def variables(self) -> dict[str, str]:
        """Every named row (names trimmed; a later row of the same name wins)."""
        out: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            key, value = self.table.item(row, 0), self.table.item(row, 1)
            if key is not None and key.text().strip():
                out[key.text().strip()] = value.text() if value is not None else ""
        return out

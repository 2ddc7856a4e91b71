"""The Headers tab: extra request headers as an editable name/value table with enable checkboxes."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class HeadersTable(QWidget):
    """Headers sent in addition to the generated ones (credentials come from the profile, not from here)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels(["Header", "Value"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 200)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.itemChanged.connect(self._item_changed)
        add = QPushButton("+ Add header")
        add.clicked.connect(self._add_empty)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_selected)
        hint = QLabel("Credentials come from the profile (Auth tab); add only extra headers here.")
        hint.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _item_changed(self, _item: QTableWidgetItem) -> None:
        self.changed.emit()

    def _add_empty(self) -> None:
        self.add_header("", "")

    def add_header(self, name: str, value: str, enabled: bool = True) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        key = QTableWidgetItem(name)
        key.setFlags(key.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        key.setCheckState(Qt.CheckState.Checked if enabled else Qt.CheckState.Unchecked)
        self.table.setItem(row, 0, key)
        self.table.setItem(row, 1, QTableWidgetItem(value))
        self.table.blockSignals(False)
        if not name:
            self.table.editItem(key)
        self.changed.emit()

    def _remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self.changed.emit()

    def headers(self) -> list[tuple[str, str]]:
        out = []
        for row in range(self.table.rowCount()):
            key, value = self.table.item(row, 0), self.table.item(row, 1)
            if key is None or key.checkState() != Qt.CheckState.Checked or not key.text().strip():
                continue
            out.append((key.text().strip(), value.text() if value else ""))
        return out

    def set_headers(self, pairs: list[tuple[str, str]]) -> None:
        self.table.setRowCount(0)
        for name, value in pairs:
            self.add_header(name, value)

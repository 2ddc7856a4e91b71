"""An editable name/value table with a check box per row: Params, Headers and form fields."""

from __future__ import annotations

from collections.abc import Callable

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

from explorer.core.lifecycle.spec import Pair


def name_value_table(name_title: str, name_width: int, on_change: Callable[[], None]) -> QTableWidget:
    """Two columns, (name, value), selected by rows; `on_change` runs on every edited cell."""
    table = QTableWidget(0, 2)
    table.setHorizontalHeaderLabels([name_title, "Value"])
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    table.setColumnWidth(0, name_width)
    table.verticalHeader().hide()
    # The header and a row or two: the request editor must fit above the response on a 640-pixel screen.
    table.setMinimumHeight(40)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.itemChanged.connect(lambda _item: on_change())
    return table


def add_remove_row(add_button: QPushButton, on_remove: Callable[[], None]) -> QHBoxLayout:
    """The row under a name/value table: its add button, then Remove (the selected rows)."""
    remove = QPushButton("Remove")
    remove.clicked.connect(on_remove)
    buttons = QHBoxLayout()
    buttons.addWidget(add_button)
    buttons.addWidget(remove)
    buttons.addStretch(1)
    return buttons


def remove_selected_rows(table: QTableWidget) -> None:
    for row in sorted({i.row() for i in table.selectedIndexes()}, reverse=True):
        table.removeRow(row)


class PairsTable(QWidget):
    """Rows of (enabled, name, value); unchecked rows are kept but not sent. `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, name_title: str, add_text: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = name_value_table(name_title, 200, self.changed.emit)
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(lambda: self.add_pair(Pair("", "")))
        self.buttons = add_remove_row(self.add_button, self._remove_selected)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)

    def add_pair(self, pair: Pair) -> None:
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        key = QTableWidgetItem(pair.name)
        key.setFlags(key.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        key.setCheckState(Qt.CheckState.Checked if pair.enabled else Qt.CheckState.Unchecked)
        self.table.setItem(row, 0, key)
        # A file row of a multipart body is written as @path, as curl's -F does.
        self.table.setItem(row, 1, QTableWidgetItem(f"@{pair.value}" if pair.is_file else pair.value))
        self.table.blockSignals(False)
        if not pair.name:
            self.table.editItem(key)
        self.changed.emit()

    def _remove_selected(self) -> None:
        remove_selected_rows(self.table)
        self.changed.emit()

    def pairs(self, *, files: bool = False) -> tuple[Pair, ...]:
        """Every named row; with `files`, a value written @path is a file to upload."""
        out: list[Pair] = []
        for row in range(self.table.rowCount()):
            key, value = self.table.item(row, 0), self.table.item(row, 1)
            if key is None or not key.text().strip():
                continue
            text = value.text() if value is not None else ""
            is_file = files and text.startswith("@") and len(text) > 1
            checked = key.checkState() == Qt.CheckState.Checked
            out.append(Pair(key.text().strip(), text[1:] if is_file else text, checked, is_file))
        return tuple(out)

    def set_pairs(self, pairs: tuple[Pair, ...] | list[Pair]) -> None:
        self.blockSignals(True)
        self.table.setRowCount(0)
        for pair in pairs:
            self.add_pair(pair)
        self.blockSignals(False)

    # The Headers tab's older names, kept for the tests and callers that read plain pairs.
    def headers(self) -> list[tuple[str, str]]:
        return [(p.name, p.value) for p in self.pairs() if p.enabled]

    def set_headers(self, pairs: list[tuple[str, str]]) -> None:
        self.set_pairs([Pair(k, v) for k, v in pairs])

    def add_header(self, name: str, value: str, enabled: bool = True) -> None:
        self.add_pair(Pair(name, value, enabled))

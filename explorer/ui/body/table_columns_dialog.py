"""The table's "Columns…" dialog: tick the columns to show and drag them into the order wanted."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.jsontree.table import ColumnPath, column_name

ColumnRole = Qt.ItemDataRole.UserRole + 1


class ColumnsDialog(QDialog):
    """Shown columns first, in their order, then the others; `chosen()` is the ticked ones in list order.

    "Reset" ends the dialog with `reset_requested` set: back to the columns found in the rows.
    """

    def __init__(self, shown: Sequence[ColumnPath], available: Sequence[ColumnPath],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Table columns")
        self.reset_requested = False
        self.list = QListWidget(self)
        self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
        rest = [column for column in available if column not in shown]
        for column in [*shown, *rest]:
            item = QListWidgetItem(column_name(column), self.list)
            item.setData(ColumnRole, list(column))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled)
            item.setCheckState(Qt.CheckState.Checked if column in shown else Qt.CheckState.Unchecked)
        standard = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(standard.Ok | standard.Cancel, self)
        self.all_button = QPushButton("Show all", self)
        self.none_button = QPushButton("Hide all", self)
        self.reset_button = QPushButton("Reset", self)
        self.reset_button.setToolTip("Back to the columns found in the rows, in their order")
        for button in (self.all_button, self.none_button, self.reset_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ResetRole)
        self.all_button.clicked.connect(lambda: self._tick_all(Qt.CheckState.Checked))
        self.none_button.clicked.connect(lambda: self._tick_all(Qt.CheckState.Unchecked))
        self.reset_button.clicked.connect(self._reset)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick the columns to show; drag them into the order you want.", self))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(360, 480)

    def _tick_all(self, state: Qt.CheckState) -> None:
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(state)

    def _reset(self) -> None:
        self.reset_requested = True
        self.accept()

    def chosen(self) -> list[ColumnPath]:
        items = (self.list.item(row) for row in range(self.list.count()))
        return [tuple(item.data(ColumnRole)) for item in items if item.checkState() == Qt.CheckState.Checked]

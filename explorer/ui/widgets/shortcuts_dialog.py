"""The keyboard cheat sheet (Ctrl+Shift+/), generated from the window's own shortcut table."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class ShortcutsDialog(QDialog):
    """Lists (keys, what they do); keys are shown in the platform's notation (Cmd on macOS)."""

    def __init__(
        self, shortcuts: Sequence[tuple[str, tuple[str, ...], str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        table = QTableWidget(len(shortcuts), 2)
        table.setHorizontalHeaderLabels(["Keys", "Action"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        for row, (_name, keys, text) in enumerate(shortcuts):
            shown = " or ".join(
                QKeySequence(k).toString(QKeySequence.SequenceFormat.NativeText) for k in keys
            )
            table.setItem(row, 0, QTableWidgetItem(shown))
            table.setItem(row, 1, QTableWidgetItem(text))
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self._fit_table()
        self.adjustSize()

    def _fit_table(self) -> None:
        """Make the table tall and wide enough for every row, so nothing needs scrolling.

        Only a screen too small for it limits the size; the table scrolls then.
        """
        table = self.table
        table.resizeColumnToContents(0)
        table.resizeRowsToContents()
        frame = 2 * table.frameWidth()
        rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
        height = table.horizontalHeader().sizeHint().height() + rows + frame
        # While hidden, sizeHintForColumn() measures every row, not only the ones on screen.
        width = table.columnWidth(0) + table.sizeHintForColumn(1) + frame
        screen = self.screen().availableGeometry()
        table.setMinimumSize(
            min(max(width, 480), screen.width() * 9 // 10), min(height, screen.height() * 8 // 10)
        )

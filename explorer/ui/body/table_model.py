"""A lazy table model over one array of objects: cells computed when painted, sort as a permutation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from explorer.core.jsontree.parse import ExactNumber
from explorer.core.jsontree.table import (
    ColumnPath,
    Table,
    cell_value,
    column_name,
    display_text,
    sort_rows,
)

AnyIndex = QModelIndex | QPersistentModelIndex
SourceRowRole = Qt.ItemDataRole.UserRole + 1  # the row's index in the array, whatever the sort and filter
TOOLTIP_LIMIT = 1_000
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ROLE = Qt.ItemDataRole
_DISPLAY, _TOOLTIP, _ALIGN = _ROLE.DisplayRole, _ROLE.ToolTipRole, _ROLE.TextAlignmentRole


class JsonTableModel(QAbstractTableModel):
    """Rows of a `Table` in the order shown: `filtered` (array order) then sorted by one column.

    Nothing is computed ahead: rowCount comes from the array, data() reads one cell when the view
    paints it, and a sort is a list of row numbers. 100,000 rows cost one list of ints.
    """

    def __init__(self, table: Table, columns: Sequence[ColumnPath], parent: Any = None) -> None:
        super().__init__(parent)
        self.table = table
        self.columns: list[ColumnPath] = list(columns)
        self.filtered: list[int] | None = None  # None: every row
        self.sort_column: ColumnPath | None = None
        self.descending = False
        self._order: list[int] | None = None  # what is shown; None: every row in array order

    # --- shape -------------------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid():
            return 0
        return self.table.count if self._order is None else len(self._order)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.columns)

    def source_row(self, row: int) -> int:
        """The array index of the row shown at `row`."""
        return row if self._order is None else self._order[row]

    def shown_rows(self) -> Sequence[int]:
        """Array indices of the rows shown, in the order shown."""
        return range(self.table.count) if self._order is None else self._order

    # --- cells -------------------------------------------------------------------------------------------
    def value(self, row: int, column: int) -> Any:
        return cell_value(self.table.row(self.source_row(row)), self.columns[column])

    def data(self, index: AnyIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        if role == _DISPLAY:
            return display_text(self.value(index.row(), index.column()))
        if role == _ALIGN:
            value = self.value(index.row(), index.column())
            kind = type(value)
            return _RIGHT if kind is int or kind is float or kind is ExactNumber else None
        if role == _TOOLTIP:
            return display_text(self.value(index.row(), index.column()), TOOLTIP_LIMIT) or None
        if role == SourceRowRole:
            return self.source_row(index.row())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = _DISPLAY) -> Any:
        if role != _DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return column_name(self.columns[section]) if 0 <= section < len(self.columns) else None
        return str(self.source_row(section)) if 0 <= section < self.rowCount() else None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    # --- changes -----------------------------------------------------------------------------------------
    def set_columns(self, columns: Sequence[ColumnPath]) -> None:
        self.beginResetModel()
        self.columns = list(columns)
        if self.sort_column is not None and self.sort_column not in self.columns:
            self.sort_column = None
            self._order = self.filtered
        self.endResetModel()

    def set_filtered(self, rows: list[int] | None) -> None:
        """Show only `rows` (array order; None for all), still sorted by the sort column."""
        self.beginResetModel()
        self.filtered = rows
        self._order = self._sorted()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (a negative column restores the array's order), keeping selections."""
        self.sort_column = self.columns[column] if 0 <= column < len(self.columns) else None
        self.descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        sources = [self.source_row(index.row()) for index in persistent]
        self._order = self._sorted()
        if persistent:
            where = {source: row for row, source in enumerate(self.shown_rows())}
            self.changePersistentIndexList(
                persistent, [self.index(where[source], index.column()) for source, index in zip(
                    sources, persistent, strict=True)])
        self.layoutChanged.emit()

    def _sorted(self) -> list[int] | None:
        if self.sort_column is None:
            return self.filtered
        return sort_rows(self.table, self.sort_column, self.filtered, descending=self.descending)

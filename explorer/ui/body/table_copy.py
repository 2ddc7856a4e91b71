"""The Table tab's copy and export: selected cells as tab-separated text, the rows shown as CSV or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionRange, QPoint
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMenu, QWidget

from explorer.core.jsontree.table_export import delimited_text, export_csv, export_json
from explorer.ui.save_dialog import ask_save_path

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QTableView

    from explorer.core.jsontree.table import ColumnPath, Table
    from explorer.ui.body.table_model import JsonTableModel
    from explorer.ui.labels import ElidedLabel


def add_export_actions(menu: QMenu, export: TableCopyExport) -> None:
    """The two export entries, in the Export button's menu and in a cell's right-click menu."""
    menu.addAction("Export CSV…", lambda: export.export("csv"))
    menu.addAction("Export JSON…", lambda: export.export("json"))


class TableCopyExport:
    """Copy and export for `JsonTableView` (a mixin: the view owns the widgets, signals and data below)."""

    if TYPE_CHECKING:
        table: Table | None
        model: JsonTableModel | None
        view: QTableView
        status: ElidedLabel
        act_copy: QAction
        act_copy_headers: QAction
        copied: SignalInstance
        exported: SignalInstance

        def shown_columns(self) -> list[ColumnPath]: ...

    def selected_cells(self) -> tuple[list[int], list[int]]:
        """Rows (as shown) and columns (visual order) of the selection, or of the current cell."""
        ranges: list[QItemSelectionRange] = []
        if self.model is not None:
            # By index: the PySide6 stubs do not declare QItemSelection iterable.
            selection = self.view.selectionModel().selection()
            ranges = [selection.at(i) for i in range(selection.count())]
        rows: set[int] = set()
        columns: set[int] = set()
        for part in ranges:
            rows.update(range(part.top(), part.bottom() + 1))
            columns.update(range(part.left(), part.right() + 1))
        if not rows:
            current = self.view.currentIndex()
            if not current.isValid():
                return [], []
            rows, columns = {current.row()}, {current.column()}
        header = self.view.horizontalHeader()
        return sorted(rows), sorted(columns, key=header.visualIndex)

    def copy_selection(self, headers: bool = False) -> str:
        """Copy the selected cells as tab-separated text (what spreadsheets paste as cells)."""
        rows, columns = self.selected_cells()
        if self.model is None or self.table is None or not rows:
            return ""
        model = self.model
        text = delimited_text(self.table, [model.source_row(r) for r in rows],
                              [model.columns[c] for c in columns], header=headers, dialect="excel-tab")
        QGuiApplication.clipboard().setText(text)
        self.status.flash(f"Copied {len(rows):,} row{'s' * (len(rows) != 1)} × {len(columns)} "
                          f"column{'s' * (len(columns) != 1)}")
        self.copied.emit(text)
        return text

    def _cell_menu(self, pos: QPoint) -> None:
        menu = QMenu(self._widget())
        menu.addAction(self.act_copy)
        menu.addAction(self.act_copy_headers)
        menu.addSeparator()
        add_export_actions(menu, self)
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def export(self, kind: str) -> None:
        """Ask where, then write the rows shown (filter and sort applied) with the columns shown."""
        if self.table is None:
            return
        last = next((key for key in reversed(self.table.path) if isinstance(key, str)), "table")
        label = "CSV files (*.csv)" if kind == "csv" else "JSON files (*.json)"
        title = f"Export table as {kind.upper()}"
        self.export_dialog = ask_save_path(
            self._widget(), title, f"{last}.{kind}", lambda path: self.export_to(Path(path), kind), label
        )

    def export_to(self, path: Path, kind: str) -> bool:
        if self.model is None or self.table is None:
            return False
        rows, columns = self.model.shown_rows(), self.shown_columns()
        try:
            (export_csv if kind == "csv" else export_json)(path, self.table, rows, columns)
        except OSError as exc:
            self.status.setText(f"Could not export to {path}: {exc.strerror or exc}")
            return False
        self.status.setText(f"Exported {len(rows):,} row{'s' * (len(rows) != 1)} to {path}")
        self.exported.emit(str(path))
        return True

    def _widget(self) -> QWidget:
        """The view itself, as the parent of its menus and dialogs."""
        assert isinstance(self, QWidget)
        return self

"""The Table tab: an array of objects as rows and columns, with sort and filter (copy, export: table_copy)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.jsontree.nodes import Key
from explorer.core.jsontree.table import (
    ArrayInfo,
    ColumnPath,
    RowFilter,
    Table,
    column_name,
    enclosing_array,
    largest,
)
from explorer.core.jsontree.table_columns import ColumnMemory
from explorer.core.prepared import PreparedRequest
from explorer.ui.body.table_columns_dialog import ColumnsDialog
from explorer.ui.body.table_copy import TableCopyExport, add_export_actions
from explorer.ui.body.table_model import JsonTableModel
from explorer.ui.labels import ElidedLabel

FILTER_DELAY_MS = 200  # typing pauses this long before a filter starts
MAX_FIT_WIDTH = 320  # a column sized to its content never takes more than this (drag it wider)
FIT_ROWS = 25  # rows measured to size the columns
# Rows of a lazily parsed array materialised before the first paint (about 50 ms per 100,000, with the
# garbage collector's pass over the new objects): the parse has stalled the window anyway, and scrolling
# is smooth from the first frame. Longer arrays get the rest a slice per event-loop turn.
FILL_AT_ONCE = 200_000


def table_key(request: PreparedRequest) -> str:
    """What the table remembers its columns under: the method (`discourse:listLatestTopics`), or for a
    request the catalog does not know, its verb and path."""
    api = request.api or "free"
    if request.method_id:
        return f"{api}:{request.method_id}"
    return f"{api}:{request.method} {urlsplit(request.url).path}"


class JsonTableView(TableCopyExport, QWidget):
    """`set_source(root, arrays, method_key)` then `ensure_loaded()` when the tab is first shown.

    The columns and their order, and the array chosen, are remembered per method in `memory`.
    """

    copied = Signal(str)
    filtered = Signal(int)  # rows shown once a filter has been applied (or cleared)
    exported = Signal(str)  # the file written

    _filter_delay: QTimer  # made after the widgets whose signals start it

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.memory = ColumnMemory(None)
        self.method_key: str | None = None
        self.root: Any = None
        self.arrays: list[ArrayInfo] = []
        self.table: Table | None = None
        self.model: JsonTableModel | None = None
        self.available: list[ColumnPath] = []
        self.loaded = False
        self._followed: tuple[Key, ...] | None = None
        self._search: RowFilter | None = None

        self.array_combo = QComboBox(self)
        self.array_combo.setToolTip("Which array of the response the table shows")
        self.array_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.array_combo.activated.connect(self._array_chosen)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter rows: text in any shown column")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(lambda _text: self._filter_delay.start())
        self.columns_button = QToolButton(self)
        self.columns_button.setText("Columns…")
        self.columns_button.clicked.connect(self.open_columns_dialog)
        self.export_button = QToolButton(self)
        self.export_button.setText("Export")
        self.export_button.setToolTip("Export the rows shown as CSV or JSON")
        # Its own arrow segment: with InstantPopup the style drew the menu arrow over the text.
        self.export_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.export_button)
        add_export_actions(menu, self)
        self.export_button.setMenu(menu)
        # The button's own part opens the menu too, with popup(): showMenu() would run a nested event loop.
        self.export_button.clicked.connect(
            lambda: menu.popup(self.export_button.mapToGlobal(self.export_button.rect().bottomLeft()))
        )
        self.status = ElidedLabel(parent=self)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel("Array:", self))
        bar.addWidget(self.array_combo)
        bar.addWidget(self.filter_edit, 1)
        bar.addWidget(self.columns_button)
        bar.addWidget(self.export_button)

        self.view = QTableView(self)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setAlternatingRowColors(True)
        rows = self.view.verticalHeader()
        # Fixed heights: row geometry is arithmetic, so 100,000 rows scroll like 100.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setResizeContentsPrecision(0)  # fit columns to the rows on screen, never to 100,000 rows
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        header.sectionClicked.connect(self._header_clicked)
        header.sectionMoved.connect(lambda *_: QTimer.singleShot(0, self._columns_moved))
        self.act_copy = QAction("Copy", self)
        self.act_copy.setShortcut("Ctrl+C")
        self.act_copy.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.act_copy.triggered.connect(lambda: self.copy_selection())
        self.act_copy_headers = QAction("Copy with column names", self)
        self.act_copy_headers.triggered.connect(lambda: self.copy_selection(headers=True))
        self.view.addAction(self.act_copy)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._cell_menu)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

        # Rows of a lazily parsed array are materialised a slice per event-loop turn, after the first paint.
        self._fill_timer = QTimer(self)
        self._fill_timer.setInterval(0)
        self._fill_timer.timeout.connect(self._fill_step)
        self._filter_delay = QTimer(self)
        self._filter_delay.setSingleShot(True)
        self._filter_delay.setInterval(FILTER_DELAY_MS)
        self._filter_delay.timeout.connect(self.apply_filter)
        self._filter_timer = QTimer(self)
        self._filter_timer.setInterval(0)
        self._filter_timer.timeout.connect(self._filter_step)

    # --- source ------------------------------------------------------------------------------------------
    def set_source(self, root: Any, arrays: Sequence[ArrayInfo], method_key: str | None = None) -> None:
        """A new response: its arrays of objects; the table itself is built by ensure_loaded()."""
        self.clear()
        self.root = root
        self.arrays = list(arrays)
        self.method_key = method_key

    def clear(self) -> None:
        self._fill_timer.stop()
        self._filter_timer.stop()
        self._filter_delay.stop()
        self._search = None
        self.view.setModel(None)
        if self.model is not None:
            self.model.deleteLater()
        self.model = self.table = self.root = None
        self.arrays, self.available = [], []
        self.loaded = False
        self._followed = None
        self.array_combo.clear()
        self.filter_edit.blockSignals(True)
        self.filter_edit.clear()
        self.filter_edit.blockSignals(False)
        self.status.setText("")

    def ensure_loaded(self, selection: tuple[Key, ...] | None = None) -> None:
        """Show a table: the array around the tree's `selection` if any, else the one chosen last time
        for this method, else the largest. Called again later, follows a changed tree selection."""
        if self.root is None:
            return
        around = enclosing_array(self.root, selection) if selection else None
        if self.loaded:
            if selection != self._followed and around is not None and self.table is not None \
                    and around.path != self.table.path:
                self._followed = selection
                self.show_array(around)
            return
        self.loaded = True
        self._followed = selection
        remembered = self.memory.array(self.method_key) if self.method_key else None
        by_memory = next((info for info in self.arrays if info.where == remembered), None)
        choice = around or by_memory or largest(self.arrays)
        if choice is not None:
            self.show_array(choice)

    def show_array(self, info: ArrayInfo) -> None:
        """Make `info` the table shown (adding it to the choices when it is one found from a selection)."""
        if info not in self.arrays:
            self.arrays.append(info)
        self.array_combo.clear()
        for candidate in self.arrays:
            self.array_combo.addItem(candidate.label, candidate.where)
        self.array_combo.setCurrentIndex(self.arrays.index(info))
        self._fill_timer.stop()
        self.table = Table(info.value, info.path)
        self.available = self.table.columns()
        remembered = self._remembered_columns()
        for column in remembered or []:
            if column not in self.available:
                self.available.append(column)  # kept: later rows may have it, and the choice is the user's
        old = self.model
        self.model = JsonTableModel(self.table, remembered or self.available, self)
        self.view.setModel(self.model)
        if old is not None:
            old.deleteLater()
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        if not self.table.fill_step(FILL_AT_ONCE):
            self._fill_timer.start()
        self._fit_columns()
        if self.filter_edit.text().strip():
            self.apply_filter()
        else:
            self._show_count()

    def _array_chosen(self, index: int) -> None:
        if not 0 <= index < len(self.arrays):
            return
        chosen = self.arrays[index]
        if self.table is None or chosen.path != self.table.path:
            self.show_array(chosen)
        if self.method_key:
            self.memory.remember_array(self.method_key, chosen.where)

    def _fill_step(self) -> None:
        if self.table is None or self.table.fill_step():
            self._fill_timer.stop()

    def _fit_columns(self) -> None:
        """Each column as wide as its name and its first rows' text, up to MAX_FIT_WIDTH.

        Measured here with the font's metrics rather than by resizeColumnToContents(), which asks the
        delegate for every cell's size hint: several times slower, and it runs between paints.
        """
        model = self.model
        if model is None:
            return
        header = self.view.horizontalHeader()
        metrics = self.view.fontMetrics()
        heading = header.fontMetrics()
        rows = range(min(FIT_ROWS, model.rowCount()))
        padding = 2 * self.view.style().pixelMetric(self.style().PixelMetric.PM_FocusFrameHMargin) + 12
        for column in range(model.columnCount()):
            texts = [model.index(row, column).data() or "" for row in rows]
            wanted = max([metrics.horizontalAdvance(text[:80]) for text in texts] or [0]) + padding
            title = heading.horizontalAdvance(column_name(model.columns[column])) + padding + 16  # sort arrow
            header.resizeSection(column, min(MAX_FIT_WIDTH, max(wanted, title, header.minimumSectionSize())))

    # --- columns -----------------------------------------------------------------------------------------
    def shown_columns(self) -> list[ColumnPath]:
        """The columns in the order they appear on screen (after any drag of a header)."""
        if self.model is None:
            return []
        header = self.view.horizontalHeader()
        return [self.model.columns[header.logicalIndex(visual)] for visual in range(header.count())]

    def _remembered_columns(self) -> list[ColumnPath] | None:
        if not self.method_key or self.table is None:
            return None
        return self.memory.columns(self.method_key, self.table.where)

    def set_columns(self, columns: Sequence[ColumnPath], *, remember: bool = True) -> None:
        """Show `columns` in this order (and remember them for this method and array)."""
        if self.model is None or self.table is None:
            return
        header = self.view.horizontalHeader()
        for visual in range(header.count()):  # the model's order is the order now: undo header moves
            logical = header.logicalIndex(visual)
            if logical != visual:
                header.moveSection(header.visualIndex(visual), visual)
        self.model.set_columns(columns)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        if remember and self.method_key:
            self.memory.remember_columns(self.method_key, self.table.where, list(columns))
        self._fit_columns()
        if self.filter_edit.text().strip():
            self.apply_filter()

    def reset_columns(self) -> None:
        """Back to the columns found in the rows, and forget the choice for this method."""
        if self.table is None:
            return
        if self.method_key:
            self.memory.forget_columns(self.method_key, self.table.where)
        self.available = self.table.columns()
        self.set_columns(self.available, remember=False)

    def _columns_moved(self) -> None:
        if self.model is not None:
            order = self.shown_columns()
            if order != self.model.columns:
                self.set_columns(order)

    def open_columns_dialog(self) -> ColumnsDialog | None:
        if self.model is None:
            return None
        dialog = ColumnsDialog(self.shown_columns(), self.available, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._columns_chosen(dialog))
        dialog.open()  # not modal to the event loop: responses keep arriving
        return dialog

    def _columns_chosen(self, dialog: ColumnsDialog) -> None:
        if dialog.reset_requested:
            self.reset_columns()
        elif dialog.chosen():
            self.set_columns(dialog.chosen())
        else:
            self.status.setText("At least one column must stay shown")

    def hide_column(self, column: int) -> None:
        shown = self.shown_columns()
        if 0 <= column < len(shown) and len(shown) > 1:
            self.set_columns([c for c in shown if c != self.model.columns[column]])  # type: ignore[union-attr]

    def _header_menu(self, pos: QPoint) -> None:
        column = self.view.horizontalHeader().logicalIndexAt(pos)
        menu = QMenu(self)
        if column >= 0 and self.model is not None:
            name = column_name(self.model.columns[column])
            menu.addAction(f"Hide {name}", lambda: self.hide_column(column))
        menu.addAction("Columns…", self.open_columns_dialog)
        menu.addAction("Reset columns", self.reset_columns)
        menu.popup(self.view.horizontalHeader().mapToGlobal(pos))

    # --- sort --------------------------------------------------------------------------------------------
    def _header_clicked(self, column: int) -> None:
        """First click sorts ascending, the next descending, the third goes back to the array's order."""
        if self.model is None:
            return
        header = self.view.horizontalHeader()
        same = self.model.sort_column == self.model.columns[column]
        if not same:
            order, column_sorted = Qt.SortOrder.AscendingOrder, column
        elif not self.model.descending:
            order, column_sorted = Qt.SortOrder.DescendingOrder, column
        else:
            order, column_sorted = Qt.SortOrder.AscendingOrder, -1
        self.sort_by(column_sorted, order)
        header.setSortIndicator(column_sorted, order)

    def sort_by(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self.model is not None:
            self.model.sort(column, order)

    # --- filter ------------------------------------------------------------------------------------------
    def apply_filter(self) -> None:
        """Start filtering by the box's text, a slice of rows per event-loop turn (empty: show all)."""
        self._filter_delay.stop()
        self._filter_timer.stop()
        if self.model is None or self.table is None:
            return
        query = self.filter_edit.text().strip()
        if not query:
            self._search = None
            self.model.set_filtered(None)
            self._show_count()
            self.filtered.emit(self.model.rowCount())
            return
        self._search = RowFilter(self.table, self.model.columns, query)
        self._filter_timer.start()

    def _filter_step(self) -> None:
        search = self._search
        if search is None or self.model is None:
            self._filter_timer.stop()
            return
        if not search.step():
            self.status.setText(f"Filtering… {len(search.matches):,} found so far")
            return
        self._filter_timer.stop()
        self._search = None
        self.model.set_filtered(search.matches)
        self._show_count()
        self.filtered.emit(self.model.rowCount())

    def _show_count(self) -> None:
        if self.model is None or self.table is None:
            return
        shown, total = self.model.rowCount(), self.table.count
        text = f"{total:,} rows" if self.model.filtered is None else f"{shown:,} of {total:,} rows"
        self.status.setText(text)

"""The method browser: API → group → method tree with verb badges and a search box filtering as you type."""

from __future__ import annotations

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.core.catalog.model import Api, Catalog, Method
from explorer.ui.widgets.method_delegate import MethodDelegate


class MethodItem(QStandardItem):
    """A tree row; the method and its search text stay Python attributes.

    WORKAROUND(PySide6 6.12 on Python 3.11): reading custom roles back with index.data() leaks references
    to None (see value_combo.py), so rows are resolved with itemFromIndex() instead.
    """

    def __init__(self, text: str, method: Method | None = None) -> None:
        super().__init__(text)
        self.method = method
        self.blob = search_text(method) if method is not None else ""


def search_text(method: Method) -> str:
    """Everything the search box matches against: name, operationId, path, description, tags."""
    parts = [method.id, method.summary, method.path, method.description, method.verb, *method.tags]
    if not method.documented:
        parts.append("undocumented")
    return " ".join(parts).lower()


def match_rank(method: Method, query: str) -> int:
    """How well `method` matches `query`: 0 its id or name exactly, 1 their start, 2 in them, 3 elsewhere."""
    names = (method.id.lower(), method.summary.lower())
    if query in names:
        return 0
    if any(name.startswith(query) for name in names):
        return 1
    return 2 if all(word in " ".join(names) for word in query.split()) else 3


class _MethodFilter(QSortFilterProxyModel):
    """Keeps methods whose text contains every word typed; groups and APIs stay when a child matches.

    While searching, rows are sorted by `match_rank` (a group or an API by its best method), so an exact
    id or name comes first and Enter picks it; without a query the catalog's own order is kept.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: list[str] = []
        self._query = ""
        self._ranks: dict[int, int] = {}
        self.setRecursiveFilteringEnabled(True)

    def set_query(self, text: str) -> None:
        self._query = " ".join(text.lower().split())
        self._words = self._query.split()
        self._ranks.clear()
        self.sort(0 if self._words else -1)  # column -1 is the source order
        # sort() does nothing when the column is unchanged, yet the ranks have changed with the query.
        self.invalidate()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:  # noqa: N802
        if not self._words:
            return True
        item = self._item(self.sourceModel().index(row, 0, parent))
        blob = item.blob if isinstance(item, MethodItem) else ""
        return bool(blob) and all(word in blob for word in self._words)

    def lessThan(  # noqa: N802
        self, left: QModelIndex | QPersistentModelIndex, right: QModelIndex | QPersistentModelIndex
    ) -> bool:
        left_rank, right_rank = self._rank(self._item(left)), self._rank(self._item(right))
        if left_rank != right_rank:
            return left_rank < right_rank
        return left.row() < right.row()

    def _item(self, index: QModelIndex | QPersistentModelIndex) -> QStandardItem:
        model = self.sourceModel()
        assert isinstance(model, QStandardItemModel)
        return model.itemFromIndex(index)

    def _rank(self, item: QStandardItem) -> int:
        """A method's rank, or the best rank among the matching methods under a group or an API."""
        cached = self._ranks.get(id(item))
        if cached is not None:
            return cached
        if isinstance(item, MethodItem) and item.method is not None:
            matches = all(word in item.blob for word in self._words)
            rank = match_rank(item.method, self._query) if matches else 4
        else:
            rank = min((self._rank(item.child(row)) for row in range(item.rowCount())), default=4)
        self._ranks[id(item)] = rank
        return rank


class MethodBrowser(QWidget):
    """Lists every method of every catalog; emits `method_selected` when the user picks one.

    Searching only filters: the active method (the one in the editor) changes when a result is picked
    with Enter, a click or a double-click, never because the filter moved the tree's current row.
    """

    method_selected = Signal(object)  # Method

    def __init__(self, catalogs: dict[Api, Catalog], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search methods  (Ctrl+K)")
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self.model = QStandardItemModel(self)
        self.proxy = _MethodFilter(self)
        self.proxy.setSourceModel(self.model)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        # Not uniform: method rows take two lines, API and group rows one.
        self.tree.setUniformRowHeights(False)
        self.tree.setItemDelegate(MethodDelegate(self))
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._items: dict[str, MethodItem] = {}
        self._active_key: str | None = None
        self._quiet = False  # True while the browser itself moves the current row: that picks nothing
        # The rows expanded before a search began, restored when the search is cleared.
        self._expanded: list[QPersistentModelIndex] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        self.set_catalogs(catalogs)
        self.search.textChanged.connect(self._filter)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.clicked.connect(self._pick)
        self.tree.activated.connect(self._pick)  # Enter, and a double-click

    def set_catalogs(self, catalogs: dict[Api, Catalog]) -> None:
        self.model.clear()
        self._items.clear()
        for catalog in catalogs.values():
            api_item = MethodItem(f"{catalog.title}")
            bold = api_item.font()
            bold.setBold(True)
            api_item.setFont(bold)
            api_item.setToolTip(catalog.description)
            for group in catalog.groups:
                methods = catalog.methods_in(group.id)
                if not methods:
                    continue
                group_item = MethodItem(f"{group.title}  ({len(methods)})")
                group_item.setToolTip(group.description)
                for method in methods:
                    item = MethodItem(method.summary or method.id, method)
                    tip = f"<b>{method.verb} {method.path}</b><br>{method.id}"
                    if method.description:
                        tip += f"<br><br>{method.description}"
                    if not method.documented:
                        tip += "<br><br><i>Undocumented: not in the official reference.</i>"
                    item.setToolTip(tip)
                    group_item.appendRow(item)
                    self._items[method.key] = item
                api_item.appendRow(group_item)
            self.model.appendRow(api_item)
        self.tree.expandToDepth(0)

    # -- filtering ----------------------------------------------------------------------------------------

    def _filter(self, text: str) -> None:
        searching = bool(text.strip())
        if searching and self._expanded is None:
            self._expanded = self._expanded_rows()
        self._quiet = True
        try:
            self.proxy.set_query(text)
            if searching:
                self.tree.expandAll()
                # Hiding the current row moves Qt's current index to a neighbour: put it back on the
                # active method, or on nothing, so the highlight never suggests another method is chosen.
                self.tree.setCurrentIndex(self._proxy_index(self._active_key) or QModelIndex())
            elif self._expanded is not None:
                self.tree.collapseAll()
                for source in self._expanded:
                    self.tree.expand(self.proxy.mapFromSource(source))
                self._expanded = None
                self.tree.setCurrentIndex(self._reveal(self._active_key) or QModelIndex())
        finally:
            self._quiet = False

    def _expanded_rows(self) -> list[QPersistentModelIndex]:
        expanded: list[QPersistentModelIndex] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                if self.tree.isExpanded(index):
                    expanded.append(QPersistentModelIndex(self.proxy.mapToSource(index)))
                    walk(index)

        walk(QModelIndex())
        return expanded

    def visible_methods(self) -> list[Method]:
        """Methods that pass the current filter, in display order (for tests and keyboard navigation)."""
        found: list[Method] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self.proxy.rowCount(parent)):
                index = self.proxy.index(row, 0, parent)
                method = self.method_at(index)
                if method is not None:
                    found.append(method)
                walk(index)

        walk(QModelIndex())
        return found

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Down moves into the results and Enter picks the best one, as in other command palettes.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                visible = self.visible_methods()
                if event.key() != Qt.Key.Key_Down:
                    if visible:
                        self._pick(self._proxy_index(visible[0].key) or QModelIndex())
                    return True
                if not self.tree.currentIndex().isValid() and visible:
                    self._quiet = True
                    try:
                        self.tree.setCurrentIndex(self._proxy_index(visible[0].key) or QModelIndex())
                    finally:
                        self._quiet = False
                self.tree.setFocus()
                return True
        return super().eventFilter(watched, event)

    # -- selection ----------------------------------------------------------------------------------------

    def current_method(self) -> Method | None:
        """The method on the tree's current row: while searching, possibly a result not picked yet."""
        return self.method_at(self.tree.currentIndex())

    def active_method(self) -> Method | None:
        """The method last picked (by the user or `select_method`): the one the editor shows."""
        item = self._items.get(self._active_key or "")
        return item.method if item is not None else None

    def method_at(self, proxy_index: QModelIndex | QPersistentModelIndex) -> Method | None:
        if not proxy_index.isValid():
            return None
        item = self.model.itemFromIndex(self.proxy.mapToSource(proxy_index))
        return item.method if isinstance(item, MethodItem) else None

    def select_method(self, key: str) -> bool:
        """Pick a method by its key (`api:id`), clearing a search that hides it; False when unknown."""
        index = self._reveal(key)
        if index is None and key in self._items and self.search.text():
            self.search.clear()
            index = self._reveal(key)
        if index is None:
            return False
        self._pick(index)
        return True

    def _proxy_index(self, key: str | None) -> QModelIndex | None:
        item = self._items.get(key or "")
        if item is None:
            return None
        index = self.proxy.mapFromSource(item.index())
        return index if index.isValid() else None

    def _reveal(self, key: str | None) -> QModelIndex | None:
        index = self._proxy_index(key)
        if index is None:
            return None
        self.tree.expand(index.parent())
        self.tree.expand(index.parent().parent())
        self.tree.scrollTo(index)
        return index

    def _pick(self, index: QModelIndex) -> None:
        """Make the method at `index` current and active, and announce it when it changed."""
        method = self.method_at(index)
        if method is None:
            return
        self._quiet = True
        try:
            self.tree.setCurrentIndex(index)
        finally:
            self._quiet = False
        if method.key != self._active_key:
            self._active_key = method.key
            self.method_selected.emit(method)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        if not current.isValid():
            self._active_key = None  # cleared from outside (an imported cURL request): no method is active
        elif not self.search.text().strip():
            # Browsing the whole tree with the arrow keys picks as it goes; while searching only Enter,
            # a click or a double-click picks a result.
            self._pick(current)

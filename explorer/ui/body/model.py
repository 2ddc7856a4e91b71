"""A lazy QAbstractItemModel (key, value, type) adapting the Qt-free jsontree nodes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt

from explorer.core.jsontree.nodes import BATCH, Node, summary

COLUMNS = ("Key", "Value", "Type")
NodeRole = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
# Built once: the view asks for flags twice per row while laying out, and enum `|` is slow in Python.
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class JsonTreeModel(QAbstractItemModel):
    """One top-level row (the document root, shown as `$`); children are fetched in batches.

    Every node is owned by its parent's `children` list (and the root by the model): createIndex keeps
    only a raw pointer, so a node that Python collected would leave a dangling index behind.
    """

    def __init__(self, root: Node, parent: Any = None) -> None:
        super().__init__(parent)
        self._root = root
        # Views and QAbstractItemModelTester call fetchMore again while rows are being inserted
        # (from rowsAboutToBeInserted); without this guard the same batch would be inserted twice.
        self._fetching = False

    @property
    def root(self) -> Node:
        return self._root

    def node(self, index: AnyIndex) -> Node | None:
        return index.internalPointer() if index.isValid() else None

    def index_for(self, node: Node, column: int = 0) -> QModelIndex:
        return self.createIndex(node.row, column, node)

    # --- structure -------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(COLUMNS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(0, column, self._root) if row == 0 else QModelIndex()
        node: Node = parent.internalPointer()
        if parent.column() != 0 or row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, column, node.children[row])

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        node: Node = index.internalPointer()
        if node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        if not parent.isValid():
            return 1
        if parent.column() != 0:
            return 0
        return len(parent.internalPointer().children)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return len(COLUMNS)

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008, N802
        if not parent.isValid():
            return True
        if parent.column() != 0:
            return False
        return parent.internalPointer().count > 0

    def canFetchMore(self, parent: AnyIndex) -> bool:  # noqa: N802
        if not parent.isValid() or parent.column() != 0:
            return False
        return parent.internalPointer().can_fetch_more()

    def fetchMore(self, parent: AnyIndex) -> None:  # noqa: N802
        if self._fetching or not self.canFetchMore(parent):
            return
        self.fetch_batch(parent.internalPointer())

    def fetch_batch(self, node: Node, limit: int = BATCH) -> int:
        """Insert the next batch of `node`'s children; returns how many rows were added."""
        want = node.pending(limit)
        if self._fetching or want <= 0:
            return 0
        self._fetching = True
        try:
            start = len(node.children)
            self.beginInsertRows(self.index_for(node), start, start + want - 1)
            node.fetch(want)
            self.endInsertRows()
        finally:
            self._fetching = False
        return want

    def ensure_children(self, node: Node, upto: int | None = None) -> None:
        """Fetch batches until `node` has `upto + 1` children (or its first batch when `upto` is None)."""
        target = 0 if upto is None else upto
        while node.can_fetch_more() and len(node.children) <= target:
            if not self.fetch_batch(node, max(BATCH, target + 1 - len(node.children))):
                break

    # --- data ------------------------------------------------------------------------------------
    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: Node = index.internalPointer()
        if role == NodeRole:
            return node
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == 0:
            return "$" if node.parent is None else str(node.key)
        if column == 1:
            return summary(node.value)
        return node.kind

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return _ROW_FLAGS

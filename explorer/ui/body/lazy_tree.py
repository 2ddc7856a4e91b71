"""The JSON tree's QTreeView: End, arrows, paging and scrolling fetch batches, so every row is reachable."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeView, QWidget

from explorer.core.jsontree.nodes import BATCH
from explorer.ui.body.model import JsonTreeModel

CursorAction = QAbstractItemView.CursorAction


class LazyTreeView(QTreeView):
    """A QTreeView over a JsonTreeModel that fetches the next batch wherever a batch's end is reached.

    QTreeView itself asks for more rows only for the ancestors of the tree's very last row, and only when
    the scroll bar reaches its maximum: an array with siblings after it never grows, and End stops at the
    last row fetched so far. Here a batch's last row coming into view (or being stepped past) fetches the
    next batch of its container, and End fetches whatever lies between the cursor and the real last row.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Expanding, collapsing and resizing move rows without scrolling; one check after the layout settles.
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(0)
        self._recheck.timeout.connect(self.fetch_visible)
        self.verticalScrollBar().valueChanged.connect(self.fetch_visible)
        self.verticalScrollBar().rangeChanged.connect(self._recheck.start)
        self.expanded.connect(self._recheck.start)
        self.collapsed.connect(self._recheck.start)

    def json_model(self) -> JsonTreeModel | None:
        model = self.model()
        return model if isinstance(model, JsonTreeModel) else None

    # --- fetching ----------------------------------------------------------------------------------
    def fetch_visible(self) -> None:
        """Fetch the next batch of every container whose last fetched row is on screen."""
        top = self.indexAt(QPoint(0, 0))
        if top.isValid():
            self._fetch_from(top, self._page_rows() + 1)

    def _page_rows(self) -> int:
        height = self.rowHeight(self.indexAt(QPoint(0, 0))) or self.fontMetrics().height()
        return max(1, self.viewport().height() // max(1, height))

    def _fetch_from(self, index: QModelIndex, rows: int) -> None:
        """Walk `rows` rows down from `index`, completing each batch boundary met on the way."""
        for _ in range(rows):
            if not index.isValid():
                return
            self._extend_after(index)
            index = self.indexBelow(index)

    def _extend_after(self, index: QModelIndex) -> None:
        """When `index` is the last fetched row of containers that have more, fetch their next batch."""
        model = self.json_model()
        node = model.node(index) if model is not None else None
        while model is not None and node is not None and node.parent is not None:
            parent = node.parent
            if node.row != len(parent.children) - 1:
                return  # the row below is a fetched sibling: nothing is missing here
            if parent.can_fetch_more():
                # Growing by what is already there (at least a batch): every insertion re-lays out all
                # the container's rows, so equal batches would make scrolling through 1M rows quadratic.
                model.fetch_batch(parent, max(BATCH, len(parent.children)))
                return
            node = parent  # the last child of a complete container: its parent's boundary may follow

    def fetch_to_end(self) -> None:
        """Fetch every row between the expanded containers along the tree's end and their last child."""
        model = self.json_model()
        if model is None:
            return
        node = model.root
        while node.count and self.isExpanded(model.index_for(node)):
            # One insertion for the rest: batch by batch, each would re-lay out the growing view.
            model.fetch_batch(node, node.count - len(node.children))
            node = node.children[-1]

    # --- Qt overrides ------------------------------------------------------------------------------
    def moveCursor(  # noqa: N802
        self, cursorAction: CursorAction, modifiers: object  # noqa: N803
    ) -> QModelIndex:
        if cursorAction == CursorAction.MoveEnd:
            self.fetch_to_end()
        elif cursorAction in (CursorAction.MoveDown, CursorAction.MoveNext):
            self._extend_after(self.currentIndex())
        elif cursorAction == CursorAction.MovePageDown:
            self._fetch_from(self.currentIndex(), self._page_rows() + 1)
        return super().moveCursor(cursorAction, modifiers)  # type: ignore[arg-type]

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._recheck.start()

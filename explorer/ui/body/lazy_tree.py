"""The JSON tree's QTreeView: End, arrows, paging and scrolling fetch batches, so every row is reachable."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, QPoint, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeView, QWidget

from explorer.core.jsontree.nodes import BATCH
from explorer.ui.body.model import JsonTreeModel

CursorAction = QAbstractItemView.CursorAction
ScrollHint = QAbstractItemView.ScrollHint
KEY, VALUE, TYPE = range(3)
KEY_SHARE = 0.4  # the key column never takes more of the pane than this: the value needs the room


class LazyTreeView(QTreeView):
    """A QTreeView over a JsonTreeModel that fetches the next batch wherever a batch's end is reached.

    QTreeView itself asks for more rows only for the ancestors of the tree's very last row, and only when
    the scroll bar reaches its maximum: an array with siblings after it never grows, and End stops at the
    last row fetched so far. Here a batch's last row coming into view (or being stepped past) fetches the
    next batch of its container, and End fetches whatever lies between the cursor and the real last row.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._key_width_chosen = False  # the user dragged the key column: stop sizing it to its content
        self._fitting = False
        self.header().sectionResized.connect(self._section_resized)
        # Expanding, collapsing and resizing move rows without scrolling; one check after the layout settles.
        self._recheck = QTimer(self)
        self._recheck.setSingleShot(True)
        self._recheck.setInterval(0)
        self._recheck.timeout.connect(self.fetch_visible)
        self.verticalScrollBar().valueChanged.connect(self.fetch_visible)
        self.verticalScrollBar().rangeChanged.connect(self._recheck.start)
        self.expanded.connect(self._recheck.start)
        self.collapsed.connect(self._recheck.start)
        # The key column follows what is shown: measured again once an expansion has been laid out.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_columns)
        self.expanded.connect(self._refit.start)

    # --- columns -----------------------------------------------------------------------------------
    def setModel(self, model: QAbstractItemModel | None) -> None:  # noqa: N802
        super().setModel(model)
        header = self.header()
        # Key and type take what their text needs and the value the rest, so the type column is always
        # in the pane; a value wider than its cell is cut with an ellipsis (the detail pane shows it all).
        header.setStretchLastSection(False)
        header.setSectionResizeMode(KEY, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(TYPE, QHeaderView.ResizeMode.ResizeToContents)
        self._key_width_chosen = False
        self._refit.start()

    def fit_columns(self) -> None:
        """Size the key column to the rows on screen, at most KEY_SHARE of the pane (unless dragged)."""
        if self.model() is None or self._key_width_chosen:
            return
        cap = int(self.viewport().width() * KEY_SHARE)
        wanted = max(self.sizeHintForColumn(KEY), self.header().sectionSizeHint(KEY))
        self._fitting = True
        try:
            self.header().resizeSection(KEY, max(self.header().minimumSectionSize(), min(wanted, cap)))
        finally:
            self._fitting = False

    def _section_resized(self, section: int, _old: int, _new: int) -> None:
        if section == KEY and not self._fitting and self.header().underMouse():
            self._key_width_chosen = True

    def scrollTo(  # noqa: N802
        self, index: QModelIndex | QPersistentModelIndex, hint: ScrollHint = ScrollHint.EnsureVisible
    ) -> None:
        # Rows are what a click or a key selects: scroll vertically only, never sideways to a cell (which
        # would push the key column out of sight).
        left = self.horizontalScrollBar().value()
        super().scrollTo(index, hint)
        self.horizontalScrollBar().setValue(left)

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
        if event.size().width() != event.oldSize().width():
            self._refit.start()

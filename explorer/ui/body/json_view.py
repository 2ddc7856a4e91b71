"""The JSON tree view: lazy tree, detail pane, copy actions, expand to depth, search and filter bars."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QMenu,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.jsontree.nodes import ARRAY, Node, scalar_text
from explorer.core.jsontree.parse import JsonDocument
from explorer.core.jsontree.paths import jq_path, jsonpath
from explorer.core.jsontree.serialise import subtree_json
from explorer.core.jsontree.tree_index import find_node, iter_expansion
from explorer.ui.body.detail import DetailPane
from explorer.ui.body.filter_bar import FilterBar
from explorer.ui.body.lazy_tree import LazyTreeView
from explorer.ui.body.model import JsonTreeModel
from explorer.ui.body.search_bar import SearchBar
from explorer.ui.labels import ElidedLabel

EXPAND_LIMIT = 5_000  # nodes expanded by "Expand to depth"; beyond that the view would crawl


class JsonTreeView(QWidget):
    """Tree + detail pane over one JsonDocument; the search and filter bars plug in above the tree."""

    copied = Signal(str)  # what went to the clipboard, for a status line
    use_as_variable = Signal(str, str)  # the JSONPath of the selected value and the value as text

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: JsonDocument | None = None  # the body's own document
        self.shown_document: JsonDocument | None = None  # the body, or a filter's result
        self.model: JsonTreeModel | None = None
        # Keys above the tree's root in the body (("message",) when a Disqus envelope is unwrapped), so
        # copied paths are paths in the body the server sent.
        self.path_prefix: tuple = ()

        self.tree = LazyTreeView(self)
        self.index_dialog: QInputDialog | None = None  # the open "Go to index" dialog, if any
        self.tree.setUniformRowHeights(True)  # constant-time row geometry: essential for 1M rows
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.detail = DetailPane(self)
        # Lower minimums than a scroll area's own (70 each): with the response below the request, the
        # window must still fit a 640-pixel-high screen; the splitter gives them room when there is some.
        self.tree.setMinimumHeight(36)
        self.detail.setMinimumHeight(26)

        self.actions_bar = QHBoxLayout()
        self.actions_bar.setContentsMargins(0, 0, 0, 0)
        # Not "depth": that name is QWidget.depth(), the screen's colour depth.
        self.depth_box = QSpinBox(self)
        self.depth_box.setRange(1, 64)
        self.depth_box.setValue(2)
        self.depth_box.setPrefix("depth ")
        self.act_copy_value = self._action("Copy value", self.copy_value, "Ctrl+C")
        self.act_copy_subtree = self._action("Copy subtree as JSON", self.copy_subtree)
        self.act_copy_jsonpath = self._action("Copy JSONPath", self.copy_jsonpath)
        self.act_copy_jq = self._action("Copy jq path", self.copy_jq_path)
        self.act_use_as_variable = self._action("Use as variable…", self.offer_as_variable)
        self.act_use_as_variable.setToolTip("Keep this value as a {{variable}} for the next requests")
        self.act_expand = self._action("Expand", lambda: self.expand_to_depth(self.depth_box.value()))
        self.act_collapse = self._action("Collapse all", self.collapse_all)
        self.act_go_to_index = self._action("Go to index…", self.ask_index, "Ctrl+G")
        self.act_go_to_index.setToolTip("Go to item N of the selected array (or of the item's array)")
        for action in (self.act_expand,):
            self.actions_bar.addWidget(self._button(action))
        self.actions_bar.addWidget(self.depth_box)
        self.actions_bar.addWidget(self._button(self.act_collapse))
        # One "Copy path" button with both forms in its menu: two buttons made the window too wide for a
        # 1024-pixel screen. A click copies the JSONPath (the form collections capture with).
        self.copy_path_button = QToolButton(self)
        self.copy_path_button.setText("Copy path")
        self.copy_path_button.clicked.connect(self.act_copy_jsonpath.trigger)
        self.copy_path_button.setToolTip("Copy the selected row's path (the arrow: JSONPath or jq)")
        path_menu = QMenu(self.copy_path_button)
        path_menu.addActions([self.act_copy_jsonpath, self.act_copy_jq])
        self.copy_path_button.setMenu(path_menu)
        self.copy_path_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.actions_bar.addWidget(self.copy_path_button)
        # Elided: a long jq expression or path must not widen the pane (and with it the window) for good.
        self.status = ElidedLabel(parent=self)
        self.status.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.actions_bar.addWidget(self.status, 1)  # takes the free space, so it is all the text may use

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.search_bar = SearchBar(self.select_path, self)
        self.filter_bar = FilterBar(self)
        self.filter_bar.applied.connect(self._show_filtered)
        self.filter_bar.cleared.connect(self._show_unfiltered)
        self.top_bars = QVBoxLayout()
        self.top_bars.setContentsMargins(0, 0, 0, 0)
        self.top_bars.addWidget(self.search_bar)
        self.top_bars.addWidget(self.filter_bar)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.top_bars)
        layout.addLayout(self.actions_bar)
        layout.addWidget(splitter, 1)

    def _action(self, text: str, slot: object, shortcut: str | None = None) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(slot)
        if shortcut:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.tree.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        return button

    # --- document --------------------------------------------------------------------------------
    def set_document(self, document: JsonDocument, source: object = None) -> None:
        """Show a parsed body; `source` (bytes-like or Path) is what filters read. Clears any filter."""
        self.document = document
        self.filter_bar.set_source(source)
        self._show_document(document)

    def _show_document(self, document: JsonDocument | None) -> None:
        """Put `document` in the tree: root row expanded, first batch of its children visible."""
        if document is None:
            return
        old = self.model
        self.shown_document = document
        self.model = JsonTreeModel(Node(document.root), self)
        self.tree.setModel(self.model)
        if old is not None:
            old.deleteLater()
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        root_index = self.model.index(0, 0)
        self.model.fetch_batch(self.model.root)  # the first rows exist even before the view is shown
        self.tree.expand(root_index)
        self.tree.setCurrentIndex(root_index)
        self.search_bar.set_root(document.root)

    def _show_filtered(self, document: JsonDocument) -> None:
        self._show_document(document)
        count = len(document.root) if document.root is not None else 0
        self.status.setText(f"jq {self.filter_bar.active_expression} → {count:,} result{'s' * (count != 1)}")

    def _show_unfiltered(self) -> None:
        self._show_document(self.document)
        self.status.setText("")

    def clear(self) -> None:
        self.search_bar.cancel()
        self.filter_bar.set_source(None)
        self.tree.setModel(None)
        if self.model is not None:
            self.model.deleteLater()
        self.model = None
        self.document = self.shown_document = None
        self.detail.show_node(None)

    # --- selection -------------------------------------------------------------------------------
    def current_node(self) -> Node | None:
        if self.model is None:
            return None
        return self.model.node(self.tree.currentIndex())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.detail.show_node(self.model.node(current) if self.model else None)

    def select_path(self, keys: tuple) -> bool:
        """Expand down to `keys` (fetching batches as needed) and select that row; False if absent."""
        if self.model is None:
            return False
        node = find_node(self.model.root, keys, self.model.fetch_batch)
        if node is None:
            return False
        ancestor = node.parent
        while ancestor is not None:
            self.tree.expand(self.model.index_for(ancestor))
            ancestor = ancestor.parent
        index = self.model.index_for(node)
        self.tree.setCurrentIndex(index)
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    # --- actions ---------------------------------------------------------------------------------
    def _to_clipboard(self, text: str, what: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.status.flash(f"Copied {what}")
        self.copied.emit(text)

    def copy_value(self) -> None:
        node = self.current_node()
        if node is not None:
            text = subtree_json(node.value) if node.is_container else scalar_text(node.value)
            self._to_clipboard(text, "value")

    def copy_subtree(self) -> None:
        node = self.current_node()
        if node is not None:
            self._to_clipboard(subtree_json(node.value), "subtree as JSON")

    def copy_jsonpath(self) -> None:
        node = self.current_node()
        if node is not None:
            self._to_clipboard(jsonpath(self.body_path(node)), "JSONPath")

    def copy_jq_path(self) -> None:
        node = self.current_node()
        if node is not None:
            self._to_clipboard(jq_path(self.body_path(node)), "jq path")

    def offer_as_variable(self) -> None:
        """Hand the selected value and its JSONPath to whoever keeps variables (the window asks a name)."""
        node = self.current_node()
        if node is None or self.shown_document is not self.document:
            return  # a filter's result has paths of its own, which the next response would not have
        text = subtree_json(node.value) if node.is_container else scalar_text(node.value)
        self.use_as_variable.emit(jsonpath(self.body_path(node)), text)

    def body_path(self, node: Node) -> tuple:
        """`node`'s keys from the root of the body (a filter's result has paths of its own)."""
        prefix = self.path_prefix if self.shown_document is self.document else ()
        return (*prefix, *node.path())

    def current_array(self) -> Node | None:
        """The array "Go to index" works in: the selected array, else the nearest one above the selection."""
        node = self.current_node()
        while node is not None and node.kind != ARRAY:
            node = node.parent
        return node

    def go_to_index(self, number: int, array: Node | None = None) -> bool:
        """Select item `number` of `array` (default: current_array()), fetching batches up to it."""
        array = array if array is not None else self.current_array()
        if array is None or not 0 <= number < array.count:
            return False
        return self.select_path((*array.path(), number))

    def ask_index(self) -> None:
        """Ask which item of the current array to show (non-modal: the asyncio loop keeps running)."""
        array = self.current_array()
        if array is None or array.count == 0:
            self.status.flash("Go to index: select an array or one of its items first")
            return
        node = self.current_node()
        start = node.key if node is not None and node.parent is array and isinstance(node.key, int) else 0
        dialog = QInputDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle("Go to index")
        dialog.setLabelText(f"Item of {jq_path(array.path()) or '.'} (0 to {array.count - 1:,}):")
        dialog.setInputMode(QInputDialog.InputMode.IntInput)
        dialog.setIntRange(0, array.count - 1)
        dialog.setIntValue(start)
        path = array.path()  # a path, not the node: a filter may replace the tree while the dialog is open
        dialog.intValueSelected.connect(lambda number: self.select_path((*path, number)))
        dialog.destroyed.connect(lambda *_: setattr(self, "index_dialog", None))
        self.index_dialog = dialog
        dialog.open()

    def expand_to_depth(self, depth: int) -> None:
        """Expand every container down to `depth` levels below the root (capped at EXPAND_LIMIT nodes)."""
        if self.model is None:
            return
        model = self.model
        expanded = 0
        for node in iter_expansion(model.root, depth, model.ensure_children, EXPAND_LIMIT):
            self.tree.expand(model.index_for(node))
            expanded += 1
        if expanded >= EXPAND_LIMIT:
            self.status.flash(f"Expanded the first {EXPAND_LIMIT:,} containers")

    def collapse_all(self) -> None:
        self.tree.collapseAll()

    def _context_menu(self, pos: QPoint) -> None:
        self.context_menu().popup(self.tree.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu:
        """The tree's right-click menu for the selected row."""
        menu = QMenu(self)
        for action in (self.act_copy_value, self.act_copy_subtree, self.act_copy_jsonpath, self.act_copy_jq):
            menu.addAction(action)
        if self.shown_document is self.document:
            menu.addAction(self.act_use_as_variable)
        menu.addSeparator()
        menu.addAction(self.act_expand)
        menu.addAction(self.act_collapse)
        if self.current_array() is not None:
            menu.addSeparator()
            menu.addAction(self.act_go_to_index)
        return menu

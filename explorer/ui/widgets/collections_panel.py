"""The Collections tab: open collections as a tree (folders as groups); rename, duplicate, move, delete."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.ui import theme
from explorer.ui.shortcuts import bind_widget_shortcuts
from explorer.ui.widgets.collection_edits import ROOT, CollectionEdits, display_name

if TYPE_CHECKING:
    from explorer.core.collections.folder import Collection, CollectionItem

KEY_ROLE = Qt.ItemDataRole.UserRole


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for child in (item.child(i) for i in range(item.childCount())) if child is not None]


def _collection_key(key: str) -> str:
    return key.split("\n", 1)[0]


class CollectionsPanel(CollectionEdits):
    """Lists the open collections; opening and running are the window's to do (signals), file changes here.

    A damaged request file is listed in red with its error as the tooltip, never hidden: the person who
    broke it in a text editor sees what to repair. The changes on disk are CollectionEdits'.
    """

    open_requested = Signal(object, object)  # Collection, CollectionItem
    run_requested = Signal(object, object)  # Collection, folder relative path (ROOT for all of it)
    variables_requested = Signal(object)  # Collection
    close_requested = Signal(object)  # Collection
    open_folder_requested = Signal()
    new_collection_requested = Signal()
    import_requested = Signal()
    captures_requested = Signal()
    refreshed = Signal()  # the tree was read again from disk (the folders to watch may have changed)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.collections: list[Collection] = []
        self._prints: list[object] = []
        self._entries: dict[str, tuple[Collection, CollectionItem | None]] = {}
        self._seen: set[str] = set()  # the folders of the collections shown before

        buttons = QHBoxLayout()
        buttons.setContentsMargins(4, 4, 4, 0)
        made: list[QToolButton] = []
        for text, tip, signal in (
            (
                "Open…",
                "Open a folder as a collection (a team can keep one in git)",
                self.open_folder_requested,
            ),
            ("New…", "Make a new, empty collection in a folder", self.new_collection_requested),
            (
                "Import…",
                "Import a Postman, Bruno or Insomnia collection, or a cURL command",
                self.import_requested,
            ),
        ):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(signal.emit)
            buttons.addWidget(button)
            made.append(button)
        self.open_button = made[0]
        self.open_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        buttons.addStretch(1)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.itemActivated.connect(lambda item, _column: self._activated(item))
        self.empty = QLabel(
            "No collection open. A collection is a folder of request files: open one (Open…), "
            "make one (New…), import one (Import…), or save a request into one with Ctrl+S."
        )
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)  # under its buttons
        # The palette's normal text colour (a disabled label's grey was hard to read), a little smaller.
        self.empty.setFont(theme.small_font(self.empty.font()))
        self.empty.setContentsMargins(8, 8, 8, 8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.tree, 1)
        self.shortcuts = bind_widget_shortcuts(
            self.tree, {"collection_rename": self.rename_selected, "collection_delete": self.delete_selected}
        )
        self._show_empty()

    # -- contents ------------------------------------------------------------------------------------------

    def set_collections(self, collections: Sequence[Collection]) -> None:
        self.collections = list(collections)
        self.refresh()

    def poll(self) -> bool:
        """Look for changes made outside the app (a `git pull`); True when the tree was read again."""
        prints = [self._fingerprint(c) for c in self.collections]
        if prints == self._prints:
            return False
        self.refresh()
        return True

    @staticmethod
    def _fingerprint(collection: Collection) -> object:
        try:
            return collection.fingerprint()
        except OSError as exc:  # the folder went away: that is a change too
            return str(exc)

    def refresh(self) -> None:
        """Read every collection again, keeping what was expanded and selected."""
        expanded = {k for k, item in self._items() if item.isExpanded()}
        current = self.tree.currentItem()
        selected = current.data(0, KEY_ROLE) if current is not None else None
        seen = self._seen
        self._prints = [self._fingerprint(c) for c in self.collections]
        self.tree.clear()
        self._entries = {}
        for collection in self.collections:
            where = str(collection.directory)
            root = self._add(None, f"{where}\n", collection, None, collection.name)
            root.setToolTip(0, str(collection.directory))
            font = QFont(root.font(0))
            font.setBold(True)
            root.setFont(0, font)
            folders: dict[PurePosixPath, QTreeWidgetItem] = {ROOT: root}
            if not collection.directory.is_dir():  # else it lists as an empty collection that looks fine
                self._mark_error(root, f"The folder is no longer there (moved or deleted?): {where}")
                continue
            try:
                items = collection.items()
            except OSError as exc:
                self._mark_error(root, f"The folder cannot be read: {exc.strerror or exc}")
                continue
            for item in items:
                parent = folders.get(item.relative.parent, root)
                row = self._add(
                    parent, f"{where}\n{item.relative}", collection, item, display_name(item.relative)
                )
                if item.is_folder:
                    folders[item.relative] = row
                elif item.error is not None:
                    self._mark_error(row, item.error)
                elif item.spec is not None:
                    row.setToolTip(0, f"{item.spec.label()}\n{item.relative}")
        for key, shown in self._items():
            # A collection seen for the first time shows all its groups open; later, as the user left them.
            if key in expanded or _collection_key(key) not in seen:
                shown.setExpanded(True)
            if key == selected:
                self.tree.setCurrentItem(shown)
        self._seen = {str(c.directory) for c in self.collections}
        self._show_empty()
        self.refreshed.emit()

    def folders(self) -> list[Path]:
        """Every folder listed now: each collection's own and its groups (what a file watcher watches)."""
        out = [c.directory for c in self.collections]
        out += [item.path for _, item in self._entries.values() if item is not None and item.is_folder]
        return out

    def _add(
        self,
        parent: QTreeWidgetItem | None,
        key: str,
        collection: Collection,
        item: CollectionItem | None,
        text: str,
    ) -> QTreeWidgetItem:
        row = QTreeWidgetItem([text])
        row.setData(0, KEY_ROLE, key)
        self._entries[key] = (collection, item)
        if parent is None:
            self.tree.addTopLevelItem(row)
        else:
            parent.addChild(row)
        return row

    @staticmethod
    def _mark_error(row: QTreeWidgetItem, error: str) -> None:
        row.setForeground(0, QBrush(QColor(theme.SEVERITY_COLOURS["error"])))
        row.setText(0, f"{row.text(0)} (damaged)")
        row.setToolTip(0, error)

    def _items(self) -> list[tuple[str, QTreeWidgetItem]]:
        out: list[tuple[str, QTreeWidgetItem]] = []
        stack = _children(self.tree.invisibleRootItem())
        while stack:
            item = stack.pop()
            out.append((str(item.data(0, KEY_ROLE)), item))
            stack.extend(_children(item))
        return out

    def _show_empty(self) -> None:
        self.empty.setVisible(not self.collections)
        self.tree.setVisible(bool(self.collections))

    # -- reading the selection -----------------------------------------------------------------------------

    def entry(self, row: QTreeWidgetItem | None) -> tuple[Collection, CollectionItem | None] | None:
        if row is None:
            return None
        return self._entries.get(row.data(0, KEY_ROLE))

    def selected(self) -> tuple[Collection, CollectionItem | None] | None:
        """(collection, item) of the selected row; item is None for a collection's own row."""
        return self.entry(self.tree.currentItem())

    def select(self, collection: Collection, relative: PurePosixPath | None = None) -> bool:
        """Select the row of `relative` in `collection` (its own row for None); False when not listed."""
        for key, row in self._items():
            found = self._entries.get(key)
            if found is None or found[0].directory != collection.directory:
                continue
            item = found[1]
            if (relative is None and item is None) or (item is not None and item.relative == relative):
                parent = row.parent()
                while parent is not None:
                    parent.setExpanded(True)
                    parent = parent.parent()
                self.tree.setCurrentItem(row)
                return True
        return False

    def row_texts(self) -> list[str]:
        """Every row as "indent + text", top to bottom (what the tree shows, expanded or not)."""
        out: list[str] = []

        def walk(item: QTreeWidgetItem, depth: int) -> None:
            out.append("  " * depth + item.text(0))
            for child in _children(item):
                walk(child, depth + 1)

        for top in _children(self.tree.invisibleRootItem()):
            walk(top, 0)
        return out

    @staticmethod
    def folders_of(collection: Collection) -> list[PurePosixPath]:
        """The collection's folders, the collection itself (ROOT) first."""
        try:
            items = collection.items()
        except OSError:
            items = []
        return [ROOT, *(item.relative for item in items if item.is_folder)]

    # -- opening -------------------------------------------------------------------------------------------

    def _activated(self, row: QTreeWidgetItem | None) -> None:
        found = self.entry(row)
        if found is None:
            return
        collection, item = found
        if item is None or item.is_folder:
            return  # Enter or a double-click on a group opens or closes it (the tree does that)
        if item.error is not None:
            self.notice.emit(f"{item.relative} cannot be opened: {item.error}")
            return
        self.open_requested.emit(collection, item)

    def _context_menu(self, pos: QPoint) -> None:
        row = self.tree.itemAt(pos)
        if row is not None:
            self.tree.setCurrentItem(row)
        menu = self.context_menu()
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu:
        """The menu for the selected row (made fresh each time: what it offers depends on the row)."""
        menu = QMenu(self)
        found = self.selected()
        if found is not None:
            collection, item = found
            if item is not None and not item.is_folder:
                menu.addAction("Open in a new tab", lambda: self._activated(self.tree.currentItem()))
            if item is None or item.is_folder:
                folder = ROOT if item is None else item.relative
                menu.addAction("Run", lambda: self.run_requested.emit(collection, folder))
            menu.addAction("New folder…", self.new_folder)
            if item is not None:
                menu.addSeparator()
                menu.addAction("Rename…\tF2", self.rename_selected)
                if not item.is_folder:
                    menu.addAction("Duplicate", self.duplicate_selected)
                menu.addAction("Move to folder…", self.move_selected)
                menu.addAction("Delete…\tDel", self.delete_selected)
            else:
                menu.addSeparator()
                menu.addAction("Rename…\tF2", self.rename_selected)
                menu.addAction("Variables…", lambda: self.variables_requested.emit(collection))
                menu.addAction("Close collection", lambda: self.close_requested.emit(collection))
            menu.addSeparator()
        menu.addAction("Open folder as collection…", self.open_folder_requested.emit)
        menu.addAction("New collection…", self.new_collection_requested.emit)
        menu.addAction("Import collection…", self.import_requested.emit)
        menu.addSeparator()
        menu.addAction("Captured values…", self.captures_requested.emit)
        return menu

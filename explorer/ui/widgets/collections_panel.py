"""The Collections tab: open collections as a tree (folders as groups); rename, duplicate, move, delete."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.ui import theme
from explorer.ui.shortcuts import bind_widget_shortcuts

if TYPE_CHECKING:
    from explorer.core.collections.folder import Collection, CollectionItem

KEY_ROLE = Qt.ItemDataRole.UserRole
ROOT = PurePosixPath(".")  # the collection itself, as a folder

# (title, question, on_yes) and (title, label, start text, on_ok): tests replace them with ones that answer.
Confirm = Callable[[str, str, Callable[[], None]], None]
AskText = Callable[[str, str, str, Callable[[str], None]], None]
AskChoice = Callable[[str, str, list[str], Callable[[str], None]], None]
Relocation = Callable[[], PurePosixPath]


def _ignore(_result: object) -> None:
    """Drop a result: a question's answer runs an action whose outcome the tree and the status bar show."""


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    return [child for child in (item.child(i) for i in range(item.childCount())) if child is not None]


def _collection_key(key: str) -> str:
    return key.split("\n", 1)[0]


def display_name(relative: PurePosixPath) -> str:
    """A request file shows without its .json suffix; a folder as it is named."""
    name = relative.name
    return name[: -len(".json")] if name.lower().endswith(".json") else name


class CollectionsPanel(QWidget):
    """Lists the open collections; opening and running are the window's to do (signals), file changes here.

    A damaged request file is listed in red with its error as the tooltip, never hidden: the person who
    broke it in a text editor sees what to repair.
    """

    open_requested = Signal(object, object)  # Collection, CollectionItem
    run_requested = Signal(object, object)  # Collection, folder relative path (ROOT for all of it)
    variables_requested = Signal(object)  # Collection
    close_requested = Signal(object)  # Collection
    open_folder_requested = Signal()
    new_collection_requested = Signal()
    import_requested = Signal()
    changed = Signal()  # a file was renamed, duplicated, moved, deleted or a folder made
    moved = Signal(object, object)  # the Path a file or folder had, and the Path it has now
    notice = Signal(str)  # a short message for the status bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.collections: list[Collection] = []
        self._prints: list[object] = []
        self._entries: dict[str, tuple[Collection, CollectionItem | None]] = {}
        self._seen: set[str] = set()  # the folders of the collections shown before
        self.confirm: Confirm = self._confirm
        self.ask_text: AskText = self._ask_text
        self.ask_choice: AskChoice = self._ask_choice
        self.dialog: QWidget | None = None  # the question open now, if any

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
        self.empty.setEnabled(False)
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

    # -- actions -------------------------------------------------------------------------------------------

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

    def _selected_item(self) -> tuple[Collection, CollectionItem] | None:
        """The selected file or folder (None for a collection's own row or no selection)."""
        found = self.selected()
        if found is None:
            return None
        collection, item = found
        return None if item is None else (collection, item)

    def _folder_of_selection(self) -> tuple[Collection, PurePosixPath] | None:
        found = self.selected()
        if found is None:
            return None
        collection, item = found
        if item is None:
            return collection, ROOT
        return collection, item.relative if item.is_folder else item.relative.parent

    def _do(self, what: str, action: Callable[[], object], *, announce: bool = True) -> bool:
        """Run one change on disk; its failure is said plainly and the tree shows what is there now."""
        from explorer.core.collections.folder import CollectionError

        try:
            action()
        except (CollectionError, OSError, ValueError) as exc:
            text = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.notice.emit(f"Could not {what}: {text}")
            self.refresh()
            return False
        self.refresh()
        if announce:
            self.changed.emit()
        return True

    def _relocate(self, what: str, collection: Collection, old: PurePosixPath, change: Relocation) -> bool:
        """A rename or a move: done, then `moved` tells the window where the file or folder is now."""
        new: list[PurePosixPath] = []
        if not self._do(what, lambda: new.append(change()), announce=False):
            return False
        self.moved.emit(
            collection.directory.joinpath(*old.parts), collection.directory.joinpath(*new[0].parts)
        )
        self.changed.emit()
        self.select(collection, new[0])
        return True

    def rename_selected(self) -> None:
        found = self._selected_item()
        if found is None:
            return
        collection, item = found
        relative = item.relative
        self.ask_text(
            "Rename",
            f"New name for {display_name(relative)}:",
            display_name(relative),
            lambda name: _ignore(self.rename(collection, relative, name)),
        )

    def rename(self, collection: Collection, relative: PurePosixPath, name: str) -> bool:
        name = name.strip()
        if not name or name == display_name(relative):
            return False
        return self._relocate(
            f"rename {display_name(relative)}",
            collection,
            relative,
            lambda: collection.rename(relative, name),
        )

    def duplicate_selected(self) -> None:
        found = self._selected_item()
        if found is not None and not found[1].is_folder:
            collection, item = found
            relative = item.relative
            self._do(f"duplicate {display_name(relative)}", lambda: collection.duplicate(relative))

    def move_selected(self) -> None:
        found = self._selected_item()
        if found is None:
            return
        collection, item = found
        relative = item.relative
        choices = [
            str(folder) if folder != ROOT else f"(top of {collection.name})"
            for folder in self.folders_of(collection)
            if folder != relative and relative not in folder.parents
        ]
        self.ask_choice(
            "Move to folder",
            f"Move {display_name(relative)} to:",
            choices,
            lambda choice: _ignore(
                self.move_item(
                    collection, relative, ROOT if choice.startswith("(") else PurePosixPath(choice)
                )
            ),
        )

    def move_item(self, collection: Collection, relative: PurePosixPath, folder: PurePosixPath) -> bool:
        if relative.parent == folder:
            return False
        return self._relocate(
            f"move {display_name(relative)}", collection, relative, lambda: collection.move(relative, folder)
        )

    def delete_selected(self) -> None:
        found = self._selected_item()
        if found is None:
            return
        collection, item = found
        relative = item.relative
        what = f"the folder {relative} and every request in it" if item.is_folder else display_name(relative)
        self.confirm(
            "Delete",
            f"Delete {what} from {collection.name}? The file is removed from the disk.",
            lambda: _ignore(
                self._do(f"delete {display_name(relative)}", lambda: collection.delete(relative))
            ),
        )

    def new_folder(self) -> None:
        where = self._folder_of_selection()
        if where is None:
            return
        collection, parent = where
        self.ask_text(
            "New folder",
            "Name of the new folder:",
            "New folder",
            lambda name: _ignore(
                self.create_folder(collection, parent / name.strip() if name.strip() else parent)
            ),
        )

    def create_folder(self, collection: Collection, relative: PurePosixPath) -> bool:
        if relative == ROOT:
            return False
        if self._do(f"make the folder {relative}", lambda: collection.create_folder(relative)):
            self.select(collection, relative)
            return True
        return False

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
                menu.addAction("Variables…", lambda: self.variables_requested.emit(collection))
                menu.addAction("Close collection", lambda: self.close_requested.emit(collection))
            menu.addSeparator()
        menu.addAction("Open folder as collection…", self.open_folder_requested.emit)
        menu.addAction("New collection…", self.new_collection_requested.emit)
        menu.addAction("Import collection…", self.import_requested.emit)
        return menu

    # -- questions (non-blocking: open(), never exec()) ------------------------------------------------------

    def _confirm(self, title: str, text: str, on_yes: Callable[[], None]) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _code: on_yes() if box.clickedButton() is delete else None)
        self.dialog = box
        box.open()

    def _input(self, title: str, label: str) -> QInputDialog:
        dialog = QInputDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        self.dialog = dialog
        return dialog

    def _ask_text(self, title: str, label: str, start: str, on_ok: Callable[[str], None]) -> None:
        dialog = self._input(title, label)
        dialog.setTextValue(start)
        dialog.textValueSelected.connect(on_ok)
        dialog.open()

    def _ask_choice(self, title: str, label: str, choices: list[str], on_ok: Callable[[str], None]) -> None:
        if not choices:
            self.notice.emit("There is no other folder to move it to: make one with New folder….")
            return
        dialog = self._input(title, label)
        dialog.setComboBoxItems(choices)
        dialog.setComboBoxEditable(False)
        dialog.textValueSelected.connect(on_ok)
        dialog.open()

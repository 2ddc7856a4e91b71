"""Collections in the window: the sidebar's Collections tab, saving tabs into them, variables and captures."""

from __future__ import annotations

import json
import logging
from functools import partial
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QToolBar, QWidget

from explorer.ui.widgets.collections_panel import ROOT, CollectionsPanel

if TYPE_CHECKING:
    from explorer.core.collections.folder import Collection, CollectionItem
    from explorer.ui.main_window import MainWindow
    from explorer.ui.widgets.request_tabs import RequestTab

log = logging.getLogger(__name__)

RECENT_LIMIT = 8
OPEN_KEY, RECENT_KEY = "collections/open", "collections/recent"


class WindowCollections(QObject):
    """The Collections tab and everything the window does with collections.

    Collections remembered from the last session are opened when first needed (the tab shown, Ctrl+S, a
    send), so start-up reads none of them. Changes made outside the app show through CollectionsWatch (a
    file watcher, a poll while the tab is in front, a look each time it comes to the front); saving,
    renaming and the like refresh it at once.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._collections: list[Collection] | None = None
        self.dialog: QWidget | None = None  # the dialog opened last (tests drive it)

        self.panel = CollectionsPanel()
        self.panel.open_requested.connect(self.open_item)
        self.panel.run_requested.connect(self.run)
        self.panel.variables_requested.connect(self.edit_variables)
        self.panel.close_requested.connect(self.close_collection)
        self.panel.open_folder_requested.connect(self.ask_open_folder)
        self.panel.new_collection_requested.connect(self.ask_new_collection)
        self.panel.import_requested.connect(self.import_collection)
        self.panel.captures_requested.connect(self.edit_captures)
        self.panel.notice.connect(self.notice)
        self.panel.moved.connect(self._moved)
        self.panel.changed.connect(self._files_changed)
        self.panel.refreshed.connect(self._watch_folders)
        sidebar = window.history.sidebar
        self.index = sidebar.addTab(self.panel, "Collections")
        sidebar.setTabToolTip(self.index, "Saved requests kept in folders, e.g. in git (Ctrl+E)")
        sidebar.currentChanged.connect(lambda _index: self._follow_visibility())

        from explorer.ui.collections_watch import CollectionsWatch

        self.watch = CollectionsWatch(self, self.in_front, self.poll)
        window.installEventFilter(self.watch)  # the window activated: look again if the tab is in front
        self._install_actions()
        from explorer.ui.window_variables import WindowVariables

        self.variables = WindowVariables(window, self)

    @property
    def timer(self) -> QTimer:
        """The poll's timer (running while the tab is in front)."""
        return self.watch.timer

    @property
    def captures(self) -> dict[str, str]:
        """The values captured from responses in this window (the last of each name)."""
        return self.variables.captures

    def _install_actions(self) -> None:
        window = self._window
        self.import_action = QAction("Import collection…", window)
        self.import_action.setToolTip("Import a Postman, Bruno or Insomnia collection, or cURL commands")
        self.import_action.triggered.connect(self.import_collection)
        toolbar = window.findChild(QToolBar, "mainToolbar")
        if toolbar is not None:
            after = next((a for a in toolbar.actions() if a.text() == "Import cURL…"), None)
            index = toolbar.actions().index(after) + 1 if after is not None else 0
            following = toolbar.actions()[index] if index < len(toolbar.actions()) else None
            toolbar.insertAction(following, self.import_action)  # type: ignore[arg-type]
        self.recent_menu = QMenu("Open collection", self.panel)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self.panel.open_button.setMenu(self.recent_menu)  # the arrow lists the collections opened before

    # -- the open collections -------------------------------------------------------------------------------

    @property
    def collections(self) -> list[Collection]:
        """The open collections; those of the last session are opened on first use."""
        if self._collections is None:
            self._collections = []
            for directory in self._remembered(OPEN_KEY):
                self._open(Path(directory), remember=False, quiet=True)
            self.panel.set_collections(self._collections)
        return self._collections

    def _remembered(self, key: str) -> list[str]:
        try:
            value = json.loads(self._window.state.text(key) or "[]")
        except ValueError:
            return []
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []

    def _remember(self) -> None:
        state = self._window.state
        state.set_text(OPEN_KEY, json.dumps([str(c.directory) for c in self.collections]))

    def recent(self) -> list[str]:
        return self._remembered(RECENT_KEY)

    def open_folder(self, directory: Path) -> Collection | None:
        """Open `directory` as a collection and show it in the tab (None after saying why it cannot)."""
        return self._open(directory, remember=True, quiet=False)

    def _open(self, directory: Path, *, remember: bool, quiet: bool) -> Collection | None:
        from explorer.core.collections.folder import Collection, CollectionError

        opened = self._collections if self._collections is not None else self.collections
        directory = directory.resolve()
        for collection in opened:
            if collection.directory.resolve() == directory:
                self._show_collection(collection)
                return collection
        try:
            collection = Collection.open(directory)
        except (CollectionError, OSError) as exc:
            log.warning("collection not opened: %s", exc)
            which = "A collection open last time" if quiet else "That folder"  # never dropped unsaid
            self.notice(f"{which} cannot be opened as a collection: {exc}")
            return None
        opened.append(collection)
        if remember:
            self._remember()
            recent = [str(directory), *(r for r in self.recent() if r != str(directory))][:RECENT_LIMIT]
            self._window.state.set_text(RECENT_KEY, json.dumps(recent))
            self.panel.set_collections(opened)
            self._show_collection(collection)
        return collection

    def _show_collection(self, collection: Collection) -> None:
        self.show_tab()
        self.panel.select(collection)

    def close_collection(self, collection: Collection) -> None:
        """Stop showing `collection` (its files stay where they are)."""
        self.collections[:] = [c for c in self.collections if c is not collection]
        self._remember()
        self.panel.set_collections(self.collections)

    def create(self, directory: Path, name: str) -> Collection | None:
        """A new collection in `directory`, opened; a folder that is a collection already is just opened."""
        from explorer.core.collections.folder import Collection, CollectionError
        from explorer.core.collections.naming import COLLECTION_FILE

        if (directory / COLLECTION_FILE).is_file():
            return self.open_folder(directory)

        try:
            Collection.create(directory, name)
        except (CollectionError, OSError) as exc:
            self.notice(f"The collection could not be made: {exc}")
            return None
        return self.open_folder(directory)

    def collection_of(
        self, file: str | None, *, opened_only: bool = False
    ) -> tuple[Collection, PurePosixPath] | None:
        """The open collection holding `file`, with the file's path inside it; None when none does.

        With `opened_only`, the collections of the last session are not opened for the question.
        """
        if not file or (opened_only and self._collections is None):
            return None
        path = Path(file).resolve()
        for collection in self.collections:
            try:
                relative = path.relative_to(collection.directory.resolve())
            except ValueError:
                continue
            return collection, PurePosixPath(relative.as_posix())
        return None

    # -- the tab -----------------------------------------------------------------------------------------

    def show_tab(self) -> None:
        """Bring the Collections tab to the front (showing the sidebar)."""
        sidebar = self._window.history.sidebar
        already = sidebar.currentWidget() is self.panel  # else currentChanged looks again
        sidebar.show()
        sidebar.setCurrentWidget(self.panel)
        _ = self.collections
        if already:
            self.poll()  # the sidebar may have been hidden while the files changed
        (self.panel.tree if self.panel.collections else self.panel.open_button).setFocus()  # tree hidden

    def in_front(self) -> bool:
        """The Collections tab is the one shown in the sidebar."""
        return self._window.history.sidebar.currentWidget() is self.panel and self.panel.isVisible()

    def _follow_visibility(self) -> None:
        front = self._window.history.sidebar.currentWidget() is self.panel
        if front:
            _ = self.collections
        self.watch.shown(front)

    def _watch_folders(self) -> None:
        """Watch the folders the tab lists now (and each collection.json), as the tab was read again."""
        from explorer.core.collections.naming import COLLECTION_FILE

        self.watch.watch(
            self.panel.folders(), [c.directory / COLLECTION_FILE for c in self.panel.collections]
        )

    def poll(self) -> bool:
        """Show changes made outside the app; True when something changed. Driven by the timer while the
        tab is in front (tests call it directly)."""
        if self._collections is None:
            return False
        for collection in self._collections:
            try:
                collection.reload()  # the variables and name may have changed too
            except Exception as exc:  # noqa: BLE001 - a damaged collection.json keeps the last good values
                log.warning("collection.json not re-read: %s", exc)
                self.notice(
                    f"{collection.name}: collection.json cannot be read, its last good values are used: {exc}"
                )
        return self.panel.poll()

    def notice(self, text: str) -> None:
        self._window.statusBar().showMessage(text, 8000)

    def _moved(self, old: Path, new: Path) -> None:
        """A file or folder renamed or moved in the tab: the tabs saved to it follow it."""
        for tab in self._window.request_tabs.tabs:
            if not tab.file:
                continue
            path = Path(tab.file)
            if path == old:
                tab.file = str(new)
            elif old in path.parents:
                tab.file = str(new / path.relative_to(old))
        self._window.request_tabs.refresh_titles()

    def _files_changed(self) -> None:
        """A change in the tab: tabs saved to a file that is gone (deleted) are saved nowhere now."""
        for tab in self._window.request_tabs.tabs:
            if tab.file and self.collection_of(tab.file) is not None and not Path(tab.file).exists():
                tab.file = None
        self._window.request_tabs.refresh_titles()

    def _fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        menu.addAction("Open folder as collection…", self.ask_open_folder)
        menu.addAction("New collection…", self.ask_new_collection)
        recent = self.recent()
        if recent:
            menu.addSeparator()
        for directory in recent:
            menu.addAction(directory, partial(self._open_recent, directory))

    def _open_recent(self, directory: str) -> None:
        self.open_folder(Path(directory))

    # -- opening and saving requests -------------------------------------------------------------------------

    def open_item(self, collection: Collection, item: CollectionItem) -> RequestTab | None:
        """Show a saved request in a tab (the tab that has it already, else a new one)."""
        tabs = self._window.request_tabs
        for index, tab in enumerate(tabs.tabs):
            if tab.file and Path(tab.file).resolve() == item.path.resolve():
                tabs.bar.setCurrentIndex(index)
                return tab
        if item.spec is None:
            return None
        tab = tabs.new_tab(item.spec)
        tab.baseline, tab.file = tabs.editor.spec(), str(item.path)
        tabs.refresh_titles()
        return tab

    def save_current(self) -> None:
        """Ctrl+S: a tab from a collection is saved back to its file; any other asks where."""
        tabs = self._window.request_tabs
        if not tabs.tabs:
            return
        tab = tabs.sync_current()
        found = self.collection_of(tab.file)
        if found is not None and Path(tab.file or "").is_file():
            self.save_into(tab, found[0], found[1])
            return
        if found is None and (tab.file or not self.collections):
            # A tab saved to a plain file, or no collection open: the file dialog, as before collections.
            tabs.save_as()
            return
        from explorer.ui.widgets.collection_dialogs import SaveDialog

        dialog = SaveDialog(self.collections, tab.spec.title or tab.spec.label(), self._window)
        dialog.accepted.connect(lambda: self._save_chosen(tab, dialog))
        self.open_dialog(dialog)

    def _save_chosen(self, tab: RequestTab, dialog: object) -> None:
        from explorer.ui.widgets.collection_dialogs import SaveDialog

        assert isinstance(dialog, SaveDialog)
        collection = dialog.collection()
        if collection is None:
            self._window.request_tabs.save_as()  # a plain .json file, as before collections
            return
        self.save_into(tab, collection, dialog.folder() / dialog.name())

    def save_into(self, tab: RequestTab, collection: Collection, relative: PurePosixPath) -> bool:
        """Write the tab's request into `collection` at `relative`; the tab is saved there from now on."""
        from explorer.core.collections.folder import CollectionError

        tabs = self._window.request_tabs
        if not any(t is tab for t in tabs.tabs):
            return False
        if tab is tabs.current:
            tabs.sync_current()
        try:
            item = collection.save_request(relative, tab.spec)
        except (CollectionError, OSError) as exc:
            self.notice(f"The request could not be saved: {exc}")
            return False
        tab.baseline, tab.file = tab.spec, str(item.path)
        tabs.refresh_titles()
        tabs.changed.emit()
        self.panel.refresh()
        self.panel.select(collection, item.relative)
        self.notice(f"Saved {tab.spec.label()} to {collection.name}/{item.relative}.")
        return True

    def edit_captures(self) -> None:
        from explorer.ui.widgets.collection_dialogs import CapturesDialog

        dialog = CapturesDialog(self.captures, self._window)
        dialog.accepted.connect(lambda: self._window.editor.refresh())
        self.open_dialog(dialog)

    def edit_variables(self, collection: Collection) -> None:
        from explorer.ui.widgets.collection_dialogs import VariablesDialog

        dialog = VariablesDialog(collection, self._window)
        dialog.accepted.connect(lambda: self._window.editor.refresh())
        self.open_dialog(dialog)

    # -- dialogs ------------------------------------------------------------------------------------------

    def ask_open_folder(self) -> None:
        dialog = QFileDialog(self._window, "Open folder as collection")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda path: self.open_folder(Path(path)))
        self.open_dialog(dialog)

    def ask_new_collection(self) -> None:
        dialog = QFileDialog(self._window, "New collection: choose or make an empty folder")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(lambda path: self.create(Path(path), Path(path).name))
        self.open_dialog(dialog)

    def import_collection(self) -> None:
        """File → Import collection…: choose a file or paste cURL, review the summary, choose where."""
        if not self._window.built:
            return
        from explorer.ui.widgets.import_dialog import ImportDialog

        target = self._window.editor.target
        dialog = ImportDialog(
            self._window.services.catalogs, target.base_url if target else None, self._window
        )
        dialog.imported.connect(self.open_folder)
        self.open_dialog(dialog)

    def run(self, collection: Collection, folder: PurePosixPath = ROOT) -> None:
        """Run a folder of `collection` (all of it for ROOT) in order, in a results window."""
        from explorer.ui.widgets.run_dialog import RunDialog

        dialog = RunDialog(self._window, collection, folder)
        self.open_dialog(dialog)
        dialog.start()

    def open_dialog(self, dialog: QWidget) -> None:
        # open(), not exec(): a nested event loop inside the running asyncio loop would re-enter it.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()  # type: ignore[attr-defined]


def install_collections(window: MainWindow) -> WindowCollections:
    """The sidebar's Collections tab and the window's collection actions; called after install_history."""
    return WindowCollections(window)

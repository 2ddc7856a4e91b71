"""The Collections tab's changes on disk (rename, duplicate, move, delete, new folder) and its questions."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

if TYPE_CHECKING:
    from explorer.core.collections.folder import Collection, CollectionItem

ROOT = PurePosixPath(".")  # the collection itself, as a folder

# (title, question, on_yes) and (title, label, start text, on_ok): tests replace them with ones that answer.
Confirm = Callable[[str, str, Callable[[], None]], None]
AskText = Callable[[str, str, str, Callable[[str], None]], None]
AskChoice = Callable[[str, str, list[str], Callable[[str], None]], None]
Relocation = Callable[[], PurePosixPath]


def _ignore(_result: object) -> None:
    """Drop a result: a question's answer runs an action whose outcome the tree and the status bar show."""


def display_name(relative: PurePosixPath) -> str:
    """A request file shows without its .json suffix; a folder as it is named."""
    name = relative.name
    return name[: -len(".json")] if name.lower().endswith(".json") else name


class CollectionEdits(QWidget):
    """What the Collections tab changes on disk, each change asked or named first and said when it fails.

    The tree itself is the subclass's (CollectionsPanel): it lists, selects and refreshes. Every question
    is opened with open(), never exec(); `confirm`, `ask_text` and `ask_choice` are replaced in tests.
    """

    changed = Signal()  # a file was renamed, duplicated, moved, deleted or a folder made
    moved = Signal(object, object)  # the Path a file or folder had, and the Path it has now
    notice = Signal(str)  # a short message for the status bar

    if TYPE_CHECKING:  # the tree's, in CollectionsPanel

        def selected(self) -> tuple[Collection, CollectionItem | None] | None: ...
        def select(self, collection: Collection, relative: PurePosixPath | None = None) -> bool: ...
        def refresh(self) -> None: ...
        @staticmethod
        def folders_of(collection: Collection) -> list[PurePosixPath]: ...

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.confirm: Confirm = self._confirm
        self.ask_text: AskText = self._ask_text
        self.ask_choice: AskChoice = self._ask_choice
        self.dialog: QWidget | None = None  # the question open now, if any

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
        self.moved.emit(_full(collection.directory, old), _full(collection.directory, new[0]))
        self.changed.emit()
        self.select(collection, new[0])
        return True

    def rename_selected(self) -> None:
        """F2: rename the selected file or folder, or on a collection's own row the collection itself."""
        chosen = self.selected()
        if chosen is not None and chosen[1] is None:
            collection = chosen[0]
            self.ask_text(
                "Rename collection",
                "New name for the collection (kept in its collection.json; the folder keeps its name):",
                collection.name,
                lambda name: _ignore(self.rename_collection(collection, name)),
            )
            return
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

    def rename_collection(self, collection: Collection, name: str) -> bool:
        """The collection's name in collection.json (what the tab and Run show); its folder stays put."""
        name = name.strip()
        if not name or name == collection.name:
            return False
        old = collection.name

        def write() -> None:
            collection.name = name
            try:
                collection.set_profile(collection.profile)  # rewrites collection.json, the new name with it
            except Exception:
                collection.name = old  # not written: the tab keeps showing what the file says
                raise

        if not self._do(f"rename the collection {old}", write):
            return False
        self.select(collection)
        return True

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


def _full(directory: Path, relative: PurePosixPath) -> Path:
    return directory.joinpath(*relative.parts)

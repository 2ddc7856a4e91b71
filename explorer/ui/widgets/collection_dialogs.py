"""Collection dialogs: where to save a request (collection, folder, name), and a collection's variables."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.ui import theme
from explorer.ui.widgets.collections_panel import ROOT, CollectionsPanel
from explorer.ui.widgets.variables_table import VariablesTable

if TYPE_CHECKING:
    from explorer.core.collections.folder import Collection

PLAIN_FILE = "A plain .json file…"


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['error']};")
    label.hide()
    return label


class SaveDialog(QDialog):
    """Asks where a request goes: a collection, a folder of it and a name, or a plain file as before."""

    def __init__(self, collections: Sequence[Collection], name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Save request")
        self._collections = list(collections)
        self.target = QComboBox()
        for collection in self._collections:
            self.target.addItem(collection.name)
            self.target.setItemData(self.target.count() - 1, str(collection.directory), 3)  # tooltip role
        self.target.addItem(PLAIN_FILE)
        self.target.currentIndexChanged.connect(self._fill_folders)
        self.folder_box = QComboBox()
        # A long collection or folder name is shortened in its box, not the dialog widened past the screen.
        for box in (self.target, self.folder_box):
            box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(30)
        self.name_edit = QLineEdit(name)
        self.name_edit.selectAll()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)
        self.error = _error_label()
        form = QFormLayout()
        form.addRow("Collection", self.target)
        form.addRow("Folder", self.folder_box)
        form.addRow("Name", self.name_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._folders: list[PurePosixPath] = []
        self._fill_folders()

    def choose(
        self, collection: Collection | None, folder: PurePosixPath = ROOT, name: str | None = None
    ) -> None:
        """Select a collection (None: a plain file), a folder of it and a name, as a person would."""
        index = next((i for i, c in enumerate(self._collections) if c is collection), len(self._collections))
        self.target.setCurrentIndex(index)
        if folder in self._folders:
            self.folder_box.setCurrentIndex(self._folders.index(folder))
        if name is not None:
            self.name_edit.setText(name)

    def _fill_folders(self) -> None:
        collection = self.collection()
        self.folder_box.clear()
        self._folders = CollectionsPanel.folders_of(collection) if collection is not None else []
        for folder in self._folders:
            self.folder_box.addItem("(top)" if folder == ROOT else str(folder))
        plain = collection is None
        self.folder_box.setEnabled(not plain)
        self.name_edit.setEnabled(not plain)
        self.hint.setText(
            "Choose where to save the file next."
            if plain
            else "Saved as a plain text file in the folder (no key is ever written): ready for git."
        )

    def collection(self) -> Collection | None:
        index = self.target.currentIndex()
        return self._collections[index] if 0 <= index < len(self._collections) else None

    def folder(self) -> PurePosixPath:
        index = self.folder_box.currentIndex()
        return self._folders[index] if 0 <= index < len(self._folders) else ROOT

    def name(self) -> str:
        return self.name_edit.text().strip()

    def accept(self) -> None:
        if self.collection() is not None:
            from explorer.core.collections.naming import name_problem

            problem = name_problem(self.name())
            if problem is not None:
                self.error.setText(f"Choose another name: {problem}.")
                self.error.show()
                return
        super().accept()


class VariablesDialog(QDialog):
    """Edits a collection's variables; a secret-looking name is refused with the reason, the dialog stays."""

    def __init__(self, collection: Collection, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.collection = collection
        self.setWindowTitle(f"Variables of {collection.name}")
        self.resize(520, 360)
        note = QLabel(
            "Values for {{name}} in this collection's requests, kept in its collection.json (shared, e.g. "
            "in git). A request's own values win over these; the profile's and captured values come after. "
            "Keys never go here: they belong in a profile."
        )
        note.setWordWrap(True)
        self.table = VariablesTable()
        self.table.set_variables(collection.variables)
        self.error = _error_label()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        from explorer.core.collections.folder import CollectionError

        try:
            self.collection.set_variables(self.table.variables())
        except (CollectionError, OSError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        super().accept()


class CapturesDialog(QDialog):
    """The values captured in this window (by Use as variable… or a request's captures), to read or clear.

    They are kept in memory only, for this window; a request's own, its collection's and its profile's
    values of the same name win over them.
    """

    def __init__(self, captures: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.captures = captures
        self.setWindowTitle("Captured values")
        self.resize(520, 320)
        note = QLabel(
            "Values captured from responses in this window, used for {{name}} when the request, its "
            "collection and the profile have none. They are not saved."
        )
        note.setWordWrap(True)
        self.table = VariablesTable()
        self.table.set_variables(captures)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.clear_button = buttons.addButton("Clear all", QDialogButtonBox.ButtonRole.ResetRole)
        self.clear_button.clicked.connect(lambda: self.table.set_variables({}))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def accept(self) -> None:
        # Edited in place: the window's scopes read this very dictionary.
        self.captures.clear()
        self.captures.update(self.table.variables())
        super().accept()

"""Import collection…: a Postman, Bruno or Insomnia file, a folder of .bru files or cURL → a collection."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui import theme

if TYPE_CHECKING:
    from explorer.core.catalog.model import Api, Catalog
    from explorer.core.imports.result import ImportResult

FILE_FILTER = "Collections (*.json *.yaml *.yml *.bru);;All files (*)"


class ImportDialog(QDialog):
    """Reads a collection to import, shows what the import found (and what Fix all would change), asks
    where to write it; `imported` names the new collection's folder once it is written whole."""

    imported = Signal(object)  # Path of the new collection

    def __init__(
        self, catalogs: Mapping[Api, Catalog], base_url: str | None = None, parent: QWidget | None = None
    ) -> None:
        """`base_url` (the active profile's site): absolute addresses under it become paths on it."""
        super().__init__(parent)
        self._catalogs = catalogs
        self._base_url = base_url
        self.reading: ImportResult | None = None
        self.file_dialog: QFileDialog | None = None
        self.setWindowTitle("Import collection")
        self.resize(640, 560)

        intro = QLabel(
            "Postman (v2.0, v2.1), Bruno (collection JSON or a folder of .bru files) and Insomnia (v4 JSON, "
            "v5 YAML) collections, or cURL commands pasted below, become a collection of saved requests."
        )
        intro.setWordWrap(True)
        choose_file = QPushButton("Choose a file…")
        choose_file.clicked.connect(lambda: self._choose(folder=False))
        choose_folder = QPushButton("Choose a folder of .bru files…")
        choose_folder.clicked.connect(lambda: self._choose(folder=True))
        sources = QHBoxLayout()
        sources.addWidget(choose_file)
        sources.addWidget(choose_folder)
        sources.addStretch(1)
        self.curl = QPlainTextEdit()
        self.curl.setPlaceholderText("…or paste one or more cURL commands here, then Read")
        self.curl.setMaximumHeight(110)
        read = QPushButton("Read")
        read.clicked.connect(lambda: self.load_curl(self.curl.toPlainText()))
        curl_row = QHBoxLayout()
        curl_row.addWidget(self.curl, 1)
        curl_row.addWidget(read, 0, Qt.AlignmentFlag.AlignTop)

        self.summary = QLabel("Nothing read yet.")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fix_all = QCheckBox("Fix all")
        self.fix_all.setEnabled(False)
        self.name_edit = QLineEdit()
        self.destination = QLineEdit()
        self.destination.setPlaceholderText("A new or empty folder")
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._choose_destination)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Write into", where)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['error']};")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(sources)
        layout.addLayout(curl_row)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.fix_all)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    # -- reading -------------------------------------------------------------------------------------------

    def _choose(self, *, folder: bool) -> None:
        dialog = QFileDialog(self, "Import collection", str(Path.home()), FILE_FILTER)
        if folder:
            dialog.setFileMode(QFileDialog.FileMode.Directory)
            dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        else:
            dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(lambda path: self.load_file(Path(path)))
        self.file_dialog = dialog
        dialog.open()

    def load_file(self, path: Path) -> bool:
        """Read `path` (a file or a folder of .bru files); False after saying what is wrong with it."""
        from explorer.core.imports import ImportFailure, import_file

        try:
            result = import_file(path, self._catalogs, base_url=self._base_url)
        except (ImportFailure, OSError) as exc:
            # The importer's messages name the file already (for the command line): name it once.
            detail = str(exc).removeprefix(f"{path.name}: ")
            return self._failed(
                f"Not imported: {detail}"
                if path.name in detail
                else f"{path.name} cannot be imported: {detail}"
            )
        self._show(result, path.parent / _folder_name(result.name, path.stem))
        return True

    def load_curl(self, text: str) -> bool:
        from explorer.core.imports import ImportFailure, import_curl_text

        if not text.strip():
            return self._failed("Paste a cURL command first.")
        try:
            result = import_curl_text(text, self._catalogs, base_url=self._base_url)
        except ImportFailure as exc:
            return self._failed(f"The commands cannot be imported: {exc}")
        self._show(result, Path.home() / _folder_name(result.name, "Imported requests"))
        return True

    def _failed(self, message: str) -> bool:
        self.reading = None
        self.summary.setText("Nothing imported.")
        self.error.setText(message)
        self.error.show()
        self.fix_all.setEnabled(False)
        self.import_button.setEnabled(False)
        return False

    def _show(self, result: ImportResult, destination: Path) -> None:
        self.reading = result
        self.error.hide()
        count = len(result.items)
        self.summary.setText("\n".join(f"• {line}" for line in result.summary))
        self.fix_all.setEnabled(result.fixable > 0)
        self.fix_all.setChecked(result.fixable > 0)
        self.fix_all.setText(
            f"Fix all: apply every available fix ({result.fixable} request{'s' * (result.fixable != 1)})"
            if result.fixable
            else "Fix all (nothing to fix)"
        )
        self.name_edit.setText(result.name)
        if not self.destination.text().strip():
            self.destination.setText(str(destination))
        self.import_button.setEnabled(count > 0)

    def _choose_destination(self) -> None:
        dialog = QFileDialog(self, "Write the collection into", self.destination.text() or str(Path.home()))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.destination.setText)
        self.file_dialog = dialog
        dialog.open()

    # -- writing -------------------------------------------------------------------------------------------

    def accept(self) -> None:
        """Write the collection (with the fixes when ticked) into the chosen folder, all or nothing."""
        from explorer.core.collections.folder import CollectionError, write_new_collection

        if self.reading is None:
            return
        where = self.destination.text().strip()
        if not where:
            self.error.setText("Choose a folder to write the collection into.")
            self.error.show()
            return
        result = self.reading.with_all_fixes() if self.fix_all.isChecked() else self.reading
        directory = Path(where).expanduser()
        try:
            write_new_collection(
                directory, self.name_edit.text().strip() or result.name, result.variables, result.items
            )
        except (CollectionError, OSError) as exc:
            self.error.setText(f"Not written: {exc}")
            self.error.show()
            return
        super().accept()
        self.imported.emit(directory)


def _folder_name(name: str, fallback: str) -> str:
    from explorer.core.collections.naming import safe_name

    return safe_name(name, fallback)

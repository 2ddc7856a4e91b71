"""Export code…: the request as cURL (three shells), Python, Ruby or JavaScript, to copy or save."""

from __future__ import annotations

import os
from collections.abc import Collection
from pathlib import Path

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.core.codegen import FORMATS, export_code, format_by_id, secret_variables
from explorer.core.prepared import PreparedRequest
from explorer.ui import theme


class ExportDialog(QDialog):
    """Shows the exported code for the chosen format; keys are environment variables unless "Include
    secrets" is ticked (off each time the dialog opens)."""

    def __init__(
        self,
        request: PreparedRequest,
        public_keys: Collection[str] = (),
        fmt: str = "curl",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export code")
        self.request = request
        self.public_keys = tuple(public_keys)
        self.file_dialog: QFileDialog | None = None  # the Save… file chooser, while open
        self.chooser = QComboBox()
        for entry in FORMATS:
            self.chooser.addItem(entry.label, entry.id)
        self.chooser.setCurrentIndex(max(0, self.chooser.findData(fmt)))
        self.include_secrets = QCheckBox("Include secrets")
        self.include_secrets.setToolTip(
            "Write the keys into the code. Off: the code reads them from environment variables, so it can "
            "be shared, pasted into a ticket or committed."
        )
        self.code = QPlainTextEdit()
        self.code.setReadOnly(True)
        self.code.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.code.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.note = QLabel()
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton("Copy", QDialogButtonBox.ButtonRole.ActionRole)
        self.save_button = buttons.addButton("Save…", QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.save_button.clicked.connect(self.ask_where_to_save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Format", self.chooser)
        form.addRow("", self.include_secrets)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.code, 1)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.chooser.currentIndexChanged.connect(self.refresh)
        self.include_secrets.toggled.connect(self.refresh)
        self.refresh()
        self.resize(760, 440)

    @property
    def fmt(self) -> str:
        return str(self.chooser.currentData())

    def refresh(self) -> None:
        include = self.include_secrets.isChecked()
        self.code.setPlainText(
            export_code(self.request, self.fmt, include_secrets=include, public_keys=self.public_keys)
        )
        names = [v.name for v in secret_variables(self.request, self.public_keys)]
        if include and names:
            self.note.setText("The keys are written in full: do not share, paste or commit this code.")
            self.note.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['warning']};")
            return
        self.note.setStyleSheet("")
        if names:
            self.note.setText(f"Set {', '.join(names)} in the environment before running it.")
        elif self.public_keys:
            self.note.setText("The sandbox's demo keys are public, so they are written in full.")
        else:
            self.note.setText("This request sends no keys.")

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.code.toPlainText())
        self.note.setText(self.note.text().split(" Copied")[0] + " Copied.")

    def ask_where_to_save(self) -> None:
        # open(), not exec(): a nested event loop inside the running asyncio loop would re-enter it.
        dialog = QFileDialog(self, "Save the code", f"request{format_by_id(self.fmt).suffix}")
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.fileSelected.connect(lambda name: self.save_to(Path(name)))
        self.file_dialog = dialog
        dialog.open()

    def save_to(self, path: Path) -> bool:
        """Write the code shown to `path`; keys included only when ticked (then readable by the owner
        only). False, with the reason shown, when it cannot be written."""
        text = self.code.toPlainText()
        try:
            path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8", newline="\n")
            if self.include_secrets.isChecked() and os.name == "posix":
                path.chmod(0o600)
        except OSError as exc:
            self.note.setText(f"Cannot save to {path}: {exc.strerror or exc}")
            self.note.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['error']};")
            return False
        self.note.setText(f"Saved to {path}.")
        return True

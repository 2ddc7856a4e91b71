"""Import a pasted cURL command into the editor: matched to a catalog method, linted, fixable in one click."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.ui import theme


class CurlImportDialog(QDialog):
    """Parses the text with the core's cURL importer; `imported` holds the result after Import."""

    def __init__(self, catalogs: Any, base_url: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import cURL")
        self.catalogs = catalogs
        self.base_url = base_url
        self.imported: Any = None
        hint = QLabel(
            "Paste a curl command (from documentation, a forum post or your browser's network tab). "
            "It opens in the editor, matched to the method it calls; the linter flags what the real server "
            "would refuse and offers the fix."
        )
        hint.setWordWrap(True)
        self.text = QPlainTextEdit()
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setPlaceholderText("curl -X GET 'https://forum.example.com/latest.json' -H 'Api-Key: …'")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['error']};")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(720, 360)

    def accept(self) -> None:
        from explorer.core.curl import CurlError, import_curl

        try:
            self.imported = import_curl(
                self.text.toPlainText(), base_url=self.base_url, catalogs=self.catalogs
            )
        except CurlError as exc:
            self.error.setText(str(exc))  # the message names the problem and where it is
            return
        super().accept()

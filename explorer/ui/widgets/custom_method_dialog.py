"""The custom method dialog: a name (the method id), a description and, for a new method, a preview."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from explorer.ui import theme

# (name, description, placeholders) -> an error to show, or None when it was saved.
Submit = Callable[[str, str, bool], str | None]
# (placeholders) -> the method as text, or why it cannot be one.
Preview = Callable[[bool], str]


class CustomMethodDialog(QDialog):
    """Asks for a method's name and description; OK calls `submit` and closes only when it succeeds.

    With a `preview` (saving a new method) it also offers the digits-as-placeholders choice and shows the
    verb, path and parameters the method will have.
    """

    def __init__(
        self,
        title: str,
        submit: Submit,
        *,
        name: str = "",
        description: str = "",
        preview: Preview | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self._submit = submit
        self._preview = preview
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("e.g. listMyBookmarks")
        self.name.setToolTip("The method's id: a letter, then letters, digits, '_', '.' or '-'")
        self.description = QPlainTextEdit(description)
        self.description.setPlaceholderText("What it does (shown in the method browser and the Docs tab)")
        self.description.setFixedHeight(72)
        self.placeholders = QCheckBox("Path segments of digits become {placeholders}")
        self.placeholders.setChecked(True)
        self.placeholders.toggled.connect(self._show_preview)
        self.summary = QPlainTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.summary.setFixedHeight(120)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['error']};")
        self.error.hide()
        form = QFormLayout()
        form.addRow("Name", self.name)
        form.addRow("Description", self.description)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if preview is not None:
            layout.addWidget(self.placeholders)
            layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._show_preview()

    def _show_preview(self) -> None:
        if self._preview is not None:
            self.summary.setPlainText(self._preview(self.placeholders.isChecked()))

    def accept(self) -> None:
        problem = self._submit(
            self.name.text().strip(), self.description.toPlainText(), self.placeholders.isChecked()
        )
        if problem:
            self.error.setText(problem)
            self.error.show()
            self.name.setFocus()
            return
        super().accept()

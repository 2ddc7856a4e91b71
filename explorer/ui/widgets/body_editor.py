"""The Body tab: none, JSON (validated, pretty-printed), form fields, multipart with files, or raw text."""

from __future__ import annotations

import json

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.core.lifecycle.freeform import body_problem
from explorer.core.lifecycle.spec import BodySpec, Pair
from explorer.ui import theme
from explorer.ui.widgets.pairs_table import PairsTable

# (kind, label) in the order the kind box lists them.
KINDS = (
    ("none", "No body"),
    ("json", "JSON"),
    ("form", "Form fields (x-www-form-urlencoded)"),
    ("multipart", "Multipart (fields and files)"),
    ("raw", "Raw text"),
)
RAW_TYPES = ("text/plain", "application/json", "application/x-www-form-urlencoded", "application/xml")


class BodyEditor(QWidget):
    """Edits a BodySpec; `changed` fires on every edit. For a catalog method "none" means "generated"."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._generated = False
        self.kind = QComboBox()
        for kind, label in KINDS:
            self.kind.addItem(label, kind)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.raw_type = QComboBox()
        self.raw_type.setEditable(True)
        self.raw_type.addItems(RAW_TYPES)
        self.raw_type.currentTextChanged.connect(lambda _text: self.changed.emit())
        self.pretty = QPushButton("Pretty-print")
        self.pretty.setToolTip("Re-indent the JSON (only when it is valid)")
        self.pretty.clicked.connect(self.pretty_print)
        top = QHBoxLayout()
        top.addWidget(QLabel("Body"))
        top.addWidget(self.kind)
        top.addWidget(self.raw_type)
        top.addWidget(self.pretty)
        top.addStretch(1)

        self.text = QPlainTextEdit()
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.textChanged.connect(self._text_changed)
        self.fields = PairsTable("Field", "+ Add field", "For a file, write @ and its path, or use Add file…")
        self.fields.changed.connect(self.changed)
        self.add_file = QPushButton("Add file…")
        self.add_file.clicked.connect(self._choose_file)
        self.fields.buttons.insertWidget(1, self.add_file)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.setEnabled(False)
        self.pages = QStackedWidget()
        for page in (self.empty, self.text, self.fields):
            self.pages.addWidget(page)

        # Says which body goes out: the one typed here or the one generated from the arguments.
        self.status = QLabel()
        self.status.setObjectName("bodyStatus")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.pages, 1)
        self._kind_changed()

    # -- the specification ---------------------------------------------------------------------------------

    def body_spec(self) -> BodySpec:
        kind = str(self.kind.currentData())
        if kind in ("json", "raw"):
            content_type = self.raw_type.currentText().strip() if kind == "raw" else None
            return BodySpec(kind, self.text.toPlainText(), content_type or None)
        if kind in ("form", "multipart"):
            return BodySpec(kind, "", None, self.fields.pairs(files=kind == "multipart"))
        return BodySpec()

    def set_body_spec(self, body: BodySpec) -> None:
        self.blockSignals(True)
        self.kind.setCurrentIndex(max(0, [k for k, _ in KINDS].index(body.kind)))
        self.text.setPlainText(body.text)
        if body.content_type:
            self.raw_type.setCurrentText(body.content_type)
        self.fields.set_pairs(body.fields)
        self.blockSignals(False)
        self._kind_changed()

    def set_generated(self, generated: bool) -> None:
        """True for a catalog method: an empty body here means the Arguments tab's body is sent."""
        self._generated = generated
        self._kind_changed()

    @property
    def replaces_arguments(self) -> bool:
        """True when a catalog method's body comes from this tab instead of its Arguments."""
        return self._generated and not self.body_spec().is_empty

    # -- reactions -----------------------------------------------------------------------------------------

    def _kind_changed(self) -> None:
        kind = str(self.kind.currentData())
        self.raw_type.setVisible(kind == "raw")
        self.pretty.setVisible(kind == "json")
        self.add_file.setVisible(kind == "multipart")
        if kind in ("json", "raw"):
            self.pages.setCurrentWidget(self.text)
        elif kind in ("form", "multipart"):
            self.pages.setCurrentWidget(self.fields)
        else:
            self.empty.setText(
                "The body is generated from the Arguments tab. Choose a kind above to replace it."
                if self._generated
                else "This request sends no body."
            )
            self.pages.setCurrentWidget(self.empty)
        self._show_status()
        self.changed.emit()

    def _text_changed(self) -> None:
        self._show_status()
        self.changed.emit()

    def _show_status(self) -> None:
        spec = self.body_spec()
        problem = body_problem(spec)
        if problem is not None:
            self.status.setText(f"Not sendable: {problem}")
            self.status.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['error']};")
        elif self._generated and not spec.is_empty:
            self.status.setText("This body is sent; the body fields of the Arguments tab are not.")
            self.status.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['warning']};")
        else:
            self.status.setText("")
            self.status.setStyleSheet("")
        self.status.setVisible(bool(self.status.text()))

    def problem(self) -> str | None:
        return body_problem(self.body_spec())

    def pretty_print(self) -> None:
        try:
            value = json.loads(self.text.toPlainText())
        except ValueError:
            return  # the status line already names the problem
        self.text.setPlainText(json.dumps(value, indent=2, ensure_ascii=False))

    def _choose_file(self) -> None:
        dialog = QFileDialog(self, "Choose a file to upload")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.fileSelected.connect(lambda path: self.fields.add_pair(Pair("file", path, True, True)))
        dialog.open()  # never exec(): the app runs asyncio inside Qt's loop

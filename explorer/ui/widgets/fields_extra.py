"""Richer argument widgets: date-time picker, file picker, repeatable rows for arrays and a JSON editor."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.core.catalog.model import Param
from explorer.ui.widgets.fields import FieldWidget, placeholder_for

# The API's own wire formats (Qt format strings): Disqus wants minutes in UTC, Discourse ISO 8601.
_QT_FORMATS = {
    "disqus-datetime": "yyyy-MM-dd'T'HH:mm",
    "date": "yyyy-MM-dd",
    "date-time": "yyyy-MM-dd'T'HH:mm:ss'Z'",
}


class DateTimeField(FieldWidget):
    """A calendar picker (UTC) that emits exactly the format the API expects."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        date_format = param.date_format or "date-time"
        self.wire_format = _QT_FORMATS[date_format]
        layout = self._row()
        self.enabled_box: QCheckBox | None = None
        if not param.required:
            self.enabled_box = QCheckBox("set")
            self.enabled_box.setToolTip("Leave unticked to send nothing for this argument")
            self.enabled_box.toggled.connect(self._toggle)
            layout.addWidget(self.enabled_box)
        self.edit = QDateTimeEdit(QDateTime.currentDateTimeUtc())
        self.edit.setTimeZone(QTimeZone.utc())
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat(
            self.wire_format.replace("'Z'", "") + ("" if date_format == "date" else " 'UTC'")
        )
        self.edit.dateTimeChanged.connect(self.changed)
        layout.addWidget(self.edit)
        layout.addStretch(1)
        self._toggle(self.enabled_box is None)

    def _toggle(self, on: bool) -> None:
        self.edit.setEnabled(on)
        self.changed.emit()

    def value(self) -> Any:
        if self.enabled_box is not None and not self.enabled_box.isChecked():
            return None
        return self.edit.dateTime().toUTC().toString(self.wire_format)

    def set_value(self, value: Any) -> None:
        if value is None:
            if self.enabled_box is not None:
                self.enabled_box.setChecked(False)
            return
        parsed = QDateTime.fromString(str(value), self.wire_format)
        if not parsed.isValid():
            parsed = QDateTime.fromString(str(value), Qt.DateFormat.ISODate)
        if parsed.isValid():
            parsed.setTimeZone(QTimeZone.utc())
            self.edit.setDateTime(parsed)
        if self.enabled_box is not None:
            self.enabled_box.setChecked(True)

    def focus_target(self) -> QWidget:
        return self.edit


class FileField(FieldWidget):
    """A path with a Browse… button; the builder reads the file when the request is prepared."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        layout = self._row()
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Choose a file to upload…")
        self.edit.textChanged.connect(self.changed)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        layout.addWidget(self.edit, 1)
        layout.addWidget(browse)

    def _browse(self) -> None:
        dialog = QFileDialog(self, f"Choose the file to upload ({self.param.name})")
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.fileSelected.connect(self.edit.setText)
        dialog.open()  # never exec(): the app runs asyncio inside Qt's loop

    def value(self) -> Any:
        text = self.edit.text().strip()
        return Path(text) if text else None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def local_error(self) -> str | None:
        path = self.value()
        if path is not None and not path.is_file():
            return f"no such file: {path}"
        return None

    def focus_target(self) -> QWidget:
        return self.edit


class ArrayField(FieldWidget):
    """Repeatable rows of the element widget, sent as `name[]=` pairs or a JSON array by the builder."""

    def __init__(
        self, param: Param, element: Callable[[Param], FieldWidget], parent: QWidget | None = None
    ) -> None:
        super().__init__(param, parent)
        self._element_param = replace(param, array=False, required=False)
        self._make = element
        self._rows: list[tuple[QWidget, FieldWidget]] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(3)
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(3)
        outer.addLayout(self._rows_box)
        self.add_button = QPushButton("+ Add item")
        self.add_button.setFlat(True)
        self.add_button.clicked.connect(self._add_clicked)
        outer.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_row()

    def _add_clicked(self) -> None:
        self.add_row()

    def add_row(self, value: Any = None) -> FieldWidget:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        widget = self._make(self._element_param)
        widget.setToolTip(self.toolTip())
        if value is not None:
            widget.set_value(value)
        widget.changed.connect(self.changed)
        remove = QToolButton()
        remove.setText("−")
        remove.setToolTip("Remove this item")
        remove.clicked.connect(lambda: self._remove(holder))
        row.addWidget(widget, 1)
        row.addWidget(remove)
        self._rows_box.addWidget(holder)
        self._rows.append((holder, widget))
        self.changed.emit()
        return widget

    def _remove(self, holder: QWidget) -> None:
        self._rows = [(h, w) for h, w in self._rows if h is not holder]
        holder.deleteLater()
        if not self._rows:
            self.add_row()
        self.changed.emit()

    def items(self) -> list[FieldWidget]:
        return [w for _, w in self._rows]

    def value(self) -> Any:
        values = [w.value() for w in self.items()]
        values = [v for v in values if v is not None]
        return values or None

    def set_value(self, value: Any) -> None:
        for holder, _ in self._rows:
            holder.deleteLater()
        self._rows = []
        items = value if isinstance(value, list | tuple) else ([] if value is None else [value])
        for item in items:
            self.add_row(item)
        if not self._rows:
            self.add_row()

    def local_error(self) -> str | None:
        for index, widget in enumerate(self.items()):
            problem = widget.local_error()
            if problem:
                return f"item {index + 1}: {problem}"
        return None

    def focus_target(self) -> QWidget:
        items = self.items()
        return items[0].focus_target() if items else self


class JsonField(FieldWidget):
    """A small JSON editor for object-typed fields; parse errors name the line and column."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.edit = QPlainTextEdit()
        self.edit.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.edit.setPlaceholderText(placeholder_for(param) or '{"key": "value"}')
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(88)
        self.edit.textChanged.connect(self.changed)
        self._row().addWidget(self.edit)

    def _parse(self) -> tuple[Any, str | None]:
        text = self.edit.toPlainText().strip()
        if not text:
            return None, None
        try:
            return json.loads(text), None
        except json.JSONDecodeError as exc:
            return text, f"not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"

    def value(self) -> Any:
        return self._parse()[0]

    def set_value(self, value: Any) -> None:
        if value is None:
            self.edit.setPlainText("")
        elif isinstance(value, str):
            self.edit.setPlainText(value)
        else:
            self.edit.setPlainText(json.dumps(value, indent=2, ensure_ascii=False))

    def local_error(self) -> str | None:
        return self._parse()[1]

    def focus_target(self) -> QWidget:
        return self.edit

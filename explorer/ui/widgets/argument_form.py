"""The Arguments tab: a form generated from a catalog method, one widget per parameter, errors inline."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from explorer.core.catalog.model import Method, Param
from explorer.ui import theme
from explorer.ui.widgets.fields import (
    BoolField,
    EnumField,
    FieldWidget,
    MultiEnumField,
    MultilineField,
    NumberField,
    TextField,
)
from explorer.ui.widgets.fields_extra import ArrayField, DateTimeField, FileField, JsonField

# Free-text arguments that usually hold paragraphs rather than a word.
LONG_TEXT_NAMES = frozenset(
    {"raw", "message", "bio_raw", "description", "body", "text", "reason", "content", "bio", "template"}
)
_SECTION_TITLES = {"path": "Path", "query": "Query", "body": "Body"}


def create_field(param: Param, *, element: bool = False) -> FieldWidget:
    """The widget that suits `param` (the form generator's one decision point); `element` = one array item."""
    if param.enum and param.multi_enum:
        return MultiEnumField(param)
    if not element and (param.array or param.name.endswith("[]")):
        return ArrayField(param, lambda p: create_field(p, element=True))
    if param.is_upload:
        return FileField(param)
    if param.enum:
        return EnumField(param)
    if param.type == "boolean":
        return BoolField(param)
    if param.type in ("integer", "number"):
        return NumberField(param)
    if param.type == "object":
        return JsonField(param)
    if param.date_format is not None:
        return DateTimeField(param)
    if param.name.lower() in LONG_TEXT_NAMES:
        return MultilineField(param)
    return TextField(param)


class ArgumentForm(QScrollArea):
    """Edits the arguments of one method; `changed` fires on every keystroke and choice."""

    changed = Signal()

    def __init__(self, validator: Callable[[Param, Any], str | None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._validate = validator
        self.method: Method | None = None
        self.fields: dict[str, FieldWidget] = {}
        self.error_labels: dict[str, QLabel] = {}
        self._keys: dict[str, str] = {}
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self._show_empty("Choose a method in the browser on the left.")

    # -- building -----------------------------------------------------------------------------------------

    def _show_empty(self, text: str) -> None:
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setEnabled(False)
        self.setWidget(label)

    def set_method(self, method: Method | None, values: dict[str, Any] | None = None) -> None:
        self.method = method
        self.fields, self.error_labels, self._keys = {}, {}, {}
        if method is None:
            self._show_empty("Choose a method in the browser on the left.")
            return
        if not method.params:
            self._show_empty(f"{method.id} takes no arguments — press Ctrl+Enter to send it.")
            return
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(12, 8, 12, 12)
        names = [p.name for p in method.params]
        for location in ("path", "query", "body"):
            params = method.params_in(location)
            if not params:
                continue
            heading = QLabel(_SECTION_TITLES[location])
            # Bold through the font, not a style sheet: a styled label keeps the palette it was polished
            # with, so its text colour would not follow a switch between dark and light.
            font = heading.font()
            font.setWeight(QFont.Weight.DemiBold)
            heading.setFont(font)
            heading.setContentsMargins(0, 6, 0, 0)
            column.addWidget(heading)
            form = QFormLayout()
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            for param in params:
                key = f"{location}:{param.name}" if names.count(param.name) > 1 else param.name
                self._add_row(form, key, param)
            column.addLayout(form)
        column.addStretch(1)
        self.setWidget(page)
        if values:
            self.set_values(values)
        self.refresh_errors(show_required=False)

    def _add_row(self, form: QFormLayout, key: str, param: Param) -> None:
        field = create_field(param)
        field.changed.connect(lambda k=key: self._field_changed(k))
        label = QLabel(
            f"{param.name} <span style='color:{theme.SEVERITY_COLOURS['error']}'>*</span>"
            if param.required
            else param.name
        )
        label.setTextFormat(Qt.TextFormat.RichText)
        tip = param.description or ""
        if param.correction:
            tip += f"\n\nNote: {param.correction}"
        label.setToolTip(tip.strip())
        field.setToolTip(tip.strip())
        error = QLabel()
        error.setObjectName(f"error:{key}")
        error.setStyleSheet(f"color: {theme.SEVERITY_COLOURS['error']};")
        error.setWordWrap(True)
        error.hide()
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        box.addWidget(field)
        box.addWidget(error)
        form.addRow(label, holder)
        self.fields[key] = field
        self.error_labels[key] = error
        self._keys[key] = param.name

    # -- values and errors --------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """Set values only, keyed as the builder expects."""
        out: dict[str, Any] = {}
        for key, field in self.fields.items():
            value = field.value()
            if value is not None:
                out[key] = value
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        for key, field in self.fields.items():
            if key in values:
                field.set_value(values[key])

    def _field_changed(self, key: str) -> None:
        self._show_error(key, self._error_for(key, show_required=False))
        self.changed.emit()

    def _error_for(self, key: str, *, show_required: bool) -> str | None:
        field = self.fields[key]
        problem = field.local_error()
        if problem:
            return problem
        value = field.value()
        if value is None and not show_required:
            return None
        return self._validate(field.param, value)

    def _show_error(self, key: str, message: str | None) -> None:
        label = self.error_labels[key]
        label.setText(message or "")
        label.setVisible(bool(message))

    def refresh_errors(self, *, show_required: bool) -> dict[str, str]:
        """Re-check every field; `show_required` also flags empty required fields (used on Send)."""
        errors: dict[str, str] = {}
        for key in self.fields:
            message = self._error_for(key, show_required=show_required)
            self._show_error(key, message)
            if message:
                errors[key] = message
        return errors

    def show_errors(self, errors: dict[str, str]) -> None:
        """Errors reported by the builder, next to the fields they name; focus the first."""
        first: FieldWidget | None = None
        for key, message in errors.items():
            name = key if key in self.fields else next((k for k, n in self._keys.items() if n == key), None)
            if name is None:
                continue
            self._show_error(name, message)
            first = first or self.fields[name]
        if first is not None:
            self.ensureWidgetVisible(first)
            first.focus_target().setFocus()

    def visible_errors(self) -> dict[str, str]:
        return {k: lab.text() for k, lab in self.error_labels.items() if not lab.isHidden() and lab.text()}

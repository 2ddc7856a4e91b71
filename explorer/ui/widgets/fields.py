"""Simple argument widgets: text, multi-line text, numbers, tri-state booleans, enums, multi-valued enums."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from explorer.core.catalog.model import Param
from explorer.ui.widgets.value_combo import ValueCombo

UNSET_LABEL = "(not set)"


def placeholder_for(param: Param) -> str:
    """Defaults as placeholders (what the server assumes), else an example."""
    if param.default is not None:
        return f"default: {param.default}"
    if param.example is not None:
        return f"e.g. {param.example}"
    return ""


class FieldWidget(QWidget):
    """One argument's editor. `value()` is None when the user left it unset."""

    changed = Signal()

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.param = param
        self.setObjectName(f"field:{param.location}:{param.name}")
        if param.description:
            self.setToolTip(param.description)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def local_error(self) -> str | None:
        """A problem the widget can see by itself (e.g. "not a whole number"); the core checks the rest."""
        return None

    def focus_target(self) -> QWidget:
        return self

    def _row(self) -> QHBoxLayout:
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        return layout


class TextField(FieldWidget):
    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(placeholder_for(param))
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self.changed)
        self._row().addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.text() or None

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_target(self) -> QWidget:
        return self.edit


class MultilineField(FieldWidget):
    """For long free text (post `raw`, Disqus `message`): a few lines tall, grows with the form."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.edit = QPlainTextEdit()
        self.edit.setPlaceholderText(placeholder_for(param) or "Markdown or plain text")
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(96)
        self.edit.textChanged.connect(self.changed)
        self._row().addWidget(self.edit)

    def value(self) -> Any:
        return self.edit.toPlainText() or None

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def focus_target(self) -> QWidget:
        return self.edit


class NumberField(TextField):
    """Integers and numbers typed as text, so "unset" stays possible.

    It has no local_error(): the form checks the value with the core's rules as you type, so a bad
    number reads the same in the form, after Send and on the command line.
    """

    def value(self) -> Any:
        text = self.edit.text().strip()
        if not text:
            return None
        try:
            return int(text) if self.param.type == "integer" else float(text)
        except ValueError:
            return text  # the core's check names the problem; keep what was typed


class BoolField(FieldWidget):
    """Optional booleans are tri-state (not set / true / false); required ones are a checkbox."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        layout = self._row()
        self.combo: ValueCombo | None = None
        self.check: QCheckBox | None = None
        if param.required:
            self.check = QCheckBox("true")
            self.check.toggled.connect(self.changed)
            layout.addWidget(self.check)
        else:
            self.combo = ValueCombo()
            default = "" if param.default is None else f" — default {str(param.default).lower()}"
            self.combo.add(UNSET_LABEL + default, None)
            self.combo.add("true", True)
            self.combo.add("false", False)
            self.combo.currentIndexChanged.connect(self.changed)
            layout.addWidget(self.combo)
        layout.addStretch(1)

    def value(self) -> Any:
        if self.check is not None:
            return self.check.isChecked()
        assert self.combo is not None
        return self.combo.current_value()

    def set_value(self, value: Any) -> None:
        if self.check is not None:
            self.check.setChecked(bool(value))
            return
        assert self.combo is not None
        index = {None: 0, True: 1, False: 2}.get(
            value if isinstance(value, bool) or value is None else None, 0
        )
        self.combo.setCurrentIndex(index)

    def focus_target(self) -> QWidget:
        return self.check or self.combo or self


class EnumField(FieldWidget):
    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        self.combo = ValueCombo()
        if not param.required or param.default is None:
            label = UNSET_LABEL if param.default is None else f"{UNSET_LABEL} — default {param.default}"
            self.combo.add(label, None)
        for choice in param.enum or ():
            self.combo.add(choice, choice)
        self.combo.currentIndexChanged.connect(self.changed)
        layout = self._row()
        layout.addWidget(self.combo)
        layout.addStretch(1)

    def value(self) -> Any:
        return self.combo.current_value()

    def set_value(self, value: Any) -> None:
        index = self.combo.index_of(value)
        self.combo.setCurrentIndex(max(index, 0))

    def focus_target(self) -> QWidget:
        return self.combo


class MultiEnumField(FieldWidget):
    """A subset of the enum as checkboxes (Disqus filter/exclude: values combine with AND)."""

    def __init__(self, param: Param, parent: QWidget | None = None) -> None:
        super().__init__(param, parent)
        layout = self._row()
        self.boxes: dict[str, QCheckBox] = {}
        for choice in param.enum or ():
            box = QCheckBox(choice)
            box.toggled.connect(self.changed)
            self.boxes[choice] = box
            layout.addWidget(box)
        layout.addStretch(1)

    def value(self) -> Any:
        chosen = [name for name, box in self.boxes.items() if box.isChecked()]
        return chosen or None

    def set_value(self, value: Any) -> None:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        chosen = set(value or ())
        for name, box in self.boxes.items():
            box.setChecked(name in chosen)

    def focus_target(self) -> QWidget:
        return next(iter(self.boxes.values()), self)

"""jq filter box: runs the expression off the UI thread and shows the result tree or an inline error."""

from __future__ import annotations

import concurrent.futures as cf
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from explorer.core.jsontree.filter import FilterResult, FilterRunner
from explorer.core.jsontree.parse import JsonDocument, JsonParseError, parse_document
from explorer.ui.theme import SEVERITY_COLOURS


class FilterBar(QWidget):
    """Emits `applied(document)` with the filtered result, or `cleared()`; errors appear under the box."""

    applied = Signal(object)  # JsonDocument holding the array of jq's outputs
    cleared = Signal()
    failed = Signal(str)
    _finished = Signal(object)  # carries a FilterResult from the worker's thread to the UI thread

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = FilterRunner()
        self._source: Any = None
        self._pending: cf.Future[FilterResult] | None = None
        self.active_expression: str | None = None

        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("jq filter, e.g. .post_stream.posts[] | {id, username}")
        self.edit.returnPressed.connect(self.apply)
        self.apply_button = QPushButton("Filter", self)
        self.apply_button.clicked.connect(self.apply)
        self.clear_button = QPushButton("Clear", self)
        self.clear_button.clicked.connect(self.clear_filter)
        self.clear_button.setEnabled(False)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        # Wrapped within the width it gets: a long expression quoted in an error must not widen the window.
        self.error.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.error.setStyleSheet(f"color: {SEVERITY_COLOURS['error']};")
        self.error.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.apply_button)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self._finished.connect(self._on_finished)
        runner = self.runner  # not self: the Python wrapper is gone by the time `destroyed` arrives
        self.destroyed.connect(lambda *_: runner.shutdown())

    def set_source(self, source: Any) -> None:
        """The body the filter reads: bytes-like (mmap too) or a Path; forgets any active filter."""
        self._source = source
        self._pending = None
        self.active_expression = None
        self.clear_button.setEnabled(False)
        self.error.hide()

    def apply(self) -> None:
        expression = self.edit.text().strip()
        if not expression:
            self.clear_filter()
            return
        if self._source is None:
            return
        self.error.hide()
        self.apply_button.setEnabled(False)
        self.apply_button.setText("Filtering…")
        future = self.runner.submit(expression, self._source)
        self._pending = future
        # The callback runs in the worker's management thread; the signal queues it to the UI thread.
        future.add_done_callback(lambda done: self._finished.emit(done))

    def clear_filter(self) -> None:
        self._pending = None
        self.error.hide()
        self._reset_button()
        if self.active_expression is not None:
            self.active_expression = None
            self.clear_button.setEnabled(False)
            self.cleared.emit()

    def shutdown(self) -> None:
        self.runner.shutdown()

    def _reset_button(self) -> None:
        self.apply_button.setEnabled(True)
        self.apply_button.setText("Filter")

    def _on_finished(self, future: cf.Future[FilterResult]) -> None:
        if future is not self._pending:
            return  # superseded by a newer filter or a new body
        self._pending = None
        self._reset_button()
        try:
            result = future.result()
        except (cf.CancelledError, Exception) as exc:  # a crashed worker must not crash the UI
            self._show_error(f"filter failed: {exc}")
            return
        if not result.ok:
            self._show_error(result.error or "filter failed")
            return
        try:
            document: JsonDocument = parse_document(result.output or b"[]")
        except JsonParseError as exc:
            self._show_error(f"unreadable filter output: {exc}")
            return
        self.active_expression = result.expression
        self.clear_button.setEnabled(True)
        self.applied.emit(document)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.failed.emit(message)

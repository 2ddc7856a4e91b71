"""Search box with next/previous: runs the core Search in timer slices so huge documents keep painting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from explorer.core.jsontree.search import SLICE, Search, SearchHit

DEBOUNCE_MS = 250  # wait for a pause in typing before walking a large document


class SearchBar(QWidget):
    """Finds keys and values; `select` is called with a hit's key path to show it in the tree."""

    finished = Signal(int)  # number of hits, when a search has walked the whole document
    current_changed = Signal(int)  # index of the selected hit

    def __init__(self, select: Callable[[tuple], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._select = select
        self._root: Any = None
        self.search: Search | None = None
        self.current = -1
        self._want_first = False

        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText("Search keys and values")
        self.edit.setClearButtonEnabled(True)
        self.edit.textChanged.connect(self._text_changed)
        self.edit.returnPressed.connect(self._return_pressed)
        self.case = QCheckBox("Aa", self)
        self.case.setToolTip("Match case")
        self.case.toggled.connect(lambda _on: self.start())
        self.prev_button = QToolButton(self)
        self.prev_button.setText("▲")
        self.prev_button.setToolTip("Previous match (Shift+Enter)")
        self.prev_button.clicked.connect(self.previous)
        self.next_button = QToolButton(self)
        self.next_button.setText("▼")
        self.next_button.setToolTip("Next match (Enter)")
        self.next_button.clicked.connect(self.next)
        self.status = QLabel(self)
        shortcut = QShortcut(QKeySequence("Shift+Return"), self.edit, self.previous)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)  # PySide6 ignores a `context=` keyword here
        # Esc is not a shortcut: a second one beside the window's (cancel the request) is ambiguous and
        # neither runs. The box claims Esc only while it has something to clear; otherwise the window's runs.
        self.edit.installEventFilter(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.edit, self.case, self.prev_button, self.next_button, self.status):
            layout.addWidget(widget)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.start)
        self._slices = QTimer(self)  # zero interval: one slice per event-loop turn, paints in between
        self._slices.setInterval(0)
        self._slices.timeout.connect(self._run_slice)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if watched is self.edit and kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            is_esc = isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape
            if is_esc and self._has_something_to_clear():
                event.accept()  # an accepted override: the key goes to the box, not to a shortcut
                if kind == QEvent.Type.KeyPress:
                    self.clear()
                return kind == QEvent.Type.KeyPress
        return super().eventFilter(watched, event)

    def _has_something_to_clear(self) -> bool:
        return bool(self.edit.text()) or self.search is not None

    def clear(self) -> None:
        """Stop any search and empty the box (Esc in the box)."""
        self.cancel()
        self.edit.clear()

    def set_root(self, root: Any) -> None:
        """A new document: cancel any running search; keep the query and search the new document."""
        self._root = root
        self.cancel()
        if self.edit.text():
            self.start()

    def cancel(self) -> None:
        self._slices.stop()
        self._debounce.stop()
        if self.search is not None:
            self.search.cancel()
        self.search = None
        self.current = -1
        self._want_first = False
        self.status.setText("")

    def start(self) -> None:
        """Begin searching for the current text (cancelling the previous search)."""
        self.cancel()
        query = self.edit.text()
        if not query or self._root is None:
            return
        self.search = Search(self._root, query, case_sensitive=self.case.isChecked())
        self._want_first = True
        self._run_slice()
        if not self.search.finished:
            self._slices.start()

    @property
    def hits(self) -> list[SearchHit]:
        return self.search.hits if self.search is not None else []

    def next(self) -> None:
        self._move(1)

    def previous(self) -> None:
        self._move(-1)

    def _move(self, step: int) -> None:
        hits = self.hits
        if not hits:
            self._want_first = self.search is not None and not self.search.finished
            return
        self._go(0 if self.current < 0 else (self.current + step) % len(hits))

    def _go(self, index: int) -> None:
        self.current = index
        self._select(self.hits[index].path)
        self._update_status()
        self.current_changed.emit(index)

    def _text_changed(self, _text: str) -> None:
        self._debounce.start()

    def _return_pressed(self) -> None:
        if self._debounce.isActive() or self.search is None or self.search.query != self._query_key():
            self.start()
        else:
            self.next()

    def _query_key(self) -> str:
        text = self.edit.text()
        return text if self.case.isChecked() else text.casefold()

    def _run_slice(self) -> None:
        search = self.search
        if search is None:
            self._slices.stop()
            return
        new = search.step(SLICE)
        if new and self._want_first:
            self._want_first = False
            self._go(0)
        if search.finished:
            self._slices.stop()
            self.finished.emit(len(search.hits))
        self._update_status()

    def _update_status(self) -> None:
        search = self.search
        if search is None:
            self.status.setText("")
            return
        count = len(search.hits)
        position = f"{self.current + 1} of " if self.current >= 0 else ""
        if not search.finished:
            self.status.setText(f"{position}{count:,}… searching")
        elif count == 0:
            self.status.setText("no matches")
        else:
            capped = "+" if count >= search.max_hits else ""
            self.status.setText(f"{position}{count:,}{capped} match{'es' if count != 1 else ''}")

"""The History tab: every request sent, newest first by day, searched as you type, opened, pinned, deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.ui.history_model import HistoryModel
from explorer.ui.widgets.history_delegate import HistoryDelegate
from explorer.ui.widgets.value_combo import ValueCombo

if TYPE_CHECKING:
    from explorer.core.history import HistoryEntry, HistoryFilter, HistoryStore

SEARCH_DELAY_MS = 150  # typing pauses shorter than this do not query
STATUS_CLASSES = (("Any status", None), ("2xx", "2xx"), ("3xx", "3xx"), ("4xx", "4xx"), ("5xx", "5xx"),
                  ("No response", "none"))
APIS = (("All APIs", None), ("Discourse", "discourse"), ("Disqus", "disqus"))

_T = TypeVar("_T")

# (title, text, on_yes): asks before something is deleted; tests replace it with one that answers.
Confirm = Callable[[str, str, Callable[[], None]], None]


class HistoryPanel(QWidget):
    """Lists the history; opening and re-sending are the window's to do (signals), the rest is done here.

    `store` opens the history on first use; nothing calls it before the tab is first shown. `method`
    names the request in front as (api, method id) for the "This method" filter.
    """

    open_requested = Signal(object)  # HistoryEntry
    resend_requested = Signal(object)  # HistoryEntry
    compare_requested = Signal(object, object)  # the older and the newer HistoryEntry
    changed = Signal()  # entries were pinned or deleted

    def __init__(
        self,
        store: Callable[[], HistoryStore],
        method: Callable[[], tuple[str | None, str | None]] = lambda: (None, None),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._method = method
        self.confirm: Confirm = self._ask
        self.box: QMessageBox | None = None
        self.menu: QMenu | None = None

        self.search = QLineEdit()
        self.search.setObjectName("historySearch")
        self.search.setPlaceholderText("Search history  (Ctrl+H)")
        self.search.setToolTip("Matches the URL, the method, the status, the error and the bodies")
        self.search.setClearButtonEnabled(True)
        self.api = ValueCombo()
        for label, value in APIS:
            self.api.add(label, value)
        self.status = ValueCombo()
        for label, value in STATUS_CLASSES:
            self.status.add(label, value)
        self.this_method = QCheckBox("This method")
        self.this_method.setToolTip("Only the requests of the method (or free-form URL) in the editor")
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.api, 1)
        filters.addWidget(self.status, 1)
        filters.addWidget(self.this_method)

        self.model = HistoryModel(store, self)
        # A one-column table rather than a list view: with fixed row heights it places rows by
        # arithmetic, where a list view lays every row out again for each page fetched (slower and
        # slower as the history scrolls towards 100,000 entries).
        self.view = QTableView()
        self.view.setObjectName("historyList")
        self.view.setModel(self.model)
        delegate = HistoryDelegate(self.model, self.view)
        self.view.setItemDelegate(delegate)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.horizontalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        rows = self.view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(delegate.row_height(self.view.font()))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._show_menu)
        self.view.activated.connect(self._activated)  # Enter, and a double-click
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.view.installEventFilter(self)
        self.search.installEventFilter(self)

        self.count = QLabel()
        self.count.setEnabled(False)
        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Show the response and reopen the request in a new tab (Enter)")
        self.open_button.clicked.connect(lambda: self._for_current(self.open_requested.emit))
        self.resend_button = QPushButton("Re-send")
        self.resend_button.setToolTip("Reopen the request in a new tab and send it again")
        self.resend_button.clicked.connect(lambda: self._for_current(self.resend_requested.emit))
        self.more = QToolButton()
        self.more.setText("More")
        self.more.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        more_menu = QMenu(self.more)
        more_menu.aboutToShow.connect(lambda: self._fill_menu(more_menu))
        self.more.setMenu(more_menu)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.count, 1)
        for button in (self.open_button, self.resend_button, self.more):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(self.search)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.api.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.status.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.this_method.toggled.connect(lambda _on: self.apply_filter())
        self.model.loaded.connect(self._update_buttons)
        self.model.failed.connect(self._failed)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    # -- reading ------------------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        return self.model.active

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        # The database is opened and read when the tab is first shown, never at start-up.
        super().showEvent(event)
        if not self.model.active:
            self.model.set_filter(self.current_filter())
            self.model.start()
            self._update_count()

    def current_filter(self) -> HistoryFilter:
        from explorer.core.history import HistoryFilter

        api, method_id = self.api.current_value(), None
        if self.this_method.isChecked():
            method_api, method_id = self._method()
            api = method_api or api
        text, status = self.search.text().strip(), self.status.current_value()
        return HistoryFilter(text=text, api=api, method_id=method_id, status_class=status)

    def apply_filter(self) -> None:
        """Read the list again with the filters as they are now (the search box waits for a pause)."""
        self._debounce.stop()
        if not self.model.active:
            return
        self.model.set_filter(self.current_filter())
        self._update_count()

    def method_changed(self) -> None:
        """The request in front changed: with "This method" on, the list follows it."""
        if self.this_method.isChecked():
            self.apply_filter()

    def recorded(self, entry_id: int) -> None:
        """A request was recorded: it appears at the top (when it passes the filters)."""
        if self.model.active:
            self.model.add_recorded(entry_id)
            self._update_count()

    def _update_count(self) -> None:
        if not self.model.active:
            return
        total = self._safely(lambda store: store.count(self.model.filter))
        if total is not None:
            self.count.setText(f"{total:,} {'entry' if total == 1 else 'entries'}")
            self.count.setToolTip("")

    def _safely(self, action: Callable[[HistoryStore], _T]) -> _T | None:
        """Run `action` on the store; a failing history (a full disk, a damaged page) is said, not raised."""
        from explorer.core.history import HistoryError

        try:
            return action(self._store())
        except HistoryError as exc:
            self._failed(str(exc))
            return None

    def _failed(self, why: str) -> None:
        self.count.setText("The history cannot be read")
        self.count.setToolTip(why)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.KeyPress:
            return super().eventFilter(watched, event)
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if watched is self.search and key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Down or Enter in the search box moves into the results, as in the method browser.
            self.apply_filter()
            first = next((row for row in range(self.model.rowCount()) if self.model.entry_at(row)), None)
            if first is not None:
                self.view.setCurrentIndex(self.model.index(first))
            self.view.setFocus()
            return True
        if watched is self.view and key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.delete_selected()
            return True
        return super().eventFilter(watched, event)

    # -- selection ----------------------------------------------------------------------------------------

    def selected_entries(self) -> list[HistoryEntry]:
        """The selected entries, oldest first."""
        found = [self.model.entry_at(index) for index in self.view.selectionModel().selectedRows()]
        return sorted((e for e in found if e is not None), key=lambda e: (e.created_at, e.id))

    def current_entry(self) -> HistoryEntry | None:
        return self.model.entry_at(self.view.currentIndex())

    def _activated(self, index: object) -> None:
        entry = self.model.entry_at(self.view.currentIndex())
        if entry is not None:
            self.open_requested.emit(entry)

    def _for_current(self, act: Callable[[HistoryEntry], None]) -> None:
        entry = self.current_entry()
        if entry is not None:
            act(entry)

    def _update_buttons(self) -> None:
        has_entry = self.current_entry() is not None
        self.open_button.setEnabled(has_entry)
        self.resend_button.setEnabled(has_entry)

    # -- the menu -----------------------------------------------------------------------------------------

    def _show_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if index.isValid() and not self.view.selectionModel().isSelected(index):
            self.view.setCurrentIndex(index)
        self.menu = QMenu(self)
        self._fill_menu(self.menu)
        self.menu.popup(self.view.viewport().mapToGlobal(pos))

    def _fill_menu(self, menu: QMenu) -> None:
        """The actions for the selection as it is when the menu opens."""
        menu.clear()
        selected = self.selected_entries()
        entry = self.current_entry() or (selected[-1] if selected else None)

        def add(text: str, slot: Callable[[], None], enabled: bool = True) -> QAction:
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
            return action

        def for_entry(act: Callable[[HistoryEntry], None]) -> Callable[[], None]:
            return lambda: act(entry) if entry is not None else None

        add("Open", for_entry(self.open_requested.emit), entry is not None)
        add("Re-send", for_entry(self.resend_requested.emit), entry is not None)
        add("Compare", lambda: self.compare_requested.emit(*selected[:2]), len(selected) == 2)
        menu.addSeparator()
        pinned = entry is not None and entry.pinned
        add("Unpin" if pinned else "Pin", for_entry(lambda e: self.pin(e, not pinned)), entry is not None)
        count = len(selected) or (1 if entry else 0)
        add("Delete" if count <= 1 else f"Delete {count} entries", self.delete_selected, count > 0)
        menu.addSeparator()
        add("Delete all matching the filters…", self.delete_matching, self._filtering())
        add("Clear history…", self.clear_all)

    def _filtering(self) -> bool:
        flt = self.model.filter
        return bool(flt.text or flt.api or flt.method_id or flt.status_class)

    # -- changing the history -----------------------------------------------------------------------------

    def pin(self, entry: HistoryEntry, pinned: bool = True) -> None:
        """Pin (kept when old entries are pruned) or unpin an entry."""
        if self._safely(lambda store: store.pin(entry.id, pinned)) is None:
            return
        self.model.set_pinned(entry.id, pinned)
        self.changed.emit()

    def delete_selected(self) -> None:
        entries = self.selected_entries() or [e for e in (self.current_entry(),) if e is not None]
        if not entries:
            return
        what = "this entry" if len(entries) == 1 else f"these {len(entries)} entries"
        ids = [e.id for e in entries]
        self.confirm("Delete from history", f"Delete {what} from the history?", lambda: self._delete(ids))

    def _delete(self, ids: list[int]) -> None:
        self._safely(lambda store: store.delete(ids))
        self._refresh_after_delete()

    def delete_matching(self) -> None:
        flt = self.model.filter
        total = self._safely(lambda store: store.count(flt))
        if not total:
            return
        text = f"Delete the {total:,} {'entry' if total == 1 else 'entries'} matching the filters?"
        self.confirm("Delete from history", text, lambda: self._delete_matching(flt))

    def _delete_matching(self, flt: HistoryFilter) -> None:
        self._safely(lambda store: store.delete_matching(flt))
        self._refresh_after_delete()

    def clear_all(self) -> None:
        self.confirm(
            "Clear history", "Delete every entry of the history, pinned ones too?", self._clear
        )

    def _clear(self) -> None:
        self._safely(lambda store: store.clear())
        self._refresh_after_delete()

    def _refresh_after_delete(self) -> None:
        self.model.reload(keep=self.model.entry_count)
        self._update_count()
        self.changed.emit()

    def _ask(self, title: str, text: str, on_yes: Callable[[], None]) -> None:
        """A question with Delete and Cancel, opened with open() (no nested event loop)."""
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self)
        delete = box.addButton("Delete", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        def answered(_code: int) -> None:
            if box.clickedButton() is delete:
                on_yes()

        box.finished.connect(answered)
        self.box = box
        box.open()

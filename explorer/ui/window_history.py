"""History in the main window: the sidebar's History tab, opening and re-sending entries, the response
drop-down beside the status badge, and comparing two responses."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QTabWidget

from explorer.ui.history_model import age_text
from explorer.ui.widgets.history_panel import HistoryPanel
from explorer.ui.widgets.response_history import ResponseHistoryCombo

if TYPE_CHECKING:
    from explorer.core.history import HistoryEntry, HistoryStore
    from explorer.core.http.result import ExecutionResult
    from explorer.core.lifecycle.spec import RequestSpec
    from explorer.ui.history_service import HistoryService
    from explorer.ui.main_window import MainWindow
    from explorer.ui.widgets.compare_dialog import CompareDialog

log = logging.getLogger(__name__)
_T = TypeVar("_T")

NOTICE_MS = 30000  # a set-aside history file is said in the status bar for a while


class WindowHistory(QObject):
    """Puts the method browser and the History tab in one sidebar and wires them to the window.

    Reading the history starts when the History tab is first shown, or when the response drop-down is
    opened; recording starts with the first send (the recorder opens its own connection).
    """

    shown = Signal(object)  # the ExecutionResult of an entry, once the response pane shows it

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.service: HistoryService = window.services.history
        self.dialog: CompareDialog | None = None

        self.sidebar = QTabWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setDocumentMode(True)
        browser = window.browser
        # replaceWidget keeps the splitter's restored sizes; the browser it hands back becomes a tab.
        window.outer.replaceWidget(window.outer.indexOf(browser), self.sidebar)
        # PySide leaves a widget given to replaceWidget owned by Python; naming its parent hands it to Qt.
        self.sidebar.setParent(window.outer)
        self.sidebar.show()
        self.sidebar.setMinimumWidth(browser.minimumWidth())
        browser.setMinimumWidth(0)
        self.sidebar.addTab(browser, "Methods")
        self.panel = HistoryPanel(lambda: self.store, self._current_method)
        self.sidebar.addTab(self.panel, "History")
        self.sidebar.setTabToolTip(1, "Every request sent, newest first (Ctrl+H)")

        self.picker = ResponseHistoryCombo(lambda: self.store, window.editor.spec)
        self.picker.hide()  # until the pane shows a response
        row = window.response.badge_row
        row.insertWidget(row.indexOf(window.response.status_badge) + 1, self.picker)

        self.service.profile = self._profile_name
        self.service.recorded.connect(self.panel.recorded)
        self.service.notice.connect(self._notice)
        self.panel.open_requested.connect(self.open_entry)
        self.panel.resend_requested.connect(lambda entry: self.open_entry(entry, send=True))
        self.panel.compare_requested.connect(self.compare)
        self.picker.picked.connect(self.show_entry)
        window.response_shown.connect(self._response_received)
        window.editor.method_changed.connect(lambda _method: self.panel.method_changed())
        window.request_tabs.current_changed.connect(self.panel.method_changed)
        window.installEventFilter(self)

    @property
    def store(self) -> HistoryStore:
        return self.service.store

    def _current_method(self) -> tuple[str | None, str | None]:
        spec = self._window.editor.spec()
        return spec.api, spec.method_id

    def _profile_name(self) -> str | None:
        profile = self._window.active_profile()
        return profile.name if profile is not None else None

    def _read(self, query: Callable[[HistoryStore], _T]) -> _T | None:
        """Run `query` on the store; a failing history is said in the status bar and gives None."""
        from explorer.core.history import HistoryError

        try:
            return query(self.store)
        except HistoryError as exc:
            log.warning("history: %s", exc)
            self._window.statusBar().showMessage(f"The history cannot be read: {exc}", 8000)
            return None

    def _notice(self, text: str) -> None:
        self._window.statusBar().showMessage(text, NOTICE_MS)

    # -- showing the tab ----------------------------------------------------------------------------------

    def show_history(self) -> None:
        """Bring the History tab to the front (showing the sidebar) and put the cursor in its search."""
        self.sidebar.show()
        self.sidebar.setCurrentWidget(self.panel)
        self.panel.search.setFocus()
        self.panel.search.selectAll()

    def search_methods(self) -> None:
        """Bring the Methods tab to the front and put the cursor in its search (Ctrl+K)."""
        self.sidebar.show()
        self.sidebar.setCurrentWidget(self._window.browser)
        self._window.browser.focus_search()

    def toggle_sidebar(self) -> None:
        self.sidebar.setVisible(not self.sidebar.isVisible())

    # -- opening entries ----------------------------------------------------------------------------------

    def open_entry(self, entry: HistoryEntry, *, send: bool = False) -> bool:
        """Reopen the entry's request in a new tab and show its response as it was; with `send`, send the
        request again at once. False when the entry is gone (deleted meanwhile)."""
        full = self._read(lambda store: store.get(entry.id))
        if full is None:
            self._window.statusBar().showMessage("That entry is no longer in the history.", 5000)
            return False
        self._window.request_tabs.new_tab(self.spec_of(full))
        if send:
            return self._window.send()
        self._show(full)
        return True

    @staticmethod
    def spec_of(entry: HistoryEntry) -> RequestSpec:
        """The request the entry recorded; an entry without one (sent as a raw request) reopens as a
        free-form request to its URL."""
        if entry.spec is not None:
            return entry.spec
        from explorer.core.lifecycle.spec import RequestSpec

        return RequestSpec(api=entry.api, verb=entry.verb, url=entry.url)

    def show_entry(self, entry: HistoryEntry) -> ExecutionResult | None:
        """Show the entry's recorded response in the response pane, labelled with when it came."""
        # The list's entries are summaries: the request and the headers come with get().
        full = self._read(lambda store: store.get(entry.id))
        return self._show(full) if full is not None else None

    def _show(self, full: HistoryEntry) -> ExecutionResult:
        body: bytes | None = self._read(lambda store: store.body(full.id))
        result = full.as_result(body or b"")
        pane = self._window.response
        pane.sent_label = self.spec_of(full).label()
        pane.show_result(result)
        # Where the response came from leads the note; its error or notes (a body kept in part) follow.
        label = f"From history, {age_text(full.created_at)}"
        detail = result.error or " · ".join(result.notes)
        pane.note.setText(f"{label} — {detail}" if detail else label)
        self.picker.show()
        self.picker.showing(full.id)
        self.shown.emit(result)
        return result

    def _response_received(self, _result: object) -> None:
        self.picker.show()
        self.picker.showing(None)

    # -- comparing ----------------------------------------------------------------------------------------

    def compare(self, older: HistoryEntry, newer: HistoryEntry) -> None:
        """Open the comparison of two entries' responses (non-blocking)."""
        from explorer.ui.widgets.compare_dialog import CompareDialog

        pair = self._read(lambda store: (store.get(older.id), store.get(newer.id)))
        if pair is None:
            return
        old, new = pair
        if old is None or new is None:
            self._window.statusBar().showMessage("One of those entries is no longer in the history.", 5000)
            return
        if new.id < old.id:  # the store numbers entries in the order they were recorded
            old, new = new, old
        bodies = self._read(lambda store: (store.body(old.id), store.body(new.id)))
        if bodies is None:
            return
        dialog = CompareDialog(old, new, *bodies, self._window)
        self.dialog = dialog
        dialog.open()

    # -- closing ------------------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self._window:
            if event.type() == QEvent.Type.Close:
                self.service.close()  # what the recorder holds is written before the window goes
            elif event.type() == QEvent.Type.PaletteChange:
                self.panel.view.viewport().update()
        return False


def install_history(window: MainWindow) -> WindowHistory:
    """The sidebar with Methods and History tabs, the response drop-down, and history closing with the
    window; called once the browser, the editor, the response pane and the request tabs exist."""
    return WindowHistory(window)

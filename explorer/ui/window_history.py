"""History in the window: the History tab, reopening and re-sending entries, the response picker, Compare."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

# The tab's widgets are made when it is first shown, the drop-down with the first response.
if TYPE_CHECKING:
    from explorer.core.history import HistoryEntry, HistoryStore
    from explorer.core.http.result import ExecutionResult
    from explorer.core.lifecycle.spec import RequestSpec
    from explorer.ui.history_service import HistoryService
    from explorer.ui.main_window import MainWindow
    from explorer.ui.widgets.compare_dialog import CompareDialog
    from explorer.ui.widgets.history_panel import HistoryPanel
    from explorer.ui.widgets.response_history import ResponseHistoryCombo

log = logging.getLogger(__name__)
_T = TypeVar("_T")

NOTICE_MS = 30000  # a set-aside history file is said in the status bar for a while


class WindowHistory(QObject):
    """Puts the method browser and the History tab in one sidebar and wires them to the window.

    Reading the history starts when the History tab is first shown, or when the response drop-down is
    opened; recording starts with the first send (the recorder opens its own connection). The tab's
    widgets are made when it is first brought to the front, the drop-down with the first response, so
    start-up pays for neither.
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
        self.page = QWidget()  # the History tab; the panel goes in when the tab is first shown
        page_layout = QVBoxLayout(self.page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        self.sidebar.addTab(self.page, "History")
        self.sidebar.setTabToolTip(1, "Every request sent, newest first (Ctrl+H)")
        self.sidebar.currentChanged.connect(self._tab_changed)
        self._panel: HistoryPanel | None = None
        self._picker: ResponseHistoryCombo | None = None

        self.service.profile = self._profile_name
        self.service.recorded.connect(self._recorded)
        self.service.notice.connect(self._notice)
        window.response_shown.connect(self._response_received)
        window.editor.method_changed.connect(lambda _method: self._method_changed())
        window.request_tabs.current_changed.connect(self._method_changed)
        window.installEventFilter(self)

    @property
    def panel(self) -> HistoryPanel:
        """The History tab's content, made on first use (it reads nothing until it is shown)."""
        if self._panel is None:
            from explorer.ui.widgets.history_panel import HistoryPanel

            panel = HistoryPanel(lambda: self.store, self._current_method)
            panel.open_requested.connect(self.open_entry)
            panel.resend_requested.connect(lambda entry: self.open_entry(entry, send=True))
            panel.compare_requested.connect(self.compare)
            layout = self.page.layout()
            assert layout is not None
            layout.addWidget(panel)
            self._panel = panel
        return self._panel

    @property
    def picker(self) -> ResponseHistoryCombo:
        """The drop-down beside the status badge, made with the first response shown."""
        if self._picker is None:
            from explorer.ui.widgets.response_history import ResponseHistoryCombo

            pane = self._window.response
            self._picker = ResponseHistoryCombo(lambda: self.store, self._window.editor.spec)
            self._picker.picked.connect(self.show_entry)
            pane.badge_row.insertWidget(pane.badge_row.indexOf(pane.status_badge) + 1, self._picker)
        return self._picker

    def _tab_changed(self, index: int) -> None:
        if self.sidebar.widget(index) is self.page:
            _ = self.panel

    def _recorded(self, entry_id: int) -> None:
        if self._panel is not None:
            self._panel.recorded(entry_id)

    def _method_changed(self) -> None:
        if self._panel is not None:
            self._panel.method_changed()

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
        self.sidebar.setCurrentWidget(self.page)
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
        from explorer.ui.history_model import age_text

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
            elif event.type() == QEvent.Type.PaletteChange and self._panel is not None:
                self._panel.view.viewport().update()
        return False


def install_history(window: MainWindow) -> WindowHistory:
    """The sidebar with Methods and History tabs, the response drop-down, and history closing with the
    window; called once the browser, the editor, the response pane and the request tabs exist."""
    return WindowHistory(window)

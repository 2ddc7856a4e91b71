"""The main window: sidebar, request editor and response pane in splitters, toolbar, shortcuts, status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QAction, QCloseEvent, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QSplitter, QToolBar, QWidget

from explorer.ui import theme
from explorer.ui.services import Services
from explorer.ui.widgets.profile_switcher import ProfileSwitcher
from explorer.ui.window_dialogs import WindowDialogs
from explorer.ui.window_profiles import WindowProfiles
from explorer.ui.window_state import WindowState

if TYPE_CHECKING:
    from pathlib import Path

    from explorer.core.catalog.model import Api, Method
    from explorer.core.http.result import ExecutionResult
    from explorer.core.profiles import Profile
    from explorer.ui.controllers.request import RequestController
    from explorer.ui.widgets.method_browser import MethodBrowser
    from explorer.ui.widgets.request_editor import RequestEditor
    from explorer.ui.widgets.request_tabs import RequestTabs
    from explorer.ui.widgets.response_pane import ResponsePane
    from explorer.ui.window_budget import WindowBudget
    from explorer.ui.window_collections import WindowCollections
    from explorer.ui.window_history import WindowHistory
    from explorer.ui.window_paging import WindowPaging

# `Qt` is read as QtCore.Qt where it is used: the namespace costs ~20 ms to load, which the first paint skips.

# The first method a newcomer sees: a harmless read that shows real data.
FIRST_METHOD = "discourse:listLatestTopics"


def _placeholder(text: str) -> QLabel:
    label = QLabel(text)
    label.setEnabled(False)
    return label


class MainWindow(QMainWindow):
    """Wires widgets to the services and the request controller; holds no business logic."""

    browser: MethodBrowser
    editor: RequestEditor
    request_tabs: RequestTabs
    response: ResponsePane
    history: WindowHistory
    rate_budget: WindowBudget
    collections: WindowCollections
    paging: WindowPaging
    profiles_ready = Signal()
    response_shown = Signal(object)  # ExecutionResult, after the pane shows it
    exchanged = Signal(object)  # Exchange of every request sent (its spec, result and diagnosis)

    def __init__(self, services: Services, parent: QWidget | None = None, *, deferred: bool = False) -> None:
        """With `deferred`, only the frame (toolbar, panes, status bar) is made; `build()` adds the content.

        The app paints that frame first and builds the content right after, so the window appears at
        once while catalogs, forms and the response viewer load behind it.
        """
        super().__init__(parent)
        self.services = services
        self.state = WindowState(services.paths.config)
        self._controller: RequestController | None = None
        self.profiles = WindowProfiles(self)  # the profile in use per API; read once the sandbox is ready
        self.built = False
        self.dialogs = WindowDialogs(self)
        self.theme_follower: theme.ThemeFollower | None = None  # set by the app (tests run without one)
        self.shortcuts: dict[str, list[QShortcut]] = {}

        self.inner = QSplitter()  # horizontal; the layout setting may turn it
        self.inner.addWidget(_placeholder(""))
        self.inner.addWidget(_placeholder(""))
        self.inner.setChildrenCollapsible(False)
        self.outer = QSplitter()
        self.outer.addWidget(_placeholder("Loading methods…"))
        self.outer.addWidget(self.inner)
        self.outer.setStretchFactor(1, 1)
        self.outer.setCollapsible(1, False)
        self.setCentralWidget(self.outer)
        self._build_toolbar()
        self.sandbox_label = QLabel("Starting the offline sandbox…")
        self.statusBar().addPermanentWidget(self.sandbox_label)
        self._restore_state()
        self.setWindowTitle(theme.APP_NAME)
        if not deferred:
            self.build()

    def build(self) -> None:
        """Create the method browser, the request editor and the response pane in the frame's places."""
        if self.built:
            return
        from explorer.ui.widgets.method_browser import MethodBrowser
        from explorer.ui.widgets.request_editor import RequestEditor
        from explorer.ui.widgets.response_pane import ResponsePane

        self.browser = MethodBrowser(self.services.catalogs)
        self.browser.setMinimumWidth(240)
        self.editor = RequestEditor(lambda: self.services.catalogs)
        self.response = ResponsePane()
        from explorer.core.jsontree.table_columns import ColumnMemory

        self.response.table_memory = ColumnMemory(self.services.paths.table_columns_file)
        for splitter, index, widget in (
            (self.outer, 0, self.browser),
            (self.inner, 0, self.editor),
            (self.inner, 1, self.response),
        ):
            placeholder = splitter.replaceWidget(index, widget)  # replaceWidget keeps the restored sizes
            if placeholder is not None:
                placeholder.deleteLater()
        self._bind_shortcuts()
        if self.services.want_sandbox and not self.profiles.loaded:
            self.editor.no_target_note = "Starting the offline sandbox… (a moment, then Ctrl+Enter works)"
        self.browser.method_selected.connect(self._method_selected)
        self.editor.send_requested.connect(self.send)
        self.editor.cancel_requested.connect(self.cancel)
        self.editor.request_changed.connect(self.update_title)
        self.editor.method_changed.connect(self._editor_method_changed)
        self._install_request_tabs()
        from explorer.ui.window_budget import install_rate_budget
        from explorer.ui.window_history import install_history

        self.history = install_history(self)  # the sidebar's History tab, read once it is first shown
        self.rate_budget = install_rate_budget(self)  # the status bar meter; paces every send
        from explorer.ui.window_collections import install_collections

        self.collections = install_collections(self)  # the Collections tab, read once it is first needed
        self.request_tabs.save_current = self.collections.save_current  # Save in "close this tab?" too
        from explorer.ui.window_paging import WindowPaging

        self.paging = WindowPaging(self)  # Next page and Fetch all pages… beside the response badges
        self.built = True
        if self.services.settings_warnings:
            self.statusBar().showMessage(self.services.settings_warnings[0], 15000)
        self.update_title()

    # -- construction -------------------------------------------------------------------------------------

    def _build_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        self.switcher = ProfileSwitcher()
        self.switcher.profile_chosen.connect(self.choose_profile)
        self.switcher.manage_requested.connect(self.dialogs.open_profiles)
        bar.addWidget(self.switcher)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.layout_action = QAction("Response below", self)
        self.layout_action.setCheckable(True)
        self.layout_action.setToolTip("Put the response pane below the request (Ctrl+J)")
        self.layout_action.toggled.connect(self.set_response_below)
        bar.addAction(self.layout_action)
        for text, slot in (
            ("Import cURL…", self.dialogs.import_curl),
            ("Copy as cURL", self.dialogs.copy_curl),
            ("Export code…", self.dialogs.export_code),
            ("Shortcuts", self.dialogs.show_shortcuts),
            ("Settings", self.dialogs.open_settings),
        ):
            action = QAction(text, self)
            action.triggered.connect(slot)
            bar.addAction(action)
        self.addToolBar(bar)

    def _bind_shortcuts(self) -> None:
        from explorer.ui.shortcuts import bind_shortcuts

        self.shortcuts = bind_shortcuts(
            self,
            {
                "send": self.send_or_cancel,
                "cancel": self.cancel,
                "focus_url": self.editor.focus_url,
                # The sidebar (Methods and History tabs) is installed later in build().
                "search": lambda: self.history.search_methods(),
                "history": lambda: self.history.show_history(),
                "settings": self.dialogs.open_settings,
                "shortcuts": self.dialogs.show_shortcuts,
                "toggle_sidebar": lambda: self.history.toggle_sidebar(),
                "toggle_layout": self.layout_action.toggle,
                "profiles": self.dialogs.open_profiles,
                "import_curl": self.dialogs.import_curl,
                "copy_curl": self.dialogs.copy_curl,
                "export_code": self.dialogs.export_code,
                # The request tabs are installed later in build(), after the window's own connections.
                "new_tab": lambda: self.request_tabs.new_tab(),
                "close_tab": lambda: self.request_tabs.close_tab(),
                "next_tab": lambda: self.request_tabs.switch_by(1),
                "previous_tab": lambda: self.request_tabs.switch_by(-1),
                "save_request": lambda: self.collections.save_current(),
                "collections": lambda: self.collections.show_tab(),
                "next_page": lambda: self.paging.next_page(),
            },
        )
        from explorer.ui.shortcut_override import WindowKeysFirst

        self.keys_first = WindowKeysFirst(self)  # Ctrl+E and the like work from inside a text field too

    def _install_request_tabs(self) -> None:
        """The tab bar above the editor (with the drafts of the last session), the production band and
        the custom methods' action and menu."""
        from explorer.ui.custom_methods import install_custom_methods
        from explorer.ui.widgets.production_band import install_production_band
        from explorer.ui.window_tabs import install_request_tabs

        self.request_tabs = install_request_tabs(self)
        self.production_band = install_production_band(self, self.request_tabs)
        self.custom_methods = install_custom_methods(self)

    def _restore_state(self) -> None:
        geometry = self.state.bytes("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1360, 820)
        for key, splitter in (("window/outer", self.outer), ("window/inner", self.inner)):
            saved = self.state.bytes(key)
            if saved is None or not splitter.restoreState(saved):
                splitter.setSizes([380, 1060] if splitter is self.outer else [520, 540])
        self.layout_action.setChecked(self.services.settings.response_layout == "below")

    def save_state(self) -> None:
        self.state.set_bytes("window/geometry", self.saveGeometry())
        self.state.set_bytes("window/outer", self.outer.saveState())
        self.state.set_bytes("window/inner", self.inner.saveState())
        method = self.editor.method if self.built else None
        if method is not None:
            self.state.set_text("session/method", method.key)
        self.profiles.remember()
        self.state.sync()

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: N802, A002 - Qt's names
        """Tab: sidebar, request tabs, verb, URL, Send, the editor's tabs, the response (see window_focus)."""
        if not self.built:
            return super().focusNextPrevChild(next)
        from explorer.ui.window_focus import move_focus

        editor = self.editor
        regions = [
            self.history.sidebar, self.request_tabs, editor.verb, editor.url_edit, editor.send_button,
            editor.tabs, editor, self.response,
        ]
        return move_focus(self, regions, next)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_state()
        if self._controller is not None:
            self._controller.cancel()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        # Follow the system switching between light and dark: badges and banners derive from the palette.
        if event.type() == QEvent.Type.PaletteChange and self.built:
            self.browser.tree.viewport().update()
        super().changeEvent(event)

    # -- methods and profiles -----------------------------------------------------------------------------

    def open_first_method(self, key: str | None = None) -> bool:
        """Select `key` (False when unknown), or the method used last time, or the suggested first one."""
        if self.request_tabs.restored:  # the last session's tabs are back, each with its own request
            if not key:
                return True
            self.request_tabs.new_tab()  # a method asked for by name opens beside them
        if key:
            return self.browser.select_method(key)
        wanted = self.state.text("session/method") or FIRST_METHOD
        return self.browser.select_method(wanted) or self.browser.select_method(FIRST_METHOD)

    def _method_selected(self, method: Method) -> None:
        if self.editor.method is not None and self.editor.method.key == method.key:
            return  # the editor chose it (a typed URL or an import): its request stays as it is
        self.profiles.follow(method.api)
        self.editor.set_method(method)
        self.update_title()

    def _editor_method_changed(self, method: Method | None) -> None:
        """The editor now shows `method` (or a free-form request): the browser and the response follow."""
        if method is not None:
            current = self.browser.current_method()
            if current is None or current.key != method.key:
                self.browser.select_method(method.key)
        else:
            self.browser.tree.setCurrentIndex(QtCore.QModelIndex())
        self.response.label_for(self.editor.spec().label())

    def load_profiles(self) -> None:
        """Fill the switcher once the sandbox (and the profile store) are ready."""
        self.profiles.load()

    @property
    def profiles_loaded(self) -> bool:
        """True once load_profiles() has run (`profiles_ready` fired): Send then has its profile."""
        return self.profiles.loaded

    def active_profile(self, api: Api | None = None) -> Profile | None:
        return self.profiles.active_profile(api)

    def choose_profile(self, profile_id: str) -> None:
        self.profiles.choose(profile_id)

    def open_request_file(self, path: Path) -> None:
        """Open a saved request in a new tab, remembered as saved to `path` (OSError, SpecError)."""
        from explorer.core.lifecycle.spec import RequestSpec

        spec = RequestSpec.loads(path.read_text(encoding="utf-8"))
        tab = self.request_tabs.new_tab(spec)
        tab.baseline, tab.file = spec, str(path)
        self.request_tabs.refresh_titles()

    def update_title(self) -> None:
        method = self.editor.method
        profile = self.active_profile(method.api) if method else None
        parts = [p for p in (method.id if method else "", profile.name if profile else "") if p]
        self.setWindowTitle(" — ".join([*parts, theme.APP_NAME]))
        if method is not None:
            self.state.set_text(f"session/method/{method.api.value}", method.key)

    # -- sending ------------------------------------------------------------------------------------------

    @property
    def controller(self) -> RequestController:
        if self._controller is None:
            from explorer.ui.controllers.request import RequestController

            # The history's recorder is told about every request; None of it when history is off.
            observers = self.services.history.observers()
            self._controller = RequestController(lambda: self.services.executor, self, observers)
            self._controller.started.connect(self._started)
            self._controller.progress.connect(self.response.show_progress)
            self._controller.finished.connect(self._finished)
            self.rate_budget.attach(self._controller)
            self._controller.exchanged.connect(self.exchanged)
        return self._controller

    def send_or_cancel(self) -> None:
        if self._controller is not None and self._controller.busy:
            self.cancel()
        else:
            self.send()

    def send(self) -> bool:
        """Send the editor's request; False (after showing why) when it cannot be sent."""
        request = self.editor.request_to_send()
        if request is None:
            preparation = self.editor.preparation
            if preparation is not None and preparation.refusal:
                self.statusBar().showMessage(f"Not sent: {preparation.refusal}", 8000)
            elif preparation is not None and preparation.ok:
                self.statusBar().showMessage("Not sent.", 4000)  # the user declined the question
            else:
                self.statusBar().showMessage("Not sent: fix the highlighted fields first.", 5000)
            return False
        profile = self.active_profile(self.editor.target.api) if self.editor.target else None
        spec = self.editor.spec()
        self.response.sent_label = spec.label()
        self.controller.send(request, spec=spec, timeout_s=profile.timeout_s if profile else None)
        return True

    def cancel(self) -> None:
        if self._controller is not None and self._controller.cancel():
            self.statusBar().showMessage("Cancelled.", 3000)

    def _started(self, request: object) -> None:
        self.statusBar().clearMessage()  # an earlier "Not sent: …" no longer applies
        self.editor.set_busy(True)
        self.response.show_sending(request)  # type: ignore[arg-type]

    def _finished(self, result: ExecutionResult) -> None:
        self.editor.set_busy(False)
        self.response.show_result(result)
        method = self.editor.method
        if result.status == 422 and method is not None:
            # The server's validation messages go next to the fields they name, as the builder's do.
            from explorer.core.explain import field_errors

            named = field_errors(result.body, list(self.editor.form.fields))
            if named:
                self.editor.tabs.setCurrentWidget(self.editor.form)
                self.editor.form.show_errors(named)
        self.response_shown.emit(result)

    # -- layout and dialogs -------------------------------------------------------------------------------

    def set_response_below(self, below: bool) -> None:
        orientation = QtCore.Qt.Orientation
        self.inner.setOrientation(orientation.Vertical if below else orientation.Horizontal)
        layout = "below" if below else "right"
        if self.services.settings.response_layout != layout:
            from dataclasses import replace

            try:
                self.services.apply_settings(replace(self.services.settings, response_layout=layout))
            except OSError as exc:
                self.statusBar().showMessage(f"The layout could not be saved: {exc}", 5000)

"""Installs the request tabs in the main window: the bar above the editor, drafts, and method selection."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QVBoxLayout, QWidget

from explorer.core.lifecycle.spec import RequestSpec
from explorer.ui.tab_drafts import TabDrafts
from explorer.ui.widgets.request_tabs import RequestTabs, api_of

if TYPE_CHECKING:
    from explorer.ui.main_window import MainWindow

NOTICE_MS = 30000  # a restore problem stays readable for a while, then gives the status bar back


def show_spec(window: MainWindow, spec: RequestSpec) -> None:
    """Put `spec` in the editor with the active profile of its API (a tab may be for the other API)."""
    window.editor.load_spec(spec)
    _use_profile_of(window, spec)
    window.update_title()


def _use_profile_of(window: MainWindow, spec: RequestSpec) -> None:
    api = api_of(spec)
    if api is not None and window.profiles_loaded:
        window.profiles.follow(api)


def _follow_profiles(window: MainWindow) -> None:
    """Once the profiles are loaded, a free-form request of the other API (a restored Disqus tab) gets
    its own API's profile: the window chooses by the method shown, and a free-form request has none."""
    spec = window.editor.spec()
    target = window.editor.target
    if target is None or target.api != api_of(spec):
        _use_profile_of(window, spec)
        window.update_title()


def install_request_tabs(window: MainWindow) -> RequestTabs:
    """Put the tab bar above the editor and restore the last session's tabs (or open one for the editor).

    Called once the window's own signal connections exist, so a method chosen in the browser has reached
    the editor before the tab hears of it.
    """
    editor = window.editor

    def notify(text: str, timeout_ms: int = 8000) -> None:
        window.statusBar().showMessage(text, timeout_ms)

    tabs = RequestTabs(editor, show_spec=lambda spec: show_spec(window, spec), notify=notify)
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    # replaceWidget keeps the splitter's restored sizes; the editor it hands back goes into the column.
    window.inner.replaceWidget(window.inner.indexOf(editor), column)
    # PySide leaves a widget given to replaceWidget owned by Python, which would delete it (and the
    # editor in it) when this function returns; naming its parent again hands it to Qt.
    column.setParent(window.inner)
    column.show()
    layout.addWidget(tabs)
    layout.addWidget(editor, 1)
    editor.show()
    window.browser.method_selected.connect(lambda _method: tabs.request_replaced())
    window.profiles_ready.connect(lambda: _follow_profiles(window))
    drafts = TabDrafts(tabs, window.services.paths.drafts_file, lambda text: notify(text, NOTICE_MS))
    drafts.watch_close(window)
    if not drafts.restore():
        tabs.new_tab(editor.spec())
    return tabs

"""Tab moves through the window in reading order: sidebar, request tabs, verb, URL, Send, the editor's
tabs, then the response pane, whatever order the widgets were made in."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from explorer.sandbox.demo import DemoCredentials
from tests.ui.conftest import signal_future

DEMO = DemoCredentials(url="http://127.0.0.1:9")


def _region(window: Any, widget: Any) -> str:
    editor = window.editor
    named = [
        ("sidebar", window.history.sidebar),
        ("request tabs", window.request_tabs),
        ("verb", editor.verb),
        ("url", editor.url_edit),
        ("send", editor.send_button),
        ("editor tabs", editor.tabs),
        ("editor", editor),
        ("response", window.response),
    ]
    for name, region in named:
        if region is widget or region.isAncestorOf(widget):
            return name
    return "other"


def _walk(window: Any, presses: int, key: Qt.Key = Qt.Key.Key_Tab) -> list[str]:
    """The region of the focus after each press, runs of one region counted once."""
    seen: list[str] = []
    for _ in range(presses):
        QTest.keyClick(QApplication.focusWidget(), key)
        region = _region(window, QApplication.focusWidget())
        if not seen or seen[-1] != region:
            seen.append(region)
    return seen


def test_tab_from_the_collections_tab_goes_to_the_request_then_the_response(
    qloop: Any, make_window: Any, sandbox_server: DemoCredentials
) -> None:
    window = make_window(demo=sandbox_server)
    shown = signal_future(window.response_shown)
    assert window.send()  # listLatestTopics: the paging buttons join the response pane, made late
    qloop.run_until_complete(shown)
    window.collections.show_tab()
    panel = window.collections.panel
    panel.open_button.setFocus()
    assert QApplication.focusWidget() is panel.open_button
    seen = _walk(window, 40)
    start = seen.index("request tabs")
    assert seen[:start] == ["sidebar"]
    assert seen[start : start + 5] == ["request tabs", "verb", "url", "send", "editor tabs"]
    # Then the response, never the paging buttons straight after the sidebar.
    assert seen.index("response") > seen.index("editor tabs")


def test_shift_tab_goes_back_from_send_to_the_url_and_the_verb(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    window.editor.send_button.setFocus()
    QTest.keyClick(window.editor.send_button, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.editor.url_edit
    QTest.keyClick(window.editor.url_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is window.editor.send_button

"""Esc in the viewer's search box clears the search; with nothing to clear it reaches the window's Esc."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMainWindow
from pytestqt.qtbot import QtBot

from explorer.ui.body.search_bar import SearchBar


def _window_with_bar(qtbot: QtBot) -> tuple[QMainWindow, SearchBar, list[str]]:
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = SearchBar(lambda _path: True)
    window.setCentralWidget(bar)
    fired: list[str] = []
    # The window binds Esc window-wide (cancel the request in flight), as the real one does.
    window_esc = QShortcut(QKeySequence("Escape"), window)
    window_esc.activated.connect(lambda: fired.append("window"))
    window.show()
    window.activateWindow()  # window-wide shortcuts only work in the active window
    qtbot.waitUntil(window.isActiveWindow)
    bar.edit.setFocus()
    return window, bar, fired


def test_esc_in_a_box_with_text_clears_it_and_leaves_the_window_shortcut_alone(qtbot: QtBot) -> None:
    _window, bar, fired = _window_with_bar(qtbot)
    bar.set_root({"topic": {"title": "hello"}})
    qtbot.keyClicks(bar.edit, "hello")
    assert bar.edit.text() == "hello"

    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)

    assert bar.edit.text() == ""
    assert bar.search is None
    assert fired == []


def test_esc_in_an_empty_box_reaches_the_window(qtbot: QtBot) -> None:
    _window, bar, fired = _window_with_bar(qtbot)

    qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)

    assert fired == ["window"]

"""The window's shortcuts win over a text field's own meaning of the same keys (Ctrl+E is end of line in
an X11 line edit), except the keys that edit text there (Ctrl+Shift+Right selects the next word)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from explorer.sandbox.demo import DemoCredentials
from explorer.ui.shortcut_override import window_sequences

DEMO = DemoCredentials(url="http://127.0.0.1:9")
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _override(widget: Any, key: Qt.Key, modifiers: Qt.KeyboardModifier) -> bool:
    """Send a ShortcutOverride as Qt does before looking for a shortcut; True if the widget claimed it."""
    event = QKeyEvent(QEvent.Type.ShortcutOverride, key, modifiers)
    event.ignore()
    QApplication.sendEvent(widget, event)
    return event.isAccepted()


def test_ctrl_e_is_not_claimed_by_the_url_field(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    url = window.editor.url_edit
    url.setFocus()
    # Left unclaimed, so Qt goes on to the window's Ctrl+E (Collections tab).
    assert not _override(url, Qt.Key.Key_E, CTRL)
    assert not _override(url, Qt.Key.Key_K, CTRL)  # search methods; delete to end of line on X11
    # Text editing keys stay with the field: Ctrl+Shift+Right selects the next word there.
    assert _override(url, Qt.Key.Key_Right, CTRL | SHIFT)
    assert _override(url, Qt.Key.Key_A, CTRL)  # select all: not a window shortcut


def test_a_field_outside_the_window_keeps_its_keys(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    other = QLineEdit()  # a dialog's field, say: not the window's business
    qtbot.addWidget(other)
    event = QKeyEvent(QEvent.Type.ShortcutOverride, Qt.Key.Key_E, CTRL)
    assert window.keys_first.eventFilter(other, event) is False
    assert window.keys_first.eventFilter(window.editor.url_edit, event) is True


def test_ctrl_e_from_the_url_field_shows_the_collections_tab(qtbot: Any, make_window: Any) -> None:
    window = make_window(demo=DEMO)
    window.editor.url_edit.setFocus()
    QTest.keyClick(window.editor.url_edit, Qt.Key.Key_E, CTRL)
    assert window.history.sidebar.currentWidget() is window.collections.panel


def test_the_sequences_left_to_text_fields() -> None:
    sequences = window_sequences()
    assert "Ctrl+E" in sequences and "Ctrl+K" in sequences and "Ctrl+Return" in sequences
    assert "Ctrl+Shift+Right" not in sequences and "Esc" not in sequences
    assert "F2" not in sequences  # bound on the Collections tree only

"""Lets the window's own shortcuts win over text fields that would claim them (Ctrl+E, Ctrl+K on X11)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from explorer.ui.shortcuts import SHORTCUTS, WIDGET_SHORTCUTS

# Bindings a text field keeps for itself: they edit or select text there (Ctrl+Shift+Right selects the
# next word, Esc closes a completer or clears a search box). Outside text fields the window's wins.
TEXT_FIELDS_KEEP = frozenset({"next_page", "cancel"})


def window_sequences() -> frozenset[str]:
    """The window-wide sequences (portable text) that should reach the window even from a text field."""
    return frozenset(
        QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)
        for name, keys, _ in SHORTCUTS
        if name not in WIDGET_SHORTCUTS and name not in TEXT_FIELDS_KEEP
        for key in keys
    )


class WindowKeysFirst(QObject):
    """An application event filter for one window: declines a ShortcutOverride for the window's bound
    sequences, so the window's shortcut fires instead of the focused widget's own meaning.

    On X11 a line edit accepts Ctrl+E (end of line) and Ctrl+K (delete to end of line) in its
    ShortcutOverride, so the window's Ctrl+E (Collections tab) never fired while the URL or an argument
    field had the focus — which is most of the time.
    """

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._sequences = window_sequences()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # a child of the window: Qt drops the filter when it is deleted

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(watched, QWidget):
            return False
        if watched.window() is not self._window or not isinstance(event, QKeyEvent):
            return False  # a dialog's own fields keep their keys
        combined = event.keyCombination()
        pressed = QKeySequence(combined).toString(QKeySequence.SequenceFormat.PortableText)
        if pressed not in self._sequences:
            return False
        event.ignore()  # not claimed: Qt now looks for a shortcut, and finds the window's
        return True

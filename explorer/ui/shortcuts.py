"""The keyboard shortcuts: one table for the bindings and the cheat sheet (Ctrl is Cmd on macOS via Qt)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget

# (action, keys, description) — the single source for the shortcuts and the cheat sheet.
SHORTCUTS = (
    ("send", ("Ctrl+Return", "Ctrl+Enter"), "Send the request (Cancel while in flight)"),
    ("cancel", ("Escape",), "Cancel the request in flight"),
    ("focus_url", ("Ctrl+L",), "Focus the URL (to copy it)"),
    ("search", ("Ctrl+K",), "Search methods by name, path, operationId or description"),
    ("history", ("Ctrl+H",), "Show the request history and search it"),
    ("settings", ("Ctrl+,",), "Settings"),
    # One sequence: X11 reports Ctrl+Shift+/ as both Ctrl+? and Ctrl+Shift+/, and two bindings of it clash.
    ("shortcuts", ("Ctrl+Shift+/",), "Show this list of shortcuts"),
    ("toggle_sidebar", ("Ctrl+\\",), "Show or hide the method browser"),
    ("toggle_layout", ("Ctrl+J",), "Response pane to the right or below"),
    ("profiles", ("Ctrl+Shift+P",), "Manage profiles"),
    ("import_curl", ("Ctrl+I",), "Import a cURL command"),
    ("copy_curl", ("Ctrl+Shift+C",), "Copy the request as cURL (keys as environment variables)"),
    ("export_code", ("Ctrl+Shift+E",), "Export the request as code: cURL, Python, Ruby, JavaScript"),
    ("new_tab", ("Ctrl+T",), "New request tab (for the API of the request in front)"),
    ("close_tab", ("Ctrl+W",), "Close the request tab (the last one is emptied instead)"),
    # Ctrl+Tab is Cmd+Tab on macOS, which the system keeps for itself: Ctrl+PgDown/PgUp work there too.
    ("next_tab", ("Ctrl+Tab", "Ctrl+PgDown"), "Next request tab"),
    ("previous_tab", ("Ctrl+Shift+Tab", "Ctrl+PgUp"), "Previous request tab"),
    ("save_request", ("Ctrl+S",), "Save the request (to its collection, or into one or a .json file)"),
    ("collections", ("Ctrl+E",), "Show the Collections tab"),
    ("next_page", ("Ctrl+Shift+Right",), "Next page of the list shown (outside text fields)"),
    ("collection_rename", ("F2",), "Rename the selected item of the Collections tab"),
    ("collection_delete", ("Delete",), "Delete the selected item of the Collections tab (asks first)"),
)
# Bound on one widget (the Collections tab's tree) by bind_widget_shortcuts, not on the whole window:
# elsewhere F2 and Delete keep their usual meaning.
WIDGET_SHORTCUTS = frozenset({"collection_rename", "collection_delete"})


def bind_shortcuts(window: QWidget, slots: dict[str, Callable[[], object]]) -> dict[str, list[QShortcut]]:
    """Create every shortcut of SHORTCUTS on `window` (active anywhere in it), calling `slots[name]`."""
    made: dict[str, list[QShortcut]] = {}
    for name, keys, _ in SHORTCUTS:
        if name in WIDGET_SHORTCUTS:
            continue
        for key in keys:
            shortcut = QShortcut(QKeySequence(key), window)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(slots[name])
            made.setdefault(name, []).append(shortcut)
    return made


def bind_widget_shortcuts(widget: QWidget, slots: dict[str, Callable[[], object]]) -> list[QShortcut]:
    """Create the shortcuts of WIDGET_SHORTCUTS named in `slots`, active only while `widget` has focus."""
    made: list[QShortcut] = []
    for name, keys, _ in SHORTCUTS:
        if name in WIDGET_SHORTCUTS and name in slots:
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), widget)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slots[name])
                made.append(shortcut)
    return made

"""A non-blocking "save as" file chooser: open(), never the static file-name functions."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget


def ask_save_path(
    parent: QWidget, title: str, start: str, on_chosen: Callable[[str], object], name_filter: str = ""
) -> QFileDialog:
    """Show a save dialog and call `on_chosen(path)` when the user picks a file; return the dialog.

    open(), not exec() or the static get-a-file-name call: those run a nested event loop inside the running
    asyncio loop, so a response arriving meanwhile re-enters it and SIGTERM cannot end the app.
    """
    dialog = QFileDialog(parent, title, start, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.fileSelected.connect(lambda path: on_chosen(path) if path else None)
    dialog.open()
    return dialog

"""The window's dialogs and clipboard actions: shortcuts, settings, profiles, cURL import and copy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from explorer.core.curl import ImportedCurl
    from explorer.ui.main_window import MainWindow


class WindowDialogs:
    """Opens the window's dialogs (never nested event loops) and copies requests as cURL.

    Holds the window it serves and uses only its public parts: services, browser, editor, switcher and
    the profile methods.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.current: QDialog | None = None  # the dialog opened last (tests drive it)

    def show_shortcuts(self) -> None:
        from explorer.ui.shortcuts import SHORTCUTS
        from explorer.ui.widgets.shortcuts_dialog import ShortcutsDialog

        self._open(ShortcutsDialog(SHORTCUTS, self.window))

    def open_settings(self) -> None:
        from explorer.ui.widgets.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.window.services, self.window)
        dialog.accepted.connect(self._settings_changed)
        self._open(dialog)

    def _settings_changed(self) -> None:
        window = self.window
        window.layout_action.setChecked(window.services.settings.response_layout == "below")
        if window.theme_follower is not None:
            window.theme_follower.apply()

    def open_profiles(self) -> None:
        window = self.window
        if not window.profiles_loaded:
            window.statusBar().showMessage("Profiles are still loading…", 3000)
            return
        from explorer.ui.widgets.profile_dialog import ProfileDialog

        current = window.active_profile()
        dialog = ProfileDialog(window.services, current.id if current else None, window)
        dialog.finished.connect(lambda code: self._profiles_closed(dialog.chosen_id, code))
        self._open(dialog)

    def _profiles_closed(self, chosen_id: str | None, code: int) -> None:
        window = self.window
        window.load_profiles()
        # Only OK switches profile: Close keeps the active one, whatever was clicked last in the list.
        if code != QDialog.DialogCode.Accepted:
            return
        if chosen_id and window.services.profiles.get(chosen_id) is not None:
            window.choose_profile(chosen_id)
            window.switcher.set_current(chosen_id)

    def import_curl(self) -> None:
        window = self.window
        if not window.built:
            return
        from explorer.ui.widgets.curl_dialog import CurlImportDialog

        target = window.editor.target
        dialog = CurlImportDialog(window.services.catalogs, target.base_url if target else None, window)
        dialog.accepted.connect(lambda: self.load_imported(dialog.imported))
        self._open(dialog)

    def load_imported(self, imported: ImportedCurl) -> None:
        """Show an imported cURL request as an editable request (a method's form when it fits one)."""
        window = self.window
        window.browser.tree.setCurrentIndex(QModelIndex())
        window.editor.load_request(imported.request)
        method = window.editor.method
        if method is not None:
            note = f"Imported as {method.key}: edit it in the Arguments tab"
        elif imported.match is not None:
            note = (
                f"Imported as a free-form request (close to {imported.match.method.key}): edit it in Params"
            )
        else:
            note = "Imported as a free-form request (no catalog method matches this path)"
        window.statusBar().showMessage(note, 6000)
        window.update_title()

    def copy_curl(self) -> None:
        window = self.window
        if not window.built:
            return
        request = window.editor.current_request()
        if request is None:
            window.statusBar().showMessage("Nothing to copy: fix the highlighted fields first.", 4000)
            return
        from explorer.core.curl import to_curl

        QGuiApplication.clipboard().setText(to_curl(request))
        window.statusBar().showMessage("Copied as cURL, with secrets replaced by <redacted>.", 4000)

    def _open(self, dialog: QDialog) -> None:
        # open(), not exec(): a nested event loop inside the running asyncio loop would re-enter it.
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.current = dialog
        dialog.open()

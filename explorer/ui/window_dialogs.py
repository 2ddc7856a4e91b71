"""The window's dialogs and clipboard actions: shortcuts, settings, profiles, cURL import, code export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from explorer.core.curl import ImportedCurl
    from explorer.core.prepared import PreparedRequest
    from explorer.ui.main_window import MainWindow


class WindowDialogs:
    """Opens the window's dialogs (never nested event loops), copies requests as cURL, exports them as code.

    Holds the window it serves and uses only its public parts: services, browser, editor, switcher and
    the profile methods.
    """

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.current: QDialog | None = None  # the dialog opened last (tests drive it)
        self.export_format = "curl"  # the Export code dialog opens on the format chosen last

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
        """Copy the request as a POSIX-shell curl command; keys as environment variables ($DISCOURSE_API_KEY),
        the sandbox's public demo keys in full."""
        window = self.window
        request = self._request_to_export("copy")
        if request is None:
            return
        from explorer.core.codegen import export_code, public_keys_of, secret_variables

        public = public_keys_of(window.editor.target)
        QGuiApplication.clipboard().setText(export_code(request, "curl", public_keys=public))
        names = [v.name for v in secret_variables(request, public)]
        where = f": set {', '.join(names)} before running it" if names else ""
        window.statusBar().showMessage(f"Copied as cURL{where}.", 6000)

    def export_code(self) -> None:
        """The Export code dialog for the request in the editor (the format chosen last is preselected)."""
        request = self._request_to_export("export")
        if request is None:
            return
        from explorer.core.codegen import public_keys_of
        from explorer.ui.widgets.export_dialog import ExportDialog

        dialog = ExportDialog(
            request, public_keys_of(self.window.editor.target), self.export_format, self.window
        )
        dialog.finished.connect(lambda _code: setattr(self, "export_format", dialog.fmt))
        self._open(dialog)

    def _request_to_export(self, verb: str) -> PreparedRequest | None:
        window = self.window
        if not window.built:
            return None
        request = window.editor.current_request()
        if request is None:
            window.statusBar().showMessage(f"Nothing to {verb}: fix the highlighted fields first.", 4000)
        return request

    def _open(self, dialog: QDialog) -> None:
        # open(), not exec(): a nested event loop inside the running asyncio loop would re-enter it.
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.current = dialog
        dialog.open()

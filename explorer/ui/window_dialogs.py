"""The window's dialogs and clipboard actions: shortcuts, settings, profiles, cURL import and copy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QModelIndex
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QStatusBar

    from explorer.core.profiles import Profile
    from explorer.ui import theme
    from explorer.ui.services import Services
    from explorer.ui.widgets.method_browser import MethodBrowser
    from explorer.ui.widgets.profile_switcher import ProfileSwitcher
    from explorer.ui.widgets.request_editor import RequestEditor


class WindowDialogs:
    """Mixed into MainWindow: opens its dialogs (never nested event loops) and copies requests as cURL."""

    services: Services
    browser: MethodBrowser
    editor: RequestEditor
    switcher: ProfileSwitcher
    layout_action: QAction
    theme_follower: theme.ThemeFollower | None
    dialog: QDialog | None
    built: bool

    if TYPE_CHECKING:  # provided by MainWindow; stubs here would shadow QMainWindow's methods at runtime

        def statusBar(self) -> QStatusBar: ...  # noqa: N802
        def load_profiles(self) -> None: ...
        def choose_profile(self, profile_id: str) -> None: ...
        def active_profile(self, api: Any = None) -> Profile | None: ...
        def _update_title(self) -> None: ...

    def show_shortcuts(self) -> None:
        from explorer.ui.shortcuts import SHORTCUTS
        from explorer.ui.widgets.shortcuts_dialog import ShortcutsDialog

        self._open_dialog(ShortcutsDialog(SHORTCUTS, self))

    def open_settings(self) -> None:
        from explorer.ui.widgets.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.services, self)
        dialog.accepted.connect(self._settings_changed)
        self._open_dialog(dialog)

    def _settings_changed(self) -> None:
        self.layout_action.setChecked(self.services.settings.response_layout == "below")
        if self.theme_follower is not None:
            self.theme_follower.apply()

    def open_profiles(self) -> None:
        if not self._profiles_loaded:
            self.statusBar().showMessage("Profiles are still loading…", 3000)
            return
        from explorer.ui.widgets.profile_dialog import ProfileDialog

        current = self.active_profile()
        dialog = ProfileDialog(self.services, current.id if current else None, self)
        dialog.finished.connect(lambda _code: self._profiles_closed(dialog.chosen_id))
        self._open_dialog(dialog)

    def _profiles_closed(self, chosen_id: str | None) -> None:
        self.load_profiles()
        if chosen_id and self.services.profiles.get(chosen_id) is not None:
            self.choose_profile(chosen_id)
            self.switcher.set_current(chosen_id)

    def import_curl(self) -> None:
        if not self.built:
            return
        from explorer.ui.widgets.curl_dialog import CurlImportDialog

        target = self.editor.target
        dialog = CurlImportDialog(self.services.catalogs, target.base_url if target else None, self)
        dialog.accepted.connect(lambda: self.load_imported(dialog.imported))
        self._open_dialog(dialog)

    def load_imported(self, imported: Any) -> None:
        """Show an imported cURL request in the editor (not a form, so the browser selection is cleared)."""
        method = imported.match.method if imported.match is not None else None
        self.browser.tree.setCurrentIndex(QModelIndex())
        self.editor.load_request(imported.request, method)
        note = f"Imported as {method.key}" if method else "Imported (no catalog method matches this path)"
        self.statusBar().showMessage(note, 6000)
        self._update_title()

    def copy_curl(self) -> None:
        if not self.built:
            return
        request = self.editor.current_request()
        if request is None:
            self.statusBar().showMessage("Nothing to copy: fix the highlighted fields first.", 4000)
            return
        from explorer.core.curl import to_curl

        QGuiApplication.clipboard().setText(to_curl(request))
        self.statusBar().showMessage("Copied as cURL, with secrets replaced by <redacted>.", 4000)

    def _open_dialog(self, dialog: QDialog) -> None:
        # open(), not exec(): a nested event loop inside the running asyncio loop would re-enter it.
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.open()

"""Profiles in the main window: loading them into the switcher, the profile in use per API, and its target."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QObject

if TYPE_CHECKING:
    from explorer.core.catalog.model import Api
    from explorer.core.lifecycle.target import Target
    from explorer.core.profiles import Profile
    from explorer.ui.main_window import MainWindow

log = logging.getLogger(__name__)


class WindowProfiles(QObject):
    """The profile in use for each API and what follows from it: the switcher, the editor's target, the title.

    Made with the window's frame; the profile store is first read by `load()`, once the sandbox (and with
    it the store) is ready, which the app calls after the first paint.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.active: dict[Api, str] = {}  # the id of the profile in use, per API
        self.loaded = False

    def load(self) -> None:
        """Fill the switcher once the sandbox (and the profile store) are ready."""
        from explorer.core.catalog.model import Api
        from explorer.core.profiles import ProfileError

        window = self._window
        services = window.services
        try:
            profiles = services.profiles.list()
        except ProfileError as exc:
            profiles = self._recover(exc)
        # A profile skipped for a bad field is otherwise just missing from the switcher: say why.
        notices: list[str] = []
        skipped = services.profiles.problems
        if skipped:
            more = f" (and {len(skipped) - 1} more)" if len(skipped) > 1 else ""
            notices.append(f"{skipped[0]}{more}")
        if not services.secret_file_usable:
            # The refused secrets file is otherwise only mentioned in the profile dialog.
            notices.append(services.secret_notice)
        if notices:
            window.statusBar().showMessage(" · ".join(notices), 15000)
        self.loaded = True
        window.editor.no_target_note = window.editor.NO_PROFILE_NOTE
        for api in Api:
            # The profile in use stays active on a reload (the profile manager closing); the remembered
            # one is only for start-up, when none is in use yet.
            saved = self.active.get(api) or window.state.text(f"session/profile/{api.value}")
            candidates = [p for p in profiles if p.api == api]
            chosen = next((p for p in candidates if p.id == saved), None) or next(iter(candidates), None)
            if chosen is not None:
                self.active[api] = chosen.id
            else:
                self.active.pop(api, None)
        if services.demo is not None:
            window.sandbox_label.setText(f"Sandbox running at {services.demo.url}")
        elif services.sandbox_error:
            window.sandbox_label.setText("Sandbox unavailable")
            window.sandbox_label.setToolTip(services.sandbox_error)
        else:
            window.sandbox_label.setText("")
        api = self.shown_api()
        window.switcher.set_profiles(profiles, self.active.get(api))
        window.editor.set_target(self.target_for(api))
        window.update_title()
        window.profiles_ready.emit()

    def remember(self) -> None:
        """Keep the profile in use for each API in the window state, for the next start-up's load()."""
        for api, profile_id in self.active.items():
            self._window.state.set_text(f"session/profile/{api.value}", profile_id)

    def shown_api(self) -> Api:
        """The API of the request in front: its method's, else its own (a free-form request's), else
        the profile's it uses; Discourse when nothing says."""
        from explorer.core.catalog.model import Api

        editor = self._window.editor
        if editor.method is not None:
            return editor.method.api
        api = editor.spec().api
        if api in {a.value for a in Api}:
            return Api(api)
        return editor.target.api if editor.target is not None else Api.DISCOURSE

    def active_profile(self, api: Api | None = None) -> Profile | None:
        """The profile in use for `api` (by default the API of the request in front)."""
        if api is None:
            api = self.shown_api()
        profile_id = self.active.get(api)
        # Before load() the store is not even opened (it waits for the sandbox, after first paint).
        return self._window.services.profiles.get(profile_id) if profile_id and self.loaded else None

    def _recover(self, error: Exception) -> list[Profile]:
        """A damaged profiles file: keep it aside (nothing is deleted), say so, carry on with the rest."""
        from PySide6.QtWidgets import QMessageBox

        from explorer.core.profiles import ProfileError

        store = self._window.services.profiles
        try:
            kept = store.set_aside_broken()
            where = f"It was kept as {kept}, so you can repair it."
            profiles = store.list()
        except ProfileError as exc:
            where, profiles = str(exc), []
        log.warning("profiles file unreadable: %s", error)
        box = QMessageBox(QMessageBox.Icon.Warning, "Profiles", f"{error}\n\n{where}", parent=self._window)
        box.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return profiles

    def target_for(self, api: Api) -> Target | None:
        """Where a request of `api` goes: the active profile's target, None without a profile."""
        profile = self.active_profile(api)
        if profile is None:
            return None
        from explorer.core.profiles import SecretStoreError  # after the None check: it loads keyring

        try:
            return self._window.services.target_for(profile)
        except SecretStoreError as exc:  # e.g. a locked keyring: send without keys, and say why
            self._window.statusBar().showMessage(str(exc), 10000)
            return self._window.services.target_for(profile, with_secrets=False)

    def follow(self, api: Api) -> None:
        """The request in front is of `api`: the editor and the switcher take that API's profile in use."""
        self._window.editor.set_target(self.target_for(api))
        self._window.switcher.set_current(self.active.get(api, ""))

    def choose(self, profile_id: str) -> None:
        """Use the profile `profile_id` for its API (the switcher's choice); an unknown id does nothing."""
        window = self._window
        services = window.services
        profile = services.profiles.get(profile_id)
        if profile is None:
            return
        self.active[profile.api] = profile.id
        method = window.editor.method
        if method is None or method.api != profile.api:
            # A profile belongs to one API: show a method of that API so Send goes somewhere sensible.
            remembered = window.state.text(f"session/method/{profile.api.value}")
            catalog = services.catalogs.get(profile.api)
            first = catalog.methods[0].key if catalog and catalog.methods else ""
            window.browser.select_method(remembered) or window.browser.select_method(first)
        window.editor.set_target(services.target_for(profile))
        window.statusBar().showMessage(f"Using profile {profile.name}", 4000)
        window.update_title()

"""The composition root: builds the core objects once (catalogs, profiles, secrets, executor, sandbox)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from explorer.core.paths import AppPaths

if TYPE_CHECKING:  # the modules below are imported on first use, after the window's frame is painted
    import threading

    import httpx

    from explorer.core.catalog import Api, Catalog
    from explorer.core.catalog.custom import CustomMethodStore
    from explorer.core.http.executor import Executor
    from explorer.core.lifecycle.target import Target
    from explorer.core.logmask import SecretMemory
    from explorer.core.profiles import Profile, ProfileStore, SecretStore
    from explorer.core.settings import Settings
    from explorer.sandbox.config import SandboxConfig
    from explorer.sandbox.demo import DemoCredentials
    from explorer.sandbox.server import SandboxServer
    from explorer.ui.history_service import HistoryService

log = logging.getLogger(__name__)


class Services:
    """Everything the window needs from the core, created once per window and closed on exit.

    Tests pass their own `secrets`, `sandbox_config` and `transport`; nothing here is global.
    """

    def __init__(
        self,
        paths: AppPaths,
        catalogs: dict[Api, Catalog] | None = None,
        *,
        secrets: SecretStore | None = None,
        sandbox_config: SandboxConfig | None = None,
        start_sandbox: bool = True,
        transport: httpx.AsyncBaseTransport | None = None,
        settings: Settings | None = None,
        secret_memory: SecretMemory | None = None,
    ) -> None:
        self.paths = paths
        # The keys this window sent, for the log formatter that masks crash reports (given by the app).
        self.secret_memory = secret_memory
        self._catalogs = catalogs
        self._secrets = secrets
        self.sandbox_config = sandbox_config
        self.want_sandbox = start_sandbox
        self.transport = transport
        from explorer.core.settings import load_settings

        # Bad or damaged settings never stop the app: defaults are used and the warnings shown once.
        if settings is not None:
            self.settings, self.settings_warnings = settings, list[str]()
        else:
            self.settings, self.settings_warnings = load_settings(paths)
        for warning in self.settings_warnings:
            log.warning("%s", warning)
        self.secret_notice = ""
        self.secret_file_usable = True  # False when the owner-only secrets file was refused at start
        self._merged: dict[Api, Catalog] | None = None  # the catalogs with the user's custom methods
        self._custom: CustomMethodStore | None = None
        self.custom_notice = ""  # why the custom methods file was set aside, once
        self._profiles: ProfileStore | None = None
        self._history: HistoryService | None = None
        self._executor: Executor | None = None
        self._retired: list[Executor] = []  # replaced executors, closed with the services
        self.sandbox: SandboxServer | None = None
        self.demo: DemoCredentials | None = None
        self.sandbox_error: str | None = None

    @classmethod
    def create(cls, paths: AppPaths, **kw: Any) -> Services:
        return cls(paths, None, **kw)

    @property
    def bundled_catalogs(self) -> dict[Api, Catalog]:
        """The bundled catalogs, read on first use (CatalogError names the file and the field)."""
        if self._catalogs is None:
            from explorer.core.catalog import load_bundled_catalogs

            self._catalogs = load_bundled_catalogs()
        return self._catalogs

    @property
    def catalogs(self) -> dict[Api, Catalog]:
        """The bundled catalogs with the user's custom methods in a "custom" group of their API."""
        if self._merged is None:
            from explorer.core.catalog.custom import CustomCatalogError, merge_custom

            try:
                custom = self.custom_methods.methods()
            except CustomCatalogError as exc:
                custom = ()
                self._set_aside_custom(exc)
            self._merged = merge_custom(self.bundled_catalogs, custom)
        return self._merged

    @property
    def custom_methods(self) -> CustomMethodStore:
        if self._custom is None:
            from explorer.core.catalog.custom import CustomMethodStore

            self._custom = CustomMethodStore(self.paths.custom_methods_file)
        return self._custom

    def custom_methods_changed(self) -> None:
        """The custom methods were added to, renamed or deleted: `catalogs` is merged again on next use."""
        self._merged = None

    def _set_aside_custom(self, error: Exception) -> None:
        """A damaged custom methods file never stops the app: it is renamed (never deleted) and said once."""
        from explorer.core.catalog.custom import CustomCatalogError

        log.warning("custom methods file unreadable: %s", error)
        try:
            kept = self.custom_methods.set_aside_broken()
        except CustomCatalogError as exc:
            self.custom_notice = f"{error}\n\n{exc}"
        else:
            self.custom_notice = f"{error}\n\nIt was kept as {kept.name}, next to it, so you can repair it."

    # -- profiles and secrets -------------------------------------------------------------------------------

    @property
    def profiles(self) -> ProfileStore:
        if self._profiles is None:
            from explorer.core.profiles import ProfileStore

            self._profiles = ProfileStore(self.paths, self._secret_store())
        return self._profiles

    def _secret_store(self) -> SecretStore:
        if self._secrets is not None:
            return self._secrets
        from explorer.core.profiles import MemorySecretStore, detect_secret_backend, open_secret_store
        from explorer.core.profiles.secrets import AUTO, SecretStoreError

        choice = self.settings.secret_storage
        refused = ""
        try:
            self._secrets = open_secret_store(choice, self.paths.fallback_secrets_file)
        except SecretStoreError as exc:
            log.warning("secret storage %r unavailable: %s", choice, exc)
            try:
                self._secrets = open_secret_store(AUTO, self.paths.fallback_secrets_file)
            except SecretStoreError as again:
                # "auto" picks the same file when it exists: refusing it twice must not stop the window.
                log.warning("secret storage 'auto' unavailable: %s", again)
                refused = str(again)
                self._secrets = MemorySecretStore()
        if refused:
            # The file is refused, not overwritten: keys entered now are kept for this session only.
            self.secret_file_usable = False
            self.secret_notice = f"{refused} Until then, API keys are kept for this session only."
        elif isinstance(self._secrets, MemorySecretStore) and choice != "session":
            # Never a silent plaintext default: keys are kept for this session and the profile dialog says so.
            self.secret_notice = detect_secret_backend().message
        return self._secrets

    def use_secret_file(self) -> None:
        """The user chose the owner-only secrets file over session-only storage (no keyring available)."""
        from dataclasses import replace

        from explorer.core.profiles import FileSecretStore

        old = self._secrets
        self._secrets = FileSecretStore(self.paths.fallback_secrets_file)
        self.secret_notice = ""
        try:
            self.apply_settings(replace(self.settings, secret_storage="file"))
        except OSError as exc:
            log.warning("the secret storage choice could not be saved: %s", exc)
        if self._profiles is not None:
            for profile in self._profiles.list():
                if profile.sandbox:
                    continue
                for name in profile.secret_names:
                    value = old.get(profile.id, name) if old is not None else None
                    if value:
                        self._secrets.set(profile.id, name, value)
            self._profiles.secrets = self._secrets

    def target_for(self, profile: Profile, *, with_secrets: bool = True) -> Target:
        """What the builder needs from `profile`; SecretStoreError when the keyring cannot be read."""
        from explorer.core.lifecycle.target import target_from_store

        return target_from_store(self.profiles, profile, with_secrets=with_secrets)

    # -- sending ------------------------------------------------------------------------------------------

    @property
    def executor(self) -> Executor:
        from explorer.core.http.trust import origin_key

        if self._executor is None:
            from explorer.core.lifecycle.executors import new_executor

            self.paths.cache.mkdir(parents=True, exist_ok=True)
            self._executor = new_executor(
                self.settings,
                transport=self.transport,
                temp_dir=self.paths.cache,
                secret_memory=self.secret_memory,
            )
        # Each profile's "trust this certificate", for its own site, as the profiles are now.
        self._executor.trusted_certificates = {
            origin_key(p.base_url): p.trusted_certificate
            for p in self.profiles.list()
            if p.trusted_certificate is not None
        }
        return self._executor

    def apply_settings(self, settings: Settings, *, save: bool = True) -> None:
        """Use `settings` from the next request on, and write them (OSError when the disk refuses)."""
        from explorer.core.settings import save_settings

        old, self.settings = self.settings, settings
        executor = self._executor
        if executor is not None:
            if settings.verify_tls != old.verify_tls:
                # TLS verification is fixed when the client is made: the next request gets a new executor.
                self._executor = None
                self._retired.append(executor)
            else:
                for name, value in settings.executor_options().items():
                    setattr(executor, name, value)
        if save:
            save_settings(self.paths, settings)

    # -- history ------------------------------------------------------------------------------------------

    @property
    def history(self) -> HistoryService:
        """The request history: its store is opened on first read, its recorder with the first send."""
        if self._history is None:
            from explorer.ui.history_service import HistoryService

            self._history = HistoryService(self.paths, lambda: self.settings)
        return self._history

    # -- leftovers of earlier runs -------------------------------------------------------------------------

    def sweep_leftovers(self) -> threading.Thread:
        """Remove body files and temporary copies an earlier run left, on a thread (never on start-up's path).

        Called once the window is painted; the thread is returned so a test can wait for it.
        """
        import threading

        from explorer.core.leftovers import sweep_leftovers

        def sweep() -> None:
            removed = sweep_leftovers(self.paths)
            if removed:
                log.info("removed %d leftover file(s) of an earlier run", len(removed))

        thread = threading.Thread(target=sweep, name="leftover-sweep", daemon=True)
        thread.start()
        return thread

    # -- the sandbox --------------------------------------------------------------------------------------

    async def start_sandbox(self) -> DemoCredentials | None:
        """Start the in-process sandbox on a thread (binding and uvicorn's start-up never block the UI)."""
        import asyncio

        if not self.want_sandbox or self.demo is not None:
            return self.demo

        def start() -> DemoCredentials:
            from explorer.sandbox.server import SandboxServer

            self.sandbox = SandboxServer(self.sandbox_config)
            return self.sandbox.start()

        try:
            demo = await asyncio.to_thread(start)
        except Exception as exc:  # a sandbox that cannot start must not stop the app
            log.warning("the sandbox did not start: %s", exc)
            self.sandbox_error = str(exc)
            return None
        self.attach_sandbox(demo)
        return demo

    def attach_sandbox(self, demo: DemoCredentials) -> None:
        """Use a running sandbox: add the two ready-made profiles that talk to it."""
        from explorer.core.profiles import install_sandbox_profiles

        self.demo = demo
        install_sandbox_profiles(self.profiles, demo)

    async def aclose(self) -> None:
        import asyncio

        if self._history is not None:
            # The writer thread finishes off the loop; the store is closed here, in the thread that opened it.
            await asyncio.to_thread(self._history.flush)
            self._history.close()

        for executor in [*self._retired, self._executor]:
            if executor is not None:
                try:
                    await executor.aclose()
                except RuntimeError:  # no running loop any more (Qt quit first): the process is ending
                    log.info("connections left to the operating system at exit")
        if self.sandbox is not None:
            sandbox, self.sandbox = self.sandbox, None
            try:
                await asyncio.to_thread(sandbox.stop)
            except RuntimeError:  # the event loop is already gone (Qt quit first): stop it here
                sandbox.stop()

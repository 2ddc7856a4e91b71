"""Services: which secret store the window uses for each key-storage setting."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import keyring
import pytest
from keyring.backends import fail

from explorer.core.paths import AppPaths
from explorer.core.profiles import FileSecretStore, MemorySecretStore
from explorer.core.settings import Settings
from explorer.ui.services import Services


@pytest.fixture
def no_keyring() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


def _services(home: AppPaths, storage: str) -> Services:
    return Services.create(home, start_sandbox=False, settings=replace(Settings(), secret_storage=storage))


def test_auto_without_a_keyring_keeps_keys_for_this_session_only(home: AppPaths, no_keyring: None) -> None:
    services = _services(home, "auto")
    assert isinstance(services.profiles.secrets, MemorySecretStore)
    assert "No system keyring" in services.secret_notice


def test_auto_reuses_the_owner_only_file_chosen_earlier(home: AppPaths, no_keyring: None) -> None:
    FileSecretStore(home.fallback_secrets_file).set("p", "api_key", "k")
    services = _services(home, "auto")
    assert isinstance(services.profiles.secrets, FileSecretStore)
    assert services.secret_notice == ""


def test_an_unavailable_keyring_choice_falls_back_to_auto(home: AppPaths, no_keyring: None) -> None:
    services = _services(home, "keyring")
    assert isinstance(services.profiles.secrets, MemorySecretStore)
    assert services.secret_notice


def test_session_only_is_a_choice_not_a_warning(home: AppPaths, no_keyring: None) -> None:
    services = _services(home, "session")
    assert isinstance(services.profiles.secrets, MemorySecretStore)
    assert services.secret_notice == ""


@pytest.mark.parametrize("storage", ["auto", "file"])
def test_a_secrets_file_others_can_read_is_refused_and_keys_kept_for_the_session(
    home: AppPaths, no_keyring: None, storage: str
) -> None:
    home.fallback_secrets_file.parent.mkdir(parents=True, exist_ok=True)
    home.fallback_secrets_file.write_text('{"schema_version": 1, "secrets": {}}')
    home.fallback_secrets_file.chmod(0o644)
    services = _services(home, storage)
    assert isinstance(services.profiles.secrets, MemorySecretStore)
    assert "mode 0644" in services.secret_notice and "this session only" in services.secret_notice
    assert not services.secret_file_usable
    assert home.fallback_secrets_file.read_text() == '{"schema_version": 1, "secrets": {}}'


@pytest.mark.parametrize("storage", ["auto", "file"])
def test_a_directory_in_place_of_the_secrets_file_is_refused(
    home: AppPaths, no_keyring: None, storage: str
) -> None:
    home.fallback_secrets_file.mkdir(parents=True)
    home.fallback_secrets_file.chmod(0o755)
    services = _services(home, storage)
    assert isinstance(services.profiles.secrets, MemorySecretStore)
    assert "is a directory" in services.secret_notice and "mode" not in services.secret_notice


def test_leftovers_of_an_earlier_run_are_swept_in_the_background(home: AppPaths) -> None:
    import os
    import time

    body = home.cache / "explorer-body-abc.bin"
    copy = home.config / ".secrets.json.abcd1234.tmp"
    for path in (body, copy):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"{}")
        os.utime(path, (time.time() - 3600, time.time() - 3600))
    services = Services.create(home, start_sandbox=False, settings=Settings())
    services.sweep_leftovers().join(10)
    assert not body.exists() and not copy.exists()


def test_the_window_says_at_start_that_the_secrets_file_was_refused(
    qtbot: Any, home: AppPaths, no_keyring: None, qloop: Any
) -> None:
    from explorer.ui.main_window import MainWindow

    home.fallback_secrets_file.mkdir(parents=True)
    services = _services(home, "file")
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.load_profiles()
    assert "is a directory" in window.statusBar().currentMessage()
    assert "this session only" in window.statusBar().currentMessage()
    qloop.run_until_complete(services.aclose())


def test_the_windows_executor_remembers_keys_for_the_log_formatter(home: AppPaths) -> None:
    from explorer.core.logmask import SecretMemory

    memory = SecretMemory()
    services = Services.create(home, secrets=MemorySecretStore(), start_sandbox=False, secret_memory=memory)
    assert services.executor.secret_memory is memory  # the one the app hands to its log file's formatter

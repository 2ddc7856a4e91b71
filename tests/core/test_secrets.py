"""Secret stores: memory, OS keyring (through a fake backend), owner-only file, and backend detection."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import keyring.backend
import keyring.errors
import pytest
from jaraco.classes.properties import classproperty
from keyring.backends import chainer, fail, null

from explorer.core.paths import AppPaths
from explorer.core.profiles import (
    FileSecretStore,
    KeyringSecretStore,
    MemorySecretStore,
    ProfileStore,
    SecretStoreError,
    detect_secret_backend,
    open_secret_store,
)
from explorer.core.profiles.secrets import SERVICE

posix_only = pytest.mark.skipif(os.name == "nt", reason="mode bits are a POSIX notion")


class FakeKeyring(keyring.backend.KeyringBackend):
    """An in-memory keyring backend, so tests never touch the machine's real keyring."""

    # Defining a backend class registers it with keyring; a priority that raises keeps keyring from ever
    # choosing it by itself, so other tests in the same process still see "no keyring" unless told.
    @classproperty
    def priority(cls) -> float:  # noqa: N805 - a class property receives the class
        raise RuntimeError("only used when passed explicitly")

    def __init__(self, locked: bool = False) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}
        self.locked = locked

    def get_password(self, service: str, username: str) -> str | None:
        if self.locked:
            raise keyring.errors.KeyringError("collection is locked")
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        if self.locked:
            raise keyring.errors.PasswordSetError("collection is locked")
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.values:
            raise keyring.errors.PasswordDeleteError("not found")
        del self.values[(service, username)]


@pytest.mark.parametrize("make", [MemorySecretStore, lambda: KeyringSecretStore(backend=FakeKeyring())])
def test_get_set_delete(make) -> None:
    store = make()
    assert store.get("p1", "api_key") is None
    store.set("p1", "api_key", "one")
    store.set("p2", "api_key", "two")
    assert store.get("p1", "api_key") == "one" and store.get("p2", "api_key") == "two"
    store.delete("p1", "api_key")
    store.delete("p1", "api_key")  # deleting twice is fine
    assert store.get("p1", "api_key") is None and store.get("p2", "api_key") == "two"


def test_keyring_entries_use_our_service_name() -> None:
    backend = FakeKeyring()
    KeyringSecretStore(backend=backend).set("p1", "user_api_key", "v")
    assert backend.values == {(SERVICE, "p1:user_api_key"): "v"} and SERVICE == "forum-api-explorer"


def test_locked_keyring_gives_a_clear_error() -> None:
    store = KeyringSecretStore(backend=FakeKeyring(locked=True))
    with pytest.raises(SecretStoreError, match="could not be read"):
        store.get("p1", "api_key")
    with pytest.raises(SecretStoreError, match="refused to store api_key"):
        store.set("p1", "api_key", "x")


def test_memory_store_repr_hides_values() -> None:
    store = MemorySecretStore()
    store.set("p", "api_key", "very-secret")
    assert "very-secret" not in repr(store)


# -- owner-only file ------------------------------------------------------------------------------------


@posix_only
def test_file_store_is_owner_only_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "config" / "secrets.json"
    FileSecretStore(path).set("p1", "api_key", "s3cret")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    reopened = FileSecretStore(path)
    assert reopened.get("p1", "api_key") == "s3cret"
    assert json.loads(path.read_text())["schema_version"] == 1
    reopened.delete("p1", "api_key")
    assert FileSecretStore(path).get("p1", "api_key") is None


@posix_only
def test_file_store_refuses_a_file_others_can_read(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    store = FileSecretStore(path)
    store.set("p1", "api_key", "s3cret")
    path.chmod(0o644)
    with pytest.raises(SecretStoreError, match=r"can be read by other users \(mode 0644\).*chmod 600"):
        store.get("p1", "api_key")


def test_file_store_reports_a_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    path.write_text('{"secrets": {\n', encoding="utf-8")
    path.chmod(0o600)
    with pytest.raises(SecretStoreError, match=r"secrets.json is damaged \(line 2\)"):
        FileSecretStore(path).get("p1", "api_key")


def test_file_store_write_failure_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "secrets.json"
    store = FileSecretStore(path)
    store.set("p1", "api_key", "old")
    before = path.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(SecretStoreError, match="cannot be written"):
        store.set("p1", "api_key", "new")
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["secrets.json"]


def test_profile_store_with_a_file_store_keeps_secrets_out_of_profiles(tmp_path: Path) -> None:
    from explorer.core.catalog.model import Api
    from explorer.core.profiles import Profile

    paths = AppPaths.under(tmp_path)
    store = ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file))
    profile = Profile(
        name="Disqus",
        api=Api.DISQUS,
        base_url="https://disqus.com",
        auth_kind="keys",
        fields={"forum_id": "7"},
    )
    store.save(profile, {"forum_api_key": "FORUMKEY", "user_api_key": "USERKEY"})
    assert "FORUMKEY" not in paths.profiles_file.read_text(encoding="utf-8")
    assert "FORUMKEY" in paths.fallback_secrets_file.read_text(encoding="utf-8")
    assert ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file)).credentials(profile) == {
        "forum_id": "7",
        "forum_api_key": "FORUMKEY",
        "user_api_key": "USERKEY",
    }


# -- detecting the backend ------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring(), chainer.ChainerBackend()])
def test_placeholder_backends_mean_no_keyring(backend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    status = detect_secret_backend(backend)
    assert not status.keyring_available
    assert status.options == ("session", "file")
    assert "No system keyring" in status.message and "session only" in status.message
    assert "only your user account can read" in status.message


def test_a_real_backend_is_reported_available() -> None:
    status = detect_secret_backend(FakeKeyring())
    assert (
        status.keyring_available and status.backend.endswith("FakeKeyring") and status.options == ("keyring",)
    )


def test_no_keyring_error_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom():
        raise keyring.errors.NoKeyringError("No recommended backend was available")

    monkeypatch.setattr(keyring, "get_keyring", boom)
    status = detect_secret_backend()
    assert not status.keyring_available and "No recommended backend" in status.message


def test_open_secret_store_choices(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    assert isinstance(open_secret_store("session", path), MemorySecretStore)
    assert isinstance(open_secret_store("file", path), FileSecretStore)
    assert isinstance(open_secret_store("keyring", path, backend=FakeKeyring()), KeyringSecretStore)
    with pytest.raises(SecretStoreError, match="not available"):
        open_secret_store("keyring", path, backend=fail.Keyring())
    with pytest.raises(SecretStoreError, match="Unknown secret storage 'plain'"):
        open_secret_store("plain", path)
    assert not path.exists()  # choosing the file store writes nothing until a secret is saved


def test_auto_prefers_the_keyring_then_an_existing_file_and_never_creates_one(tmp_path: Path) -> None:
    path = tmp_path / "secrets.json"
    assert isinstance(open_secret_store("auto", path, backend=FakeKeyring()), KeyringSecretStore)
    assert isinstance(open_secret_store("auto", path, backend=fail.Keyring()), MemorySecretStore)
    assert not path.exists()
    FileSecretStore(path).set("p", "api_key", "K")  # the user chose the file on an earlier run
    store = open_secret_store("auto", path, backend=fail.Keyring())
    assert isinstance(store, FileSecretStore) and store.get("p", "api_key") == "K"

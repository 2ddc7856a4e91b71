"""Profile validation and the profiles file: no secrets on disk, atomic writes, damaged files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from explorer.core.builder import build_request
from explorer.core.catalog.model import Api, Method
from explorer.core.paths import AppPaths
from explorer.core.profiles import (
    SANDBOX_DISCOURSE_ID,
    MemorySecretStore,
    Profile,
    ProfileError,
    ProfileStore,
    ProfileValidationError,
    install_sandbox_profiles,
    sandbox_profiles,
    secret_names,
)
from explorer.sandbox import demo

SECRET = "f" * 64


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths.under(tmp_path)


@pytest.fixture
def store(paths: AppPaths) -> ProfileStore:
    return ProfileStore(paths, MemorySecretStore())


def admin_profile(name: str = "My forum", **kw) -> Profile:
    base = {
        "name": name,
        "api": Api.DISCOURSE,
        "base_url": "https://forum.example.com/",
        "auth_kind": "api_key",
        "fields": {"api_username": "system"},
    }
    return Profile(**{**base, **kw})


# -- model ---------------------------------------------------------------------------------------------


def test_profile_normalises_base_url_and_gets_an_id() -> None:
    one, two = admin_profile(), admin_profile()
    assert one.base_url == "https://forum.example.com"
    assert one.id and one.id != two.id


def test_subfolder_base_url_is_kept() -> None:
    assert admin_profile(base_url="https://example.com/forum/").base_url == "https://example.com/forum"


@pytest.mark.parametrize(
    ("kw", "field", "fragment"),
    [
        ({"name": "  "}, "name", "name is empty"),
        ({"base_url": "forum.example.com"}, "base_url", "must start with http:// or https://"),
        ({"base_url": "https://"}, "base_url", "has no host name"),
        (
            {"base_url": "https://u:p@forum.example.com"},
            "base_url",
            "must not contain a user name or password",
        ),
        ({"base_url": "https://forum.example.com/?x=1"}, "base_url", "must not contain '?' or '#'"),
        ({"base_url": "https://forum.example.com:99999"}, "base_url", "not a valid URL"),
        ({"base_url": "http://[::1/forum"}, "base_url", "not a valid URL"),
        ({"base_url": "https://forum.example.com/my forum"}, "base_url", "must not contain spaces"),
        ({"auth_kind": "oauth"}, "auth_kind", "unknown auth kind 'oauth' for discourse"),
        ({"fields": {"api_key": SECRET}}, "api_key", "is a secret"),
        ({"fields": {"forum_id": "1"}}, "forum_id", "not used by auth kind 'api_key'"),
        ({"timeout_s": 0}, "timeout_s", "between 0 and"),
        ({"api": "mastodon"}, "api", "unknown API 'mastodon'"),
    ],
)
def test_invalid_profiles_name_the_field(kw: dict, field: str, fragment: str) -> None:
    with pytest.raises(ProfileValidationError) as caught:
        admin_profile(**kw)
    assert any(name == field and fragment in message for name, message in caught.value.errors), caught.value


def test_secret_names_per_auth_kind() -> None:
    assert secret_names(Api.DISCOURSE, "api_key") == ("api_key",)
    assert secret_names(Api.DISCOURSE, "user_api_key") == ("user_api_key",)
    assert secret_names(Api.DISCOURSE, "none") == ()
    assert secret_names(Api.DISQUS, "keys") == ("user_api_key", "forum_api_key", "partner_api_key")


# -- store: saving and secrets --------------------------------------------------------------------------


def test_secrets_never_reach_the_profiles_file(store: ProfileStore, paths: AppPaths) -> None:
    profile = store.save(admin_profile(), {"api_key": SECRET})
    text = paths.profiles_file.read_text(encoding="utf-8")
    assert SECRET not in text and 'api_key"' not in text.replace('"auth_kind": "api_key"', "")
    assert json.loads(text)["schema_version"] == 1
    assert store.secrets.get(profile.id, "api_key") == SECRET


def test_credentials_feed_build_request(store: ProfileStore) -> None:
    profile = store.save(admin_profile(), {"api_key": SECRET})
    creds = store.credentials(profile)
    assert creds == {"api_key": SECRET, "api_username": "system"}
    # The names are exactly the builder's: a real build puts them into the Discourse headers.
    method = Method(Api.DISCOURSE, "currentSession", "GET", "/session/current.json", "Session", "who am I")
    built = build_request(method, {}, base_url=profile.base_url, credentials=creds)
    assert built.ok, built.errors
    assert built.request.header("Api-Key") == SECRET and built.request.header("Api-Username") == "system"


def test_reload_from_disk_round_trips(store: ProfileStore, paths: AppPaths) -> None:
    saved = store.save(admin_profile(timeout_s=12.5), {"api_key": SECRET})
    fresh = ProfileStore(paths, store.secrets)
    assert fresh.list() == [saved]
    assert fresh.get(saved.id) == saved and fresh.get_by_name("my FORUM") == saved
    assert fresh.credentials(saved)["api_key"] == SECRET


def test_names_are_unique(store: ProfileStore) -> None:
    store.save(admin_profile("Prod"))
    with pytest.raises(ProfileValidationError, match="already exists"):
        store.save(admin_profile("prod"))


def test_save_rejects_secrets_the_auth_kind_does_not_use(store: ProfileStore) -> None:
    with pytest.raises(ProfileValidationError, match="forum_api_key is not a secret of auth kind 'api_key'"):
        store.save(admin_profile(), {"forum_api_key": "x"})
    assert store.list() == []


def test_empty_secret_deletes_and_missing_secret_keeps(store: ProfileStore) -> None:
    profile = store.save(admin_profile(), {"api_key": SECRET})
    store.save(profile)  # secrets=None leaves them alone
    assert store.credentials(profile)["api_key"] == SECRET
    store.save(profile, {"api_key": ""})
    assert "api_key" not in store.credentials(profile)
    assert store.missing_secrets(profile) == ["api_key"]


def test_switching_auth_kind_drops_the_old_secret(store: ProfileStore) -> None:
    profile = store.save(admin_profile(), {"api_key": SECRET})
    switched = Profile(
        id=profile.id,
        name=profile.name,
        api=Api.DISCOURSE,
        base_url=profile.base_url,
        auth_kind="user_api_key",
        fields={"user_api_client_id": "cli"},
    )
    store.save(switched, {"user_api_key": "u" * 32})
    assert store.secrets.get(profile.id, "api_key") is None
    assert store.credentials(switched) == {"user_api_client_id": "cli", "user_api_key": "u" * 32}


def test_delete_removes_profile_and_its_secrets(store: ProfileStore, paths: AppPaths) -> None:
    keep = store.save(admin_profile("Keep"), {"api_key": "keep"})
    gone = store.save(admin_profile("Gone"), {"api_key": SECRET})
    store.delete(gone.id)
    assert [p.name for p in ProfileStore(paths, store.secrets).list()] == ["Keep"]
    assert store.secrets.get(gone.id, "api_key") is None
    assert store.secrets.get(keep.id, "api_key") == "keep"
    with pytest.raises(ProfileError, match="No saved profile"):
        store.delete(gone.id)


def test_rename_and_duplicate(store: ProfileStore) -> None:
    original = store.save(admin_profile("A"), {"api_key": SECRET})
    renamed = store.rename(original.id, "B")
    assert renamed.id == original.id and store.get(original.id).name == "B"
    copy = store.duplicate(original.id, "C")
    assert copy.id != original.id and copy.fields == original.fields
    assert store.credentials(copy)["api_key"] == SECRET
    with pytest.raises(ProfileValidationError, match="already exists"):
        store.duplicate(original.id, "b")
    with pytest.raises(ProfileValidationError, match="name is empty"):
        store.rename(original.id, " ")


# -- store: atomic writes and damaged files --------------------------------------------------------------


def test_failure_mid_write_leaves_the_old_file(
    store: ProfileStore, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(admin_profile("Old"))
    before = paths.profiles_file.read_bytes()

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(ProfileError, match="cannot be written: No space left on device"):
        store.save(admin_profile("New"))
    assert paths.profiles_file.read_bytes() == before
    assert sorted(p.name for p in paths.config.iterdir()) == ["profiles.json"]  # no temp file left over


def test_failure_at_rename_leaves_the_old_file(
    store: ProfileStore, paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.save(admin_profile("Old"))
    before = paths.profiles_file.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(ProfileError):
        store.save(admin_profile("New"))
    assert paths.profiles_file.read_bytes() == before
    assert sorted(p.name for p in paths.config.iterdir()) == ["profiles.json"]


def test_damaged_file_names_file_and_line_and_is_never_overwritten(paths: AppPaths) -> None:
    paths.config.mkdir(parents=True)
    broken = '{\n  "schema_version": 1,\n  "profiles": [\n    {"id": "a",,}\n  ]\n}\n'
    paths.profiles_file.write_text(broken, encoding="utf-8")
    store = ProfileStore(paths, MemorySecretStore())
    with pytest.raises(ProfileError) as caught:
        store.list()
    assert str(paths.profiles_file) in str(caught.value) and "line 4" in str(caught.value)
    with pytest.raises(ProfileError):
        store.save(admin_profile())
    assert paths.profiles_file.read_text(encoding="utf-8") == broken

    aside = store.set_aside_broken()
    assert aside.name.startswith("profiles.json.broken-") and aside.read_text(encoding="utf-8") == broken
    assert store.list() == []
    store.save(admin_profile())
    assert [p.name for p in ProfileStore(paths, store.secrets).list()] == ["My forum"]


def test_unreadable_file_is_a_profile_error(paths: AppPaths) -> None:
    paths.profiles_file.mkdir(parents=True)  # a directory where the file should be
    with pytest.raises(ProfileError, match="cannot be read"):
        ProfileStore(paths, MemorySecretStore()).list()


def test_newer_schema_is_refused_not_rewritten(paths: AppPaths) -> None:
    paths.config.mkdir(parents=True)
    paths.profiles_file.write_text('{"schema_version": 99, "profiles": []}', encoding="utf-8")
    with pytest.raises(ProfileError, match="newer version"):
        ProfileStore(paths, MemorySecretStore()).list()


@pytest.mark.parametrize("version", ["true", '"1"', "0", "null"])
def test_a_schema_version_that_is_not_a_whole_number_is_refused(paths: AppPaths, version: str) -> None:
    paths.config.mkdir(parents=True)
    paths.profiles_file.write_text(f'{{"schema_version": {version}, "profiles": []}}', encoding="utf-8")
    with pytest.raises(ProfileError, match="has no valid schema_version"):
        ProfileStore(paths, MemorySecretStore()).list()


def test_one_bad_entry_is_skipped_reported_and_preserved(paths: AppPaths) -> None:
    good = admin_profile("Good").to_json()
    bad = {"id": "x1", "name": "Bad", "api": "discourse", "base_url": "nope", "auth_kind": "none"}
    paths.config.mkdir(parents=True)
    paths.profiles_file.write_text(
        json.dumps({"schema_version": 1, "profiles": [good, bad]}), encoding="utf-8"
    )
    store = ProfileStore(paths, MemorySecretStore())
    assert [p.name for p in store.list()] == ["Good"]
    assert len(store.problems) == 1 and "profile #2 ('Bad')" in store.problems[0]
    assert "base_url" in store.problems[0]
    store.save(admin_profile("Another"))
    kept = json.loads(paths.profiles_file.read_text(encoding="utf-8"))["profiles"]
    assert bad in kept


def test_migration_hook_runs_for_older_files(paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.core.profiles import store as store_module

    def v1_to_v2(data: dict) -> dict:
        for entry in data["profiles"]:
            entry["base_url"] = entry.pop("url")
        return data

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(store_module.MIGRATIONS, 1, v1_to_v2)
    old = {
        "id": "p1",
        "name": "Old",
        "api": "discourse",
        "url": "https://old.example.com",
        "auth_kind": "none",
    }
    paths.config.mkdir(parents=True)
    paths.profiles_file.write_text(json.dumps({"schema_version": 1, "profiles": [old]}), encoding="utf-8")
    store = ProfileStore(paths, MemorySecretStore())
    assert store.get("p1").base_url == "https://old.example.com"


# -- sandbox profiles ----------------------------------------------------------------------------------


def test_sandbox_profiles_are_built_in_and_stay_in_memory(store: ProfileStore, paths: AppPaths) -> None:
    creds = demo.DemoCredentials(url="http://127.0.0.1:50123")
    discourse, disqus = install_sandbox_profiles(store, creds)
    assert discourse.name == "Sandbox — Discourse" and disqus.name == "Sandbox — Disqus 1.1"
    assert discourse.sandbox and disqus.sandbox and discourse.id == SANDBOX_DISCOURSE_ID
    assert disqus.base_url == "http://127.0.0.1:50123" + demo.DISQUS_PREFIX
    assert store.credentials(discourse) == {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": "system"}
    assert store.credentials(disqus) == {
        "forum_id": demo.DISQUS_FORUM_ID,
        "user_api_key": demo.DISQUS_USER_API_KEY,
        "forum_api_key": demo.DISQUS_FORUM_API_KEY,
        "partner_api_key": demo.DISQUS_PARTNER_API_KEY,
    }
    assert [p.name for p in store.list()] == ["Sandbox — Discourse", "Sandbox — Disqus 1.1"]
    assert not paths.profiles_file.exists()
    assert store.secrets.get(discourse.id, "api_key") is None  # the real secret store is untouched
    with pytest.raises(ProfileError, match="built in"):
        store.save(discourse)
    with pytest.raises(ProfileError, match="Built-in"):
        store.delete(discourse.id)


def test_builtin_profile_repr_hides_keys() -> None:
    item = sandbox_profiles(demo.DemoCredentials(url="http://127.0.0.1:1"))[0]
    assert demo.DISCOURSE_ADMIN_KEY not in repr(item)


def test_duplicating_a_sandbox_profile_makes_a_saved_one(store: ProfileStore, paths: AppPaths) -> None:
    discourse, _ = install_sandbox_profiles(store, demo.DemoCredentials(url="http://127.0.0.1:50123"))
    copy = store.duplicate(discourse.id, "My sandbox copy")
    assert not copy.sandbox and store.credentials(copy)["api_key"] == demo.DISCOURSE_ADMIN_KEY
    assert demo.DISCOURSE_ADMIN_KEY not in paths.profiles_file.read_text(encoding="utf-8")

"""Profile variables: kept with the profile in profiles.json, never a secret, and used when preparing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.collections.variables import VariableScopes
from explorer.core.lifecycle import RequestSpec, prepare, target_for_profile
from explorer.core.paths import AppPaths
from explorer.core.profiles import MemorySecretStore, Profile, ProfileStore, ProfileValidationError


def profile(**variables: str) -> Profile:
    return Profile(name="Forum", api="discourse", base_url="https://forum.example", variables=variables)


def test_profile_variables_are_saved_and_read_back(tmp_path: Path) -> None:
    store = ProfileStore(AppPaths.under(tmp_path), MemorySecretStore())
    saved = store.save(profile(category_id="7", topic_id="42"))
    data = json.loads(store.path.read_text(encoding="utf-8"))
    assert data["profiles"][0]["variables"] == {"category_id": "7", "topic_id": "42"}
    assert ProfileStore(AppPaths.under(tmp_path), MemorySecretStore()).get(saved.id) == saved
    assert "variables" not in profile().to_json()  # written only when there are some


@pytest.mark.parametrize("name", ["api_key", "Api-Key", "user_api_key", "partner_api_key", "Authorization"])
def test_a_secret_looking_profile_variable_is_refused(name: str) -> None:
    with pytest.raises(ProfileValidationError, match="looks like a secret") as caught:
        profile(**{name: "x"})
    assert caught.value.errors[0][0] == "variables"


def test_a_bad_variable_name_or_value_is_refused() -> None:
    with pytest.raises(ProfileValidationError, match="not a variable name"):
        profile(**{"a b": "x"})
    with pytest.raises(ProfileValidationError, match="expected an object"):
        Profile.from_json({**profile().to_json(), "variables": ["x"]})
    with pytest.raises(ProfileValidationError, match="must be text"):
        Profile.from_json({**profile().to_json(), "variables": {"a": 1}})


def test_switching_profile_switches_the_values_a_request_uses() -> None:
    spec = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})
    catalogs = load_bundled_catalogs()
    urls = []
    for chosen in (profile(topic_id="1"), profile(topic_id="99")):
        target = target_for_profile(chosen, {})
        prepared = prepare(spec, catalogs, target, variables=VariableScopes(profile=chosen.variables))
        assert prepared.request is not None, prepared.errors
        urls.append(prepared.request.url)
    assert urls == ["https://forum.example/t/1.json", "https://forum.example/t/99.json"]


def test_the_built_in_sandbox_profiles_keep_variables_in_the_profiles_file(tmp_path: Path) -> None:
    from explorer.core.profiles import install_sandbox_profiles
    from explorer.sandbox.demo import DemoCredentials

    paths = AppPaths.under(tmp_path)
    store = ProfileStore(paths, MemorySecretStore())
    discourse, _ = install_sandbox_profiles(store, DemoCredentials(url="http://127.0.0.1:1"))
    changed = store.set_variables(discourse.id, {"topic_id": "1"})
    assert changed.variables == {"topic_id": "1"} and store.get(discourse.id) == changed
    with pytest.raises(ProfileValidationError, match="looks like a secret"):
        store.set_variables(discourse.id, {"api_key": "x"})
    # The next start installs the sandbox profiles again: their variables come back from the file.
    again = ProfileStore(paths, MemorySecretStore())
    discourse_again, _ = install_sandbox_profiles(again, DemoCredentials(url="http://127.0.0.1:2"))
    assert again.get(discourse_again.id).variables == {"topic_id": "1"}  # type: ignore[union-attr]
    saved = again.save(profile())
    assert again.set_variables(saved.id, {"category_id": "3"}).variables == {"category_id": "3"}
    assert again.set_variables(discourse_again.id, {}).variables == {}
    data = json.loads(paths.profiles_file.read_text(encoding="utf-8"))
    assert "builtin_variables" not in data and data["profiles"][0]["variables"] == {"category_id": "3"}

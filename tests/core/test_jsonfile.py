"""Damaged JSON files the app reads at start: nesting 100,000 deep and integers past 4,300 digits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.core import jsonfile
from explorer.core.catalog.custom import CustomCatalogError, CustomMethodStore
from explorer.core.drafts import DraftsError, load_drafts
from explorer.core.paths import AppPaths
from explorer.core.profiles import FileSecretStore, MemorySecretStore, ProfileError, ProfileStore
from explorer.core.profiles.secrets import SecretStoreError
from explorer.core.settings import Settings, load_settings

DEEP = "[" * 100_000 + "]" * 100_000
LONG_INTEGER = '{"schema_version": ' + "7" * 4_400 + "}"
DAMAGE = pytest.mark.parametrize("text", [DEEP, LONG_INTEGER], ids=["nested", "long-integer"])


@DAMAGE
def test_loads_turns_every_failure_into_a_decode_error(text: str) -> None:
    with pytest.raises(json.JSONDecodeError) as caught:
        jsonfile.loads(text)
    assert caught.value.lineno == 1
    assert ("nested too deeply" if text is DEEP else "4,300 digits") in caught.value.msg


def test_loads_still_reads_ordinary_json() -> None:
    assert jsonfile.loads('{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}
    with pytest.raises(json.JSONDecodeError):
        jsonfile.loads("{")


@DAMAGE
def test_settings_fall_back_to_defaults_and_set_the_file_aside(tmp_path: Path, text: str) -> None:
    paths = AppPaths.under(tmp_path)
    paths.settings_file.parent.mkdir(parents=True)
    paths.settings_file.write_text(text)
    settings, warnings = load_settings(paths)
    assert settings == Settings()
    assert len(warnings) == 1 and "is damaged" in warnings[0] and "kept as" in warnings[0]
    assert not paths.settings_file.exists()


@DAMAGE
def test_profiles_file_is_a_profile_error(tmp_path: Path, text: str) -> None:
    paths = AppPaths.under(tmp_path)
    paths.profiles_file.parent.mkdir(parents=True)
    paths.profiles_file.write_text(text)
    store = ProfileStore(paths, MemorySecretStore())
    with pytest.raises(ProfileError, match="is damaged at line 1"):
        store.list()
    kept = store.set_aside_broken()
    assert kept.exists() and store.list() == []


@DAMAGE
def test_secrets_file_is_a_secret_store_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "secrets.json"
    path.write_text(text)
    path.chmod(0o600)
    with pytest.raises(SecretStoreError, match="is damaged"):
        FileSecretStore(path).get("p", "api_key")


@DAMAGE
def test_drafts_file_is_a_drafts_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "drafts.json"
    path.write_text(text)
    with pytest.raises(DraftsError, match="is damaged at line 1"):
        load_drafts(path)


@DAMAGE
def test_custom_methods_file_is_a_custom_catalog_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "custom-methods.json"
    path.write_text(text)
    with pytest.raises(CustomCatalogError, match="is damaged at line 1"):
        CustomMethodStore(path).methods()

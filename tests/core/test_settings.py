"""Settings: defaults, round trip, bad values with warnings, damaged files, migrations, atomic saves."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from explorer.core import settings as settings_module
from explorer.core.paths import AppPaths
from explorer.core.settings import Settings, load_settings, save_settings


@pytest.fixture
def paths(tmp_path: Path) -> AppPaths:
    return AppPaths.under(tmp_path)


def write(paths: AppPaths, text: str) -> None:
    paths.config.mkdir(parents=True, exist_ok=True)
    paths.settings_file.write_text(text, encoding="utf-8")


def test_defaults_when_there_is_no_file(paths: AppPaths) -> None:
    settings, warnings = load_settings(paths)
    assert warnings == []
    assert settings.request_timeout_s == 30 and settings.follow_redirects is False
    assert settings.response_layout == "right" and settings.large_body_cap_mb == 64
    assert settings.theme == "system" and settings.last_profile_id is None
    assert settings.large_body_cap_bytes == 64 * 2**20


def test_round_trip_with_schema_version(paths: AppPaths) -> None:
    chosen = replace(
        Settings(),
        request_timeout_s=12.5,
        follow_redirects=True,
        response_layout="below",
        large_body_cap_mb=64,
        raw_highlight_limit_mb=2,
        last_profile_id="sandbox-discourse",
        theme="dark",
        secret_storage="session",
    )
    save_settings(paths, chosen)
    assert json.loads(paths.settings_file.read_text())["schema_version"] == 1
    assert load_settings(paths) == (chosen, [])


def test_executor_options_match_the_executor() -> None:
    from explorer.core.http import Executor

    executor = Executor(**replace(Settings(), request_timeout_s=5, large_body_cap_mb=1).executor_options())
    assert executor.timeout_s == 5 and executor.large_body_cap_bytes == 2**20
    assert executor.follow_redirects is False and executor.verify is True


def test_bad_values_fall_back_one_by_one_with_warnings(paths: AppPaths) -> None:
    write(
        paths,
        json.dumps(
            {
                "schema_version": 1,
                "request_timeout_s": -3,
                "follow_redirects": "yes",
                "response_layout": "left",
                "large_body_cap_mb": 2.5,
                "theme": "dark",
                "colour": "teal",
            }
        ),
    )
    settings, warnings = load_settings(paths)
    assert settings == replace(Settings(), theme="dark")
    joined = "\n".join(warnings)
    for fragment in (
        "request_timeout_s: -3 is outside 0.1..3600; using the default 30.0",
        "follow_redirects: expected true or false, found 'yes'",
        "response_layout: 'left' is not one of right, below",
        "large_body_cap_mb: expected a whole number, found 2.5",
        "unknown setting 'colour' ignored",
    ):
        assert fragment in joined
    assert len(warnings) == 5


def test_damaged_file_is_kept_aside_and_defaults_used(paths: AppPaths) -> None:
    write(paths, '{\n  "theme": "dark",\n  oops\n}')
    settings, warnings = load_settings(paths)
    assert settings == Settings()
    assert len(warnings) == 1 and "line 3" in warnings[0] and "settings.json.broken-" in warnings[0]
    assert not paths.settings_file.exists()
    (aside,) = paths.config.glob("settings.json.broken-*")
    assert "oops" in aside.read_text(encoding="utf-8")


@pytest.mark.parametrize("raw", [b"[1, 2]", b'"just text"', b"\xff\xfe{not utf-8"])
def test_odd_documents_never_crash(paths: AppPaths, raw: bytes) -> None:
    paths.config.mkdir(parents=True)
    paths.settings_file.write_bytes(raw)
    settings, warnings = load_settings(paths)
    assert settings == Settings() and warnings


def test_newer_schema_keeps_known_values(paths: AppPaths) -> None:
    write(paths, json.dumps({"schema_version": 7, "theme": "light", "future_thing": 1}))
    settings, warnings = load_settings(paths)
    assert settings.theme == "light"
    assert any("newer version" in w for w in warnings)


def test_migration_hook_upgrades_old_documents(paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    def v1_to_v2(data: dict) -> dict:
        data["request_timeout_s"] = data.pop("timeout_ms") / 1000
        return data

    monkeypatch.setattr(settings_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(settings_module.MIGRATIONS, 1, v1_to_v2)
    write(paths, json.dumps({"schema_version": 1, "timeout_ms": 45000}))
    settings, warnings = load_settings(paths)
    assert settings.request_timeout_s == 45.0 and warnings == []


def test_failing_migration_falls_back_to_defaults(paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(data: dict) -> dict:
        return data["missing"]

    monkeypatch.setattr(settings_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(settings_module.MIGRATIONS, 1, broken)
    write(paths, json.dumps({"schema_version": 1, "theme": "dark"}))
    settings, warnings = load_settings(paths)
    assert settings == Settings() and "could not be upgraded" in warnings[0]


def test_save_is_atomic(paths: AppPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings(paths, replace(Settings(), theme="light"))
    before = paths.settings_file.read_bytes()

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_settings(paths, replace(Settings(), theme="dark"))
    assert paths.settings_file.read_bytes() == before
    assert [p.name for p in paths.config.iterdir()] == ["settings.json"]

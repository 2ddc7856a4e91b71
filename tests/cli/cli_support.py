"""What the command-line tests share: a sandbox profile saved under a test home, and running a command."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from explorer.__main__ import main
from explorer.core.paths import AppPaths
from explorer.core.profiles import FileSecretStore, Profile, ProfileStore
from explorer.core.settings import Settings, save_settings
from explorer.sandbox import demo


def save_admin_profile(home: Path, name: str, base_url: str, **options: Any) -> Profile:
    """A Discourse profile with the sandbox's admin key, kept in the owner-only secrets file; `options` are
    further Profile fields (variables, production, …)."""
    paths = AppPaths.under(home)
    save_settings(paths, Settings(secret_storage="file"))
    store = ProfileStore(paths, FileSecretStore(paths.fallback_secrets_file))
    profile = Profile(
        name=name,
        api="discourse",
        base_url=base_url,
        auth_kind="api_key",
        fields={"api_username": demo.ADMIN_USERNAME},
        **options,
    )
    store.save(profile, {"api_key": demo.DISCOURSE_ADMIN_KEY})
    return profile


def admin_options(url: str) -> list[str]:
    """`explorer request` options that send to `url` as the sandbox's admin."""
    return [
        "--base-url",
        url,
        "--auth",
        f"api_key={demo.DISCOURSE_ADMIN_KEY}",
        f"api_username={demo.ADMIN_USERNAME}",
    ]


def run_command(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`explorer ARGV…` in this process: its exit status, standard output and standard error."""
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err

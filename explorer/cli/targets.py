"""Where a command-line request goes: a saved profile's target (from the lifecycle), overridden by options."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from explorer.cli.common import write
from explorer.cli.sandbox_target import install_sandbox_profile
from explorer.core.catalog.model import Api
from explorer.core.lifecycle import Target, target_from_store
from explorer.core.paths import AppPaths
from explorer.core.settings import Settings, load_settings


def load_cli_settings(paths: AppPaths) -> Settings:
    """The app's settings; problems with the file are notes (defaults are used), never a failure."""
    settings, warnings = load_settings(paths)
    for warning in warnings:
        write(f"note: {warning}", stream=sys.stderr)
    return settings


@dataclass(frozen=True)
class ProfileTarget:
    """A saved profile's target, and notes for the user (e.g. a secret the store does not have)."""

    target: Target
    notes: tuple[str, ...] = ()
    # The profile's own total timeout (None: the settings' request_timeout_s applies).
    timeout_s: float | None = None
    # The profile's values for {{name}} references (never secrets).
    variables: Mapping[str, str] = field(default_factory=dict)
    # The profile's "trust this certificate" (PEM), for its own site only.
    trusted_certificate: str | None = None

    @property
    def trusted(self) -> tuple[str, str] | None:
        """(the profile's own site, PEM) for Executor.trust_certificate; None when it trusts none."""
        if self.trusted_certificate is None:
            return None
        return self.target.base_url, self.trusted_certificate


def api_of_spec(api: str | None) -> Api | None:
    """The API a request file names (None when it names none); ValueError with the message for another."""
    if api is None:
        return None
    try:
        return Api(api)
    except ValueError:
        raise ValueError(f"api: unknown API {api!r} (use discourse or disqus)") from None


def load_profile(name: str, api: Api | None, paths: AppPaths, settings: Settings) -> ProfileTarget | str:
    """The target of the saved profile called `name` (or with that id), or a message saying why not.

    `api`, when given, is the API the request is for: a profile of another API is refused.
    """
    from explorer.core.profiles import ProfileError, ProfileStore, SecretStoreError, open_secret_store

    try:
        store = ProfileStore(paths, open_secret_store(settings.secret_storage, paths.fallback_secrets_file))
        # "Sandbox — Discourse" and "Sandbox — Disqus 1.1" exist once their sandbox runs, as in the window.
        problem = install_sandbox_profile(store, name)
        if problem is not None:
            return problem
        profile = store.get_by_name(name) or store.get(name)
        if profile is None:
            known = ", ".join(repr(p.name) for p in store.list()) or "none saved yet"
            # A profile skipped for a bad field is the likeliest reason a saved name is not found.
            skipped = "".join(f"; {problem}" for problem in store.problems)
            return f"no profile called {name!r} (profiles: {known}){skipped}"
        if api is not None and profile.api != api:
            return f"profile {profile.name!r} is for {profile.api.value}, not {api.value}"
        missing = store.missing_secrets(profile)
        target = target_from_store(store, profile)
    except (ProfileError, SecretStoreError) as exc:
        return str(exc)
    notes = tuple(
        f"profile {profile.name!r} has no stored {secret}; pass it with --auth {secret}=VALUE"
        for secret in missing
    )
    return ProfileTarget(
        target, notes, profile.timeout_s, dict(profile.variables), profile.trusted_certificate
    )


def with_options(target: Target, base_url: str | None, credentials: Mapping[str, str]) -> Target:
    """`target` with --base-url and --auth applied: each option overrides the profile's value."""
    return replace(
        target,
        base_url=base_url or target.base_url,
        credentials={**target.credentials, **credentials},
    )


def options_target(api: Api, base_url: str | None, credentials: Mapping[str, str]) -> Target:
    """The target of a request without a profile: only what --base-url and --auth say."""
    return Target(api=api, base_url=base_url or "", credentials=dict(credentials))


def print_notes(notes: tuple[str, ...]) -> None:
    for note in notes:
        write(f"note: {note}", stream=sys.stderr)

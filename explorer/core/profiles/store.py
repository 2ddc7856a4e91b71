"""Saved credential profiles: a JSON file without secrets, plus a SecretStore for the keys."""

from __future__ import annotations

import builtins
import json
import time
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from explorer.core import jsonfile
from explorer.core.paths import AppPaths, Migration, atomic_write_bytes, migrate_document
from explorer.core.profiles.model import (
    SECRET_CREDENTIALS,
    Profile,
    ProfileError,
    ProfileValidationError,
    new_profile_id,
)
from explorer.core.profiles.secrets import MemorySecretStore, SecretStore

SCHEMA_VERSION = 1


class ProfileStore:
    """List, save, rename, duplicate and delete profiles; hand out their credentials.

    The file is read on first use. A damaged file raises ProfileError (naming the file and the line)
    from every method until the caller chooses `set_aside_broken()`; it is never overwritten silently.
    Built-in profiles (the sandbox) are added with `add_builtin` and live in memory only.
    """

    def __init__(self, paths: AppPaths, secrets: SecretStore) -> None:
        self.path = paths.profiles_file
        self.secrets = secrets
        self._profiles: list[Profile] | None = None
        # Entries we could not read (e.g. from a newer version): kept verbatim so saving never drops them.
        self._unreadable: list[Any] = []
        self.problems: list[str] = []
        self._builtins: list[Profile] = []
        self._builtin_secrets = MemorySecretStore()
        # Variables given to the built-in profiles: kept in the file, though the profiles themselves are not.
        self._builtin_variables: dict[str, dict[str, str]] = {}

    # -- reading ----------------------------------------------------------------------------------

    def _load(self) -> list[Profile]:
        if self._profiles is not None:
            return self._profiles
        if not self.path.exists():
            self._profiles = []
            return self._profiles
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise ProfileError(f"The profiles file {self.path} cannot be read: {reason}.") from exc
        try:
            data = jsonfile.loads(text)
        except json.JSONDecodeError as exc:
            raise ProfileError(
                f"The profiles file {self.path} is damaged at line {exc.lineno}, column {exc.colno}: "
                f"{exc.msg}."
            ) from exc
        self._profiles = self._parse(data)
        return self._profiles

    def _parse(self, data: Any) -> list[Profile]:
        if not isinstance(data, dict) or not isinstance(data.get("profiles"), list):
            raise ProfileError(f'The profiles file {self.path} does not contain a "profiles" list.')
        version = data.get("schema_version")
        if isinstance(version, bool) or not isinstance(version, int) or version < 1:
            raise ProfileError(f"The profiles file {self.path} has no valid schema_version.")
        if version > SCHEMA_VERSION:
            raise ProfileError(
                f"The profiles file {self.path} was written by a newer version of the app "
                f"(schema {version}, this one reads {SCHEMA_VERSION}); update the app to use it."
            )
        data = migrate(data)
        self._builtin_variables = _builtin_variables(data.get("builtin_variables"))
        profiles: list[Profile] = []
        self._unreadable, self.problems = [], []
        for index, entry in enumerate(data["profiles"]):
            label = entry.get("name") if isinstance(entry, dict) else None
            where = f"profile #{index + 1}" + (f" ({label!r})" if isinstance(label, str) else "")
            try:
                profile = Profile.from_json(entry)
            except ProfileValidationError as exc:
                self._unreadable.append(entry)
                self.problems.append(f"{self.path}: {where} was skipped: {exc}")
                continue
            if any(p.id == profile.id for p in profiles):
                self._unreadable.append(entry)
                self.problems.append(f"{self.path}: {where} was skipped: its id repeats an earlier profile")
                continue
            profiles.append(profile)
        return profiles

    def reload(self) -> list[Profile]:
        self._profiles = None
        return self.list()

    def list(self) -> list[Profile]:
        """Built-in profiles first, then the saved ones in the order they were created.

        Below here `list` in an annotation means this method, so those annotations say `builtins.list`.
        """
        saved = self._load()
        return [*(self._with_variables(p) for p in self._builtins), *saved]

    def _with_variables(self, builtin: Profile) -> Profile:
        variables = self._builtin_variables.get(builtin.id)
        if variables is None:
            return builtin
        try:
            return replace(builtin, variables=variables)
        except ProfileValidationError:  # edited by hand into a secret-looking name: not used
            return builtin

    def get(self, profile_id: str) -> Profile | None:
        return next((p for p in self.list() if p.id == profile_id), None)

    def get_by_name(self, name: str) -> Profile | None:
        wanted = name.strip().casefold()
        return next((p for p in self.list() if p.name.casefold() == wanted), None)

    # -- writing ----------------------------------------------------------------------------------

    def _write(self, profiles: builtins.list[Profile]) -> None:
        payload: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "profiles": [p.to_json() for p in profiles] + self._unreadable,
        }
        if self._builtin_variables:
            payload["builtin_variables"] = {
                k: dict(sorted(v.items())) for k, v in self._builtin_variables.items()
            }
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
        try:
            atomic_write_bytes(self.path, text.encode("utf-8"), mode=0o600)
        except OSError as exc:
            raise ProfileError(
                f"The profiles file {self.path} cannot be written: {exc.strerror or exc}."
            ) from exc
        self._profiles = profiles

    def _check_name(self, name: str, own_id: str | None) -> None:
        other = self.get_by_name(name)
        if other is not None and other.id != own_id:
            raise ProfileValidationError([("name", f"a profile named {other.name!r} already exists")])

    def _is_builtin(self, profile_id: str) -> bool:
        return any(p.id == profile_id for p in self._builtins)

    def save(self, profile: Profile, secrets: Mapping[str, str] | None = None) -> Profile:
        """Create or update `profile`; `secrets` maps secret names to values ("" deletes one).

        Secret names the profile's auth kind does not use are removed from the secret store, so switching
        from an admin key to a User API key leaves no forgotten key behind. Secrets are written before
        the file, so a refused secret leaves the saved profile unchanged.
        """
        if self._is_builtin(profile.id) or profile.sandbox:
            raise ProfileError(f"{profile.name!r} is built in and cannot be saved; duplicate it instead.")
        profiles = list(self._load())
        self._check_name(profile.name, profile.id)
        allowed = profile.secret_names
        given = dict(secrets or {})
        wrong = [name for name in given if name not in allowed]
        if wrong:
            raise ProfileValidationError(
                [(name, f"{name} is not a secret of auth kind {profile.auth_kind!r}") for name in wrong]
            )
        for name, value in given.items():
            if value:
                self.secrets.set(profile.id, name, value)
            else:
                self.secrets.delete(profile.id, name)
        previous = next((p for p in profiles if p.id == profile.id), None)
        if previous is not None and previous.secret_names != allowed:
            for name in previous.secret_names:
                if name not in allowed:
                    self.secrets.delete(profile.id, name)
        if previous is None:
            profiles.append(profile)
        else:
            profiles[profiles.index(previous)] = profile
        self._write(profiles)
        return profile

    def _saved(self, profile_id: str) -> Profile:
        found = next((p for p in self._load() if p.id == profile_id), None)
        if found is None:
            if self._is_builtin(profile_id):
                raise ProfileError("Built-in profiles cannot be changed or deleted; duplicate one instead.")
            raise ProfileError(f"No saved profile has the id {profile_id!r}.")
        return found

    def delete(self, profile_id: str) -> None:
        """Remove the profile and every secret stored for it."""
        victim = self._saved(profile_id)
        self._write([p for p in self._load() if p.id != profile_id])
        for name in sorted(SECRET_CREDENTIALS):
            self.secrets.delete(victim.id, name)

    def set_variables(self, profile_id: str, variables: Mapping[str, str]) -> Profile:
        """Replace a profile's `{{name}}` variables, built-in profiles (the sandbox) included; a
        secret-looking name is refused (ProfileValidationError) and nothing is written."""
        profile = self.get(profile_id)
        if profile is None:
            raise ProfileError(f"No profile has the id {profile_id!r}.")
        changed = replace(profile, variables=dict(variables))  # validates
        if not self._is_builtin(profile_id):
            return self.save(changed)
        profiles = list(self._load())
        if changed.variables:
            self._builtin_variables[profile_id] = dict(changed.variables)
        else:
            self._builtin_variables.pop(profile_id, None)
        self._write(profiles)
        return changed

    def rename(self, profile_id: str, new_name: str) -> Profile:
        profile = self._saved(profile_id)
        renamed = replace(profile, name=new_name)
        return self.save(renamed)

    def duplicate(self, profile_id: str, new_name: str) -> Profile:
        """A saved copy under a new id and name, secrets included (a built-in profile may be copied)."""
        source = self.get(profile_id)
        if source is None:
            raise ProfileError(f"No profile has the id {profile_id!r}.")
        copy = replace(source, id=new_profile_id(), name=new_name, sandbox=False)
        return self.save(copy, self._secrets_of(source))

    # -- credentials --------------------------------------------------------------------------------

    def _secret_source(self, profile: Profile) -> SecretStore:
        return self._builtin_secrets if self._is_builtin(profile.id) else self.secrets

    def _secrets_of(self, profile: Profile) -> dict[str, str]:
        store = self._secret_source(profile)
        found = {name: store.get(profile.id, name) for name in profile.secret_names}
        return {name: value for name, value in found.items() if value}

    def credentials(self, profile: Profile) -> dict[str, str]:
        """Non-secret fields plus secrets, keyed by the APIs' names, as build_request expects them."""
        return {**profile.fields, **self._secrets_of(profile)}

    def missing_secrets(self, profile: Profile) -> builtins.list[str]:
        """Secret names of the profile's auth kind with no stored value (e.g. after a session-only run)."""
        have = self._secrets_of(profile)
        return [name for name in profile.secret_names if name not in have]

    def add_builtin(self, profile: Profile, secrets: Mapping[str, str]) -> None:
        """Register an in-memory profile (the sandbox); replaces a built-in with the same id."""
        self._builtins = [p for p in self._builtins if p.id != profile.id] + [profile]
        for name, value in secrets.items():
            self._builtin_secrets.set(profile.id, name, value)

    # -- recovering from a damaged file --------------------------------------------------------------

    def set_aside_broken(self) -> Path:
        """Rename the unreadable file to profiles.json.broken-<timestamp> and start with no saved profiles."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.broken-{stamp}")
        counter = 1
        while target.exists():
            counter += 1
            target = self.path.with_name(f"{self.path.name}.broken-{stamp}-{counter}")
        try:
            self.path.rename(target)
        except OSError as exc:
            raise ProfileError(
                f"The profiles file {self.path} cannot be moved aside: {exc.strerror or exc}."
            ) from exc
        self._profiles, self._unreadable, self.problems = [], [], []
        return target


def _builtin_variables(value: object) -> dict[str, dict[str, str]]:
    """The built-in profiles' variables as stored; anything malformed is dropped (easily set again)."""
    if not isinstance(value, dict):
        return {}
    out: dict[str, dict[str, str]] = {}
    for profile_id, variables in value.items():
        if isinstance(variables, dict) and all(isinstance(v, str) for v in variables.values()):
            out[str(profile_id)] = dict(variables)
    return out


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring an older profiles document up to SCHEMA_VERSION, one step at a time."""
    return migrate_document(data, SCHEMA_VERSION, MIGRATIONS)


# schema_version N -> a function producing version N + 1.
MIGRATIONS: dict[int, Migration] = {}

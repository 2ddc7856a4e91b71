"""Where a request goes and with which credentials: a profile reduced to what the builder needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from explorer.core.building.discourse_auth import ACTING_USER_HEADERS, ADMIN_KEY_HEADERS, USER_API_HEADERS
from explorer.core.building.disqus_wire import KEY_NAMES, PROFILE_DEFAULTS
from explorer.core.catalog.model import Api
from explorer.core.profiles.model import Profile

if TYPE_CHECKING:  # the store (and the keyring behind it) is the caller's; this module only reads it
    from explorer.core.profiles.store import ProfileStore

# Per API: credential name -> where it travels ("header:Name" or "argument:name"). One table per API, so a
# third kind of API adds its own row instead of being mistaken for one of these.
CREDENTIAL_PLACES: dict[Api, dict[str, str]] = {
    Api.DISCOURSE: {
        name: f"header:{header}"
        for table in (ADMIN_KEY_HEADERS, ACTING_USER_HEADERS, USER_API_HEADERS)
        for name, header in table.items()
    },
    Api.DISQUS: {name: f"argument:{name}" for name in KEY_NAMES},
}
# Per API: non-secret profile fields that fill the argument of the same name when it is left empty.
ARGUMENT_DEFAULTS: dict[Api, tuple[str, ...]] = {Api.DISCOURSE: (), Api.DISQUS: PROFILE_DEFAULTS}


@dataclass(frozen=True)
class Target:
    """The site and credentials a request uses; `credentials` hold secrets, so never display them unmasked.

    Built from a profile by `target_for_profile`, or directly from command-line options (then it has no
    profile id or name).
    """

    api: Api
    base_url: str
    credentials: Mapping[str, str] = field(default_factory=dict)
    # Non-secret profile fields that are also method arguments (Disqus forum_id): prefilled in forms.
    defaults: Mapping[str, str] = field(default_factory=dict)
    profile_id: str = ""
    profile_name: str = ""
    auth_kind: str = "none"
    is_sandbox: bool = False
    production: bool = False
    read_only: bool = False
    colour: str | None = None

    def __repr__(self) -> str:  # the credentials are secrets: name them, never show them
        return (
            f"Target(api={self.api.value!r}, base_url={self.base_url!r}, profile={self.profile_name!r}, "
            f"credentials={sorted(self.credentials)})"
        )

    def builder_credentials(self) -> dict[str, str]:
        """What build_request takes as `credentials`: the keys, plus the argument defaults it fills in."""
        return {**self.defaults, **self.credentials}

    def credential_places(self) -> dict[str, str]:
        """Credential name -> where it travels, for the credentials this target has."""
        places = CREDENTIAL_PLACES.get(self.api, {})
        return {name: places.get(name, "unknown") for name in self.credentials}


def target_for_profile(profile: Profile, credentials: Mapping[str, str]) -> Target:
    """The target for `profile`, given every credential it has (the store's `credentials(profile)`).

    Only names the API takes as credentials become credentials; other profile fields named in
    ARGUMENT_DEFAULTS (Disqus forum_id) become argument defaults; anything else is left out.
    """
    allowed = CREDENTIAL_PLACES.get(profile.api, {})
    argument_defaults = ARGUMENT_DEFAULTS.get(profile.api, ())
    merged = {**profile.fields, **credentials}
    return Target(
        api=profile.api,
        base_url=profile.base_url,
        credentials={k: v for k, v in merged.items() if k in allowed and v},
        defaults={k: v for k, v in profile.fields.items() if k in argument_defaults and v},
        profile_id=profile.id,
        profile_name=profile.name,
        auth_kind=profile.kind.label,
        is_sandbox=profile.sandbox,
        production=profile.production,
        read_only=profile.read_only,
        colour=profile.colour,
    )


def is_credential_name(api: Api, name: str) -> bool:
    return name in CREDENTIAL_PLACES.get(api, {})


def target_from_store(store: ProfileStore, profile: Profile, *, with_secrets: bool = True) -> Target:
    """The target for a stored profile; SecretStoreError when its keys cannot be read (a locked keyring).

    `with_secrets=False` gives the target without keys (to send anonymously after saying why).
    """
    return target_for_profile(profile, store.credentials(profile) if with_secrets else {})

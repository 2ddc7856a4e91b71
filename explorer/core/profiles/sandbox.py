"""The two ready-made profiles that talk to the local sandbox; their keys stay in memory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from explorer.core.catalog.model import Api
from explorer.core.profiles.model import Profile
from explorer.core.profiles.store import ProfileStore

SANDBOX_DISCOURSE_ID = "sandbox-discourse"
SANDBOX_DISQUS_ID = "sandbox-disqus"


class SandboxEndpoints(Protocol):
    """Where a running sandbox answers and the demo keys it accepts.

    The core does not know the sandbox package; the sandbox's DemoCredentials has these attributes and is
    what the window and the command line pass in.
    """

    @property
    def discourse_base_url(self) -> str: ...
    @property
    def disqus_base_url(self) -> str: ...
    @property
    def admin_username(self) -> str: ...
    @property
    def discourse_admin_key(self) -> str: ...
    @property
    def disqus_forum_id(self) -> str: ...
    @property
    def disqus_user_api_key(self) -> str: ...
    @property
    def disqus_forum_api_key(self) -> str: ...
    @property
    def disqus_partner_api_key(self) -> str: ...


@dataclass(frozen=True)
class BuiltinProfile:
    """A profile plus the secrets that go with it, for ProfileStore.add_builtin."""

    profile: Profile
    secrets: dict[str, str]

    def __repr__(self) -> str:  # keep the keys out of logs and test output
        return f"BuiltinProfile({self.profile.name!r}, secrets={sorted(self.secrets)})"


def sandbox_profiles(creds: SandboxEndpoints) -> tuple[BuiltinProfile, BuiltinProfile]:
    """ "Sandbox — Discourse" (admin key acting as system) and "Sandbox — Disqus 1.1" (all three keys).

    The ids are fixed so "last used profile" survives restarts even though the sandbox port changes.
    """
    discourse = Profile(
        id=SANDBOX_DISCOURSE_ID,
        name="Sandbox — Discourse",
        api=Api.DISCOURSE,
        base_url=creds.discourse_base_url,
        auth_kind="api_key",
        fields={"api_username": creds.admin_username},
        sandbox=True,
    )
    disqus = Profile(
        id=SANDBOX_DISQUS_ID,
        name="Sandbox — Disqus 1.1",
        api=Api.DISQUS,
        base_url=creds.disqus_base_url,
        auth_kind="keys",
        fields={"forum_id": creds.disqus_forum_id},
        sandbox=True,
    )
    return (
        BuiltinProfile(discourse, {"api_key": creds.discourse_admin_key}),
        BuiltinProfile(
            disqus,
            {
                "user_api_key": creds.disqus_user_api_key,
                "forum_api_key": creds.disqus_forum_api_key,
                "partner_api_key": creds.disqus_partner_api_key,
            },
        ),
    )


def install_sandbox_profiles(store: ProfileStore, creds: SandboxEndpoints) -> tuple[Profile, Profile]:
    """Add both sandbox profiles to a ProfileStore and return them."""
    built = sandbox_profiles(creds)
    for item in built:
        store.add_builtin(item.profile, item.secrets)
    return built[0].profile, built[1].profile

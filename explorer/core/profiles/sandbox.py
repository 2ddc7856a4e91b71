"""The two ready-made profiles that talk to the local sandbox; their keys stay in memory."""

from __future__ import annotations

from dataclasses import dataclass

from explorer.core.catalog.model import Api
from explorer.core.profiles.model import Profile
from explorer.core.profiles.store import ProfileStore
from explorer.sandbox import demo

SANDBOX_DISCOURSE_ID = "sandbox-discourse"
SANDBOX_DISQUS_ID = "sandbox-disqus"


@dataclass(frozen=True)
class BuiltinProfile:
    """A profile plus the secrets that go with it, for ProfileStore.add_builtin."""

    profile: Profile
    secrets: dict[str, str]

    def __repr__(self) -> str:  # keep the keys out of logs and test output
        return f"BuiltinProfile({self.profile.name!r}, secrets={sorted(self.secrets)})"


def sandbox_profiles(creds: demo.DemoCredentials) -> tuple[BuiltinProfile, BuiltinProfile]:
    """ "Sandbox — Discourse" (admin key acting as system) and "Sandbox — Disqus 1.1" (all three keys).

    The ids are fixed so "last used profile" survives restarts even though the sandbox port changes.
    """
    discourse = Profile(
        id=SANDBOX_DISCOURSE_ID,
        name="Sandbox — Discourse",
        api=Api.DISCOURSE,
        base_url=creds.discourse_base_url,
        auth_kind="api_key",
        fields={"api_username": demo.ADMIN_USERNAME},
        sandbox=True,
    )
    disqus = Profile(
        id=SANDBOX_DISQUS_ID,
        name="Sandbox — Disqus 1.1",
        api=Api.DISQUS,
        base_url=creds.disqus_base_url,
        auth_kind="keys",
        fields={"forum_id": demo.DISQUS_FORUM_ID},
        sandbox=True,
    )
    return (
        BuiltinProfile(discourse, {"api_key": demo.DISCOURSE_ADMIN_KEY}),
        BuiltinProfile(
            disqus,
            {
                "user_api_key": demo.DISQUS_USER_API_KEY,
                "forum_api_key": demo.DISQUS_FORUM_API_KEY,
                "partner_api_key": demo.DISQUS_PARTNER_API_KEY,
            },
        ),
    )


def install_sandbox_profiles(store: ProfileStore, creds: demo.DemoCredentials) -> tuple[Profile, Profile]:
    """Add both sandbox profiles to a ProfileStore and return them."""
    built = sandbox_profiles(creds)
    for item in built:
        store.add_builtin(item.profile, item.secrets)
    return built[0].profile, built[1].profile

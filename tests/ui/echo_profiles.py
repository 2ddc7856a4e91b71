"""Profiles of every auth kind of both APIs pointing at a server that echoes keys, for the secret tests."""

from __future__ import annotations

from typing import Any

from explorer.core.catalog.model import Api
from explorer.core.profiles import Profile
from tests.cli.test_cli_never_prints_secrets import DISQUS_KEY, HEX_KEY, WORDY


def save_echo_profiles(window: Any, echo_url: str) -> list[tuple[Profile, str]]:
    """Save the three profiles (admin key, User API key, Disqus keys) in the window's store, load them, and
    return each with the method to send through it."""
    profiles = [
        (
            Profile("Echo admin", Api.DISCOURSE, echo_url, "api_key", {"api_username": "system"}),
            {"api_key": HEX_KEY},
            "discourse:listLatestTopics",
        ),
        (
            Profile("Echo user key", Api.DISCOURSE, echo_url, "user_api_key", {"user_api_client_id": "c1"}),
            {"user_api_key": WORDY},
            "discourse:getCurrentSession",
        ),
        (
            Profile("Echo Disqus", Api.DISQUS, echo_url, "keys", {"forum_id": "12"}),
            {"user_api_key": DISQUS_KEY, "forum_api_key": WORDY, "partner_api_key": HEX_KEY},
            "disqus:get_forum_list",
        ),
    ]
    for profile, secrets, _ in profiles:
        window.services.profiles.save(profile, secrets)
    window.load_profiles()
    return [(profile, method) for profile, _, method in profiles]

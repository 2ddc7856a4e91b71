"""Disqus API 1.1 wire rules: the default host, `api_version=1.1`, and which keys travel with which method.

Disqus 1.1 takes its keys as ordinary arguments: in the query string of a GET and in the form body of a
POST, next to `api_version`, exactly like the method's own arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explorer.core.building.credentials import given_credentials
from explorer.core.building.encoding import wire_text
from explorer.core.catalog.model import Method

API_VERSION = "1.1"
DEFAULT_BASE_URL = "https://disqus.com"
KEY_NAMES = ("user_api_key", "forum_api_key", "partner_api_key")
# Catalog `auth` value -> the key argument the method needs.
AUTH_KEY = {"user": "user_api_key", "forum": "forum_api_key", "partner": "partner_api_key"}
# Keys a method takes in addition to the one it needs.  The partner key is optional on two methods in
# the 1.1 reference; the forum key is what API 1.0 used for these reads, and Disqus' own 1.1 client
# kept sending it.
OPTIONAL_KEYS: dict[str, tuple[str, ...]] = {
    "get_num_posts": ("forum_api_key",),
    "get_categories_list": ("forum_api_key",),
    "get_thread_list": ("forum_api_key",),
    "get_thread_posts": ("forum_api_key",),
    "get_thread_by_url": ("partner_api_key",),
    "create_post": ("partner_api_key",),
}
# Non-secret profile fields that fill the argument of the same name when the user leaves it empty.
PROFILE_DEFAULTS = ("forum_id",)
# Names that look like arguments but are owned by the builder.
RESERVED_ARGUMENTS = frozenset({*KEY_NAMES, "api_version"})


def disqus_text(value: Any) -> str:
    """Argument text as 1.1 clients sent it: booleans as 1/0 (what PHP's http_build_query produces)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    return wire_text(value)


def base_url_or_default(base_url: str | None) -> tuple[str, list[str]]:
    """The base URL to use (the public host when none is given), and notes about any adjustment."""
    text = (base_url or "").strip()
    if not text:
        return DEFAULT_BASE_URL, []
    stripped = text.rstrip("/")
    # Method paths already start with /api/, so a base ending in /api would double it.
    if stripped.endswith("/api"):
        return stripped[: -len("/api")], [f"base URL {text!r} ends in /api; the method path adds it"]
    return text, []


def needed_key(method: Method) -> str | None:
    return AUTH_KEY.get(method.auth)


def accepted_keys(method: Method) -> tuple[str, ...]:
    """Every key argument `method` takes, the needed one first."""
    needed = needed_key(method)
    extra = OPTIONAL_KEYS.get(method.id, ())
    return tuple(k for k in (needed, *extra) if k)


def key_pairs(
    method: Method, credentials: Mapping[str, str] | None
) -> tuple[list[tuple[str, str]], list[str]]:
    """The key arguments to send for `method`, and notes for the user; unknown names are an error."""
    given = given_credentials(credentials, KEY_NAMES, "Disqus")
    accepted = accepted_keys(method)
    pairs = [(name, given[name]) for name in accepted if name in given]
    notes = [
        f"{name} not sent: {method.id} does not take it"
        for name in KEY_NAMES
        if name in given and name not in accepted
    ]
    needed = needed_key(method)
    if needed and needed not in given:
        notes.append(f"{method.id} needs {needed}, and none was supplied; the server will refuse the call")
    return pairs, notes


def split_profile_defaults(
    credentials: Mapping[str, str] | None,
) -> tuple[dict[str, str], dict[str, str]]:
    """(key credentials, argument defaults such as the profile's forum_id)."""
    keys: dict[str, str] = {}
    defaults: dict[str, str] = {}
    for name, value in (credentials or {}).items():
        (defaults if name in PROFILE_DEFAULTS else keys)[name] = value
    return keys, defaults


def version_pair() -> tuple[str, str]:
    return ("api_version", API_VERSION)

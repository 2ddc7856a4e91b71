"""Which rate limits apply to a request: the budget's key (site + kind of key) and its default limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from explorer.core.prepared import PreparedRequest
    from explorer.core.profiles import Profile

MINUTE = 60.0
HOUR = 3600.0
DAY = 86400.0

# Discourse's per-IP limits (max_reqs_per_ip_per_10_seconds, _per_minute) for requests without a key.
# Loopback and private addresses are exempt on a default install; pacing inside them costs nothing there.
IP_PER_10_SECONDS = 50
IP_PER_MINUTE = 200

# The Disqus API 1.1 credential names: a request carrying one of them counts against the keys' budget.
_DISQUS_KEYS = frozenset({"user_api_key", "forum_api_key", "partner_api_key"})


class BudgetSettings(Protocol):
    """The settings a budget's defaults come from (explorer.core.settings.Settings has them)."""

    @property
    def rate_admin_per_minute(self) -> int: ...
    @property
    def rate_user_api_per_minute(self) -> int: ...
    @property
    def rate_user_api_per_day(self) -> int: ...
    @property
    def rate_disqus_per_hour(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Limit:
    """At most `allowed` requests in any `window_s` seconds; `code` is the server's name for this limit
    (Discourse's Discourse-Rate-Limit-Error-Code), so a 429 naming it corrects this limit."""

    allowed: int
    window_s: float
    code: str | None = None


def per_window(window_s: float) -> str:
    named = {MINUTE: "a minute", HOUR: "an hour", DAY: "a day"}
    if window_s in named:
        return named[window_s]
    return f"per {window_s:g} s"


@dataclass(frozen=True, slots=True)
class BudgetKey:
    """What shares one budget: the API, the site (scheme, host, port) and the kind of key.

    Every admin API key of a Discourse site shares one budget (the server counts them in one bucket); a
    User API key has its own, told apart by its client id (never by the key itself, which is secret).
    """

    api: str
    site: str
    kind: str
    client: str = ""

    @property
    def label(self) -> str:
        host = urlsplit(self.site).netloc or self.site
        if self.api == "discourse" and self.kind == "api_key":
            return f"admin API keys of {host}"
        if self.api == "discourse" and self.kind == "user_api_key":
            client = f" (client {self.client})" if self.client else ""
            return f"User API key{client} on {host}"
        if self.api == "disqus":
            return f"Disqus keys on {host}" if self.kind == "keys" else f"Disqus without keys on {host}"
        return f"requests without a key to {host}"


def site_of(url: str) -> str:
    """scheme://host[:port] of `url`, lower-cased: a subfolder install shares its host's budget."""
    parts = urlsplit(url.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def key_for_profile(profile: Profile) -> BudgetKey:
    api = profile.api.value
    client = profile.fields.get("user_api_client_id", "") if profile.auth_kind == "user_api_key" else ""
    return BudgetKey(api, site_of(profile.base_url), profile.auth_kind, client.strip())


def key_for_request(request: PreparedRequest) -> BudgetKey:
    """The budget a prepared request counts against, read from its URL and its credentials."""
    site = site_of(request.url)
    if request.header("Api-Key"):
        return BudgetKey("discourse", site, "api_key")
    if request.header("User-Api-Key"):
        client = (request.header("User-Api-Client-Id") or "").strip()
        return BudgetKey("discourse", site, "user_api_key", client)
    api = request.api or "discourse"
    if api == "disqus":
        names = {name for name, value in request.query if value}
        if request.body is not None:
            names |= {name for name, value in request.body.fields if value}
        return BudgetKey("disqus", site, "keys" if names & _DISQUS_KEYS else "none")
    return BudgetKey(api, site, "none")


def default_limits(key: BudgetKey, settings: BudgetSettings) -> tuple[Limit, ...]:
    """The limits a default server applies to `key` (the settings hold the numbers servers configure)."""
    if key.api == "disqus":
        return (Limit(settings.rate_disqus_per_hour, HOUR),)
    if key.kind == "api_key":
        # One bucket, "admin_api_min", for every admin key of the site (max_admin_api_reqs_per_minute).
        return (Limit(settings.rate_admin_per_minute, MINUTE, "admin_api_key_rate_limit"),)
    if key.kind == "user_api_key":
        return (
            Limit(settings.rate_user_api_per_minute, MINUTE, "user_api_key_limiter_60_secs"),
            Limit(settings.rate_user_api_per_day, DAY, "user_api_key_limiter_1_day"),
        )
    return (
        Limit(IP_PER_10_SECONDS, 10.0, "ip_10_secs_limit"),
        Limit(IP_PER_MINUTE, MINUTE, "ip_60_secs_limit"),
    )


def window_of_code(code: str) -> float | None:
    """The window a limiter's error code names ("ip_10_secs_limit" → 10, "…_1_day" → a day), if any."""
    words = code.lower().split("_")
    for index, word in enumerate(words[:-1]):
        if word.isdigit():
            unit = words[index + 1]
            if unit in ("sec", "secs", "seconds"):
                return float(word)
            if unit in ("min", "mins", "minutes"):
                return float(word) * MINUTE
            if unit in ("hour", "hours"):
                return float(word) * HOUR
            if unit in ("day", "days"):
                return float(word) * DAY
    if words[-1] == "min":
        return MINUTE
    return None

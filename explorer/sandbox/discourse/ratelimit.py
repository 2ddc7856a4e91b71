"""Sliding-window rate limiters like Discourse's `RateLimiter`, driven by an injectable clock."""

from __future__ import annotations

import functools
import ipaddress
import math
from collections import OrderedDict, deque
from collections.abc import Callable

# Per-IP limiter keys are kept for at most this many addresses, so memory stays flat.
_MAX_KEYS = 1024


class SlidingWindow:
    """At most `limit` hits per `period` seconds per key; `hit` returns seconds to wait when over."""

    def __init__(self, limit: int, period: float, clock: Callable[[], float]) -> None:
        self.limit = limit
        self.period = period
        self.clock = clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def hit(self, key: str) -> int | None:
        now = self.clock()
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque(maxlen=max(self.limit, 1))
            if len(self._hits) > _MAX_KEYS:
                self._hits.popitem(last=False)
        if self.limit <= 0:
            return math.ceil(self.period)
        if len(hits) >= self.limit and now - hits[0] < self.period:
            return max(1, math.ceil(self.period - (now - hits[0])))
        hits.append(now)
        return None


class Limiters:
    """The limiters the sandbox imitates: the shared admin-API budget and the per-IP middleware limits."""

    def __init__(self, admin_per_minute: int, clock: Callable[[], float]) -> None:
        # One bucket ("admin_api_min") shared by every admin API key, as on a default install.
        self.admin = SlidingWindow(admin_per_minute, 60, clock)
        self.ip_10 = SlidingWindow(50, 10, clock)
        self.ip_60 = SlidingWindow(200, 60, clock)
        # Each User API key has its own minute and day budgets (max_user_api_reqs_per_minute / _per_day).
        self.user_api_min = SlidingWindow(20, 60, clock)
        self.user_api_day = SlidingWindow(2880, 86400, clock)

    def admin_hit(self) -> int | None:
        return self.admin.hit("admin_api_min")

    def user_api_hit(self, key_id: str) -> tuple[int, str] | None:
        for limiter, code in (
            (self.user_api_min, "user_api_key_limiter_60_secs"),
            (self.user_api_day, "user_api_key_limiter_1_day"),
        ):
            wait = limiter.hit(key_id)
            if wait is not None:
                return wait, code
        return None

    def ip_hit(self, address: str) -> tuple[int, str] | None:
        """Per-IP limits apply only to public addresses: loopback and private ones are exempt by default."""
        if not is_public(address):
            return None
        for limiter, code in ((self.ip_10, "ip_10_secs_limit"), (self.ip_60, "ip_60_secs_limit")):
            wait = limiter.hit(address)
            if wait is not None:
                return wait, code
        return None


@functools.lru_cache(maxsize=256)
def is_public(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return not (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_unspecified)

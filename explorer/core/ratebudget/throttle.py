"""What a 429 says: how long to wait (Retry-After, then `extras.wait_seconds`) and which limit was hit."""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.core.http.result import ExecutionResult

TOO_MANY_REQUESTS = 429
# A 429 body is a few hundred bytes; anything far larger is not a rate-limit answer worth parsing.
_BODY_READ_LIMIT = 64 * 1024
# A Retry-After beyond this is treated as a mistake rather than a week-long wait.
MAX_WAIT_S = 7 * 86400.0


@dataclass(frozen=True, slots=True)
class Throttle:
    """The server refused a request for its rate: `wait_s` seconds to wait (None when it did not say),
    `source` where that number came from, and `code` the limit it names (None when it names none)."""

    wait_s: float | None
    source: str
    code: str | None = None


def read_throttle(result: ExecutionResult, *, wall_clock: Callable[[], float] = time.time) -> Throttle | None:
    """The throttle in `result`, or None when it is not a 429.

    Retry-After comes first because every producer sends it, the plain-text middleware answer included;
    Discourse's JSON `extras.wait_seconds` is the fallback (older servers, proxies that drop headers).
    """
    if result.status != TOO_MANY_REQUESTS:
        return None
    code = (result.header("Discourse-Rate-Limit-Error-Code") or "").strip() or None
    retry_after = _retry_after(result.header("Retry-After"), wall_clock)
    if retry_after is not None:
        return Throttle(retry_after, "Retry-After", code)
    wait = _wait_seconds(result)
    if wait is not None:
        return Throttle(wait, "extras.wait_seconds", code)
    return Throttle(None, "", code)


def _retry_after(value: str | None, wall_clock: Callable[[], float]) -> float | None:
    """Seconds from a Retry-After value: a number of seconds, or an HTTP date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        from email.utils import parsedate_to_datetime  # rare; its import costs the window's start-up

        try:
            seconds = parsedate_to_datetime(text).timestamp() - wall_clock()
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    return _sane(seconds)


def _wait_seconds(result: ExecutionResult) -> float | None:
    if not result.is_json or result.size > _BODY_READ_LIMIT:
        return None
    try:
        document = json.loads(result.read_body())
    except (ValueError, OSError):
        return None
    extras = document.get("extras") if isinstance(document, dict) else None
    wait = extras.get("wait_seconds") if isinstance(extras, dict) else None
    if isinstance(wait, bool) or not isinstance(wait, int | float):
        return None
    return _sane(float(wait))


def _sane(seconds: float) -> float | None:
    if math.isnan(seconds) or seconds == math.inf:
        return None
    return min(max(seconds, 0.0), MAX_WAIT_S)

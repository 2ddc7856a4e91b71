"""The optional second try: a single request answered 429 is sent once more after the server's wait."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from explorer.core.lifecycle.send import Exchange

# A longer wait (a User API key's day budget spent) is shown as the 429 it is, not waited out unasked.
RETRY_MAX_WAIT_S = 120.0


class RetrySettings(Protocol):
    @property
    def rate_retry_once(self) -> bool: ...


class KnowsRetry(Protocol):
    def retry_after(self, exchange: Exchange) -> float | None: ...


def retry_wait(pacer: KnowsRetry, exchange: Exchange, settings: RetrySettings) -> float | None:
    """Seconds to wait before sending `exchange`'s request once more, or None: no retry (the setting is
    off, it was not a 429, or the server asked for longer than RETRY_MAX_WAIT_S).

    The caller re-sends through the same pacer, whose before_send does the waiting; only once, so a
    server that keeps refusing is shown refusing.
    """
    if not settings.rate_retry_once:
        return None
    wait = pacer.retry_after(exchange)
    if wait is None or wait > RETRY_MAX_WAIT_S:
        return None
    return wait

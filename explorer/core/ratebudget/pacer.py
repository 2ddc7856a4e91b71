"""The pacer: a send observer holding each request back until its budget allows it, learning from 429s."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from explorer.core.ratebudget.budget import RateBudget
from explorer.core.ratebudget.throttle import TOO_MANY_REQUESTS, read_throttle

if TYPE_CHECKING:
    from explorer.core.lifecycle.send import Exchange
    from explorer.core.prepared import PreparedRequest
    from explorer.core.ratebudget.book import BudgetBook

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[object]]
OnWait = Callable[[float], None]

# How many recent sends the pacer remembers, to match an answer to the moment its request went out.
_REMEMBERED = 64


class Pacer:
    """A SendObserver (explorer.core.lifecycle.send) pacing every request it sees against one budget.

    `before_send` waits, by awaiting `sleep` (asyncio.sleep unless given: an event loop, the window's
    included, keeps running),
    until the budget allows the request; `on_wait(seconds)` is called first so a caller can say "waiting
    12 s for the rate limit". `after_send` learns from a 429: the server's wait, and which limit it meant.
    After a 429, re-send the same request: `before_send` does the waiting. There is no fixed backoff.
    """

    def __init__(
        self,
        budget: RateBudget,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
        on_wait: OnWait | None = None,
    ) -> None:
        self.budget = budget
        self.clock = clock
        self.sleep = sleep or _asyncio_sleep
        self.on_wait = on_wait
        self._sent: deque[tuple[int, float]] = deque(maxlen=_REMEMBERED)  # (id of request, sent at)
        self._answered: deque[int] = deque(maxlen=_REMEMBERED)  # ids of exchanges already learned from

    async def before_send(self, request: PreparedRequest) -> None:
        await _wait_for(self.budget, self.clock, self.sleep, self.on_wait)
        now = self.clock()
        self.budget.record(now)
        self._sent.append((id(request), now))

    def after_send(self, exchange: Exchange) -> None:
        self._learn(exchange)

    def retry_after(self, exchange: Exchange) -> float | None:
        """Seconds to wait before re-sending a request answered 429 (None when it was not a 429)."""
        if exchange.result.status != TOO_MANY_REQUESTS:
            return None
        self._learn(exchange)
        return self.budget.delay(self.clock())

    def _learn(self, exchange: Exchange) -> None:
        if id(exchange) in self._answered:
            return  # told twice (after_send, then retry_after): learn once
        throttle = read_throttle(exchange.result)
        if throttle is None:
            return
        now = self.clock()
        sent_at = next((at for rid, at in reversed(self._sent) if rid == id(exchange.request)), now)
        self.budget.learn(throttle, sent_at, now)
        self._answered.append(id(exchange))


class RoutingPacer:
    """A SendObserver pacing each request against its own budget in `book` (found from the request's site
    and credentials): one observer for a window or a command that sends to many sites and profiles."""

    def __init__(
        self,
        book: BudgetBook,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep | None = None,
        on_wait: OnWait | None = None,
    ) -> None:
        self.book = book
        self.clock = clock
        self.sleep = sleep or _asyncio_sleep
        self.on_wait = on_wait
        self._pacers: dict[int, Pacer] = {}  # by id of budget: the book keeps each budget alive

    def pacer_for(self, budget: RateBudget) -> Pacer:
        pacer = self._pacers.get(id(budget))
        if pacer is None or pacer.budget is not budget:
            pacer = Pacer(budget, clock=self.clock, sleep=self.sleep, on_wait=self._on_wait)
            self._pacers[id(budget)] = pacer
        return pacer

    async def before_send(self, request: PreparedRequest) -> None:
        await self.pacer_for(self.book.for_request(request)).before_send(request)

    def after_send(self, exchange: Exchange) -> None:
        self.pacer_for(self.book.for_request(exchange.request)).after_send(exchange)

    def retry_after(self, exchange: Exchange) -> float | None:
        """Seconds to wait before re-sending a request answered 429 (None when it was not a 429)."""
        return self.pacer_for(self.book.for_request(exchange.request)).retry_after(exchange)

    def _on_wait(self, seconds: float) -> None:
        # Read at call time: the window may set on_wait after making the pacer.
        if self.on_wait is not None:
            self.on_wait(seconds)


async def _asyncio_sleep(seconds: float) -> None:
    """asyncio.sleep, imported when first needed: the window installs its pacer before its first paint."""
    import asyncio

    await asyncio.sleep(seconds)


async def _wait_for(budget: RateBudget, clock: Clock, sleep: Sleep, on_wait: OnWait | None) -> None:
    """Sleep until `budget` allows a request; checked again after each sleep, because another sender
    sharing the budget may have taken the slot, or a 429 may have asked for more quiet meanwhile."""
    waited = False
    try:
        while (wait := budget.delay(clock())) > 0:
            waited = True
            if on_wait is not None:
                on_wait(wait)
            budget.waiting(clock() + wait)
            await sleep(wait)
    finally:
        if waited:
            budget.waiting(None)

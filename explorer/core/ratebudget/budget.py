"""A rate budget: requests sent in sliding windows, the limits allowed, and what 429s taught about them."""

from __future__ import annotations

import bisect
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from explorer.core.ratebudget.limits import BudgetKey, Limit, per_window, window_of_code
from explorer.core.ratebudget.throttle import Throttle

log = logging.getLogger(__name__)

# What the tooltip remembers of what 429s taught.
_MAX_LESSONS = 5
_NO_WAIT_S = 1e-6
# How far a server's wait may be from the one counted here and still agree (it rounds up to whole seconds,
# and its answer takes a moment to arrive).
_AGREEMENT_S = 2.0


@dataclass(frozen=True, slots=True)
class LimitStatus:
    """One limit now: `used` of `allowed` in the last `window_s` seconds; `default` is the setting's number
    (`allowed` is lower when a 429 showed the server allows fewer)."""

    used: int
    allowed: int
    window_s: float
    default: int
    code: str | None

    @property
    def per(self) -> str:
        return per_window(self.window_s)


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    """A budget at one moment, for display: the limit nearest to running out comes first."""

    key: BudgetKey
    limits: tuple[LimitStatus, ...]
    waiting_s: float  # the pacer is holding a request back this much longer (0 when not)
    blocked_s: float  # the server asked for this much more quiet (0 when not)
    lessons: tuple[str, ...]

    @property
    def main(self) -> LimitStatus:
        return self.limits[0]


class _LimitState:
    def __init__(self, limit: Limit, learned: bool = False) -> None:
        self.default = limit
        # Lowered by a 429 that came sooner than the default allows; None while nothing was learned.
        self.learned: int | None = None
        # A limit only a 429 revealed (a code the defaults do not know): new settings keep it.
        self.discovered = learned

    @property
    def allowed(self) -> int:
        return self.default.allowed if self.learned is None else min(self.learned, self.default.allowed)


class RateBudget:
    """Requests sent against one key's limits, in sliding windows like the server's own limiter.

    Times are seconds on one monotonic clock, given by the caller (a Pacer), so tests drive it without
    waiting. Thread-safe: the window's loop and a worker may share a budget. Listeners are told after
    every change (a send counted, a 429 learned, a wait begun or ended), in the thread that changed it.
    """

    def __init__(self, key: BudgetKey, limits: Sequence[Limit]) -> None:
        if not limits:
            raise ValueError("a budget needs at least one limit")
        self.key = key
        self._limits = [_LimitState(limit) for limit in limits]
        self._sends: list[float] = []  # ascending send times within the longest window
        self._blocked_until = 0.0
        self._waiting_until = 0.0
        self._lessons: list[str] = []
        self._lock = threading.RLock()
        self._listeners: list[Callable[[RateBudget], None]] = []

    # -- reading ------------------------------------------------------------------------------------------

    def used(self, now: float, window_s: float | None = None) -> int:
        """Requests sent in the last `window_s` seconds (the first limit's window by default)."""
        with self._lock:
            window = self._limits[0].default.window_s if window_s is None else window_s
            return len(self._sends) - bisect.bisect_right(self._sends, now - window)

    def delay(self, now: float) -> float:
        """Seconds until the next request may go without exceeding any limit (0 when it may go now).

        Past half a window's allowance the requests are spread out at the sustainable pace (window /
        allowed apart) rather than sent in a burst that runs the budget dry and then stalls.
        """
        with self._lock:
            wait = self._blocked_until - now
            for state in self._limits:
                allowed, window = state.allowed, state.default.window_s
                start = bisect.bisect_right(self._sends, now - window)
                in_window = len(self._sends) - start
                if in_window >= allowed:
                    # The request that must leave the window first: the allowed-th most recent one.
                    wait = max(wait, self._sends[len(self._sends) - allowed] + window - now)
                elif allowed > 1 and in_window * 2 >= allowed:
                    wait = max(wait, self._sends[-1] + window / allowed - now)
            # Float sums of send times and windows can leave a hair of a second: that is no wait.
            return wait if wait > _NO_WAIT_S else 0.0

    def status(self, now: float) -> BudgetStatus:
        with self._lock:
            limits = [
                LimitStatus(
                    self.used(now, s.default.window_s),
                    s.allowed,
                    s.default.window_s,
                    s.default.allowed,
                    s.default.code,
                )
                for s in self._limits
            ]
            # The limit nearest to running out is the one the meter shows; ties keep the defaults' order.
            limits.sort(key=lambda item: -item.used / max(item.allowed, 1))
            return BudgetStatus(
                self.key,
                tuple(limits),
                max(self._waiting_until - now, 0.0),
                max(self._blocked_until - now, 0.0),
                tuple(self._lessons),
            )

    # -- changing -----------------------------------------------------------------------------------------

    def record(self, now: float) -> None:
        """A request went out at `now`."""
        with self._lock:
            bisect.insort(self._sends, now)
            longest = max(s.default.window_s for s in self._limits)
            drop = bisect.bisect_right(self._sends, now - longest)
            if drop:
                del self._sends[:drop]
        self._changed()

    def waiting(self, until: float | None) -> None:
        """A pacer holds a request back until `until` (None: it no longer does)."""
        with self._lock:
            self._waiting_until = until or 0.0
        self._changed()

    def learn(self, throttle: Throttle, sent_at: float, now: float) -> float:
        """The request sent at `sent_at` was answered 429 at `now`: correct the model; the seconds to wait.

        A limiter does not count a request it refuses, so neither does the budget. When the server refused
        sooner than the limit it names allows, and its wait agrees with the requests counted here, that limit
        is lowered to what was let through (a server configured lower than the setting). A shorter wait means
        the server also counted requests from elsewhere (other keys or programs sharing the budget): the
        limit stays and only the wait applies. The wait is the server's; when it gave none, the time until
        the oldest request in that window leaves it.
        """
        with self._lock:
            self._forget(sent_at)
            state = self._limit_for(throttle.code, sent_at)
            name = f" ({throttle.code})" if throttle.code else ""
            lesson = f"429{name}"
            if state is not None:
                window = state.default.window_s
                start = bisect.bisect_right(self._sends, sent_at - window)
                let_through = bisect.bisect_right(self._sends, sent_at) - start
                if let_through > 0 and (let_through < state.allowed or state.discovered):
                    clears = self._sends[start] + window - now
                    if throttle.wait_s is None or throttle.wait_s >= clears - _AGREEMENT_S:
                        state.learned = let_through
                        lesson += f": the server allows about {let_through} {per_window(window)}"
                    else:
                        lesson += ": other keys or programs are using this budget too"
            wait = throttle.wait_s
            if wait is None:
                window = state.default.window_s if state is not None else self._limits[0].default.window_s
                start = bisect.bisect_right(self._sends, now - window)
                wait = self._sends[start] + window - now if start < len(self._sends) else window
                lesson += f"; no wait given, waiting {wait:.0f} s for the window to clear"
            else:
                lesson += f"; {throttle.source} {wait:g} s"
            self._blocked_until = max(self._blocked_until, now + wait)
            self._lessons = [*self._lessons, lesson][-_MAX_LESSONS:]
        log.info("rate budget %s: %s", self.key.label, lesson)
        self._changed()
        return wait

    def set_defaults(self, limits: Sequence[Limit]) -> None:
        """New settings: the defaults change; what a 429 taught (a lower limit, a discovered one) stays."""
        with self._lock:
            by_window = {s.default.window_s: s for s in self._limits}
            states = []
            for limit in limits:
                state = by_window.pop(limit.window_s, None) or _LimitState(limit)
                state.default = limit
                states.append(state)
            states += [s for s in by_window.values() if s.discovered]
            self._limits = states
        self._changed()

    def subscribe(self, listener: Callable[[RateBudget], None]) -> Callable[[], None]:
        """Call `listener(budget)` after each change; returns a function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    # -- inside -------------------------------------------------------------------------------------------

    def _forget(self, sent_at: float) -> None:
        index = bisect.bisect_left(self._sends, sent_at)
        if index < len(self._sends) and self._sends[index] == sent_at:
            del self._sends[index]

    def _limit_for(self, code: str | None, sent_at: float) -> _LimitState | None:
        """The limit a 429's error code names: by code, else by the window in its name (a new limit when
        none has that window, starting at what was let through)."""
        if not code:
            return None
        for state in self._limits:
            if state.default.code == code:
                return state
        window = window_of_code(code)
        if window is None:
            return None
        for state in self._limits:
            if state.default.window_s == window:
                return state
        state = _LimitState(Limit(max(self.used(sent_at, window), 1), window, code), learned=True)
        self._limits.append(state)
        return state

    def _changed(self) -> None:
        for listener in list(self._listeners):
            try:
                listener(self)
            except Exception:  # a display that breaks must not stop a send
                log.exception("a rate budget listener failed")

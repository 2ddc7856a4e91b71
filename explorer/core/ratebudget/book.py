"""Budgets by key: one shared RateBudget per site and kind of key, with the settings' current defaults."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from explorer.core.ratebudget.budget import RateBudget
from explorer.core.ratebudget.limits import (
    BudgetKey,
    BudgetSettings,
    default_limits,
    key_for_profile,
    key_for_request,
)

if TYPE_CHECKING:
    from explorer.core.prepared import PreparedRequest
    from explorer.core.profiles import Profile


def budget_for(profile: Profile, settings: BudgetSettings) -> RateBudget:
    """A new budget for `profile` with the defaults from `settings` (a BudgetBook shares them instead)."""
    key = key_for_profile(profile)
    return RateBudget(key, default_limits(key, settings))


class BudgetBook:
    """Every budget a window or a command uses, made on first use and then shared.

    Two profiles with admin keys for the same site get the same budget, as the server counts them in one
    bucket. `settings` is called at each look-up, so a changed setting applies from the next request on
    while what 429s taught is kept. Listeners hear about changes to any budget of the book.
    """

    def __init__(self, settings: Callable[[], BudgetSettings]) -> None:
        self._settings = settings
        self._budgets: dict[BudgetKey, RateBudget] = {}
        self._defaults: dict[BudgetKey, object] = {}
        self._lock = threading.Lock()
        self._listeners: list[Callable[[RateBudget], None]] = []

    def for_key(self, key: BudgetKey) -> RateBudget:
        limits = default_limits(key, self._settings())
        with self._lock:
            budget = self._budgets.get(key)
            if budget is None:
                budget = self._budgets[key] = RateBudget(key, limits)
                budget.subscribe(self._tell)
                self._defaults[key] = limits
                return budget
            changed = self._defaults.get(key) != limits
            self._defaults[key] = limits
        if changed:
            budget.set_defaults(limits)
        return budget

    def for_profile(self, profile: Profile) -> RateBudget:
        return self.for_key(key_for_profile(profile))

    def for_request(self, request: PreparedRequest) -> RateBudget:
        return self.for_key(key_for_request(request))

    def budgets(self) -> list[RateBudget]:
        with self._lock:
            return list(self._budgets.values())

    def subscribe(self, listener: Callable[[RateBudget], None]) -> Callable[[], None]:
        """Call `listener(budget)` after any budget of the book changes; returns a function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _tell(self, budget: RateBudget) -> None:
        for listener in list(self._listeners):
            listener(budget)  # the budget guards its listeners: an exception is logged there

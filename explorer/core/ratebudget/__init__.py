"""Rate budgets: how many requests a site allows, how many were sent, and a pacer that stays inside them."""

from __future__ import annotations

from explorer.core.ratebudget.book import BudgetBook, budget_for
from explorer.core.ratebudget.budget import BudgetStatus, LimitStatus, RateBudget
from explorer.core.ratebudget.limits import BudgetKey, Limit, default_limits, key_for_profile, key_for_request
from explorer.core.ratebudget.pacer import Pacer, RoutingPacer
from explorer.core.ratebudget.retry import RETRY_MAX_WAIT_S, retry_wait
from explorer.core.ratebudget.throttle import Throttle, read_throttle
from explorer.core.ratebudget.wording import duration, meter_text, tooltip_text, waiting_text

__all__ = [
    "RETRY_MAX_WAIT_S",
    "BudgetBook",
    "BudgetKey",
    "BudgetStatus",
    "Limit",
    "LimitStatus",
    "Pacer",
    "RateBudget",
    "RoutingPacer",
    "Throttle",
    "budget_for",
    "default_limits",
    "duration",
    "key_for_profile",
    "key_for_request",
    "meter_text",
    "read_throttle",
    "retry_wait",
    "tooltip_text",
    "waiting_text",
]

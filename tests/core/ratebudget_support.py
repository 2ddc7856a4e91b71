"""Helpers for the rate budget tests: a fake clock whose sleep advances it, requests and 429 answers."""

from __future__ import annotations

import json

from explorer.core.http.result import ExecutionResult
from explorer.core.lifecycle.send import Exchange, exchange_for
from explorer.core.prepared import PreparedRequest
from explorer.core.ratebudget import BudgetKey, Limit, RateBudget

SITE = "https://forum.example.com"
ADMIN_KEY = BudgetKey("discourse", SITE, "api_key")


def admin_budget(allowed: int = 60) -> RateBudget:
    return RateBudget(ADMIN_KEY, [Limit(allowed, 60.0, "admin_api_key_rate_limit")])


class FakeClock:
    """Monotonic seconds that only move when a pacer sleeps (or a test says so); every sleep is recorded."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def advance(self, seconds: float) -> None:
        self.now += seconds


def admin_request(site: str = SITE, path: str = "/latest.json") -> PreparedRequest:
    return PreparedRequest(
        "GET",
        f"{site}{path}",
        headers=(("Api-Key", "a" * 64), ("Api-Username", "system")),
        api="discourse",
        method_id="listLatestTopics",
    )


def user_api_request(client: str = "bot-1", site: str = SITE) -> PreparedRequest:
    return PreparedRequest(
        "GET",
        f"{site}/latest.json",
        headers=(("User-Api-Key", "b" * 32), ("User-Api-Client-Id", client)),
        api="discourse",
    )


def answer(
    request: PreparedRequest,
    status: int = 200,
    headers: dict[str, str] | None = None,
    body: object = None,
    *,
    text: str | None = None,
) -> Exchange:
    """An exchange as send_prepared makes it, without a network."""
    pairs = tuple((headers or {}).items())
    if text is not None:
        raw = text.encode()
        pairs += (("Content-Type", "text/plain"),)
    else:
        raw = json.dumps(body if body is not None else {}).encode()
        pairs += (("Content-Type", "application/json; charset=utf-8"),)
    result = ExecutionResult(request, status=status, headers=pairs, body=raw, size=len(raw))
    return exchange_for(request, result, None, 0.0)


def discourse_429(
    request: PreparedRequest,
    wait: int | None = 10,
    code: str | None = "admin_api_key_rate_limit",
    *,
    retry_after: bool = True,
) -> Exchange:
    headers: dict[str, str] = {}
    if retry_after and wait is not None:
        headers["Retry-After"] = str(wait)
    if code is not None:
        headers["Discourse-Rate-Limit-Error-Code"] = code
    extras = {"wait_seconds": wait, "time_left": f"{wait} seconds"} if wait is not None else {}
    body = {"errors": ["too many"], "error_type": "rate_limit", "extras": extras}
    return answer(request, 429, headers, body)

"""Fetch-all against a sandbox with a low rate limit: paced by the rate budget, it ends with every page.

The sandbox's limiters and the pacer share one fake clock; the pacer's sleep moves it forward, so a walk
that would wait minutes runs at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace

import pytest

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.lifecycle import Exchange, RequestSpec, Target, new_executor
from explorer.core.paging import FetchResult, fetch_all
from explorer.core.prepared import PreparedRequest
from explorer.core.ratebudget import BudgetBook, RoutingPacer
from explorer.core.settings import Settings
from explorer.sandbox import demo
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.discourse import create_app as create_discourse_app
from explorer.sandbox.server import SandboxServer

CATALOGS = load_bundled_catalogs()
SERVER_BUDGET = 3  # admin-key requests a minute the server allows
ADMIN = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.ADMIN_USERNAME}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class Statuses:
    """Every status the walk saw (pages sent again after a 429 included)."""

    def __init__(self) -> None:
        self.seen: list[int | None] = []

    async def before_send(self, request: PreparedRequest) -> None:
        return None

    def after_send(self, exchange: Exchange) -> None:
        self.seen.append(exchange.result.status)


@pytest.fixture
def slow_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, FakeClock]]:
    clock = FakeClock()
    app = create_discourse_app(SandboxConfig(admin_rate_limit_per_minute=SERVER_BUDGET), clock=clock)
    monkeypatch.setattr("explorer.sandbox.server.create_app", lambda config: app)
    with SandboxServer() as server:
        yield server.url, clock


def walk(url: str, clock: FakeClock, settings: Settings, statuses: Statuses) -> FetchResult:
    pacer = RoutingPacer(BudgetBook(lambda: settings), clock=clock, sleep=clock.sleep)
    target = Target(api=Api.DISCOURSE, base_url=url, credentials=ADMIN)
    spec = RequestSpec(api="discourse", method_id="listLatestTopics", arguments={"per_page": 5})

    async def run() -> FetchResult:
        executor = new_executor()
        try:
            return await fetch_all(
                spec, catalogs=CATALOGS, target=target, executor=executor, observers=[pacer, statuses]
            )
        finally:
            await executor.aclose()

    return asyncio.run(run())


def test_a_budget_set_to_the_servers_limit_spreads_the_pages_and_meets_no_429(
    slow_server: tuple[str, FakeClock],
) -> None:
    url, clock = slow_server
    statuses = Statuses()
    result = walk(url, clock, replace(Settings(), rate_admin_per_minute=SERVER_BUDGET), statuses)
    assert result.complete and len(result.pages) > SERVER_BUDGET
    assert 429 not in statuses.seen
    assert clock.slept and clock.now - 1_800_000_000.0 >= 60  # the later pages waited for the window


def test_a_server_stricter_than_the_budget_is_learned_from_its_429_and_the_walk_still_finishes(
    slow_server: tuple[str, FakeClock],
) -> None:
    url, clock = slow_server
    statuses = Statuses()
    result = walk(url, clock, Settings(), statuses)  # the default budget believes 60 a minute
    assert result.complete, result.summary()
    assert 429 in statuses.seen  # the server said no once ...
    assert result.failure is None and all(p.status == 200 for p in result.pages)  # ... and no page failed
    assert result.rate_waits >= 1
    assert len({t["id"] for t in result.items}) == len(result.items) > 5  # type: ignore[index]

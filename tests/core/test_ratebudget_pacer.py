"""The pacer as a send observer: spreading requests inside the budget, waiting what a 429 said and then
resuming, shared budgets, cancels; all on a fake clock (no real waiting)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from explorer.core.http.result import ExecutionResult
from explorer.core.lifecycle import send_prepared
from explorer.core.prepared import PreparedRequest
from explorer.core.ratebudget import BudgetBook, Pacer, RoutingPacer
from explorer.core.settings import Settings
from explorer.sandbox.discourse.ratelimit import SlidingWindow
from tests.core.ratebudget_support import FakeClock, admin_budget, admin_request, answer, discourse_429


class LimitedServer:
    """An executor standing in for a Discourse server: `allowed` admin-key requests a minute, counted in
    one bucket, on the test's clock; over it, the controller's 429 with Retry-After."""

    def __init__(self, clock: FakeClock, allowed: int) -> None:
        self.window = SlidingWindow(allowed, 60, clock)
        self.clock = clock
        self.accepted: list[float] = []
        self.refused = 0

    async def execute(self, request: PreparedRequest, **_: Any) -> ExecutionResult:
        wait = self.window.hit("admin_api_min")
        if wait is not None:
            self.refused += 1
            return discourse_429(request, wait).result
        self.accepted.append(self.clock())
        return answer(request).result

    async def aclose(self) -> None:
        return None


def _most_in_any_window(times: list[float], window: float) -> int:
    return max((sum(1 for t in times if start <= t < start + window) for start in times), default=0)


def _run(coroutine: Any) -> Any:
    return asyncio.run(coroutine)


def test_a_long_run_stays_inside_the_budget_without_a_single_429() -> None:
    clock = FakeClock()
    server = LimitedServer(clock, allowed=60)
    pacer = Pacer(admin_budget(), clock=clock, sleep=clock.sleep)

    async def run() -> None:
        for _ in range(200):
            exchange = await send_prepared(admin_request(), server, observers=[pacer])  # type: ignore[arg-type]
            assert exchange.result.status == 200

    _run(run())
    assert server.refused == 0 and len(server.accepted) == 200
    assert _most_in_any_window(server.accepted, 60.0) <= 60
    # Spread, not bursts: past the first half-minute's burst the requests go one a second.
    gaps = [b - a for a, b in zip(server.accepted[30:], server.accepted[31:], strict=False)]
    assert max(gaps) <= 30.0 and sorted(gaps)[len(gaps) // 2] == pytest.approx(1.0)


def test_on_a_429_it_waits_what_the_server_said_and_then_resumes() -> None:
    clock = FakeClock()
    server = LimitedServer(clock, allowed=5)  # the server allows far fewer than the setting's 60
    waits: list[float] = []
    book = BudgetBook(Settings)
    pacer = RoutingPacer(book, clock=clock, sleep=clock.sleep, on_wait=waits.append)
    statuses: list[int | None] = []

    async def run() -> None:
        done = 0
        while done < 12:
            exchange = await send_prepared(admin_request(), server, observers=[pacer])  # type: ignore[arg-type]
            statuses.append(exchange.result.status)
            if exchange.result.status == 429:
                assert pacer.retry_after(exchange) == pytest.approx(60.0)
                continue  # re-send the same request: before_send does the waiting
            done += 1

    _run(run())
    assert statuses.count(429) == 1  # learned once, then paced inside the server's real limit
    assert len(server.accepted) == 12
    assert _most_in_any_window(server.accepted, 60.0) <= 5
    assert waits[0] == pytest.approx(60.0)  # the server's Retry-After, not a fixed backoff
    budget = book.for_request(admin_request())
    assert budget.status(clock()).main.allowed == 5


def test_retry_after_is_none_for_anything_but_a_429_and_learns_once() -> None:
    clock = FakeClock()
    budget = admin_budget()
    pacer = Pacer(budget, clock=clock, sleep=clock.sleep)
    assert pacer.retry_after(answer(admin_request())) is None
    request = admin_request()
    _run(pacer.before_send(request))
    refused = discourse_429(request, 7)
    pacer.after_send(refused)
    assert pacer.retry_after(refused) == pytest.approx(7.0)
    assert len(budget.status(clock()).lessons) == 1
    clock.advance(3)
    assert pacer.retry_after(refused) == pytest.approx(4.0)


def test_a_wait_is_an_awaited_sleep_that_a_cancel_stops_and_nothing_is_counted() -> None:
    budget = admin_budget(1)
    clock = FakeClock()
    budget.record(clock())
    started = asyncio.Event()

    async def never(seconds: float) -> None:
        started.set()
        await asyncio.Event().wait()

    pacer = Pacer(budget, clock=clock, sleep=never)

    async def run() -> None:
        task = asyncio.ensure_future(pacer.before_send(admin_request()))
        await started.wait()
        assert budget.status(clock()).waiting_s == pytest.approx(60.0)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    _run(run())
    status = budget.status(clock())
    assert status.main.used == 1 and status.waiting_s == 0.0


def test_senders_sharing_a_budget_take_turns() -> None:
    clock = FakeClock()
    book = BudgetBook(lambda: Settings(rate_admin_per_minute=4))
    sent: list[float] = []

    async def sender(profile_key: str) -> None:
        pacer = RoutingPacer(book, clock=clock, sleep=clock.sleep)
        request = PreparedRequest(
            "GET",
            "https://forum.example.com/latest.json",
            headers=(("Api-Key", profile_key),),
            api="discourse",
        )
        for _ in range(6):
            await pacer.before_send(request)
            sent.append(clock())
            await asyncio.sleep(0)  # let the other sender run

    async def run() -> None:
        await asyncio.gather(sender("a" * 64), sender("b" * 64))

    _run(run())
    assert len(sent) == 12 and _most_in_any_window(sent, 60.0) <= 4
    assert book.for_request(admin_request()).status(clock()).main.used == 4


def test_each_site_has_its_own_budget() -> None:
    clock = FakeClock()
    book = BudgetBook(lambda: Settings(rate_admin_per_minute=2))
    pacer = RoutingPacer(book, clock=clock, sleep=clock.sleep)

    async def run() -> None:
        for site in ("https://a.example.com", "https://b.example.com", "https://c.example.com"):
            await pacer.before_send(admin_request(site=site))

    _run(run())
    assert clock.sleeps == []
    assert sorted(b.status(clock()).main.used for b in book.budgets()) == [1, 1, 1]


def test_by_default_a_wait_is_asyncio_sleep_on_the_running_loop() -> None:
    pacer = Pacer(admin_budget())
    routing = RoutingPacer(BudgetBook(Settings))

    async def run() -> None:
        loop = asyncio.get_running_loop()
        ran: list[bool] = []
        loop.call_soon(ran.append, True)
        await pacer.sleep(0)  # yields to the loop, as a real wait does
        await routing.sleep(0)
        assert ran == [True]

    _run(run())

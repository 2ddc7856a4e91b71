"""Pacing against the sandbox over 127.0.0.1: a run of more requests than a low `--rate-limit` allows
finishes with every answer a success, the server's 429 (if any) absorbed by waiting what it said.

The sandbox's limiters and the pacer share one fake clock, which only the pacer's sleeps move: nothing
waits for real, and the server still counts requests exactly as it would over those minutes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Mapping
from functools import partial
from pathlib import Path

import pytest

from explorer.cli.sandbox import build_parser, config_from_args
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.http import Executor
from explorer.core.lifecycle import Exchange, RequestSpec, Target, prepare, send_prepared
from explorer.core.paths import AppPaths
from explorer.core.ratebudget import BudgetBook, RoutingPacer
from explorer.core.settings import Settings, save_settings
from explorer.sandbox import demo
from explorer.sandbox.discourse import create_app as create_discourse_app
from explorer.sandbox.server import SandboxServer
from tests.core.ratebudget_support import FakeClock

CATALOGS = load_bundled_catalogs()
LOW_LIMIT = 5  # admin-key requests a minute, as `explorer sandbox --rate-limit 5` serves
RUN = 14  # requests in the run: nearly three times the limit
ADMIN = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.ADMIN_USERNAME}
USER_KEY = {
    "user_api_key": demo.DISCOURSE_USER_API_KEY,
    "user_api_client_id": demo.DISCOURSE_USER_API_CLIENT_ID,
}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(now=1_800_000_000.0)


@pytest.fixture
def low_limit_sandbox(clock: FakeClock) -> Iterator[str]:
    """A sandbox of its own, configured as `explorer sandbox --rate-limit 5` is, on the test's clock."""
    config = config_from_args(build_parser().parse_args(["--rate-limit", str(LOW_LIMIT)]))
    assert config.admin_rate_limit_per_minute == LOW_LIMIT
    with SandboxServer(config, app=create_discourse_app(config, clock=clock)) as server:
        yield server.url


def _run(url: str, credentials: Mapping[str, str], pacer: RoutingPacer, count: int) -> list[list[Exchange]]:
    """Send `count` requests in order; each one re-sent after a 429 (the pacer waits). For each request,
    every exchange it took, the last being the one a user sees."""
    target = Target(Api.DISCOURSE, url, dict(credentials))
    prepared = prepare(RequestSpec(api="discourse", method_id="listLatestTopics"), CATALOGS, target)
    assert prepared.request is not None, prepared.errors
    request = prepared.request

    async def run() -> list[list[Exchange]]:
        executor = Executor(timeout_s=20)
        tries: list[list[Exchange]] = []
        try:
            for _ in range(count):
                attempts = [await send_prepared(request, executor, observers=[pacer])]
                while pacer.retry_after(attempts[-1]) is not None and len(attempts) < 5:
                    attempts.append(await send_prepared(request, executor, observers=[pacer]))
                tries.append(attempts)
        finally:
            await executor.aclose()
        return tries

    return asyncio.run(run())


def test_a_run_past_the_limit_learns_it_from_one_429_and_shows_no_error(
    low_limit_sandbox: str, clock: FakeClock
) -> None:
    waits: list[float] = []
    book = BudgetBook(Settings)  # the setting says 60 a minute; this server allows 5
    pacer = RoutingPacer(book, clock=clock, sleep=clock.sleep, on_wait=waits.append)
    began = clock()

    tries = _run(low_limit_sandbox, ADMIN, pacer, RUN)

    shown = [attempts[-1] for attempts in tries]
    assert [e.result.status for e in shown] == [200] * RUN
    assert not any(e.failed for e in shown)
    refused = [e for attempts in tries for e in attempts if e.result.status == 429]
    assert len(refused) == 1  # absorbed: waited the server's Retry-After, then paced inside its limit
    assert waits[0] == pytest.approx(float(refused[0].result.header("Retry-After") or 0))
    (budget,) = book.budgets()
    status = budget.status(clock())
    assert status.main.allowed == LOW_LIMIT
    assert any("allows about 5 a minute" in lesson for lesson in status.lessons)
    # Fourteen requests at five a minute take at least two minutes of the server's time.
    assert clock() - began >= 120.0


def test_with_the_setting_matching_the_server_not_one_429_is_sent(
    low_limit_sandbox: str, clock: FakeClock
) -> None:
    book = BudgetBook(lambda: Settings(rate_admin_per_minute=LOW_LIMIT))
    pacer = RoutingPacer(book, clock=clock, sleep=clock.sleep)

    tries = _run(low_limit_sandbox, ADMIN, pacer, RUN)

    assert all(len(attempts) == 1 for attempts in tries)
    assert [attempts[0].result.status for attempts in tries] == [200] * RUN
    assert clock.sleeps and max(clock.sleeps) <= 60.0


def test_a_user_api_key_is_paced_inside_its_own_twenty_a_minute(
    low_limit_sandbox: str, clock: FakeClock
) -> None:
    book = BudgetBook(Settings)
    pacer = RoutingPacer(book, clock=clock, sleep=clock.sleep)

    tries = _run(low_limit_sandbox, USER_KEY, pacer, 30)

    assert [attempts[0].result.status for attempts in tries] == [200] * 30
    (budget,) = book.budgets()
    assert budget.key.kind == "user_api_key" and budget.key.client == demo.DISCOURSE_USER_API_CLIENT_ID
    assert budget.status(clock()).main.allowed in (20, 2880)


@pytest.mark.parametrize("retry_once", [True, False])
def test_the_command_line_sends_a_429_once_more_after_the_wait_only_when_asked(
    retry_once: bool,
    clock: FakeClock,
    app_home: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from explorer.cli import request as request_cli
    from explorer.core import ratebudget

    save_settings(AppPaths.under(app_home), Settings(rate_retry_once=retry_once))
    # The command's pacer on the test's clock, so the server's minute passes without waiting.
    monkeypatch.setattr(ratebudget, "RoutingPacer", partial(RoutingPacer, clock=clock, sleep=clock.sleep))
    config = config_from_args(build_parser().parse_args(["--rate-limit", "1"]))
    with SandboxServer(config, app=create_discourse_app(config, clock=clock)) as server:
        argv = ["discourse", "listLatestTopics", "--base-url", server.url, "--no-history", "--auth"]
        argv += [f"api_key={demo.DISCOURSE_ADMIN_KEY}", f"api_username={demo.ADMIN_USERNAME}"]
        assert request_cli.main(argv) == 0
        capsys.readouterr()
        code = request_cli.main(argv)
    err = capsys.readouterr().err
    if retry_once:
        assert code == 0, err
        assert "HTTP 429: sending once more after the server's wait" in err
        assert "waiting 1 min for the rate limit" in err and "HTTP 200" in err
        assert clock.sleeps == [pytest.approx(60.0)]
    else:
        assert code == 1 and "HTTP 429" in err and "once more" not in err
        assert clock.sleeps == []

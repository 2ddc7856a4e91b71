"""Journey: a bot gets 429s ("403 Error during multiple API calls"): the wait, the budget, retrying."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from journeys_kit import ADMIN, REGULAR_USER_API_KEY, body_json, build, send

from explorer.cli import request as request_cli
from explorer.core.explain import explain_result
from explorer.core.http import ExecutionResult, Executor
from explorer.core.prepared import PreparedRequest
from explorer.sandbox import demo
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.demo import DemoCredentials
from explorer.sandbox.discourse import create_app as create_discourse_app
from explorer.sandbox.server import SandboxServer

BUDGET = 3  # admin-key requests a minute on the teaching server (60 on a default install)


@pytest.fixture
def small_budget() -> Iterator[DemoCredentials]:
    """A server of its own: the shared admin budget is state that other tests must not spend."""
    with SandboxServer(SandboxConfig(admin_rate_limit_per_minute=BUDGET)) as server:
        yield server.credentials


class FakeClock:
    """Time for the sandbox's limiters, moved forward by the test instead of waiting."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def _burst(requests: list[PreparedRequest]) -> list[ExecutionResult]:
    """Send in order over one keep-alive connection, as a looping bot does."""

    async def run() -> list[ExecutionResult]:
        executor = Executor(timeout_s=20)
        try:
            return [await executor.execute(r) for r in requests]
        finally:
            await executor.aclose()

    return asyncio.run(run())


def _session(base: str, credentials: dict[str, str]) -> PreparedRequest:
    return build("discourse", "getCurrentSession", base_url=base, credentials=credentials)


def test_over_the_admin_budget_the_429_says_how_long_to_wait(small_budget: DemoCredentials) -> None:
    results = _burst([_session(small_budget.url, ADMIN)] * (BUDGET + 1))
    assert [r.status for r in results] == [200] * BUDGET + [429]
    limited = results[-1]
    retry_after = int(limited.header("Retry-After") or "0")
    assert 0 < retry_after <= 60
    assert limited.header("Discourse-Rate-Limit-Error-Code") == "admin_api_key_rate_limit"
    data = body_json(limited)
    assert data["error_type"] == "rate_limit"
    assert data["extras"]["wait_seconds"] == retry_after
    assert data["extras"]["time_left"]

    diagnosis = explain_result(limited)
    assert diagnosis.code == "discourse-rate-limit"
    assert diagnosis.wait_seconds == retry_after  # what the countdown starts from
    assert f"{retry_after} seconds" in diagnosis.summary
    assert any("60 requests a minute" in c and "share" in c for c in diagnosis.causes)


def test_every_admin_key_draws_on_the_same_budget_but_user_api_keys_do_not(
    small_budget: DemoCredentials,
) -> None:
    base = small_budget.url
    spent = _burst([_session(base, ADMIN)] * BUDGET)
    assert [r.status for r in spent] == [200] * BUDGET

    read_only = {"api_key": demo.DISCOURSE_READ_ONLY_KEY, "api_username": "system"}
    single_user = {"api_key": demo.DISCOURSE_SINGLE_USER_KEY, "api_username": demo.MODERATOR_USERNAME}
    others = _burst([_session(base, read_only), _session(base, single_user)])
    assert [r.status for r in others] == [429, 429]

    # A User API key has budgets of its own (20 a minute, 2,880 a day), so it still gets through.
    user_key = send(_session(base, REGULAR_USER_API_KEY))
    assert user_key.status == 200
    assert body_json(user_key)["current_user"]["username"] == demo.REGULAR_USERNAME


def test_retrying_after_the_countdown_succeeds(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = FakeClock()
    app = create_discourse_app(SandboxConfig(admin_rate_limit_per_minute=BUDGET), clock=clock)
    # Serve the Discourse app with our clock the way the sandbox serves its own.
    monkeypatch.setattr("explorer.sandbox.server.create_app", lambda config: app)
    with SandboxServer() as server:
        results = _burst([_session(server.url, ADMIN)] * (BUDGET + 1))
        assert results[-1].status == 429
        wait = explain_result(results[-1]).wait_seconds
        assert wait is not None

        clock.now += wait - 1  # not yet
        assert send(_session(server.url, ADMIN)).status == 429
        clock.now += 1  # the countdown has run out
        again = send(_session(server.url, ADMIN))
        assert again.status == 200
        assert body_json(again)["current_user"]["username"] == "system"


def test_request_cli_reports_the_wait(
    small_budget: DemoCredentials, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _burst([_session(small_budget.url, ADMIN)] * BUDGET)
    argv = [
        "discourse",
        "getCurrentSession",
        "--base-url",
        small_budget.url,
        "--auth",
        f"api_key={ADMIN['api_key']}",
        "api_username=system",
    ]
    assert request_cli.main(argv) == 1
    err = capsys.readouterr().err
    assert "HTTP 429" in err
    assert "Rate limited" in err and "seconds" in err


def test_per_ip_limiter_answers_plain_text_and_is_explained(small_budget: DemoCredentials) -> None:
    # Anonymous reads from one public address: 50 in 10 seconds pass, the next is stopped before any
    # controller runs. X-Forwarded-For makes loopback look like a public address (documentation ranges
    # such as 203.0.113.0/24 count as private, so real public addresses stand in; nothing contacts them).
    request = build(
        "discourse",
        "getSiteBasicInfo",
        base_url=small_budget.url,
        extra_headers=[("X-Forwarded-For", "8.8.4.4")],
    )
    results = _burst([request] * 51)
    assert [r.status for r in results[:50]] == [200] * 50
    limited = results[50]
    assert limited.status == 429
    assert limited.content_type == "text/plain"
    assert "Slow down, too many requests from this IP address" in limited.text()
    assert limited.header("Discourse-Rate-Limit-Error-Code") == "ip_10_secs_limit"

    diagnosis = explain_result(limited)
    assert diagnosis.code == "discourse-rate-limit"
    assert diagnosis.wait_seconds == float(limited.header("Retry-After") or "nan")
    assert any("per-IP" in c for c in diagnosis.causes)
    # Another address is not affected.
    other = build(
        "discourse",
        "getSiteBasicInfo",
        base_url=small_budget.url,
        extra_headers=[("X-Forwarded-For", "1.1.1.1")],
    )
    assert send(other).status == 200


def test_user_api_key_minute_budget_is_twenty(small_budget: DemoCredentials) -> None:
    results = _burst([_session(small_budget.url, REGULAR_USER_API_KEY)] * 21)
    assert [r.status for r in results[:20]] == [200] * 20
    assert results[20].status == 429
    assert results[20].header("Discourse-Rate-Limit-Error-Code") == "user_api_key_limiter_60_secs"
    assert any("20 requests a minute" in c for c in explain_result(results[20]).causes)
    assert json.loads(results[20].body)["extras"]["wait_seconds"] > 0

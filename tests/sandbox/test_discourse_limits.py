"""Rate limits of the Discourse sandbox, driven by an injected clock (no sleeping)."""

from __future__ import annotations

import httpx
import pytest

from explorer.sandbox import demo
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.discourse import create_app
from explorer.sandbox.discourse.errors import time_left

pytestmark = pytest.mark.anyio

ADMIN = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": "system"}
SINGLE = {"Api-Key": demo.DISCOURSE_SINGLE_USER_KEY}
READ_ONLY = {"Api-Key": demo.DISCOURSE_READ_ONLY_KEY, "Api-Username": "alice"}
PUBLIC_CLIENT = {"X-Forwarded-For": "93.184.216.34"}  # a public address: per-IP limits apply


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


def client_for(clock: Clock, per_minute: int) -> httpx.AsyncClient:
    app = create_app(SandboxConfig(admin_rate_limit_per_minute=per_minute), clock=clock)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://sandbox")


async def test_admin_keys_share_one_budget_and_get_429_with_retry_after(clock: Clock) -> None:
    async with client_for(clock, 3) as client:
        for headers in (ADMIN, SINGLE, READ_ONLY):  # three different keys, one shared budget
            assert (await client.get("/latest.json", headers=headers)).status_code == 200
            clock.now += 1
        over = await client.get("/latest.json", headers=ADMIN)
        assert over.status_code == 429
        assert over.headers["Discourse-Rate-Limit-Error-Code"] == "admin_api_key_rate_limit"
        body = over.json()
        assert body["error_type"] == "rate_limit"
        # The oldest of the three hits was 3 s ago, so it leaves the 60 s window in 57 s.
        assert over.headers["Retry-After"] == "57"
        assert body["extras"] == {"wait_seconds": 57, "time_left": "57 seconds"}
        assert body["errors"] == [
            "You\u2019ve performed this action too many times. Please wait 57 seconds before trying again."
        ]
        # Anonymous callers are not charged to the admin budget.
        assert (await client.get("/latest.json")).status_code == 200
        clock.now += 57
        assert (await client.get("/latest.json", headers=ADMIN)).status_code == 200


async def test_rejected_keys_do_not_spend_the_budget(clock: Clock) -> None:
    async with client_for(clock, 1) as client:
        bad = await client.get("/latest.json", headers={"Api-Key": "0" * 64, "Api-Username": "system"})
        assert bad.status_code == 403
        assert (await client.get("/latest.json", headers=ADMIN)).status_code == 200
        assert (await client.get("/latest.json", headers=ADMIN)).status_code == 429


async def test_per_ip_limit_answers_plain_text_for_public_addresses(clock: Clock) -> None:
    async with client_for(clock, 1000) as client:
        for _ in range(50):
            assert (await client.get("/site/basic-info.json", headers=PUBLIC_CLIENT)).status_code == 200
        over = await client.get("/site/basic-info.json", headers=PUBLIC_CLIENT)
        assert over.status_code == 429
        assert over.headers["content-type"].startswith("text/plain")
        assert over.headers["Discourse-Rate-Limit-Error-Code"] == "ip_10_secs_limit"
        assert over.headers["Retry-After"] == "10"
        assert "Error code: ip_10_secs_limit." in over.text
        # Valid admin-key requests are exempt from the per-IP limiter (their hits are rolled back).
        admin = await client.get("/site/basic-info.json", headers={**PUBLIC_CLIENT, **ADMIN})
        assert admin.status_code == 200
        clock.now += 10
        assert (await client.get("/site/basic-info.json", headers=PUBLIC_CLIENT)).status_code == 200


async def test_loopback_callers_are_exempt_from_per_ip_limits(clock: Clock) -> None:
    async with client_for(clock, 1000) as client:
        statuses = {(await client.get("/site/basic-info.json")).status_code for _ in range(80)}
    assert statuses == {200}


def test_time_left_wording() -> None:
    assert time_left(2) == "a few seconds"
    assert time_left(30) == "30 seconds"
    assert time_left(90) == "2 minutes"
    assert time_left(7200) == "2 hours"


async def test_each_user_api_key_has_twenty_requests_a_minute(clock: Clock) -> None:
    headers = {"User-Api-Key": demo.DISCOURSE_USER_API_KEY}
    async with client_for(clock, 1000) as client:
        for _ in range(20):
            assert (await client.get("/session/current.json", headers=headers)).status_code == 200
        over = await client.get("/session/current.json", headers=headers)
        assert over.status_code == 429
        assert over.headers["Discourse-Rate-Limit-Error-Code"] == "user_api_key_limiter_60_secs"
        assert over.json()["extras"]["wait_seconds"] == 60
        # The admin budget is separate.
        assert (await client.get("/session/current.json", headers=ADMIN)).status_code == 200
        clock.now += 60
        assert (await client.get("/session/current.json", headers=headers)).status_code == 200

"""Each fault-rehearsal switch is observable, at the ASGI level and through the real server."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import httpx
import pytest

from explorer.sandbox.config import FaultSettings, SandboxConfig
from explorer.sandbox.demo import DISQUS_PREFIX, DISQUS_USER_API_KEY
from explorer.sandbox.faults import FaultMiddleware
from explorer.sandbox.server import SandboxServer

INNER_BODY = json.dumps({"answer": list(range(200))}).encode()
DISQUS_PATH = DISQUS_PREFIX + "/api/get_forum_list/"


async def _inner_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(INNER_BODY))],
        }
    )
    await send({"type": "http.response.body", "body": INNER_BODY})


class Recorder:
    """Stands in for asyncio.sleep and records the pauses the middleware asks for."""

    def __init__(self) -> None:
        self.pauses: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)


def _call(
    middleware: FaultMiddleware, path: str = "/latest.json", headers: list[tuple[bytes, bytes]] | None = None
) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)

    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "root_path": "",
        "query_string": b"",
        "headers": headers or [],
    }
    asyncio.run(middleware(scope, receive, send))
    return messages


def _status(messages: list[dict[str, Any]]) -> int:
    return next(m["status"] for m in messages if m["type"] == "http.response.start")


def _headers(messages: list[dict[str, Any]]) -> dict[str, str]:
    start = next(m for m in messages if m["type"] == "http.response.start")
    return {k.decode().lower(): v.decode() for k, v in start["headers"]}


def _body(messages: list[dict[str, Any]]) -> bytes:
    return b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")


def test_all_faults_are_off_by_default() -> None:
    assert not FaultSettings().any
    assert SandboxConfig().faults == FaultSettings()
    messages = _call(FaultMiddleware(_inner_app, FaultSettings()))
    assert _status(messages) == 200 and _body(messages) == INNER_BODY


def test_latency_pauses_before_answering() -> None:
    sleep = Recorder()
    messages = _call(FaultMiddleware(_inner_app, FaultSettings(latency_ms=250), sleep=sleep))
    assert sleep.pauses == [0.25]
    assert _body(messages) == INNER_BODY


def test_every_request_fails_at_error_rate_one() -> None:
    middleware = FaultMiddleware(_inner_app, FaultSettings(error_rate=1.0))
    discourse = _call(middleware, "/latest.json")
    assert _status(discourse) == 500
    assert json.loads(_body(discourse)) == {"status": 500, "error": "Internal Server Error"}
    disqus = _call(middleware, DISQUS_PATH)
    assert _status(disqus) == 500
    sentry_id = _headers(disqus)["x-sentry-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", sentry_id)
    body = json.loads(_body(disqus))
    assert body["succeeded"] is False and body["code"] == "server-error"
    assert sentry_id in body["message"]


def _statuses(seed: int, count: int = 40) -> list[int]:
    middleware = FaultMiddleware(_inner_app, FaultSettings(error_rate=0.5), seed=seed)
    return [_status(_call(middleware)) for _ in range(count)]


def test_error_share_is_deterministic_for_a_seed() -> None:
    first = _statuses(seed=7)
    assert first == _statuses(seed=7)
    assert set(first) == {200, 500}
    assert first != _statuses(seed=8)


def test_rate_limit_storm_answers_discourse_429_json() -> None:
    middleware = FaultMiddleware(_inner_app, FaultSettings(rate_limit_storm=True))
    messages = _call(middleware, "/latest.json", [(b"api-key", b"k"), (b"api-username", b"system")])
    assert _status(messages) == 429
    headers = _headers(messages)
    assert headers["retry-after"] == "10"
    assert headers["discourse-rate-limit-error-code"] == "admin_api_key_rate_limit"
    body = json.loads(_body(messages))
    assert body["error_type"] == "rate_limit"
    assert body["extras"] == {"wait_seconds": 10, "time_left": "10 seconds"}
    assert "too many times" in body["errors"][0]
    anonymous = _call(middleware, "/latest.json")
    assert "discourse-rate-limit-error-code" not in _headers(anonymous)


def test_rate_limit_storm_answers_disqus_with_the_envelope() -> None:
    messages = _call(FaultMiddleware(_inner_app, FaultSettings(rate_limit_storm=True)), DISQUS_PATH)
    assert _status(messages) == 429
    assert _headers(messages)["retry-after"] == "10"
    body = json.loads(_body(messages))
    assert (body["succeeded"], body["code"]) == (False, "rate-limited")


def test_slow_body_trickles_the_same_bytes_in_chunks() -> None:
    sleep = Recorder()
    messages = _call(FaultMiddleware(_inner_app, FaultSettings(slow_body_ms=500), sleep=sleep))
    chunks = [m for m in messages if m["type"] == "http.response.body" and m.get("body")]
    assert len(chunks) > 1
    assert _body(messages) == INNER_BODY
    assert len(sleep.pauses) == len(chunks)
    assert sum(sleep.pauses) == pytest.approx(0.5)
    assert messages[-1] == {"type": "http.response.body", "body": b"", "more_body": False}


def test_truncated_body_declares_the_full_length_but_sends_half() -> None:
    messages = _call(FaultMiddleware(_inner_app, FaultSettings(truncated_body=True)))
    assert _headers(messages)["content-length"] == str(len(INNER_BODY))
    sent = _body(messages)
    assert 0 < len(sent) < len(INNER_BODY)
    assert INNER_BODY.startswith(sent)
    # The response is never completed: no final message without more_body.
    assert all(m.get("more_body") for m in messages if m["type"] == "http.response.body")


def test_html_error_page_replaces_the_answer() -> None:
    messages = _call(FaultMiddleware(_inner_app, FaultSettings(html_error_page=True)), DISQUS_PATH)
    assert _status(messages) == 502
    assert _headers(messages)["content-type"].startswith("text/html")
    assert b"<html>" in _body(messages) and b"502 Bad Gateway" in _body(messages)


# -- through the real server ------------------------------------------------------------------------------


def _serve(**faults: Any) -> SandboxServer:
    return SandboxServer(SandboxConfig(faults=FaultSettings(**faults)))


def test_truncated_body_breaks_the_client_read_over_http() -> None:
    with _serve(truncated_body=True) as server, pytest.raises(httpx.RemoteProtocolError):
        httpx.get(server.url + DISQUS_PATH, params={"user_api_key": DISQUS_USER_API_KEY})


def test_slow_body_arrives_complete_over_http() -> None:
    with _serve(slow_body_ms=40) as server:
        response = httpx.get(
            server.url + DISQUS_PATH, params={"user_api_key": DISQUS_USER_API_KEY, "api_version": "1.1"}
        )
    assert response.status_code == 200
    assert response.json()["succeeded"] is True


def test_disqus_500_over_http_carries_x_sentry_id() -> None:
    with _serve(error_rate=1.0) as server:
        response = httpx.get(server.url + DISQUS_PATH)
    assert response.status_code == 500
    assert response.headers["x-sentry-id"] in response.json()["message"]


def test_faults_can_be_switched_while_running() -> None:
    with SandboxServer() as server:
        url = server.url + DISQUS_PATH
        params = {"user_api_key": DISQUS_USER_API_KEY, "api_version": "1.1"}
        assert httpx.get(url, params=params).status_code == 200
        server.faults = FaultSettings(rate_limit_storm=True)
        assert httpx.get(url, params=params).status_code == 429
        server.faults = FaultSettings()
        assert httpx.get(url, params=params).status_code == 200


def _server_statuses(seed: int) -> list[int]:
    config = SandboxConfig(seed=seed, faults=FaultSettings(error_rate=0.5))
    with SandboxServer(config) as server, httpx.Client() as client:
        return [client.get(server.url + DISQUS_PATH).status_code for _ in range(30)]


def test_the_servers_seed_decides_which_requests_fail() -> None:
    first = _server_statuses(seed=3)
    assert 500 in first and first == _server_statuses(seed=3)
    assert first != _server_statuses(seed=4)

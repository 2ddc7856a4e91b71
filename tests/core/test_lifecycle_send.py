"""The send coroutine: real HTTP to the sandbox, explicit observers, failures diagnosed, cancels reported."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.http import Executor
from explorer.core.lifecycle import Exchange, RequestSpec, Target, prepare, send_prepared, send_sync
from explorer.core.prepared import PreparedRequest
from explorer.sandbox.config import FaultSettings, SandboxConfig
from explorer.sandbox.server import SandboxServer

CATALOGS = load_bundled_catalogs()


class Recorder:
    """An observer that remembers what it was told, in order."""

    def __init__(self) -> None:
        self.events: list[tuple[str, Any]] = []
        self.started: asyncio.Event | None = None

    async def before_send(self, request: PreparedRequest) -> None:
        self.events.append(("before", request.method_id))
        if self.started is not None:
            self.started.set()

    def after_send(self, exchange: Exchange) -> None:
        self.events.append(("after", exchange))


class Broken:
    async def before_send(self, request: PreparedRequest) -> None:
        return None

    def after_send(self, exchange: Exchange) -> None:
        raise OSError("disk full")


def _target(demo: Any) -> Target:
    return Target(
        Api.DISCOURSE,
        demo.discourse_base_url,
        {"api_key": demo.discourse_admin_key, "api_username": "system"},
    )


def test_observers_hear_before_and_after_and_a_broken_one_loses_nothing(sandbox_server: Any) -> None:
    spec = RequestSpec(api="discourse", method_id="listLatestTopics")
    prepared = prepare(spec, CATALOGS, _target(sandbox_server))
    assert prepared.request is not None
    recorder = Recorder()
    exchange = send_sync(prepared.request, Executor(timeout_s=20), spec=spec, observers=[Broken(), recorder])
    assert exchange.result.status == 200 and not exchange.failed and exchange.diagnosis is None
    assert exchange.spec == spec
    assert [kind for kind, _ in recorder.events] == ["before", "after"]
    assert recorder.events[1][1] is exchange


def test_a_failure_comes_back_with_its_diagnosis(sandbox_server: Any) -> None:
    spec = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "999999"})
    prepared = prepare(spec, CATALOGS, _target(sandbox_server))
    assert prepared.request is not None
    exchange = send_sync(prepared.request, Executor(timeout_s=20))
    assert exchange.failed and exchange.result.status == 404
    assert exchange.diagnosis is not None and exchange.diagnosis.title


def test_a_disqus_envelope_saying_succeeded_false_is_a_failure_even_under_200(sandbox_server: Any) -> None:
    target = Target(Api.DISQUS, sandbox_server.disqus_base_url, {"user_api_key": "not-a-real-key"})
    prepared = prepare(RequestSpec(api="disqus", method_id="get_forum_list"), CATALOGS, target)
    assert prepared.request is not None
    exchange = send_sync(prepared.request, Executor(timeout_s=20))
    assert exchange.failed


def test_a_cancel_tells_the_observers_and_propagates() -> None:
    slow = SandboxConfig(faults=FaultSettings(latency_ms=120_000))
    with SandboxServer(slow) as server:
        prepared = prepare(
            RequestSpec(api="discourse", method_id="listLatestTopics"), CATALOGS, _target(server.credentials)
        )
        assert prepared.request is not None
        request = prepared.request
        recorder = Recorder()

        async def run() -> None:
            executor = Executor(timeout_s=60)
            recorder.started = asyncio.Event()
            task = asyncio.create_task(send_prepared(request, executor, observers=[recorder]))
            await recorder.started.wait()  # the request is on its way: the observer said so
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await executor.aclose()

        asyncio.run(run())
    kinds = [kind for kind, _ in recorder.events]
    assert kinds == ["before", "after"]
    assert recorder.events[1][1].result.cancelled and recorder.events[1][1].failed

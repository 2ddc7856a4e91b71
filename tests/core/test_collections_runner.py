"""Running collections: captures chain requests against the sandbox, 429s are re-sent, --bail, failures."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api
from explorer.core.collections.folder import Collection, write_new_collection
from explorer.core.collections.runner import RunItem, RunResult, RunTarget, collection_items, run_requests
from explorer.core.lifecycle import Capture, Exchange, RequestSpec, Target, new_executor
from explorer.core.prepared import PreparedRequest
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials

CATALOGS = load_bundled_catalogs()
EXAMPLE = "https://forum.example"


def chain() -> list[tuple[str, RequestSpec]]:
    """Create a topic, reply to it, read it back: each later request uses what an earlier one captured."""
    create = RequestSpec(
        api="discourse",
        method_id="createTopicPostPM",
        arguments={
            "title": "A topic made by a chained run {{run}}",
            "raw": "The first post of the chained run.",
        },
        captures=(Capture("topic_id", "$.topic_id"),),
    )
    reply = RequestSpec(
        api="discourse",
        method_id="createTopicPostPM",
        arguments={"topic_id": "{{topic_id}}", "raw": "A reply to topic {{topic_id}} from the run {{run}}."},
        captures=(Capture("reply_id", "$.id"),),
    )
    read = RequestSpec(
        api="discourse",
        method_id="getTopic",
        arguments={"id": "{{topic_id}}"},
        captures=(Capture("last_post", "$.post_stream.posts[-1].id"), Capture("title", "$.title")),
    )
    return [("Topics/Create topic", create), ("Topics/Reply", reply), ("Read it back", read)]


def run(items: list[RunItem], target: Target, **options: object) -> RunResult:
    async def go() -> RunResult:
        executor = options.pop("executor", None) or new_executor(timeout_s=20)
        try:
            return await run_requests(
                items,
                CATALOGS,
                lambda spec: RunTarget(target),
                executor,
                **options,  # type: ignore[arg-type]
            )
        finally:
            await executor.aclose()

    return asyncio.run(go())


def test_captures_chain_create_reply_and_read_back_against_the_sandbox(
    fresh_sandbox: DemoCredentials, tmp_path: Path
) -> None:
    collection = write_new_collection(tmp_path / "chain", "Chain", {"run": "no. 1"}, chain())
    target = Target(
        Api.DISCOURSE,
        fresh_sandbox.url,
        {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.ADMIN_USERNAME},
        profile_name="Sandbox",
    )
    seen: list[str] = []
    result = run(
        collection_items(Collection.open(collection.directory)),
        target,
        collection_variables=collection.variables,
        on_step=lambda step: seen.append(step.label),
    )
    assert not result.failed, [step.as_json() for step in result.steps]
    assert seen == ["01 Topics/01 Create topic", "01 Topics/02 Reply", "02 Read it back"]
    assert [step.status for step in result.steps] == [200, 200, 200]
    assert [step.captured for step in result.steps] == [("topic_id",), ("reply_id",), ("last_post", "title")]
    assert result.captures["last_post"] == result.captures["reply_id"]
    assert result.captures["title"] == "A topic made by a chained run no. 1"
    assert all(step.sent and step.attempts == 1 and step.seconds > 0 for step in result.steps)


def test_an_unknown_variable_is_a_failed_step_and_nothing_is_sent(tmp_path: Path) -> None:
    calls: list[httpx.Request] = []
    executor = new_executor(transport=httpx.MockTransport(lambda r: calls.append(r) or httpx.Response(200)))
    items = [
        RunItem("Read", RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"}))
    ]
    result = run(items, Target(Api.DISCOURSE, EXAMPLE), executor=executor)
    step = result.steps[0]
    assert step.failed and not step.sent and step.error == "id: unknown variable {{topic_id}}"
    assert calls == []


def test_bail_stops_at_the_first_failure_and_a_damaged_file_is_a_failed_step() -> None:
    executor = new_executor(transport=httpx.MockTransport(lambda r: httpx.Response(200, json={})))
    items = [
        RunItem("ok", RequestSpec(verb="GET", url="/latest.json")),
        RunItem("broken", None, "not JSON: Expecting value"),
        RunItem("never", RequestSpec(verb="GET", url="/latest.json")),
    ]
    result = run(items, Target(Api.DISCOURSE, EXAMPLE), executor=executor, bail=True)
    assert [s.label for s in result.steps] == ["ok", "broken"] and result.stopped and result.failed
    assert result.steps[1].error == "not JSON: Expecting value"
    executor = new_executor(transport=httpx.MockTransport(lambda r: httpx.Response(404, json={})))
    result = run(items, Target(Api.DISCOURSE, EXAMPLE), executor=executor)
    assert [s.status for s in result.steps] == [404, None, 404] and not result.stopped


def test_a_capture_the_response_lacks_fails_its_step() -> None:
    executor = new_executor(transport=httpx.MockTransport(lambda r: httpx.Response(200, json={"id": 1})))
    spec = RequestSpec(verb="GET", url="/x.json", captures=(Capture("topic_id", "$.topic_id"),))
    step = run([RunItem("x", spec)], Target(Api.DISCOURSE, EXAMPLE), executor=executor).steps[0]
    assert step.failed and step.status == 200 and "capture topic_id" in (step.error or "")


def throttling(answers: list[httpx.Response]) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    sent: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return answers.pop(0) if answers else httpx.Response(200, json={"ok": True})

    return httpx.MockTransport(handle), sent


def run_one_throttled(transport: httpx.MockTransport) -> tuple[RunResult, list[float]]:
    """One GET run through `transport`, its sleeps recorded instead of waited."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    items = [RunItem("x", RequestSpec(verb="GET", url="/latest.json"))]
    result = run(
        items, Target(Api.DISCOURSE, EXAMPLE), executor=new_executor(transport=transport), sleep=sleep
    )
    return result, waits


def test_a_429_is_sent_again_after_waiting_what_the_server_said() -> None:
    transport, sent = throttling(
        [
            httpx.Response(429, headers={"Retry-After": "3"}),
            httpx.Response(429, json={"extras": {"wait_seconds": 5}}),
        ]
    )
    result, waits = run_one_throttled(transport)
    assert waits == [3.0, 5.0] and len(sent) == 3
    assert result.steps[0].status == 200 and result.steps[0].attempts == 3 and not result.failed


def test_a_429_that_says_nothing_is_not_retried_on_a_guess() -> None:
    transport, sent = throttling([httpx.Response(429)])
    result, waits = run_one_throttled(transport)
    assert waits == [] and len(sent) == 1 and result.steps[0].failed and result.steps[0].status == 429


def test_with_a_pacer_the_run_re_sends_and_leaves_the_waiting_to_it() -> None:
    class FakePacer:
        def __init__(self) -> None:
            self.before = 0
            self.told: list[int | None] = []

        async def before_send(self, request: PreparedRequest) -> None:
            self.before += 1

        def after_send(self, exchange: Exchange) -> None:
            self.told.append(exchange.result.status)

        def retry_after(self, exchange: Exchange) -> float | None:
            return 60.0

    async def sleep(seconds: float) -> None:
        raise AssertionError("the pacer waits, not the run")

    pacer = FakePacer()
    transport, sent = throttling([httpx.Response(429, headers={"Retry-After": "60"})] * 5)
    items = [RunItem("x", RequestSpec(verb="GET", url="/latest.json"))]
    result = run(
        items,
        Target(Api.DISCOURSE, EXAMPLE),
        executor=new_executor(transport=transport),
        observers=[pacer],
        sleep=sleep,
        max_retries=2,
    )
    assert len(sent) == 3 and pacer.before == 3 and pacer.told == [429, 429, 429]
    assert result.steps[0].failed and result.steps[0].attempts == 3


def test_a_production_write_is_not_sent_unless_writes_are_confirmed() -> None:
    transport, sent = throttling([])
    production = Target(Api.DISCOURSE, EXAMPLE, production=True, profile_name="Live")
    items = [RunItem("post", RequestSpec(verb="POST", url="/posts.json"))]
    step = run(items, production, executor=new_executor(transport=transport)).steps[0]
    assert step.failed and not step.sent and "production site" in (step.error or "") and sent == []
    transport, sent = throttling([])
    step = run(items, production, executor=new_executor(transport=transport), confirm_writes=True).steps[0]
    assert step.sent and len(sent) == 1


def test_the_rate_budget_pacer_waits_the_429s_retry_after_before_the_run_re_sends() -> None:
    from explorer.core.ratebudget import BudgetBook, RoutingPacer
    from explorer.core.settings import Settings

    now = [1000.0]
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    async def no_sleep(seconds: float) -> None:
        raise AssertionError("the pacer waits, not the run")

    pacer = RoutingPacer(BudgetBook(lambda: Settings()), clock=lambda: now[0], sleep=sleep)
    transport, sent = throttling([httpx.Response(429, headers={"Retry-After": "7"})])
    items = [RunItem("x", RequestSpec(verb="GET", url="/latest.json"))]
    result = run(
        items,
        Target(Api.DISCOURSE, EXAMPLE, {"api_key": "k", "api_username": "system"}),
        executor=new_executor(transport=transport),
        observers=[pacer],
        sleep=no_sleep,
    )
    assert len(sent) == 2 and result.steps[0].status == 200 and result.steps[0].attempts == 2
    assert waits and 6.0 <= sum(waits) <= 8.0  # what the server said, not a guessed backoff

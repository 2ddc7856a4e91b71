"""Run collection in the window: a folder's requests sent in order against a sandbox, captures chaining them,
one row per request; Cancel stops the request in flight and sends nothing after it."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

import httpx

from explorer.core.collections.folder import Collection
from explorer.core.lifecycle import Capture, RequestSpec
from explorer.sandbox.demo import DemoCredentials
from explorer.ui.widgets.collections_panel import ROOT
from explorer.ui.widgets.run_dialog import RunDialog
from tests.ui.conftest import signal_future


def chain(root: Path) -> Collection:
    collection = Collection.create(root / "chain", "Chain")
    create = RequestSpec(
        api="discourse",
        method_id="createTopicPostPM",
        arguments={"title": "Made by a collection run in the window", "raw": "First post of the run."},
        captures=(Capture("topic_id", "$.topic_id"),),
    )
    reply = RequestSpec(
        api="discourse",
        method_id="createTopicPostPM",
        arguments={"topic_id": "{{topic_id}}", "raw": "A reply to the topic the run made."},
    )
    read = RequestSpec(api="discourse", method_id="getTopic", arguments={"id": "{{topic_id}}"})
    collection.save_request("Flow/01 Create topic", create)
    collection.save_request("Flow/02 Reply", reply)
    collection.save_request("Flow/03 Read it back", read)
    return collection


def run(qloop: Any, window: Any, collection: Collection) -> tuple[RunDialog, Any]:
    async def go() -> tuple[RunDialog, Any]:
        opened = window.collections.open_folder(collection.directory)
        window.collections.run(opened, ROOT)
        dialog = window.collections.dialog
        assert isinstance(dialog, RunDialog) and dialog.isVisible()
        done = signal_future(dialog.finished_run)
        (result,) = await asyncio.wait_for(done, 30)
        return dialog, result

    return qloop.run_until_complete(go())


def test_a_collection_runs_in_order_and_its_captures_chain(
    qloop: Any, make_window: Any, fresh_sandbox: DemoCredentials, tmp_path: Path
) -> None:
    window = make_window(demo=fresh_sandbox)
    dialog, result = run(qloop, window, chain(tmp_path))
    assert result is not None and not result.failed
    rows = dialog.row_texts()
    assert [(r[0], r[1]) for r in rows] == [
        ("Flow/01 Create topic", "200"),
        ("Flow/02 Reply", "200"),
        ("Flow/03 Read it back", "200"),
    ]
    assert dialog.summary.text().startswith("3 requests run: all passed. Captured: topic_id")
    topic_id = result.captures["topic_id"]
    assert window.collections.captures["topic_id"] == topic_id  # the window can use it next
    dialog.close()


def hanging_window(make_window: Any) -> tuple[Any, list[httpx.Request]]:
    """A window whose every request hangs until cancelled, and the list of the requests it sent."""
    gate = asyncio.Event()  # never set
    seen: list[httpx.Request] = []

    async def hang(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        await gate.wait()
        return httpx.Response(200, json={})

    window = make_window(demo=DemoCredentials(url="http://127.0.0.1:9"), transport=httpx.MockTransport(hang))
    return window, seen


async def run_until_first_sent(window: Any, collection: Collection, seen: list[httpx.Request]) -> RunDialog:
    """Start the run of the whole collection; return its dialog once the first request is in flight."""
    opened = window.collections.open_folder(collection.directory)
    window.collections.run(opened, ROOT)
    dialog = window.collections.dialog
    assert isinstance(dialog, RunDialog)
    while not seen:
        await asyncio.sleep(0)
    return dialog


def test_cancel_stops_the_run(qloop: Any, make_window: Any, tmp_path: Path) -> None:
    window, seen = hanging_window(make_window)
    collection = chain(tmp_path)

    async def go() -> Any:
        dialog = await run_until_first_sent(window, collection, seen)
        done = signal_future(dialog.finished_run)
        dialog.cancel_button.click()
        (result,) = await asyncio.wait_for(done, 10)
        return dialog, result

    dialog, result = qloop.run_until_complete(go())
    assert result is None and len(seen) == 1
    assert dialog.summary.text().startswith("Cancelled")
    assert not dialog.cancel_button.isEnabled()
    dialog.close()


def test_closing_the_dialog_mid_run_stops_it_quietly(qloop: Any, make_window: Any, tmp_path: Path) -> None:
    window, seen = hanging_window(make_window)
    collection = chain(tmp_path)

    async def go() -> Any:
        dialog = await run_until_first_sent(window, collection, seen)
        task = dialog.task
        dialog.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, 10)
        return task

    task = qloop.run_until_complete(go())
    assert task.cancelled() and len(seen) == 1


def test_a_running_collection_says_how_far_it_is_and_when_it_waits_for_the_rate_limit(
    qloop: Any, make_window: Any, fresh_sandbox: DemoCredentials, tmp_path: Path
) -> None:
    window = make_window(demo=fresh_sandbox)
    pacer = window.rate_budget.pacer
    status_bar_told: list[float] = []
    pacer.on_wait = status_bar_told.append  # whoever the pacer told before the run
    seen: list[str] = []

    def answered(*_args: object) -> None:
        dialog = window.collections.dialog
        seen.append(dialog.summary.text())
        if len(seen) == 1:
            pacer.on_wait(12.0)  # the pacer holds the second request back, as on a busy budget
            seen.append(dialog.summary.text())

    async def go() -> RunDialog:
        opened = window.collections.open_folder(chain(tmp_path).directory)
        window.collections.run(opened, ROOT)
        dialog = window.collections.dialog
        assert isinstance(dialog, RunDialog)
        assert dialog.summary.text() == "Running: 0 of 3 requests done…"
        dialog.rows.model().rowsInserted.connect(answered)
        done = signal_future(dialog.finished_run)
        await asyncio.wait_for(done, 30)
        return dialog

    dialog = qloop.run_until_complete(go())
    assert seen[:3] == [
        "Running: 1 of 3 requests done…",
        "Running: 1 of 3 requests done; waiting 12 s for the rate limit…",
        "Running: 2 of 3 requests done…",
    ]
    assert status_bar_told == [12.0]  # the status bar is told as before
    assert pacer.on_wait == status_bar_told.append  # and only it, once the run is over
    assert dialog.summary.text().startswith("3 requests run: all passed.")
    dialog.close()


def test_a_rows_detail_says_what_the_http_layer_noted(qloop: Any, make_window: Any, tmp_path: Path) -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"Location": "/login"}, text="")

    demo = DemoCredentials(url="http://127.0.0.1:9")  # never reached: the transport answers
    window = make_window(demo=demo, transport=httpx.MockTransport(answer))
    collection = Collection.create(tmp_path / "moved", "Moved")
    collection.save_request("Latest", RequestSpec(api="discourse", method_id="listLatestTopics"))
    dialog, _result = run(qloop, window, collection)
    ((label, status, _time, _lint, detail),) = dialog.row_texts()
    assert (label, status) == ("Latest", "302")
    assert "redirect" in detail.lower()  # the redirect that was not followed is said, not silent
    dialog.close()

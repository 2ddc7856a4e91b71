"""Paging in the window: Next page (button, Ctrl+Shift+Right) and Fetch all pages… with caps and Cancel."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from PySide6.QtCore import Qt

from explorer.sandbox.demo import DemoCredentials
from tests.ui.conftest import signal_future

DEMO = DemoCredentials(url="http://127.0.0.1:9")  # profiles only: the transport below answers


class Latest:
    """A fake /latest.json of `total` topics, `per_page` a page; waits on `gate` from the `hold_from`th
    request on (a slow server, for Cancel)."""

    def __init__(self, total: int = 7, per_page: int = 3) -> None:
        self.total = total
        self.per_page = per_page
        self.requests: list[httpx.Request] = []
        self.gate: asyncio.Event | None = None
        self.hold_from = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.gate is not None and len(self.requests) >= self.hold_from:
            await self.gate.wait()
        page = int(request.url.params.get("page", "0"))
        ids = list(range(self.total, 0, -1))[page * self.per_page : (page + 1) * self.per_page]
        listing: dict[str, Any] = {"topics": [{"id": i, "title": f"Topic {i}"} for i in ids]}
        if (page + 1) * self.per_page < self.total:
            listing["more_topics_url"] = f"/latest?page={page + 1}"
        return httpx.Response(200, json={"topic_list": listing})


def _window(make_window: Any, server: Any) -> Any:
    window = make_window(demo=DEMO, transport=httpx.MockTransport(server))
    assert window.browser.select_method("discourse:listLatestTopics")
    window.editor.load_spec(window.editor.spec().__class__(api="discourse", method_id="listLatestTopics"))
    return window


def _send_and_wait(window: Any, qloop: Any, trigger: Any) -> Any:
    async def go() -> Any:
        done = signal_future(window.response_shown)
        trigger()
        (result,) = await asyncio.wait_for(done, 10)
        return result

    return qloop.run_until_complete(go())


def _fetch_all(qtbot: Any, qloop: Any, window: Any, dialog: Any) -> Any:
    """Click Fetch in the Fetch all pages dialog; the walk's result once it has finished."""

    async def go() -> Any:
        fetched = signal_future(window.paging.fetched)
        qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
        (result,) = await asyncio.wait_for(fetched, 10)
        return result

    return qloop.run_until_complete(go())


def test_next_page_sends_the_following_page_as_a_new_response(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    server = Latest()
    window = _window(make_window, server)
    bar = window.paging.bar
    # Before any response there is no page to continue from: both buttons wait for the first page.
    assert bar.isVisible() and not bar.fetch_button.isEnabled() and not bar.next_button.isEnabled()
    _send_and_wait(window, qloop, window.send)
    assert bar.next_button.isEnabled() and bar.fetch_button.isEnabled()
    result = _send_and_wait(
        window, qloop, lambda: qtbot.mouseClick(bar.next_button, Qt.MouseButton.LeftButton)
    )
    assert server.requests[-1].url.params["page"] == "1"
    assert [t["id"] for t in json.loads(result.body)["topic_list"]["topics"]] == [4, 3, 2]
    assert window.editor.spec().arguments.get("page") in (1, "1")
    # The keyboard does the same, from anywhere in the window but a text field.
    window.response.setFocus()
    result = _send_and_wait(
        window,
        qloop,
        lambda: qtbot.keyClick(
            window, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
        ),
    )
    assert server.requests[-1].url.params["page"] == "2"
    assert [t["id"] for t in json.loads(result.body)["topic_list"]["topics"]] == [1]
    assert not bar.next_button.isEnabled()  # that was the last page
    assert "last page" in bar.next_button.toolTip()
    assert window.paging.next_page() is False
    assert len(server.requests) == 3


def test_fetch_all_pages_waits_for_a_successful_page(qtbot: Any, qloop: Any, make_window: Any) -> None:
    async def not_found(request: httpx.Request) -> httpx.Response:
        return httpx.Response(404, json={"errors": ["The requested URL or resource could not be found."]})

    window = _window(make_window, not_found)
    bar = window.paging.bar
    assert bar.isVisible() and not bar.fetch_button.isEnabled()  # nothing answered yet
    assert "send this list first" in bar.fetch_button.toolTip()
    _send_and_wait(window, qloop, window.send)
    assert window.response.result.status == 404
    assert not bar.fetch_button.isEnabled()  # a 404 is no page to walk on from
    dialog = window.paging.open_fetch_all()
    assert dialog is not None and dialog.progress.isHidden()  # no empty bar before Fetch
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_a_method_that_does_not_page_hides_the_buttons(qtbot: Any, qloop: Any, make_window: Any) -> None:
    window = _window(make_window, Latest())
    assert window.browser.select_method("discourse:getSite")
    assert not window.paging.bar.isVisible()
    assert window.paging.open_fetch_all() is None


def test_fetch_all_merges_every_page_into_one_response_and_one_history_entry(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    server = Latest(total=8)
    window = _window(make_window, server)
    dialog = window.paging.open_fetch_all()
    assert dialog is not None and dialog.isVisible()

    result = _fetch_all(qtbot, qloop, window, dialog)
    assert result.complete and len(result.pages) == 3
    shown = window.response.result
    assert [t["id"] for t in json.loads(shown.body)] == list(range(8, 0, -1))
    assert "Fetch all: 3 pages, 8 items" in window.response.note.text()
    body = window.response.body_view
    assert body.tabs.indexOf(body.table_view) >= 0  # the merged array opens in the Table tab too
    assert dialog.progress.value() == dialog.progress.maximum()
    assert dialog.status.text() == "3 pages, 8 items; every page fetched."
    assert dialog.cancel_button.text() == "Close"
    # One entry in the history, holding the merged array.
    recorder = window.services.history.recorder()
    assert recorder is not None and recorder.flush(10)
    entries = window.services.history.store.search()
    assert len(entries) == 1 and entries[0].method_id == "listLatestTopics"
    assert len(json.loads(window.services.history.store.body(entries[0].id))) == 8
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_fetch_all_caps_and_cancel(qtbot: Any, qloop: Any, make_window: Any) -> None:
    server = Latest(total=30)
    window = _window(make_window, server)
    dialog = window.paging.open_fetch_all()
    assert dialog is not None
    dialog.max_pages.setValue(2)

    result = _fetch_all(qtbot, qloop, window, dialog)
    assert result.stop == "max_pages" and len(result.items) == 6
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)  # Close

    server.gate, server.hold_from = asyncio.Event(), len(server.requests) + 2  # the 2nd page hangs
    dialog = window.paging.open_fetch_all()
    assert dialog is not None

    async def cancelled() -> Any:
        fetched = signal_future(window.paging.fetched)
        qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
        while len(server.requests) < server.hold_from:
            await asyncio.sleep(0)
        assert dialog.running and "1 page fetched, 3 items so far" in dialog.status.text()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
        (result,) = await asyncio.wait_for(fetched, 10)
        return result

    result = qloop.run_until_complete(cancelled())
    assert result.stop == "cancelled" and len(result.items) == 3
    assert dialog.status.text() == "1 page, 3 items; cancelled."
    assert [t["id"] for t in json.loads(window.response.result.body)] == [30, 29, 28]  # what came is shown
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


class Topic:
    """A fake topic of 25 posts: /t/7.json has the first 20 and the stream; /t/7/posts.json the rest."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if request.url.path.endswith("/posts.json"):
            wanted = [int(v) for v in request.url.params.get_list("post_ids[]")]
            return httpx.Response(200, json={"id": 7, "post_stream": {"posts": [{"id": i} for i in wanted]}})
        posts = [{"id": i} for i in range(1, 21)]
        return httpx.Response(
            200, json={"id": 7, "post_stream": {"posts": posts, "stream": list(range(1, 26))}}
        )


def test_next_page_of_a_topic_asks_for_its_remaining_post_ids(
    qtbot: Any, qloop: Any, make_window: Any
) -> None:
    server = Topic()
    window = make_window(demo=DEMO, transport=httpx.MockTransport(server))
    spec = window.editor.spec().__class__(api="discourse", method_id="getTopic", arguments={"id": "7"})
    window.editor.load_spec(spec)
    _send_and_wait(window, qloop, window.send)
    assert window.paging.bar.next_button.isEnabled()
    result = _send_and_wait(window, qloop, window.paging.next_page)
    assert window.editor.method.id == "getSpecificPostsFromTopic"
    assert server.requests[-1].url.params.get_list("post_ids[]") == [str(i) for i in range(21, 26)]
    assert [p["id"] for p in json.loads(result.body)["post_stream"]["posts"]] == list(range(21, 26))
    assert not window.paging.bar.next_button.isEnabled()  # the whole stream is fetched


class FakePacer:
    """Paces like the window's rate pacer: after a 429 its before_send tells on_wait (nothing sleeps)."""

    def __init__(self) -> None:
        self.on_wait: Any = None
        self.owed = 0.0
        self.told: list[float] = []

    async def before_send(self, request: Any) -> None:
        if self.owed and self.on_wait is not None:
            self.on_wait(self.owed)
        self.owed = 0.0

    def after_send(self, exchange: Any) -> None:
        self.owed = self.retry_after(exchange) or 0.0

    def retry_after(self, exchange: Any) -> float | None:
        return 12.0 if exchange.result.status == 429 else None


def test_fetch_all_is_paced_and_says_when_it_waits(qtbot: Any, qloop: Any, make_window: Any) -> None:
    pages = Latest(total=8)

    async def server(request: httpx.Request) -> httpx.Response:
        if len(pages.requests) == 1 and not getattr(server, "refused", False):
            server.refused = True  # type: ignore[attr-defined]
            pages.requests.append(request)
            return httpx.Response(429, json={"errors": ["Slow down"]}, headers={"Retry-After": "12"})
        return await pages(request)

    window = make_window(demo=DEMO, transport=httpx.MockTransport(server))
    assert window.browser.select_method("discourse:listLatestTopics")
    pacer = FakePacer()
    pacer.on_wait = pacer.told.append  # what the window's status bar would say
    # In place of the window's own pacer, which would really wait the 12 s the server asks for.
    others = tuple(o for o in window.controller.observers if not hasattr(o, "retry_after"))
    window.controller.observers = (*others, pacer)
    dialog = window.paging.open_fetch_all()
    assert dialog is not None
    shown: list[str] = []
    dialog.show_waiting = shown.append  # type: ignore[method-assign]

    result = _fetch_all(qtbot, qloop, window, dialog)
    assert result.complete and len(result.items) == 8 and result.rate_waits == 1
    assert shown == ["waiting 12 s for the rate limit"] and pacer.told == [12.0]
    assert pacer.on_wait == pacer.told.append  # given back as it was
    assert "429" not in window.response.status_badge.text()
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)


def test_a_walk_ends_quietly_when_its_dialog_goes_away(qtbot: Any, qloop: Any, make_window: Any) -> None:
    import shiboken6

    server = Latest(total=30)
    server.gate, server.hold_from = asyncio.Event(), 2  # the second page never answers
    window = _window(make_window, server)
    dialog = window.paging.open_fetch_all()
    assert dialog is not None

    async def go() -> None:
        qtbot.mouseClick(dialog.fetch_button, Qt.MouseButton.LeftButton)
        while len(server.requests) < 2:
            await asyncio.sleep(0)
        shiboken6.delete(dialog)  # as when the window closes
        task = window.paging.task
        assert task is not None
        await asyncio.wait_for(task, 10)

    qloop.run_until_complete(go())
    assert not window.paging.busy and window.response.result is None  # nothing shown, nothing raised

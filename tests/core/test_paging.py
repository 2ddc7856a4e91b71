"""Paging in the core: the next page of each kind, merging, and fetch-all's caps, cancel and pacing."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import httpx
import pytest

from explorer.core.catalog.loader import load_bundled_catalogs, parse_catalog
from explorer.core.catalog.model import Api, Method
from explorer.core.lifecycle import Exchange, Pair, RequestSpec, Target, new_executor
from explorer.core.paging import (
    Pager,
    fetch_all,
    item_key,
    merge_pages,
    merged_exchange,
    next_page_spec,
    read_path,
)
from explorer.core.paging.fetch import CANCELLED, FAILED, LAST_PAGE, MAX_ITEMS, MAX_PAGES
from explorer.core.prepared import PreparedRequest

CATALOGS = load_bundled_catalogs()
SITE = "https://forum.example"
TARGET = Target(api=Api.DISCOURSE, base_url=SITE, credentials={"api_key": "k" * 64, "api_username": "system"})


def method(method_id: str, api: Api = Api.DISCOURSE) -> Method:
    found = CATALOGS[api].method(method_id)
    assert found is not None
    return found


def spec(method_id: str, api: str = "discourse", **arguments: Any) -> RequestSpec:
    return RequestSpec(api=api, method_id=method_id, arguments=arguments)


def topics(*ids: int, more: str | None = None) -> dict[str, Any]:
    listing: dict[str, Any] = {"topics": [{"id": i} for i in ids], "per_page": len(ids)}
    if more is not None:
        listing["more_topics_url"] = more
    return {"topic_list": listing}


# -- one step ---------------------------------------------------------------------------------------------


def test_read_path_reads_dotted_paths_and_the_root() -> None:
    document = {"a": {"b": [1, 2]}}
    assert read_path(document, "$") is document
    assert read_path(document, "$.a.b") == [1, 2]
    assert read_path(document, "$.a.c") is None
    assert read_path([1], "$.a") is None


def test_a_topic_list_pages_while_more_topics_url_is_there() -> None:
    nxt = next_page_spec(
        spec("listLatestTopics", order="activity"),
        method("listLatestTopics"),
        topics(1, 2, more="/latest?order=activity&page=1"),
    )
    assert nxt is not None and nxt.arguments == {"order": "activity", "page": 1}
    assert next_page_spec(spec("listLatestTopics", page=3), method("listLatestTopics"), topics(1, 2)) is None


def test_the_page_number_of_the_more_url_wins_when_it_is_ahead() -> None:
    nxt = next_page_spec(
        spec("listLatestTopics", page=0), method("listLatestTopics"), topics(1, more="/latest?page=5")
    )
    assert nxt is not None and nxt.arguments["page"] == 5


def test_a_method_without_a_page_argument_pages_through_a_query_param() -> None:
    # /top.json takes page although the official description lists only period and per_page.
    first = spec("listTopTopics", period="weekly")
    nxt = next_page_spec(first, method("listTopTopics"), topics(1, 2, more="/top?page=1&period=weekly"))
    assert nxt is not None
    assert nxt.arguments == {"period": "weekly"} and nxt.params == (Pair("page", "1"),)
    again = next_page_spec(nxt, method("listTopTopics"), topics(3, more="/top?page=2&period=weekly"))
    assert again is not None and again.params == (Pair("page", "2"),)


def test_an_empty_page_is_the_last() -> None:
    assert (
        next_page_spec(
            spec("listUsersPublic", period="all", order="likes_received"),
            method("listUsersPublic"),
            {"directory_items": []},
        )
        is None
    )
    nxt = next_page_spec(spec("listUsersPublic"), method("listUsersPublic"), {"directory_items": [{"id": 1}]})
    assert nxt is not None and nxt.arguments["page"] == 1


def test_one_based_pages_start_at_one() -> None:
    nxt = next_page_spec(spec("adminListUsers"), method("adminListUsers"), [{"id": 1}])
    assert nxt is not None and nxt.arguments["page"] == 2
    nxt = next_page_spec(spec("adminListUsers", page=0), method("adminListUsers"), [{"id": 1}])
    assert nxt is not None and nxt.arguments["page"] == 2  # page 0 of a list from 1 is its first


def test_a_page_total_ends_the_walk_only_when_the_server_sends_one() -> None:
    groups = method("listGroups")
    pager = Pager(spec("listGroups"), groups)
    assert pager.next_spec({"groups": [{"id": 1}, {"id": 2}], "total_rows_groups": 3}) is not None
    assert pager.next_spec({"groups": [{"id": 3}], "total_rows_groups": 3}) is None
    assert next_page_spec(spec("listGroups"), groups, {"groups": [{"id": 1}]}) is not None


def test_offset_pages_move_by_the_items_received_and_stop_at_the_total() -> None:
    members = method("listGroupMembers")
    first = spec("listGroupMembers", name="staff")
    page = {"members": [{"id": 1}, {"id": 2}], "meta": {"total": 3}}
    nxt = next_page_spec(first, members, page)
    assert nxt is not None and nxt.params == (Pair("offset", "2"),)
    assert next_page_spec(nxt, members, {"members": [{"id": 3}], "meta": {"total": 3}}) is None


def test_a_short_disqus_page_is_the_last() -> None:
    posts = method("get_thread_posts", Api.DISQUS)
    first = spec("get_thread_posts", "disqus", thread_id="1", limit=2)
    nxt = next_page_spec(first, posts, {"code": 0, "message": [{"id": "1"}, {"id": "2"}]})
    assert nxt is not None and nxt.arguments["start"] == 2
    assert next_page_spec(nxt, posts, {"message": [{"id": "3"}]}) is None
    # Without a limit argument the documented default of 25 is the page size.
    assert next_page_spec(spec("get_thread_posts", "disqus"), posts, {"message": [{"id": "1"}] * 24}) is None


def test_latest_posts_page_with_the_oldest_id_as_before() -> None:
    nxt = next_page_spec(spec("listPosts"), method("listPosts"), {"latest_posts": [{"id": 90}, {"id": 72}]})
    assert nxt is not None and nxt.arguments == {"before": 72}
    assert next_page_spec(nxt, method("listPosts"), {"latest_posts": []}) is None


def test_a_topic_is_followed_by_its_remaining_post_ids_in_chunks_of_20() -> None:
    stream = list(range(1, 46))
    first = {"id": 7, "post_stream": {"posts": [{"id": i} for i in stream[:20]], "stream": stream}}
    pager = Pager(spec("getTopic", id=7), method("getTopic"), CATALOGS)
    second = pager.next_spec(first)
    assert second is not None and second.method_id == "getSpecificPostsFromTopic"
    assert second.arguments == {"id": 7, "post_ids[]": [str(i) for i in range(21, 41)]}
    third = pager.next_spec({"post_stream": {"posts": [{"id": i} for i in range(21, 41)]}})
    assert third is not None and third.arguments["post_ids[]"] == [str(i) for i in range(41, 46)]
    assert pager.next_spec({"post_stream": {"posts": [{"id": i} for i in range(41, 46)]}}) is None


def test_a_method_without_pagination_has_no_next_page() -> None:
    assert next_page_spec(spec("getSite"), method("getSite"), {"categories": []}) is None
    with pytest.raises(ValueError, match="does not page"):
        Pager(spec("getSite"), method("getSite"))


def test_the_loader_refuses_a_broken_pagination() -> None:
    raw = {
        "api": "discourse",
        "groups": [{"id": "g"}],
        "methods": [
            {"id": "m", "verb": "GET", "path": "/x.json", "group": "g", "pagination": {"kind": "pages"}}
        ],
    }
    with pytest.raises(ValueError, match="'kind' must be one of"):
        parse_catalog(raw)
    raw["methods"][0]["pagination"] = {
        "kind": "ids",
        "items": "$.a",
        "param": "p",
        "ids": "$.b",
        "then": "nope",
    }
    with pytest.raises(ValueError, match="unknown method 'nope'"):
        parse_catalog(raw)
    raw["methods"][0]["pagination"] = {"kind": "page", "items": "topics", "param": "page"}
    with pytest.raises(ValueError, match="JSON path"):
        parse_catalog(raw)
    raw["methods"][0]["pagination"] = {"kind": "page", "items": "$.voters.{option}", "param": "page"}
    with pytest.raises(ValueError, match="refers to {option}, which is not a parameter"):
        parse_catalog(raw)


# -- merging ----------------------------------------------------------------------------------------------


def test_merge_keeps_page_order_and_each_item_once() -> None:
    pagination = method("listLatestTopics").pagination
    assert pagination is not None
    merged = merge_pages([topics(3, 2), topics(2, 1), {"unexpected": True}], pagination)
    assert [t["id"] for t in merged.items] == [3, 2, 1]  # type: ignore[index]
    assert merged.duplicates == 1


def test_item_keys_compare_as_text_and_need_every_field() -> None:
    assert item_key({"id": "12"}, ("id",)) == item_key({"id": 12}, ("id",))
    assert item_key({"topic_id": 1}, ("topic_id", "post_number")) is None
    assert item_key("text", ("id",)) is None


# -- fetch all --------------------------------------------------------------------------------------------


class Forum:
    """A fake /latest.json: `total` topics, `per_page` a page, counting requests; 429 on chosen sends."""

    def __init__(self, total: int, per_page: int = 3, *, rate_limited: set[int] | None = None) -> None:
        self.total = total
        self.per_page = per_page
        self.sent: list[httpx.Request] = []
        self.rate_limited = rate_limited or set()
        self.hang = asyncio.Event()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        if len(self.sent) in self.rate_limited:
            body = {"errors": ["Slow down"], "error_type": "rate_limit", "extras": {"wait_seconds": 7}}
            return httpx.Response(429, json=body, headers={"Retry-After": "7"})
        page = int(request.url.params.get("page", "0"))
        ids = list(range(self.total, 0, -1))[page * self.per_page : (page + 1) * self.per_page]
        more = f"/latest?page={page + 1}" if (page + 1) * self.per_page < self.total else None
        return httpx.Response(200, json=topics(*ids, more=more))


def run_fetch(forum: Callable[[httpx.Request], httpx.Response], **options: Any) -> Any:
    async def go() -> Any:
        executor = new_executor(transport=httpx.MockTransport(forum))
        try:
            return await fetch_all(
                spec("listLatestTopics"), catalogs=CATALOGS, target=TARGET, executor=executor, **options
            )
        finally:
            await executor.aclose()

    return asyncio.run(go())


def test_fetch_all_walks_to_the_last_page_and_reports_progress() -> None:
    forum = Forum(total=8)
    progress: list[tuple[int, int]] = []
    result = run_fetch(forum, on_progress=lambda pages, items: progress.append((pages, items)))
    assert result.stop == LAST_PAGE and result.complete
    assert [t["id"] for t in result.items] == list(range(8, 0, -1))
    assert progress == [(1, 3), (2, 6), (3, 8)]
    assert [p.number for p in result.pages] == [1, 2, 3]
    assert "page=2" in result.pages[2].url
    assert result.summary() == "3 pages, 8 items; every page fetched"


def test_fetch_all_stops_at_the_page_cap() -> None:
    result = run_fetch(Forum(total=30), max_pages=2)
    assert result.stop == MAX_PAGES and len(result.items) == 6 and not result.complete
    assert "cap of 2 pages" in result.message


def test_fetch_all_stops_at_the_item_cap_with_exactly_that_many() -> None:
    forum = Forum(total=30)
    result = run_fetch(forum, max_items=7)
    assert result.stop == MAX_ITEMS and len(result.items) == 7
    assert len(forum.sent) == 3


def test_a_failing_page_ends_the_walk_keeping_what_came_before() -> None:
    def forum(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("page") == "1":
            return httpx.Response(500, json={"errors": ["boom"]})
        return httpx.Response(200, json=topics(3, 2, 1, more="/latest?page=1"))

    result = run_fetch(forum)
    assert result.stop == FAILED and result.failure is not None
    assert "page 2 failed" in result.message and len(result.items) == 3


def test_a_server_ignoring_the_page_argument_does_not_loop() -> None:
    result = run_fetch(lambda request: httpx.Response(200, json=topics(3, 2, 1, more="/latest?page=1")))
    assert result.stop == FAILED and "repeated" in result.message and len(result.pages) == 2


def test_cancel_between_pages_keeps_the_pages_so_far() -> None:
    async def go() -> Any:
        cancel = asyncio.Event()
        executor = new_executor(transport=httpx.MockTransport(Forum(total=30)))
        try:
            return await fetch_all(
                spec("listLatestTopics"),
                catalogs=CATALOGS,
                target=TARGET,
                executor=executor,
                cancel=cancel,
                on_progress=lambda pages, items: cancel.set() if pages == 2 else None,
            )
        finally:
            await executor.aclose()

    result = asyncio.run(go())
    assert result.stop == CANCELLED and len(result.pages) == 2 and len(result.items) == 6


def test_cancel_stops_the_request_in_flight() -> None:
    async def go() -> Any:
        cancel = asyncio.Event()
        started = asyncio.Event()

        async def handler(request: httpx.Request) -> httpx.Response:
            started.set()
            await asyncio.Event().wait()  # never answers
            raise AssertionError("unreachable")

        executor = new_executor(transport=httpx.MockTransport(handler))
        task = asyncio.ensure_future(
            fetch_all(
                spec("listLatestTopics"), catalogs=CATALOGS, target=TARGET, executor=executor, cancel=cancel
            )
        )
        await started.wait()
        cancel.set()
        try:
            return await asyncio.wait_for(task, 10)
        finally:
            await executor.aclose()

    result = asyncio.run(go())
    assert result.stop == CANCELLED and result.pages == []


class FakePacer:
    """A SendObserver that paces like the rate budget's Pacer, on an injected clock: after a 429 its
    before_send waits the server's Retry-After (the clock moves, nothing sleeps)."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []
        self._owed = 0.0

    async def before_send(self, request: PreparedRequest) -> None:
        if self._owed:
            self.waits.append(self._owed)
            self.now += self._owed
            self._owed = 0.0

    def after_send(self, exchange: Exchange) -> None:
        self._owed = self.retry_after(exchange) or 0.0

    def retry_after(self, exchange: Exchange) -> float | None:
        if exchange.result.status != 429:
            return None
        return float(exchange.result.header("Retry-After") or 0)


def test_a_429_resends_the_same_page_after_the_pacer_waited() -> None:
    forum = Forum(total=8, rate_limited={2})
    pacer = FakePacer()
    result = run_fetch(forum, observers=[pacer])
    assert result.complete and len(result.items) == 8
    assert pacer.waits == [7.0] and pacer.now == 7.0
    assert [r.url.params.get("page") for r in forum.sent] == [None, "1", "1", "2"]
    assert result.rate_waits == 1 and all(p.status == 200 for p in result.pages)


def test_without_a_pacer_a_429_ends_the_walk_instead_of_hammering() -> None:
    forum = Forum(total=8, rate_limited={2})
    result = run_fetch(forum)
    assert result.stop == FAILED and len(forum.sent) == 2


def test_a_method_that_does_not_page_is_refused() -> None:
    async def go() -> Any:
        executor = new_executor(transport=httpx.MockTransport(lambda r: httpx.Response(200, json={})))
        try:
            return await fetch_all(spec("getSite"), catalogs=CATALOGS, target=TARGET, executor=executor)
        finally:
            await executor.aclose()

    result = asyncio.run(go())
    assert result.stop == FAILED and "does not page" in result.message


def test_the_merged_exchange_is_one_json_array_with_a_note() -> None:
    result = run_fetch(Forum(total=5))
    exchange = merged_exchange(result)
    assert exchange is not None and not exchange.failed
    assert json.loads(exchange.result.body) == result.items
    assert exchange.result.is_json
    assert exchange.result.notes[-1] == "Fetch all: 2 pages, 5 items; every page fetched."
    assert exchange.spec == spec("listLatestTopics")
    assert merged_exchange(replace(result, first=None)) is None

"""End to end: every paginated method of both catalogs walked to its last page on the sandbox (127.0.0.1)."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api, Method
from explorer.core.lifecycle import RequestSpec, Target, new_executor, prepare, send_sync
from explorer.core.paging import FetchResult, fetch_all, item_key
from explorer.sandbox import demo
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.demo import DemoCredentials
from explorer.sandbox.server import SandboxServer

CATALOGS = load_bundled_catalogs()
PAGED = [m for catalog in CATALOGS.values() for m in catalog.methods if m.pagination is not None]
ADMIN = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.ADMIN_USERNAME}
ALICE = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.REGULAR_USERNAME}
DISQUS_KEYS = {"user_api_key": demo.DISQUS_USER_API_KEY, "forum_api_key": demo.DISQUS_FORUM_API_KEY}
# Replies added to one topic, so its post stream needs chunks of 20 after the first page.
EXTRA_REPLIES = 55  # also more than one page (50) of search results for their words
BOOKMARKS = 25  # alice's bookmarks: more than one page of 20
# Users voting Yes in the poll of post 1 (its option ids are MD5 digests of the option's text).
VOTERS = 5
YES = hashlib.md5(b"Yes").hexdigest()  # noqa: S324 - the poll plugin's own option ids

# Small pages where the method takes a page size, so even the seeded forum needs several of them.
SMALL_PAGES: dict[str, dict[str, Any]] = {
    "listLatestTopics": {"per_page": 4, "page": 0},
    "listTopTopics": {"per_page": 4},
    "get_forum_posts": {"limit": 3},
    "get_thread_list": {"limit": 2},
    "get_thread_posts": {"limit": 2, "filter": None},
    "listApiKeys": {"limit": 2},
    "getPollVoters": {"option_id": YES, "limit": 2},
    "search": {"q": "needs paging"},
    "listUserActions": {"username": demo.ADMIN_USERNAME},
}
# Extra query params (the method's catalog entry has no such argument, the server takes it anyway).
SMALL_PARAMS: dict[str, dict[str, str]] = {
    "listGroupMembers": {"limit": "2"},
}
# Who asks: a personal-message list or bookmarks belong to alice (an admin key acting as her).
AS_ALICE = {
    "listUserPrivateMessages",
    "getUserSentPrivateMessages",
    "listUnreadPrivateMessages",
    "getUserBookmarks",
    "getNotifications",
}
# Methods the seeded forum (with the replies added below) fills with more than one page.
MULTI_PAGE = {
    "getTopic",
    "getTopicBySlug",
    "listLatestTopics",
    "listTopTopics",
    "listHotTopics",
    "listNewTopics",
    "listPosts",
    "listGroupMembers",
    "listApiKeys",
    "get_forum_posts",
    "get_thread_list",
    "get_thread_posts",
    "getPollVoters",
    "search",
    "getUserBookmarks",
    "listUserActions",
}


@pytest.fixture(scope="module")
def walk_sandbox() -> Iterator[DemoCredentials]:
    """A private sandbox whose admin budget no walk exhausts, with one topic long enough to page."""
    config = SandboxConfig(admin_rate_limit_per_minute=100_000)
    with SandboxServer(config, host="127.0.0.1", port=0) as server:
        credentials = server.credentials
        for number in range(EXTRA_REPLIES):
            spec = RequestSpec(
                api="discourse",
                method_id="createTopicPostPM",
                arguments={"topic_id": 1, "raw": f"Reply number {number} so that topic one needs paging."},
            )
            _send(credentials, ADMIN, spec)
        replies = _send(credentials, ADMIN, RequestSpec(api="discourse", method_id="listPosts"))
        for post in replies["latest_posts"][:BOOKMARKS]:
            mark = RequestSpec(
                api="discourse",
                method_id="createBookmark",
                arguments={"bookmarkable_id": post["id"], "bookmarkable_type": "Post"},
            )
            _send(credentials, ALICE, mark)
        # Voters for the poll of post 1, so its voters need several pages of 2.
        directory = RequestSpec(
            api="discourse", method_id="listUsersPublic", arguments={"period": "all", "order": "post_count"}
        )
        users = _send(credentials, ADMIN, directory)["directory_items"]
        for user in users[:VOTERS]:
            vote = RequestSpec(
                api="discourse",
                method_id="votePoll",
                arguments={"post_id": 1, "poll_name": "poll", "options": [YES]},
            )
            _send(credentials, {**ADMIN, "api_username": user["user"]["username"]}, vote)
        yield credentials


def _send(server: DemoCredentials, keys: Mapping[str, str], spec: RequestSpec) -> Any:
    request = prepare(spec, CATALOGS, _target(Api.DISCOURSE, server, keys)).request
    assert request is not None
    result = send_sync(request, new_executor()).result
    assert result.status == 200, result.text()
    return result.json()


def _target(api: Api, server: DemoCredentials, keys: Mapping[str, str]) -> Target:
    base = server.discourse_base_url if api is Api.DISCOURSE else server.disqus_base_url
    return Target(api=api, base_url=base, credentials=dict(keys), is_sandbox=True)


def _spec(method: Method) -> RequestSpec:
    arguments = {**method.example, **SMALL_PAGES.get(method.id, {})}
    arguments = {k: v for k, v in arguments.items() if v is not None}
    if method.id in ("getTopic", "getTopicBySlug"):
        arguments["id"] = 1
        if method.id == "getTopicBySlug":
            arguments["slug"] = "welcome-to-discourse"
    from explorer.core.lifecycle import Pair

    params = tuple(Pair(k, v) for k, v in SMALL_PARAMS.get(method.id, {}).items())
    return RequestSpec(api=method.api.value, method_id=method.id, arguments=arguments, params=params)


def _walk(method: Method, server: DemoCredentials) -> FetchResult:
    keys = DISQUS_KEYS if method.api is Api.DISQUS else (ALICE if method.id in AS_ALICE else ADMIN)

    async def run() -> FetchResult:
        executor = new_executor()
        try:
            return await fetch_all(
                _spec(method),
                catalogs=CATALOGS,
                target=_target(method.api, server, keys),
                executor=executor,
                max_pages=500,
                max_items=100_000,
            )
        finally:
            await executor.aclose()

    return asyncio.run(run())


def test_the_paginated_methods_are_the_expected_ones() -> None:
    assert {m.id for m in PAGED} >= MULTI_PAGE | set(SMALL_PAGES) | set(SMALL_PARAMS) | AS_ALICE


@pytest.mark.parametrize("method", PAGED, ids=lambda m: m.id)
def test_every_page_is_walked_to_the_last(method: Method, walk_sandbox: DemoCredentials) -> None:
    result = _walk(method, walk_sandbox)
    assert result.complete, result.summary()
    assert result.pages and all(p.status == 200 for p in result.pages)
    assert method.pagination is not None
    keys = [item_key(item, method.pagination.key) for item in result.items]
    assert None not in keys, "every item carries the fields that identify it"
    assert len(keys) == len(set(keys)), "no item twice"
    if method.id in MULTI_PAGE:
        assert len([p for p in result.pages if p.items]) > 1, result.summary()
        assert result.duplicates == 0


def test_a_topic_walk_gathers_its_whole_post_stream(walk_sandbox: DemoCredentials) -> None:
    method = CATALOGS[Api.DISCOURSE].method("getTopic")
    assert method is not None
    first = prepare(_spec(method), CATALOGS, _target(Api.DISCOURSE, walk_sandbox, ADMIN)).request
    assert first is not None
    stream = send_sync(first, new_executor()).result.json()["post_stream"]["stream"]  # type: ignore[index]
    result = _walk(method, walk_sandbox)
    assert [post["id"] for post in result.items] == stream  # type: ignore[index]
    assert len(result.pages) == 1 + -(-(len(stream) - 20) // 20)  # the first 20, then chunks of 20


def test_poll_voters_page_one_option_at_a_time(walk_sandbox: DemoCredentials) -> None:
    method = CATALOGS[Api.DISCOURSE].method("getPollVoters")
    assert method is not None
    result = _walk(method, walk_sandbox)
    assert len(result.items) == VOTERS and len(result.pages) == 3

    async def without_option() -> FetchResult:
        executor = new_executor()
        try:
            spec = RequestSpec(api="discourse", method_id=method.id, arguments=dict(method.example))
            target = _target(Api.DISCOURSE, walk_sandbox, ADMIN)
            return await fetch_all(spec, catalogs=CATALOGS, target=target, executor=executor)
        finally:
            await executor.aclose()

    refused = asyncio.run(without_option())
    assert not refused.complete and refused.pages == [] and refused.first is None  # nothing was sent
    assert refused.message == "set option_id first: the list to page is at $.voters.{option_id}"


def test_a_topic_list_walk_matches_one_big_page(walk_sandbox: DemoCredentials) -> None:
    method = CATALOGS[Api.DISCOURSE].method("listLatestTopics")
    assert method is not None
    walked = [t["id"] for t in _walk(method, walk_sandbox).items]  # type: ignore[index]
    spec = RequestSpec(api="discourse", method_id=method.id, arguments={"order": "activity", "per_page": 100})
    request = prepare(spec, CATALOGS, _target(Api.DISCOURSE, walk_sandbox, ADMIN)).request
    assert request is not None
    whole = send_sync(request, new_executor()).result.json()["topic_list"]["topics"]  # type: ignore[index]
    assert walked == [t["id"] for t in whole]

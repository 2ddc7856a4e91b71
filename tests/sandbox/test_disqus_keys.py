"""Each Disqus method checks the key it needs; keys identify forums; bad keys get the 1.1 error wording."""

from __future__ import annotations

import httpx
import pytest
from disqus_calls import Disqus, error, ok

from explorer.sandbox.demo import (
    DISQUS_FORUM_API_KEY,
    DISQUS_FORUM_ID,
    DISQUS_PARTNER_API_KEY,
    DISQUS_USER_API_KEY,
    DemoCredentials,
)
from explorer.sandbox.disqus.state import FOREIGN_FORUM_API_KEY, SECOND_FORUM_API_KEY

BAD_KEY = "x" * 64

# method -> (verb, key it needs, the other arguments of a valid call)
CALLS = {
    "get_user_name": ("POST", "user_api_key", {}),
    "get_forum_list": ("GET", "user_api_key", {}),
    "get_forum_api_key": ("GET", "user_api_key", {"forum_id": "1001"}),
    "get_forum_posts": ("GET", "user_api_key", {"forum_id": "1001"}),
    "get_num_posts": ("GET", "user_api_key", {"thread_ids": "2001"}),
    "get_categories_list": ("GET", "user_api_key", {"forum_id": "1001"}),
    "get_thread_list": ("GET", "user_api_key", {"forum_id": "1001"}),
    "get_updated_threads": ("GET", "user_api_key", {"forum_id": "1001", "since": "2010-03-01T00:00"}),
    "get_thread_posts": ("GET", "user_api_key", {"thread_id": "2001"}),
    "thread_by_identifier": ("POST", "forum_api_key", {"identifier": "post-1", "title": ""}),
    "get_thread_by_url": ("GET", "forum_api_key", {"url": "http://nowhere.example/"}),
    "update_thread": ("POST", "forum_api_key", {"thread_id": "2001"}),
    "create_post": (
        "POST",
        "forum_api_key",
        {"thread_id": "2001", "message": "m", "author_name": "n", "author_email": "n@example.org"},
    ),
    "moderate_post": ("POST", "user_api_key", {"post_id": "50001", "action": "approve"}),
}
KEYS = {"user_api_key": DISQUS_USER_API_KEY, "forum_api_key": DISQUS_FORUM_API_KEY}
TYPES = {"user_api_key": "UserKey", "forum_api_key": "ForumKey"}


@pytest.fixture(scope="module")
def disqus(sandbox_server: DemoCredentials) -> Disqus:
    return Disqus(sandbox_server)


def _call(disqus: Disqus, method: str, **args: str) -> httpx.Response:
    verb = CALLS[method][0]
    return disqus.get(method, **args) if verb == "GET" else disqus.post(method, **args)


def test_the_demo_keys_are_64_characters() -> None:
    for key in (DISQUS_USER_API_KEY, DISQUS_FORUM_API_KEY, DISQUS_PARTNER_API_KEY, SECOND_FORUM_API_KEY):
        assert len(key) == 64 and key.isalnum()


@pytest.mark.parametrize("method", sorted(CALLS))
def test_missing_key_is_refused_naming_it(disqus: Disqus, method: str) -> None:
    _, key, args = CALLS[method]
    assert key in error(_call(disqus, method, **args))


@pytest.mark.parametrize("method", sorted(CALLS))
def test_bad_key_gets_the_conversion_error(disqus: Disqus, method: str) -> None:
    _, key, args = CALLS[method]
    message = error(_call(disqus, method, **{key: BAD_KEY}, **args))
    assert message == f"{key} {BAD_KEY} could not be converted to {TYPES[key]} object"


def test_real_error_wording_for_a_bad_user_key(disqus: Disqus) -> None:
    message = error(disqus.get("get_forum_list", user_api_key="BAD"))
    assert message == "user_api_key BAD could not be converted to UserKey object"


@pytest.mark.parametrize(
    "method", ["thread_by_identifier", "update_thread", "create_post", "get_thread_by_url"]
)
def test_forum_key_methods_refuse_the_user_key(disqus: Disqus, method: str) -> None:
    _, _, args = CALLS[method]
    assert "forum_api_key" in error(_call(disqus, method, user_api_key=DISQUS_USER_API_KEY, **args))


@pytest.mark.parametrize("method", ["get_forum_list", "get_forum_api_key", "moderate_post", "get_user_name"])
def test_user_key_methods_refuse_the_forum_key(disqus: Disqus, method: str) -> None:
    _, _, args = CALLS[method]
    assert "user_api_key" in error(_call(disqus, method, forum_api_key=DISQUS_FORUM_API_KEY, **args))


def test_get_forum_api_key_returns_each_forums_key(disqus: Disqus) -> None:
    user = {"user_api_key": DISQUS_USER_API_KEY}
    assert ok(disqus.get("get_forum_api_key", forum_id=DISQUS_FORUM_ID, **user)) == DISQUS_FORUM_API_KEY
    assert ok(disqus.get("get_forum_api_key", forum_id="1002", **user)) == SECOND_FORUM_API_KEY


def test_a_forum_the_user_does_not_moderate_is_refused(disqus: Disqus) -> None:
    user = {"user_api_key": DISQUS_USER_API_KEY}
    assert "1003" in error(disqus.get("get_forum_api_key", forum_id="1003", **user), code="bad-key")
    assert "1003" in error(disqus.get("get_thread_list", forum_id="1003", **user), code="bad-key")
    assert "Forum object" in error(disqus.get("get_forum_api_key", forum_id="999", **user))


def test_forum_key_of_another_forum_is_refused(disqus: Disqus) -> None:
    response = disqus.get("get_thread_list", forum_api_key=FOREIGN_FORUM_API_KEY, forum_id="1001")
    assert "1003" in error(response, code="bad-key")
    response = disqus.post("update_thread", forum_api_key=SECOND_FORUM_API_KEY, thread_id="2001")
    error(response, code="bad-key")


def test_forum_scoped_reads_accept_the_forum_key_alone(disqus: Disqus) -> None:
    threads = ok(disqus.get("get_thread_list", forum_api_key=SECOND_FORUM_API_KEY))
    assert threads and {t["forum"] for t in threads} == {"1002"}
    posts = ok(disqus.get("get_forum_posts", forum_api_key=DISQUS_FORUM_API_KEY))
    assert {p["forum"]["id"] for p in posts} == {"1001"}


def test_get_num_posts_only_counts_threads_the_key_can_read(disqus: Disqus) -> None:
    foreign_thread = ok(disqus.get("get_thread_list", forum_api_key=FOREIGN_FORUM_API_KEY))[0]["id"]
    counts = ok(
        disqus.get("get_num_posts", user_api_key=DISQUS_USER_API_KEY, thread_ids=f"2001,{foreign_thread}")
    )
    assert list(counts) == ["2001"]


def test_partner_key_finds_threads_of_any_forum_and_bad_partner_keys_fail(disqus: Disqus) -> None:
    foreign = ok(disqus.get("get_thread_list", forum_api_key=FOREIGN_FORUM_API_KEY))[0]
    by_partner = ok(
        disqus.get("get_thread_by_url", partner_api_key=DISQUS_PARTNER_API_KEY, url=foreign["url"])
    )
    assert by_partner["id"] == foreign["id"]
    # With the demo forum's key the foreign thread is out of reach.
    assert ok(disqus.get("get_thread_by_url", forum_api_key=DISQUS_FORUM_API_KEY, url=foreign["url"])) is None
    message = error(disqus.get("get_thread_by_url", partner_api_key=BAD_KEY, url=foreign["url"]))
    assert "PartnerKey" in message

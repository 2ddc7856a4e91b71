"""Disqus write methods change what later reads return (each test on its own fresh sandbox)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from disqus_calls import Disqus, error, ok

from explorer.sandbox.demo import DISQUS_FORUM_API_KEY, DISQUS_USER_API_KEY, DemoCredentials
from explorer.sandbox.disqus.state import SECOND_FORUM_API_KEY

USER = {"user_api_key": DISQUS_USER_API_KEY}
FORUM = {"forum_api_key": DISQUS_FORUM_API_KEY}
AUTHOR = {"author_name": "Zoe Writer", "author_email": "zoe@example.org"}


@pytest.fixture
def disqus(fresh_sandbox: DemoCredentials) -> Disqus:
    return Disqus(fresh_sandbox)


def _posts(disqus: Disqus, thread_id: str = "2001", **args: str) -> list[dict[str, Any]]:
    return ok(disqus.get("get_thread_posts", thread_id=thread_id, limit="100", **USER, **args))


def _counts(disqus: Disqus, thread_id: str = "2001") -> list[int]:
    return ok(disqus.get("get_num_posts", thread_ids=thread_id, **USER))[thread_id]


def test_thread_by_identifier_creates_once_then_finds(disqus: Disqus) -> None:
    first = ok(disqus.post("thread_by_identifier", identifier="article-42", title="Hello, comments", **FORUM))
    assert first["created"] is True
    thread = first["thread"]
    assert thread["title"] == "Hello, comments" and thread["identifier"] == ["article-42"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", thread["created_at"])
    again = ok(disqus.post("thread_by_identifier", identifier="article-42", title="", **FORUM))
    assert again == {"thread": thread, "created": False}
    listed = ok(disqus.get("get_thread_list", forum_id="1001", **USER))
    assert thread["id"] in [t["id"] for t in listed]
    # Identifiers are per forum: the same identifier in another forum is another thread.
    other = ok(
        disqus.post(
            "thread_by_identifier",
            identifier="article-42",
            title="Elsewhere",
            forum_api_key=SECOND_FORUM_API_KEY,
        )
    )
    assert other["created"] is True and other["thread"]["forum"] == "1002"


def test_thread_by_identifier_needs_a_title_to_create(disqus: Disqus) -> None:
    assert "title" in error(disqus.post("thread_by_identifier", identifier="brand-new", **FORUM))
    assert ok(disqus.post("thread_by_identifier", identifier="post-1", **FORUM))["created"] is False


def test_thread_by_identifier_in_a_category(disqus: Disqus) -> None:
    categories = ok(disqus.get("get_categories_list", forum_id="1001", **USER))
    made = ok(
        disqus.post(
            "thread_by_identifier",
            identifier="in-cat",
            title="T",
            category_id=categories[2]["category_id"],
            **FORUM,
        )
    )
    assert made["thread"]["category"] == categories[2]["category_id"]
    assert "Category object" in error(
        disqus.post("thread_by_identifier", identifier="x", title="T", category_id="42", **FORUM)
    )


def test_create_post_default_state_is_approved_and_visible(disqus: Disqus) -> None:
    before = _counts(disqus)
    post = ok(disqus.post("create_post", thread_id="2001", message="Nice!", **AUTHOR, **FORUM))
    assert post["status"] == "approved" and post["shown"] is True
    assert post["thread"] == "2001" and post["forum"] == "1001"
    assert post["is_anonymous"] is True and post["anonymous_author"]["name"] == "Zoe Writer"
    assert _counts(disqus) == [before[0] + 1, before[1] + 1]
    assert post["id"] in [p["id"] for p in _posts(disqus)]


@pytest.mark.parametrize(
    ("state", "visible_delta", "total_delta"),
    [("approved", 1, 1), ("unapproved", 0, 1), ("spam", 0, 1), ("killed", 0, 0)],
)
def test_create_post_states(disqus: Disqus, state: str, visible_delta: int, total_delta: int) -> None:
    before = _counts(disqus)
    post = ok(disqus.post("create_post", thread_id="2001", message="m", state=state, **AUTHOR, **FORUM))
    assert post["status"] == state
    assert post["shown"] is (state == "approved")
    assert _counts(disqus) == [before[0] + visible_delta, before[1] + total_delta]
    if state in ("spam", "killed"):
        assert post["id"] in [p["id"] for p in _posts(disqus, filter=state)]


def test_create_post_keeps_given_date_and_parent(disqus: Disqus) -> None:
    parent = _posts(disqus)[0]["id"]
    post = ok(
        disqus.post(
            "create_post",
            thread_id="2001",
            message="reply",
            created_at="2009-03-30T15:41",
            parent_post=parent,
            author_url="http://zoe.example.org/",
            **AUTHOR,
            **FORUM,
        )
    )
    assert post["created_at"] == "2009-03-30T15:41" and post["parent_post"] == parent


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"state": "pending"}, "state"),
        ({"created_at": "2009-03-30 15:41"}, "created_at"),
        ({"author_email": "not-an-address"}, "author_email"),
        ({"parent_post": "1"}, "parent_post"),
    ],
)
def test_create_post_rejects_bad_values_and_changes_nothing(
    disqus: Disqus, extra: dict[str, str], named: str
) -> None:
    before = _posts(disqus)
    fields = {"thread_id": "2001", "message": "m", **AUTHOR, **extra}
    assert named in error(disqus.post("create_post", **fields, **FORUM))
    assert _posts(disqus) == before


def test_create_post_requires_each_argument(disqus: Disqus) -> None:
    full = {"thread_id": "2001", "message": "m", **AUTHOR}
    for name in full:
        partial = {k: v for k, v in full.items() if k != name}
        assert name in error(disqus.post("create_post", **partial, **FORUM))


def _approved_post(disqus: Disqus) -> dict[str, Any]:
    return next(p for p in _posts(disqus) if p["status"] == "approved")


def test_moderate_post_spam_then_approve_then_kill(disqus: Disqus) -> None:
    target = _approved_post(disqus)
    before = _counts(disqus)
    spammed = ok(disqus.post("moderate_post", post_id=target["id"], action="spam", **USER))
    assert spammed["id"] == target["id"] and spammed["status"] == "spam" and spammed["shown"] is False
    assert target["id"] in [p["id"] for p in _posts(disqus, filter="spam")]
    assert target["id"] not in [p["id"] for p in _posts(disqus, filter="new")]  # now moderated
    assert _counts(disqus) == [before[0] - 1, before[1]]

    approved = ok(disqus.post("moderate_post", post_id=target["id"], action="approve", **USER))
    assert approved["status"] == "approved" and approved["shown"] is True
    assert target["id"] not in [p["id"] for p in _posts(disqus, filter="spam")]
    assert _counts(disqus) == before

    ok(disqus.post("moderate_post", post_id=target["id"], action="kill", **USER))
    assert target["id"] in [p["id"] for p in _posts(disqus, filter="killed")]
    assert target["id"] not in [p["id"] for p in _posts(disqus, exclude="killed")]
    assert _counts(disqus) == [before[0] - 1, before[1] - 1]
    forum_view = ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", filter="killed", **USER))
    assert any(p["id"] == target["id"] and p["has_been_moderated"] for p in forum_view)


def test_moderate_post_rejects_unknown_actions_and_posts(disqus: Disqus) -> None:
    target = _approved_post(disqus)
    assert "action" in error(disqus.post("moderate_post", post_id=target["id"], action="delete", **USER))
    assert "Post object" in error(disqus.post("moderate_post", post_id="1", action="spam", **USER))
    assert _approved_post(disqus)["id"] == target["id"]


def test_update_thread_changes_later_reads_and_answers_empty(disqus: Disqus) -> None:
    message = ok(
        disqus.post(
            "update_thread",
            thread_id="2001",
            title="A better title",
            slug="a_better_title",
            url="http://example.org/better/",
            allow_comments="0",
            **FORUM,
        )
    )
    assert message == {}
    thread = ok(disqus.get("get_thread_by_url", url="http://example.org/better/", **FORUM))
    assert (thread["id"], thread["title"], thread["slug"]) == ("2001", "A better title", "a_better_title")
    assert thread["allow_comments"] is False
    closed = disqus.post("create_post", thread_id="2001", message="m", **AUTHOR, **FORUM)
    assert "allow_comments" in error(closed)


def test_update_thread_rejects_bad_values_without_changing_anything(disqus: Disqus) -> None:
    before = ok(disqus.get("get_thread_list", forum_id="1001", limit="100", **USER))
    assert "slug" in error(
        disqus.post("update_thread", thread_id="2001", title="New", slug="Not A Slug", **FORUM)
    )
    assert "allow_comments" in error(
        disqus.post("update_thread", thread_id="2001", title="New", allow_comments="maybe", **FORUM)
    )
    assert ok(disqus.get("get_thread_list", forum_id="1001", limit="100", **USER)) == before


def test_new_posts_show_in_updated_threads(disqus: Disqus) -> None:
    post = ok(disqus.post("create_post", thread_id="2003", message="m", **AUTHOR, **FORUM))
    updated = ok(disqus.get("get_updated_threads", forum_id="1001", since=post["created_at"], **USER))
    assert "2003" in [t["id"] for t in updated]

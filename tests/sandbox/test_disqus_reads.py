"""Disqus read methods: object shapes, date styles, string ids, filter/exclude, paging, counts, look-ups."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from disqus_calls import Disqus, error, ok

from explorer.sandbox.demo import DISQUS_FORUM_API_KEY, DISQUS_USER_API_KEY
from explorer.sandbox.disqus.state import DisqusState
from explorer.sandbox.server import SandboxServer

USER = {"user_api_key": DISQUS_USER_API_KEY}
FORUM = {"forum_api_key": DISQUS_FORUM_API_KEY}
THREAD_DATE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d$")
FORUM_DATE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$")
ID = re.compile(r"^\d+$")


@pytest.fixture(scope="module")
def disqus() -> Iterator[Disqus]:
    # A private server: these tests count seeded objects, which writes elsewhere in the session would change.
    with SandboxServer() as server:
        yield Disqus(server.credentials)


def _all_posts(disqus: Disqus, **args: str) -> list[dict[str, Any]]:
    return ok(disqus.get("get_thread_posts", thread_id="2001", limit="100", **USER, **args))


def _check_thread(thread: dict[str, Any]) -> None:
    assert ID.match(thread["id"]) and ID.match(thread["forum"]) and ID.match(thread["category"])
    assert THREAD_DATE.match(thread["created_at"])
    assert isinstance(thread["allow_comments"], bool) and isinstance(thread["hidden"], bool)


def test_forums_have_the_documented_fields_and_date_style(disqus: Disqus) -> None:
    forums = ok(disqus.get("get_forum_list", **USER))
    assert [f["id"] for f in forums] == ["1001", "1002"]
    for forum in forums:
        assert set(forum) == {"id", "shortname", "name", "description", "created_at"}
        assert FORUM_DATE.match(forum["created_at"])
    # str(datetime) style: the fraction only when there are microseconds.
    assert forums[0]["created_at"].count(".") == 1 and "." not in forums[1]["created_at"]


def test_thread_list_shape_order_and_paging(disqus: Disqus) -> None:
    threads = ok(disqus.get("get_thread_list", forum_id="1001", limit="100", **USER))
    assert len(threads) == 12
    for thread in threads:
        _check_thread(thread)
    dates = [t["created_at"] for t in threads]
    assert dates == sorted(dates, reverse=True)
    page = ok(disqus.get("get_thread_list", forum_id="1001", limit="5", start="5", **USER))
    assert [t["id"] for t in page] == [t["id"] for t in threads[5:10]]
    assert len(ok(disqus.get("get_thread_list", forum_id="1001", **USER))) == 12  # default limit 25


def test_default_limit_is_25(disqus: Disqus) -> None:
    assert len(ok(disqus.get("get_forum_posts", forum_id="1001", **USER))) == 25


def test_bad_limit_and_start_are_input_errors(disqus: Disqus) -> None:
    assert "limit" in error(disqus.get("get_thread_list", forum_id="1001", limit="lots", **USER))
    before_the_start = error(disqus.get("get_thread_list", forum_id="1001", start="-1", **USER))
    assert "start must be at least 0, got -1" in before_the_start


def test_a_limit_out_of_range_is_clamped_not_refused(disqus: Disqus) -> None:
    # No maximum is documented, and django-disqus asks for more than 100: accept and bring into 1..100.
    everything = ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", **USER))
    assert len(ok(disqus.get("get_forum_posts", forum_id="1001", limit="250", **USER))) == len(everything)
    assert len(ok(disqus.get("get_thread_list", forum_id="1001", limit="0", **USER))) == 1


def test_django_disqus_export_pages_to_the_end(disqus: Disqus) -> None:
    # Its export command sends filter=None and exclude=None (str(None)) and limit=start+step, and stops on
    # an empty page; every request must succeed or the export never finishes.
    total = len(ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", start="0", **USER)))
    total += len(ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", start="100", **USER)))
    collected: list[str] = []
    start, step = 0, 100
    for _ in range(total // step + 2):  # bounded: one more page than there are posts
        page = ok(
            disqus.get(
                "get_forum_posts",
                forum_id="1001",
                start=str(start),
                limit=str(start + step),
                filter="None",
                exclude="None",
                **USER,
            )
        )
        if not page:
            break
        collected += [p["id"] for p in page]
        start += step
    else:
        pytest.fail("the export never met an empty page")
    assert len(collected) == len(set(collected)) >= total


def test_category_filter_on_threads(disqus: Disqus) -> None:
    categories = ok(disqus.get("get_categories_list", forum_id="1001", **USER))
    assert all(set(c) == {"category_id", "title", "forum_id", "is_default"} for c in categories)
    assert [c["is_default"] for c in categories].count(True) == 1
    second = categories[1]["category_id"]
    threads = ok(disqus.get("get_thread_list", forum_id="1001", category_id=second, **USER))
    assert threads and {t["category"] for t in threads} == {second}


def test_thread_posts_are_flat_with_ids_and_minute_dates(disqus: Disqus) -> None:
    posts = _all_posts(disqus)
    assert posts
    for post in posts:
        assert post["forum"] == "1001" and post["thread"] == "2001"
        assert ID.match(post["id"]) and THREAD_DATE.match(post["created_at"])
        assert post["shown"] == (post["status"] == "approved")
        author_key = "anonymous_author" if post["is_anonymous"] else "author"
        assert author_key in post
        assert "email" not in post[author_key]  # addresses only in the owner's get_forum_posts view


def test_forum_posts_embed_thread_and_forum(disqus: Disqus) -> None:
    posts = ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", **USER))
    assert len(posts) > 25
    for post in posts:
        assert post["forum"]["id"] == "1001"
        _check_thread(post["thread"])
        assert isinstance(post["thread"]["identifier"], list)
        assert {"status", "has_been_moderated", "points", "ip_address"} <= set(post)
        author = post["anonymous_author"] if post["is_anonymous"] else post["author"]
        assert "@" in author["email"]
    newest_first = [p["created_at"] for p in posts]
    assert newest_first == sorted(newest_first, reverse=True)
    oldest_first = ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", order="asc", **USER))
    assert [p["id"] for p in oldest_first] == [p["id"] for p in reversed(posts)]


def test_filter_values_combine_with_and(disqus: Disqus) -> None:
    everything = ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", **USER))
    spam = ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", filter="spam", **USER))
    new = ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", filter="new", **USER))
    both = ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", filter="spam,new", **USER))
    ids = {name: {p["id"] for p in posts} for name, posts in (("spam", spam), ("new", new), ("both", both))}
    assert ids["both"] == ids["spam"] & ids["new"]
    assert ids["both"] and ids["both"] != ids["spam"]  # the seed has moderated spam too
    assert all(p["status"] == "spam" and not p["has_been_moderated"] for p in both)
    assert len(spam) < len(everything)


def test_exclude_drops_posts_having_every_listed_value(disqus: Disqus) -> None:
    everything = {p["id"] for p in ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", **USER))}
    spam_new = {
        p["id"]
        for p in ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", filter="spam,new", **USER))
    }
    kept = {
        p["id"]
        for p in ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", exclude="spam,new", **USER))
    }
    assert kept == everything - spam_new
    no_killed = ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", exclude="killed", **USER))
    assert no_killed and all(p["status"] != "killed" for p in no_killed)


def test_unknown_filter_value_is_refused(disqus: Disqus) -> None:
    assert "deleted" in error(disqus.get("get_thread_posts", thread_id="2001", filter="deleted", **USER))


def test_get_num_posts_maps_ids_to_visible_and_total(disqus: Disqus) -> None:
    counts = ok(disqus.get("get_num_posts", thread_ids="2001,2002,999999", **USER))
    assert set(counts) == {"2001", "2002"}
    posts = _all_posts(disqus)
    visible = sum(p["status"] == "approved" for p in posts)
    total = sum(p["status"] != "killed" for p in posts)
    assert counts["2001"] == [visible, total]


def test_get_thread_by_url_finds_known_urls_and_null_otherwise(disqus: Disqus) -> None:
    thread = ok(disqus.get("get_thread_list", forum_id="1001", **USER))[0]
    found = ok(disqus.get("get_thread_by_url", url=thread["url"], **FORUM))
    assert found == thread
    response = disqus.get("get_thread_by_url", url="http://example.org/never-seen/", **FORUM)
    assert ok(response) is None
    assert response.json()["message"] is None and '"message": null' in response.text


def test_get_updated_threads_lists_threads_with_posts_since(disqus: Disqus) -> None:
    state = DisqusState()
    latest = max(p.created_at for p in state.posts.values() if p.forum_id == "1001")
    since = latest.strftime("%Y-%m-%dT%H:%M")
    updated = ok(disqus.get("get_updated_threads", forum_id="1001", since=since, **USER))
    assert [t["id"] for t in updated] == [
        p.thread_id for p in state.posts.values() if p.forum_id == "1001" and p.created_at >= latest
    ]
    everything = ok(disqus.get("get_updated_threads", forum_id="1001", since="2000-01-01T00:00", **USER))
    assert len(everything) == 12


@pytest.mark.parametrize("since", ["2010-03-01 00:00", "2010-03-01T00:00:00", "yesterday"])
def test_since_must_use_the_minute_format(disqus: Disqus, since: str) -> None:
    assert "YYYY-MM-DDTHH:MM" in error(
        disqus.get("get_updated_threads", forum_id="1001", since=since, **USER)
    )


def test_missing_required_argument_is_named(disqus: Disqus) -> None:
    assert "forum_id" in error(disqus.get("get_forum_api_key", **USER))
    assert "thread_id" in error(disqus.get("get_thread_posts", **USER))
    assert "Thread object" in error(disqus.get("get_thread_posts", thread_id="42", **USER))


def test_seed_data_is_deterministic_and_seed_dependent() -> None:
    def snapshot(seed: int) -> list[tuple[str, str, str]]:
        return [(p.id, p.status, p.message) for p in DisqusState(seed).posts.values()]

    assert snapshot(1) == snapshot(1)
    assert snapshot(1) != snapshot(2)


def test_our_shapes_cover_the_captured_ones(disqus: Disqus, shared_dir: Path) -> None:
    """Field names of real 1.1-era replies are all present in ours (shapes only, values are our own)."""
    folder = shared_dir / "reference" / "disqus"
    captured_post = json.loads((folder / "django-disqus-docs-get_forum_posts-message-2010.json").read_text())[
        0
    ]
    ours = ok(disqus.get("get_forum_posts", forum_id="1001", limit="100", **USER))
    ours_anonymous = next(p for p in ours if p["is_anonymous"])
    assert set(captured_post) <= set(ours_anonymous)
    assert set(captured_post["thread"]) <= set(ours_anonymous["thread"])
    assert set(captured_post["forum"]) == set(ours_anonymous["forum"])
    assert set(captured_post["anonymous_author"]) == set(ours_anonymous["anonymous_author"])
    forum_list = json.loads((folder / "django-disqus-tests-get_forum_list-envelope.json").read_text())
    assert set(forum_list["message"][0]) == set(ok(disqus.get("get_forum_list", **USER))[0])
    fixtures = folder / "norman-disqus-ruby-fixtures"
    flat = json.loads((fixtures / "get_thread_posts.json").read_text())["message"][0]
    ours_flat = next(p for p in _all_posts(disqus) if not p["is_anonymous"])
    assert set(flat) <= set(ours_flat)
    assert set(flat["author"]) <= set(ours_flat["author"])
    wrapper = json.loads((fixtures / "thread_by_identifier.json").read_text())["message"]
    assert set(wrapper) == {"thread", "created"}

"""Journey: a bot processes every topic and post — pages, `before=` cursors, a topic's stream by post ids."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from journeys_kit import ADMIN, body_json, build, method, send

from explorer.cli import request as request_cli
from explorer.core.builder import build_request
from explorer.core.explain import explain_result
from explorer.sandbox.demo import DemoCredentials


def _next_page_values(more_topics_url: str) -> dict[str, str]:
    """The arguments the "next page" click fills in: the query of `more_topics_url`."""
    parts = urlsplit(more_topics_url)
    assert parts.path == "/latest", more_topics_url
    return dict(parse_qsl(parts.query))


def _all_latest_topics(base: str) -> list[dict]:
    topics: list[dict] = []
    values: dict[str, str] = {}
    for _ in range(20):  # far more pages than the seeded forum has
        page = body_json(
            send(build("discourse", "listLatestTopics", values, base_url=base, credentials=ADMIN))
        )
        listing = page["topic_list"]
        topics += listing["topics"]
        more = listing.get("more_topics_url")
        if more is None:
            return topics
        assert len(listing["topics"]) == listing["per_page"] == 30  # only the last page is short
        values = _next_page_values(more)
    raise AssertionError("more_topics_url never ran out")


def test_following_more_topics_url_visits_every_topic_once(journey_sandbox: DemoCredentials) -> None:
    base = journey_sandbox.url
    created = send(
        build(
            "discourse",
            "createTopicPostPM",
            {"title": "A topic the paging bot must find", "raw": "Created before the bot starts paging."},
            base_url=base,
            credentials=ADMIN,
        )
    )
    assert created.status == 200
    new_id = body_json(created)["topic_id"]

    topics = _all_latest_topics(base)
    ids = [t["id"] for t in topics]
    assert len(ids) == len(set(ids)) > 30  # more than one page, nothing twice
    assert ids[0] == new_id  # the newest activity comes first


def test_more_topics_url_as_given_answers_json_with_the_accept_header(
    reading_sandbox: DemoCredentials,
) -> None:
    first = body_json(
        send(build("discourse", "listLatestTopics", base_url=reading_sandbox.url, credentials=ADMIN))
    )
    more = first["topic_list"]["more_topics_url"]
    assert not urlsplit(more).path.endswith(".json")  # current servers leave the extension off
    # The request builder keeps `Accept: application/json`, so the URL works as the server wrote it.
    follow = build("discourse", "listLatestTopics", base_url=reading_sandbox.url, credentials=ADMIN)
    follow = replace(
        follow, url=reading_sandbox.url + urlsplit(more).path, query=tuple(parse_qsl(urlsplit(more).query))
    )
    second = send(follow)
    assert second.is_json
    first_ids = {t["id"] for t in first["topic_list"]["topics"]}
    second_ids = {t["id"] for t in body_json(second)["topic_list"]["topics"]}
    assert second_ids and not first_ids & second_ids


def test_before_cursor_walks_every_post_newest_first(reading_sandbox: DemoCredentials) -> None:
    base = reading_sandbox.url
    seen: list[int] = []
    values: dict[str, int] = {}
    for _ in range(50):
        batch = body_json(send(build("discourse", "listPosts", values, base_url=base, credentials=ADMIN)))
        ids = [p["id"] for p in batch["latest_posts"]]
        if not ids:
            break
        seen += ids
        values = {"before": min(ids)}  # the tip: ask for what comes before the oldest one seen
    else:
        raise AssertionError("the before= walk never ended")
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen))
    assert len(seen) > 200  # the seeded forum's public posts, not one batch of 50

    # Every post of a topic shows up in the walk (the walk misses nothing).
    busiest = _busiest_topic(base)["id"]
    topic = body_json(send(build("discourse", "getTopic", {"id": busiest}, base_url=base, credentials=ADMIN)))
    assert len(topic["post_stream"]["stream"]) > 1
    assert set(topic["post_stream"]["stream"]) <= set(seen)


def _busiest_topic(base: str) -> dict:
    listing = body_json(
        send(build("discourse", "listLatestTopics", {"order": "posts"}, base_url=base, credentials=ADMIN))
    )
    return listing["topic_list"]["topics"][0]


def test_latest_posts_of_a_topic_by_their_ids(reading_sandbox: DemoCredentials) -> None:
    base = reading_sandbox.url
    busiest = _busiest_topic(base)
    topic = body_json(
        send(build("discourse", "getTopic", {"id": busiest["id"]}, base_url=base, credentials=ADMIN))
    )
    stream = topic["post_stream"]["stream"]
    assert len(stream) == busiest["posts_count"] >= 3
    wanted = stream[-3:]

    request = build(
        "discourse",
        "getSpecificPostsFromTopic",
        {"id": busiest["id"], "post_ids[]": wanted},
        base_url=base,
        credentials=ADMIN,
    )
    assert request.query == tuple(("post_ids[]", str(i)) for i in wanted)  # Rails array syntax
    posts = body_json(send(request))["post_stream"]["posts"]
    assert [p["id"] for p in posts] == wanted
    assert posts[-1]["post_number"] == topic["highest_post_number"]


def test_post_ids_through_the_cli(
    reading_sandbox: DemoCredentials, app_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = reading_sandbox.url
    topic_id = _busiest_topic(base)["id"]
    topic = body_json(
        send(build("discourse", "getTopic", {"id": topic_id}, base_url=base, credentials=ADMIN))
    )
    first, last = topic["post_stream"]["stream"][0], topic["post_stream"]["stream"][-1]
    assert first != last
    argv = [
        "discourse",
        "getSpecificPostsFromTopic",
        f"id={topic_id}",
        f"post_ids[]={first}",
        f"post_ids[]={last}",
        "--base-url",
        base,
        "--auth",
        f"api_key={ADMIN['api_key']}",
        "api_username=system",
        "--json",
    ]
    assert request_cli.main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    assert f"post_ids%5B%5D={first}&post_ids%5B%5D={last}" in printed["request"]["url"]
    assert [p["id"] for p in json.loads(printed["body"])["post_stream"]["posts"]] == [first, last]


def test_single_topic_from_a_post_id(reading_sandbox: DemoCredentials) -> None:
    base = reading_sandbox.url
    post = body_json(send(build("discourse", "getPost", {"id": 30}, base_url=base, credentials=ADMIN)))
    topic = body_json(
        send(build("discourse", "getTopic", {"id": post["topic_id"]}, base_url=base, credentials=ADMIN))
    )
    assert 30 in topic["post_stream"]["stream"]
    assert topic["id"] == post["topic_id"] and topic["slug"] == post["topic_slug"]


def test_topics_sorted_by_creation_date(reading_sandbox: DemoCredentials) -> None:
    # "order=created_at" is what people try first: the form offers only the values the server knows.
    wrong = build_request(
        method("discourse", "listLatestTopics"), {"order": "created_at"}, base_url=reading_sandbox.url
    )
    assert not wrong.ok and [e.field for e in wrong.errors] == ["order"]
    assert "created" in wrong.errors[0].message

    oldest_first = build(
        "discourse",
        "listLatestTopics",
        {"order": "created", "ascending": "true"},
        base_url=reading_sandbox.url,
        credentials=ADMIN,
    )
    topics = body_json(send(oldest_first))["topic_list"]["topics"]
    created = [t["created_at"] for t in topics]
    assert len(created) > 1 and created == sorted(created)


def test_topic_by_external_id_follows_the_documented_301(reading_sandbox: DemoCredentials) -> None:
    base = reading_sandbox.url
    request = build(
        "discourse", "getTopicByExternalId", {"external_id": "ext-topic-5"}, base_url=base, credentials=ADMIN
    )
    redirect = send(request)
    assert redirect.status == 301  # the only documented answer of this operation
    location = redirect.header("Location") or ""
    assert location.endswith("/5.json")
    assert explain_result(redirect).code == "redirect"

    # With "follow redirects" on, the same click ends at the topic, still signed in (same origin).
    followed = send(request, follow_redirects=True)
    assert [code for code, _ in followed.redirects] == [301]
    topic = body_json(followed)
    assert topic["id"] == 5
    assert followed.header("X-Discourse-Username") == "system"

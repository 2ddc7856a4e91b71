"""Journey: update a topic by id, reply to the topic just created, send a private message, read its 422."""

from __future__ import annotations

from urllib.parse import quote_plus, urlsplit

from journeys_kit import ADMIN, body_json, build, method, send

from explorer.core.builder import build_request
from explorer.core.explain import explain_result
from explorer.sandbox import demo
from explorer.sandbox.demo import DemoCredentials

AS_ALICE = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.REGULAR_USERNAME}


def _topic(base: str, topic_id: int) -> dict:
    return body_json(send(build("discourse", "getTopic", {"id": topic_id}, base_url=base, credentials=ADMIN)))


def test_put_by_id_uses_the_dash_slug_template_and_changes_the_topic(
    journey_sandbox: DemoCredentials,
) -> None:
    base = journey_sandbox.url
    assert method("discourse", "updateTopic").path == "/t/-/{id}.json"
    before = _topic(base, 7)
    new_category = next(c for c in (2, 3, 4) if c != before["category_id"])
    title = "A clearer title, set without knowing the slug"
    request = build(
        "discourse",
        "updateTopic",
        {"id": 7, "topic": {"title": title, "category_id": new_category}},
        base_url=base,
        credentials=ADMIN,
    )
    assert urlsplit(request.url).path == "/t/-/7.json"
    result = send(request)
    assert result.status == 200
    assert body_json(result)["basic_topic"]["title"] == title

    after = _topic(base, 7)
    assert after["title"] == title and after["category_id"] == new_category
    assert after["slug"] != before["slug"]  # the slug follows the new title


def test_form_encoded_update_like_an_ajax_call(journey_sandbox: DemoCredentials) -> None:
    base = journey_sandbox.url
    title = "Renamed from a browser script with a form body"
    request = build(
        "discourse",
        "updateTopicById",
        {"id": 8, "title": title},
        base_url=base,
        credentials=ADMIN,
        body_encoding="form",
    )
    assert request.body is not None and request.body.media_type() == "application/x-www-form-urlencoded"
    assert request.body.text() == f"title={quote_plus(title)}"
    assert send(request).status == 200
    assert _topic(base, 8)["title"] == title


def test_reply_to_the_topic_just_created(journey_sandbox: DemoCredentials) -> None:
    base = journey_sandbox.url
    created = send(
        build(
            "discourse",
            "createTopicPostPM",
            {"title": "Where do I find the new topic's id?", "raw": "In the answer to the create call."},
            base_url=base,
            credentials=ADMIN,
        )
    )
    assert created.status == 200
    first = body_json(created)
    assert first["post_number"] == 1
    topic_id = first["topic_id"]  # the answer names the topic: no need to search for it

    reply = send(
        build(
            "discourse",
            "createTopicPostPM",
            {"topic_id": topic_id, "raw": "A reply that uses the topic_id from the first answer."},
            base_url=base,
            credentials=AS_ALICE,
        )
    )
    assert reply.status == 200
    assert body_json(reply)["post_number"] == 2
    assert _topic(base, topic_id)["post_stream"]["stream"] == [first["id"], body_json(reply)["id"]]


def test_private_message_without_recipients_is_a_422_that_names_the_missing_field(
    journey_sandbox: DemoCredentials,
) -> None:
    base = journey_sandbox.url
    values = {
        "title": "A private question for Alice",
        "raw": "Could you look at the webhook logs for me?",
        "archetype": "private_message",
    }
    refused = send(build("discourse", "createTopicPostPM", values, base_url=base, credentials=ADMIN))
    assert refused.status == 422
    data = body_json(refused)
    assert data["errors"] and isinstance(data["errors"], list)
    diagnosis = explain_result(refused)
    assert diagnosis.code == "discourse-validation"
    assert data["errors"][0] in diagnosis.summary  # the server's own words are shown
    assert any("target_recipients" in c and "archetype" in c for c in diagnosis.causes)

    sent = send(
        build(
            "discourse",
            "createTopicPostPM",
            {**values, "target_recipients": demo.REGULAR_USERNAME},
            base_url=base,
            credentials=ADMIN,
        )
    )
    assert sent.status == 200
    pm_topic = body_json(sent)["topic_id"]
    inbox = send(
        build(
            "discourse",
            "listUserPrivateMessages",
            {"username": demo.REGULAR_USERNAME},
            base_url=base,
            credentials=AS_ALICE,
        )
    )
    assert pm_topic in [t["id"] for t in body_json(inbox)["topic_list"]["topics"]]
    # Someone else cannot read it.
    carol = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": "carol"}
    hidden = send(build("discourse", "getTopic", {"id": pm_topic}, base_url=base, credentials=carol))
    assert hidden.status in (403, 404)


def test_short_title_is_refused_with_the_reason_and_a_longer_one_works(
    journey_sandbox: DemoCredentials,
) -> None:
    base = journey_sandbox.url
    short = send(
        build(
            "discourse",
            "createTopicPostPM",
            {"title": "Help", "raw": "My bot cannot create topics, what is wrong?"},
            base_url=base,
            credentials=ADMIN,
        )
    )
    assert short.status == 422
    assert any("Title" in e for e in body_json(short)["errors"])
    assert "Title" in explain_result(short).summary

    longer = send(
        build(
            "discourse",
            "createTopicPostPM",
            {
                "title": "Help: my bot cannot create topics",
                "raw": "My bot cannot create topics, what is wrong?",
            },
            base_url=base,
            credentials=ADMIN,
        )
    )
    assert longer.status == 200


def test_missing_required_fields_are_reported_before_anything_is_sent(
    reading_sandbox: DemoCredentials,
) -> None:
    result = build_request(
        method("discourse", "updateTopicStatus"),
        {"id": 1, "status": "shut"},
        base_url=reading_sandbox.url,
        credentials=ADMIN,
    )
    assert result.request is None
    by_field = {e.field: e.message for e in result.errors}
    assert set(by_field) == {"status", "enabled"}
    assert "closed" in by_field["status"]  # the allowed values are named
    assert by_field["enabled"] == "required"

    empty_path = build_request(method("discourse", "updateTopic"), {"id": ""}, base_url=reading_sandbox.url)
    assert [e.field for e in empty_path.errors] == ["id"]

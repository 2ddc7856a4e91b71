"""The seeded Discourse forum: contents, pagination, writes that change later reads, visibility, headers."""

from __future__ import annotations

import httpx
import pytest

from explorer.sandbox import demo
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.discourse import create_app

pytestmark = pytest.mark.anyio

ADMIN = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": "system"}
ALICE = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": "alice"}


def make_client(seed: int = 1) -> httpx.AsyncClient:
    app = create_app(SandboxConfig(seed=seed, admin_rate_limit_per_minute=10_000))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://sandbox")


async def test_seed_has_the_promised_people_and_places(client: httpx.AsyncClient) -> None:
    staff = (await client.get("/admin/users/list/staff.json", headers=ADMIN)).json()
    assert {"system", "mod_maria"} <= {u["username"] for u in staff}
    suspended = (await client.get("/admin/users/list/suspended.json", headers=ADMIN)).json()
    assert [u["username"] for u in suspended] == ["frank"]
    active = (await client.get("/admin/users/list/active.json", headers=ADMIN)).json()
    assert len({u["trust_level"] for u in active}) >= 4
    alice = (await client.get("/u/alice.json")).json()["user"]
    assert (alice["admin"], alice["moderator"]) == (False, False)
    categories = (await client.get("/categories.json", headers=ADMIN)).json()["category_list"]["categories"]
    assert len(categories) >= 5
    assert any(c["read_restricted"] for c in categories)
    site = (await client.get("/about.json")).json()["about"]["stats"]
    assert site["topic_count"] >= 30
    assert site["post_count"] >= 200
    assert len((await client.get("/tags.json")).json()["tags"]) >= 5
    assert len((await client.get("/tag_groups.json", headers=ADMIN)).json()["tag_groups"]) >= 2
    assert len((await client.get("/admin/badges.json", headers=ADMIN)).json()["badges"]) >= 5
    assert len((await client.get("/admin/backups.json", headers=ADMIN)).json()) >= 1
    assert (await client.get("/notifications.json", headers=ALICE)).json()["notifications"]
    pms = (await client.get("/topics/private-messages/alice.json", headers=ALICE)).json()
    assert pms["topic_list"]["topics"]


async def test_same_seed_same_forum_other_seed_other_forum() -> None:
    async with make_client(1) as one, make_client(1) as again, make_client(2) as other:
        first = (await one.get("/latest.json")).content
        assert (await again.get("/latest.json")).content == first
        assert (await other.get("/latest.json")).content != first


async def test_latest_pages_by_thirty_with_more_topics_url(client: httpx.AsyncClient) -> None:
    first = (await client.get("/latest.json")).json()["topic_list"]
    assert len(first["topics"]) == 30
    assert first["per_page"] == 30
    assert first["more_topics_url"] == "/latest?page=1"
    second = (await client.get("/latest.json", params={"page": 1})).json()["topic_list"]
    assert 0 < len(second["topics"]) < 30
    assert "more_topics_url" not in second
    ids = [t["id"] for t in first["topics"] + second["topics"]]
    assert len(ids) == len(set(ids))
    bumped = [t["bumped_at"] for t in first["topics"]]
    assert bumped == sorted(bumped, reverse=True)


async def test_latest_posts_page_backwards_with_before(client: httpx.AsyncClient) -> None:
    newest = (await client.get("/posts.json")).json()["latest_posts"]
    assert len(newest) == 50
    oldest_id = newest[-1]["id"]
    older = (await client.get("/posts.json", params={"before": oldest_id})).json()["latest_posts"]
    assert older
    assert all(p["id"] < oldest_id for p in older)
    assert [p["id"] for p in older] == sorted((p["id"] for p in older), reverse=True)


async def test_directory_items_pages(client: httpx.AsyncClient) -> None:
    params = {"period": "all", "order": "post_count"}
    page = (await client.get("/directory_items.json", params=params)).json()
    total = page["meta"]["total_rows_directory_items"]
    assert total == len(page["directory_items"]) > 5
    counts = [row["post_count"] for row in page["directory_items"]]
    assert counts == sorted(counts, reverse=True)
    assert page["meta"]["load_more_directory_items"] == "/directory_items?order=post_count&page=1&period=all"
    beyond = (await client.get("/directory_items.json", params={**params, "page": 1})).json()
    assert beyond["directory_items"] == []
    missing = await client.get("/directory_items.json", params={"period": "all"})
    assert missing.status_code == 400


async def test_group_members_offset_limit_and_total(client: httpx.AsyncClient) -> None:
    first = (await client.get("/groups/api-team/members.json", params={"limit": 2})).json()
    assert first["meta"] == {"total": 5, "limit": 2, "offset": 0}
    rest = (await client.get("/groups/api-team/members.json", params={"limit": 2, "offset": 2})).json()
    last = (await client.get("/groups/api-team/members.json", params={"limit": 2, "offset": 4})).json()
    names = [m["username"] for m in first["members"] + rest["members"] + last["members"]]
    assert len(names) == len(set(names)) == 5


async def test_created_topic_shows_first_in_latest_even_after_a_cached_read(
    client: httpx.AsyncClient,
) -> None:
    before = (await client.get("/latest.json")).json()  # warms the page cache
    created = await client.post(
        "/posts.json",
        headers=ALICE,
        json={"title": "Fresh topic from the test suite", "raw": "Long enough body text.", "category": 3},
    )
    assert created.status_code == 200
    after = (await client.get("/latest.json")).json()["topic_list"]["topics"]
    assert after[0]["id"] == created.json()["topic_id"]
    assert after[0]["title"] == "Fresh topic from the test suite"
    assert after[0]["id"] not in [t["id"] for t in before["topic_list"]["topics"]]


async def test_reply_joins_the_topic(client: httpx.AsyncClient) -> None:
    topic = (await client.get("/t/20.json")).json()
    reply = await client.post(
        "/posts.json",
        headers=ALICE,
        json={"topic_id": 20, "raw": "A reply that is long enough.", "reply_to_post_number": 1},
    )
    assert reply.status_code == 200
    assert reply.json()["post_number"] == topic["highest_post_number"] + 1
    again = (await client.get("/t/20.json")).json()
    assert again["posts_count"] == topic["posts_count"] + 1
    assert reply.json()["id"] in again["post_stream"]["stream"]


async def test_edited_post_changes_raw_and_cooked(client: httpx.AsyncClient) -> None:
    post = (await client.get("/posts/20.json")).json()
    edited = await client.put(
        "/posts/20.json",
        headers=ADMIN,
        json={"post": {"raw": "New **bold** text for the post.", "edit_reason": "test"}},
    )
    assert edited.status_code == 200
    now = (await client.get("/posts/20.json")).json()
    assert now["raw"] == "New **bold** text for the post."
    assert now["cooked"] == "<p>New <strong>bold</strong> text for the post.</p>"
    assert now["version"] == post["version"] + 1
    assert now["edit_reason"] == "test"


async def test_deleted_topic_is_gone_for_others_but_staff_still_see_it(client: httpx.AsyncClient) -> None:
    assert (await client.delete("/t/15.json", headers=ADMIN)).status_code == 200
    assert (await client.get("/t/15.json", headers=ALICE)).status_code == 404
    assert (await client.get("/t/15.json")).status_code == 404
    staff_view = await client.get("/t/15.json", headers=ADMIN)
    assert staff_view.status_code == 200
    assert staff_view.json()["deleted_at"] is not None
    latest_ids = {t["id"] for t in (await client.get("/latest.json?page=0")).json()["topic_list"]["topics"]}
    latest_ids |= {t["id"] for t in (await client.get("/latest.json?page=1")).json()["topic_list"]["topics"]}
    assert 15 not in latest_ids


async def test_private_category_and_messages_are_hidden_from_others(client: httpx.AsyncClient) -> None:
    staff_topic = next(
        t
        for t in (await client.get("/latest.json", headers=ADMIN)).json()["topic_list"]["topics"]
        if t["category_id"] == 6
    )
    forbidden = await client.get(f"/t/{staff_topic['id']}.json", headers=ALICE)
    assert forbidden.status_code == 403
    assert forbidden.json()["error_type"] == "invalid_access"
    pm = (
        await client.get("/topics/private-messages/bob.json", headers={**ADMIN, "Api-Username": "bob"})
    ).json()
    pm_id = pm["topic_list"]["topics"][0]["id"]
    assert (
        await client.get(f"/t/{pm_id}.json", headers={**ADMIN, "Api-Username": "dave"})
    ).status_code == 403
    others = await client.get("/topics/private-messages/bob.json", headers=ALICE)
    assert others.status_code == 403


async def test_debugging_headers(client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/latest.json")
    assert anonymous.headers["X-Discourse-Route"] == "list/latest"
    assert "X-Discourse-Username" not in anonymous.headers
    signed_in = await client.get("/t/20.json", headers=ALICE)
    assert signed_in.headers["X-Discourse-Route"] == "topics/show"
    assert signed_in.headers["X-Discourse-Username"] == "alice"
    assert signed_in.headers["content-type"] == "application/json; charset=utf-8"


async def test_unknown_route_and_record_answer_not_found(client: httpx.AsyncClient) -> None:
    for path in ("/no/such/thing.json", "/t/99999.json", "/posts/99999.json", "/u/nobody_at_all.json"):
        response = await client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {
            "errors": ["The requested URL or resource could not be found."],
            "error_type": "not_found",
        }


async def test_upload_is_kept_in_memory_and_served_back(client: httpx.AsyncClient) -> None:
    data = (
        b"\x89PNG\r\n\x1a\n"
        + b"\x00\x00\x00\rIHDR"
        + (3).to_bytes(4, "big")
        + (2).to_bytes(4, "big")
        + b"rest"
    )
    made = await client.post(
        "/uploads.json",
        headers=ALICE,
        data={"upload_type": "composer"},
        files={"file": ("tiny.png", data, "image/png")},
    )
    assert made.status_code == 200
    body = made.json()
    assert (body["width"], body["height"], body["filesize"]) == (3, 2, len(data))
    served = await client.get(body["url"])
    assert served.content == data


async def test_picked_avatar_changes_the_avatar_template(client: httpx.AsyncClient) -> None:
    before = (await client.get("/u/alice.json")).json()["user"]["avatar_template"]
    upload = (
        await client.post(
            "/uploads.json",
            headers=ALICE,
            data={"upload_type": "avatar"},
            files={"file": ("me.png", b"\x89PNG\r\n\x1a\nxx", "image/png")},
        )
    ).json()
    picked = await client.put(
        "/u/alice/preferences/avatar/pick.json",
        headers=ALICE,
        json={"upload_id": upload["id"], "type": "uploaded"},
    )
    assert picked.status_code == 200
    after = (await client.get("/u/alice.json")).json()["user"]["avatar_template"]
    assert after != before
    assert after == f"/user_avatar/sandbox/alice/{{size}}/{upload['id']}_2.png"

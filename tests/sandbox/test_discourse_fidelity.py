"""Discourse sandbox answers a client written for a real forum expects: routes, shapes and e-mailed tokens."""

from __future__ import annotations

import base64
import hashlib
import hmac

import httpx
import pytest

from explorer.sandbox import demo

pytestmark = pytest.mark.anyio

ADMIN = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": demo.ADMIN_USERNAME}
ALICE = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": "alice"}
BACKUP = "sandbox-2026-01-04-033000-v20251201000000.tar.gz"
TOKEN = demo.DISCOURSE_EMAILED_TOKEN


# -- routes real servers have ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["3", "support"])
async def test_category_by_id_or_slug_redirects_to_its_canonical_list(
    client: httpx.AsyncClient, key: str
) -> None:
    response = await client.get(f"/c/{key}.json", params={"page": "1"})
    assert response.status_code == 301
    assert response.headers["location"] == "/c/support/3.json?page=1"
    followed = await client.get(response.headers["location"])
    assert followed.status_code == 200
    assert "topic_list" in followed.json()


async def test_an_unknown_category_path_is_a_404(client: httpx.AsyncClient) -> None:
    assert (await client.get("/c/no-such-category.json")).status_code == 404


@pytest.mark.parametrize("query", ["active", "all", "trust_level_9", "newuser", "anything-else"])
async def test_the_admin_user_list_takes_any_query_and_an_exact_email(
    client: httpx.AsyncClient, query: str
) -> None:
    response = await client.get(f"/admin/users/list/{query}.json", headers=ADMIN)
    assert response.status_code == 200
    by_email = await client.get(
        f"/admin/users/list/{query}.json",
        params={"email": "alice@sandbox.invalid", "show_emails": "true"},
        headers=ADMIN,
    )
    rows = by_email.json()
    assert [row["username"] for row in rows] in ([], ["alice"])
    if query in ("active", "all", "anything-else"):
        assert [row["email"] for row in rows] == ["alice@sandbox.invalid"]


async def test_the_admin_user_list_filters_by_trust_level_name(client: httpx.AsyncClient) -> None:
    rows = (await client.get("/admin/users/list/newuser.json", headers=ADMIN)).json()
    assert rows and {row["trust_level"] for row in rows} == {0}


async def test_topic_timings_are_accepted_from_a_signed_in_reader(client: httpx.AsyncClient) -> None:
    body = {"topic_id": 10, "topic_time": 4200, "timings": {"1": 4200, "2": 1800}}
    response = await client.post("/topics/timings.json", json=body, headers=ALICE)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert (
        await client.post("/topics/timings.json", json={"topic_time": 1}, headers=ALICE)
    ).status_code == 400
    assert (
        await client.post("/topics/timings.json", json=body)
    ).status_code == 403  # no credentials: BAD CSRF


async def test_color_schemes_list_and_create(client: httpx.AsyncClient) -> None:
    listed = (await client.get("/admin/color_schemes.json", headers=ADMIN)).json()
    assert listed[0]["is_base"] is True
    assert {"name", "hex", "default_hex", "is_advanced"} <= set(listed[0]["colors"][0])
    body = {"color_scheme": {"name": "Dusk", "colors": [{"name": "primary", "hex": "DDDDDD"}]}}
    created = (await client.post("/admin/color_schemes.json", json=body, headers=ADMIN)).json()
    assert created["name"] == "Dusk"
    assert {"name": "primary", "hex": "dddddd", "default_hex": "222222", "is_advanced": False} in created[
        "colors"
    ]
    again = (await client.get("/admin/color_schemes.json", headers=ADMIN)).json()
    assert [s["name"] for s in again] == ["Light", "Dusk"]
    refused = await client.post(
        "/admin/color_schemes.json", json={"color_scheme": {"name": ""}}, headers=ADMIN
    )
    assert refused.status_code == 422


async def test_a_site_text_can_be_overridden(client: httpx.AsyncClient) -> None:
    path = "/admin/customize/site_texts/js.topic.create.json"
    response = await client.put(path, json={"site_text": {"value": "Start a discussion"}}, headers=ADMIN)
    assert response.status_code == 200
    text = response.json()["site_text"]
    assert (text["id"], text["value"], text["overridden"]) == ("js.topic.create", "Start a discussion", True)
    assert (await client.get(path, headers=ADMIN)).json()["site_text"]["value"] == "Start a discussion"
    unknown = await client.put(
        "/admin/customize/site_texts/no.such.key.json", json={"site_text": {"value": "x"}}, headers=ADMIN
    )
    assert unknown.status_code == 404


# -- shapes ---------------------------------------------------------------------------------------------


async def _liked_post(client: httpx.AsyncClient) -> int:
    await client.post("/post_actions.json", json={"id": 20, "post_action_type_id": 2}, headers=ALICE)
    return 20


async def test_the_topic_view_and_its_posts_carry_the_whole_like_summary(client: httpx.AsyncClient) -> None:
    post_id = await _liked_post(client)
    single = (await client.get(f"/posts/{post_id}.json", headers=ALICE)).json()
    topic_id = single["topic_id"]
    view = (await client.get(f"/t/{topic_id}.json", headers=ALICE)).json()
    in_view = next(p for p in view["post_stream"]["posts"] if p["id"] == post_id)
    listed = (
        await client.get(f"/t/{topic_id}/posts.json", params={"post_ids[]": post_id}, headers=ALICE)
    ).json()
    in_list = listed["post_stream"]["posts"][0]
    like = next(a for a in single["actions_summary"] if a["id"] == 2)
    assert like["acted"] is True and like["count"] >= 1
    assert in_view["actions_summary"] == single["actions_summary"]
    assert in_list["actions_summary"] == single["actions_summary"]


async def test_group_search_answers_the_group_list_serializer(client: httpx.AsyncClient) -> None:
    found = (await client.get("/groups/search.json", params={"term": "api"})).json()
    listed = {g["name"]: g for g in (await client.get("/groups.json")).json()["groups"]}
    assert [g["name"] for g in found] == ["api-team"]
    group = found[0]
    assert {"automatic", "user_count", "visibility_level", "mentionable_level", "bio_cooked"} <= set(group)
    assert set(group) <= set(listed["api-team"])


@pytest.mark.parametrize("path", ["/latest.json", "/top.json", "/c/support/3.json", "/tag/api.json"])
async def test_topic_list_items_carry_image_url_and_unpinned(client: httpx.AsyncClient, path: str) -> None:
    topics = (await client.get(path)).json()["topic_list"]["topics"]
    assert topics
    assert all("image_url" in t and "unpinned" in t for t in topics)


async def test_inviting_an_address_with_no_account_answers_success_and_records_an_invite(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/t/10/invite.json", json={"email": "newcomer@sandbox.invalid"}, headers=ADMIN
    )
    assert response.json() == {"success": "OK"}
    invite = await client.get(
        "/invites/retrieve.json", params={"email": "newcomer@sandbox.invalid"}, headers=ADMIN
    )
    assert invite.status_code == 200
    assert invite.json()["topics"][0]["id"] == 10
    known = await client.post("/t/10/invite.json", json={"email": "alice@sandbox.invalid"}, headers=ADMIN)
    assert known.json()["user"]["username"] == "alice"


async def test_sync_sso_answers_the_admin_user_detail(client: httpx.AsyncClient) -> None:
    payload = base64.b64encode(b"external_id=ext-sso-9&email=sso9@sandbox.invalid&username=sso_nine").decode()
    sig = hmac.new(b"example-connect-secret", payload.encode(), hashlib.sha256).hexdigest()
    response = await client.post(
        "/admin/users/sync_sso.json", json={"sso": payload, "sig": sig}, headers=ADMIN
    )
    assert response.status_code == 200
    body = response.json()
    detail = (await client.get(f"/admin/users/{body['id']}.json", headers=ADMIN)).json()
    assert body["username"] == "sso_nine"
    assert set(body) == set(detail)


async def test_a_refused_sign_up_still_says_whether_the_account_is_active(client: httpx.AsyncClient) -> None:
    body = {"name": "Short", "email": "short@sandbox.invalid", "username": "shorty", "password": "short"}
    response = await client.post("/users.json", json=body, headers=ADMIN)
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert response.json()["active"] is False


# -- e-mailed tokens ------------------------------------------------------------------------------------


async def test_a_backup_downloads_only_with_the_token_mailed_to_this_admin(client: httpx.AsyncClient) -> None:
    path = f"/admin/backups/{BACKUP}"
    assert (await client.put(path + ".json", headers=ADMIN)).status_code == 200
    bogus = await client.get(path, params={"token": "bogus"}, headers=ADMIN)
    assert bogus.status_code == 422
    assert bogus.headers["content-type"].startswith("text/html")
    good = await client.get(path, params={"token": TOKEN}, headers=ADMIN)
    assert good.status_code == 200
    assert good.headers["content-type"] == "application/gzip"
    assert (await client.get(path, headers=ADMIN)).status_code == 400  # token missing


async def test_a_password_reset_needs_a_mailed_token(client: httpx.AsyncClient) -> None:
    body = {"password": "a-long-enough-password"}
    bogus = await client.put("/users/password-reset/bogus.json", json=body, headers=ADMIN)
    assert bogus.status_code == 200
    assert bogus.json()["success"] is False
    good = await client.put(f"/users/password-reset/{TOKEN}.json", json=body, headers=ADMIN)
    assert good.json()["success"] is True
    short = await client.put(f"/u/password-reset/{TOKEN}.json", json={"password": "short"}, headers=ADMIN)
    assert short.json()["success"] is False
    assert "password" in short.json()["errors"]

"""Discourse sandbox routing as the real server draws it: both user roots, route order, Content-Type."""

from __future__ import annotations

import httpx
import pytest

from explorer.sandbox import demo

pytestmark = pytest.mark.anyio

ADMIN = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": demo.ADMIN_USERNAME}
TEXT = "text/plain; charset=utf-8"


@pytest.mark.parametrize(
    ("verb", "path", "body"),
    [
        ("DELETE", "/t/12.json", None),
        ("DELETE", "/posts/21.json", None),
        ("PUT", "/admin/site_settings/title.json", {"title": "Renamed sandbox"}),
        ("PUT", "/t/10/bookmark.json", None),
        ("PUT", "/u/alice/preferences/email.json", {"email": "alice.new@sandbox.invalid"}),
        ("DELETE", "/admin/badges/9.json", None),
    ],
)
async def test_an_empty_answer_still_names_its_content_type(
    client: httpx.AsyncClient, verb: str, path: str, body: dict[str, str] | None
) -> None:
    # Rails' `render body: nil` sends text/plain; a client that reads the header must not find it missing.
    response = await client.request(verb, path, headers=ADMIN, json=body)
    assert response.status_code == 200, response.text
    assert response.content == b""
    assert response.headers["content-type"] == TEXT


async def test_anonymous_current_session_is_an_empty_404_with_a_content_type(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/session/current.json")
    assert (response.status_code, response.content) == (404, b"")
    assert response.headers["content-type"] == TEXT


async def test_a_redirect_carries_rails_html_body(client: httpx.AsyncClient) -> None:
    response = await client.get("/t/external_id/ext-topic-10.json")
    assert response.status_code == 301
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["location"] in response.text


@pytest.mark.parametrize(
    ("verb", "path", "body"),
    [
        ("PUT", "/users/alice.json", {"name": "Alice Under Users"}),
        ("PUT", "/users/alice/preferences/email.json", {"email": "alice.users@sandbox.invalid"}),
        ("PUT", "/users/bob/preferences/username.json", {"new_username": "bobby"}),
        ("GET", "/users/alice/emails.json", None),
        ("GET", "/users/alice/activity/posts.json", None),
        ("GET", "/u/check_username.json?username=somebody_new", None),
        ("GET", "/u/by-external/oidc/ext-alice.json", None),
    ],
)
async def test_every_user_route_answers_under_both_roots(
    client: httpx.AsyncClient, verb: str, path: str, body: dict[str, str] | None
) -> None:
    response = await client.request(verb, path, headers=ADMIN, json=body)
    assert response.status_code == 200, response.text


async def test_a_user_route_under_users_changes_the_same_record(client: httpx.AsyncClient) -> None:
    await client.put("/users/alice.json", headers=ADMIN, json={"name": "Alice Twin"})
    assert (await client.get("/u/alice.json")).json()["user"]["name"] == "Alice Twin"


async def test_topic_id_and_post_number_is_read_before_slug_and_id(client: httpx.AsyncClient) -> None:
    # /t/42/2 is post 2 of topic 42 (Discourse declares that route first), not topic 2 under slug "42".
    response = await client.get("/t/42/2.json")
    assert response.status_code == 200
    assert response.json()["id"] == 42
    topic = (await client.get("/t/10.json")).json()
    by_slug = await client.get(f"/t/{topic['slug']}/10.json")
    assert by_slug.json()["id"] == 10


async def test_a_unicode_digit_in_an_id_is_a_404_not_a_500(client: httpx.AsyncClient) -> None:
    for path in ("/groups/by-id/%C2%B2.json", "/t/%C2%B2.json", "/c/%C2%B2/show.json", "/posts/%D9%A3.json"):
        response = await client.get(path, headers=ADMIN)
        assert response.status_code == 404, (path, response.text)

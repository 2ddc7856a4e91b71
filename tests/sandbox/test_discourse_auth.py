"""Authentication of the Discourse sandbox: every documented credential case answers like the real server."""

from __future__ import annotations

import base64
import hashlib
import hmac

import httpx
import pytest

from explorer.sandbox import demo

pytestmark = pytest.mark.anyio

INVALID_KEY_BODY = {
    "errors": ["You are not permitted to view the requested resource. The API username or key is invalid."],
    "error_type": "invalid_access",
}
ADMIN = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": demo.ADMIN_USERNAME}
NEW_TOPIC = {"title": "Posting through the sandbox API", "raw": "A body that is long enough to be accepted."}


async def test_admin_key_with_username_acts_as_that_user(client: httpx.AsyncClient) -> None:
    response = await client.get("/session/current.json", headers=ADMIN)
    assert response.status_code == 200
    assert response.json()["current_user"]["username"] == "system"
    assert response.headers["X-Discourse-Username"] == "system"
    assert response.headers["X-Discourse-Route"] == "session/current"


async def test_admin_key_can_act_as_any_user(client: httpx.AsyncClient) -> None:
    headers = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": "alice"}
    response = await client.get("/session/current.json", headers=headers)
    assert response.json()["current_user"]["username"] == "alice"


async def test_admin_key_without_username_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.get("/latest.json", headers={"Api-Key": demo.DISCOURSE_ADMIN_KEY})
    assert response.status_code == 403
    assert response.json() == INVALID_KEY_BODY


async def test_unknown_username_and_suspended_user_are_refused(client: httpx.AsyncClient) -> None:
    for username in ("nobody_here", "frank"):
        headers = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": username}
        response = await client.get("/latest.json", headers=headers)
        assert response.status_code == 403, username
        assert response.json() == INVALID_KEY_BODY


async def test_bad_key_is_refused_with_invalid_access(client: httpx.AsyncClient) -> None:
    response = await client.get("/latest.json", headers={"Api-Key": "0" * 64, "Api-Username": "system"})
    assert response.status_code == 403
    assert response.json() == INVALID_KEY_BODY


async def test_single_user_key_acts_as_its_owner_and_rejects_another_username(
    client: httpx.AsyncClient,
) -> None:
    key = {"Api-Key": demo.DISCOURSE_SINGLE_USER_KEY}
    response = await client.get("/session/current.json", headers=key)
    assert response.json()["current_user"]["username"] == demo.MODERATOR_USERNAME
    same = await client.get("/session/current.json", headers={**key, "Api-Username": "MOD_MARIA"})
    assert same.status_code == 200
    wrong = await client.get("/session/current.json", headers={**key, "Api-Username": "alice"})
    assert wrong.status_code == 403
    assert wrong.json() == INVALID_KEY_BODY


async def test_read_only_key_reads_but_cannot_write(client: httpx.AsyncClient) -> None:
    headers = {"Api-Key": demo.DISCOURSE_READ_ONLY_KEY, "Api-Username": "alice"}
    assert (await client.get("/latest.json", headers=headers)).status_code == 200
    response = await client.post("/posts.json", headers=headers, json=NEW_TOPIC)
    assert response.status_code == 403
    assert response.json() == INVALID_KEY_BODY


async def test_granular_key_allows_only_its_scopes(client: httpx.AsyncClient) -> None:
    headers = {"Api-Key": demo.DISCOURSE_GRANULAR_KEY, "Api-Username": "carol"}
    assert (await client.get("/latest.json", headers=headers)).status_code == 200  # topics:read_lists
    created = await client.post("/posts.json", headers=headers, json=NEW_TOPIC)  # topics:write
    assert created.status_code == 200
    deleted = await client.delete(
        f"/t/{created.json()['topic_id']}.json", headers=headers
    )  # no topics:delete
    assert deleted.status_code == 403
    assert deleted.json() == INVALID_KEY_BODY
    groups = await client.get("/groups.json", headers=headers)  # groups:administer_groups not granted
    assert groups.status_code == 403
    scopes = await client.get("/session/scopes.json", headers=headers)  # always allowed for API keys
    assert scopes.status_code == 200
    assert {s["key"] for s in scopes.json()["scopes"]} >= {"topics:read_lists", "topics:write"}


async def test_user_api_key_acts_as_the_regular_user(client: httpx.AsyncClient) -> None:
    headers = {
        "User-Api-Key": demo.DISCOURSE_USER_API_KEY,
        "User-Api-Client-Id": demo.DISCOURSE_USER_API_CLIENT_ID,
    }
    response = await client.get("/session/current.json", headers=headers)
    assert response.json()["current_user"]["username"] == demo.REGULAR_USERNAME
    created = await client.post("/posts.json", headers=headers, json=NEW_TOPIC)
    assert created.status_code == 200
    assert created.json()["username"] == demo.REGULAR_USERNAME
    bad = await client.get("/session/current.json", headers={"User-Api-Key": "f" * 32})
    assert bad.status_code == 403
    assert bad.json() == {
        "errors": ["You are not permitted to view the requested resource."],
        "error_type": "invalid_access",
    }


async def test_query_string_key_is_ignored_on_get(client: httpx.AsyncClient) -> None:
    params = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": "system"}
    response = await client.get("/session/current.json", params=params)
    assert response.status_code == 404  # anonymous: there is no current user
    latest = await client.get("/latest.json", params=params)
    assert latest.status_code == 200
    assert "X-Discourse-Username" not in latest.headers
    staff_only = [t for t in latest.json()["topic_list"]["topics"] if t["category_id"] == 6]
    assert staff_only == []  # the anonymous view hides the private category


async def test_credentials_in_query_or_body_on_post_get_bad_csrf(client: httpx.AsyncClient) -> None:
    params = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": "system"}
    in_query = await client.post("/posts.json", params=params, json=NEW_TOPIC)
    in_body = await client.post("/posts.json", data={**params, **NEW_TOPIC})
    underscored_headers = await client.post(
        "/posts.json", headers={"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": "system"}, json=NEW_TOPIC
    )
    for response in (in_query, in_body, underscored_headers):
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("text/plain")
        assert response.text == '["BAD CSRF"]'


async def test_query_string_key_is_honoured_on_rss(client: httpx.AsyncClient) -> None:
    params = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": "system"}
    feed = await client.get("/latest.rss", params=params)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/rss+xml")
    assert feed.headers["X-Discourse-Username"] == "system"
    assert "Moderation notes for this week" in feed.text  # staff-only topic: the key was used
    anonymous = await client.get("/latest.rss")
    assert "Moderation notes for this week" not in anonymous.text


async def test_admin_routes_answer_404_to_non_admins_and_bad_keys(client: httpx.AsyncClient) -> None:
    cases = [
        {},
        {"Api-Key": "0" * 64, "Api-Username": "system"},
        {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": "alice"},
        {"User-Api-Key": demo.DISCOURSE_USER_API_KEY},
    ]
    for headers in cases:
        response = await client.get("/admin/backups.json", headers=headers)
        assert response.status_code == 404, headers
    assert (await client.get("/admin/backups.json", headers=ADMIN)).status_code == 200


async def test_login_only_endpoint_answers_not_logged_in(client: httpx.AsyncClient) -> None:
    response = await client.get("/notifications.json")
    assert response.status_code == 403
    assert response.json() == {
        "errors": ["You need to be logged in to do that."],
        "error_type": "not_logged_in",
    }


async def test_validation_failure_answers_422_with_errors(client: httpx.AsyncClient) -> None:
    response = await client.post("/posts.json", headers=ADMIN, json={"title": "short", "raw": "tiny"})
    assert response.status_code == 422
    body = response.json()
    assert body["action"] == "create_post"
    assert "Title is too short (minimum is 15 characters)" in body["errors"]
    assert "Body is too short (minimum is 20 characters)" in body["errors"]


def _sso(payload: str, secret: str) -> dict[str, str]:
    encoded = base64.b64encode(payload.encode()).decode()
    return {"sso": encoded, "sig": hmac.new(secret.encode(), encoded.encode(), hashlib.sha256).hexdigest()}


async def test_sync_sso_checks_the_signature(client: httpx.AsyncClient) -> None:
    payload = "external_id=crm-1&email=dana%40sandbox.invalid&username=dana&name=Dana"
    forged = await client.post("/admin/users/sync_sso", headers=ADMIN, data=_sso(payload, "wrong-secret"))
    assert forged.status_code == 422
    assert forged.json()["errors"] == ["Bad signature for payload"]
    signed = await client.post(
        "/admin/users/sync_sso", headers=ADMIN, data=_sso(payload, "example-connect-secret")
    )
    assert signed.status_code == 200
    assert signed.json()["username"] == "dana"
    found = await client.get("/u/by-external/crm-1.json")
    assert found.json()["user"]["name"] == "Dana"


async def test_api_user_id_and_external_id_headers_pick_the_user(client: httpx.AsyncClient) -> None:
    by_id = await client.get(
        "/session/current.json", headers={"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-User-Id": "3"}
    )
    assert by_id.json()["current_user"]["username"] == "alice"
    by_external = await client.get(
        "/session/current.json",
        headers={"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-User-External-Id": "ext-carol"},
    )
    assert by_external.json()["current_user"]["username"] == "carol"


async def test_bookmarks_calendar_takes_a_user_api_key_in_the_query(client: httpx.AsyncClient) -> None:
    path = f"/u/{demo.REGULAR_USERNAME}/bookmarks.ics"
    feed = await client.get(path, params={"user_api_key": demo.DISCOURSE_USER_API_KEY})
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    assert feed.headers["X-Discourse-Username"] == demo.REGULAR_USERNAME
    # The same key in the query of an ordinary JSON route is ignored: the caller stays anonymous.
    json_route = await client.get(
        "/session/current.json", params={"user_api_key": demo.DISCOURSE_USER_API_KEY}
    )
    assert json_route.status_code == 404


async def test_handle_mail_takes_the_admin_key_in_the_form_body(client: httpx.AsyncClient) -> None:
    form = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": "system", "email": "From: a@example.com"}
    received = await client.post("/admin/email/handle_mail", data=form)
    assert received.status_code == 200
    assert "queued for processing" in received.text
    # Any other write with the key in the body is refused before it reaches the route.
    elsewhere = await client.post("/posts.json", data={**form, **NEW_TOPIC})
    assert elsewhere.text == '["BAD CSRF"]'

"""Disqus 1.1 wire rules: envelope, trailing slash, verbs, api_version and its 1.0 default."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from disqus_calls import Disqus, error, ok

from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.demo import DISQUS_FORUM_API_KEY, DISQUS_USER_API_KEY, DemoCredentials
from explorer.sandbox.disqus import create_app as create_disqus_app
from explorer.sandbox.disqus import handlers

USER = {"user_api_key": DISQUS_USER_API_KEY}


@pytest.fixture(scope="module")
def disqus(sandbox_server: DemoCredentials) -> Disqus:
    return Disqus(sandbox_server)


def test_success_uses_the_envelope(disqus: Disqus) -> None:
    body = disqus.get("get_forum_list", **USER).json()
    assert list(body) == ["succeeded", "code", "message"]
    assert ok(disqus.get("get_forum_list", **USER))


def test_get_without_trailing_slash_redirects_301_keeping_the_query(disqus: Disqus) -> None:
    response = disqus.client.get("/api/get_forum_list", params={**USER, "api_version": "1.1"})
    assert response.status_code == 301
    location = httpx.URL(response.headers["location"])
    assert location.path.endswith("/disqus/api/get_forum_list/")
    assert location.params["user_api_key"] == DISQUS_USER_API_KEY
    followed = disqus.client.get(location)
    assert ok(followed)


def test_post_without_trailing_slash_explains_the_lost_body(disqus: Disqus) -> None:
    response = disqus.client.post("/api/get_user_name", data={**USER, "api_version": "1.1"})
    message = error(response, 400, "trailing-slash-required")
    assert "/api/get_user_name/" in message
    assert "body" in message and "301" in message


def test_wrong_verb_is_405_with_allow(disqus: Disqus) -> None:
    response = disqus.client.post("/api/get_forum_list/", data={**USER, "api_version": "1.1"})
    message = error(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "GET, HEAD"
    assert "GET" in message and "POST" in message
    get_on_post = disqus.get("create_post", **USER)
    error(get_on_post, 405, "method-not-allowed")
    assert get_on_post.headers["allow"] == "POST"


def test_unknown_method_and_foreign_paths_are_404_envelopes(disqus: Disqus) -> None:
    assert "get_forum_list" in error(disqus.get("get_everything"), 404, "not-found")
    assert "/api/<method_name>/" in error(disqus.client.get("/somewhere/else"), 404, "not-found")


def test_post_arguments_travel_as_form_fields_and_json_is_refused(disqus: Disqus) -> None:
    assert ok(disqus.post("get_user_name", **USER)) == "sandbox_owner"
    response = disqus.client.post("/api/get_user_name/", json={**USER, "api_version": "1.1"})
    assert "form" in error(response)


def test_api_version_in_the_query_counts_for_a_post(disqus: Disqus) -> None:
    response = disqus.client.post("/api/get_user_name/?api_version=1.1", data=USER)
    assert ok(response) == "sandbox_owner"


def test_missing_api_version_runs_as_1_0_and_1_1_methods_do_not_exist(disqus: Disqus) -> None:
    response = disqus.get("get_forum_posts", version=None, forum_id="1001", **USER)
    message = error(response, 404, "not-found")
    assert "1.0" in message and "api_version=1.1" in message and "default" in message


def test_missing_api_version_needs_the_forum_key_for_thread_reads(disqus: Disqus) -> None:
    message = error(disqus.get("get_thread_list", version=None, forum_id="1001", **USER))
    assert "forum_api_key" in message and "1.0" in message
    # The same call as 1.1 accepts the user key with forum_id.
    assert ok(disqus.get("get_thread_list", forum_id="1001", **USER))


def test_missing_api_version_answers_1_0_shapes_and_says_so(disqus: Disqus) -> None:
    response = disqus.get("get_thread_list", version=None, forum_api_key=DISQUS_FORUM_API_KEY)
    threads = ok(response)
    assert response.headers["x-sandbox-api-version"] == "1.0"
    assert all(t["identifier"] is None or isinstance(t["identifier"], str) for t in threads)
    threads_11 = ok(disqus.get("get_thread_list", forum_api_key=DISQUS_FORUM_API_KEY))
    assert all(isinstance(t["identifier"], list) for t in threads_11)


def test_explicit_api_version_1_0_behaves_like_missing(disqus: Disqus) -> None:
    message = error(
        disqus.get("get_categories_list", version="1.0", forum_id="1001", **USER), 404, "not-found"
    )
    assert "api_version was 1.0" in message


def test_unsupported_api_version_is_refused(disqus: Disqus) -> None:
    assert "1.1" in error(disqus.get("get_forum_list", version="3.0", **USER))


def test_head_is_accepted_on_get_methods(disqus: Disqus) -> None:
    response = disqus.client.head("/api/get_forum_list/", params={**USER, "api_version": "1.1"})
    assert response.status_code == 200


def test_an_unreadable_form_body_is_an_envelope_error(disqus: Disqus) -> None:
    response = disqus.client.post(
        "/api/get_user_name/?api_version=1.1",
        content=b"not multipart at all",
        headers={"content-type": "multipart/form-data; boundary=xyz"},
    )
    assert "form fields" in error(response)


def test_missing_api_version_with_the_forum_key_and_forum_id_is_fine(disqus: Disqus) -> None:
    threads = ok(
        disqus.get("get_thread_list", version=None, forum_id="1001", forum_api_key=DISQUS_FORUM_API_KEY)
    )
    assert threads and {t["forum"] for t in threads} == {"1001"}


def test_a_failure_inside_the_sandbox_is_a_500_envelope(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(call: object) -> object:
        raise RuntimeError("a bug in a handler")

    verb, _, new_in_1_1 = handlers.METHODS["get_forum_list"]
    monkeypatch.setitem(handlers.METHODS, "get_forum_list", (verb, broken, new_in_1_1))
    transport = httpx.ASGITransport(create_disqus_app(SandboxConfig()))
    response = asyncio.run(_get(transport, "/api/get_forum_list/", {**USER, "api_version": "1.1"}))
    assert response.status_code == 500
    assert response.json() == {
        "succeeded": False,
        "code": "server-error",
        "message": "The sandbox failed on this request (a bug).",
    }


async def _get(transport: httpx.ASGITransport, path: str, params: dict[str, str]) -> httpx.Response:
    async with httpx.AsyncClient(transport=transport, base_url="http://sandbox") as client:
        return await client.get(path, params=params)

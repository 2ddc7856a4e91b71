"""End to end: every Disqus catalog method, built by the request builder and sent over HTTP to the sandbox."""

from __future__ import annotations

import json
from typing import Any

import pytest

from explorer.core.builder import build_request
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api, Method
from explorer.core.http.executor import execute_sync
from explorer.sandbox.demo import DISQUS_FORUM_API_KEY, DISQUS_USER_API_KEY, DemoCredentials
from explorer.sandbox.disqus.handlers import METHODS

CATALOG = load_bundled_catalogs()[Api.DISQUS]
KEYS = {"user_api_key": DISQUS_USER_API_KEY, "forum_api_key": DISQUS_FORUM_API_KEY}

# What each method's `message` is on success.
EXPECTED_MESSAGE: dict[str, Any] = {
    "get_user_name": str,
    "get_forum_api_key": str,
    "get_forum_list": list,
    "get_forum_posts": list,
    "get_num_posts": dict,
    "get_categories_list": list,
    "get_thread_list": list,
    "get_updated_threads": list,
    "get_thread_posts": list,
    "thread_by_identifier": dict,
    "get_thread_by_url": (dict, type(None)),
    "update_thread": dict,
    "create_post": dict,
    "moderate_post": dict,
}


def _send(method: Method, credentials: dict[str, str], base_url: str) -> tuple[int, dict[str, Any]]:
    built = build_request(method, method.example, base_url=base_url, credentials=credentials)
    assert built.ok, built.errors
    assert built.request is not None
    result = execute_sync(built.request)
    assert result.error is None, result.error
    assert result.status is not None
    assert dict((k.lower(), v) for k, v in result.headers)["content-type"].startswith("application/json")
    body = json.loads(result.body)
    assert list(body) == ["succeeded", "code", "message"]
    return result.status, body


def test_the_catalog_and_the_sandbox_have_the_same_methods() -> None:
    assert {m.id for m in CATALOG.methods} == set(METHODS)
    for method in CATALOG.methods:
        assert method.verb == METHODS[method.id][0]
        assert method.path == f"/api/{method.id}/"


# Methods that change data run on a private sandbox, so the shared one keeps its seeded state for others.
WRITES = {"thread_by_identifier", "update_thread", "create_post", "moderate_post"}


@pytest.mark.parametrize("method", CATALOG.methods, ids=lambda m: m.id)
def test_every_method_answers_its_example_with_success(
    method: Method, request: pytest.FixtureRequest
) -> None:
    fixture = "fresh_sandbox" if method.id in WRITES else "sandbox_server"
    server: DemoCredentials = request.getfixturevalue(fixture)
    status, body = _send(method, KEYS, server.disqus_base_url)
    assert status == 200, body
    assert body["succeeded"] is True and body["code"] == "ok"
    assert isinstance(body["message"], EXPECTED_MESSAGE[method.id])
    if method.id == "get_forum_api_key":
        assert body["message"] == DISQUS_FORUM_API_KEY
    if method.id == "thread_by_identifier":
        assert set(body["message"]) == {"thread", "created"}


@pytest.mark.parametrize("method", CATALOG.methods, ids=lambda m: m.id)
def test_every_method_without_keys_is_a_400_envelope(method: Method, sandbox_server: DemoCredentials) -> None:
    status, body = _send(method, {}, sandbox_server.disqus_base_url)
    assert status == 400
    assert body["succeeded"] is False and body["code"] == "input-invalid"
    assert "_api_key" in body["message"]

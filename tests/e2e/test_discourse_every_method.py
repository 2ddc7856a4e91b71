"""Every Discourse catalog method, built by the request builder and sent over real HTTP to the sandbox."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from spec_defects import corrected_spec

from explorer.core.builder import build_request
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api, Method
from explorer.core.http.bodies import encode_body
from explorer.sandbox import demo
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.server import SandboxServer

CATALOG = load_bundled_catalogs()[Api.DISCOURSE]
ADMIN = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.ADMIN_USERNAME}
USER_KEY = {
    "user_api_key": demo.DISCOURSE_USER_API_KEY,
    "user_api_client_id": demo.DISCOURSE_USER_API_CLIENT_ID,
}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)

# The catalog examples fit the seeded forum (tests/e2e/test_catalog_examples.py); what an example cannot
# carry (a file) is added here. Methods that need an earlier call are set up in SETUP below.
OVERRIDES: dict[str, dict[str, Any]] = {
    "createUpload": {"file": ("pixel.png", PNG)},
}
# Statuses other than 200 that the real server gives for these calls.
EXPECTED = {"getTopicByExternalId": 301}
# A call that must happen first (verb, path, JSON body), and which values of its answer the method then uses.
SETUP: dict[str, tuple[str, str, dict[str, Any] | None, Callable[[Any], dict[str, Any]]]] = {
    "removePostAction": (
        "POST",
        "/post_actions.json",
        {"id": 21, "post_action_type_id": 2},
        lambda r: {"id": 21},
    ),
    "deleteBookmark": (
        "POST",
        "/bookmarks.json",
        {"bookmarkable_id": 20, "bookmarkable_type": "Post"},
        lambda r: {"id": r["id"]},
    ),
    "updateAvatar": ("UPLOAD", "/uploads.json", None, lambda r: {"upload_id": r["id"]}),
    "deleteApiKey": (
        "POST",
        "/admin/api/keys.json",
        {"key": {"description": "to delete"}},
        lambda r: {"id": r["key"]["id"]},
    ),
}
# Methods whose credentials are not the admin key's.
CREDENTIALS = {"revokeUserApiKey": USER_KEY}


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    # A generous admin budget: this test makes far more than 60 admin calls a minute on purpose.
    with SandboxServer(
        SandboxConfig(admin_rate_limit_per_minute=100_000), host="127.0.0.1", port=0
    ) as running:
        yield running.url


@pytest.fixture(scope="module")
def spec(shared_dir: Path) -> dict[str, dict[str, Any]]:
    # With the spec's known defects corrected: the sandbox sends what real servers send there.
    document, _ = corrected_spec(json.loads((shared_dir / "reference/discourse/openapi.json").read_text()))
    return {
        op["operationId"]: op
        for ops in document["paths"].values()
        for verb, op in ops.items()
        if verb != "parameters"
    }


def _send(
    client: httpx.Client, method: Method, values: dict[str, Any], base_url: str, credentials: dict[str, str]
) -> httpx.Response:
    result = build_request(method, values, base_url=base_url, credentials=credentials)
    assert result.ok, result.errors
    request = result.request
    assert request is not None
    content, content_type = encode_body(request.body)
    headers = dict(request.headers)
    if content_type:
        headers["Content-Type"] = content_type
    return client.request(request.method, request.full_url(), headers=headers, content=content)


def _setup(client: httpx.Client, base_url: str, method_id: str) -> dict[str, Any]:
    if method_id not in SETUP:
        return {}
    verb, path, body, extract = SETUP[method_id]
    headers = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": demo.ADMIN_USERNAME}
    if verb == "UPLOAD":
        files = {"file": ("avatar.png", PNG, "image/png")}
        response = client.post(base_url + path, headers=headers, data={"upload_type": "avatar"}, files=files)
    else:
        response = client.request(verb, base_url + path, headers=headers, json=body)
    assert response.status_code == 200, response.text
    return extract(response.json())


@pytest.mark.parametrize("method", CATALOG.methods, ids=lambda m: m.id)
def test_catalog_method_answers_as_expected(server: str, spec: dict[str, Any], method: Method) -> None:
    with httpx.Client(timeout=10) as client:
        values = {**method.example, **OVERRIDES.get(method.id, {}), **_setup(client, server, method.id)}
        if method.id == "revokeUserApiKey":
            # Revoking the demo key would break later tests, so this one runs on a private sandbox.
            with SandboxServer(host="127.0.0.1", port=0) as private:
                response = _send(client, method, values, private.url, USER_KEY)
        else:
            response = _send(client, method, values, server, CREDENTIALS.get(method.id, ADMIN))
    assert response.status_code < 500, response.text[:300]
    expected = EXPECTED.get(method.id, 200)
    assert response.status_code == expected, f"{method.verb} {method.path}: {response.text[:300]}"
    if not method.documented or expected != 200:
        return
    schema = spec[method.id]["responses"]["200"].get("content", {}).get("application/json", {}).get("schema")
    if schema is not None:
        problems = list(Draft202012Validator(schema).iter_errors(response.json()))
        assert not problems, [f"{list(p.path)}: {p.message[:160]}" for p in problems[:5]]


def test_every_documented_operation_is_in_the_catalog(spec: dict[str, Any]) -> None:
    documented = {m.id for m in CATALOG.methods if m.documented}
    assert documented == set(spec)
    assert len(CATALOG.methods) - len(documented) >= 20

"""Every catalog example, sent as it stands with the demo credentials, succeeds on a fresh sandbox."""

# The window pre-fills these examples, so a newcomer's first Ctrl+Enter against the built-in sandbox should
# work. The few that cannot work on their own (they need a file, an earlier call or other credentials) are
# listed in UNFIT with the exact answer they get and what makes them succeed.

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from explorer.core.builder import build_request
from explorer.core.catalog.loader import load_bundled_catalogs
from explorer.core.catalog.model import Api, Method
from explorer.core.http.bodies import encode_body
from explorer.sandbox import demo
from explorer.sandbox.app import create_app
from explorer.sandbox.config import SandboxConfig

pytestmark = pytest.mark.anyio

CATALOGS = load_bundled_catalogs()
DISCOURSE = CATALOGS[Api.DISCOURSE]
DISQUS = CATALOGS[Api.DISQUS]
ORIGIN = "http://sandbox.test"
ADMIN = {"api_key": demo.DISCOURSE_ADMIN_KEY, "api_username": demo.ADMIN_USERNAME}
USER_API_KEY = {
    "user_api_key": demo.DISCOURSE_USER_API_KEY,
    "user_api_client_id": demo.DISCOURSE_USER_API_CLIENT_ID,
}
DISQUS_KEYS = {"user_api_key": demo.DISQUS_USER_API_KEY, "forum_api_key": demo.DISQUS_FORUM_API_KEY}
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
    b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
NOT_FOUND = {"errors": ["The requested URL or resource could not be found."], "error_type": "not_found"}
INVALID_ACCESS = {
    "errors": ["You are not permitted to view the requested resource."],
    "error_type": "invalid_access",
}


@dataclass(frozen=True)
class Unfit:
    """An example that cannot succeed as it stands: its exact answer on a fresh sandbox, and its cure."""

    reason: str
    status: int
    body: object  # the whole JSON answer
    hint: str  # what the method's catalog notes must say, so the user learns the cure too
    first: str | None = None  # a method whose example, sent first, makes this one succeed
    values: Mapping[str, Any] = field(default_factory=dict)  # what the user adds by hand
    credentials: Mapping[str, str] | None = None  # other credentials that make it succeed


UNFIT: dict[str, Unfit] = {
    "createUpload": Unfit(
        "a file cannot be an example value",
        422,
        {"errors": ["You must provide a file to upload."]},
        hint="`file`",
        values={"file": ("pixel.png", PNG)},
    ),
    "updateAvatar": Unfit(
        "picks the upload that a first 'Upload a file' makes",
        404,
        NOT_FOUND,
        hint="'Upload a file'",
        first="createUpload",
    ),
    "removePostAction": Unfit(
        "undoes the like that the 'Like or flag a post' example adds",
        404,
        NOT_FOUND,
        hint="'Like or flag a post'",
        first="performPostAction",
    ),
    "deleteBookmark": Unfit(
        "deletes the bookmark that the 'Bookmark a post or topic' example makes",
        404,
        NOT_FOUND,
        hint="'Bookmark a post or topic'",
        first="createBookmark",
    ),
    "deleteApiKey": Unfit(
        "deletes the key that the 'Create an API key' example makes (ids 1-4 are the demo keys)",
        404,
        NOT_FOUND,
        hint="'Create an API key'",
        first="createApiKey",
    ),
    "revokeUserApiKey": Unfit(
        "revokes the calling User API key, and an admin API key is not one",
        403,
        INVALID_ACCESS,
        hint="User API key",
        credentials=USER_API_KEY,
    ),
}
# Documented redirects: the answer is a 301 to the resource, which then answers 200.
REDIRECTS = {"getTopicByExternalId": re.compile(r"/t/[a-z0-9-]+/10\.json")}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def fresh_sandbox(**config: Any) -> httpx.AsyncClient:
    """A client for a sandbox of its own: every example starts from the seeded forum."""
    app = create_app(SandboxConfig(**config))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app))


async def send(
    client: httpx.AsyncClient,
    method: Method,
    values: Mapping[str, Any] | None = None,
    credentials: Mapping[str, str] | None = None,
) -> httpx.Response:
    """Build `method` as the window does (the example unless `values`) and send it."""
    disqus = method.api is Api.DISQUS
    built = build_request(
        method,
        method.example if values is None else values,
        base_url=ORIGIN + (demo.DISQUS_PREFIX if disqus else ""),
        credentials=credentials or (DISQUS_KEYS if disqus else ADMIN),
    )
    assert built.ok and built.request is not None, (method.id, built.errors)
    request = built.request
    content, content_type = encode_body(request.body)
    headers = dict(request.headers)
    if content_type:
        headers["Content-Type"] = content_type
    return await client.request(request.method, request.full_url(), headers=headers, content=content)


def succeeded(response: httpx.Response) -> bool:
    """2xx, and not one of Discourse's failures reported in a 200 body (`"success": false` and the like)."""
    if not 200 <= response.status_code < 300:
        return False
    if not response.headers.get("content-type", "").startswith("application/json") or not response.content:
        return True
    body = response.json()
    if not isinstance(body, dict):
        return True
    # Bulk invites report the addresses they could not invite in a 200 body too.
    return body.get("success") is not False and not body.get("num_failed_invitations")


def method(method_id: str) -> Method:
    found = DISCOURSE.method(method_id)
    assert found is not None, method_id
    return found


FIT = [m for m in DISCOURSE.methods if m.id not in UNFIT and m.id not in REDIRECTS]


@pytest.mark.parametrize("m", FIT, ids=lambda m: m.id)
async def test_discourse_example_succeeds_on_a_fresh_sandbox(m: Method) -> None:
    async with fresh_sandbox() as client:
        response = await send(client, m)
    assert succeeded(response), f"{m.verb} {m.path}: {response.status_code} {response.text[:300]}"


@pytest.mark.parametrize("m", DISQUS.methods, ids=lambda m: m.id)
async def test_disqus_example_succeeds_on_a_fresh_sandbox(m: Method) -> None:
    async with fresh_sandbox() as client:
        response = await send(client, m)
    assert response.status_code == 200, response.text[:300]
    body = response.json()
    assert (body["succeeded"], body["code"]) == (True, "ok"), body


@pytest.mark.parametrize("method_id", sorted(UNFIT))
async def test_unfit_example_gets_its_exact_refusal(method_id: str) -> None:
    unfit = UNFIT[method_id]
    async with fresh_sandbox() as client:
        response = await send(client, method(method_id))
    assert (response.status_code, response.json()) == (unfit.status, unfit.body)


@pytest.mark.parametrize("method_id", sorted(UNFIT))
async def test_unfit_example_succeeds_once_its_need_is_met(method_id: str) -> None:
    unfit = UNFIT[method_id]
    async with fresh_sandbox() as client:
        if unfit.first is not None:
            first = method(unfit.first)
            added = UNFIT[first.id].values if first.id in UNFIT else {}
            assert succeeded(await send(client, first, {**first.example, **added}))
        m = method(method_id)
        response = await send(client, m, {**m.example, **unfit.values}, unfit.credentials)
    assert succeeded(response), response.text[:300]


@pytest.mark.parametrize("method_id", sorted(UNFIT))
def test_unfit_example_says_what_it_needs_in_its_notes(method_id: str) -> None:
    unfit = UNFIT[method_id]
    assert unfit.reason
    assert any(unfit.hint in note for note in method(method_id).notes), method(method_id).notes
    if unfit.first is not None:
        assert unfit.first not in UNFIT or UNFIT[unfit.first].values  # a chain ends in something doable


def test_the_allow_list_stays_small() -> None:
    assert len(UNFIT) + len(REDIRECTS) <= 8
    assert {m.id for m in DISCOURSE.methods} >= set(UNFIT) | set(REDIRECTS)


async def test_external_id_example_redirects_to_the_topic() -> None:
    m = method("getTopicByExternalId")
    async with fresh_sandbox() as client:
        response = await send(client, m)
        assert response.status_code == 301
        location = response.headers["location"]
        assert REDIRECTS[m.id].fullmatch(location), location
        # Follow it as "follow redirects" would: same credentials, same origin.
        topic = await client.get(ORIGIN + location, headers=response.request.headers)
    assert topic.status_code == 200
    assert topic.json()["id"] == 10


async def test_examples_sent_in_catalog_order_do_not_spoil_later_ones() -> None:
    """One shared sandbox, every example once, top to bottom, as a newcomer trying them all would.

    Destructive examples (deletes, renames, revocations) must pick data no later example needs; an
    unfit example whose earlier call comes first in the catalog succeeds here.
    """
    failed: list[str] = []
    expected: list[str] = []
    done: set[str] = set()
    # A generous admin budget: this sends far more than the default 60 admin calls in a minute.
    async with fresh_sandbox(admin_rate_limit_per_minute=100_000) as client:
        for m in DISCOURSE.methods:
            unfit = UNFIT.get(m.id)
            if unfit is not None and (unfit.first is None or unfit.first not in done):
                expected.append(m.id)
            response = await send(client, m)
            redirected = m.id in REDIRECTS and response.status_code == 301
            if succeeded(response) or redirected:
                done.add(m.id)
            else:
                failed.append(m.id)
    assert failed == expected


async def test_the_personal_message_variant_in_the_notes_works() -> None:
    m = method("createTopicPostPM")
    assert any("alice,api-team" in note for note in m.notes)
    values = {k: v for k, v in m.example.items() if k != "category"}
    values.update(archetype="private_message", target_recipients="alice,api-team")
    async with fresh_sandbox() as client:
        response = await send(client, m, values)
        assert succeeded(response), response.text[:300]
        topic_id = response.json()["topic_id"]
        as_carol = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": "carol"}  # in api-team, not named
        topic = await client.get(f"{ORIGIN}/t/{topic_id}.json", headers=as_carol)
    assert topic.status_code == 200
    assert topic.json()["archetype"] == "private_message"

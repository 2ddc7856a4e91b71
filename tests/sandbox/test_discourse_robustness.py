"""Odd input never makes the Discourse sandbox fail: every route answers junk with a typed 4xx, not a 5xx."""

from __future__ import annotations

import re

import httpx
import pytest

from explorer.sandbox import demo
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.discourse import create_app
from explorer.sandbox.discourse.routes import all_routes

pytestmark = pytest.mark.anyio

ADMIN = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": "system"}
JUNK_VALUES = ["x", "-1", "0", "99999999999999999999", "%00", "a" * 300]
JUNK_BODIES = [
    {
        "json": {
            "raw": 5,
            "title": ["a"],
            "topic_id": {"x": 1},
            "id": "abc",
            "usernames": 7,
            "post": "no",
            "group": "no",
            "category": "c",
            "level": "high",
            "post_ids": "x",
            "mapping": "{bad",
            "part_numbers": "1",
            "parts": {},
            "options": 3,
            "timestamp": "later",
            "time": "soon",
            "suspend_until": "never",
            "silenced_till": "x",
            "status": "melted",
            "enabled": "maybe",
        }
    },
    {"content": b"{not json", "headers": {"Content-Type": "application/json"}},
    {"content": b"[1, 2]", "headers": {"Content-Type": "application/json"}},
    {"content": b"no boundary", "headers": {"Content-Type": "multipart/form-data"}},
    {"data": {"raw": "", "title": "", "id": "", "upload_type": "composer", "file": "not-a-file"}},
]


def _paths() -> list[tuple[str, str]]:
    seen = []
    for route in all_routes():
        for value in JUNK_VALUES[:3]:
            path = re.sub(r"\{\w+\}", value, route.template)
            if (route.verb, path) not in seen:
                seen.append((route.verb, path))
    return seen


async def test_no_route_fails_on_junk() -> None:
    app = create_app(SandboxConfig(admin_rate_limit_per_minute=1_000_000))
    failures = []
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://sandbox") as client:
        for verb, path in _paths():
            for body in JUNK_BODIES:
                extra = dict(body)
                headers = {**ADMIN, **extra.pop("headers", {})}
                response = await client.request(
                    verb,
                    path + ".json",
                    headers=headers,
                    params={"page": "x", "limit": "-5", "offset": "y"},
                    **extra,
                )
                if response.status_code >= 500:
                    failures.append(f"{verb} {path}: {response.status_code} {response.text[:120]}")
                if "content-type" not in response.headers:
                    failures.append(f"{verb} {path}: {response.status_code} without a Content-Type")
    assert not failures, "\n".join(failures[:20])


async def test_long_and_strange_paths_answer_not_found() -> None:
    app = create_app(SandboxConfig())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://sandbox") as client:
        for value in JUNK_VALUES:
            response = await client.get(f"/t/{value}.json")
            assert response.status_code == 404, value


async def test_a_form_body_that_cannot_be_read_is_a_400_naming_the_problem(client: httpx.AsyncClient) -> None:
    headers = {**ADMIN, "Content-Type": "multipart/form-data"}
    response = await client.post("/posts.json", content=b"no boundary", headers=headers)
    assert response.status_code == 400
    assert response.json() == {
        "errors": ["The form body cannot be read: Missing boundary in multipart."],
        "error_type": "invalid_parameters",
    }


async def test_a_number_where_text_is_expected_is_stored_as_text(client: httpx.AsyncClient) -> None:
    # Rails keeps a JSON number sent for a text column as its text; the group page must still render after.
    body = {"group": {"name": "numbers", "bio_raw": 1.5e-308, "full_name": 7, "title": True}}
    created = await client.post("/admin/groups.json", json=body, headers=ADMIN)
    assert created.status_code == 200, created.text[:200]
    assert created.json()["basic_group"]["bio_raw"] == "1.5e-308"
    assert (await client.get("/groups.json")).status_code == 200
    refused = await client.post(
        "/admin/groups.json", json={"group": {"name": "lists", "bio_raw": [1]}}, headers=ADMIN
    )
    assert refused.status_code == 400


async def test_usernames_given_as_numbers_are_looked_up_not_crashed_on(client: httpx.AsyncClient) -> None:
    response = await client.put("/groups/41/members.json", json={"usernames": [1, 2]}, headers=ADMIN)
    assert response.status_code == 400
    assert "Could not find users" in response.json()["errors"][0]

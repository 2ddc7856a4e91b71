"""Bad or oversized request bodies are refused with the 400 or 413 a real install gives, never a 500."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from explorer.sandbox import demo
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.server import SandboxServer

ADMIN = {"Api-Key": demo.DISCOURSE_ADMIN_KEY, "Api-Username": demo.ADMIN_USERNAME}
LIMIT = 4096  # small, so the test sends a few kilobytes instead of a real 10 MB body


@pytest.fixture(scope="module")
def small_limit() -> Iterator[str]:
    config = SandboxConfig(admin_rate_limit_per_minute=10_000, max_body_bytes=LIMIT)
    with SandboxServer(config) as server:
        yield server.url


def _post(url: str, path: str, **kwargs: object) -> httpx.Response:
    with httpx.Client(base_url=url, timeout=10) as client:
        return client.post(path, **kwargs)  # type: ignore[arg-type]


def test_a_body_just_over_the_limit_is_refused_with_413(small_limit: str) -> None:
    body = b'{"raw": "' + b"x" * (LIMIT - 10) + b'"}'
    assert len(body) == LIMIT + 1
    response = _post(
        small_limit, "/posts.json", content=body, headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "413 Request Entity Too Large" in response.text


def test_a_body_at_the_limit_reaches_the_forum(small_limit: str) -> None:
    raw = "A reply that fills the body up to the limit. " + "y" * (LIMIT - 120)
    body = b'{"topic_id": 10, "raw": "' + raw.encode() + b'"}'
    body += b" " * (LIMIT - len(body))
    response = _post(
        small_limit, "/posts.json", content=body, headers={**ADMIN, "Content-Type": "application/json"}
    )
    assert response.status_code == 200, response.text[:200]


def test_a_chunked_body_over_the_limit_is_refused_too(small_limit: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(LIMIT // 512 + 2):
            yield b"a" * 512

    response = _post(
        small_limit, "/disqus/api/create_post/", content=chunks(), headers={"Content-Type": "text/plain"}
    )
    assert response.status_code == 413


def test_a_chunked_body_under_the_limit_is_read_whole(small_limit: str) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"title": "Chunked but small enough", '
        yield b'"raw": "A first post sent in two chunks."}'

    headers = {**ADMIN, "Content-Type": "application/json"}
    response = _post(small_limit, "/posts.json", content=chunks(), headers=headers)
    assert response.status_code == 200, response.text[:200]
    assert response.json()["topic_slug"] == "chunked-but-small-enough"


@pytest.mark.anyio
@pytest.mark.parametrize("depth", [101, 100_000])
async def test_json_nested_too_deep_is_a_400(client: httpx.AsyncClient, depth: int) -> None:
    # Rails parses JSON bodies with Ruby's parser, which refuses more than 100 levels.
    body = b"[" * depth + b"]" * depth
    headers = {**ADMIN, "Content-Type": "application/json"}
    response = await client.post("/posts.json", content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["error_type"] == "invalid_parameters"


@pytest.mark.anyio
async def test_json_nested_a_hundred_deep_is_still_read(client: httpx.AsyncClient) -> None:
    nested: object = "deep"
    for _ in range(99):
        nested = [nested]
    body = {"title": "A topic with a deep field", "raw": "Nested extras are ignored.", "extra": nested}
    response = await client.post("/posts.json", json=body, headers=ADMIN)
    assert response.status_code == 200, response.text[:200]

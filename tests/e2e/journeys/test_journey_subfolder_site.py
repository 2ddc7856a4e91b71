"""Journey: a forum installed in a subfolder (example.com/forum): profile URL, pasted commands, feeds."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from journeys_kit import ADMIN, body_json, build, codes, send
from starlette.types import ASGIApp, Receive, Scope, Send

from explorer.core.curl import import_curl
from explorer.sandbox import demo
from explorer.sandbox.app import create_app
from explorer.sandbox.config import SandboxConfig
from explorer.sandbox.server import SandboxServer

PREFIX = "/forum"


class Subfolder:
    """What the web server in front of a subfolder install does: serve the forum under PREFIX only."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == PREFIX or path.startswith(PREFIX + "/")):
            await send({"type": "http.response.start", "status": 404, "headers": []})
            await send({"type": "http.response.body", "body": b""})
            return
        inner = path[len(PREFIX) :] or "/"
        await self.app(
            {**scope, "path": inner, "raw_path": inner.encode(), "root_path": PREFIX}, receive, send
        )


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    app = Subfolder(create_app(SandboxConfig(admin_rate_limit_per_minute=100_000)))
    with SandboxServer(app=app) as server:
        yield server.url + PREFIX


def test_a_profile_base_url_with_a_subfolder(site: str) -> None:
    request = build("discourse", "getTopic", {"id": 5}, base_url=site, credentials=ADMIN)
    assert request.url == f"{site}/t/5.json"
    result = send(request)
    assert result.status == 200 and body_json(result)["id"] == 5
    # Without the subfolder the request misses the forum altogether.
    root = site.removesuffix(PREFIX)
    assert send(build("discourse", "getTopic", {"id": 5}, base_url=root, credentials=ADMIN)).status == 404


def test_a_pasted_command_for_a_subfolder_site_is_matched_and_fixed(site: str) -> None:
    imported = import_curl(f"curl '{site}/t/5.json?api_key={demo.DISCOURSE_ADMIN_KEY}&api_username=system'")
    assert imported.match is not None and imported.match.method_id == "getTopic"
    assert "discourse-query-auth" in codes(imported.findings)
    fixed = imported.request
    for f in imported.findings:
        fixed = f.fix.apply(fixed) if f.fix else fixed
    result = send(fixed)
    assert result.status == 200 and result.header("X-Discourse-Username") == "system"


def test_feeds_in_a_subfolder_still_take_the_key(site: str) -> None:
    imported = import_curl(f"curl '{site}/latest.rss?api_key={demo.DISCOURSE_ADMIN_KEY}&api_username=system'")
    assert codes(imported.findings) == ["discourse-query-auth-allowed"]
    assert send(imported.request).status == 200
